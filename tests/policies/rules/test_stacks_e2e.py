"""End to end: our program's stacks through the real analyzer path (synthesis under mocks, then the pack
driven over gRPC by `policies.check`), and a deliberately weakened copy of a component caught by the pack.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inventory import synthesize
from inventory.model import Inventory
from policies.analyzer import run_pack
from policies.metadata import POLICIES_DIR, STACK_PROFILES, profile_path
from policies.results import PolicyResult

ROOT = POLICIES_DIR.parent
PROGRAM_FILES = (
    "__main__.py",
    "Pulumi.yaml",
    "components",
    "functions",
    *(f"Pulumi.{s}.yaml" for s in STACK_PROFILES),
)


def _check(inventory: Inventory, stack: str) -> PolicyResult:
    return run_pack(inventory, policy_config=profile_path(stack))


@pytest.mark.slow
@pytest.mark.parametrize("stack", STACK_PROFILES)
def test_our_stacks_have_no_mandatory_violation(stack: str) -> None:
    result = _check(synthesize(ROOT, stack), stack)
    assert [(v.policy, v.name, v.message) for v in result.mandatory] == []
    assert len(result.policies) == 197 and result.resources_analyzed > 100


def _weakened_copy(tmp_path: Path) -> Path:
    """The program with the data lake's bucket hardening (`harden`) weakened: SSE-S3 instead of SSE-KMS, one
    PAB flag off. `harden` also hardens the ALB log bucket (SSE-S3 by design): it loses the PAB flag too."""
    for name in PROGRAM_FILES:
        source = ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    lake = tmp_path / "components" / "data_lake.py"
    text = lake.read_text(encoding="utf-8")
    weakened = text.replace(
        'sse_algorithm="aws:kms", kms_master_key_id=spec.kms_key_arn', 'sse_algorithm="AES256"'
    )
    weakened = weakened.replace("restrict_public_buckets=True", "restrict_public_buckets=False")
    assert weakened.count("AES256") == text.count("AES256") + 1 and weakened != text
    lake.write_text(weakened, encoding="utf-8")
    return tmp_path


def _component_type(inventory: Inventory, urn: str) -> str | None:
    component = inventory.component_of(inventory.by_urn(urn))
    return component.type if component else None


@pytest.mark.slow
def test_weakened_component_and_blown_budget_are_caught(tmp_path: Path) -> None:
    program = _weakened_copy(tmp_path)
    inventory = synthesize(program, "dev", config_overrides={"budget": {"monthlyUsd": 1}})
    lake_buckets = {
        r.name
        for r in inventory.custom()
        if r.type == "aws:s3/bucket:Bucket"
        and _component_type(inventory, r.urn) == "data-ai-platform:data_lake:DataLake"
    }
    assert len(lake_buckets) >= 3
    result = _check(inventory, "dev")
    found = {(v.policy, v.name) for v in result.mandatory}
    expected = {
        (policy, name)
        for name in lake_buckets
        for policy in ("aws-s3-bucket-sse-kms", "aws-s3-bucket-public-access-block")
    } | {("aws-s3-bucket-public-access-block", "containers-alb-logs")}
    assert found - {v for v in found if v[0] == "aws-stack-monthly-budget"} == expected
    assert [v.policy for v in result.mandatory if v.policy == "aws-stack-monthly-budget"] == [
        "aws-stack-monthly-budget"
    ]
