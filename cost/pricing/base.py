"""What every pricer shares: the pricing context, the result shape, and the cost-component builders.

A pricer is two steps, as in Infracost: `parse` maps a normalized resource (camelCase inputs, joined with the
resources it references) to a plain spec dataclass, and `price` turns the spec plus usage into cost
components. Only `parse` looks at the inventory; `price` only at the spec, the usage and the catalog.
Right-sizing re-prices a spec with some fields replaced (`cost.estimate.price_alternative`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cost.catalog import Catalog, Price
from cost.decimals import quantize
from cost.model import HOURS_PER_MONTH, CostComponent, Saving
from cost.usage import ResourceUsage

if TYPE_CHECKING:
    from cost.pricing.links import Links
    from inventory.model import Inventory, Resource

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's placeholder for a value known only after deployment (same as `inventory.model.UNKNOWN`)."""

ZERO = Decimal(0)
_MICRO = Decimal("0.000001")

S = TypeVar("S")


class SpecError(ValueError):
    """A resource input the price depends on is unknown or unusable; the message says which and why."""


class FreeResource(Exception):
    """Raised by a parser when the resource costs nothing itself; the message says why."""


@dataclass(frozen=True)
class Context:
    """Everything a pricer may read for one resource."""

    resource: Resource
    inventory: Inventory
    links: Links
    catalog: Catalog
    region: str
    usage: ResourceUsage


@dataclass
class Priced:
    """A pricer's answer for one resource, before the estimate adds status and totals."""

    components: list[CostComponent] = field(default_factory=list)
    min_usd: Decimal | None = None
    """Lower end of the autoscaling range; None = same as the expected total."""
    max_usd: Decimal | None = None
    savings: list[Saving] = field(default_factory=list)
    free_reason: str = ""
    problems: list[str] = field(default_factory=list)
    """Inputs that could not be priced (unknown values, unsupported settings): make the resource unpriced."""
    drivers: dict[str, str] = field(default_factory=dict)
    """The parsed spec's fields as text (`Pricer.run` fills them): what the price depends on."""

    @property
    def monthly_usd(self) -> Decimal:
        return sum((c.monthly_usd for c in self.components), ZERO)


def replace_fields(spec: Any, overrides: dict[str, Any]) -> Any:
    """The default spec override: a copy of the spec dataclass with `overrides` fields replaced."""
    return dataclasses.replace(spec, **overrides)


@dataclass(frozen=True)
class Pricer(Generic[S]):
    """One resource type's pricer: its service name, its parser and its pricing function."""

    service: str
    parse: Callable[[Resource, Context], S]
    price: Callable[[S, Context], Priced]
    override: Callable[[S, dict[str, Any]], S] = replace_fields

    def run(self, resource: Resource, ctx: Context, overrides: dict[str, Any] | None = None) -> Priced:
        """Parse and price; with `overrides`, price the spec with those fields replaced (right-sizing)."""
        try:
            spec = self.parse(resource, ctx)
        except FreeResource as exc:
            return free(str(exc))
        except SpecError as exc:
            return Priced(problems=[str(exc)])
        drivers = spec_drivers(spec)
        if overrides:
            try:
                spec = self.override(spec, overrides)
            except TypeError:
                asked, valid = ", ".join(sorted(overrides)), ", ".join(spec_fields(spec))
                raise ValueError(
                    f"{resource.type} cannot be re-priced with {asked}: its spec fields are {valid}"
                ) from None
        priced = self.price(spec, ctx)
        priced.drivers = drivers
        return priced


def spec_drivers(spec: Any, prefix: str = "") -> dict[str, str]:
    """A spec dataclass flattened to `{field: text}` (nested dataclasses as `outer.inner`, tuples of them as
    `field[0].inner`), the cost-driving inputs `cost diff` compares."""
    if not dataclasses.is_dataclass(spec) or isinstance(spec, type):
        return {prefix.rstrip("."): _text(spec)} if prefix else {}
    found: dict[str, str] = {}
    for f in dataclasses.fields(spec):
        value = getattr(spec, f.name)
        name = f"{prefix}{f.name}"
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            for index, item in enumerate(value):
                found.update(spec_drivers(item, f"{name}[{index}]."))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            found.update(spec_drivers(value, f"{name}."))
        else:
            found[name] = _text(value)
    return found


