"""`python -m cost diff`: two report files, two stacks, or two program directories; budget on the head."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_support import write_export, write_program

from cost import cli

NAT_STACKS = {
    "dev": "aws:region: us-east-1\ndata-ai-platform:natCount: 1",
    "prod": "aws:region: us-east-1\ndata-ai-platform:natCount: 2\ndata-ai-platform:budget:\n  monthlyUsd: 50",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """Reports of the export with db.m5.xlarge (base) and db.m5.large (head), written by `report`."""
    program = write_program(tmp_path / "program", {"prod": "aws:region: us-east-1"})
    paths = []
    for side, db_class in (("base", "db.m5.xlarge"), ("head", "db.m5.large")):
        export = write_export(tmp_path / f"{side}-export.json", db_class=db_class)
        target = tmp_path / f"{side}.json"
        args = ("report", "--state", str(export), "--program", str(program), "--format", "json")
        assert run(capsys, *args, "--output", str(target))[0] == 0
        paths.append(target)
    return paths[0], paths[1]


def test_two_report_files_as_a_pr_comment(capsys, reports) -> None:
    code, out, err = run(capsys, "diff", str(reports[0]), str(reports[1]), "--format", "markdown")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # db.m5.xlarge $0.356/h -> db.m5.large $0.178/h: 730 h x $0.178 = $129.94 less, of $712.1102 (-18.2%)
    assert lines[2] == "Monthly cost will **decrease by $129.94** (-18.2%): $712.11 → $582.17 per month."
    assert lines[4] == "0 added, 0 removed, 1 changed; unpriced resources: 0 → 0."
    assert (
        "| prod-db `aws:rds/instance:Instance`<br>`instance_class`: db.m5.xlarge → db.m5.large | changed | "
        "$271.38 | $141.44 | -$129.94 |" in lines
    )


def test_json_diff_of_two_files(capsys, reports) -> None:
    code, out, _ = run(capsys, "diff", str(reports[0]), str(reports[1]), "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert (doc["delta_monthly_usd"], doc["delta_percent"], doc["summary"]) == (
        "-129.94",
        "-18.25",
        {"added": 0, "removed": 0, "changed": 1},
    )
    assert doc["changes"][0]["components"] == [
        {
            "name": "Database instance (db.m5.xlarge, Single-AZ)",
            "unit": "instance-hour",
            "before_usd": "259.88",
            "after_usd": None,
            "delta_usd": "-259.88",
        },
        {
            "name": "Database instance (db.m5.large, Single-AZ)",
            "unit": "instance-hour",
            "before_usd": None,
            "after_usd": "129.94",
            "delta_usd": "129.94",
        },
    ]


def test_budget_applies_to_the_head(capsys, reports) -> None:
    code, _, err = run(capsys, "diff", str(reports[0]), str(reports[1]), "--budget", "500")
    assert code == 1
    assert err == (
        "error: Budget exceeded: the estimate $582.17/month is $82.17 over the budget of $500.00/month "
        "(--budget).\n"
    )
    assert run(capsys, "diff", str(reports[0]), str(reports[1]), "--budget", "600")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "error: nothing to compare: give two report files written by `cost report --format json` "
            "(BASE HEAD), or --base-stack/--head-stack, or --base-program/--head-program.\n",
        ),
        (("only.json",), "error: cost diff takes two report files, BASE and HEAD (got 1).\n"),
        (
            ("a.json", "b.json", "--head-stack", "prod"),
            "error: give either two report files (BASE HEAD) or --base-/--head- stacks or programs, "
            "not both.\n",
        ),
    ],
)
def test_argument_errors_exit_2(capsys, args, message) -> None:
    assert run(capsys, "diff", *args) == (2, "", message)


def test_missing_and_malformed_report_files_exit_2(capsys, reports, tmp_path) -> None:
    missing = tmp_path / "missing.json"
    assert run(capsys, "diff", str(missing), str(reports[1])) == (
        2,
        "",
        f"error: cost report file {missing} does not exist.\n",
    )
    stack_export = write_export(tmp_path / "export.json")
    code, _, err = run(capsys, "diff", str(stack_export), str(reports[1]))
    assert code == 2
    assert err.startswith(f"error: {stack_export} is not a cost report in the format `python -m cost report")


@pytest.mark.slow
def test_two_stacks_of_one_program_with_the_head_stack_budget(capsys, tmp_path) -> None:
    program = write_program(tmp_path / "nat", NAT_STACKS)
    args = (
        "diff",
        "--program",
        str(program),
        "--base-stack",
        "dev",
        "--head-stack",
        "prod",
        "--format",
        "json",
    )
    code, out, err = run(capsys, *args)
    doc = json.loads(out)
    assert code == 1  # 2 x $32.85 = $65.70 is over prod's budget of $50
    assert err == (
        "error: Budget exceeded: the estimate $65.70/month is $15.70 over the budget of $50.00/month "
        "(Pulumi.prod.yaml data-ai-platform:budget.monthlyUsd).\n"
    )
    assert (doc["base"]["total_monthly_usd"], doc["head"]["total_monthly_usd"]) == ("32.85", "65.7")
    assert [(c["kind"], c["name"], c["delta_usd"]) for c in doc["changes"]] == [("added", "nat-1", "32.85")]


@pytest.mark.slow
def test_base_and_head_program_directories_for_a_pull_request(capsys, tmp_path) -> None:
    base = write_program(tmp_path / "main", {"dev": NAT_STACKS["dev"]})
    head = write_program(tmp_path / "pr", {"dev": "aws:region: us-east-1\ndata-ai-platform:natCount: 3"})
    (head / "usage.dev.yaml").write_text("version: 1\nresources:\n  nat-*:\n    monthlyDataProcessedGb: 10\n")
    args = (
        "diff",
        "--base-program",
        str(base),
        "--head-program",
        str(head),
        "--stack",
        "dev",
        "--format",
        "markdown",
    )
    code, out, _ = run(capsys, *args)
    assert code == 0
    # head: 3 x ($32.85 + 10 GB x $0.045) = $99.90
    assert "Monthly cost will **increase by $67.05** (+204.1%): $32.85 → $99.90 per month." in out
    assert "| nat-0 `aws:ec2/natGateway:NatGateway` | changed | $32.85 | $33.30 | +$0.45 |" in out


def test_an_unknown_head_stack_exits_2_and_stops_the_base_synthesis(capsys, tmp_path) -> None:
    program = write_program(tmp_path / "nat", NAT_STACKS)
    code, out, err = run(
        capsys, "diff", "--program", str(program), "--base-stack", "dev", "--head-stack", "nope"
    )
    assert (code, out) == (2, "")
    assert err == (
        f"error: No stack file Pulumi.nope.yaml in {program}; stacks found: dev, prod. "
        "Choose one with --stack.\n"
    )
