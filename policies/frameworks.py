"""Compliance frameworks a rule serves, and the controls it maps to.

Each rule lists `Control`s (framework key + control id) in `RuleMeta.controls`. They travel to reports over
the analyzer protocol as policy tags `<framework>:<control>` (e.g. `fsbp:S3.5`), so a report built from
`GetAnalyzerInfo` alone still knows them; `controls_of_tags` reads them back.

Control ids follow the AWS Security Hub documentation of each standard: FSBP control ids (`S3.5`), CIS AWS
Foundations Benchmark v3.0.0 recommendation numbers, PCI DSS v4.0.1 requirement numbers and NIST SP 800-53
Rev. 5 controls, as Security Hub maps them to its controls ("where known": a rule with no Security Hub
control maps only to what its subject plainly serves). An `fsbp` id must be a control of the FSBP standard
itself, not only a Security Hub control of another standard: docs/fsbp-controls.md lists the checked ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

FrameworkKey = Literal["cis", "fsbp", "pci", "nist"]


@dataclass(frozen=True)
class Standard:
    name: str
    version: str

    @property
    def title(self) -> str:
        return f"{self.name} {self.version}"


FRAMEWORKS: dict[FrameworkKey, Standard] = {
    "cis": Standard("CIS AWS Foundations Benchmark", "v3.0.0"),
    "fsbp": Standard("AWS Foundational Security Best Practices", "v1.0.0"),
    "pci": Standard("PCI DSS", "v4.0.1"),
    "nist": Standard("NIST SP 800-53", "Rev. 5"),
}


@dataclass(frozen=True, order=True)
class Control:
    framework: FrameworkKey
    id: str

    @property
    def tag(self) -> str:
        return f"{self.framework}:{self.id}"


def controls(
    *,
    fsbp: Iterable[str] = (),
    cis: Iterable[str] = (),
    pci: Iterable[str] = (),
    nist: Iterable[str] = (),
) -> tuple[Control, ...]:
    """The controls a rule maps to, framework by framework (the order the catalog shows)."""
    return (
        *(Control("fsbp", c) for c in fsbp),
        *(Control("cis", c) for c in cis),
        *(Control("pci", c) for c in pci),
        *(Control("nist", c) for c in nist),
    )


def controls_of_tags(tags: Iterable[str]) -> tuple[Control, ...]:
    """The controls encoded in a policy's tags (`fsbp:S3.5`), in tag order."""
    found: list[Control] = []
    for tag in tags:
        key, sep, control = tag.partition(":")
        if sep and key in FRAMEWORKS and control:
            found.append(Control(key, control))
    return tuple(found)


def frameworks_of(found: Iterable[Control]) -> list[FrameworkKey]:
    """The framework keys among `found`, in `FRAMEWORKS` order."""
    keys = {control.framework for control in found}
    return [key for key in FRAMEWORKS if key in keys]


def describe(found: Iterable[Control]) -> str:
    """`FSBP S3.5, S3.9; CIS 2.1.1; NIST SC-8` — one line for tables and the catalog."""
    found = tuple(found)
    parts = []
    for key in frameworks_of(found):
        ids = [control.id for control in found if control.framework == key]
        parts.append(f"{key.upper()} {', '.join(ids)}")
    return "; ".join(parts)
