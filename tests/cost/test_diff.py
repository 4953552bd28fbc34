"""`cost diff`: per-resource changes (added / removed / changed) with their deltas, and the totals."""

from __future__ import annotations

import json
from decimal import Decimal as D

import jsonschema
from test_render_sample import bucket, endpoint, fargate, nat, report, role

from cost.diff import diff_reports, match_key
from cost.render.jsonfmt import SCHEMA_PATH, diff_document
from cost.render.markdown import TOP_CHANGES, render_diff_markdown
from cost.render.table import render_diff_table


def base_and_head() -> tuple:
    """dev: NAT, Fargate, 1,000 GB bucket, endpoint. prod: twice the NAT hours, 2,000 GB, an IAM role."""
    base = report("dev", [nat("dev"), fargate("dev"), bucket("dev"), endpoint("dev")])
    head = report("prod", [nat("prod", "1460"), fargate("prod"), bucket("prod", "2000"), role("prod")])
    return base, head


def test_resources_match_across_stacks_by_urn_without_the_stack() -> None:
    assert match_key("urn:pulumi:dev::proj::aws:s3/bucket:Bucket::data") == "proj::aws:s3/bucket:Bucket::data"
    assert match_key(nat("dev").urn) == match_key(nat("prod").urn)


def test_changes_per_resource_with_deltas_largest_first() -> None:
    diff = diff_reports(*base_and_head(), include_free=True)
    assert [(c.kind, c.name, c.before_usd, c.after_usd, c.delta_usd) for c in diff.changes] == [
        ("changed", "prod-nat-0", D("32.85"), D("65.70"), D("32.85")),
        ("changed", "data-lake", D(23), D(46), D(23)),
        ("added", "api-role", D(0), D(0), D(0)),
        ("removed", "ml-endpoint", D(0), D(0), D(0)),
    ]
    assert (diff.count("added"), diff.count("removed"), diff.count("changed")) == (1, 1, 2)


def test_free_resources_are_counted_not_listed_unless_asked() -> None:
    diff = diff_reports(*base_and_head())
    assert [c.name for c in diff.changes] == ["prod-nat-0", "data-lake", "ml-endpoint"]
    assert diff.free_changes == 1  # the added IAM role
    assert "1 free resource changed, not listed (--all lists them)" in render_diff_table(diff)
    assert "1 free resource changed, not listed (--all lists them)." in render_diff_markdown(diff)
    assert diff_document(diff)["free_changes"] == 1


def test_unchanged_resources_are_left_out_and_components_compared_by_name() -> None:
    diff = diff_reports(*base_and_head())
    assert "rag-api" not in [c.name for c in diff.changes]
    nat_change = diff.changes[0]
    assert [(c.name, c.before_usd, c.after_usd, c.delta_usd) for c in nat_change.components] == [
        ("NAT gateway", D("32.85"), D("65.70"), D("32.85"))
    ]  # "Data processed" is usage-dependent on both sides: unchanged


def test_totals_and_percentage() -> None:
    diff = diff_reports(*base_and_head())
    assert (diff.total_before, diff.total_after) == (D("127.9302"), D("183.7802"))
    assert diff.delta_usd == D("55.85")
    assert diff.percent is not None and round(diff.percent, 4) == D("43.6566")


def test_percentage_is_none_from_a_free_base() -> None:
    diff = diff_reports(report("dev", [role("dev")]), report("prod", [nat("prod")]))
    assert diff.percent is None
    assert "Monthly cost: $0.00 -> $32.85 (+$32.85, n/a)" in render_diff_table(diff)


def test_status_change_alone_is_a_change() -> None:
    priced = nat("prod")
    unpriced = nat("prod")
    unpriced.status, unpriced.reason = "unpriced", "price missing"
    diff = diff_reports(report("prod", [priced]), report("prod", [unpriced]))
    assert [(c.kind, c.delta_usd) for c in diff.changes] == [("changed", D(0))]


def test_markdown_pr_comment() -> None:
    out = render_diff_markdown(diff_reports(*base_and_head())).splitlines()
    assert out[:5] == [
        "## Cost diff: data-ai-platform/dev → data-ai-platform/prod",
        "",
        "Monthly cost will **increase by $55.85** (+43.7%): at least $127.93 (1 resource unpriced) → "
        "$183.78 per month.",
        "",
        "0 added, 1 removed, 2 changed; unpriced resources: 1 → 0; 1 free resource changed, not listed "
        "(--all lists them).",
    ]
    assert "| prod-nat-0 `aws:ec2/natGateway:NatGateway` | changed | $32.85 | $65.70 | +$32.85 |" in out
    assert "| ml-endpoint `aws:sagemaker/endpoint:Endpoint` | removed | $0.00 | - | $0.00 |" in out
    assert "| api-role `aws:iam/role:Role` | added | - | $0.00 | $0.00 |" not in out  # free: counted only


