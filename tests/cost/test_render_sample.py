"""Hand-built cost reports shared by the renderer, diff and CLI tests (imported as a sibling module).

Every figure is worked out by hand from unit prices so the tests can assert exact dollar amounts:
NAT gateway 730 h x $0.045 = $32.85; Fargate 1,460 vCPU-h x $0.04048 = $59.1008 and 2,920 GB-h x $0.004445 =
$12.9794 (2 tasks, $72.0802; 20 tasks at most, $720.802); S3 1,000 GB x $0.023 = $23.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from cost.model import CostComponent, CostReport, ResourceCost, Saving

PREFIX = "urn:pulumi:{stack}::data-ai-platform::"


def urn(stack: str, chain: str, name: str) -> str:
    return PREFIX.format(stack=stack) + f"{chain}::{name}"


def nat(stack: str = "prod", hours: str = "730") -> ResourceCost:
    monthly = D(hours) * D("0.045")
    return ResourceCost(
        urn=urn(stack, "data-ai-platform:network:Network$aws:ec2/natGateway:NatGateway", "prod-nat-0"),
        type="aws:ec2/natGateway:NatGateway",
        name="prod-nat-0",
        component="prod-network",
        service="Amazon VPC",
        region="us-east-1",
        status="priced",
        reason="",
        monthly_usd=monthly,
        min_usd=monthly,
        max_usd=monthly,
        components=[
            CostComponent("NAT gateway", "hours", D(hours), D("0.045"), monthly, False, "nat_gateway.hours"),
            CostComponent("Data processed", "GB", None, D("0.045"), D(0), True, "nat_gateway.gb"),
        ],
    )


def fargate(stack: str = "prod") -> ResourceCost:
    return ResourceCost(
        urn=urn(stack, "data-ai-platform:containers:Containers$aws:ecs/service:Service", "rag-api"),
        type="aws:ecs/service:Service",
        name="rag-api",
        component="prod-containers",
        service="AWS Fargate",
        region="us-east-1",
        status="priced",
        reason="",
        monthly_usd=D("72.0802"),
        min_usd=D("72.0802"),
        max_usd=D("720.802"),
        components=[
            CostComponent(
                "vCPU (FARGATE)", "vCPU-hours", D(1460), D("0.04048"), D("59.1008"), False, "fargate.vcpu"
            ),
            CostComponent(
                "Memory (FARGATE)", "GB-hours", D(2920), D("0.004445"), D("12.9794"), False, "fargate.gb"
            ),
        ],
    )


def bucket(stack: str = "prod", gb: str = "1000") -> ResourceCost:
    monthly = D(gb) * D("0.023")
    return ResourceCost(
        urn=urn(stack, "data-ai-platform:data:DataLake$aws:s3/bucket:Bucket", "data-lake"),
        type="aws:s3/bucket:Bucket",
        name="data-lake",
        component="prod-data",
        service="Amazon S3",
        region="us-east-1",
        status="priced",
        reason="",
        monthly_usd=monthly,
        min_usd=monthly,
        max_usd=monthly,
        components=[
            CostComponent("Storage (STANDARD)", "GB-months", D(gb), D("0.023"), monthly, True, "s3.std")
        ],
    )


ENDPOINT_REASON = "no price 'sagemaker.hosting.ml.m5.xlarge' for us-east-1 in the catalog"


def endpoint(stack: str = "prod") -> ResourceCost:
    return ResourceCost(
        urn=urn(stack, "data-ai-platform:ml:Ml$aws:sagemaker/endpoint:Endpoint", "ml-endpoint"),
        type="aws:sagemaker/endpoint:Endpoint",
        name="ml-endpoint",
        component="prod-ml",
        service="Amazon SageMaker",
        region="us-east-1",
        status="unpriced",
        reason=ENDPOINT_REASON,
        monthly_usd=D(0),
        min_usd=D(0),
        max_usd=D(0),
        components=[CostComponent("Instance (ml.m5.xlarge)", "hours", D(1460), None, D(0), False, None)],
    )


def role(stack: str = "prod") -> ResourceCost:
    return ResourceCost(
        urn=urn(stack, "aws:iam/role:Role", "api-role"),
        type="aws:iam/role:Role",
        name="api-role",
        component=None,
        service="AWS IAM",
        region="us-east-1",
        status="free",
        reason="IAM roles are free",
        monthly_usd=D(0),
        min_usd=D(0),
        max_usd=D(0),
    )


def function(stack: str = "prod") -> ResourceCost:
    return ResourceCost(
        urn=urn(stack, "aws:lambda/function:Function", "processor"),
        type="aws:lambda/function:Function",
        name="processor",
        component=None,
        service="AWS Lambda",
        region="us-east-1",
        status="usage-dependent",
        reason="",
        monthly_usd=D(0),
        min_usd=D(0),
        max_usd=D(0),
        components=[
            CostComponent("Requests", "1M requests", None, D("0.20"), D(0), True, "lambda.requests"),
            CostComponent("Duration", "GB-seconds", None, D("0.0000166667"), D(0), True, "lambda.gb_s"),
        ],
    )


SPOT = Saving(
    "spot", "", "rag-api", "FARGATE_SPOT for tasks above the base", D("72.0802"), D("46.8521"), D("25.2281")
)
SHARED_ALB = Saving(
    "shared-alb", "", "api-alb", "one ALB for all services", D("32.85"), D("16.425"), D("16.425")
)


def report(stack: str = "prod", resources: list[ResourceCost] | None = None) -> CostReport:
    """A report whose totals are the sums of its resources (as the estimator computes them)."""
    items = (
        resources
        if resources is not None
        else [nat(stack), fargate(stack), bucket(stack), endpoint(stack), role(stack), function(stack)]
    )
    total = sum((r.monthly_usd for r in items), D(0))
    low = sum((r.min_usd for r in items), D(0))
    high = sum((r.max_usd for r in items), D(0))
    return CostReport(
        project="data-ai-platform",
        stack=stack,
        region="us-east-1",
        catalog_date="2026-11-26",
        resources=items,
        savings=[dataclasses.replace(SPOT, urn=items[1].urn), SHARED_ALB] if resources is None else [],
        total_monthly_usd=total,
        range=(low, total, high),
        unpriced=[r for r in items if r.status == "unpriced"],
    )


def test_sample_totals_are_worked_out_by_hand() -> None:
    sample = report()
    assert sample.total_monthly_usd == D("127.9302")  # 32.85 + 72.0802 + 23
    assert sample.range == (D("127.9302"), D("127.9302"), D("776.652"))  # Fargate at 20 tasks: 720.802
    assert [r.name for r in sample.unpriced] == ["ml-endpoint"]
