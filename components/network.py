"""The VPC: three subnet tiers per AZ, NAT, VPC endpoints, flow logs and the platform's security groups.

Subnet tiers: public (ALB, NAT gateways), private (ECS tasks, Lambda, SageMaker, interface endpoints; egress
through NAT), isolated (RDS; no route out of the VPC). Each tier gets one /24 per AZ, carved from the VPC
CIDR at fixed offsets (public 0-3, private 4-7, isolated 8-11), so addresses never move when `azCount`
changes.

Security groups carry no inline rules; every rule is its own `aws.vpc.SecurityGroup{Ingress,Egress}Rule`, so
groups can reference each other (ALB -> tasks -> database) without a dependency cycle. AWS adds an allow-all
egress rule to new groups; the provider removes it, so a group with no egress rule here has no egress.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.iam import policy_json, service_trust_policy, statement

TIER_OFFSETS: dict[str, int] = {"public": 0, "private": 4, "isolated": 8}
INTERFACE_ENDPOINT_SERVICES: tuple[str, ...] = (
    "sagemaker.api",
    "sagemaker.runtime",
    "ecr.api",
    "ecr.dkr",
    "logs",
    "sts",
    "secretsmanager",
)
INGRESS = aws.vpc.SecurityGroupIngressRule
EGRESS = aws.vpc.SecurityGroupEgressRule
RuleType = type[INGRESS] | type[EGRESS]
POSTGRES_PORT = 5432
HTTPS_PORT = 443
HTTP_PORT = 80
ANYWHERE = "0.0.0.0/0"
WHY_HTTPS_ANYWHERE = (
    "HTTPS to AWS APIs (ECR, CloudWatch, X-Ray, SageMaker, Secrets Manager; via NAT or endpoints) and "
    "external model APIs; destinations have no fixed CIDR"
)


def subnet_cidr(vpc_cidr: str, tier: str, az_index: int) -> str:
    """The /24 of a tier in an AZ: the (offset + az_index)-th /24 of the VPC CIDR."""
    network = ipaddress.ip_network(vpc_cidr)
    index = TIER_OFFSETS[tier] + az_index
    first = int(network.network_address) + index * 256
    subnet = ipaddress.ip_network(f"{ipaddress.ip_address(first)}/24")
    if not subnet.subnet_of(network):  # type: ignore[arg-type]
        raise ValueError(f"{vpc_cidr} has no room for the {tier} subnet of AZ {az_index}")
    return str(subnet)


def _nth(index: int) -> Callable[[Sequence[str]], str]:
    def pick(names: Sequence[str]) -> str:
        if index >= len(names):
            raise ValueError(f"the region offers {len(names)} availability zones; azCount needs {index + 1}")
        return names[index]

    return pick


@dataclass
class NetworkArgs:
    cidr: str
    az_count: int
    nat_gateways: int
    interface_endpoints: bool
    alb_ingress_cidrs: list[str]
    service_ports: list[int]
    """Container ports the ALB forwards to; the tasks group admits exactly these from the ALB group."""
    region: str
    account_id: pulumi.Input[str]
    flow_log_group_name: str
    flow_log_retention_days: int
    logs_key_arn: pulumi.Input[str]


class Network(pulumi.ComponentResource):
    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:network:Network", name, None, opts)
        self._name = name
        self._child = pulumi.ResourceOptions(parent=self)
        self.vpc_cidr = args.cidr
        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags=self._tags("vpc"),
            opts=self._child,
        )
        self.vpc_id: pulumi.Output[str] = self.vpc.id
        # The default group of every VPC allows all traffic between its members; strip it of all rules.
        aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg", vpc_id=self.vpc.id, tags=self._tags("default-closed"), opts=self._child
        )
        zones = aws.get_availability_zones_output(
            state="available",
            filters=[
                aws.GetAvailabilityZonesFilterArgs(name="opt-in-status", values=["opt-in-not-required"])
            ],
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        self.availability_zones = [zones.names.apply(_nth(i)) for i in range(args.az_count)]
        public = self._subnets(args, "public")
        private = self._subnets(args, "private")
        isolated = self._subnets(args, "isolated")
        self.public_subnet_ids: list[pulumi.Output[str]] = [s.id for s in public]
        self.private_subnet_ids: list[pulumi.Output[str]] = [s.id for s in private]
        self.isolated_subnet_ids: list[pulumi.Output[str]] = [s.id for s in isolated]
        nats = self._public_routing(args, public)
        private_tables = self._private_routing(args, private, nats)
        self._isolated_routing(isolated)
        self._gateway_endpoints(args, private_tables)
        self._security_groups(args)
        if args.interface_endpoints:
            self._interface_endpoints(args)
        self._flow_logs(args)
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
                "isolated_subnet_ids": self.isolated_subnet_ids,
                "alb_security_group_id": self.alb_security_group_id,
                "tasks_security_group_id": self.tasks_security_group_id,
                "lambda_security_group_id": self.lambda_security_group_id,
                "sagemaker_security_group_id": self.sagemaker_security_group_id,
                "database_security_group_id": self.database_security_group_id,
            }
        )

    def _tags(self, role: str) -> dict[str, str]:
        return {"Name": f"{self._name}-{role}"}

    def _subnets(self, args: NetworkArgs, tier: str) -> list[aws.ec2.Subnet]:
        return [
            aws.ec2.Subnet(
                f"{self._name}-{tier}-{i}",
                vpc_id=self.vpc.id,
                cidr_block=subnet_cidr(args.cidr, tier, i),
                availability_zone=self.availability_zones[i],
                map_public_ip_on_launch=False,
                tags={**self._tags(f"{tier}-{i}"), "tier": tier},
                opts=self._child,
            )
            for i in range(args.az_count)
        ]

    def _public_routing(self, args: NetworkArgs, public: list[aws.ec2.Subnet]) -> list[aws.ec2.NatGateway]:
        igw = aws.ec2.InternetGateway(
            f"{self._name}-igw", vpc_id=self.vpc.id, tags=self._tags("igw"), opts=self._child
        )
        table = aws.ec2.RouteTable(
            f"{self._name}-public-rt", vpc_id=self.vpc.id, tags=self._tags("public-rt"), opts=self._child
        )
        aws.ec2.Route(
            f"{self._name}-public-default",
            route_table_id=table.id,
            destination_cidr_block=ANYWHERE,
            gateway_id=igw.id,
            opts=self._child,
        )
        for i, subnet in enumerate(public):
            aws.ec2.RouteTableAssociation(
                f"{self._name}-public-rta-{i}", subnet_id=subnet.id, route_table_id=table.id, opts=self._child
            )
        nats = []
        for i in range(args.nat_gateways):
            eip = aws.ec2.Eip(
                f"{self._name}-nat-eip-{i}",
                domain="vpc",
                tags=self._tags(f"nat-eip-{i}"),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[igw]),
            )
            nats.append(
                aws.ec2.NatGateway(
                    f"{self._name}-nat-{i}",
                    allocation_id=eip.id,
                    subnet_id=public[i].id,
                    connectivity_type="public",
                    tags=self._tags(f"nat-{i}"),
                    opts=self._child,
                )
            )
        return nats

    def _private_routing(
        self, args: NetworkArgs, private: list[aws.ec2.Subnet], nats: list[aws.ec2.NatGateway]
    ) -> list[aws.ec2.RouteTable]:
        """One route table per AZ; AZ i leaves through NAT gateway i % natGateways."""
        tables = []
        for i, subnet in enumerate(private):
            table = aws.ec2.RouteTable(
                f"{self._name}-private-rt-{i}",
                vpc_id=self.vpc.id,
                tags=self._tags(f"private-rt-{i}"),
                opts=self._child,
            )
            aws.ec2.Route(
                f"{self._name}-private-default-{i}",
                route_table_id=table.id,
                destination_cidr_block=ANYWHERE,
                nat_gateway_id=nats[i % len(nats)].id,
                opts=self._child,
            )
            aws.ec2.RouteTableAssociation(
                f"{self._name}-private-rta-{i}",
                subnet_id=subnet.id,
                route_table_id=table.id,
                opts=self._child,
            )
            tables.append(table)
        return tables

    def _isolated_routing(self, isolated: list[aws.ec2.Subnet]) -> None:
        """Isolated subnets get a table with only the implicit local route: no way in or out of the VPC."""
        table = aws.ec2.RouteTable(
            f"{self._name}-isolated-rt", vpc_id=self.vpc.id, tags=self._tags("isolated-rt"), opts=self._child
        )
        for i, subnet in enumerate(isolated):
            aws.ec2.RouteTableAssociation(
                f"{self._name}-isolated-rta-{i}",
                subnet_id=subnet.id,
                route_table_id=table.id,
                opts=self._child,
            )

    def _gateway_endpoints(self, args: NetworkArgs, tables: list[aws.ec2.RouteTable]) -> None:
        """S3 and DynamoDB traffic from private subnets stays on the AWS network and skips NAT charges."""
        for service in ("s3", "dynamodb"):
            aws.ec2.VpcEndpoint(
                f"{self._name}-{service}-endpoint",
                vpc_id=self.vpc.id,
                service_name=f"com.amazonaws.{args.region}.{service}",
                vpc_endpoint_type="Gateway",
                route_table_ids=[t.id for t in tables],
                tags=self._tags(f"{service}-endpoint"),
                opts=self._child,
            )

    def _group(self, role: str, description: str) -> aws.ec2.SecurityGroup:
        return aws.ec2.SecurityGroup(
            f"{self._name}-{role}-sg",
            vpc_id=self.vpc.id,
            description=description,
            tags=self._tags(f"{role}-sg"),
            opts=self._child,
        )

    def _rule(
        self,
        kind: RuleType,
        rule: str,
        group: aws.ec2.SecurityGroup,
        description: str,
        *,
        port: int | None,
        cidr: str | None = None,
        peer: pulumi.Input[str] | None = None,
    ) -> None:
        """One ingress or egress rule of `group`: TCP on `port` (all traffic when None) from/to `cidr`
        (IPv4 or IPv6: the rule's matching field) or the security group `peer`."""
        kind(
            f"{self._name}-{rule}",
            security_group_id=group.id,
            description=description,
            ip_protocol="tcp" if port is not None else "-1",
            from_port=port,
            to_port=port,
            cidr_ipv4=cidr if cidr is not None and ipaddress.ip_network(cidr).version == 4 else None,
            cidr_ipv6=cidr if cidr is not None and ipaddress.ip_network(cidr).version == 6 else None,
            referenced_security_group_id=peer,
            opts=self._child,
        )

    def _security_groups(self, args: NetworkArgs) -> None:
        alb = self._group(
            "alb", "Application Load Balancer: HTTPS (and HTTP for the redirect) from allowed CIDRs"
        )
        tasks = self._group("tasks", "ECS tasks: service ports from the ALB only")
        lam = self._group("lambda", "Lambda functions: no ingress")
        sagemaker = self._group("sagemaker", "SageMaker training and endpoints: traffic between members only")
        database = self._group("database", "RDS PostgreSQL: 5432 from ECS tasks and Lambda only")
        for i, cidr in enumerate(args.alb_ingress_cidrs):
            self._rule(INGRESS, f"alb-https-{i}", alb, f"HTTPS from {cidr}", port=HTTPS_PORT, cidr=cidr)
            self._rule(
                INGRESS,
                f"alb-http-{i}",
                alb,
                f"HTTP from {cidr}, only redirected to HTTPS",
                port=HTTP_PORT,
                cidr=cidr,
            )
        for port in args.service_ports:
            self._rule(
                EGRESS, f"alb-to-tasks-{port}", alb, f"Forward to tasks on {port}", port=port, peer=tasks.id
            )
            self._rule(
                INGRESS, f"tasks-from-alb-{port}", tasks, f"From the ALB on {port}", port=port, peer=alb.id
            )
        for role, group in (("tasks", tasks), ("lambda", lam)):
            self._rule(EGRESS, f"{role}-https", group, WHY_HTTPS_ANYWHERE, port=HTTPS_PORT, cidr=ANYWHERE)
            self._rule(
                EGRESS, f"{role}-to-database", group, "PostgreSQL", port=POSTGRES_PORT, peer=database.id
            )
            self._rule(
                INGRESS,
                f"database-from-{role}",
                database,
                f"PostgreSQL from {role}",
                port=POSTGRES_PORT,
                peer=group.id,
            )
        for kind, rule in ((INGRESS, "sagemaker-from-self"), (EGRESS, "sagemaker-to-self")):
            self._rule(
                kind, rule, sagemaker, "Distributed training between members", port=None, peer=sagemaker.id
            )
        self._rule(EGRESS, "sagemaker-https", sagemaker, WHY_HTTPS_ANYWHERE, port=HTTPS_PORT, cidr=ANYWHERE)
        self.alb_security_group_id: pulumi.Output[str] = alb.id
        self.tasks_security_group_id: pulumi.Output[str] = tasks.id
        self.lambda_security_group_id: pulumi.Output[str] = lam.id
        self.sagemaker_security_group_id: pulumi.Output[str] = sagemaker.id
        self.database_security_group_id: pulumi.Output[str] = database.id

    def _interface_endpoints(self, args: NetworkArgs) -> None:
        group = self._group("endpoints", "Interface VPC endpoints: HTTPS from inside the VPC")
        self._rule(INGRESS, "endpoints-https", group, "HTTPS from the VPC", port=HTTPS_PORT, cidr=args.cidr)
        for service in INTERFACE_ENDPOINT_SERVICES:
            role = service.replace(".", "-")
            aws.ec2.VpcEndpoint(
                f"{self._name}-{role}-endpoint",
                vpc_id=self.vpc.id,
                service_name=f"com.amazonaws.{args.region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                subnet_ids=self.private_subnet_ids,
                security_group_ids=[group.id],
                tags=self._tags(f"{role}-endpoint"),
                opts=self._child,
            )

    def _flow_logs(self, args: NetworkArgs) -> None:
        group = aws.cloudwatch.LogGroup(
            f"{self._name}-flow-logs",
            name=args.flow_log_group_name,
            retention_in_days=args.flow_log_retention_days,
            kms_key_id=args.logs_key_arn,
            tags=self._tags("flow-logs"),
            opts=self._child,
        )
        role = aws.iam.Role(
            f"{self._name}-flow-logs-role",
            description="VPC flow logs delivery to its log group",
            assume_role_policy=service_trust_policy("vpc-flow-logs.amazonaws.com", args.account_id),
            tags=self._tags("flow-logs-role"),
            opts=self._child,
        )
        aws.iam.RolePolicy(
            f"{self._name}-flow-logs-policy",
            role=role.id,
            policy=policy_json(
                [
                    statement(
                        "WriteFlowLogStreams",
                        ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                        [group.arn, pulumi.Output.concat(group.arn, ":log-stream:*")],
                    )
                ]
            ),
            opts=self._child,
        )
        aws.ec2.FlowLog(
            f"{self._name}-flow-log",
            vpc_id=self.vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=group.arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=60,
            tags=self._tags("flow-log"),
            opts=self._child,
        )
