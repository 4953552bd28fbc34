"""Decimal rounding that holds for any magnitude.

`Decimal.quantize` raises `InvalidOperation` when the rounded coefficient needs more digits than the
context's precision (28): `$1e26` rounded to cents needs 29. Money is rounded in a context wide enough.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

MAX_AMOUNT = Decimal("1e30")
"""The largest USD amount accepted as a budget: far above any bill, small enough to print."""


def quantize(value: Decimal, exponent: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """`value` rounded to `exponent` (e.g. `Decimal("0.01")`), at any magnitude."""
    if not value.is_finite():
        return value
    with localcontext() as context:
        context.prec = max(context.prec, value.adjusted() - exponent.as_tuple().exponent + 2)  # type: ignore[operator]
        return value.quantize(exponent, rounding=rounding)
