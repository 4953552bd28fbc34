"""The monthly estimate of an inventory: every custom resource priced, free, usage-dependent or unpriced.

`estimate(inventory)` is pure: it reads only the bundled catalog (once per process). Pricers are looked up by
type token in a dict, joins are indexed once (`Links`), and each resource is priced independently, so the
cost grows linearly with the number of resources.

`Estimator` also serves right-sizing: `spec(resource)` gives the parsed inputs a price depends on (instance
type, task size...) and `price(resource, **overrides)` re-prices the resource with some of them replaced.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import TYPE_CHECKING, Any

from cost.catalog import Catalog, bundled_catalog
from cost.model import CostComponent, CostReport, ResourceCost, Saving
from cost.pricing import PRICERS, free_reason_for, service_for
from cost.pricing.base import ZERO, Context, Priced, component, tiered, total
from cost.pricing.links import Links
from cost.pricing.transfer import cross_az
from cost.usage import Usage

if TYPE_CHECKING:
    from inventory.model import Inventory, Resource

DEFAULT_REGION = "us-east-1"
CLOUDWATCH = "Amazon CloudWatch"
XRAY = "AWS X-Ray"
"""Services that bill the generic usage lines (custom metrics, traces) whatever resource produces them."""


class Estimator:
    """Prices the resources of one inventory with one usage file and one catalog."""

    def __init__(
        self, inventory: Inventory, *, usage: Usage | None = None, catalog: Catalog | None = None
    ) -> None:
        self.inventory = inventory
        self.usage = usage if usage is not None else Usage()
        self.catalog = catalog if catalog is not None else bundled_catalog()
        self.resources = inventory.custom()
        self.links = Links(self.resources)

    def context(self, resource: Resource) -> Context:
        return Context(
            resource=resource,
            inventory=self.inventory,
            links=self.links,
            catalog=self.catalog,
            region=self.inventory.region_of(resource),
            usage=self.usage.for_resource(resource.type, resource.name),
        )

    def spec(self, resource: Resource) -> Any:
        """The parsed pricing inputs of `resource` (a pricer's spec dataclass).

        Raises KeyError for a type without a pricer, `SpecError` when an input is unknown, `FreeResource` when
        the resource costs nothing itself.
        """
        return PRICERS[resource.type].parse(resource, self.context(resource))

    def price(self, resource: Resource, **overrides: Any) -> tuple[ResourceCost, list[Saving]]:
        """The cost of one resource; with `overrides`, of the resource with those spec fields replaced."""
        ctx = self.context(resource)
        pricer = PRICERS.get(resource.type)
        if pricer is None:
            reason = free_reason_for(resource.type)
            priced = Priced(free_reason=reason) if reason else Priced(problems=[_unsupported(resource.type)])
        else:
            priced = pricer.run(resource, ctx, overrides)
        generic = _generic_components(ctx)
        priced.components += generic
        if generic:
            priced.free_reason = ""
            priced.min_usd = None if priced.min_usd is None else priced.min_usd + total(generic)
            priced.max_usd = None if priced.max_usd is None else priced.max_usd + total(generic)
        service = pricer.service if pricer else service_for(resource.type)
        cost = _resource_cost(resource, ctx, priced, service, self.inventory)
        if cost.status != "free":
            cost.drivers = priced.drivers or input_drivers(resource)
        return cost, priced.savings

    def report(self) -> CostReport:
        costs: list[ResourceCost] = []
        savings: list[Saving] = []
        for resource in self.resources:
            cost, found = self.price(resource)
            costs.append(cost)
            savings += found
        # Registration order under the mocks varies from run to run; reports and diffs must not.
        costs.sort(key=lambda c: c.urn)
        savings.sort(key=lambda s: (s.kind, s.urn))
        low = sum((c.min_usd for c in costs), ZERO)
        expected = sum((c.monthly_usd for c in costs), ZERO)
        high = sum((c.max_usd for c in costs), ZERO)
        return CostReport(
            project=self.inventory.project,
            stack=self.inventory.stack,
            region=self._stack_region(),
            catalog_date=self.catalog.date,
            currency=self.catalog.currency,
            resources=costs,
            savings=savings,
            total_monthly_usd=expected,
            range=(low, expected, high),
            unpriced=[c for c in costs if c.status == "unpriced"],
        )

    def _stack_region(self) -> str:
        region = self.inventory.config.get("aws:region")
        if isinstance(region, str) and region:
            return region
        regions = Counter(self.inventory.region_of(r) for r in self.resources)
        return regions.most_common(1)[0][0] if regions else DEFAULT_REGION


def estimate(
    inventory: Inventory, *, usage: Usage | None = None, catalog: Catalog | None = None
) -> CostReport:
    """The monthly cost report of `inventory` (design.md, Contract 3)."""
    return Estimator(inventory, usage=usage, catalog=catalog).report()


def price_alternative(
    resource: Resource,
    inventory: Inventory,
    *,
    usage: Usage | None = None,
    catalog: Catalog | None = None,
    **overrides: Any,
) -> ResourceCost:
    """`resource` priced with some spec fields replaced, e.g. `instance_type="ml.m5.large"` (see
    docs/cost-model.md).

    For many resources of one inventory, build one `Estimator` and call `Estimator.price` instead.
    """
    cost, _ = Estimator(inventory, usage=usage, catalog=catalog).price(resource, **overrides)
    return cost


COST_DRIVING_INPUTS = (
    "instanceType",
    "instanceTypes",
    "instanceClass",
    "nodeType",
    "engine",
    "size",
    "type",
    "volumeType",
    "storageType",
    "allocatedStorage",
    "iops",
    "throughput",
    "multiAz",
    "tenancy",
    "capacityType",
    "desiredCount",
    "desiredCapacity",
    "minSize",
    "maxSize",
    "numberOfNodes",
    "numCacheNodes",
    "shardCount",
    "cpu",
    "memory",
)
"""Inputs shown as cost drivers of a resource whose spec could not be parsed (no pricer, unknown inputs)."""


def input_drivers(resource: Resource) -> dict[str, str]:
    """The resource's cost-driving top-level inputs as text (for `cost diff` on unpriced resources)."""
    return {
        key: str(value)
        for key in COST_DRIVING_INPUTS
        if (value := resource.inputs.get(key)) is not None and not isinstance(value, dict)
    }


def _unsupported(type_token: str) -> str:
    return f"no pricer for resource type {type_token}: it is not priced (and not assumed free)"


def _generic_components(ctx: Context) -> list[CostComponent]:
    """Usage keys any resource may carry: custom CloudWatch metrics and X-Ray traces it produces, and the
    data it sends across availability zones."""
    usage = ctx.usage
    parts: list[CostComponent] = []
    if usage.custom_metrics is not None:
        metrics = tiered(
            ctx, "Custom metrics", "cloudwatch.custom_metric", usage.custom_metrics, unit="metric-month"
        )
        parts += [dataclasses.replace(c, service=CLOUDWATCH) for c in metrics]
    if usage.monthly_xray_traces is not None:
        parts.append(
            component(
                ctx,
                "X-Ray traces recorded",
                "xray.traces_recorded",
                usage.monthly_xray_traces,
                unit="trace",
                usage_based=True,
                note="the first 100,000 traces a month are free per account (not subtracted)",
            )
        )
        parts[-1] = dataclasses.replace(parts[-1], service=XRAY)
    return parts + cross_az(ctx, usage.monthly_cross_az_gb)


def _status(priced: Priced) -> tuple[str, str]:
    """Unpriced when an input, or the price of a component with a quantity, is missing.

    A usage-based component without usage costs 0 with or without a price: its missing price is said in its
    note and makes the resource unpriced only when no component at all has a price.
    """
    components = priced.components
    if priced.free_reason and not components:
        return "free", priced.free_reason
    missing = [c for c in components if c.unit_price is None and c.quantity is not None and c.quantity != 0]
    if components and all(c.unit_price is None for c in components):
        missing = components
    reasons = priced.problems + [f"{c.name}: {c.note}" for c in missing]
    if reasons:
        return "unpriced", "; ".join(reasons)
    if components and all(c.quantity is None for c in components):
        keys = "usage keys" if len(components) > 1 else "a usage key"
        return "usage-dependent", f"every component depends on usage and the usage file sets none ({keys})"
    return "priced", ""


def _resource_cost(
    resource: Resource, ctx: Context, priced: Priced, service: str, inventory: Inventory
) -> ResourceCost:
    status, reason = _status(priced)
    expected = priced.monthly_usd
    low = expected if priced.min_usd is None else priced.min_usd
    high = expected if priced.max_usd is None else priced.max_usd
    owner = inventory.component_of(resource)
    return ResourceCost(
        urn=resource.urn,
        type=resource.type,
        name=resource.name,
        component=owner.name if owner else None,
        service=service,
        region=ctx.region,
        status=status,
        reason=reason,
        monthly_usd=expected,
        min_usd=min(low, expected),
        max_usd=max(high, expected),
        components=priced.components,
    )
