"""Broad AWS-managed policies attached to principals."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import iam_doc, tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View

FORBIDDEN_MANAGED_POLICIES = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")


def forbidden(arn: str) -> str | None:
    """The forbidden AWS-managed policy an ARN names, if any
    (`arn:aws:iam::aws:policy/[job-function/]Name`)."""
    if ":iam::aws:policy/" not in arn:
        return None
    name = arn.rsplit("/", 1)[-1]
    return name if name in FORBIDDEN_MANAGED_POLICIES else None


def _admin(view: View, _settings: Settings) -> Iterator[str]:
    for where, arn in iam_doc.attached_arns(view):
        name = forbidden(arn)
        if name:
            yield (
                f"`{where}` attaches the AWS-managed {name} policy; attach a policy scoped to the workload "
                "instead."
            )


ADMIN_ATTACHMENT = ResourceRule(
    RuleMeta(
        name="aws-iam-no-admin-managed-policy",
        controls=controls(fsbp=("IAM.1",), cis=("1.16",), pci=("7.2.1",), nist=("AC-6",)),
        area="iam",
        description="No role, user or group gets AdministratorAccess, PowerUserAccess or IAMFullAccess.",
        severity="critical",
        rationale=(
            "These AWS-managed policies grant (nearly) every action, or full control of IAM, which is "
            "equivalent to administrator access through privilege escalation."
        ),
        remediation=(
            "Remove the attachment and grant a customer-managed policy listing only the needed actions."
        ),
        kind="resource",
        resource_types=iam_doc.ATTACHMENT_TYPES + tokens.IAM_ROLE,
        references=("CKV_AWS_274", "CKV2_AWS_56", "W43", "W44"),
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
    ),
    _admin,
)

RULES: list[Rule] = [ADMIN_ATTACHMENT]
