"""Terminal tables (rich) for `cost report` and `cost diff`.

Every dynamic string goes in as `rich.text.Text`, never as markup, so a resource called `[secret]` prints
as is.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from cost.budget import BudgetStatus, total_text
from cost.diff import CostDiff, ResourceChange
from cost.model import CostComponent, CostReport, ResourceCost
from cost.render.fmt import money, percent, quantity, signed_money, unit_price
from cost.render.summary import (
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

WIDTH = 120
"""Width when the output is not a terminal (files, pipes, tests): the layout never depends on $COLUMNS."""


def to_text(renderables: Iterable[RenderableType], width: int = WIDTH) -> str:
    """Render without colour to a string of fixed width."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False)
    for renderable in renderables:
        console.print(renderable, soft_wrap=isinstance(renderable, Text))
    return buffer.getvalue()


def _t(text: str, style: str = "") -> Text:
    """Literal text: never parsed as rich markup."""
    return Text(text, style=style)


def _line(text: str, style: str = "") -> Text:
    """A whole line that runs on instead of wrapping, so the breakdown's columns stay aligned."""
    return Text(text, style=style, no_wrap=True, overflow="ignore")


BLANK = Text("")


HEADERS = ("Resource / cost component", "Monthly qty", "Unit", "Unit price", "Monthly cost")
RIGHT = (False, True, False, True, True)
GAP = "  "


@dataclass(frozen=True)
class _Line:
    """A breakdown line: a component row (`cells`), a row whose `note` spans the value columns, or a heading
    (free text, with an amount aligned to the cost column when `amount` is set)."""

    text: str
    cells: tuple[str, ...] = ()
    note: str = ""
    amount: str = ""
    style: str = ""

    @property
    def heading(self) -> bool:
        return not self.cells and not self.note


def _heading(text: str, style: str, amount: str = "") -> _Line:
    return _Line(text, amount=amount, style=style)


def _component_line(component: CostComponent, last: bool) -> _Line:
    name = f" {'└─' if last else '├─'} {component.name}"
    if awaits_usage(component):
        return _Line(name, note=usage_note(component), style="italic")
    price = "not in catalog" if component.unit_price is None else unit_price(component.unit_price)
    qty = "" if component.quantity is None else quantity(component.quantity)
    cost = money(component.monthly_usd) + (" *" if component.usage_based else "  ")
    return _Line(name, (qty, component.unit, price, cost))


def _resource_lines(resource: ResourceCost) -> list[_Line]:
    lines = [_heading(f"{resource.name}  ({resource.type})", "bold", money(resource.monthly_usd) + "  ")]
    if resource.status == "unpriced":
        return [*lines, _heading(" └─ not priced (see Not priced below)", "yellow")]
    last = len(resource.components) - 1
    lines += [_component_line(c, i == last) for i, c in enumerate(resource.components)]
    if resource.min_usd != resource.max_usd:
        text = f"    autoscaling range: {money(resource.min_usd)} - {money(resource.max_usd)}"
        lines.append(_heading(text, "dim"))
    return lines


def _layout(lines: list[_Line]) -> list[Text]:
    """Infracost's layout: columns sized to the component rows; notes span the value columns and headings
    (resource names with their types) run across the table, so long names never widen the columns."""
    rows = [line for line in lines if line.cells]
    names = [HEADERS[0]] + [line.text for line in lines if not line.heading]
    widths = [max(map(len, names))] + [
        max(len(x) for x in [HEADERS[i], *(r.cells[i - 1] for r in rows)]) for i in range(1, 5)
    ]
    span = sum(widths[1:]) + len(GAP) * 3
    full = widths[0] + len(GAP) + span

    def row(cells: tuple[str, ...]) -> str:
        padded = [
            c.rjust(w) if right else c.ljust(w) for c, w, right in zip(cells, widths, RIGHT, strict=True)
        ]
        return GAP.join(padded).rstrip()

    def text(line: _Line) -> str:
        if line.cells:
            return row((line.text, *line.cells))
        if line.note:
            return f"{line.text.ljust(widths[0])}{GAP}{line.note.rjust(span)}"
        room = full - len(line.text)
        return line.text + (line.amount.rjust(room) if room > len(line.amount) else GAP + line.amount)

    out = [_line(row(HEADERS), "bold"), _line("─" * full)]
    return out + [_line(text(line).rstrip(), line.style) for line in lines]


def breakdown(report: CostReport) -> list[Text]:
    """Each non-free resource with its cost components, grouped by component (Infracost-style text)."""
    lines: list[_Line] = []
    for group, resources in grouped(listed(report)):
        lines.append(_heading(group, "bold underline"))
        for resource in resources:
            lines += _resource_lines(resource)
    return _layout(lines)


def _group_table(title: str, first: str, groups: list, with_range: bool) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(first)
    table.add_column("Resources", justify="right")
    table.add_column("Monthly cost", justify="right")
    if with_range:
        table.add_column("Min", justify="right")
        table.add_column("Max", justify="right")
    for g in groups:
        cells = [_t(g.name), _t(str(g.resources)), _t(money(g.monthly_usd))]
        if with_range:
            cells += [_t(money(g.min_usd)), _t(money(g.max_usd))]
        table.add_row(*cells)
    return table


