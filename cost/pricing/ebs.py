"""Amazon EBS volumes and snapshots, and the volume components instances, launch templates and node groups
share.

gp3 includes 3,000 IOPS and 125 MiB/s; only provisioned amounts above them are billed. io1 bills every
provisioned IOPS. io2 IOPS are tiered and the catalog holds only the first (most expensive) tier, so io2 IOPS
are priced at that rate: an upper bound. Snapshots are incremental, so their size is usage (`storageGb`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import CostComponent
from cost.pricing.base import Context, Priced, Pricer, SpecError, as_decimal, component

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon EC2"
VOLUME = "aws:ebs/volume:Volume"
SNAPSHOT = "aws:ebs/snapshot:Snapshot"
GP3_BASELINE_IOPS = 3000
GP3_BASELINE_MIBPS = 125


@dataclass(frozen=True)
class Volume:
    kind: str
    size_gb: Decimal
    iops: Decimal
    throughput_mibps: Decimal


def volume_from(block: dict[str, Any], default_kind: str = "gp2") -> Volume | None:
    """A volume from a block-device mapping (`volumeSize`, `volumeType`, `iops`, `throughput`); None without
    a size (it then comes from the AMI or snapshot, unknown offline)."""
    size = block.get("volumeSize", block.get("size"))
    if size is None:
        return None
    return Volume(
        kind=str(block.get("volumeType") or block.get("type") or default_kind),
        size_gb=as_decimal(size, "volumeSize"),
        iops=Decimal(str(block.get("iops") or 0)),
        throughput_mibps=Decimal(str(block.get("throughput") or 0)),
    )


def volume_components(ctx: Context, label: str, volume: Volume, count: Decimal) -> list[CostComponent]:
    """Storage and provisioned performance of `count` identical volumes for a month."""
    kind = volume.kind
    each = f"{count.normalize():f} x " if count != 1 else ""
    parts = [
        component(
            ctx,
            f"{label} ({kind}, {each}{volume.size_gb.normalize():f} GB)",
            f"ebs.{kind}.storage",
            volume.size_gb * count,
            unit="GB-month",
        )
    ]
    if kind == "gp3":
        if volume.iops > GP3_BASELINE_IOPS:
            extra = (volume.iops - GP3_BASELINE_IOPS) * count
            parts.append(component(ctx, f"{label} IOPS above 3000", "ebs.gp3.iops", extra, unit="IOPS-month"))
        if volume.throughput_mibps > GP3_BASELINE_MIBPS:
            extra = (volume.throughput_mibps - GP3_BASELINE_MIBPS) * count
            parts.append(
                component(
                    ctx,
                    f"{label} throughput above 125 MiB/s",
                    "ebs.gp3.throughput",
                    extra,
                    unit="MBps-month",
                )
            )
    elif kind == "io1" and volume.iops:
        parts.append(
            component(
                ctx, f"{label} provisioned IOPS", "ebs.io1.iops", volume.iops * count, unit="IOPS-month"
            )
        )
    elif kind == "io2" and volume.iops:
        parts.append(
            component(
                ctx,
                f"{label} provisioned IOPS",
                "ebs.io2.iops.tier1",
                volume.iops * count,
                unit="IOPS-month",
                note="all IOPS at the first tier's rate (the catalog has no lower tier): an upper bound",
            )
        )
    return parts


def parse_volume(resource: Resource, ctx: Context) -> Volume:
    volume = volume_from(resource.inputs)
    if volume is None:
        raise SpecError("the volume's size is not set (it comes from its snapshot, unknown offline)")
    return volume


def price_volume(spec: Volume, ctx: Context) -> Priced:
    return Priced(components=volume_components(ctx, "EBS volume", spec, Decimal(1)))


@dataclass(frozen=True)
class SnapshotSpec:
    volume: str


def parse_snapshot(resource: Resource, ctx: Context) -> SnapshotSpec:
    volumes = ctx.links.refs(resource, "volumeId")
    return SnapshotSpec(volume=volumes[0].name if volumes else "")


def price_snapshot(spec: SnapshotSpec, ctx: Context) -> Priced:
    of = f" of {spec.volume}" if spec.volume else ""
    return Priced(
        components=[
            component(
                ctx,
                f"Snapshot storage{of}",
                "ebs.snapshot.standard",
                ctx.usage.storage_gb,
                unit="GB-month",
                usage_based=True,
                usage_key="storageGb",
                note="snapshots are incremental: their stored GB is usage",
            )
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    VOLUME: Pricer(SERVICE, parse_volume, price_volume),
    SNAPSHOT: Pricer(SERVICE, parse_snapshot, price_snapshot),
}

FREE = {
    "aws:ec2/volumeAttachment:VolumeAttachment": "volume attachments are free; the volume is priced",
    "aws:ebs/defaultKmsKey:DefaultKmsKey": "the EBS default key setting is free (the KMS key is priced)",
    "aws:ebs/encryptionByDefault:EncryptionByDefault": "the EBS encryption-by-default setting is free",
}
