"""The terminal table of `cost report` (no colour, fixed width): exact figures from a hand-built report."""

from __future__ import annotations

from decimal import Decimal as D

from test_render_sample import ENDPOINT_REASON, report

from cost.budget import Budget, check_budget
from cost.render.table import render_table


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_breakdown_is_grouped_by_component_with_every_cost_component() -> None:
    out = lines(render_table(report()))
    start = out.index("prod-containers")
    assert out[start : start + 10] == [
        "prod-containers",
        "rag-api  (aws:ecs/service:Service)                                  $72.08",
        " ├─ vCPU (FARGATE)               1,460  vCPU-hours    $0.04048      $59.10",
        " └─ Memory (FARGATE)             2,920  GB-hours     $0.004445      $12.98",
        "    autoscaling range: $72.08 - $720.80",
        "prod-network",
        "prod-nat-0  (aws:ec2/natGateway:NatGateway)                         $32.85",
        " ├─ NAT gateway                    730  hours           $0.045      $32.85",
        " └─ Data processed              Monthly cost depends on usage: $0.045 per GB",
        "prod-data",
    ]


def test_long_names_run_across_the_table_without_widening_its_columns() -> None:
    sample = report()
    sample.resources[0].name = "n" * 90
    out = lines(render_table(sample))
    assert out[2] == "Resource / cost component  Monthly qty  Unit        Unit price  Monthly cost"
    assert "n" * 90 + "  (aws:ec2/natGateway:NatGateway)  $32.85" in out


def test_usage_dependent_lines_show_the_unit_price_and_usage_based_costs_are_starred() -> None:
    out = lines(render_table(report()))
    assert " └─ Storage (STANDARD)           1,000  GB-months       $0.023      $23.00 *" in out
    assert " ├─ Requests               Monthly cost depends on usage: $0.20 per 1M requests" in out
    assert " └─ Duration               Monthly cost depends on usage: $0.0000166667 per GB-seconds" in out
    assert "* usage-based: quantity from the usage file" in out


def test_free_resources_are_counted_not_listed_and_unpriced_ones_say_why() -> None:
    text = render_table(report())
    assert "api-role" not in text
    out = lines(text)
    assert " └─ not priced (see Not priced below)" in out
    assert any(
        line.startswith("ml-endpoint   aws:sagemaker/endpoint:Endpoint") and ENDPOINT_REASON in line
        for line in out
    )


def test_summaries_by_component_and_service_savings_range_and_coverage() -> None:
    out = lines(render_table(report()))
    assert "prod-containers           1         $72.08   $72.08   $720.80" in out
    assert "(top level)               2          $0.00    $0.00     $0.00" in out
    assert "AWS Fargate                1         $72.08" in out
    assert (
        "spot         rag-api    FARGATE_SPOT for tasks above the base     $72.08      $46.85"
        "           $25.23" in out
    )
    assert out[-4:] == [
        "Monthly total: at least $127.93 (1 resource unpriced)",
        "Range (autoscaling min - max): $127.93 - $776.65",
        "6 resources: 3 priced, 1 free, 1 unpriced, 1 usage-dependent",
        "* usage-based: quantity from the usage file",
    ]


def test_budget_line_names_the_source_and_the_overrun() -> None:
    over = render_table(report(), check_budget(D("127.9302"), Budget(D(100), "--budget")))
    assert lines(over)[-1] == (
        "Budget exceeded: the estimate $127.93/month is $27.93 over the budget of $100.00/month (--budget)."
    )
    source = "Pulumi.prod.yaml data-ai-platform:budget.monthlyUsd"
    within = render_table(report(), check_budget(D("127.9302"), Budget(D(8000), source)))
    assert lines(within)[-1] == f"Within budget: $127.93/month of $8,000.00/month ({source})."


def test_names_are_printed_literally_not_as_rich_markup() -> None:
    sample = report()
    sample.resources[0].name = "[bold]nat[/bold] [secret]"
    assert "[bold]nat[/bold] [secret]  (aws:ec2/natGateway:NatGateway)" in render_table(sample)
