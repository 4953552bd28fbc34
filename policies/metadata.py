"""The pack's identity and the shape of a rule's metadata.

Every rule carries one `RuleMeta`; the registry (`policies.registry`) lists them, the pack turns them into
pulumi-policy `Policy` objects, and the catalog (`python -m policies.catalog`) renders them into
docs/policies.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from policies.frameworks import Control, FrameworkKey, frameworks_of

POLICIES_DIR = Path(__file__).resolve().parent
CONFIG_DIR = POLICIES_DIR / "config"
PACK_NAME = "data-ai-platform-guardrails"
STACK_PROFILES = ("dev", "staging", "prod")

Level = Literal["advisory", "mandatory", "disabled"]
SeverityName = Literal["low", "medium", "high", "critical"]
Kind = Literal["resource", "stack"]
LEVELS: tuple[Level, ...] = ("advisory", "mandatory", "disabled")
SEVERITIES: tuple[SeverityName, ...] = ("low", "medium", "high", "critical")


def _read_pack_file() -> Mapping[str, Any]:
    loaded = yaml.safe_load((POLICIES_DIR / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


_PACK_FILE = _read_pack_file()
PACK_VERSION: str = str(_PACK_FILE.get("version", "0.0.0"))
PACK_DESCRIPTION: str = str(_PACK_FILE.get("description", ""))


def profile_path(stack: str) -> Path:
    """The standard `--policy-pack-config` file holding a stack's profile (levels, waivers, settings)."""
    return CONFIG_DIR / f"{stack}.json"


@dataclass(frozen=True)
class RuleMeta:
    """Everything a report, the catalog or the engine needs to know about one rule."""

    name: str
    area: str
    description: str
    severity: SeverityName
    rationale: str
    remediation: str
    kind: Kind
    resource_types: tuple[str, ...]
    default_level: Level = "mandatory"
    profiles: Mapping[str, Level] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    related_types: tuple[str, ...] = ()
    """Types whose settings the rule judges through its subjects (a join rule's other side: a bucket's
    public access block, the policies that reach a role); only for matching the public checks it cites."""
    url: str | None = None
    controls: tuple[Control, ...] = ()
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def level_for(self, stack: str) -> Level:
        """The rule's enforcement level in a stack profile (the default level when the profile sets none)."""
        return self.profiles.get(stack, self.default_level)

    @property
    def tags(self) -> list[str]:
        """Tags for the engine and the catalog: the area, the public check ids this rule covers, then its
        framework controls as `<framework>:<control>` (see `policies.frameworks`)."""
        return [self.area, *self.references, *(control.tag for control in self.controls)]

    @property
    def frameworks(self) -> list[FrameworkKey]:
        """The frameworks this rule serves (keys of `policies.frameworks.FRAMEWORKS`)."""
        return frameworks_of(self.controls)
