"""Encryption in transit at the load balancer: HTTPS listeners, HTTP redirected, TLS 1.2+ policies."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import Skip, View, as_map, as_str, dig

SECURE_PROTOCOLS = ("HTTPS", "TLS")
# Policies whose minimum protocol is TLS 1.2 or 1.3 (ELBSecurityPolicy-TLS13-*, -TLS-1-2-*, -FS-1-2-*).
_TLS12_POLICY = re.compile(r"^ELBSecurityPolicy-(TLS13-|TLS-1-2-|FS-1-2-)")
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08"


def redirects_to_https(action: Mapping[str, Any], where: str) -> bool:
    """A listener action that redirects to HTTPS."""
    if as_str(dig(action, "type", base=where), where) != "redirect":
        return False
    return as_str(dig(action, "redirect", "protocol", base=where), where) == "HTTPS"


def is_https_redirect(listener: View) -> bool:
    """An HTTP listener whose only default action is a redirect to HTTPS."""
    actions = listener.list_("defaultActions")
    return len(actions) == 1 and redirects_to_https(
        as_map(actions[0], "defaultActions[0]"), "defaultActions[0]"
    )


def _listener_https(view: View, _settings: Settings) -> Iterator[str]:
    protocol = (view.str_("protocol") or "HTTP").upper()
    if protocol in SECURE_PROTOCOLS:
        return
    if protocol in ("TCP", "UDP", "TCP_UDP", "GENEVE"):
        raise Skip(f"{protocol} listener passes traffic through; TLS is up to the targets")
    if not is_https_redirect(view):
        yield (
            f"listener on port {view.get('port')} serves plain {protocol}; use protocol HTTPS with a "
            "certificate, or make its only default action a redirect to HTTPS (status HTTP_301)."
        )


LISTENER_HTTPS = ResourceRule(
    RuleMeta(
        name="aws-lb-listener-https",
        controls=controls(
            fsbp=("ELB.1",),
            pci=("4.2.1",),
            nist=(
                "SC-8",
                "SC-23",
            ),
        ),
        area="encryption",
        description="Load balancer listeners serve HTTPS or TLS, and HTTP listeners only redirect to HTTPS.",
        severity="high",
        rationale=(
            "Plain HTTP exposes credentials, tokens and payloads on the network path; an HTTP listener is "
            "only acceptable as a redirect to HTTPS, so browsers still reach the secure listener."
        ),
        remediation=(
            "Use protocol='HTTPS' with certificate_arn, or for port 80 default_actions=[{'type': 'redirect', "
            "'redirect': {'protocol': 'HTTPS', 'port': '443', 'status_code': 'HTTP_301'}}]."
        ),
        kind="resource",
        resource_types=tokens.LISTENERS,
        related_types=tokens.LOAD_BALANCERS,
        references=(
            "CKV_AWS_2",
            "CKV2_AWS_20",
            "AWS-0054",
            "alb-http-to-https-redirection",
            "aws-alb-listener-disallow-unencrypted-traffic",
            "aws-lb-listener-disallow-unencrypted-traffic",
        ),
        url="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html",
    ),
    _listener_https,
)


def _listener_tls(view: View, _settings: Settings) -> Iterator[str]:
    if (view.str_("protocol") or "").upper() not in SECURE_PROTOCOLS:
        return
    policy = view.str_("sslPolicy")
    if policy is None:
        yield (
            f"`sslPolicy` is not set, so {DEFAULT_SSL_POLICY} (TLS 1.0+) applies; use "
            "ELBSecurityPolicy-TLS13-1-2-2021-06."
        )
    elif not _TLS12_POLICY.match(policy):
        yield f"`sslPolicy` {policy} allows TLS below 1.2; use ELBSecurityPolicy-TLS13-1-2-2021-06."


LISTENER_TLS = ResourceRule(
    RuleMeta(
        name="aws-lb-listener-tls12",
        controls=controls(
            fsbp=("ELB.17",),
            pci=("4.2.1",),
            nist=(
                "SC-8",
                "SC-13",
            ),
        ),
        area="encryption",
        description="HTTPS and TLS listeners use a security policy with TLS 1.2 or newer.",
        severity="high",
        rationale=(
            "TLS 1.0 and 1.1 have known weaknesses and are disallowed by PCI DSS; the ELB default policy "
            "still accepts them."
        ),
        remediation=(
            "Set ssl_policy='ELBSecurityPolicy-TLS13-1-2-2021-06' (or another TLS13/TLS-1-2/FS-1-2 policy)."
        ),
        kind="resource",
        resource_types=tokens.LISTENERS,
        references=(
            "CKV_AWS_103",
            "CKV2_AWS_74",
            "AWS-0047",
            "aws-alb-listener-configure-secure-tls",
            "aws-lb-listener-configure-secure-tls",
        ),
        url="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
    ),
    _listener_tls,
)


def _drop_invalid_headers(view: View, _settings: Settings) -> Iterator[str]:
    if (view.str_("loadBalancerType") or "application") != "application":
        return
    if view.bool_("dropInvalidHeaderFields") is not True:
        yield "`dropInvalidHeaderFields` is not true; set drop_invalid_header_fields=True."


DROP_INVALID_HEADERS = ResourceRule(
    RuleMeta(
        name="aws-lb-drop-invalid-headers",
        controls=controls(fsbp=("ELB.4",), nist=("SC-8(2)",)),
        area="encryption",
        description="Application load balancers drop HTTP headers with invalid names.",
        severity="low",
        rationale=(
            "Invalid header fields are a vector for HTTP request smuggling and desync attacks on targets."
        ),
        remediation="Set drop_invalid_header_fields=True on the aws.lb.LoadBalancer.",
        kind="resource",
        resource_types=tokens.LOAD_BALANCERS,
        default_level="advisory",
        references=("CKV_AWS_131", "AWS-0052"),
        url="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html",
    ),
    _drop_invalid_headers,
)

RULES: list[Rule] = [LISTENER_HTTPS, LISTENER_TLS, DROP_INVALID_HEADERS]
