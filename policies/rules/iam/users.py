"""IAM users: permissions only through groups, and the account password policy their console sign-in meets."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View

PASSWORD_POLICY = ("aws:iam/accountPasswordPolicy:AccountPasswordPolicy",)


def _through_groups(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in tokens.IAM_POLICY_ATTACHMENT:
        if view.list_("users"):
            yield "`users` attaches the policy to users directly; attach it to a group (or role) instead."
    else:
        yield "a policy attached to a user directly; attach it to a group the user joins (or use a role)."


def _password_policy(view: View, settings: Settings) -> Iterator[str]:
    length, reuse = int(settings["minLength"]), int(settings["reusePrevention"])
    found = view.int_("minimumPasswordLength")
    if found is None or found < length:
        shown = "not set (AWS default 8)" if found is None else str(found)
        yield f"`minimumPasswordLength` is {shown}; require at least {length} characters."
    remembered = view.int_("passwordReusePrevention")
    if remembered is None or remembered < reuse:
        shown = "not set (reuse allowed)" if remembered is None else str(remembered)
        yield f"`passwordReusePrevention` is {shown}; remember the last {reuse} passwords."


THROUGH_GROUPS = ResourceRule(
    RuleMeta(
        name="aws-iam-user-permissions-through-groups",
        controls=controls(cis=("1.15",)),
        area="iam",
        description="IAM users receive permissions only through groups, never by direct attachment.",
        severity="high",
        rationale=(
            "Permissions attached user by user drift apart and outlive the job they were granted for; a "
            "group makes who-can-do-what one reviewable list and leaving the team one removal."
        ),
        remediation=(
            "Put the user in an aws.iam.Group (aws.iam.UserGroupMembership) and attach the policy to the "
            "group with aws.iam.GroupPolicyAttachment; drop users from aws.iam.PolicyAttachment."
        ),
        kind="resource",
        resource_types=tokens.IAM_POLICY_ATTACHMENT
        + tokens.IAM_USER_POLICY_ATTACHMENT
        + tokens.IAM_USER_POLICY,
        references=(
            "CKV_AWS_40",
            "aws-iam-policy-attachment-only-attachment-through-groups",
            "aws-iam-user-policy-attachment-only-attachment-through-groups",
        ),
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#use-groups-for-permissions",
    ),
    _through_groups,
)

PASSWORD = ResourceRule(
    RuleMeta(
        name="aws-iam-account-password-policy",
        controls=controls(cis=("1.8", "1.9")),
        area="iam",
        description="The account password policy requires long passwords and prevents their reuse.",
        severity="high",
        rationale=(
            "Console passwords of IAM users are only as strong as the account's policy: AWS's default "
            "accepts 8 characters and any previous password."
        ),
        remediation="Set minimum_password_length=14 (or more) and password_reuse_prevention=24.",
        kind="resource",
        resource_types=PASSWORD_POLICY,
        references=(
            "aws-iam-password-policy-minimum-password-length",
            "aws-iam-password-policy-prevent-reuse",
        ),
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
        config={
            "minLength": {"type": "integer", "minimum": 8, "maximum": 128, "default": 14},
            "reusePrevention": {"type": "integer", "minimum": 1, "maximum": 24, "default": 24},
        },
    ),
    _password_policy,
)

RULES: list[Rule] = [THROUGH_GROUPS, PASSWORD]
