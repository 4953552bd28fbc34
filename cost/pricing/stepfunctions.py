"""AWS Step Functions state machines: state transitions (Standard) or requests and duration (Express),
plus the SageMaker training jobs their `createTrainingJob` tasks start.

Transitions per execution default to the states on the definition's happy path (StartAt to the first end,
Choice states following their Default, Parallel branches and one Map iteration counted);
`transitionsPerExecution` in the usage file overrides it. Training runs per month default to the executions
per month. Express duration is billed in 64 MB memory steps; 64 MB is assumed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import CostComponent
from cost.pricing.base import Context, Priced, Pricer, SpecError, component, known, tiered
from cost.pricing.training import TrainingSpec, job_from_arguments, price_jobs
from cost.pricing.training import override as override_training

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "AWS Step Functions"
STATE_MACHINE = "aws:sfn/stateMachine:StateMachine"
EXPRESS_MEMORY_GB = Decimal(64) / 1024
_TRAINING_RESOURCE = "sagemaker:createTrainingJob"


@dataclass(frozen=True)
class StateMachineSpec:
    express: bool
    transitions_per_execution: int
    training: TrainingSpec


def parse(resource: Resource, ctx: Context) -> StateMachineSpec:
    text = known(resource.inputs.get("definition"), "the state machine definition")
    try:
        definition = json.loads(text)
    except (TypeError, json.JSONDecodeError) as exc:
        raise SpecError(f"the state machine definition is not JSON ({exc})") from None
    jobs = tuple(
        job_from_arguments(f"state {name}", state.get("Parameters") or state.get("Arguments") or {}, {})
        for name, state in _all_states(definition)
        if _TRAINING_RESOURCE in str(state.get("Resource", ""))
    )
    return StateMachineSpec(
        express=str(resource.inputs.get("type", "STANDARD")).upper() == "EXPRESS",
        transitions_per_execution=happy_path_length(definition),
        training=TrainingSpec(jobs=jobs),
    )


def _all_states(machine: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, state in (machine.get("States") or {}).items():
        found.append((name, state))
        for sub in _nested(state):
            found += _all_states(sub)
    return found


def _nested(state: dict[str, Any]) -> list[dict[str, Any]]:
    if state.get("Type") == "Parallel":
        return list(state.get("Branches") or [])
    if state.get("Type") == "Map":
        processor = state.get("ItemProcessor") or state.get("Iterator")
        return [processor] if processor else []
    return []


def happy_path_length(machine: dict[str, Any]) -> int:
    """States entered from StartAt to the first end state (nested branches counted once each)."""
    states = machine.get("States") or {}
    name, seen, count = machine.get("StartAt"), set(), 0
    while isinstance(name, str) and name in states and name not in seen:
        seen.add(name)
        state = states[name]
        count += 1 + sum(happy_path_length(sub) for sub in _nested(state))
        if state.get("End") or state.get("Type") in ("Succeed", "Fail"):
            break
        if state.get("Type") == "Choice":
            name = state.get("Default") or next((c.get("Next") for c in state.get("Choices") or []), None)
        else:
            name = state.get("Next")
    return count


def _workflow_components(spec: StateMachineSpec, ctx: Context) -> list[CostComponent]:
    usage = ctx.usage
    executions = usage.monthly_executions
    if not spec.express:
        per_run = usage.transitions_per_execution
        per_run = Decimal(spec.transitions_per_execution) if per_run is None else per_run
        return [
            component(
                ctx,
                "State transitions",
                "sfn.standard.state_transition",
                None if executions is None else executions * per_run,
                unit="state transition",
                usage_based=True,
                usage_key="monthlyExecutions",
                note=f"{per_run} transitions per execution",
            )
        ]
    gb_seconds = None
    if executions is not None and usage.avg_duration_ms is not None:
        gb_seconds = executions * usage.avg_duration_ms / 1000 * EXPRESS_MEMORY_GB
    return [
        component(
            ctx,
            "Requests",
            "sfn.express.request",
            executions,
            unit="request",
            usage_based=True,
            usage_key="monthlyExecutions",
        ),
        *tiered(
            ctx,
            "Duration (64 MB)",
            "sfn.express.duration",
            gb_seconds,
            unit="GB-second",
            usage_key="monthlyExecutions and avgDurationMs",
        ),
    ]


def price(spec: StateMachineSpec, ctx: Context) -> Priced:
    components = _workflow_components(spec, ctx)
    if not spec.training.jobs:
        return Priced(components=components)
    runs = ctx.usage.training_runs_per_month
    runs = ctx.usage.monthly_executions if runs is None else runs
    training, high, savings = price_jobs(ctx, spec.training, runs)
    workflow = sum((c.monthly_usd for c in components), Decimal(0))
    return Priced(
        components=components + training,
        max_usd=None if high is None else high + workflow,
        savings=savings,
    )


def override(spec: StateMachineSpec, overrides: dict[str, Any]) -> StateMachineSpec:
    """Right-sizing: replace fields of the training jobs the state machine starts."""
    return StateMachineSpec(
        spec.express, spec.transitions_per_execution, override_training(spec.training, overrides)
    )


PRICERS: dict[str, Pricer[Any]] = {STATE_MACHINE: Pricer(SERVICE, parse, price, override)}

FREE = {
    "aws:sfn/alias:Alias": "state machine aliases are free",
    "aws:sfn/activity:Activity": "activities are free; their workers are priced where they run",
}
