"""IAM policy documents: finding them on resources and parsing them into statements.

A document may be a JSON string or an already-decoded object; `Statement` may be one object or a list;
`Action`, `Resource` and principals may be a string or a list. Unknown resources and principals (ARNs
computed during preview) are kept as the placeholder `COMPUTED` — they are specific ARNs, never `*` — while
an unknown action list or document makes the document unevaluable (`Unknown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policies.rules import iam_managed, tokens
from policies.rules.props import (
    Malformed,
    Unknown,
    View,
    as_json,
    as_list,
    as_map,
    as_str,
    is_unknown,
    join_path,
    strings,
)

COMPUTED = "<computed>"
ACCOUNT_PRINCIPAL = re.compile(r"^(\d{12}|arn:aws[\w-]*:iam::\d{12}:root)$")

# Elastic Load Balancing's access-log writer accounts (regions opened before August 2022), which a log
# bucket's policy must name as `arn:aws:iam::<account>:root` - AWS's documented pattern, not a grant to a
# customer account.
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
ELB_LOG_ACCOUNTS = frozenset(
    {
        "127311923021",
        "033677994240",
        "027434742980",
        "797873946194",
        "098369216593",
        "754344448648",
        "589379963580",
        "718504428378",
        "383597477331",
        "600734575887",
        "114774131450",
        "783225319266",
        "582318560864",
        "985666609251",
        "054676820928",
        "156460612806",
        "652711504416",
        "635631232127",
        "009996457667",
        "897822967062",
        "076674570225",
        "507241528517",
        "048591011584",
        "190560391635",
    }
)

# Condition keys that narrow who can use a grant to a known caller, source or organization.
RESTRICTING_CONDITION_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:SourceArn",
        "aws:SourceAccount",
        "aws:SourceOwner",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceIp",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:PrincipalArn",
        "aws:PrincipalAccount",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalServiceName",
        "aws:userid",
        "aws:username",
        "sts:ExternalId",
        "kms:CallerAccount",
        "kms:ViaService",
        "lambda:FunctionArn",
    )
)


@dataclass(frozen=True)
class Document:
    kind: str  # "identity" | "trust" | "resource"
    where: str  # property path, e.g. "inlinePolicies[0].policy"
    value: Any
    service: str = ""  # for resource policies: "s3", "kms", ...


@dataclass(frozen=True)
class Statement:
    where: str
    effect: str
    actions: tuple[str, ...]
    not_actions: bool
    resources: tuple[str, ...]
    not_resources: bool
    principals: tuple[tuple[str, str], ...]  # (kind, value): ("*", "*"), ("AWS", arn), ("Service", name), ...
    not_principals: bool
    conditions: Mapping[str, Any]

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    def restricted(self) -> bool:
        """Has a condition that narrows the caller or source (not just e.g. aws:SecureTransport)."""
        for operator in self.conditions.values():
            if not isinstance(operator, Mapping):
                continue
            for key in operator:
                lowered = str(key).lower()
                if lowered in RESTRICTING_CONDITION_KEYS or lowered.endswith((":sub", ":aud")):
                    return True
        return False


def _lenient(value: Any, where: str) -> tuple[str, ...]:
    """Resources/principals: unknown members are computed ARNs, not wildcards."""
    items = value if isinstance(value, list) else [value] if value is not None else []
    return tuple(COMPUTED if is_unknown(item) else as_str(item, where) or "" for item in items)


def _principals(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if is_unknown(value):
        return (("AWS", COMPUTED),)
    if isinstance(value, str):
        return (("*", "*"),) if value == "*" else (("AWS", value),)
    mapping = as_map(value, where)
    return tuple(
        ("*", "*") if item == "*" and kind == "AWS" else (kind, item)
        for kind, items in mapping.items()
        for item in _lenient(items, f"{where}.{kind}")
    )


EFFECTS = ("Allow", "Deny")


def _actions(value: Any, where: str) -> tuple[str, ...]:
    """`Action`/`NotAction`: action names only; a number (or NaN) is no action IAM would accept."""
    items = value if isinstance(value, list) else [value] if value is not None else []
    for index, item in enumerate(items):
        if not isinstance(item, str) and not is_unknown(item):
            raise Malformed(join_path(where, index), "an action name string", item, shown=repr(item)[:40])
    return tuple(strings(value, where))


def _statement(raw: Any, where: str) -> Statement:
    body = as_map(raw, where)
    sid = body.get("Sid")
    label = f"{where} ({sid})" if isinstance(sid, str) and sid else where
    effect = body.get("Effect")
    if is_unknown(effect):
        raise Unknown(f"{label}.Effect")
    if effect not in EFFECTS:
        shown = "no Effect" if effect is None else repr(effect)[:40]
        raise Malformed(f"{label}.Effect", '"Allow" or "Deny" (IAM is case-sensitive)', effect, shown=shown)
    action_key = "NotAction" if "NotAction" in body else "Action"
    resource_key = "NotResource" if "NotResource" in body else "Resource"
    principal_key = "NotPrincipal" if "NotPrincipal" in body else "Principal"
    conditions = body.get("Condition")
    if is_unknown(conditions):
        conditions = {"<computed>": {"aws:SourceArn": COMPUTED}}
    return Statement(
        where=label,
        effect=effect,
        actions=_actions(body.get(action_key), f"{label}.{action_key}"),
        not_actions=action_key == "NotAction",
        resources=_lenient(body.get(resource_key), f"{label}.{resource_key}"),
        not_resources=resource_key == "NotResource",
        principals=_principals(body.get(principal_key), f"{label}.{principal_key}"),
        not_principals=principal_key == "NotPrincipal",
        conditions=as_map(conditions, f"{label}.Condition"),
    )


def statements(document: Document) -> list[Statement]:
    """The statements of a document; `Malformed` for invalid JSON or shapes, `Unknown` when not known yet."""
    if is_unknown(document.value):
        raise Unknown(document.where)
    decoded = as_json(document.value, document.where)
    if decoded is None:
        return []
    body = as_map(decoded, document.where)
    raw = body.get("Statement")
    if is_unknown(raw):
        raise Unknown(f"{document.where}.Statement")
    return [
        _statement(item, f"{document.where}.Statement[{i}]")
        for i, item in enumerate(as_list(raw, "Statement"))
    ]


_RESOURCE_POLICY_TYPES: dict[str, str] = {
    **dict.fromkeys(tokens.S3_BUCKET_POLICY + tokens.S3_BUCKETS, "s3"),
    **dict.fromkeys(tokens.SNS_TOPIC_POLICY + tokens.SNS_TOPIC, "sns"),
    **dict.fromkeys(tokens.SQS_QUEUE_POLICY + tokens.SQS_QUEUE, "sqs"),
    **dict.fromkeys(tokens.KMS_KEY + tokens.KMS_KEY_POLICY, "kms"),
    **dict.fromkeys(tokens.ECR_REPOSITORY_POLICY, "ecr"),
    **dict.fromkeys(tokens.SECRET_POLICY + tokens.SECRET, "secretsmanager"),
    **dict.fromkeys(tokens.EVENT_BUS_POLICY, "events"),
}
IDENTITY_POLICY_TYPES = (
    tokens.IAM_POLICY + tokens.IAM_ROLE_POLICY + tokens.IAM_USER_POLICY + tokens.IAM_GROUP_POLICY
)
RESOURCE_POLICY_TYPES = tuple(_RESOURCE_POLICY_TYPES)
DOCUMENT_TYPES = tokens.IAM_ROLE + IDENTITY_POLICY_TYPES + RESOURCE_POLICY_TYPES
# Resources that attach policies by ARN: one `policyArn`, or a `policyArns` list (pulumi-aws 7's exclusive
# attachments); a Role's own `managedPolicyArns` too.
SINGLE_ATTACHMENT_TYPES = (
    tokens.IAM_ROLE_POLICY_ATTACHMENT
    + tokens.IAM_USER_POLICY_ATTACHMENT
    + tokens.IAM_GROUP_POLICY_ATTACHMENT
    + tokens.IAM_POLICY_ATTACHMENT
)
EXCLUSIVE_ATTACHMENT_TYPES = (
    tokens.IAM_ROLE_ATTACHMENTS_EXCLUSIVE
    + tokens.IAM_USER_ATTACHMENTS_EXCLUSIVE
    + tokens.IAM_GROUP_ATTACHMENTS_EXCLUSIVE
)
ATTACHMENT_TYPES = SINGLE_ATTACHMENT_TYPES + EXCLUSIVE_ATTACHMENT_TYPES
# What the least-privilege rules judge: the documents resources carry, and AWS managed policies they attach.
GRANT_TYPES = DOCUMENT_TYPES + ATTACHMENT_TYPES


def documents(view: View) -> Iterator[Document]:
    """The policy documents a resource carries (identity, trust or resource policies)."""
    if view.type in tokens.IAM_ROLE:
        if view.has("assumeRolePolicy"):
            yield Document("trust", "assumeRolePolicy", view.props.get("assumeRolePolicy"))
        for index, inline in enumerate(view.list_("inlinePolicies")):
            where = f"inlinePolicies[{index}]"
            value = as_map(inline, where).get("policy")
            if value is not None:
                yield Document("identity", f"{where}.policy", value)
    elif view.type in IDENTITY_POLICY_TYPES:
        yield Document("identity", "policy", view.props.get("policy"))
    elif view.type in _RESOURCE_POLICY_TYPES and view.props.get("policy") is not None:
        yield Document("resource", "policy", view.props.get("policy"), _RESOURCE_POLICY_TYPES[view.type])


def attached_arns(view: View) -> list[tuple[str, str]]:
    """(property path, ARN) of each policy a Role, attachment or exclusive attachment attaches by ARN; unknown
    ARNs (computed during preview) are left out."""
    if view.type in tokens.IAM_ROLE:
        pairs = [(f"managedPolicyArns[{i}]", arn) for i, arn in enumerate(view.list_("managedPolicyArns"))]
    elif view.type in EXCLUSIVE_ATTACHMENT_TYPES:
        pairs = [(f"policyArns[{i}]", arn) for i, arn in enumerate(view.list_("policyArns"))]
    elif view.type in SINGLE_ATTACHMENT_TYPES:
        pairs = [("policyArn", view.props.get("policyArn"))]
    else:
        pairs = []
    return [(where, as_str(arn, where) or "") for where, arn in pairs if not is_unknown(arn)]


def managed_documents(view: View) -> Iterator[Document]:
    """The documents of the AWS managed policies a resource attaches, as far as the dataset knows them."""
    for where, arn in attached_arns(view):
        policy = iam_managed.lookup(arn)
        if policy is not None:
            label = f"{where} (AWS managed {policy.name} {policy.version})"
            yield Document("identity", label, policy.document)


def granted_documents(view: View) -> Iterator[Document]:
    """What a resource grants: the documents it carries and the AWS managed policies it attaches."""
    yield from documents(view)
    yield from managed_documents(view)


def is_public(principals: tuple[tuple[str, str], ...]) -> bool:
    return any(kind == "*" or value == "*" for kind, value in principals)


def account_wide(principals: tuple[tuple[str, str], ...]) -> list[str]:
    return [value for kind, value in principals if kind == "AWS" and ACCOUNT_PRINCIPAL.match(value)]


def is_elb_log_delivery(statement: Statement, principal: str) -> bool:
    """The ELB log-writer account granted only s3:PutObject (the documented access-log bucket statement)."""
    account = principal.split(":")[4] if principal.startswith("arn:") else principal
    return account in ELB_LOG_ACCOUNTS and {a.lower() for a in statement.actions} == {"s3:putobject"}
