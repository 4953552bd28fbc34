"""SageMaker training jobs, as declared in a SageMaker pipeline definition or a Step Functions state machine.

Cost per month = runs per month x billable hours per run x instance count x the training rate, plus the
training volume's ML storage for the time it exists. Runs and hours per run are usage (`trainingRunsPerMonth`,
`trainingHoursPerRun`); a run stops at `MaxRuntimeInSeconds`, so hours per run are capped there.

Managed spot training bills fewer seconds at the same rate (AWS: savings = 1 - billable / training time). The
expected billable share is `spotBillableFraction` in the usage file, default 0.6 (a 40% saving, well inside
the "up to 90%" AWS states), and a run's billable time never exceeds min(MaxRuntime, MaxWaitTime). The upper
end of the range is every run reaching that stopping condition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import HOURS_PER_MONTH, CostComponent, Saving
from cost.pricing.base import (
    ZERO,
    Context,
    Priced,
    Pricer,
    SpecError,
    component,
    exact,
    free,
    known,
    plain,
    saving,
    total,
)

if TYPE_CHECKING:
    from inventory.model import Resource

DEFAULT_SPOT_BILLABLE_FRACTION = Decimal("0.6")
TRAINING_STORAGE_IDS = ("sagemaker.ml_storage.training", "sagemaker.training.ml_storage_gp")
_SECONDS_PER_HOUR = Decimal(3600)


@dataclass(frozen=True)
class TrainingJob:
    label: str
    """Pipeline step or state name."""
    instance_type: str
    instance_count: int
    volume_gb: int
    max_runtime_s: int | None
    max_wait_s: int | None
    spot: bool

    @property
    def cap_hours(self) -> Decimal | None:
        """Most billable hours one run can have: its stopping condition."""
        limits = [s for s in (self.max_runtime_s, self.max_wait_s if self.spot else None) if s]
        return Decimal(min(limits)) / _SECONDS_PER_HOUR if limits else None


@dataclass(frozen=True)
class TrainingSpec:
    jobs: tuple[TrainingJob, ...]
    unpriced_steps: tuple[str, ...] = ()
    """Steps that run compute the catalog cannot price (processing, transform, tuning)."""


def override(spec: TrainingSpec, overrides: dict[str, Any]) -> TrainingSpec:
    """Right-sizing: replace job fields (e.g. `instance_type`) on every training job."""
    return TrainingSpec(
        jobs=tuple(replace(j, **overrides) for j in spec.jobs), unpriced_steps=spec.unpriced_steps
    )


# --- parsing ------------------------------------------------------------------------------------------------


def _resolve(value: Any, parameters: dict[str, Any], what: str) -> Any:
    """A literal, or a pipeline parameter reference `{"Get": "Parameters.X"}` resolved to its default."""
    if (
        isinstance(value, dict)
        and isinstance(value.get("Get"), str)
        and value["Get"].startswith("Parameters.")
    ):
        name = value["Get"].split(".", 1)[1]
        if name not in parameters:
            raise SpecError(f"{what} refers to pipeline parameter {name}, which has no DefaultValue")
        return parameters[name]
    if isinstance(value, dict | list):
        raise SpecError(f"{what} is computed at run time ({json.dumps(value)[:80]}), so it cannot be priced")
    return value


def job_from_arguments(label: str, args: dict[str, Any], parameters: dict[str, Any]) -> TrainingJob:
    """A training job from CreateTrainingJob arguments (a pipeline step's or a Step Functions task's)."""
    dynamic = sorted(
        k for k in args if k.endswith(".$") and k[:-2] in ("ResourceConfig", "StoppingCondition")
    )
    if dynamic:
        raise SpecError(
            f"{label}: {', '.join(dynamic)} are set from the execution input, so the job cannot be priced"
        )
    resources = args.get("ResourceConfig") or {}
    stopping = args.get("StoppingCondition") or {}

    def field(container: dict[str, Any], key: str, default: Any = None) -> Any:
        value = container.get(key, default)
        if f"{key}.$" in container:
            raise SpecError(f"{label}: {key} is set from the execution input, so the job cannot be priced")
        return _resolve(value, parameters, f"{label} {key}")

    instance_type = field(resources, "InstanceType")
    if not isinstance(instance_type, str):
        raise SpecError(f"{label}: ResourceConfig.InstanceType is not set (instance groups are not priced)")
    runtime, wait = field(stopping, "MaxRuntimeInSeconds"), field(stopping, "MaxWaitTimeInSeconds")
    return TrainingJob(
        label=label,
        instance_type=instance_type,
        instance_count=int(field(resources, "InstanceCount", 1)),
        volume_gb=int(field(resources, "VolumeSizeInGB", 0) or 0),
        max_runtime_s=int(runtime) if runtime is not None else None,
        max_wait_s=int(wait) if wait is not None else None,
        spot=_truthy(field(args, "EnableManagedSpotTraining", False)),
    )


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


_COMPUTE_STEPS = {"Processing", "Transform", "Tuning", "EMR", "AutoML", "Clarify", "QualityCheck"}


def from_pipeline_definition(text: str) -> TrainingSpec:
    """Training jobs of a SageMaker pipeline definition (JSON), with parameter defaults resolved."""
    try:
        definition = json.loads(text)
    except (TypeError, json.JSONDecodeError) as exc:
        raise SpecError(f"the pipeline definition is not JSON ({exc})") from None
    parameters = {p["Name"]: p.get("DefaultValue") for p in definition.get("Parameters", []) if "Name" in p}
    parameters = {name: value for name, value in parameters.items() if value is not None}
    jobs, unpriced = [], []
    for step in _steps(definition.get("Steps", [])):
        kind = step.get("Type")
        if kind == "Training":
            jobs.append(
                job_from_arguments(f"step {step.get('Name')}", step.get("Arguments") or {}, parameters)
            )
        elif kind in _COMPUTE_STEPS:
            unpriced.append(f"{step.get('Name')} ({kind})")
    return TrainingSpec(jobs=tuple(jobs), unpriced_steps=tuple(unpriced))


def _steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pipeline steps, including those nested in condition steps' branches."""
    found = []
    for step in steps:
        found.append(step)
        args = step.get("Arguments") or {}
        if step.get("Type") == "Condition":
            found += _steps(list(args.get("IfSteps", [])) + list(args.get("ElseSteps", [])))
    return found


