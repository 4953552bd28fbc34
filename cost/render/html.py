"""A self-contained HTML report: inline CSS and an inline SVG chart, nothing loaded from elsewhere."""

from __future__ import annotations

from html import escape

from cost.budget import BudgetStatus
from cost.model import CostComponent, CostReport, ResourceCost
from cost.render.fmt import money, quantity, unit_price
from cost.render.summary import (
    Group,
    awaits_usage,
    by_component,
    by_region,
    by_service,
    coverage,
    grouped,
    listed,
    savings_heading,
    total_line,
    usage_note,
)
from cost.render.svg import bar_chart

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { padding: 0.25rem 0.75rem; border-bottom: 1px solid #d0d7de; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.resource td { font-weight: 600; background: #f6f8fa; }
tr.group td { font-weight: 700; background: #eaeef2; }
td.sub { padding-left: 2rem; }
.note { font-style: italic; color: #57606a; }
.over { color: #cf222e; font-weight: 700; }
.within { color: #1a7f37; }
.unconfirmed { color: #9a6700; font-weight: 700; }
"""


def _td(text: str, cls: str = "", colspan: int = 1) -> str:
    attrs = (f' class="{cls}"' if cls else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{escape(text)}</td>"


def _th(text: str, numeric: bool = False) -> str:
    return f'<th class="num">{escape(text)}</th>' if numeric else f"<th>{escape(text)}</th>"


def _table(headers: list[tuple[str, bool]], rows: list[str]) -> str:
    head = "".join(_th(text, numeric) for text, numeric in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _group_rows(groups: list[Group], with_range: bool) -> list[str]:
    rows = []
    for g in groups:
        cells = _td(g.name) + _td(str(g.resources), "num") + _td(money(g.monthly_usd), "num")
        if with_range:
            cells += _td(money(g.min_usd), "num") + _td(money(g.max_usd), "num")
        rows.append(f"<tr>{cells}</tr>")
    return rows


def _component_row(c: CostComponent) -> str:
    if awaits_usage(c):
        return f"<tr>{_td(c.name, 'sub')}{_td(usage_note(c), 'note', colspan=4)}</tr>"
    price = "not in catalog" if c.unit_price is None else unit_price(c.unit_price)
    qty = "" if c.quantity is None else quantity(c.quantity)
    cost = money(c.monthly_usd) + (" *" if c.usage_based else "")
    return f"<tr>{_td(c.name, 'sub')}{_td(qty, 'num')}{_td(c.unit)}{_td(price, 'num')}{_td(cost, 'num')}</tr>"


def _resource_rows(r: ResourceCost) -> list[str]:
    label = _td(f"{r.name} ({r.type})", colspan=4)
    rows = [f'<tr class="resource">{label}{_td(money(r.monthly_usd), "num")}</tr>']
    if r.status == "unpriced":
        return [*rows, f"<tr>{_td('not priced: ' + r.reason, 'sub note', colspan=5)}</tr>"]
    rows += [_component_row(c) for c in r.components]
    if r.min_usd != r.max_usd:
        text = f"autoscaling range: {money(r.min_usd)} - {money(r.max_usd)}"
        rows.append(f"<tr>{_td(text, 'sub note', colspan=5)}</tr>")
    return rows


def _breakdown(report: CostReport) -> str:
    rows: list[str] = []
    for group, resources in grouped(listed(report)):
        rows.append(f'<tr class="group">{_td(group, colspan=5)}</tr>')
        for r in resources:
            rows += _resource_rows(r)
    headers = [
        ("Resource / cost component", False),
        ("Monthly qty", True),
        ("Unit", False),
        ("Unit price", True),
        ("Monthly cost", True),
    ]
    return _table(headers, rows)


def _savings(report: CostReport) -> str:
    rows = [
        "<tr>"
        + _td(s.kind)
        + _td(s.name)
        + _td(s.description)
        + _td(money(s.baseline_usd), "num")
        + _td(money(s.optimized_usd), "num")
        + _td(money(s.monthly_saving_usd), "num")
        + "</tr>"
        for s in report.savings
    ]
    headers = [
        ("Kind", False),
        ("Resource", False),
        ("Recommendation", False),
        ("Baseline", True),
        ("Optimized", True),
        ("Monthly saving", True),
    ]
    return f"<h2>{escape(savings_heading(report))}</h2>" + _table(headers, rows)


def _unpriced(report: CostReport) -> str:
    rows = [f"<tr>{_td(r.name)}{_td(r.type)}{_td(r.reason)}</tr>" for r in report.unpriced]
    return f"<h2>Not priced ({len(report.unpriced)})</h2>" + _table(
        [("Resource", False), ("Type", False), ("Reason", False)], rows
    )


def _budget(budget: BudgetStatus | None) -> str:
    if budget is None:
        return ""
    css = "over" if budget.exceeded else "within" if budget.confirmed else "unconfirmed"
    return f'<p class="{css}">{escape(budget.message())}</p>'


def render_html(report: CostReport, budget: BudgetStatus | None = None) -> str:
    low, _, high = report.range
    title = f"Monthly cost estimate: {report.project}/{report.stack}"
    components = by_component(report)
    sections = [
        f"<h1>{escape(title)}</h1>",
        f"<p><strong>{escape(total_line(report, '/month'))}</strong> (autoscaling range "
        f"{escape(money(low))} - "
        f"{escape(money(high))}), {escape(report.region)}, {escape(report.currency)}, price catalog of "
        f"{escape(report.catalog_date)}.</p>",
        f"<p>{escape(coverage(report).line())}</p>",
        _budget(budget),
        "<h2>Cost by component</h2>",
        bar_chart(components, f"Monthly cost by component, {report.stack}"),
        _table(
            [("Component", False), ("Resources", True), ("Monthly cost", True), ("Min", True), ("Max", True)],
            _group_rows(components, with_range=True),
        ),
        "<h2>Cost by service</h2>",
        _table(
            [("Service", False), ("Resources", True), ("Monthly cost", True)],
            _group_rows(by_service(report), with_range=False),
        ),
        "<h2>Cost by region</h2>",
        _table(
            [("Region", False), ("Resources", True), ("Monthly cost", True)],
            _group_rows(by_region(report), with_range=False),
        ),
        _savings(report) if report.savings else "",
        _unpriced(report) if report.unpriced else "",
        "<h2>Breakdown by resource</h2>",
        _breakdown(report),
        '<p class="note">* usage-based: quantity from the usage file. '
        "Free resources are counted, not listed.</p>",
    ]
    body = "\n".join(s for s in sections if s)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
