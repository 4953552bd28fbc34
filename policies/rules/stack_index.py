"""One pass over the stack's resources: lookups by URN, by type, and reference resolution between resources.

A reference (an SSE configuration's `bucket`, a listener's `loadBalancerArn`, ...) is resolved first through
the engine's property dependencies (which survive preview, where the referenced id is still unknown), then by
matching the value against the identifiers (`id`, `arn`, `name`, `bucket`) other resources expose. Building
the index is O(n); each lookup is O(1) in the number of resources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from policies.rules.props import View, is_unknown

IDENTIFIER_KEYS = ("id", "arn", "name", "bucket")


@dataclass(frozen=True)
class Refs:
    """What a reference points at: resources in this stack, or why it could not be followed."""

    targets: tuple[View, ...] = ()
    unknown: bool = False
    external: str | None = None


def _normalize(value: str) -> str:
    """Log-group ARNs are often written with a `:*` suffix (Step Functions, IAM)."""
    return value[:-2] if value.endswith(":*") else value


class Stack:
    def __init__(self, views: Iterable[View]) -> None:
        self.views = list(views)
        self.by_urn = {view.urn: view for view in self.views}
        self._by_type: dict[str, list[View]] = defaultdict(list)
        self._ids: dict[str, list[str]] = defaultdict(list)
        for view in self.views:
            self._by_type[view.type].append(view)
            for key in IDENTIFIER_KEYS:
                value = view.props.get(key)
                if isinstance(value, str) and value and not is_unknown(value):
                    self._ids[_normalize(value)].append(view.urn)

    def of_types(self, types: Collection[str]) -> list[View]:
        return [view for type_ in types for view in self._by_type.get(type_, [])]

    def resolve(self, view: View, key: str, value: Any, types: Collection[str]) -> Refs:
        """Resolve `view.props[key]` (or a nested `value` under it) to resources of `types`."""
        urns = [urn for urn in view.property_dependencies.get(key, ()) if urn in self.by_urn]
        if isinstance(value, str) and not is_unknown(value):
            urns.extend(self._ids.get(_normalize(value), ()))
        targets = tuple(dict.fromkeys(self.by_urn[urn] for urn in urns if self.by_urn[urn].type in types))
        if targets:
            return Refs(targets=targets)
        if is_unknown(value):
            return Refs(unknown=True)
        return Refs(external=value if isinstance(value, str) and value else None)

    def resolve_many(self, view: View, key: str, values: Iterable[Any], types: Collection[str]) -> Refs:
        """Resolve a list-valued reference (e.g. a load balancer's `securityGroups`)."""
        items = list(values)
        found = [self.resolve(view, key, value, types) for value in items or [None]]
        targets = tuple(dict.fromkeys(target for refs in found for target in refs.targets))
        unknown = any(refs.unknown for refs in found) and not targets
        external = next((refs.external for refs in found if refs.external), None)
        return Refs(targets=targets, unknown=unknown, external=external)