# --- pricing ------------------------------------------------------------------------------------------------


def _storage_id(ctx: Context) -> str:
    return next(
        (i for i in TRAINING_STORAGE_IDS if ctx.catalog.price(ctx.region, i)), TRAINING_STORAGE_IDS[0]
    )


@dataclass(frozen=True)
class _Hours:
    run: Decimal | None
    billable: Decimal | None
    note: str


def _hours_per_run(job: TrainingJob, hours: Decimal | None, fraction: Decimal) -> _Hours:
    if hours is None:
        return _Hours(None, None, "")
    notes = []
    cap = job.cap_hours
    run = hours
    if job.max_runtime_s and hours > Decimal(job.max_runtime_s) / _SECONDS_PER_HOUR:
        run = Decimal(job.max_runtime_s) / _SECONDS_PER_HOUR
        notes.append(f"capped at MaxRuntimeInSeconds={job.max_runtime_s}")
    billable = run * fraction if job.spot else run
    if cap is not None and billable > cap:
        billable = cap
        notes.append(f"billable time capped at {plain(cap)} h by the stopping condition")
    if job.spot:
        notes.insert(
            0,
            f"managed spot: billable = {plain(fraction)} x {plain(run)} h per run "
            "(usage spotBillableFraction)",
        )
    return _Hours(run, billable, "; ".join(notes))


def job_components(ctx: Context, job: TrainingJob, runs: Decimal | None) -> list[CostComponent]:
    usage = ctx.usage
    fraction = usage.spot_billable_fraction
    fraction = DEFAULT_SPOT_BILLABLE_FRACTION if fraction is None else fraction
    hours = _hours_per_run(job, usage.training_hours_per_run, fraction)
    instance_hours = (
        None if runs is None or hours.billable is None else runs * hours.billable * job.instance_count
    )
    parts = [
        component(
            ctx,
            f"Training {job.instance_type} x{job.instance_count} ({job.label})",
            f"sagemaker.training.{job.instance_type}",
            instance_hours,
            unit="instance-hour",
            usage_based=True,
            usage_key="trainingRunsPerMonth and trainingHoursPerRun",
            note=hours.note,
        )
    ]
    if job.volume_gb:
        gb_months = None
        if runs is not None and hours.run is not None:
            gb_months = runs * hours.run * job.instance_count * job.volume_gb / HOURS_PER_MONTH
        parts.append(
            component(
                ctx,
                f"Training ML storage {job.volume_gb} GB ({job.label})",
                _storage_id(ctx),
                gb_months,
                unit="GB-month",
                usage_based=True,
                usage_key="trainingRunsPerMonth and trainingHoursPerRun",
            )
        )
    return parts


