"""The GitHub Actions workflows and pre-commit hooks: parsed, cross-checked against the repo, and linted."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
STACKS = sorted(p.name.split(".")[1] for p in ROOT.glob("Pulumi.*.yaml"))


def _load(name: str) -> dict[str, Any]:
    doc = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the bare key `on` as True.
    doc["on"] = doc.pop(True, doc.get("on"))
    return doc


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def _uses(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in _steps(job) if str(s.get("uses", "")).split("@")[0] == action]
    assert found, f"no step uses {action}"
    return found[0]


def _run_text(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in _steps(job))


def test_stack_files_exist() -> None:
    assert STACKS == ["dev", "prod", "staging"]


def test_pull_request_triggers_and_jobs() -> None:
    wf = _load("pull-request.yml")
    assert "pull_request" in wf["on"] and "workflow_call" in wf["on"]
    assert set(wf["jobs"]) == {"test", "policy", "cost", "credentials", "preview"}
    assert wf["permissions"] == {"contents": "read"}


def test_tests_job_runs_the_readme_test_command_with_pip_cache() -> None:
    job = _load("pull-request.yml")["jobs"]["test"]
    setup = _uses(job, "actions/setup-python")
    assert setup["with"]["cache"] == "pip"
    assert "./dev test" in _run_text(job)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./dev test" in ci


def test_policy_job_covers_every_stack_uploads_sarif_and_writes_summary() -> None:
    job = _load("pull-request.yml")["jobs"]["policy"]
    assert sorted(job["strategy"]["matrix"]["stack"]) == STACKS
    assert job["permissions"]["security-events"] == "write"
    run = _run_text(job)
    assert "--format sarif" in run and "--format markdown" in run
    assert "GITHUB_STEP_SUMMARY" in run
    upload = _uses(job, "github/codeql-action/upload-sarif")
    assert upload["with"]["sarif_file"] == "policy-${{ matrix.stack }}.sarif"


def test_cost_job_posts_one_updatable_comment() -> None:
    job = _load("pull-request.yml")["jobs"]["cost"]
    assert job["permissions"]["pull-requests"] == "write"
    run = _run_text(job)
    assert "-m cost diff" in run and "--base-program base" in run and "--head-program head" in run
    script = _uses(job, "actions/github-script")["with"]["script"]
    marker = "<!-- data-ai-platform:cost-diff -->"
    assert marker in script and marker in run
    assert "updateComment" in script and "createComment" in script


def test_real_preview_only_with_credentials_and_with_the_policy_pack() -> None:
    jobs = _load("pull-request.yml")["jobs"]
    detect = _run_text(jobs["credentials"])
    assert "PULUMI_ACCESS_TOKEN" in detect and "AWS_ROLE_TO_ASSUME" in detect
    preview = jobs["preview"]
    assert "needs.credentials.outputs.present == 'true'" in preview["if"]
    pulumi = _uses(preview, "pulumi/actions")
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["policyPacks"] == "policies"
    assert pulumi["with"]["comment-on-pr"] is True
    assert pulumi["with"]["policyPackConfigs"] == "policies/config/${{ matrix.stack }}.json"
    assert sorted(preview["strategy"]["matrix"]["stack"]) == STACKS


def test_deploy_dev_on_main_prod_on_tags_gated_by_checks() -> None:
    wf = _load("deploy.yml")
    assert wf["on"]["push"] == {"branches": ["main"], "tags": ["v*"]}
    jobs = wf["jobs"]
    assert jobs["checks"]["uses"] == "./.github/workflows/pull-request.yml"
    assert set(jobs["up"]["needs"]) == {"checks", "target", "budget"}
    assert "stack=prod" in _run_text(jobs["target"]) and "stack=dev" in _run_text(jobs["target"])
    up = _uses(jobs["up"], "pulumi/actions")
    assert up["with"]["command"] == "up" and up["with"]["policyPacks"] == "policies"


def test_policy_pack_configs_named_by_workflows_exist() -> None:
    for stack in STACKS:
        assert (ROOT / "policies" / "config" / f"{stack}.json").is_file()


def _flags(run: str, module: str) -> set[str]:
    flags: set[str] = set()
    for line in run.replace("\\\n", " ").splitlines():
        if f"-m {module}" in line:
            args = shlex.split(line.split(f"-m {module}", 1)[1])
            flags.update(t.split("=")[0] for t in args if t.startswith("--"))
    return flags


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "workflow", "job"),
    [
        ("policies.check", "pull-request.yml", "policy"),
        ("cost diff", "pull-request.yml", "cost"),
        ("cost report", "deploy.yml", "budget"),
    ],
)
def test_commands_in_workflows_accept_their_flags(module: str, workflow: str, job: str) -> None:
    flags = _flags(_run_text(_load(workflow)["jobs"][job]), module)
    assert flags
    command = [sys.executable, "-m", *module.split(), "--help"]
    help_text = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    known = set(re.findall(r"--[a-z][a-z0-9-]*", help_text))
    assert flags <= known, f"{module} does not accept {sorted(flags - known)}"


def test_pre_commit_hooks_use_the_project_venv() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert {"ruff-lint", "ruff-format", "mypy", "fast-tests", "actionlint"} <= set(hooks)
    assert "not slow" in hooks["fast-tests"]["entry"]
    for hook in hooks.values():
        assert hook["entry"].startswith(".venv/bin/")


def test_actionlint_is_clean() -> None:
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if actionlint is None:
        pytest.skip("actionlint wheel is only installed on x86_64 Linux (requirements-dev.txt)")
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    result = subprocess.run([actionlint, *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
