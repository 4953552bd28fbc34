"""The three renderings of a preview summary: a rich table for terminals, JSON for tools, markdown for PRs.

JSON shape (`schema_version` 1): `project`, `stack`, `source`; `resources` {`total`, `components`,
`by_component` [{`name`, `type`, `urn`, `resources`, `types` {token: n}, `monthly_usd`}],
`by_type` {token: n}};
`policy` {`pack`, `version`, `mandatory`, `advisory`, `not_applicable`, `violations` [...]} or null; `cost`
{`currency`, `catalog_date`, `total_monthly_usd`, `range` {`min`, `expected`, `max`}, `unpriced`,
`top_components` [{`name`, `monthly_usd`}]} or null; `budget` {`monthly_usd`, `source`, `exceeded`,
`confirmed`} or null; `exit_code`. Money is a string with two decimals ("1234.50"), so no precision is lost
to floats.
"""

from __future__ import annotations

import json
import shutil
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from cost.budget import total_text
from preview.summary import ComponentRow, Summary

FORMATS = ("table", "json", "markdown")
WIDTH = 120
"""Table width when the output is not a terminal, so piped output does not depend on the caller's window."""
SCHEMA_VERSION = 1
_LEVEL_ORDER = {"mandatory": 0, "advisory": 1}
_SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def money(value: Decimal) -> str:
    return f"${value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def short_type(token: str) -> str:
    """`aws:s3/bucket:Bucket` -> `s3.Bucket`; other packages keep their name (`small:data.Lake`)."""
    package, _, rest = token.partition(":")
    module, _, kind = rest.partition(":")
    name = f"{module.split('/')[0]}.{kind}" if kind else token
    return name if package == "aws" else f"{package}:{name}"


def render(summary: Summary, fmt: str, *, terminal: bool = False) -> str:
    if fmt == "json":
        return json.dumps(document(summary), indent=2) + "\n"
    if fmt == "markdown":
        return markdown(summary)
    return table_text(summary, terminal=terminal)


# --- JSON ---------------------------------------------------------------------------------------------------


def document(summary: Summary) -> dict[str, Any]:
    inv = summary.inventory
    return {
        "schema_version": SCHEMA_VERSION,
        "project": inv.project,
        "stack": inv.stack,
        "source": inv.source,
        "resources": {
            "total": summary.resource_count,
            "components": len(inv.components()),
            "by_component": [_component_doc(c) for c in summary.components],
            "by_type": dict(summary.types),
        },
        "policy": _policy_doc(summary),
        "cost": _cost_doc(summary),
        "budget": _budget_doc(summary),
        "exit_code": summary.exit_code,
    }


def _component_doc(row: ComponentRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "type": row.type,
        "urn": row.urn,
        "resources": row.resources,
        "types": dict(row.types),
        "monthly_usd": _amount(row.monthly_usd),
    }


def _violations(summary: Summary) -> list[Any]:
    found = summary.policy.violations if summary.policy else []
    return sorted(
        found,
        key=lambda v: (_LEVEL_ORDER.get(v.level, 2), _SEVERITY_ORDER.get(v.severity, 4), v.policy, v.urn),
    )


def _policy_doc(summary: Summary) -> dict[str, Any] | None:
    policy = summary.policy
    if policy is None:
        return None
    fields = ("policy", "level", "severity", "urn", "type", "name", "message")
    return {
        "pack": policy.pack,
        "version": policy.version,
        "mandatory": summary.mandatory,
        "advisory": summary.advisory,
        "not_applicable": len(policy.not_applicable),
        "violations": [{f: getattr(v, f) for f in fields} for v in _violations(summary)],
    }


def _cost_doc(summary: Summary) -> dict[str, Any] | None:
    cost = summary.cost
    if cost is None:
        return None
    low, expected, high = cost.range
    return {
        "currency": cost.currency,
        "catalog_date": cost.catalog_date,
        "total_monthly_usd": _amount(cost.total_monthly_usd),
        "range": {"min": _amount(low), "expected": _amount(expected), "max": _amount(high)},
        "unpriced": len(cost.unpriced),
        "top_components": [
            {"name": c.name, "monthly_usd": _amount(c.monthly_usd)} for c in summary.top_components()
        ],
    }


def _budget_doc(summary: Summary) -> dict[str, Any] | None:
    status = summary.budget
    if status is None:
        return None
    return {
        "monthly_usd": _amount(status.budget.monthly_usd),
        "source": status.budget.source,
        "exceeded": status.exceeded,
        "confirmed": status.confirmed,
    }


# --- table (rich) -------------------------------------------------------------------------------------------


def table_text(summary: Summary, *, terminal: bool = False) -> str:
    buffer = StringIO()
    width = shutil.get_terminal_size((WIDTH, 24)).columns if terminal else WIDTH
    console = Console(file=buffer, width=width, force_terminal=terminal, highlight=False, soft_wrap=False)
    console.print(renderables(summary))
    return buffer.getvalue()


def renderables(summary: Summary) -> Group:
    parts: list[Any] = [_title(summary), _component_table(summary)]
    parts += _policy_parts(summary) + _cost_parts(summary) + [_verdict(summary)]
    return Group(*parts)


def _title(summary: Summary) -> Text:
    inv = summary.inventory
    text = Text(f"Offline preview of {inv.project}/{inv.stack}", style="bold")
    text.append(
        f" — {summary.resource_count} resources in {len(inv.components())} components (source: {inv.source})",
        style="",
    )
    return text


