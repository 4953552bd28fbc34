"""Amazon VPC: NAT gateways, Elastic IPs (public IPv4) and VPC endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, SpecError, component, free, hourly, tiered
from cost.pricing.transfer import internet_egress

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon VPC"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
EIP = "aws:ec2/eip:Eip"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"


@dataclass(frozen=True)
class NatGatewaySpec:
    connectivity: str


def parse_nat(resource: Resource, ctx: Context) -> NatGatewaySpec:
    return NatGatewaySpec(connectivity=str(resource.inputs.get("connectivityType") or "public"))


def price_nat(spec: NatGatewaySpec, ctx: Context) -> Priced:
    return Priced(
        components=[
            component(ctx, "NAT gateway", "nat_gateway.hour", hourly(1), unit="hour"),
            component(
                ctx,
                "Data processed",
                "nat_gateway.data_processed",
                ctx.usage.monthly_data_processed_gb,
                unit="GB",
                usage_based=True,
                usage_key="monthlyDataProcessedGb",
            ),
            *internet_egress(
                ctx, "Data out to the internet", ctx.usage.monthly_data_out_gb, usage_key="monthlyDataOutGb"
            ),
        ]
    )


@dataclass(frozen=True)
class ElasticIpSpec:
    attached_to: str


def parse_eip(resource: Resource, ctx: Context) -> ElasticIpSpec:
    nats = ctx.links.referrers(resource, NAT_GATEWAY, "allocationId")
    return ElasticIpSpec(attached_to=nats[0].name if nats else "")


def price_eip(spec: ElasticIpSpec, ctx: Context) -> Priced:
    note = f"the public IPv4 address of NAT gateway {spec.attached_to}" if spec.attached_to else ""
    return Priced(
        components=[
            component(
                ctx,
                "Public IPv4 address",
                "public_ipv4.in_use.hour",
                hourly(1),
                unit="address-hour",
                note=note,
            )
        ]
    )


@dataclass(frozen=True)
class VpcEndpointSpec:
    kind: str
    service_name: str
    azs: int


def parse_endpoint(resource: Resource, ctx: Context) -> VpcEndpointSpec:
    kind = str(resource.inputs.get("vpcEndpointType") or "Gateway")
    subnets = resource.inputs.get("subnetIds") or []
    if kind == "Interface" and not isinstance(subnets, list):
        raise SpecError(
            "the interface endpoint's subnetIds are unknown until deployment, so its AZ count is too"
        )
    return VpcEndpointSpec(
        kind=kind, service_name=str(resource.inputs.get("serviceName", "")), azs=len(subnets)
    )


def price_endpoint(spec: VpcEndpointSpec, ctx: Context) -> Priced:
    if spec.kind == "Gateway":
        return free("gateway endpoints (S3, DynamoDB) have no hourly or data charge")
    if spec.kind != "Interface":
        hours = component(
            ctx, f"{spec.kind} endpoint", f"vpc_endpoint.{spec.kind.lower()}.hour", hourly(1), unit="hour"
        )
        return Priced(components=[hours])
    components = [
        component(
            ctx,
            f"Interface endpoint ({spec.azs} AZ)",
            "vpc_endpoint.interface.hour",
            hourly(spec.azs),
            unit="endpoint-AZ-hour",
            note=f"one endpoint network interface per subnet/AZ: {spec.azs} x 730 h",
        )
    ]
    components += tiered(
        ctx,
        "Data processed",
        "vpc_endpoint.interface.data",
        ctx.usage.monthly_data_processed_gb,
        unit="GB",
        usage_key="monthlyDataProcessedGb",
    )
    return Priced(components=components)


PRICERS: dict[str, Pricer[Any]] = {
    NAT_GATEWAY: Pricer(SERVICE, parse_nat, price_nat),
    EIP: Pricer(SERVICE, parse_eip, price_eip),
    VPC_ENDPOINT: Pricer(SERVICE, parse_endpoint, price_endpoint),
}
