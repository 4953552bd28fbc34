"""Customer-managed KMS keys (data, logs, ML) with rotation, aliases and least-privilege key policies.

Each key policy has the account-root statement AWS's default key policy has (without it no IAM policy could
grant use of the key), but with the administration and use actions listed one by one instead of `kms:*`,
plus exactly the AWS service principals that use the key on their own behalf:

- logs key: CloudWatch Logs in this region, limited to this account's log groups (encryption context);
- data key: S3 server access log delivery, CloudWatch alarms and EventBridge publishing to encrypted
  SNS topics / SQS queues;
- ML key: no service principal; SageMaker uses it through the IAM roles it runs as.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.iam import Statement, policy_json, statement

ADMIN_ACTIONS: tuple[str, ...] = (
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:ListRetirableGrants",
    "kms:PutKeyPolicy",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
)
"""Key administration, granted to the account root so IAM policies can delegate it."""

USE_ACTIONS: tuple[str, ...] = (
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)
"""Cryptographic use, granted to the account root so IAM policies (workload roles) can delegate it."""

LOGS_SERVICE_ACTIONS: tuple[str, ...] = (
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)
"""What CloudWatch Logs needs to encrypt a log group with a customer-managed key."""

PUBLISHER_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")
"""What a service publishing to an encrypted SNS topic or SQS queue needs."""

DATA_KEY_SERVICES: tuple[str, ...] = (
    "logging.s3.amazonaws.com",
    "cloudwatch.amazonaws.com",
    "events.amazonaws.com",
)


def root_statements(account_id: pulumi.Input[str], partition: str = "aws") -> list[Statement]:
    """The account-root statements every key policy starts with (also used by the DR key)."""
    root = {"AWS": pulumi.Output.concat("arn:", partition, ":iam::", account_id, ":root")}
    return [
        statement("AccountRootAdministersKey", ADMIN_ACTIONS, ["*"], principal=root),
        statement("AccountRootDelegatesUse", USE_ACTIONS, ["*"], principal=root),
    ]


def logs_key_statements(
    account_id: pulumi.Input[str], region: str, partition: str = "aws"
) -> list[Statement]:
    log_groups = pulumi.Output.concat("arn:", partition, ":logs:", region, ":", account_id, ":log-group:*")
    return [
        statement(
            "CloudWatchLogsEncryptsThisAccountsLogGroups",
            LOGS_SERVICE_ACTIONS,
            ["*"],
            principal={"Service": f"logs.{region}.amazonaws.com"},
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
        )
    ]


def data_key_statements(account_id: pulumi.Input[str]) -> list[Statement]:
    this_account = {"StringEquals": {"aws:SourceAccount": account_id}}
    return [
        statement(
            "ServicesDeliverToEncryptedTargets",
            PUBLISHER_ACTIONS,
            ["*"],
            principal={"Service": list(DATA_KEY_SERVICES)},
            conditions=this_account,
        ),
        # S3 Vectors decrypts the vectors of a bucket encrypted with this key when it builds and serves the
        # bucket's indexes in the background (components/vector_store.py).
        statement(
            "S3VectorsIndexesEncryptedVectors",
            ["kms:Decrypt"],
            ["*"],
            principal={"Service": "indexing.s3vectors.amazonaws.com"},
            conditions=this_account,
        ),
        # A state machine encrypted with this key that logs execution data to CloudWatch Logs: the vended-log
        # delivery service must decrypt that data before it writes it to the (logs-key encrypted) log group.
        statement(
            "LogDeliveryReadsEncryptedStateMachineData",
            ["kms:Decrypt"],
            ["*"],
            principal={"Service": "delivery.logs.amazonaws.com"},
            conditions=this_account,
        ),
    ]


@dataclass
class KeysArgs:
    alias_prefix: str
    """Alias names are `alias/<alias_prefix>-<purpose>`; include project and stack to stay unique."""
    account_id: pulumi.Input[str]
    region: str
    deletion_window_days: int = 30
    partition: str = "aws"


class Keys(pulumi.ComponentResource):
    """The three platform CMKs. In a key policy `Resource: "*"` means "this key"."""

    data_key: aws.kms.Key
    logs_key: aws.kms.Key
    ml_key: aws.kms.Key

    def __init__(self, name: str, args: KeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:keys:Keys", name, None, opts)
        root = root_statements(args.account_id, args.partition)
        self.data_key = self._key(
            name,
            args,
            "data",
            "S3, RDS, DynamoDB, SNS, SQS, Secrets Manager, ECR",
            [*root, *data_key_statements(args.account_id)],
        )
        self.logs_key = self._key(
            name,
            args,
            "logs",
            "CloudWatch Logs log groups",
            [*root, *logs_key_statements(args.account_id, args.region, args.partition)],
        )
        self.ml_key = self._key(name, args, "ml", "SageMaker volumes, outputs and endpoints", root)
        self.data_key_arn: pulumi.Output[str] = self.data_key.arn
        self.logs_key_arn: pulumi.Output[str] = self.logs_key.arn
        self.ml_key_arn: pulumi.Output[str] = self.ml_key.arn
        self.register_outputs(
            {
                "data_key_arn": self.data_key_arn,
                "logs_key_arn": self.logs_key_arn,
                "ml_key_arn": self.ml_key_arn,
            }
        )

    def _key(
        self, name: str, args: KeysArgs, purpose: str, used_for: str, statements: Sequence[Statement]
    ) -> aws.kms.Key:
        key = aws.kms.Key(
            f"{name}-{purpose}",
            description=f"{args.alias_prefix} {purpose} key: {used_for}",
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            enable_key_rotation=True,
            deletion_window_in_days=args.deletion_window_days,
            policy=policy_json(statements),
            tags={"Name": f"{args.alias_prefix}-{purpose}"},
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.kms.Alias(
            f"{name}-{purpose}-alias",
            name=f"alias/{args.alias_prefix}-{purpose}",
            target_key_id=key.key_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return key
