"""Edge services: API Gateway (REST, HTTP, WebSocket), CloudFront, Route 53 and AWS WAF.

API Gateway bills requests (`monthlyRequests`, tiered); WebSocket APIs bill messages (`monthlyRequests`) and
connection minutes (`monthlyConnectionMinutes`). CloudFront bills HTTPS requests and data out to the internet
(`monthlyDataOutGb`) by edge location group; the estimate uses the United States group (Price Class 100 serves
North America and Europe at that rate or close) and says so. Route 53 bills each hosted zone monthly and
queries (tiered). WAF bills each web ACL, each rule in it (a rule-group reference is one rule) and requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, component, tiered

if TYPE_CHECKING:
    from inventory.model import Resource

REST_API = "aws:apigateway/restApi:RestApi"
API_V2 = "aws:apigatewayv2/api:Api"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
ZONE = "aws:route53/zone:Zone"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
CLOUDFRONT_TB = Decimal(10 * 1024)


def parse_rest(resource: Resource, ctx: Context) -> str:
    return "REST"


def parse_v2(resource: Resource, ctx: Context) -> str:
    return str(resource.inputs.get("protocolType") or "HTTP").upper()


def price_api(kind: str, ctx: Context) -> Priced:
    requests = ctx.usage.monthly_requests
    if kind == "WEBSOCKET":
        parts = tiered(
            ctx,
            "WebSocket messages",
            "apigw.websocket.message",
            requests,
            unit="message",
            usage_key="monthlyRequests",
            note="messages are metered in 32 KB increments",
        )
        parts.append(
            component(
                ctx,
                "Connection minutes",
                "apigw.websocket.connection_minute",
                ctx.usage.monthly_connection_minutes,
                unit="connection-minute",
                usage_based=True,
                usage_key="monthlyConnectionMinutes",
            )
        )
        return Priced(components=parts)
    group = "apigw.rest.request" if kind == "REST" else "apigw.http.request"
    note = "" if kind == "REST" else "HTTP API requests are metered in 512 KB increments"
    return Priced(
        components=tiered(
            ctx,
            f"{kind} API requests",
            group,
            requests,
            unit="request",
            usage_key="monthlyRequests",
            note=note,
        )
    )


@dataclass(frozen=True)
class DistributionSpec:
    price_class: str


def parse_distribution(resource: Resource, ctx: Context) -> DistributionSpec:
    return DistributionSpec(price_class=str(resource.inputs.get("priceClass") or "PriceClass_All"))


def price_distribution(spec: DistributionSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    note = f"at the United States edge rates, the lowest ({spec.price_class}): viewers elsewhere cost more"
    parts = [
        component(
            ctx,
            "HTTPS requests",
            "cloudfront.https_request.united_states",
            usage.monthly_requests,
            unit="request",
            usage_based=True,
            usage_key="monthlyRequests",
            note=note,
        ),
    ]
    parts += tiered(
        ctx,
        "Data out to the internet",
        "cloudfront.data_out_internet.us_mexico_canada",
        usage.monthly_data_out_gb,
        unit="GB",
        usage_key="monthlyDataOutGb",
        note=note,
    )
    return Priced(components=parts)


def parse_zone(resource: Resource, ctx: Context) -> bool:
    return bool(resource.inputs.get("vpcs"))


def price_zone(private: bool, ctx: Context) -> Priced:
    kind = "private" if private else "public"
    parts = [
        component(
            ctx,
            f"Hosted zone ({kind})",
            "route53.hosted_zone.month",
            Decimal(1),
            unit="zone-month",
            note="the first 25 zones' rate",
        )
    ]
    parts += tiered(
        ctx,
        "Standard queries",
        "route53.standard_query",
        ctx.usage.monthly_requests,
        unit="query",
        usage_key="monthlyRequests",
        note="alias queries to AWS resources are free",
    )
    return Priced(components=parts)


def parse_acl(resource: Resource, ctx: Context) -> int:
    return len(resource.inputs.get("rules") or [])


def price_acl(rules: int, ctx: Context) -> Priced:
    return Priced(
        components=[
            component(ctx, "Web ACL", "wafv2.web_acl.month", Decimal(1), unit="web-ACL-month"),
            component(
                ctx,
                f"Rules ({rules})",
                "wafv2.rule.month",
                Decimal(rules),
                unit="rule-month",
                note="a rule-group reference is one rule; managed groups with their own fee are not added",
            ),
            component(
                ctx,
                "Requests",
                "wafv2.request",
                ctx.usage.monthly_requests,
                unit="request",
                usage_based=True,
                usage_key="monthlyRequests",
            ),
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    REST_API: Pricer("Amazon API Gateway", parse_rest, price_api),
    API_V2: Pricer("Amazon API Gateway", parse_v2, price_api),
    DISTRIBUTION: Pricer("Amazon CloudFront", parse_distribution, price_distribution),
    ZONE: Pricer("Amazon Route 53", parse_zone, price_zone),
    WEB_ACL: Pricer("AWS WAF", parse_acl, price_acl),
}

_APIGW = "API Gateway configuration is free; requests are priced on the API"
FREE = {
    **{
        f"aws:apigateway/{name}:{name[0].upper()}{name[1:]}": _APIGW
        for name in (
            "resource",
            "method",
            "integration",
            "methodResponse",
            "integrationResponse",
            "deployment",
            "stage",
            "authorizer",
            "model",
            "requestValidator",
            "response",
            "methodSettings",
            "basePathMapping",
            "restApiPolicy",
            "account",
        )
    },
    **{
        f"aws:apigatewayv2/{name}:{name[0].upper()}{name[1:]}": _APIGW
        for name in (
            "route",
            "integration",
            "stage",
            "deployment",
            "authorizer",
            "apiMapping",
            "routeResponse",
            "integrationResponse",
            "model",
        )
    },
    "aws:cloudfront/originAccessIdentity:OriginAccessIdentity": "origin access identities are free",
    "aws:cloudfront/originAccessControl:OriginAccessControl": "origin access controls are free",
    "aws:cloudfront/cachePolicy:CachePolicy": "cache policies are free",
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": "origin request policies are free",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": "response headers policies are free",
    "aws:route53/record:Record": "records are free; queries are priced on the hosted zone",
    "aws:route53/zoneAssociation:ZoneAssociation": "zone associations are free",
    "aws:wafv2/ipSet:IpSet": "IP sets are free",
    "aws:wafv2/regexPatternSet:RegexPatternSet": "regex pattern sets are free",
    "aws:wafv2/ruleGroup:RuleGroup": "rule groups are billed as one rule of each web ACL that uses them",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "web ACL associations are free",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (
        "logging configuration is free (the logs are priced where they are delivered)"
    ),
}
