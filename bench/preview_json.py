"""Write a `pulumi preview --json` file of N resources in the bench mix, without running N resources' program.

    .venv/bin/python bench/preview_json.py 20000 out.json

The resource shapes are real: the bench program (`bench/program_template.py`) is synthesized once at one cycle
of its mix (the shared key and role plus one resource of each kind); the cycle is then repeated under the
names the program itself would give (`bucket-11`, `sse-12`, ...), each copy's S3 settings pointing at its own
bucket by property dependency and id, exactly as the program at N would register them. Used by the
20,000-resource `policies.check --preview-json` test and for timing the file sources.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from inventory import Inventory, Resource, synthesize  # noqa: E402

MIX = ["bucket", "sse", "pab", "versioning", "rds", "table", "sg", "policy", "topic", "lambda", "logs"]
"""The template's cycle (its `MIX`); resource i of the program is `<MIX[i % 11]>-<i>`."""
SHARED = 2
"""The key and the role every copy shares."""


def one_cycle() -> Inventory:
    """The bench program synthesized with one resource of each kind."""
    with tempfile.TemporaryDirectory() as scratch:
        program = Path(scratch)
        shutil.copy(REPO / "bench" / "program_template.py", program / "__main__.py")
        (program / "Pulumi.yaml").write_text("name: bench\nruntime: python\n")
        stack = "n20000"
        (program / f"Pulumi.{stack}.yaml").write_text(
            f"config:\n  aws:region: us-east-1\n  bench:count: {SHARED + len(MIX)}\n"
        )
        return synthesize(program, stack)


def _state(resource: Resource) -> dict[str, Any]:
    return {
        "urn": resource.urn,
        "custom": resource.custom,
        "type": resource.type,
        "id": resource.id,
        "parent": resource.parent or "",
        "provider": resource.provider.ref if resource.provider else "",
        "inputs": resource.inputs,
        "outputs": resource.outputs,
        "dependencies": resource.dependencies,
        "propertyDependencies": resource.property_dependencies,
    }


def _renamed(copy: dict[str, str], match: re.Match[str]) -> str:
    return copy[match[1]]


def preview_document(cycle: Inventory, count: int) -> dict[str, Any]:
    """The preview JSON of `count` resources (`count - 2` in the mix, as the program at `bench:count`)."""
    shared = [r for r in cycle.resources if not r.name.startswith(tuple(f"{k}-" for k in MIX))]
    kinds = {r.name: r for r in cycle.resources if r not in shared}
    template = {name: json.dumps(_state(r)) for name, r in kinds.items()}
    names = [f"{kind}-{i}" for i, kind in enumerate(MIX)]
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![0-9])")
    states: list[dict[str, Any]] = [_state(r) for r in shared]
    for i in range(count - SHARED):
        base = i - i % len(MIX)  # the copy's bucket is resource `base`
        copy = {name: f"{kind}-{base + j}" for j, (kind, name) in enumerate(zip(MIX, names, strict=True))}
        renamed = pattern.sub(partial(_renamed, copy), template[names[i % len(MIX)]])
        states.append(json.loads(renamed))
    providers = [
        {"urn": p.urn, "custom": True, "type": p.type, "id": p.id, "inputs": p.inputs, "outputs": p.inputs}
        for p in cycle.providers.values()
    ]
    root = {"urn": cycle.stack_urn, "custom": False, "type": "pulumi:pulumi:Stack"}
    steps = [{"op": "create", "urn": s["urn"], "newState": s} for s in [root, *providers, *states]]
    return {"config": {k: str(v) for k, v in cycle.config.items()}, "steps": steps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="resources, as the program's bench:count")
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    document = preview_document(one_cycle(), args.count)
    args.output.write_text(json.dumps(document), encoding="utf-8")
    print(f"wrote {args.output}: {len(document['steps'])} steps", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
