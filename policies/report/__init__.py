"""Renderings of a `PolicyResult`: a rich table, JSON, markdown for a pull-request comment, and SARIF."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..results import PolicyResult
from .jsonreport import render_json
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif
from .table import render_table

FORMATS = ("table", "json", "markdown", "sarif", "junit")
EXTENSIONS = {"table": "txt", "json": "json", "markdown": "md", "sarif": "sarif", "junit": "junit.xml"}
"""The file each format gets under `--output-dir` (`policy.<extension>`)."""


def render(
    result: PolicyResult,
    fmt: str,
    *,
    artifact: Path | None = None,
    color: bool = False,
    sources: Mapping[str, str] | None = None,
    program: Path | None = None,
) -> str:
    """`result` in one of `FORMATS`. SARIF locates a finding at `sources[urn]` (the engine's source
    position, `project:///<file>#<line>,<column>`, relative to `program`), else at `artifact` (the stack
    file)."""
    if fmt == "table":
        return render_table(result, color=color)
    if fmt == "json":
        return render_json(result)
    if fmt == "markdown":
        return render_markdown(result)
    if fmt == "sarif":
        return render_sarif(result, artifact=artifact, sources=sources, program=program)
    if fmt == "junit":
        return render_junit(result)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "render",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_table",
]
