"""Credential exposure, GitHub OIDC trust, and AWSGuard's management conflicts (inline and separate
resources managing the same thing, which makes one overwrite the other on every update)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import policy_sentry

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import iam_db, iam_doc, tokens
from policies.rules.framework import JoinRule, ResourceRule, Rule, Settings
from policies.rules.props import View
from policies.rules.stack_index import Stack

_EXPOSURE_FILE = (
    Path(policy_sentry.__file__).parent / "shared" / "data" / "audit" / "credentials-exposure.txt"
)
GITHUB_OIDC = "token.actions.githubusercontent.com"


@cache
def exposure_actions() -> tuple[str, ...]:
    """policy_sentry's credentials-exposure list: actions that return credentials or tokens."""
    lines = _EXPOSURE_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _exposure(view: View, _settings: Settings) -> Iterator[str]:
    for document in iam_doc.granted_documents(view):
        if document.kind != "identity":
            continue
        for statement in iam_doc.statements(document):
            if not statement.allows or statement.not_actions:
                continue
            exposed = [a for a in exposure_actions() if iam_db.grants(list(statement.actions), a)]
            if exposed and "*" in statement.resources:
                more = f" and {len(exposed) - 5} more" if len(exposed) > 5 else ""
                yield (
                    f"{statement.where} allows {', '.join(exposed[:5])}{more} on `*`, which hand out "
                    "credentials or tokens; scope the resource or waive the principal that needs it (e.g. an "
                    "ECS execution role pulling from ECR)."
                )


CREDENTIAL_EXPOSURE = ResourceRule(
    RuleMeta(
        name="aws-iam-policy-no-credential-exposure",
        controls=controls(nist=("AC-6", "IA-5")),
        area="iam",
        description="Identity policies do not allow, on every resource, actions that return credentials.",
        severity="high",
        rationale=(
            "Actions in policy_sentry's credentials-exposure list (sts:GetFederationToken, "
            "ecr:GetAuthorizationToken, redshift:GetClusterCredentials, ...) mint credentials or tokens; "
            "granting them on `*` lets the holder act as others or pull any image. Some only accept `*`: "
            "give them only to the role that needs them, with a waiver saying so."
        ),
        remediation=(
            "Scope the statement's Resource, or keep the action on the one role that needs it and waive it."
        ),
        kind="resource",
        resource_types=iam_doc.GRANT_TYPES,
        references=("CKV_AWS_287",),
        url="https://policy-sentry.readthedocs.io/en/latest/",
    ),
    _exposure,
)


def _condition_values(conditions: Mapping[str, Any], key: str) -> list[str] | None:
    found: list[str] | None = None
    for operator in conditions.values():
        if not isinstance(operator, Mapping):
            continue
        for name, value in operator.items():
            if str(name).lower() == key:
                found = (found or []) + ([value] if isinstance(value, str) else [str(v) for v in value])
    return found


def _pinned(sub: str) -> bool:
    """`repo:<owner>/<repo>:<ref or environment>`: not `*`, not `repo:*`, not `repo:<owner>/*`."""
    parts = sub.split(":")
    if len(parts) < 3 or parts[0] != "repo":
        return False
    owner, _, repo = parts[1].partition("/")
    return bool(owner) and "*" not in owner and bool(repo) and "*" not in repo and parts[2] != "*"


def _github(view: View, _settings: Settings) -> Iterator[str]:
    for document in iam_doc.documents(view):
        if document.kind != "trust":
            continue
        for statement in iam_doc.statements(document):
            federated = [v for kind, v in statement.principals if kind == "Federated" and GITHUB_OIDC in v]
            if not statement.allows or not federated:
                continue
            subs = _condition_values(statement.conditions, f"{GITHUB_OIDC}:sub")
            if not subs:
                yield (
                    f"{statement.where} trusts GitHub Actions OIDC without a `sub` condition, so any "
                    "repository on GitHub can assume the role; pin repo:<owner>/<repo>:<ref>."
                )
            for sub in subs or []:
                if not _pinned(sub):
                    yield f"{statement.where}: `sub` {sub!r} is not pinned to one repository and ref."


