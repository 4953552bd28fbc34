"""Encryption of databases and caches: RDS (instances and Aurora clusters), forced TLS, DynamoDB,
ElastiCache."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.checks import all_of, require_set, require_true
from policies.rules.framework import JoinRule, ResourceRule, Rule, Settings
from policies.rules.props import Skip, View, as_str, dig
from policies.rules.stack_index import Stack

_CMK = "set kms_key_id to a customer-managed aws.kms.Key."


def _rds_storage(view: View, settings: Settings) -> Iterator[str]:
    if view.has("replicateSourceDb") and view.get("storageEncrypted") is None:
        raise Skip("read replica: storage encryption and key follow the source instance, judged there")
    yield from all_of(
        require_true(
            "storageEncrypted", fix="set storage_encrypted=True (it cannot be enabled after creation)."
        ),
        require_set("kmsKeyId", fix=f"without it RDS uses the AWS-managed aws/rds key; {_CMK}"),
    )(view, settings)


RDS_INSTANCE_STORAGE = ResourceRule(
    RuleMeta(
        name="aws-rds-instance-storage-encrypted-cmk",
        controls=controls(
            fsbp=("RDS.3",),
            cis=("2.3.1",),
            pci=("3.5.1",),
            nist=(
                "SC-12",
                "SC-28",
            ),
        ),
        area="encryption",
        description="RDS instances encrypt storage with a customer-managed KMS key.",
        severity="high",
        rationale=(
            "Unencrypted RDS storage, snapshots and replicas expose data to anyone with snapshot access; "
            "encryption can only be chosen at creation. A customer-managed key keeps snapshot sharing and "
            "key use under the key policy. Read replicas inherit the source's encryption and are judged "
            "through the source."
        ),
        remediation=(
            "Create the instance with storage_encrypted=True and kms_key_id=<customer-managed key ARN>."
        ),
        kind="resource",
        resource_types=tokens.RDS_INSTANCE,
        references=(
            "CKV_AWS_16",
            "rds-storage-encrypted",
            "aws-rds-instance-configure-customer-managed-key",
            "aws-rds-instance-disallow-unencrypted-storage",
        ),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
    ),
    _rds_storage,
)

RDS_CLUSTER_STORAGE = ResourceRule(
    RuleMeta(
        name="aws-rds-cluster-storage-encrypted-cmk",
        controls=controls(
            fsbp=("RDS.27",),
            pci=("3.5.1",),
            nist=(
                "SC-12",
                "SC-28",
            ),
        ),
        area="encryption",
        description="Aurora and Multi-AZ DB clusters encrypt storage with a customer-managed KMS key.",
        severity="high",
        rationale=(
            "Cluster storage encryption is fixed at creation and covers every instance, snapshot and clone "
            "of the cluster; a customer-managed key keeps those under the key policy."
        ),
        remediation=(
            "Create the cluster with storage_encrypted=True and kms_key_id=<customer-managed key ARN>."
        ),
        kind="resource",
        resource_types=tokens.RDS_CLUSTER,
        references=(
            "CKV_AWS_96",
            "CKV_AWS_327",
            "aws-rds-cluster-configure-customer-managed-key",
            "aws-rds-cluster-disallow-unencrypted-storage",
        ),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
    ),
    all_of(
        require_true(
            "storageEncrypted", fix="set storage_encrypted=True (it cannot be enabled after creation)."
        ),
        require_set("kmsKeyId", fix=f"without it the cluster uses the AWS-managed aws/rds key; {_CMK}"),
    ),
)

# Engine family -> (parameter that forces TLS, accepted values).
_TLS_PARAMETERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "postgres": ("rds.force_ssl", ("1",)),
    "aurora-postgresql": ("rds.force_ssl", ("1",)),
    "sqlserver": ("rds.force_ssl", ("1",)),
    "mysql": ("require_secure_transport", ("1", "on")),
    "mariadb": ("require_secure_transport", ("1", "on")),
    "aurora-mysql": ("require_secure_transport", ("1", "on")),
    "aurora": ("require_secure_transport", ("1", "on")),
}


def _tls_parameter(engine: str | None) -> tuple[str, tuple[str, ...]]:
    if engine is None:
        raise Skip("could not evaluate: `engine` is not set")
    family = "sqlserver" if engine.startswith("sqlserver") else engine
    if family not in _TLS_PARAMETERS:
        raise Skip(f"engine {engine!r} does not force TLS through a parameter group")
    return _TLS_PARAMETERS[family]


def _group_key(view: View) -> tuple[str, tuple[str, ...]]:
    if view.type in tokens.RDS_CLUSTER:
        return "dbClusterParameterGroupName", tokens.RDS_CLUSTER_PARAMETER_GROUP
    return "parameterGroupName", tokens.RDS_PARAMETER_GROUP


def default_forces_tls(view: View) -> bool:
    """RDS for PostgreSQL 15 and later default rds.force_ssl to 1; Aurora PostgreSQL and older versions do
    not (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html)."""
    if view.str_("engine") != "postgres" or view.type not in tokens.RDS_INSTANCE:
        return False
    major = (view.str_("engineVersion") or "").split(".", 1)[0]
    return major.isdigit() and int(major) >= 15


def _judge_force_ssl(view: View, stack: Stack, _settings: Settings) -> Iterator[str]:
    parameter, accepted = _tls_parameter(view.str_("engine"))
    key, group_types = _group_key(view)
    by_default = default_forces_tls(view)
    if not view.has(key) and by_default:
        return
    if not view.has(key):
        yield (
            f"`{key}` is not set, so the engine default applies; attach a parameter group with {parameter}=1."
        )
        return
    refs = stack.resolve(view, key, view.props.get(key), group_types)
    if refs.unknown:
        raise Skip(f"could not evaluate: `{key}` is unknown during preview")
    if not refs.targets:
        raise Skip(
            f"parameter group {refs.external!r} is not defined in this program; its parameters are unknown"
        )
    for group in refs.targets:
        values = {
            as_str(dig(item, "name"), f"{group.name}.parameters"): as_str(dig(item, "value"), group.name)
            for item in group.list_("parameters")
        }
        value = values.get(parameter)
        if value is None and by_default:
            continue
        if value is None or value.lower() not in accepted:
            yield (
                f"parameter group {group.name} sets {parameter}={value!r}; set it to 1 so clients must use "
                "TLS."
            )


RDS_FORCE_SSL = JoinRule(
    RuleMeta(
        name="aws-rds-force-ssl",
        controls=controls(
            pci=("4.2.1",),
            nist=(
                "SC-8",
                "SC-23",
            ),
        ),
        area="encryption",
        description=(
            "RDS instances and clusters refuse unencrypted client connections through their parameter group."
        ),
        severity="high",
        rationale=(
            "Without rds.force_ssl (PostgreSQL, SQL Server) or require_secure_transport (MySQL, MariaDB) "
            "clients may connect in plaintext inside the VPC. The setting lives in a separate parameter "
            "group resource, so the instance or cluster is joined with the group it names. The engine "
            "default counts: RDS for PostgreSQL 15+ forces TLS by default (an unset parameter passes, 0 "
            "fails); Aurora PostgreSQL, older PostgreSQL and the other engines do not, so their default "
            "group fails."
        ),
        remediation=(
            "Create an aws.rds.ParameterGroup (aws.rds.ClusterParameterGroup for clusters) with "
            "parameters=[{'name': 'rds.force_ssl', 'value': '1'}] and pass its name as parameter_group_name."
        ),
        kind="stack",
        resource_types=tokens.RDS_INSTANCE + tokens.RDS_CLUSTER,
        references=("CKV2_AWS_69", "rds-instance-ssl-encryption"),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
    ),
    lambda stack: stack,
    _judge_force_ssl,
)


def _dynamodb(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("serverSideEncryption", "enabled") is not True:
        yield (
            "`serverSideEncryption.enabled` is not true, so the table uses an AWS-owned key; enable it with "
            "kms_key_arn set to a customer-managed key."
        )
    elif not view.has("serverSideEncryption", "kmsKeyArn"):
        yield (
            "`serverSideEncryption.kmsKeyArn` is not set, so the AWS-managed aws/dynamodb key is used; "
            + _CMK
        )


DYNAMODB_SSE = ResourceRule(
    RuleMeta(
        name="aws-dynamodb-table-sse-kms",
        controls=controls(
            nist=(
                "SC-12",
                "SC-28",
            )
        ),
        area="encryption",
        description="DynamoDB tables encrypt with a customer-managed KMS key.",
        severity="high",
        rationale=(
            "Tables are always encrypted, but by default with an AWS-owned key that no key policy or "
            "CloudTrail record covers; an unset server_side_encryption is therefore a failure, not a pass."
        ),
        remediation=(
            "Set server_side_encryption={'enabled': True, 'kms_key_arn': <customer-managed key ARN>}."
        ),
        kind="resource",
        resource_types=tokens.DYNAMODB_TABLE,
        references=("CKV_AWS_119", "AWS-0025", "dynamodb-table-encryption-enabled"),
        url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
    ),
    _dynamodb,
)

_ELASTICACHE_GROUP = all_of(
    require_true("atRestEncryptionEnabled", fix="set at_rest_encryption_enabled=True."),
    require_true("transitEncryptionEnabled", fix="set transit_encryption_enabled=True."),
    require_set("kmsKeyId", fix=_CMK),
)
_ELASTICACHE_SERVERLESS = require_set("kmsKeyId", fix=_CMK)


def _elasticache(view: View, settings: Settings) -> Iterator[str]:
    serverless = view.type in tokens.ELASTICACHE_SERVERLESS
    return (_ELASTICACHE_SERVERLESS if serverless else _ELASTICACHE_GROUP)(view, settings)


ELASTICACHE = ResourceRule(
    RuleMeta(
        name="aws-elasticache-encryption",
        controls=controls(
            fsbp=(
                "ElastiCache.4",
                "ElastiCache.5",
            ),
            nist=(
                "SC-8",
                "SC-28",
            ),
        ),
        area="encryption",
        description=(
            "ElastiCache replication groups and serverless caches encrypt at rest with a customer-managed "
            "key and in transit."
        ),
        severity="high",
        rationale=(
            "Cached data is often session or query data as sensitive as its source; at-rest and in-transit "
            "encryption can only be enabled at creation for replication groups."
        ),
        remediation=(
            "Set at_rest_encryption_enabled=True, transit_encryption_enabled=True and kms_key_id on "
            "aws.elasticache.ReplicationGroup; kms_key_id on aws.elasticache.ServerlessCache."
        ),
        kind="resource",
        resource_types=tokens.ELASTICACHE_REPLICATION_GROUP + tokens.ELASTICACHE_SERVERLESS,
        references=("CKV_AWS_29", "CKV_AWS_30", "CKV_AWS_191"),
        url="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
    ),
    _elasticache,
)

RULES: list[Rule] = [RDS_INSTANCE_STORAGE, RDS_CLUSTER_STORAGE, RDS_FORCE_SSL, DYNAMODB_SSE, ELASTICACHE]
