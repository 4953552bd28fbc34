"""Golden snapshots of our three stacks: every policy finding and every resource's cost figures.

`.venv/bin/python tools/golden.py --write` regenerates `tests/golden/<stack>.json`, and
`tests/golden/test_golden_stacks.py` compares a fresh snapshot with it. A change that moves a finding or a
figure on purpose regenerates the files and explains the diff in its commit (for cost, in docs/cost-model.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
GOLDEN_DIR = REPO_ROOT / "tests" / "golden"
STACKS = ("dev", "staging", "prod")


def snapshot(stack: str) -> dict[str, Any]:
    """The stack's findings (violations and not-applicable, sorted) and cost (per resource and totals)."""
    from cost import estimate, load_usage
    from inventory import synthesize
    from policies.analyzer import run_pack

    inventory = synthesize(REPO_ROOT, stack)
    policy = run_pack(inventory)
    report = estimate(inventory, usage=load_usage(REPO_ROOT / f"usage.{stack}.yaml"))
    return {
        "stack": stack,
        "violations": sorted([v.policy, v.level, v.urn, v.message] for v in policy.violations),
        "not_applicable": sorted([n.policy, n.urn, n.reason] for n in policy.not_applicable),
        "cost": {
            "total_monthly_usd": str(report.total_monthly_usd),
            "range": [str(x) for x in report.range],
            "resources": {
                r.urn: [r.status, str(r.monthly_usd), str(r.min_usd), str(r.max_usd)]
                for r in report.resources
            },
        },
    }


def golden_path(stack: str) -> Path:
    return GOLDEN_DIR / f"{stack}.json"


def main() -> int:
    parser = argparse.ArgumentParser(prog="tools/golden.py", description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite tests/golden/<stack>.json")
    parser.add_argument("stacks", nargs="*", default=list(STACKS))
    args = parser.parse_args()
    for stack in args.stacks:
        text = json.dumps(snapshot(stack), indent=1, sort_keys=True) + "\n"
        if args.write:
            golden_path(stack).write_text(text, encoding="utf-8")
            print(f"wrote {golden_path(stack)}")
        else:
            print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
