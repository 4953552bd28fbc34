"""SageMaker pipeline definitions: references resolve, step types exist, step arguments fit the API.

Every `{"Get": "Steps.X..."}` names a declared step (and a member of that step's Describe* output after
`Properties`), every `{"Get": "Parameters.Y"}` a declared parameter, every `DependsOn` a step. Step arguments
are the request of the step's SageMaker API (a Training step's arguments are a CreateTrainingJob request
without `TrainingJobName`, which the pipeline sets), read against botocore's SageMaker model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from policies.metadata import RuleMeta
from policies.rules import pipeline_definition, tokens
from policies.rules.framework import Rule, Settings
from policies.rules.props import View, as_list, as_map, as_str
from policies.rules.validity import botocore_models, shapes
from policies.rules.validity.common import close_to, document_rule, rejected

# The step types of the SageMaker Python SDK's `StepTypeEnum` (sagemaker/mlops/workflow/steps.py, sagemaker
# 3.27.0, the version this repository pins).
STEP_TYPES = (
    "Condition", "Model", "Processing", "RegisterModel", "Training", "Transform", "Callback", "Tuning",
    "Lambda", "QualityCheck", "ClarifyCheck", "EMR", "EMRServerless", "Fail", "AutoML", "EndpointConfig",
    "Endpoint", "InferenceComponent", "Lineage", "Job", "Cleanup", "ForEach",
)  # fmt: skip
# Step type -> (create API whose request the arguments are, the name member the pipeline sets, describe API)
APIS: dict[str, tuple[str, str, str]] = {
    "Training": ("CreateTrainingJob", "TrainingJobName", "DescribeTrainingJob"),
    "Processing": ("CreateProcessingJob", "ProcessingJobName", "DescribeProcessingJob"),
    "Transform": ("CreateTransformJob", "TransformJobName", "DescribeTransformJob"),
    "Tuning": (
        "CreateHyperParameterTuningJob",
        "HyperParameterTuningJobName",
        "DescribeHyperParameterTuningJob",
    ),
    "Model": ("CreateModel", "ModelName", "DescribeModel"),
    "RegisterModel": ("CreateModelPackage", "", "DescribeModelPackage"),
    "AutoML": ("CreateAutoMLJob", "AutoMLJobName", "DescribeAutoMLJob"),
}
PARAMETER_TYPES = ("String", "Integer", "Float", "Boolean")
_FIRST_MEMBER = re.compile(r"^([A-Za-z0-9]+)")


def is_expression(value: Any) -> bool:
    """A pipeline expression resolved at execution (`{"Get": ...}`, `{"Std:Join": ...}`)."""
    return (
        isinstance(value, Mapping)
        and len(value) == 1
        and ("Get" in value or str(next(iter(value))).startswith("Std:"))
    )


def _gets(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        target = value.get("Get")
        if len(value) == 1 and isinstance(target, str):
            yield where, target
        for key, item in value.items():
            yield from _gets(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _gets(item, f"{where}[{index}]")


def _describe_members(kind: str) -> frozenset[str] | None:
    api = APIS.get(kind)
    if api is None:
        return None
    output = botocore_models.operation("sagemaker", api[2])
    return frozenset(output.output_shape.members) if output and output.output_shape else None


def _reference(where: str, target: str, steps: Mapping[str, str], parameters: set[str]) -> Iterator[str]:
    head, _, rest = target.partition(".")
    if head == "Parameters":
        if rest not in parameters:
            yield f"{where}: `{target}` names no declared parameter{close_to(rest, parameters)}."
    elif head == "Steps":
        name, _, tail = rest.partition(".")
        if name not in steps:
            yield f"{where}: `{target}` names no step of the pipeline{close_to(name, steps)}."
            return
        kind, _, member_path = tail.partition(".")
        members = _describe_members(steps[name]) if kind == "Properties" else None
        first = _FIRST_MEMBER.match(member_path)
        if members is not None and first and first.group(1) not in members:
            yield (
                f"{where}: `{target}`: `{first.group(1)}` is not a property of a {steps[name]} step "
                f"({APIS[steps[name]][2]}){close_to(first.group(1), members)}."
            )


def _parameters(definition: Mapping[str, Any]) -> Iterator[str | tuple[str, str]]:
    for index, raw in enumerate(as_list(definition.get("Parameters"), "Parameters")):
        where = f"pipelineDefinition.Parameters[{index}]"
        body = as_map(raw, where)
        name = as_str(body.get("Name"), f"{where}.Name")
        kind = as_str(body.get("Type"), f"{where}.Type")
        if not name:
            yield f"`{where}.Name` is required."
            continue
        if kind not in PARAMETER_TYPES:
            yield f"`{where}.Type` {kind!r} is not a pipeline parameter type ({', '.join(PARAMETER_TYPES)})."
        yield (name, kind or "")


def _step_arguments(step: pipeline_definition.Step) -> Iterator[str]:
    if step.type not in STEP_TYPES:
        yield f"{step.where}: `{step.type}` is not a pipeline step type{close_to(step.type, STEP_TYPES)}."
        return
    api = APIS.get(step.type)
    if api is None:
        return
    shape = botocore_models.input_shape("sagemaker", api[0])
    yield from shapes.validate(
        step.arguments, shape, f"{step.where}.Arguments", is_expression, frozenset({api[1]} - {""})
    )


def _definition(view: View) -> Iterator[str]:
    steps = pipeline_definition.steps(view)
    if not view.has("pipelineDefinition"):
        return
    definition = as_map(view.json_("pipelineDefinition"), "pipelineDefinition")
    parameters: set[str] = set()
    for item in _parameters(definition):
        if isinstance(item, str):
            yield item
        else:
            parameters.add(item[0])
    names: dict[str, str] = {}
    for step in steps:
        if step.name in names:
            yield f"{step.where}: the step name `{step.name}` is used twice."
        names[step.name] = step.type
    for step in steps:
        yield from _step_arguments(step)
    for where, target in _gets(definition, "pipelineDefinition"):
        yield from _reference(where, target, names, parameters)
    for index, raw in enumerate(as_list(definition.get("Steps"), "Steps")):
        for dependency in as_list(as_map(raw, "Steps").get("DependsOn"), "DependsOn"):
            if isinstance(dependency, str) and dependency not in names:
                yield f"pipelineDefinition.Steps[{index}].DependsOn: `{dependency}` names no step."


def _valid(view: View, _settings: Settings) -> Iterator[str]:
    yield from rejected(_definition(view))


VALID = document_rule(
    RuleMeta(
        name="aws-sagemaker-pipeline-definition-valid",
        area="validity",
        description="SageMaker pipeline definitions reference declared steps and parameters and fit the API.",
        severity="high",
        rationale=(
            "A property or parameter reference to a step or parameter the definition does not declare, or "
            "step arguments that are not a valid request of the step's SageMaker API, fail only when the "
            "pipeline runs. Judged against botocore's SageMaker service model."
        ),
        remediation=(
            "Declare the referenced parameter or step (or fix its name), and fix the named argument's name, "
            "type or enum value."
        ),
        kind="stack",
        resource_types=tokens.SAGEMAKER_PIPELINE,
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html",
    ),
    _valid,
)

RULES: list[Rule] = [VALID]
