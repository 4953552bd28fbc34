"""Utilization of a deployed stack's targets from CloudWatch, one CloudWatch and EC2 client per region."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from cost.rightsizing.metrics import MetricQuery, fetch_series, instance_spec, p95
from cost.rightsizing.recommend import Utilization
from cost.rightsizing.targets import RDS, SAGEMAKER, Target, metric_queries
from inventory.errors import InputError

MIN_SAMPLES = 24
"""Hourly datapoints a metric needs (one day's worth) before it is trusted."""

Observation = tuple[Utilization | None, str]
"""The utilization of a target, or None and why not."""


def _session(session: Any) -> Any:
    return session if session is not None else boto3.session.Session()


def _aws_error(exc: BotoCoreError | ClientError, region: str) -> InputError:
    if isinstance(exc, NoCredentialsError | NoRegionError):
        return InputError(
            f"cannot call AWS in {region}: {exc}. Configure credentials (AWS_PROFILE or the AWS_* "
            "environment variables) with cloudwatch:GetMetricData and ec2:DescribeInstanceTypes."
        )
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return InputError(
            f"AWS refused the request in {region}: {error.get('Code')}: {error.get('Message')}."
        )
    return InputError(f"cannot reach AWS in {region}: {exc}.")


def _utilization(
    target: Target, series: dict[str, list[float]], queries: list[MetricQuery], ec2: Any, days: int
) -> Observation:
    values = {q.metric: series[q.key] for q in queries}
    samples = min((len(series[q.key]) for q in queries), default=0)
    if samples < MIN_SAMPLES:
        return None, f"only {samples} hourly datapoints in the last {days} days (need {MIN_SAMPLES})"
    source = f"CloudWatch p95 of {samples} hourly averages over {days} days"
    if target.kind == SAGEMAKER:
        return _sagemaker(target, series, queries, ec2, source), ""
    if target.kind == RDS:
        return _rds(target, values, ec2, source), ""
    return Utilization(p95(values["CPUUtilization"]), p95(values["MemoryUtilization"]), source), ""


def _sagemaker(
    target: Target, series: dict[str, list[float]], queries: list[MetricQuery], ec2: Any, source: str
) -> Utilization:
    """SageMaker's CPUUtilization sums all cores (to 100% x vCPUs), so it is divided by the vCPUs.

    The busiest variant decides.
    """
    spec = instance_spec(ec2, str(target.size))
    cpus = [p95(series[q.key]) for q in queries if q.metric == "CPUUtilization"]
    memory = [p95(series[q.key]) for q in queries if q.metric == "MemoryUtilization"]
    cpu = max((c for c in cpus if c is not None), default=None)
    if spec is None:
        cpu, source = None, source + f"; CPU left out: vCPUs of {target.size} unknown"
    elif cpu is not None:
        cpu = cpu / spec.vcpus
    return Utilization(cpu, max((m for m in memory if m is not None), default=None), source)


def _rds(target: Target, values: dict[str, list[float]], ec2: Any, source: str) -> Utilization:
    """Memory in use = total memory of the class - FreeableMemory (bytes), as a percentage."""
    spec = instance_spec(ec2, str(target.size))
    if spec is None:
        return Utilization(p95(values["CPUUtilization"]), None, source + f"; memory of {target.size} unknown")
    total = spec.memory_mib * 1024 * 1024
    used = [max(0.0, 100.0 * (1 - free / total)) for free in values["FreeableMemory"]]
    return Utilization(p95(values["CPUUtilization"]), p95(used), source)


def _observe_region(
    session: Any, region: str, targets: list[Target], days: int, now: datetime
) -> dict[str, Observation]:
    plans = {t.resource.urn: metric_queries(t) for t in targets}
    queries = [q for qs, _ in plans.values() for q in qs]
    found: dict[str, Observation] = {}
    try:
        series = fetch_series(session.client("cloudwatch", region_name=region), queries, days=days, now=now)
        ec2 = session.client("ec2", region_name=region)
        for target in targets:
            target_queries, why_not = plans[target.resource.urn]
            found[target.resource.urn] = (
                _utilization(target, series, target_queries, ec2, days) if target_queries else (None, why_not)
            )
    except (BotoCoreError, ClientError) as exc:
        raise _aws_error(exc, region) from None
    return found


def observe(targets: list[Target], *, days: int, session: Any, now: datetime) -> dict[str, Observation]:
    """The utilization of every target, by URN."""
    by_region: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        by_region[target.region].append(target)
    aws = _session(session)
    found: dict[str, Observation] = {}
    for region, group in by_region.items():
        found.update(_observe_region(aws, region, group, days, now))
    return found
