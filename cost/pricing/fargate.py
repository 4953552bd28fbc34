"""AWS Fargate: ECS services priced from their task size, task count and capacity-provider split.

Task size (cpu units, memory MiB, CPU architecture, ephemeral storage) comes from the service's task
definition. The count is the desired count (or `expectedCount` from usage); the range comes from the
Application Auto Scaling target of the service. Tasks are split between FARGATE and FARGATE_SPOT as ECS places
them: each provider's `base` first, the rest by `weight` (fractions kept: an estimate of the long-run mix).

A Spot price missing from the catalog leaves the Spot part unpriced with the reason (never guessed). The range
stays a true range: its upper end prices Spot tasks at the on-demand rate and its lower end leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import HOURS_PER_MONTH, CostComponent
from cost.pricing.base import (
    ZERO,
    Context,
    FreeResource,
    Priced,
    Pricer,
    SpecError,
    as_decimal,
    component,
    exact,
    known,
    plain,
    saving,
    total,
)
from cost.pricing.links import Links

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "AWS Fargate"
ECS_SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
CLUSTER = "aws:ecs/cluster:Cluster"
CLUSTER_PROVIDERS = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
ON_DEMAND = "FARGATE"
SPOT = "FARGATE_SPOT"
FREE_EPHEMERAL_GB = 20


@dataclass(frozen=True)
class Share:
    """One capacity provider of the strategy."""

    provider: str
    base: int
    weight: int


@dataclass(frozen=True)
class FargateServiceSpec:
    cpu_units: int
    memory_mib: int
    arm: bool
    ephemeral_gb: int
    desired: int
    min_count: int
    max_count: int
    strategy: tuple[Share, ...]
    public_ip: bool

    @property
    def vcpu(self) -> Decimal:
        return Decimal(self.cpu_units) / 1024

    @property
    def memory_gb(self) -> Decimal:
        return Decimal(self.memory_mib) / 1024


class NotFargate(FreeResource):
    """The service runs on EC2 or external capacity, which is priced on that capacity."""


def parse(resource: Resource, ctx: Context) -> FargateServiceSpec:
    inputs = resource.inputs
    strategy = _strategy(resource, ctx.links)
    task = ctx.links.ref(resource, "taskDefinition", TASK_DEFINITION)
    if task is None:
        raise SpecError("the service's task definition is not in the inventory, so its task size is unknown")
    task_inputs = task.inputs
    platform = task_inputs.get("runtimePlatform") or {}
    if str(platform.get("operatingSystemFamily", "LINUX")).upper() != "LINUX":
        raise SpecError(
            f"Fargate on {platform['operatingSystemFamily']} is not in the price catalog (Linux only)"
        )
    desired = int(as_decimal(inputs.get("desiredCount", 0), "desiredCount"))
    low, high = _scaling_bounds(resource, ctx, desired)
    return FargateServiceSpec(
        cpu_units=int(as_decimal(task_inputs.get("cpu"), f"task definition {task.name} cpu")),
        memory_mib=int(as_decimal(task_inputs.get("memory"), f"task definition {task.name} memory")),
        arm=str(platform.get("cpuArchitecture", "X86_64")).upper() == "ARM64",
        ephemeral_gb=int((task_inputs.get("ephemeralStorage") or {}).get("sizeInGib", FREE_EPHEMERAL_GB)),
        desired=desired,
        min_count=low,
        max_count=high,
        strategy=strategy,
        public_ip=bool((inputs.get("networkConfiguration") or {}).get("assignPublicIp", False)),
    )


def _strategy(service: Resource, links: Links) -> tuple[Share, ...]:
    items = service.inputs.get("capacityProviderStrategies")
    launch_type = service.inputs.get("launchType")
    if not items and not launch_type:
        cluster = links.ref(service, "cluster", CLUSTER)
        defaults = links.referrers(cluster, CLUSTER_PROVIDERS, "clusterName") if cluster else []
        items = defaults[0].inputs.get("defaultCapacityProviderStrategies") if defaults else None
    if launch_type and launch_type != ON_DEMAND:
        raise NotFargate(f"launch type {launch_type}: the capacity it runs on is priced, not the service")
    if not items:
        return (Share(ON_DEMAND, 0, 1),)
    shares = tuple(
        Share(
            str(known(i.get("capacityProvider"), "capacityProvider")),
            int(i.get("base", 0)),
            int(i.get("weight", 0)),
        )
        for i in items
    )
    others = [s.provider for s in shares if s.provider not in (ON_DEMAND, SPOT)]
    if others:
        raise NotFargate(
            f"capacity provider(s) {', '.join(others)} run on EC2 capacity, priced on the instances"
        )
    if sum(s.weight for s in shares) == 0 and sum(s.base for s in shares) == 0:
        raise SpecError("the capacity-provider strategy has no weight and no base, so no task can be placed")
    return shares


def _scaling_bounds(service: Resource, ctx: Context, desired: int) -> tuple[int, int]:
    cluster = ctx.links.ref(service, "cluster", CLUSTER)
    cluster_name = (cluster.outputs.get("name") or cluster.inputs.get("name")) if cluster else None
    name = service.outputs.get("name") or service.inputs.get("name")
    target = ctx.links.scaling_target(service, f"service/{cluster_name}/{name}")
    if target is None:
        return desired, desired
    low = int(as_decimal(target.inputs.get("minCapacity"), "the scaling target's minCapacity"))
    high = int(as_decimal(target.inputs.get("maxCapacity"), "the scaling target's maxCapacity"))
    return low, high


def split(tasks: Decimal, strategy: tuple[Share, ...]) -> dict[str, Decimal]:
    """Tasks per capacity provider: bases first (in strategy order), then the rest by weight."""
    placed = {share.provider: ZERO for share in strategy}
    remaining = tasks
    for share in strategy:
        take = min(Decimal(share.base), remaining)
        placed[share.provider] += take
        remaining -= take
    weights = sum(share.weight for share in strategy)
    if remaining > 0 and weights:
        for share in strategy:
            placed[share.provider] += remaining * share.weight / weights
    return placed


def _ids(spec: FargateServiceSpec, provider: str) -> tuple[str, str]:
    family = ("fargate_spot" if provider == SPOT else "fargate") + (
        ".linux_arm" if spec.arm else ".linux_x86"
    )
    return f"{family}.vcpu_hour", f"{family}.gb_hour"


SPOT_AT_ON_DEMAND = (
    "FARGATE_SPOT at the on-demand rate: an upper bound (the catalog has no dated, cited Fargate Spot rate "
    "for this region); the range's lower end leaves these tasks out"
)


def _task_components(
    ctx: Context, spec: FargateServiceSpec, provider: str, tasks: Decimal
) -> list[CostComponent]:
    """vCPU and memory of `tasks` on `provider`; Spot without a catalog rate is priced at the on-demand rate
    (an upper bound, said in the note), never at $0."""
    arch = "ARM" if spec.arm else "x86"
    vcpu_id, gb_id = _ids(spec, provider)
    bound = ""
    if provider == SPOT and _task_rates(ctx, spec, SPOT) is None:
        vcpu_id, gb_id = _ids(spec, ON_DEMAND)
        bound = SPOT_AT_ON_DEMAND
    task_hours = tasks * HOURS_PER_MONTH
    note = f"{plain(tasks)} tasks x {plain(spec.vcpu)} vCPU / {plain(spec.memory_gb)} GB x 730 h"
    return [
        component(
            ctx,
            f"vCPU ({provider}, {arch})",
            vcpu_id,
            task_hours * spec.vcpu,
            unit="vCPU-hour",
            note="; ".join(filter(None, [note, bound])),
        ),
        component(
            ctx,
            f"Memory ({provider}, {arch})",
            gb_id,
            task_hours * spec.memory_gb,
            unit="GB-hour",
            note=bound,
        ),
    ]


def _extras(ctx: Context, spec: FargateServiceSpec, tasks: Decimal) -> list[CostComponent]:
    extras = []
    extra_gb = spec.ephemeral_gb - FREE_EPHEMERAL_GB
    if extra_gb > 0:
        extras.append(
            component(
                ctx,
                f"Ephemeral storage above {FREE_EPHEMERAL_GB} GB",
                "fargate.ephemeral_storage.gb_hour",
                tasks * HOURS_PER_MONTH * extra_gb,
                unit="GB-hour",
            )
        )
    if spec.public_ip:
        extras.append(
            component(
                ctx,
                "Public IPv4 addresses",
                "public_ipv4.in_use.hour",
                tasks * HOURS_PER_MONTH,
                unit="address-hour",
            )
        )
    return extras


def _provider_components(ctx: Context, spec: FargateServiceSpec, count: Decimal) -> list[CostComponent]:
    components: list[CostComponent] = []
    for provider, tasks in split(count, spec.strategy).items():
        components += _task_components(ctx, spec, provider, tasks)
    return components


def _task_rates(ctx: Context, spec: FargateServiceSpec, provider: str) -> tuple[Decimal, Decimal] | None:
    """(vCPU-hour, GB-hour) prices on `provider`; None when one is missing."""
    vcpu_id, gb_id = _ids(spec, provider)
    vcpu, gb = ctx.catalog.price(ctx.region, vcpu_id), ctx.catalog.price(ctx.region, gb_id)
    return None if vcpu is None or gb is None else (vcpu.usd, gb.usd)


def cost_at(ctx: Context, spec: FargateServiceSpec, count: int, *, spot_missing_as: str) -> Decimal:
    """Monthly cost of `count` tasks; `spot_missing_as` ("zero" | "on-demand") prices Spot with no Spot rate.

    Rounded part by part like the components, so the range meets the expected figure at the same count.
    """
    on_demand = _task_rates(ctx, spec, ON_DEMAND)
    amount = total(_extras(ctx, spec, Decimal(count)))
    for provider, tasks in split(Decimal(count), spec.strategy).items():
        rates = on_demand if provider == ON_DEMAND else _task_rates(ctx, spec, provider)
        if rates is None and provider == SPOT and spot_missing_as == "on-demand":
            rates = on_demand
        if rates is not None:
            hours = tasks * HOURS_PER_MONTH
            amount += exact(hours * spec.vcpu * rates[0]) + exact(hours * spec.memory_gb * rates[1])
    return amount


def price(spec: FargateServiceSpec, ctx: Context) -> Priced:
    count = Decimal(ctx.usage.expected_count if ctx.usage.expected_count is not None else spec.desired)
    tasks = _provider_components(ctx, spec, count)
    spot_missing = _task_rates(ctx, spec, SPOT) is None
    priced = Priced(
        components=tasks + _extras(ctx, spec, count),
        min_usd=cost_at(ctx, spec, spec.min_count, spot_missing_as="zero"),
        max_usd=cost_at(ctx, spec, spec.max_count, spot_missing_as="on-demand"),
    )
    spot_tasks = split(count, spec.strategy).get(SPOT, ZERO)
    if spot_tasks > 0 and not spot_missing:
        description = (
            f"{plain(spot_tasks)} of {plain(count)} tasks on FARGATE_SPOT instead of on-demand FARGATE"
        )
        on_demand = total(_task_components(ctx, spec, ON_DEMAND, count))
        priced.savings.append(saving(ctx, "spot", description, on_demand, total(tasks)))
    return priced


PRICERS: dict[str, Pricer[Any]] = {ECS_SERVICE: Pricer(SERVICE, parse, price)}

FREE = {
    TASK_DEFINITION: "task definitions are free; their tasks are priced on the ECS service that runs them",
    CLUSTER: "ECS clusters are free (Container Insights metrics: set `customMetrics` on the cluster)",
    CLUSTER_PROVIDERS: "capacity-provider associations are free",
}
