"""The pull-request comment: a summary line, one table (mandatory, then advisory), collapsible details.

GitHub caps a comment at 65,536 characters, so the table stops after `MAX_ROWS` findings and says how many
it left out; the JSON and SARIF reports always hold everything.
"""

from __future__ import annotations

import html
from collections import defaultdict

from ..results import NotApplicable, PolicyInfo, PolicyResult, Violation
from .summary import summary

MAX_ROWS = 100
_LEVEL_ICON = {"mandatory": "🔴 mandatory", "advisory": "🟡 advisory"}


def render_markdown(result: PolicyResult) -> str:
    parts = [_heading(result), _findings_table(result.violations)]
    if result.violations:
        parts.append(_details(result))
    if result.not_applicable:
        parts.append(_not_applicable(result.not_applicable))
    return "\n\n".join(p for p in parts if p) + "\n"


def _heading(result: PolicyResult) -> str:
    counts = summary(result)
    verdict = "❌ Policy check failed" if result.mandatory else "✅ Policy check passed"
    return (
        f"### {verdict}: {counts['violations']['mandatory']} mandatory, "
        f"{counts['violations']['advisory']} advisory · `{result.project}/{result.stack}`\n\n"
        f"`{result.pack}@{result.version}` checked {counts['resources']} resources against "
        f"{counts['policies']['enabled']} policies; {counts['not_applicable']} not applicable."
    )


def _findings_table(violations: list[Violation]) -> str:
    if not violations:
        return "No policy violations."
    rows = [
        "| Level | Severity | Policy | Resource | Message |",
        "|---|---|---|---|---|",
        *(
            f"| {_LEVEL_ICON.get(v.level, v.level)} | {v.severity} | `{v.policy}` "
            f"| {_resource(v.name, v.type)} | {_cell(v.message)} |"
            for v in violations[:MAX_ROWS]
        ),
    ]
    if len(violations) > MAX_ROWS:
        rows.append(
            f"\n… and {len(violations) - MAX_ROWS} more; see the JSON or SARIF report for all of them."
        )
    return "\n".join(rows)


def _details(result: PolicyResult) -> str:
    by_policy: dict[str, list[Violation]] = defaultdict(list)
    for v in result.violations:
        by_policy[v.policy].append(v)
    sections = [_policy_section(name, found, result.policy(name)) for name, found in by_policy.items()]
    return "<details><summary>Details by policy</summary>\n\n" + "\n\n".join(sections) + "\n\n</details>"


def _policy_section(name: str, found: list[Violation], info: PolicyInfo | None) -> str:
    paragraphs = [f"#### `{name}`" + (f": {_inline(info.description)}" if info else "")]
    if info is not None:
        link = f" · [documentation]({info.url})" if info.url else ""
        paragraphs.append(f"Severity **{info.severity}** · level **{info.enforcement_level}**{link}")
        if info.remediation:
            paragraphs.append(f"**Remediation:** {_inline(info.remediation)}")
    bullets = [f"- `{v.urn}`: {_inline(v.message)}" for v in found[:MAX_ROWS]]
    if len(found) > MAX_ROWS:
        bullets.append(f"- … and {len(found) - MAX_ROWS} more")
    return "\n\n".join([*paragraphs, "\n".join(bullets)])


def _not_applicable(entries: list[NotApplicable]) -> str:
    rows = [
        f"<details><summary>Not applicable ({len(entries)}): waivers and values unknown until deployment"
        "</summary>\n",
        "| Policy | Resource | Reason |",
        "|---|---|---|",
        *(f"| `{n.policy}` | {_resource(n.name, n.type)} | {_cell(n.reason)} |" for n in entries[:MAX_ROWS]),
    ]
    if len(entries) > MAX_ROWS:
        rows.append(f"\n… and {len(entries) - MAX_ROWS} more.")
    return "\n".join(rows) + "\n\n</details>"


def _resource(name: str, type_: str) -> str:
    return f"`{_code(name)}` ({_code(type_)})" if type_ else f"`{_code(name)}`"


def _cell(text: str) -> str:
    """Text safe inside a table cell: HTML escaped, pipes escaped, line breaks as <br>."""
    return "<br>".join(
        html.escape(line, quote=False).replace("|", "\\|") for line in text.splitlines() or [""]
    )


def _inline(text: str) -> str:
    return " ".join(html.escape(text, quote=False).split())


def _code(text: str) -> str:
    return text.replace("`", "'").replace("|", "\\|")
