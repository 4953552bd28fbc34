"""Which renderer writes which `--format` of a report or a diff."""

from __future__ import annotations

from collections.abc import Callable

from cost.budget import BudgetStatus
from cost.diff import CostDiff
from cost.model import CostReport
from cost.render.html import render_html
from cost.render.jsonfmt import render_diff_json, render_json
from cost.render.markdown import render_diff_markdown, render_markdown
from cost.render.table import render_diff_table, render_table

REPORT_RENDERERS: dict[str, Callable[[CostReport, BudgetStatus | None], str]] = {
    "table": render_table,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}
DIFF_RENDERERS: dict[str, Callable[[CostDiff, BudgetStatus | None], str]] = {
    "table": render_diff_table,
    "markdown": render_diff_markdown,
    "json": render_diff_json,
}
REPORT_FORMATS = tuple(REPORT_RENDERERS)
DIFF_FORMATS = tuple(DIFF_RENDERERS)


def render_report(report: CostReport, fmt: str, budget: BudgetStatus | None = None) -> str:
    return REPORT_RENDERERS[fmt](report, budget)


def render_diff(diff: CostDiff, fmt: str, budget: BudgetStatus | None = None) -> str:
    return DIFF_RENDERERS[fmt](diff, budget)
