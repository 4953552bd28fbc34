"""Posture of load balancers, Lambda functions, KMS keys, alarms and security groups: one property each."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from policies.frameworks import Control, controls
from policies.metadata import Level, RuleMeta, SeverityName
from policies.rules import tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View

Check = Callable[[View, Settings], Iterator[str]]

DEPRECATED_RUNTIMES = frozenset(
    {
        "python2.7", "python3.6", "python3.7", "python3.8",
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x",
        "nodejs16.x", "java8", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1",
        "dotnet5.0", "dotnet6", "ruby2.5", "ruby2.7", "go1.x", "provided",
    }
)  # fmt: skip
"""Runtimes AWS Lambda has deprecated (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html)."""


def _rule(
    name: str,
    area: str,
    description: str,
    rationale: str,
    remediation: str,
    types: tuple[str, ...],
    check: Check,
    references: tuple[str, ...],
    found: tuple[Control, ...],
    severity: SeverityName = "medium",
    level: Level = "mandatory",
    profiles: Mapping[str, Level] | None = None,
    url: str | None = None,
    related: tuple[str, ...] = (),
) -> ResourceRule:
    return ResourceRule(
        RuleMeta(
            name=name,
            controls=found,
            area=area,
            description=description,
            severity=severity,
            rationale=rationale,
            remediation=remediation,
            kind="resource",
            resource_types=types,
            default_level=level,
            profiles=dict(profiles or {}),
            references=references,
            related_types=related,
            url=url,
        ),
        check,
    )


def _application(view: View) -> bool:
    return (view.str_("loadBalancerType") or "application") == "application"


def _lb_deletion(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("enableDeletionProtection") is not True:
        yield "`enableDeletionProtection` is not true; a replace or a stray delete takes the endpoint down."


def _desync(view: View, _settings: Settings) -> Iterator[str]:
    if _application(view) and (view.str_("desyncMitigationMode") or "defensive") == "monitor":
        yield "`desyncMitigationMode` is monitor; use defensive or strictest."


def _cross_zone(view: View, _settings: Settings) -> Iterator[str]:
    if not _application(view) and view.bool_("enableCrossZoneLoadBalancing") is not True:
        yield "`enableCrossZoneLoadBalancing` is not true; a zone's targets take only that zone's traffic."


def _target_group(view: View, _settings: Settings) -> Iterator[str]:
    if view.str_("targetType") == "lambda":
        return
    protocol = view.str_("protocol")
    if protocol == "HTTP":
        yield "`protocol` is HTTP, so traffic from the load balancer to targets is unencrypted; use HTTPS."
    if protocol in {"HTTP", "HTTPS"} and view.bool_("healthCheck", "enabled") is False:
        yield "`healthCheck.enabled` is false; unhealthy targets keep receiving requests."


def _runtime(view: View, _settings: Settings) -> Iterator[str]:
    runtime = view.str_("runtime")
    if runtime in DEPRECATED_RUNTIMES:
        yield f"`runtime` {runtime} is deprecated by AWS Lambda; move to a supported runtime."


def _concurrency(view: View, _settings: Settings) -> Iterator[str]:
    limit = view.int_("reservedConcurrentExecutions")
    if limit is None or limit < 0:
        yield "`reservedConcurrentExecutions` is not set; cap the function so it cannot starve the account."


def _in_vpc(view: View, _settings: Settings) -> Iterator[str]:
    config = view.get("vpcConfig")
    if not isinstance(config, Mapping) or not config.get("subnetIds"):
        yield "no `vpcConfig`; a function that reaches private data should run in private subnets."


def _code_signing(view: View, _settings: Settings) -> Iterator[str]:
    if view.get("packageType") == "Image":
        return  # AWS Lambda supports code signing only for .zip packages
    if not view.has("codeSigningConfigArn"):
        yield "`codeSigningConfigArn` is not set; only signed code should be deployable."


def _cors(view: View, _settings: Settings) -> Iterator[str]:
    cors = view.get("cors")
    if isinstance(cors, Mapping):
        for key in ("allowOrigins", "allowMethods"):
            if "*" in (cors.get(key) or []):
                yield f"`cors.{key}` contains *; list the origins and methods the URL serves."


def _key_policy(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("policy"):
        yield "`policy` is not set, so the default key policy trusts every IAM principal in the account."
    if view.bool_("bypassPolicyLockoutSafetyCheck") is True:
        yield "`bypassPolicyLockoutSafetyCheck` is true; a policy that locks out admins could be applied."


def _key_enabled(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("isEnabled") is False:
        yield "`isEnabled` is false; data encrypted with this key cannot be read."


def _alarm_actions(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("actionsEnabled") is False:
        yield "`actionsEnabled` is false, so the alarm notifies no one; enable its actions."
    elif not (view.list_("alarmActions") or view.list_("okActions") or view.list_("insufficientDataActions")):
        yield "the alarm has no actions; send alarm_actions to an SNS topic someone watches."


def _description(view: View, _settings: Settings) -> Iterator[str]:
    if not (view.str_("description") or "").strip() or view.str_("description") == "Managed by Pulumi":
        yield "`description` is not set; say what the group or rule is for."
    for key in ("ingress", "egress"):
        for index, raw in enumerate(view.list_(key)):
            if isinstance(raw, Mapping) and not raw.get("description"):
                yield f"`{key}[{index}].description` is not set; say what the rule allows and why."


_DESCRIBED_BY_COMMENT = frozenset(tokens.ATHENA_DATABASE)
"""Athena databases carry their description in `comment` (the Glue database's description)."""


def _documented(view: View, _settings: Settings) -> Iterator[str]:
    key = "comment" if view.type in _DESCRIBED_BY_COMMENT else "description"
    if not (view.str_(key) or "").strip():
        yield f"`{key}` is not set; say what this {view.type.rsplit(':', 1)[-1]} is for and who owns it."


_ALL_PROTOCOLS = {"-1", "all"}


def _open_egress(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in tokens.VPC_EGRESS_RULE:
        rules: list[Any] = [view.props]
    elif view.type in tokens.SECURITY_GROUP_RULE:
        rules = [view.props] if view.props.get("type") == "egress" else []
    else:
        rules = view.list_("egress")
    for raw in rules:
        if not isinstance(raw, Mapping):
            continue
        protocol = str(raw.get("ipProtocol", raw.get("protocol", "")))
        cidrs = [
            raw.get("cidrIpv4"),
            raw.get("cidrIpv6"),
            *(raw.get("cidrBlocks") or []),
            *(raw.get("ipv6CidrBlocks") or []),
        ]
        if protocol in _ALL_PROTOCOLS and any(c in {"0.0.0.0/0", "::/0"} for c in cidrs):
            yield (
                "egress allows all protocols and ports to the internet; allow only the ports the "
                "workload needs."
            )


RULES: list[Rule] = [
    _rule(
        "aws-lb-deletion-protection",
        "resilience",
        "Load balancers have deletion protection on.",
        "Deleting or replacing a load balancer changes its DNS name and drops every client; protection makes "
        "it a deliberate two-step change.",
        "Set enable_deletion_protection=True.",
        tokens.LOAD_BALANCERS,
        _lb_deletion,
        ("CKV_AWS_150", "elb-deletion-protection-enabled"),
        controls(fsbp=("ELB.6",), nist=("CM-3", "SC-5")),
        level="advisory",
        profiles={"prod": "mandatory"},
    ),
    _rule(
        "aws-lb-desync-mitigation",
        "network",
        "Application load balancers mitigate HTTP desync.",
        "Monitor mode forwards ambiguous requests, which is how request smuggling reaches targets.",
        "Leave desync_mitigation_mode unset (defensive) or set strictest.",
        tokens.LOAD_BALANCERS,
        _desync,
        ("CKV_AWS_328",),
        controls(fsbp=("ELB.12",), nist=("SC-7",)),
        severity="low",
    ),
    _rule(
        "aws-lb-cross-zone",
        "resilience",
        "Network and gateway load balancers balance across zones.",
        "Without cross-zone balancing a zone with fewer healthy targets overloads them (ALBs always do it).",
        "Set enable_cross_zone_load_balancing=True.",
        tokens.LOAD_BALANCERS,
        _cross_zone,
        ("CKV_AWS_152",),
        controls(nist=("CP-10", "SC-5")),
        severity="low",
        level="advisory",
        profiles={"prod": "mandatory"},
    ),
    _rule(
        "aws-lb-target-group-secure",
        "encryption",
        "HTTP(S) target groups use HTTPS to their targets and keep health checks on.",
        "HTTP behind a TLS listener sends requests in clear inside the VPC; disabled health checks send "
        "traffic to dead targets.",
        "Set protocol='HTTPS' (targets serve TLS) and keep health_check.enabled.",
        tokens.TARGET_GROUPS,
        _target_group,
        ("CKV_AWS_378", "CKV_AWS_261"),
        controls(pci=("4.2.1",), nist=("SC-8",)),
        level="advisory",
    ),
    _rule(
        "aws-lambda-function-supported-runtime",
        "hardening",
        "Lambda functions use a supported runtime.",
        "Deprecated runtimes get no security patches, and AWS blocks updates to such functions.",
        "Move the function to a supported runtime.",
        tokens.LAMBDA_FUNCTION,
        _runtime,
        ("CKV_AWS_363",),
        controls(fsbp=("Lambda.2",), nist=("SI-2",)),
        severity="high",
    ),
    _rule(
        "aws-lambda-function-concurrency-limit",
        "resilience",
        "Lambda functions have a concurrency limit.",
        "An unbounded function can take the account's whole concurrency (and its downstream database) in a "
        "burst or a retry storm.",
        "Set reserved_concurrent_executions.",
        tokens.LAMBDA_FUNCTION,
        _concurrency,
        ("CKV_AWS_115",),
        controls(nist=("SC-5",)),
        severity="low",
        level="advisory",
    ),
    _rule(
        "aws-lambda-function-in-vpc",
        "network",
        "Lambda functions run in a VPC.",
        "A function outside a VPC reaches private data only through public endpoints and cannot be held to "
        "the VPC's egress controls. Advisory: functions that touch no private data need no VPC.",
        "Set vpc_config with private subnets and a security group.",
        tokens.LAMBDA_FUNCTION,
        _in_vpc,
        ("CKV_AWS_117",),
        controls(pci=("1.3.1",), nist=("SC-7",)),
        severity="low",
        level="advisory",
    ),
    _rule(
        "aws-lambda-function-code-signing",
        "hardening",
        "Lambda functions (zip packages) require signed code.",
        "Code signing makes Lambda refuse code not signed by an approved profile, so a stolen deploy "
        "credential cannot ship arbitrary code.",
        "Create an aws.lambda_.CodeSigningConfig with a signing profile and set code_signing_config_arn.",
        tokens.LAMBDA_FUNCTION,
        _code_signing,
        ("CKV_AWS_272",),
        controls(nist=("CM-14", "SI-7")),
        severity="low",
        level="advisory",
        profiles={"prod": "mandatory"},
    ),
    _rule(
        "aws-lambda-function-url-cors",
        "network",
        "Lambda function URLs do not allow any origin or method.",
        "A `*` CORS policy lets any website call the function from a visitor's browser.",
        "List the allowed origins and methods in the function URL's cors.",
        tokens.LAMBDA_FUNCTION_URL,
        _cors,
        ("CKV2_AWS_75",),
        controls(nist=("AC-4",)),
        related=tokens.LAMBDA_FUNCTION,
    ),
    _rule(
        "aws-kms-key-policy",
        "encryption",
        "KMS keys have an explicit key policy and do not bypass the lockout safety check.",
        "The default key policy delegates the key to every IAM policy in the account; bypassing the safety "
        "check allows a policy nobody can change.",
        "Set policy to a key policy naming the key's administrators and users; never set "
        "bypass_policy_lockout_safety_check.",
        tokens.KMS_KEY,
        _key_policy,
        ("CKV2_AWS_64", "aws-kms-key-disallow-bypass-policy-lockout-safety-check"),
        controls(nist=("AC-6", "SC-12")),
    ),
    _rule(
        "aws-kms-key-enabled",
        "encryption",
        "KMS keys are enabled.",
        "A disabled key makes everything it encrypts unreadable; disabling is a step towards deletion.",
        "Set is_enabled=True (the default).",
        tokens.KMS_KEY,
        _key_enabled,
        ("CKV_AWS_227",),
        controls(fsbp=("KMS.3",), nist=("SC-12",)),
        severity="high",
    ),
    _rule(
        "aws-cloudwatch-alarm-actions-enabled",
        "resilience",
        "CloudWatch alarms have enabled actions.",
        "An alarm whose actions are disabled or empty changes state without telling anyone.",
        "Keep actions_enabled and send alarm_actions to an SNS topic.",
        tokens.METRIC_ALARM,
        _alarm_actions,
        ("CKV_AWS_319",),
        controls(nist=("SI-4",)),
        severity="low",
    ),
    _rule(
        "aws-ec2-security-group-descriptions",
        "network",
        "Security groups and their rules have descriptions.",
        "Reviewers judge a rule by what it is for; an undescribed rule cannot be reviewed or safely removed.",
        "Set description on every security group and rule.",
        tokens.SECURITY_GROUP + tokens.SECURITY_GROUP_RULE + tokens.VPC_INGRESS_RULE + tokens.VPC_EGRESS_RULE,
        _description,
        (
            "CKV_AWS_23",
            "aws-ec2-securitygroup-missing-description",
            "aws-ec2-securitygroup-missing-egress-rule-description",
            "aws-ec2-securitygroup-missing-ingress-rule-description",
        ),
        controls(nist=("CM-6",)),
        severity="low",
        level="advisory",
    ),
    _rule(
        "aws-resource-description",
        "hardening",
        "Athena catalogs, databases, named queries and workgroups, KMS keys, Lambda functions and Secrets "
        "Manager secrets have a description.",
        "These resources are shared by name across teams and consoles; a key, secret or workgroup nobody can "
        "place is one nobody dares to rotate, narrow or delete.",
        "Set description (comment on an aws.athena.Database) to what the resource is for.",
        tokens.ATHENA_DATA_CATALOG
        + tokens.ATHENA_DATABASE
        + tokens.ATHENA_NAMED_QUERY
        + tokens.ATHENA_WORKGROUP
        + tokens.KMS_KEY
        + tokens.LAMBDA_FUNCTION
        + tokens.SECRET,
        _documented,
        (
            "aws-athena-datacatalog-missing-description",
            "aws-athena-database-missing-description",
            "aws-athena-namedquery-missing-description",
            "aws-athena-workgroup-missing-description",
            "aws-kms-key-missing-description",
            "aws-lambda-function-missing-description",
            "aws-secretsmanager-secret-missing-description",
            "lambda-function-documentation",
        ),
        controls(),
        severity="low",
        level="advisory",
    ),
    _rule(
        "aws-ec2-security-group-no-open-egress",
        "network",
        "Security groups do not allow all traffic to the internet.",
        "All-ports egress to 0.0.0.0/0 lets a compromised workload exfiltrate data anywhere.",
        "Replace the allow-all egress with the ports and destinations the workload needs (VPC endpoints, "
        "the proxy, HTTPS).",
        tokens.SECURITY_GROUP + tokens.SECURITY_GROUP_RULE + tokens.VPC_EGRESS_RULE,
        _open_egress,
        ("CKV_AWS_382",),
        controls(pci=("1.3.2",), nist=("SC-7",)),
    ),
]
