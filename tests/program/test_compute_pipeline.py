"""The SageMaker pipeline definition comes from the SageMaker SDK v3, offline: no AWS call, no connection."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from typing import Any

import botocore.client
import pytest
import stackview  # noqa: F401  (puts the repository root on sys.path)

from components.sagemaker_pipeline import (
    TrainingSpec,
    ecr_repository_arn,
    pipeline_definition,
    script_hyperparameters,
    sklearn_image,
)

pytestmark = pytest.mark.slow  # imports the SageMaker SDK (seconds)

KEY = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000001"
ROLE = "arn:aws:iam::111122223333:role/ml-execution-role"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"


def spec(**changes: Any) -> TrainingSpec:
    values: dict[str, Any] = {
        "pipeline_name": "data-ai-platform-dev-training",
        "region": "us-east-1",
        "role_arn": ROLE,
        "bucket": "lake-artifacts",
        "kms_key_arn": KEY,
        "subnet_ids": ["subnet-a", "subnet-b"],
        "security_group_ids": ["sg-ml"],
        "image_uri": IMAGE,
        "instance_type": "ml.m5.large",
        "instance_count": 1,
        "volume_size_gb": 30,
        "use_spot": True,
        "max_run_seconds": 1800,
        "max_wait_seconds": 3600,
        "code_key": "code/train/sourcedir.tar.gz",
        "entry_point": "train.py",
        "data_prefix": "training/latest/",
        "hyperparameters": {"n_estimators": 100, "max_depth": 5},
        "metric_definitions": {"validation:accuracy": r"validation accuracy: ([0-9.]+)"},
    }
    values.update(changes)
    return TrainingSpec(**values)


@pytest.fixture(scope="module")
def offline() -> Iterator[list[str]]:
    """Every botocore API call and every non-local connection attempt is recorded and refused."""
    attempts: list[str] = []
    connect = socket.socket.connect

    def refuse_call(client: Any, operation: str, params: Any) -> Any:
        attempts.append(f"{client.meta.service_model.service_name}:{operation}")
        raise RuntimeError(f"AWS call {operation} attempted")

    def refuse_connect(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(f"connect:{address[0]}")
            raise OSError(f"connection to {address} attempted")
        return connect(sock, address)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(botocore.client.BaseClient, "_make_api_call", refuse_call)
        patch.setattr(socket.socket, "connect", refuse_connect)
        yield attempts


@pytest.fixture(scope="module")
def spot_definition(offline: list[str]) -> dict[str, Any]:
    environment = dict(os.environ)
    text = pipeline_definition(spec())
    assert dict(os.environ) == environment, "the SDK environment must be restored"
    return dict(json.loads(text))


def _arguments(definition: dict[str, Any]) -> dict[str, Any]:
    [step] = definition["Steps"]
    assert (step["Name"], step["Type"]) == ("TrainModel", "Training")
    return dict(step["Arguments"])


def test_generation_makes_no_aws_call_and_no_connection(
    spot_definition: dict[str, Any], offline: list[str]
) -> None:
    assert offline == []
    assert spot_definition["Version"] == "2020-12-01"


def test_training_step_uses_managed_spot_with_the_configured_limits(spot_definition: dict[str, Any]) -> None:
    arguments = _arguments(spot_definition)
    assert arguments["EnableManagedSpotTraining"] is True
    assert arguments["StoppingCondition"] == {"MaxRuntimeInSeconds": 1800, "MaxWaitTimeInSeconds": 3600}
    assert arguments["CheckpointConfig"]["S3Uri"] == "s3://lake-artifacts/checkpoints/pipeline/"
    assert arguments["ResourceConfig"] == {
        "InstanceType": "ml.m5.large",
        "InstanceCount": 1,
        "VolumeSizeInGB": 30,
        "VolumeKmsKeyId": KEY,
    }


def test_training_step_is_encrypted_and_in_the_vpc(spot_definition: dict[str, Any]) -> None:
    arguments = _arguments(spot_definition)
    assert arguments["OutputDataConfig"] == {
        "S3OutputPath": "s3://lake-artifacts/models/pipeline/",
        "KmsKeyId": KEY,
        "CompressionType": "GZIP",
    }
    assert arguments["VpcConfig"] == {"SecurityGroupIds": ["sg-ml"], "Subnets": ["subnet-a", "subnet-b"]}
    assert arguments["EnableInterContainerTrafficEncryption"] is True
    assert arguments["EnableNetworkIsolation"] is True
    assert arguments["RoleArn"] == ROLE


def test_training_step_gets_its_script_through_the_code_channel(spot_definition: dict[str, Any]) -> None:
    arguments = _arguments(spot_definition)
    assert arguments["AlgorithmSpecification"] == {
        "TrainingInputMode": "File",
        "TrainingImage": IMAGE,
        "MetricDefinitions": [{"Name": "validation:accuracy", "Regex": "validation accuracy: ([0-9.]+)"}],
    }
    assert arguments["HyperParameters"] == {
        "n_estimators": "100",
        "max_depth": "5",
        "sagemaker_program": "train.py",
        "sagemaker_submit_directory": "/opt/ml/input/data/code/sourcedir.tar.gz",
        "sagemaker_region": "us-east-1",
    }
    channels = {
        c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in arguments["InputDataConfig"]
    }
    assert channels == {
        "train": {"Get": "Parameters.TrainDataUri"},
        "validation": {"Get": "Parameters.ValidationDataUri"},
        "code": "s3://lake-artifacts/code/train/sourcedir.tar.gz",
    }
    parameters = {p["Name"]: p["DefaultValue"] for p in spot_definition["Parameters"]}
    assert parameters == {
        "TrainDataUri": "s3://lake-artifacts/training/latest/train",
        "ValidationDataUri": "s3://lake-artifacts/training/latest/validation",
    }


def test_on_demand_training_has_no_wait_time_and_no_checkpoints(offline: list[str]) -> None:
    arguments = _arguments(json.loads(pipeline_definition(spec(use_spot=False))))
    assert arguments["EnableManagedSpotTraining"] is False
    assert arguments["StoppingCondition"] == {"MaxRuntimeInSeconds": 1800}
    assert "CheckpointConfig" not in arguments
    assert offline == []


def test_definition_is_deterministic(spot_definition: dict[str, Any]) -> None:
    assert json.loads(pipeline_definition(spec())) == spot_definition


@pytest.mark.parametrize(
    ("region", "scope", "expected"),
    [
        ("us-east-1", "training", IMAGE),
        (
            "eu-west-1",
            "inference",
            "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
        ),
    ],
)
def test_sklearn_image_comes_from_the_sdk_table(
    region: str, scope: str, expected: str, offline: list[str]
) -> None:
    assert sklearn_image(region, "1.2-1", "ml.m5.large", scope=scope) == expected
    assert offline == []


def test_ecr_repository_arn_of_an_image() -> None:
    assert ecr_repository_arn(IMAGE) == "arn:aws:ecr:us-east-1:683313688378:repository/sagemaker-scikit-learn"
    with pytest.raises(ValueError, match=r"'public\.ecr\.aws/xray/daemon:1' is not an ECR image URI"):
        ecr_repository_arn("public.ecr.aws/xray/daemon:1")


def test_script_hyperparameters_are_strings_plus_the_script_mode_contract() -> None:
    assert script_hyperparameters({"alpha": 0.5}, "train.py", "code/v2/train.tar.gz", "us-west-2") == {
        "alpha": "0.5",
        "sagemaker_program": "train.py",
        "sagemaker_submit_directory": "/opt/ml/input/data/code/train.tar.gz",
        "sagemaker_region": "us-west-2",
    }
