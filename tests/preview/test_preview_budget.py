"""`python -m preview` with the real cost estimate and pack: a total with unpriced resources is a lower
bound in every format, and a budget it cannot confirm says so."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from preview.__main__ import main

PREVIEW = Path(__file__).resolve().parent / "fixtures" / "small-dev.preview.json"

pytestmark = pytest.mark.slow


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_total_with_unpriced_resources_is_a_lower_bound_and_the_budget_is_not_confirmed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = json.loads(PREVIEW.read_text())
    doc["config"]["small-lake:budget"] = json.dumps({"monthlyUsd": 1000})
    step = next(s for s in doc["steps"] if s["newState"]["type"] == "aws:s3/bucket:Bucket")
    unpriced = json.loads(json.dumps(step).replace("aws:s3/bucket:Bucket", "aws:example/widget:Widget"))
    unpriced["urn"] = unpriced["newState"]["urn"] = step["urn"].replace(
        "aws:s3/bucket:Bucket", "aws:example/widget:Widget"
    )
    doc["steps"].append(unpriced)
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "--preview-json", str(path))
    assert code == 1  # the fixture's mandatory finding; the unconfirmed budget alone does not fail
    assert re.search(
        r"Estimated monthly cost: at least \$[\d,.]+ \(1 resource unpriced\) \(range", " ".join(out.split())
    )
    assert "Budget not confirmed" in out
    code, out, _ = run(capsys, "--preview-json", str(path), "--format", "markdown")
    assert re.search(r"\*\*Estimated monthly cost:\*\* at least \$[\d,.]+ \(1 resource unpriced\)", out)
    assert "**Budget:** Budget not confirmed" in out
    code, out, _ = run(capsys, "--preview-json", str(path), "--format", "json")
    doc = json.loads(out)
    assert doc["budget"]["confirmed"] is False and doc["cost"]["unpriced"] == 1
