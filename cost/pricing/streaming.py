"""Amazon Kinesis Data Streams, Amazon Data Firehose and Amazon MSK (provisioned and Serverless).

Kinesis provisioned: shard-hours, extended retention (above 24 h, up to 7 days) per shard-hour, PUT payload
units (25 KB each; `monthlyRequests` counts them). On-demand: stream-hours, GB ingested (`monthlyDataInGb`)
and retrieved (`monthlyDataOutGb`). Firehose: GB ingested (`monthlyDataInGb`), tiered for Direct PUT, at the
Kinesis source rate when it reads a stream. MSK: broker-hours and broker storage; Serverless: cluster-hours,
partition- hours (`partitions`), GB in and out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import HOURS_PER_MONTH
from cost.pricing.base import Context, Priced, Pricer, SpecError, as_decimal, component, hourly, known, tiered

if TYPE_CHECKING:
    from inventory.model import Resource

STREAM = "aws:kinesis/stream:Stream"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
MSK_CLUSTER = "aws:msk/cluster:Cluster"
MSK_SERVERLESS = "aws:msk/serverlessCluster:ServerlessCluster"
BASE_RETENTION_HOURS = 24
EXTENDED_RETENTION_HOURS = 168


@dataclass(frozen=True)
class StreamSpec:
    on_demand: bool
    shards: int
    retention_hours: int


def parse_stream(resource: Resource, ctx: Context) -> StreamSpec:
    inputs = resource.inputs
    mode = str((inputs.get("streamModeDetails") or {}).get("streamMode") or "PROVISIONED")
    on_demand = mode == "ON_DEMAND"
    retention = int(inputs.get("retentionPeriod") or BASE_RETENTION_HOURS)
    if retention > EXTENDED_RETENTION_HOURS:
        raise SpecError(
            f"retention of {retention} h (long-term retention beyond 7 days) has no price in the catalog"
        )
    shards = 0 if on_demand else int(as_decimal(inputs.get("shardCount"), "shardCount"))
    return StreamSpec(on_demand=on_demand, shards=shards, retention_hours=retention)


def price_stream(spec: StreamSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    if spec.on_demand:
        parts = [
            component(
                ctx, "On-demand stream", "kinesis.on_demand.stream_hour", hourly(1), unit="stream-hour"
            ),
            component(
                ctx,
                "Data ingested",
                "kinesis.on_demand.data_ingested_gb",
                usage.monthly_data_in_gb,
                unit="GB",
                usage_based=True,
                usage_key="monthlyDataInGb",
            ),
            component(
                ctx,
                "Data retrieved",
                "kinesis.on_demand.data_retrieval_gb",
                usage.monthly_data_out_gb,
                unit="GB",
                usage_based=True,
                usage_key="monthlyDataOutGb",
            ),
        ]
    else:
        parts = [
            component(
                ctx,
                f"Shards ({spec.shards})",
                "kinesis.provisioned.shard_hour",
                hourly(spec.shards),
                unit="shard-hour",
            ),
            component(
                ctx,
                "PUT payload units",
                "kinesis.provisioned.put_payload_unit",
                usage.monthly_requests,
                unit="PUT payload unit",
                usage_based=True,
                usage_key="monthlyRequests",
                note="one unit per 25 KB of each record",
            ),
        ]
    problems = []
    if spec.retention_hours > BASE_RETENTION_HOURS and spec.on_demand:
        problems.append("on-demand extended retention bills per GB-month, which the catalog does not hold")
    elif spec.retention_hours > BASE_RETENTION_HOURS:
        parts.append(
            component(
                ctx,
                f"Extended retention ({spec.retention_hours} h)",
                "kinesis.provisioned.extended_retention_shard_hour",
                hourly(spec.shards),
                unit="shard-hour",
            )
        )
    return Priced(components=parts, problems=problems)


@dataclass(frozen=True)
class FirehoseSpec:
    from_stream: bool


def parse_firehose(resource: Resource, ctx: Context) -> FirehoseSpec:
    return FirehoseSpec(from_stream=bool(resource.inputs.get("kinesisSourceConfiguration")))


def price_firehose(spec: FirehoseSpec, ctx: Context) -> Priced:
    gb = ctx.usage.monthly_data_in_gb
    note = "records are billed in 5 KB increments"
    if spec.from_stream:
        parts = [
            component(
                ctx,
                "Data ingested (from a Kinesis stream)",
                "firehose.kds_source.ingested_gb.tier1",
                gb,
                unit="GB",
                usage_based=True,
                usage_key="monthlyDataInGb",
                note=note,
            )
        ]
    else:
        parts = tiered(
            ctx,
            "Data ingested (Direct PUT)",
            "firehose.direct_put.ingested_gb",
            gb,
            unit="GB",
            usage_key="monthlyDataInGb",
            note=note,
        )
    return Priced(components=parts)


@dataclass(frozen=True)
class MskSpec:
    instance_type: str
    brokers: int
    volume_gb: Decimal


def parse_msk(resource: Resource, ctx: Context) -> MskSpec:
    group = resource.inputs.get("brokerNodeGroupInfo") or {}
    storage = ((group.get("storageInfo") or {}).get("ebsStorageInfo") or {}).get("volumeSize")
    return MskSpec(
        instance_type=str(known(group.get("instanceType"), "brokerNodeGroupInfo.instanceType")),
        brokers=int(as_decimal(resource.inputs.get("numberOfBrokerNodes"), "numberOfBrokerNodes")),
        volume_gb=as_decimal(storage, "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"),
    )


def price_msk(spec: MskSpec, ctx: Context) -> Priced:
    return Priced(
        components=[
            component(
                ctx,
                f"Brokers ({spec.brokers} x {spec.instance_type})",
                f"msk.broker.{spec.instance_type}",
                hourly(spec.brokers),
                unit="broker-hour",
            ),
            component(
                ctx,
                f"Broker storage ({spec.brokers} x {spec.volume_gb.normalize():f} GB)",
                "msk.storage.gb_month",
                spec.volume_gb * spec.brokers,
                unit="GB-month",
            ),
        ]
    )


def parse_msk_serverless(resource: Resource, ctx: Context) -> str:
    return resource.name


def price_msk_serverless(spec: str, ctx: Context) -> Priced:
    usage = ctx.usage
    partitions = None if usage.partitions is None else usage.partitions * HOURS_PER_MONTH
    return Priced(
        components=[
            component(
                ctx, "Serverless cluster", "msk.serverless.cluster_hour", hourly(1), unit="cluster-hour"
            ),
            component(
                ctx,
                "Partitions",
                "msk.serverless.partition_hour",
                partitions,
                unit="partition-hour",
                usage_based=True,
                usage_key="partitions",
            ),
            component(
                ctx,
                "Data in",
                "msk.serverless.data_in_gb",
                usage.monthly_data_in_gb,
                unit="GB",
                usage_based=True,
                usage_key="monthlyDataInGb",
            ),
            component(
                ctx,
                "Data out",
                "msk.serverless.data_out_gb",
                usage.monthly_data_out_gb,
                unit="GB",
                usage_based=True,
                usage_key="monthlyDataOutGb",
            ),
            component(
                ctx,
                "Storage",
                "msk.serverless.storage",
                usage.storage_gb,
                unit="GB-month",
                usage_based=True,
                usage_key="storageGb",
            ),
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    STREAM: Pricer("Amazon Kinesis", parse_stream, price_stream),
    FIREHOSE: Pricer("Amazon Data Firehose", parse_firehose, price_firehose),
    MSK_CLUSTER: Pricer("Amazon MSK", parse_msk, price_msk),
    MSK_SERVERLESS: Pricer("Amazon MSK", parse_msk_serverless, price_msk_serverless),
}

FREE = {
    "aws:msk/configuration:Configuration": "MSK configurations are free",
    "aws:msk/scramSecretAssociation:ScramSecretAssociation": "SCRAM secret associations are free",
}
