"""The cost report model (design.md, Contract 3). Money is `Decimal` USD per month of 730 hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

HOURS_PER_MONTH = Decimal(730)
"""Hours in a billing month: the one constant every hourly price is multiplied by."""

STATUSES = ("priced", "free", "unpriced", "usage-dependent")
SAVING_KINDS = ("spot", "rightsizing", "shared-alb")


@dataclass(frozen=True)
class CostComponent:
    """One metered line of a resource, e.g. "NAT gateway, 730 hours at $0.045 = $32.85"."""

    name: str
    unit: str
    quantity: Decimal | None
    """Monthly quantity in `unit`; None = usage-dependent and no usage given."""
    unit_price: Decimal | None
    """USD per one `unit`; None = the price is missing from the catalog (the note says why)."""
    monthly_usd: Decimal
    usage_based: bool
    price_id: str | None
    """Catalog row id the unit price comes from."""
    note: str = ""
    service: str = ""
    """The AWS service that bills this line when it is not the resource's own (X-Ray traces, CloudWatch
    metrics); empty = the resource's service."""
    region: str = ""
    """The region that bills this line when it is not the resource's own (inter-region transfer is billed
    where the data leaves); empty = the resource's region."""


@dataclass
class ResourceCost:
    urn: str
    type: str
    name: str
    component: str | None
    """Logical name of the nearest ComponentResource."""
    service: str
    region: str
    status: str
    """"priced" | "free" | "unpriced" | "usage-dependent"."""
    reason: str
    """Why the resource is unpriced or free (empty when priced)."""
    monthly_usd: Decimal
    """Expected monthly cost (autoscaled resources at their desired/initial count)."""
    min_usd: Decimal
    max_usd: Decimal
    components: list[CostComponent] = field(default_factory=list)
    drivers: dict[str, str] = field(default_factory=dict)
    """The inputs the price depends on (instance type, size, count...), as text: `cost diff` shows their
    changes even when neither side is priced."""


@dataclass(frozen=True)
class Saving:
    kind: str
    """"spot" | "rightsizing" | "shared-alb"."""
    urn: str
    name: str
    description: str
    baseline_usd: Decimal
    optimized_usd: Decimal
    monthly_saving_usd: Decimal


@dataclass
class CostReport:
    project: str
    stack: str
    region: str
    catalog_date: str
    resources: list[ResourceCost]
    savings: list[Saving]
    total_monthly_usd: Decimal
    range: tuple[Decimal, Decimal, Decimal]
    """(min, expected, max) monthly totals."""
    unpriced: list[ResourceCost]
    """Resources with status "unpriced" (a price or input is missing); their known parts are in the total."""
    currency: str = "USD"
