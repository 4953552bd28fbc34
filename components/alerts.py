"""The alerts SNS topic (encrypted with the data key) and its e-mail subscriptions.

It is its own component, created before the workloads, because both sides point at it: CloudWatch alarms
(`components/observability.py`) and the ML pipeline's failure notification (`components/orchestration.py`)
publish to it, and the alarms watch those same workloads. CloudWatch and EventBridge publish through the data
key's policy (`components/keys.py`); the state machine through its role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws


@dataclass
class AlertsArgs:
    topic_name: str
    data_key_arn: pulumi.Input[str]
    emails: Sequence[str] = field(default_factory=list)
    """Each address receives a confirmation mail from SNS and gets alerts once it confirms."""


class Alerts(pulumi.ComponentResource):
    def __init__(self, name: str, args: AlertsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:alerts:Alerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            name=args.topic_name,
            display_name="Data & AI platform alerts",
            kms_master_key_id=args.data_key_arn,
            opts=child,
        )
        for index, email in enumerate(args.emails):
            aws.sns.TopicSubscription(
                f"{name}-email-{index}", topic=self.topic.arn, protocol="email", endpoint=email, opts=child
            )
        self.topic_arn: pulumi.Output[str] = self.topic.arn
        self.topic_name: pulumi.Output[str] = self.topic.name
        self.register_outputs({"topic_arn": self.topic_arn})
