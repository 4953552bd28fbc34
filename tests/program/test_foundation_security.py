"""Whole-stack security: KMS keys and their policies, IAM documents, tags, log groups, component structure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from policy_sentry.querying.actions import get_action_data
from stackview import STACKS, StackView, account_of, loaded_config

pytestmark = pytest.mark.slow

KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
COMPONENT_TOKENS = {
    "keys": "data-ai-platform:keys:Keys",
    "network": "data-ai-platform:network:Network",
    "lake": "data-ai-platform:data_lake:DataLake",
    "databases": "data-ai-platform:databases:Databases",
    "dr": "data-ai-platform:dr:DisasterRecovery",
}
DELETION_WINDOW = {"dev": 7, "staging": 14, "prod": 30}

Views = Callable[[str], StackView]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _key_statements(view: StackView, key: str) -> dict[str, dict[str, Any]]:
    [document] = [d for r, d in view.policy_documents() if r.name == key]
    return {s["Sid"]: s for s in document["Statement"]}


@pytest.mark.parametrize("stack", STACKS)
def test_three_rotating_cmks_with_aliases(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    keys = {k.name: k for k in view.of_type(KEY)}
    expected = {"keys-data", "keys-logs", "keys-ml"} | ({"dr-key"} if stack == "prod" else set())
    assert expected <= set(keys)
    for name in expected:
        assert keys[name].inputs["enableKeyRotation"] is True
        assert keys[name].inputs["deletionWindowInDays"] == DELETION_WINDOW[stack]
    aliases = {a.inputs["name"]: a.inputs["targetKeyId"] for a in view.of_type(ALIAS)}
    for purpose in ("data", "logs", "ml"):
        key = keys[f"keys-{purpose}"]
        assert aliases[f"alias/data-ai-platform-{stack}-{purpose}"] == key.outputs["keyId"]


@pytest.mark.parametrize("stack", STACKS)
def test_key_policies_grant_exactly_the_services_that_need_each_key(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    root = {"AWS": f"arn:aws:iam::{account_of(stack)}:root"}
    for key in ("keys-data", "keys-logs", "keys-ml"):
        statements = _key_statements(view, key)
        assert statements["AccountRootAdministersKey"]["Principal"] == root
        assert statements["AccountRootDelegatesUse"]["Principal"] == root
        services = {
            service
            for s in statements.values()
            if "Service" in s.get("Principal", {})
            for service in _as_list(s["Principal"]["Service"])
        }
        assert (
            services
            == {
                "keys-data": {
                    "logging.s3.amazonaws.com",
                    "cloudwatch.amazonaws.com",
                    "events.amazonaws.com",
                    "delivery.logs.amazonaws.com",
                    "indexing.s3vectors.amazonaws.com",
                },
                "keys-logs": {"logs.us-east-1.amazonaws.com"},
                "keys-ml": set(),
            }[key]
        )
    logs = _key_statements(view, "keys-logs")["CloudWatchLogsEncryptsThisAccountsLogGroups"]
    assert logs["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-east-1:{account_of(stack)}:log-group:*"
        }
    }
    data = _key_statements(view, "keys-data")["ServicesDeliverToEncryptedTargets"]
    assert data["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert data["Condition"] == {"StringEquals": {"aws:SourceAccount": account_of(stack)}}
    delivery = _key_statements(view, "keys-data")["LogDeliveryReadsEncryptedStateMachineData"]
    assert delivery["Action"] == ["kms:Decrypt"]
    assert delivery["Condition"] == {"StringEquals": {"aws:SourceAccount": account_of(stack)}}
    vectors = _key_statements(view, "keys-data")["S3VectorsIndexesEncryptedVectors"]
    assert vectors["Action"] == ["kms:Decrypt"]
    assert vectors["Principal"] == {"Service": "indexing.s3vectors.amazonaws.com"}
    assert vectors["Condition"] == {"StringEquals": {"aws:SourceAccount": account_of(stack)}}


@pytest.mark.parametrize("stack", STACKS)
def test_no_allow_statement_uses_a_wildcard_or_unknown_action(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    documents = list(view.policy_documents())
    foundation = [r.name for r, _ in documents if r.name.split("-", 1)[0] in COMPONENT_TOKENS]
    # 3 key policies, 4 bucket policies, flow-logs role and policy (+ DR: key, 3 buckets, role, policy)
    assert len(foundation) == (15 if stack == "prod" else 9)
    problems = []
    for resource, document in documents:
        for statement in _as_list(document["Statement"]):
            if statement["Effect"] != "Allow":
                continue
            assert "NotAction" not in statement and "NotResource" not in statement, resource.name
            for action in _as_list(statement["Action"]):
                service, _, name = action.partition(":")
                if "*" in action or not name:
                    problems.append(f"{resource.name}: wildcard action {action}")
                elif not (get_action_data(service, name) or {}).get(service):
                    problems.append(f"{resource.name}: {action} is not an IAM action")
    assert problems == []


@pytest.mark.parametrize("stack", STACKS)
def test_trust_policies_are_limited_to_this_account(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    roles = [r for r in view.of_type("aws:iam/role:Role") if r.name.startswith(("network-", "dr-"))]
    assert {r.name for r in roles} == {"network-flow-logs-role"} | (
        {"dr-replication-role"} if stack == "prod" else set()
    )
    for role in roles:
        [document] = [d for r, d in view.policy_documents() if r is role]
        [trust] = document["Statement"]
        assert trust["Action"] == ["sts:AssumeRole"]
        assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": account_of(stack)}


@pytest.mark.parametrize("stack", STACKS)
def test_every_log_group_is_encrypted_with_the_logs_key_and_expires(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    groups = view.of_type(LOG_GROUP)
    assert len(groups) >= 3
    logs_key = view.arn("keys-logs")
    assert [g.name for g in groups if g.inputs.get("kmsKeyId") != logs_key] == []
    assert [g.name for g in groups if not g.inputs.get("retentionInDays")] == []


@pytest.mark.parametrize("stack", STACKS)
def test_every_aws_resource_gets_the_stack_tags_through_an_explicit_provider(
    stack: str, stack_view: Views
) -> None:
    view = stack_view(stack)
    expected = loaded_config(stack).resource_tags("data-ai-platform")
    assert expected == {
        "owner": "ml-platform",
        "cost-center": "cc-1042",
        "data-classification": {"dev": "internal", "staging": "internal", "prod": "confidential"}[stack],
        "environment": stack,
        "project": "data-ai-platform",
        "stack": stack,
    }
    providers = {p.name: p for p in view.inventory.providers.values()}
    assert set(providers) == ({"aws", "dr-provider"} if stack == "prod" else {"aws"})
    for provider in providers.values():
        assert provider.inputs["defaultTags"] == {"tags": expected}
    assert providers["aws"].inputs["region"] == "us-east-1"
    untagged = [
        r.name for r in view.inventory.custom() if r.provider is None or r.provider.name not in providers
    ]
    assert untagged == []


@pytest.mark.parametrize("stack", STACKS)
def test_foundation_children_are_parented_and_prefixed_by_their_component(
    stack: str, stack_view: Views
) -> None:
    inventory = stack_view(stack).inventory
    components = {c.name: c for c in inventory.components() if c.name in COMPONENT_TOKENS}
    assert set(components) == set(COMPONENT_TOKENS) - (set() if stack == "prod" else {"dr"})
    for name, component in components.items():
        assert component.type == COMPONENT_TOKENS[name]
        children = inventory.children(component)
        assert children, name
        assert [c.name for c in children if not c.name.startswith(f"{name}-")] == []


@pytest.mark.parametrize("stack", STACKS)
def test_stack_exports_what_users_need(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    outputs = view.inventory.outputs
    assert outputs["vpc_id"] == view.ident("network-vpc")
    azs = 3 if stack == "prod" else 2
    for tier in ("public", "private", "isolated"):
        assert outputs[f"{tier}_subnet_ids"] == [view.ident(f"network-{tier}-{i}") for i in range(azs)]
    for role in ("raw", "processed", "artifacts", "access_logs"):
        assert (
            outputs[f"{role}_bucket_name"] == view.named(f"lake-{role.replace('_', '-')}").outputs["bucket"]
        )
    assert outputs["sessions_table_name"] == view.named("databases-sessions").outputs["name"]
    assert outputs["documents_table_name"] == view.named("databases-documents").outputs["name"]
    assert ("dr_region" in outputs) is (stack == "prod")
