"""Amazon CloudWatch: alarms (per metric, standard or high resolution, anomaly detection = 3 metrics),
composite alarms, dashboards, and log groups (ingestion and storage).

Log storage is `storageGb`; without it, it is derived from `monthlyIngestGb` and the retention period (data
kept for min(retention, `months`) months). That derivation uses the ingested size, an upper bound: CloudWatch
bills the compressed archive. Custom metrics and X-Ray traces are usage keys on any resource (`customMetrics`,
`monthlyXrayTraces`), priced by the estimate itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, component
from cost.pricing.s3 import DAYS_PER_MONTH, DEFAULT_MONTHS

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon CloudWatch"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
HIGH_RESOLUTION_BELOW_S = 60
ANOMALY_METRICS = 3


@dataclass(frozen=True)
class AlarmSpec:
    metrics: int
    high_resolution: bool
    anomaly_detection: bool


def parse_alarm(resource: Resource, ctx: Context) -> AlarmSpec:
    inputs = resource.inputs
    queries = inputs.get("metricQueries") or []
    periods = [int(inputs.get("period") or HIGH_RESOLUTION_BELOW_S)]
    periods += [int(q["metric"].get("period") or HIGH_RESOLUTION_BELOW_S) for q in queries if q.get("metric")]
    anomaly = any("ANOMALY_DETECTION_BAND" in str(q.get("expression", "")) for q in queries)
    return AlarmSpec(
        metrics=max(1, sum(1 for q in queries if q.get("metric"))),
        high_resolution=min(periods) < HIGH_RESOLUTION_BELOW_S,
        anomaly_detection=anomaly,
    )


def price_alarm(spec: AlarmSpec, ctx: Context) -> Priced:
    kind = "high_resolution" if spec.high_resolution else "standard"
    metrics = spec.metrics * (ANOMALY_METRICS if spec.anomaly_detection else 1)
    label = "High-resolution" if spec.high_resolution else "Standard"
    note = "anomaly detection bills 3 metrics per metric" if spec.anomaly_detection else ""
    return Priced(
        components=[
            component(
                ctx,
                f"{label} alarm metrics",
                f"cloudwatch.alarm.{kind}",
                Decimal(metrics),
                unit="alarm-month",
                note=note,
            )
        ]
    )


@dataclass(frozen=True)
class FlatSpec:
    """A resource billed a flat monthly fee."""

    name: str
    price_id: str
    unit: str
    note: str = ""


def parse_flat(resource: Resource, ctx: Context) -> FlatSpec:
    if resource.type == COMPOSITE_ALARM:
        return FlatSpec("Composite alarm", "cloudwatch.alarm.composite", "alarm-month")
    return FlatSpec(
        "Dashboard",
        "cloudwatch.dashboard",
        "dashboard-month",
        "an account's first 3 dashboards are free (not subtracted)",
    )


def price_flat(spec: FlatSpec, ctx: Context) -> Priced:
    return Priced(
        components=[component(ctx, spec.name, spec.price_id, Decimal(1), unit=spec.unit, note=spec.note)]
    )


@dataclass(frozen=True)
class LogGroupSpec:
    infrequent_access: bool
    retention_days: int | None
    """None = never expire."""


def parse_log_group(resource: Resource, ctx: Context) -> LogGroupSpec:
    retention = resource.inputs.get("retentionInDays")
    return LogGroupSpec(
        infrequent_access=resource.inputs.get("logGroupClass") == "INFREQUENT_ACCESS",
        retention_days=int(retention) if retention else None,
    )


def price_log_group(spec: LogGroupSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    ingest = usage.monthly_ingest_gb
    stored, note = usage.storage_gb, ""
    if stored is None and ingest is not None:
        months = Decimal(usage.months or DEFAULT_MONTHS)
        kept = (
            months
            if spec.retention_days is None
            else min(months, Decimal(spec.retention_days) / DAYS_PER_MONTH)
        )
        stored = ingest * kept
        note = (
            f"{ingest} GB/month kept {kept.quantize(Decimal('0.01'))} months, uncompressed (an upper bound)"
        )
    kind = "infrequent_access" if spec.infrequent_access else "standard"
    return Priced(
        components=[
            component(
                ctx,
                f"Log ingestion ({kind.replace('_', ' ')})",
                f"cloudwatch.logs.ingest.{kind}",
                ingest,
                unit="GB",
                usage_based=True,
                usage_key="monthlyIngestGb",
            ),
            component(
                ctx,
                "Log storage",
                "cloudwatch.logs.storage",
                stored,
                unit="GB-month",
                usage_based=True,
                usage_key="monthlyIngestGb or storageGb",
                note=note,
            ),
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    ALARM: Pricer(SERVICE, parse_alarm, price_alarm),
    COMPOSITE_ALARM: Pricer(SERVICE, parse_flat, price_flat),
    DASHBOARD: Pricer(SERVICE, parse_flat, price_flat),
    LOG_GROUP: Pricer(SERVICE, parse_log_group, price_log_group),
}

FREE = {
    "aws:cloudwatch/logStream:LogStream": "log streams are free; the log group is priced",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "log resource policies are free",
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": "subscription filters are free",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": "metric filters are free (metrics: `customMetrics`)",
    "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy": "data protection policies are free",
    "aws:ec2/flowLog:FlowLog": "flow logs are priced as ingestion and storage on their destination log group",
}
