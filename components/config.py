"""Typed, validated per-stack configuration.

`Pulumi.<stack>.yaml` holds structured config under the project namespace (`data-ai-platform:<key>`). Every
value is read into pydantic models and validated before any resource is registered: instance types against
botocore's own service models, Fargate CPU/memory pairs against the combinations AWS allows, CIDRs, bounds and
log retention periods. A bad value raises `ConfigError` whose message names the stack file, the key and what
is allowed.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal, get_args

import botocore.session
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from awsvalues import (
    FARGATE_CPU_UNITS,
    ec2_instance_types,
    fargate_memory_options,
    log_retention_days,
    sagemaker_endpoint_instance_types,
    sagemaker_training_instance_types,
)
from awsvalues.regions import availability_zones

PROJECT = "data-ai-platform"


class ConfigError(ValueError):
    """A stack config value is missing or not allowed; the message is meant for the user as is."""


# --- allowed values (botocore's service models, AWS tables): see awsvalues ----------------------------


@cache
def sklearn_image_versions() -> list[str]:
    """scikit-learn versions with a SageMaker training image, from the SageMaker SDK's bundled image table
    (read as JSON: importing the SDK itself takes seconds)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sagemaker.core")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ConfigError("the SageMaker SDK (sagemaker.core) is not installed; run ./dev setup")
    table = json.loads((Path(locations[0]) / "image_uri_config" / "sklearn.json").read_text())
    return sorted(table["training"]["versions"])


def _check_in(allowed: frozenset[str], what: str) -> Any:
    def check(value: str) -> str:
        if value not in allowed:
            close = sorted(v for v in allowed if v.split(".")[:2] == value.split(".")[:2])[:8]
            hint = f"; e.g. {', '.join(close)}" if close else ""
            raise ValueError(f"{value!r} is not a valid {what} (botocore service model){hint}")
        return value

    return check


def _check_rds_class(value: str) -> str:
    if not value.startswith("db.") or value[3:] not in ec2_instance_types():
        raise ValueError(
            f"{value!r} is not a valid RDS instance class: expected 'db.' followed by an EC2 instance type "
            "of botocore's EC2 model, e.g. db.t4g.micro, db.m6g.large"
        )
    return value


def _check_cidr(value: str) -> str:
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a CIDR block ({exc})") from None
    return value


def _check_retention(value: int) -> int:
    allowed = log_retention_days()
    if value not in allowed:
        raise ValueError(f"{value} is not a CloudWatch Logs retention period; allowed: {list(allowed)}")
    return value


EndpointInstanceType = Annotated[
    str, AfterValidator(_check_in(sagemaker_endpoint_instance_types(), "SageMaker endpoint instance type"))
]
TrainingInstanceType = Annotated[
    str, AfterValidator(_check_in(sagemaker_training_instance_types(), "SageMaker training instance type"))
]
INT32_MAX = 2**31 - 1
"""The largest value an AWS API `Integer` shape holds: bounds counts AWS documents no lower limit for."""

RdsInstanceClass = Annotated[str, AfterValidator(_check_rds_class)]
Cidr = Annotated[str, AfterValidator(_check_cidr)]
RetentionDays = Annotated[int, AfterValidator(_check_retention)]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
Seconds = Annotated[int, Field(ge=0, le=INT32_MAX)]
Days = Annotated[int, Field(ge=1, le=INT32_MAX)]
Positive = Annotated[int, Field(ge=1, le=INT32_MAX)]


def _check_bounds(low: int, mid: int, high: int, low_key: str, mid_key: str, high_key: str) -> None:
    if not low <= mid <= high:
        raise ValueError(f"{low_key} <= {mid_key} <= {high_key} must hold (got {low}, {mid}, {high})")


class Section(BaseModel):
    """Base for config sections: camelCase keys in YAML, unknown keys rejected (typos fail loudly)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, allow_inf_nan=False
    )


# --- foundation --------------------------------------------------------------------------------------------


AWS_TAG = re.compile(r"[\w .:/=+\-@]+")
MAX_TAGS = 50
"""AWS allows 50 user tags per resource; every resource carries the stack's tags."""
STACK_TAG_KEYS = ("environment", "project", "stack")
"""Tags the program sets itself from the stack (they cannot be set under `tags`)."""


