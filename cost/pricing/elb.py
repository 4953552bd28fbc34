"""Elastic Load Balancing: application and network load balancers (hours + capacity units).

LCUs come from usage, as AWS defines them: an hour bills the largest of its dimensions. ALB: 25 new
connections/s, 3,000 active connections/min, 1 GB processed/h, 1,000 rule evaluations/s per LCU. NLB (TCP):
800 new flows/s, 100,000 active flows, 1 GB/h per NLCU.

The shared-ALB saving compares the one ALB in front of N services with one ALB per service (the design
seed's drawing): the services are counted through listeners, listener rules and target groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import HOURS_PER_MONTH
from cost.pricing.base import Context, Priced, Pricer, component, hourly, saving
from cost.pricing.links import Links
from cost.pricing.transfer import internet_egress
from cost.usage import AlbTraffic

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Elastic Load Balancing"
LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"
ALB_ALIAS = "aws:alb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
LISTENER_RULE = "aws:lb/listenerRule:ListenerRule"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
ECS_SERVICE = "aws:ecs/service:Service"

_LCU_PER = {
    "application": {
        "new_connections_per_second": Decimal(25),
        "active_connections_per_minute": Decimal(3000),
        "processed_gb_per_hour": Decimal(1),
        "rule_evaluations_per_second": Decimal(1000),
    },
    "network": {
        "new_connections_per_second": Decimal(800),
        "active_connections_per_minute": Decimal(100000),
        "processed_gb_per_hour": Decimal(1),
    },
}
_PRICE_PREFIX = {"application": "alb", "network": "nlb"}


@dataclass(frozen=True)
class LoadBalancerSpec:
    kind: str
    services_behind: int
    public_addresses: int | None
    """Public IPv4 addresses: one per subnet (AZ) of an internet-facing load balancer, 0 when internal, None
    when its subnets are unknown."""


def parse(resource: Resource, ctx: Context) -> LoadBalancerSpec:
    kind = str(resource.inputs.get("loadBalancerType") or "application")
    return LoadBalancerSpec(
        kind=kind,
        services_behind=len(services_behind(ctx.links, resource)),
        public_addresses=0 if resource.inputs.get("internal") else _subnet_count(resource),
    )


def _subnet_count(lb: Resource) -> int | None:
    subnets = lb.inputs.get("subnets") or lb.inputs.get("subnetMappings")
    return len(subnets) if isinstance(subnets, list) else None


def services_behind(links: Links, lb: Resource) -> list[Resource]:
    """The ECS services (else target groups) reached through the load balancer's listeners and rules."""
    groups: list[Resource] = []
    for listener in links.referrers(lb, LISTENER, "loadBalancerArn"):
        groups += links.refs(listener, "defaultActions")
        for rule in links.referrers(listener, LISTENER_RULE, "listenerArn"):
            groups += links.refs(rule, "actions")
    groups = list({g.urn: g for g in groups if g.type == TARGET_GROUP}.values())
    services = {s.urn: s for g in groups for s in links.referrers(g, ECS_SERVICE, "loadBalancers")}
    return list(services.values()) or groups


def lcu_per_hour(kind: str, traffic: AlbTraffic | None) -> Decimal | None:
    if traffic is None:
        return None
    if traffic.lcu_per_hour is not None:
        return traffic.lcu_per_hour
    dims = [
        getattr(traffic, key) / per for key, per in _LCU_PER.get(kind, {}).items() if getattr(traffic, key)
    ]
    return max(dims) if dims else None


def price(spec: LoadBalancerSpec, ctx: Context) -> Priced:
    prefix = _PRICE_PREFIX.get(spec.kind)
    if prefix is None:
        hours = component(ctx, f"{spec.kind} load balancer", f"{spec.kind}_lb.hour", hourly(1), unit="hour")
        return Priced(components=[hours])
    lcu = lcu_per_hour(spec.kind, ctx.usage.alb)
    unit = "LCU-hour" if spec.kind == "application" else "NLCU-hour"
    components = [
        component(ctx, f"{spec.kind.capitalize()} load balancer", f"{prefix}.hour", hourly(1), unit="hour"),
        component(
            ctx,
            "Load balancer capacity units",
            f"{prefix}.lcu_hour",
            None if lcu is None else lcu * HOURS_PER_MONTH,
            unit=unit,
            usage_based=True,
            usage_key="alb.lcuPerHour",
            note="" if lcu is None else f"{lcu} LCU per hour x 730 h",
        ),
    ]
    if spec.public_addresses:
        components.append(
            component(
                ctx,
                f"Public IPv4 addresses ({spec.public_addresses}, one per subnet)",
                "public_ipv4.in_use.hour",
                hourly(spec.public_addresses),
                unit="address-hour",
                note="an internet-facing load balancer holds one public IPv4 address per AZ",
            )
        )
    components += internet_egress(
        ctx, "Data out to the internet", ctx.usage.monthly_data_out_gb, usage_key="monthlyDataOutGb"
    )
    priced = Priced(components=components)
    if spec.public_addresses is None:
        priced.problems.append(
            "the internet-facing load balancer's subnets are unknown, so its public IPv4 addresses "
            "(one per subnet) cannot be counted"
        )
    hourly_cost = components[0].monthly_usd
    if spec.services_behind >= 2 and components[0].unit_price is not None:
        n = spec.services_behind
        priced.savings.append(
            saving(
                ctx,
                "shared-alb",
                f"one shared {spec.kind} load balancer for {n} services instead of one per service: "
                f"{n - 1} fewer x 730 h x ${components[0].unit_price} (LCUs follow traffic either way)",
                hourly_cost * n,
                hourly_cost,
            )
        )
    return priced


PRICERS: dict[str, Pricer[Any]] = {
    LOAD_BALANCER: Pricer(SERVICE, parse, price),
    ALB_ALIAS: Pricer(SERVICE, parse, price),
}

FREE = {
    LISTENER: "listeners are free; traffic is priced in the load balancer's capacity units",
    LISTENER_RULE: "listener rules are free; rule evaluations count toward the load balancer's LCUs",
    TARGET_GROUP: "target groups are free",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": "target group attachments are free",
    "aws:lb/listenerCertificate:ListenerCertificate": "listener certificates are free",
}
