"""The pieces synthesis is built from: value normalization, IAM rendering, outputs, regions, invokes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from awsvalues.regions import availability_zones, partition_of, zone_ids
from inventory import UNKNOWN, Inventory, Provider, Resource
from inventory.invokes import ModelLimitation, Where, answer
from inventory.outputs import Context, compute
from inventory.policydoc import render
from inventory.project import StackConfig
from inventory.values import (
    ARCHIVE_SIG,
    OUTPUT_VALUE_SIG,
    SECRET_SIG,
    SIG_KEY,
    normalize,
    normalize_properties,
)


def test_normalize_unwraps_secrets_and_records_paths() -> None:
    props = {
        "tags": {"owner": "x", "cost-center": {SIG_KEY: SECRET_SIG, "value": "42"}, "a.b": UNKNOWN},
        "rules": [{"x": UNKNOWN}, {"x": 1.0, "y": 2.5}],
        "password": "[secret]",
        "gone": None,
    }
    out = normalize_properties(props)
    assert out.value == {
        "tags": {"owner": "x", "cost-center": "42", "a.b": UNKNOWN},
        "rules": [{"x": UNKNOWN}, {"x": 1, "y": 2.5}],
        "password": "[secret]",
    }
    assert out.secret_paths == {"tags.cost-center", "password"}
    assert out.unknown_paths == {"rules[0].x", 'tags["a.b"]'}


def test_normalize_output_values_archives_and_ciphertext() -> None:
    archive = {SIG_KEY: ARCHIVE_SIG, "path": "./fn"}
    unknown_secret = {SIG_KEY: OUTPUT_VALUE_SIG, "secret": True, "dependencies": []}
    out = normalize(
        {"code": archive, "key": unknown_secret, "c": {SIG_KEY: SECRET_SIG, "ciphertext": "v1:x"}}
    )
    assert out.value == {"code": archive, "key": UNKNOWN, "c": "[secret]"}
    assert out.unknown_paths == {"key"} and out.secret_paths == {"key", "c"}


def test_resource_path_queries() -> None:
    r = Resource(
        "u", "t", "n", True, {}, {}, None, None, [], {}, frozenset({"rules[0].x"}), frozenset({"tags"})
    )
    assert r.is_unknown("rules") and r.is_unknown("rules[0].x") and not r.is_unknown("rulesets")
    assert r.is_secret("tags.owner") and not r.is_secret("tagsAll")


def test_inventory_index_and_region_fallbacks() -> None:
    west = Provider("urn:p", "pulumi:providers:aws", "west", {"region": "us-west-2"}, "id")
    comp = Resource("urn:c", "x:y:Z", "c", False, {}, {}, None, None, [], {}, frozenset(), frozenset())
    mid = Resource(
        "urn:m", "aws:s3/bucket:Bucket", "m", True, {}, {}, "urn:c", west, [], {}, frozenset(), frozenset()
    )
    leaf = Resource(
        "urn:l",
        "aws:s3/bucketPolicy:BucketPolicy",
        "l",
        True,
        {"region": "eu-central-1"},
        {},
        "urn:m",
        None,
        [],
        {},
        frozenset(),
        frozenset(),
    )
    top = Resource(
        "urn:t", "aws:sns/topic:Topic", "t", True, {}, {}, None, None, [], {}, frozenset(), frozenset()
    )
    inv = Inventory(
        "p", "dev", "synthesis", {"aws:region": "ap-south-1"}, [comp, mid, leaf, top], {}, "urn:s"
    )
    assert inv.component_of(leaf) is comp and inv.component_of(top) is None
    assert [r.name for r in inv.custom()] == ["m", "l", "t"]
    assert (inv.region_of(leaf), inv.region_of(mid), inv.region_of(top)) == (
        "eu-central-1",
        "us-west-2",
        "ap-south-1",
    )
    inv.config = {}
    assert inv.region_of(top) == "us-east-1"
    with pytest.raises(KeyError, match="no resource with URN 'urn:x'"):
        inv.by_urn("urn:x")


def test_policy_document_matches_the_provider_rendering() -> None:
    result = render(
        {
            "policyId": "lake",
            "statements": [
                {
                    "sid": "Read",
                    "actions": ["s3:GetObject", "s3:ListBucket", "s3:GetObject"],
                    "resources": ["arn:aws:s3:::b/&{aws:username}/*"],
                    "principals": [
                        {"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]},
                        {"type": "Service", "identifiers": ["b.amazonaws.com", "a.amazonaws.com"]},
                    ],
                    "conditions": [
                        {"test": "StringEquals", "variable": "aws:PrincipalOrgID", "values": ["o-1"]}
                    ],
                },
                {"effect": "Deny", "notActions": ["iam:*"], "notResources": ["*"]},
            ],
        }
    )
    assert json.loads(result["json"]) == {
        "Version": "2012-10-17",
        "Id": "lake",
        "Statement": [
            {
                "Sid": "Read",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetObject"],
                "Resource": "arn:aws:s3:::b/${aws:username}/*",
                "Principal": {
                    "AWS": "arn:aws:iam::1:root",
                    "Service": ["b.amazonaws.com", "a.amazonaws.com"],
                },
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}},
            },
            {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"},
        ],
    }
    assert result["minifiedJson"] == json.dumps(json.loads(result["json"]), separators=(",", ":"))
    assert result["id"].isdigit()


def test_policy_document_merges_source_and_override_documents_by_sid() -> None:
    source = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*"}]}
    )
    override = json.dumps({"Statement": [{"Sid": "B", "Effect": "Deny", "Action": "kms:*", "Resource": "*"}]})
    result = render(
        {
            "sourcePolicyDocuments": [source],
            "overridePolicyDocuments": [override],
            "statements": [{"sid": "B", "actions": ["sqs:SendMessage"], "resources": ["*"]}],
        }
    )
    statements = json.loads(result["minifiedJson"])["Statement"]
    assert statements == [
        {"Sid": "A", "Effect": "Allow", "Action": "s3:*"},
        {"Sid": "B", "Effect": "Deny", "Action": "kms:*", "Resource": "*"},
    ]
    assert "<" not in render({"statements": [{"actions": ["a"], "resources": ["<x>&"]}]})["json"]


def context(token: str, name: str, inputs: dict, region: str = "us-east-1") -> Context:
    return Context(
        token, name, f"urn:pulumi:dev::p::{token}::{name}", inputs, region, "111122223333", "aws", {}
    )


def test_outputs_honour_explicit_names_prefixes_and_fifo() -> None:
    named = compute(context("aws:s3/bucket:Bucket", "Raw", {"bucket": "my-raw"}))
    assert (named.id, named.outputs["arn"]) == ("my-raw", "arn:aws:s3:::my-raw")
    auto = compute(context("aws:s3/bucket:Bucket", "Raw", {}))
    assert auto.checked_inputs["bucket"].startswith("raw-") and len(auto.checked_inputs["bucket"]) == 11
    prefixed = compute(context("aws:iam/role:Role", "r", {"namePrefix": "app-"}))
    assert prefixed.checked_inputs["name"].startswith("app-") and len(prefixed.checked_inputs["name"]) == 30
    fifo = compute(context("aws:sqs/queue:Queue", "jobs", {"fifoQueue": True}, "eu-west-1"))
    assert fifo.checked_inputs["name"].endswith(".fifo")
    assert fifo.id == f"https://sqs.eu-west-1.amazonaws.com/111122223333/{fifo.checked_inputs['name']}"


def test_outputs_per_type_essentials() -> None:
    db = compute(
        context("aws:rds/instance:Instance", "db", {"engine": "mysql", "manageMasterUserPassword": True})
    )
    assert db.outputs["port"] == 3306
    [secret] = db.outputs["masterUserSecrets"]
    assert secret["secretArn"].startswith("arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-")
    vpc = compute(context("aws:ec2/vpc:Vpc", "main", {"cidrBlock": "10.0.0.0/16"}))
    assert vpc.id.startswith("vpc-") and len(vpc.id) == 21
    assert vpc.outputs["arn"] == f"arn:aws:ec2:us-east-1:111122223333:vpc/{vpc.id}"
    assert vpc.outputs["defaultSecurityGroupId"].startswith("sg-")
    assert "name" not in vpc.checked_inputs
    lb = compute(context("aws:lb/loadBalancer:LoadBalancer", "a-very-long-load-balancer-name-indeed", {}))
    assert len(lb.checked_inputs["name"]) <= 32
    assert lb.outputs["dnsName"].endswith(".us-east-1.elb.amazonaws.com")
    role = compute(context("aws:iam/role:Role", "r", {"name": "r", "path": "/svc/"}))
    assert role.outputs["arn"] == "arn:aws:iam::111122223333:role/svc/r" and "region" not in role.outputs
    other = compute(context("aws:mq/broker:Broker", "mq", {}))
    assert other.outputs["arn"].startswith("arn:aws:mq:us-east-1:111122223333:broker/mq-")
    assert "name" not in other.checked_inputs and other.outputs["name"].startswith("mq-")


def test_regions_and_invokes() -> None:
    assert availability_zones("us-west-2") == ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]
    assert zone_ids("ap-southeast-2") == ["apse2-az1", "apse2-az2", "apse2-az3"]
    assert zone_ids("us-gov-west-1")[0] == "usgw1-az1"
    assert partition_of("cn-north-1").name == "aws-cn"
    where = Where("eu-west-1", "111122223333", {"team": "data"})
    assert (
        answer("aws:index/getCallerIdentity:getCallerIdentity", {}, where).value["accountId"]
        == "111122223333"
    )
    zones = answer(
        "aws:index/getAvailabilityZones:getAvailabilityZones", {"excludeNames": ["eu-west-1b"]}, where
    ).value
    assert (zones["names"], zones["zoneIds"]) == (["eu-west-1a", "eu-west-1c"], ["euw1-az1", "euw1-az3"])
    assert answer("aws:index/getRegion:getRegion", {}, where).value["region"] == "eu-west-1"
    assert answer("aws:index/getPartition:getPartition", {}, where).value["dnsSuffix"] == "amazonaws.com"
    assert answer("aws:index/getDefaultTags:getDefaultTags", {}, where).value["tags"] == {"team": "data"}
    parameter = answer("aws:ssm/getParameter:getParameter", {"name": "/x"}, where)
    assert parameter.warning == ""
    assert parameter.value["arn"] == "arn:aws:ssm:eu-west-1:111122223333:parameter/x"
    assert (parameter.value["name"], parameter.value["version"], parameter.value["withDecryption"]) == (
        "/x",
        1,
        False,
    )


def test_invokes_answer_their_result_type_never_echoed_strings() -> None:
    where = Where("us-west-2", "111122223333", {})
    ami = answer("aws:ec2/getAmi:getAmi", {"mostRecent": True, "owners": ["amazon"]}, where).value
    assert ami["id"].startswith("ami-") and len(ami["id"]) == 21 and ami["imageId"] == ami["id"]
    assert ami["mostRecent"] is True and ami["owners"] == ["amazon"] and ami["architecture"] == "x86_64"
    assert ami["includeDeprecated"] is False and ami["tags"] == {} and ami["productCodes"] == []
    wrong_type = answer("aws:ec2/getAmi:getAmi", {"mostRecent": "true"}, where).value
    assert wrong_type["mostRecent"] is False  # an argument of the wrong type is not echoed
    other = answer("aws:ec2/getInstance:getInstance", {"instanceId": "i-0abc"}, where)
    assert "aws:ec2/getInstance:getInstance" in other.warning and "limitation" in other.warning
    assert other.value["instanceId"] == "i-0abc" and other.value["ebsOptimized"] is False
    assert other.value["arn"].startswith("arn:aws:ec2:us-west-2:111122223333:instance/")
    assert other.value["privateIp"].startswith("offline-private-ip-")
    assert None not in other.value.values()
    with pytest.raises(ModelLimitation, match=r"pulumi_nosuchpkg\.GetThingResult"):
        answer("nosuchpkg:index/getThing:getThing", {}, where)


def test_stack_config_display_hides_secrets() -> None:
    config = StackConfig({"p:a": '{"x": 1}', "p:b": "true", "p:s": "[secret]"}, {"p:s"})
    assert config.display() == {"p:a": {"x": 1}, "p:b": "true", "p:s": "[secret]"}


def test_s3_vectors_arns() -> None:
    bucket = compute(context("aws:s3/vectorsVectorBucket:VectorsVectorBucket", "Emb", {}, "eu-west-1"))
    name = bucket.checked_inputs["vectorBucketName"]
    assert name.startswith("emb-") and name == name.lower()
    assert bucket.outputs["vectorBucketArn"] == f"arn:aws:s3vectors:eu-west-1:111122223333:bucket/{name}"
    assert bucket.id == bucket.outputs["vectorBucketArn"] and "arn" not in bucket.outputs
    index = compute(
        context("aws:s3/vectorsIndex:VectorsIndex", "idx", {"vectorBucketName": "docs", "indexName": "v1"})
    )
    assert index.outputs["indexArn"] == "arn:aws:s3vectors:us-east-1:111122223333:bucket/docs/index/v1"


def test_a_fault_inside_the_offline_model_is_classified_as_the_tools(tmp_path: Path) -> None:
    from inventory import synth_child, values

    (tmp_path / "__main__.py").write_text("from inventory import values\n\nvalues.config_value(None)\n")
    try:
        exec(compile((tmp_path / "__main__.py").read_text(), str(tmp_path / "__main__.py"), "exec"))
    except TypeError as exc:
        record = synth_child.error_record(exc, str(tmp_path))
    assert values.config_value("[1]") == [1]
    assert (record["category"], record["location"]) == ("model-fault", "__main__.py:3")
    assert record["message"].startswith("TypeError: ")
    program_error = ValueError("bad")
    assert synth_child.error_record(program_error, str(tmp_path))["category"] == "program"


def test_the_fast_stack_capture_gives_the_sdks_source_position() -> None:
    from pulumi.runtime import resource as sdk

    from inventory import sdkspeed

    class Base:
        def __init__(self) -> None:
            self.traces = (sdk._get_stack_trace(), sdkspeed._stack_trace())

    class Middle(Base):
        def __init__(self) -> None:
            super().__init__()

    class Concrete(Middle):
        def __init__(self) -> None:
            super().__init__()

    line = sys._getframe().f_lineno + 1
    full, fast = Concrete().traces
    assert sdk._get_source_position(fast) == sdk._get_source_position(full)
    assert (fast.frames[0].pc.line, fast.frames[0].pc.uri) == (line, Path(__file__).as_uri())
    assert len(fast.frames) == 1 < len(full.frames)


def test_the_unknown_check_without_reference_cycles_answers_like_the_sdks() -> None:
    import gc

    from pulumi.output import Unknown
    from pulumi.runtime import rpc

    from inventory import sdkspeed

    class Filter(dict):  # output types are dicts whose properties may shadow dict methods
        @property
        def values(self) -> list[str]:  # type: ignore[override]
            return self["values"]

    unknown = Unknown()
    shared = {"k": [1, 2], "f": Filter(name="vpc-id", values=["vpc-1"]), "g": Filter(values=[unknown])}
    cases = [None, "x", unknown, [1, {"a": unknown}], {"a": shared, "b": shared}, [[[]]], {"a": [None]}]
    for value in cases:
        assert sdkspeed._contains_unknowns(value) == rpc.contains_unknowns(value)
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        for _ in range(1000):
            sdkspeed._contains_unknowns({"a": [1, {"b": "c"}]})
        assert len(gc.get_objects()) - before < 50
    finally:
        gc.enable()


def _run_coroutine(coroutine: Any) -> Any:
    """Run on a loop of its own, leaving the thread's event loop policy as it was (`asyncio.run` marks it
    set, and later tests build Outputs outside any loop)."""
    import asyncio

    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


def test_lazy_output_properties_resolve_like_the_sdks() -> None:
    """Read before and after resolution, unknown, secret, failed, and a plain attribute (no property)."""

    from pulumi.runtime import rpc

    from inventory import sdkspeed

    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

    class Thing:
        @property
        def early(self) -> Any:
            return self.__dict__.get("early")  # what pulumi.get(self, name) does for a resource

        @property
        def late(self) -> Any:
            return self.__dict__.get("late")

        @property
        def broken(self) -> Any:
            return self.__dict__.get("broken")

    async def state(output: Any, thing: Thing, dep: Thing) -> tuple[Any, ...]:
        try:
            value = await output.future(with_unknowns=True)
        except ValueError as exc:
            return ("failed", str(exc))
        resources = await output.resources()
        names = sorted("thing" if r is thing else "dep" if r is dep else "other" for r in resources)
        return (value, await output.is_known(), await output.is_secret(), names)

    async def run(transfer: Any) -> list[tuple[Any, ...]]:
        thing, dep = Thing(), Thing()
        props = {"id": None, "early": None, "late": None, "broken": None, "plain": None}
        resolvers = transfer(thing, props, True)
        early = thing.early  # read before the registration resolves it
        resolvers["early"]("v", True, True, {dep}, None)
        resolvers["late"](unknown, False, False, None, None)
        resolvers["plain"]({"k": 1}, True, False, None, None)
        resolvers["broken"](None, True, False, None, ValueError("boom"))
        plain = thing.__dict__["plain"]  # a plain attribute is an Output from the start
        outputs = (early, thing.late, plain, thing.broken)
        return [await state(output, thing, dep) for output in outputs] + [sorted(resolvers)]

    ours = _run_coroutine(run(sdkspeed._transfer_properties))
    assert ours == _run_coroutine(run(rpc.transfer_properties))
    assert ours[0] == ("v", True, True, ["dep", "thing"])
    assert ours[1][1] is False and ours[3] == ("failed", "boom")


def test_the_mock_urn_shortcut_gives_the_sdks_urn() -> None:

    from pulumi.runtime import resource as sdk

    from inventory import sdkspeed

    async def both(*args: Any) -> tuple[Any, Any]:
        ours, theirs = sdkspeed._create_urn(*args), sdk.create_urn(*args)
        return await ours.future(), await theirs.future()

    parent = "urn:pulumi:dev::proj::my:component:Thing::parent"
    for args in [("b", "aws:s3/bucket:Bucket", None, "proj", "dev"), ("b", "aws:s3/bucket:Bucket", parent)]:
        ours, theirs = _run_coroutine(both(*args))
        assert ours == theirs


def test_serializing_without_top_level_nones_gives_the_sdks_struct() -> None:

    from pulumi.runtime import rpc

    from inventory import sdkspeed

    inputs: dict[str, Any] = {"a": None, "b": "x", "c": {"d": None, "e": [1, None]}, "f": [], "g": None}

    async def both() -> tuple[Any, ...]:
        ours_deps: dict[str, Any] = {}
        theirs_deps: dict[str, Any] = {}
        ours = await sdkspeed._serialize_properties(inputs, ours_deps)
        theirs = await rpc.serialize_properties(inputs, theirs_deps)
        return ours, theirs, ours_deps, theirs_deps

    ours, theirs, ours_deps, theirs_deps = _run_coroutine(both())
    assert ours == theirs and ours_deps == theirs_deps == {"b": [], "c": [], "f": []}


def test_type_unwrapping_is_remembered_per_annotation_object() -> None:
    import typing

    import pulumi
    from pulumi import _types

    from inventory import sdkspeed

    calls: list[Any] = []

    def counted(annotation: Any) -> Any:
        calls.append(annotation)
        return _types.unwrap_type(annotation)

    unwrap = sdkspeed._by_identity(counted)
    # the forms the generated SDK writes
    annotations = [typing.Optional[pulumi.Input[str]], pulumi.Input[int], typing.Union[int, str]]  # noqa: UP007, UP045
    for annotation in annotations * 2:
        assert unwrap(annotation) == _types.unwrap_type(annotation)
    assert calls == annotations


def test_the_inline_executor_uses_threads_once_a_transform_is_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from pulumi.runtime._callbacks import _CallbackServicer

    from inventory import sdkspeed

    executor = sdkspeed.InlineExecutor(max_workers=1)
    here = threading.get_ident()
    assert executor.submit(threading.get_ident).result() == here
    failed = executor.submit(int, "x")
    assert isinstance(failed.exception(), ValueError)

    class Registered:
        _callbacks = {"token": object()}

    monkeypatch.setattr(_CallbackServicer, "_servicers", [Registered()])
    assert executor.submit(threading.get_ident).result() != here
    executor.shutdown()


def test_output_conversion_on_first_read_gives_the_sdks_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real resource class, outputs with a nested output type, a secret, an unknown, a null and a missing
    property, read before and after the registration answers: the same Outputs as the SDK's."""
    import pulumi_aws as aws
    from google.protobuf import struct_pb2
    from pulumi.runtime import rpc, settings

    from inventory import sdkspeed

    monkeypatch.setattr(settings, "is_dry_run", lambda: True)
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "owner"}
    answer = struct_pb2.Struct()
    answer.update(
        {
            "bucket": "lake",
            "versioningConfiguration": {"status": "Enabled", "mfaDelete": "Disabled"},
            "expectedBucketOwner": secret,
            "mfa": unknown,
            "region": None,
        }
    )
    names = ["bucket", "versioning_configuration", "expected_bucket_owner", "mfa", "region", "missing"]

    async def run(transfer: Any, resolve_outputs: Any) -> list[Any]:
        res = object.__new__(aws.s3.BucketVersioning)
        res.__dict__["_name"] = "v"
        resolvers = transfer(res, dict.fromkeys(names), True)
        early = res.bucket  # read before the answer
        resolve_outputs(res, struct_pb2.Struct(), answer, {"bucket": {res}}, resolvers, True, True, True)
        outputs = [early] + [res.__dict__.get(name) for name in names[1:]]
        seen = []
        for output in outputs:
            value = await output.future(with_unknowns=True)
            value = vars(value) if hasattr(value, "__dict__") and not isinstance(value, dict) else value
            seen.append(
                (value, await output.is_known(), await output.is_secret(), len(await output.resources()))
            )
        return seen

    ours = _run_coroutine(run(sdkspeed._transfer_properties, sdkspeed._resolve_outputs))
    assert ours == _run_coroutine(run(rpc.transfer_properties, rpc.resolve_outputs))
    assert ours[0] == ("lake", True, False, 1) and ours[2][2] is True and ours[3][1] is False
