"""Which policies a run enforces: `--policy`, `--skip-policy` and `--framework` of `python -m policies.check`
turn into a pack config that disables every other policy (the engine's own mechanism, so the pack runs as
`pulumi preview --policy-pack-config` would run it), and `policies/config/frameworks/<framework>.json` holds
the same for `pulumi preview`. Names are this pack's (`policies.registry`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from inventory.errors import InputError
from policies.frameworks import FRAMEWORKS
from policies.metadata import CONFIG_DIR, RuleMeta
from policies.registry import all_policies

FRAMEWORK_DIR = CONFIG_DIR / "frameworks"


def chosen(policies: Iterable[str], skipped: Iterable[str], framework: str | None) -> set[str]:
    """The names a run keeps; InputError naming the unknown policy or framework."""
    metas = all_policies()
    known = {meta.name for meta in metas}
    for name in [*policies, *skipped]:
        if name not in known:
            raise InputError(f"--policy/--skip-policy: no policy named {name!r} in the pack (see --list)")
    if framework is not None and framework not in FRAMEWORKS:
        raise InputError(f"--framework: unknown framework {framework!r}; use one of {', '.join(FRAMEWORKS)}")
    keep = set(policies) or known
    if framework is not None:
        keep &= {meta.name for meta in metas if framework in meta.frameworks}
    return keep - set(skipped)


def restrict(config: Mapping[str, Any], keep: set[str]) -> dict[str, Any]:
    """`config` (a pack config object) with every policy outside `keep` disabled."""
    out = dict(config)
    for meta in all_policies():
        if meta.name in keep:
            continue
        entry = out.get(meta.name)
        out[meta.name] = (
            {**entry, "enforcementLevel": "disabled"} if isinstance(entry, Mapping) else "disabled"
        )
    return out


def framework_config(framework: str) -> dict[str, Any]:
    """The `--policy-pack-config` running only `framework`'s policies at their default levels."""
    return {meta.name: _level(meta, framework) for meta in all_policies()}


def _level(meta: RuleMeta, framework: str) -> str:
    return meta.default_level if framework in meta.frameworks else "disabled"


def write_framework_configs(directory: Path = FRAMEWORK_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for key in FRAMEWORKS:
        path = directory / f"{key}.json"
        path.write_text(json.dumps(framework_config(key), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
