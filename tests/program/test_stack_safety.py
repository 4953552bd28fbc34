"""Nothing lost, nothing deployed where it does not belong: protect/retain_on_delete on stateful resources
per stack, providers pinned to the stack's account (which the offline ARNs use), the stack file's `aws:`
credentials settings reaching the explicit providers, and IPv6 ingress CIDRs as IPv6 rules."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from stackview import PROJECT, REPO_ROOT, STACKS, Inventory, stack_values

from awsvalues.stateful import RETAINED_TYPES, STATEFUL_TYPES
from inventory import synthesize

Inv = Callable[[str], Inventory]
EXPECTED_STATEFUL = {
    "aws:s3/bucket:Bucket": {
        "lake-raw",
        "lake-processed",
        "lake-artifacts",
        "lake-access-logs",
        "containers-alb-logs",
    },
    "aws:dynamodb/table:Table": {"databases-sessions", "databases-documents"},
    "aws:rds/instance:Instance": {"databases-postgres"},
    "aws:kms/key:Key": {"keys-data", "keys-logs", "keys-ml"},
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": {"vectors-bucket"},
    "aws:s3/vectorsIndex:VectorsIndex": {"vectors-index"},
}
DR_STATEFUL = {
    "aws:s3/bucket:Bucket": {"dr-processed-replica", "dr-artifacts-replica", "dr-access-logs"},
    "aws:kms/key:Key": {"dr-key"},
}


def _stateful(inventory: Inventory) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for resource in inventory.custom():
        if resource.type in STATEFUL_TYPES:
            found.setdefault(resource.type, set()).add(resource.name)
    return found


@pytest.mark.parametrize("stack", STACKS)
def test_stateful_resources_are_protected_exactly_when_the_stack_says_so(inventory: Inv, stack: str) -> None:
    inv = inventory(stack)
    protect = stack == "prod"
    stateful = [r for r in inv.custom() if r.type in STATEFUL_TYPES]
    assert {(r.name, r.protect) for r in stateful} == {(r.name, protect) for r in stateful}
    assert {(r.name, r.retain_on_delete) for r in stateful} == {
        (r.name, protect and r.type in RETAINED_TYPES) for r in stateful
    }
    assert not any(r.protect or r.retain_on_delete for r in inv.custom() if r.type not in STATEFUL_TYPES)


def test_the_stateful_resources_are_the_lake_replicas_databases_vector_store_and_keys(inventory: Inv) -> None:
    tokens = {*EXPECTED_STATEFUL, *DR_STATEFUL}
    with_dr = {t: EXPECTED_STATEFUL.get(t, set()) | DR_STATEFUL.get(t, set()) for t in tokens}
    assert _stateful(inventory("prod")) == with_dr
    assert _stateful(inventory("dev")) == EXPECTED_STATEFUL


@pytest.mark.parametrize(
    ("stack", "account"), [("dev", None), ("staging", "444455556666"), ("prod", "111122223333")]
)
def test_providers_are_pinned_to_the_stack_account_and_arns_use_it(
    inventory: Inv, stack: str, account: str | None
) -> None:
    inv = inventory(stack)
    explicit = {
        p.name: p.inputs.get("allowedAccountIds")
        for p in inv.providers.values()
        if p.name in ("aws", "dr-provider")
    }
    assert explicit == (
        {"aws": [account], "dr-provider": [account]}
        if stack == "prod"
        else {"aws": [account] if account else None}
    )
    arn = next(str(r.outputs["arn"]) for r in inv.custom() if r.type == "aws:ec2/vpc:Vpc")
    assert arn.split(":")[4] == (account or "123456789012")


@cache
def _variant() -> Inventory:
    _, values = stack_values("dev")
    network = {**values["network"], "albIngressCidrs": ["::/0", "10.0.0.0/8"]}
    return synthesize(
        REPO_ROOT,
        "dev",
        config_overrides={
            f"{PROJECT}:network": network,
            "aws:profile": "dev-admin",
            "aws:assumeRoles": [{"roleArn": "arn:aws:iam::123456789012:role/deployer", "sessionName": "ci"}],
            "aws:forbiddenAccountIds": ["111122223333"],
        },
    )


def test_aws_settings_of_the_stack_file_reach_the_explicit_provider() -> None:
    provider = next(p for p in _variant().providers.values() if p.name == "aws")
    assert provider.inputs["profile"] == "dev-admin"
    assert provider.inputs["assumeRoles"] == [
        {"roleArn": "arn:aws:iam::123456789012:role/deployer", "sessionName": "ci"}
    ]
    assert provider.inputs["forbiddenAccountIds"] == ["111122223333"]


def test_ipv6_ingress_cidr_becomes_an_ipv6_rule() -> None:
    rules = {
        r.name: (r.inputs.get("cidrIpv4"), r.inputs.get("cidrIpv6"), r.inputs["fromPort"])
        for r in _variant().custom()
        if r.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" and "-alb-http" in r.name
    }
    assert rules == {
        "network-alb-https-0": (None, "::/0", 443),
        "network-alb-http-0": (None, "::/0", 80),
        "network-alb-https-1": ("10.0.0.0/8", None, 443),
        "network-alb-http-1": ("10.0.0.0/8", None, 80),
    }
