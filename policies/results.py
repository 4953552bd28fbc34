"""What a policy run produces (design.md, Contract 2) and the pack metadata the reports need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .frameworks import Control, controls_of_tags, describe

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
SEVERITIES = ("low", "medium", "high", "critical")
DEFAULT_SEVERITY = "medium"
"""Severity reported for a policy that declares none (the engine leaves it unspecified)."""


@dataclass(frozen=True)
class PolicyInfo:
    """One policy as `GetAnalyzerInfo` describes it, with the enforcement level the run used."""

    name: str
    description: str
    enforcement_level: str
    policy_type: str = "resource"  # "resource" | "stack"
    severity: str = DEFAULT_SEVERITY
    display_name: str = ""
    remediation: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    framework: str = ""
    config_schema: dict[str, Any] | None = None

    @property
    def controls(self) -> tuple[Control, ...]:
        """The framework controls the policy maps to, read from its `<framework>:<control>` tags."""
        return controls_of_tags(self.tags)


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    description: str = ""
    supports_config: bool = True
    policies: tuple[PolicyInfo, ...] = ()
    initial_config: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Violation:
    policy: str
    level: str  # "mandatory" | "advisory"
    severity: str  # "low" | "medium" | "high" | "critical"
    urn: str
    type: str
    name: str
    message: str


@dataclass(frozen=True)
class NotApplicable:
    """A policy the pack did not apply to a resource: a waiver, or a value unknown until deployment."""

    policy: str
    urn: str
    reason: str
    type: str = ""
    name: str = ""


@dataclass
class PolicyResult:
    pack: str
    version: str
    violations: list[Violation]
    not_applicable: list[NotApplicable]
    policies: list[PolicyInfo] = field(default_factory=list)
    project: str = ""
    stack: str = ""
    resources_analyzed: int = 0

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.level == "mandatory"]

    @property
    def advisory(self) -> list[Violation]:
        return [v for v in self.violations if v.level == "advisory"]

    def policy(self, name: str) -> PolicyInfo | None:
        return next((p for p in self.policies if p.name == name), None)

    def frameworks_of(self, name: str) -> str:
        """The controls a policy maps to, in one line (`FSBP S3.5; CIS 2.1.1`); empty when none or unknown."""
        info = self.policy(name)
        return describe(info.controls) if info else ""
