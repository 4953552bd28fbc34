"""Typed, validated per-stack configuration.

`Pulumi.<stack>.yaml` holds structured config under the project namespace (`data-ai-platform:<key>`). Every
value is read into pydantic models and validated before any resource is registered: instance types against
botocore's own service models, Fargate CPU/memory pairs against the combinations AWS allows, CIDRs, bounds and
log retention periods. A bad value raises `ConfigError` whose message names the stack file, the key and what
is allowed.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal

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

PROJECT = "data-ai-platform"


class ConfigError(ValueError):
    """A stack config value is missing or not allowed; the message is meant for the user as is."""


# --- allowed values, read from botocore's service models --------------------------------------------------


@cache
def _service_model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


@cache
def sagemaker_endpoint_instance_types() -> frozenset[str]:
    """Instance types SageMaker real-time endpoints accept (`ProductionVariantInstanceType`)."""
    return frozenset(_service_model("sagemaker").shape_for("ProductionVariantInstanceType").enum)


@cache
def sagemaker_training_instance_types() -> frozenset[str]:
    """Instance types SageMaker training jobs accept (`TrainingInstanceType`)."""
    return frozenset(_service_model("sagemaker").shape_for("TrainingInstanceType").enum)


@cache
def ec2_instance_types() -> frozenset[str]:
    return frozenset(_service_model("ec2").shape_for("InstanceType").enum)


@cache
def log_retention_days() -> tuple[int, ...]:
    """Retention periods CloudWatch Logs accepts, as listed in the `Days` shape of the logs service model."""
    doc = _service_model("logs").shape_for("Days").documentation
    listed = doc.split("Possible values are:", 1)[1].split(".", 1)[0]
    return tuple(int(n) for n in re.findall(r"\d+", listed))


def _fargate_memory_for(cpu: int) -> tuple[int, ...]:
    """Memory sizes (MiB) Fargate allows for a task CPU size (AWS ECS task-size table)."""
    steps = {
        256: (512, 1024, 2048),
        512: tuple(range(1024, 4096 + 1, 1024)),
        1024: tuple(range(2048, 8192 + 1, 1024)),
        2048: tuple(range(4096, 16384 + 1, 1024)),
        4096: tuple(range(8192, 30720 + 1, 1024)),
        8192: tuple(range(16384, 61440 + 1, 4096)),
        16384: tuple(range(32768, 122880 + 1, 8192)),
    }
    return steps.get(cpu, ())


FARGATE_CPU_UNITS: tuple[int, ...] = (256, 512, 1024, 2048, 4096, 8192, 16384)


def fargate_memory_options(cpu: int) -> tuple[int, ...]:
    return _fargate_memory_for(cpu)


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
RdsInstanceClass = Annotated[str, AfterValidator(_check_rds_class)]
Cidr = Annotated[str, AfterValidator(_check_cidr)]
RetentionDays = Annotated[int, AfterValidator(_check_retention)]
Count = Annotated[int, Field(ge=0)]
Seconds = Annotated[int, Field(ge=0)]


def _check_bounds(low: int, mid: int, high: int, low_key: str, mid_key: str, high_key: str) -> None:
    if not low <= mid <= high:
        raise ValueError(f"{low_key} <= {mid_key} <= {high_key} must hold (got {low}, {mid}, {high})")


class Section(BaseModel):
    """Base for config sections: camelCase keys in YAML, unknown keys rejected (typos fail loudly)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


# --- foundation --------------------------------------------------------------------------------------------