class Tags(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    owner: str = Field(min_length=1)
    cost_center: str = Field(alias="cost-center", min_length=1)
    data_classification: Literal["public", "internal", "confidential", "restricted"] = Field(
        alias="data-classification"
    )

    @model_validator(mode="after")
    def _aws_tag_syntax(self) -> Tags:
        """Tags reach AWS through the provider's default tags: keys and values must be valid AWS tags."""
        values = {"owner": self.owner, "cost-center": self.cost_center, **(self.model_extra or {})}
        reserved = sorted(set(values) & set(STACK_TAG_KEYS))
        if reserved:
            raise ValueError(f"tags {reserved} are set by the program from the stack; remove them")
        room = MAX_TAGS - len(STACK_TAG_KEYS) - 1  # data-classification is a tag too
        if len(values) > room:
            raise ValueError(
                f"{len(values) + 1} tags given, at most {room + 1} allowed: AWS allows {MAX_TAGS} tags per "
                f"resource and the program adds {len(STACK_TAG_KEYS)} ({', '.join(STACK_TAG_KEYS)})"
            )
        for key, value in values.items():
            if not isinstance(value, str):
                raise ValueError(f"tag {key!r} must be a string (quote it in the stack file), got {value!r}")
            if key.lower().startswith("aws:") or not AWS_TAG.fullmatch(key) or len(key) > 128:
                raise ValueError(
                    f"tag key {key!r} is not allowed: 1-128 letters, digits, spaces or _.:/=+-@, "
                    "not starting with 'aws:'"
                )
            if not AWS_TAG.fullmatch(value) or len(value) > 256:
                raise ValueError(
                    f"tag {key!r} value {value!r} is not allowed: up to 256 letters, digits, spaces "
                    "or _.:/=+-@"
                )
        return self


class NetworkConfig(Section):
    cidr: Cidr = "10.0.0.0/16"
    az_count: int = Field(default=2, ge=2, le=3)
    nat_gateways: int = Field(default=1, ge=1, le=3)
    interface_endpoints: bool = False
    alb_ingress_cidrs: list[Cidr] = Field(default_factory=lambda: ["10.0.0.0/8"], min_length=1, max_length=30)
    """IPv4 or IPv6 blocks; each gets an HTTPS and an HTTP rule (a security group holds 60 inbound rules)."""
    flow_log_retention_days: RetentionDays = 30

    @field_validator("alb_ingress_cidrs")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        seen: dict[Any, str] = {}
        for cidr in value:
            network = ipaddress.ip_network(cidr)
            if network in seen:
                raise ValueError(f"{cidr!r} is listed more than once (as {seen[network]!r})")
            seen[network] = cidr
        return value

    @model_validator(mode="after")
    def _nat_within_azs(self) -> NetworkConfig:
        if self.nat_gateways > self.az_count:
            raise ValueError(
                f"natGateways ({self.nat_gateways}) must be at most azCount ({self.az_count}): "
                "one NAT gateway per AZ at most"
            )
        network = ipaddress.ip_network(self.cidr)
        if network.version != 4 or network.prefixlen < 16:
            raise ValueError(f"cidr {self.cidr} is not a VPC block: use an IPv4 block from /16 to /20")
        if network.prefixlen > 20:
            raise ValueError(f"cidr {self.cidr} is too small: use /20 or larger so each AZ gets /24 subnets")
        return self


class LifecycleConfig(Section):
    standard_ia_days: int = Field(default=30, ge=30, le=INT32_MAX)
    glacier_days: Days = 90
    deep_archive_days: Days = 365
    noncurrent_version_expiration_days: Days = 30

    @model_validator(mode="after")
    def _ordered(self) -> LifecycleConfig:
        if not self.standard_ia_days < self.glacier_days < self.deep_archive_days:
            raise ValueError(
                "transitions must be in order: standardIaDays < glacierDays < deepArchiveDays "
                f"(got {self.standard_ia_days}, {self.glacier_days}, {self.deep_archive_days})"
            )
        if self.deep_archive_days - self.glacier_days < 90:
            raise ValueError("deepArchiveDays must be at least 90 days after glacierDays (S3 minimum)")
        return self


class DataLakeConfig(Section):
    lifecycle: LifecycleConfig = Field(default_factory=LifecycleConfig)
    access_log_retention_days: Days = 90
    force_destroy: bool = False


class DatabaseConfig(Section):
    instance_class: RdsInstanceClass = "db.t4g.micro"
    engine_version: str = "16.4"
    allocated_storage_gb: int = Field(default=20, ge=20, le=65536)
    max_allocated_storage_gb: int = Field(default=100, ge=20, le=65536)
    multi_az: bool = False
    deletion_protection: bool = False
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    performance_insights_retention_days: int = 7
    final_snapshot: bool = True

    @field_validator("engine_version")
    @classmethod
    def _postgres_version(cls, value: str) -> str:
        if not re.fullmatch(r"\d{2}\.\d+", value):
            raise ValueError(f"{value!r} is not a PostgreSQL engine version: use MAJOR.MINOR, e.g. 16.4")
        return value

    @field_validator("performance_insights_retention_days")
    @classmethod
    def _pi_retention(cls, value: int) -> int:
        if value != 7 and value != 731 and not (value % 31 == 0 and 1 <= value // 31 <= 23):
            raise ValueError(f"{value} is not a Performance Insights retention: 7, 731 or a multiple of 31")
        return value

    @model_validator(mode="after")
    def _storage_bounds(self) -> DatabaseConfig:
        if self.max_allocated_storage_gb < self.allocated_storage_gb:
            raise ValueError(
                f"maxAllocatedStorageGb ({self.max_allocated_storage_gb}) must be >= allocatedStorageGb "
                f"({self.allocated_storage_gb})"
            )
        return self


class SessionsConfig(Section):
    billing_mode: Literal["PAY_PER_REQUEST", "PROVISIONED"] = "PAY_PER_REQUEST"
    read_capacity: Count = 5
    write_capacity: Count = 5
    point_in_time_recovery: bool = True

    @model_validator(mode="after")
    def _provisioned_capacity(self) -> SessionsConfig:
        if self.billing_mode == "PROVISIONED" and min(self.read_capacity, self.write_capacity) < 1:
            raise ValueError(
                "billingMode PROVISIONED needs readCapacity and writeCapacity of at least 1 "
                f"(got {self.read_capacity}, {self.write_capacity})"
            )
        return self


class DrConfig(Section):
    enabled: bool = False
    region: str = "us-west-2"

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if value not in _aws_regions():
            raise ValueError(f"{value!r} is not an AWS region; e.g. us-west-2, eu-west-1")
        return value


class KeysConfig(Section):
    deletion_window_days: int = Field(default=30, ge=7, le=30)


# --- compute -----------------------------------------------------------------------------------------------


class TrainingConfig(Section):
    instance_type: TrainingInstanceType = "ml.m5.large"
    instance_count: int = Field(default=1, ge=1, le=20)
    use_spot: bool = True
    max_run_seconds: int = Field(default=1800, ge=60, le=28 * 24 * 3600)
    max_wait_seconds: int = Field(default=3600, ge=60, le=28 * 24 * 3600)
    volume_size_gb: int = Field(default=30, ge=1, le=16384)

    @model_validator(mode="after")
    def _spot_wait(self) -> TrainingConfig:
        if self.use_spot and self.max_wait_seconds < self.max_run_seconds:
            raise ValueError(
                f"maxWaitSeconds ({self.max_wait_seconds}) must be >= maxRunSeconds ({self.max_run_seconds}) "
                "for managed spot training"
            )
        return self


class EndpointConfig(Section):
    instance_type: EndpointInstanceType = "ml.m5.large"
    initial_instance_count: Positive = 1
    min_capacity: Positive = 1
    max_capacity: Positive = 2
    target_invocations_per_instance: Positive = 100
    scale_in_cooldown_seconds: Seconds = 300
    scale_out_cooldown_seconds: Seconds = 60
    data_capture_percent: int = Field(default=20, ge=0, le=100)

    @model_validator(mode="after")
    def _bounds(self) -> EndpointConfig:
        _check_bounds(
            self.min_capacity,
            self.initial_instance_count,
            self.max_capacity,
            "minCapacity",
            "initialInstanceCount",
            "maxCapacity",
        )
        return self


class EvaluationConfig(Section):
    """The gate the pipeline's EvaluateModel step applies before registering a model."""

    metric_name: str = Field(default="validation:accuracy", pattern=r"^[A-Za-z0-9_.:/-]{1,255}$")
    metric_regex: str = r"validation accuracy: ([0-9.]+)"
    threshold: float = 0.8
    goal: Literal["maximize", "minimize"] = "maximize"

    @field_validator("metric_regex")
    @classmethod
    def _one_group(cls, value: str) -> str:
        try:
            groups = re.compile(value).groups
        except re.error as exc:
            raise ValueError(f"metricRegex {value!r} is not a regular expression ({exc})") from None
        if groups != 1:
            raise ValueError(f"metricRegex must have exactly one capture group (the value), got {groups}")
        return value


class OrchestrationConfig(Section):
    """The Step Functions pipeline's Lambdas (DataPreprocessing, EvaluateModel)."""

    memory_mb: int = Field(default=1024, ge=128, le=10240)
    timeout_seconds: int = Field(default=300, ge=1, le=900)
    reserved_concurrency: Positive = 2
    validation_percent: int = Field(default=20, ge=1, le=99)
    min_rows: int = Field(default=10, ge=2, le=INT32_MAX)


DEFAULT_HYPERPARAMETERS: dict[str, str | int | float] = {"n_estimators": 100, "max_depth": 5}
"""The seed's scikit-learn estimator parameters."""

S3Key = Annotated[str, Field(pattern=r"^[A-Za-z0-9!_.*'()/-]+[^/]$", max_length=1024)]
S3Prefix = Annotated[str, Field(pattern=r"^([A-Za-z0-9!_.*'()-]+/)+$", max_length=512)]


class MlConfig(Section):
    sklearn_version: str = "1.2-1"
    training: TrainingConfig = Field(default_factory=TrainingConfig)
    endpoint: EndpointConfig = Field(default_factory=EndpointConfig)
    model_data_key: S3Key = "models/current/model.tar.gz"
    """Artifacts-bucket key of the model the endpoint serves (`model.tar.gz` with `code/inference.py`)."""
    training_code_key: S3Key = "code/train/sourcedir.tar.gz"
    """Artifacts-bucket key of the training script archive (uploaded out of band, like the model)."""
    training_entry_point: str = Field(default="train.py", pattern=r"^[A-Za-z0-9_./-]+\.py$")
    inference_entry_point: str = Field(default="inference.py", pattern=r"^[A-Za-z0-9_./-]+\.py$")
    training_data_prefix: S3Prefix = "training/latest/"
    hyperparameters: dict[str, str | int | float] = Field(
        default_factory=lambda: dict(DEFAULT_HYPERPARAMETERS)
    )
    evaluation: EvaluationConfig = Field(default_factory=EvaluationConfig)
    orchestration: OrchestrationConfig = Field(default_factory=OrchestrationConfig)

    @field_validator("sklearn_version")
    @classmethod
    def _known_sklearn(cls, value: str) -> str:
        versions = sklearn_image_versions()
        if value not in versions:
            raise ValueError(
                f"sklearnVersion {value!r} has no SageMaker scikit-learn image; known: {versions}"
            )
        return value


class CapacityProvidersConfig(Section):
    """ECS capacity provider strategy: base 0..100,000 tasks, weights 0..1,000 (the ECS API's bounds)."""

    fargate_base: int = Field(default=0, ge=0, le=100_000)
    fargate_weight: int = Field(default=1, ge=0, le=1000)
    fargate_spot_weight: int = Field(default=1, ge=0, le=1000)

    @model_validator(mode="after")
    def _some_weight(self) -> CapacityProvidersConfig:
        if self.fargate_weight + self.fargate_spot_weight == 0:
            raise ValueError("fargateWeight and fargateSpotWeight cannot both be 0")
        return self


ECS_MAX_TASKS = 5000
"""ECS service quota: tasks per service."""

EnvName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIAL")
ServiceGrant = Literal[
    "read-raw",
    "write-raw",
    "read-processed",
    "write-processed",
    "read-artifacts",
    "sessions-table",
    "documents-table",
    "invoke-endpoint",
    "invoke-retrieval",
    "database",
]


class ServiceConfig(Section):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")
    port: int = Field(ge=1024, le=65535)
    cpu: int
    memory_mib: int
    architecture: Literal["X86_64", "ARM64"] = "X86_64"
    desired_count: Count = 1
    min_count: Count = 1
    max_count: int = Field(default=2, ge=1, le=ECS_MAX_TASKS)
    cpu_target_percent: float = Field(default=70, gt=0, le=100)
    scale_in_cooldown_seconds: Seconds = 300
    scale_out_cooldown_seconds: Seconds = 300
    path_patterns: list[str] = Field(min_length=1, max_length=5)
    health_check_path: str = Field(pattern=r"^/")
    health_check_grace_seconds: Seconds = 60
    secrets: list[EnvName] = Field(default_factory=list)
    """Secrets Manager secrets injected as environment variables (values are set out of band)."""
    environment: dict[EnvName, str] = Field(default_factory=dict)
    """Plain (non-secret) environment variables; names that look like secrets are rejected."""
    grants: list[ServiceGrant] = Field(default_factory=list)
    """What the task role may reach, by name (see the compute docs for the exact statements)."""
    tracing: bool = False
    """Run the AWS X-Ray daemon as a sidecar and let the task send traces."""
    image_tag: str = Field(default="1.0.0", pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")

    @field_validator("image_tag")
    @classmethod
    def _versioned_tag(cls, value: str) -> str:
        if value == "latest":
            raise ValueError(
                "imageTag 'latest' cannot be used: ECR tags are immutable, deploy a versioned tag"
            )
        return value

    @field_validator("grants", "secrets")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        repeated = sorted({item for item in value if value.count(item) > 1})
        if repeated:
            raise ValueError(f"listed more than once: {repeated}")
        return value

    @field_validator("environment")
    @classmethod
    def _no_plaintext_secrets(cls, value: dict[str, str]) -> dict[str, str]:
        suspicious = sorted(name for name in value if SECRET_NAME.search(name))
        if suspicious:
            raise ValueError(
                f"environment {suspicious} look like secrets; list them under `secrets` so they are injected "
                "from Secrets Manager instead of stored in plain text"
            )
        return value

    @model_validator(mode="after")
    def _size_and_bounds(self) -> ServiceConfig:
        if self.cpu not in FARGATE_CPU_UNITS:
            raise ValueError(f"cpu {self.cpu} is not a Fargate task size; allowed: {list(FARGATE_CPU_UNITS)}")
        allowed = fargate_memory_options(self.cpu)
        if self.memory_mib not in allowed:
            raise ValueError(
                f"memoryMib {self.memory_mib} is not allowed with cpu {self.cpu} on Fargate; "
                f"allowed: {allowed[0]}..{allowed[-1]} in steps of {allowed[1] - allowed[0]}"
            )
        _check_bounds(
            self.min_count, self.desired_count, self.max_count, "minCount", "desiredCount", "maxCount"
        )
        return self


class ContainersConfig(Section):
    certificate_arn: str = Field(pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")
    capacity_providers: CapacityProvidersConfig = Field(default_factory=CapacityProvidersConfig)
    services: list[ServiceConfig] = Field(min_length=1)
    alb_log_retention_days: Days = 90
    alb_deletion_protection: bool = False
    ecr_keep_images: int = Field(default=20, ge=1, le=1000)
    """Tagged images kept per repository; untagged images expire after a day."""
    secret_recovery_window_days: int = Field(default=7, ge=7, le=30)

    @model_validator(mode="after")
    def _unique(self) -> ContainersConfig:
        names = [s.name for s in self.services]
        ports = [s.port for s in self.services]
        if len(set(names)) != len(names):
            raise ValueError(f"service names must be unique (got {names})")
        if len(set(ports)) != len(ports):
            raise ValueError(f"service ports must be unique (got {ports})")
        return self


class ProcessingConfig(Section):
    memory_mb: int = Field(default=512, ge=128, le=10240)
    timeout_seconds: int = Field(default=120, ge=1, le=900)
    reserved_concurrency: Positive = 5
    chunk_size_chars: int = Field(default=1000, ge=100, le=INT32_MAX)
    chunk_overlap_chars: Count = 100
    max_document_mb: int = Field(default=50, ge=1, le=1024)
    """Larger uploads are recorded as `too_large` without being read."""
    retry_attempts: int = Field(default=2, ge=0, le=2)
    """Lambda's retries of a failed asynchronous invocation before the event goes to the dead-letter queue."""

    @model_validator(mode="after")
    def _overlap(self) -> ProcessingConfig:
        if self.chunk_overlap_chars >= self.chunk_size_chars:
            raise ValueError("chunkOverlapChars must be smaller than chunkSizeChars")
        return self


class AlarmsConfig(Section):
    """Alarm thresholds; the defaults are the seed's (response time > 2 s average over 2 periods of 300 s)."""

    period_seconds: int = Field(default=300, le=86400)
    evaluation_periods: int = Field(default=2, ge=1, le=100)
    response_time_seconds: float = Field(default=2.0, gt=0, le=86400)
    alb_5xx_count: Positive = 10
    model_latency_ms: Positive = 1000
    rds_cpu_percent: float = Field(default=80, gt=0, le=100)
    rds_free_storage_gb: float = Field(default=2, gt=0, le=65536)

    @field_validator("period_seconds")
    @classmethod
    def _cloudwatch_period(cls, value: int) -> int:
        if value not in (10, 30) and (value < 60 or value % 60):
            raise ValueError(
                f"periodSeconds {value} is not a CloudWatch alarm period: 10, 30 or a multiple of 60"
            )
        return value


class ObservabilityConfig(Section):
    log_retention_days: RetentionDays = 30
    alert_emails: list[Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]] = Field(
        default_factory=list
    )
    alarms: AlarmsConfig = Field(default_factory=AlarmsConfig)
    tracing_sampling_rate: float = Field(default=0.05, ge=0, le=1)
    """Share of requests X-Ray samples beyond the first one each second."""


class BudgetConfig(Section):
    monthly_usd: float = Field(gt=0, le=1e30)
    """USD per month; at most 1e30 (the cost module's `MAX_AMOUNT`), far above any bill."""


# --- retrieval (RAG): embeddings and the vector store -------------------------------------------------------

TEI_VERSION = "1.8.2"
"""Text Embeddings Inference release of the SageMaker SDK's `huggingface-tei-cpu` image table."""
TITAN_EMBED_V2: Literal["amazon.titan-embed-text-v2:0"] = "amazon.titan-embed-text-v2:0"
TITAN_DIMENSIONS = (256, 512, 1024)
"""Output sizes Titan Text Embeddings V2 supports (`dimensions` request field)."""
SERVERLESS_MEMORY_MB = (1024, 2048, 3072, 4096, 5120, 6144)
"""Memory sizes SageMaker Serverless Inference allows."""


class EmbeddingsServerlessConfig(Section):
    """SageMaker Serverless Inference: billed per GB-second of configured memory while requests run."""

    memory_mb: int = 2048
    max_concurrency: int = Field(default=5, ge=1, le=200)

    @field_validator("memory_mb")
    @classmethod
    def _serverless_memory(cls, value: int) -> int:
        if value not in SERVERLESS_MEMORY_MB:
            raise ValueError(
                f"memoryMb {value} is not a Serverless Inference size; allowed: {SERVERLESS_MEMORY_MB}"
            )
        return value


class EmbeddingsInstancesConfig(Section):
    """Instance-backed real-time endpoint, autoscaled on invocations per instance."""

    instance_type: EndpointInstanceType = "ml.c5.xlarge"
    initial_instance_count: int = Field(default=2, ge=1)
    min_capacity: int = Field(default=2, ge=1)
    max_capacity: int = Field(default=4, ge=1)
    target_invocations_per_instance: int = Field(default=200, ge=1)
    scale_in_cooldown_seconds: Seconds = 300
    scale_out_cooldown_seconds: Seconds = 60

    @model_validator(mode="after")
    def _bounds(self) -> EmbeddingsInstancesConfig:
        _check_bounds(
            self.min_capacity,
            self.initial_instance_count,
            self.max_capacity,
            "minCapacity",
            "initialInstanceCount",
            "maxCapacity",
        )
        if self.instance_type.startswith(("ml.g", "ml.p", "ml.inf", "ml.trn")):
            raise ValueError(
                f"instanceType {self.instance_type} is an accelerator type; the embeddings endpoint runs the "
                "huggingface-tei-cpu image: use a CPU type such as ml.c5.xlarge or ml.m5.large"
            )
        return self


class EmbeddingsConfig(Section):
    """How chunks and queries become vectors: a SageMaker TEI endpoint (default) or Amazon Bedrock."""

    provider: Literal["sagemaker", "bedrock"] = "sagemaker"
    model_data_key: S3Key = "models/embeddings/model.tar.gz"
    """Artifacts-bucket key of the sentence-transformers model archive the TEI container serves."""
    dimension: int = Field(default=384, ge=1, le=4096)
    """Vector size the model produces (all-MiniLM-L6-v2: 384); the vector index is created with it."""
    tei_version: str = TEI_VERSION
    hosting: Literal["serverless", "instances"] = "serverless"
    serverless: EmbeddingsServerlessConfig = Field(default_factory=EmbeddingsServerlessConfig)
    instances: EmbeddingsInstancesConfig = Field(default_factory=EmbeddingsInstancesConfig)
    bedrock_model_id: Literal["amazon.titan-embed-text-v2:0"] = TITAN_EMBED_V2
    batch_size: int = Field(default=16, ge=1, le=256)
    """Chunks per embeddings request (Bedrock takes one text per request: this many requests per batch)."""
    max_retries: int = Field(default=3, ge=0, le=10)
    """Retries of a throttled or failed embeddings call (botocore standard retry mode)."""

    @field_validator("tei_version")
    @classmethod
    def _known_tei(cls, value: str) -> str:
        versions = tei_image_versions()
        if value not in versions:
            raise ValueError(
                f"teiVersion {value!r} has no SageMaker huggingface-tei-cpu image; known: {versions}"
            )
        return value

    @model_validator(mode="after")
    def _bedrock_dimension(self) -> EmbeddingsConfig:
        if self.provider == "bedrock" and self.dimension not in TITAN_DIMENSIONS:
            raise ValueError(
                f"dimension {self.dimension} is not an output size of {self.bedrock_model_id}; "
                f"allowed with provider bedrock: {TITAN_DIMENSIONS}"
            )
        return self


class RetrievalConfig(Section):
    """The retrieval function the rag-api service calls."""

    memory_mb: int = Field(default=256, ge=128, le=10240)
    timeout_seconds: int = Field(default=30, ge=1, le=900)
    reserved_concurrency: int = Field(default=5, ge=1)
    default_top_k: int = Field(default=5, ge=1, le=100)
    max_top_k: int = Field(default=20, ge=1, le=100)
    max_query_chars: int = Field(default=2000, ge=1, le=50000)

    @model_validator(mode="after")
    def _top_k(self) -> RetrievalConfig:
        if self.default_top_k > self.max_top_k:
            raise ValueError(f"defaultTopK ({self.default_top_k}) must be <= maxTopK ({self.max_top_k})")
        return self


class VectorStoreConfig(Section):
    """The S3 Vectors bucket and index holding one vector per document chunk."""

    distance_metric: Literal["cosine", "euclidean"] = "cosine"
    force_destroy: bool = False
    retrieval: RetrievalConfig = Field(default_factory=RetrievalConfig)


@cache
def tei_image_versions() -> list[str]:
    """Text Embeddings Inference versions with a SageMaker CPU image, from the SDK's bundled image table."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("sagemaker.core")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ConfigError("the SageMaker SDK (sagemaker.core) is not installed; run ./dev setup")
    table = json.loads((Path(locations[0]) / "image_uri_config" / "huggingface-tei-cpu.json").read_text())
    return sorted(table["inference"]["versions"])


# --- the whole stack ---------------------------------------------------------------------------------------


class StackConfig(Section):
    """Everything `Pulumi.<stack>.yaml` configures, validated."""

    stack: str
    region: str
    environment: Literal["dev", "staging", "prod"]
    account_id: str | None = Field(default=None, pattern=r"^\d{12}$")
    """The one AWS account this stack may deploy to (required for staging and prod); providers enforce it."""
    protect: bool = False
    """Give stateful resources (databases, tables, buckets, keys) Pulumi's `protect` option."""
    tags: Tags
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    data_lake: DataLakeConfig = Field(default_factory=DataLakeConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    sessions: SessionsConfig = Field(default_factory=SessionsConfig)
    dr: DrConfig = Field(default_factory=DrConfig)
    keys: KeysConfig = Field(default_factory=KeysConfig)
    ml: MlConfig = Field(default_factory=MlConfig)
    containers: ContainersConfig
    processing: ProcessingConfig = Field(default_factory=ProcessingConfig)
    embeddings: EmbeddingsConfig = Field(default_factory=EmbeddingsConfig)
    vector_store: VectorStoreConfig = Field(default_factory=VectorStoreConfig)
    observability: ObservabilityConfig = Field(default_factory=ObservabilityConfig)
    budget: BudgetConfig | None = None

    @field_validator("account_id", mode="before")
    @classmethod
    def _account_text(cls, value: Any) -> Any:
        """The CLI passes config as text, so an unquoted id arrives as a number: the digits as written."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _account(self) -> StackConfig:
        if self.account_id is None and self.environment != "dev":
            raise ValueError(
                f"accountId is required for a {self.environment} stack: set it to the 12-digit AWS account "
                "the stack deploys to (quoted), so a deployment with other credentials stops before any "
                "change"
            )
        arn = self.containers.certificate_arn.split(":")
        if arn[3] != self.region:
            raise ValueError(
                f"containers.certificateArn is in {arn[3]}, but the load balancer is in {self.region}: "
                "an ALB can only use an ACM certificate of its own region"
            )
        if self.account_id is not None and arn[4] != self.account_id:
            raise ValueError(
                f"containers.certificateArn belongs to account {arn[4]}, not the stack's accountId "
                f"{self.account_id}: an ALB can only use a certificate of its own account"
            )
        zones = len(availability_zones(self.region))
        if self.network.az_count > zones:
            raise ValueError(
                f"network.azCount {self.network.az_count} is more than the {zones} availability zones of "
                f"{self.region}"
            )
        return self

    @model_validator(mode="after")
    def _dr_region(self) -> StackConfig:
        if self.dr.enabled and self.dr.region == self.region:
            raise ValueError(f"dr.region must differ from aws:region ({self.region})")
        if self.dr.enabled and not self.sessions.point_in_time_recovery:
            raise ValueError(
                "dr.enabled requires sessions.pointInTimeRecovery: true (PITR is the DynamoDB recovery path)"
            )
        return self

    def resource_tags(self, project: str = PROJECT) -> dict[str, str]:
        """The tags every taggable resource carries (applied through the provider's default tags)."""
        extra = {k: str(v) for k, v in (self.tags.model_extra or {}).items()}
        return {
            **extra,
            "owner": self.tags.owner,
            "cost-center": self.tags.cost_center,
            "data-classification": self.tags.data_classification,
            "environment": self.environment,
            "project": project,
            "stack": self.stack,
        }


@cache
def _aws_regions() -> frozenset[str]:
    session = botocore.session.get_session()
    return frozenset(session.get_available_regions("ec2"))


def _location(error: Mapping[str, Any]) -> str:
    """Turn a pydantic error location into the config key a user writes (`network.azCount`)."""
    parts: list[str] = []
    for item in error["loc"]:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            text = str(item)
            parts.append(text if re.fullmatch(r"[\w.:/@+=-]{1,128}", text) else json.dumps(text))
    return ".".join(parts)


def _key_name(location: str, project: str) -> str:
    if location in ("region", "stack"):
        return "aws:region" if location == "region" else "stack"
    return f"{project}:{location}" if location else project


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The config model a pydantic error location points into (`("network", "x")` -> `NetworkConfig`)."""
    model: type[BaseModel] | None = StackConfig
    for part in loc[:-1]:
        if model is None or isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
        model = _model_in(field.annotation) if field is not None else None
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _unknown_key(error: Mapping[str, Any], project: str) -> str:
    """`<key> is not a known setting`, with the closest valid key when one is close, else the allowed keys."""
    loc = tuple(error["loc"])
    key = _key_name(_location(error), project)
    model = _model_at(loc)
    known = [] if model is None or model.model_config.get("extra") != "forbid" else _keys_of(model)
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if close:
        suggestion = _key_name(_location({"loc": (*loc[:-1], close[0])}), project)
        return f"{key} is not a known setting; did you mean {suggestion}?"
    allowed = f" (allowed: {', '.join(known)})" if known else ""
    return f"{key} is not a known setting{allowed}"


def _keys_of(model: type[BaseModel]) -> list[str]:
    """The keys a user may write in a model's section (the stack's name and region are not config keys)."""
    internal = ("stack", "region") if model is StackConfig else ()
    return [f.alias or n for n, f in model.model_fields.items() if n not in internal]


def _problem(error: Mapping[str, Any], project: str) -> str:
    key = _key_name(_location(error), project)
    if error["type"] == "missing":
        return f"{key} is required but not set"
    if error["type"] == "extra_forbidden":
        return _unknown_key(error, project)
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in ("finite_number", "int_from_float", "int_parsing", "float_parsing"):
        message = f"{message} (got {_shown(error.get('input'))})"
    return f"{key}: {message}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def build_stack_config(
    stack: str, region: str | None, values: Mapping[str, Any], project: str = PROJECT
) -> StackConfig:
    """Validate raw config values (top-level key -> parsed value) into a `StackConfig`.

    Every key must be a known setting. Raises `ConfigError` naming `Pulumi.<stack>.yaml`, the key and what is
    allowed.
    """
    stack_file = f"Pulumi.{stack}.yaml"
    if not isinstance(region, str) or not region:
        raise ConfigError(f"{stack_file}: aws:region is not set; set it to an AWS region such as us-east-1.")
    regions = _aws_regions()
    if region not in regions:
        raise ConfigError(
            f"{stack_file}: aws:region {region!r} is not an AWS region; e.g. {sorted(regions)[:6]}"
        )
    reserved = sorted({"stack", "region"} & set(values))
    if reserved:
        raise ConfigError(
            f"{stack_file}: invalid config: {project}:{reserved[0]} is not a known setting "
            "(the stack name comes from the stack file's name, the region from aws:region)"
        )
    try:
        return StackConfig.model_validate({**values, "stack": stack, "region": region})
    except ValidationError as exc:
        problems = [_problem(error, project) for error in exc.errors()]
        raise ConfigError(f"{stack_file}: invalid config: " + "; ".join(problems)) from None


TOP_LEVEL_KEYS: tuple[str, ...] = tuple(_keys_of(StackConfig))


def load_stack_config() -> StackConfig:
    """Read and validate the current stack's config through the Pulumi SDK (works under mocks and the CLI).

    Every `<project>:` key the stack sets is validated, so a misspelled top-level key fails instead of
    silently falling back to a default.
    """
    import pulumi

    project = pulumi.get_project()
    values: dict[str, Any] = {}
    for key in sorted(project_config_keys(project)):
        raw = pulumi.Config().get(key)
        if raw is None:
            continue
        try:
            values[key] = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            values[key] = raw
    return build_stack_config(pulumi.get_stack(), pulumi.Config("aws").get("region"), values, project)


def project_config_keys(project: str) -> set[str]:
    """The top-level keys the stack sets in the project's namespace, as the engine passed them."""
    from pulumi.runtime import config as runtime_config

    names = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env() or {})
    prefix = f"{project}:"
    return {name[len(prefix) :] for name in names if name.startswith(prefix)} | set(TOP_LEVEL_KEYS)
