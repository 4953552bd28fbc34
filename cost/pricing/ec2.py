"""Amazon EC2: instances, spot instance requests, Auto Scaling groups (with their launch template or mixed
instances policy), and the public IPv4 address of an instance.

Instances are priced at the catalog's on-demand Linux rate (`ec2.linux.<type>`, shared tenancy); the AMI's
platform is not known offline, so Linux is assumed unless the instance asks for a Windows password. Dedicated
tenancy and Windows/RHEL have no catalog rows and are unpriced with the reason.

Spot capacity: the catalog has no dated, cited spot price, so spot instances are priced at the on-demand rate,
which is their upper bound (a spot request's `spotPrice`, when lower, caps it). The lower end of the range
leaves spot compute out: a true but loose bound, never an invented discount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import CostComponent
from cost.pricing.base import (
    ZERO,
    Context,
    Priced,
    Pricer,
    SpecError,
    as_decimal,
    component,
    exact,
    hourly,
    known,
    total,
)
from cost.pricing.ebs import Volume, volume_components, volume_from

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon EC2"
INSTANCE = "aws:ec2/instance:Instance"
SPOT_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ASG = "aws:autoscaling/group:Group"
SPOT_UPPER_BOUND = (
    "spot at the on-demand rate: an upper bound (the catalog has no dated, cited spot price); "
    "the range's lower end leaves spot compute out"
)


@dataclass(frozen=True)
class Machine:
    """What one instance is: its type, market, volumes and whether it has a public IPv4 address."""

    instance_type: str
    spot: bool
    volumes: tuple[Volume, ...]
    root_from_ami: bool
    public_ip: bool
    spot_max_usd: Decimal | None = None


def _tenancy_and_os(inputs: dict[str, Any]) -> None:
    tenancy = str(inputs.get("tenancy") or (inputs.get("placement") or {}).get("tenancy") or "default")
    if tenancy != "default":
        raise SpecError(f"{tenancy} tenancy has no price in the catalog (shared-tenancy Linux rates only)")
    if inputs.get("getPasswordData"):
        raise SpecError("a Windows instance (getPasswordData) has no price in the catalog (Linux rates only)")


def volumes_of(root: dict[str, Any] | None, blocks: list[dict[str, Any]]) -> tuple[tuple[Volume, ...], bool]:
    """(volumes with a known size, whether the root volume's size comes from the AMI)."""
    root_volume = volume_from(root or {})
    volumes = [root_volume] if root_volume else []
    volumes += [v for v in (volume_from(b.get("ebs", b)) for b in blocks) if v is not None]
    return tuple(volumes), root_volume is None


def template_machine(template: Resource | None) -> dict[str, Any]:
    """The launch template's inputs an instance inherits (type, volumes, market, public IP)."""
    if template is None:
        return {}
    inputs = template.inputs
    interfaces = inputs.get("networkInterfaces") or []
    mappings = inputs.get("blockDeviceMappings") or []
    return {
        "instanceType": inputs.get("instanceType"),
        "blocks": mappings,
        "spot": (inputs.get("instanceMarketOptions") or {}).get("marketType") == "spot",
        "public_ip": any(bool(i.get("associatePublicIpAddress")) for i in interfaces),
    }


def parse_instance(resource: Resource, ctx: Context) -> Machine:
    inputs = resource.inputs
    _tenancy_and_os(inputs)
    template = template_machine(ctx.links.ref(resource, "launchTemplate", LAUNCH_TEMPLATE))
    instance_type = inputs.get("instanceType") or template.get("instanceType")
    blocks = list(inputs.get("ebsBlockDevices") or []) or template.get("blocks", [])
    volumes, from_ami = volumes_of(inputs.get("rootBlockDevice"), blocks)
    market = (inputs.get("instanceMarketOptions") or {}).get("marketType")
    spot_max = inputs.get("spotPrice") if resource.type == SPOT_REQUEST else None
    return Machine(
        instance_type=str(known(instance_type, "instanceType")),
        spot=resource.type == SPOT_REQUEST or market == "spot" or bool(template.get("spot")),
        volumes=volumes,
        root_from_ami=from_ami and not template.get("blocks"),
        public_ip=bool(inputs.get("associatePublicIpAddress")) or bool(template.get("public_ip")),
        spot_max_usd=None if spot_max in (None, "") else as_decimal(spot_max, "spotPrice"),
    )


def machine_components(ctx: Context, machine: Machine, count: Decimal) -> list[CostComponent]:
    """`count` always-on instances of `machine`: compute, volumes, public IPv4."""
    market = "spot" if machine.spot else "on-demand"
    parts = [
        component(
            ctx,
            f"Instance ({machine.instance_type}, Linux, {market})",
            f"ec2.linux.{machine.instance_type}",
            hourly(count),
            unit="instance-hour",
            note=SPOT_UPPER_BOUND if machine.spot else "",
        )
    ]
    cap, rate = machine.spot_max_usd, parts[0].unit_price
    if machine.spot and cap is not None and rate is not None and cap < rate:
        parts[0] = _capped(parts[0], cap)
    for index, volume in enumerate(machine.volumes):
        label = "Root volume" if index == 0 and not machine.root_from_ami else "EBS volume"
        parts += volume_components(ctx, label, volume, count)
    if machine.root_from_ami:
        parts.append(
            component(
                ctx,
                "Root volume (size from the AMI)",
                "ebs.gp2.storage",
                None,
                unit="GB-month",
                usage_based=True,
                note="set rootBlockDevice.volumeSize to price it",
            )
        )
    if machine.public_ip:
        parts.append(
            component(
                ctx, "Public IPv4 address", "public_ipv4.in_use.hour", hourly(count), unit="address-hour"
            )
        )
    return parts


def _capped(part: CostComponent, cap: Decimal) -> CostComponent:
    quantity = part.quantity or ZERO
    note = f"spot at most the request's spotPrice ${cap} per hour (below on-demand): an upper bound"
    return CostComponent(
        part.name, part.unit, part.quantity, cap, exact(quantity * cap), False, part.price_id, note
    )


def _without_spot_compute(parts: list[CostComponent], machine: Machine) -> Decimal:
    return total(parts) - (parts[0].monthly_usd if machine.spot else ZERO)


def price_instance(spec: Machine, ctx: Context) -> Priced:
    parts = machine_components(ctx, spec, Decimal(1))
    return Priced(components=parts, min_usd=_without_spot_compute(parts, spec) if spec.spot else None)


@dataclass(frozen=True)
class GroupSpec:
    """An Auto Scaling group: instance types in priority order, counts, and the on-demand/spot split."""

    machines: tuple[Machine, ...]
    desired: int
    min_count: int
    max_count: int
    on_demand_base: int
    on_demand_percent: int


def _group_template(resource: Resource, ctx: Context) -> tuple[Resource | None, list[str]]:
    mixed = resource.inputs.get("mixedInstancesPolicy") or {}
    overrides = (mixed.get("launchTemplate") or {}).get("overrides") or []
    types = [str(o["instanceType"]) for o in overrides if o.get("instanceType")]
    refs = ctx.links.refs(resource, "mixedInstancesPolicy") + ctx.links.refs(resource, "launchTemplate")
    template = next((r for r in refs if r.type == LAUNCH_TEMPLATE), None)
    return template, types


def parse_group(resource: Resource, ctx: Context) -> GroupSpec:
    inputs = resource.inputs
    if inputs.get("launchConfiguration"):
        raise SpecError("launch configurations are not read: use a launch template (its instance type)")
    template, override_types = _group_template(resource, ctx)
    if template is None:
        raise SpecError(
            "the group's launch template is not in the inventory, so its instance type is unknown"
        )
    _tenancy_and_os(template.inputs)
    base = template_machine(template)
    types = override_types or [str(known(base.get("instanceType"), "the launch template's instanceType"))]
    volumes, from_ami = volumes_of(None, base.get("blocks", []))
    low = int(as_decimal(inputs.get("minSize"), "minSize"))
    high = int(as_decimal(inputs.get("maxSize"), "maxSize"))
    desired = int(inputs.get("desiredCapacity") or low)
    distribution = (inputs.get("mixedInstancesPolicy") or {}).get("instancesDistribution") or {}
    spot_template = bool(base.get("spot"))
    return GroupSpec(
        machines=tuple(
            Machine(t, spot_template, volumes, from_ami and not volumes, bool(base.get("public_ip")))
            for t in types
        ),
        desired=desired,
        min_count=low,
        max_count=high,
        on_demand_base=0 if spot_template else int(distribution.get("onDemandBaseCapacity") or 0),
        on_demand_percent=0
        if spot_template
        else int(distribution.get("onDemandPercentageAboveBaseCapacity", 100)),
    )


def split(spec: GroupSpec, count: int) -> tuple[Decimal, Decimal]:
    """(on-demand, spot) instances of `count`: the on-demand base first, then the percentage above it."""
    base = Decimal(min(spec.on_demand_base, count))
    above = Decimal(count) - base
    on_demand = base + above * spec.on_demand_percent / 100
    return on_demand, Decimal(count) - on_demand


def _fleet(ctx: Context, spec: GroupSpec, machine: Machine, count: int) -> list[CostComponent]:
    on_demand, spot = split(spec, count)
    parts: list[CostComponent] = []
    for market, n in ((False, on_demand), (True, spot)):
        if n > 0:
            parts += machine_components(ctx, Machine(machine.instance_type, market, *_rest(machine)), n)
    return parts


def _rest(machine: Machine) -> tuple[tuple[Volume, ...], bool, bool]:
    return machine.volumes, machine.root_from_ami, machine.public_ip


def _fleet_cost(ctx: Context, spec: GroupSpec, machine: Machine, count: int, *, spot: bool) -> Decimal:
    parts = _fleet(ctx, spec, machine, count)
    return total(p for p in parts if spot or "spot)" not in p.name)


def price_group(spec: GroupSpec, ctx: Context) -> Priced:
    first = spec.machines[0]
    parts = _fleet(ctx, spec, first, spec.desired)
    lows = [_fleet_cost(ctx, spec, m, spec.min_count, spot=False) for m in spec.machines]
    highs = [_fleet_cost(ctx, spec, m, spec.max_count, spot=True) for m in spec.machines]
    if len(spec.machines) > 1:
        names = ", ".join(m.instance_type for m in spec.machines)
        parts[0] = with_note(parts[0], f"mixed instances ({names}): priced at the first; range over all")
    return Priced(components=parts, min_usd=min(lows), max_usd=max(highs))


def with_note(part: CostComponent, note: str) -> CostComponent:
    text = "; ".join(filter(None, [part.note, note]))
    return CostComponent(
        part.name,
        part.unit,
        part.quantity,
        part.unit_price,
        part.monthly_usd,
        part.usage_based,
        part.price_id,
        text,
    )


PRICERS: dict[str, Pricer[Any]] = {
    INSTANCE: Pricer(SERVICE, parse_instance, price_instance),
    SPOT_REQUEST: Pricer(SERVICE, parse_instance, price_instance),
    ASG: Pricer(SERVICE, parse_group, price_group),
}

FREE = {
    LAUNCH_TEMPLATE: "launch templates are free; their instances are priced on the instances and groups",
    "aws:autoscaling/policy:Policy": "scaling policies are free; the group is priced with its range",
    "aws:autoscaling/attachment:Attachment": "Auto Scaling attachments are free",
    "aws:autoscaling/lifecycleHook:LifecycleHook": "lifecycle hooks are free",
    "aws:autoscaling/schedule:Schedule": "scheduled actions are free; the group's range covers them",
    "aws:ec2/eipAssociation:EipAssociation": "EIP associations are free; the address is priced on the EIP",
}
