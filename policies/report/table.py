"""The terminal report (rich): the summary line, then violations (mandatory first), then what was skipped."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..results import NotApplicable, PolicyResult
from .summary import headline

_LEVEL_STYLE = {"mandatory": "bold red", "advisory": "yellow"}
_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def render_table(result: PolicyResult, *, color: bool = False, width: int = 160) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color, highlight=False)
    console.print(Text(headline(result), style="bold red" if result.mandatory else "bold green"))
    if result.violations:
        console.print(_violations(result))
    if result.not_applicable:
        console.print(_not_applicable(result.not_applicable))
    return buffer.getvalue()


def _violations(result: PolicyResult) -> Table:
    table = Table(title="Policy violations", title_justify="left", show_lines=True, expand=True)
    table.add_column("Level", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Policy", no_wrap=True)
    table.add_column("Resource", ratio=1, overflow="fold")
    table.add_column("Message", ratio=2, overflow="fold")
    for v in result.violations:
        frameworks = result.frameworks_of(v.policy)
        table.add_row(
            Text(v.level, style=_LEVEL_STYLE.get(v.level, "")),
            Text(v.severity, style=_SEVERITY_STYLE.get(v.severity, "")),
            escape(v.policy) + (f"\n[dim]{escape(frameworks)}[/dim]" if frameworks else ""),
            f"{escape(v.name)}\n[dim]{escape(v.type)}[/dim]",
            escape(v.message),
        )
    return table


def _not_applicable(entries: list[NotApplicable]) -> Table:
    table = Table(title="Not applicable", title_justify="left", title_style="blue", expand=True)
    table.add_column("Policy", no_wrap=True, style="blue")
    table.add_column("Resource", ratio=1, overflow="fold")
    table.add_column("Reason", ratio=2, overflow="fold")
    for n in entries:
        table.add_row(escape(n.policy), f"{escape(n.name)}\n[dim]{escape(n.type)}[/dim]", escape(n.reason))
    return table
