"""Amazon EventBridge: custom events published to a bus, archives, Scheduler and Pipes (all usage-based).

Rules and targets are free: AWS service events on the default bus (such as S3 "Object Created") cost nothing,
and custom events are priced where they are published, on the bus (`monthlyEvents`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, component

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon EventBridge"


@dataclass(frozen=True)
class Meter:
    """A usage-based resource with one usage key: which catalog row it bills at."""

    name: str
    price_id: str
    unit: str
    usage_field: str
    usage_key: str


_METERS = {
    "aws:cloudwatch/eventBus:EventBus": Meter(
        "Custom events published", "eventbridge.custom_event", "event", "monthly_events", "monthlyEvents"
    ),
    "aws:cloudwatch/eventArchive:EventArchive": Meter(
        "Events archived",
        "eventbridge.archive.processing",
        "GB",
        "monthly_data_processed_gb",
        "monthlyDataProcessedGb",
    ),
    "aws:scheduler/schedule:Schedule": Meter(
        "Scheduled invocations",
        "eventbridge.scheduler.invocation",
        "invocation",
        "monthly_events",
        "monthlyEvents",
    ),
    "aws:pipes/pipe:Pipe": Meter(
        "Pipe requests", "eventbridge.pipes.request", "request", "monthly_requests", "monthlyRequests"
    ),
    "aws:cloudwatch/eventApiDestination:EventApiDestination": Meter(
        "API destination invocations",
        "eventbridge.api_destination",
        "invocation",
        "monthly_requests",
        "monthlyRequests",
    ),
}


def parse(resource: Resource, ctx: Context) -> Meter:
    return _METERS[resource.type]


def price(meter: Meter, ctx: Context) -> Priced:
    parts = [
        component(
            ctx,
            meter.name,
            meter.price_id,
            getattr(ctx.usage, meter.usage_field),
            unit=meter.unit,
            usage_based=True,
            usage_key=meter.usage_key,
        )
    ]
    if meter.price_id == "eventbridge.archive.processing":
        parts.append(
            component(
                ctx,
                "Archive storage",
                "eventbridge.archive.storage",
                ctx.usage.storage_gb,
                unit="GB-month",
                usage_based=True,
                usage_key="storageGb",
            )
        )
    return Priced(components=parts)


PRICERS: dict[str, Pricer[Any]] = {token: Pricer(SERVICE, parse, price) for token in _METERS}

FREE = {
    "aws:cloudwatch/eventRule:EventRule": (
        "rules are free: AWS service events on the default bus cost nothing, and custom events are priced on "
        "the bus they are published to"
    ),
    "aws:cloudwatch/eventTarget:EventTarget": "targets are free; the invoked service is priced on its own",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "event bus policies are free",
    "aws:cloudwatch/eventConnection:EventConnection": "connections are free",
    "aws:scheduler/scheduleGroup:ScheduleGroup": "schedule groups are free",
}
