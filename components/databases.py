"""Metadata in RDS PostgreSQL, sessions and document records in DynamoDB.

RDS: isolated subnets only, not public, storage and Performance Insights encrypted with the data key, TLS
forced by the parameter group, IAM database authentication on, and the master password generated and rotated
by RDS in Secrets Manager (encrypted with the data key), so no password exists in config, code or state.
Its CloudWatch log groups are created here (KMS, retention) before the instance exports logs, otherwise RDS
would create them unencrypted with no expiry.

DynamoDB: `sessions` (hash `session_id`, GSI `user_id-index` on `user_id`, TTL attribute `ttl`, as in the
seed) and `documents` (hash `document_id`, written by the document processor), both SSE-KMS with the data
key and point-in-time recovery per config.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

MASTER_USERNAME = "platform_admin"
DATABASE_NAME = "metadata"
LOG_EXPORTS: tuple[str, ...] = ("postgresql", "upgrade")
CA_CERTIFICATE = "rds-ca-rsa2048-g1"


def parameter_group_family(engine_version: str) -> str:
    """`postgres16` for engine version `16.4` (PostgreSQL 10+ families are named after the major version)."""
    return f"postgres{engine_version.split('.')[0]}"


def _secret_arn(secrets: Sequence[aws.rds.outputs.InstanceMasterUserSecret]) -> str:
    """ARN of the Secrets Manager secret RDS creates for the master user (`manage_master_user_password`)."""
    if not secrets or not secrets[0].secret_arn:
        raise ValueError(
            "RDS reported no managed master-user secret although manage_master_user_password is on"
        )
    return secrets[0].secret_arn


@dataclass
class DatabasesArgs:
    identifier: str
    """RDS instance identifier; unique per account and region, so it includes project and stack."""
    instance_class: str
    engine_version: str
    allocated_storage_gb: int
    max_allocated_storage_gb: int
    multi_az: bool
    deletion_protection: bool
    final_snapshot: bool
    backup_retention_days: int
    performance_insights_retention_days: int
    log_retention_days: int
    isolated_subnet_ids: list[pulumi.Output[str]]
    security_group_id: pulumi.Input[str]
    data_key_arn: pulumi.Input[str]
    logs_key_arn: pulumi.Input[str]
    billing_mode: str
    read_capacity: int
    write_capacity: int
    point_in_time_recovery: bool


class Databases(pulumi.ComponentResource):
    db_instance: aws.rds.Instance
    sessions_table: aws.dynamodb.Table
    documents_table: aws.dynamodb.Table

    def __init__(self, name: str, args: DatabasesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:databases:Databases", name, None, opts)
        self._name = name
        self._child = pulumi.ResourceOptions(parent=self)
        self.db_instance = self._postgres(args)
        self.db_endpoint: pulumi.Output[str] = self.db_instance.endpoint
        self.db_address: pulumi.Output[str] = self.db_instance.address
        self.db_port: pulumi.Output[int] = self.db_instance.port
        self.db_resource_id: pulumi.Output[str] = self.db_instance.resource_id
        self.db_secret_arn: pulumi.Output[str] = self.db_instance.master_user_secrets.apply(_secret_arn)
        self.sessions_table = self._table(
            args, "sessions", "session_id", ttl_attribute="ttl", index_on="user_id"
        )
        self.documents_table = self._table(args, "documents", "document_id")
        self.sessions_table_name: pulumi.Output[str] = self.sessions_table.name
        self.sessions_table_arn: pulumi.Output[str] = self.sessions_table.arn
        self.documents_table_name: pulumi.Output[str] = self.documents_table.name
        self.documents_table_arn: pulumi.Output[str] = self.documents_table.arn
        self.register_outputs(
            {
                "db_endpoint": self.db_endpoint,
                "db_secret_arn": self.db_secret_arn,
                "sessions_table_name": self.sessions_table_name,
                "documents_table_name": self.documents_table_name,
            }
        )

    def _postgres(self, args: DatabasesArgs) -> aws.rds.Instance:
        subnets = aws.rds.SubnetGroup(
            f"{self._name}-subnets",
            description="Isolated subnets (no route out of the VPC) for the metadata database",
            subnet_ids=args.isolated_subnet_ids,
            tags={"Name": f"{self._name}-subnets"},
            opts=self._child,
        )
        parameters = aws.rds.ParameterGroup(
            f"{self._name}-postgres-params",
            family=parameter_group_family(args.engine_version),
            description="Metadata database: TLS required",
            parameters=[aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1")],
            tags={"Name": f"{self._name}-postgres-params"},
            opts=self._child,
        )
        log_groups = [
            aws.cloudwatch.LogGroup(
                f"{self._name}-postgres-{export}-logs",
                name=f"/aws/rds/instance/{args.identifier}/{export}",
                retention_in_days=args.log_retention_days,
                kms_key_id=args.logs_key_arn,
                opts=self._child,
            )
            for export in LOG_EXPORTS
        ]
        return aws.rds.Instance(
            f"{self._name}-postgres",
            identifier=args.identifier,
            engine="postgres",
            engine_version=args.engine_version,
            instance_class=args.instance_class,
            db_name=DATABASE_NAME,
            username=MASTER_USERNAME,
            manage_master_user_password=True,
            master_user_secret_kms_key_id=args.data_key_arn,
            iam_database_authentication_enabled=True,
            storage_type="gp3",
            allocated_storage=args.allocated_storage_gb,
            max_allocated_storage=args.max_allocated_storage_gb,
            storage_encrypted=True,
            kms_key_id=args.data_key_arn,
            db_subnet_group_name=subnets.name,
            vpc_security_group_ids=[args.security_group_id],
            publicly_accessible=False,
            parameter_group_name=parameters.name,
            ca_cert_identifier=CA_CERTIFICATE,
            multi_az=args.multi_az,
            deletion_protection=args.deletion_protection,
            backup_retention_period=args.backup_retention_days,
            backup_window="03:00-04:00",
            maintenance_window="sun:04:30-sun:05:30",
            copy_tags_to_snapshot=True,
            skip_final_snapshot=not args.final_snapshot,
            final_snapshot_identifier=f"{args.identifier}-final" if args.final_snapshot else None,
            delete_automated_backups=not args.final_snapshot,
            auto_minor_version_upgrade=True,
            performance_insights_enabled=True,
            performance_insights_kms_key_id=args.data_key_arn,
            performance_insights_retention_period=args.performance_insights_retention_days,
            enabled_cloudwatch_logs_exports=list(LOG_EXPORTS),
            tags={"Name": args.identifier},
            opts=pulumi.ResourceOptions(parent=self, depends_on=log_groups),
        )

    def _table(
        self,
        args: DatabasesArgs,
        role: str,
        hash_key: str,
        *,
        ttl_attribute: str | None = None,
        index_on: str | None = None,
    ) -> aws.dynamodb.Table:
        """A string-keyed table; `index_on` adds a GSI `<attribute>-index` hashed on that attribute."""
        provisioned = args.billing_mode == "PROVISIONED"
        read = args.read_capacity if provisioned else None
        write = args.write_capacity if provisioned else None
        indexes = (
            [
                aws.dynamodb.TableGlobalSecondaryIndexArgs(
                    name=f"{index_on}-index",
                    key_schemas=[
                        aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                            attribute_name=index_on, key_type="HASH"
                        )
                    ],
                    projection_type="ALL",
                    read_capacity=read,
                    write_capacity=write,
                )
            ]
            if index_on
            else None
        )
        return aws.dynamodb.Table(
            f"{self._name}-{role}",
            billing_mode=args.billing_mode,
            hash_key=hash_key,
            attributes=[
                aws.dynamodb.TableAttributeArgs(name=attribute, type="S")
                for attribute in [hash_key, *([index_on] if index_on else [])]
            ],
            global_secondary_indexes=indexes,
            ttl=aws.dynamodb.TableTtlArgs(attribute_name=ttl_attribute, enabled=True)
            if ttl_attribute
            else None,
            server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(
                enabled=True, kms_key_arn=args.data_key_arn
            ),
            point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(
                enabled=args.point_in_time_recovery
            ),
            deletion_protection_enabled=args.deletion_protection,
            tags={"Name": f"{self._name}-{role}"},
            read_capacity=read,
            write_capacity=write,
            opts=self._child,
        )
