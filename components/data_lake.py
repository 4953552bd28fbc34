"""The S3 data lake: raw, processed, model-artifacts and access-logs buckets, hardened the same way.

Every bucket gets SSE-KMS with the data key and S3 bucket keys, versioning, all four public-access blocks,
BucketOwnerEnforced (ACLs off), a policy denying non-TLS requests and a lifecycle. The data buckets log
requests to the access-logs bucket and send object events to EventBridge (raw and processed).

Lifecycle: raw and processed data move to STANDARD_IA, GLACIER and DEEP_ARCHIVE at the configured ages (the
seed's 30/90/365 days by default). Model artifacts only move to STANDARD_IA: SageMaker reads `model.tar.gz`
whenever an endpoint starts or scales out, and an archived object cannot be read without a restore.

Server access logs: the access-logs bucket uses the same data key. AWS's S3 user guide lists only SSE-S3 as
supported default encryption for log destinations; SSE-KMS with a customer-managed key works when the key
policy lets `logging.s3.amazonaws.com` generate data keys (it does, see `components/keys.py`; aws-cdk
verified this in PR 25350). If a region refuses it, switch that bucket to AES256.

`new_bucket` and `harden` are shared with the DR replicas (`components/dr.py`); `harden` also hardens the ALB
access-log bucket (`components/alb_logs.py`, SSE-S3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.iam import Statement, deny_insecure_transport, policy_json, statement

ABORT_INCOMPLETE_UPLOADS_DAYS = 7
LifecycleRule = aws.s3.BucketLifecycleConfigurationRuleArgs


@dataclass(frozen=True)
class LifecycleDays:
    """Object ages (days) for the storage-class transitions and the expiry of noncurrent versions."""

    standard_ia: int
    glacier: int
    deep_archive: int
    noncurrent_expiration: int


def _whole_bucket() -> aws.s3.BucketLifecycleConfigurationRuleFilterArgs:
    return aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix="")


def _abort_uploads() -> aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs:
    return aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
        days_after_initiation=ABORT_INCOMPLETE_UPLOADS_DAYS
    )


def tiering_rules(days: LifecycleDays, *, archive: bool) -> list[LifecycleRule]:
    """STANDARD_IA, then (when `archive`) GLACIER and DEEP_ARCHIVE; noncurrent versions expire."""
    transitions = [("STANDARD_IA", days.standard_ia)]
    if archive:
        transitions += [("GLACIER", days.glacier), ("DEEP_ARCHIVE", days.deep_archive)]
    return [
        LifecycleRule(
            id="tiering",
            status="Enabled",
            filter=_whole_bucket(),
            transitions=[
                aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(storage_class=cls, days=age)
                for cls, age in transitions
            ],
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=days.noncurrent_expiration
            ),
            abort_incomplete_multipart_upload=_abort_uploads(),
        )
    ]


def expiry_rules(retention_days: int, noncurrent_days: int) -> list[LifecycleRule]:
    """Objects (access logs) expire after `retention_days`; their noncurrent versions soon after."""
    return [
        LifecycleRule(
            id="expire-logs",
            status="Enabled",
            filter=_whole_bucket(),
            expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=retention_days),
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=noncurrent_days
            ),
            abort_incomplete_multipart_upload=_abort_uploads(),
        )
    ]


@dataclass
class BucketSpec:
    """How to harden one bucket. `kms_key_arn` None means SSE-S3 (AES256) default encryption, for the one
    destination that accepts nothing else (ALB access logs, `components/alb_logs.py`). `extra_statements`
    receives the bucket ARN and returns policy statements added after the TLS-only deny (e.g. the log-delivery
    grant of the access-logs bucket)."""

    kms_key_arn: pulumi.Input[str] | None
    lifecycle_rules: list[LifecycleRule]
    log_bucket: pulumi.Input[str] | None = None
    log_prefix: str = ""
    eventbridge: bool = False
    extra_statements: Callable[[pulumi.Output[str]], list[Statement]] | None = None


@dataclass
class HardenedBucket:
    bucket: aws.s3.Bucket
    versioning: aws.s3.BucketVersioning
    """Resources that depend on versioning being on (replication, lifecycle) depend on this."""
    policy: aws.s3.BucketPolicy
    """Resources that need the policy's grants in place first (ALB log delivery) depend on this."""


def _default_encryption(spec: BucketSpec) -> aws.s3.BucketServerSideEncryptionConfigurationRuleArgs:
    """SSE-KMS with the spec's key and S3 bucket keys (fewer KMS requests); without a key, SSE-S3."""
    by_default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
    if spec.kms_key_arn is None:
        return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=by_default(sse_algorithm="AES256")
        )
    return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=by_default(
            sse_algorithm="aws:kms", kms_master_key_id=spec.kms_key_arn
        ),
        bucket_key_enabled=True,
    )


def new_bucket(name: str, force_destroy: bool, opts: pulumi.ResourceOptions) -> aws.s3.Bucket:
    """The bare bucket (auto-named from `name`); `harden` adds everything else."""
    return aws.s3.Bucket(name, force_destroy=force_destroy, tags={"Name": name}, opts=opts)


