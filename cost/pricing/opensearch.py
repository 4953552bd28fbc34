"""Amazon OpenSearch Service: domains (data nodes, dedicated masters, EBS storage) and Serverless collections.

Each data node and dedicated master bills `opensearch.<instanceType>` per hour. EBS storage is per node:
`volumeSize` x data nodes, at the gp3 or gp2 rate; gp3 throughput above 125 MiB/s per node is billed.
Serverless collections bill OCU-hours (indexing and search at one rate). AWS keeps a minimum running from
the first collection on, idle or not: 0.5 OCU for indexing and 0.5 for search, doubled by the standby
replicas that `standbyReplicas` ENABLED (the default) adds (docs.aws.amazon.com/opensearch-service/latest/
developerguide/serverless-scaling.html). The expected figure is `averageOcu` from usage, else that minimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, as_decimal, component, hourly, known

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon OpenSearch Service"
DOMAIN = "aws:opensearch/domain:Domain"
SERVERLESS = "aws:opensearch/serverlessCollection:ServerlessCollection"
GP3_BASELINE_MIBPS = 125
MIN_OCU_PER_COPY = Decimal(1)  # 0.5 OCU indexing + 0.5 OCU search


@dataclass(frozen=True)
class DomainSpec:
    instance_type: str
    instances: int
    master_type: str
    masters: int
    volume_type: str
    volume_gb: Decimal
    throughput_mibps: Decimal


def parse_domain(resource: Resource, ctx: Context) -> DomainSpec:
    config = resource.inputs.get("clusterConfig") or {}
    ebs = resource.inputs.get("ebsOptions") or {}
    masters = int(config.get("dedicatedMasterCount") or 3) if config.get("dedicatedMasterEnabled") else 0
    return DomainSpec(
        instance_type=str(config.get("instanceType") or "m5.large.search"),  # the service's default
        instances=int(as_decimal(config.get("instanceCount") or 1, "instanceCount")),
        master_type=str(known(config.get("dedicatedMasterType"), "dedicatedMasterType")) if masters else "",
        masters=masters,
        volume_type=str(ebs.get("volumeType") or "gp2") if ebs.get("ebsEnabled") else "",
        volume_gb=as_decimal(ebs.get("volumeSize") or 0, "volumeSize"),
        throughput_mibps=Decimal(str(ebs.get("throughput") or 0)),
    )


def price_domain(spec: DomainSpec, ctx: Context) -> Priced:
    parts = [
        component(
            ctx,
            f"Data nodes ({spec.instances} x {spec.instance_type})",
            f"opensearch.{spec.instance_type}",
            hourly(spec.instances),
            unit="instance-hour",
        )
    ]
    if spec.masters:
        parts.append(
            component(
                ctx,
                f"Dedicated masters ({spec.masters} x {spec.master_type})",
                f"opensearch.{spec.master_type}",
                hourly(spec.masters),
                unit="instance-hour",
            )
        )
    if spec.volume_type:
        parts.append(
            component(
                ctx,
                f"EBS storage ({spec.volume_type}, {spec.instances} x {spec.volume_gb.normalize():f} GB)",
                f"opensearch.storage.{spec.volume_type}",
                spec.volume_gb * spec.instances,
                unit="GB-month",
            )
        )
        if spec.volume_type == "gp3" and spec.throughput_mibps > GP3_BASELINE_MIBPS:
            parts.append(
                component(
                    ctx,
                    "EBS throughput above 125 MiB/s",
                    "opensearch.storage.gp3.throughput",
                    (spec.throughput_mibps - GP3_BASELINE_MIBPS) * spec.instances,
                    unit="MBps-month",
                )
            )
    return Priced(components=parts)


@dataclass(frozen=True)
class CollectionSpec:
    kind: str
    standby_replicas: bool

    @property
    def minimum_ocu(self) -> Decimal:
        return MIN_OCU_PER_COPY * (2 if self.standby_replicas else 1)


def parse_collection(resource: Resource, ctx: Context) -> CollectionSpec:
    return CollectionSpec(
        kind=str(resource.inputs.get("type") or "TIMESERIES"),
        standby_replicas=str(resource.inputs.get("standbyReplicas") or "ENABLED").upper() != "DISABLED",
    )


def price_collection(spec: CollectionSpec, ctx: Context) -> Priced:
    average = ctx.usage.average_ocu
    ocu = spec.minimum_ocu if average is None else average
    replicas = "with standby replicas" if spec.standby_replicas else "without standby replicas"
    basis = "averageOcu" if average is not None else f"the minimum {replicas}"
    return Priced(
        components=[
            component(
                ctx,
                f"OpenSearch Compute Units ({spec.kind}, indexing + search)",
                "opensearch.serverless.ocu_hour",
                hourly(ocu),
                unit="OCU-hour",
                note=(
                    f"{format(ocu.normalize(), 'f')} OCU x 730 h ({basis}); collections of one kind that "
                    "share a KMS key share these OCUs, so several such collections cost less than their sum"
                ),
            )
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    DOMAIN: Pricer(SERVICE, parse_domain, price_domain),
    SERVERLESS: Pricer(SERVICE, parse_collection, price_collection),
}

FREE = {
    "aws:opensearch/domainPolicy:DomainPolicy": "domain access policies are free",
    "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy": "security policies are free",
    "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy": "access policies are free",
    "aws:opensearch/serverlessLifecyclePolicy:ServerlessLifecyclePolicy": "lifecycle policies are free",
}
