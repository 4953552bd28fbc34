"""Amazon EKS: clusters (standard and extended support), managed node groups and Fargate profiles.

A cluster bills `eks.cluster.standard.hour`. A version past standard support bills the extended-support metric
on top when the upgrade policy allows it (`EXTENDED`, the default); whether the version is past standard
support depends on the date, so extended support is the upper end of the range (0.10 + 0.50 = 0.60 per hour,
what the Infracost golden shows for an extended-support cluster). Node groups are EC2 instances at the desired
size, the range from min to max size; SPOT capacity is priced as in `cost.pricing.ec2`. Fargate pods are
usage: pods x vCPU/GB x 730 h at the EKS Fargate rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import HOURS_PER_MONTH
from cost.pricing.base import Context, Priced, Pricer, SpecError, as_decimal, component, hourly, total
from cost.pricing.ebs import Volume
from cost.pricing.ec2 import (
    LAUNCH_TEMPLATE,
    Machine,
    machine_components,
    template_machine,
    volumes_of,
    with_note,
)

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon EKS"
CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
FARGATE_PROFILE = "aws:eks/fargateProfile:FargateProfile"


@dataclass(frozen=True)
class ClusterSpec:
    version: str
    extended_allowed: bool


def parse_cluster(resource: Resource, ctx: Context) -> ClusterSpec:
    policy = resource.inputs.get("upgradePolicy") or {}
    return ClusterSpec(
        version=str(resource.inputs.get("version") or "latest"),
        extended_allowed=str(policy.get("supportType") or "EXTENDED").upper() == "EXTENDED",
    )


def price_cluster(spec: ClusterSpec, ctx: Context) -> Priced:
    standard = component(ctx, "EKS cluster", "eks.cluster.standard.hour", hourly(1), unit="cluster-hour")
    priced = Priced(components=[standard])
    if spec.extended_allowed:
        extended = component(
            ctx,
            "Extended support (upper end)",
            "eks.cluster.extended_support.hour",
            hourly(1),
            unit="cluster-hour",
        )
        priced.max_usd = standard.monthly_usd + extended.monthly_usd
    return priced


@dataclass(frozen=True)
class NodeGroupSpec:
    machines: tuple[Machine, ...]
    desired: int
    min_count: int
    max_count: int


def parse_node_group(resource: Resource, ctx: Context) -> NodeGroupSpec:
    inputs = resource.inputs
    scaling = inputs.get("scalingConfig") or {}
    template = template_machine(ctx.links.ref(resource, "launchTemplate", LAUNCH_TEMPLATE))
    types = list(inputs.get("instanceTypes") or []) or [
        template.get("instanceType") or "t3.medium"
    ]  # EKS's default
    if not all(isinstance(t, str) for t in types):
        raise SpecError("the node group's instanceTypes are unknown until deployment")
    if template.get("blocks"):
        volumes, _ = volumes_of(None, template["blocks"])
    else:
        size = inputs.get("diskSize") or 20
        volumes = (Volume("gp2", as_decimal(size, "diskSize"), Decimal(0), Decimal(0)),)  # EKS default
    spot = str(inputs.get("capacityType") or "ON_DEMAND").upper() == "SPOT"
    return NodeGroupSpec(
        machines=tuple(Machine(t, spot, volumes, False, False) for t in types),
        desired=int(as_decimal(scaling.get("desiredSize"), "scalingConfig.desiredSize")),
        min_count=int(as_decimal(scaling.get("minSize"), "scalingConfig.minSize")),
        max_count=int(as_decimal(scaling.get("maxSize"), "scalingConfig.maxSize")),
    )


def _nodes(ctx: Context, machine: Machine, count: int, *, spot: bool) -> Decimal:
    parts = machine_components(ctx, machine, Decimal(count))
    return total(parts) - (parts[0].monthly_usd if machine.spot and not spot else Decimal(0))


def price_node_group(spec: NodeGroupSpec, ctx: Context) -> Priced:
    parts = machine_components(ctx, spec.machines[0], Decimal(spec.desired))
    if len(spec.machines) > 1:
        names = ", ".join(m.instance_type for m in spec.machines)
        parts[0] = with_note(parts[0], f"instance types {names}: priced at the first; range over all")
    return Priced(
        components=parts,
        min_usd=min(_nodes(ctx, m, spec.min_count, spot=False) for m in spec.machines),
        max_usd=max(_nodes(ctx, m, spec.max_count, spot=True) for m in spec.machines),
    )


@dataclass(frozen=True)
class FargateProfileSpec:
    name: str


def parse_profile(resource: Resource, ctx: Context) -> FargateProfileSpec:
    return FargateProfileSpec(name=resource.name)


def price_profile(spec: FargateProfileSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    pods = usage.expected_count
    vcpu_hours = None
    gb_hours = None
    note = ""
    if pods is not None and usage.pod_vcpu is not None and usage.pod_memory_gb is not None:
        vcpu_hours = Decimal(pods) * usage.pod_vcpu * HOURS_PER_MONTH
        gb_hours = Decimal(pods) * usage.pod_memory_gb * HOURS_PER_MONTH
        note = f"{pods} pods x {usage.pod_vcpu} vCPU / {usage.pod_memory_gb} GB x 730 h"
    key = "expectedCount, podVcpu, podMemoryGb"
    return Priced(
        components=[
            component(
                ctx,
                "Fargate pod vCPU",
                "eks.fargate.linux.vcpu_hour",
                vcpu_hours,
                unit="vCPU-hour",
                usage_based=True,
                usage_key=key,
                note=note,
            ),
            component(
                ctx,
                "Fargate pod memory",
                "eks.fargate.linux.gb_hour",
                gb_hours,
                unit="GB-hour",
                usage_based=True,
                usage_key=key,
            ),
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    CLUSTER: Pricer(SERVICE, parse_cluster, price_cluster),
    NODE_GROUP: Pricer(SERVICE, parse_node_group, price_node_group),
    FARGATE_PROFILE: Pricer(SERVICE, parse_profile, price_profile),
}

FREE = {
    "aws:eks/addon:Addon": "EKS add-ons are free; the pods they run are priced on the nodes",
    "aws:eks/accessEntry:AccessEntry": "EKS access entries are free",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "EKS access policy associations are free",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": "EKS Pod Identity associations are free",
    "aws:eks/identityProviderConfig:IdentityProviderConfig": "EKS identity provider configs are free",
}
