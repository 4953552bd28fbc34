"""The IAM document helpers every component builds its policies with (`components/iam.py`)."""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pytest
import stackview  # noqa: F401  (puts the repository root on sys.path)
from pulumi.runtime.sync_await import _sync_await

from components.iam import (
    create_network_interfaces_statement,
    deny_insecure_transport,
    ecr_pull_statements,
    policy_json,
    service_trust_policy,
    statement,
)
from components.keys import ADMIN_ACTIONS, LOGS_SERVICE_ACTIONS, PUBLISHER_ACTIONS, USE_ACTIONS


def _value(output: pulumi.Output[str]) -> Any:
    text = _sync_await(output.future())
    assert isinstance(text, str)
    return json.loads(text)


def test_policy_json_resolves_outputs_into_a_document() -> None:
    arn = pulumi.Output.from_input("arn:aws:s3:::lake-raw")
    document = _value(
        policy_json([statement("ReadRaw", ["s3:GetObject"], [pulumi.Output.concat(arn, "/*")])])
    )
    assert document == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadRaw",
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": ["arn:aws:s3:::lake-raw/*"],
            }
        ],
    }


@pytest.mark.parametrize(
    ("action", "problem"),
    [
        ("*", "must have the form 'service:Action'"),
        ("s3:Get?bject", "must have the form 'service:Action'"),
        ("s3:*", "must be one exact 'service:Action' without wildcards"),
        ("kms:Describe*", "must be one exact 'service:Action' without wildcards"),
    ],
)
def test_allow_statements_reject_wildcard_actions(action: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"IAM action {action!r} {problem}")):
        statement("Broad", [action], ["*"])


def test_deny_statements_may_deny_a_whole_service_but_not_a_partial_wildcard() -> None:
    assert statement("DenyAll", ["s3:*"], ["*"], effect="Deny")["Action"] == ["s3:*"]
    with pytest.raises(ValueError, match=r"IAM Deny action 's3:Get\*': use exact actions or 's3:\*'"):
        statement("DenySome", ["s3:Get*"], ["*"], effect="Deny")
    with pytest.raises(ValueError, match="must have the form 'service:Action'"):
        statement("DenyEverything", ["*"], ["*"], effect="Deny")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"sid": "Bad Sid", "actions": ["s3:GetObject"], "resources": ["*"]},
            "Sid 'Bad Sid' must be alphanumeric",
        ),
        ({"sid": "NoActions", "actions": [], "resources": ["*"]}, "needs at least one action"),
        (
            {"sid": "NoResources", "actions": ["s3:GetObject"], "resources": []},
            "NoResources needs at least one resource",
        ),
        (
            {"sid": "Maybe", "actions": ["s3:GetObject"], "resources": ["*"], "effect": "Perhaps"},
            "effect must be Allow or Deny, not 'Perhaps'",
        ),
    ],
)
def test_malformed_statements_are_rejected(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        statement(**kwargs)


def test_policy_json_rejects_empty_policies_and_duplicate_sids() -> None:
    with pytest.raises(ValueError, match="at least one statement"):
        policy_json([])
    same = statement("Same", ["s3:GetObject"], ["*"])
    with pytest.raises(ValueError, match=r"Sids must be unique within a policy \(got \['Same', 'Same'\]\)"):
        policy_json([same, same])


def test_trust_policy_is_limited_to_the_account_and_source() -> None:
    document = _value(service_trust_policy("s3.amazonaws.com", "123456789012", source_arn="arn:aws:s3:::b"))
    assert document["Statement"] == [
        {
            "Sid": "AssumedByService",
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": ["sts:AssumeRole"],
            "Condition": {
                "StringEquals": {"aws:SourceAccount": "123456789012"},
                "ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"},
            },
        }
    ]


def test_deny_insecure_transport_covers_the_bucket_and_its_objects() -> None:
    deny = deny_insecure_transport("arn:aws:s3:::b")
    document = _value(policy_json([deny]))
    assert document["Statement"][0]["Resource"] == ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
    assert document["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_key_policy_action_lists_are_exact_and_disjoint_where_it_matters() -> None:
    assert "kms:PutKeyPolicy" in ADMIN_ACTIONS and "kms:ScheduleKeyDeletion" in ADMIN_ACTIONS
    assert not set(ADMIN_ACTIONS) & set(USE_ACTIONS)
    assert set(PUBLISHER_ACTIONS) <= set(LOGS_SERVICE_ACTIONS)
    assert all(":" in a and "*" not in a for a in (*ADMIN_ACTIONS, *USE_ACTIONS, *LOGS_SERVICE_ACTIONS))


def test_network_interfaces_may_be_created_only_in_the_given_subnets_and_group() -> None:
    created = create_network_interfaces_statement(
        "eu-west-1", "123456789012", ["subnet-a", pulumi.Output.from_input("subnet-b")], "sg-1"
    )
    document = _value(policy_json([created]))
    assert document["Statement"] == [
        {
            "Sid": "CreateNetworkInterfacesInPlatformSubnets",
            "Effect": "Allow",
            "Action": ["ec2:CreateNetworkInterface"],
            "Resource": [
                "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-a",
                "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-b",
                "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1",
                "arn:aws:ec2:eu-west-1:123456789012:network-interface/*",
            ],
        }
    ]


def test_image_pulls_name_the_repositories_and_add_only_the_auth_token_on_star() -> None:
    repository = "arn:aws:ecr:us-east-1:123456789012:repository/api"
    assert ecr_pull_statements("PullOwnImage", [repository]) == [
        {
            "Sid": "PullOwnImage",
            "Effect": "Allow",
            "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Resource": [repository],
        },
        {
            "Sid": "EcrAuthTokenHasNoResourceLevelPermissions",
            "Effect": "Allow",
            "Action": ["ecr:GetAuthorizationToken"],
            "Resource": ["*"],
        },
    ]
