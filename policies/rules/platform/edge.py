"""The edge: API Gateway REST and HTTP APIs, CloudFront, WAFv2 web ACLs and classic load balancers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.rules import attached
from policies.rules.framework import Rule, Settings
from policies.rules.platform import types
from policies.rules.platform.common import (
    PROD_MANDATORY,
    join_rule,
    require_flag,
    resource_rule,
)
from policies.rules.props import View, as_bool, as_list, as_str, dig, strings

_APIGW_URL = "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
_CF_URL = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"


def _access_logs(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("accessLogSettings", "destinationArn"):
        yield "`accessLogSettings.destinationArn` is not set; send access logs to a log group or Firehose."
    elif not view.has("accessLogSettings", "format"):
        yield "`accessLogSettings.format` is not set; define the log line (request id, caller, status)."


STAGE_ACCESS_LOGS = resource_rule(
    _access_logs,
    name="aws-apigateway-stage-access-logging",
    area="resilience",
    description="API Gateway REST and HTTP API stages write access logs.",
    severity="medium",
    rationale="Access logs are the only per-request record of who called the API and how it went.",
    remediation="Set access_log_settings={'destination_arn': log_group.arn, 'format': json.dumps({...})}.",
    resource_types=types.REST_STAGE + types.HTTP_STAGE,
    references=(
        "CKV_AWS_76",
        "aws-apigatewayv2-stage-configure-access-logging",
        "aws-apigatewayv2-stage-enable-access-logging",
    ),
    controls=controls(fsbp=("APIGateway.9",), nist=("AU-2", "AU-12")),
    url=_APIGW_URL + "set-up-logging.html",
)

STAGE_TRACING = resource_rule(
    lambda view, _settings: require_flag(view, ("xrayTracingEnabled",), "set xray_tracing_enabled=True."),
    name="aws-apigateway-stage-tracing",
    area="resilience",
    description="API Gateway REST API stages trace requests with X-Ray.",
    severity="low",
    rationale="Without tracing, latency and errors cannot be followed from the API into its integrations.",
    remediation="Set xray_tracing_enabled=True on aws.apigateway.Stage.",
    resource_types=types.REST_STAGE,
    default_level="advisory",
    references=("CKV_AWS_73",),
    controls=controls(fsbp=("APIGateway.3",), nist=("AU-12", "SI-4")),
    url=_APIGW_URL + "apigateway-xray.html",
)


def _settings_of(view: View) -> Mapping[str, Any]:
    return view.map_("settings")


def _method_settings(view: View, _settings: Settings) -> Iterator[str]:
    settings = _settings_of(view)
    level = as_str(settings.get("loggingLevel"), "settings.loggingLevel") or "OFF"
    if level.upper() not in ("ERROR", "INFO"):
        yield f"`settings.loggingLevel` is {level!r}; set it to ERROR or INFO."
    if as_bool(settings.get("dataTraceEnabled"), "settings.dataTraceEnabled") is True:
        yield (
            "`settings.dataTraceEnabled` is true: full request and response bodies (and secrets) are logged."
        )
    if as_bool(settings.get("cachingEnabled"), "settings.cachingEnabled") is True and (
        as_bool(settings.get("cacheDataEncrypted"), "settings.cacheDataEncrypted") is not True
    ):
        yield "`settings.cachingEnabled` is true but `cacheDataEncrypted` is not; encrypt the response cache."


METHOD_SETTINGS = resource_rule(
    _method_settings,
    name="aws-apigateway-method-settings",
    area="resilience",
    description=(
        "API Gateway method settings log errors, do not trace full payloads and encrypt any response cache."
    ),
    severity="medium",
    rationale=(
        "Execution logging at ERROR or INFO shows failing integrations; data tracing writes request bodies, "
        "tokens included, into CloudWatch; a response cache holds API responses and must be encrypted."
    ),
    remediation=(
        "Set settings={'logging_level': 'ERROR', 'data_trace_enabled': False, 'metrics_enabled': True} and, "
        "when caching, 'cache_data_encrypted': True."
    ),
    resource_types=types.REST_METHOD_SETTINGS,
    related_types=types.REST_STAGE,
    references=("CKV2_AWS_4", "CKV_AWS_276", "CKV_AWS_308", "apigateway-method-cached-and-encrypted"),
    controls=controls(fsbp=("APIGateway.1", "APIGateway.5"), nist=("AU-2", "SC-28")),
    url=_APIGW_URL + "api-gateway-caching.html",
)


def _caching(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in types.REST_STAGE:
        yield from require_flag(view, ("cacheClusterEnabled",), "set cache_cluster_enabled=True.")
    elif as_bool(_settings_of(view).get("cachingEnabled"), "settings.cachingEnabled") is not True:
        yield "`settings.cachingEnabled` is not true; enable method caching."


CACHING = resource_rule(
    _caching,
    name="aws-apigateway-caching",
    area="resilience",
    description="API Gateway REST stages and method settings enable response caching.",
    severity="low",
    rationale=(
        "A stage cache absorbs bursts in front of the integration (a model endpoint or a database); it is a "
        "cost and performance choice, hence advisory everywhere."
    ),
    remediation="Set cache_cluster_enabled=True on the stage and settings.caching_enabled=True.",
    resource_types=types.REST_STAGE + types.REST_METHOD_SETTINGS,
    default_level="advisory",
    references=("CKV_AWS_120", "CKV_AWS_225", "apigateway-stage-cached"),
    controls=controls(nist=("SC-5",)),
    url=_APIGW_URL + "api-gateway-caching.html",
)


def _authorization(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in types.HTTP_ROUTE:
        if (view.str_("authorizationType") or "NONE") == "NONE" and view.bool_("apiKeyRequired") is not True:
            yield "`authorizationType` is NONE; attach a JWT, IAM or Lambda authorizer."
        return
    if (view.str_("httpMethod") or "").upper() == "OPTIONS":
        return  # CORS preflight carries no credentials by design
    if (view.str_("authorization") or "NONE") == "NONE" and view.bool_("apiKeyRequired") is not True:
        yield "`authorization` is NONE and no API key is required; use AWS_IAM, COGNITO_USER_POOLS or CUSTOM."


AUTHORIZATION = resource_rule(
    _authorization,
    name="aws-apigateway-authorization",
    area="iam",
    description="API Gateway methods and HTTP API routes require an authorizer (CORS preflight excepted).",
    severity="high",
    rationale=(
        "A method with authorization NONE is callable by anyone who finds the URL, and the integration "
        "behind it (a Lambda, a model endpoint) runs on the caller's behalf."
    ),
    remediation=(
        "Set authorization='AWS_IAM' (or COGNITO_USER_POOLS/CUSTOM with authorizer_id) on "
        "aws.apigateway.Method "
        "and authorization_type='JWT'/'AWS_IAM'/'CUSTOM' on aws.apigatewayv2.Route."
    ),
    resource_types=types.REST_METHOD + types.HTTP_ROUTE,
    references=("CKV_AWS_59", "CKV2_AWS_70", "CKV_AWS_309"),
    controls=controls(fsbp=("APIGateway.8",), nist=("AC-3", "IA-2")),
    url=_APIGW_URL + "apigateway-control-access-to-api.html",
)


def _validation(view: View, _settings: Settings) -> Iterator[str]:
    if (view.str_("httpMethod") or "").upper() == "OPTIONS":
        return
    if not view.has("requestValidatorId"):
        yield (
            "`requestValidatorId` is not set; validate request parameters and bodies before the integration."
        )


REQUEST_VALIDATION = resource_rule(
    _validation,
    name="aws-apigateway-request-validation",
    area="resilience",
    description="API Gateway REST methods validate requests before the integration.",
    severity="low",
    rationale="Validation rejects malformed input at the edge instead of in every backend.",
    remediation="Create an aws.apigateway.RequestValidator and set request_validator_id on each method.",
    resource_types=types.REST_METHOD,
    default_level="advisory",
    references=("CKV2_AWS_53",),
    controls=controls(nist=("SI-10",)),
    url=_APIGW_URL + "api-gateway-method-request-validation.html",
)

_MODERN_TLS = ("TLS_1_2",)


def _domain_tls(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in types.HTTP_DOMAIN:
        policy = view.str_("domainNameConfiguration", "securityPolicy")
        where = "domainNameConfiguration.securityPolicy"
    else:
        policy = view.str_("securityPolicy")
        where = "securityPolicy"
    if policy is None or not (policy in _MODERN_TLS or policy.startswith("SecurityPolicy_TLS13")):
        yield f"`{where}` is {policy!r}; set it to 'TLS_1_2' (or a TLS 1.3 SecurityPolicy_ value)."


DOMAIN_TLS = resource_rule(
    _domain_tls,
    name="aws-apigateway-domain-tls12",
    area="encryption",
    description="API Gateway custom domains require TLS 1.2 or later.",
    severity="medium",
    rationale="The TLS_1_0 security policy still admits TLS 1.0/1.1 clients and their weak ciphers.",
    remediation=(
        "Set security_policy='TLS_1_2' (REST) or domain_name_configuration.security_policy='TLS_1_2' (HTTP)."
    ),
    resource_types=types.REST_DOMAIN + types.HTTP_DOMAIN,
    references=(
        "CKV_AWS_206",
        "aws-apigateway-domainname-configure-security-policy",
        "aws-apigatewayv2-domainname-configure-domain-name-security-policy",
        "aws-apigatewayv2-domainname-enable-domain-name-configuration",
    ),
    controls=controls(nist=("SC-8", "SC-13")),
    url=_APIGW_URL + "apigateway-custom-domain-tls-version.html",
)


_waf_index = attached.indexer(
    "web ACL association", types.WEB_ACL_ASSOCIATION, "resourceArn", types.REST_STAGE
)


def _stage_waf(view: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if not index.of(view):
        yield "no aws.wafv2.WebAclAssociation attaches a web ACL to this stage."


STAGE_WAF = join_rule(
    _waf_index,
    _stage_waf,
    name="aws-apigateway-stage-waf",
    area="network",
    description="API Gateway REST stages are protected by a WAFv2 web ACL (mandatory in prod).",
    severity="medium",
    rationale=(
        "A web ACL filters injection, known-bad inputs and floods before they reach the integration; the "
        "stage is joined with the web ACL associations that name it."
    ),
    remediation="Add aws.wafv2.WebAclAssociation(resource_arn=stage.arn, web_acl_arn=acl.arn).",
    resource_types=types.REST_STAGE,
    default_level="advisory",
    profiles=PROD_MANDATORY,
    references=("CKV2_AWS_29", "CKV2_AWS_77"),
    controls=controls(fsbp=("APIGateway.4",), nist=("SC-7", "SI-4")),
    url=_APIGW_URL + "apigateway-control-access-aws-waf.html",
)

STAGE_CLIENT_CERT = resource_rule(
    lambda view, _settings: (
        []
        if view.has("clientCertificateId")
        else ["`clientCertificateId` is not set; the backend cannot tell API Gateway's calls from others."]
    ),
    name="aws-apigateway-stage-client-certificate",
    area="network",
    description="API Gateway REST stages present a client certificate to HTTP backends.",
    severity="low",
    rationale=(
        "With a client certificate an HTTP integration can verify that a request came through API Gateway "
        "(and its authorizers) rather than straight to the backend."
    ),
    remediation="Create an aws.apigateway.ClientCertificate and set client_certificate_id on the stage.",
    resource_types=types.REST_STAGE,
    default_level="advisory",
    references=("CKV2_AWS_51",),
    controls=controls(fsbp=("APIGateway.2",), nist=("IA-3", "SC-8")),
    url=_APIGW_URL + "getting-started-client-side-ssl-authentication.html",
)


def _behaviors(view: View) -> list[tuple[str, Any]]:
    out = [("defaultCacheBehavior", view.get("defaultCacheBehavior"))]
    out.extend((f"orderedCacheBehaviors[{i}]", b) for i, b in enumerate(view.list_("orderedCacheBehaviors")))
    return out


def _cloudfront_https(view: View, _settings: Settings) -> Iterator[str]:
    for where, behavior in _behaviors(view):
        policy = as_str(dig(behavior, "viewerProtocolPolicy", base=where), f"{where}.viewerProtocolPolicy")
        if policy == "allow-all":
            yield f"`{where}.viewerProtocolPolicy` is allow-all; use redirect-to-https or https-only."
    for index, origin in enumerate(view.list_("origins")):
        where = f"origins[{index}].customOriginConfig"
        custom = dig(origin, "customOriginConfig", base=f"origins[{index}]")
        if custom is None:
            continue
        protocol = as_str(dig(custom, "originProtocolPolicy", base=where), where)
        if protocol != "https-only":
            yield f"`{where}.originProtocolPolicy` is {protocol!r}; use https-only."
        protocols = strings(dig(custom, "originSslProtocols", base=where), f"{where}.originSslProtocols")
        weak = [p for p in protocols if p in ("SSLv3", "TLSv1", "TLSv1.1")]
        if weak:
            yield f"`{where}.originSslProtocols` allows {', '.join(weak)}; allow TLSv1.2 only."


CLOUDFRONT_HTTPS = resource_rule(
    _cloudfront_https,
    name="aws-cloudfront-https-only",
    area="encryption",
    description="CloudFront distributions use HTTPS to viewers and to custom origins.",
    severity="high",
    rationale=(
        "A viewer policy of allow-all serves content (and cookies) over plain HTTP; an http-only or "
        "match-viewer origin policy "
        "sends traffic to the origin unencrypted; SSLv3/TLSv1 origin protocols are broken."
    ),
    remediation=(
        "Set viewer_protocol_policy='redirect-to-https' on every cache behavior and custom_origin_config="
        "{'origin_protocol_policy': 'https-only', 'origin_ssl_protocols': ['TLSv1.2']}."
    ),
    resource_types=types.CLOUDFRONT,
    references=(
        "CKV_AWS_34",
        "CKV2_AWS_54",
        "CKV2_AWS_72",
        "aws-cloudfront-distribution-configure-secure-tls-to-origin",
        "aws-cloudfront-distribution-disallow-unencrypted-traffic",
        "aws-cloudfront-distribution-enable-tls-to-origin",
    ),
    controls=controls(fsbp=("CloudFront.3", "CloudFront.9", "CloudFront.10"), nist=("SC-8", "SC-13")),
    url=_CF_URL + "using-https.html",
)

_CF_TLS = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")


def _cloudfront_tls(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("viewerCertificate", "cloudfrontDefaultCertificate") is True:
        yield (
            "`viewerCertificate.cloudfrontDefaultCertificate` is true: the *.cloudfront.net "
            "certificate allows "
            "TLS 1.0; use an ACM certificate with minimum_protocol_version='TLSv1.2_2021'."
        )
        return
    version = view.str_("viewerCertificate", "minimumProtocolVersion")
    if version not in _CF_TLS:
        yield f"`viewerCertificate.minimumProtocolVersion` is {version!r}; set TLSv1.2_2021 or later."
    if (view.str_("viewerCertificate", "sslSupportMethod") or "sni-only") != "sni-only":
        yield "`viewerCertificate.sslSupportMethod` is not sni-only; dedicated-IP/static-IP SSL is legacy."


CLOUDFRONT_TLS = resource_rule(
    _cloudfront_tls,
    name="aws-cloudfront-tls12",
    area="encryption",
    description="CloudFront distributions use a custom certificate with TLSv1.2_2021 or later.",
    severity="medium",
    rationale=(
        "The default CloudFront certificate fixes the minimum protocol at TLSv1; older security policies "
        "still allow TLS 1.0/1.1 or weak TLS 1.2 ciphers."
    ),
    remediation=(
        "Set viewer_certificate={'acm_certificate_arn': cert.arn, 'ssl_support_method': 'sni-only', "
        "'minimum_protocol_version': 'TLSv1.2_2021'}."
    ),
    resource_types=types.CLOUDFRONT,
    references=("CKV_AWS_174", "CKV2_AWS_42", "aws-cloudfront-distribution-configure-secure-tls"),
    controls=controls(fsbp=("CloudFront.7", "CloudFront.8"), nist=("SC-8", "SC-13")),
    url=_CF_URL + "secure-connections-supported-viewer-protocols-ciphers.html",
)


def _cloudfront_edge(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("webAclId"):
        yield "`webAclId` is not set; attach a WAFv2 web ACL (scope CLOUDFRONT)."
    if not view.has("loggingConfig", "bucket"):
        yield "`loggingConfig.bucket` is not set; write standard access logs."


CLOUDFRONT_EDGE = resource_rule(
    _cloudfront_edge,
    name="aws-cloudfront-waf-logging",
    area="network",
    description="CloudFront distributions are protected by a WAF web ACL and write access logs.",
    severity="medium",
    rationale=(
        "A distribution is the platform's public face: the web ACL filters attacks before any origin sees "
        "them, and access logs are the record of every viewer request."
    ),
    remediation="Set web_acl_id=acl.arn and logging_config={'bucket': logs.bucket_domain_name}.",
    resource_types=types.CLOUDFRONT,
    default_level="advisory",
    profiles=PROD_MANDATORY,
    references=(
        "CKV_AWS_68",
        "CKV_AWS_86",
        "aws-cloudfront-distribution-configure-access-logging",
        "aws-cloudfront-distribution-enable-access-logging",
        "aws-cloudfront-distribution-configure-waf",
    ),
    controls=controls(fsbp=("CloudFront.5", "CloudFront.6"), nist=("SC-7", "AU-2")),
    url=_CF_URL + "distribution-web-awswaf.html",
)


def _is_s3_origin(origin: Any, where: str) -> bool:
    """An S3 REST origin (website endpoints are custom origins); an unknown domain raises `Unknown`."""
    if dig(origin, "customOriginConfig", base=where) is not None:
        return False
    if dig(origin, "s3OriginConfig", base=where) is not None:
        return True
    domain = as_str(dig(origin, "domainName", base=where), f"{where}.domainName") or ""
    return ".s3." in domain or domain.endswith(".s3.amazonaws.com")


def _cloudfront_oac(view: View, _settings: Settings) -> Iterator[str]:
    for index, origin in enumerate(view.list_("origins")):
        where = f"origins[{index}]"
        if dig(origin, "originAccessControlId", base=where, allow_unknown=True):
            continue
        if not _is_s3_origin(origin, where):
            continue
        legacy = dig(origin, "s3OriginConfig", "originAccessIdentity", base=where, allow_unknown=True)
        if legacy:
            yield f"`{where}` uses a legacy origin access identity; switch to origin_access_control_id."
        else:
            yield (
                f"`{where}` is an S3 origin without origin access control; the bucket must be public to "
                "serve."
            )


CLOUDFRONT_OAC = resource_rule(
    _cloudfront_oac,
    name="aws-cloudfront-s3-origin-access-control",
    area="iam",
    description="CloudFront S3 origins are reached through origin access control.",
    severity="high",
    rationale=(
        "Without origin access control an S3 origin has to be publicly readable; legacy origin access "
        "identities do not support SSE-KMS objects or all regions."
    ),
    remediation=(
        "Create an aws.cloudfront.OriginAccessControl (signing_behavior='always', signing_protocol='sigv4') "
        "and set origin_access_control_id on each S3 origin; grant cloudfront.amazonaws.com with "
        "aws:SourceArn."
    ),
    resource_types=types.CLOUDFRONT,
    references=("CKV2_AWS_46",),
    controls=controls(fsbp=("CloudFront.13",), nist=("AC-3", "AC-6")),
    url=_CF_URL + "private-content-restricting-access-to-s3.html",
)


def _cloudfront_hardening(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("enabled") is False:
        yield "`enabled` is false; a disabled distribution serves nothing, remove it or enable it."
    if not view.has("defaultRootObject"):
        yield "`defaultRootObject` is not set; a request for / may list or expose the origin's root."
    if not view.list_("originGroups"):
        yield "`originGroups` is empty; configure origin failover."
    if not view.has("defaultCacheBehavior", "responseHeadersPolicyId"):
        yield "`defaultCacheBehavior.responseHeadersPolicyId` is not set; send HSTS and security headers."
    kind = view.str_("restrictions", "geoRestriction", "restrictionType") or "none"
    if kind == "none":
        yield "`restrictions.geoRestriction.restrictionType` is none; restrict to the countries you serve."


CLOUDFRONT_HARDENING = resource_rule(
    _cloudfront_hardening,
    name="aws-cloudfront-distribution-hardening",
    area="resilience",
    description=(
        "CloudFront distributions are enabled and set a default root object, origin failover, security "
        "headers and geo restriction."
    ),
    severity="low",
    rationale=(
        "Each is a hardening step that depends on what the distribution serves (an API front has no root "
        "object), hence advisory: a missing root object can expose the origin listing, failover keeps "
        "content up when an origin fails, HSTS headers stop downgrade attacks."
    ),
    remediation=(
        "Set default_root_object, origin_groups with a failover origin, a response_headers_policy_id with "
        "strict_transport_security and restrictions.geo_restriction."
    ),
    resource_types=types.CLOUDFRONT,
    default_level="advisory",
    references=("CKV_AWS_216", "CKV_AWS_305", "CKV_AWS_310", "CKV_AWS_374", "CKV2_AWS_32"),
    controls=controls(fsbp=("CloudFront.1", "CloudFront.4"), nist=("CP-10", "SC-7")),
    url=_CF_URL + "DefaultRootObject.html",
)


def _web_acl_logging(view: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if not index.of(view):
        yield "no aws.wafv2.WebAclLoggingConfiguration sends this web ACL's logs anywhere."


WEB_ACL_LOGGING = join_rule(
    attached.indexer("logging configuration", types.WEB_ACL_LOGGING, "resourceArn", types.WEB_ACL),
    _web_acl_logging,
    name="aws-wafv2-web-acl-logging",
    area="resilience",
    description="WAFv2 web ACLs log their decisions.",
    severity="medium",
    rationale=(
        "WAF logs are the record of blocked and allowed requests, needed to tune rules and investigate; the "
        "web ACL is joined with the logging configurations that name it."
    ),
    remediation=(
        "Add aws.wafv2.WebAclLoggingConfiguration(resource_arn=acl.arn, log_destination_configs=[group.arn]) "
        "with a log group named aws-waf-logs-*."
    ),
    resource_types=types.WEB_ACL,
    references=("CKV2_AWS_31",),
    controls=controls(nist=("AU-2", "AU-12")),
    url="https://docs.aws.amazon.com/waf/latest/developerguide/logging.html",
)


def _managed_groups(rules: list[Any]) -> set[str]:
    names: set[str] = set()
    for index, rule in enumerate(rules):
        where = f"rules[{index}]"
        group = dig(rule, "statement", "managedRuleGroupStatement", base=where) or dig(
            rule, "Statement", "ManagedRuleGroupStatement", base=where
        )
        if group is not None:
            name = as_str(dig(group, "name", base=where) or dig(group, "Name", base=where), where)
            if name:
                names.add(name)
    return names


def _without_action(rules: list[Any]) -> Iterator[str]:
    for index, rule in enumerate(rules):
        where = f"rules[{index}]"
        keys = ("action", "overrideAction", "Action", "OverrideAction")
        if not any(dig(rule, key, base=where, allow_unknown=True) is not None for key in keys):
            yield f"`{where}` has neither an action nor an override_action, so it does nothing."


def _web_acl_rules(view: View, settings: Settings) -> Iterator[str]:
    rules = view.list_("rules") or as_list(view.json_("ruleJson"), "ruleJson")
    if not rules:
        yield f"the {'rule group' if view.type in types.WAF_RULE_GROUP else 'web ACL'} has no rules."
        return
    yield from _without_action(rules)
    if view.type in types.WAF_RULE_GROUP:
        return
    present = _managed_groups(rules)
    for required in settings["requiredManagedRuleGroups"] or []:
        if required not in present:
            yield f"managed rule group {required} is not used; add it (it blocks Log4Shell-style inputs)."


WEB_ACL_RULES = resource_rule(
    _web_acl_rules,
    name="aws-wafv2-web-acl-rules",
    area="network",
    description=(
        "WAFv2 web ACLs and rule groups have rules that act; web ACLs use the AWS known-bad-inputs managed "
        "rule group."
    ),
    severity="medium",
    rationale=(
        "A web ACL without rules filters nothing, and a rule without an action or override does nothing; "
        "AWSManagedRulesKnownBadInputsRuleSet blocks request "
        "patterns of known exploits (Log4j JNDI lookups among them). Rules may be given as `rules` or as "
        "`rule_json`."
    ),
    remediation=(
        "Add a rule with statement={'managed_rule_group_statement': {'vendor_name': 'AWS', 'name': "
        "'AWSManagedRulesKnownBadInputsRuleSet'}} and override_action={'none': {}}."
    ),
    resource_types=types.WEB_ACL + types.WAF_RULE_GROUP,
    related_types=types.CLOUDFRONT,
    references=("CKV_AWS_192", "CKV_AWS_175", "CKV_AWS_342", "CKV2_AWS_47"),
    controls=controls(fsbp=("WAF.10",), nist=("SC-7", "SI-4")),
    url="https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html",
    config={
        "requiredManagedRuleGroups": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["AWSManagedRulesKnownBadInputsRuleSet"],
            "description": "Managed rule groups every web ACL must use.",
        }
    },
)


def _classic_listeners(view: View, _settings: Settings) -> Iterator[str]:
    for index, listener in enumerate(view.list_("listeners")):
        where = f"listeners[{index}]"
        protocol = (as_str(dig(listener, "lbProtocol", base=where), f"{where}.lbProtocol") or "").upper()
        if protocol not in ("HTTPS", "SSL"):
            yield f"`{where}.lbProtocol` is {protocol or None!r}; use HTTPS or SSL with an ACM certificate."
        elif not dig(listener, "sslCertificateId", base=where, allow_unknown=True):
            yield f"`{where}.sslCertificateId` is not set; name the ACM certificate."
    mode = view.str_("desyncMitigationMode") or "defensive"
    if mode not in ("defensive", "strictest"):
        yield f"`desyncMitigationMode` is {mode!r}; use defensive or strictest against HTTP desync attacks."


CLASSIC_LISTENERS = resource_rule(
    _classic_listeners,
    name="aws-elb-classic-tls-listeners",
    area="encryption",
    description=("Classic load balancers listen with HTTPS/SSL only and mitigate HTTP desync."),
    severity="medium",
    rationale=(
        "Classic ELB listeners on HTTP or TCP carry client traffic in plaintext; classic ELBs are legacy "
        "and an application load balancer is the better fix. Access logs are judged by aws-lb-access-logs."
    ),
    remediation=(
        "Use lb_protocol='https' with ssl_certificate_id=cert.arn on every listener (or migrate to "
        "aws.lb.LoadBalancer) and keep desync_mitigation_mode='defensive'."
    ),
    resource_types=types.CLASSIC_ELB,
    references=(
        "CKV_AWS_127",
        "CKV_AWS_328",
        "CKV_AWS_376",
        "aws-elb-loadbalancer-disallow-unencrypted-traffic",
    ),
    controls=controls(fsbp=("ELB.3", "ELB.14"), nist=("SC-8", "SC-13")),
    url="https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-https-load-balancers.html",
)


def _classic_availability(view: View, _settings: Settings) -> Iterator[str]:
    zones = len(view.list_("subnets")) or len(view.list_("availabilityZones"))
    if zones < 2:
        yield f"the load balancer spans {zones} subnet(s)/zone(s); use at least two availability zones."
    if not view.has("healthCheck", "target"):
        yield (
            "`healthCheck` is not set, so failed instances keep receiving traffic; configure a health check."
        )
    if view.bool_("crossZoneLoadBalancing") is False:
        yield "`crossZoneLoadBalancing` is false; one zone's instances take all of that zone's traffic."


CLASSIC_AVAILABILITY = resource_rule(
    _classic_availability,
    name="aws-elb-classic-availability",
    area="resilience",
    description="Classic load balancers span two or more zones, health-check and balance across zones.",
    severity="medium",
    rationale=(
        "A classic load balancer in one zone fails with it; without a health check it keeps sending requests "
        "to dead instances; without cross-zone balancing a zone with fewer instances is overloaded."
    ),
    remediation=(
        "Set subnets in two or more zones, health_check={'target': 'HTTP:8080/health', ...} and keep "
        "cross_zone_load_balancing=True."
    ),
    resource_types=types.CLASSIC_ELB,
    references=(
        "CKV_AWS_138",
        "aws-elb-loadbalancer-configure-multi-availability-zone",
        "aws-elb-loadbalancer-enable-health-check",
    ),
    controls=controls(fsbp=("ELB.9", "ELB.10"), nist=("CP-10", "SC-5")),
    url="https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-healthchecks.html",
)


def _endpoint_type(view: View, settings: Settings) -> Iterator[str]:
    kinds = strings(view.get("endpointConfiguration", "types"), "endpointConfiguration.types") or ["EDGE"]
    allowed = list(settings["allowedEndpointTypes"] or [])
    for kind in kinds:
        if kind not in allowed:
            yield (
                f"endpoint type {kind} is not among the allowed {', '.join(allowed)}; set "
                "endpoint_configuration."
            )


REST_ENDPOINT_TYPE = resource_rule(
    _endpoint_type,
    name="aws-apigateway-rest-api-endpoint-type",
    area="network",
    description="API Gateway REST APIs use an allowed endpoint type (default: PRIVATE or REGIONAL).",
    severity="low",
    rationale=(
        "The EDGE default fronts the API with a CloudFront distribution outside the account's control "
        "(no WAF or logging of your own there); PRIVATE keeps an internal API off the internet."
    ),
    remediation="Set endpoint_configuration={'types': 'PRIVATE'} (or 'REGIONAL' behind your own CloudFront).",
    resource_types=types.REST_API,
    default_level="advisory",
    references=("apigateway-endpoint-type",),
    controls=controls(nist=("AC-4", "SC-7")),
    url=_APIGW_URL + "api-gateway-api-endpoint-types.html",
    config={
        "allowedEndpointTypes": {
            "type": "array",
            "items": {"enum": ["EDGE", "REGIONAL", "PRIVATE"]},
            "default": ["PRIVATE", "REGIONAL"],
            "description": "Endpoint types REST APIs may use.",
        }
    },
)

RULES: list[Rule] = [
    STAGE_ACCESS_LOGS,
    STAGE_TRACING,
    METHOD_SETTINGS,
    CACHING,
    AUTHORIZATION,
    REQUEST_VALIDATION,
    DOMAIN_TLS,
    STAGE_WAF,
    STAGE_CLIENT_CERT,
    CLOUDFRONT_HTTPS,
    CLOUDFRONT_TLS,
    CLOUDFRONT_EDGE,
    CLOUDFRONT_OAC,
    CLOUDFRONT_HARDENING,
    WEB_ACL_LOGGING,
    WEB_ACL_RULES,
    CLASSIC_LISTENERS,
    CLASSIC_AVAILABILITY,
    REST_ENDPOINT_TYPE,
]
