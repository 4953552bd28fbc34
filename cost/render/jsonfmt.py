"""The JSON report: a stable, documented shape (`cost/schema/report.schema.json`) and its reader.

Amounts are exact decimal strings so that `cost diff` on two JSON files gives the same figures as on two
in-memory reports. Reading a file validates it against the schema first, so a wrong or truncated file fails
with the offending path, not a KeyError deep inside the diff.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from cost.budget import BudgetStatus
from cost.decimals import quantize
from cost.diff import CostDiff, ResourceChange
from cost.model import CostComponent, CostReport, ResourceCost, Saving
from cost.render.fmt import optional_plain, plain
from cost.render.summary import (
    coverage,
    total_line,
)
from inventory.errors import InputError

SCHEMA_VERSION = "1"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "report.schema.json"


@cache
def report_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return schema


def _component(c: CostComponent) -> dict[str, Any]:
    return {
        "name": c.name,
        "unit": c.unit,
        "quantity": optional_plain(c.quantity),
        "unit_price": optional_plain(c.unit_price),
        "monthly_usd": plain(c.monthly_usd),
        "usage_based": c.usage_based,
        "price_id": c.price_id,
        "note": c.note,
        "service": c.service,
        "region": c.region,
    }


def _resource(r: ResourceCost) -> dict[str, Any]:
    return {
        "urn": r.urn,
        "type": r.type,
        "name": r.name,
        "component": r.component,
        "service": r.service,
        "region": r.region,
        "status": r.status,
        "reason": r.reason,
        "monthly_usd": plain(r.monthly_usd),
        "min_usd": plain(r.min_usd),
        "max_usd": plain(r.max_usd),
        "components": [_component(c) for c in r.components],
        "drivers": dict(r.drivers),
    }


def _saving(s: Saving) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "urn": s.urn,
        "name": s.name,
        "description": s.description,
        "baseline_usd": plain(s.baseline_usd),
        "optimized_usd": plain(s.optimized_usd),
        "monthly_saving_usd": plain(s.monthly_saving_usd),
    }


def _budget(status: BudgetStatus | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "monthly_usd": plain(status.budget.monthly_usd),
        "source": status.budget.source,
        "exceeded": status.exceeded,
        "over_by_usd": plain(status.over_by_usd),
        "confirmed": status.confirmed,
        "message": status.message(),
    }


def report_document(report: CostReport, budget: BudgetStatus | None = None) -> dict[str, Any]:
    """The report as a JSON-ready dict in the documented shape."""
    low, expected, high = report.range
    counts = coverage(report)
    return {
        "schema_version": SCHEMA_VERSION,
        "project": report.project,
        "stack": report.stack,
        "region": report.region,
        "currency": report.currency,
        "catalog_date": report.catalog_date,
        "total_monthly_usd": plain(report.total_monthly_usd),
        "total_is_lower_bound": bool(report.unpriced),
        "total_text": total_line(report),
        "range": {"min": plain(low), "expected": plain(expected), "max": plain(high)},
        "summary": {
            "resources": counts.total,
            "priced": counts.priced,
            "free": counts.free,
            "unpriced": counts.unpriced,
            "usage_dependent": counts.usage_dependent,
        },
        "resources": [_resource(r) for r in report.resources],
        "unpriced": [
            {"urn": r.urn, "type": r.type, "name": r.name, "reason": r.reason} for r in report.unpriced
        ],
        "savings": [_saving(s) for s in report.savings],
        "budget": _budget(budget),
    }


def render_json(report: CostReport, budget: BudgetStatus | None = None) -> str:
    return json.dumps(report_document(report, budget), indent=2) + "\n"


# --- reading ------------------------------------------------------------------------------------------------


def _opt(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _read_component(doc: dict[str, Any]) -> CostComponent:
    return CostComponent(
        name=doc["name"],
        unit=doc["unit"],
        quantity=_opt(doc["quantity"]),
        unit_price=_opt(doc["unit_price"]),
        monthly_usd=Decimal(doc["monthly_usd"]),
        usage_based=doc["usage_based"],
        price_id=doc["price_id"],
        note=doc["note"],
        service=doc.get("service", ""),
        region=doc.get("region", ""),
    )


def _read_resource(doc: dict[str, Any]) -> ResourceCost:
    return ResourceCost(
        urn=doc["urn"],
        type=doc["type"],
        name=doc["name"],
        component=doc["component"],
        service=doc["service"],
        region=doc["region"],
        status=doc["status"],
        reason=doc["reason"],
        monthly_usd=Decimal(doc["monthly_usd"]),
        min_usd=Decimal(doc["min_usd"]),
        max_usd=Decimal(doc["max_usd"]),
        components=[_read_component(c) for c in doc["components"]],
        drivers=dict(doc.get("drivers", {})),
    )


def _read_saving(doc: dict[str, Any]) -> Saving:
    return Saving(
        kind=doc["kind"],
        urn=doc["urn"],
        name=doc["name"],
        description=doc["description"],
        baseline_usd=Decimal(doc["baseline_usd"]),
        optimized_usd=Decimal(doc["optimized_usd"]),
        monthly_saving_usd=Decimal(doc["monthly_saving_usd"]),
    )


def report_from_document(doc: Any, origin: str) -> CostReport:
    """Rebuild a `CostReport` from a JSON document; `origin` names the file in error messages."""
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(report_schema()).iter_errors(doc)
    )
    if error is not None:
        where = error.json_path
        raise InputError(
            f"{origin} is not a cost report in the format `python -m cost report --format json` writes "
            f"(schema version {SCHEMA_VERSION}): at {where}: {error.message}."
        )
    resources = [_read_resource(r) for r in doc["resources"]]
    rng = doc["range"]
    return CostReport(
        project=doc["project"],
        stack=doc["stack"],
        region=doc["region"],
        catalog_date=doc["catalog_date"],
        currency=doc["currency"],
        resources=resources,
        savings=[_read_saving(s) for s in doc["savings"]],
        total_monthly_usd=Decimal(doc["total_monthly_usd"]),
        range=(Decimal(rng["min"]), Decimal(rng["expected"]), Decimal(rng["max"])),
        unpriced=[r for r in resources if r.status == "unpriced"],
    )


def load_report(path: Path) -> CostReport:
    """Read a report written by `report --format json`; a missing or malformed file raises `InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"cost report file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read cost report file {path}: {exc}.") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); expected a report "
            "written by `python -m cost report --format json`."
        ) from None
    return report_from_document(doc, str(path))


# --- diff ---------------------------------------------------------------------------------------------------

PERCENT_PLACES = Decimal("0.01")


def _side(report: CostReport) -> dict[str, Any]:
    low, expected, high = report.range
    return {
        "project": report.project,
        "stack": report.stack,
        "catalog_date": report.catalog_date,
        "total_monthly_usd": plain(report.total_monthly_usd),
        "range": {"min": plain(low), "expected": plain(expected), "max": plain(high)},
        "unpriced": len(report.unpriced),
        "total_text": total_line(report),
    }


def _change(change: ResourceChange) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "key": change.key,
        "type": change.type,
        "name": change.name,
        "component": change.component,
        "before_usd": plain(change.before_usd) if change.before else None,
        "after_usd": plain(change.after_usd) if change.after else None,
        "delta_usd": plain(change.delta_usd),
        "components": [
            {
                "name": c.name,
                "unit": c.unit,
                "before_usd": optional_plain(c.before_usd),
                "after_usd": optional_plain(c.after_usd),
                "delta_usd": plain(c.delta_usd),
            }
            for c in change.components
        ],
        "attributes": [{"name": a.name, "before": a.before, "after": a.after} for a in change.attributes],
    }


def diff_document(diff: CostDiff, budget: BudgetStatus | None = None) -> dict[str, Any]:
    """The diff as a JSON-ready dict (`cost/schema/diff.schema.json`)."""
    pct = diff.percent
    return {
        "schema_version": SCHEMA_VERSION,
        "currency": diff.head.currency,
        "base": _side(diff.base),
        "head": _side(diff.head),
        "delta_monthly_usd": plain(diff.delta_usd),
        "delta_percent": None if pct is None else plain(quantize(pct, PERCENT_PLACES)),
        "summary": {kind: diff.count(kind) for kind in ("added", "removed", "changed")},
        "changes": [_change(c) for c in diff.changes],
        "free_changes": diff.free_changes,
        "budget": _budget(budget),
    }


def render_diff_json(diff: CostDiff, budget: BudgetStatus | None = None) -> str:
    return json.dumps(diff_document(diff, budget), indent=2) + "\n"
