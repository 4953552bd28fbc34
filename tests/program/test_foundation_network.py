"""The network of each stack: subnets, NAT, endpoints, flow logs and what the security groups let through."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from stackview import STACKS, StackView

from components.network import subnet_cidr

pytestmark = pytest.mark.slow

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
NAT = "aws:ec2/natGateway:NatGateway"
ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"

# stack -> (VPC CIDR, AZs, NAT gateways, interface endpoints on)
EXPECTED = {
    "dev": ("10.10.0.0/16", 2, 1, False),
    "staging": ("10.20.0.0/16", 2, 1, True),
    "prod": ("10.30.0.0/16", 3, 3, True),
}
SERVICE_PORTS = {8000, 8080, 8081}

Views = Callable[[str], StackView]


@pytest.mark.parametrize("stack", STACKS)
def test_vpc_has_dns_and_the_stack_cidr(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    [vpc] = view.of_type(VPC)
    assert vpc.inputs["cidrBlock"] == EXPECTED[stack][0]
    assert vpc.inputs["enableDnsHostnames"] is True
    assert vpc.inputs["enableDnsSupport"] is True


@pytest.mark.parametrize("stack", STACKS)
def test_three_tiers_of_24s_per_az_in_distinct_azs(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    cidr, azs, _, _ = EXPECTED[stack]
    subnets = {r.name: r for r in view.of_type(SUBNET)}
    expected = {f"network-{tier}-{i}" for tier in ("public", "private", "isolated") for i in range(azs)}
    assert set(subnets) == expected
    for tier, offset in (("public", 0), ("private", 4), ("isolated", 8)):
        tier_subnets = [subnets[f"network-{tier}-{i}"] for i in range(azs)]
        base = cidr.rsplit(".", 2)[0]
        assert [s.inputs["cidrBlock"] for s in tier_subnets] == [
            f"{base}.{offset + i}.0/24" for i in range(azs)
        ]
        assert len({s.inputs["availabilityZone"] for s in tier_subnets}) == azs
        assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in tier_subnets)


def test_subnet_cidrs_are_carved_at_fixed_offsets() -> None:
    assert subnet_cidr("10.30.0.0/16", "private", 2) == "10.30.6.0/24"
    assert subnet_cidr("172.16.16.0/20", "isolated", 2) == "172.16.26.0/24"
    with pytest.raises(ValueError, match="has no room for the isolated subnet of AZ 9"):
        subnet_cidr("172.16.16.0/20", "isolated", 9)


@pytest.mark.parametrize("stack", STACKS)
def test_nat_gateways_and_private_routes(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    _, azs, nat_count, _ = EXPECTED[stack]
    nats = sorted(view.of_type(NAT), key=lambda r: r.name)
    assert [n.name for n in nats] == [f"network-nat-{i}" for i in range(nat_count)]
    public_ids = {view.ident(f"network-public-{i}") for i in range(azs)}
    assert {n.inputs["subnetId"] for n in nats} <= public_ids
    nat_ids = [view.ident(n.name) for n in nats]
    for i in range(azs):
        route = view.named(f"network-private-default-{i}")
        assert route.inputs["destinationCidrBlock"] == "0.0.0.0/0"
        assert route.inputs["natGatewayId"] == nat_ids[i % nat_count]


@pytest.mark.parametrize("stack", STACKS)
def test_isolated_subnets_have_no_route_out(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    isolated_table = view.ident("network-isolated-rt")
    assert not [r for r in view.of_type(ROUTE) if r.inputs["routeTableId"] == isolated_table]
    isolated = {view.ident(f"network-isolated-{i}") for i in range(EXPECTED[stack][1])}
    tables = {a.inputs["subnetId"]: a.inputs["routeTableId"] for a in view.of_type(ASSOCIATION)}
    assert {tables[s] for s in isolated} == {isolated_table}


@pytest.mark.parametrize("stack", STACKS)
def test_vpc_endpoints(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    interface_on = EXPECTED[stack][3]
    endpoints = view.of_type(ENDPOINT)
    gateway = {e.inputs["serviceName"] for e in endpoints if e.inputs["vpcEndpointType"] == "Gateway"}
    interface = {e.inputs["serviceName"] for e in endpoints if e.inputs["vpcEndpointType"] == "Interface"}
    assert gateway == {"com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.dynamodb"}
    services = ("sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "logs", "sts", "secretsmanager")
    expected = {f"com.amazonaws.us-east-1.{s}" for s in services} if interface_on else set()
    assert interface == expected
    for endpoint in endpoints:
        if endpoint.inputs["vpcEndpointType"] == "Interface":
            assert endpoint.inputs["privateDnsEnabled"] is True
            assert endpoint.inputs["securityGroupIds"] == [view.ident("network-endpoints-sg")]


@pytest.mark.parametrize("stack", STACKS)
def test_flow_logs_go_to_a_kms_encrypted_group_through_a_scoped_role(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    flow_log = view.named("network-flow-log")
    group = view.named("network-flow-logs")
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["logDestination"] == group.outputs["arn"]
    assert group.inputs["kmsKeyId"] == view.arn("keys-logs")
    assert group.inputs["retentionInDays"] == {"dev": 14, "staging": 30, "prod": 365}[stack]
    assert group.inputs["name"] == f"/aws/vpc/data-ai-platform-{stack}/flow-logs"
    policy = view.named("network-flow-logs-policy")
    [(_, document)] = [(r, d) for r, d in view.policy_documents() if r is policy]
    [grant] = document["Statement"]
    assert grant["Resource"] == [group.outputs["arn"], group.outputs["arn"] + ":log-stream:*"]


def _rules(view: StackView, token: str, group: str) -> set[tuple[str, int | None, str]]:
    """(protocol, port, peer) of every rule of `group`; the peer is a CIDR or a security group's name."""
    names = {view.ident(r.name): r.name for r in view.of_type("aws:ec2/securityGroup:SecurityGroup")}
    group_id = view.ident(group)
    return {
        (
            r.inputs["ipProtocol"],
            r.inputs.get("fromPort"),
            r.inputs.get("cidrIpv4") or names[r.inputs["referencedSecurityGroupId"]],
        )
        for r in view.of_type(token)
        if r.inputs["securityGroupId"] == group_id
    }


