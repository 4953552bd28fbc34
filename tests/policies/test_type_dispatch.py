"""`policies.type_dispatch` in process: it installs only over the pinned SDK code, each `Analyze` call runs
only the resource rules of the request's type (and every policy that is not a resource rule), `AnalyzeStack`
leaves out the join rules without a subject in the stack, and the answers are the plain servicer's for every
rule fixture. (Over gRPC, with the cache too, for every fixture and our stacks: test_servicer_cache_grpc.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel
from pulumi_policy import policy as sdk

from policies import servicer_cache, type_dispatch
from policies.registry import PACK_NAME, PACK_VERSION, all_rules
from policies.rules.framework import JoinRule, ResourceRule, StackRule


@pytest.fixture
def restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sdk, "_PolicyAnalyzerServicer", sdk._PolicyAnalyzerServicer)


def _servicer(cls: type[Any]) -> Any:
    return cls(PACK_NAME, PACK_VERSION, [rule.policy() for rule in all_rules()], EnforcementLevel.MANDATORY)


def _fixture_requests() -> list[tuple[list[proto.AnalyzeRequest], proto.AnalyzeStackRequest]]:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent / "rules"))
    from harness import fixture_files, load, resources

    out = []
    for path in fixture_files():
        stack = resources(load(path)[1])
        singles = []
        for item in stack:
            single = proto.AnalyzeRequest(
                type=item.type, urn=item.urn, name=item.name, properties=item.properties
            )
            if item.HasField("provider"):
                single.provider.CopyFrom(item.provider)
            singles.append(single)
        out.append((singles, proto.AnalyzeStackRequest(resources=stack)))
    return out


def _answers(servicer: Any, requests: list[tuple[list[Any], Any]]) -> list[bytes]:
    answers = []
    for singles, stack in requests:
        answers.extend(
            servicer.Analyze(single, None).SerializeToString(deterministic=True) for single in singles
        )
        answers.append(servicer.AnalyzeStack(stack, None).SerializeToString(deterministic=True))
    return answers


def test_dispatch_answers_like_the_plain_servicer_on_every_fixture(restored: None) -> None:
    plain = sdk._PolicyAnalyzerServicer
    assert type_dispatch.install(all_rules())
    dispatching = sdk._PolicyAnalyzerServicer
    assert dispatching is not plain and issubclass(dispatching, plain)
    requests = _fixture_requests()
    assert _answers(_servicer(dispatching), requests) == _answers(_servicer(plain), requests)


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls: dict[str, int] = {}
    for rule in all_rules():
        original: Callable[..., Any] = type(rule).validate

        def spy(self: Any, args: Any, report: Any, _original: Callable[..., Any] = original) -> Any:
            calls[self.meta.name] = calls.get(self.meta.name, 0) + 1
            return _original(self, args, report)

        monkeypatch.setattr(type(rule), "validate", spy)
    return calls


def test_analyze_runs_only_the_rules_of_the_resource_type(
    restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert type_dispatch.install(all_rules())
    calls = _counting(monkeypatch)
    servicer = _servicer(sdk._PolicyAnalyzerServicer)
    servicer.Analyze(proto.AnalyzeRequest(type="aws:efs/fileSystem:FileSystem", urn="urn:x", name="x"), None)
    expected = {
        rule.meta.name
        for rule in all_rules()
        if isinstance(rule, ResourceRule) and "aws:efs/fileSystem:FileSystem" in rule.meta.resource_types
    }
    assert set(calls) == expected and "aws-resource-required-tags" in expected
    assert len(servicer.GetAnalyzerInfo(None, None).policies) == len(all_rules())


def test_analyze_stack_leaves_out_join_rules_without_subjects(
    restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert type_dispatch.install(all_rules())
    calls = _counting(monkeypatch)
    servicer = _servicer(sdk._PolicyAnalyzerServicer)
    efs = proto.AnalyzerResource(type="aws:efs/fileSystem:FileSystem", urn="urn:x", name="x")
    servicer.AnalyzeStack(proto.AnalyzeStackRequest(resources=[efs]), None)
    expected = {
        rule.meta.name
        for rule in all_rules()
        if isinstance(rule, StackRule)
        or (isinstance(rule, JoinRule) and "aws:efs/fileSystem:FileSystem" in rule.meta.resource_types)
    }
    assert (
        set(calls) == expected == {"aws-stack-monthly-budget", "aws-efs-tls-only-policy", "aws-efs-backups"}
    )


def test_a_changed_sdk_is_left_alone(restored: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(servicer_cache.PINNED, "_PolicyAnalyzerServicer.Analyze", "0000000000000000")
    plain = sdk._PolicyAnalyzerServicer
    assert not type_dispatch.install(all_rules())
    assert sdk._PolicyAnalyzerServicer is plain
