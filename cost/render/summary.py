"""Aggregations every renderer shows: coverage counts and cost by component and by service."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from cost.budget import total_text
from cost.model import CostComponent, CostReport, ResourceCost
from cost.render.fmt import money, unit_price

TOP_LEVEL = "(top level)"
"""The group name for resources that have no enclosing component."""

STATUSES = ("priced", "free", "unpriced", "usage-dependent")


@dataclass(frozen=True)
class Coverage:
    total: int
    priced: int
    free: int
    unpriced: int
    usage_dependent: int

    def line(self) -> str:
        """`12 resources: 8 priced, 2 free, 1 unpriced, 1 usage-dependent` (Infracost's closing summary)."""
        return (
            f"{self.total} resources: {self.priced} priced, {self.free} free, {self.unpriced} unpriced, "
            f"{self.usage_dependent} usage-dependent"
        )


@dataclass(frozen=True)
class Group:
    name: str
    resources: int
    monthly_usd: Decimal
    min_usd: Decimal
    max_usd: Decimal


def coverage(report: CostReport) -> Coverage:
    counts = {status: 0 for status in STATUSES}
    for resource in report.resources:
        counts[resource.status] = counts.get(resource.status, 0) + 1
    return Coverage(
        total=len(report.resources),
        priced=counts["priced"],
        free=counts["free"],
        unpriced=counts["unpriced"],
        usage_dependent=counts["usage-dependent"],
    )


def _group(resources: Iterable[ResourceCost], key: Callable[[ResourceCost], str]) -> list[Group]:
    totals: dict[str, list[Decimal]] = {}
    counts: dict[str, int] = {}
    for resource in resources:
        name = key(resource)
        current = totals.setdefault(name, [Decimal(0), Decimal(0), Decimal(0)])
        current[0] += resource.monthly_usd
        current[1] += resource.min_usd
        current[2] += resource.max_usd
        counts[name] = counts.get(name, 0) + 1
    groups = [Group(name, counts[name], *values) for name, values in totals.items()]
    return sorted(groups, key=lambda g: (-g.monthly_usd, g.name))


def by_component(report: CostReport) -> list[Group]:
    """Cost per enclosing component, most expensive first; resources outside any are `(top level)`."""
    return _group(report.resources, lambda r: r.component or TOP_LEVEL)


def _split(
    report: CostReport, own: Callable[[ResourceCost], str], billed: Callable[[CostComponent], str]
) -> list[Group]:
    """Cost per group, most expensive first: a resource counts under `own(resource)` except the lines whose
    `billed(line)` names another group, which count there (the range stays with the resource's own group)."""
    totals: dict[str, list[Decimal]] = {}
    members: dict[str, set[str]] = {}
    for resource in report.resources:
        home = own(resource)
        moved = [c for c in resource.components if billed(c) and billed(c) != home]
        shares = [(home, resource.monthly_usd - sum((c.monthly_usd for c in moved), Decimal(0)))]
        shares += [(billed(c), c.monthly_usd) for c in moved]
        for name, amount in shares:
            current = totals.setdefault(name, [Decimal(0), Decimal(0), Decimal(0)])
            low = resource.min_usd - (resource.monthly_usd - amount) if name == home else amount
            high = resource.max_usd - (resource.monthly_usd - amount) if name == home else amount
            current[0] += amount
            current[1] += low
            current[2] += high
            members.setdefault(name, set()).add(resource.urn)
    groups = [Group(name, len(members[name]), *values) for name, values in totals.items()]
    return sorted(groups, key=lambda g: (-g.monthly_usd, g.name))


def by_service(report: CostReport) -> list[Group]:
    """Cost per AWS service that bills it (most expensive first): a line another service bills (X-Ray traces,
    CloudWatch custom metrics such as Container Insights) counts under that service, as on the AWS bill."""
    return _split(report, lambda r: r.service, lambda c: c.service)


def by_region(report: CostReport) -> list[Group]:
    """Cost per AWS region that bills it: a DR region's resources under that region, and a line billed in
    another region (inter-region transfer, billed where the data leaves) under the region that bills it."""
    return _split(report, lambda r: r.region, lambda c: c.region)


def awaits_usage(component: CostComponent) -> bool:
    """A usage-based component whose quantity was not given in the usage file."""
    return component.quantity is None


def usage_note(component: CostComponent) -> str:
    """Infracost's wording for a component without usage: `Monthly cost depends on usage: $0.045 per GB`."""
    if component.unit_price is None:
        return "Monthly cost depends on usage (price not in the catalog)"
    return f"Monthly cost depends on usage: {unit_price(component.unit_price)} per {component.unit}"


def listed(report: CostReport) -> list[ResourceCost]:
    """Resources shown in breakdowns: everything except free ones (those are only counted)."""
    return [r for r in report.resources if r.status != "free"]


def grouped(resources: Iterable[ResourceCost]) -> list[tuple[str, list[ResourceCost]]]:
    """Resources by component (most expensive component first), each group by cost then name."""
    groups: dict[str, list[ResourceCost]] = {}
    for resource in resources:
        groups.setdefault(resource.component or TOP_LEVEL, []).append(resource)
    ordered = sorted(groups.items(), key=lambda kv: (-sum(r.monthly_usd for r in kv[1]), kv[0]))
    return [(name, sorted(items, key=lambda r: (-r.monthly_usd, r.name))) for name, items in ordered]


def savings_total(report: CostReport) -> Decimal:
    return sum((s.monthly_saving_usd for s in report.savings), Decimal(0))


def savings_heading(report: CostReport) -> str:
    """The savings section's title; the savings are already counted in the total (it prices the Spot share,
    the shared ALB...), so a reader must not subtract them again."""
    return f"Savings (net {money(savings_total(report))}/month, already included in the total)"


def total_line(report: CostReport, per: str = "") -> str:
    """The expected monthly total, `at least ... (N resources unpriced)` when some resource is unpriced."""
    return total_text(report.total_monthly_usd, len(report.unpriced), per)


def has_usage_figures(report: CostReport) -> bool:
    """Whether some listed cost comes from the usage file (its lines carry a `*`)."""
    return any(c.usage_based and c.quantity is not None for r in listed(report) for c in r.components)
