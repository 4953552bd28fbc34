"""RDS instance hardening: IAM authentication, logs, monitoring, patching, certificates, snapshots and
backups."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from policies.frameworks import Control, controls
from policies.metadata import RuleMeta, SeverityName
from policies.rules import tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View

Check = Callable[[View, Settings], Iterator[str]]

_LOGS = {
    "postgres": ("postgresql",),
    "aurora-postgresql": ("postgresql",),
    "mysql": ("error", "general", "slowquery"),
    "mariadb": ("error", "general", "slowquery"),
    "aurora-mysql": ("error", "general", "slowquery"),
}
CURRENT_CAS = ("rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1")


def _rds(
    name: str,
    description: str,
    rationale: str,
    remediation: str,
    check: Check,
    references: tuple[str, ...],
    found: tuple[Control, ...],
    severity: SeverityName = "medium",
    types: tuple[str, ...] = tokens.RDS_INSTANCE,
    prod_only: bool = False,
) -> ResourceRule:
    return ResourceRule(
        RuleMeta(
            name=name,
            controls=found,
            area="hardening",
            description=description,
            severity=severity,
            rationale=rationale,
            remediation=remediation,
            kind="resource",
            resource_types=types,
            default_level="advisory" if prod_only else "mandatory",
            profiles={"prod": "mandatory"} if prod_only else {},
            references=references,
            url="https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html",
        ),
        check,
    )


def _iam_auth(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("iamDatabaseAuthenticationEnabled") is not True:
        yield "`iamDatabaseAuthenticationEnabled` is not true; let applications sign in with IAM tokens."


def _log_exports(view: View, _settings: Settings) -> Iterator[str]:
    wanted = _LOGS.get((view.str_("engine") or "").lower())
    exported = set(view.list_("enabledCloudwatchLogsExports"))
    if wanted is None:
        if not exported:
            yield "`enabledCloudwatchLogsExports` is empty; export the engine's logs to CloudWatch."
        return
    missing = [log for log in wanted if log not in exported]
    if missing:
        yield f"`enabledCloudwatchLogsExports` lacks {missing}; export them to CloudWatch."


def _monitoring(view: View, _settings: Settings) -> Iterator[str]:
    if (view.int_("monitoringInterval") or 0) <= 0:
        yield "`monitoringInterval` is 0, so Enhanced Monitoring is off; set 1-60 seconds with a role."
    elif not view.has("monitoringRoleArn"):
        yield "`monitoringRoleArn` is not set; Enhanced Monitoring needs a role to publish metrics."


def _insights(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("performanceInsightsEnabled") is not True:
        yield "`performanceInsightsEnabled` is not true; enable Performance Insights."
    elif not view.has("performanceInsightsKmsKeyId"):
        yield "`performanceInsightsKmsKeyId` is not set, so the AWS-managed aws/rds key is used; set a CMK."


def _minor_upgrades(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("autoMinorVersionUpgrade") is False:
        yield "`autoMinorVersionUpgrade` is false; let RDS apply minor engine patches."


def _ca(view: View, _settings: Settings) -> Iterator[str]:
    ca = view.str_("caCertIdentifier")
    if ca is not None and ca not in CURRENT_CAS:
        yield f"`caCertIdentifier` is {ca}; use one of {list(CURRENT_CAS)} (rds-ca-2019 expired in 2024)."


def _copy_tags(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("copyTagsToSnapshot") is not True:
        yield "`copyTagsToSnapshot` is not true; snapshots lose the tags that say whose data they hold."


def _replication_cmk(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("kmsKeyId"):
        yield "`kmsKeyId` is not set; replicated backups must be encrypted with a CMK in the target region."


RULES: list[Rule] = [
    _rds(
        "aws-rds-iam-authentication",
        "RDS instances accept IAM database authentication.",
        "IAM tokens are short-lived and auditable; without them every client holds a long-lived password.",
        "Set iam_database_authentication_enabled=True and grant rds-db:connect to the clients' roles.",
        _iam_auth,
        ("CKV_AWS_161",),
        controls(fsbp=("RDS.10",), pci=("7.2.1",), nist=("AC-2", "IA-2")),
    ),
    _rds(
        "aws-rds-log-exports",
        "RDS instances export the engine's logs to CloudWatch Logs.",
        "Engine logs (for PostgreSQL: connections, errors and queries) are the audit trail of the database; "
        "kept only on the instance they rotate away.",
        "Set enabled_cloudwatch_logs_exports (postgresql for PostgreSQL; error, general, slowquery for "
        "MySQL).",
        _log_exports,
        ("CKV_AWS_129", "CKV2_AWS_30"),
        controls(fsbp=("RDS.9",), pci=("10.2.1",), nist=("AU-2", "AU-12")),
    ),
    _rds(
        "aws-rds-enhanced-monitoring",
        "RDS instances have Enhanced Monitoring on.",
        "OS-level metrics (processes, memory, I/O) show what CloudWatch's hypervisor view cannot.",
        "Set monitoring_interval (e.g. 60) and monitoring_role_arn.",
        _monitoring,
        ("CKV_AWS_118",),
        controls(fsbp=("RDS.6",), nist=("SI-4",)),
        severity="low",
        types=tokens.RDS_INSTANCE + tokens.RDS_CLUSTER_INSTANCE,
        prod_only=True,
    ),
    _rds(
        "aws-rds-performance-insights-cmk",
        "RDS instances have Performance Insights on, encrypted with a customer-managed key.",
        "Performance Insights keeps query text; with the AWS-managed key anyone allowed to use aws/rds in "
        "the account can read it.",
        "Set performance_insights_enabled=True and performance_insights_kms_key_id to a CMK.",
        _insights,
        (
            "CKV_AWS_353",
            "CKV_AWS_354",
            "aws-rds-clusterinstance-disallow-unencrypted-performance-insights",
            "aws-rds-clusterinstance-enable-performance-insights",
            "aws-rds-instance-disallow-unencrypted-performance-insights",
            "aws-rds-instance-enable-performance-insights",
        ),
        controls(nist=("SC-28", "SI-4")),
        types=tokens.RDS_INSTANCE + tokens.RDS_CLUSTER_INSTANCE,
    ),
    _rds(
        "aws-rds-auto-minor-version-upgrade",
        "RDS instances take minor engine upgrades automatically.",
        "Minor versions carry security fixes; turning automatic upgrades off leaves them unpatched.",
        "Leave auto_minor_version_upgrade unset or True.",
        _minor_upgrades,
        ("CKV_AWS_226",),
        controls(fsbp=("RDS.13",), cis=("2.3.2",), pci=("6.3.3",), nist=("SI-2",)),
        types=tokens.RDS_INSTANCE + tokens.RDS_CLUSTER_INSTANCE,
    ),
    _rds(
        "aws-rds-current-ca-certificate",
        "RDS instances use a current certificate authority.",
        "Clients that verify the server certificate (as they should) fail against an expired CA, and a "
        "retired CA is no longer rotated.",
        "Set ca_cert_identifier to rds-ca-rsa2048-g1 (or leave it unset for the region's default).",
        _ca,
        ("CKV_AWS_211",),
        controls(nist=("SC-8", "SC-17")),
    ),
    _rds(
        "aws-rds-copy-tags-to-snapshot",
        "RDS instances copy their tags to snapshots.",
        "Tags carry ownership and data classification; untagged snapshots escape tag-based access and "
        "retention policies.",
        "Set copy_tags_to_snapshot=True.",
        _copy_tags,
        (),
        controls(fsbp=("RDS.17",), nist=("CM-8",)),
        severity="low",
    ),
    _rds(
        "aws-rds-backup-replication-cmk",
        "Cross-region replicated RDS backups are encrypted with a customer-managed key.",
        "Replicated backups are a full copy of the database in another region; they need a key you control "
        "there too.",
        "Set kms_key_id on the aws.rds.InstanceAutomatedBackupsReplication to a CMK in the destination "
        "region.",
        _replication_cmk,
        ("CKV_AWS_245",),
        controls(nist=("SC-12", "SC-28")),
        types=tokens.RDS_BACKUP_REPLICATION,
    ),
]