class Tags(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    owner: str = Field(min_length=1)
    cost_center: str = Field(alias="cost-center", min_length=1)
    data_classification: Literal["public", "internal", "confidential", "restricted"] = Field(
        alias="data-classification"
    )


class NetworkConfig(Section):
    cidr: Cidr = "10.0.0.0/16"
    az_count: int = Field(default=2, ge=2, le=3)
    nat_gateways: int = Field(default=1, ge=1, le=3)
    interface_endpoints: bool = False
    alb_ingress_cidrs: list[Cidr] = Field(default_factory=lambda: ["10.0.0.0/8"], min_length=1)
    flow_log_retention_days: RetentionDays = 30

    @model_validator(mode="after")
    def _nat_within_azs(self) -> NetworkConfig:
        if self.nat_gateways > self.az_count:
            raise ValueError(
                f"natGateways ({self.nat_gateways}) must be at most azCount ({self.az_count}): "
                "one NAT gateway per AZ at most"
            )
        if ipaddress.ip_network(self.cidr).prefixlen > 20:
            raise ValueError(f"cidr {self.cidr} is too small: use /20 or larger so each AZ gets /24 subnets")
        return self


class LifecycleConfig(Section):
    standard_ia_days: int = Field(default=30, ge=30)
    glacier_days: int = Field(default=90, ge=1)
    deep_archive_days: int = Field(default=365, ge=1)
    noncurrent_version_expiration_days: int = Field(default=30, ge=1)

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
    access_log_retention_days: int = Field(default=90, ge=1)
    force_destroy: bool = False


class DatabaseConfig(Section):
    instance_class: RdsInstanceClass = "db.t4g.micro"
    engine_version: str = Field(default="16.4", pattern=r"^\d+(\.\d+)?$")
    allocated_storage_gb: int = Field(default=20, ge=20, le=65536)
    max_allocated_storage_gb: int = Field(default=100, ge=20, le=65536)
    multi_az: bool = False
    deletion_protection: bool = False
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    performance_insights_retention_days: int = 7

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


class DrConfig(Section):
    enabled: bool = False
    region: str = "us-west-2"


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
    initial_instance_count: int = Field(default=1, ge=1)
    min_capacity: int = Field(default=1, ge=1)
    max_capacity: int = Field(default=2, ge=1)
    target_invocations_per_instance: int = Field(default=100, ge=1)
    scale_in_cooldown_seconds: Seconds = 300
    scale_out_cooldown_seconds: Seconds = 60
    data_capture_percent: int = Field(default=20, ge=0, le=100)

    @model_validator(mode="after")
    def _bounds(self) -> EndpointConfig:
        _check_bounds(self.min_capacity, self.initial_instance_count, self.max_capacity, "minCapacity",
                      "initialInstanceCount", "maxCapacity")
        return self


class MlConfig(Section):
    sklearn_version: str = "1.2-1"
    training: TrainingConfig = Field(default_factory=TrainingConfig)
    endpoint: EndpointConfig = Field(default_factory=EndpointConfig)


class CapacityProvidersConfig(Section):
    fargate_base: Count = 0
    fargate_weight: Count = 1
    fargate_spot_weight: Count = 1

    @model_validator(mode="after")
    def _some_weight(self) -> CapacityProvidersConfig:
        if self.fargate_weight + self.fargate_spot_weight == 0:
            raise ValueError("fargateWeight and fargateSpotWeight cannot both be 0")
        return self


class ServiceConfig(Section):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")
    port: int = Field(ge=1024, le=65535)
    cpu: int
    memory_mib: int
    architecture: Literal["X86_64", "ARM64"] = "X86_64"
    desired_count: Count = 1
    min_count: Count = 1
    max_count: int = Field(default=2, ge=1)
    cpu_target_percent: float = Field(default=70, gt=0, le=100)
    scale_in_cooldown_seconds: Seconds = 300
    scale_out_cooldown_seconds: Seconds = 300
    path_patterns: list[str] = Field(min_length=1, max_length=5)
    health_check_path: str = Field(pattern=r"^/")
    secrets: list[Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]] = Field(default_factory=list)

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
        _check_bounds(self.min_count, self.desired_count, self.max_count, "minCount", "desiredCount",
                      "maxCount")
        return self


