"""VPC hygiene and cross-resource checks: the default security group, public IPs, unattached addresses and
groups, peering routes; SageMaker models' network isolation; DynamoDB autoscaling."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import attached, tokens
from policies.rules.framework import JoinRule, ResourceRule, Rule, Settings
from policies.rules.props import Skip, View
from policies.rules.stack_index import Stack

NAT_GATEWAY = ("aws:ec2/natGateway:NatGateway",)
_RULE_TYPES = frozenset(tokens.SECURITY_GROUP_RULE + tokens.VPC_INGRESS_RULE + tokens.VPC_EGRESS_RULE)


def _default_group(vpc: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    groups = index.of(vpc)
    if not groups:
        yield (
            "the VPC's default security group is not managed, so it keeps AWS's allow-all-from-itself rules; "
            "adopt it with an aws.ec2.DefaultSecurityGroup that has no ingress or egress."
        )
    for group in groups:
        if group.list_("ingress") or group.list_("egress"):
            yield f"default security group {group.name} has rules; remove them (use dedicated groups)."


DEFAULT_GROUP = JoinRule(
    RuleMeta(
        name="aws-vpc-default-security-group-closed",
        controls=controls(fsbp=("EC2.2",), cis=("5.4",), pci=("1.2.1",), nist=("AC-4", "SC-7")),
        area="network",
        description="Every VPC's default security group is managed and allows no traffic.",
        severity="medium",
        rationale=(
            "Resources launched without a group land in the default one; AWS's default rules let them talk "
            "to "
            "each other and out anywhere."
        ),
        remediation="Add aws.ec2.DefaultSecurityGroup(vpc_id=...) with no ingress and no egress.",
        kind="stack",
        resource_types=tokens.VPC,
        related_types=tokens.DEFAULT_SECURITY_GROUP,
        references=("CKV2_AWS_12",),
    ),
    attached.indexer("default security group", tokens.DEFAULT_SECURITY_GROUP, "vpcId", tokens.VPC),
    _default_group,
)


def _public_ip(view: View, settings: Settings) -> Iterator[str]:
    if view.bool_("mapPublicIpOnLaunch") is not True:
        return
    key = str(settings["tierTag"])
    tier = view.map_("tags").get(key)
    if tier not in (settings["publicTiers"] or []):
        yield (
            f"`mapPublicIpOnLaunch` is true on a subnet whose `{key}` tag is {tier or 'not set'} (not a "
            "public "
            "tier); set it false."
        )


SUBNET_PUBLIC_IP = ResourceRule(
    RuleMeta(
        name="aws-ec2-subnet-no-public-ip",
        controls=controls(fsbp=("EC2.15",), pci=("1.4.4",), nist=("SC-7",)),
        area="network",
        description="Subnets outside public tiers do not give instances public IP addresses.",
        severity="medium",
        rationale=(
            "With map_public_ip_on_launch every instance and ENI in the subnet is reachable from the "
            "internet "
            "as soon as a route and a rule allow it."
        ),
        remediation=(
            "Set map_public_ip_on_launch=False; tag genuinely public subnets with the tier tag (default "
            "`tier: public`)."
        ),
        kind="resource",
        resource_types=tokens.SUBNET,
        references=("CKV_AWS_130",),
        config={
            "tierTag": {"type": "string", "default": "tier", "description": "tag naming a subnet's tier"},
            "publicTiers": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["public"],
                "description": "tier tag values whose subnets may assign public IPs",
            },
        },
    ),
    _public_ip,
)


def _eip(eip: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if eip.has("instance") or eip.has("networkInterface") or index.of(eip):
        return
    yield "the Elastic IP is attached to no instance, network interface or NAT gateway; release it."


EIP_ATTACHED = JoinRule(
    RuleMeta(
        name="aws-ec2-eip-attached",
        controls=controls(nist=("CM-8",)),
        area="network",
        description="Elastic IPs are attached to an instance, a network interface or a NAT gateway.",
        severity="low",
        rationale="An unattached Elastic IP is billed and is an address someone may later point at anything.",
        remediation=(
            "Attach the address (instance, network_interface, or a NAT gateway's allocation_id) or remove it."
        ),
        kind="stack",
        resource_types=tokens.EIP,
        related_types=NAT_GATEWAY,
        default_level="advisory",
        references=("CKV2_AWS_19",),
    ),
    attached.indexer("NAT gateway", NAT_GATEWAY, "allocationId", tokens.EIP),
    _eip,
)


def _users(stack: Stack) -> set[str]:
    """URNs of security groups some non-rule resource depends on (an ENI, service, function, database...)."""
    groups = {view.urn for view in stack.of_types(tokens.SECURITY_GROUP)}
    used: set[str] = set()
    for view in stack.views:
        if view.type in _RULE_TYPES or view.type in tokens.SECURITY_GROUP:
            continue
        used.update(urn for urn in view.dependencies if urn in groups)
    return used


def _group_attached(group: View, used: set[str], _settings: Settings) -> Iterator[str]:
    if group.urn not in used:
        yield "no resource in the stack uses this security group; attach it or remove it."


SG_ATTACHED = JoinRule(
    RuleMeta(
        name="aws-ec2-security-group-attached",
        controls=controls(nist=("CM-8",)),
        area="network",
        description="Security groups are used by a resource of the stack.",
        severity="low",
        rationale=(
            "An unused group is dead configuration that reviewers still have to read, and whatever is later "
            "attached to it inherits rules nobody remembers. Groups used only by resources outside the stack "
            "can be waived."
        ),
        remediation="Attach the group to the resource it was made for, or delete it.",
        kind="stack",
        resource_types=tokens.SECURITY_GROUP,
        default_level="advisory",
        references=("CKV2_AWS_5",),
    ),
    _users,
    _group_attached,
)


def _peering_routes(view: View, _settings: Settings) -> Iterator[str]:
    routes = (
        [view.props]
        if view.type in tokens.ROUTE
        else [r for r in view.list_("routes") if isinstance(r, Mapping)]
    )
    for route in routes:
        broad = route.get("destinationCidrBlock") in {"0.0.0.0/0"} or route.get("cidrBlock") in {"0.0.0.0/0"}
        if route.get("vpcPeeringConnectionId") and broad:
            yield "a route sends 0.0.0.0/0 over a VPC peering connection; route only the peer's CIDR."


PEERING_ROUTES = ResourceRule(
    RuleMeta(
        name="aws-ec2-route-peering-scoped",
        controls=controls(nist=("SC-7",)),
        area="network",
        description="Routes over VPC peering connections name the peer's CIDR, not 0.0.0.0/0.",
        severity="medium",
        rationale=(
            "A default route over peering sends all traffic, including internet-bound, to the other VPC."
        ),
        remediation="Set destination_cidr_block to the peer VPC's CIDR.",
        kind="resource",
        resource_types=(*tokens.ROUTE, "aws:ec2/routeTable:RouteTable"),
        references=("CKV2_AWS_44",),
    ),
    _peering_routes,
)


@dataclass
class ServingIndex:
    """Model name -> whether each endpoint configuration serving it is serverless."""

    serverless: dict[str, list[bool]] = field(default_factory=dict)


def _serving(stack: Stack) -> ServingIndex:
    index = ServingIndex()
    for config in stack.of_types(tokens.SAGEMAKER_ENDPOINT_CONFIG):
        variants = config.props.get("productionVariants")
        for variant in variants if isinstance(variants, list) else []:  # unknown during preview: skipped
            if not isinstance(variant, Mapping):
                continue
            name = variant.get("modelName")
            if isinstance(name, str):
                index.serverless.setdefault(name, []).append(
                    isinstance(variant.get("serverlessConfig"), Mapping)
                )
    return index


def _model(model: View, index: ServingIndex, _settings: Settings) -> Iterator[str]:
    if model.bool_("enableNetworkIsolation") is True or model.get("vpcConfig") is not None:
        return
    served = index.serverless.get(model.str_("name") or "", [])
    if served and all(served):
        raise Skip(
            "served only by serverless endpoints, where SageMaker supports neither network isolation nor "
            "a VPC"
        )
    yield (
        "neither `enableNetworkIsolation` nor `vpcConfig` is set; the model container can reach the internet."
    )


MODEL_ISOLATION = JoinRule(
    RuleMeta(
        name="aws-sagemaker-model-network-isolation",
        controls=controls(nist=("SC-7",)),
        area="network",
        description=(
            "SageMaker models run with network isolation or in a VPC (except on serverless endpoints)."
        ),
        severity="medium",
        rationale=(
            "An inference container sees every request and the model artifact; without isolation or a VPC it "
            "can send them anywhere. Serverless endpoints support neither setting, so a model served only by "
            "them is reported as not applicable with that reason."
        ),
        remediation="Set enable_network_isolation=True (the model needs no network) or vpc_config.",
        kind="stack",
        resource_types=tokens.SAGEMAKER_MODEL,
        related_types=tokens.SAGEMAKER_ENDPOINT_CONFIG,
        references=("CKV_AWS_370",),
    ),
    _serving,
    _model,
)


def _scaled(stack: Stack) -> set[str]:
    """`table/<name>` resource ids with an Application Auto Scaling target for DynamoDB."""
    return {
        str(target.props.get("resourceId"))
        for target in stack.of_types(tokens.APPAUTOSCALING_TARGET)
        if target.props.get("serviceNamespace") == "dynamodb"
    }


def _autoscaling(table: View, scaled: set[str], _settings: Settings) -> Iterator[str]:
    if (table.str_("billingMode") or "PROVISIONED") != "PROVISIONED":
        return
    if f"table/{table.str_('name')}" not in scaled:
        yield (
            "the provisioned table has no Application Auto Scaling target; use PAY_PER_REQUEST or "
            "autoscale it."
        )


DYNAMODB_AUTOSCALING = JoinRule(
    RuleMeta(
        name="aws-dynamodb-table-autoscaling",
        controls=controls(fsbp=("DynamoDB.1",), nist=("CP-10", "SC-5")),
        area="resilience",
        description="Provisioned-capacity DynamoDB tables autoscale (on-demand tables pass).",
        severity="low",
        rationale="Fixed provisioned capacity throttles at peaks and is paid for when idle.",
        remediation=(
            "Use billing_mode PAY_PER_REQUEST, or add aws.appautoscaling.Target/Policy for read and write "
            "capacity (resource_id table/<name>)."
        ),
        kind="stack",
        resource_types=tokens.DYNAMODB_TABLE,
        related_types=tokens.APPAUTOSCALING_TARGET,
        references=("CKV2_AWS_16",),
    ),
    _scaled,
    _autoscaling,
)

RULES: list[Rule] = [
    DEFAULT_GROUP,
    SUBNET_PUBLIC_IP,
    EIP_ATTACHED,
    SG_ATTACHED,
    PEERING_ROUTES,
    MODEL_ISOLATION,
    DYNAMODB_AUTOSCALING,
]
