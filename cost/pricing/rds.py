"""Amazon RDS instances: instance hours (Single-/Multi-AZ), storage, gp3 IOPS/throughput above the baseline,
backup storage beyond the free allowance, the managed master-password secret, and cross-region backup
replication.

gp3 includes 3,000 IOPS and 125 MiB/s below 400 GB of storage and 12,000 IOPS and 500 MiB/s from 400 GB (RDS
PostgreSQL); only provisioned amounts above that are billed. Backup storage up to the provisioned storage is
free, so `backupStorageGb` (total backups) is billed beyond `allocatedStorage`. Storage autoscaling gives the
range: its upper end is storage grown to `maxAllocatedStorage`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import CostComponent
from cost.pricing.base import Context, Priced, Pricer, as_decimal, component, hourly, known, total
from cost.pricing.transfer import inter_region

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon RDS"
INSTANCE = "aws:rds/instance:Instance"
BACKUP_REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"
FREE_PI_RETENTION_DAYS = 7
_ENGINE_IDS = {"postgres": "postgresql"}
_GP3_BASELINE = {False: (3000, 125), True: (12000, 500)}
_GP3_LARGE_GB = 400


@dataclass(frozen=True)
class RdsInstanceSpec:
    engine: str
    instance_class: str
    multi_az: bool
    storage_type: str
    allocated_gb: int
    max_allocated_gb: int
    iops: int
    throughput_mibps: int
    performance_insights_days: int
    managed_secret: bool


def parse(resource: Resource, ctx: Context) -> RdsInstanceSpec:
    inputs = resource.inputs
    allocated = int(as_decimal(inputs.get("allocatedStorage"), "allocatedStorage"))
    pi_enabled = bool(inputs.get("performanceInsightsEnabled"))
    return RdsInstanceSpec(
        engine=str(known(inputs.get("engine"), "engine")),
        instance_class=str(known(inputs.get("instanceClass"), "instanceClass")),
        multi_az=bool(inputs.get("multiAz", False)),
        storage_type=str(inputs.get("storageType") or ("io1" if inputs.get("iops") else "gp2")),
        allocated_gb=allocated,
        max_allocated_gb=max(allocated, int(inputs.get("maxAllocatedStorage") or 0)),
        iops=int(inputs.get("iops") or 0),
        throughput_mibps=int(inputs.get("storageThroughput") or 0),
        performance_insights_days=int(inputs.get("performanceInsightsRetentionPeriod") or 7)
        if pi_enabled
        else 0,
        managed_secret=bool(inputs.get("manageMasterUserPassword")),
    )


def _storage(ctx: Context, spec: RdsInstanceSpec, gb: int) -> list[CostComponent]:
    az = "multi_az" if spec.multi_az else "single_az"
    kind = spec.storage_type
    parts = [component(ctx, f"Storage ({kind})", f"rds.storage.{kind}.{az}", Decimal(gb), unit="GB-month")]
    if kind == "gp3":
        base_iops, base_throughput = _GP3_BASELINE[gb >= _GP3_LARGE_GB]
        if spec.iops > base_iops:
            parts.append(
                component(
                    ctx,
                    f"Provisioned IOPS above {base_iops}",
                    f"rds.storage.gp3.iops.{az}",
                    Decimal(spec.iops - base_iops),
                    unit="IOPS-month",
                )
            )
        if spec.throughput_mibps > base_throughput:
            parts.append(
                component(
                    ctx,
                    f"Throughput above {base_throughput} MiB/s",
                    f"rds.storage.gp3.throughput.{az}",
                    Decimal(spec.throughput_mibps - base_throughput),
                    unit="MBps-month",
                )
            )
    elif kind in ("io1", "io2"):
        parts.append(
            component(
                ctx,
                "Provisioned IOPS",
                f"rds.storage.{kind}.iops.{az}",
                Decimal(spec.iops),
                unit="IOPS-month",
            )
        )
    return parts


def price(spec: RdsInstanceSpec, ctx: Context) -> Priced:
    az = "multi_az" if spec.multi_az else "single_az"
    engine = _ENGINE_IDS.get(spec.engine, spec.engine)
    deployment = "Multi-AZ" if spec.multi_az else "Single-AZ"
    instance = component(
        ctx,
        f"Database instance ({spec.instance_class}, {deployment})",
        f"rds.{engine}.{spec.instance_class}.{az}",
        hourly(1),
        unit="instance-hour",
    )
    backup = ctx.usage.backup_storage_gb
    extras = [
        component(
            ctx,
            "Backup storage beyond the free allowance",
            "rds.backup_storage",
            None if backup is None else max(backup - spec.allocated_gb, Decimal(0)),
            unit="GB-month",
            usage_based=True,
            usage_key="backupStorageGb",
            note="backups up to the provisioned storage are free",
        )
    ]
    if spec.managed_secret:
        extras.append(
            component(
                ctx,
                "Master password secret (managed by RDS)",
                "secretsmanager.secret_month",
                Decimal(1),
                unit="secret-month",
            )
        )
    storage = _storage(ctx, spec, spec.allocated_gb)
    problems = []
    if spec.performance_insights_days > FREE_PI_RETENTION_DAYS:
        problems.append(
            f"Performance Insights retention of {spec.performance_insights_days} days is not priced: the "
            "catalog's Performance Insights rows (ProvisionedFMR/AMR per vCPU-month) are not tied to a "
            "retention period by their source; 7 days is free"
        )
    components = [instance, *storage, *extras]
    high = total(components) - total(storage) + total(_storage(ctx, spec, spec.max_allocated_gb))
    return Priced(components=components, max_usd=high, problems=problems)


@dataclass(frozen=True)
class BackupReplicationSpec:
    source: str
    source_region: str
    """Region of the source DB instance; "" when it is not in the inventory."""


def parse_replication(resource: Resource, ctx: Context) -> BackupReplicationSpec:
    sources = ctx.links.refs(resource, "sourceDbInstanceArn")
    return BackupReplicationSpec(
        source=sources[0].name if sources else "",
        source_region=ctx.inventory.region_of(sources[0]) if sources else "",
    )


def price_replication(spec: BackupReplicationSpec, ctx: Context) -> Priced:
    of = f" of {spec.source}" if spec.source else ""
    return Priced(
        components=[
            component(
                ctx,
                f"Replicated backup storage{of}",
                "rds.backup_storage",
                ctx.usage.backup_storage_gb,
                unit="GB-month",
                usage_based=True,
                usage_key="backupStorageGb",
                note=f"stored in {ctx.region}",
            ),
            inter_region(
                ctx,
                "Cross-region transfer of backups",
                spec.source_region,
                ctx.region,
                ctx.usage.monthly_data_processed_gb,
            ),
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    INSTANCE: Pricer(SERVICE, parse, price),
    BACKUP_REPLICATION: Pricer(SERVICE, parse_replication, price_replication),
}

FREE = {
    "aws:rds/subnetGroup:SubnetGroup": "DB subnet groups are free",
    "aws:rds/parameterGroup:ParameterGroup": "DB parameter groups are free",
    "aws:rds/optionGroup:OptionGroup": "DB option groups are free",
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": "DB cluster parameter groups are free",
}
