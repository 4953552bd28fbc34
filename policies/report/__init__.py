"""Renderings of a `PolicyResult`: a rich table, JSON, markdown for a pull-request comment, and SARIF."""

from __future__ import annotations

from pathlib import Path

from ..results import PolicyResult
from .jsonreport import render_json
from .markdown import render_markdown
from .sarif import render_sarif
from .table import render_table

FORMATS = ("table", "json", "markdown", "sarif")


def render(result: PolicyResult, fmt: str, *, artifact: Path | None = None, color: bool = False) -> str:
    """`result` in one of `FORMATS`; `artifact` is the file SARIF locations point at (the stack file)."""
    if fmt == "table":
        return render_table(result, color=color)
    if fmt == "json":
        return render_json(result)
    if fmt == "markdown":
        return render_markdown(result)
    if fmt == "sarif":
        return render_sarif(result, artifact=artifact)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "render", "render_json", "render_markdown", "render_sarif", "render_table"]
