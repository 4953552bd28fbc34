"""Builders for the pricing tests (imported as a sibling module): real `inventory.model` resources with
camelCase inputs, joined through property dependencies the way every inventory source records them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from cost import estimate
from cost.catalog import bundled_catalog
from cost.model import CostComponent, CostReport, ResourceCost
from cost.usage import Usage
from inventory.model import Inventory, Provider, Resource

STACK = "test"
PROJECT = "data-ai-platform"


def urn_of(type_token: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_token}::{name}"


def provider(region: str) -> Provider:
    return Provider(
        urn=f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::{region}",
        type="pulumi:providers:aws",
        name=region,
        inputs={"region": region},
        id="provider-id",
    )


def res(
    type_token: str,
    name: str,
    inputs: dict[str, Any] | None = None,
    *,
    outputs: dict[str, Any] | None = None,
    refs: dict[str, list[Resource]] | None = None,
    region: str | None = None,
    parent: Resource | None = None,
) -> Resource:
    """A custom resource; `refs` maps an input property to the resources it references."""
    deps = {prop: [r.urn for r in targets] for prop, targets in (refs or {}).items()}
    return Resource(
        urn=urn_of(type_token, name),
        type=type_token,
        name=name,
        custom=True,
        inputs=dict(inputs or {}),
        outputs={"id": f"{name}-id", "name": name, **(outputs or {})},
        parent=parent.urn if parent else None,
        provider=provider(region) if region else None,
        dependencies=sorted({urn for urns in deps.values() for urn in urns}),
        property_dependencies=deps,
        unknown_paths=frozenset(),
        secret_paths=frozenset(),
    )


def component_res(name: str) -> Resource:
    resource = res("data-ai-platform:test:Thing", name)
    resource.custom = False
    return resource


def inventory(*resources: Resource, region: str = "us-east-1") -> Inventory:
    return Inventory(
        project=PROJECT,
        stack=STACK,
        source="synthesis",
        config={"aws:region": region},
        resources=list(resources),
        providers={},
        stack_urn=f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}",
    )


def usage(text: str = "") -> Usage:
    return Usage.model_validate(yaml.safe_load(text) or {})


def report(*resources: Resource, usage_yaml: str = "", region: str = "us-east-1") -> CostReport:
    return estimate(inventory(*resources, region=region), usage=usage(usage_yaml))


def cost_of(
    target: Resource, *others: Resource, usage_yaml: str = "", region: str = "us-east-1"
) -> ResourceCost:
    """The ResourceCost of `target`, priced within an inventory of `target` and `others`."""
    found = report(target, *others, usage_yaml=usage_yaml, region=region)
    return next(r for r in found.resources if r.urn == target.urn)


def by_name(cost: ResourceCost) -> dict[str, CostComponent]:
    return {c.name: c for c in cost.components}


def price(price_id: str, region: str = "us-east-1") -> Decimal:
    """The catalog's unit price (tests restate it by hand next to the figure they check)."""
    found = bundled_catalog().price(region, price_id)
    assert found is not None, price_id
    return found.usd


D = Decimal