def on_demand_cost(ctx: Context, job: TrainingJob, runs: Decimal, hours: Decimal) -> Decimal:
    price = ctx.catalog.price(ctx.region, f"sagemaker.training.{job.instance_type}")
    return ZERO if price is None else runs * hours * job.instance_count * price.usd


def max_cost(ctx: Context, job: TrainingJob, runs: Decimal | None) -> Decimal | None:
    """Every run reaching its stopping condition (None when runs or the stopping condition are unknown)."""
    cap = job.cap_hours
    if runs is None or cap is None:
        return None
    price = ctx.catalog.price(ctx.region, f"sagemaker.training.{job.instance_type}")
    storage = ctx.catalog.price(ctx.region, _storage_id(ctx))
    compute = ZERO if price is None else runs * cap * job.instance_count * price.usd
    volume = (
        ZERO
        if storage is None
        else runs * cap * job.instance_count * job.volume_gb / HOURS_PER_MONTH * storage.usd
    )
    return exact(compute + volume)


def spot_saving(
    ctx: Context, job: TrainingJob, runs: Decimal | None, components: list[CostComponent]
) -> Saving | None:
    hours = ctx.usage.training_hours_per_run
    compute = components[0]
    if (
        not job.spot
        or runs is None
        or hours is None
        or compute.unit_price is None
        or compute.quantity is None
    ):
        return None
    run_hours = _hours_per_run(job, hours, Decimal(1)).run or ZERO
    baseline = on_demand_cost(ctx, job, runs, run_hours)
    return saving(
        ctx,
        "spot",
        f"managed spot training for {job.label} ({job.instance_type} x{job.instance_count}) "
        "instead of on-demand",
        baseline,
        compute.monthly_usd,
    )


def price_jobs(
    ctx: Context, spec: TrainingSpec, runs: Decimal | None
) -> tuple[list[CostComponent], Decimal | None, list[Saving]]:
    """Components, upper bound and spot savings of every job in `spec` at `runs` runs per month."""
    components: list[CostComponent] = []
    savings: list[Saving] = []
    high: Decimal | None = ZERO
    for job in spec.jobs:
        parts = job_components(ctx, job, runs)
        components += parts
        found = spot_saving(ctx, job, runs, parts)
        if found:
            savings.append(found)
        bound = max_cost(ctx, job, runs)
        high = None if bound is None or high is None else high + max(bound, total(parts))
    return components, high, savings


# --- the SageMaker pipeline resource ------------------------------------------------------------------------

SERVICE = "Amazon SageMaker"
PIPELINE = "aws:sagemaker/pipeline:Pipeline"


def parse_pipeline(resource: Resource, ctx: Context) -> TrainingSpec:
    inputs = resource.inputs
    if inputs.get("pipelineDefinition") is None and inputs.get("pipelineDefinitionS3Location"):
        raise SpecError("the pipeline definition is stored in S3 and cannot be read offline")
    return from_pipeline_definition(known(inputs.get("pipelineDefinition"), "pipelineDefinition"))


def price_pipeline(spec: TrainingSpec, ctx: Context) -> Priced:
    if not spec.jobs and not spec.unpriced_steps:
        return free("the pipeline has no training or processing steps; pipelines themselves are free")
    components, high, savings = price_jobs(ctx, spec, ctx.usage.training_runs_per_month)
    problems = [f"step {step} runs compute that the catalog does not price" for step in spec.unpriced_steps]
    return Priced(components=components, max_usd=high, savings=savings, problems=problems)


PRICERS: dict[str, Pricer[Any]] = {PIPELINE: Pricer(SERVICE, parse_pipeline, price_pipeline, override)}