def harden(
    bucket: aws.s3.Bucket, name: str, spec: BucketSpec, opts: pulumi.ResourceOptions
) -> HardenedBucket:
    """Create the split-out configuration resources of `bucket` (named `name-<role>`) with `opts`."""
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-sse", bucket=bucket.id, rules=[_default_encryption(spec)], opts=opts
    )
    versioning = aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=opts,
    )
    block = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=opts,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=opts,
    )
    extra = spec.extra_statements(bucket.arn) if spec.extra_statements else []
    policy = aws.s3.BucketPolicy(
        f"{name}-policy",
        bucket=bucket.id,
        policy=policy_json([deny_insecure_transport(bucket.arn), *extra]),
        # S3 rejects policy writes while the public-access block is being set up; order them.
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[block])),
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-lifecycle",
        bucket=bucket.id,
        rules=spec.lifecycle_rules,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[versioning])),
    )
    if spec.log_bucket is not None:
        aws.s3.BucketLogging(
            f"{name}-logging",
            bucket=bucket.id,
            target_bucket=spec.log_bucket,
            target_prefix=spec.log_prefix,
            opts=opts,
        )
    if spec.eventbridge:
        aws.s3.BucketNotification(f"{name}-events", bucket=bucket.id, eventbridge=True, opts=opts)
    return HardenedBucket(bucket=bucket, versioning=versioning, policy=policy)


def log_delivery_statements(
    account_id: pulumi.Input[str], source_bucket_arns: Sequence[pulumi.Input[str]]
) -> Callable[[pulumi.Output[str]], list[Statement]]:
    """Bucket-policy statement letting S3 server access logging write logs of exactly these source buckets."""

    def build(log_bucket_arn: pulumi.Output[str]) -> list[Statement]:
        return [
            statement(
                "S3ServerAccessLogDelivery",
                ["s3:PutObject"],
                [pulumi.Output.concat(log_bucket_arn, "/*")],
                principal={"Service": "logging.s3.amazonaws.com"},
                conditions={
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {"aws:SourceArn": list(source_bucket_arns)},
                },
            )
        ]

    return build


@dataclass
class DataLakeArgs:
    account_id: pulumi.Input[str]
    data_key_arn: pulumi.Input[str]
    lifecycle: LifecycleDays
    access_log_retention_days: int
    force_destroy: bool = False


class DataLake(pulumi.ComponentResource):
    raw_bucket: aws.s3.Bucket
    processed_bucket: aws.s3.Bucket
    artifacts_bucket: aws.s3.Bucket
    access_logs_bucket: aws.s3.Bucket

    def __init__(self, name: str, args: DataLakeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:data_lake:DataLake", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # The access-logs bucket exists first (the data buckets log to it); its policy, which names the data
        # buckets as the only log sources, is added after them.
        self.access_logs_bucket = new_bucket(f"{name}-access-logs", args.force_destroy, child)
        data = {
            "raw": self._data_bucket(name, "raw", args, archive=True, eventbridge=True),
            "processed": self._data_bucket(name, "processed", args, archive=True, eventbridge=True),
            "artifacts": self._data_bucket(name, "artifacts", args, archive=False, eventbridge=False),
        }
        harden(
            self.access_logs_bucket,
            f"{name}-access-logs",
            BucketSpec(
                kms_key_arn=args.data_key_arn,
                lifecycle_rules=expiry_rules(
                    args.access_log_retention_days, args.lifecycle.noncurrent_expiration
                ),
                extra_statements=log_delivery_statements(
                    args.account_id, [b.bucket.arn for b in data.values()]
                ),
            ),
            child,
        )
        self.raw_bucket = data["raw"].bucket
        self.processed_bucket = data["processed"].bucket
        self.artifacts_bucket = data["artifacts"].bucket
        self.processed_versioning = data["processed"].versioning
        self.artifacts_versioning = data["artifacts"].versioning
        self.raw_bucket_name: pulumi.Output[str] = self.raw_bucket.bucket
        self.raw_bucket_arn: pulumi.Output[str] = self.raw_bucket.arn
        self.processed_bucket_name: pulumi.Output[str] = self.processed_bucket.bucket
        self.processed_bucket_arn: pulumi.Output[str] = self.processed_bucket.arn
        self.artifacts_bucket_name: pulumi.Output[str] = self.artifacts_bucket.bucket
        self.artifacts_bucket_arn: pulumi.Output[str] = self.artifacts_bucket.arn
        self.access_logs_bucket_name: pulumi.Output[str] = self.access_logs_bucket.bucket
        self.access_logs_bucket_arn: pulumi.Output[str] = self.access_logs_bucket.arn
        self.register_outputs(
            {
                "raw_bucket_name": self.raw_bucket_name,
                "processed_bucket_name": self.processed_bucket_name,
                "artifacts_bucket_name": self.artifacts_bucket_name,
                "access_logs_bucket_name": self.access_logs_bucket_name,
            }
        )

    def _data_bucket(
        self, name: str, role: str, args: DataLakeArgs, *, archive: bool, eventbridge: bool
    ) -> HardenedBucket:
        bucket_name = f"{name}-{role}"
        opts = pulumi.ResourceOptions(parent=self)
        return harden(
            new_bucket(bucket_name, args.force_destroy, opts),
            bucket_name,
            BucketSpec(
                kms_key_arn=args.data_key_arn,
                lifecycle_rules=tiering_rules(args.lifecycle, archive=archive),
                log_bucket=self.access_logs_bucket.id,
                log_prefix=f"{role}/",
                eventbridge=eventbridge,
            ),
            opts,
        )
