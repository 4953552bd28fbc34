"""Amazon SQS: requests (64 KB chunks) per queue, usage `monthlyRequests`.

The catalog has the three request tiers' prices but not their boundaries, so every request is priced at the
first paid tier: an upper bound for accounts past the first tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, component

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon SQS"
QUEUE = "aws:sqs/queue:Queue"


@dataclass(frozen=True)
class QueueSpec:
    fifo: bool


def parse(resource: Resource, ctx: Context) -> QueueSpec:
    return QueueSpec(fifo=bool(resource.inputs.get("fifoQueue")))


def price(spec: QueueSpec, ctx: Context) -> Priced:
    kind = "fifo" if spec.fifo else "standard"
    return Priced(
        components=[
            component(
                ctx,
                f"Requests ({kind})",
                f"sqs.{kind}.request.tier1",
                ctx.usage.monthly_requests,
                unit="request",
                usage_based=True,
                usage_key="monthlyRequests",
                note="priced at the first paid tier (tier boundaries are not in the catalog)",
            )
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {QUEUE: Pricer(SERVICE, parse, price)}

FREE = {
    "aws:sqs/queuePolicy:QueuePolicy": "queue policies are free",
    "aws:sqs/redrivePolicy:RedrivePolicy": "redrive policies are free",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "redrive allow policies are free",
}
