"""From utilization to a recommendation, priced through the estimator.

Thresholds (on the p95 of hourly averages for a deployed stack, on the usage file's figures offline):
- below LOW_PERCENT on both CPU and memory: one size smaller (Fargate: the smallest valid CPU/memory pair
  on which the load would run at or below FARGATE_TARGET_PERCENT);
- above HIGH_PERCENT on CPU or memory: one size larger (Fargate: the smallest pair that brings the load
  down to FARGATE_TARGET_PERCENT);
- otherwise: keep the size.
A downsizing needs both figures; an upsizing needs one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from cost.decimals import quantize
from cost.estimate import Estimator
from cost.model import Saving
from cost.render.fmt import plain
from cost.rightsizing.sizes import (
    TaskSize,
    fitting_task_size,
    neighbour,
    rds_instance_classes,
    sagemaker_endpoint_types,
)
from cost.rightsizing.targets import SAGEMAKER, Target

LOW_PERCENT = Decimal(30)
HIGH_PERCENT = Decimal(80)
FARGATE_TARGET_PERCENT = Decimal(60)

DOWNSIZE, UPSIZE, KEEP, NO_DATA = "downsize", "upsize", "keep", "no data"


@dataclass(frozen=True)
class Utilization:
    cpu_percent: Decimal | None
    memory_percent: Decimal | None
    source: str
    """Where the figures come from: "usage file" or "CloudWatch p95 of N hourly averages over D days"."""

    def describe(self) -> str:
        cpu = "n/a" if self.cpu_percent is None else f"{_pct(self.cpu_percent)}%"
        memory = "n/a" if self.memory_percent is None else f"{_pct(self.memory_percent)}%"
        return f"CPU {cpu}, memory {memory} ({self.source})"


@dataclass(frozen=True)
class Recommendation:
    target: Target
    utilization: Utilization | None
    action: str
    """"downsize" | "upsize" | "keep" | "no data"."""
    proposed: str | None
    reason: str
    baseline_usd: Decimal | None = None
    optimized_usd: Decimal | None = None

    @property
    def current(self) -> str:
        return str(self.target.size)

    @property
    def monthly_saving_usd(self) -> Decimal | None:
        if self.baseline_usd is None or self.optimized_usd is None:
            return None
        return self.baseline_usd - self.optimized_usd

    def saving(self) -> Saving | None:
        """The report's `rightsizing` saving (negative for an upsizing); None when it could not be priced."""
        if self.proposed is None or self.baseline_usd is None or self.optimized_usd is None:
            return None
        resource = self.target.resource
        return Saving(
            kind="rightsizing",
            urn=resource.urn,
            name=resource.name,
            description=f"{self.action} {self.current} -> {self.proposed}: {self.reason}",
            baseline_usd=self.baseline_usd,
            optimized_usd=self.optimized_usd,
            monthly_saving_usd=self.baseline_usd - self.optimized_usd,
        )


def _pct(value: Decimal) -> str:
    return plain(quantize(value, Decimal("0.1"), ROUND_HALF_EVEN))


def _direction(u: Utilization) -> str:
    known = [v for v in (u.cpu_percent, u.memory_percent) if v is not None]
    if any(v > HIGH_PERCENT for v in known):
        return UPSIZE
    if len(known) == 2 and all(v < LOW_PERCENT for v in known):
        return DOWNSIZE
    return KEEP


def _valid_types(target: Target) -> frozenset[str]:
    return sagemaker_endpoint_types() if target.kind == SAGEMAKER else rds_instance_classes()


def _proposal(target: Target, u: Utilization, direction: str) -> str | TaskSize | None:
    if isinstance(target.size, TaskSize):
        target_pct = FARGATE_TARGET_PERCENT
        cpu = u.cpu_percent if u.cpu_percent is not None else target_pct
        memory = u.memory_percent if u.memory_percent is not None else target_pct
        size = fitting_task_size(target.size, cpu, memory, target_pct)
        return None if size == target.size else size
    return neighbour(target.size, _valid_types(target), -1 if direction == DOWNSIZE else 1)


def _why(u: Utilization, direction: str) -> str:
    if direction == UPSIZE:
        return f"runs hot, {u.describe()} (above {HIGH_PERCENT}%)"
    if direction == DOWNSIZE:
        return f"mostly idle, {u.describe()} (below {LOW_PERCENT}%)"
    return f"{u.describe()} (within {LOW_PERCENT}-{HIGH_PERCENT}% or not enough figures to downsize)"


def _overrides(target: Target, proposed: str | TaskSize) -> dict[str, Any]:
    if isinstance(proposed, TaskSize):
        return {"cpu_units": proposed.cpu, "memory_mib": proposed.memory}
    return {"instance_type": proposed} if target.kind == SAGEMAKER else {"instance_class": proposed}


def recommend(
    target: Target, utilization: Utilization | None, estimator: Estimator, why_none: str = ""
) -> Recommendation:
    """The recommendation for one target, with the monthly saving priced by `estimator`."""
    if utilization is None or (utilization.cpu_percent is None and utilization.memory_percent is None):
        return Recommendation(target, utilization, NO_DATA, None, why_none or "no utilization figures")
    direction = _direction(utilization)
    reason = _why(utilization, direction)
    proposed = _proposal(target, utilization, direction) if direction != KEEP else None
    if proposed is None:
        if direction != KEEP:
            reason += f"; no valid {'smaller' if direction == DOWNSIZE else 'larger'} size in the family"
        return Recommendation(target, utilization, KEEP, None, reason)
    baseline, _ = estimator.price(target.resource)
    alternative, _ = estimator.price(target.resource, **_overrides(target, proposed))
    if baseline.status == "unpriced" or alternative.status == "unpriced":
        missing = alternative.reason if alternative.status == "unpriced" else baseline.reason
        return Recommendation(
            target, utilization, direction, str(proposed), f"{reason}; saving unknown: {missing}"
        )
    return Recommendation(
        target, utilization, direction, str(proposed), reason, baseline.monthly_usd, alternative.monthly_usd
    )
