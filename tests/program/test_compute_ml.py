"""SageMaker per stack: the SDK-generated pipeline, the model registry, the endpoint and its autoscaling."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from stackview import STACKS, StackView, loaded_config

from components.sagemaker_pipeline import TrainingSpec, pipeline_definition

pytestmark = pytest.mark.slow

Views = Callable[[str], StackView]


def _training_arguments(view: StackView) -> dict[str, Any]:
    definition = json.loads(view.named("ml-training-pipeline").inputs["pipelineDefinition"])
    [step] = definition["Steps"]
    return dict(step["Arguments"])


def _private_subnets(view: StackView) -> list[str]:
    return sorted(r.outputs["id"] for r in view.of_type("aws:ec2/subnet:Subnet") if "private" in r.name)


SKLEARN_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
"""The SDK's scikit-learn 1.2-1 CPU image in us-east-1, for training and inference alike."""
TRAINING = {
    "dev": ("ml.m5.large", 1800, 3600),
    "staging": ("ml.m5.large", 1800, 3600),
    "prod": ("ml.m5.xlarge", 7200, 14400),
}
"""Per stack: training instance type, max run and max wait seconds (`Pulumi.<stack>.yaml`)."""


@pytest.mark.parametrize("stack", STACKS)
def test_pipeline_definition_is_exactly_the_sdk_output(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    pipeline = view.named("ml-training-pipeline")
    instance_type, max_run, max_wait = TRAINING[stack]
    az_count = 3 if stack == "prod" else 2
    expected = pipeline_definition(
        TrainingSpec(
            pipeline_name=f"data-ai-platform-{stack}-training",
            region="us-east-1",
            role_arn=view.arn("ml-execution-role"),
            bucket=view.named("lake-artifacts").outputs["bucket"],
            kms_key_arn=view.arn("keys-ml"),
            subnet_ids=[view.ident(f"network-private-{i}") for i in range(az_count)],
            security_group_ids=[view.ident("network-sagemaker-sg")],
            image_uri=SKLEARN_IMAGE,
            instance_type=instance_type,
            instance_count=1,
            volume_size_gb=30,
            use_spot=True,
            max_run_seconds=max_run,
            max_wait_seconds=max_wait,
            code_key="code/train/sourcedir.tar.gz",
            entry_point="train.py",
            data_prefix="training/latest/",
            hyperparameters={"n_estimators": 100, "max_depth": 5},
            metric_definitions={"validation:accuracy": "validation accuracy: ([0-9.]+)"},
        )
    )
    assert pipeline.inputs["pipelineDefinition"] == expected
    assert pipeline.inputs["pipelineName"] == f"data-ai-platform-{stack}-training"
    assert pipeline.inputs["roleArn"] == view.arn("ml-execution-role")


@pytest.mark.parametrize("stack", STACKS)
def test_pipeline_trains_on_managed_spot_with_kms_and_vpc(stack: str, stack_view: Views) -> None:
    view, training = stack_view(stack), loaded_config(stack).ml.training
    arguments = _training_arguments(view)
    ml_key = view.arn("keys-ml")
    assert arguments["EnableManagedSpotTraining"] is True
    assert arguments["EnableNetworkIsolation"] is True
    assert arguments["StoppingCondition"] == {
        "MaxRuntimeInSeconds": training.max_run_seconds,
        "MaxWaitTimeInSeconds": training.max_wait_seconds,
    }
    assert arguments["ResourceConfig"]["VolumeKmsKeyId"] == ml_key
    assert arguments["ResourceConfig"]["InstanceType"] == training.instance_type
    assert arguments["OutputDataConfig"]["KmsKeyId"] == ml_key
    assert sorted(arguments["VpcConfig"]["Subnets"]) == _private_subnets(view)
    assert arguments["VpcConfig"]["SecurityGroupIds"] == [view.ident("network-sagemaker-sg")]


def test_stacks_size_training_differently() -> None:
    limits = {
        s: (loaded_config(s).ml.training.max_run_seconds, loaded_config(s).ml.training.max_wait_seconds)
        for s in STACKS
    }
    assert limits == {"dev": (1800, 3600), "staging": (1800, 3600), "prod": (7200, 14400)}


@pytest.mark.parametrize("stack", STACKS)
def test_model_is_network_isolated_in_the_vpc_and_serves_the_configured_artifact(
    stack: str, stack_view: Views
) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    model = view.named("ml-model").inputs
    bucket = view.named("lake-artifacts").outputs["bucket"]
    assert model["enableNetworkIsolation"] is True
    assert model["executionRoleArn"] == view.arn("ml-execution-role")
    assert sorted(model["vpcConfig"]["subnets"]) == _private_subnets(view)
    assert model["vpcConfig"]["securityGroupIds"] == [view.ident("network-sagemaker-sg")]
    container = model["primaryContainer"]
    assert container["modelDataUrl"] == f"s3://{bucket}/{cfg.ml.model_data_key}"
    assert container["image"] == SKLEARN_IMAGE
    assert container["environment"]["SAGEMAKER_PROGRAM"] == cfg.ml.inference_entry_point


@pytest.mark.parametrize("stack", STACKS)
def test_endpoint_configuration_is_encrypted_sized_and_captures_data(stack: str, stack_view: Views) -> None:
    view, endpoint = stack_view(stack), loaded_config(stack).ml.endpoint
    config = view.named("ml-endpoint-config").inputs
    ml_key = view.arn("keys-ml")
    bucket = view.named("lake-artifacts").outputs["bucket"]
    assert config["kmsKeyArn"] == ml_key
    assert config["productionVariants"] == [
        {
            "variantName": "AllTraffic",
            "modelName": view.named("ml-model").outputs["name"],
            "initialInstanceCount": endpoint.initial_instance_count,
            "instanceType": endpoint.instance_type,
        }
    ]
    assert config["dataCaptureConfig"] == {
        "enableCapture": True,
        "initialSamplingPercentage": endpoint.data_capture_percent,
        "destinationS3Uri": f"s3://{bucket}/data-capture",
        "kmsKeyId": ml_key,
        "captureOptions": [{"captureMode": "Input"}, {"captureMode": "Output"}],
    }
    assert view.named("ml-endpoint").inputs == {
        "name": f"data-ai-platform-{stack}-endpoint",
        "endpointConfigName": view.named("ml-endpoint-config").outputs["name"],
    }


@pytest.mark.parametrize(
    ("stack", "bounds", "instances"),
    [
        ("dev", (1, 2), ("ml.m5.large", 1)),
        ("staging", (1, 4), ("ml.m5.large", 1)),
        ("prod", (1, 10), ("ml.m5.xlarge", 2)),
    ],
)
def test_endpoint_autoscaling_matches_the_stack(
    stack: str, bounds: tuple[int, int], instances: tuple[str, int], stack_view: Views
) -> None:
    view, endpoint = stack_view(stack), loaded_config(stack).ml.endpoint
    resource_id = f"endpoint/data-ai-platform-{stack}-endpoint/variant/AllTraffic"
    target = view.named("ml-endpoint-scaling-target").inputs
    assert target == {
        "serviceNamespace": "sagemaker",
        "scalableDimension": "sagemaker:variant:DesiredInstanceCount",
        "resourceId": resource_id,
        "minCapacity": bounds[0],
        "maxCapacity": bounds[1],
    }
    policy = view.named("ml-endpoint-scaling-policy").inputs
    assert (policy["policyType"], policy["resourceId"]) == ("TargetTrackingScaling", resource_id)
    assert policy["targetTrackingScalingPolicyConfiguration"] == {
        "targetValue": endpoint.target_invocations_per_instance,
        "predefinedMetricSpecification": {"predefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
        "scaleInCooldown": endpoint.scale_in_cooldown_seconds,
        "scaleOutCooldown": endpoint.scale_out_cooldown_seconds,
    }
    [variant] = view.named("ml-endpoint-config").inputs["productionVariants"]
    assert (variant["instanceType"], variant["initialInstanceCount"]) == instances


@pytest.mark.parametrize("stack", STACKS)
def test_model_registry_group(stack: str, stack_view: Views) -> None:
    group = stack_view(stack).named("ml-model-registry").inputs
    assert group["modelPackageGroupName"] == f"data-ai-platform-{stack}-models"
