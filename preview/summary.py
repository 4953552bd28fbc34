"""What `python -m preview` reports: resources by component and type, policy findings, monthly cost.

Pure data built from the inventory, the policy result (Contract 2) and the cost report (Contract 3); the
renderers in `preview.render` only format it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from inventory.model import Inventory, Resource

if TYPE_CHECKING:
    from cost.budget import BudgetStatus
    from cost.model import CostReport
    from policies.results import PolicyResult

TOP_LEVEL = "(top level)"
"""The group of resources that no component encloses."""


@dataclass(frozen=True)
class ComponentRow:
    name: str
    type: str
    urn: str
    resources: int
    types: tuple[tuple[str, int], ...]
    """Resource types in the component with their counts, most frequent first."""
    monthly_usd: Decimal | None = None


@dataclass
class Summary:
    inventory: Inventory
    components: list[ComponentRow]
    types: list[tuple[str, int]]
    policy: PolicyResult | None = None
    cost: CostReport | None = None
    budget: BudgetStatus | None = None
    top: int = 5
    notes: list[str] = field(default_factory=list)

    @property
    def resource_count(self) -> int:
        return sum(count for _, count in self.types)

    @property
    def mandatory(self) -> int:
        return len(self.policy.mandatory) if self.policy else 0

    @property
    def advisory(self) -> int:
        return len(self.policy.violations) - self.mandatory if self.policy else 0

    @property
    def over_budget(self) -> bool:
        return bool(self.budget and self.budget.exceeded)

    @property
    def exit_code(self) -> int:
        """1 when a mandatory policy is violated or the estimate is over budget, else 0."""
        return 1 if self.mandatory or self.over_budget else 0

    def top_components(self) -> list[ComponentRow]:
        """The components costing the most per month (those with a cost), most expensive first."""
        priced = [c for c in self.components if c.monthly_usd]
        return sorted(priced, key=lambda c: (-(c.monthly_usd or 0), c.name))[: self.top]


def summarize(
    inventory: Inventory,
    *,
    policy: PolicyResult | None = None,
    cost: CostReport | None = None,
    budget: BudgetStatus | None = None,
    top: int = 5,
) -> Summary:
    costs = {r.urn: r.monthly_usd for r in cost.resources} if cost else {}
    groups: dict[str, list[Resource]] = defaultdict(list)
    for resource in inventory.custom():
        component = inventory.component_of(resource)
        groups[component.urn if component else ""].append(resource)
    rows = [_row(inventory, urn, members, costs if cost else None) for urn, members in groups.items()]
    rows.sort(key=lambda r: (r.name == TOP_LEVEL, -r.resources, r.name))
    types = Counter(r.type for r in inventory.custom())
    ordered = sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))
    return Summary(inventory, rows, ordered, policy, cost, budget, top)


def _row(
    inventory: Inventory, urn: str, members: list[Resource], costs: dict[str, Decimal] | None
) -> ComponentRow:
    component = inventory.get(urn) if urn else None
    counts = Counter(r.type for r in members)
    monthly = sum((costs.get(r.urn, Decimal(0)) for r in members), Decimal(0)) if costs is not None else None
    return ComponentRow(
        name=component.name if component else TOP_LEVEL,
        type=component.type if component else "",
        urn=urn,
        resources=len(members),
        types=tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        monthly_usd=monthly,
    )
