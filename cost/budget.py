"""The monthly budget a report is checked against: from `--budget` or the stack config.

The stack config key is `<project>:budget` with `monthlyUsd` (`data-ai-platform:budget.monthlyUsd` for our
program; see `components.config.BudgetConfig`).
An estimate over the budget makes `report` and `diff` exit 1; the message names where the budget came from so
a reader knows whether to change the flag or the stack file. With unpriced resources the total is a lower
bound: over the budget it is still exceeded, within it the budget cannot be confirmed (a warning; exit 1 only
under `--fail-on-unpriced`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from cost.decimals import MAX_AMOUNT
from cost.render.fmt import money
from inventory.errors import InputError


@dataclass(frozen=True)
class Budget:
    monthly_usd: Decimal
    source: str
    """`--budget` or `Pulumi.<stack>.yaml data-ai-platform:budget.monthlyUsd`."""


def total_text(total_usd: Decimal, unpriced: int, per: str = "") -> str:
    """`$1,234.56`, or `at least $1,234.56 (2 resources unpriced)` when the total is a lower bound; `per`
    (e.g. "/month") follows the amount."""
    if not unpriced:
        return f"{money(total_usd)}{per}"
    noun = "resource" if unpriced == 1 else "resources"
    return f"at least {money(total_usd)}{per} ({unpriced} {noun} unpriced)"


@dataclass(frozen=True)
class BudgetStatus:
    budget: Budget
    total_usd: Decimal
    unpriced: int = 0
    """Unpriced resources: the total is then a lower bound."""

    @property
    def exceeded(self) -> bool:
        """Over the budget (true even when the total is a lower bound: the real cost is higher still)."""
        return self.total_usd > self.budget.monthly_usd

    @property
    def confirmed(self) -> bool:
        """Within the budget for certain: not exceeded and every resource priced."""
        return not self.exceeded and not self.unpriced

    @property
    def over_by_usd(self) -> Decimal:
        return max(self.total_usd - self.budget.monthly_usd, Decimal(0))

    def message(self) -> str:
        """One line for the end of a report: within budget, over it by how much, or not confirmable."""
        total = total_text(self.total_usd, self.unpriced, "/month")
        budget = f"{money(self.budget.monthly_usd)}/month ({self.budget.source})"
        if self.exceeded:
            return (
                f"Budget exceeded: the estimate {total} is {'at least ' if self.unpriced else ''}"
                f"{money(self.over_by_usd)} over the budget of {budget}."
            )
        if self.unpriced:
            headroom = money(self.budget.monthly_usd - self.total_usd)
            return (
                f"Budget not confirmed: the estimate is {total} against the budget of {budget}; "
                f"it holds only if the unpriced resources cost less than {headroom}/month."
            )
        return f"Within budget: {total} of {budget}."


def parse_amount(text: str) -> Decimal:
    """A positive USD amount from the command line (`8000`, `1234.50`); raises `ValueError` otherwise."""
    try:
        value = Decimal(text.strip().removeprefix("$").replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount in USD (e.g. 8000 or 1234.50)") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{text!r} is not a positive amount in USD")
    if value > MAX_AMOUNT:
        raise ValueError(f"{text!r} is more than the largest budget accepted ({MAX_AMOUNT:,.0f} USD)")
    return value


def _config_value(raw: Any) -> Any:
    """Structured config arrives as a dict from stack exports and as a JSON string from the SDK's config."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw


def budget_from_config(config: Mapping[str, Any], stack: str, project: str) -> Budget | None:
    """The stack config's `<project>:budget.monthlyUsd`, or None when the stack sets no budget."""
    key = f"{project}:budget"
    if key not in config:
        return None
    source = f"Pulumi.{stack}.yaml {key}.monthlyUsd"
    value = _config_value(config[key])
    amount = value.get("monthlyUsd") if isinstance(value, Mapping) else None
    if amount is None:
        raise InputError(f"{source} is not set: {key} must be a map with monthlyUsd (a positive number).")
    try:
        return Budget(parse_amount(str(amount)), source)
    except ValueError as exc:
        raise InputError(f"{source}: {exc}.") from None


def resolve_budget(
    cli_amount: Decimal | None, config: Mapping[str, Any], stack: str, project: str
) -> Budget | None:
    """`--budget` wins over the stack config; None when neither sets one."""
    if cli_amount is not None:
        return Budget(cli_amount, "--budget")
    return budget_from_config(config, stack, project)


def check_budget(total_usd: Decimal, budget: Budget | None, unpriced: int = 0) -> BudgetStatus | None:
    return None if budget is None else BudgetStatus(budget, total_usd, unpriced)
