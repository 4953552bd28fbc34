"""Size ladders: the next smaller or larger instance of the same family, and Fargate CPU/memory pairs.

Valid instance types come from botocore's service models (SageMaker's `ProductionVariantInstanceType` enum;
for RDS, `db.` + an EC2 instance type, since botocore has no RDS class enum). RDS does not offer the small
sizes of its general-purpose and memory-optimized families, so below `large` only burstable (`t`) classes
exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from awsvalues import (
    FARGATE_CPU_UNITS,
    ec2_instance_types,
    fargate_memory_options,
    sagemaker_endpoint_instance_types,
)

_NAMED_SIZES = {"nano": 1, "micro": 2, "small": 4, "medium": 8, "large": 16, "xlarge": 32}
_MULTIPLE = re.compile(r"^(\d+)xlarge$")


def size_rank(size: str) -> int | None:
    """A number ordering sizes in a family (`large` < `xlarge` < `2xlarge`); None for `metal` and such."""
    if size in _NAMED_SIZES:
        return _NAMED_SIZES[size]
    match = _MULTIPLE.match(size)
    return int(match.group(1)) * _NAMED_SIZES["xlarge"] if match else None


def split_type(instance_type: str) -> tuple[str, str] | None:
    """`ml.m5.xlarge` -> (`ml.m5`, `xlarge`); None when the type has no `<prefix>.<family>.<size>` shape."""
    parts = instance_type.split(".")
    if len(parts) != 3 or size_rank(parts[2]) is None:
        return None
    return f"{parts[0]}.{parts[1]}", parts[2]


def _rds_offered(instance_class: str) -> bool:
    family_size = split_type(instance_class)
    if family_size is None:
        return False
    family, size = family_size
    rank = size_rank(size) or 0
    return family.startswith("db.t") or rank >= _NAMED_SIZES["large"]


def sagemaker_endpoint_types() -> frozenset[str]:
    return sagemaker_endpoint_instance_types()


@cache
def rds_instance_classes() -> frozenset[str]:
    return frozenset(c for c in (f"db.{t}" for t in ec2_instance_types()) if _rds_offered(c))


def neighbour(instance_type: str, valid: Iterable[str], step: int) -> str | None:
    """The next valid size of the same family: `step` -1 = one smaller, +1 = one larger; None at the end."""
    current = split_type(instance_type)
    if current is None:
        return None
    family, size = current
    rank = size_rank(size)
    ladder = sorted(
        (size_rank(s[1]) or 0, t) for t in valid if (s := split_type(t)) is not None and s[0] == family
    )
    if step < 0:
        smaller = [t for r, t in ladder if rank is not None and r < rank]
        return smaller[-1] if smaller else None
    larger = [t for r, t in ladder if rank is not None and r > rank]
    return larger[0] if larger else None


@dataclass(frozen=True, order=True)
class TaskSize:
    """A Fargate task size: CPU units (1024 = 1 vCPU) and memory in MiB."""

    cpu: int
    memory: int

    def __str__(self) -> str:
        vcpu = Decimal(self.cpu) / 1024
        gb = Decimal(self.memory) / 1024
        return f"{format(vcpu.normalize(), 'f')} vCPU / {format(gb.normalize(), 'f')} GB"


def fargate_sizes() -> list[TaskSize]:
    """Every valid Fargate CPU/memory pair, smallest first (by CPU, then memory)."""
    return [TaskSize(cpu, memory) for cpu in FARGATE_CPU_UNITS for memory in fargate_memory_options(cpu)]


def fitting_task_size(
    current: TaskSize, cpu_percent: Decimal, memory_percent: Decimal, target: Decimal
) -> TaskSize:
    """The smallest valid pair on which the observed load would run at or below `target` percent.

    Load is observed as a percentage of the current size, so on a new size it scales by current / new.
    When nothing is big enough the largest pair is returned.
    """
    cpu_needed = Decimal(current.cpu) * cpu_percent / target
    memory_needed = Decimal(current.memory) * memory_percent / target
    sizes = fargate_sizes()
    for size in sizes:
        if size.cpu >= cpu_needed and size.memory >= memory_needed:
            return size
    return sizes[-1]
