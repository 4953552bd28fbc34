"""Cost guardrail: the stack's estimated monthly cost stays within its budget.

The stack's resources (as the engine passes them to AnalyzeStack) become a `inventory.model.Inventory`,
priced by `cost.estimate` with the stack's usage file. The budget is the pack config's `budgetMonthlyUsd`,
else the stack config `<project>:budget.monthlyUsd` (the engine passes stack config to the pack as
PULUMI_CONFIG).

With unpriced resources the estimate is a lower bound: over the budget it is still a finding (the real cost is
higher still); within it the budget cannot be confirmed, which is a finding only under `failOnUnpriced` (a
profile that must prove its budget sets it; the finding names the unpriced resources).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime

from cost import estimate
from cost.budget import budget_from_config, total_text
from cost.usage import Usage, UsageError, load_usage
from inventory.errors import InputError
from inventory.model import Inventory, Provider, Resource
from policies.metadata import POLICIES_DIR, RuleMeta
from policies.rules.framework import Finding, Rule, Settings, StackRule
from policies.rules.props import Skip, View, is_unknown, join_path
from policies.rules.stack_index import Stack

DEFAULT_USAGE_FILE = "../usage.{stack}.yaml"
_TOP = 3


def unknown_paths(value: Any, base: str = "") -> Iterator[str]:
    """Dotted paths of the unknown values inside props (the inventory's `unknown_paths`)."""
    if is_unknown(value):
        yield base
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from unknown_paths(item, join_path(base, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unknown_paths(item, join_path(base, index))


def _provider(view: View) -> Provider | None:
    if view.provider_urn is None:
        return None
    type_ = (
        view.provider_urn.split("::")[-2] if view.provider_urn.count("::") >= 3 else "pulumi:providers:aws"
    )
    return Provider(
        view.provider_urn, type_, view.provider_urn.rsplit("::", 1)[-1], dict(view.provider or {})
    )


def to_inventory(stack: Stack, project: str, stack_name: str, config: Mapping[str, Any]) -> Inventory:
    """The analyzed resources as the shared inventory model (design.md, Contract 1)."""
    resources = []
    for view in stack.views:
        if view.type.startswith("pulumi:providers:") or view.type == "pulumi:pulumi:Stack":
            continue
        props = dict(view.props)
        resources.append(
            Resource(
                urn=view.urn,
                type=view.type,
                name=view.name,
                custom=view.provider_urn is not None or view.type.startswith("aws:"),
                inputs=props,
                outputs=props,
                parent=view.parent,
                provider=_provider(view),
                dependencies=list(view.dependencies),
                property_dependencies={key: list(urns) for key, urns in view.property_dependencies.items()},
                unknown_paths=frozenset(unknown_paths(props)),
                secret_paths=frozenset(),
            )
        )
    providers = {r.provider.urn: r.provider for r in resources if r.provider is not None}
    stack_urn = f"urn:pulumi:{stack_name}::{project}::pulumi:pulumi:Stack::{project}-{stack_name}"
    return Inventory(project, stack_name, "synthesis", dict(config), resources, providers, stack_urn)


def _budget(
    settings: Settings, config: Mapping[str, Any], stack_name: str, project: str
) -> tuple[Decimal, str]:
    raw = settings["budgetMonthlyUsd"]
    if raw is not None:
        try:
            return Decimal(str(raw)), "pack config budgetMonthlyUsd"
        except InvalidOperation:
            raise Skip(f"could not evaluate: pack config budgetMonthlyUsd {raw!r} is not a number") from None
    try:
        budget = budget_from_config(config, stack_name, project)
    except InputError as error:
        raise Skip(f"could not evaluate: {error}") from None
    if budget is None:
        raise Skip(
            f"no budget configured: set budgetMonthlyUsd in the pack config or {project}:budget.monthlyUsd"
        )
    return budget.monthly_usd, budget.source


def _usage(settings: Settings, stack_name: str) -> tuple[Usage | None, str]:
    relative = str(settings["usageFile"] or DEFAULT_USAGE_FILE).format(stack=stack_name)
    path = (POLICIES_DIR / relative).resolve() if not Path(relative).is_absolute() else Path(relative)
    if not path.exists():
        return None, f"no usage file at {path}; usage-based costs not counted"
    try:
        return load_usage(path), f"usage from {path.name}"
    except UsageError as error:
        raise Skip(f"could not evaluate: {error}") from None


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _check(stack: Stack, settings: Settings) -> Iterator[Finding]:
    stack_name, project = pulumi.get_stack(), pulumi.get_project()
    config = pulumi.runtime.get_config_env()
    budget, source = _budget(settings, config, stack_name, project)
    usage, usage_note = _usage(settings, stack_name)
    report = estimate(to_inventory(stack, project, stack_name, config), usage=usage)
    total = report.total_monthly_usd
    unpriced = len(report.unpriced)
    estimated = total_text(total, unpriced, "/month")
    if total <= budget:
        if unpriced and settings["failOnUnpriced"]:
            names = ", ".join(cost.name for cost in report.unpriced[: _TOP * 2])
            yield Finding(
                f"cannot confirm the budget of {_money(budget)}/month ({source}): the estimate is "
                f"{estimated} ({usage_note}), so it holds only if the unpriced resources cost less than "
                f"{_money(budget - total)}/month; unpriced: {names}."
            )
        return
    top = sorted(report.resources, key=lambda cost: cost.monthly_usd, reverse=True)[:_TOP]
    biggest = ", ".join(f"{cost.name} {_money(cost.monthly_usd)}" for cost in top)
    low, _, high = report.range
    over = ("at least " if unpriced else "") + _money(total - budget)
    yield Finding(
        f"estimated {estimated} (range {_money(low)}-{_money(high)}, {usage_note}) exceeds the "
        f"budget of {_money(budget)}/month ({source}) by {over}; largest: {biggest}."
    )


BUDGET = StackRule(
    RuleMeta(
        name="aws-stack-monthly-budget",
        area="cost",
        description="The stack's estimated monthly cost stays within its budget.",
        severity="high",
        rationale=(
            "A preview that would exceed the agreed budget should be stopped before it is deployed, not "
            "found on the bill. The estimate uses the bundled price catalog and the stack's usage "
            "assumptions."
        ),
        remediation=(
            "Apply the savings `python -m cost` suggests (Spot, rightsizing, a shared ALB), shrink the "
            "environment, or raise <project>:budget.monthlyUsd (data-ai-platform:budget here) with approval."
        ),
        kind="stack",
        resource_types=(),
        config={
            "budgetMonthlyUsd": {
                "type": "number",
                "exclusiveMinimum": 0,
                "description": (
                    "Budget in USD per month; defaults to the stack config <project>:budget.monthlyUsd."
                ),
            },
            "failOnUnpriced": {
                "type": "boolean",
                "default": False,
                "description": (
                    "Also a finding when the estimate is within the budget but some resource is unpriced "
                    "(the total is then a lower bound, so the budget cannot be confirmed)."
                ),
            },
            "usageFile": {
                "type": "string",
                "default": DEFAULT_USAGE_FILE,
                "description": (
                    "Usage file for the estimate, relative to the pack directory ({stack} is replaced)."
                ),
            },
        },
    ),
    _check,
)

RULES: list[Rule] = [BUDGET]