def _savings_table(report: CostReport) -> Table:
    table = Table(
        title=savings_heading(report),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    for column, justify in (
        ("Kind", "left"),
        ("Resource", "left"),
        ("Recommendation", "left"),
        ("Baseline", "right"),
        ("Optimized", "right"),
        ("Monthly saving", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for s in report.savings:
        table.add_row(
            _t(s.kind),
            _t(s.name),
            _t(s.description),
            _t(money(s.baseline_usd)),
            _t(money(s.optimized_usd)),
            _t(money(s.monthly_saving_usd)),
        )
    return table


def _unpriced_table(report: CostReport) -> Table:
    table = Table(
        title="Not priced", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    table.add_column("Resource")
    table.add_column("Type", overflow="fold")
    table.add_column("Reason")
    for r in report.unpriced:
        table.add_row(_t(r.name), _t(r.type), _t(r.reason))
    return table


def _totals(report: CostReport, budget: BudgetStatus | None) -> list[RenderableType]:
    low, _, high = report.range
    lines: list[RenderableType] = [
        Text.assemble(("Monthly total: ", "bold"), (total_line(report), "bold")),
        _t(f"Range (autoscaling min - max): {money(low)} - {money(high)}"),
        _t(coverage(report).line()),
    ]
    if has_usage_figures(report):
        lines.append(_t("* usage-based: quantity from the usage file", "dim"))
    if budget is not None:
        lines.append(_t(budget.message(), budget_style(budget)))
    return lines


def budget_style(budget: BudgetStatus) -> str:
    if budget.exceeded:
        return "bold red"
    return "green" if budget.confirmed else "bold yellow"


def report_renderables(report: CostReport, budget: BudgetStatus | None = None) -> list[RenderableType]:
    head = (
        f"Cost estimate for {report.project}/{report.stack} ({report.region}), "
        f"{report.currency} per month, catalog of {report.catalog_date}"
    )
    out: list[RenderableType] = [_t(head, "bold"), BLANK, *breakdown(report), BLANK]
    out += [_group_table("By component", "Component", by_component(report), with_range=True), BLANK]
    out += [_group_table("By service", "Service", by_service(report), with_range=False), BLANK]
    out += [_group_table("By region", "Region", by_region(report), with_range=False), BLANK]
    if report.savings:
        out += [_savings_table(report), BLANK]
    if report.unpriced:
        out += [_unpriced_table(report), BLANK]
    return out + _totals(report, budget)


def render_table(report: CostReport, budget: BudgetStatus | None = None, width: int = WIDTH) -> str:
    return to_text(report_renderables(report, budget), width)


# --- diff ---------------------------------------------------------------------------------------------------


def _diff_rows(table: Table, change: ResourceChange) -> None:
    marker = {"added": "+", "removed": "-", "changed": "~"}[change.kind]
    table.add_row(
        Text.assemble((f"{marker} {change.name}", "bold"), "  ", (change.type, "dim"), overflow="fold"),
        _t(change.kind),
        _t(money(change.before_usd) if change.before else "-"),
        _t(money(change.after_usd) if change.after else "-"),
        _t(signed_money(change.delta_usd), "bold"),
    )
    for c in change.components:
        table.add_row(
            _t(f"    {c.name}"),
            _t(""),
            _t("-" if c.before_usd is None else money(c.before_usd)),
            _t("-" if c.after_usd is None else money(c.after_usd)),
            _t(signed_money(c.delta_usd)),
        )
    for a in change.attributes:
        text = f"    {a.name}: {a.before or '(not set)'} -> {a.after or '(not set)'}"
        table.add_row(Text(text, style="yellow", overflow="fold"), _t(""), _t(""), _t(""), _t(""))


def diff_headline(diff: CostDiff) -> str:
    """`Monthly cost: $1,000.00 -> $1,200.00 (+$200.00, +20.0%)`; a side with unpriced resources reads
    `at least $X (N resources unpriced)`."""
    before = total_text(diff.total_before, len(diff.base.unpriced))
    after = total_text(diff.total_after, len(diff.head.unpriced))
    return f"Monthly cost: {before} -> {after} ({signed_money(diff.delta_usd)}, {percent(diff.percent)})"


def diff_renderables(diff: CostDiff, budget: BudgetStatus | None = None) -> list[RenderableType]:
    base, head = diff.base, diff.head
    title = (
        f"Cost diff: {base.project}/{base.stack} -> {head.project}/{head.stack} ({head.currency} per month)"
    )
    # The money columns never wrap and keep their width; the resource column folds long names instead, so
    # Before/After/Delta stay visible at any terminal width.
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("Resource", overflow="fold", ratio=1)
    table.add_column("Change", no_wrap=True, min_width=7)
    for column in ("Before", "After", "Delta"):
        table.add_column(column, justify="right", no_wrap=True, min_width=9)
    for change in diff.changes:
        _diff_rows(table, change)
    counts = (
        f"{diff.count('added')} added, {diff.count('removed')} removed, {diff.count('changed')} changed; "
        f"unpriced: {len(base.unpriced)} -> {len(head.unpriced)}{free_note(diff)}"
    )
    out: list[RenderableType] = [_t(title, "bold"), BLANK]
    out += [table if diff.changes else _t("No resource changes its cost."), BLANK]
    out += [_t(diff_headline(diff), "bold"), _t(counts)]
    if budget is not None:
        out.append(_t(budget.message(), budget_style(budget)))
    return out


def free_note(diff: CostDiff) -> str:
    """`; 12 free resources changed, not listed (--all lists them)` when the diff leaves some out."""
    if not diff.free_changes:
        return ""
    noun = "resource" if diff.free_changes == 1 else "resources"
    return f"; {diff.free_changes} free {noun} changed, not listed (--all lists them)"


def render_diff_table(diff: CostDiff, budget: BudgetStatus | None = None, width: int = WIDTH) -> str:
    return to_text(diff_renderables(diff, budget), width)
