"""Monthly cost estimates of the platform's stacks (design.md, Contract 3)."""

from cost.estimate import Estimator, estimate, price_alternative
from cost.model import HOURS_PER_MONTH, CostComponent, CostReport, ResourceCost, Saving
from cost.usage import Usage, UsageError, load_usage

__all__ = [
    "HOURS_PER_MONTH",
    "CostComponent",
    "CostReport",
    "Estimator",
    "ResourceCost",
    "Saving",
    "Usage",
    "UsageError",
    "estimate",
    "load_usage",
    "price_alternative",
]
