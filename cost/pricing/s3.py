"""Amazon S3 buckets: storage per storage class (following the bucket's lifecycle over time) and requests.

Storage, in order of precedence:
- `storageGbByClass`: GB per storage class, priced as given.
- `monthlyNewGb`: data added per month, moved through the lifecycle rule's transitions (and expiration). The
  bill of month `months` (default 12) is estimated: the average GB in each class over that month, with data
  arriving at a constant rate since month 1. Transition requests are `monthlyNewObjects` per transition
  reached by then.
- `storageGb`: GB in STANDARD (no lifecycle modelling).
Requests: `monthlyPutRequests` (PUT/COPY/POST/LIST) and `monthlyGetRequests` (GET and others) at STANDARD
rates. Not modelled: versions kept by versioning, minimum-duration charges, per-object archive overhead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import CostComponent
from cost.pricing.base import ZERO, Context, Priced, Pricer, component, tiered
from cost.pricing.transfer import inter_region

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon S3"
BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
LIFECYCLES = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
DAYS_PER_MONTH = Decimal(365) / Decimal(12)
DEFAULT_MONTHS = 12

STORAGE_IDS = {
    "STANDARD": "s3.standard.storage",
    "STANDARD_IA": "s3.standard_ia.storage",
    "ONEZONE_IA": "s3.one_zone_ia.storage",
    "INTELLIGENT_TIERING": "s3.intelligent_tiering.frequent.storage.tier1",
    "GLACIER_IR": "s3.glacier_instant_retrieval.storage",
    "GLACIER": "s3.glacier_flexible_retrieval.storage",
    "DEEP_ARCHIVE": "s3.glacier_deep_archive.storage",
}
TRANSITION_IDS = {
    "STANDARD_IA": "s3.lifecycle_transition.to_standard_ia",
    "ONEZONE_IA": "s3.lifecycle_transition.to_one_zone_ia",
    "INTELLIGENT_TIERING": "s3.lifecycle_transition.to_intelligent_tiering",
    "GLACIER_IR": "s3.lifecycle_transition.to_glacier_instant_retrieval",
    "GLACIER": "s3.lifecycle_transition.to_glacier_flexible_retrieval",
    "DEEP_ARCHIVE": "s3.lifecycle_transition.to_glacier_deep_archive",
}


@dataclass(frozen=True)
class Lifecycle:
    transitions: tuple[tuple[int, str], ...]
    """(days after creation, storage class), in order."""
    expiration_days: int | None
    rule: str
    note: str = ""


@dataclass(frozen=True)
class BucketSpec:
    lifecycle: Lifecycle | None


def parse(resource: Resource, ctx: Context) -> BucketSpec:
    rules: list[dict[str, Any]] = []
    for lifecycle_type in LIFECYCLES:
        for config in ctx.links.referrers(resource, lifecycle_type, "bucket"):
            rules += [r for r in config.inputs.get("rules") or [] if r.get("status") == "Enabled"]
    rules += [r for r in resource.inputs.get("lifecycleRules") or [] if r.get("enabled")]
    return BucketSpec(lifecycle=_lifecycle(rules))


def _lifecycle(rules: list[dict[str, Any]]) -> Lifecycle | None:
    """The first enabled rule that moves or expires current objects."""
    moving = [r for r in rules if r.get("transitions") or (r.get("expiration") or {}).get("days")]
    if not moving:
        return None
    rule = moving[0]
    transitions = sorted(
        (int(t["days"]), str(t["storageClass"]))
        for t in rule.get("transitions") or []
        if t.get("days") is not None
    )
    expiration = (rule.get("expiration") or {}).get("days")
    notes = []
    if _filtered(rule):
        notes.append(f"rule {rule.get('id', '?')} has a filter; it is applied to all of the bucket's data")
    if len(moving) > 1:
        notes.append(f"{len(moving) - 1} more lifecycle rule(s) not modelled")
    return Lifecycle(
        tuple(transitions), int(expiration) if expiration else None, str(rule.get("id", "")), "; ".join(notes)
    )


def _filtered(rule: dict[str, Any]) -> bool:
    flt = rule.get("filter") or {}
    return bool(flt.get("prefix") or flt.get("tag") or flt.get("and") or rule.get("prefix"))


def _integral_min(c: Decimal | None, t0: Decimal, t1: Decimal) -> Decimal:
    """Integral of min(t, c) dt over [t0, t1] (c None = no limit)."""
    if c is not None and c <= t0:
        return c * (t1 - t0)
    if c is None or c >= t1:
        return (t1 * t1 - t0 * t0) / 2
    return (c * c - t0 * t0) / 2 + c * (t1 - c)


def class_gb(lifecycle: Lifecycle, monthly_new_gb: Decimal, month: int) -> dict[str, Decimal]:
    """Average GB per storage class during `month`, with `monthly_new_gb` arriving evenly since month 1.

    Data of age in [a, b) days sits in one class; at time t (days) that is rate x (min(t, b) - min(t, a)) GB,
    averaged over the month exactly.
    """
    rate = monthly_new_gb / DAYS_PER_MONTH
    t0, t1 = DAYS_PER_MONTH * (month - 1), DAYS_PER_MONTH * month
    bounds = [(0, "STANDARD"), *lifecycle.transitions]
    stored: dict[str, Decimal] = {}
    for i, (start, storage_class) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else lifecycle.expiration_days
        if lifecycle.expiration_days is not None:
            end = min(end, lifecycle.expiration_days) if end is not None else lifecycle.expiration_days
            start = min(start, lifecycle.expiration_days)
        low, high = Decimal(start), None if end is None else Decimal(end)
        amount = rate * (_integral_min(high, t0, t1) - _integral_min(low, t0, t1)) / (t1 - t0)
        stored[storage_class] = stored.get(storage_class, ZERO) + amount
    return stored


def _storage_components(ctx: Context, gb_by_class: dict[str, Decimal], note: str) -> list[CostComponent]:
    parts: list[CostComponent] = []
    for storage_class, gb in gb_by_class.items():
        name = f"Storage ({storage_class})"
        if storage_class == "STANDARD":
            parts += tiered(ctx, name, STORAGE_IDS["STANDARD"], gb, unit="GB-month", note=note)
        else:
            parts.append(
                component(
                    ctx, name, STORAGE_IDS[storage_class], gb, unit="GB-month", usage_based=True, note=note
                )
            )
    return parts


def _transition_components(ctx: Context, lifecycle: Lifecycle, month: int) -> list[CostComponent]:
    objects = ctx.usage.monthly_new_objects
    reached = DAYS_PER_MONTH * month
    parts = []
    for days, storage_class in lifecycle.transitions:
        if Decimal(days) >= reached or storage_class not in TRANSITION_IDS:
            continue
        parts.append(
            component(
                ctx,
                f"Lifecycle transitions to {storage_class} (day {days})",
                TRANSITION_IDS[storage_class],
                objects,
                unit="request",
                usage_based=True,
                usage_key="monthlyNewObjects",
            )
        )
    return parts


def _storage(ctx: Context, spec: BucketSpec) -> list[CostComponent]:
    usage = ctx.usage
    if usage.storage_gb_by_class:
        return _storage_components(
            ctx, {str(k): v for k, v in usage.storage_gb_by_class.items()}, "storageGbByClass"
        )
    lifecycle = spec.lifecycle
    if usage.monthly_new_gb is not None and lifecycle is not None:
        month = usage.months or DEFAULT_MONTHS
        note = "; ".join(
            filter(
                None,
                [
                    f"month {month} of {usage.monthly_new_gb} GB/month through lifecycle rule "
                    f"{lifecycle.rule}",
                    lifecycle.note,
                ],
            )
        )
        by_class = {k: v for k, v in class_gb(lifecycle, usage.monthly_new_gb, month).items() if v > 0}
        return _storage_components(ctx, by_class, note) + _transition_components(ctx, lifecycle, month)
    gb = usage.storage_gb
    if gb is None and usage.monthly_new_gb is not None:
        gb = usage.monthly_new_gb * (usage.months or DEFAULT_MONTHS)
    return tiered(
        ctx,
        "Storage (STANDARD)",
        STORAGE_IDS["STANDARD"],
        gb,
        unit="GB-month",
        usage_key="storageGb or monthlyNewGb",
    )


def price(spec: BucketSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    requests = [
        component(
            ctx,
            "PUT, COPY, POST, LIST requests",
            "s3.standard.requests.tier1",
            usage.monthly_put_requests,
            unit="request",
            usage_based=True,
            usage_key="monthlyPutRequests",
        ),
        component(
            ctx,
            "GET, SELECT and other requests",
            "s3.standard.requests.tier2",
            usage.monthly_get_requests,
            unit="request",
            usage_based=True,
            usage_key="monthlyGetRequests",
        ),
    ]
    return Priced(components=_storage(ctx, spec) + requests)


@dataclass(frozen=True)
class ReplicationSpec:
    rules: int
    destination_region: str
    """Region of the destination bucket(s); "" when it is not in the inventory."""


def parse_replication(resource: Resource, ctx: Context) -> ReplicationSpec:
    buckets = [b for b in ctx.links.refs(resource, "rules") if b.type in BUCKETS]
    regions = sorted({ctx.inventory.region_of(b) for b in buckets} - {ctx.region})
    return ReplicationSpec(
        rules=len(resource.inputs.get("rules") or []),
        destination_region=regions[0] if len(regions) == 1 else "",
    )


def price_replication(spec: ReplicationSpec, ctx: Context) -> Priced:
    """Replicated objects are stored (and priced) on the destination bucket; the transfer is priced here."""
    gb = ctx.usage.monthly_data_processed_gb
    name = "Replicated data transfer"
    return Priced(components=[inter_region(ctx, name, ctx.region, spec.destination_region, gb)])


REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
PRICERS: dict[str, Pricer[Any]] = {bucket: Pricer(SERVICE, parse, price) for bucket in BUCKETS}
PRICERS[REPLICATION] = Pricer(SERVICE, parse_replication, price_replication)

_CONFIG = "bucket configuration is free; storage and requests are priced on the bucket"
FREE = {
    f"aws:s3/{name}:{name[0].upper()}{name[1:]}": _CONFIG
    for name in (
        "bucketServerSideEncryptionConfiguration",
        "bucketVersioning",
        "bucketPublicAccessBlock",
        "bucketOwnershipControls",
        "bucketPolicy",
        "bucketLogging",
        "bucketNotification",
        "bucketLifecycleConfiguration",
        "bucketCorsConfiguration",
        "bucketAcl",
        "bucketObjectLockConfiguration",
        "bucketServerSideEncryptionConfigurationV2",
        "bucketVersioningV2",
        "bucketLoggingV2",
        "bucketLifecycleConfigurationV2",
        "bucketAclV2",
        "bucketCorsConfigurationV2",
        "bucketObjectLockConfigurationV2",
        "accountPublicAccessBlock",
        "bucketWebsiteConfiguration",
        "bucketWebsiteConfigurationV2",
        "bucketAccelerateConfiguration",
        "bucketIntelligentTieringConfiguration",
        "bucketMetric",
        "bucketRequestPaymentConfiguration",
    )
}
FREE.update(
    {
        f"aws:s3/{name}:{name[0].upper()}{name[1:]}": (
            "object uploads are free; the objects' storage and requests are priced on the bucket"
        )
        for name in ("bucketObject", "bucketObjectv2")
    }
)
