"""End to end: a bad stack file stops the program with the config error's message, before any resource."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from stackview import REPO_ROOT, Resource, stream

from inventory.errors import InputError

pytestmark = pytest.mark.slow


def _program_with_stack(tmp_path: Path, stack: str, network: dict[str, object]) -> Path:
    """A copy of the program whose `Pulumi.<stack>.yaml` is the dev stack file with `network` replaced."""
    for name in ("__main__.py", "Pulumi.yaml"):
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    for directory in ("components", "functions"):
        if (REPO_ROOT / directory).is_dir():
            shutil.copytree(
                REPO_ROOT / directory, tmp_path / directory, ignore=shutil.ignore_patterns("__pycache__")
            )
    stack_file = yaml.safe_load((REPO_ROOT / "Pulumi.dev.yaml").read_text())
    stack_file["config"]["data-ai-platform:network"] = network
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(stack_file))
    return tmp_path


def test_a_bad_stack_file_fails_with_the_config_message_and_registers_nothing(tmp_path: Path) -> None:
    program = _program_with_stack(
        tmp_path, "broken", {"cidr": "10.10.0.0/16", "azCount": 2, "natGateways": 3}
    )
    synthesis = stream(program, "broken")
    registered: list[Resource] = []
    with pytest.raises(InputError) as raised:
        registered.extend(synthesis)
    line = next(
        n
        for n, text in enumerate((program / "__main__.py").read_text().splitlines(), 1)
        if "RunError(" in text
    )
    assert raised.value.message == (
        f"The Pulumi program in {program} (stack broken) failed at __main__.py:{line}: Pulumi.broken.yaml: "
        "invalid config: data-ai-platform:network: natGateways (3) must be at most azCount (2): one NAT "
        "gateway per AZ at most. Run with --debug for the full traceback."
    )
    assert "Traceback" not in raised.value.message
    assert registered == []
    assert synthesis.result.providers == {}
