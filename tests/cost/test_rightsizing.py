"""Right-sizing: size ladders, offline recommendations from the usage file, CloudWatch metrics (moto)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from test_cli_support import CLUSTER_ARN, DB_IDENTIFIER, ENDPOINT_NAME, SERVICE_NAME, write_export

from cost.rightsizing import cloudwatch_recommendations, offline_recommendations, offline_savings
from cost.rightsizing.metrics import MetricQuery, fetch_series, p95
from cost.rightsizing.sizes import (
    TaskSize,
    fitting_task_size,
    neighbour,
    rds_instance_classes,
    sagemaker_endpoint_types,
    size_rank,
)
from cost.usage import Usage
from inventory import load_stack_export
from inventory.errors import InputError
from inventory.model import Inventory

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def inventory(tmp_path: Path) -> Inventory:
    return load_stack_export(write_export(tmp_path / "prod.json"))


def usage(**by_name: tuple[int, int]) -> Usage:
    return Usage.model_validate(
        {
            "resources": {
                n: {"utilization": {"cpuPercent": c, "memoryPercent": m}} for n, (c, m) in by_name.items()
            }
        }
    )


# --- sizes --------------------------------------------------------------------------------------------------


def test_size_ranks_order_a_family() -> None:
    sizes = ["2xlarge", "medium", "xlarge", "metal", "large", "12xlarge", "micro"]
    assert sorted((s for s in sizes if size_rank(s) is not None), key=size_rank) == [  # type: ignore[arg-type]
        "micro",
        "medium",
        "large",
        "xlarge",
        "2xlarge",
        "12xlarge",
    ]


def test_next_sagemaker_size_from_botocores_enum() -> None:
    valid = sagemaker_endpoint_types()
    assert neighbour("ml.m5.xlarge", valid, -1) == "ml.m5.large"
    assert neighbour("ml.m5.xlarge", valid, +1) == "ml.m5.2xlarge"
    assert neighbour("ml.m5.large", valid, -1) is None  # the smallest m5 SageMaker offers
    assert neighbour("ml.m5.24xlarge", valid, +1) is None


def test_next_rds_class_skips_sizes_rds_does_not_offer() -> None:
    valid = rds_instance_classes()
    assert neighbour("db.m6g.large", valid, -1) is None  # no db.m6g.medium although EC2 has m6g.medium
    assert neighbour("db.m6g.large", valid, +1) == "db.m6g.xlarge"
    assert neighbour("db.t3.medium", valid, -1) == "db.t3.small"
    assert "db.m5.large" in valid and "db.m5.medium" not in valid


@pytest.mark.parametrize(
    ("cpu", "memory", "expected"),
    [
        (D(20), D(25), TaskSize(512, 1024)),  # needs 341 units and 853 MiB at 60%
        (D(85), D(30), TaskSize(2048, 4096)),  # needs 1451 units: 2 vCPU, whose smallest memory is 4 GB
        (D(50), D(95), TaskSize(1024, 4096)),  # memory-bound: 3243 MiB
        (D(5), D(5), TaskSize(256, 512)),  # the smallest Fargate size
    ],
)
def test_fargate_fits_the_smallest_valid_pair(cpu: D, memory: D, expected: TaskSize) -> None:
    assert fitting_task_size(TaskSize(1024, 2048), cpu, memory, D(60)) == expected


def test_p95_is_nearest_rank_so_one_spike_does_not_count() -> None:
    assert p95([20.0] * 47 + [95.0]) == D(20)
    assert p95([float(v) for v in range(1, 101)]) == D(95)
    assert p95([]) is None


# --- offline ------------------------------------------------------------------------------------------------


def test_offline_recommendations_priced_through_the_estimator(inventory: Inventory) -> None:
    found = offline_recommendations(
        inventory, usage(**{"prod-endpoint": (10, 15), "rag-api": (20, 25), "prod-db": (50, 60)})
    )
    assert [
        (r.target.resource.name, r.action, r.current, r.proposed, r.monthly_saving_usd) for r in found
    ] == [
        (
            "prod-endpoint",
            "downsize",
            "ml.m5.xlarge",
            "ml.m5.large",
            D("167.9"),
        ),  # 2 x 730 h x ($0.23 - $0.115)
        ("prod-db", "keep", "db.m5.xlarge", None, None),
        # 2 tasks x 730 h x (0.5 vCPU x $0.04048 + 1 GB x $0.004445) = $36.0401 instead of $72.0802
        ("rag-api", "downsize", "1 vCPU / 2 GB", "0.5 vCPU / 1 GB", D("36.0401")),
    ]
    assert (
        found[1].reason
        == "CPU 50%, memory 60% (usage file) (within 30-80% or not enough figures to downsize)"
    )


def test_offline_savings_are_report_savings(inventory: Inventory) -> None:
    savings = offline_savings(inventory, usage(**{"prod-endpoint": (10, 15)}))
    assert [(s.kind, s.name, s.baseline_usd, s.optimized_usd, s.monthly_saving_usd) for s in savings] == [
        ("rightsizing", "prod-endpoint", D("335.8"), D("167.9"), D("167.9"))
    ]
    assert savings[0].description == (
        "downsize ml.m5.xlarge -> ml.m5.large: mostly idle, CPU 10%, memory 15% (usage file) (below 30%)"
    )


def test_upsizing_without_a_catalog_price_says_why_and_is_not_a_saving(inventory: Inventory) -> None:
    found = offline_recommendations(inventory, usage(**{"prod-db": (90, 40)}))
    assert [(r.action, r.proposed, r.monthly_saving_usd) for r in found] == [
        ("upsize", "db.m5.2xlarge", None)
    ]
    assert (
        "saving unknown: " in found[0].reason and "rds.postgresql.db.m5.2xlarge.single_az" in found[0].reason
    )
    assert offline_savings(inventory, usage(**{"prod-db": (90, 40)})) == []


def test_one_low_figure_is_not_enough_to_downsize(inventory: Inventory) -> None:
    only_cpu = Usage.model_validate({"resources": {"prod-endpoint": {"utilization": {"cpuPercent": 5}}}})
    assert [r.action for r in offline_recommendations(inventory, only_cpu)] == ["keep"]


# --- CloudWatch (moto) --------------------------------------------------------------------------------------


def put_hourly(
    cw, namespace: str, metric: str, dims: dict[str, str], values: list[float], end: datetime
) -> None:
    data = [
        {
            "MetricName": metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
            "Timestamp": end - timedelta(hours=hour, minutes=30),
            "Value": value,
        }
        for hour, value in enumerate(values)
    ]
    cw.put_metric_data(Namespace=namespace, MetricData=data)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        yield boto3.client("cloudwatch", region_name="us-east-1")


def deployed_metrics(cw, hours: int = 48, end: datetime = NOW) -> None:
    """48 hours of metrics up to `end`: endpoint and DB idle, the Fargate service hot."""
    endpoint = {"EndpointName": ENDPOINT_NAME, "VariantName": "AllTraffic"}
    put_hourly(
        cw, "/aws/sagemaker/Endpoints", "CPUUtilization", endpoint, [40.0] * hours, end
    )  # of 400% (4 vCPUs)
    put_hourly(cw, "/aws/sagemaker/Endpoints", "MemoryUtilization", endpoint, [15.0] * hours, end)
    db = {"DBInstanceIdentifier": DB_IDENTIFIER}
    put_hourly(cw, "AWS/RDS", "CPUUtilization", db, [20.0] * (hours - 1) + [95.0], end)
    put_hourly(cw, "AWS/RDS", "FreeableMemory", db, [14.0 * 1024**3] * hours, end)  # 14 of 16 GiB free
    service = {"ClusterName": CLUSTER_ARN.rsplit("/", 1)[1], "ServiceName": SERVICE_NAME}
    put_hourly(cw, "AWS/ECS", "CPUUtilization", service, [85.0] * hours, end)
    put_hourly(cw, "AWS/ECS", "MemoryUtilization", service, [30.0] * hours, end)


def test_recommendations_from_cloudwatch_p95(aws, inventory: Inventory) -> None:
    deployed_metrics(aws)
    found = cloudwatch_recommendations(inventory, days=14, now=NOW)
    assert [(r.target.resource.name, r.action, r.proposed, r.monthly_saving_usd) for r in found] == [
        ("prod-endpoint", "downsize", "ml.m5.large", D("167.9")),
        ("prod-db", "downsize", "db.m5.large", D("129.94")),  # 730 h x ($0.356 - $0.178)
        # 2 tasks x 730 h x (2 vCPU x $0.04048 + 4 GB x $0.004445) = $144.1604: $72.0802 more
        ("rag-api", "upsize", "2 vCPU / 4 GB", D("-72.0802")),
    ]
    endpoint, db, _ = (r.utilization for r in found)
    assert endpoint is not None and (endpoint.cpu_percent, endpoint.memory_percent) == (D(10), D(15))
    assert db is not None and (db.cpu_percent, db.memory_percent) == (D(20), D("12.5"))
    assert db.source == "CloudWatch p95 of 48 hourly averages over 14 days"


def test_too_few_datapoints_give_no_recommendation(aws, inventory: Inventory) -> None:
    deployed_metrics(aws, hours=10)
    found = cloudwatch_recommendations(inventory, days=14, now=NOW)
    assert {(r.action, r.reason) for r in found} == {
        ("no data", "only 10 hourly datapoints in the last 14 days (need 24)")
    }


def test_a_synthesized_inventory_has_no_deployed_names(inventory: Inventory) -> None:
    inventory.source = "synthesis"
    with pytest.raises(InputError, match=r"needs the deployed names .* pass `--state FILE`"):
        cloudwatch_recommendations(inventory, days=14, now=NOW)


@pytest.mark.parametrize("days", [0, 456])
def test_days_out_of_range(inventory: Inventory, days: int) -> None:
    with pytest.raises(InputError, match=r"--days must be between 1 and 455"):
        cloudwatch_recommendations(inventory, days=days, now=NOW)


class StubSession:
    """A boto3-session stand-in handing out pre-built (stubbed) clients."""

    def __init__(self, **clients) -> None:
        self.clients = clients

    def client(self, service: str, region_name: str):
        return self.clients[service]


def test_access_denied_is_an_input_error_naming_the_region(inventory: Inventory) -> None:
    cw = boto3.client("cloudwatch", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(cw) as stub:
        stub.add_client_error("get_metric_data", "AccessDenied", "not authorized to perform GetMetricData")
        with pytest.raises(InputError) as caught:
            cloudwatch_recommendations(inventory, days=14, now=NOW, session=StubSession(cloudwatch=cw))
    assert str(caught.value) == (
        "AWS refused the request in us-east-1: AccessDenied: not authorized to perform GetMetricData."
    )


def test_every_page_of_get_metric_data_is_read() -> None:
    cw = boto3.client("cloudwatch", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    query = MetricQuery("cpu", "AWS/ECS", "CPUUtilization", (("ServiceName", "s"),))
    with Stubber(cw) as stub:
        stub.add_response(
            "get_metric_data",
            {"MetricDataResults": [{"Id": "q0", "Values": [1.0, 2.0]}], "NextToken": "page-2"},
        )
        stub.add_response("get_metric_data", {"MetricDataResults": [{"Id": "q0", "Values": [3.0]}]})
        assert fetch_series(cw, [query], days=14, now=NOW) == {"cpu": [1.0, 2.0, 3.0]}