def _text(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def spec_fields(spec: Any) -> list[str]:
    """The field names of a spec dataclass, and of the dataclasses in its tuple fields (`variants[].x`)."""
    names = [f.name for f in dataclasses.fields(spec)]
    for f in dataclasses.fields(spec):
        value = getattr(spec, f.name)
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            names += [f"{f.name}[].{inner.name}" for inner in dataclasses.fields(value[0])]
    return names


def free(reason: str) -> Priced:
    return Priced(free_reason=reason)


def exact(value: Decimal) -> Decimal:
    """Round to a millionth of a unit (renderers choose how many decimals to show)."""
    return quantize(value, _MICRO)


def hourly(count: Decimal | int) -> Decimal:
    """Hours in a month for `count` always-on units."""
    return Decimal(count) * HOURS_PER_MONTH


def known(value: Any, what: str) -> Any:
    """`value`, or a SpecError when it is missing or unknown until deployment."""
    if value is None or value == UNKNOWN:
        state = "unknown until deployment" if value == UNKNOWN else "not set"
        raise SpecError(f"{what} is {state}, so the price cannot be computed")
    return value


def as_decimal(value: Any, what: str) -> Decimal:
    value = known(value, what)
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise SpecError(f"{what} is {value!r}, not a number") from None


def money_note(price: Price) -> str:
    return f"${format(price.usd, 'f')} per {price.unit}"


def component(
    ctx: Context,
    name: str,
    price_id: str,
    quantity: Decimal | None,
    *,
    unit: str,
    usage_based: bool = False,
    note: str = "",
    usage_key: str = "",
) -> CostComponent:
    """A cost component priced from one catalog row; a missing price gives unit_price None and the reason.

    `quantity` None marks a usage-based component whose usage is not given: it costs 0 and says what it
    would cost per unit (and which usage key sets it).
    """
    price = ctx.catalog.price(ctx.region, price_id)
    notes = [note] if note else []
    if price is None:
        notes.append(f"price missing: {ctx.catalog.missing_reason(ctx.region, price_id)}")
        return CostComponent(name, unit, _q(quantity), None, ZERO, usage_based, price_id, "; ".join(notes))
    if quantity is None:
        hint = f" (set `{usage_key}` in the usage file)" if usage_key else ""
        notes.insert(0, f"Monthly cost depends on usage: {money_note(price)}{hint}")
    if price.caveat:
        notes.append(price.caveat)
    monthly = ZERO if quantity is None else exact(quantity * price.usd)
    return CostComponent(
        name, price.unit, _q(quantity), price.usd, monthly, usage_based, price_id, "; ".join(notes)
    )


def tiered(
    ctx: Context,
    name: str,
    group: str,
    quantity: Decimal | None,
    *,
    unit: str,
    usage_based: bool = True,
    usage_key: str = "",
    note: str = "",
) -> list[CostComponent]:
    """Components of a tiered price, one per tier the quantity reaches (`<group>.tier1`, `.tier2`, ...).

    Tiers apply to this resource's quantity alone; AWS applies them to the account's monthly total, so for
    large accounts the estimate is an upper bound.
    """
    tiers = ctx.catalog.tiers(ctx.region, group)
    if not tiers:
        return [
            component(ctx, name, f"{group}.tier1", quantity, unit=unit, usage_based=usage_based, note=note)
        ]
    if quantity is None:
        return [
            component(
                ctx,
                name,
                tiers[0].id,
                None,
                unit=unit,
                usage_based=usage_based,
                usage_key=usage_key,
                note=note,
            )
        ]
    used: list[tuple[int, Price, Decimal]] = []
    for number, tier in enumerate(tiers, start=1):
        low = tier.tier_from or ZERO
        high = quantity if tier.tier_to is None else min(quantity, tier.tier_to)
        if high <= low and used:
            break
        used.append((number, tier, max(high - low, ZERO)))
    parts = []
    for number, tier, amount in used:
        upper = _num(tier.tier_to) if tier.tier_to is not None else "no limit"
        bounds = f"tier {number}: {_num(tier.tier_from or ZERO)} to {upper} {unit} per month"
        label = name if len(used) == 1 else f"{name} (tier {number})"
        tier_note = "; ".join(filter(None, [note, bounds]))
        parts.append(
            component(ctx, label, tier.id, amount, unit=unit, usage_based=usage_based, note=tier_note)
        )
    last = tiers[-1]
    if last.tier_to is not None and quantity > last.tier_to:
        # The catalog's tiers end below the quantity: the rest has no price (never the last tier's).
        parts.append(
            component(
                ctx,
                f"{name} (above {_num(last.tier_to)} {unit})",
                f"{group}.tier{len(tiers) + 1}",
                quantity - last.tier_to,
                unit=unit,
                usage_based=usage_based,
                note=note,
            )
        )
    return parts


def _num(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def plain(value: Decimal) -> str:
    """A number for a note: no exponent, no trailing zeros, at most 6 decimals (`730`, `0.6`)."""
    text = format(exact(value).normalize(), "f")
    return "0" if text == "-0" else text


def _q(quantity: Decimal | None) -> Decimal | None:
    return None if quantity is None else exact(quantity)


def total(components: Iterable[CostComponent]) -> Decimal:
    return sum((c.monthly_usd for c in components), ZERO)


def saving(ctx: Context, kind: str, description: str, baseline: Decimal, optimized: Decimal) -> Saving:
    return Saving(
        kind=kind,
        urn=ctx.resource.urn,
        name=ctx.resource.name,
        description=description,
        baseline_usd=exact(baseline),
        optimized_usd=exact(optimized),
        monthly_saving_usd=exact(baseline - optimized),
    )
