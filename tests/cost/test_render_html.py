"""`cost report --format html`: one self-contained page with an inline SVG chart of cost by component."""

from __future__ import annotations

import re
from decimal import Decimal as D
from html.parser import HTMLParser

from test_render_sample import report

from cost.budget import Budget, check_budget
from cost.render.html import render_html
from cost.render.summary import Group
from cost.render.svg import BAR_WIDTH, LABEL_WIDTH, bar_chart


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = Collector()
    collector.feed(html)
    return collector.tags


def test_page_is_self_contained() -> None:
    html = render_html(report())
    tags = {tag for tag, _ in parse(html)}
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert re.findall(r'(?:src|href)="', html) == []
    assert re.findall(r"https?://[^\"]*", html) == ["http://www.w3.org/2000/svg"]  # the SVG namespace only


def test_chart_has_one_bar_per_component_scaled_to_the_largest_maximum() -> None:
    bars = [attrs for tag, attrs in parse(render_html(report())) if tag == "rect"]
    # by expected cost: containers 72.0802 (max 720.802), network 32.85, data 23, (top level) 0, ml 0
    assert [float(b["width"] or 0) for b in bars] == [42.0, 19.1, 13.4, 0.0, 0.0]
    ranges = [attrs for tag, attrs in parse(render_html(report())) if tag == "line"]
    assert [(r["x1"], r["x2"]) for r in ranges] == [("262.0", "640.0")]  # containers: $72.08 to $720.80


def test_bar_chart_geometry_and_escaping() -> None:
    groups = [Group("<a&b>", 1, D(50), D(25), D(100)), Group("small", 2, D(10), D(10), D(10))]
    svg = bar_chart(groups, "cost & co")
    assert 'aria-label="cost &amp; co"' in svg
    assert "&lt;a&amp;b&gt;" in svg and "<a&b>" not in svg
    assert f'<rect x="{LABEL_WIDTH}" y="6.0" width="{BAR_WIDTH / 2:.1f}" height="16"' in svg
    assert '<line x1="325.0" x2="640.0" y1="14.0" y2="14.0"' in svg


def test_figures_tables_and_budget() -> None:
    status = check_budget(
        D("127.9302"), Budget(D(8000), "Pulumi.prod.yaml data-ai-platform:budget.monthlyUsd"), 1
    )
    html = render_html(report(), status)
    assert (
        "<strong>at least $127.93/month (1 resource unpriced)</strong> (autoscaling range $127.93 - "
        "$776.65)" in html
    )
    assert "<p>6 resources: 3 priced, 1 free, 1 unpriced, 1 usage-dependent</p>" in html
    assert (
        '<p class="unconfirmed">Budget not confirmed: the estimate is at least $127.93/month (1 resource '
        "unpriced) against the budget of $8,000.00/month (Pulumi.prod.yaml "
        "data-ai-platform:budget.monthlyUsd); it holds only if the unpriced resources cost less than "
        "$7,872.07/month.</p>" in html
    )
    assert '<td colspan="4">rag-api (aws:ecs/service:Service)</td><td class="num">$72.08</td>' in html
    assert '<td class="note" colspan="4">Monthly cost depends on usage: $0.045 per GB</td>' in html
    assert "<h2>Savings (net $41.65/month, already included in the total)</h2>" in html
    assert "<h2>Not priced (1)</h2>" in html


def test_names_are_escaped() -> None:
    sample = report()
    sample.resources[0].name = "<script>alert(1)</script>"
    html = render_html(sample)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
