"""SARIF 2.1.0 for code-scanning annotations (GitHub code scanning and other SARIF viewers).

`tool.driver.rules` lists every policy of the pack (from `GetAnalyzerInfo`) with its description,
remediation, documentation link, a default level from its severity and GitHub's `security-severity` score.
Each violation is a result whose logical location is the resource URN and whose physical location is the
program file and line that declared the resource (the inventory's source position), or, when that is not
known, the `artifact` the caller names (the stack's `Pulumi.<stack>.yaml`); its level is
`error` when the violation is mandatory, else `warning` (`note` for low severity). Not-applicable entries are
results of kind `notApplicable`, which viewers list but do not alert on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..frameworks import frameworks_of
from ..results import NotApplicable, PolicyInfo, PolicyResult, Violation

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
# GitHub's bands: critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
Location = dict[str, Any] | None
_RULE_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def render_sarif(
    result: PolicyResult,
    *,
    artifact: Path | None = None,
    root: Path | None = None,
    sources: Mapping[str, str] | None = None,
    program: Path | None = None,
) -> str:
    """The SARIF log as JSON; file URIs are relative to `root` (default: the working directory). A result is
    located at the program file and line that declared its resource (`sources`: URN -> the engine's source
    position) when known, else at `artifact`."""
    root = (root or Path.cwd()).resolve()
    rule_index = {p.name: i for i, p in enumerate(result.policies)}
    fallback = _artifact_location(artifact, root)
    sources = sources or {}
    base = (program or Path.cwd()).resolve()

    def where(urn: str) -> Location:
        return source_location(sources.get(urn, ""), base, root) or fallback

    results = [_violation(v, rule_index, where(v.urn)) for v in result.violations]
    results += [_not_applicable(n, rule_index, where(n.urn)) for n in result.not_applicable]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": result.pack,
                "version": result.version,
                "semanticVersion": result.version,
                "rules": [_rule(p) for p in result.policies],
            }
        },
        "automationDetails": {"id": f"pulumi-policy/{result.project}/{result.stack}/"},
        "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
        "results": results,
    }
    document = {"$schema": SCHEMA, "version": VERSION, "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule(policy: PolicyInfo) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": policy.name,
        "name": policy.display_name or policy.name,
        "shortDescription": {"text": policy.description},
        "fullDescription": {"text": policy.description},
        "defaultConfiguration": {
            "level": _RULE_LEVEL.get(policy.severity, "warning"),
            "enabled": policy.enforcement_level != "disabled",
        },
        "properties": {
            "security-severity": SECURITY_SEVERITY.get(policy.severity, SECURITY_SEVERITY["medium"]),
            "tags": ["security", *policy.tags],
            "enforcementLevel": policy.enforcement_level,
            "policyType": policy.policy_type,
        },
    }
    if policy.controls:
        rule["properties"]["frameworks"] = {
            key: [c.id for c in policy.controls if c.framework == key]
            for key in frameworks_of(policy.controls)
        }
    if policy.remediation:
        rule["help"] = {"text": policy.remediation, "markdown": f"**Remediation:** {policy.remediation}"}
    if policy.url:
        rule["helpUri"] = policy.url
    return rule


def _violation(v: Violation, rule_index: dict[str, int], location: Location) -> dict[str, Any]:
    entry = _result(v.policy, rule_index, v.message, v.urn, v.name, v.type, location)
    entry["level"] = "error" if v.level == "mandatory" else ("note" if v.severity == "low" else "warning")
    entry["properties"] = {"enforcementLevel": v.level, "severity": v.severity}
    return entry


def _not_applicable(n: NotApplicable, rule_index: dict[str, int], location: Location) -> dict[str, Any]:
    entry = _result(n.policy, rule_index, n.reason, n.urn, n.name, n.type, location)
    entry["kind"] = "notApplicable"
    entry["level"] = "none"
    return entry


def _result(
    policy: str, rule_index: dict[str, int], text: str, urn: str, name: str, type_: str, location: Location
) -> dict[str, Any]:
    place: dict[str, Any] = {
        "logicalLocations": [
            {"fullyQualifiedName": urn, "name": name, "kind": "resource", "properties": {"type": type_}}
        ]
    }
    if location is not None:
        place["physicalLocation"] = location
    entry: dict[str, Any] = {
        "ruleId": policy,
        "message": {"text": text or policy},
        "locations": [place],
        "partialFingerprints": {"policyUrn/v1": hashlib.sha256(f"{policy}\n{urn}".encode()).hexdigest()},
    }
    if policy in rule_index:
        entry["ruleIndex"] = rule_index[policy]
    return entry


_POSITION = re.compile(r"^(?P<uri>[a-z]+:///?[^#]*)#(?P<line>\d+)(?:,(?P<column>\d+))?$")


def source_location(position: str, program: Path, root: Path) -> Location:
    """A SARIF physical location from the engine's `project:///<path>#<line>,<column>` (or `file://`);
    the engine's columns are 0-based, SARIF's 1-based. None when there is no usable position."""
    match = _POSITION.match(position)
    if not match or int(match["line"]) < 1:
        return None
    uri = match["uri"]
    if uri.startswith("project:///"):
        path = program / unquote(uri[len("project:///") :])
    elif uri.startswith("file://"):
        path = Path(unquote(urlparse(uri).path))
    else:
        return None
    location = _artifact_location(path, root)
    assert location is not None
    region: dict[str, int] = {"startLine": int(match["line"])}
    if match["column"] is not None:
        region["startColumn"] = int(match["column"]) + 1
    return {**location, "region": region}


def _artifact_location(artifact: Path | None, root: Path) -> Location:
    """Where results point: the artifact relative to `root` when inside it, else by absolute URI."""
    if artifact is None:
        return None
    path = artifact.resolve()
    try:
        uri: dict[str, Any] = {"uri": path.relative_to(root).as_posix(), "uriBaseId": SRCROOT}
    except ValueError:
        uri = {"uri": path.as_uri()}
    return {"artifactLocation": uri, "region": {"startLine": 1}}
