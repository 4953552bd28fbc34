"""Side resources that point at a subject (an S3 bucket's logging, a VPC's flow log, a load balancer's WAF
association, a secret's rotation): one O(n) pass over the stack, then O(1) per subject.

Built on `stack_index.Stack.resolve`, so a reference is followed through the engine's property dependencies
during preview and by id/arn/name otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from policies.rules.props import Malformed, Skip, Unknown, View, dig
from policies.rules.stack_index import Stack


@dataclass
class Attached:
    kind: str
    stack: Stack
    by_subject: dict[str, list[View]] = field(default_factory=lambda: defaultdict(list))
    unresolved: list[str] = field(default_factory=list)

    def of(self, subject: View) -> list[View]:
        """The side resources targeting `subject`; Skip when one targets a subject unknown during preview."""
        found = self.by_subject.get(subject.urn, [])
        if not found and self.unresolved:
            names = ", ".join(sorted(self.unresolved))
            raise Skip(f"could not evaluate: the target of {self.kind} {names} is unknown during preview")
        return found


def index(stack: Stack, kind: str, types: Collection[str], key: str, targets: Collection[str]) -> Attached:
    """`types` resources whose `key` (a top-level property) references a resource of `targets`."""
    found = Attached(kind, stack)
    for side in stack.of_types(types):
        try:
            value = dig(side.props, key, allow_unknown=True)
        except (Unknown, Malformed):
            value = None
        refs = stack.resolve(side, key, value, targets)
        for target in refs.targets:
            found.by_subject[target.urn].append(side)
        if refs.unknown:
            found.unresolved.append(side.name)
    return found


def indexer(
    kind: str, types: Collection[str], key: str, targets: Collection[str]
) -> Callable[[Stack], Attached]:
    """An index function for a `JoinRule` (one per rule, so the request scope memoizes it)."""

    def build(stack: Stack) -> Attached:
        return index(stack, kind, types, key, targets)

    return build
