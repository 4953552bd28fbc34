"""`policies.servicer_cache` in process: it only installs over the pinned pulumi-policy code, each request is
converted once per call instead of once per policy, stack policies share one stack index per call, and the
answers are those of the SDK's own servicer. (The same comparison over gRPC, for every fixture and our
stacks, is in test_servicer_cache_grpc.py.)
"""

from __future__ import annotations

import dataclasses
import gc
import runpy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2 as pb
from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)
from pulumi_policy import policy as sdk
from pulumi_policy.version import VERSION

from policies import request_scope, servicer_cache
from policies.marshal import UNKNOWN, to_struct
from policies.metadata import POLICIES_DIR
from policies.registry import PACK_NAME, PACK_VERSION, all_rules
from policies.rules import framework, s3_index
from policies.rules.encryption import s3
from policies.rules.framework import JoinRule, ResourceRule

SDK_GLOBALS = ("json_format", "deserialize_properties", "unknown_checking_proxy", "_PolicyAnalyzerServicer")
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


@pytest.fixture
def sdk_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test installs into pulumi_policy.policy is undone afterwards."""
    for name in SDK_GLOBALS:
        monkeypatch.setattr(sdk, name, getattr(sdk, name))


@pytest.fixture
def installed(sdk_restored: None) -> type[Any]:
    assert servicer_cache.install()
    return sdk._PolicyAnalyzerServicer


def test_the_sdk_code_the_cache_relies_on_is_the_pinned_one() -> None:
    """Fails on a pulumi-policy upgrade: re-read the functions named in PINNED, then re-pin them."""
    assert servicer_cache.changed() == []
    assert servicer_cache.PINNED_VERSION == VERSION


def test_a_changed_sdk_is_left_alone_with_a_note_on_stderr(
    sdk_restored: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {name: getattr(sdk, name) for name in SDK_GLOBALS}
    monkeypatch.setitem(servicer_cache.PINNED, "_PolicyAnalyzerServicer.Analyze", "0" * 16)
    assert servicer_cache.install() is False
    assert {name: getattr(sdk, name) for name in SDK_GLOBALS} == before
    assert not servicer_cache.installed()
    assert capsys.readouterr().err == (
        f"policies: pulumi-policy {VERSION} is not the 1.21.0 code the per-request cache was written for "
        "(_PolicyAnalyzerServicer.Analyze changed); running without it, correct but slower.\n"
    )


def test_install_makes_the_pack_build_the_caching_servicer_once(installed: type[Any]) -> None:
    assert installed is servicer_cache.CachingServicer and servicer_cache.installed()
    shims = [getattr(sdk, name) for name in SDK_GLOBALS]
    assert servicer_cache.install() is True
    assert [getattr(sdk, name) for name in SDK_GLOBALS] == shims  # not wrapped twice


class _Served(Exception):
    """Stops PolicyPack right after it registered its servicer, before it binds a port and serves."""


def test_the_pack_as_its_main_assembles_it_serves_through_the_cache(
    sdk_restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[Any] = []

    def register(servicer: Any, _server: Any) -> None:
        served.append(servicer)
        raise _Served

    monkeypatch.setattr(sdk.analyzer_pb2_grpc, "add_AnalyzerServicer_to_server", register)
    monkeypatch.setattr(gc, "freeze", lambda: None)
    with pytest.raises(_Served):
        runpy.run_path(str(POLICIES_DIR / "__main__.py"), run_name="__main__")
    # policies.type_dispatch subclasses the cached servicer (tests/policies/test_type_dispatch.py)
    assert len(served) == 1 and type(served[0]).__mro__[1] is servicer_cache.CachingServicer
    assert len(served[0].GetAnalyzerInfo(None, None).policies) == len(all_rules()) == 197


# --- resource policies ---------------------------------------------------------------------------------


def _probe(name: str, seen: list[tuple[str, ResourceValidationArgs]]) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        seen.append((name, args))
        report(f"{name}: bucket {args.props['bucket']} in {args.provider.props['region']}", None)
        args.props["acl"]  # unknown during preview: the SDK reports it

    return ResourceValidationPolicy(
        name=name,
        description=f"{name} probe",
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
    )


def _request(name: str) -> pb.AnalyzeRequest:
    request = pb.AnalyzeRequest(
        type=BUCKET,
        name=name,
        urn=f"urn:pulumi:dev::proj::{BUCKET}::{name}",
        properties=to_struct(
            {"bucket": name, "acl": UNKNOWN, "tags": {"owner": "data"}},
            unknown_paths=["acl"],
            secret_paths=["tags.owner"],
        ),
        options=pb.AnalyzerResourceOptions(parent="urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev"),
    )
    request.provider.CopyFrom(
        pb.AnalyzerProviderResource(
            type="pulumi:providers:aws",
            urn="urn:pulumi:dev::proj::pulumi:providers:aws::default",
            name="default",
            properties=to_struct({"region": "eu-west-1"}),
        )
    )
    return request


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[object]:
    calls: list[object] = []
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0] if args else None)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_each_analyze_converts_its_request_once_and_answers_as_the_sdk(
    installed: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, ResourceValidationArgs]] = []
    names = [f"probe-{i}" for i in range(5)]
    caching = installed(PACK_NAME, PACK_VERSION, [_probe(n, seen) for n in names], EnforcementLevel.MANDATORY)
    converted = _counting(monkeypatch, json_format, "MessageToDict")
    answers = [caching.Analyze(_request(name), None) for name in ("raw", "curated")]

    assert len(converted) == 3  # props once per call (not once per policy: 10), the one provider once
    assert seen[0][1].provider is seen[5][1].provider  # the same provider, converted for both calls
    for call in (seen[:5], seen[5:]):
        assert [name for name, _ in call] == names
        assert len({id(args.props) for _, args in call}) == 1
        assert len({id(args.provider) for _, args in call}) == 1
        assert len({id(args.opts) for _, args in call}) == 1
    assert seen[0][1].props is not seen[5][1].props  # nothing carried over between calls
    assert {args.props["bucket"] for _, args in seen} == {"raw", "curated"}

    reference = servicer_cache._SdkServicer(
        PACK_NAME, PACK_VERSION, [_probe(n, []) for n in names], EnforcementLevel.MANDATORY
    )
    for answer, name in zip(answers, ("raw", "curated"), strict=True):
        expected = reference.Analyze(_request(name), None)
        assert answer.SerializeToString(deterministic=True) == expected.SerializeToString(deterministic=True)
        assert len(answer.diagnostics) == 10  # 5 violations, 5 "can't run policy ... during preview"


def test_other_callers_of_the_conversions_are_not_memoized(installed: type[Any]) -> None:
    struct = to_struct({"a": {"b": 1}})
    with request_scope.scope():
        assert sdk.json_format.MessageToDict(struct) is sdk.json_format.MessageToDict(struct)
        kept = sdk.json_format.MessageToDict(struct, preserving_proto_field_name=True)
        assert kept is not sdk.json_format.MessageToDict(struct, preserving_proto_field_name=True)
        plain = {"a": 1}
        assert sdk.deserialize_properties(plain) is sdk.deserialize_properties(plain)
        assert sdk.deserialize_properties(plain, True) is not sdk.deserialize_properties(plain, True)
    assert sdk.json_format.MessageToDict(struct) is not sdk.json_format.MessageToDict(struct)
    assert sdk.json_format.Parse is json_format.Parse


def test_resource_rules_build_no_view_for_types_they_do_not_judge(
    installed: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = all_rules()
    caching = installed(PACK_NAME, PACK_VERSION, [r.policy() for r in rules], EnforcementLevel.MANDATORY)
    views = _counting(monkeypatch, framework, "_view_of_args")
    request = _request("pet")
    request.type = "random:index/randomPet:RandomPet"
    caching.Analyze(request, None)
    assert views == []
    caching.Analyze(_request("raw"), None)
    judges_buckets = [r for r in rules if isinstance(r, ResourceRule) and BUCKET in r.meta.resource_types]
    assert len(views) == len(judges_buckets) > 0


# --- stack policies ------------------------------------------------------------------------------------


def _stack_request() -> pb.AnalyzeStackRequest:
    def resource(type_: str, name: str, props: dict[str, Any], deps: list[str] | None = None) -> Any:
        message = pb.AnalyzerResource(
            type=type_, name=name, urn=f"urn:pulumi:dev::proj::{type_}::{name}", properties=to_struct(props)
        )
        if deps:
            message.propertyDependencies["bucket"].urns.extend(deps)
            message.dependencies.extend(deps)
        return message

    encrypted = resource(BUCKET, "encrypted", {})
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "k"}}]
    return pb.AnalyzeStackRequest(
        resources=[
            encrypted,
            resource(SSE, "encrypted-sse", {"bucket": UNKNOWN, "rules": rules}, [encrypted.urn]),
            resource(BUCKET, "plain", {}),
        ]
    )


def _join_rules(build: Callable[..., Any]) -> list[JoinRule[Any]]:
    return [
        JoinRule(dataclasses.replace(s3.RULE.meta, name=f"{s3.RULE.meta.name}-{suffix}"), build, s3.judge)
        for suffix in ("a", "b", "c")
    ]


@pytest.fixture
def stacks_built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    built: list[object] = []

    class CountedStack(framework.Stack):
        def __init__(self, views: Any) -> None:
            built.append(self)
            super().__init__(views)

    monkeypatch.setattr(framework, "Stack", CountedStack)
    yield built


def test_stack_policies_share_one_stack_and_join_index_per_call(
    installed: type[Any], stacks_built: list[object]
) -> None:
    indexed: list[object] = []

    def build(stack: Any) -> s3_index.S3Index:
        indexed.append(stack)
        return s3_index.build(stack)

    policies = [rule.policy() for rule in _join_rules(build)]
    caching = installed(PACK_NAME, PACK_VERSION, policies, EnforcementLevel.MANDATORY)
    first, second = (caching.AnalyzeStack(_stack_request(), None) for _ in range(2))
    assert (len(stacks_built), len(indexed)) == (2, 2)  # once per call, not once per policy (6)
    assert indexed == stacks_built

    reference = servicer_cache._SdkServicer(PACK_NAME, PACK_VERSION, policies, EnforcementLevel.MANDATORY)
    stacks_built.clear()
    expected = reference.AnalyzeStack(_stack_request(), None)
    assert len(stacks_built) == 3  # without the cache, each policy builds its own
    for answer in (first, second):
        assert answer.SerializeToString(deterministic=True) == expected.SerializeToString(deterministic=True)
    assert sorted((d.policyName, d.urn.rsplit("::", 1)[1]) for d in first.diagnostics) == [
        (f"{s3.RULE.meta.name}-{suffix}", "plain") for suffix in ("a", "b", "c")
    ]
