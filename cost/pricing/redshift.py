"""Amazon Redshift: provisioned clusters (nodes, RA3 managed storage by usage) and Serverless (RPU-hours).

Serverless bills RPU-hours only while queries run: `hoursPerMonth` active hours x the workgroup's base
capacity (default 128 RPUs). Managed storage (`storageGb`) is billed on RA3 clusters and on Serverless
namespaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, as_decimal, component, hourly, known

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon Redshift"
CLUSTER = "aws:redshift/cluster:Cluster"
WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup"
NAMESPACE = "aws:redshiftserverless/namespace:Namespace"
DEFAULT_BASE_RPU = 128


def _managed_storage(ctx: Context) -> Any:
    return component(
        ctx,
        "Managed storage",
        "redshift.managed_storage",
        ctx.usage.storage_gb,
        unit="GB-month",
        usage_based=True,
        usage_key="storageGb",
    )


@dataclass(frozen=True)
class ClusterSpec:
    node_type: str
    nodes: int


def parse_cluster(resource: Resource, ctx: Context) -> ClusterSpec:
    inputs = resource.inputs
    single = str(inputs.get("clusterType") or "").lower() == "single-node"
    nodes = 1 if single else int(as_decimal(inputs.get("numberOfNodes") or 1, "numberOfNodes"))
    return ClusterSpec(node_type=str(known(inputs.get("nodeType"), "nodeType")), nodes=nodes)


def price_cluster(spec: ClusterSpec, ctx: Context) -> Priced:
    parts = [
        component(
            ctx,
            f"Nodes ({spec.nodes} x {spec.node_type})",
            f"redshift.node.{spec.node_type}",
            hourly(spec.nodes),
            unit="node-hour",
        )
    ]
    if spec.node_type.startswith("ra3."):
        parts.append(_managed_storage(ctx))
    return Priced(components=parts)


@dataclass(frozen=True)
class WorkgroupSpec:
    base_rpu: Decimal


def parse_workgroup(resource: Resource, ctx: Context) -> WorkgroupSpec:
    return WorkgroupSpec(
        base_rpu=as_decimal(resource.inputs.get("baseCapacity") or DEFAULT_BASE_RPU, "baseCapacity")
    )


def price_workgroup(spec: WorkgroupSpec, ctx: Context) -> Priced:
    hours = ctx.usage.hours_per_month
    return Priced(
        components=[
            component(
                ctx,
                f"Compute ({spec.base_rpu.normalize():f} RPU base capacity)",
                "redshift.serverless.rpu_hour",
                None if hours is None else hours * spec.base_rpu,
                unit="RPU-hour",
                usage_based=True,
                usage_key="hoursPerMonth",
                note="" if hours is None else f"{hours} active hours x {spec.base_rpu.normalize():f} RPU",
            )
        ]
    )


def parse_namespace(resource: Resource, ctx: Context) -> str:
    return resource.name


def price_namespace(spec: str, ctx: Context) -> Priced:
    return Priced(components=[_managed_storage(ctx)])


PRICERS: dict[str, Pricer[Any]] = {
    CLUSTER: Pricer(SERVICE, parse_cluster, price_cluster),
    WORKGROUP: Pricer(SERVICE, parse_workgroup, price_workgroup),
    NAMESPACE: Pricer(SERVICE, parse_namespace, price_namespace),
}

FREE = {
    "aws:redshift/subnetGroup:SubnetGroup": "Redshift subnet groups are free",
    "aws:redshift/parameterGroup:ParameterGroup": "Redshift parameter groups are free",
}