def _component_table(summary: Summary) -> Table:
    table = Table(title="Resources by component", title_justify="left", expand=True)
    table.add_column("Component", no_wrap=True, ratio=2)
    table.add_column("Resources", justify="right", no_wrap=True)
    if summary.cost is not None:
        table.add_column("Monthly", justify="right", no_wrap=True)
    table.add_column("Resource types", ratio=5)
    for row in summary.components:
        cells = [row.name, str(row.resources)]
        if summary.cost is not None:
            cells.append(money(row.monthly_usd or Decimal(0)))
        table.add_row(*cells, ", ".join(f"{n} {short_type(t)}" for t, n in row.types))
    cells = ["Total", str(summary.resource_count)]
    if summary.cost is not None:
        cells.append(money(summary.cost.total_monthly_usd))
    table.add_row(*cells, f"{len(summary.types)} types", style="bold")
    return table


def _policy_parts(summary: Summary) -> list[Any]:
    policy = summary.policy
    if policy is None:
        return [Text("Policy findings: not evaluated", style="dim")]
    head = Text(
        f"Policy findings ({policy.pack} {policy.version}): {summary.mandatory} mandatory, "
        f"{summary.advisory} advisory, {len(policy.not_applicable)} not applicable",
        style="bold red" if summary.mandatory else "bold",
    )
    if not policy.violations:
        return [head]
    table = Table(expand=True)
    table.add_column("Level", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Policy", overflow="fold", ratio=3)
    table.add_column("Resource", overflow="fold", ratio=3)
    table.add_column("Message", overflow="fold", ratio=6)
    for v in _violations(summary):
        style = "red" if v.level == "mandatory" else "yellow"
        table.add_row(
            v.level, v.severity, v.policy, f"{v.name} ({short_type(v.type)})", v.message, style=style
        )
    return [head, table]


def _cost_parts(summary: Summary) -> list[Any]:
    cost = summary.cost
    if cost is None:
        return [Text("Estimated monthly cost: not evaluated", style="dim")]
    low, _, high = cost.range
    line = Text(
        f"Estimated monthly cost: {total_text(cost.total_monthly_usd, len(cost.unpriced))} "
        f"(range {money(low)} - {money(high)}; prices of {cost.catalog_date})",
        style="bold",
    )
    parts: list[Any] = [line]
    top = summary.top_components()
    if top:
        table = Table(title=f"Top {len(top)} components by cost", title_justify="left", expand=False)
        table.add_column("Component")
        table.add_column("Monthly", justify="right")
        for row in top:
            table.add_row(row.name, money(row.monthly_usd or Decimal(0)))
        parts.append(table)
    if summary.budget is not None:
        style = "bold red" if summary.over_budget else "green" if summary.budget.confirmed else "yellow"
        parts.append(Text(summary.budget.message(), style=style))
    return parts


def _verdict(summary: Summary) -> Text:
    reasons = verdict_reasons(summary)
    if not reasons:
        return Text("Result: OK", style="bold green")
    return Text("Result: FAILED — " + "; ".join(reasons), style="bold red")


def verdict_reasons(summary: Summary) -> list[str]:
    reasons = []
    if summary.mandatory:
        reasons.append(
            f"{summary.mandatory} mandatory policy violation{'s' if summary.mandatory != 1 else ''}"
        )
    if summary.over_budget:
        reasons.append("the estimate is over budget")
    return reasons


# --- markdown -----------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def markdown(summary: Summary) -> str:
    inv = summary.inventory
    reasons = verdict_reasons(summary)
    verdict = "✅ OK" if not reasons else "❌ " + "; ".join(reasons)
    lines = [
        f"### Offline preview of `{inv.project}/{inv.stack}`: {verdict}",
        "",
        f"{summary.resource_count} resources in {len(inv.components())} components (source: {inv.source}).",
        "",
    ]
    lines += _md_cost(summary) + _md_policy(summary) + _md_components(summary)
    return "\n".join(lines) + "\n"


def _md_cost(summary: Summary) -> list[str]:
    cost = summary.cost
    if cost is None:
        return ["**Estimated monthly cost:** not evaluated", ""]
    low, _, high = cost.range
    lines = [
        f"**Estimated monthly cost:** {total_text(cost.total_monthly_usd, len(cost.unpriced))} "
        f"(range {money(low)} - {money(high)}; prices of {cost.catalog_date})",
        "",
    ]
    if summary.budget is not None:
        lines += [f"**Budget:** {summary.budget.message()}", ""]
    return lines


def _md_policy(summary: Summary) -> list[str]:
    policy = summary.policy
    if policy is None:
        return ["**Policy findings:** not evaluated", ""]
    lines = [
        f"**Policy findings** ({policy.pack} {policy.version}): {summary.mandatory} mandatory, "
        f"{summary.advisory} advisory, {len(policy.not_applicable)} not applicable",
        "",
    ]
    if policy.violations:
        lines += ["| Level | Severity | Policy | Resource | Message |", "|---|---|---|---|---|"]
        for v in _violations(summary):
            lines.append(
                f"| {v.level} | {v.severity} | `{v.policy}` | `{v.name}` ({short_type(v.type)}) "
                f"| {_cell(v.message)} |"
            )
        lines.append("")
    return lines


def _md_components(summary: Summary) -> list[str]:
    priced = summary.cost is not None
    lines = [
        "<details><summary>Resources by component</summary>",
        "",
        "| Component | Type | Resources | Resource types |" + (" Monthly |" if priced else ""),
        "|---|---|---:|---|" + ("---:|" if priced else ""),
    ]
    for row in summary.components:
        types = "<br>".join(f"{n} {short_type(t)}" for t, n in row.types)
        cost = f" {money(row.monthly_usd or Decimal(0))} |" if priced else ""
        lines.append(f"| {_cell(row.name)} | `{row.type}` | {row.resources} | {types} |{cost}")
    return [*lines, "", "</details>"]