class ContainersConfig(Section):
    certificate_arn: str = Field(pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")
    capacity_providers: CapacityProvidersConfig = Field(default_factory=CapacityProvidersConfig)
    services: list[ServiceConfig] = Field(min_length=1)

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
    reserved_concurrency: int = Field(default=5, ge=1)
    chunk_size_chars: int = Field(default=1000, ge=100)
    chunk_overlap_chars: int = Field(default=100, ge=0)

    @model_validator(mode="after")
    def _overlap(self) -> ProcessingConfig:
        if self.chunk_overlap_chars >= self.chunk_size_chars:
            raise ValueError("chunkOverlapChars must be smaller than chunkSizeChars")
        return self


class ObservabilityConfig(Section):
    log_retention_days: RetentionDays = 30
    alert_emails: list[Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]] = Field(
        default_factory=list
    )


class BudgetConfig(Section):
    monthly_usd: float = Field(gt=0)


# --- the whole stack ---------------------------------------------------------------------------------------


class StackConfig(Section):
    """Everything `Pulumi.<stack>.yaml` configures, validated."""

    stack: str
    region: str
    environment: Literal["dev", "staging", "prod"]
    tags: Tags
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    data_lake: DataLakeConfig = Field(default_factory=DataLakeConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    sessions: SessionsConfig = Field(default_factory=SessionsConfig)
    dr: DrConfig = Field(default_factory=DrConfig)
    ml: MlConfig = Field(default_factory=MlConfig)
    containers: ContainersConfig
    processing: ProcessingConfig = Field(default_factory=ProcessingConfig)
    observability: ObservabilityConfig = Field(default_factory=ObservabilityConfig)
    budget: BudgetConfig | None = None

    @model_validator(mode="after")
    def _dr_region(self) -> StackConfig:
        if self.dr.enabled and self.dr.region == self.region:
            raise ValueError(f"dr.region must differ from aws:region ({self.region})")
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
            parts.append(str(item))
    return ".".join(parts)


def _key_name(location: str, project: str) -> str:
    if location in ("region", "stack"):
        return "aws:region" if location == "region" else "stack"
    return f"{project}:{location}" if location else project


def build_stack_config(stack: str, region: str | None, values: Mapping[str, Any],
                       project: str = PROJECT) -> StackConfig:
    """Validate raw config values (top-level key -> parsed value) into a `StackConfig`.

    Raises `ConfigError` naming `Pulumi.<stack>.yaml`, the key and what is allowed.
    """
    stack_file = f"Pulumi.{stack}.yaml"
    if region is None:
        raise ConfigError(f"{stack_file}: aws:region is not set; set it to an AWS region such as us-east-1.")
    regions = _aws_regions()
    if region not in regions:
        raise ConfigError(f"{stack_file}: aws:region {region!r} is not an AWS region; e.g. {sorted(regions)[:6]}")
    dr = values.get("dr")
    if isinstance(dr, Mapping) and "region" in dr and dr["region"] not in regions:
        raise ConfigError(f"{stack_file}: {project}:dr.region {dr['region']!r} is not an AWS region.")
    try:
        return StackConfig.model_validate({"stack": stack, "region": region, **values})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = _key_name(_location(error), project)
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "missing":
                message = "is required but not set"
            elif error["type"] == "extra_forbidden":
                message = "is not a known setting (check the spelling; see the README's config reference)"
            problems.append(f"{key} {message}" if error["type"] in ("missing", "extra_forbidden")
                            else f"{key}: {message}")
        raise ConfigError(f"{stack_file}: invalid config: " + "; ".join(problems)) from None


TOP_LEVEL_KEYS: tuple[str, ...] = tuple(
    (field.alias or name) for name, field in StackConfig.model_fields.items() if name not in ("stack", "region")
)


def load_stack_config() -> StackConfig:
    """Read and validate the current stack's config through the Pulumi SDK (works under mocks and the CLI)."""
    import json

    import pulumi

    project_cfg = pulumi.Config()
    values: dict[str, Any] = {}
    for key in TOP_LEVEL_KEYS:
        raw = project_cfg.get(key)
        if raw is None:
            continue
        try:
            values[key] = json.loads(raw)
        except json.JSONDecodeError:
            values[key] = raw
    return build_stack_config(pulumi.get_stack(), pulumi.Config("aws").get("region"), values,
                              pulumi.get_project())
