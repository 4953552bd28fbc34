"""Event-driven document processing: S3 "Object Created" in the raw bucket -> EventBridge -> Lambda.

The function (`functions/document_processor/`) extracts and chunks each uploaded document into the processed
bucket's `chunks/` prefix, embeds the chunks and writes their vectors to the vector index
(`components/embeddings.py`, `components/vector_store.py`), and records it in the documents table. A failed
asynchronous invocation is retried `processing.retryAttempts` times, then the event goes to the SQS
dead-letter queue (encrypted with the data key); events EventBridge itself cannot deliver go to the same
queue. The raw bucket's EventBridge notifications are switched on by the data lake component.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.config import ProcessingConfig
from components.iam import Statement, policy_json, statement
from components.lambda_function import PythonFunctionArgs, python_function

CHUNKS_PREFIX = "chunks/"
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
EVENT_MAX_AGE_SECONDS = 6 * 3600


@dataclass
class ProcessingArgs:
    prefix: str
    region: str
    account_id: pulumi.Input[str]
    raw_bucket_name: pulumi.Input[str]
    raw_bucket_arn: pulumi.Input[str]
    processed_bucket_name: pulumi.Input[str]
    processed_bucket_arn: pulumi.Input[str]
    documents_table_name: pulumi.Input[str]
    documents_table_arn: pulumi.Input[str]
    data_key_arn: pulumi.Input[str]
    logs_key_arn: pulumi.Input[str]
    log_retention_days: int
    subnet_ids: Sequence[pulumi.Input[str]]
    security_group_id: pulumi.Input[str]
    processing: ProcessingConfig
    vector_statements: Sequence[Statement] = ()
    """Embedding and vector-index permissions (InvokeEndpoint/InvokeModel, PutVectors, DeleteVectors)."""
    vector_environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)


class DocumentProcessing(pulumi.ComponentResource):
    def __init__(self, name: str, args: ProcessingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:processing:DocumentProcessing", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        function_name = f"{args.prefix}-document-processor"
        self.dead_letter_queue = aws.sqs.Queue(
            f"{name}-dlq",
            name=f"{function_name}-dlq",
            kms_master_key_id=args.data_key_arn,
            kms_data_key_reuse_period_seconds=300,
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            opts=child,
        )
        self.rule = aws.cloudwatch.EventRule(
            f"{name}-object-created",
            name=f"{args.prefix}-document-uploaded",
            description="Objects created in the raw bucket, for the document processor",
            event_pattern=pulumi.Output.json_dumps(
                {
                    "source": ["aws.s3"],
                    "detail-type": ["Object Created"],
                    "detail": {"bucket": {"name": [args.raw_bucket_name]}},
                }
            ),
            opts=child,
        )
        processor = python_function(
            f"{name}-document-processor", self._function_args(args, function_name), child
        )
        self.function = processor.function
        aws.lambda_.FunctionEventInvokeConfig(
            f"{name}-async-retries",
            function_name=self.function.name,
            maximum_retry_attempts=args.processing.retry_attempts,
            maximum_event_age_in_seconds=EVENT_MAX_AGE_SECONDS,
            opts=child,
        )
        permission = aws.lambda_.Permission(
            f"{name}-invoke-permission",
            action="lambda:InvokeFunction",
            function=self.function.name,
            principal="events.amazonaws.com",
            source_arn=self.rule.arn,
            opts=child,
        )
        queue_policy = aws.sqs.QueuePolicy(
            f"{name}-dlq-policy",
            queue_url=self.dead_letter_queue.url,
            policy=policy_json(
                [
                    statement(
                        "EventBridgeDeadLetters",
                        ["sqs:SendMessage"],
                        [self.dead_letter_queue.arn],
                        principal={"Service": "events.amazonaws.com"},
                        conditions={"ArnEquals": {"aws:SourceArn": self.rule.arn}},
                    ),
                ]
            ),
            opts=child,
        )
        aws.cloudwatch.EventTarget(
            f"{name}-target",
            rule=self.rule.name,
            target_id="document-processor",
            arn=self.function.arn,
            dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=self.dead_letter_queue.arn),
            retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
                maximum_event_age_in_seconds=EVENT_MAX_AGE_SECONDS, maximum_retry_attempts=3
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission, queue_policy]),
        )
        self.function_name: pulumi.Output[str] = self.function.name
        self.function_arn: pulumi.Output[str] = self.function.arn
        self.dead_letter_queue_name: pulumi.Output[str] = self.dead_letter_queue.name
        self.rule_name: pulumi.Output[str] = self.rule.name
        self.register_outputs(
            {
                "function_name": self.function_name,
                "dead_letter_queue_name": self.dead_letter_queue_name,
                "rule_name": self.rule_name,
            }
        )

    def _function_args(self, args: ProcessingArgs, function_name: str) -> PythonFunctionArgs:
        settings = args.processing
        own = [
            statement("ReadRawObjects", ["s3:GetObject"], [pulumi.Output.concat(args.raw_bucket_arn, "/*")]),
            statement(
                "WriteChunks",
                ["s3:PutObject"],
                [pulumi.Output.concat(args.processed_bucket_arn, "/", CHUNKS_PREFIX, "*")],
            ),
            statement(
                "RecordDocuments", ["dynamodb:GetItem", "dynamodb:PutItem"], [args.documents_table_arn]
            ),
            statement("EncryptWithDataKey", ["kms:GenerateDataKey"], [args.data_key_arn]),
            *args.vector_statements,
        ]
        return PythonFunctionArgs(
            function_name=function_name,
            code_dir="document_processor",
            description="Extracts, chunks and records documents uploaded to the raw bucket",
            region=args.region,
            account_id=args.account_id,
            memory_mb=settings.memory_mb,
            timeout_seconds=settings.timeout_seconds,
            reserved_concurrency=settings.reserved_concurrency,
            data_key_arn=args.data_key_arn,
            logs_key_arn=args.logs_key_arn,
            log_retention_days=args.log_retention_days,
            subnet_ids=args.subnet_ids,
            security_group_id=args.security_group_id,
            statements=own,
            environment={
                "PROCESSED_BUCKET": args.processed_bucket_name,
                "DOCUMENTS_TABLE": args.documents_table_name,
                "DATA_KEY_ARN": args.data_key_arn,
                "CHUNK_SIZE_CHARS": str(settings.chunk_size_chars),
                "CHUNK_OVERLAP_CHARS": str(settings.chunk_overlap_chars),
                "CHUNKS_PREFIX": CHUNKS_PREFIX,
                "MAX_DOCUMENT_BYTES": str(settings.max_document_mb * 1024 * 1024),
                **args.vector_environment,
            },
            packages=("rag",),
            dead_letter_queue_arn=self.dead_letter_queue.arn,
        )
