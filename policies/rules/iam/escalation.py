"""Privilege escalation: combinations of permissions that let a principal grant itself more.

The methods are Rhino Security Labs' catalogue of AWS IAM privilege escalation paths, as implemented by
cloudsplaining and checkov CKV_AWS_286. A principal's permissions are the union of every document that
reaches it in the stack: a role's inline policies, RolePolicy/UserPolicy/GroupPolicy resources, and
customer-managed policies attached by any attachment resource or `managedPolicyArns`, and the documents of
AWS managed policies attached the same ways - so a combination split across documents is found. iam:PassRole
counts only when granted on a wildcard resource: passing explicitly listed roles is bounded by those roles'
own permissions, which this pack judges separately.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import iam_db, iam_doc, tokens
from policies.rules.framework import JoinRule, Rule, Settings
from policies.rules.props import Malformed, Skip, Unknown, View
from policies.rules.stack_index import Stack

ESCALATION_METHODS: dict[str, tuple[str, ...]] = {
    "CreateNewPolicyVersion": ("iam:CreatePolicyVersion",),
    "SetExistingDefaultPolicyVersion": ("iam:SetDefaultPolicyVersion",),
    "CreateAccessKey": ("iam:CreateAccessKey",),
    "CreateLoginProfile": ("iam:CreateLoginProfile",),
    "UpdateLoginProfile": ("iam:UpdateLoginProfile",),
    "AttachUserPolicy": ("iam:AttachUserPolicy",),
    "AttachGroupPolicy": ("iam:AttachGroupPolicy",),
    "AttachRolePolicy": ("iam:AttachRolePolicy", "sts:AssumeRole"),
    "PutUserPolicy": ("iam:PutUserPolicy",),
    "PutGroupPolicy": ("iam:PutGroupPolicy",),
    "PutRolePolicy": ("iam:PutRolePolicy", "sts:AssumeRole"),
    "AddUserToGroup": ("iam:AddUserToGroup",),
    "UpdateRolePolicyToAssumeIt": ("iam:UpdateAssumeRolePolicy", "sts:AssumeRole"),
    "PassExistingRoleToNewLambdaThenInvoke": (
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:InvokeFunction",
    ),
    "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo": (
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:CreateEventSourceMapping",
    ),
    "PassExistingRoleToNewGlueDevEndpoint": ("iam:PassRole", "glue:CreateDevEndpoint", "glue:GetDevEndpoint"),
    "UpdateExistingGlueDevEndpoint": ("glue:UpdateDevEndpoint",),
    "PassExistingRoleToCloudFormation": (
        "iam:PassRole",
        "cloudformation:CreateStack",
        "cloudformation:DescribeStacks",
    ),
    "PassExistingRoleToNewDataPipeline": ("iam:PassRole", "datapipeline:CreatePipeline"),
    "EditExistingLambdaFunctionWithRole": ("lambda:UpdateFunctionCode",),
    "PassExistingRoleToNewEC2": ("iam:PassRole", "ec2:RunInstances"),
    "PassExistingRoleToNewSageMakerNotebook": (
        "iam:PassRole",
        "sagemaker:CreateNotebookInstance",
        "sagemaker:CreatePresignedNotebookInstanceUrl",
    ),
}

PRINCIPAL_TYPES = tokens.IAM_ROLE + tokens.IAM_USER + tokens.IAM_GROUP
_INLINE_OWNER = {
    **dict.fromkeys(tokens.IAM_ROLE_POLICY, "role"),
    **dict.fromkeys(tokens.IAM_USER_POLICY, "user"),
    **dict.fromkeys(tokens.IAM_GROUP_POLICY, "group"),
}
_ATTACHMENT_OWNERS = {
    **dict.fromkeys(tokens.IAM_ROLE_POLICY_ATTACHMENT, ("role",)),
    **dict.fromkeys(tokens.IAM_USER_POLICY_ATTACHMENT, ("user",)),
    **dict.fromkeys(tokens.IAM_GROUP_POLICY_ATTACHMENT, ("group",)),
    **dict.fromkeys(tokens.IAM_POLICY_ATTACHMENT, ("roles", "users", "groups")),
}
# pulumi-aws 7's exclusive attachments: one principal by name, a `policyArns` list.
_EXCLUSIVE_OWNER = {
    **dict.fromkeys(tokens.IAM_ROLE_ATTACHMENTS_EXCLUSIVE, "roleName"),
    **dict.fromkeys(tokens.IAM_USER_ATTACHMENTS_EXCLUSIVE, "userName"),
    **dict.fromkeys(tokens.IAM_GROUP_ATTACHMENTS_EXCLUSIVE, "groupName"),
}


@dataclass
class Grants:
    statements: list[iam_doc.Statement] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


@dataclass
class EscalationIndex:
    stack: Stack
    grants: dict[str, Grants] = field(default_factory=lambda: defaultdict(Grants))

    def add(self, owners: tuple[View, ...], source: View) -> None:
        """Credit the identity statements of `source` (a Role, Policy, inline policy or attachment resource,
        with the AWS managed policies it attaches) to `owners`."""
        try:
            found = [
                statement
                for document in iam_doc.granted_documents(source)
                if document.kind == "identity"
                for statement in iam_doc.statements(document)
                if statement.allows and not statement.not_actions
            ]
        except (Unknown, Malformed) as stop:
            for owner in owners:
                self.grants[owner.urn].gaps.append(f"{source.name}: {stop.reason()}")
            return
        for owner in owners:
            self.grants[owner.urn].statements.extend(found)


def _owners(stack: Stack, view: View, key: str) -> tuple[View, ...]:
    raw = view.props.get(key)
    values: list[Any] = raw if isinstance(raw, list) else [raw]
    return stack.resolve(view, key, values, PRINCIPAL_TYPES).targets


def _attached_policies(stack: Stack, view: View, key: str, values: list[Any]) -> tuple[View, ...]:
    known = [value for value in values if value is not None]
    return stack.resolve(view, key, known, tokens.IAM_POLICY).targets if known else ()


def build(stack: Stack) -> EscalationIndex:
    index = EscalationIndex(stack)
    for role in stack.of_types(tokens.IAM_ROLE):
        index.add((role,), role)
        arns = role.props.get("managedPolicyArns")
        if isinstance(arns, list):
            for policy in _attached_policies(stack, role, "managedPolicyArns", arns):
                index.add((role,), policy)
    for inline in stack.of_types(tuple(_INLINE_OWNER)):
        index.add(_owners(stack, inline, _INLINE_OWNER[inline.type]), inline)
    for attachment in stack.of_types(tuple(_ATTACHMENT_OWNERS)):
        owners = tuple(
            o for key in _ATTACHMENT_OWNERS[attachment.type] for o in _owners(stack, attachment, key)
        )
        arn = attachment.props.get("policyArn")
        for policy in _attached_policies(stack, attachment, "policyArn", [arn]):
            index.add(owners, policy)
        index.add(owners, attachment)
    for exclusive in stack.of_types(tuple(_EXCLUSIVE_OWNER)):
        owners = _owners(stack, exclusive, _EXCLUSIVE_OWNER[exclusive.type])
        arns = exclusive.props.get("policyArns")
        for policy in _attached_policies(
            stack, exclusive, "policyArns", arns if isinstance(arns, list) else []
        ):
            index.add(owners, policy)
        index.add(owners, exclusive)
    return index


def _granted(statements: list[iam_doc.Statement], action: str) -> bool:
    for statement in statements:
        if not iam_db.grants(list(statement.actions), action):
            continue
        if action != "iam:PassRole" or any(r == "*" or r.endswith("/*") for r in statement.resources):
            return True
    return False


def judge(principal: View, index: EscalationIndex, _settings: Settings) -> Iterator[str]:
    grants = index.grants.get(principal.urn, Grants())
    for method, actions in ESCALATION_METHODS.items():
        if all(_granted(grants.statements, action) for action in actions):
            yield (
                f"can escalate its privileges via {method} ({', '.join(actions)}); remove or scope these "
                "actions."
            )
    if grants.gaps:
        raise Skip("some attached documents could not be evaluated: " + "; ".join(grants.gaps))


ESCALATION = JoinRule(
    RuleMeta(
        name="aws-iam-principal-no-privilege-escalation",
        controls=controls(nist=("AC-6",)),
        area="iam",
        description="No role, user or group holds a combination of permissions that lets it escalate its own "
        "privileges.",
        severity="critical",
        rationale=" ".join((__doc__ or "").split()),
        remediation=(
            "Remove the IAM write actions (or the PassRole + create-compute combination) from the principal; "
            "give deployment-only permissions to a separate, tightly trusted role."
        ),
        kind="stack",
        resource_types=PRINCIPAL_TYPES,
        references=("CKV_AWS_286",),
        related_types=tokens.IAM_ROLE_POLICY
        + tokens.IAM_USER_POLICY
        + tokens.IAM_GROUP_POLICY
        + tokens.IAM_POLICY,
        url="https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
    ),
    build,
    judge,
)

RULES: list[Rule] = [ESCALATION]
