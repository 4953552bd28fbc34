"""Checkov-style exact-set tests: every fixture file's resources fail, pass or are not-applicable exactly as
named."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import analyze, fixture_files, load


@pytest.mark.parametrize("path", fixture_files(), ids=lambda path: path.stem)
def test_fixture_outcomes_are_exact(path: Path) -> None:
    policy, cases = load(path)
    outcome = analyze(policy, cases)
    expected = {
        kind: {case.name for case in cases if case.expected == kind} for kind in ("pass", "fail", "na")
    }
    assert outcome.sdk_unknown == []
    assert outcome.stack_messages == []
    assert outcome.failed == expected["fail"], outcome.messages
    assert set(outcome.na) == expected["na"], outcome.na
    labeled = {case.name for case in cases if case.expected}
    assert labeled <= outcome.judged, "a labeled fixture is of a type the policy does not judge"
    assert outcome.passed & labeled == expected["pass"]
    assert expected["fail"] and expected["pass"], (
        "every rule needs at least one failing and one passing fixture"
    )
