"""Per-stack profiles: the standard `--policy-pack-config` files in policies/config/<stack>.json.

Each file lists every policy of the pack with its enforcement level for that stack (from the rule metadata:
`default_level`, overridden by `profiles`) plus the stack's settings (required tags and allowed values,
minimum retention, the usage file) and any waivers. Levels are generated, everything else is edited by hand:

    python -m policies.profiles            # rewrite levels (and add new policies), keep settings and waivers
    python -m policies.profiles --check    # exit 1 when a file is out of date (CI)

It also writes policies/config/frameworks/<framework>.json (cis, fsbp, pci, nist): configs for
`pulumi preview --policy-pack-config` that run only that framework's policies (the others disabled).

`problems()` checks a config (ours or a user's) for keys that name no policy and for invalid waivers, which
the engine would otherwise pass on silently.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import Any

from policies import waivers
from policies.frameworks import FRAMEWORKS
from policies.metadata import STACK_PROFILES, profile_path
from policies.registry import all_policies
from policies.selection import FRAMEWORK_DIR, framework_config

_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"]
_LOG_MIN_DAYS = {"dev": 7, "staging": 30, "prod": 365}
_BACKUP_MIN_DAYS = {"dev": 7, "staging": 7, "prod": 14}


def starting_settings(stack: str) -> dict[str, dict[str, Any]]:
    """Settings a new profile file starts with (hand edits in the file win afterwards)."""
    return {
        "aws-resource-required-tags": {
            "requiredTags": [
                "owner",
                "environment",
                "cost-center",
                "data-classification",
                "project",
                "stack",
            ],
            "allowedValues": {"environment": [stack], "data-classification": _CLASSIFICATIONS},
        },
        "aws-cloudwatch-log-group-retention": {"minDays": _LOG_MIN_DAYS.get(stack, 1)},
        "aws-rds-backup-retention": {"minDays": _BACKUP_MIN_DAYS.get(stack, 7)},
        "aws-stack-monthly-budget": {"usageFile": f"../usage.{stack}.yaml"},
    }


def render(stack: str, existing: Mapping[str, Any]) -> dict[str, Any]:
    """The profile for `stack`: levels from metadata, settings and waivers kept from `existing`."""
    unknown = problems(existing)
    if unknown:
        raise ValueError(f"{profile_path(stack)}: " + "; ".join(unknown))
    start = starting_settings(stack)
    out: dict[str, Any] = {}
    for meta in all_policies():
        previous = existing.get(meta.name)
        kept = dict(previous) if isinstance(previous, Mapping) else dict(start.get(meta.name, {}))
        kept.pop("enforcementLevel", None)
        out[meta.name] = {"enforcementLevel": meta.level_for(stack), **dict(sorted(kept.items()))}
    return out


def problems(config: Mapping[str, Any]) -> list[str]:
    """What is wrong with a pack config beyond JSON-schema validity: unknown policy keys, invalid waivers."""
    names = {meta.name for meta in all_policies()}
    found: list[str] = []
    for key, value in config.items():
        if key == "all":
            continue
        if key not in names:
            hint = " (waivers go under the policy they waive)" if key == "waivers" else ""
            found.append(f"{key!r} is not a policy of this pack{hint}")
        elif isinstance(value, Mapping):
            found.extend(waivers.problems(value.get("waivers"), key))
    return found


def _text(config: Mapping[str, Any]) -> str:
    return json.dumps(config, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policies.profiles", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    args = parser.parse_args(argv)
    stale = []
    FRAMEWORK_DIR.mkdir(parents=True, exist_ok=True)
    files = [(profile_path(stack), lambda old, stack=stack: render(stack, old)) for stack in STACK_PROFILES]
    files += [
        (FRAMEWORK_DIR / f"{key}.json", lambda _old, key=key: framework_config(key)) for key in FRAMEWORKS
    ]
    for path, build in files:
        existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        wanted = _text(build(existing))
        if path.exists() and path.read_text(encoding="utf-8") == wanted:
            continue
        stale.append(str(path))
        if not args.check:
            path.write_text(wanted, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    print("\n".join(f"{verb}: {path}" for path in stale) or "profiles up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
