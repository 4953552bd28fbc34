"""Steering a run: --policy / --skip-policy / --framework / --severity-threshold / --list."""

from __future__ import annotations

import json

import pytest

from policies import check, selection
from policies.registry import all_policies
from policies.results import PolicyResult, Violation


def test_framework_selection_keeps_exactly_the_mapped_policies() -> None:
    fsbp = {m.name for m in all_policies() if any(c.framework == "fsbp" for c in m.controls)}
    assert selection.chosen([], [], "fsbp") == fsbp
    assert "aws-ecr-repository-scan-on-push" in fsbp and "aws-resource-required-tags" not in fsbp
    assert selection.chosen(["aws-kms-key-enabled", "aws-kms-key-rotation"], [], "fsbp") == {
        "aws-kms-key-enabled"
    }  # KMS.3 is an FSBP control; key rotation (KMS.4) is CIS/PCI/NIST only
    assert "aws-kms-key-rotation" not in selection.chosen([], ["aws-kms-key-rotation"], None)


def test_restrict_disables_the_others_and_keeps_settings() -> None:
    config = {
        "aws-kms-key-rotation": {"enforcementLevel": "mandatory", "waivers": []},
        "aws-rds-force-ssl": "advisory",
    }
    out = selection.restrict(config, {"aws-rds-force-ssl"})
    assert out["aws-kms-key-rotation"] == {"enforcementLevel": "disabled", "waivers": []}
    assert out["aws-rds-force-ssl"] == "advisory"
    assert sum(value == "disabled" for value in out.values()) == len(all_policies()) - 2


def test_framework_config_files_are_generated_and_current() -> None:
    for key in ("cis", "fsbp", "pci", "nist"):
        path = selection.FRAMEWORK_DIR / f"{key}.json"
        assert json.loads(path.read_text(encoding="utf-8")) == selection.framework_config(key)
    cis = selection.framework_config("cis")
    assert cis["aws-kms-key-rotation"] == "mandatory" and cis["aws-resource-required-tags"] == "disabled"


@pytest.mark.parametrize(
    "argv", [["--policy", "nope"], ["--skip-policy", "nope"]], ids=["policy", "skip-policy"]
)
def test_unknown_policy_is_a_usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main(argv) == 2
    assert "no policy named 'nope'" in capsys.readouterr().err


def test_list_prints_level_severity_and_frameworks(capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main(["--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(all_policies()) + 1
    row = next(line for line in lines if line.startswith("aws-kms-key-rotation "))
    assert row.split()[1:3] == ["mandatory", "medium"] and "CIS 3.6" in row and "FSBP" not in row
    row = next(line for line in lines if line.startswith("aws-kms-key-enabled "))
    assert row.split()[1:3] == ["mandatory", "high"] and "FSBP KMS.3" in row


def _result(*severities: str) -> PolicyResult:
    violations = [Violation("p", "mandatory", s, "urn", "t", "n", "m") for s in severities]
    return PolicyResult("pack", "1", violations, [])


def test_severity_threshold_fails_only_at_or_above() -> None:
    assert check._failing(_result("medium"), "medium")
    assert not check._failing(_result("medium"), "high")
    assert check._failing(_result("low", "critical"), "high")
    assert not check._failing(_result(), "low")
