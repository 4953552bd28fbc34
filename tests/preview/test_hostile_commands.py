"""The commands over hostile input: `python -m preview` reports pack-config errors like `policies.check`
(exit 2, one paragraph naming the file), and the synthesis model survives a tags value it cannot merge.

The slow property runs the real command over mutated copies of our stack files: exit 0, 1 or 2 only, never a
traceback, and for exit 2 a message naming the stack file.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import preview.__main__ as preview_main
from inventory.model import UNKNOWN
from inventory.outputs import Context, compute
from policies import check

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", [preview_main.main, check.main], ids=["preview", "policies.check"])
def test_a_binary_pack_config_is_an_input_error_in_both_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: Any
) -> None:
    config = tmp_path / "pack.json"
    config.write_bytes(b"\xff\xfe{}")
    args = ["--preview-json", str(FIXTURES / "small-dev.preview.json"), "--policy-pack-config", str(config)]
    assert command(args) == 2
    err = capsys.readouterr().err
    assert err.lower() == (
        f"error: the policy pack config {config} is not utf-8 json text: byte 0xff at offset 0\n".lower()
    )


@pytest.mark.parametrize("tags", [UNKNOWN, "owner=me", ["a"]], ids=["unknown", "string", "list"])
def test_a_tags_value_that_is_not_a_map_leaves_tags_all_unknown(tags: Any) -> None:
    ctx = Context(
        type="aws:s3/bucket:Bucket",
        name="b",
        urn="urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
        inputs={"tags": tags},
        region="us-east-1",
        account="123456789012",
        partition="aws",
        default_tags={"owner": "team"},
    )
    computed = compute(ctx)
    assert computed.outputs["tagsAll"] == UNKNOWN and computed.outputs["tags"] == tags


def _copy_program(target: Path) -> Path:
    for name in ("Pulumi.yaml", "__main__.py", "Pulumi.dev.yaml"):
        shutil.copy(REPO_ROOT / name, target / name)
    shutil.copytree(REPO_ROOT / "components", target / "components")
    shutil.copytree(REPO_ROOT / "inventory", target / "inventory")
    (target / ".venv").symlink_to(REPO_ROOT / ".venv")
    return target


MUTATIONS = st.sampled_from(
    [
        ("network", "azCount", 10**400),
        ("network", "albIngressCidrs", ["::/0", "::/0"]),
        ("budget", "monthlyUsd", 1e308),
        ("dr", "region", []),
        ("tags", "owner", "!!timestamp 2026-01-01"),
        ("processing", "reservedConcurrencyy", 5),
        ("containers", "certificateArn", "arn:aws:acm:eu-west-1:111122223333:certificate/x"),
        ("ml", "endpoint", {"maxCapacity": 1e20}),
    ]
)


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(MUTATIONS)
def test_policy_check_over_mutated_stack_files_exits_0_1_or_2_naming_the_file(
    tmp_path_factory: pytest.TempPathFactory, mutation: tuple[str, str, Any]
) -> None:
    section, key, value = mutation
    program = _copy_program(tmp_path_factory.mktemp("program"))
    document = yaml.safe_load((program / "Pulumi.dev.yaml").read_text())
    document["config"][f"data-ai-platform:{section}"][key] = value
    text = yaml.safe_dump(document).replace("'!!timestamp 2026-01-01'", "!!timestamp 2026-01-01")
    (program / "Pulumi.dev.yaml").write_text(text)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = check.main(["--program", str(program), "--stack", "dev"])
    message = err.getvalue()
    assert code in (0, 1, 2) and "Traceback" not in message
    if code == 2:
        assert "Pulumi.dev.yaml" in message and section in message and message.count("\n") == 1
