"""The bundled catalog: every row sourced, united, dated and graded; no suspect row; lookups and gaps."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cost.build_catalog import SUPPLEMENTS_DIR, build, data_date, exact_usd
from cost.catalog import CATALOG_PATH, Catalog, CatalogError, Price, bundled_catalog, read_catalog

RAW = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
ROWS = [(region, row) for region, body in RAW["regions"].items() for row in body["prices"].values()]
SUPPLEMENTS = [json.loads(path.read_text(encoding="utf-8")) for path in SUPPLEMENTS_DIR.glob("*.json")]
SUPPLEMENT_ROWS = {
    (region, pid): row
    for supplement in SUPPLEMENTS
    for region, body in supplement["regions"].items()
    for pid, row in body["prices"].items()
}
GRADES = {"A", "A-bill", "G", "G*", "S-PL", "S"}


def shipped(region: str, price_id: str) -> Price:
    found = bundled_catalog().price(region, price_id)
    assert found is not None, price_id
    return found


def test_catalog_is_dated_and_covers_the_three_regions():
    assert RAW["schema_version"] == 1 and RAW["currency"] == "USD"
    assert RAW["catalog_date"] == "2026-12-02"  # the data set of 2026-11-26 as updated on 2026-12-02
    assert set(RAW["regions"]) == {"us-east-1", "us-west-2", "eu-west-1"}
    # 1,715 rows in the data set (2026-12-02 extension), the suspect row dropped; 4 from supplements/rag.json,
    # 4 from supplements/serverless.json (MSK Serverless storage x 3 regions, OpenSearch Serverless OCU-hour)
    assert len(ROWS) == 1722
    assert sorted(f"{region}:{pid}" for region, pid in SUPPLEMENT_ROWS if "serverless" in pid) == [
        "eu-west-1:msk.serverless.storage",
        "us-east-1:msk.serverless.storage",
        "us-east-1:opensearch.serverless.ocu_hour",
        "us-west-2:msk.serverless.storage",
    ]


def test_every_supplement_row_is_cited_dated_and_graded():
    """Rows the data set lacks: each names its source (repo@commit:path or URL), date and grade."""
    for (region, pid), row in SUPPLEMENT_ROWS.items():
        where = f"{region}:{pid}"
        for field in ("source", "source_id", "unit", "date", "date_kind", "confidence", "description"):
            assert row.get(field), f"{where} lacks {field}"
        assert row["source"].startswith(("github.com/", "https://")), where
        assert RAW["regions"][region]["prices"][pid] == row, where  # merged as written
        source = RAW["sources"][row["source_id"]]
        assert source.get("url") or (source.get("repo") and len(source.get("commit", "")) == 40), where
        for check in row.get("cross_checks", []):
            assert check["source"] and check["date"] and "agrees" in check, where


@pytest.mark.parametrize("field", ["source", "unit", "date", "confidence", "description"])
def test_every_row_has(field: str):
    assert [f"{region}:{row['id']}" for region, row in ROWS if not row.get(field)] == []


def test_no_suspect_row_is_shipped_and_grades_are_known():
    assert [row["id"] for _, row in ROWS if row.get("suspect")] == []
    assert RAW["built_from"]["dropped_suspect_rows"] == ["us-east-1:sagemaker.hosting.ml.t3.medium"]
    assert {row["confidence"] for _, row in ROWS} <= GRADES


def test_prices_are_exact_non_negative_decimals():
    assert all(Decimal(row["usd"]) >= 0 for _, row in ROWS)
    assert shipped("us-east-1", "lambda.x86.duration.tier1").usd == Decimal("0.0000166667")


def test_lookup_by_region_and_id():
    catalog = bundled_catalog()
    nat = catalog.price("us-east-1", "nat_gateway.hour")
    assert nat is not None
    assert (nat.usd, nat.unit, nat.confidence, nat.date) == (Decimal("0.045"), "hour", "G", "2024-07-01")
    assert catalog.price("us-west-2", "nat_gateway.hour") is None
    assert catalog.price("us-east-1", "sagemaker.hosting.ml.t3.medium") is None  # the suspect row


def test_tiers_are_ordered_with_bounds_in_the_price_unit():
    tiers = bundled_catalog().tiers("us-east-1", "s3.standard.storage")
    assert [(t.tier_from, t.tier_to) for t in tiers] == [
        (Decimal(0), Decimal(51200)),  # 50 TB x 1024
        (Decimal(51200), Decimal(512000)),
        (Decimal(512000), None),
    ]
    assert bundled_catalog().tiers("us-east-1", "sqs.standard.request") == ()  # prices without bounds


def test_missing_reason_quotes_the_recorded_gap():
    reason = bundled_catalog().missing_reason("us-east-1", "sagemaker.training.ml.c5.xlarge")
    assert reason.startswith(
        "no price 'sagemaker.training.ml.c5.xlarge' for us-east-1 in the catalog (2026-12-02): "
    )
    assert "training on-demand per instance-hour: ml.t3.medium" in reason


def test_caveats_for_provisional_and_unverified_grades():
    assert shipped("us-east-1", "sagemaker.training.ml.m5.large").caveat == (
        "provisional price (grade S-PL, 2026-08-11): verify with `cost refresh`"
    )
    assert shipped("us-east-1", "sagemaker.hosting.ml.c5.xlarge").caveat.startswith("unverified secondary")
    assert shipped("us-east-1", "alb.hour").caveat == ""


def test_bad_catalog_files_are_clear_errors(tmp_path: Path):
    with pytest.raises(CatalogError, match=r"cannot read the price catalog .*missing.json"):
        read_catalog(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(CatalogError, match="is not valid JSON"):
        read_catalog(broken)
    with pytest.raises(CatalogError, match="is not a price catalog"):
        Catalog({"regions": {}}, origin="x")


def test_build_keeps_sources_and_drops_suspect_rows():
    data = {
        "generated": "2026-11-26",
        "currency": "USD",
        "region_labels": {"us-east-1": "US East (N. Virginia)"},
        "generated_from": [{"id": "pw", "repo": "r"}],
        "regions": {
            "us-east-1": {
                "networking": [
                    {
                        "id": "a",
                        "usd": 0.045,
                        "usd_raw": "0.0450000000",
                        "unit": "hour",
                        "source": "s",
                        "date": "d",
                        "confidence": "A",
                        "description": "x",
                        "sku": None,
                    },
                    {
                        "id": "b",
                        "usd": 0.115,
                        "usd_raw": "$0.115/hour",
                        "unit": "hour",
                        "source": "s",
                        "date": "d",
                        "confidence": "S-PL",
                    },
                    {
                        "id": "c",
                        "usd": 0.05,
                        "unit": "hour",
                        "source": "s",
                        "date": "d",
                        "confidence": "S",
                        "suspect": True,
                    },
                ]
            }
        },
        "gaps": {},
        "statements": [],
    }
    built = build(data)
    prices = built["regions"]["us-east-1"]["prices"]
    assert prices["a"] == {
        "id": "a",
        "service": "networking",
        "usd": "0.0450000000",
        "description": "x",
        "unit": "hour",
        "source": "s",
        "date": "d",
        "confidence": "A",
    }
    assert prices["b"]["usd"] == "0.115"  # usd_raw is not a number: the float value, exactly
    assert "c" not in prices and built["built_from"]["dropped_suspect_rows"] == ["us-east-1:c"]
    assert built["sources"] == {"pw": {"id": "pw", "repo": "r"}}


def test_exact_usd_prefers_the_raw_string_when_it_is_the_same_number():
    assert exact_usd({"usd": 2e-05, "usd_raw": "0.0000200000"}) == "0.0000200000"
    assert exact_usd({"usd": 0.2, "usd_raw": "0.3"}) == "0.2"


EXTENSION_SERVICES = {
    "ec2",
    "ebs",
    "eks",
    "rds_mysql",
    "rds_mariadb",
    "rds_aurora",
    "elasticache",
    "opensearch",
    "redshift",
    "kinesis",
    "firehose",
    "msk",
    "efs",
    "glue",
    "athena",
    "api_gateway",
    "cloudfront",
    "route53",
    "wafv2",
}


def test_every_row_of_the_2026_12_02_extension_is_aws_owned_or_golden_and_dated():
    rows = [
        (region, row)
        for region, row in ROWS
        if row["service"] in EXTENSION_SERVICES and (region, row["id"]) not in SUPPLEMENT_ROWS
    ]
    assert len(rows) == 1093  # + 42 rows added to existing services (transfer, Studio, RDS t4g.micro)
    assert {row["confidence"] for _, row in rows} <= {"A", "G"}
    for field in ("source", "date", "date_kind", "unit"):
        assert [f"{region}:{row['id']}" for region, row in rows if not row.get(field)] == [], field
    assert all(
        row["source"].startswith(("github.com/QuinnyPig/aws-price-watcher@", "github.com/infracost/"))
        for _, row in rows
    )


def test_prices_the_new_pricers_read_are_shipped_with_their_source():
    assert shipped("us-east-1", "ec2.linux.m6i.large").usd == Decimal("0.096")
    assert shipped("us-west-2", "data_transfer.inter_region.to_us-east-1").usd == Decimal("0.02")
    assert shipped("eu-west-1", "ebs.gp2.storage").confidence == "G"
    assert shipped("us-east-1", "rds.postgresql.db.t4g.micro.single_az").usd == Decimal("0.016")


def test_catalog_date_is_the_data_sets_last_update():
    assert data_date({"generated": "2026-11-26"}) == "2026-11-26"
    updated = {"generated": "2026-11-26", "updated": "2026-12-02 (extension: EC2, EBS ...)"}
    assert data_date(updated) == "2026-12-02"
    assert data_date({"generated": "2026-11-26", "updated": "see notes"}) == "2026-11-26"
