"""`cost report --format json`: the documented schema, exact decimal strings, and reading reports back."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import jsonschema
import pytest
from test_render_sample import ENDPOINT_REASON, report

from cost.budget import Budget, check_budget
from cost.render.jsonfmt import SCHEMA_PATH, load_report, render_json, report_document
from inventory.errors import InputError


def validate(doc: object) -> None:
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(doc)


def test_document_validates_against_the_published_schema() -> None:
    status = check_budget(D("127.9302"), Budget(D(100), "--budget"), 1)
    doc = json.loads(render_json(report(), status))
    validate(doc)
    assert (doc["total_is_lower_bound"], doc["total_text"]) == (
        True,
        "at least $127.93 (1 resource unpriced)",
    )
    assert doc["budget"] == {
        "monthly_usd": "100",
        "source": "--budget",
        "exceeded": True,
        "over_by_usd": "27.9302",
        "confirmed": False,
        "message": "Budget exceeded: the estimate at least $127.93/month (1 resource unpriced) is at least "
        "$27.93 over the budget of $100.00/month (--budget).",
    }


def test_totals_range_summary_and_savings_are_exact_decimal_strings() -> None:
    doc = report_document(report())
    assert doc["schema_version"] == "1"
    assert (doc["project"], doc["stack"], doc["region"], doc["currency"]) == (
        "data-ai-platform",
        "prod",
        "us-east-1",
        "USD",
    )
    assert doc["catalog_date"] == "2026-11-26"
    assert doc["total_monthly_usd"] == "127.9302"
    assert doc["range"] == {"min": "127.9302", "expected": "127.9302", "max": "776.652"}
    assert doc["summary"] == {"resources": 6, "priced": 3, "free": 1, "unpriced": 1, "usage_dependent": 1}
    assert [(s["kind"], s["monthly_saving_usd"]) for s in doc["savings"]] == [
        ("spot", "25.2281"),
        ("shared-alb", "16.425"),
    ]
    assert doc["budget"] is None


def test_resources_carry_components_and_the_unpriced_list_its_reasons() -> None:
    doc = report_document(report())
    nat = doc["resources"][0]
    assert {k: nat[k] for k in ("type", "name", "component", "service", "status", "monthly_usd")} == {
        "type": "aws:ec2/natGateway:NatGateway",
        "name": "prod-nat-0",
        "component": "prod-network",
        "service": "Amazon VPC",
        "status": "priced",
        "monthly_usd": "32.85",
    }
    assert nat["components"] == [
        {
            "name": "NAT gateway",
            "unit": "hours",
            "quantity": "730",
            "unit_price": "0.045",
            "monthly_usd": "32.85",
            "usage_based": False,
            "price_id": "nat_gateway.hours",
            "note": "",
            "service": "",
            "region": "",
        },
        {
            "name": "Data processed",
            "unit": "GB",
            "quantity": None,
            "unit_price": "0.045",
            "monthly_usd": "0",
            "usage_based": True,
            "price_id": "nat_gateway.gb",
            "note": "",
            "service": "",
            "region": "",
        },
    ]
    assert doc["unpriced"] == [
        {
            "urn": doc["resources"][3]["urn"],
            "type": "aws:sagemaker/endpoint:Endpoint",
            "name": "ml-endpoint",
            "reason": ENDPOINT_REASON,
        }
    ]


def test_a_written_report_reads_back_equal(tmp_path: Path) -> None:
    original = report()
    path = tmp_path / "prod.json"
    path.write_text(render_json(original))
    assert load_report(path) == original


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cost report file .*nope\.json does not exist\."):
        load_report(tmp_path / "nope.json")


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"schema_version": "1",\n  oops}')
    with pytest.raises(InputError) as caught:
        load_report(path)
    assert str(caught.value) == (
        f"{path} is not valid JSON (line 2, column 3: Expecting property name enclosed in double quotes); "
        "expected a report written by `python -m cost report --format json`."
    )


def test_a_json_file_of_another_shape_names_the_offending_path(tmp_path: Path) -> None:
    doc = report_document(report())
    doc["resources"][1]["monthly_usd"] = 72.08  # a number, not a decimal string
    path = tmp_path / "other.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as caught:
        load_report(path)
    assert str(caught.value) == (
        f"{path} is not a cost report in the format `python -m cost report --format json` writes "
        "(schema version 1): at $.resources[1].monthly_usd: 72.08 is not of type 'string'."
    )
