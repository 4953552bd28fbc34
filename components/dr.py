"""Disaster recovery into a second region (on when `dr.enabled`).

- S3: the processed and model-artifacts buckets replicate (new objects, versions, delete markers, SSE-KMS
  objects) to replica buckets in the DR region, hardened like the sources and encrypted with a DR-region CMK.
  The replication role can read exactly the two source buckets and the source data key (through S3 in the
  source region) and write exactly the two replicas and the DR key (through S3 in the DR region).
- RDS: automated backups (snapshots and transaction logs) replicate to the DR region, encrypted with the DR
  key, kept as long as in the source region; they support point-in-time restore there.
- DynamoDB: point-in-time recovery on the tables (config validation requires it when DR is on); it is
  in-region only (see docs/platform.md for the recovery objectives).

All DR-region resources use a second explicit provider with the same default tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.data_lake import (
    BucketSpec,
    HardenedBucket,
    LifecycleDays,
    expiry_rules,
    harden,
    log_delivery_statements,
    new_bucket,
    tiering_rules,
)
from components.iam import policy_json, service_trust_policy, statement
from components.keys import data_key_statements, root_statements


@dataclass
class DisasterRecoveryArgs:
    region: str
    source_region: str
    default_tags: dict[str, str]
    provider_args: dict[str, Any]
    """The primary provider's credentials settings (`components.providers`): same account, same roles."""
    alias_prefix: str
    account_id: pulumi.Input[str]
    deletion_window_days: int
    source_data_key_arn: pulumi.Input[str]
    processed_bucket: aws.s3.Bucket
    artifacts_bucket: aws.s3.Bucket
    lifecycle: LifecycleDays
    access_log_retention_days: int
    db_instance_arn: pulumi.Input[str]
    db_backup_retention_days: int
    force_destroy: bool = False
    source_replication_dependencies: list[pulumi.Resource] = field(default_factory=list)
    """The source buckets' versioning resources: replication can only be configured once versioning is on."""


def _object_arns(bucket_arns: list[pulumi.Output[str]]) -> list[pulumi.Output[str]]:
    return [pulumi.Output.concat(arn, "/*") for arn in bucket_arns]


def _context(bucket_arns: list[pulumi.Output[str]]) -> dict[str, dict[str, object]]:
    """KMS encryption-context condition: the bucket ARN with S3 bucket keys, else the object ARN."""
    return {"StringLike": {"kms:EncryptionContext:aws:s3:arn": [*bucket_arns, *_object_arns(bucket_arns)]}}


