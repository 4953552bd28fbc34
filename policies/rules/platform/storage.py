"""Caches and file systems: ElastiCache (beyond encryption, judged in encryption.databases) and EFS."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from policies.frameworks import controls
from policies.rules import attached, iam_doc
from policies.rules.framework import Rule, Settings
from policies.rules.platform import types
from policies.rules.platform.common import (
    CMK,
    PROD_MANDATORY,
    join_rule,
    require_flag,
    require_key,
    resource_rule,
)
from policies.rules.props import Skip, View, as_str, dig
from policies.rules.stack_index import Stack

_CACHE_URL = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/"
_EFS_URL = "https://docs.aws.amazon.com/efs/latest/ug/"


def _cache_auth(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in types.ELASTICACHE_SERVERLESS:
        if not view.has("userGroupId"):
            yield "`userGroupId` is not set; attach an RBAC user group with a non-default user."
        return
    if view.bool_("transitEncryptionEnabled") is not True:
        yield "`transitEncryptionEnabled` is not true; AUTH and RBAC require TLS."
    elif not (view.has("authToken") or view.has("authTokenWo") or view.has("userGroupIds")):
        yield "neither `authToken` nor `userGroupIds` is set; any client in the network can connect."


CACHE_AUTH = resource_rule(
    _cache_auth,
    name="aws-elasticache-auth",
    area="iam",
    description="ElastiCache replication groups and serverless caches require AUTH or an RBAC user group.",
    severity="high",
    rationale=(
        "Without AUTH or RBAC, anything that reaches the port (a compromised task in the VPC) can read and "
        "overwrite the cache, including session and feature data."
    ),
    remediation=(
        "Set transit_encryption_enabled=True and user_group_ids=[group.id] (or auth_token_wo from a secret) "
        "on aws.elasticache.ReplicationGroup; user_group_id on aws.elasticache.ServerlessCache."
    ),
    resource_types=types.ELASTICACHE_GROUP + types.ELASTICACHE_SERVERLESS,
    references=("CKV_AWS_31",),
    controls=controls(fsbp=("ElastiCache.6",), nist=("AC-3", "IA-2")),
    url=_CACHE_URL + "auth.html",
)


def _cache_ha(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_flag(view, ("automaticFailoverEnabled",), "set automatic_failover_enabled=True.")
    yield from require_flag(view, ("multiAzEnabled",), "set multi_az_enabled=True with a replica per zone.")


CACHE_HA = resource_rule(
    _cache_ha,
    name="aws-elasticache-multi-az-failover",
    area="resilience",
    description="ElastiCache replication groups fail over automatically across zones (mandatory in prod).",
    severity="medium",
    rationale="Without automatic failover and Multi-AZ a primary node or zone failure is an outage.",
    remediation="Set automatic_failover_enabled=True, multi_az_enabled=True and at least one replica.",
    resource_types=types.ELASTICACHE_GROUP,
    default_level="advisory",
    profiles=PROD_MANDATORY,
    references=("CKV2_AWS_50",),
    controls=controls(fsbp=("ElastiCache.3",), nist=("CP-10", "SC-5")),
    url=_CACHE_URL + "AutoFailover.html",
)


def _cache_snapshots(view: View, _settings: Settings) -> Iterator[str]:
    engine = (view.str_("engine") or "redis").lower()
    if view.type in types.ELASTICACHE_CLUSTER:
        if view.has("replicationGroupId"):
            raise Skip("member of a replication group: snapshots are set on the group, judged there")
        if engine == "memcached":
            raise Skip("Memcached has no snapshots")
    if view.type in types.ELASTICACHE_SERVERLESS and engine == "memcached":
        raise Skip("Memcached has no snapshots")
    if (view.int_("snapshotRetentionLimit") or 0) < 1:
        yield "`snapshotRetentionLimit` is 0 or unset, so no automatic backups are kept; set it to 1 or more."


CACHE_SNAPSHOTS = resource_rule(
    _cache_snapshots,
    name="aws-elasticache-snapshot-retention",
    area="resilience",
    description="Redis and Valkey caches keep automatic snapshots.",
    severity="low",
    rationale="Snapshots are the only way back after a bad FLUSHALL, a failed upgrade or data corruption.",
    remediation="Set snapshot_retention_limit to 1 or more days.",
    resource_types=types.ELASTICACHE_CLUSTER + types.ELASTICACHE_GROUP + types.ELASTICACHE_SERVERLESS,
    default_level="advisory",
    profiles=PROD_MANDATORY,
    references=("CKV_AWS_134",),
    controls=controls(fsbp=("ElastiCache.1",), nist=("CP-9",)),
    url=_CACHE_URL + "backups-automatic.html",
)


def _cache_cluster(view: View, _settings: Settings) -> Iterator[str]:
    if view.has("replicationGroupId"):
        raise Skip("member of a replication group: settings come from the group")
    if view.bool_("autoMinorVersionUpgrade") is False:
        yield "`autoMinorVersionUpgrade` is false; minor (security) releases are not applied."
    if not view.has("subnetGroupName") or view.props.get("subnetGroupName") == "default":
        yield "`subnetGroupName` is the default subnet group; create one of private subnets."


CACHE_CLUSTER = resource_rule(
    _cache_cluster,
    name="aws-elasticache-cluster-hygiene",
    area="network",
    description="Standalone ElastiCache clusters take minor upgrades and use a dedicated subnet group.",
    severity="low",
    rationale=(
        "The default subnet group spans the default VPC's (public) subnets; turning off minor upgrades "
        "leaves known engine flaws unpatched."
    ),
    remediation=(
        "Set subnet_group_name to an aws.elasticache.SubnetGroup and keep auto_minor_version_upgrade."
    ),
    resource_types=types.ELASTICACHE_CLUSTER,
    default_level="advisory",
    references=("CKV_AWS_322", "CKV_AWS_323"),
    controls=controls(fsbp=("ElastiCache.2", "ElastiCache.7"), nist=("SC-7", "SI-2")),
    url=_CACHE_URL + "SubnetGroups.html",
)


def _efs(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_flag(view, ("encrypted",), "set encrypted=True (only possible at creation).")
    if view.bool_("encrypted") is True:
        yield from require_key(view, ("kmsKeyId",), CMK)


EFS_ENCRYPTION = resource_rule(
    _efs,
    name="aws-efs-encrypted-cmk",
    area="encryption",
    description="EFS file systems are encrypted with a customer-managed KMS key.",
    severity="high",
    rationale=(
        "EFS encryption is chosen at creation only; shared file systems often hold training data and model "
        "artifacts, and without kms_key_id the AWS-managed aws/elasticfilesystem key is used."
    ),
    remediation="Create the file system with encrypted=True and kms_key_id=key.arn.",
    resource_types=types.EFS_FILE_SYSTEM,
    references=(
        "CKV_AWS_42",
        "CKV_AWS_184",
        "efs-encrypted",
        "aws-efs-filesystem-configure-customer-managed-key",
        "aws-efs-filesystem-disallow-unencrypted-file-system",
    ),
    controls=controls(fsbp=("EFS.1",), cis=("2.4.1",), nist=("SC-12", "SC-28")),
    url=_EFS_URL + "encryption.html",
)


def _access_point(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("posixUser", "uid"):
        yield "`posixUser` is not set, so clients choose their own uid/gid; set posix_user."
    path = view.str_("rootDirectory", "path")
    if path is None or path == "/":
        yield "`rootDirectory.path` is the file system root; scope the access point to a directory."


ACCESS_POINT = resource_rule(
    _access_point,
    name="aws-efs-access-point-scoped",
    area="iam",
    description="EFS access points enforce a POSIX user and a root directory other than /.",
    severity="medium",
    rationale=(
        "An access point is the per-application entry to a shared file system; without an enforced user "
        "and root directory each client sees, and can write, the whole tree."
    ),
    remediation=(
        "Set posix_user={'uid': 1000, 'gid': 1000} and "
        "root_directory={'path': '/app', 'creation_info': {...}}."
    ),
    resource_types=types.EFS_ACCESS_POINT,
    references=("CKV_AWS_329", "CKV_AWS_330"),
    controls=controls(fsbp=("EFS.3", "EFS.4"), nist=("AC-3", "AC-6")),
    url=_EFS_URL + "efs-access-points.html",
)


def _efs_index(stack: Stack) -> Mapping[str, attached.Attached]:
    fs = types.EFS_FILE_SYSTEM
    return {
        "policy": attached.index(stack, "file system policy", types.EFS_POLICY, "fileSystemId", fs),
        "backup": attached.index(stack, "backup policy", types.EFS_BACKUP_POLICY, "fileSystemId", fs),
        "selection": attached.index(stack, "backup selection", types.BACKUP_SELECTION, "resources", fs),
    }


def _denies_plaintext(policy: View) -> bool:
    document = iam_doc.Document("resource", "policy", policy.props.get("policy"), "efs")
    for statement in iam_doc.statements(document):
        if statement.effect != "Deny":
            continue
        for operator, keys in statement.conditions.items():
            if str(operator).lower() != "bool" or not isinstance(keys, Mapping):
                continue
            value = keys.get("aws:SecureTransport")
            values = value if isinstance(value, list) else [value]
            if any(str(item).lower() == "false" for item in values):
                return True
    return False


def _efs_tls(view: View, index: Mapping[str, attached.Attached], _settings: Settings) -> Iterator[str]:
    policies = index["policy"].of(view)
    if not policies:
        yield (
            "no aws.efs.FileSystemPolicy in this program denies aws:SecureTransport=false for this file "
            "system."
        )
    elif not any(_denies_plaintext(policy) for policy in policies):
        yield (
            f"file system policy {policies[0].name} has no Deny on aws:SecureTransport=false; clients may "
            "mount without TLS."
        )


EFS_TLS = join_rule(
    _efs_index,
    _efs_tls,
    name="aws-efs-tls-only-policy",
    area="encryption",
    description="EFS file systems carry a policy that refuses mounts without TLS.",
    severity="medium",
    rationale=(
        "NFS traffic is plaintext unless the client mounts with TLS; only a file system policy denying "
        "aws:SecureTransport=false makes it mandatory. The file system is joined with the policy resources "
        "that name it."
    ),
    remediation=(
        "Add an aws.efs.FileSystemPolicy with a Deny statement on '*' conditioned on "
        "{'Bool': {'aws:SecureTransport': 'false'}}."
    ),
    resource_types=types.EFS_FILE_SYSTEM,
    references=("efs-in-transit-encryption",),
    controls=controls(nist=("SC-8",)),
    url=_EFS_URL + "encryption-in-transit.html",
)


def _efs_backup(view: View, index: Mapping[str, attached.Attached], _settings: Settings) -> Iterator[str]:
    for policy in index["backup"].by_subject.get(view.urn, []):
        if as_str(dig(policy.props, "backupPolicy", "status"), "backupPolicy.status") == "ENABLED":
            return
    if index["selection"].by_subject.get(view.urn):
        return
    for side in index["backup"], index["selection"]:
        side.of(view)  # Skip: one of them targets a file system unknown during preview
    yield "no enabled aws.efs.BackupPolicy or aws.backup.Selection covers this file system."


EFS_BACKUP = join_rule(
    _efs_index,
    _efs_backup,
    name="aws-efs-backups",
    area="resilience",
    description="EFS file systems are backed up by AWS Backup (a backup policy or a backup plan selection).",
    severity="medium",
    rationale=(
        "EFS keeps no point-in-time copies by itself; a deleted directory is gone. The file system is "
        "joined with the backup policies and AWS Backup selections that name it."
    ),
    remediation=(
        "Add aws.efs.BackupPolicy(file_system_id=fs.id, backup_policy={'status': 'ENABLED'}) or include its "
        "ARN in an aws.backup.Selection."
    ),
    resource_types=types.EFS_FILE_SYSTEM,
    default_level="advisory",
    profiles=PROD_MANDATORY,
    references=("CKV2_AWS_18",),
    controls=controls(fsbp=("EFS.2",), nist=("CP-9",)),
    url=_EFS_URL + "awsbackup.html",
)


def _efs_zones(view: View, _settings: Settings) -> Iterator[str]:
    if view.has("availabilityZoneName"):
        yield (
            "`availabilityZoneName` is set: a One Zone file system loses its data with that zone; omit "
            "it for "
            "Regional storage."
        )


EFS_ZONES = resource_rule(
    _efs_zones,
    name="aws-efs-regional",
    area="resilience",
    description="EFS file systems use Regional (multi-AZ) storage, not One Zone (mandatory in prod).",
    severity="medium",
    rationale=(
        "One Zone storage keeps a single copy in one availability zone; a zone failure makes the data "
        "unavailable, or loses it. The storage class is fixed at creation."
    ),
    remediation="Create the file system without availability_zone_name.",
    resource_types=types.EFS_FILE_SYSTEM,
    default_level="advisory",
    profiles=PROD_MANDATORY,
    references=("aws-efs-filesystem-disallow-single-availability-zone",),
    controls=controls(nist=("CP-10", "SC-36")),
    url=_EFS_URL + "availability-durability.html",
)

RULES: list[Rule] = [
    CACHE_AUTH,
    CACHE_HA,
    CACHE_SNAPSHOTS,
    CACHE_CLUSTER,
    EFS_ENCRYPTION,
    ACCESS_POINT,
    EFS_TLS,
    EFS_BACKUP,
    EFS_ZONES,
]
