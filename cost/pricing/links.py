"""Joins between resources, indexed once per estimate (no per-resource scans, no n-squared joins).

A property that references another resource is resolved through the engine's `propertyDependencies` (every
inventory source carries them); when they are absent, through the referenced value itself: an ARN, id or name
that some resource outputs. Application Auto Scaling targets are indexed by the resource they scale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inventory.model import Resource

SCALING_TARGET = "aws:appautoscaling/target:Target"
_REF_OUTPUTS = ("arn", "id", "name", "bucket")


class Links:
    def __init__(self, resources: Iterable[Resource]) -> None:
        self._resources = list(resources)
        self._by_urn = {r.urn: r for r in self._resources}
        self._by_value: dict[str, Resource] = {}
        self._referrers: dict[tuple[str, str], list[tuple[Resource, str]]] = defaultdict(list)
        self._scaling_by_id: dict[str, list[Resource]] = defaultdict(list)
        self._by_type: dict[str, list[Resource]] = defaultdict(list)
        self._recorded = any(r.property_dependencies for r in self._resources)
        for resource in self._resources:
            self._index_values(resource)
        for resource in self._resources:
            self._index_references(resource)

    def _index_values(self, resource: Resource) -> None:
        self._by_type[resource.type].append(resource)
        for key in _REF_OUTPUTS:
            value = resource.outputs.get(key)
            if isinstance(value, str) and value and len(value) > 3:
                self._by_value.setdefault(value, resource)
        if resource.type == SCALING_TARGET:
            resource_id = resource.inputs.get("resourceId")
            if isinstance(resource_id, str):
                self._scaling_by_id[resource_id].append(resource)

    def _index_references(self, resource: Resource) -> None:
        for prop in dict.fromkeys([*resource.inputs, *resource.property_dependencies]):
            for target in self.refs(resource, prop):
                self._referrers[(target.urn, resource.type)].append((resource, prop))

    def refs(self, resource: Resource, prop: str) -> list[Resource]:
        """The resources the top-level input `prop` of `resource` refers to.

        When the source records property dependencies they are the whole truth; only a source without them
        has the referenced values (ARNs, ids, names) matched against other resources' outputs.
        """
        if self._recorded:
            urns = resource.property_dependencies.get(prop, ())
            return [self._by_urn[urn] for urn in urns if urn in self._by_urn]
        found: list[Resource] = []
        for value in _strings(resource.inputs.get(prop)):
            target = self._by_value.get(value)
            if target is not None and target is not resource and target not in found:
                found.append(target)
        return found

    def ref(self, resource: Resource, prop: str, type_token: str) -> Resource | None:
        """The first resource of `type_token` that `prop` refers to."""
        return next((r for r in self.refs(resource, prop) if r.type == type_token), None)

    def referrers(self, target: Resource, type_token: str, prop: str | None = None) -> list[Resource]:
        """Resources of `type_token` whose input (`prop`, or any) refers to `target`."""
        found: list[Resource] = []
        for resource, via in self._referrers.get((target.urn, type_token), ()):
            if (prop is None or via == prop) and resource not in found:
                found.append(resource)
        return found

    def scaling_target(self, scaled: Resource, resource_id: str, dimension: str = "") -> Resource | None:
        """The Auto Scaling target of `scaled` (by `resourceId`, else by reference) for `dimension`."""
        targets = self._scaling_by_id.get(resource_id) or self.referrers(scaled, SCALING_TARGET, "resourceId")
        if dimension:
            targets = [t for t in targets if t.inputs.get("scalableDimension") == dimension]
        return targets[0] if len(targets) == 1 else None

    def of_type(self, type_token: str) -> list[Resource]:
        return self._by_type.get(type_token, [])


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