class DisasterRecovery(pulumi.ComponentResource):
    def __init__(
        self, name: str, args: DisasterRecoveryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("data-ai-platform:dr:DisasterRecovery", name, None, opts)
        self._name = name
        self.provider = aws.Provider(
            f"{name}-provider",
            region=args.region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=args.default_tags),
            opts=pulumi.ResourceOptions(parent=self),
            **args.provider_args,
        )
        self._dr = pulumi.ResourceOptions(parent=self, provider=self.provider)
        self.key = self._key(args)
        self.key_arn: pulumi.Output[str] = self.key.arn
        logs_bucket = new_bucket(f"{name}-access-logs", args.force_destroy, self._dr)
        processed = self._replica(args, "processed", logs_bucket, archive=True)
        artifacts = self._replica(args, "artifacts", logs_bucket, archive=False)
        harden(
            logs_bucket,
            f"{name}-access-logs",
            BucketSpec(
                kms_key_arn=self.key.arn,
                lifecycle_rules=expiry_rules(
                    args.access_log_retention_days, args.lifecycle.noncurrent_expiration
                ),
                extra_statements=log_delivery_statements(
                    args.account_id, [processed.bucket.arn, artifacts.bucket.arn]
                ),
            ),
            self._dr,
        )
        role = self._replication_role(args, [processed.bucket.arn, artifacts.bucket.arn])
        self._replicate("processed", args.processed_bucket, processed, role, args)
        self._replicate("artifacts", args.artifacts_bucket, artifacts, role, args)
        aws.rds.InstanceAutomatedBackupsReplication(
            f"{name}-db-backups",
            source_db_instance_arn=args.db_instance_arn,
            kms_key_id=self.key.arn,
            retention_period=args.db_backup_retention_days,
            opts=self._dr,
        )
        self.processed_replica_bucket_name: pulumi.Output[str] = processed.bucket.bucket
        self.artifacts_replica_bucket_name: pulumi.Output[str] = artifacts.bucket.bucket
        self.register_outputs(
            {
                "key_arn": self.key_arn,
                "processed_replica_bucket_name": self.processed_replica_bucket_name,
                "artifacts_replica_bucket_name": self.artifacts_replica_bucket_name,
            }
        )

    def _key(self, args: DisasterRecoveryArgs) -> aws.kms.Key:
        key = aws.kms.Key(
            f"{self._name}-key",
            description=f"{args.alias_prefix} DR key ({args.region}): S3 replicas and RDS backup replicas",
            enable_key_rotation=True,
            deletion_window_in_days=args.deletion_window_days,
            policy=policy_json([*root_statements(args.account_id), *data_key_statements(args.account_id)]),
            tags={"Name": f"{args.alias_prefix}-dr"},
            opts=self._dr,
        )
        aws.kms.Alias(
            f"{self._name}-key-alias",
            name=f"alias/{args.alias_prefix}-dr",
            target_key_id=key.key_id,
            opts=self._dr,
        )
        return key

    def _replica(
        self, args: DisasterRecoveryArgs, role: str, logs_bucket: aws.s3.Bucket, *, archive: bool
    ) -> HardenedBucket:
        name = f"{self._name}-{role}-replica"
        return harden(
            new_bucket(name, args.force_destroy, self._dr),
            name,
            BucketSpec(
                kms_key_arn=self.key.arn,
                lifecycle_rules=tiering_rules(args.lifecycle, archive=archive),
                log_bucket=logs_bucket.id,
                log_prefix=f"{role}-replica/",
            ),
            self._dr,
        )

    def _replication_role(
        self, args: DisasterRecoveryArgs, replica_arns: list[pulumi.Output[str]]
    ) -> aws.iam.Role:
        sources = [args.processed_bucket.arn, args.artifacts_bucket.arn]
        role = aws.iam.Role(
            f"{self._name}-replication-role",
            description="S3 cross-region replication of the processed and model-artifacts buckets",
            assume_role_policy=service_trust_policy("s3.amazonaws.com", args.account_id),
            tags={"Name": f"{self._name}-replication-role"},
            opts=pulumi.ResourceOptions(parent=self),
        )
        policy = policy_json(
            [
                statement(
                    "ReadSourceReplicationConfig",
                    ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                    sources,
                ),
                statement(
                    "ReadSourceObjectVersions",
                    [
                        "s3:GetObjectVersionAcl",
                        "s3:GetObjectVersionForReplication",
                        "s3:GetObjectVersionTagging",
                    ],
                    _object_arns(sources),
                ),
                statement(
                    "WriteReplicas",
                    ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"],
                    _object_arns(replica_arns),
                ),
                statement(
                    "DecryptSourceObjects",
                    ["kms:Decrypt"],
                    [args.source_data_key_arn],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"s3.{args.source_region}.amazonaws.com"},
                        **_context(sources),
                    },
                ),
                statement(
                    "EncryptReplicas",
                    ["kms:Encrypt", "kms:GenerateDataKey"],
                    [self.key.arn],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"s3.{args.region}.amazonaws.com"},
                        **_context(replica_arns),
                    },
                ),
            ]
        )
        aws.iam.RolePolicy(
            f"{self._name}-replication-policy",
            role=role.id,
            policy=policy,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return role

    def _replicate(
        self,
        role_name: str,
        source: aws.s3.Bucket,
        replica: HardenedBucket,
        role: aws.iam.Role,
        args: DisasterRecoveryArgs,
    ) -> None:
        rule = aws.s3.BucketReplicationConfigRuleArgs(
            id=f"{role_name}-to-{args.region}",
            status="Enabled",
            priority=1,
            filter=aws.s3.BucketReplicationConfigRuleFilterArgs(prefix=""),
            delete_marker_replication=aws.s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs(
                status="Enabled"
            ),
            source_selection_criteria=aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs(
                sse_kms_encrypted_objects=(
                    aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs(
                        status="Enabled"
                    )
                )
            ),
            destination=aws.s3.BucketReplicationConfigRuleDestinationArgs(
                bucket=replica.bucket.arn,
                storage_class="STANDARD",
                encryption_configuration=aws.s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs(
                    replica_kms_key_id=self.key.arn
                ),
            ),
        )
        aws.s3.BucketReplicationConfig(
            f"{self._name}-{role_name}-replication",
            bucket=source.id,
            role=role.arn,
            rules=[rule],
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[*args.source_replication_dependencies, replica.versioning]
            ),
        )
