"""The estimate as a whole: statuses (priced / free / usage-dependent / unpriced, never a silent zero), totals
and range, the usage file, the right-sizing hook, the type registry, and speed."""

from __future__ import annotations

import re
from pathlib import Path

import pulumi_aws
import pytest
from test_pricing_kit import D, by_name, component_res, cost_of, inventory, report, res, usage

from cost import Estimator, UsageError, load_usage, price_alternative
from cost.pricing import FREE, PRICERS
from inventory.errors import InputError
from inventory.model import Resource

NAT = "aws:ec2/natGateway:NatGateway"


def test_unknown_type_is_unpriced_with_its_reason_not_zero():
    cost = cost_of(res("aws:memorydb/cluster:Cluster", "cache"))
    assert cost.status == "unpriced" and cost.monthly_usd == 0
    assert (
        cost.reason
        == "no pricer for resource type aws:memorydb/cluster:Cluster: it is not priced (and not assumed free)"
    )


def test_free_types_carry_their_reason_and_component():
    owner = component_res("platform-network")
    role = res("aws:iam/role:Role", "role", parent=owner)
    found = report(owner, role)
    (cost,) = found.resources  # components are not priced, only custom resources
    assert (cost.status, cost.reason, cost.service) == (
        "free",
        "IAM identities and policies are free",
        "AWS IAM",
    )
    assert cost.component == "platform-network"
    assert cost.components == []


def test_report_totals_range_and_unpriced_list():
    resources = [
        res(NAT, "nat-0"),  # 32.85
        res("aws:kms/key:Key", "data"),  # 1.00
        res(NAT, "nat-west", region="us-west-2"),  # unpriced (no NAT price in us-west-2)
        res("aws:iam/role:Role", "role"),  # free
        res("aws:lambda/function:Function", "fn"),  # usage-dependent
    ]
    found = report(*resources)
    assert {r.name: r.status for r in found.resources} == {
        "nat-0": "priced",
        "data": "priced",
        "nat-west": "unpriced",
        "role": "free",
        "fn": "usage-dependent",
    }
    assert found.total_monthly_usd == D("33.85")
    assert found.range == (D("33.85"), D("33.85"), D("33.85"))
    assert [r.name for r in found.unpriced] == ["nat-west"]
    assert (found.project, found.stack, found.region, found.currency) == (
        "data-ai-platform",
        "test",
        "us-east-1",
        "USD",
    )
    assert found.catalog_date == "2026-12-02"


def test_report_order_does_not_depend_on_registration_order():
    """Registration order under the mocks varies between runs; reports and diffs must not."""
    resources = [res(NAT, "nat-0"), res("aws:kms/key:Key", "data"), res("aws:iam/role:Role", "role")]
    forward, backward = report(*resources), report(*reversed(resources))
    assert [r.urn for r in forward.resources] == [r.urn for r in backward.resources]
    assert [r.name for r in forward.resources] == ["nat-0", "role", "data"]  # by URN: ec2, iam, kms


def test_usage_merges_type_default_then_pattern_then_exact_name():
    text = """
version: 1
defaults:
  aws:ec2/natGateway:NatGateway: {monthlyDataProcessedGb: 10}
resources:
  "nat-*": {monthlyDataProcessedGb: 20}
  nat-1: {monthlyDataProcessedGb: 30}
"""
    found = report(res(NAT, "nat-0"), res(NAT, "nat-1"), res(NAT, "other"), usage_yaml=text)
    data = {r.name: by_name(r)["Data processed"].quantity for r in found.resources}
    assert data == {"nat-0": D(20), "nat-1": D(30), "other": D(10)}


def test_nested_usage_maps_merge_key_by_key():
    merged = usage(
        "defaults: {aws:lb/loadBalancer:LoadBalancer: {alb: {newConnectionsPerSecond: 5}}}\n"
        "resources: {alb: {alb: {processedGbPerHour: 2}}}"
    ).for_resource("aws:lb/loadBalancer:LoadBalancer", "alb")
    assert merged.alb is not None
    assert (merged.alb.new_connections_per_second, merged.alb.processed_gb_per_hour) == (D(5), D(2))


def test_load_usage_reads_a_file(tmp_path: Path):
    path = tmp_path / "usage.yaml"
    path.write_text(
        "version: 1\nresources:\n  nat-0:\n    monthlyDataProcessedGb: 100\n"
        "  api:\n    utilization: {cpuPercent: 20}\n"
    )
    loaded = load_usage(path)
    assert loaded.for_resource(NAT, "nat-0").monthly_data_processed_gb == D(100)
    utilization = loaded.for_resource("aws:ecs/service:Service", "api").utilization
    assert utilization is not None and utilization.cpu_percent == D(20)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "resources: {nat-0: {monthlyDataGb: 1}}",
            "resources.nat-0.monthlyDataGb: unknown key (see docs/cost-model.md)",
        ),
        (
            "resources: {nat-0: {monthlyRequests: -5}}",
            "resources.nat-0.monthlyRequests: Input should be greater than",
        ),
        (
            "resources: {p: {spotBillableFraction: 1.5}}",
            "resources.p.spotBillableFraction: Input should be less than",
        ),
        ("defaults: {natGateway: {monthlyRequests: 1}}", "keys must be resource type tokens such as"),
        ("version: 2", "version: Input should be 1"),
        ("- a\n- b", "must be a mapping with `version`, `defaults` and `resources`"),
        ("resources: {a: [1", "is not valid YAML"),
    ],
)
def test_bad_usage_files_are_input_errors_naming_the_key(tmp_path: Path, text: str, message: str):
    path = tmp_path / "usage.prod.yaml"
    path.write_text(text)
    with pytest.raises(UsageError) as raised:
        load_usage(path)
    assert isinstance(raised.value, InputError)
    assert str(path) in str(raised.value) and message in str(raised.value)


