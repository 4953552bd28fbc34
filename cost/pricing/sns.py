"""Amazon SNS: publishes per topic and deliveries per subscription protocol (usage: `monthlyRequests` on the
topic, `monthlyNotifications` on a subscription). Deliveries to SQS and Lambda cost nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, FreeResource, Priced, Pricer, component

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon SNS"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
_DELIVERY_IDS = {
    "email": "sns.delivery.email",
    "email-json": "sns.delivery.email",
    "http": "sns.delivery.http",
    "https": "sns.delivery.http",
    "firehose": "sns.delivery.firehose",
}
_FREE_PROTOCOLS = ("sqs", "lambda")


@dataclass(frozen=True)
class TopicSpec:
    fifo: bool


def parse_topic(resource: Resource, ctx: Context) -> TopicSpec:
    return TopicSpec(fifo=bool(resource.inputs.get("fifoTopic")))


def price_topic(spec: TopicSpec, ctx: Context) -> Priced:
    kind = "fifo" if spec.fifo else "standard"
    return Priced(
        components=[
            component(
                ctx,
                f"Publish requests ({kind})",
                f"sns.{kind}.publish_request",
                ctx.usage.monthly_requests,
                unit="request",
                usage_based=True,
                usage_key="monthlyRequests",
            )
        ]
    )


@dataclass(frozen=True)
class SubscriptionSpec:
    protocol: str


def parse_subscription(resource: Resource, ctx: Context) -> SubscriptionSpec:
    protocol = str(resource.inputs.get("protocol", ""))
    if protocol in _FREE_PROTOCOLS:
        raise FreeResource(f"deliveries to {protocol.upper()} are free")
    return SubscriptionSpec(protocol=protocol)


def price_subscription(spec: SubscriptionSpec, ctx: Context) -> Priced:
    return Priced(
        components=[
            component(
                ctx,
                f"Deliveries ({spec.protocol})",
                _DELIVERY_IDS.get(spec.protocol, f"sns.delivery.{spec.protocol}"),
                ctx.usage.monthly_notifications,
                unit="notification",
                usage_based=True,
                usage_key="monthlyNotifications",
            )
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    TOPIC: Pricer(SERVICE, parse_topic, price_topic),
    SUBSCRIPTION: Pricer(SERVICE, parse_subscription, price_subscription),
}

FREE = {
    "aws:sns/topicPolicy:TopicPolicy": "topic policies are free",
    "aws:sns/dataProtectionPolicy:DataProtectionPolicy": "data protection policies are free to attach",
}
