"""Amazon EFS: storage by class (usage) and Elastic Throughput reads/writes.

A file system with `availabilityZoneName` is One Zone. Lifecycle policies move data to Infrequent Access and
Archive; how much sits there is usage (`storageGb` for Standard/One Zone, `infrequentAccessGb`, `archiveGb`).
With `throughputMode: elastic`, reads and writes bill per GB (`monthlyReadGb`, `monthlyWriteGb`) and the IA
rate is the Elastic Throughput one (`efs.ia.storage.elastic_throughput`); other modes use the other IA row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cost.model import CostComponent
from cost.pricing.base import Context, Priced, Pricer, SpecError, component

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon EFS"
FILE_SYSTEM = "aws:efs/fileSystem:FileSystem"


@dataclass(frozen=True)
class FileSystemSpec:
    one_zone: bool
    elastic: bool


def parse(resource: Resource, ctx: Context) -> FileSystemSpec:
    mode = str(resource.inputs.get("throughputMode") or "bursting")
    if mode == "provisioned":
        raise SpecError("provisioned throughput (MiB/s-month) has no price in the catalog")
    return FileSystemSpec(
        one_zone=bool(resource.inputs.get("availabilityZoneName")), elastic=mode == "elastic"
    )


def _storage(ctx: Context, name: str, price_id: str, gb: Any, key: str) -> CostComponent:
    return component(ctx, name, price_id, gb, unit="GB-month", usage_based=True, usage_key=key)


def price(spec: FileSystemSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    zone = "one_zone" if spec.one_zone else "standard"
    ia = (
        "one_zone_ia.storage"
        if spec.one_zone
        else ("ia.storage.elastic_throughput" if spec.elastic else "ia.storage.legacy_throughput")
    )
    parts = [
        _storage(
            ctx,
            "Storage (One Zone)" if spec.one_zone else "Storage (Standard)",
            f"efs.{zone}.storage",
            usage.storage_gb,
            "storageGb",
        ),
        _storage(
            ctx, "Storage (Infrequent Access)", f"efs.{ia}", usage.infrequent_access_gb, "infrequentAccessGb"
        ),
    ]
    if not spec.one_zone:
        parts.append(_storage(ctx, "Storage (Archive)", "efs.archive.storage", usage.archive_gb, "archiveGb"))
    if spec.elastic:
        for label, pid, gb, key in (
            (
                "Elastic Throughput reads",
                "efs.elastic_throughput.read_gb",
                usage.monthly_read_gb,
                "monthlyReadGb",
            ),
            (
                "Elastic Throughput writes",
                "efs.elastic_throughput.write_gb",
                usage.monthly_write_gb,
                "monthlyWriteGb",
            ),
        ):
            parts.append(component(ctx, label, pid, gb, unit="GB", usage_based=True, usage_key=key))
    return Priced(components=parts)


PRICERS: dict[str, Pricer[Any]] = {FILE_SYSTEM: Pricer(SERVICE, parse, price)}

FREE = {
    "aws:efs/mountTarget:MountTarget": "mount targets are free",
    "aws:efs/accessPoint:AccessPoint": "access points are free",
    "aws:efs/backupPolicy:BackupPolicy": ("the backup policy is free (AWS Backup bills the backups)"),
    "aws:efs/fileSystemPolicy:FileSystemPolicy": "file system policies are free",
}
