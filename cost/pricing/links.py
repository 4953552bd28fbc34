"""The joins pricers make, over the inventory's resource graph (`inventory.graph`: property dependencies,
then identifiers): built once per estimate, so no pricer scans the inventory. Application Auto Scaling
targets are also indexed by the `resourceId` of what they scale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from inventory.graph import Graph
from inventory.model import Resource

SCALING_TARGET = "aws:appautoscaling/target:Target"


def _inputs(resource: Resource) -> Mapping[str, Any]:
    return resource.inputs


def _outputs(resource: Resource) -> Mapping[str, Any]:
    return resource.outputs


class Links(Graph[Resource]):
    """`refs`/`ref`/`referrers` read inputs as references and outputs as identifiers."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        super().__init__(resources, inputs=_inputs, outputs=_outputs)
        self._scaling_by_id: dict[str, list[Resource]] = defaultdict(list)
        for target in self.of_type(SCALING_TARGET):
            resource_id = target.inputs.get("resourceId")
            if isinstance(resource_id, str):
                self._scaling_by_id[resource_id].append(target)

    def scaling_target(self, scaled: Resource, resource_id: str, dimension: str = "") -> Resource | None:
        """The Auto Scaling target of `scaled` (by `resourceId`, else by reference) for `dimension`."""
        targets = self._scaling_by_id.get(resource_id) or self.referrers(scaled, SCALING_TARGET, "resourceId")
        if dimension:
            targets = [t for t in targets if t.inputs.get("scalableDimension") == dimension]
        return targets[0] if len(targets) == 1 else None
