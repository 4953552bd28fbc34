"""The JSON report: `{"violations", "not_applicable", "summary", "pack", "project", "stack"}`."""

from __future__ import annotations

import json
from dataclasses import asdict

from ..results import PolicyResult
from .summary import summary


def render_json(result: PolicyResult) -> str:
    document = {
        "violations": [
            {**asdict(v), "frameworks": result.frameworks_of(v.policy)} for v in result.violations
        ],
        "not_applicable": [asdict(n) for n in result.not_applicable],
        "summary": summary(result),
        "pack": {"name": result.pack, "version": result.version},
        "project": result.project,
        "stack": result.stack,
    }
    return json.dumps(document, indent=2) + "\n"
