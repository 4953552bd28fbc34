"""`python -m preview`: summary by component, policy findings and cost, formats and exit codes.

The policy pack and the cost estimator are replaced by stand-ins with their contract's types (design.md,
Contracts 2 and 3), so these tests pin what the command does with their results; one slow test runs the real
pack and pricing end to end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import cost
import cost.usage
import policies.analyzer
from cost.model import CostReport, ResourceCost
from inventory import Inventory, Resource
from policies.results import NotApplicable, PolicyResult, Violation
from preview.__main__ import main

HERE = Path(__file__).resolve().parent
PREVIEW = HERE / "fixtures" / "small-dev.preview.json"
EXPORT = HERE / "fixtures" / "small-dev.stack.json"
SMALL = HERE / "programs" / "small"
REPO = HERE.parents[1]
PRICES = {
    "aws:rds/instance:Instance": Decimal("12.41"),
    "aws:kms/key:Key": Decimal("1"),
    "aws:sqs/queue:Queue": Decimal("0.5"),
}


class FakeSession:
    """Records what the command streams to the pack; reports versioning violations like a real rule would."""

    instances: list[FakeSession] = []

    def __init__(self, pack_dir: Path, *, project: str, stack: str, config: dict, policy_config: Any) -> None:
        self.started = (Path(pack_dir), project, stack, dict(config), policy_config)
        self.analyzed: list[str] = []
        self.closed = False
        self.mandatory_on: set[str] = {"db"}
        FakeSession.instances.append(self)

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def analyze(self, resource: Resource) -> None:
        self.analyzed.append(resource.urn)

    def finish(self, inventory: Inventory) -> PolicyResult:
        violations = [
            Violation(
                "aws-rds-instance-multi-az" if r.name in self.mandatory_on else "aws-s3-bucket-logging",
                "mandatory" if r.name in self.mandatory_on else "advisory",
                "high" if r.name in self.mandatory_on else "low",
                r.urn,
                r.type,
                r.name,
                f"{r.name} breaks the rule",
            )
            for r in inventory.custom()
            if r.name == "db" or r.type == "aws:s3/bucket:Bucket"
        ]
        waived = [NotApplicable("aws-kms-key-rotation", inventory.custom()[0].urn, "waived")]
        return PolicyResult("platform", "1.2.0", violations, waived)


def fake_estimate(inventory: Inventory, *, usage: Any = None) -> CostReport:
    rows = [
        ResourceCost(
            r.urn,
            r.type,
            r.name,
            None,
            "svc",
            inventory.region_of(r),
            "priced",
            "",
            PRICES[r.type],
            PRICES[r.type],
            PRICES[r.type] * 2,
        )
        for r in inventory.custom()
        if r.type in PRICES
    ]
    total = sum((r.monthly_usd for r in rows), Decimal(0))
    fake_estimate.usage = usage  # type: ignore[attr-defined]
    return CostReport(
        inventory.project,
        inventory.stack,
        "eu-west-1",
        "2026-09-01",
        rows,
        [],
        total,
        (total, total, total * 2),
        [],
    )


@pytest.fixture(autouse=True)
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeSession.instances.clear()
    monkeypatch.setattr(policies.analyzer, "PolicySession", FakeSession)
    monkeypatch.setattr(cost, "estimate", fake_estimate)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_summary_by_component_with_findings_and_cost(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--preview-json", str(PREVIEW), "--format", "json")
    doc = json.loads(out)
    assert (code, err) == (1, "")
    assert doc["exit_code"] == 1 and doc["schema_version"] == 1
    assert (doc["project"], doc["stack"], doc["source"]) == ("small-lake", "dev", "preview-json")
    assert doc["resources"]["total"] == 12 and doc["resources"]["components"] == 1
    lake, top = doc["resources"]["by_component"]
    assert lake == {
        "name": "lake",
        "type": "small:data:Lake",
        "urn": "urn:pulumi:dev::small-lake::small:data:Lake::lake",
        "resources": 7,
        "types": {
            "aws:s3/bucket:Bucket": 2,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 2,
            "aws:s3/bucketVersioning:BucketVersioning": 2,
            "aws:kms/key:Key": 1,
        },
        "monthly_usd": "1.00",
    }
    assert (top["name"], top["resources"], top["monthly_usd"]) == ("(top level)", 5, "12.91")
    assert doc["resources"]["by_type"]["aws:s3/bucket:Bucket"] == 2
    assert sum(doc["resources"]["by_type"].values()) == 12
    policy = doc["policy"]
    assert (policy["mandatory"], policy["advisory"], policy["not_applicable"]) == (1, 2, 1)
    assert [v["name"] for v in policy["violations"]] == ["db", "lake-curated", "lake-raw"]
    assert doc["cost"] == {
        "currency": "USD",
        "catalog_date": "2026-09-01",
        "total_monthly_usd": "13.91",
        "range": {"min": "13.91", "expected": "13.91", "max": "27.82"},
        "unpriced": 0,
        "top_components": [
            {"name": "(top level)", "monthly_usd": "12.91"},
            {"name": "lake", "monthly_usd": "1.00"},
        ],
    }
    assert doc["budget"] is None


def test_the_pack_gets_every_resource_and_the_stack_context(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--preview-json", str(PREVIEW), "--format", "json")
    [session] = FakeSession.instances
    pack_dir, project, stack, config, policy_config = session.started
    assert (pack_dir, project, stack, policy_config) == (REPO / "policies", "small-lake", "dev", None)
    assert config["aws:region"] == "eu-west-1"
    assert len(session.analyzed) == 13 and session.closed  # components too: the pack decides what applies


def test_table_lists_components_findings_cost_and_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--preview-json", str(PREVIEW))
    assert code == 1
    assert "Offline preview of small-lake/dev — 12 resources in 1 components (source: preview-json)" in out
    assert "Policy findings (platform 1.2.0): 1 mandatory, 2 advisory, 1 not applicable" in out
    assert "Estimated monthly cost: $13.91 (range $13.91 - $27.82; prices of 2026-09-01)" in out
    assert "db (rds.Instance)" in out and "db breaks the rule" in out and "2 s3.Bucket" in out
    assert out.rstrip().endswith("Result: FAILED — 1 mandatory policy violation")


def test_markdown_for_pull_requests(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--preview-json", str(PREVIEW), "--format", "markdown")
    assert code == 1
    assert out.startswith("### Offline preview of `small-lake/dev`: ❌ 1 mandatory policy violation\n")
    assert (
        "| mandatory | high | `aws-rds-instance-multi-az` | `db` (rds.Instance) | db breaks the rule |" in out
    )
    assert "| lake | `small:data:Lake` | 7 | 2 s3.Bucket<br>" in out


def test_no_mandatory_findings_and_within_budget_exits_0(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(FakeSession, "finish", lambda self, inv: PolicyResult("platform", "1.2.0", [], []))
    doc = json.loads(PREVIEW.read_text())
    doc["config"]["small-lake:budget"] = json.dumps({"monthlyUsd": 50})
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "--preview-json", str(path))
    assert code == 0
    assert "Within budget: $13.91/month of $50.00/month" in out and out.rstrip().endswith("Result: OK")


def test_an_estimate_over_budget_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(FakeSession, "finish", lambda self, inv: PolicyResult("platform", "1.2.0", [], []))
    doc = json.loads(PREVIEW.read_text())
    doc["config"]["small-lake:budget"] = json.dumps({"monthlyUsd": 10})
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "--preview-json", str(path), "--format", "json")
    assert code == 1
    assert json.loads(out)["budget"] == {
        "monthly_usd": "10.00",
        "source": "Pulumi.dev.yaml small-lake:budget.monthlyUsd",
        "exceeded": True,
        "confirmed": False,
    }


def test_the_budget_is_read_under_the_programs_own_project(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Another project's `data-ai-platform:budget` key is not this program's budget."""
    monkeypatch.setattr(FakeSession, "finish", lambda self, inv: PolicyResult("platform", "1.2.0", [], []))
    doc = json.loads(PREVIEW.read_text())
    doc["config"]["data-ai-platform:budget"] = json.dumps({"monthlyUsd": 10})
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "--preview-json", str(path), "--format", "json")
    assert code == 0
    assert json.loads(out)["budget"] is None


