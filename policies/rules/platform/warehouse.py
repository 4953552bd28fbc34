"""Warehouse and streaming: Redshift (+ Serverless), MSK, Firehose, Glue Data Catalog, Athena databases."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.rules import attached, tokens
from policies.rules.framework import Rule, Settings
from policies.rules.platform import types
from policies.rules.platform.common import (
    CMK,
    join_rule,
    require_flag,
    require_key,
    require_value,
    resource_rule,
)
from policies.rules.props import Skip, View, as_bool, as_str, dig, strings
from policies.rules.stack_index import Stack

_REDSHIFT_URL = "https://docs.aws.amazon.com/redshift/latest/mgmt/"
_MSK_URL = "https://docs.aws.amazon.com/msk/latest/developerguide/"


def _redshift_encryption(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("encrypted") is False:
        yield "`encrypted` is false; set encrypted=True (the v7 default)."
    yield from require_key(view, ("kmsKeyId",), f"without it Redshift uses the AWS-managed key; {CMK}")


REDSHIFT_ENCRYPTION = resource_rule(
    _redshift_encryption,
    name="aws-redshift-cluster-encrypted-cmk",
    area="encryption",
    description="Redshift clusters encrypt with a customer-managed KMS key.",
    severity="high",
    rationale=(
        "A warehouse holds the curated copy of the data lake; its snapshots inherit the cluster key, so an "
        "AWS-managed key leaves snapshot sharing outside any key policy."
    ),
    remediation="Set encrypted=True and kms_key_id=key.arn on aws.redshift.Cluster.",
    resource_types=types.REDSHIFT_CLUSTER,
    references=("CKV_AWS_64", "CKV_AWS_142", "redshift-cluster-configuration"),
    controls=controls(fsbp=("Redshift.10",), nist=("SC-12", "SC-28")),
    url=_REDSHIFT_URL + "working-with-db-encryption.html",
)


_redshift_index = attached.indexer(
    "logging", types.REDSHIFT_LOGGING, "clusterIdentifier", types.REDSHIFT_CLUSTER
)


def _redshift_logging(view: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    configs = index.of(view)
    if not configs:
        yield "no aws.redshift.Logging resource enables audit logging for this cluster."
        return
    for config in configs:
        if config.str_("logDestinationType") == "cloudwatch":
            exports = set(strings(config.get("logExports"), "logExports"))
            missing = {"connectionlog", "useractivitylog", "userlog"} - exports
            if missing:
                yield f"logging {config.name} does not export {', '.join(sorted(missing))}; add them."
        elif not config.has("bucketName"):
            yield f"logging {config.name} has neither a CloudWatch destination nor a bucket_name."


REDSHIFT_LOGGING = join_rule(
    _redshift_index,
    _redshift_logging,
    name="aws-redshift-cluster-audit-logging",
    area="resilience",
    description="Redshift clusters have audit logging (connection, user and user-activity logs) enabled.",
    severity="medium",
    rationale=(
        "Audit logs record who connected and what they ran. pulumi-aws v7 moved logging from the cluster "
        "to aws.redshift.Logging, so the cluster is joined with the logging resources that name it."
    ),
    remediation=(
        "Add aws.redshift.Logging(cluster_identifier=cluster.cluster_identifier, "
        "log_destination_type='cloudwatch', log_exports=['connectionlog', 'useractivitylog', 'userlog'])."
    ),
    resource_types=types.REDSHIFT_CLUSTER,
    references=("CKV_AWS_71", "redshift-cluster-configuration"),
    controls=controls(fsbp=("Redshift.4",), nist=("AU-2", "AU-12")),
    url=_REDSHIFT_URL + "db-auditing.html",
)


def _redshift_network(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_flag(view, ("enhancedVpcRouting",), "set enhanced_vpc_routing=True.")
    if not view.has("clusterSubnetGroupName"):
        yield (
            "`clusterSubnetGroupName` is not set, so the cluster lands in the default VPC; name a subnet "
            "group."
        )


REDSHIFT_NETWORK = resource_rule(
    _redshift_network,
    name="aws-redshift-cluster-vpc-routing",
    area="network",
    description="Redshift clusters run in a chosen VPC subnet group with enhanced VPC routing.",
    severity="medium",
    rationale=(
        "Without enhanced VPC routing COPY/UNLOAD traffic to S3 bypasses the VPC's endpoints, flow logs and "
        "endpoint policies; without a subnet group the cluster uses the default VPC. Public accessibility is "
        "judged by aws-rds-not-public."
    ),
    remediation="Set enhanced_vpc_routing=True and cluster_subnet_group_name=<private subnet group>.",
    resource_types=types.REDSHIFT_CLUSTER,
    references=("CKV_AWS_154", "CKV_AWS_321"),
    controls=controls(fsbp=("Redshift.7",), nist=("AC-4", "SC-7")),
    url=_REDSHIFT_URL + "enhanced-vpc-routing.html",
)


def _redshift_maintenance(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("allowVersionUpgrade") is False:
        yield "`allowVersionUpgrade` is false; major version upgrades (and their fixes) are never applied."
    retention = view.int_("automatedSnapshotRetentionPeriod")
    if retention is not None and retention < 7:
        yield f"`automatedSnapshotRetentionPeriod` is {retention}; keep automated snapshots 7 days or more."
    database = view.str_("databaseName")
    if database is None or database == "dev":
        yield "`databaseName` is the default 'dev'; name the database."
    if (view.str_("masterUsername") or "").lower() in ("awsuser", "admin", "root", "master"):
        yield "`masterUsername` is a well-known default; choose another admin user name."


REDSHIFT_MAINTENANCE = resource_rule(
    _redshift_maintenance,
    name="aws-redshift-cluster-maintenance",
    area="resilience",
    description=(
        "Redshift clusters take version upgrades, keep 7 days of automated snapshots and avoid default names."
    ),
    severity="low",
    rationale=(
        "Disabled upgrades leave the engine unpatched; short snapshot retention leaves no way back after a "
        "bad load; default database and admin names are the first ones credential-stuffing tries. An unset "
        "retention is the 1-day default, which AWS Security Hub accepts; 0 turns snapshots off."
    ),
    remediation=(
        "Keep allow_version_upgrade=True, set automated_snapshot_retention_period=7 or more, a database_name "
        "other than 'dev' and a master_username other than 'awsuser'."
    ),
    resource_types=types.REDSHIFT_CLUSTER,
    default_level="advisory",
    references=(
        "CKV_AWS_141",
        "CKV_AWS_320",
        "CKV_AWS_343",
        "CKV_AWS_391",
        "redshift-cluster-maintenance-settings",
    ),
    controls=controls(fsbp=("Redshift.3", "Redshift.6", "Redshift.8"), nist=("CP-9", "SI-2", "IA-5")),
    url=_REDSHIFT_URL + "working-with-clusters.html",
)


def _require_ssl(view: View, stack: Stack, _settings: Settings) -> Iterator[str]:
    if not view.has("clusterParameterGroupName"):
        yield "`clusterParameterGroupName` is not set, so the default group (require_ssl=false) applies."
        return
    refs = stack.resolve(
        view,
        "clusterParameterGroupName",
        view.props.get("clusterParameterGroupName"),
        types.REDSHIFT_PARAMETER_GROUP,
    )
    if refs.unknown:
        raise Skip("could not evaluate: `clusterParameterGroupName` is unknown during preview")
    if not refs.targets:
        raise Skip(
            f"parameter group {refs.external!r} is not defined in this program; its parameters are unknown"
        )
    for group in refs.targets:
        values = {
            as_str(dig(item, "name"), group.name): as_str(dig(item, "value"), group.name)
            for item in group.list_("parameters")
        }
        if (values.get("require_ssl") or "false").lower() != "true":
            yield (
                f"parameter group {group.name} does not set require_ssl=true; clients may connect in "
                "plaintext."
            )


REDSHIFT_SSL = join_rule(
    lambda stack: stack,
    _require_ssl,
    name="aws-redshift-require-ssl",
    area="encryption",
    description="Redshift clusters refuse unencrypted connections through their parameter group.",
    severity="high",
    rationale=(
        "Redshift accepts plaintext connections unless the cluster's parameter group sets require_ssl; the "
        "cluster is joined with the parameter group it names."
    ),
    remediation=(
        "Create an aws.redshift.ParameterGroup with "
        "parameters=[{'name': 'require_ssl', 'value': 'true'}] and "
        "pass its name as cluster_parameter_group_name."
    ),
    resource_types=types.REDSHIFT_CLUSTER,
    related_types=types.REDSHIFT_PARAMETER_GROUP,
    references=("CKV_AWS_105",),
    controls=controls(fsbp=("Redshift.2",), nist=("SC-8", "SC-13")),
    url=_REDSHIFT_URL + "connecting-ssl-support.html",
)

_SERVERLESS_LOGS = ("connectionlog", "useractivitylog", "userlog")


def _redshift_serverless(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in types.REDSHIFT_NAMESPACE:
        yield from require_key(view, ("kmsKeyId",), CMK)
        exports = set(strings(view.get("logExports"), "logExports"))
        missing = [kind for kind in _SERVERLESS_LOGS if kind not in exports]
        if missing:
            yield f"`logExports` lacks {', '.join(missing)}; export all three audit logs."
        if (view.str_("dbName") or "dev") == "dev" or (view.str_("adminUsername") or "admin") == "admin":
            yield "`dbName`/`adminUsername` keep their defaults ('dev'/'admin'); name them."
        return
    if view.bool_("publiclyAccessible") is True:
        yield "`publiclyAccessible` is true; serve the workgroup inside the VPC only."
    yield from require_flag(view, ("enhancedVpcRouting",), "set enhanced_vpc_routing=True.")


REDSHIFT_SERVERLESS = resource_rule(
    _redshift_serverless,
    name="aws-redshift-serverless-hardened",
    area="encryption",
    description=(
        "Redshift Serverless namespaces use a customer-managed key and export audit logs; workgroups are "
        "private and route through the VPC."
    ),
    severity="high",
    rationale=(
        "The namespace holds the data and its key (AWS-owned unless kms_key_id is set); the workgroup is the "
        "endpoint. The same controls as for provisioned clusters apply, split over the two resources."
    ),
    remediation=(
        "Namespace: kms_key_id, log_exports=['connectionlog', 'useractivitylog', 'userlog'], non-default "
        "db_name and admin_username. Workgroup: publicly_accessible=False, enhanced_vpc_routing=True."
    ),
    resource_types=types.REDSHIFT_NAMESPACE + types.REDSHIFT_WORKGROUP,
    references=("CKV_AWS_282",),
    controls=controls(
        fsbp=("RedshiftServerless.1", "RedshiftServerless.3", "RedshiftServerless.5", "RedshiftServerless.6"),
        nist=("SC-12", "SC-28", "SC-7", "AU-2"),
    ),
    url="https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-security.html",
)


def _msk_encryption(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_value(
        view,
        ("encryptionInfo", "encryptionInTransit", "clientBroker"),
        ("TLS",),
        "TLS",
        "set encryption_in_transit.client_broker='TLS'.",
    )
    if view.bool_("encryptionInfo", "encryptionInTransit", "inCluster") is False:
        yield "`encryptionInfo.encryptionInTransit.inCluster` is false; brokers replicate in plaintext."
    yield from require_key(view, ("encryptionInfo", "encryptionAtRestKmsKeyArn"), CMK)


MSK_ENCRYPTION = resource_rule(
    _msk_encryption,
    name="aws-msk-cluster-encryption",
    area="encryption",
    description="MSK clusters take TLS client traffic only and encrypt at rest with a customer-managed key.",
    severity="high",
    rationale=(
        "TLS_PLAINTEXT or PLAINTEXT client traffic lets anyone on the path read the stream; without an "
        "at-rest key MSK uses the AWS-managed aws/kafka key."
    ),
    remediation=(
        "Set encryption_info={'encryption_in_transit': {'client_broker': 'TLS', 'in_cluster': True}, "
        "'encryption_at_rest_kms_key_arn': key.arn}."
    ),
    resource_types=types.MSK_CLUSTER,
    references=("CKV_AWS_81",),
    controls=controls(fsbp=("MSK.1",), nist=("SC-8", "SC-12", "SC-28")),
    url=_MSK_URL + "msk-encryption.html",
)


def _msk_auth(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in types.MSK_SERVERLESS:
        yield from require_flag(
            view, ("clientAuthentication", "sasl", "iam", "enabled"), "enable IAM client authentication."
        )
        return
    if view.bool_("clientAuthentication", "unauthenticated") is True:
        yield "`clientAuthentication.unauthenticated` is true; unauthenticated clients may connect."
    methods = (
        view.bool_("clientAuthentication", "sasl", "iam") is True
        or view.bool_("clientAuthentication", "sasl", "scram") is True
        or view.has("clientAuthentication", "tls", "certificateAuthorityArns")
    )
    if not methods:
        yield "no client authentication (SASL/IAM, SASL/SCRAM or mutual TLS) is enabled."


MSK_AUTH = resource_rule(
    _msk_auth,
    name="aws-msk-cluster-authentication",
    area="iam",
    description="MSK clusters require client authentication (IAM, SCRAM or mutual TLS).",
    severity="high",
    rationale=(
        "Without client authentication any client that reaches a broker can produce to and consume every "
        "topic; Kafka ACLs need an authenticated identity."
    ),
    remediation="Set client_authentication={'sasl': {'iam': True}, 'unauthenticated': False}.",
    resource_types=types.MSK_CLUSTER + types.MSK_SERVERLESS,
    references=("msk-unrestricted-access-check",),
    controls=controls(fsbp=("MSK.6",), nist=("AC-3", "IA-2")),
    url=_MSK_URL + "kafka_apis_iam.html",
)


def _msk_private(view: View, _settings: Settings) -> Iterator[str]:
    kind = view.str_("brokerNodeGroupInfo", "connectivityInfo", "publicAccess", "type")
    if kind not in (None, "DISABLED"):
        yield f"`brokerNodeGroupInfo.connectivityInfo.publicAccess.type` is {kind!r}; brokers are public."
    broker_logs = view.get("loggingInfo", "brokerLogs")
    enabled = any(
        as_bool(dig(broker_logs, sink, "enabled", base="loggingInfo.brokerLogs"), sink) is True
        for sink in ("cloudwatchLogs", "firehose", "s3")
    )
    if not enabled:
        yield "`loggingInfo.brokerLogs` enables no destination; send broker logs to CloudWatch Logs or S3."


MSK_PRIVATE = resource_rule(
    _msk_private,
    name="aws-msk-cluster-private-logged",
    area="network",
    description="MSK brokers are not publicly reachable and send broker logs to a destination.",
    severity="high",
    rationale=(
        "Public access gives every broker an internet address; broker logs are the record of connections "
        "and authentication failures."
    ),
    remediation=(
        "Keep connectivity_info.public_access.type='DISABLED' and set logging_info.broker_logs."
        "cloudwatch_logs={'enabled': True, 'log_group': group.name}."
    ),
    resource_types=types.MSK_CLUSTER,
    references=("CKV_AWS_80", "CKV_AWS_291"),
    controls=controls(fsbp=("MSK.4",), nist=("SC-7", "AU-2")),
    url=_MSK_URL + "msk-logging.html",
)


def _firehose(view: View, _settings: Settings) -> Iterator[str]:
    if view.has("kinesisSourceConfiguration") or view.has("mskSourceConfiguration"):
        raise Skip("stream-sourced delivery streams take encryption from their source, judged there")
    yield from require_flag(
        view, ("serverSideEncryption", "enabled"), "set server_side_encryption.enabled=True."
    )
    if view.bool_("serverSideEncryption", "enabled") is True:
        yield from require_value(
            view,
            ("serverSideEncryption", "keyType"),
            ("CUSTOMER_MANAGED_CMK",),
            "AWS_OWNED_CMK",
            "set key_type='CUSTOMER_MANAGED_CMK' with key_arn.",
        )


FIREHOSE = resource_rule(
    _firehose,
    name="aws-firehose-kms",
    area="encryption",
    description="Firehose delivery streams encrypt buffered records with a customer-managed KMS key.",
    severity="medium",
    rationale=(
        "Direct-put delivery streams buffer records before delivery; without server_side_encryption they sit "
        "unencrypted, and the AWS-owned key is outside any key policy. Streams sourced from Kinesis or MSK "
        "inherit the source's encryption."
    ),
    remediation=(
        "Set "
        "server_side_encryption={'enabled': True, 'key_type': 'CUSTOMER_MANAGED_CMK', 'key_arn': key.arn}."
    ),
    resource_types=types.FIREHOSE,
    references=("CKV_AWS_240", "CKV_AWS_241"),
    controls=controls(fsbp=("DataFirehose.1",), nist=("SC-12", "SC-28")),
    url="https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
)


def _catalog(view: View, _settings: Settings) -> Iterator[str]:
    base = ("dataCatalogEncryptionSettings",)
    yield from require_value(
        view,
        (*base, "encryptionAtRest", "catalogEncryptionMode"),
        ("SSE-KMS", "SSE-KMS-WITH-SERVICE-ROLE"),
        None,
        "set catalog_encryption_mode='SSE-KMS' with sse_aws_kms_key_id.",
    )
    yield from require_key(view, (*base, "encryptionAtRest", "sseAwsKmsKeyId"), CMK)
    yield from require_flag(
        view,
        (*base, "connectionPasswordEncryption", "returnConnectionPasswordEncrypted"),
        "set connection_password_encryption.return_connection_password_encrypted=True.",
    )
    yield from require_key(view, (*base, "connectionPasswordEncryption", "awsKmsKeyId"), CMK)


GLUE_CATALOG = resource_rule(
    _catalog,
    name="aws-glue-catalog-encryption",
    area="encryption",
    description="The Glue Data Catalog encrypts metadata and connection passwords with a CMK.",
    severity="medium",
    rationale=(
        "Catalog metadata describes every table of the lake, and connections hold database passwords; both "
        "are unencrypted unless the account's catalog encryption settings say otherwise."
    ),
    remediation=(
        "Declare aws.glue.DataCatalogEncryptionSettings with encryption_at_rest={'catalog_encryption_mode': "
        "'SSE-KMS', 'sse_aws_kms_key_id': key.arn} and connection_password_encryption="
        "{'return_connection_password_encrypted': True, 'aws_kms_key_id': key.arn}."
    ),
    resource_types=types.GLUE_CATALOG_ENCRYPTION,
    references=("CKV_AWS_94",),
    controls=controls(nist=("SC-12", "SC-28")),
    url="https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html",
)


def _athena_database(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_value(
        view,
        ("encryptionConfiguration", "encryptionOption"),
        ("SSE_KMS", "CSE_KMS"),
        None,
        "set encryption_configuration={'encryption_option': 'SSE_KMS', 'kms_key': key.arn}.",
    )
    if (view.str_("encryptionConfiguration", "encryptionOption") or "").endswith("KMS"):
        yield from require_key(view, ("encryptionConfiguration", "kmsKey"), CMK)


ATHENA_DATABASE = resource_rule(
    _athena_database,
    name="aws-athena-database-kms",
    area="encryption",
    description="Athena databases encrypt the query results of their creation with a customer-managed key.",
    severity="medium",
    rationale=(
        "An aws.athena.Database runs a CREATE DATABASE query whose results land in the named bucket; without "
        "an encryption configuration they are written unencrypted by Athena."
    ),
    remediation="Set encryption_configuration={'encryption_option': 'SSE_KMS', 'kms_key': key.arn}.",
    resource_types=tokens.ATHENA_DATABASE,
    references=(
        "CKV_AWS_77",
        "aws-athena-database-configure-customer-managed-key",
        "aws-athena-database-disallow-unencrypted-database",
    ),
    controls=controls(nist=("SC-12", "SC-28")),
    url="https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html",
)

RULES: list[Rule] = [
    REDSHIFT_ENCRYPTION,
    REDSHIFT_LOGGING,
    REDSHIFT_NETWORK,
    REDSHIFT_MAINTENANCE,
    REDSHIFT_SSL,
    REDSHIFT_SERVERLESS,
    MSK_ENCRYPTION,
    MSK_AUTH,
    MSK_PRIVATE,
    FIREHOSE,
    GLUE_CATALOG,
    ATHENA_DATABASE,
]
