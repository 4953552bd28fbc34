"""Utilization of deployed resources from CloudWatch (GetMetricData, paginated) and EC2 instance specs.

Each metric is read as hourly averages over the last N days; the figure right-sizing uses is the 95th
percentile (nearest rank) of those hourly averages, so a few busy hours count but a single spike does not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

PERIOD_SECONDS = 3600
MAX_QUERIES_PER_CALL = 500
"""GetMetricData accepts at most 500 queries per request."""


@dataclass(frozen=True)
class MetricQuery:
    """One CloudWatch metric: `key` identifies it in the result."""

    key: str
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]


def p95(values: Sequence[float]) -> Decimal | None:
    """The 95th percentile by nearest rank (the smallest value at or above 95% of the sorted values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(0.95 * len(ordered))
    return Decimal(str(ordered[max(rank, 1) - 1]))


def _query(index: int, query: MetricQuery) -> dict[str, Any]:
    return {
        "Id": f"q{index}",
        "MetricStat": {
            "Metric": {
                "Namespace": query.namespace,
                "MetricName": query.metric,
                "Dimensions": [{"Name": name, "Value": value} for name, value in query.dimensions],
            },
            "Period": PERIOD_SECONDS,
            "Stat": "Average",
        },
        "ReturnData": True,
    }


def _batches(queries: Sequence[MetricQuery]) -> Iterable[list[tuple[int, MetricQuery]]]:
    indexed = list(enumerate(queries))
    for start in range(0, len(indexed), MAX_QUERIES_PER_CALL):
        yield indexed[start : start + MAX_QUERIES_PER_CALL]


def fetch_series(
    cloudwatch: Any, queries: Sequence[MetricQuery], *, days: int, now: datetime
) -> dict[str, list[float]]:
    """Hourly averages per query key over the last `days` days (every page of every batch)."""
    series: dict[str, list[float]] = {q.key: [] for q in queries}
    paginator = cloudwatch.get_paginator("get_metric_data")
    for batch in _batches(queries):
        by_id = {f"q{index}": query.key for index, query in batch}
        pages = paginator.paginate(
            MetricDataQueries=[_query(index, query) for index, query in batch],
            StartTime=now - timedelta(days=days),
            EndTime=now,
            ScanBy="TimestampAscending",
        )
        for page in pages:
            for result in page.get("MetricDataResults", []):
                series[by_id[result["Id"]]].extend(float(v) for v in result.get("Values", []))
    return series


@dataclass(frozen=True)
class InstanceSpec:
    vcpus: int
    memory_mib: int


def instance_spec(ec2: Any, instance_type: str) -> InstanceSpec | None:
    """vCPUs and memory of the EC2 type behind `ml.<type>` / `db.<type>`; None when EC2 does not know it."""
    ec2_type = instance_type.split(".", 1)[1] if instance_type.startswith(("ml.", "db.")) else instance_type
    try:
        found = ec2.describe_instance_types(InstanceTypes=[ec2_type]).get("InstanceTypes", [])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "InvalidInstanceType":
            return None
        raise
    if not found:
        return None
    return InstanceSpec(found[0]["VCpuInfo"]["DefaultVCpus"], found[0]["MemoryInfo"]["SizeInMiB"])
