"""Honest totals: with an unpriced resource every format says "at least", the budget cannot be confirmed
(a warning, exit 0), `--fail-on-unpriced` exits 1, and a budget the known part already exceeds is exceeded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_support import write_export, write_program

from cost import cli

# The export of test_cli_report with an RDS class the catalog lacks (db.x2g.large): the instance hours are
# unpriced, its 100 GB gp3 storage ($11.50) still counts: 712.1102 - 259.88 = 452.2302.
KNOWN = "452.2302"
CONFIG = "aws:region: us-east-1\ndata-ai-platform:budget:\n  monthlyUsd: 8000"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "prod-export.json", db_class="db.x2g.large")


@pytest.fixture
def program(tmp_path: Path) -> Path:
    return write_program(tmp_path / "program", {"prod": CONFIG})


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_format_says_at_least_and_the_budget_is_not_confirmed(capsys, export, program) -> None:
    base = ("report", "--state", str(export), "--program", str(program))
    code, out, err = run(capsys, *base, "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["total_monthly_usd"] == KNOWN and doc["total_is_lower_bound"] is True
    assert doc["total_text"] == "at least $452.23 (1 resource unpriced)"
    assert doc["budget"]["confirmed"] is False and doc["budget"]["exceeded"] is False
    assert err.startswith(
        "warning: Budget not confirmed: the estimate is at least $452.23/month (1 resource "
    )
    assert err.rstrip().endswith("Unpriced: prod-db.")
    _, markdown, _ = run(capsys, *base, "--format", "markdown")
    assert "**at least $452.23/month (1 resource unpriced)** (autoscaling range" in markdown
    assert "**Budget not confirmed: the estimate is at least $452.23/month (1 resource unpriced)" in markdown
    _, html, _ = run(capsys, *base, "--format", "html")
    assert "<strong>at least $452.23/month (1 resource unpriced)</strong>" in html
    assert '<p class="unconfirmed">Budget not confirmed' in html
    _, table, _ = run(capsys, *base)
    assert "Monthly total: at least $452.23 (1 resource unpriced)" in table
    assert "it holds only if the unpriced resources cost less than $7,547.77/month." in table


def test_fail_on_unpriced_exits_1(capsys, export, program) -> None:
    code, _, err = run(
        capsys, "report", "--state", str(export), "--program", str(program), "--fail-on-unpriced"
    )
    assert code == 1
    assert err.startswith("error: --fail-on-unpriced: Budget not confirmed: the estimate is at least $452.23")


def test_fail_on_unpriced_without_a_budget_still_exits_1(capsys, export, tmp_path) -> None:
    program = write_program(tmp_path / "bare", {"prod": "aws:region: us-east-1"})
    code, _, err = run(
        capsys, "report", "--state", str(export), "--program", str(program), "--fail-on-unpriced"
    )
    assert code == 1
    assert (
        err == "error: --fail-on-unpriced: the total is at least $452.23 (1 resource unpriced). "
        "Unpriced: prod-db.\n"
    )


def test_a_budget_the_known_part_exceeds_is_exceeded(capsys, export, program) -> None:
    code, _, err = run(capsys, "report", "--state", str(export), "--program", str(program), "--budget", "400")
    assert code == 1
    assert err == (
        "error: Budget exceeded: the estimate at least $452.23/month (1 resource unpriced) is at least "
        "$52.23 over the budget of $400.00/month (--budget).\n"
    )


def test_diff_fails_on_an_unpriced_head_under_the_flag(capsys, export, program, tmp_path) -> None:
    priced = write_export(tmp_path / "base-export.json")
    files = []
    for name, source in (("base", priced), ("head", export)):
        _, out, _ = run(
            capsys, "report", "--state", str(source), "--program", str(program), "--format", "json"
        )
        path = tmp_path / f"{name}.json"
        path.write_text(out, encoding="utf-8")
        files.append(str(path))
    code, out, err = run(capsys, "diff", *files, "--format", "markdown", "--fail-on-unpriced")
    assert code == 1 and "error: --fail-on-unpriced" in err
    assert "$712.11 → at least $452.23 (1 resource unpriced) per month." in out
