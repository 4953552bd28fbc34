"""20,000 resources through `python -m policies.check --preview-json`: every Analyze answered (the driver
bounds the calls in flight; sent all at once they came back CANCELLED) and the findings are exactly those of
the mix's cycle, times the cycles: the S3 settings of each copy are joined to its own bucket."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_preview_json", ROOT / "bench" / "preview_json.py")
assert _spec is not None and _spec.loader is not None
preview_json = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(preview_json)

pytestmark = pytest.mark.slow

COUNT = 20_000
CYCLES = (COUNT - preview_json.SHARED) // len(preview_json.MIX)


def _check(path: Path, out: Path) -> tuple[int, dict]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "policies.check",
            "--preview-json",
            str(path),
            "--format",
            "json",
            "--output",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(out.read_text(encoding="utf-8"))


def _by_policy_and_type(report: dict) -> Counter[tuple[str, str]]:
    return Counter((v["policy"], v["type"]) for v in report["violations"])


def test_twenty_thousand_resources_are_all_analyzed_with_the_findings_of_one_cycle_times_the_cycles(
    tmp_path: Path,
) -> None:
    cycle = preview_json.one_cycle()
    assert preview_json.SHARED + CYCLES * len(preview_json.MIX) == COUNT  # whole cycles: exact counts below
    one = tmp_path / "one.json"
    one.write_text(json.dumps(preview_json.preview_document(cycle, len(cycle.resources))))
    big = tmp_path / "big.json"
    big.write_text(json.dumps(preview_json.preview_document(cycle, COUNT)))

    _, small = _check(one, tmp_path / "one.out.json")
    code, report = _check(big, tmp_path / "big.out.json")

    assert code == 1 and report["summary"]["resources"] == COUNT
    shared = {"aws:kms/key:Key", "aws:iam/role:Role"}
    expected = Counter(
        {key: n if key[1] in shared else n * CYCLES for key, n in _by_policy_and_type(small).items()}
    )
    assert _by_policy_and_type(report) == expected
    joined = {"aws-s3-bucket-sse-kms", "aws-s3-bucket-public-access-block", "aws-s3-bucket-versioning"}
    s3 = [v for v in report["violations"] + report["not_applicable"] if v["policy"] in joined]
    assert s3 == []  # each bucket's encryption, public access block and versioning found through dependencies
    assert len(report["not_applicable"]) == len(small["not_applicable"])