@pytest.mark.parametrize("stack", STACKS)
def test_security_groups_open_only_what_is_needed(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    cidrs = {"dev": "10.0.0.0/8", "staging": "10.0.0.0/8", "prod": "0.0.0.0/0"}[stack]
    assert _rules(view, INGRESS, "network-alb-sg") == {("tcp", 443, cidrs), ("tcp", 80, cidrs)}
    assert _rules(view, EGRESS, "network-alb-sg") == {("tcp", p, "network-tasks-sg") for p in SERVICE_PORTS}
    assert _rules(view, INGRESS, "network-tasks-sg") == {("tcp", p, "network-alb-sg") for p in SERVICE_PORTS}
    assert _rules(view, INGRESS, "network-lambda-sg") == set()
    assert _rules(view, INGRESS, "network-database-sg") == {
        ("tcp", 5432, "network-tasks-sg"),
        ("tcp", 5432, "network-lambda-sg"),
    }
    assert _rules(view, EGRESS, "network-database-sg") == set()
    for workload in ("network-tasks-sg", "network-lambda-sg"):
        assert _rules(view, EGRESS, workload) == {
            ("tcp", 443, "0.0.0.0/0"),
            ("tcp", 5432, "network-database-sg"),
        }
    assert _rules(view, INGRESS, "network-sagemaker-sg") == {("-1", None, "network-sagemaker-sg")}


@pytest.mark.parametrize("stack", STACKS)
def test_no_group_admits_the_internet_except_the_alb_on_443_and_80(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    alb = view.ident("network-alb-sg")
    open_rules = {
        (r.inputs["securityGroupId"], r.inputs["fromPort"], r.inputs["toPort"])
        for r in view.of_type(INGRESS)
        if r.inputs.get("cidrIpv4") == "0.0.0.0/0" or r.inputs.get("cidrIpv6") == "::/0"
    }
    assert open_rules <= {(alb, 443, 443), (alb, 80, 80)}
    inline = [g.name for g in view.of_type("aws:ec2/securityGroup:SecurityGroup") if g.inputs.get("ingress")]
    assert inline == []
    [default] = view.of_type("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert not default.inputs.get("ingress") and not default.inputs.get("egress")
    internet_egress = {
        r.inputs["fromPort"] for r in view.of_type(EGRESS) if r.inputs.get("cidrIpv4") == "0.0.0.0/0"
    }
    assert internet_egress == {443}
