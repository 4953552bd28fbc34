"""Data resilience: RDS Multi-AZ, deletion protection and backups; DynamoDB PITR; S3 versioning."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.metadata import Level, RuleMeta
from policies.rules import s3_index, tokens
from policies.rules.checks import require_true
from policies.rules.framework import JoinRule, ResourceRule, Rule, Settings
from policies.rules.props import Skip, View

PROD_MANDATORY: dict[str, Level] = {"prod": "mandatory"}


def _multi_az(view: View, _settings: Settings) -> Iterator[str]:
    if view.has("replicateSourceDb"):
        raise Skip("read replica: availability comes from the source instance")
    if view.bool_("multiAz") is not True:
        yield "`multiAz` is not true, so an AZ outage takes the database down; set multi_az=True."


MULTI_AZ = ResourceRule(
    RuleMeta(
        name="aws-rds-instance-multi-az",
        controls=controls(
            fsbp=("RDS.5",),
            nist=(
                "CP-10",
                "SC-36",
            ),
        ),
        area="resilience",
        description="RDS instances run Multi-AZ with a synchronous standby.",
        severity="medium",
        rationale=(
            "A single-AZ instance is down for the whole AZ outage or maintenance failover (minutes to hours)."
        ),
        remediation="Set multi_az=True (mandatory in the prod profile; dev may stay single-AZ to save cost).",
        kind="resource",
        resource_types=tokens.RDS_INSTANCE,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("CKV_AWS_157", "rds-instance-multi-az-enabled", "rds-multi-az-support"),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html",
    ),
    _multi_az,
)


def _cluster_zones(view: View, _settings: Settings) -> Iterator[str]:
    zones = view.list_("availabilityZones")
    if 0 < len(zones) < 2:
        yield (
            f"`availabilityZones` lists only {zones[0]!r}; list at least two zones (or leave it unset for "
            "AWS to spread the cluster over three)."
        )


CLUSTER_ZONES = ResourceRule(
    RuleMeta(
        name="aws-rds-cluster-multi-az",
        controls=controls(nist=("CP-10", "SC-36")),
        area="resilience",
        description="RDS clusters are not pinned to a single Availability Zone.",
        severity="high",
        rationale=(
            "An Aurora or Multi-AZ DB cluster pinned to one zone keeps its storage and every instance there, "
            "so that zone's outage takes the whole cluster down. Left unset, AWS spreads the cluster's "
            "storage over three zones."
        ),
        remediation="Remove availability_zones, or list at least two zones.",
        kind="resource",
        resource_types=tokens.RDS_CLUSTER,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("aws-rds-cluster-disallow-single-availability-zone",),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html",
    ),
    _cluster_zones,
)

DELETION_PROTECTION = ResourceRule(
    RuleMeta(
        name="aws-rds-deletion-protection",
        controls=controls(
            fsbp=(
                "RDS.7",
                "RDS.8",
            ),
            nist=("CM-3",),
        ),
        area="resilience",
        description="RDS instances and clusters have deletion protection on.",
        severity="medium",
        rationale=(
            "Deletion protection stops a refactor, a replaced resource or a `pulumi destroy` from dropping "
            "data."
        ),
        remediation="Set deletion_protection=True (disable it deliberately before a planned deletion).",
        kind="resource",
        resource_types=tokens.RDS_INSTANCE + tokens.RDS_CLUSTER,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("CKV_AWS_293", "CKV_AWS_139", "AWS-0177", "rds-instance-deletion-protection-enabled"),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html",
    ),
    require_true("deletionProtection", fix="set deletion_protection=True."),
)


def _backups(view: View, settings: Settings) -> Iterator[str]:
    if view.has("replicateSourceDb"):
        raise Skip("read replica: backups are taken from the source instance")
    minimum = int(settings["minDays"])
    days = view.int_("backupRetentionPeriod")
    if days is None or days < minimum:
        shown = "not set (default 1 day)" if days is None else f"{days} day(s)"
        yield f"`backupRetentionPeriod` is {shown}; keep at least {minimum} days."


BACKUP_RETENTION = ResourceRule(
    RuleMeta(
        name="aws-rds-backup-retention",
        controls=controls(fsbp=("RDS.11",), nist=("CP-9",)),
        area="resilience",
        description=(
            "RDS instances and clusters keep automated backups for at least the configured number of days."
        ),
        severity="medium",
        rationale=(
            "Automated backups enable point-in-time restore; the default of one day leaves no time to notice "
            "corruption or a bad migration."
        ),
        remediation="Set backup_retention_period to 7 or more (35 at most).",
        kind="resource",
        resource_types=tokens.RDS_INSTANCE + tokens.RDS_CLUSTER,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=(
            "CKV_AWS_133",
            "AWS-0077",
            "rds-instance-backup-enabled",
            "aws-rds-cluster-configure-backup-retention",
            "aws-rds-cluster-enable-backup-retention",
            "aws-rds-instance-configure-backup-retention",
            "aws-rds-instance-enable-backup-retention",
        ),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
        config={"minDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7}},
    ),
    _backups,
)

DYNAMODB_PITR = ResourceRule(
    RuleMeta(
        name="aws-dynamodb-table-pitr",
        controls=controls(fsbp=("DynamoDB.2",), nist=("CP-9",)),
        area="resilience",
        description="DynamoDB tables have point-in-time recovery on.",
        severity="medium",
        rationale=(
            "PITR restores a table to any second of the last 35 days after an accidental write or delete."
        ),
        remediation="Set point_in_time_recovery={'enabled': True}.",
        kind="resource",
        resource_types=tokens.DYNAMODB_TABLE,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("CKV_AWS_28", "dynamodb-pitr-enabled"),
        url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
    ),
    require_true("pointInTimeRecovery", "enabled", fix="set point_in_time_recovery.enabled=True."),
)


def _versioning(bucket: View, index: s3_index.S3Index, _settings: Settings) -> Iterator[str]:
    if bucket.bool_("versioning", "enabled") is True:
        return
    configs = index.attached("versioning", bucket)
    if not configs:
        yield "no aws:s3/bucketVersioning targets this bucket; add one with status 'Enabled'."
    for config in configs:
        status = config.str_("versioningConfiguration", "status")
        if status != "Enabled":
            yield f"{config.name} sets versioning status {status!r}; set it to 'Enabled'."


S3_VERSIONING = JoinRule(
    RuleMeta(
        name="aws-s3-bucket-versioning",
        controls=controls(
            nist=(
                "CP-9",
                "CP-10",
            ),
        ),
        area="resilience",
        description="S3 buckets have versioning enabled.",
        severity="medium",
        rationale=(
            "Versioning keeps overwritten and deleted objects recoverable (pair it with lifecycle expiry of "
            "noncurrent versions). In pulumi-aws v7 it is a separate aws:s3/bucketVersioning resource joined "
            "by bucket; a bucket without one fails."
        ),
        remediation=(
            "Add aws.s3.BucketVersioning(bucket=..., versioning_configuration={'status': 'Enabled'})."
        ),
        kind="stack",
        resource_types=tokens.S3_BUCKETS,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("CKV_AWS_21", "s3-bucket-versioning", "s3-bucket-versioning-enabled"),
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
    ),
    s3_index.build,
    _versioning,
)

RULES: list[Rule] = [
    MULTI_AZ,
    CLUSTER_ZONES,
    DELETION_PROTECTION,
    BACKUP_RETENTION,
    DYNAMODB_PITR,
    S3_VERSIONING,
]
