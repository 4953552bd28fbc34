"""Checks that need a side resource pointing at the subject: a VPC's flow log, a secret's rotation, an S3
bucket's access logging, lifecycle and event notifications (see `policies.rules.attached`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from policies.frameworks import Control, controls
from policies.metadata import Level, RuleMeta, SeverityName
from policies.rules import attached, tokens
from policies.rules.framework import JoinRule, Rule, Settings
from policies.rules.props import View, as_list, as_map

Judge = Callable[[View, attached.Attached, Settings], Iterator[str]]


def _join(
    name: str,
    area: str,
    description: str,
    rationale: str,
    remediation: str,
    subjects: tuple[str, ...],
    index: Callable[..., attached.Attached],
    judge: Judge,
    references: tuple[str, ...],
    found: tuple[Control, ...],
    related: tuple[str, ...],
    severity: SeverityName = "medium",
    level: Level = "mandatory",
    profiles: dict[str, Level] | None = None,
) -> Rule:
    return JoinRule(
        RuleMeta(
            name=name,
            controls=found,
            area=area,
            description=description,
            severity=severity,
            rationale=rationale,
            remediation=remediation,
            kind="stack",
            resource_types=subjects,
            related_types=related,
            default_level=level,
            profiles=profiles or {},
            references=references,
        ),
        index,
        judge,
    )


def _flow_logs(vpc: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if not index.of(vpc):
        yield "no aws:ec2/flowLog captures this VPC's traffic; add one (traffic_type ALL)."


def _rotation(secret: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if not index.of(secret):
        yield "no aws:secretsmanager/secretRotation rotates this secret; add one with a rotation schedule."


def _logging(bucket: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if bucket.get("logging") is None and not index.of(bucket):
        yield "no aws:s3/bucketLogging sends this bucket's access logs anywhere; add one to a log bucket."


def _lifecycle(bucket: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    configs = index.of(bucket)
    if not configs:
        yield "no aws:s3/bucketLifecycleConfiguration; expire or transition objects and abort stale uploads."
        return
    for config in configs:
        rules = [as_map(rule, "rules") for rule in config.list_("rules")]
        enabled = [rule for rule in rules if rule.get("status") == "Enabled"]
        if not any(isinstance(r.get("abortIncompleteMultipartUpload"), dict) for r in enabled):
            yield (
                f"lifecycle {config.name} has no enabled abort_incomplete_multipart_upload rule; incomplete "
                "uploads are billed forever."
            )


def _notifications(bucket: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    configs = index.of(bucket)
    if not any(
        as_list(config.get(key), key) or config.bool_("eventbridge")
        for config in configs
        for key in ("queues", "topics", "lambdaFunctions")
    ):
        yield (
            "no aws:s3/bucketNotification sends this bucket's events anywhere; notify a queue or EventBridge."
        )


RULES: list[Rule] = [
    _join(
        "aws-vpc-flow-logs",
        "network",
        "Every VPC has flow logs.",
        "Flow logs are the only record of which addresses talked to which inside and out of a VPC.",
        "Add an aws.ec2.FlowLog with vpc_id, traffic_type='ALL' and a KMS-encrypted destination.",
        tokens.VPC,
        attached.indexer("flow log", tokens.FLOW_LOG, "vpcId", tokens.VPC),
        _flow_logs,
        ("CKV2_AWS_11",),
        controls(fsbp=("EC2.6",), cis=("3.7",), pci=("10.2.1",), nist=("AU-12", "SI-4")),
        tokens.FLOW_LOG,
    ),
    _join(
        "aws-secretsmanager-secret-rotation",
        "secrets",
        "Secrets Manager secrets rotate automatically.",
        "A secret that never rotates stays valid for as long as anyone who ever read it keeps a copy.",
        "Add an aws.secretsmanager.SecretRotation with a rotation Lambda and schedule; for values only a "
        "third party can rotate, waive the secret with the reason.",
        tokens.SECRET,
        attached.indexer("secret rotation", tokens.SECRET_ROTATION, "secretId", tokens.SECRET),
        _rotation,
        ("CKV2_AWS_57",),
        controls(fsbp=("SecretsManager.1",), pci=("8.3.9",), nist=("IA-5",)),
        tokens.SECRET_ROTATION,
        level="advisory",
    ),
    _join(
        "aws-s3-bucket-access-logging",
        "resilience",
        "S3 buckets log server access.",
        "Access logs show who read or changed which object; CloudTrail data events are the costlier "
        "alternative.",
        "Add an aws.s3.BucketLogging pointing at a dedicated log bucket (the log bucket itself may be "
        "waived).",
        tokens.S3_BUCKETS,
        attached.indexer("bucket logging", tokens.S3_LOGGING, "bucket", tokens.S3_BUCKETS),
        _logging,
        ("CKV_AWS_18", "s3-bucket-logging-enabled"),
        controls(fsbp=("S3.9",), pci=("10.2.1",), nist=("AU-2", "AU-12")),
        tokens.S3_LOGGING,
        level="advisory",
    ),
    _join(
        "aws-s3-bucket-lifecycle",
        "cost",
        "S3 buckets have a lifecycle that aborts incomplete multipart uploads.",
        "Without a lifecycle, old versions and failed uploads accumulate and are billed indefinitely.",
        "Add an aws.s3.BucketLifecycleConfiguration with an enabled rule carrying "
        "abort_incomplete_multipart_upload (days_after_initiation 7) and expirations for old versions.",
        tokens.S3_BUCKETS,
        attached.indexer("lifecycle configuration", tokens.S3_LIFECYCLE, "bucket", tokens.S3_BUCKETS),
        _lifecycle,
        ("CKV2_AWS_61", "CKV_AWS_300"),
        controls(fsbp=("S3.13",), nist=("SI-12",)),
        tokens.S3_LIFECYCLE,
        severity="low",
        level="advisory",
    ),
    _join(
        "aws-s3-bucket-event-notifications",
        "resilience",
        "S3 buckets send event notifications.",
        "Event notifications let the platform react to (and audit) new or deleted objects. Advisory: "
        "buckets nobody reacts to need none.",
        "Add an aws.s3.BucketNotification to a queue, topic, function or EventBridge.",
        tokens.S3_BUCKETS,
        attached.indexer("bucket notification", tokens.S3_NOTIFICATION, "bucket", tokens.S3_BUCKETS),
        _notifications,
        ("CKV2_AWS_62",),
        controls(nist=("SI-4",)),
        tokens.S3_NOTIFICATION,
        severity="low",
        level="advisory",
    ),
]

WAF_REQUIRED_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")
"""AWS managed rule groups an internet-facing ALB's web ACL must run (KnownBadInputs blocks Log4Shell)."""


