"""`python -m cost report`: inputs, formats, output files, budget exit codes (0/1/2) and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from test_cli_support import write_export, write_program

from cost import cli
from cost.catalog import CatalogError
from cost.render.jsonfmt import SCHEMA_PATH

# The export's figures, from the bundled catalog (us-east-1): endpoint 2 x 730 h x $0.23 = $335.80;
# RDS db.m5.xlarge Single-AZ 730 h x $0.356 = $259.88 + 100 GB gp3 x $0.115 = $11.50; Fargate 2 tasks:
# 1,460 vCPU-h x $0.04048 = $59.1008 + 2,920 GB-h x $0.004445 = $12.9794; NAT gateway 730 h x $0.045 = $32.85.
# Total $712.1102.
TOTAL = "712.1102"
BUDGET_CONFIG = "aws:region: us-east-1\ndata-ai-platform:budget:\n  monthlyUsd: {amount}"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "prod-export.json")


@pytest.fixture
def program(tmp_path: Path) -> Path:
    return write_program(tmp_path / "program", {"prod": BUDGET_CONFIG.format(amount=8000)})


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_of_a_stack_export(capsys, export, program) -> None:
    code, out, err = run(
        capsys, "report", "--state", str(export), "--program", str(program), "--format", "json"
    )
    assert (code, err) == (0, "")
    doc = json.loads(out)
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(doc)
    assert doc["total_monthly_usd"] == TOTAL
    assert {r["name"]: r["monthly_usd"] for r in doc["resources"] if r["status"] == "priced"} == {
        "prod-endpoint": "335.8",
        "prod-db": "271.38",
        "rag-api": "72.0802",
        "prod-nat-0": "32.85",
    }
    assert doc["budget"] == {
        "monthly_usd": "8000",
        "source": "Pulumi.prod.yaml data-ai-platform:budget.monthlyUsd",
        "exceeded": False,
        "over_by_usd": "0",
        "confirmed": True,
        "message": "Within budget: $712.11/month of $8,000.00/month (Pulumi.prod.yaml "
        "data-ai-platform:budget.monthlyUsd).",
    }


def test_over_the_config_budget_exits_1_and_names_the_stack_file(capsys, export, tmp_path) -> None:
    program = write_program(tmp_path / "tight", {"prod": BUDGET_CONFIG.format(amount=700)})
    code, out, err = run(
        capsys, "report", "--state", str(export), "--program", str(program), "--format", "markdown"
    )
    assert code == 1
    assert err == (
        "error: Budget exceeded: the estimate $712.11/month is $12.11 over the budget of $700.00/month "
        "(Pulumi.prod.yaml data-ai-platform:budget.monthlyUsd).\n"
    )
    assert "**Budget exceeded: the estimate $712.11/month is $12.11 over" in out


def test_the_budget_flag_overrides_the_config(capsys, export, program) -> None:
    args = ("report", "--state", str(export), "--program", str(program), "--format", "json")
    code, _, err = run(capsys, *args, "--budget", "712.11")
    assert code == 1 and "over the budget of $712.11/month (--budget)" in err
    code, _, err = run(capsys, *args, "--budget", "712.12")
    assert (code, err) == (0, "")


def test_default_usage_file_next_to_the_stack_file(capsys, export, program) -> None:
    (program / "usage.prod.yaml").write_text(
        "version: 1\nresources:\n  prod-nat-0:\n    monthlyDataProcessedGb: 100\n"
    )
    code, out, _ = run(
        capsys, "report", "--state", str(export), "--program", str(program), "--format", "json"
    )
    nat = next(r for r in json.loads(out)["resources"] if r["name"] == "prod-nat-0")
    assert code == 0
    assert nat["monthly_usd"] == "37.35"  # 32.85 + 100 GB x $0.045


def test_offline_rightsizing_from_the_usage_file_shows_as_a_saving(capsys, export, program) -> None:
    usage = "version: 1\nresources:\n  prod-db:\n    utilization: {cpuPercent: 12, memoryPercent: 20}\n"
    (program / "usage.prod.yaml").write_text(usage)
    code, out, _ = run(
        capsys, "report", "--state", str(export), "--program", str(program), "--format", "json"
    )
    savings = [s for s in json.loads(out)["savings"] if s["kind"] == "rightsizing"]
    assert code == 0
    assert [(s["name"], s["baseline_usd"], s["optimized_usd"], s["monthly_saving_usd"]) for s in savings] == [
        ("prod-db", "271.38", "141.44", "129.94")  # db.m5.large: 730 h x $0.178 = $129.94 + storage $11.50
    ]
    assert savings[0]["description"].startswith("downsize db.m5.xlarge -> db.m5.large: mostly idle, CPU 12%")


def test_output_file_and_html(capsys, export, program, tmp_path) -> None:
    target = tmp_path / "report.html"
    args = (
        "report",
        "--state",
        str(export),
        "--program",
        str(program),
        "--format",
        "html",
        "--output",
        str(target),
    )
    code, out, err = run(capsys, *args)
    assert (code, out, err) == (0, "", f"wrote {target}\n")
    assert "<svg" in target.read_text() and "$712.11/month" in target.read_text()


def test_table_on_stdout(capsys, export, program) -> None:
    code, out, _ = run(capsys, "report", "--state", str(export), "--program", str(program))
    assert code == 0
    assert "Monthly total: $712.11" in out
    assert " ├─ NAT gateway" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--state", "missing.json"), "error: Cannot read missing.json: no such file.\n"),
        (
            ("--usage", "nope.yaml"),
            "error: cannot read the usage file nope.yaml: No such file or directory\n",
        ),
        (("--stack", "staging"), "is for stack 'prod', not 'staging'; drop --stack or fix it.\n"),
    ],
)
def test_input_errors_exit_2_with_one_paragraph(capsys, export, program, args, message) -> None:
    base = ["report", "--state", str(export), "--program", str(program)]
    if args[0] == "--state":
        base = ["report", "--program", str(program)]
    code, out, err = run(capsys, *base, *args)
    assert code == 2 and out == ""
    assert err.endswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_malformed_export_exits_2(capsys, program, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run(capsys, "report", "--state", str(bad), "--program", str(program))
    assert code == 2
    reason = "Expecting property name enclosed in double quotes at line 1, column 2"
    assert err == f"error: {bad} is not valid JSON: {reason}.\n"


def test_unknown_stack_exits_2(capsys, program) -> None:
    code, _, err = run(capsys, "report", "--program", str(program), "--stack", "nope")
    assert code == 2
    assert err.startswith("error: No stack file Pulumi.nope.yaml in ") and "stacks found: prod." in err


@pytest.mark.parametrize(("flag", "value"), [("--budget", "lots"), ("--format", "pdf")])
def test_bad_flags_are_usage_errors(capsys, export, flag, value) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["report", "--state", str(export), flag, value])
    assert caught.value.code == 2
    assert f"argument {flag}: " in capsys.readouterr().err


def test_a_broken_price_catalog_exits_2_with_its_message(capsys, export, program, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise CatalogError("the price catalog cost/data/catalog.json is not valid JSON: Expecting value")

    monkeypatch.setattr(cli, "estimate_stack", broken)
    code, out, err = run(capsys, "report", "--state", str(export), "--program", str(program))
    assert (code, out) == (2, "")
    assert err == "error: the price catalog cost/data/catalog.json is not valid JSON: Expecting value\n"


def test_an_unwritable_output_file_exits_2(capsys, export, program, tmp_path) -> None:
    target = tmp_path / "missing-dir" / "report.json"
    args = ("report", "--state", str(export), "--program", str(program), "--format", "json")
    code, out, err = run(capsys, *args, "--output", str(target))
    assert (code, out) == (2, "")
    assert err == f"error: Cannot write {target}: No such file or directory.\n"


def test_unexpected_errors_are_one_paragraph_and_a_traceback_only_with_debug(
    capsys, export, program, monkeypatch
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("pricer exploded")

    monkeypatch.setattr(cli, "estimate_stack", broken)
    code, _, err = run(capsys, "report", "--state", str(export), "--program", str(program))
    assert (code, err) == (
        2,
        "error: unexpected RuntimeError: pricer exploded. Rerun with --debug for the traceback.\n",
    )
    code, _, err = run(capsys, "report", "--state", str(export), "--program", str(program), "--debug")
    assert code == 2 and err.startswith("Traceback (most recent call last):")
