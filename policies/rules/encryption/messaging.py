"""Encryption of messages and streams: SNS, SQS, Kinesis, Firehose and EventBridge buses."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.checks import require_set
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View, dig, is_set

_CMK = "set it to a customer-managed aws.kms.Key (not alias/aws/...)."


def _customer_key(view: View, key: str, service: str) -> Iterator[str]:
    value = dig(view.props, key, allow_unknown=True)
    if not is_set(value):
        yield f"`{key}` is not set; {_CMK}"
    elif isinstance(value, str) and value.startswith(f"alias/aws/{service}"):
        yield f"`{key}` is the AWS-managed alias/aws/{service} key; {_CMK}"


def _sns(view: View, _settings: Settings) -> Iterator[str]:
    yield from _customer_key(view, "kmsMasterKeyId", "sns")


def _sqs(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("kmsMasterKeyId") and view.bool_("sqsManagedSseEnabled") is not False:
        yield f"`kmsMasterKeyId` is not set: SSE-SQS keys are owned by SQS, not by you; {_CMK}"
        return
    yield from _customer_key(view, "kmsMasterKeyId", "sqs")


SNS = ResourceRule(
    RuleMeta(
        name="aws-sns-topic-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description="SNS topics encrypt messages with a customer-managed KMS key.",
        severity="medium",
        rationale=(
            "Unencrypted topics store message bodies (alerts, events with payloads) in plaintext at rest."
        ),
        remediation="Set kms_master_key_id on the aws.sns.Topic to a customer-managed key ARN or alias.",
        kind="resource",
        resource_types=tokens.SNS_TOPIC,
        references=("CKV_AWS_26", "AWS-0136", "sns-kms-encryption-enabled"),
        url="https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
    ),
    _sns,
)

SQS = ResourceRule(
    RuleMeta(
        name="aws-sqs-queue-kms",
        controls=controls(fsbp=("SQS.1",), nist=("SC-28",)),
        area="encryption",
        description="SQS queues encrypt messages with a customer-managed KMS key, not just SSE-SQS.",
        severity="medium",
        rationale=(
            "SSE-SQS uses keys SQS owns: no key policy limits who can read messages and no CloudTrail "
            "records key use. A customer-managed key adds both."
        ),
        remediation="Set kms_master_key_id on the aws.sqs.Queue to a customer-managed key.",
        kind="resource",
        resource_types=tokens.SQS_QUEUE,
        references=("CKV_AWS_27", "CKV2_AWS_73", "AWS-0135"),
        url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
    ),
    _sqs,
)


def _kinesis(view: View, _settings: Settings) -> Iterator[str]:
    if view.str_("encryptionType") != "KMS":
        yield "`encryptionType` is not KMS, so records are stored unencrypted; set encryption_type='KMS'."
    else:
        yield from _customer_key(view, "kmsKeyId", "kinesis")


def _firehose(view: View, _settings: Settings) -> Iterator[str]:
    if view.get("kinesisSourceConfiguration") is not None:
        return  # encryption at rest is the source stream's, judged on the aws:kinesis/stream resource
    if view.bool_("serverSideEncryption", "enabled") is not True:
        yield "`serverSideEncryption.enabled` is not true; enable it with key_type='CUSTOMER_MANAGED_CMK'."
    elif view.str_("serverSideEncryption", "keyType") != "CUSTOMER_MANAGED_CMK":
        yield "`serverSideEncryption.keyType` is not CUSTOMER_MANAGED_CMK; set it and key_arn."


def _stream(view: View, settings: Settings) -> Iterator[str]:
    return (_firehose if view.type in tokens.FIREHOSE else _kinesis)(view, settings)


STREAMS = ResourceRule(
    RuleMeta(
        name="aws-kinesis-stream-kms",
        controls=controls(fsbp=("Kinesis.1",), nist=("SC-28",)),
        area="encryption",
        description=(
            "Kinesis data streams and Firehose delivery streams encrypt records with a customer-managed key."
        ),
        severity="medium",
        rationale=(
            "Streams buffer raw events (clickstreams, documents) for up to a year in the stream's retention."
        ),
        remediation=(
            "Kinesis: encryption_type='KMS' with kms_key_id; Firehose: "
            "server_side_encryption={'enabled': True, 'key_type': 'CUSTOMER_MANAGED_CMK', 'key_arn': ...} "
            "(direct-put streams)."
        ),
        kind="resource",
        resource_types=tokens.KINESIS_STREAM + tokens.FIREHOSE,
        references=("CKV_AWS_43", "CKV_AWS_185", "CKV_AWS_240", "CKV_AWS_241"),
        url="https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html",
    ),
    _stream,
)

EVENT_BUS = ResourceRule(
    RuleMeta(
        name="aws-eventbridge-bus-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description="Custom EventBridge event buses encrypt events with a customer-managed KMS key.",
        severity="low",
        rationale=(
            "Events on a custom bus carry business payloads; by default they are encrypted with an AWS-owned "
            "key. No public check covers aws:cloudwatch/eventBus encryption."
        ),
        remediation=(
            "Set kms_key_identifier on the aws.cloudwatch.EventBus (and grant events.amazonaws.com use)."
        ),
        kind="resource",
        resource_types=tokens.EVENT_BUS,
    ),
    require_set("kmsKeyIdentifier", fix="set it to a customer-managed key ARN."),
)

RULES: list[Rule] = [SNS, SQS, STREAMS, EVENT_BUS]
