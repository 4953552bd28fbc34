"""The monthly budget a report is checked against: from `--budget` or the stack config.

The stack config key is `<project>:budget` with `monthlyUsd` (`data-ai-platform:budget.monthlyUsd` for our
program; see `components.config.BudgetConfig`).
An estimate over the budget makes `report` and `diff` exit 1; the message names where the budget came from so
a reader knows whether to change the flag or the stack file.
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


@dataclass(frozen=True)
class BudgetStatus:
    budget: Budget
    total_usd: Decimal

    @property
    def exceeded(self) -> bool:
        return self.total_usd > self.budget.monthly_usd

    @property
    def over_by_usd(self) -> Decimal:
        return max(self.total_usd - self.budget.monthly_usd, Decimal(0))

    def message(self) -> str:
        """One line for the end of a report: within budget, or over it by how much."""
        if self.exceeded:
            return (
                f"Budget exceeded: the estimate {money(self.total_usd)}/month is {money(self.over_by_usd)} "
                f"over the budget of {money(self.budget.monthly_usd)}/month ({self.budget.source})."
            )
        return (
            f"Within budget: {money(self.total_usd)}/month of {money(self.budget.monthly_usd)}/month "
            f"({self.budget.source})."
        )


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


def check_budget(total_usd: Decimal, budget: Budget | None) -> BudgetStatus | None:
    return None if budget is None else BudgetStatus(budget, total_usd)