def _managed_groups(acl: View) -> set[str]:
    groups = set()
    for raw in acl.list_("rules"):
        statement = as_map(raw, "rules").get("statement")
        managed = statement.get("managedRuleGroupStatement") if isinstance(statement, dict) else None
        if isinstance(managed, dict) and managed.get("vendorName") == "AWS":
            groups.add(str(managed.get("name")))
    return groups


def _waf(balancer: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if (
        balancer.bool_("internal") is True
        or (balancer.str_("loadBalancerType") or "application") != "application"
    ):
        return
    associations = index.of(balancer)
    if not associations:
        yield "this internet-facing ALB has no aws:wafv2/webAclAssociation; put a web ACL in front of it."
        return
    for association in associations:
        refs = index.stack.resolve(
            association, "webAclArn", association.props.get("webAclArn"), tokens.WAF_WEB_ACL
        )
        for acl in refs.targets:
            missing = [group for group in WAF_REQUIRED_GROUPS if group not in _managed_groups(acl)]
            if missing:
                yield f"web ACL {acl.name} does not run the AWS managed rule groups {missing}; add them."


WAF = _join(
    "aws-lb-waf",
    "network",
    "Internet-facing application load balancers are behind AWS WAF running AWS managed rule groups.",
    "A public ALB receives every scanner on the internet; AWS's managed groups block common exploits and "
    "known bad inputs (Log4Shell) before they reach the containers.",
    "Create an aws.wafv2.WebAcl with AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet "
    "and associate it with the ALB (aws.wafv2.WebAclAssociation).",
    tokens.LOAD_BALANCERS,
    attached.indexer("web ACL association", tokens.WAF_ASSOCIATION, "resourceArn", tokens.LOAD_BALANCERS),
    _waf,
    ("CKV2_AWS_28", "CKV2_AWS_76"),
    controls(pci=("6.4.2",), nist=("SC-7", "SI-4")),
    tokens.WAF_ASSOCIATION + tokens.WAF_WEB_ACL,
    level="advisory",
    profiles={"prod": "mandatory"},
)
RULES.append(WAF)
