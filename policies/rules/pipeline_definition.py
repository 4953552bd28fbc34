"""Reading SageMaker pipeline definitions (the JSON a `aws.sagemaker.Pipeline` carries) into steps.

Steps nested in Condition steps (`IfSteps`/`ElseSteps`) are included. Values in a definition may be pipeline
expressions (`{"Get": "Parameters.X"}`) resolved only at execution; `literal` returns None for those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from policies.rules.props import Skip, View, as_list, as_map, as_str, dig, is_set

T = TypeVar("T")


@dataclass(frozen=True)
class Keys:
    """Field names of a training job, as pulumi props (camelCase) or in a definition (PascalCase)."""

    resource_config: str
    instance_type: str
    instance_count: str
    volume_key: str
    output_config: str
    output_key: str
    inter_container: str
    vpc: str
    isolation: str


RESOURCE_KEYS = Keys(
    "resourceConfig",
    "instanceType",
    "instanceCount",
    "volumeKmsKeyId",
    "outputDataConfig",
    "kmsKeyId",
    "enableInterContainerTrafficEncryption",
    "vpcConfig",
    "enableNetworkIsolation",
)
DEFINITION_KEYS = Keys(
    "ResourceConfig",
    "InstanceType",
    "InstanceCount",
    "VolumeKmsKeyId",
    "OutputDataConfig",
    "KmsKeyId",
    "EnableInterContainerTrafficEncryption",
    "VpcConfig",
    "EnableNetworkIsolation",
)


@dataclass(frozen=True)
class Step:
    name: str
    type: str
    arguments: Mapping[str, Any]
    where: str


def literal(value: Any, convert: Callable[[Any, str], T | None], where: str) -> T | None:
    """A literal value converted, or None for a pipeline expression (an object) resolved at execution time."""
    return None if isinstance(value, Mapping) else convert(value, where)


def _walk(items: list[Any], where: str) -> Iterator[Step]:
    for position, raw in enumerate(items):
        step = as_map(raw, f"{where}[{position}]")
        name = as_str(step.get("Name"), f"{where}[{position}].Name") or f"#{position}"
        kind = as_str(step.get("Type"), f"{where}[{position}].Type") or ""
        arguments = as_map(step.get("Arguments"), f"{where}[{position}].Arguments")
        label = f"step {name!r} ({kind})"
        yield Step(name, kind, arguments, label)
        if kind == "Condition":
            for branch in ("IfSteps", "ElseSteps"):
                yield from _walk(as_list(arguments.get(branch), f"{label}.{branch}"), f"{label}.{branch}")


def steps(view: View) -> list[Step]:
    """Every step of the pipeline's inline definition; Skip when the definition lives in S3."""
    if not view.has("pipelineDefinition"):
        if view.has("pipelineDefinitionS3Location"):
            raise Skip(
                "the pipeline definition is stored in S3 (pipelineDefinitionS3Location) and cannot be read"
            )
        return []
    definition = as_map(view.json_("pipelineDefinition"), "pipelineDefinition")
    return list(
        _walk(as_list(definition.get("Steps"), "pipelineDefinition.Steps"), "pipelineDefinition.Steps")
    )


def judge_processing(step: Step, has_instance_storage: Callable[[str | None], bool]) -> Iterator[str]:
    cluster = dig(step.arguments, "ProcessingResources", "ClusterConfig", base=step.where)
    instance_type = literal(dig(cluster, "InstanceType"), as_str, step.where)
    if not has_instance_storage(instance_type) and not is_set(
        dig(cluster, "VolumeKmsKeyId", allow_unknown=True)
    ):
        yield (
            f"{step.where}: `ProcessingResources.ClusterConfig.VolumeKmsKeyId` is not set (processing "
            "volumes)."
        )
    outputs = step.arguments.get("ProcessingOutputConfig")
    if outputs is not None and not is_set(dig(outputs, "KmsKeyId", allow_unknown=True)):
        yield f"{step.where}: `ProcessingOutputConfig.KmsKeyId` is not set (processing outputs)."
