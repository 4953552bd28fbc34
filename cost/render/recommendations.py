"""Right-sizing recommendations as a table (rich), markdown or JSON (`cost/schema/rightsize.schema.json`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from cost.render.fmt import money, optional_plain, plain
from cost.render.markdown import cell
from cost.render.table import to_text
from cost.rightsizing.recommend import FARGATE_TARGET_PERCENT, HIGH_PERCENT, LOW_PERCENT, Recommendation

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class Run:
    """What was analysed: the stack and where utilization came from."""

    project: str
    stack: str
    source: str
    """"cloudwatch" | "usage-file"."""
    days: int | None


def total_saving(recommendations: list[Recommendation]) -> Decimal:
    return sum((r.monthly_saving_usd or Decimal(0) for r in recommendations), Decimal(0))


COLUMNS = ("Resource", "Kind", "Current", "Action", "Proposed", "Monthly saving", "Why")
"""The columns of the table and markdown renderings; "Monthly saving" is right-aligned."""


def _saving_text(r: Recommendation) -> str:
    saving = r.monthly_saving_usd
    return "-" if saving is None else money(saving)


def _cells(r: Recommendation) -> tuple[str, ...]:
    """One recommendation's row, one cell per column of `COLUMNS`."""
    return (
        r.target.resource.name,
        r.target.kind,
        r.current,
        r.action,
        r.proposed or "-",
        _saving_text(r),
        r.reason,
    )


def _title(run: Run) -> str:
    source = f"CloudWatch, last {run.days} days" if run.source == "cloudwatch" else "usage file utilization"
    return f"Right-sizing for {run.project}/{run.stack} ({source})"


def _thresholds() -> str:
    return (
        f"Thresholds on p95 utilization: below {LOW_PERCENT}% on CPU and memory -> smaller; above "
        f"{HIGH_PERCENT}% on either -> larger; Fargate sized for {FARGATE_TARGET_PERCENT}%."
    )


def recommendation_renderables(recommendations: list[Recommendation], run: Run) -> list[RenderableType]:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in COLUMNS:
        table.add_column(column, justify="right" if column == "Monthly saving" else "left")
    for r in recommendations:
        table.add_row(*(Text(c) for c in _cells(r)))
    out: list[RenderableType] = [Text(_title(run), style="bold"), Text("")]
    out.append(
        table
        if recommendations
        else Text(
            "Nothing to right-size: no SageMaker endpoint, RDS instance or "
            "Fargate service with utilization figures."
        )
    )
    out += [Text(""), Text(f"Total monthly saving: {money(total_saving(recommendations))}", style="bold")]
    return [*out, Text(_thresholds(), style="dim")]


def render_recommendations_table(recommendations: list[Recommendation], run: Run) -> str:
    return to_text(recommendation_renderables(recommendations, run))


def render_recommendations_markdown(recommendations: list[Recommendation], run: Run) -> str:
    lines = [
        f"## {cell(_title(run))}",
        "",
        f"**Total monthly saving: {money(total_saving(recommendations))}**",
        "",
    ]
    lines += [_md_row(COLUMNS), _md_row("---:" if c == "Monthly saving" else "---" for c in COLUMNS)]
    lines += [_md_row(cell(c) for c in _cells(r)) for r in recommendations]
    return "\n".join([*lines, "", _thresholds(), ""])


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _item(r: Recommendation) -> dict[str, Any]:
    u = r.utilization
    return {
        "urn": r.target.resource.urn,
        "type": r.target.resource.type,
        "name": r.target.resource.name,
        "kind": r.target.kind,
        "region": r.target.region,
        "current": r.current,
        "action": r.action,
        "proposed": r.proposed,
        "reason": r.reason,
        "cpu_percent": optional_plain(u.cpu_percent) if u else None,
        "memory_percent": optional_plain(u.memory_percent) if u else None,
        "utilization_source": u.source if u else None,
        "baseline_usd": optional_plain(r.baseline_usd),
        "optimized_usd": optional_plain(r.optimized_usd),
        "monthly_saving_usd": optional_plain(r.monthly_saving_usd),
    }


def recommendations_document(recommendations: list[Recommendation], run: Run) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "project": run.project,
        "stack": run.stack,
        "source": run.source,
        "days": run.days,
        "thresholds": {
            "low_percent": plain(LOW_PERCENT),
            "high_percent": plain(HIGH_PERCENT),
            "fargate_target_percent": plain(FARGATE_TARGET_PERCENT),
        },
        "total_monthly_saving_usd": plain(total_saving(recommendations)),
        "recommendations": [_item(r) for r in recommendations],
    }


def render_recommendations_json(recommendations: list[Recommendation], run: Run) -> str:
    return json.dumps(recommendations_document(recommendations, run), indent=2) + "\n"


RENDERERS = {
    "table": render_recommendations_table,
    "markdown": render_recommendations_markdown,
    "json": render_recommendations_json,
}