def test_markdown_folds_changes_beyond_the_top_ones() -> None:
    base = report("dev", [bucket("dev")])
    heads = []
    for index in range(TOP_CHANGES + 2):
        item = bucket("prod", str(100 * (index + 1)))
        item.urn = item.urn.replace("::data-lake", f"::lake-{index}")
        item.name = f"lake-{index}"
        heads.append(item)
    out = render_diff_markdown(diff_reports(base, report("prod", heads)))
    assert f"### Top {TOP_CHANGES} changes" in out
    assert "<details><summary>3 more changes</summary>" in out  # 12 added + 1 removed - 10 shown


def test_decrease_and_no_change_wording() -> None:
    base, head = base_and_head()
    assert "Monthly cost will **decrease by $55.85** (-30.4%)" in render_diff_markdown(
        diff_reports(head, base)
    )
    same = render_diff_markdown(diff_reports(base, base))
    assert (
        "Monthly cost will **not change**: at least $127.93 (1 resource unpriced) → at least $127.93 "
        "(1 resource unpriced) per month." in same
    )
    assert "No resource changes its cost." in same


def test_table_lists_changes_and_component_deltas() -> None:
    diff = diff_reports(*base_and_head(), include_free=True)
    out = [line.rstrip() for line in render_diff_table(diff).splitlines()]
    assert out[0] == "Cost diff: data-ai-platform/dev -> data-ai-platform/prod (USD per month)"
    assert (
        "~ prod-nat-0  aws:ec2/natGateway:NatGateway      changed      $32.85      $65.70     +$32.85" in out
    )
    assert (
        "    NAT gateway                                               $32.85      $65.70     +$32.85" in out
    )
    assert (
        "+ api-role  aws:iam/role:Role                    added             -       $0.00       $0.00" in out
    )
    assert (
        "- ml-endpoint  aws:sagemaker/endpoint:Endpoint   removed       $0.00           -       $0.00" in out
    )
    assert out[-2:] == [
        "Monthly cost: at least $127.93 (1 resource unpriced) -> $183.78 (+$55.85, +43.7%)",
        "1 added, 1 removed, 2 changed; unpriced: 1 -> 0",
    ]


def test_table_keeps_before_after_delta_at_any_width() -> None:
    long = nat("prod", "1460")
    long.name = "a-very-long-logical-resource-name-that-would-push-the-money-columns-off-a-narrow-terminal"
    long.urn = long.urn.replace("prod-nat-0", long.name)
    base = report("dev", [nat("dev")])
    head = report("prod", [long])
    for width in (60, 80, 120):
        out = render_diff_table(diff_reports(base, head, include_free=True), width=width)
        header = next(line for line in out.splitlines() if line.startswith("Resource"))
        assert all(word in header for word in ("Change", "Before", "After", "Delta")), (width, header)
        assert "+$65.70" in out and "$32.85" in out


def test_a_cost_driver_change_is_shown_even_when_neither_side_is_priced() -> None:
    before, after = nat("dev"), nat("prod")
    for side, instance_type in ((before, "m5.large"), (after, "m5.24xlarge")):
        side.status, side.reason = "unpriced", "no price"
        side.drivers = {"instance_type": instance_type, "spot": "False"}
    diff = diff_reports(report("dev", [before]), report("prod", [after]))
    change = diff.changes[0]
    assert [(a.name, a.before, a.after) for a in change.attributes] == [
        ("instance_type", "m5.large", "m5.24xlarge")
    ]
    assert "    instance_type: m5.large -> m5.24xlarge" in render_diff_table(diff)
    assert "<br>`instance_type`: m5.large → m5.24xlarge |" in render_diff_markdown(diff)
    assert diff_document(diff)["changes"][0]["attributes"] == [
        {"name": "instance_type", "before": "m5.large", "after": "m5.24xlarge"}
    ]


def test_json_diff_validates_and_is_exact() -> None:
    doc = diff_document(diff_reports(*base_and_head(), include_free=True))
    schema = json.loads((SCHEMA_PATH.parent / "diff.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert (doc["base"]["total_monthly_usd"], doc["head"]["total_monthly_usd"]) == ("127.9302", "183.7802")
    assert (doc["delta_monthly_usd"], doc["delta_percent"]) == ("55.85", "43.66")
    assert doc["summary"] == {"added": 1, "removed": 1, "changed": 2}
    assert doc["changes"][0]["key"] == match_key(nat("prod").urn)
    assert doc["changes"][3] | {"key": ""} == {
        "kind": "removed",
        "key": "",
        "type": "aws:sagemaker/endpoint:Endpoint",
        "name": "ml-endpoint",
        "component": "prod-ml",
        "before_usd": "0",
        "after_usd": None,
        "delta_usd": "0",
        "components": [
            {
                "name": "Instance (ml.m5.xlarge)",
                "unit": "hours",
                "before_usd": "0",
                "after_usd": None,
                "delta_usd": "0",
            }
        ],
        "attributes": [],
    }
