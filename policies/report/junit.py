"""JUnit XML for CI test reports: one test suite per policy, one test case per finding.

A mandatory violation is a `<failure>`, an advisory one a passing case whose `<system-out>` carries the
message (CI shows it without failing the build, like the exit code), a not-applicable entry is `<skipped>`,
and a policy with no finding is one passing case named after the policy.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from ..results import NotApplicable, PolicyResult, Violation


def render_junit(result: PolicyResult) -> str:
    violations: dict[str, list[Violation]] = defaultdict(list)
    skipped: dict[str, list[NotApplicable]] = defaultdict(list)
    for v in result.violations:
        violations[v.policy].append(v)
    for n in result.not_applicable:
        skipped[n.policy].append(n)
    names = list(dict.fromkeys([p.name for p in result.policies] + list(violations) + list(skipped)))
    root = ET.Element("testsuites", name=f"{result.pack} {result.project}/{result.stack}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for name in names:
        suite = _suite(name, violations[name], skipped[name])
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(policy: str, violations: list[Violation], skipped: list[NotApplicable]) -> ET.Element:
    suite = ET.Element("testsuite", name=policy)
    for v in violations:
        case = ET.SubElement(suite, "testcase", classname=policy, name=f"{v.name} ({v.type})")
        if v.level == "mandatory":
            failure = ET.SubElement(case, "failure", type=f"mandatory/{v.severity}", message=v.message)
            failure.text = v.urn
        else:
            ET.SubElement(case, "system-out").text = f"advisory/{v.severity}: {v.message}\n{v.urn}"
    for n in skipped:
        case = ET.SubElement(suite, "testcase", classname=policy, name=f"{n.name or n.urn} ({n.type})")
        ET.SubElement(case, "skipped", message=n.reason)
    if not violations and not skipped:
        ET.SubElement(suite, "testcase", classname=policy, name=policy)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(sum(v.level == "mandatory" for v in violations)))
    suite.set("skipped", str(len(skipped)))
    return suite
