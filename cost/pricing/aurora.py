"""Amazon Aurora: clusters (storage, I/O, backups by usage) and their instances (provisioned or Serverless
v2).

The cluster's `storageType` picks the configuration: `aurora-iopt1` is I/O-Optimized (higher instance and
storage rates, no I/O charge), anything else is Standard (I/O requests billed). Serverless v2 instances
(`db.serverless`) bill ACU-hours between the cluster's `serverlessv2ScalingConfiguration` min and max: the
expected figure uses `averageAcu` from usage, else the minimum; the range runs from min to max capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, SpecError, as_decimal, component, hourly, known

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon RDS"
CLUSTER = "aws:rds/cluster:Cluster"
CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
_ENGINES = {
    "aurora-postgresql": "aurora_postgresql",
    "aurora-mysql": "aurora_mysql",
    "aurora": "aurora_mysql",
}


def _engine(value: Any) -> str:
    engine = str(known(value, "engine"))
    if engine not in _ENGINES:
        raise SpecError(f"engine {engine} is not Aurora; only aurora-postgresql and aurora-mysql are priced")
    return _ENGINES[engine]


def _configuration(cluster_inputs: dict[str, Any]) -> str:
    return "io_optimized" if cluster_inputs.get("storageType") == "aurora-iopt1" else "standard"


@dataclass(frozen=True)
class ClusterSpec:
    engine: str
    configuration: str


def parse_cluster(resource: Resource, ctx: Context) -> ClusterSpec:
    return ClusterSpec(
        engine=_engine(resource.inputs.get("engine")), configuration=_configuration(resource.inputs)
    )


def price_cluster(spec: ClusterSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    parts = [
        component(
            ctx,
            f"Storage ({spec.configuration.replace('_', '-')})",
            f"rds.{spec.engine}.storage.{spec.configuration}",
            usage.storage_gb,
            unit="GB-month",
            usage_based=True,
            usage_key="storageGb",
        )
    ]
    if spec.configuration == "standard":
        parts.append(
            component(
                ctx,
                "I/O requests",
                "rds.aurora.io_requests",
                usage.monthly_io_requests,
                unit="request",
                usage_based=True,
                usage_key="monthlyIoRequests",
            )
        )
    backup = usage.backup_storage_gb
    beyond = None if backup is None else max(backup - (usage.storage_gb or Decimal(0)), Decimal(0))
    parts.append(
        component(
            ctx,
            "Backup storage beyond the cluster's storage",
            f"rds.{spec.engine}.backup_storage",
            beyond,
            unit="GB-month",
            usage_based=True,
            usage_key="backupStorageGb",
            note="backups up to the cluster's storage size are free",
        )
    )
    return Priced(components=parts)


@dataclass(frozen=True)
class InstanceSpec:
    engine: str
    configuration: str
    instance_class: str
    min_acu: Decimal
    max_acu: Decimal


def parse_instance(resource: Resource, ctx: Context) -> InstanceSpec:
    inputs = resource.inputs
    cluster = ctx.links.ref(resource, "clusterIdentifier", CLUSTER)
    cluster_inputs = cluster.inputs if cluster else {}
    instance_class = str(known(inputs.get("instanceClass"), "instanceClass"))
    scaling = cluster_inputs.get("serverlessv2ScalingConfiguration") or {}
    serverless = instance_class == "db.serverless"
    if serverless and not scaling:
        raise SpecError("a db.serverless instance needs its cluster's serverlessv2ScalingConfiguration")
    return InstanceSpec(
        engine=_engine(inputs.get("engine") or cluster_inputs.get("engine")),
        configuration=_configuration(cluster_inputs),
        instance_class=instance_class,
        min_acu=as_decimal(scaling.get("minCapacity"), "minCapacity") if serverless else Decimal(0),
        max_acu=as_decimal(scaling.get("maxCapacity"), "maxCapacity") if serverless else Decimal(0),
    )


def price_instance(spec: InstanceSpec, ctx: Context) -> Priced:
    config = spec.configuration
    if spec.instance_class != "db.serverless":
        name = f"Aurora instance ({spec.instance_class}, {config.replace('_', '-')})"
        price_id = f"rds.{spec.engine}.{spec.instance_class}.{config}"
        return Priced(components=[component(ctx, name, price_id, hourly(1), unit="instance-hour")])
    price_id = (
        f"rds.{spec.engine}.serverless_v2{'_io_optimized' if config == 'io_optimized' else ''}.acu_hour"
    )
    acu = ctx.usage.average_acu if ctx.usage.average_acu is not None else spec.min_acu
    acu = min(max(acu, spec.min_acu), spec.max_acu)
    source = "averageAcu" if ctx.usage.average_acu is not None else "the minimum capacity"
    part = component(
        ctx,
        f"Serverless v2 capacity ({spec.min_acu.normalize():f}-{spec.max_acu.normalize():f} ACU)",
        price_id,
        hourly(1) * acu,
        unit="ACU-hour",
        note=f"{acu.normalize():f} ACU ({source}) x 730 h",
    )
    rate = part.unit_price or Decimal(0)
    return Priced(
        components=[part],
        min_usd=hourly(1) * spec.min_acu * rate,
        max_usd=hourly(1) * spec.max_acu * rate,
    )


PRICERS: dict[str, Pricer[Any]] = {
    CLUSTER: Pricer(SERVICE, parse_cluster, price_cluster),
    CLUSTER_INSTANCE: Pricer(SERVICE, parse_instance, price_instance),
}
