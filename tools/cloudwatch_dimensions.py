"""Refresh the CloudWatch namespaces and dimension names the dashboard policy maps, from a maintained source.

    .venv/bin/python tools/cloudwatch_dimensions.py                 # rewrite the data file from PACKAGE
    .venv/bin/python tools/cloudwatch_dimensions.py --version X     # from another published version
    .venv/bin/python tools/cloudwatch_dimensions.py --check         # exit 1 when the data file differs

No AWS API lists every metric; aws-cdk-lib (npm, Apache-2.0) generates, per service, "canned metrics" from
AWS's metric definitions: each `*-canned-metrics.generated.js` names a metric's namespace and the matching
`.d.ts` its dimension names. This tool fetches the pinned version with `npm pack` (the registry's own client),
reads those files and writes `cloudwatch_dimensions.json` (in `policies/rules/validity/data/`): per namespace,
the dimension names its metrics take, with the package version, its tarball integrity and the date. Needs
`npm` on PATH; the pack itself only reads the JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import npm_package  # tools/, on the path when a tool runs (and in its tests)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "policies" / "rules" / "validity" / "data" / "cloudwatch_dimensions.json"
PACKAGE = "aws-cdk-lib"
VERSION = "2.276.0"
SUFFIX = "-canned-metrics.generated"
PAGE = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/aws-services-cloudwatch-metrics.html"
_NAMESPACE = re.compile(r'static (\w+)\(dimensions\)\{return\{namespace:"([^"]+)"')
_SIGNATURE = re.compile(r"static (\w+)\((?:this: void, )?dimensions: \{([^}]*)\}")
_MEMBER = re.compile(r'(?:"([^"]+)"|(\w+))\??: string')


def parse(js: str, dts: str) -> dict[str, set[str]]:
    """One service's generated pair: namespace -> dimension names, joined on the metric method's name."""
    namespaces = dict(_NAMESPACE.findall(js))
    found: dict[str, set[str]] = defaultdict(set)
    for method, members in _SIGNATURE.findall(dts):
        if method in namespaces:
            found[namespaces[method]].update(quoted or bare for quoted, bare in _MEMBER.findall(members))
    return found


def fetch(version: str) -> tuple[dict[str, set[str]], dict[str, str]]:
    spec = f"{PACKAGE}@{version}"
    found: dict[str, set[str]] = defaultdict(set)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        integrity = npm_package.view(spec, "dist.integrity", cwd=work)
        tarball = npm_package.pack(spec, work)
        with tarfile.open(tarball) as archive:
            texts = {
                member.name: archive.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
                for member in archive.getmembers()
                if SUFFIX in member.name and member.isfile()
            }
    for name, js in texts.items():
        if name.endswith(f"{SUFFIX}.js"):
            for namespace, dims in parse(js, texts.get(name.removesuffix(".js") + ".d.ts", "")).items():
                found[namespace] |= dims
    origin = {
        "package": PACKAGE,
        "version": version,
        "files": f"*/lib/*{SUFFIX}.{{js,d.ts}}",
        "integrity": integrity,
    }
    return found, origin


def to_data(found: Mapping[str, Iterable[str]], origin: Mapping[str, str], retrieved: str) -> dict[str, Any]:
    return {
        "source": PAGE,
        "title": "CloudWatch namespaces and dimension names, as aws-cdk-lib's generated canned metrics say",
        "retrieved": retrieved,
        "copied_from": dict(origin),
        "note": (
            "Written by tools/cloudwatch_dimensions.py; do not edit by hand. Namespace names are those of "
            "AWS's 'AWS services that publish CloudWatch metrics' page (`source`). The lists are the "
            "dimensions of the metrics aws-cdk-lib generates for each namespace: they may lack dimensions of "
            "metrics it has no helper for, so they say which names exist, not which do not."
        ),
        "namespaces": {namespace: sorted(found[namespace]) for namespace in sorted(found)},
    }


def render(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION, help=f"the {PACKAGE} version (default {VERSION})")
    parser.add_argument("--check", action="store_true", help="exit 1 when the data file's namespaces differ")
    args = parser.parse_args(argv)
    found, origin = fetch(args.version)
    if args.check:
        current = json.loads(DATA.read_text(encoding="utf-8"))
        same = current["namespaces"] == to_data(found, origin, "")["namespaces"]
        print("up to date" if same else f"{DATA.relative_to(REPO)} differs from {PACKAGE}@{args.version}")
        return 0 if same else 1
    DATA.write_text(render(to_data(found, origin, datetime.date.today().isoformat())), encoding="utf-8")
    print(f"wrote {len(found)} namespaces from {PACKAGE}@{args.version} to {DATA.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
