"""The usage file (`usage.<stack>.yaml`): per-stack usage assumptions for usage-based cost components.

```yaml
version: 1
defaults:                       # by resource type token: applies to every resource of that type
  aws:lambda/function:Function:
    monthlyRequests: 100000
resources:                      # by logical name; glob patterns ("*-logs") allowed
  prod-processing-fn:
    avgDurationMs: 800
```

For one resource the values merge field by field: type default, then matching patterns (in file order), then
the exact name. Keys are camelCase and checked: a typo is an input error naming the file and the key, never
silently ignored. docs/cost-model.md lists every key and which resource types read it.
"""

from __future__ import annotations

import fnmatch
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel

from inventory.errors import InputError

Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
Fraction = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]
S3StorageClass = Literal[
    "STANDARD",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
]
_GLOB_CHARS = frozenset("*?[")


class UsageError(InputError):
    """The usage file is missing, not YAML, or has an unknown key or a bad value."""


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class Utilization(_Model):
    """Expected average utilization, read by offline right-sizing (`cost.rightsizing`)."""

    cpu_percent: Percent | None = None
    memory_percent: Percent | None = None


class AlbTraffic(_Model):
    """Load balancer traffic: `lcuPerHour` directly or the four LCU dimensions (the largest one bills)."""

    lcu_per_hour: Amount | None = None
    new_connections_per_second: Amount | None = None
    active_connections_per_minute: Amount | None = None
    processed_gb_per_hour: Amount | None = None
    rule_evaluations_per_second: Amount | None = None


class ResourceUsage(_Model):
    """Every usage key; each pricer reads the ones that apply to its resource type."""

    expected_count: int | None = Field(default=None, ge=0)
    utilization: Utilization | None = None
    monthly_data_processed_gb: Amount | None = None
    monthly_data_in_gb: Amount | None = None
    monthly_data_out_gb: Amount | None = None
    monthly_requests: Amount | None = None
    avg_duration_ms: Amount | None = None
    monthly_executions: Amount | None = None
    transitions_per_execution: Amount | None = None
    monthly_events: Amount | None = None
    monthly_notifications: Amount | None = None
    monthly_write_request_units: Amount | None = None
    monthly_read_request_units: Amount | None = None
    storage_gb: Amount | None = None
    storage_gb_by_class: dict[S3StorageClass, Amount] | None = None
    monthly_new_gb: Amount | None = None
    monthly_new_objects: Amount | None = None
    months: int | None = Field(default=None, ge=1, le=120)
    monthly_put_requests: Amount | None = None
    monthly_get_requests: Amount | None = None
    monthly_ingest_gb: Amount | None = None
    custom_metrics: Amount | None = None
    monthly_xray_traces: Amount | None = None
    training_runs_per_month: Amount | None = None
    training_hours_per_run: Amount | None = None
    spot_billable_fraction: Fraction | None = None
    backup_storage_gb: Amount | None = None
    alb: AlbTraffic | None = None
    hours_per_month: Annotated[Decimal, Field(ge=0, le=744, allow_inf_nan=False)] | None = None
    monthly_cross_az_gb: Amount | None = None
    monthly_io_requests: Amount | None = None
    average_acu: Amount | None = None
    average_ocu: Amount | None = None
    monthly_ecpus: Amount | None = None
    infrequent_access_gb: Amount | None = None
    archive_gb: Amount | None = None
    monthly_read_gb: Amount | None = None
    monthly_write_gb: Amount | None = None
    monthly_runs: Amount | None = None
    hours_per_run: Amount | None = None
    monthly_dpu_hours: Amount | None = None
    monthly_tb_scanned: Amount | None = None
    monthly_connection_minutes: Amount | None = None
    partitions: Amount | None = None
    pod_vcpu: Amount | None = None
    pod_memory_gb: Amount | None = None
    monthly_embedding_tokens: Amount | None = None


NO_USAGE = ResourceUsage()


class Usage(_Model):
    version: Literal[1] = 1
    defaults: dict[str, ResourceUsage] = Field(default_factory=dict)
    resources: dict[str, ResourceUsage] = Field(default_factory=dict)

    @field_validator("defaults")
    @classmethod
    def _type_tokens(cls, value: dict[str, ResourceUsage]) -> dict[str, ResourceUsage]:
        bad = [key for key in value if key.count(":") != 2]
        if bad:
            raise ValueError(
                "keys must be resource type tokens such as aws:lambda/function:Function "
                f"(got {', '.join(bad)})"
            )
        return value

    def for_resource(self, type_token: str, name: str) -> ResourceUsage:
        """The merged usage of one resource: type default < matching patterns < exact logical name."""
        layers = [self.defaults.get(type_token)]
        layers += [
            u for key, u in self.resources.items() if _is_pattern(key) and fnmatch.fnmatchcase(name, key)
        ]
        layers.append(self.resources.get(name))
        present = [layer for layer in layers if layer is not None]
        if not present:
            return NO_USAGE
        if len(present) == 1:
            return present[0]
        merged: dict[str, Any] = {}
        for layer in present:
            for key, value in layer.model_dump(exclude_unset=True).items():
                if isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
        return ResourceUsage.model_validate(merged)


def _is_pattern(key: str) -> bool:
    return not _GLOB_CHARS.isdisjoint(key)


def load_usage(path: str | Path) -> Usage:
    """Read and validate a usage file; problems raise `UsageError` with one paragraph naming file and key."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read the usage file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"the usage file {path} is not UTF-8 text: byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start}"
        ) from None
    except yaml.YAMLError as exc:
        raise UsageError(f"the usage file {path} is not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise UsageError(f"the usage file {path} nests too deeply to read") from None
    if data is None:
        return Usage()
    if not isinstance(data, dict):
        raise UsageError(
            f"the usage file {path} must be a mapping with `version`, `defaults` and `resources`"
        )
    try:
        return Usage.model_validate(data)
    except ValidationError as exc:
        raise UsageError(f"the usage file {path} has invalid entries: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = (
            "unknown key (see docs/cost-model.md)" if error["type"] == "extra_forbidden" else error["msg"]
        )
        problems.append(f"{where}: {message}")
    return "; ".join(problems)
