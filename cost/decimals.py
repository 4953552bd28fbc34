"""Decimal rounding that holds for any magnitude.

`Decimal.quantize` raises `InvalidOperation` when the rounded coefficient needs more digits than the
context's precision (28): `$1e26` rounded to cents needs 29; `Decimal.normalize` silently rounds to it.
Money is rounded in a context wide enough for the value (the common, small case takes the plain path).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext

MAX_AMOUNT = Decimal("1e30")
"""The largest USD amount accepted as a budget: far above any bill, small enough to print."""


def quantize(value: Decimal, exponent: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """`value` rounded to `exponent` (e.g. `Decimal("0.01")`), at any magnitude."""
    if not value.is_finite():
        return value
    digits = value.adjusted() - int(exponent.as_tuple().exponent) + 2
    if digits <= getcontext().prec:
        return value.quantize(exponent, rounding=rounding)
    with localcontext() as context:
        context.prec = digits
        return value.quantize(exponent, rounding=rounding)


def normalize(value: Decimal) -> Decimal:
    """`value` without trailing zeros, every significant digit kept."""
    digits = len(value.as_tuple().digits)
    if digits <= getcontext().prec:
        return value.normalize()
    with localcontext() as context:
        context.prec = digits
        return value.normalize()
