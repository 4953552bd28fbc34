"""Internet ingress: only HTTPS (and HTTP that only redirects to HTTPS) into a load balancer's security group.

Ingress is judged wherever it is declared: inline `ingress` blocks, aws:ec2/securityGroupRule and
aws:vpc/securityGroupIngressRule. A security group counts as a load balancer's when a load balancer lists it
in `securityGroups` (joined through property dependencies, or by id when ids are known). Port 80 is allowed
only if every port-80 listener on those load balancers redirects to HTTPS: browsers typing the bare domain
must reach the redirect, and nothing else is served in plaintext.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.encryption.transport import is_https_redirect
from policies.rules.framework import JoinRule, Rule, Settings
from policies.rules.props import Unknown, View, as_int, as_map, as_str, dig, strings
from policies.rules.stack_index import Stack

PUBLIC_CIDRS = ("0.0.0.0/0", "::/0")
ALL_PROTOCOLS = ("-1", "all")
TCP = ("tcp", "6")


@dataclass(frozen=True)
class Ingress:
    where: str
    protocol: str
    from_port: int | None
    to_port: int | None
    cidrs: tuple[str, ...]

    @property
    def public(self) -> bool:
        return any(cidr in PUBLIC_CIDRS for cidr in self.cidrs)

    def only_port(self, port: int) -> bool:
        return self.protocol.lower() in TCP and self.from_port == port and self.to_port == port


@dataclass
class NetworkIndex:
    stack: Stack
    balancers_of_group: dict[str, list[View]] = field(default_factory=lambda: defaultdict(list))
    listeners_of_balancer: dict[str, list[View]] = field(default_factory=lambda: defaultdict(list))


def build(stack: Stack) -> NetworkIndex:
    index = NetworkIndex(stack)
    for balancer in stack.of_types(tokens.LOAD_BALANCERS):
        groups = balancer.props.get("securityGroups")
        values = groups if isinstance(groups, list) else []
        for group in stack.resolve(balancer, "securityGroups", values, tokens.SECURITY_GROUP).targets:
            index.balancers_of_group[group.urn].append(balancer)
    for listener in stack.of_types(tokens.LISTENERS):
        arn = listener.props.get("loadBalancerArn")
        for balancer in stack.resolve(listener, "loadBalancerArn", arn, tokens.LOAD_BALANCERS).targets:
            index.listeners_of_balancer[balancer.urn].append(listener)
    return index


def _ingress(where: str, block: Mapping[str, Any], keys: tuple[str, str, str]) -> Ingress:
    protocol_key, v4_key, v6_key = keys
    cidrs = strings(dig(block, v4_key, base=where), f"{where}.{v4_key}") + strings(
        dig(block, v6_key, base=where), f"{where}.{v6_key}"
    )
    return Ingress(
        where=where,
        protocol=as_str(dig(block, protocol_key, base=where), f"{where}.{protocol_key}") or "-1",
        from_port=as_int(dig(block, "fromPort", base=where), f"{where}.fromPort"),
        to_port=as_int(dig(block, "toPort", base=where), f"{where}.toPort"),
        cidrs=tuple(cidrs),
    )


_INLINE_KEYS = ("protocol", "cidrBlocks", "ipv6CidrBlocks")
_VPC_RULE_KEYS = ("ipProtocol", "cidrIpv4", "cidrIpv6")


def _entries(view: View, index: NetworkIndex) -> tuple[list[Ingress], tuple[View, ...]]:
    """The ingress entries a subject declares and the security group(s) they open."""
    if view.type in tokens.SECURITY_GROUP:
        blocks = view.list_("ingress")
        return [
            _ingress(f"ingress[{i}]", as_map(b, f"ingress[{i}]"), _INLINE_KEYS) for i, b in enumerate(blocks)
        ], (view,)
    if view.type in tokens.SECURITY_GROUP_RULE and view.str_("type") != "ingress":
        return [], ()
    keys = _VPC_RULE_KEYS if view.type in tokens.VPC_INGRESS_RULE else _INLINE_KEYS
    entry = _ingress(view.name, view.props, keys)
    if not entry.public:
        return [entry], ()
    refs = index.stack.resolve(
        view, "securityGroupId", view.props.get("securityGroupId"), tokens.SECURITY_GROUP
    )
    if refs.unknown:
        raise Unknown("securityGroupId")
    return [entry], refs.targets


def _http_only_redirects(balancers: list[View], index: NetworkIndex) -> bool:
    listeners = [
        listener
        for balancer in balancers
        for listener in index.listeners_of_balancer.get(balancer.urn, [])
        if as_int(listener.get("port"), "port") == 80
    ]
    return bool(listeners) and all(is_https_redirect(listener) for listener in listeners)


def _judge_entry(entry: Ingress, balancers: list[View], index: NetworkIndex) -> Iterator[str]:
    source = "/".join(cidr for cidr in entry.cidrs if cidr in PUBLIC_CIDRS)
    if entry.protocol.lower() in ALL_PROTOCOLS:
        yield f"{entry.where} allows all traffic from {source}; allow only tcp/443 to a load balancer."
    elif entry.only_port(443):
        if not balancers:
            yield f"{entry.where} opens tcp/443 to {source} on a security group no load balancer uses."
    elif entry.only_port(80):
        if not balancers or not _http_only_redirects(balancers, index):
            yield (
                f"{entry.where} opens tcp/80 to {source}, but not only for an HTTP-to-HTTPS redirect "
                "listener."
            )
    else:
        ports = (
            f"{entry.from_port}-{entry.to_port}" if entry.from_port != entry.to_port else f"{entry.from_port}"
        )
        yield (
            f"{entry.where} opens {entry.protocol}/{ports} to {source}; only tcp/443 to a load balancer "
            "may be public."
        )


def judge(view: View, index: NetworkIndex, _settings: Settings) -> Iterator[str]:
    entries, groups = _entries(view, index)
    balancers = [balancer for group in groups for balancer in index.balancers_of_group.get(group.urn, [])]
    for entry in entries:
        if entry.public:
            yield from _judge_entry(entry, balancers, index)


PUBLIC_INGRESS = JoinRule(
    RuleMeta(
        name="aws-ec2-security-group-no-public-ingress",
        controls=controls(
            fsbp=("EC2.18",),
            cis=("5.2",),
            pci=("1.3.1",),
            nist=(
                "AC-4",
                "SC-7",
            ),
        ),
        area="network",
        description=(
            "Security groups allow internet ingress (0.0.0.0/0, ::/0) only on tcp/443 to a load balancer."
        ),
        severity="critical",
        rationale=" ".join((__doc__ or "").split()),
        remediation=(
            "Restrict the CIDR to known ranges or reference another security group; expose services only "
            "through the load balancer's HTTPS listener."
        ),
        kind="stack",
        resource_types=tokens.SECURITY_GROUP + tokens.SECURITY_GROUP_RULE + tokens.VPC_INGRESS_RULE,
        references=(
            "CKV_AWS_24",
            "CKV_AWS_25",
            "CKV_AWS_260",
            "CKV_AWS_277",
            "aws-ec2-securitygroup-disallow-inbound-http-traffic",
            "aws-ec2-securitygroup-disallow-public-internet-ingress",
        ),
        url="https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    ),
    build,
    judge,
)

RULES: list[Rule] = [PUBLIC_INGRESS]
