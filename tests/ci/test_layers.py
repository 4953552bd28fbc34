"""The layer contracts (pyproject's [tool.importlinter], docs/design.md) hold for the code, and they catch a
violation: a copy of the contracts over a tree where the inventory imports the preview command is refused."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _contract(contract_id: str) -> dict[str, object]:
    return next(c for c in CONFIG["contracts"] if c["id"] == contract_id)


def _lint(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(config)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_are_the_documented_layers() -> None:
    assert _contract("layers")["layers"] == ["preview", "policies", "cost", "inventory"]
    assert set(_contract("commands")["modules"]) == {"preview", "cost.cli", "policies.check"}
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    assert "lint-imports" in design and "inventory → cost → policies → preview" in design


def test_the_code_keeps_every_contract() -> None:
    done = _lint(ROOT, ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(CONFIG['contracts'])} kept, 0 broken." in done.stdout


def test_an_upward_import_is_refused(tmp_path: Path) -> None:
    for package in ("inventory", "cost", "policies", "preview", "components", "functions", "awsvalues"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "cost" / "cli.py").write_text("")
    (tmp_path / "policies" / "check.py").write_text("")
    (tmp_path / "inventory" / "sources.py").write_text("from preview import render\n")
    (tmp_path / "preview" / "render.py").write_text("import inventory.sources\n")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    done = _lint(tmp_path, tmp_path / "pyproject.toml")
    assert done.returncode == 1
    assert "inventory.sources -> preview.render" in done.stdout