def test_missing_usage_file_is_an_input_error(tmp_path: Path):
    with pytest.raises(
        UsageError, match=r"cannot read the usage file .*nope.yaml: No such file or directory"
    ):
        load_usage(tmp_path / "nope.yaml")


# --- right-sizing hook --------------------------------------------------------------------------------------


def _service() -> tuple[list[Resource], Resource]:
    task = res("aws:ecs/taskDefinition:TaskDefinition", "task", {"cpu": "1024", "memory": "2048"})
    service = res(
        "aws:ecs/service:Service",
        "api",
        {"desiredCount": 2, "launchType": "FARGATE"},
        refs={"taskDefinition": [task]},
    )
    return [service, task], service


def test_price_alternative_reprices_a_smaller_fargate_size():
    resources, service = _service()
    smaller = price_alternative(service, inventory(*resources), cpu_units=512, memory_mib=1024)
    assert smaller.monthly_usd == D(
        "36.0401"
    )  # half of 72.0802: 2 tasks x (0.5 x 0.04048 + 1 x 0.004445) x 730


def test_estimator_spec_exposes_the_current_size():
    resources, service = _service()
    spec = Estimator(inventory(*resources)).spec(service)
    assert (spec.cpu_units, spec.memory_mib, spec.desired) == (1024, 2048, 2)


def test_price_alternative_for_rds_and_endpoint_instance_types():
    db = res(
        "aws:rds/instance:Instance",
        "db",
        {"engine": "postgres", "instanceClass": "db.m5.large", "allocatedStorage": 20},
    )
    smaller = price_alternative(db, inventory(db), instance_class="db.t3.large")
    assert by_name(smaller)["Database instance (db.t3.large, Single-AZ)"].monthly_usd == D(
        "105.85"
    )  # 730 x 0.145
    config = res(
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        "cfg",
        {
            "productionVariants": [
                {"variantName": "v", "instanceType": "ml.m5.xlarge", "initialInstanceCount": 1}
            ]
        },
    )
    endpoint = res("aws:sagemaker/endpoint:Endpoint", "ep", refs={"endpointConfigName": [config]})
    cheaper = price_alternative(endpoint, inventory(endpoint, config), instance_type="ml.m5.large")
    assert cheaper.monthly_usd == D("83.95")  # 730 x 0.115, the Infracost PR golden's figure


def test_price_alternative_with_an_unknown_field_names_the_valid_ones():
    resources, service = _service()
    with pytest.raises(
        ValueError,
        match=r"aws:ecs/service:Service cannot be re-priced with cpu: its spec fields are cpu_units",
    ):
        price_alternative(service, inventory(*resources), cpu=512)


# --- registry and speed -------------------------------------------------------------------------------------


def test_every_registered_aws_type_token_exists_in_pulumi_aws():
    root = Path(pulumi_aws.__file__).parent
    missing = []
    for token in [*PRICERS, *FREE]:
        parts = re.fullmatch(r"([^:]+):([^:]+):(.+)", token)
        assert parts is not None, token
        package, path, _ = parts.groups()
        if package != "aws":
            continue
        module, _, file = path.partition("/")
        source = root / ("lambda_" if module == "lambda" else module) / f"{_snake(file)}.py"
        if not source.exists() or f'type_token("{token}")' not in source.read_text():
            missing.append(token)
    assert missing == []


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_priced_and_free_types_do_not_overlap():
    assert set(PRICERS).isdisjoint(FREE)


def test_ten_thousand_resources_are_all_priced():
    """Scale without a clock: the bench's Pricing column measures the time (timed tests flake)."""
    resources = []
    for i in range(1000):
        task = res("aws:ecs/taskDefinition:TaskDefinition", f"task-{i}", {"cpu": "256", "memory": "512"})
        resources += [
            res(NAT, f"nat-{i}"),
            res("aws:s3/bucket:Bucket", f"bucket-{i}"),
            res("aws:lambda/function:Function", f"fn-{i}", {"memorySize": 256}),
            res(
                "aws:rds/instance:Instance",
                f"db-{i}",
                {"engine": "postgres", "instanceClass": "db.t3.micro", "allocatedStorage": 20},
            ),
            res("aws:dynamodb/table:Table", f"table-{i}", {"billingMode": "PAY_PER_REQUEST"}),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", f"alarm-{i}", {"period": 60}),
            res("aws:iam/role:Role", f"role-{i}"),
            res("aws:kms/key:Key", f"key-{i}"),
            task,
            res("aws:ecs/service:Service", f"svc-{i}", {"desiredCount": 1}, refs={"taskDefinition": [task]}),
        ]
    inv = inventory(*resources)
    found = Estimator(inv).report()
    assert len(found.resources) == 10000
    assert found.unpriced == []
