"""A small deployed stack as `pulumi stack export` would write it, shared by the CLI and right-sizing tests.

The stack (project data-ai-platform, stack prod, us-east-1): one NAT gateway, a SageMaker endpoint on two
ml.m5.xlarge, an RDS PostgreSQL db.m5.xlarge (Single-AZ, 100 GB gp3), a Fargate service with two 1 vCPU / 2 GB
tasks, and an IAM role. Outputs carry the deployed names CloudWatch knows them by.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inventory import load_stack_export

STACK = "prod"
PROJECT = "data-ai-platform"
ACCOUNT = "111122223333"
CLUSTER_ARN = f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/prod-cluster-7f3a"
TASK_ARN = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/rag-api:3"
ENDPOINT_NAME = "prod-endpoint-5c1d"
DB_IDENTIFIER = "prod-db-0e9b"
SERVICE_NAME = "rag-api-41aa"


def urn(type_token: str, name: str, parent_type: str = "") -> str:
    chain = f"{parent_type}${type_token}" if parent_type else type_token
    return f"urn:pulumi:{STACK}::{PROJECT}::{chain}::{name}"


ROOT = urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}")
PROVIDER = urn("pulumi:providers:aws", "default_7_51_1")


def _state(
    type_token: str,
    name: str,
    inputs: dict[str, Any],
    outputs: dict[str, Any] | None = None,
    deps: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    return {
        "urn": urn(type_token, name),
        "custom": True,
        "id": f"{name}-id",
        "type": type_token,
        "inputs": inputs,
        "outputs": {**inputs, **(outputs or {})},
        "parent": ROOT,
        "provider": f"{PROVIDER}::provider-id",
        "dependencies": sorted({u for us in (deps or {}).values() for u in us}),
        "propertyDependencies": deps or {},
    }


CONFIG_URN = urn("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "prod-endpoint-config")
CLUSTER_URN = urn("aws:ecs/cluster:Cluster", "prod-cluster")
TASK_URN = urn("aws:ecs/taskDefinition:TaskDefinition", "rag-api-task")


def export_states(
    *,
    endpoint_type: str = "ml.m5.xlarge",
    db_class: str = "db.m5.xlarge",
    task: tuple[str, str] = ("1024", "2048"),
) -> list[dict[str, Any]]:
    variant = {"variantName": "AllTraffic", "instanceType": endpoint_type, "initialInstanceCount": 2}
    return [
        {"urn": ROOT, "custom": False, "type": "pulumi:pulumi:Stack", "outputs": {}},
        {
            "urn": PROVIDER,
            "custom": True,
            "id": "provider-id",
            "type": "pulumi:providers:aws",
            "inputs": {"region": "us-east-1"},
            "outputs": {"region": "us-east-1"},
        },
        _state(
            "aws:ec2/natGateway:NatGateway",
            "prod-nat-0",
            {"allocationId": "eipalloc-0a1", "subnetId": "subnet-0b2", "connectivityType": "public"},
        ),
        _state(
            "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
            "prod-endpoint-config",
            {"productionVariants": [variant]},
            {"name": "prod-endpoint-config-9d2e"},
        ),
        _state(
            "aws:sagemaker/endpoint:Endpoint",
            "prod-endpoint",
            {"endpointConfigName": "prod-endpoint-config-9d2e"},
            {"name": ENDPOINT_NAME},
            {"endpointConfigName": [CONFIG_URN]},
        ),
        _state(
            "aws:rds/instance:Instance",
            "prod-db",
            {
                "engine": "postgres",
                "instanceClass": db_class,
                "allocatedStorage": 100,
                "storageType": "gp3",
                "multiAz": False,
            },
            {"identifier": DB_IDENTIFIER},
        ),
        _state(
            "aws:ecs/cluster:Cluster", "prod-cluster", {}, {"name": "prod-cluster-7f3a", "arn": CLUSTER_ARN}
        ),
        _state(
            "aws:ecs/taskDefinition:TaskDefinition",
            "rag-api-task",
            {
                "cpu": task[0],
                "memory": task[1],
                "requiresCompatibilities": ["FARGATE"],
                "networkMode": "awsvpc",
            },
            {"arn": TASK_ARN},
        ),
        _state(
            "aws:ecs/service:Service",
            "rag-api",
            {"cluster": CLUSTER_ARN, "taskDefinition": TASK_ARN, "desiredCount": 2, "launchType": "FARGATE"},
            {"name": SERVICE_NAME},
            {"cluster": [CLUSTER_URN], "taskDefinition": [TASK_URN]},
        ),
        _state("aws:iam/role:Role", "api-role", {"assumeRolePolicy": "{}"}),
    ]


def write_export(path: Path, **sizes: Any) -> Path:
    doc = {"version": 3, "deployment": {"manifest": {}, "resources": export_states(**sizes)}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_the_export_loads_as_a_deployed_inventory(tmp_path: Path) -> None:
    inventory = load_stack_export(write_export(tmp_path / "prod.json"))
    assert (inventory.project, inventory.stack, inventory.source) == (PROJECT, STACK, "stack-export")
    assert [r.name for r in inventory.custom()] == [
        "prod-nat-0",
        "prod-endpoint-config",
        "prod-endpoint",
        "prod-db",
        "prod-cluster",
        "rag-api-task",
        "rag-api",
        "api-role",
    ]


TINY_PROGRAM = '''"""Test program: `natCount` NAT gateways."""

import pulumi
import pulumi_aws as aws

for index in range(pulumi.Config().get_int("natCount") or 1):
    aws.ec2.NatGateway(f"nat-{index}", subnet_id="subnet-0abc", allocation_id=f"eipalloc-{index}")
'''


def write_program(directory: Path, stacks: dict[str, str], project: str = PROJECT) -> Path:
    """A Pulumi program directory; `stacks` maps a stack name to the YAML under its `config:`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {project}\nruntime: python\n", encoding="utf-8")
    (directory / "__main__.py").write_text(TINY_PROGRAM, encoding="utf-8")
    for stack, config in stacks.items():
        body = "".join(f"  {line}\n" for line in config.strip().splitlines())
        (directory / f"Pulumi.{stack}.yaml").write_text(f"config:\n{body}", encoding="utf-8")
    return directory
