"""Every config error path gives a message naming the stack file, the key and what is allowed.

Each case starts from the valid `Pulumi.dev.yaml`, changes one thing, and asserts the whole message of the
`ConfigError` that `build_stack_config` raises (the message `pulumi up` and the offline preview print).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from stackview import STACKS, loaded_config, stack_values

from components.config import ConfigError, build_stack_config, sklearn_image_versions

Values = dict[str, Any]
PREFIX = "Pulumi.dev.yaml: invalid config: data-ai-platform:"
RETENTIONS = str(
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
)


def _set(section: str, **changes: Any) -> Callable[[Values], None]:
    def change(values: Values) -> None:
        target = values
        for part in section.split("."):
            target = target[part]
        target.update(changes)

    return change


def _error(change: Callable[[Values], object], region: str | None = "us-east-1") -> str:
    _, values = stack_values("dev")
    values = copy.deepcopy(values)
    change(values)
    with pytest.raises(ConfigError) as raised:
        build_stack_config("dev", region, values)
    return str(raised.value)


@pytest.mark.parametrize("stack", STACKS)
def test_the_committed_stack_files_are_valid(stack: str) -> None:
    config = loaded_config(stack)
    assert (config.stack, config.environment, config.region) == (stack, stack, "us-east-1")
    assert (config.network.az_count, config.network.nat_gateways, config.dr.enabled) == {
        "dev": (2, 1, False),
        "staging": (2, 1, False),
        "prod": (3, 3, True),
    }[stack]


CASES: list[tuple[str, Callable[[Values], object], str]] = [
    (
        "cidr-host-bits",
        _set("network", cidr="10.10.0.1/16"),
        "network.cidr: '10.10.0.1/16' is not a CIDR block (10.10.0.1/16 has host bits set)",
    ),
    (
        "cidr-too-small",
        _set("network", cidr="10.10.0.0/24"),
        "network: cidr 10.10.0.0/24 is too small: use /20 or larger so each AZ gets /24 subnets",
    ),
    (
        "cidr-too-large",
        _set("network", cidr="10.0.0.0/8"),
        "network: cidr 10.0.0.0/8 is not a VPC block: use an IPv4 block from /16 to /20",
    ),
    (
        "cidr-ipv6",
        _set("network", cidr="fd00::/16"),
        "network: cidr fd00::/16 is not a VPC block: use an IPv4 block from /16 to /20",
    ),
    (
        "nat-over-azs",
        _set("network", natGateways=3),
        "network: natGateways (3) must be at most azCount (2): one NAT gateway per AZ at most",
    ),
    ("az-count", _set("network", azCount=4), "network.azCount: Input should be less than or equal to 3"),
    (
        "flow-log-retention",
        _set("network", flowLogRetentionDays=15),
        f"network.flowLogRetentionDays: 15 is not a CloudWatch Logs retention period; allowed: {RETENTIONS}",
    ),
    (
        "alb-cidr",
        _set("network", albIngressCidrs=["10.0.0.0/8", "1.2.3.4/33"]),
        "network.albIngressCidrs[1]: '1.2.3.4/33' is not a CIDR block "
        "('1.2.3.4/33' does not appear to be an IPv4 or IPv6 network)",
    ),
    (
        "unknown-key",
        _set("network", natGateway=1),
        "network.natGateway is not a known setting; did you mean data-ai-platform:network.natGateways?",
    ),
    (
        "unknown-section",
        lambda v: v.update(networks={}),
        "networks is not a known setting; did you mean data-ai-platform:network?",
    ),
    ("missing-tags", lambda v: v.pop("tags"), "tags is required but not set"),
    (
        "classification",
        _set("tags", **{"data-classification": "secret"}),
        "tags.data-classification: Input should be 'public', 'internal', 'confidential' or 'restricted'",
    ),
    (
        "tag-value",
        _set("tags", owner="ml platform!"),
        "tags: tag 'owner' value 'ml platform!' is not allowed: up to 256 letters, digits, spaces "
        "or _.:/=+-@",
    ),
    (
        "tag-key",
        _set("tags", **{"aws:team": "ml"}),
        "tags: tag key 'aws:team' is not allowed: 1-128 letters, digits, spaces or _.:/=+-@, "
        "not starting with 'aws:'",
    ),
    (
        "tag-type",
        _set("tags", team=5),
        "tags: tag 'team' must be a string (quote it in the stack file), got 5",
    ),
    (
        "environment",
        lambda v: v.update(environment="qa"),
        "environment: Input should be 'dev', 'staging' or 'prod'",
    ),
    (
        "rds-class",
        _set("database", instanceClass="db.x9.huge"),
        "database.instanceClass: 'db.x9.huge' is not a valid RDS instance class: expected 'db.' followed by "
        "an EC2 instance type of botocore's EC2 model, e.g. db.t4g.micro, db.m6g.large",
    ),
    (
        "engine-version",
        _set("database", engineVersion="latest"),
        "database.engineVersion: 'latest' is not a PostgreSQL engine version: use MAJOR.MINOR, e.g. 16.4",
    ),
    (
        "pi-retention",
        _set("database", performanceInsightsRetentionDays=30),
        "database.performanceInsightsRetentionDays: 30 is not a Performance Insights retention: 7, 731 or a "
        "multiple of 31",
    ),
    (
        "storage-bounds",
        _set("database", allocatedStorageGb=60),
        "database: maxAllocatedStorageGb (50) must be >= allocatedStorageGb (60)",
    ),
    (
        "backup-retention",
        _set("database", backupRetentionDays=36),
        "database.backupRetentionDays: Input should be less than or equal to 35",
    ),
    (
        "lifecycle-order",
        _set("dataLake.lifecycle", glacierDays=20),
        "dataLake.lifecycle: transitions must be in order: standardIaDays < glacierDays < deepArchiveDays "
        "(got 30, 20, 365)",
    ),
    (
        "deep-archive-gap",
        _set("dataLake.lifecycle", deepArchiveDays=100),
        "dataLake.lifecycle: deepArchiveDays must be at least 90 days after glacierDays (S3 minimum)",
    ),
    (
        "standard-ia-minimum",
        _set("dataLake.lifecycle", standardIaDays=10),
        "dataLake.lifecycle.standardIaDays: Input should be greater than or equal to 30",
    ),
    (
        "provisioned-capacity",
        _set("sessions", billingMode="PROVISIONED", readCapacity=0),
        "sessions: billingMode PROVISIONED needs readCapacity and writeCapacity of at least 1 (got 0, 5)",
    ),
    (
        "billing-mode",
        _set("sessions", billingMode="FREE"),
        "sessions.billingMode: Input should be 'PAY_PER_REQUEST' or 'PROVISIONED'",
    ),
    (
        "key-deletion-window",
        _set("keys", deletionWindowDays=3),
        "keys.deletionWindowDays: Input should be greater than or equal to 7",
    ),
    (
        "dr-same-region",
        _set("dr", enabled=True, region="us-east-1"),
        " dr.region must differ from aws:region (us-east-1)",
    ),
    (
        "dr-without-pitr",
        lambda v: (_set("dr", enabled=True)(v), _set("sessions", pointInTimeRecovery=False)(v)),
        " dr.enabled requires sessions.pointInTimeRecovery: true (PITR is the DynamoDB recovery path)",
    ),
    (
        "endpoint-instance-type",
        _set("ml.endpoint", instanceType="ml.m5.huge"),
        "ml.endpoint.instanceType: 'ml.m5.huge' is not a valid SageMaker endpoint instance type (botocore "
        "service model); e.g. ml.m5.12xlarge, ml.m5.24xlarge, ml.m5.2xlarge, ml.m5.4xlarge, ml.m5.large, "
        "ml.m5.xlarge",
    ),
    (
        "fargate-pair",
        lambda v: v["containers"]["services"][0].update(cpu=512, memoryMib=512),
        "containers.services[0]: memoryMib 512 is not allowed with cpu 512 on Fargate; allowed: 1024..4096 "
        "in steps of 1024",
    ),
    (
        "endpoint-bounds",
        _set("ml.endpoint", minCapacity=3),
        "ml.endpoint: minCapacity <= initialInstanceCount <= maxCapacity must hold (got 3, 1, 2)",
    ),
    (
        "training-instance-type",
        _set("ml.training", instanceType="ml.t2.medium"),
        "ml.training.instanceType: 'ml.t2.medium' is not a valid SageMaker training instance type (botocore "
        "service model)",
    ),
    (
        "spot-wait",
        _set("ml.training", maxWaitSeconds=600),
        "ml.training: maxWaitSeconds (600) must be >= maxRunSeconds (1800) for managed spot training",
    ),
    (
        "sklearn-version",
        _set("ml", sklearnVersion="0.9-9"),
        "ml.sklearnVersion: sklearnVersion '0.9-9' has no SageMaker scikit-learn image; known: "
        + str(sklearn_image_versions()),
    ),
    (
        "metric-regex-syntax",
        _set("ml", evaluation={"metricRegex": "("}),
        "ml.evaluation.metricRegex: metricRegex '(' is not a regular expression (missing ), unterminated "
        "subpattern at position 0)",
    ),
    (
        "metric-regex-groups",
        _set("ml", evaluation={"metricRegex": "accuracy"}),
        "ml.evaluation.metricRegex: metricRegex must have exactly one capture group (the value), got 0",
    ),
    (
        "capacity-weights",
        _set("containers.capacityProviders", fargateWeight=0, fargateSpotWeight=0),
        "containers.capacityProviders: fargateWeight and fargateSpotWeight cannot both be 0",
    ),
    (
        "fargate-cpu",
        lambda v: v["containers"]["services"][0].update(cpu=300),
        "containers.services[0]: cpu 300 is not a Fargate task size; allowed: "
        "[256, 512, 1024, 2048, 4096, 8192, 16384]",
    ),
    (
        "service-bounds",
        lambda v: v["containers"]["services"][0].update(minCount=2, desiredCount=1),
        "containers.services[0]: minCount <= desiredCount <= maxCount must hold (got 2, 1, 4)",
    ),
    (
        "image-tag",
        lambda v: v["containers"]["services"][0].update(imageTag="latest"),
        "containers.services[0].imageTag: imageTag 'latest' cannot be used: ECR tags are immutable, deploy a "
        "versioned tag",
    ),
    (
        "plaintext-secret",
        lambda v: v["containers"]["services"][0].update(
            environment={"DB_PASSWORD": "x", "LOG_LEVEL": "info"}
        ),
        "containers.services[0].environment: environment ['DB_PASSWORD'] look like secrets; list them under "
        "`secrets` so they are injected from Secrets Manager instead of stored in plain text",
    ),
    (
        "service-names",
        lambda v: v["containers"]["services"][1].update(name="rag-api"),
        "containers: service names must be unique (got ['rag-api', 'rag-api', 'evaluation'])",
    ),
    (
        "service-ports",
        lambda v: v["containers"]["services"][1].update(port=8000),
        "containers: service ports must be unique (got [8000, 8000, 8081])",
    ),
    (
        "chunk-overlap",
        _set("processing", chunkOverlapChars=1000),
        "processing: chunkOverlapChars must be smaller than chunkSizeChars",
    ),
    (
        "alarm-period",
        _set("observability", alarms={"periodSeconds": 45}),
        "observability.alarms.periodSeconds: periodSeconds 45 is not a CloudWatch alarm period: 10, 30 or a "
        "multiple of 60",
    ),
    ("budget", _set("budget", monthlyUsd=0), "budget.monthlyUsd: Input should be greater than 0"),
    (
        "log-retention",
        _set("observability", logRetentionDays=15),
        "observability.logRetentionDays: 15 is not a CloudWatch Logs retention period; allowed: "
        + RETENTIONS,
    ),
]


@pytest.mark.parametrize(("change", "problem"), [(c, p) for _, c, p in CASES], ids=[i for i, _, _ in CASES])
def test_invalid_value_names_file_key_and_what_is_allowed(
    change: Callable[[Values], object], problem: str
) -> None:
    assert _error(change) == PREFIX + problem


def test_all_problems_are_reported_at_once() -> None:
    message = _error(lambda v: (_set("network", natGateways=3)(v), _set("keys", deletionWindowDays=3)(v)))
    assert message == (
        f"{PREFIX}network: natGateways (3) must be at most azCount (2): one NAT gateway per AZ at most; "
        "data-ai-platform:keys.deletionWindowDays: Input should be greater than or equal to 7"
    )


def test_region_must_be_set() -> None:
    assert _error(lambda v: None, region=None) == (
        "Pulumi.dev.yaml: aws:region is not set; set it to an AWS region such as us-east-1."
    )


def test_region_must_be_an_aws_region() -> None:
    message = _error(lambda v: None, region="moon-1")
    assert message.startswith("Pulumi.dev.yaml: aws:region 'moon-1' is not an AWS region; e.g. ['af-south-1'")


def test_dr_region_must_be_an_aws_region() -> None:
    assert _error(_set("dr", region="mars-1")) == (
        "Pulumi.dev.yaml: invalid config: data-ai-platform:dr.region: 'mars-1' is not an AWS region; "
        "e.g. us-west-2, eu-west-1"
    )


def test_tag_values_reach_the_resource_tags() -> None:
    _, values = stack_values("dev")
    values = copy.deepcopy(values)
    values["tags"]["team"] = "search"
    config = build_stack_config("dev", "us-east-1", values)
    assert config.resource_tags("data-ai-platform") == {
        "team": "search",
        "owner": "ml-platform",
        "cost-center": "cc-1042",
        "data-classification": "internal",
        "environment": "dev",
        "project": "data-ai-platform",
        "stack": "dev",
    }
