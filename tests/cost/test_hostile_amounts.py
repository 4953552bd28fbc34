"""Huge amounts never overflow the money code: `--budget 1e26` renders in every format, a stack budget of
1e308 is refused naming the file and key, and rounding holds at any magnitude."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_cli_support import write_export, write_program

from cost import cli
from cost.decimals import quantize
from cost.render.fmt import money, percent, plain

BUDGET_CONFIG = "aws:region: us-east-1\ndata-ai-platform:budget:\n  monthlyUsd: {amount}"
HUGE = "$100,000,000,000,000,000,000,000,000.00"


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        ("table", f"Within budget: $712.11/month of {HUGE}/month (--budget)."),
        ("markdown", f"Within budget: $712.11/month of {HUGE}/month (--budget)."),
        ("html", f'<p class="within">Within budget: $712.11/month of {HUGE}/month (--budget).</p>'),
    ],
)
def test_a_huge_budget_renders_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, line: str
) -> None:
    export = write_export(tmp_path / "prod-export.json")
    program = write_program(tmp_path / "program", {"prod": BUDGET_CONFIG.format(amount=8000)})
    args = ["report", "--state", str(export), "--program", str(program), "--budget", "1e26", "--format", fmt]
    code = cli.main(args)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert line in out.splitlines() or line in out


def test_a_budget_beyond_the_bound_is_refused_naming_the_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_export(tmp_path / "prod-export.json")
    program = write_program(tmp_path / "program", {"prod": BUDGET_CONFIG.format(amount="1e308")})
    assert cli.main(["report", "--state", str(export), "--program", str(program)]) == 2
    assert capsys.readouterr().err == (
        "error: Pulumi.prod.yaml data-ai-platform:budget.monthlyUsd: '1e308' is more than the largest budget "
        "accepted (1,000,000,000,000,000,000,000,000,000,000 USD).\n"
    )


def test_rounding_holds_at_any_magnitude() -> None:
    assert money(Decimal("100000000000000000000000000.005")) == "$100,000,000,000,000,000,000,000,000.01"
    assert money(Decimal("1e308")).startswith("$100,000,") and money(Decimal("1e308")).endswith(",000.00")
    assert percent(Decimal("1e40")) == "+1" + "0" * 40 + ".0%"
    assert quantize(Decimal("2.675"), Decimal("0.01")) == Decimal("2.68")
    assert plain(Decimal("100000000000000000000000000.0050")) == "100000000000000000000000000.005"
