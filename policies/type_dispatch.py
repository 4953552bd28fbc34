"""Type dispatch for pulumi-policy's analyzer servicer: each call runs only the policies that can judge it;
`policies/__main__.py` installs it after `policies.servicer_cache`.

Why: for every `Analyze` call the SDK walks all of the pack's policies (enforcement level, violation
reporter, converted props, config, validation args), and a resource rule then returns at once when the
resource is not of its `resource_types`; on `AnalyzeStack` it builds the full resource list for every stack
policy, also for join rules with no subject in the stack. With 128 policies that walk, not the rules, is most
of the pack's time per resource, and it grows with every rule added for a type the stack does not use.

How: `install(rules)` rebinds `pulumi_policy.policy._PolicyAnalyzerServicer` to a subclass in which the
SDK's (name-mangled) policy list is read through a property. Inside `Analyze` it yields the resource rules
judging the request's type plus every policy that is not a `ResourceRule`; inside `AnalyzeStack`, every
policy but the join rules none of whose subject types occurs in the stack; outside those calls
(`GetAnalyzerInfo`, `Configure`) the full list. A skipped policy would have returned without a finding or a
not-applicable entry, so the answers are the same (`tests/policies/test_type_dispatch.py` compares them on
every fixture). The subset is per thread: the pack's server answers up to four calls at once.

Pinned: this relies on `Analyze` and `AnalyzeStack` iterating `self.__policies`, the code
`policies.servicer_cache.PINNED` fingerprints; when it differs nothing is installed (correct, only slower).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pulumi_policy import policy as sdk

from policies import servicer_cache
from policies.rules.framework import JoinRule, ResourceRule, Rule

_ATTRIBUTE = "_PolicyAnalyzerServicer__policies"
_RELIES_ON = ("_PolicyAnalyzerServicer.Analyze", "_PolicyAnalyzerServicer.AnalyzeStack")


class _Selection:
    """Which policies a call needs, from the rules' declared types (policies without a rule always run)."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.resource_types = {
            rule.meta.name: frozenset(rule.meta.resource_types)
            for rule in rules
            if isinstance(rule, ResourceRule)
        }
        self.subject_types = {
            rule.meta.name: frozenset(rule.meta.resource_types)
            for rule in rules
            if isinstance(rule, JoinRule)
        }

    def for_resource(self, policies: Sequence[Any], type_: str) -> list[Any]:
        return [p for p in policies if type_ in self.resource_types.get(p.name, (type_,))]

    def for_stack(self, policies: Sequence[Any], present: set[str]) -> list[Any]:
        return [
            p for p in policies if p.name not in self.subject_types or self.subject_types[p.name] & present
        ]


def dispatching(base: type, selection: _Selection) -> type:
    """A subclass of the servicer class `base` that runs each call over the policies `selection` picks."""
    local = threading.local()
    by_type: dict[str, list[Any]] = {}

    class DispatchingServicer(base):
        def _all(self) -> list[Any]:
            return list(vars(self)["_dispatch_all"])

        @contextmanager
        def _only(self, chosen: list[Any]) -> Iterator[None]:
            outer = getattr(local, "chosen", None)
            local.chosen = chosen
            try:
                yield
            finally:
                local.chosen = outer

        def Analyze(self, request: Any, context: Any) -> Any:
            chosen = by_type.get(request.type)
            if chosen is None:
                chosen = by_type.setdefault(request.type, selection.for_resource(self._all(), request.type))
            with self._only(chosen):
                return super().Analyze(request, context)

        def AnalyzeStack(self, request: Any, context: Any) -> Any:
            present = {resource.type for resource in request.resources}
            with self._only(selection.for_stack(self._all(), present)):
                return super().AnalyzeStack(request, context)

    def read(self: Any) -> list[Any]:
        chosen = getattr(local, "chosen", None)
        return chosen if chosen is not None else vars(self)["_dispatch_all"]

    def write(self: Any, policies: list[Any]) -> None:
        vars(self)["_dispatch_all"] = policies
        by_type.clear()

    setattr(DispatchingServicer, _ATTRIBUTE, property(read, write))
    return DispatchingServicer


def install(rules: Iterable[Rule]) -> bool:
    """Dispatch the servicer's calls by type when the SDK code is the pinned one; False otherwise."""
    current = sdk._PolicyAnalyzerServicer
    if getattr(current, "_dispatching", False):
        return True
    sources = servicer_cache._sources()
    if any(servicer_cache.fingerprint(sources[name]) != servicer_cache.PINNED[name] for name in _RELIES_ON):
        return False
    servicer = dispatching(current, _Selection(rules))
    servicer._dispatching = True  # type: ignore[attr-defined]
    vars(sdk)["_PolicyAnalyzerServicer"] = servicer
    return True
