"""What can be right-sized in an inventory: SageMaker endpoints, RDS instances and Fargate ECS services.

A target is the resource the estimator prices (the endpoint, the DB instance, the ECS service), its current
size, and, for a deployed stack, the CloudWatch metrics that show its utilization.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cost.pricing.links import Links
from cost.rightsizing.metrics import MetricQuery
from cost.rightsizing.sizes import TaskSize
from inventory.model import UNKNOWN, Inventory, Resource

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
ENDPOINT_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
DB_INSTANCE = "aws:rds/instance:Instance"
ECS_SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"

SAGEMAKER, RDS, ECS = "SageMaker endpoint", "RDS instance", "ECS service"


@dataclass(frozen=True)
class Target:
    kind: str
    resource: Resource
    region: str
    size: str | TaskSize
    """The instance type / DB instance class, or the Fargate task size."""
    variants: tuple[str, ...] = ()
    """SageMaker production variant names (CloudWatch reports per variant)."""


def _known(value: object) -> str | None:
    return value if isinstance(value, str) and value and value != UNKNOWN else None


def _endpoint(resource: Resource, inventory: Inventory, links: Links) -> Target | None:
    config = links.ref(resource, "endpointConfigName", ENDPOINT_CONFIG)
    variants = (
        [v for v in (config.inputs.get("productionVariants") or []) if v.get("instanceType")]
        if config
        else []
    )
    types = {_known(v.get("instanceType")) for v in variants}
    if len(types) != 1 or None in types:
        return None  # serverless, unknown, or variants of different types: nothing one resize can change
    names = tuple(str(v.get("variantName") or "AllTraffic") for v in variants)
    return Target(SAGEMAKER, resource, inventory.region_of(resource), str(types.pop()), names)


def _db(resource: Resource, inventory: Inventory) -> Target | None:
    instance_class = _known(resource.inputs.get("instanceClass"))
    return Target(RDS, resource, inventory.region_of(resource), instance_class) if instance_class else None


def _service(resource: Resource, inventory: Inventory, links: Links) -> Target | None:
    task = links.ref(resource, "taskDefinition", TASK_DEFINITION)
    if task is None or str(resource.inputs.get("launchType") or "FARGATE") != "FARGATE":
        return None
    try:
        size = TaskSize(
            int(Decimal(str(task.inputs.get("cpu")))), int(Decimal(str(task.inputs.get("memory"))))
        )
    except (InvalidOperation, ValueError):
        return None
    return Target(ECS, resource, inventory.region_of(resource), size)


def find_targets(inventory: Inventory) -> list[Target]:
    """Every resource right-sizing can act on, in inventory order."""
    links = Links(inventory.resources)
    found: list[Target | None] = []
    for resource in inventory.custom():
        if resource.type == ENDPOINT:
            found.append(_endpoint(resource, inventory, links))
        elif resource.type == DB_INSTANCE:
            found.append(_db(resource, inventory))
        elif resource.type == ECS_SERVICE:
            found.append(_service(resource, inventory, links))
    return [t for t in found if t is not None]


# --- deployed identifiers -----------------------------------------------------------------------------------


def _deployed(resource: Resource, *keys: str) -> str | None:
    for key in keys:
        value = _known(resource.outputs.get(key))
        if value:
            return value
    return None


Dimensions = tuple[tuple[str, str], ...]
Plan = tuple[list[MetricQuery], str]
"""A target's metric queries, or none and why not."""


def _queries(
    target: Target, namespace: str, metrics: tuple[str, str], dims: Dimensions, tag: str = ""
) -> list:
    return [MetricQuery(f"{target.resource.urn}|{m}|{tag}", namespace, m, dims) for m in metrics]


def _endpoint_plan(target: Target) -> Plan:
    name = _deployed(target.resource, "name")
    if not name:
        return [], "the endpoint's deployed name is not in the inventory"
    metrics = ("CPUUtilization", "MemoryUtilization")
    queries = []
    for variant in target.variants:
        dims: Dimensions = (("EndpointName", name), ("VariantName", variant))
        queries += _queries(target, "/aws/sagemaker/Endpoints", metrics, dims, variant)
    return queries, ""


def _db_plan(target: Target) -> Plan:
    name = _deployed(target.resource, "identifier")
    if not name:
        return [], "the DB instance's identifier is not in the inventory"
    return _queries(
        target, "AWS/RDS", ("CPUUtilization", "FreeableMemory"), (("DBInstanceIdentifier", name),)
    ), ""


def _service_plan(target: Target) -> Plan:
    name, cluster = _deployed(target.resource, "name"), _deployed(target.resource, "cluster")
    if not name or not cluster:
        return [], "the service's deployed name or cluster is not in the inventory"
    dims: Dimensions = (("ClusterName", cluster.rsplit("/", 1)[-1]), ("ServiceName", name))
    return _queries(target, "AWS/ECS", ("CPUUtilization", "MemoryUtilization"), dims), ""


def metric_queries(target: Target) -> Plan:
    """The CPU and memory metrics of a deployed target, or ([], why not) when its identifiers are unknown."""
    plan = {SAGEMAKER: _endpoint_plan, RDS: _db_plan, ECS: _service_plan}[target.kind]
    return plan(target)
