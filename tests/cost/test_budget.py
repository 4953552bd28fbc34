"""Budgets: from `--budget` or the stack config, and the status line every format ends with."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from cost.budget import Budget, BudgetStatus, budget_from_config, parse_amount, resolve_budget
from inventory.errors import InputError

PROJECT = "data-ai-platform"

SOURCE = "Pulumi.prod.yaml data-ai-platform:budget.monthlyUsd"


@pytest.mark.parametrize(
    ("text", "amount"), [("8000", D(8000)), ("$1,234.50", D("1234.50")), (" 0.5 ", D("0.5"))]
)
def test_amounts_from_the_command_line(text: str, amount: D) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not an amount in USD (e.g. 8000 or 1234.50)"),
        ("0", "'0' is not a positive amount in USD"),
        ("-5", "'-5' is not a positive amount in USD"),
        ("nan", "'nan' is not a positive amount in USD"),
    ],
)
def test_bad_amounts_are_rejected(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_amount(text)
    assert str(caught.value) == message


def test_the_stack_config_budget_as_a_map_or_as_the_sdk_json_string() -> None:
    expected = Budget(D(8000), SOURCE)
    assert budget_from_config({"data-ai-platform:budget": {"monthlyUsd": 8000}}, "prod", PROJECT) == expected
    assert (
        budget_from_config({"data-ai-platform:budget": '{"monthlyUsd": 8000}'}, "prod", PROJECT) == expected
    )
    assert budget_from_config({"aws:region": "us-east-1"}, "prod", PROJECT) is None
    assert budget_from_config({"tiny:budget": {"monthlyUsd": 5}}, "dev", "tiny") == Budget(
        D(5), "Pulumi.dev.yaml tiny:budget.monthlyUsd"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"limit": 5},
            f"{SOURCE} is not set: data-ai-platform:budget must be a map with monthlyUsd (a positive "
            "number).",
        ),
        (
            "[secret]",
            f"{SOURCE} is not set: data-ai-platform:budget must be a map with monthlyUsd (a positive "
            "number).",
        ),
        ({"monthlyUsd": "lots"}, f"{SOURCE}: 'lots' is not an amount in USD (e.g. 8000 or 1234.50)."),
    ],
)
def test_a_malformed_config_budget_is_an_input_error(value: object, message: str) -> None:
    with pytest.raises(InputError) as caught:
        budget_from_config({"data-ai-platform:budget": value}, "prod", PROJECT)
    assert str(caught.value) == message


def test_the_flag_wins_over_the_config() -> None:
    config = {"data-ai-platform:budget": {"monthlyUsd": 8000}}
    assert resolve_budget(D(100), config, "prod", PROJECT) == Budget(D(100), "--budget")
    assert resolve_budget(None, config, "prod", PROJECT) == Budget(D(8000), SOURCE)
    assert resolve_budget(None, {}, "prod", PROJECT) is None


def test_status_over_at_and_under() -> None:
    budget = Budget(D(100), "--budget")
    over = BudgetStatus(budget, D("100.01"))
    assert (over.exceeded, over.over_by_usd) == (True, D("0.01"))
    at = BudgetStatus(budget, D(100))
    assert (at.exceeded, at.over_by_usd) == (False, D(0))  # equal to the budget is within it
    assert at.message() == "Within budget: $100.00/month of $100.00/month (--budget)."
