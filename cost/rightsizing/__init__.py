"""Right-sizing: SageMaker endpoints, RDS instances and Fargate services sized to their utilization.

Two sources of utilization: the usage file's `utilization: {cpuPercent, memoryPercent}` per logical name
(offline, shown as `rightsizing` savings in `cost report`), and CloudWatch metrics of a deployed stack over N
days (`cost rightsize`). Thresholds are in `cost.rightsizing.recommend`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cost.estimate import Estimator
from cost.model import Saving
from cost.rightsizing.deployed import observe
from cost.rightsizing.recommend import Recommendation, Utilization, recommend
from cost.rightsizing.targets import Target, find_targets
from cost.usage import Usage
from inventory.errors import InputError
from inventory.model import Inventory

__all__ = [
    "Recommendation",
    "Utilization",
    "cloudwatch_recommendations",
    "offline_recommendations",
    "offline_savings",
]

MAX_DAYS = 455
"""CloudWatch keeps hourly datapoints for 455 days."""


def _from_usage(target: Target, usage: Usage) -> Utilization | None:
    figures = usage.for_resource(target.resource.type, target.resource.name).utilization
    if figures is None:
        return None
    return Utilization(figures.cpu_percent, figures.memory_percent, "usage file")


def offline_recommendations(inventory: Inventory, usage: Usage) -> list[Recommendation]:
    """Recommendations for every target the usage file gives utilization for."""
    estimator = Estimator(inventory, usage=usage)
    found = []
    for target in find_targets(inventory):
        utilization = _from_usage(target, usage)
        if utilization is not None:
            found.append(recommend(target, utilization, estimator))
    return found


def offline_savings(inventory: Inventory, usage: Usage) -> list[Saving]:
    """The priced resizes the usage file's utilization figures imply, as report savings."""
    savings = (r.saving() for r in offline_recommendations(inventory, usage))
    return [s for s in savings if s is not None]


def cloudwatch_recommendations(
    inventory: Inventory,
    *,
    days: int,
    usage: Usage | None = None,
    session: Any = None,
    now: datetime | None = None,
) -> list[Recommendation]:
    """Recommendations for every target of a deployed stack from its CloudWatch metrics over `days` days."""
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"--days must be between 1 and {MAX_DAYS} (CloudWatch keeps hourly data 455 days).")
    if inventory.source == "synthesis":
        raise InputError(
            "right-sizing from CloudWatch needs the deployed names of the stack's resources: pass "
            "`--state FILE` with the output of `pulumi stack export` (or --from-usage for offline figures)."
        )
    targets = find_targets(inventory)
    observed = observe(targets, days=days, session=session, now=now or datetime.now(UTC))
    estimator = Estimator(inventory, usage=usage)
    recommendations = []
    for target in targets:
        utilization, why_not = observed[target.resource.urn]
        recommendations.append(recommend(target, utilization, estimator, why_not))
    return recommendations
