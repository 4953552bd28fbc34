"""Counts every rendering shows, computed once from a `PolicyResult`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..results import SEVERITIES, PolicyResult


def summary(result: PolicyResult) -> dict[str, Any]:
    """Resources analyzed, policies by level, findings by level and severity, and the verdict."""
    levels = Counter(p.enforcement_level for p in result.policies)
    severities = Counter(v.severity for v in result.violations)
    return {
        "passed": not result.mandatory,
        "resources": result.resources_analyzed,
        "policies": {
            "total": len(result.policies),
            "enabled": len(result.policies) - levels["disabled"],
            "mandatory": levels["mandatory"] + levels["remediate"],
            "advisory": levels["advisory"],
            "disabled": levels["disabled"],
        },
        "violations": {
            "total": len(result.violations),
            "mandatory": len(result.mandatory),
            "advisory": len(result.advisory),
            "by_severity": {s: severities[s] for s in reversed(SEVERITIES)},
        },
        "not_applicable": len(result.not_applicable),
    }


def headline(result: PolicyResult) -> str:
    """One line: the verdict and the counts (checkov's summary line, in policy terms)."""
    counts = summary(result)
    found = counts["violations"]
    verdict = "FAILED" if result.mandatory else "PASSED"
    return (
        f"{verdict}: {found['mandatory']} mandatory, {found['advisory']} advisory, "
        f"{counts['not_applicable']} not applicable - {result.pack}@{result.version} on "
        f"{result.project}/{result.stack}: {counts['resources']} resources, "
        f"{counts['policies']['enabled']} policies"
    )
