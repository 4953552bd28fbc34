"""Markdown for pull-request comments: GitHub-flavoured tables, long lists folded into `<details>`."""

from __future__ import annotations

from cost.budget import BudgetStatus, total_text
from cost.diff import CostDiff, ResourceChange
from cost.model import CostComponent, CostReport, ResourceCost
from cost.render.fmt import money, percent, quantity, signed_money, unit_price
from cost.render.summary import (
    Group,
    awaits_usage,
    by_component,
    by_region,
    by_service,
    coverage,
    grouped,
    has_usage_figures,
    listed,
    savings_heading,
    total_line,
    usage_note,
)
from cost.render.table import free_note

TOP_CHANGES = 10
"""How many resource changes a diff comment shows before folding the rest away."""


def cell(text: str) -> str:
    """Escape text for a table cell: pipes would split the cell, newlines would end the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def code(text: str) -> str:
    quoted = text.replace("`", "'")
    return f"`{quoted}`"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _groups(title: str, first: str, groups: list[Group], with_range: bool) -> list[str]:
    head = [first, "Resources", "Monthly cost"] + (["Min", "Max"] if with_range else [])
    align = ["---", "---:", "---:"] + (["---:", "---:"] if with_range else [])
    lines = [f"### {title}", "", _row(*head), _row(*align)]
    for g in groups:
        extra = [money(g.min_usd), money(g.max_usd)] if with_range else []
        lines.append(_row(cell(g.name), str(g.resources), money(g.monthly_usd), *extra))
    return [*lines, ""]


def _component_line(c: CostComponent) -> str:
    if awaits_usage(c):
        return _row(f"&nbsp;&nbsp;{cell(c.name)}", f"_{cell(usage_note(c))}_", "", "", "")
    price = "not in catalog" if c.unit_price is None else unit_price(c.unit_price)
    qty = "" if c.quantity is None else quantity(c.quantity)
    star = " \\*" if c.usage_based else ""
    return _row(f"&nbsp;&nbsp;{cell(c.name)}", qty, cell(c.unit), price, money(c.monthly_usd) + star)


def _resource_lines(r: ResourceCost) -> list[str]:
    lines = [_row(f"**{cell(r.name)}** {code(r.type)}", "", "", "", f"**{money(r.monthly_usd)}**")]
    if r.status == "unpriced":
        return [*lines, _row(f"&nbsp;&nbsp;not priced: {cell(r.reason)}", "", "", "", "-")]
    lines += [_component_line(c) for c in r.components]
    if r.min_usd != r.max_usd:
        lines.append(
            _row(f"&nbsp;&nbsp;_autoscaling range: {money(r.min_usd)} - {money(r.max_usd)}_", "", "", "", "")
        )
    return lines


def _breakdown(report: CostReport) -> list[str]:
    lines = ["<details><summary>Breakdown by resource</summary>", ""]
    lines += [_row("Resource / cost component", "Monthly qty", "Unit", "Unit price", "Monthly cost")]
    lines += [_row("---", "---:", "---", "---:", "---:")]
    for group, resources in grouped(listed(report)):
        lines.append(_row(f"**{cell(group)}**", "", "", "", ""))
        for r in resources:
            lines += _resource_lines(r)
    return [*lines, "", "</details>", ""]


def _savings(report: CostReport) -> list[str]:
    lines = [f"### {savings_heading(report)}", ""]
    lines += [_row("Kind", "Resource", "Recommendation", "Baseline", "Optimized", "Monthly saving")]
    lines += [_row("---", "---", "---", "---:", "---:", "---:")]
    for s in report.savings:
        lines.append(
            _row(
                s.kind,
                cell(s.name),
                cell(s.description),
                money(s.baseline_usd),
                money(s.optimized_usd),
                money(s.monthly_saving_usd),
            )
        )
    return [*lines, ""]


def _unpriced(report: CostReport) -> list[str]:
    lines = [
        f"### Not priced ({len(report.unpriced)})",
        "",
        _row("Resource", "Type", "Reason"),
        _row("---", "---", "---"),
    ]
    lines += [_row(cell(r.name), code(r.type), cell(r.reason)) for r in report.unpriced]
    return [*lines, ""]


def _budget_line(budget: BudgetStatus | None) -> list[str]:
    if budget is None:
        return []
    return [budget.message() if budget.confirmed else ("**" + budget.message() + "**"), ""]


def render_markdown(report: CostReport, budget: BudgetStatus | None = None) -> str:
    low, _, high = report.range
    lines = [
        f"## Monthly cost estimate: {cell(report.project)}/{cell(report.stack)}",
        "",
        f"**{total_line(report, '/month')}** (autoscaling range {money(low)} - {money(high)}), "
        f"{report.region}, {report.currency}, price catalog of {report.catalog_date}.",
        "",
        coverage(report).line() + ".",
        "",
        *_budget_line(budget),
    ]
    lines += _groups("By component", "Component", by_component(report), with_range=True)
    lines += _groups("By service", "Service", by_service(report), with_range=False)
    lines += _groups("By region", "Region", by_region(report), with_range=False)
    if report.savings:
        lines += _savings(report)
    if report.unpriced:
        lines += _unpriced(report)
    lines += _breakdown(report)
    if has_usage_figures(report):
        lines += ["\\* usage-based: quantity from the usage file.", ""]
    return "\n".join(lines)


# --- diff: the pull-request comment -------------------------------------------------------------------------


def _change_row(change: ResourceChange) -> str:
    before = money(change.before_usd) if change.before else "-"
    after = money(change.after_usd) if change.after else "-"
    drivers = "".join(
        f"<br>{code(a.name)}: {cell(a.before or '(not set)')} → {cell(a.after or '(not set)')}"
        for a in change.attributes
    )
    return _row(
        f"{cell(change.name)} {code(change.type)}{drivers}",
        change.kind,
        before,
        after,
        signed_money(change.delta_usd),
    )


def _changes_table(changes: tuple[ResourceChange, ...]) -> list[str]:
    lines = [
        _row("Resource", "Change", "Before", "After", "Delta"),
        _row("---", "---", "---:", "---:", "---:"),
    ]
    return lines + [_change_row(c) for c in changes]


def _direction(diff: CostDiff) -> str:
    if diff.delta_usd > 0:
        return f"Monthly cost will **increase by {money(diff.delta_usd)}** ({percent(diff.percent)})"
    if diff.delta_usd < 0:
        return f"Monthly cost will **decrease by {money(-diff.delta_usd)}** ({percent(diff.percent)})"
    return "Monthly cost will **not change**"


def render_diff_markdown(diff: CostDiff, budget: BudgetStatus | None = None) -> str:
    base, head = diff.base, diff.head
    lines = [
        f"## Cost diff: {cell(base.project)}/{cell(base.stack)} → {cell(head.project)}/{cell(head.stack)}",
        "",
        f"{_direction(diff)}: {total_text(diff.total_before, len(base.unpriced))} → "
        f"{total_text(diff.total_after, len(head.unpriced))} per month.",
        "",
        f"{diff.count('added')} added, {diff.count('removed')} removed, {diff.count('changed')} changed; "
        f"unpriced resources: {len(base.unpriced)} → {len(head.unpriced)}{free_note(diff)}.",
        "",
        *_budget_line(budget),
    ]
    if not diff.changes:
        return "\n".join([*lines, "No resource changes its cost.", ""])
    top = diff.changes[:TOP_CHANGES]
    lines += [f"### Top {len(top)} changes", "", *_changes_table(top), ""]
    rest = diff.changes[TOP_CHANGES:]
    if rest:
        lines += [
            f"<details><summary>{len(rest)} more changes</summary>",
            "",
            *_changes_table(rest),
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)
