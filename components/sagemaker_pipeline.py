"""SageMaker image URIs and the training pipeline definition, generated offline by the SageMaker SDK v3.

The pipeline definition JSON is the SDK's own output, not hand-written: a `ModelTrainer` (managed spot
training, KMS-encrypted volume and output, VPC) whose `train()` call a `PipelineSession` intercepts into a
`TrainingStep`, serialized by `Pipeline.definition()`. The SDK makes no AWS call and opens no connection on
that path when these hold, all set here while the SDK runs: `SAGEMAKER_VALIDATE_ROLE=false` (otherwise
`ModelTrainer` simulates the role's IAM policy), an explicit region (importing `sagemaker.mlops` creates boto3
clients), `AWS_EC2_METADATA_DISABLED=true` (creating those clients would otherwise probe the EC2 metadata
service for credentials when none are configured, seconds of timeouts off EC2), an explicit role ARN and
default bucket, and telemetry switched off through the session's SDK config. Nothing is uploaded: the training
script is an S3 object (`sagemaker_submit_directory`), as with the classic scikit-learn estimator.

The SDK takes about two seconds to import, so it is imported only inside the functions that need it.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

SDK_CONFIG: dict[str, Any] = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}
TRAIN_CHANNEL = "train"
VALIDATION_CHANNEL = "validation"
CODE_CHANNEL = "code"
CODE_CHANNEL_DIR = f"/opt/ml/input/data/{CODE_CHANNEL}"


@contextmanager
def _quiet_sdk_loggers() -> Iterator[None]:
    """The SDK logs INFO and WARNING lines (about fields the pipeline fills at run time) that would clutter
    `pulumi up`; records up to WARNING are dropped while the SDK runs (errors still show)."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)


