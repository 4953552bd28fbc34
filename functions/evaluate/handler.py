"""EvaluateModel, the last state of the ML pipeline: gate the trained model on its validation metric.

Step Functions passes `{"preprocess": <DataPreprocessing result>, "training": <DescribeTrainingJob result>}`
(the `.sync` integration returns the job description). The function reads the metric `METRIC_NAME` from the
job's `FinalMetricDataList` (the training script prints it; the TrainModel state's metric definition extracts
it), compares it with `METRIC_THRESHOLD` (`METRIC_GOAL` `maximize`: value >= threshold passes; `minimize`:
value <= threshold passes) and writes an evaluation report to
`s3://<ARTIFACTS_BUCKET>/evaluation/<training job>.json`.

A passing model is registered in the model package group `MODEL_PACKAGE_GROUP` with status
`PendingManualApproval` (a person approves deployment) and the report attached as its model-quality metrics.
A failing model raises `ModelRejectedError` after the report is written, and a job without the metric raises
`EvaluationError`: the state machine catches both, notifies the alerts topic and fails the execution.

Environment: `ARTIFACTS_BUCKET`, `DATA_KEY_ARN`, `MODEL_PACKAGE_GROUP`, `INFERENCE_IMAGE`, `METRIC_NAME`
(default `validation:accuracy`), `METRIC_THRESHOLD` (default 0.8), `METRIC_GOAL` (default `maximize`).
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

GOALS = ("maximize", "minimize")


class EvaluationError(ValueError):
    """The training result cannot be evaluated (no metric, unfinished job, malformed input)."""


class ModelRejectedError(Exception):
    """The model's metric misses the threshold; the model is not registered."""


@dataclass(frozen=True)
class Settings:
    artifacts_bucket: str
    data_key_arn: str
    model_package_group: str
    inference_image: str
    metric_name: str = "validation:accuracy"
    threshold: float = 0.8
    goal: str = "maximize"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        names = ("ARTIFACTS_BUCKET", "DATA_KEY_ARN", "MODEL_PACKAGE_GROUP", "INFERENCE_IMAGE")
        missing = [n for n in names if not env.get(n)]
        if missing:
            raise ValueError(f"environment variables not set: {', '.join(missing)}")
        goal = env.get("METRIC_GOAL", "maximize")
        if goal not in GOALS:
            raise ValueError(f"METRIC_GOAL must be one of {GOALS}, got {goal!r}")
        return cls(
            artifacts_bucket=env["ARTIFACTS_BUCKET"],
            data_key_arn=env["DATA_KEY_ARN"],
            model_package_group=env["MODEL_PACKAGE_GROUP"],
            inference_image=env["INFERENCE_IMAGE"],
            metric_name=env.get("METRIC_NAME", "validation:accuracy"),
            threshold=float(env.get("METRIC_THRESHOLD", "0.8")),
            goal=goal,
        )


@dataclass(frozen=True)
class TrainingResult:
    job_name: str
    model_data_url: str
    metrics: dict[str, float]


def parse_training(event: Any) -> TrainingResult:
    training = event.get("training") if isinstance(event, Mapping) else None
    if not isinstance(training, Mapping):
        raise EvaluationError(
            'expected {"training": <DescribeTrainingJob result>, ...} from the state machine'
        )
    status = training.get("TrainingJobStatus")
    if status != "Completed":
        raise EvaluationError(
            f"training job {training.get('TrainingJobName')!r} is {status!r}, not Completed"
        )
    artifacts = training.get("ModelArtifacts")
    model_data = artifacts.get("S3ModelArtifacts") if isinstance(artifacts, Mapping) else None
    if not isinstance(model_data, str):
        raise EvaluationError("the training result has no ModelArtifacts.S3ModelArtifacts")
    metrics = {
        str(m["MetricName"]): _metric_value(m["MetricName"], m["Value"])
        for m in training.get("FinalMetricDataList") or []
        if isinstance(m, Mapping) and "MetricName" in m and "Value" in m
    }
    return TrainingResult(str(training.get("TrainingJobName")), model_data, metrics)


def _metric_value(name: Any, raw: Any) -> float:
    """A metric as a finite number; `inf`/`nan` (which compare wrongly against any threshold) are refused."""
    if isinstance(raw, bool):
        raise EvaluationError(f"metric {name!r} is {raw!r}, not a number")
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        raise EvaluationError(f"metric {name!r} is {str(raw)[:60]!r}, not a number") from None
    if not math.isfinite(value):
        raise EvaluationError(f"metric {name!r} is {value}, not a finite number; the model cannot be judged")
    return value


def passes(value: float, threshold: float, goal: str) -> bool:
    return value >= threshold if goal == "maximize" else value <= threshold


@dataclass(frozen=True)
class Deps:
    settings: Settings
    s3: Any
    sagemaker: Any


@cache
def _deps() -> Deps:
    return Deps(Settings.from_env(os.environ), boto3.client("s3"), boto3.client("sagemaker"))


def _write_report(deps: Deps, report: dict[str, Any]) -> str:
    key = f"evaluation/{report['training_job_name']}.json"
    deps.s3.put_object(
        Bucket=deps.settings.artifacts_bucket,
        Key=key,
        Body=json.dumps(report, indent=2).encode(),
        ContentType="application/json",
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=deps.settings.data_key_arn,
    )
    return f"s3://{deps.settings.artifacts_bucket}/{key}"


def _register(deps: Deps, result: TrainingResult, report_uri: str) -> str:
    response = deps.sagemaker.create_model_package(
        ModelPackageGroupName=deps.settings.model_package_group,
        ModelPackageDescription=f"Trained by {result.job_name}",
        ModelApprovalStatus="PendingManualApproval",
        InferenceSpecification={
            "Containers": [{"Image": deps.settings.inference_image, "ModelDataUrl": result.model_data_url}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelMetrics={
            "ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": report_uri}}
        },
        CustomerMetadataProperties={"training_job": result.job_name},
    )
    return str(response["ModelPackageArn"])


def process(event: Any, deps: Deps) -> dict[str, Any]:
    settings = deps.settings
    result = parse_training(event)
    if settings.metric_name not in result.metrics:
        raise EvaluationError(
            f"training job {result.job_name} reported no metric {settings.metric_name!r} "
            f"(reported: {sorted(result.metrics)})"
        )
    value = result.metrics[settings.metric_name]
    passed = passes(value, settings.threshold, settings.goal)
    report = {
        "training_job_name": result.job_name,
        "model_data_url": result.model_data_url,
        "metric": settings.metric_name,
        "value": value,
        "threshold": settings.threshold,
        "goal": settings.goal,
        "passed": passed,
        "metrics": result.metrics,
    }
    report_uri = _write_report(deps, report)
    comparison = ">=" if settings.goal == "maximize" else "<="
    if not passed:
        raise ModelRejectedError(
            f"{settings.metric_name} {value} misses the threshold ({comparison} {settings.threshold}) for "
            f"{result.job_name}; report: {report_uri}"
        )
    package_arn = _register(deps, result, report_uri)
    LOG.info("%s passed (%s=%s); registered %s", result.job_name, settings.metric_name, value, package_arn)
    return {
        "passed": True,
        "metric": settings.metric_name,
        "value": value,
        "report_uri": report_uri,
        "model_package_arn": package_arn,
    }


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point."""
    return process(event, _deps())
