"""Our three stacks give exactly the findings and cost figures recorded in tests/golden/<stack>.json.

The files were taken before the inventory layer move; a change that moves a finding or a figure on purpose
regenerates them (`.venv/bin/python tools/golden.py --write`) and says why in its commit.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("golden_tool", ROOT / "tools" / "golden.py")
assert _spec is not None and _spec.loader is not None
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", golden.STACKS)
def test_findings_and_cost_match_the_golden_file(stack: str) -> None:
    expected = json.loads(golden.golden_path(stack).read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(golden.snapshot(stack)))
    assert actual["violations"] == expected["violations"]
    assert actual["not_applicable"] == expected["not_applicable"]
    assert actual["cost"]["total_monthly_usd"] == expected["cost"]["total_monthly_usd"]
    assert actual["cost"]["range"] == expected["cost"]["range"]
    assert actual["cost"]["resources"] == expected["cost"]["resources"]