@contextmanager
def _offline_sdk(region: str) -> Iterator[None]:
    """Environment the SDK needs to work without AWS calls; SDK log chatter is kept out of Pulumi's output."""
    settings = {
        "SAGEMAKER_VALIDATE_ROLE": "false",
        "AWS_DEFAULT_REGION": region,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        with warnings.catch_warnings(), _quiet_sdk_loggers():
            warnings.simplefilter("ignore")
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def sklearn_image(region: str, version: str, instance_type: str, *, scope: str = "training") -> str:
    """The SageMaker scikit-learn image for `scope` ("training" or "inference") from the SDK's table."""
    with _offline_sdk(region):
        from sagemaker.core import image_uris

        return str(
            image_uris.retrieve(
                "sklearn", region, version=version, instance_type=instance_type, image_scope=scope
            )
        )


def tei_image(region: str, version: str) -> str:
    """The SageMaker Text Embeddings Inference CPU image (`huggingface-tei-cpu`) from the SDK's table."""
    with _offline_sdk(region):
        from sagemaker.core import image_uris

        return str(image_uris.retrieve("huggingface-tei-cpu", region, version=version))


def ecr_repository_arn(image_uri: str) -> str:
    """`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` -> the repository's ARN (for IAM)."""
    registry, _, path = image_uri.partition("/")
    account, _, rest = registry.partition(".dkr.ecr.")
    region = rest.split(".", 1)[0]
    repository = path.split("@", 1)[0].rsplit(":", 1)[0]
    if not (account.isdigit() and region and repository):
        raise ValueError(f"{image_uri!r} is not an ECR image URI")
    return f"arn:aws:ecr:{region}:{account}:repository/{repository}"


@dataclass(frozen=True)
class TrainingSpec:
    """Everything the training step needs, as plain values (resolved Outputs)."""

    pipeline_name: str
    region: str
    role_arn: str
    bucket: str
    kms_key_arn: str
    subnet_ids: Sequence[str]
    security_group_ids: Sequence[str]
    image_uri: str
    instance_type: str
    instance_count: int
    volume_size_gb: int
    use_spot: bool
    max_run_seconds: int
    max_wait_seconds: int
    code_key: str
    entry_point: str
    data_prefix: str
    output_prefix: str = "models/pipeline/"
    checkpoint_prefix: str = "checkpoints/pipeline/"
    hyperparameters: Mapping[str, str | int | float] = field(default_factory=dict)
    metric_definitions: Mapping[str, str] = field(default_factory=dict)
    """Metric name -> regex over the training log (the evaluation metric)."""

    def s3(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def script_hyperparameters(self) -> dict[str, str]:
        return script_hyperparameters(self.hyperparameters, self.entry_point, self.code_key, self.region)


def script_hyperparameters(
    hyperparameters: Mapping[str, str | int | float], entry_point: str, code_key: str, region: str
) -> dict[str, str]:
    """The script-mode contract of SageMaker's framework containers plus the model's own parameters (the
    SageMaker pipeline and the Step Functions pipeline pass the same ones). The training container is network
    isolated, so it cannot download its code: the archive arrives through the `code` input channel and
    `sagemaker_submit_directory` points at the local copy (what the classic SDK does under isolation)."""
    return {
        **{name: str(value) for name, value in hyperparameters.items()},
        "sagemaker_program": entry_point,
        "sagemaker_submit_directory": f"{CODE_CHANNEL_DIR}/{PurePosixPath(code_key).name}",
        "sagemaker_region": region,
    }


def pipeline_definition(spec: TrainingSpec) -> str:
    """The pipeline definition JSON exactly as `Pipeline.definition()` returns it."""
    with _offline_sdk(spec.region):
        return _sdk_definition(spec)


def _sdk_definition(spec: TrainingSpec) -> str:
    import boto3
    from sagemaker.core.workflow.parameters import ParameterString
    from sagemaker.core.workflow.pipeline_context import PipelineSession
    from sagemaker.mlops.workflow.pipeline import Pipeline
    from sagemaker.mlops.workflow.steps import TrainingStep
    from sagemaker.train import ModelTrainer
    from sagemaker.train.configs import (
        CheckpointConfig,
        Compute,
        InputData,
        Networking,
        OutputDataConfig,
        StoppingCondition,
    )

    session = PipelineSession(
        boto_session=boto3.Session(region_name=spec.region),
        default_bucket=spec.bucket,
        sagemaker_config=SDK_CONFIG,
    )
    train_uri = ParameterString(
        name="TrainDataUri", default_value=spec.s3(f"{spec.data_prefix}{TRAIN_CHANNEL}")
    )
    validation_uri = ParameterString(
        name="ValidationDataUri", default_value=spec.s3(f"{spec.data_prefix}{VALIDATION_CHANNEL}")
    )
    trainer = ModelTrainer(
        training_image=spec.image_uri,
        role=spec.role_arn,
        sagemaker_session=session,
        base_job_name=spec.pipeline_name,
        compute=Compute(
            instance_type=spec.instance_type,
            instance_count=spec.instance_count,
            volume_size_in_gb=spec.volume_size_gb,
            volume_kms_key_id=spec.kms_key_arn,
            enable_managed_spot_training=spec.use_spot,
        ),
        stopping_condition=StoppingCondition(
            max_runtime_in_seconds=spec.max_run_seconds,
            max_wait_time_in_seconds=spec.max_wait_seconds if spec.use_spot else None,
        ),
        networking=Networking(
            subnets=list(spec.subnet_ids),
            security_group_ids=list(spec.security_group_ids),
            enable_inter_container_traffic_encryption=True,
            enable_network_isolation=True,
        ),
        output_data_config=OutputDataConfig(
            s3_output_path=spec.s3(spec.output_prefix), kms_key_id=spec.kms_key_arn
        ),
        hyperparameters=spec.script_hyperparameters(),
    )
    if spec.use_spot:  # spot capacity can be reclaimed: checkpoints let an interrupted job resume
        trainer.with_checkpoint_config(CheckpointConfig(s3_uri=spec.s3(spec.checkpoint_prefix)))
    if spec.metric_definitions:
        from sagemaker.core.shapes import MetricDefinition

        trainer.with_metric_definitions(
            [MetricDefinition(name=name, regex=regex) for name, regex in spec.metric_definitions.items()]
        )
    step_args = trainer.train(
        input_data_config=[
            InputData(channel_name=TRAIN_CHANNEL, data_source=train_uri, content_type="text/csv"),
            InputData(channel_name=VALIDATION_CHANNEL, data_source=validation_uri, content_type="text/csv"),
            InputData(channel_name=CODE_CHANNEL, data_source=spec.s3(spec.code_key)),
        ]
    )
    pipeline = Pipeline(
        name=spec.pipeline_name,
        parameters=[train_uri, validation_uri],
        steps=[TrainingStep(name="TrainModel", step_args=step_args)],
        sagemaker_session=session,
    )
    return str(pipeline.definition())
