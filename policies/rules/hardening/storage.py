"""S3 buckets beyond encryption and public access: TLS-only policies, ACLs, replication, object lock and
bucket-policy lockouts (pulumi-aws v7 keeps each in a side resource that points at the bucket)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import attached, iam_doc, tokens
from policies.rules.framework import JoinRule, ResourceRule, Rule, Settings
from policies.rules.props import View

PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
_PUBLIC_GROUPS = (
    "acs.amazonaws.com/groups/global/AllUsers",
    "acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def _denies_plain_http(statement: iam_doc.Statement) -> bool:
    if statement.effect != "Deny" or not iam_doc.is_public(statement.principals):
        return False
    if not any(action in {"*", "s3:*"} for action in statement.actions):
        return False
    for operator, values in statement.conditions.items():
        if str(operator).lower() == "bool" and isinstance(values, Mapping):
            for key, value in values.items():
                listed = value if isinstance(value, list) else [value]
                if str(key).lower() == "aws:securetransport" and any(
                    str(v).lower() == "false" for v in listed
                ):
                    return True
    return False


def _covers(resources: tuple[str, ...]) -> bool:
    """A bucket ARN and its objects (`arn:...:bucket` and `arn:...:bucket/*`), or `*`."""
    return "*" in resources or (
        any(not r.endswith("/*") for r in resources) and any(r.endswith("/*") for r in resources)
    )


def _tls(bucket: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    policies = index.of(bucket)
    if not policies:
        yield "no bucket policy, so plain-HTTP requests are allowed; deny aws:SecureTransport=false."
        return
    for policy in policies:
        for document in iam_doc.documents(policy):
            if any(_denies_plain_http(s) and _covers(s.resources) for s in iam_doc.statements(document)):
                return
    yield (
        "the bucket policy does not deny requests with aws:SecureTransport=false on the bucket and its "
        "objects; add that Deny statement."
    )


TLS_ONLY = JoinRule(
    RuleMeta(
        name="aws-s3-bucket-tls-only",
        controls=controls(fsbp=("S3.5",), cis=("2.1.1",), pci=("4.2.1",), nist=("SC-8", "SC-23")),
        area="encryption",
        description="S3 bucket policies deny every request not made over TLS, on the bucket and its objects.",
        severity="high",
        rationale=(
            "S3 accepts plain HTTP unless a policy denies it; a Deny on aws:SecureTransport=false for `*` "
            "covering `arn:…:bucket` and `arn:…:bucket/*` is the only way to refuse it. A bucket with no "
            "policy fails."
        ),
        remediation=(
            'Add a statement {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [bucket ARN, '
            'bucket ARN + "/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}.'
        ),
        kind="stack",
        resource_types=tokens.S3_BUCKETS,
        related_types=tokens.S3_BUCKET_POLICY,
    ),
    attached.indexer("bucket policy", tokens.S3_BUCKET_POLICY, "bucket", tokens.S3_BUCKETS),
    _tls,
)


def _public_grants(acl: View) -> list[str]:
    found = []
    if acl.str_("acl") in PUBLIC_ACLS:
        found.append(f"canned ACL {acl.str_('acl')}")
    policy = acl.get("accessControlPolicy")
    grants: list[Any] = (policy.get("grants") or []) if isinstance(policy, Mapping) else []
    for grant in grants:
        grantee = grant.get("grantee") if isinstance(grant, Mapping) else None
        uri = str(grantee.get("uri", "")) if isinstance(grantee, Mapping) else ""
        if uri.endswith(_PUBLIC_GROUPS):
            found.append(f"a {grant.get('permission')} grant to {uri.rsplit('/', 1)[-1]}")
    return found


def _acls(bucket: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    sides = index.of(bucket)
    ownership = [s for s in sides if s.type in tokens.S3_OWNERSHIP]
    enforced = any(side.map_("rule").get("objectOwnership") == "BucketOwnerEnforced" for side in ownership)
    if not enforced:
        yield (
            "ACLs are not disabled; add aws.s3.BucketOwnershipControls with object_ownership "
            "BucketOwnerEnforced."
        )
    if bucket.str_("acl") in PUBLIC_ACLS:
        yield f"the bucket's `acl` is {bucket.str_('acl')}; remove it."
    for side in sides:
        if side.type in tokens.S3_ACL:
            for grant in _public_grants(side):
                yield f"{side.name} gives {grant}; remove it."


ACLS_DISABLED = JoinRule(
    RuleMeta(
        name="aws-s3-bucket-acls-disabled",
        controls=controls(fsbp=("S3.12", "S3.2", "S3.3"), pci=("1.4.4",), nist=("AC-3", "AC-6")),
        area="network",
        description="S3 buckets disable ACLs (BucketOwnerEnforced) and grant nothing to AllUsers.",
        severity="high",
        rationale=(
            "ACLs are a second, easily overlooked way to make objects public or owned by another account; "
            "with BucketOwnerEnforced only the bucket policy decides access."
        ),
        remediation=(
            "Add aws.s3.BucketOwnershipControls(rule={object_ownership: 'BucketOwnerEnforced'}) and remove "
            "public canned ACLs and AllUsers/AuthenticatedUsers grants."
        ),
        kind="stack",
        resource_types=tokens.S3_BUCKETS,
        related_types=tokens.S3_OWNERSHIP + tokens.S3_ACL,
        references=("CKV_AWS_20", "CKV_AWS_57", "aws-s3-bucket-disallow-public-read"),
    ),
    attached.indexer(
        "ownership controls or ACL", tokens.S3_OWNERSHIP + tokens.S3_ACL, "bucket", tokens.S3_BUCKETS
    ),
    _acls,
)


def _replication(bucket: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if not index.of(bucket):
        yield "no aws:s3/bucketReplicationConfig copies this bucket to another region."


REPLICATION = JoinRule(
    RuleMeta(
        name="aws-s3-bucket-cross-region-replication",
        controls=controls(nist=("CP-6", "CP-9")),
        area="resilience",
        description="S3 buckets replicate to another region (prod).",
        severity="medium",
        rationale=(
            "A regional outage or a destructive mistake in one region should not lose the data; replicas "
            "themselves and log buckets are waived in the profile with that reason."
        ),
        remediation="Add an aws.s3.BucketReplicationConfig to a versioned bucket in the DR region.",
        kind="stack",
        resource_types=tokens.S3_BUCKETS,
        related_types=tokens.S3_REPLICATION,
        default_level="advisory",
        profiles={"prod": "mandatory"},
        references=(
            "CKV_AWS_144",
            "aws-s3-bucket-configure-replication-configuration",
            "aws-s3-bucket-enable-replication-configuration",
        ),
    ),
    attached.indexer("replication configuration", tokens.S3_REPLICATION, "bucket", tokens.S3_BUCKETS),
    _replication,
)


def _object_lock(bucket: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if bucket.bool_("objectLockEnabled") is not True and not index.of(bucket):
        yield "object lock is not enabled; records that must not be altered need WORM retention."


OBJECT_LOCK = JoinRule(
    RuleMeta(
        name="aws-s3-bucket-object-lock",
        controls=controls(nist=("SI-12", "AU-9")),
        area="resilience",
        description="S3 buckets that hold records enable object lock.",
        severity="low",
        rationale=(
            "Object lock makes objects immutable for a retention period, so ransomware or an operator "
            "mistake "
            "cannot delete them. Advisory: most buckets hold data that must stay deletable."
        ),
        remediation=(
            "Create the bucket with object_lock_enabled=True and add a BucketObjectLockConfiguration."
        ),
        kind="stack",
        resource_types=tokens.S3_BUCKETS,
        related_types=tokens.S3_OBJECT_LOCK,
        default_level="advisory",
        references=("CKV_AWS_143",),
    ),
    attached.indexer("object lock configuration", tokens.S3_OBJECT_LOCK, "bucket", tokens.S3_BUCKETS),
    _object_lock,
)


def _lockout(view: View, _settings: Settings) -> Iterator[str]:
    for document in iam_doc.documents(view):
        for statement in iam_doc.statements(document):
            if statement.effect != "Deny" or statement.not_principals or statement.conditions:
                continue
            if iam_doc.is_public(statement.principals) and any(a in {"*", "s3:*"} for a in statement.actions):
                yield (
                    f"{statement.where} denies every action to everyone without a condition, which locks out "
                    "all principals but the account root; add a condition (e.g. aws:PrincipalArn)."
                )


LOCKOUT = ResourceRule(
    RuleMeta(
        name="aws-s3-bucket-policy-no-lockout",
        controls=controls(nist=("AC-3",)),
        area="iam",
        description="S3 bucket policies do not deny everything to everyone unconditionally.",
        severity="high",
        rationale="Such a statement leaves only the root user able to change the policy again.",
        remediation="Condition the Deny (aws:SecureTransport, aws:PrincipalArn, ...) or use NotPrincipal.",
        kind="resource",
        resource_types=tokens.S3_BUCKET_POLICY,
        references=("CKV_AWS_93",),
    ),
    _lockout,
)

RULES: list[Rule] = [TLS_ONLY, ACLS_DISABLED, REPLICATION, OBJECT_LOCK, LOCKOUT]
