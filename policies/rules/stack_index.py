"""The stack as the pack's rules see it: its views, by URN and by type, with references between them.

Reference resolution is the inventory's resource graph (`inventory.graph`, rules in docs/design.md): through
the property dependencies of the referencing key, then through the identifiers (`id`, `arn`, `name`,
`bucket`, `clusterIdentifier`) other views expose. A view's props are what `AnalyzeStack` sends, inputs and
outputs together, so they serve as both the referencing values and the identifiers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from inventory.graph import Graph, Refs
from policies.rules.props import View

__all__ = ["Refs", "Stack"]


def _props(view: View) -> Mapping[str, Any]:
    return view.props


class Stack(Graph[View]):
    """One `AnalyzeStack`'s views; `resolve(view, key, value, types)` follows a reference."""

    def __init__(self, views: Iterable[View]) -> None:
        super().__init__(views, inputs=_props, outputs=_props)

    @property
    def views(self) -> list[View]:
        return self.nodes
