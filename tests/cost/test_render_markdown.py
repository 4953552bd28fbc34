"""`cost report --format markdown`: the pull-request comment, exact figures from a hand-built report."""

from __future__ import annotations

from decimal import Decimal as D

from test_render_sample import ENDPOINT_REASON, report

from cost.budget import Budget, check_budget
from cost.render.markdown import cell, render_markdown


def test_headline_range_coverage_and_budget() -> None:
    status = check_budget(D("127.9302"), Budget(D(100), "--budget"), 1)
    out = render_markdown(report(), status).splitlines()
    assert out[:8] == [
        "## Monthly cost estimate: data-ai-platform/prod",
        "",
        "**at least $127.93/month (1 resource unpriced)** (autoscaling range $127.93 - $776.65), us-east-1, "
        "USD, price catalog of 2026-11-26.",
        "",
        "6 resources: 3 priced, 1 free, 1 unpriced, 1 usage-dependent.",
        "",
        "**Budget exceeded: the estimate at least $127.93/month (1 resource unpriced) is at least $27.93 "
        "over the budget of $100.00/month (--budget).**",
        "",
    ]


def test_tables_by_component_and_service() -> None:
    out = render_markdown(report()).splitlines()
    start = out.index("### By component")
    assert out[start + 2 : start + 6] == [
        "| Component | Resources | Monthly cost | Min | Max |",
        "| --- | ---: | ---: | ---: | ---: |",
        "| prod-containers | 1 | $72.08 | $72.08 | $720.80 |",
        "| prod-network | 1 | $32.85 | $32.85 | $32.85 |",
    ]
    assert "| Amazon S3 | 1 | $23.00 |" in out


def test_savings_unpriced_and_breakdown() -> None:
    out = render_markdown(report()).splitlines()
    assert "### Savings (net $41.65/month, already included in the total)" in out
    assert "| spot | rag-api | FARGATE_SPOT for tasks above the base | $72.08 | $46.85 | $25.23 |" in out
    assert "### Not priced (1)" in out
    assert f"| ml-endpoint | `aws:sagemaker/endpoint:Endpoint` | {ENDPOINT_REASON} |" in out
    assert "| &nbsp;&nbsp;NAT gateway | 730 | hours | $0.045 | $32.85 |" in out
    assert "| &nbsp;&nbsp;Data processed | _Monthly cost depends on usage: $0.045 per GB_ |  |  |  |" in out
    assert "| &nbsp;&nbsp;Storage (STANDARD) | 1,000 | GB-months | $0.023 | $23.00 \\* |" in out
    assert "| &nbsp;&nbsp;_autoscaling range: $72.08 - $720.80_ |  |  |  |  |" in out
    assert not any("api-role" in line for line in out)  # free resources are only counted


def test_cells_cannot_break_the_table() -> None:
    assert cell("a|b\nc") == "a\\|b c"
    sample = report()
    sample.resources[0].name = "nat|0"
    assert "| **nat\\|0** `aws:ec2/natGateway:NatGateway` |  |  |  | **$32.85** |" in render_markdown(sample)
