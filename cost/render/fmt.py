"""Number formatting shared by every renderer, so a figure reads the same in a table, markdown and HTML.

Money is shown rounded half-up to cents (`$1,234.57`); unit prices keep their catalog precision
(`$0.0000166667`) because rounding them to cents would show most usage prices as `$0.00`.
"""

from __future__ import annotations

from decimal import Decimal

from cost.decimals import normalize, quantize

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round to cents, half up (the rounding every renderer uses for money)."""
    return quantize(value, CENT)


def money(value: Decimal) -> str:
    """`$1,234.57`; negative amounts as `-$12.00`."""
    rounded = cents(value)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${rounded.copy_abs():,.2f}"


def signed_money(value: Decimal) -> str:
    """A delta: `+$12.00`, `-$3.50`, `$0.00`."""
    rounded = cents(value)
    return f"+{money(rounded)}" if rounded > 0 else money(rounded)


def plain(value: Decimal) -> str:
    """The exact decimal without exponent or trailing zeros (`730`, `0.045`, `0.0000166667`)."""
    normalized = normalize(value)
    text = format(normalized, "f")
    return "0" if text in ("-0", "") else text


def optional_plain(value: Decimal | None) -> str | None:
    """`plain(value)`, or None (JSON null) when there is no value."""
    return None if value is None else plain(value)


def unit_price(value: Decimal) -> str:
    """A unit price at full precision, but never fewer than two decimals (`$0.10`, `$0.045`)."""
    text = plain(value.copy_abs())
    whole, _, frac = text.partition(".")
    frac = frac.ljust(2, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}${int(whole):,}.{frac}"


def quantity(value: Decimal) -> str:
    """A quantity with thousands separators and no trailing zeros (`1,460`, `0.5`)."""
    text = plain(value.copy_abs())
    whole, _, frac = text.partition(".")
    sign = "-" if value < 0 else ""
    return f"{sign}{int(whole):,}" + (f".{frac}" if frac else "")


def percent(value: Decimal | None) -> str:
    """`+12.3%`, `-4.0%`; `n/a` when there is no base to compare with."""
    if value is None:
        return "n/a"
    rounded = quantize(value, Decimal("0.1"))
    return f"{'+' if rounded > 0 else ''}{rounded:f}%"
