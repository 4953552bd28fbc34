"""The catalog refresh on recorded-shape Price List fixtures: bulk offer files and GetProducts (botocore
Stubber). Every test writes to a temporary copy of the bundled catalog; the refreshed catalog is then used to
price."""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from test_pricing_kit import D, by_name, inventory, res

from cost import estimate
from cost.catalog import CATALOG_PATH, REFRESHABLE_PREFIXES, read_catalog
from cost.refresh import (
    BULK_URL,
    BulkOffers,
    Found,
    NotFound,
    Offer,
    PriceListQuery,
    RefreshError,
    RowSpec,
    add_arguments,
    default_specs,
    find,
    refresh_catalog,
    run,
)

FIXTURES = Path(__file__).parent / "fixtures" / "pricelist"
TODAY = date(2026, 11, 27)


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.json"
    shutil.copy(CATALOG_PATH, path)
    return path


class FixtureFiles:
    """Serves bulk offer files from the fixtures and records the URLs asked for."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        prefix = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/"
        offer, current, region, name = url.removeprefix(prefix).split("/")
        assert (current, name) == ("current", "index.json"), url
        return (FIXTURES / "bulk" / offer / region / "index.json").read_bytes()


def test_bulk_refresh_fills_sagemaker_in_us_west_2_and_the_estimate_uses_it(catalog_copy: Path):
    files = FixtureFiles()
    specs = default_specs(["sagemaker"])
    result = refresh_catalog(
        BulkOffers(files), ["us-west-2"], specs=specs, catalog_path=catalog_copy, today=TODAY
    )
    assert files.urls == [
        BULK_URL.format(offer="AmazonSageMaker", region="us-west-2")
    ]  # read once for all rows
    assert set(result.filled) == {
        "us-west-2:sagemaker.training.ml.m5.xlarge",
        "us-west-2:sagemaker.hosting.ml.m5.xlarge",
        "us-west-2:sagemaker.hosting.ml.m5.large",
        "us-west-2:sagemaker.ml_storage.training",
        "us-west-2:sagemaker.ml_storage.endpoint",
    }
    assert (
        result.confirmed == [] and result.replaced == []
    )  # us-west-2 hosting g5.2xlarge is not in the fixture
    assert (
        "us-west-2:sagemaker.training.ml.c5.large: no on-demand AmazonSageMaker product with usage type "
        "*Train:ml.c5.large in us-west-2" in result.missing
    )
    catalog = read_catalog(catalog_copy)
    assert catalog.date == "2026-11-27"
    row = catalog.price("us-west-2", "sagemaker.training.ml.m5.xlarge")
    assert row is not None
    assert (row.usd, row.unit, row.confidence, row.date) == (D("0.23"), "instance-hour", "A", "2026-11-01")
    assert row.source == BULK_URL.format(offer="AmazonSageMaker", region="us-west-2")
    config = res(
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        "cfg",
        {
            "productionVariants": [
                {"variantName": "v", "instanceType": "ml.m5.xlarge", "initialInstanceCount": 2}
            ]
        },
    )
    endpoint = res("aws:sagemaker/endpoint:Endpoint", "ep", refs={"endpointConfigName": [config]})
    found = estimate(inventory(endpoint, config, region="us-west-2"), catalog=catalog)
    cost = next(r for r in found.resources if r.name == "ep")
    assert cost.status == "priced" and cost.monthly_usd == D("335.8")  # 2 x 730 h x 0.23


def test_bulk_refresh_picks_the_zonal_nat_gateway_not_its_siblings(catalog_copy: Path):
    files = FixtureFiles()
    result = refresh_catalog(
        BulkOffers(files), ["eu-west-1"], specs=default_specs(["nat"]), catalog_path=catalog_copy, today=TODAY
    )
    assert result.filled == ["eu-west-1:nat_gateway.hour", "eu-west-1:nat_gateway.data_processed"]
    raw = json.loads(catalog_copy.read_text())["regions"]["eu-west-1"]["prices"]["nat_gateway.hour"]
    assert (raw["usagetype"], raw["sku"], raw["usd"], raw["date"]) == (
        "EU-NatGateway-Hours",
        "8T2CZVPXQ4J7KMNW",
        "0.048",
        "2026-09-25",
    )
    assert raw["rate_code"] == "8T2CZVPXQ4J7KMNW.JRTCKXETXF.6YS6EN2CT7"
    found = estimate(
        inventory(res("aws:ec2/natGateway:NatGateway", "nat"), region="eu-west-1"),
        catalog=read_catalog(catalog_copy),
    )
    assert by_name(found.resources[0])["NAT gateway"].monthly_usd == D("35.04")  # 730 h x 0.048


def _stubbed_query(pages: dict[str, list[dict]]) -> tuple[PriceListQuery, Stubber]:
    client = boto3.client(
        "pricing", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    stubber = Stubber(client)
    for usagetype, answers in pages.items():
        for number, answer in enumerate(answers):
            params = {
                "ServiceCode": "AmazonECS",
                "Filters": [
                    {"Type": "TERM_MATCH", "Field": "regionCode", "Value": "us-east-1"},
                    {"Type": "CONTAINS", "Field": "usagetype", "Value": usagetype},
                ],
                "FormatVersion": "aws_v1",
            }
            if number:
                params["NextToken"] = answers[number - 1]["NextToken"]
            stubber.add_response("get_products", answer, params)
    stubber.activate()
    return PriceListQuery(client), stubber


def test_get_products_refresh_fills_fargate_spot_and_prices_the_spot_part(catalog_copy: Path):
    pages = json.loads((FIXTURES / "get_products" / "AmazonECS-us-east-1-fargate-spot.json").read_text())
    query, stubber = _stubbed_query(pages)
    spot = [s for s in default_specs(["fargate"]) if s.price_id.startswith("fargate_spot.linux_x86")]
    result = refresh_catalog(query, ["us-east-1"], specs=spot, catalog_path=catalog_copy, today=TODAY)
    stubber.assert_no_pending_responses()
    assert result.filled == [
        "us-east-1:fargate_spot.linux_x86.vcpu_hour",
        "us-east-1:fargate_spot.linux_x86.gb_hour",
    ]
    catalog = read_catalog(catalog_copy)
    vcpu = catalog.price("us-east-1", "fargate_spot.linux_x86.vcpu_hour")
    assert vcpu is not None and (vcpu.usd, vcpu.date) == (D("0.012144"), "2026-11-01")
    assert (
        vcpu.source
        == "AWS Price List GetProducts AmazonECS (usagetype *SpotUsage-Fargate-vCPU-Hours:perCPU, us-east-1)"
    )
    task = res("aws:ecs/taskDefinition:TaskDefinition", "task", {"cpu": "1024", "memory": "2048"})
    strategy = [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]
    service = res(
        "aws:ecs/service:Service",
        "api",
        {"desiredCount": 1, "capacityProviderStrategies": strategy},
        refs={"taskDefinition": [task]},
    )
    found = estimate(inventory(service, task), catalog=catalog)
    cost = next(r for r in found.resources if r.name == "api")
    # 730 h x (1 vCPU x 0.012144 + 2 GB x 0.0013335) = 8.86512 + 1.94691 = 10.81203
    assert cost.status == "priced" and cost.monthly_usd == D("10.81203")
    assert [s.kind for s in found.savings] == ["spot"]


def test_existing_row_keeps_its_previous_value_as_a_cross_check(catalog_copy: Path):
    data = json.loads(catalog_copy.read_text())
    data["regions"]["eu-west-1"]["prices"]["nat_gateway.hour"] = {
        "id": "nat_gateway.hour",
        "service": "networking",
        "usd": "0.05",
        "unit": "hour",
        "source": "an older source",
        "date": "2024-01-01",
        "confidence": "S",
    }
    catalog_copy.write_text(json.dumps(data))
    result = refresh_catalog(
        BulkOffers(FixtureFiles()),
        ["eu-west-1"],
        specs=default_specs(["nat"]),
        catalog_path=catalog_copy,
        today=TODAY,
    )
    assert result.replaced == ["eu-west-1:nat_gateway.hour"]
    row = json.loads(catalog_copy.read_text())["regions"]["eu-west-1"]["prices"]["nat_gateway.hour"]
    assert row["usd"] == "0.048" and row["confidence"] == "A"
    assert row["cross_checks"] == [
        {
            "usd": "0.05",
            "source": "an older source",
            "date": "2024-01-01",
            "confidence": "S",
            "agrees": False,
            "previous_primary": True,
        }
    ]


def _offer(usagetype: str, usd: str, unit: str = "Hrs") -> Offer:
    dimension = {
        "unit": unit,
        "beginRange": "0",
        "endRange": "Inf",
        "rateCode": "X.Y.Z",
        "pricePerUnit": {"USD": usd},
    }
    term = {"X.Y": {"priceDimensions": {"X.Y.Z": dimension}, "effectiveDate": "2026-01-01T00:00:00Z"}}
    attributes = {"usagetype": usagetype, "regionCode": "us-east-1", "locationType": "AWS Region"}
    return Offer({"sku": "X", "attributes": attributes}, term, "", "test")


SPEC = RowSpec("nat_gateway.hour", "AmazonEC2", "NatGateway-Hours", "hour", ("hrs",), "networking")


def test_products_with_different_prices_are_not_guessed_between():
    answer = find(
        SPEC, "us-east-1", [_offer("NatGateway-Hours", "0.045"), _offer("NatGateway-Hours", "0.05")]
    )
    assert isinstance(answer, NotFound)
    assert (
        answer.reason == "2 products match *NatGateway-Hours in us-east-1 with different prices (0.045, 0.05)"
    )


def test_a_unit_other_than_the_rows_is_refused():
    answer = find(SPEC, "us-east-1", [_offer("NatGateway-Hours", "0.045", unit="Gbps-hrs")])
    assert isinstance(answer, NotFound)
    assert (
        answer.reason == "the *NatGateway-Hours product in us-east-1 is priced per 'Gbps-hrs', not per hour"
    )


def test_unprefixed_us_east_1_usage_type_matches():
    answer = find(SPEC, "us-east-1", [_offer("NatGateway-Hours", "0.0450000000")])
    assert isinstance(answer, Found)
    assert answer.row["usd"] == "0.045" and answer.row["date"] == "2026-01-01"


def test_unreachable_offer_file_is_a_clear_error(catalog_copy: Path):
    def offline(url: str) -> bytes:
        raise OSError("Network is unreachable")

    with pytest.raises(
        RefreshError, match=r"cannot download the AWS Price List offer file https://pricing\.us-east-1"
    ):
        refresh_catalog(
            BulkOffers(offline), ["eu-west-1"], specs=default_specs(["nat"]), catalog_path=catalog_copy
        )


def test_query_errors_explain_the_credentials(catalog_copy: Path):
    query, stubber = _stubbed_query({})
    stubber.add_client_error("get_products", "AccessDeniedException", "not authorized")
    with pytest.raises(
        RefreshError,
        match=r"the AWS Price List query API failed for AmazonECS in us-east-1: .*needs AWS credentials",
    ):
        refresh_catalog(query, ["us-east-1"], specs=default_specs(["fargate"])[:1], catalog_path=catalog_copy)


def test_run_from_command_line_options(catalog_copy: Path, tmp_path: Path):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    output = tmp_path / "out.json"
    args = parser.parse_args(
        ["--region", "eu-west-1", "--only", "nat", "--catalog", str(catalog_copy), "--output", str(output)]
    )
    result = run(args, source=BulkOffers(FixtureFiles()))
    assert result.output == output and output.exists()
    assert result.summary() == f"{output}: 2 prices filled, 0 changed, 0 confirmed, 0 not found"


def test_refresh_fills_only_what_the_catalog_says_it_fills():
    assert all(s.price_id.startswith(REFRESHABLE_PREFIXES) for s in default_specs())


def test_default_specs_cover_the_known_gaps():
    ids = {s.price_id for s in default_specs()}
    assert {
        "sagemaker.training.ml.m5.large",
        "sagemaker.hosting.ml.m5.4xlarge",
        "nat_gateway.hour",
        "fargate_spot.linux_x86.vcpu_hour",
        "fargate_spot.linux_arm.gb_hour",
        "rds.postgresql.db.t4g.micro.single_az",
    } <= ids
