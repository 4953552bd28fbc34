"""Compare two cost reports per resource and in total (base = before, head = after, e.g. main vs a PR).

Resources are matched on their URN without the stack segment (`urn:pulumi:<stack>::`), so the same logical
resource matches across stacks (`--base-stack dev --head-stack prod`) as well as across two runs of one stack.

A resource also changes when one of its cost drivers does (instance type, size, count...), even at equal cost
and when neither side is priced: a reviewer sees that an unpriced instance went from m5.large to m5.24xlarge.
Resources free on both sides are counted, not listed, unless `include_free`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cost.model import CostComponent, CostReport, ResourceCost

ZERO = Decimal(0)


def match_key(urn: str) -> str:
    """`urn:pulumi:prod::proj::aws:s3/bucket:Bucket::data` -> `proj::aws:s3/bucket:Bucket::data`."""
    parts = urn.split("::")
    return "::".join(parts[1:]) if len(parts) > 1 and parts[0].startswith("urn:pulumi:") else urn


@dataclass(frozen=True)
class ComponentChange:
    name: str
    unit: str
    before_usd: Decimal | None
    after_usd: Decimal | None

    @property
    def delta_usd(self) -> Decimal:
        return (self.after_usd or ZERO) - (self.before_usd or ZERO)


@dataclass(frozen=True)
class AttributeChange:
    """A cost driver whose value differs between the sides ("" = not set on that side)."""

    name: str
    before: str
    after: str


@dataclass(frozen=True)
class ResourceChange:
    kind: str  # "added" | "removed" | "changed"
    key: str
    type: str
    name: str
    component: str | None
    before: ResourceCost | None
    after: ResourceCost | None
    components: tuple[ComponentChange, ...]
    attributes: tuple[AttributeChange, ...] = ()

    @property
    def free(self) -> bool:
        """Free (or absent) on both sides."""
        return all(side is None or side.status == "free" for side in (self.before, self.after))

    @property
    def before_usd(self) -> Decimal:
        return self.before.monthly_usd if self.before else ZERO

    @property
    def after_usd(self) -> Decimal:
        return self.after.monthly_usd if self.after else ZERO

    @property
    def delta_usd(self) -> Decimal:
        return self.after_usd - self.before_usd


@dataclass(frozen=True)
class CostDiff:
    base: CostReport
    head: CostReport
    changes: tuple[ResourceChange, ...]
    """Added, removed and changed resources, largest absolute delta first; unchanged ones are left out, and
    free ones unless the diff includes them."""
    free_changes: int = 0
    """Changes of resources free on both sides that `changes` leaves out (`--all` lists them)."""

    @property
    def total_before(self) -> Decimal:
        return self.base.total_monthly_usd

    @property
    def total_after(self) -> Decimal:
        return self.head.total_monthly_usd

    @property
    def delta_usd(self) -> Decimal:
        return self.total_after - self.total_before

    @property
    def percent(self) -> Decimal | None:
        """Relative change of the total in percent; None when the base costs nothing."""
        if self.total_before == 0:
            return None
        return self.delta_usd / self.total_before * 100

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)


def _components(before: ResourceCost | None, after: ResourceCost | None) -> tuple[ComponentChange, ...]:
    """Changes per cost component (matched by name), leaving out those with equal cost and quantity."""
    old: dict[str, CostComponent] = {c.name: c for c in (before.components if before else [])}
    new: dict[str, CostComponent] = {c.name: c for c in (after.components if after else [])}
    names = list(old) + [n for n in new if n not in old]
    changes = []
    for name in names:
        o, n = old.get(name), new.get(name)
        unit = n.unit if n else o.unit if o else ""
        change = ComponentChange(name, unit, o.monthly_usd if o else None, n.monthly_usd if n else None)
        if o is None or n is None or change.delta_usd != 0 or o.quantity != n.quantity:
            changes.append(change)
    return tuple(changes)


def _attributes(before: ResourceCost | None, after: ResourceCost | None) -> tuple[AttributeChange, ...]:
    if before is None or after is None:
        return ()
    old, new = before.drivers, after.drivers
    names = list(old) + [n for n in new if n not in old]
    return tuple(
        AttributeChange(name, old.get(name, ""), new.get(name, ""))
        for name in names
        if old.get(name, "") != new.get(name, "")
    )


def _changed(before: ResourceCost, after: ResourceCost) -> bool:
    return (
        before.monthly_usd != after.monthly_usd
        or before.status != after.status
        or before.min_usd != after.min_usd
        or before.max_usd != after.max_usd
        or before.drivers != after.drivers
    )


def _change(kind: str, key: str, before: ResourceCost | None, after: ResourceCost | None) -> ResourceChange:
    ref = after or before
    assert ref is not None
    return ResourceChange(
        kind,
        key,
        ref.type,
        ref.name,
        ref.component,
        before,
        after,
        _components(before, after),
        _attributes(before, after),
    )


def diff_reports(base: CostReport, head: CostReport, *, include_free: bool = False) -> CostDiff:
    """Per-resource changes from `base` to `head`, largest absolute delta first, then by key; resources free
    on both sides only counted unless `include_free`."""
    old = {match_key(r.urn): r for r in base.resources}
    new = {match_key(r.urn): r for r in head.resources}
    changes = [_change("removed", key, r, None) for key, r in old.items() if key not in new]
    changes += [_change("added", key, None, r) for key, r in new.items() if key not in old]
    changes += [
        _change("changed", key, old[key], r) for key, r in new.items() if key in old and _changed(old[key], r)
    ]
    changes.sort(key=lambda c: (-abs(c.delta_usd), c.key))
    shown = [c for c in changes if include_free or not c.free]
    return CostDiff(base, head, tuple(shown), free_changes=len(changes) - len(shown))
