"""Every rule fixture (tests/policies/fixtures/) through the real analyzer path: the real pack served by
`python -m pulumi.policy`, driven by the session, must give the exact pass / fail / not-applicable sets the
fixtures name (the same sets the in-process tests assert).

Fixture format (shared with tests/policies/rules/harness.py): `POLICY` and `CASES` rows
`(name, type, props, expected[, {"provider": props, "protect": bool}])`; in props "@ref:<name>" is an
unknown value with a property dependency on that resource, "@id:<name>" is that resource's id `<name>-id`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packs import ROOT

from inventory.model import Inventory, Provider, Resource
from policies.analyzer import PolicySession
from policies.marshal import UNKNOWN
from policies.results import PolicyResult

pytestmark = pytest.mark.slow

FIXTURES = ROOT / "tests" / "policies" / "fixtures"
PROJECT, STACK = "fixtures", "test"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
SDK_UNKNOWN = "could not be evaluated: "


@dataclass(frozen=True)
class Fixture:
    policy: str
    cases: list[tuple[Any, ...]]

    def expected(self, kind: str) -> set[str]:
        return {row[0] for row in self.cases if row[3] == kind}


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.py") if not p.name.startswith("_"))


def load(path: Path) -> Fixture:
    spec = importlib.util.spec_from_file_location(f"grpc_fixture_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Fixture(module.POLICY, [tuple(row) for row in module.CASES])


def urn_of(name: str, type_: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def fixture_inventory(fixture: Fixture) -> Inventory:
    urns = {row[0]: urn_of(row[0], row[1]) for row in fixture.cases}
    text = repr([row[2] for row in fixture.cases])
    resources = []
    for row in fixture.cases:
        name, type_, props = row[0], row[1], row[2]
        deps: dict[str, list[str]] = {}
        unknown: set[str] = set()
        inputs = {
            key: resolve(value, key, urns, deps.setdefault(key, []), unknown) for key, value in props.items()
        }
        if f"'@id:{name}'" in text:
            inputs["id"] = f"{name}-id"
        options = row[4] if len(row) > 4 else {}
        provider = None
        if options.get("provider") is not None:
            provider = Provider(
                urn_of("default", "pulumi:providers:aws"),
                "pulumi:providers:aws",
                "default",
                options["provider"],
            )
        property_dependencies = {k: sorted(set(v)) for k, v in deps.items() if v}
        resources.append(
            Resource(
                urn=urns[name],
                type=type_,
                name=name,
                custom=True,
                inputs=inputs,
                outputs={},
                parent=None,
                provider=provider,
                dependencies=sorted({u for v in property_dependencies.values() for u in v}),
                property_dependencies=property_dependencies,
                unknown_paths=frozenset(unknown),
                secret_paths=frozenset(),
                protect=bool(options.get("protect")),
            )
        )
    providers = {r.provider.urn: r.provider for r in resources if r.provider}
    return Inventory(PROJECT, STACK, "synthesis", {}, resources, providers, STACK_URN)


def resolve(value: Any, path: str, urns: dict[str, str], deps: list[str], unknown: set[str]) -> Any:
    if isinstance(value, str) and value.startswith("@ref:"):
        deps.append(urns[value[5:]])
        unknown.add(path)
        return UNKNOWN
    if isinstance(value, str) and value.startswith("@id:"):
        return f"{value[4:]}-id"
    if value == UNKNOWN:
        unknown.add(path)
    if isinstance(value, dict):
        return {k: resolve(v, f'{path}["{k}"]', urns, deps, unknown) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, f"{path}[{i}]", urns, deps, unknown) for i, v in enumerate(value)]
    return value


@dataclass
class Outcome:
    failed: set[str]
    na: set[str]
    sdk_unknown: list[str]
    stack_messages: list[str]


def outcome(fixture: Fixture, result: PolicyResult) -> Outcome:
    names = {urn_of(row[0], row[1]): row[0] for row in fixture.cases}
    mine = [v for v in result.violations if v.policy == fixture.policy]
    skipped = [n for n in result.not_applicable if n.policy == fixture.policy]
    na: set[str] = set()
    for entry in skipped:
        if entry.urn in names:
            na.add(names[entry.urn])
        else:  # a stack rule lists its subjects one per line: "<name> (<urn>): <reason>"
            na |= {
                name
                for urn, name in names.items()
                for line in entry.reason.splitlines()
                if f"({urn}): " in line
            }
    return Outcome(
        failed={names[v.urn] for v in mine if v.urn in names},
        na=na,
        sdk_unknown=[n.reason for n in skipped if n.reason.startswith(SDK_UNKNOWN)],
        stack_messages=[v.message for v in mine if v.urn not in names],
    )


@pytest.fixture(scope="module")
def session() -> Iterator[PolicySession]:
    with PolicySession(project=PROJECT, stack=STACK, policy_config={}) as running:
        yield running


@pytest.mark.parametrize("path", fixture_files(), ids=lambda path: path.stem)
def test_fixture_outcomes_are_exact_over_grpc(session: PolicySession, path: Path) -> None:
    fixture = load(path)
    session.reconfigure({"all": "disabled", fixture.policy: "mandatory"})
    result = session.check(fixture_inventory(fixture))
    found = outcome(fixture, result)
    judged = {row[0] for row in fixture.cases if row[3] is not None}
    assert found.sdk_unknown == []
    assert found.stack_messages == []
    assert found.failed == fixture.expected("fail")
    assert found.na == fixture.expected("na")
    assert judged - found.failed - found.na == fixture.expected("pass")


def test_the_real_pack_describes_every_registered_rule_over_the_wire(session: PolicySession) -> None:
    from policies.registry import PACK_NAME, PACK_VERSION, all_policies

    assert session.info is not None
    served = {p.name: p for p in session.info.policies}
    registered = all_policies()
    assert (session.info.name, session.info.version) == (PACK_NAME, PACK_VERSION)
    assert set(served) == {meta.name for meta in registered}
    for meta in registered:
        policy = served[meta.name]
        assert (policy.description, policy.severity, policy.policy_type) == (
            meta.description,
            meta.severity,
            meta.kind,
        )
        assert policy.remediation == meta.remediation
        assert policy.url == (meta.url or "")