def test_the_usage_file_next_to_the_stack_is_used(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "usage.dev.yaml").write_text("resources: {}\n")
    monkeypatch.setattr(cost.usage, "load_usage", lambda path: ("usage", Path(path)))
    run(capsys, "--preview-json", str(PREVIEW), "--program", str(tmp_path), "--format", "json")
    assert fake_estimate.usage == ("usage", tmp_path / "usage.dev.yaml")  # type: ignore[attr-defined]
    run(capsys, "--preview-json", str(PREVIEW), "--format", "json", "--usage", str(tmp_path / "u.yaml"))
    assert fake_estimate.usage == ("usage", tmp_path / "u.yaml")  # type: ignore[attr-defined]


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "preview.md"
    code, out, _ = run(
        capsys, "--preview-json", str(PREVIEW), "--format", "markdown", "--output", str(target)
    )
    assert (code, out) == (1, "")
    assert target.read_text().startswith("### Offline preview of `small-lake/dev`")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preview-json", "nope.json"], "error: Cannot read nope.json: no such file.\n"),
        (["--state", str(PREVIEW)], "is not `pulumi stack export` output"),
        (
            ["--preview-json", str(PREVIEW), "--stack", "prod"],
            "is for stack 'dev', not 'prod'; drop --stack or fix it.",
        ),
        (["--program", str(SMALL), "--stack", "qa"], "No stack file Pulumi.qa.yaml in"),
    ],
)
def test_input_errors_exit_2_with_one_paragraph(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run(capsys, "--preview-json", str(bad), "--debug")
    assert code == 2
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().endswith(
        f"error: {bad} is not valid JSON: Expecting property name enclosed in double quotes at line 1, "
        "column 2."
    )


def test_an_unwritable_output_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "preview.md"
    code, out, err = run(capsys, "--preview-json", str(PREVIEW), "--output", str(target))
    assert (code, out) == (2, "")
    assert err == f"error: Cannot write {target}: No such file or directory.\n"


def test_unexpected_errors_are_one_paragraph_and_a_traceback_only_with_debug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(inventory: Inventory, *, usage: Any = None) -> CostReport:
        raise RuntimeError("pricer exploded")

    monkeypatch.setattr(cost, "estimate", broken)
    code, out, err = run(capsys, "--preview-json", str(PREVIEW))
    assert (code, out, err) == (
        2,
        "",
        "error: unexpected RuntimeError: pricer exploded. Rerun with --debug for the traceback.\n",
    )
    code, _, err = run(capsys, "--preview-json", str(PREVIEW), "--debug")
    assert code == 2 and err.startswith("Traceback (most recent call last):")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--format", "yaml"])
    assert exited.value.code == 2


@pytest.mark.slow
def test_synthesis_streams_resources_to_the_pack_while_the_program_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--program", str(SMALL), "--format", "json")
    [session] = FakeSession.instances
    assert code == 1 and json.loads(out)["source"] == "synthesis"
    assert len(session.analyzed) == 13 and session.started[1:3] == ("small-lake", "dev")


@pytest.mark.slow
def test_end_to_end_with_the_real_pack_and_pricing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    result = subprocess.run(
        [sys.executable, "-m", "preview", "--program", str(SMALL), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert doc["resources"]["total"] == 12 and doc["policy"]["pack"] and doc["cost"]["currency"] == "USD"
    assert Decimal(doc["cost"]["total_monthly_usd"]) > 0
    assert doc["exit_code"] == result.returncode


def test_state_input_takes_config_from_the_programs_stack_file() -> None:
    from inventory.cli import add_input_options, inventory_from_args

    parser = argparse.ArgumentParser()
    add_input_options(parser)
    inventory = inventory_from_args(parser.parse_args(["--state", str(EXPORT), "--program", str(SMALL)]))
    assert inventory.source == "stack-export"
    assert (
        inventory.config["aws:region"] == "eu-west-1"
        and inventory.config["small-lake:dbPassword"] == "[secret]"
    )
    bare = inventory_from_args(parser.parse_args(["--state", str(EXPORT), "--program", str(HERE)]))
    assert bare.config == {}


FAULTY = HERE / "programs" / "faulty"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stack", "message"),
    [
        ("raise", "(stack raise) failed at __main__.py:13: ValueError: bucket names must be lowercase. Run"),
        ("runerror", "(stack runerror) failed at __main__.py:15: the stack needs an `owner` tag; set faulty"),
        ("missing", "needs the Python package 'pulumi-missing-provider' which is not installed"),
    ],
)
def test_program_failures_exit_2_with_one_paragraph(
    capsys: pytest.CaptureFixture[str], stack: str, message: str
) -> None:
    code, out, err = run(capsys, "--program", str(FAULTY), "--stack", stack)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: The Pulumi program in {FAULTY}") and message in err
    assert err.count("\n") == 1


@pytest.mark.slow
def test_program_failure_with_debug_shows_the_programs_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--program", str(FAULTY), "--stack", "exit", "--debug")
    assert code == 2
    assert 'faulty/__main__.py", line' in err and "sys.exit(3)" in err and "giving up" in err
    assert err.rstrip().endswith(
        "failed at __main__.py:30: the program exited with status 3. Run with --debug for the full traceback."
    )
