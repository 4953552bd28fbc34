"""The resource graph: which resources a property of a resource refers to, and who refers to a resource.

One set of rules for every consumer (the policy pack's stack index, the cost module's joins): a reference
from `node.<prop>` is resolved

1. through the engine's property dependencies of `prop` (every inventory source and the analyzer protocol
   carry them, and they survive preview, where the referenced id is still unknown);
2. when those name no resource of the wanted types here, through identifiers: each known string inside the
   referencing value is matched against the `id`, `arn`, `name`, `bucket` and `clusterIdentifier` outputs
   of the other resources (the ids, ARNs and names the offline model computes; `arn:...:*` log-group ARNs
   match their group).

What is left is said in `Refs`: the value is unknown (preview), or names something outside this stack.
The graph is generic over the node type, so the pack builds it over its views and the cost module over
inventory resources; both only need `urn`, `type` and `property_dependencies`, plus where to read a node's
input values and its identifiers. Building it is O(n); a lookup is O(size of the referencing value).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from inventory.model import is_unknown

IDENTIFIER_KEYS = ("id", "arn", "name", "bucket", "clusterIdentifier")
"""The outputs by which other resources name a resource (Redshift, RDS and DocDB clusters are named by
their `clusterIdentifier`, e.g. `aws.redshift.Logging(cluster_identifier="warehouse")`)."""


class Node(Protocol):
    @property
    def urn(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def property_dependencies(self) -> Mapping[str, Sequence[str]]: ...


N = TypeVar("N", bound=Node)


@dataclass(frozen=True)
class Refs(Generic[N]):
    """What a reference points at: resources of this stack, or why it could not be followed."""

    targets: tuple[N, ...] = ()
    unknown: bool = False
    """No target, and (part of) the value is unknown during preview."""
    external: str | None = None
    """No target for this string of the value: it names something outside this stack (or a literal)."""


class _FromInputs:
    """The default `value` of `Graph.resolve`: the node's own input `prop`."""


FROM_INPUTS: Any = _FromInputs()


class Graph(Generic[N]):
    """References between `nodes`; `inputs(node)` holds its referencing values, `outputs(node)` its
    identifiers."""

    def __init__(
        self,
        nodes: Iterable[N],
        *,
        inputs: Callable[[N], Mapping[str, Any]],
        outputs: Callable[[N], Mapping[str, Any]],
    ) -> None:
        self.nodes = list(nodes)
        self._inputs = inputs
        self._by_urn = {node.urn: node for node in self.nodes}
        self._by_type: dict[str, list[N]] = defaultdict(list)
        self._by_identifier: dict[str, list[N]] = defaultdict(list)
        self._referrers: dict[tuple[str, str], list[tuple[N, str]]] | None = None
        for node in self.nodes:
            self._by_type[node.type].append(node)
            values = outputs(node)
            for key in IDENTIFIER_KEYS:
                value = values.get(key)
                if isinstance(value, str) and value and not is_unknown(value):
                    named = self._by_identifier[_identifier(value)]
                    if not named or named[-1] is not node:  # a node's id and name are often the same
                        named.append(node)

    def get(self, urn: str) -> N | None:
        return self._by_urn.get(urn)

    def of_type(self, type_: str) -> list[N]:
        return self._by_type.get(type_, [])

    def of_types(self, types: Collection[str]) -> list[N]:
        return [node for type_ in types for node in self._by_type.get(type_, [])]

    def resolve(
        self, node: N, prop: str, value: Any = FROM_INPUTS, types: Collection[str] | None = None
    ) -> Refs[N]:
        """The resources of `types` (any type when None) that `node.<prop>` refers to.

        `value` is the referencing value: by default the node's input `prop`; a rule may pass a part of it
        (`accessLogs.bucket`) or a list (`securityGroups`), still resolved through the dependencies of `prop`.
        """
        if value is FROM_INPUTS:
            value = self._inputs(node).get(prop)
        wanted = (lambda n: n is not node) if types is None else (lambda n: n is not node and n.type in types)
        by_dependency = [self._by_urn.get(urn) for urn in node.property_dependencies.get(prop, ())]
        targets = [n for n in by_dependency if n is not None and wanted(n)]
        if targets:
            return Refs(targets=_distinct(targets))
        unknown, external = False, None
        for text in _strings(value):
            if is_unknown(text):
                unknown = True
                continue
            found = [n for n in self._by_identifier.get(_identifier(text), ()) if wanted(n)]
            targets += found
            if not found and text and external is None:
                external = text
        if targets:
            return Refs(targets=_distinct(targets), external=external)
        return Refs(unknown=unknown, external=external)

    def refs(self, node: N, prop: str, types: Collection[str] | None = None) -> list[N]:
        """The targets of `resolve(node, prop)` (from its input `prop`)."""
        return list(self.resolve(node, prop, FROM_INPUTS, types).targets)

    def ref(self, node: N, prop: str, type_: str) -> N | None:
        """The first resource of `type_` that the input `prop` of `node` refers to."""
        targets = self.resolve(node, prop, FROM_INPUTS, (type_,)).targets
        return targets[0] if targets else None

    def referrers(self, target: N, type_: str, prop: str | None = None) -> list[N]:
        """The resources of `type_` whose input `prop` (or any input) refers to `target`."""
        edges = self._referrer_index().get((target.urn, type_), ())
        return list(_distinct(node for node, via in edges if prop is None or via == prop))

    def _referrer_index(self) -> dict[tuple[str, str], list[tuple[N, str]]]:
        """Built on first use (every input of every node resolved once): the pack never needs it."""
        if self._referrers is None:
            self._referrers = defaultdict(list)
            for node in self.nodes:
                for prop in dict.fromkeys([*self._inputs(node), *node.property_dependencies]):
                    for target in self.refs(node, prop):
                        self._referrers[(target.urn, node.type)].append((node, prop))
        return self._referrers


def _distinct(nodes: Iterable[N]) -> tuple[N, ...]:
    """In first-seen order, each URN once (inventory resources are mutable dataclasses: not hashable)."""
    seen: dict[str, N] = {}
    for node in nodes:
        seen.setdefault(node.urn, node)
    return tuple(seen.values())


def _identifier(value: str) -> str:
    """Log-group ARNs are often written with a `:*` suffix (Step Functions, IAM)."""
    return value[:-2] if value.endswith(":*") else value


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a value (lists and objects walked)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
