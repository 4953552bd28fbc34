"""Each Lambda package imports the way Lambda loads it: `handler.py` at the archive root, nothing else on the
path. Built from `code_archive` (what the functions deploy), unpacked into a temporary directory and imported
by a fresh interpreter that cannot see the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from stackview import REPO_ROOT

from components.lambda_function import code_archive

IMPORT = (
    "import sys, handler; "
    "print(handler.__file__); "
    "[print(m.__file__) for n, m in sorted(sys.modules.items()) if n.startswith('functions') and m.__file__]"
)
PACKAGES = {
    "document_processor": ("rag",),
    "retrieval": ("rag",),
    "preprocess": (),
    "evaluate": (),
}


@pytest.mark.parametrize(("code_dir", "packages"), PACKAGES.items())
def test_the_package_imports_with_only_its_archive_on_the_path(
    code_dir: str, packages: tuple[str, ...], tmp_path: Path
) -> None:
    archive = code_archive(code_dir, packages)
    for name, asset in archive.assets.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(asset.path, target)
    result = subprocess.run(
        [sys.executable, "-s", "-c", IMPORT],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "AWS_DEFAULT_REGION": "us-east-1"},
    )
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    assert loaded and all(path.startswith(str(tmp_path)) for path in loaded), loaded
    assert not any(path.startswith(str(REPO_ROOT)) for path in loaded)
