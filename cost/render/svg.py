"""An inline SVG bar chart of monthly cost by component (no scripts, no external assets).

Each bar is the expected monthly cost; a thin whisker spans the autoscaling range (min to max). Colours and
fonts are presentation attributes, so the chart renders the same on its own as inside the HTML report.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from cost.render.fmt import money
from cost.render.summary import Group

LABEL_WIDTH = 220
BAR_WIDTH = 420
VALUE_WIDTH = 140
ROW_HEIGHT = 28
BAR_HEIGHT = 16
BAR_COLOUR = "#0969da"
INK = "#1b1f24"


def _x(value: Decimal, scale: Decimal) -> str:
    """Pixel offset of `value` on the bar axis, to one decimal."""
    if scale <= 0:
        return f"{LABEL_WIDTH:.1f}"
    return f"{LABEL_WIDTH + float(value / scale) * BAR_WIDTH:.1f}"


def _row(index: int, group: Group, scale: Decimal) -> str:
    y = index * ROW_HEIGHT
    mid = y + ROW_HEIGHT / 2
    width = float(_x(group.monthly_usd, scale)) - LABEL_WIDTH
    name = escape(group.name)
    parts = [
        f'<g class="row"><title>{name}: {money(group.monthly_usd)}/month '
        f"(range {money(group.min_usd)} - {money(group.max_usd)})</title>",
        f'<text x="{LABEL_WIDTH - 8}" y="{mid + 4:.1f}" text-anchor="end">{name}</text>',
        f'<rect x="{LABEL_WIDTH}" y="{mid - BAR_HEIGHT / 2:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" '
        f'fill="{BAR_COLOUR}"/>',
    ]
    if group.min_usd != group.max_usd:
        parts.append(
            f'<line x1="{_x(group.min_usd, scale)}" x2="{_x(group.max_usd, scale)}" y1="{mid:.1f}" '
            f'y2="{mid:.1f}" stroke="{INK}" stroke-width="2"/>'
        )
    parts.append(
        f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{mid + 4:.1f}">{money(group.monthly_usd)}</text></g>'
    )
    return "".join(parts)


def bar_chart(groups: list[Group], title: str) -> str:
    """The chart as an `<svg>` element; bars scale to the largest maximum so every whisker fits."""
    scale = max((max(g.max_usd, g.monthly_usd) for g in groups), default=Decimal(0))
    height = max(len(groups), 1) * ROW_HEIGHT
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    rows = "".join(_row(i, g, scale) for i, g in enumerate(groups))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" '
        f'font-size="12" fill="{INK}">'
        f"<title>{escape(title)}</title>{rows}</svg>"
    )