GITHUB_OIDC_SUB = ResourceRule(
    RuleMeta(
        name="aws-iam-role-github-oidc-sub-pinned",
        controls=controls(nist=("AC-3", "IA-8")),
        area="iam",
        description="Roles trusted by GitHub Actions OIDC pin the `sub` claim to a repository and ref.",
        severity="critical",
        rationale=(
            "GitHub's OIDC provider is shared by every repository on GitHub; an `aud`-only trust, or a `sub` "
            "of `repo:*`, lets any of them assume the role."
        ),
        remediation=(
            "Add StringEquals/StringLike token.actions.githubusercontent.com:sub = "
            "repo:<owner>/<repo>:ref:refs/heads/main (or :environment:<name>)."
        ),
        kind="resource",
        resource_types=tokens.IAM_ROLE,
        url="https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
    ),
    _github,
)


def _separate(stack: Stack) -> dict[str, list[View]]:
    """Subject URN -> the separate rule/policy resources that manage it."""
    found: dict[str, list[View]] = {}
    pairs = (
        (tokens.SECURITY_GROUP_RULE, "securityGroupId", tokens.SECURITY_GROUP),
        (tokens.VPC_INGRESS_RULE + tokens.VPC_EGRESS_RULE, "securityGroupId", tokens.SECURITY_GROUP),
        (tokens.IAM_ROLE_POLICY, "role", tokens.IAM_ROLE),
    )
    for types, key, targets in pairs:
        for side in stack.of_types(types):
            for target in stack.resolve(side, key, side.props.get(key), targets).targets:
                found.setdefault(target.urn, []).append(side)
    return found


def _conflict(subject: View, index: dict[str, list[View]], _settings: Settings) -> Iterator[str]:
    separate = index.get(subject.urn, [])
    if not separate:
        return
    inline_keys = ("ingress", "egress") if subject.type in tokens.SECURITY_GROUP else ("inlinePolicies",)
    inline = [key for key in inline_keys if subject.props.get(key)]
    if inline:
        names = ", ".join(sorted(side.name for side in separate))
        yield (
            f"inline {'/'.join(inline)} and separate resources ({names}) both manage it; each update "
            "overwrites the other. Use one style."
        )


MANAGEMENT_CONFLICT = JoinRule(
    RuleMeta(
        name="aws-management-conflict",
        controls=controls(nist=("CM-3",)),
        area="iam",
        description=(
            "A security group or role is not managed both inline and by separate rule or policy resources."
        ),
        severity="medium",
        rationale=(
            "The pulumi-aws provider treats inline ingress/egress and inline_policies as the complete set: "
            "separate SecurityGroupRule/SecurityGroupIngressRule or RolePolicy resources are removed on the "
            "next update of the parent and re-added on the next, so the deployed state flips (AWSGuard's "
            "management-conflict rules)."
        ),
        remediation="Move every rule (or policy) to separate resources, or every one inline.",
        kind="stack",
        resource_types=tokens.SECURITY_GROUP + tokens.IAM_ROLE,
        references=("security-group-no-rule-management-conflicts", "iam-role-no-policy-management-conflicts"),
        related_types=tokens.SECURITY_GROUP_RULE
        + tokens.VPC_INGRESS_RULE
        + tokens.VPC_EGRESS_RULE
        + tokens.IAM_ROLE_POLICY,
        url="https://www.pulumi.com/registry/packages/aws/api-docs/ec2/securitygroup/",
    ),
    _separate,
    _conflict,
)

RULES: list[Rule] = [CREDENTIAL_EXPOSURE, GITHUB_OIDC_SUB, MANAGEMENT_CONFLICT]
