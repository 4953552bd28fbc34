"""Small helpers that build IAM policy documents (identity, trust and resource policies) from Outputs.

Every component writes its policies through these helpers, so two rules hold everywhere by construction:
no Allow statement has a wildcard action (`*`, `s3:*`, `kms:Describe*` all raise `ValueError` when the
program runs), and documents are serialized with `pulumi.Output.json_dumps`, so ARNs that are still Outputs
can be used directly.

Typical use::

    policy = policy_json([
        statement("ReadRaw", ["s3:GetObject"], [Output.concat(bucket.arn, "/*")]),
        statement("UseDataKey", ["kms:Decrypt"], [data_key_arn]),
    ])
    trust = service_trust_policy("lambda.amazonaws.com", account_id)

`Resource: "*"` is allowed by the helpers (some actions have no resource-level permissions), but callers
must say so in the statement's Sid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

Statement = dict[str, Any]
"""One IAM statement: keys `Sid`, `Effect`, `Action`, `Resource` (and optionally `Principal`, `Condition`)."""

POLICY_VERSION = "2012-10-17"


def _check_actions(actions: Sequence[str], effect: str) -> list[str]:
    """Allow statements name exact actions. A Deny may use `service:*`: denying *every* S3 action over plain
    HTTP is what AWS's `s3-bucket-ssl-requests-only` check requires, and a Deny grants nothing."""
    if not actions:
        raise ValueError("an IAM statement needs at least one action")
    for action in actions:
        service, _, name = action.partition(":")
        if not service or not name or "?" in action:
            raise ValueError(f"IAM action {action!r} must have the form 'service:Action'")
        if effect == "Allow" and "*" in action:
            raise ValueError(f"IAM action {action!r} must be one exact 'service:Action' without wildcards")
        if effect == "Deny" and "*" in name and name != "*":
            raise ValueError(f"IAM Deny action {action!r}: use exact actions or '{service}:*'")
    return list(actions)


def statement(
    sid: str,
    actions: Sequence[str],
    resources: Sequence[pulumi.Input[str]],
    *,
    effect: str = "Allow",
    principal: Mapping[str, Any] | str | None = None,
    conditions: Mapping[str, Mapping[str, Any]] | None = None,
) -> Statement:
    """Build one statement. `principal` is for resource policies (`{"Service": "logs.amazonaws.com"}`);
    `conditions` is the IAM `Condition` block (`{"StringEquals": {"aws:SourceAccount": account_id}}`)."""
    if not sid.isalnum():
        raise ValueError(f"IAM statement Sid {sid!r} must be alphanumeric")
    if effect not in ("Allow", "Deny"):
        raise ValueError(f"IAM statement effect must be Allow or Deny, not {effect!r}")
    if not resources:
        raise ValueError(f"IAM statement {sid} needs at least one resource")
    result: Statement = {"Sid": sid, "Effect": effect}
    if principal is not None:
        result["Principal"] = principal
    result["Action"] = _check_actions(actions, effect)
    result["Resource"] = list(resources)
    if conditions:
        result["Condition"] = {op: dict(values) for op, values in conditions.items()}
    return result


def policy_json(statements: Sequence[Statement]) -> pulumi.Output[str]:
    """A policy document (identity or resource policy) as a JSON string Output."""
    if not statements:
        raise ValueError("an IAM policy needs at least one statement")
    sids = [s["Sid"] for s in statements]
    if len(set(sids)) != len(sids):
        raise ValueError(f"IAM statement Sids must be unique within a policy (got {sids})")
    return pulumi.Output.json_dumps({"Version": POLICY_VERSION, "Statement": list(statements)})


def service_trust_policy(
    service: str,
    account_id: pulumi.Input[str],
    *,
    source_arn: pulumi.Input[str] | None = None,
) -> pulumi.Output[str]:
    """Trust policy letting one AWS service principal assume a role, only on behalf of this account
    (`aws:SourceAccount`, and `aws:SourceArn` when given: the confused-deputy guard AWS recommends)."""
    conditions: dict[str, dict[str, Any]] = {"StringEquals": {"aws:SourceAccount": account_id}}
    if source_arn is not None:
        conditions["ArnLike"] = {"aws:SourceArn": source_arn}
    trust: Statement = {
        "Sid": "AssumedByService",
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": ["sts:AssumeRole"],
        "Condition": conditions,
    }
    return pulumi.Output.json_dumps({"Version": POLICY_VERSION, "Statement": [trust]})


def deny_insecure_transport(bucket_arn: pulumi.Input[str]) -> Statement:
    """The S3 bucket-policy statement denying every request not made over TLS."""
    return statement(
        "DenyInsecureTransport",
        ["s3:*"],
        [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        effect="Deny",
        principal="*",
        conditions={"Bool": {"aws:SecureTransport": "false"}},
    )


def regional_arn(
    service: str, region: str, account_id: pulumi.Input[str], resource: pulumi.Input[str]
) -> pulumi.Output[str]:
    """`arn:aws:<service>:<region>:<account>:<resource>`."""
    return pulumi.Output.concat("arn:aws:", service, ":", region, ":", account_id, ":", resource)


def ecr_pull_statements(sid: str, repository_arns: Sequence[pulumi.Input[str]]) -> list[Statement]:
    """Pull images from exactly these repositories, plus the registry auth token (no resource-level
    permissions) every pull needs."""
    return [
        statement(
            sid,
            ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            repository_arns,
        ),
        statement("EcrAuthTokenHasNoResourceLevelPermissions", ["ecr:GetAuthorizationToken"], ["*"]),
    ]


def create_network_interfaces_statement(
    region: str,
    account_id: pulumi.Input[str],
    subnet_ids: Sequence[pulumi.Input[str]],
    security_group_id: pulumi.Input[str],
) -> Statement:
    """Create VPC network interfaces (Lambda, SageMaker) only in these subnets with this security group."""
    subnets = [
        regional_arn("ec2", region, account_id, pulumi.Output.concat("subnet/", s)) for s in subnet_ids
    ]
    group = regional_arn(
        "ec2", region, account_id, pulumi.Output.concat("security-group/", security_group_id)
    )
    interfaces = regional_arn("ec2", region, account_id, "network-interface/*")
    return statement(
        "CreateNetworkInterfacesInPlatformSubnets",
        ["ec2:CreateNetworkInterface"],
        [*subnets, group, interfaces],
    )


def xray_statement() -> Statement:
    """Send traces and read sampling rules (X-Ray daemon, Step Functions): no resource-level permissions."""
    return statement(
        "XRayHasNoResourceLevelPermissions",
        [
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:PutTelemetryRecords",
            "xray:PutTraceSegments",
        ],
        ["*"],
    )
