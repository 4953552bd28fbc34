"""The README's generated sections are what `tools/readme.py` produces from the repository today."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import readme  # noqa: E402


def _section(name: str) -> str:
    text = (ROOT / "README.md").read_text()
    return text.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0].rstrip("\n")


def test_stack_table_matches_the_stack_files() -> None:
    assert _section("stacks") == readme.stacks_section()


def test_stack_table_rows_read_the_validated_config() -> None:
    rows = {line.split(" | ")[0].lstrip("| "): line for line in readme.stacks_section().splitlines()}
    assert rows["AZs / NAT gateways"] == "| AZs / NAT gateways | 2 / 1 | 2 / 1 | 3 / 3 |"
    assert "1..10 instances" in rows["Endpoint"].split(" | ")[3]


def test_readme_documents_the_two_commands_and_ci_runs_the_second() -> None:
    text = (ROOT / "README.md").read_text()
    assert "./dev preview" in text and "./dev test" in text
    assert "./dev test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.slow
def test_pull_request_samples_are_generated_by_our_commands() -> None:
    """Regenerates the policy comment and the cost diff (three syntheses) and compares with the README."""
    assert _section("pr-samples") == readme.pr_samples_section()
