"""Runs fixture resources through the pack's rules via pulumi-policy's own analyzer servicer (no gRPC socket).

Fixture files (tests/policies/fixtures/<policy>.py) are plain data: `POLICY` (a policy name) and `CASES`, a
list of `(name, type, props, expected)` or `(name, type, props, expected, options)` tuples where `expected`
is "pass", "fail", "na" (not-applicable: unknown, waived, cannot judge) or None (context resource the policy
does not judge) and `options` may hold `{"provider": {...provider props...}}` and `{"protect": True}` (the
`protect` resource option). Inside props, the string
"@ref:<name>" references another fixture resource the way a preview does (the value is unknown, the engine's
property dependency names the target); "@id:<name>" references it by value (the target gets `id` "<name>-id",
no property dependency).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from policies.metadata import PACK_NAME, PACK_VERSION
from policies.registry import all_rules
from policies.rules.framework import ResourceRule, split_not_applicable
from policies.rules.props import UNKNOWN_SENTINELS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
assert UNKNOWN in UNKNOWN_SENTINELS
PROJECT, STACK = "fixtures", "test"


@dataclass(frozen=True)
class Case:
    name: str
    type: str
    props: Mapping[str, Any]
    expected: str | None
    provider: Mapping[str, Any] | None = None
    protect: bool = False


@dataclass
class Outcome:
    failed: set[str] = field(default_factory=set)
    na: dict[str, str] = field(default_factory=dict)
    judged: set[str] = field(default_factory=set)
    messages: dict[str, list[str]] = field(default_factory=dict)
    stack_messages: list[str] = field(default_factory=list)
    sdk_unknown: list[str] = field(default_factory=list)

    @property
    def passed(self) -> set[str]:
        return self.judged - self.failed - set(self.na)


def urn_of(name: str, type_: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def _case(row: tuple[Any, ...]) -> Case:
    name, type_, props, expected = row[:4]
    options = row[4] if len(row) > 4 else {}
    return Case(name, type_, props, expected, options.get("provider"), bool(options.get("protect")))


def load(path: Path) -> tuple[str, list[Case]]:
    spec = importlib.util.spec_from_file_location(f"fixture_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = [_case(row) for row in module.CASES]
    return module.POLICY, cases


def fixture_files() -> list[Path]:
    return sorted(path for path in FIXTURES.glob("*.py") if not path.name.startswith("_"))


def _resolve(value: Any, urns: Mapping[str, str], deps: set[str]) -> Any:
    if isinstance(value, str) and value.startswith("@ref:"):
        deps.add(urns[value[5:]])
        return UNKNOWN
    if isinstance(value, str) and value.startswith("@id:"):
        assert value[4:] in urns, value
        return f"{value[4:]}-id"
    if isinstance(value, Mapping):
        return {key: _resolve(item, urns, deps) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, urns, deps) for item in value]
    return value


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(values))
    return struct


def _referenced_by_id(cases: Iterable[Case]) -> set[str]:
    text = repr([case.props for case in cases])
    return {case.name for case in cases if f"'@id:{case.name}'" in text}


def resources(cases: list[Case]) -> list[proto.AnalyzerResource]:
    urns = {case.name: urn_of(case.name, case.type) for case in cases}
    by_id = _referenced_by_id(cases)
    out = []
    for case in cases:
        props: dict[str, Any] = {}
        property_dependencies = {}
        for key, value in case.props.items():
            deps: set[str] = set()
            props[key] = _resolve(value, urns, deps)
            if deps:
                property_dependencies[key] = proto.AnalyzerPropertyDependencies(urns=sorted(deps))
        if case.name in by_id:
            props["id"] = f"{case.name}-id"
        resource = proto.AnalyzerResource(
            type=case.type,
            urn=urns[case.name],
            name=case.name,
            properties=_struct(props),
            dependencies=sorted({urn for deps in property_dependencies.values() for urn in deps.urns}),
            propertyDependencies=property_dependencies,
        )
        if case.provider is not None:
            resource.provider.CopyFrom(_provider(case.provider))
        resource.options.CopyFrom(proto.AnalyzerResourceOptions(protect=case.protect))
        out.append(resource)
    return out


def _provider(props: Mapping[str, Any]) -> proto.AnalyzerProviderResource:
    return proto.AnalyzerProviderResource(
        type="pulumi:providers:aws",
        urn=urn_of("default", "pulumi:providers:aws"),
        name="default",
        properties=_struct(props),
    )


def servicer(policy_name: str, config: Mapping[str, Any] | None = None) -> _PolicyAnalyzerServicer:
    rules = [rule for rule in all_rules() if rule.meta.name == policy_name]
    assert rules, f"no rule {policy_name}"
    analyzer = _PolicyAnalyzerServicer(
        PACK_NAME, PACK_VERSION, [rules[0].policy()], EnforcementLevel.MANDATORY
    )
    if config is not None:
        request = proto.ConfigureAnalyzerRequest()
        request.policyConfig[policy_name].properties.update(dict(config))
        request.policyConfig[policy_name].enforcementLevel = proto.MANDATORY
        analyzer.Configure(request, None)
    return analyzer


def _record(outcome: Outcome, response: Any, names: Mapping[str, str], subject: str | None) -> None:
    for diagnostic in response.diagnostics:
        message = diagnostic.message.split("\n", 1)[-1]
        if diagnostic.message.startswith("can't run policy"):
            outcome.sdk_unknown.append(diagnostic.message)
            continue
        name = names.get(diagnostic.urn) if diagnostic.urn else subject
        if name is None:
            outcome.stack_messages.append(message)
            continue
        outcome.failed.add(name)
        outcome.messages.setdefault(name, []).append(message)
    for entry in response.not_applicable:
        if subject is not None:
            outcome.na[subject] = entry.reason
            continue
        for urn, reason in split_not_applicable(entry.reason):
            outcome.na[names.get(urn or "", "stack")] = reason


def analyze(policy_name: str, cases: list[Case], config: Mapping[str, Any] | None = None) -> Outcome:
    rule = next(rule for rule in all_rules() if rule.meta.name == policy_name)
    analyzer = servicer(policy_name, config)
    requests = resources(cases)
    names = {request.urn: request.name for request in requests}
    outcome = Outcome(judged={case.name for case in cases if case.type in rule.meta.resource_types})
    if isinstance(rule, ResourceRule):
        for request in requests:
            single = proto.AnalyzeRequest(
                type=request.type, urn=request.urn, name=request.name, properties=request.properties
            )
            if request.HasField("provider"):
                single.provider.CopyFrom(request.provider)
            single.options.CopyFrom(request.options)
            _record(outcome, analyzer.Analyze(single, None), names, request.name)
    else:
        _record(
            outcome, analyzer.AnalyzeStack(proto.AnalyzeStackRequest(resources=requests), None), names, None
        )
    return outcome
