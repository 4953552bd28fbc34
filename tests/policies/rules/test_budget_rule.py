"""The cost guardrail: the stack estimate (cost.estimate over the analyzed resources) against the budget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from harness import Case, analyze

from cost import estimate
from policies.metadata import POLICIES_DIR
from policies.rules.cost_guardrail import to_inventory, unknown_paths
from policies.rules.props import View
from policies.rules.stack_index import Stack

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
NAT = Case(
    "nat",
    "aws:ec2/natGateway:NatGateway",
    {"allocationId": "eip", "subnetId": "s"},
    None,
    {"region": "us-east-1"},
)
# In-process the pulumi runtime is not configured, so the stack is "stack" and the default usage file is
# missing.
USAGE_FILE = (POLICIES_DIR / "../usage.stack.yaml").resolve()
BUCKET = Case("lake", "aws:s3/bucket:Bucket", {"bucketPrefix": "lake"}, None)


@pytest.fixture(autouse=True)
def _no_stack_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)


def _expected_total() -> Decimal:
    views = [View(case.type, case.name, f"urn:{case.name}", dict(case.props)) for case in (NAT, BUCKET)]
    return estimate(to_inventory(Stack(views), "p", "s", {})).total_monthly_usd


def test_estimate_over_the_pack_config_budget_is_a_stack_violation() -> None:
    total = _expected_total()
    assert total > 0
    outcome = analyze("aws-stack-monthly-budget", [NAT, BUCKET], {"budgetMonthlyUsd": 1})
    assert outcome.stack_messages == [
        f"estimated ${total:,.2f}/month (range ${total:,.2f}-${total:,.2f}, no usage file at "
        f"{USAGE_FILE}; usage-based costs not counted) exceeds the budget of $1.00/month (pack config "
        f"budgetMonthlyUsd) by ${total - 1:,.2f}; largest: nat ${total:,.2f}, lake $0.00."
    ]


def test_estimate_within_budget_passes() -> None:
    outcome = analyze("aws-stack-monthly-budget", [NAT, BUCKET], {"budgetMonthlyUsd": 100000})
    assert (outcome.stack_messages, outcome.na) == ([], {})


# An RDS class the catalog lacks: its hours are unpriced, its storage counts (100 GB gp3 x $0.115 = $11.50);
# with the NAT gateway (730 h x $0.045 = $32.85) the known total is $44.35, a lower bound.
UNPRICED_DB = Case(
    "db",
    "aws:rds/instance:Instance",
    {"engine": "postgres", "instanceClass": "db.x2g.large", "allocatedStorage": 100, "storageType": "gp3"},
    None,
    {"region": "us-east-1"},
)


def test_unpriced_resources_cannot_confirm_the_budget_under_fail_on_unpriced() -> None:
    config = {"budgetMonthlyUsd": 1000, "failOnUnpriced": True}
    outcome = analyze("aws-stack-monthly-budget", [NAT, UNPRICED_DB], config)
    assert outcome.stack_messages == [
        "cannot confirm the budget of $1,000.00/month (pack config budgetMonthlyUsd): the estimate is at "
        f"least $44.35/month (1 resource unpriced) (no usage file at {USAGE_FILE}; usage-based costs not "
        "counted), so it holds only if the unpriced resources cost less than $955.65/month; unpriced: db."
    ]


def test_unpriced_resources_within_budget_pass_without_fail_on_unpriced() -> None:
    outcome = analyze("aws-stack-monthly-budget", [NAT, UNPRICED_DB], {"budgetMonthlyUsd": 1000})
    assert (outcome.stack_messages, outcome.na) == ([], {})


def test_a_lower_bound_over_the_budget_is_exceeded_by_at_least() -> None:
    outcome = analyze("aws-stack-monthly-budget", [NAT, UNPRICED_DB], {"budgetMonthlyUsd": 40})
    assert outcome.stack_messages == [
        "estimated at least $44.35/month (1 resource unpriced) (range $44.35-$44.35, no usage file at "
        f"{USAGE_FILE}; usage-based costs not counted) exceeds the budget of $40.00/month (pack config "
        "budgetMonthlyUsd) by at least $4.35; largest: nat $32.85, db $11.50."
    ]


def test_no_budget_anywhere_is_not_applicable_with_the_reason() -> None:
    outcome = analyze("aws-stack-monthly-budget", [NAT])
    assert outcome.stack_messages == []
    # The message names the analyzed program's own config key; in-process the SDK's project is "project".
    assert outcome.na == {
        "stack": "no budget configured: set budgetMonthlyUsd in the pack config or project:budget.monthlyUsd"
    }


def test_budget_finding_can_be_waived_as_the_stack() -> None:
    waiver = {"name": "stack", "reason": "launch month, approved by finance", "expires": "2999-01-01"}
    outcome = analyze("aws-stack-monthly-budget", [NAT], {"budgetMonthlyUsd": 1, "waivers": [waiver]})
    assert outcome.stack_messages == []
    assert outcome.na == {"stack": "1 finding(s) waived until 2999-01-01: launch month, approved by finance"}


def test_unknown_values_become_the_inventory_unknown_paths() -> None:
    props = {"a": UNKNOWN, "b": {"c": [1, UNKNOWN]}, "d": "known"}
    assert sorted(unknown_paths(props)) == ["a", "b.c[1]"]
