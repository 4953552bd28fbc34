"""Amazon ElastiCache: node-based clusters and replication groups, and ElastiCache Serverless.

Nodes bill `elasticache.<engine>.<nodeType>` per node-hour (Redis OSS, Valkey, Memcached). A replication group
has `numCacheClusters` nodes, or `numNodeGroups` shards x (1 + `replicasPerNodeGroup`). A cluster that belongs
to a replication group is priced on the group. Serverless caches bill stored GB-hours (`storageGb`, the
average stored) and ECPUs (`monthlyEcpus`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cost.model import HOURS_PER_MONTH
from cost.pricing.base import (
    Context,
    FreeResource,
    Priced,
    Pricer,
    SpecError,
    as_decimal,
    component,
    hourly,
    known,
)

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon ElastiCache"
CLUSTER = "aws:elasticache/cluster:Cluster"
REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache"
ENGINES = ("redis", "valkey", "memcached")


def _engine(value: Any) -> str:
    engine = str(value or "redis").lower()
    if engine not in ENGINES:
        raise SpecError(f"engine {engine} is not priced (redis, valkey, memcached)")
    return engine


@dataclass(frozen=True)
class NodesSpec:
    engine: str
    node_type: str
    nodes: int


def parse_cluster(resource: Resource, ctx: Context) -> NodesSpec:
    inputs = resource.inputs
    if inputs.get("replicationGroupId"):
        raise FreeResource("a member of a replication group: its nodes are priced on the group")
    return NodesSpec(
        engine=_engine(inputs.get("engine")),
        node_type=str(known(inputs.get("nodeType"), "nodeType")),
        nodes=int(as_decimal(inputs.get("numCacheNodes") or 1, "numCacheNodes")),
    )


def parse_group(resource: Resource, ctx: Context) -> NodesSpec:
    inputs = resource.inputs
    if inputs.get("numNodeGroups"):
        shards = int(as_decimal(inputs["numNodeGroups"], "numNodeGroups"))
        nodes = shards * (
            1 + int(as_decimal(inputs.get("replicasPerNodeGroup") or 0, "replicasPerNodeGroup"))
        )
    else:
        nodes = int(as_decimal(inputs.get("numCacheClusters") or 1, "numCacheClusters"))
    return NodesSpec(
        engine=_engine(inputs.get("engine")),
        node_type=str(known(inputs.get("nodeType"), "nodeType")),
        nodes=nodes,
    )


def price_nodes(spec: NodesSpec, ctx: Context) -> Priced:
    name = f"Cache nodes ({spec.engine}, {spec.nodes} x {spec.node_type})"
    price_id = f"elasticache.{spec.engine}.{spec.node_type}"
    return Priced(components=[component(ctx, name, price_id, hourly(spec.nodes), unit="node-hour")])


@dataclass(frozen=True)
class ServerlessSpec:
    engine: str


def parse_serverless(resource: Resource, ctx: Context) -> ServerlessSpec:
    return ServerlessSpec(engine=_engine(known(resource.inputs.get("engine"), "engine")))


def price_serverless(spec: ServerlessSpec, ctx: Context) -> Priced:
    gb = ctx.usage.storage_gb
    return Priced(
        components=[
            component(
                ctx,
                "Data stored",
                f"elasticache.serverless.{spec.engine}.gb_hour",
                None if gb is None else gb * HOURS_PER_MONTH,
                unit="GB-hour",
                usage_based=True,
                usage_key="storageGb",
                note="" if gb is None else f"{gb} GB average x 730 h (AWS bills a minimum stored size)",
            ),
            component(
                ctx,
                "ElastiCache Processing Units",
                f"elasticache.serverless.{spec.engine}.ecpu",
                ctx.usage.monthly_ecpus,
                unit="ECPU",
                usage_based=True,
                usage_key="monthlyEcpus",
            ),
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    CLUSTER: Pricer(SERVICE, parse_cluster, price_nodes),
    REPLICATION_GROUP: Pricer(SERVICE, parse_group, price_nodes),
    SERVERLESS: Pricer(SERVICE, parse_serverless, price_serverless),
}

FREE = {
    "aws:elasticache/subnetGroup:SubnetGroup": "cache subnet groups are free",
    "aws:elasticache/parameterGroup:ParameterGroup": "cache parameter groups are free",
    "aws:elasticache/user:User": "ElastiCache users are free",
    "aws:elasticache/userGroup:UserGroup": "ElastiCache user groups are free",
}
