"""Shared lookups for the program tests: synthesized stacks (cached per process) and their validated config.

`synthesized(stack)` runs `inventory.synthesize(REPO_ROOT, stack)` once; `StackView` wraps an inventory with
the lookups the foundation tests share; `loaded_config(stack)` is the validated `StackConfig` of
`Pulumi.<stack>.yaml`, read directly (the expected values of per-stack assertions).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `pytest` run as a script does not put the repo root on sys.path
    sys.path.insert(0, str(REPO_ROOT))

from components.config import PROJECT, StackConfig, build_stack_config  # noqa: E402
from inventory import Inventory, Resource, stream, synthesize  # noqa: E402
from inventory.synth import Synthesis  # noqa: E402

STACKS: tuple[str, ...] = ("dev", "staging", "prod")


_pending: dict[str, Synthesis] = {}
_started = False


@cache
def synthesized(stack: str) -> Inventory:
    """The stack's inventory. The first call starts all three syntheses: each runs in its own child process,
    so they overlap instead of queueing."""
    global _started
    if not _started:
        _started = True
        _pending.update({s: stream(REPO_ROOT, s) for s in STACKS})
    synthesis = _pending.pop(stack, None) or stream(REPO_ROOT, stack)
    return synthesis.inventory()


VARIANT_OVERRIDES: dict[str, Any] = {
    f"{PROJECT}:dataLake": {
        "lifecycle": {"standardIaDays": 45, "glacierDays": 120, "deepArchiveDays": 400},
        "accessLogRetentionDays": 180,
    },
    f"{PROJECT}:sessions": {"billingMode": "PROVISIONED", "readCapacity": 3, "writeCapacity": 2},
}
"""Dev with non-default lifecycle ages and provisioned DynamoDB capacity: shows config reaches resources."""


@cache
def dev_variant() -> Inventory:
    return synthesize(REPO_ROOT, "dev", config_overrides=VARIANT_OVERRIDES)


def stop_pending() -> None:
    """Stop syntheses nobody asked for (a test run selecting one stack)."""
    for synthesis in _pending.values():
        synthesis.close()
    _pending.clear()


def stack_values(stack: str) -> tuple[str | None, dict[str, Any]]:
    """`aws:region` and the project's top-level config values of `Pulumi.<stack>.yaml`."""
    config = yaml.safe_load((REPO_ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    values = {k.split(":", 1)[1]: v for k, v in config.items() if k.startswith(f"{PROJECT}:")}
    return config.get("aws:region"), values


@cache
def loaded_config(stack: str) -> StackConfig:
    region, values = stack_values(stack)
    return build_stack_config(stack, region, values)


OFFLINE_ACCOUNT = "123456789012"
"""The account the offline preview assumes for a stack that pins none (dev)."""


def account_of(stack: str) -> str:
    """The AWS account of the stack's ARNs: its `accountId`, else the offline default."""
    return loaded_config(stack).account_id or OFFLINE_ACCOUNT


class StackView:
    """Lookups over one synthesized stack."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory

    def of_type(self, token: str) -> list[Resource]:
        return [r for r in self.inventory.custom() if r.type == token]

    def named(self, name: str) -> Resource:
        matches = [r for r in self.inventory.resources if r.name == name]
        assert len(matches) == 1, f"expected one resource named {name}, found {len(matches)}"
        return matches[0]

    def names(self, token: str) -> set[str]:
        return {r.name for r in self.of_type(token)}

    def arn(self, name: str) -> str:
        return str(self.named(name).outputs["arn"])

    def ident(self, name: str) -> str:
        return str(self.named(name).outputs["id"])

    def attached(self, token: str, bucket_name: str) -> list[Resource]:
        """Configuration resources of `token` whose `bucket` input is the bucket named `bucket_name`."""
        bucket_id = self.ident(bucket_name)
        return [r for r in self.of_type(token) if r.inputs.get("bucket") == bucket_id]

    def region(self, resource: Resource) -> str:
        return self.inventory.region_of(resource)

    def policy_documents(self) -> Iterator[tuple[Resource, dict[str, Any]]]:
        """(resource, document) for every IAM policy document in any custom resource's inputs."""
        for resource in self.inventory.custom():
            for document in _documents(resource.inputs):
                yield resource, document


def _documents(value: Any) -> Iterator[dict[str, Any]]:
    """Every IAM policy document found anywhere in a value (JSON strings or objects)."""
    if isinstance(value, str) and '"Statement"' in value:
        try:
            document = json.loads(value)
        except json.JSONDecodeError:
            return
        if isinstance(document, dict) and "Statement" in document:
            yield document
    elif isinstance(value, dict):
        if "Statement" in value and "Version" in value:
            yield value
            return
        for item in value.values():
            yield from _documents(item)
    elif isinstance(value, list):
        for item in value:
            yield from _documents(item)
