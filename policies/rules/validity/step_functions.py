"""Step Functions definitions: valid Amazon States Language (statelint) and service-integration Resources.

statelint (a maintained Python port of AWS's own Ruby statelint) checks the language: `StartAt`, every
`Next` naming a state, terminal states, fields per state type. A `Resource` of the form
`arn:aws:states:::<service>:<api><suffix>` must name an integration suffix Step Functions defines and an API
the service's botocore model has (`data/sfn_integrations.json` cites the integration table).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.framework import Rule, Settings
from policies.rules.props import Unknown, View, as_map, is_unknown
from policies.rules.validity import botocore_models
from policies.rules.validity.common import document_rule, rejected
from policies.rules.validity.iam_defs import read_data

_INTEGRATION = re.compile(r"^arn:aws[\w-]*:states:::(?P<body>.+)$")
_SUFFIX = re.compile(r"^(?P<action>[^.]+?)(?P<suffix>\.[\w:]+)?$")


@cache
def _table() -> dict[str, Any]:
    return read_data("sfn_integrations.json")


def _tasks(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(where, Resource) of every Task state, also inside Parallel branches and Map processors."""
    if isinstance(value, Mapping):
        resource = value.get("Resource")
        if value.get("Type") == "Task" and isinstance(resource, str) and not is_unknown(resource):
            yield where, resource
        for key, item in value.items():
            yield from _tasks(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _tasks(item, f"{where}[{index}]")


@cache
def _without_hyphens() -> dict[str, str]:
    """botocore service names keyed as AWS SDK clients name them (`emr-containers` -> `emrcontainers`)."""
    return {name.replace("-", ""): name for name in botocore_models.available()}


def _sdk(where: str, service: str, api: str, suffix: str) -> Iterator[str]:
    table = _table()
    if suffix not in table["sdk_suffixes"]:
        yield f"{where}: AWS SDK integrations do not support `{suffix}` (only `.waitForTaskToken`)."
    name = table["sdk_service_aliases"].get(service) or _without_hyphens().get(service, service)
    if botocore_models.service(name) is None:
        yield f"{where}: `aws-sdk:{service}` names no AWS service botocore knows."
    elif botocore_models.operation(name, api) is None:
        yield f"{where}: `{service}` has no API `{api}`."


def _optimized(where: str, service: str, api: str, suffix: str) -> Iterator[str]:
    table = _table()
    models = table["services"].get(service)
    if models is None:
        yield f"{where}: `{service}` is no optimized integration (use `aws-sdk:{service}:...`)."
        return
    if suffix not in table["suffixes"]:
        known = ", ".join(s for s in table["suffixes"] if s)
        yield f"{where}: `{suffix}` is not an integration suffix ({known})."
    if f"{service}:{api}" in table["pseudo_actions"]:
        return
    if not any(botocore_models.operation(model, api) for model in models):
        yield f"{where}: `{service}` has no API `{api}` in botocore's model ({', '.join(models) or 'none'})."


def judge_resource(where: str, resource: str) -> Iterator[str]:
    match = _INTEGRATION.match(resource)
    if match is None:
        return
    parts = match["body"].split(":")
    sdk = parts[0] == "aws-sdk"
    service, rest = (parts[1], ":".join(parts[2:])) if sdk else (parts[0], ":".join(parts[1:]))
    action = _SUFFIX.match(rest)
    if not service or action is None:
        yield f"{where}: `{resource}` is not `arn:aws:states:::<service>:<api>[.suffix]`."
        return
    suffix = action["suffix"] or ""
    judge = _sdk if sdk else _optimized
    yield from judge(f"{where}.Resource `{resource}`", service, action["action"], suffix)


def _definition(view: View) -> Iterator[str]:
    if not view.has("definition"):
        yield "`definition` is not set; a state machine needs an Amazon States Language definition."
        return
    definition = as_map(view.json_("definition"), "definition")
    if _has_unknown(definition):
        raise Unknown("definition")
    from statelint.linter import Linter  # first use only: the pack starts without it

    for problem in Linter.validate(dict(definition)):
        yield f"definition: {problem}."
    for where, resource in _tasks(definition.get("States"), "States"):
        yield from judge_resource(where, resource)


def _has_unknown(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_unknown(item) for item in value)
    return is_unknown(value)


def _valid(view: View, _settings: Settings) -> Iterator[str]:
    yield from rejected(_definition(view))


VALID = document_rule(
    RuleMeta(
        name="aws-sfn-definition-valid",
        area="validity",
        description="State machine definitions are valid Amazon States Language with existing integrations.",
        severity="high",
        rationale=(
            "A definition without `StartAt`, with a `Next` to a missing state or an integration Resource "
            "naming an API that does not exist is rejected only at `pulumi up` (CreateStateMachine) or fails "
            "at run time. Judged by statelint and botocore's service models."
        ),
        remediation=(
            "Fix the named state or field; integration Resources are `arn:aws:states:::<service>:<api>` with "
            "`.sync`, `.sync:2` or `.waitForTaskToken` where the integration supports it."
        ),
        kind="stack",
        resource_types=tokens.STATE_MACHINE,
        url="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html",
    ),
    _valid,
)

RULES: list[Rule] = [VALID]
