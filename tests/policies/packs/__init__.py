"""Tiny policy packs and inputs for the driver's tests, plus helpers to build inventories by hand.

`basic/` reports what crossed the wire; `broken/` cannot start; `chatty/` prints before its port; `program/`
is a small Pulumi program; `data/` holds a `pulumi preview --json` digest.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:  # `.venv/bin/pytest` does not put the repository root on sys.path
    sys.path.insert(0, str(ROOT))

from inventory.model import Inventory, Provider, Resource  # noqa: E402

BASIC, BROKEN, CHATTY = HERE / "basic", HERE / "broken", HERE / "chatty"
PROGRAM = HERE / "program"
PREVIEW_JSON = HERE / "data" / "preview-dev.json"
PROJECT, STACK = "proj", "dev"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"


def urn(type_: str, name: str, parent_type: str | None = None) -> str:
    qualified = f"{parent_type}${type_}" if parent_type else type_
    return f"urn:pulumi:{STACK}::{PROJECT}::{qualified}::{name}"


def provider(name: str, inputs: dict[str, Any]) -> Provider:
    return Provider(urn("pulumi:providers:aws", name), "pulumi:providers:aws", name, inputs, id=f"{name}-id")


def resource(
    type_: str,
    name: str,
    inputs: dict[str, Any] | None = None,
    *,
    custom: bool = True,
    outputs: dict[str, Any] | None = None,
    parent: Resource | None = None,
    provider: Provider | None = None,
    dependencies: list[str] | None = None,
    property_dependencies: dict[str, list[str]] | None = None,
    unknown: frozenset[str] = frozenset(),
    secret: frozenset[str] = frozenset(),
    external: bool = False,
) -> Resource:
    return Resource(
        urn=urn(type_, name, parent.type if parent else None),
        type=type_,
        name=name,
        custom=custom,
        inputs=inputs or {},
        outputs=outputs or {},
        parent=parent.urn if parent else None,
        provider=provider,
        dependencies=dependencies or [],
        property_dependencies=property_dependencies or {},
        unknown_paths=unknown,
        secret_paths=secret,
        external=external,
    )


def inventory(resources: list[Resource], config: dict[str, Any] | None = None) -> Inventory:
    providers = {r.provider.urn: r.provider for r in resources if r.provider is not None}
    return Inventory(PROJECT, STACK, "synthesis", config or {}, resources, providers, STACK_URN)
