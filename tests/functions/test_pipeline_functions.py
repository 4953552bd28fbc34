"""The ML pipeline's Lambdas (DataPreprocessing, EvaluateModel) against moto S3 and SageMaker."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import boto3
import pytest
from moto_env import DATA_KEY_ARN, REGION, make_bucket

from functions.evaluate import handler as ev
from functions.preprocess import handler as pp

DATASETS, ARTIFACTS = "processed-bucket", "artifacts-bucket"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"


def dataset(rows: int, extra: str = "") -> bytes:
    lines = ["tenure,spend,churned"] + [f"{i},{i * 10},{i % 2}" for i in range(rows)]
    return ("\n".join(lines) + "\n" + extra).encode()


@pytest.fixture
def pre(s3: Any) -> pp.Deps:
    make_bucket(s3, DATASETS)
    make_bucket(s3, ARTIFACTS)
    return pp.Deps(pp.Settings(DATASETS, ARTIFACTS, DATA_KEY_ARN, "data-ai-platform-dev-train"), s3)


def read_csv(s3: Any, uri: str, name: str) -> list[list[str]]:
    key = uri.removeprefix(f"s3://{ARTIFACTS}/") + f"/{name}"
    return list(csv.reader(io.StringIO(s3.get_object(Bucket=ARTIFACTS, Key=key)["Body"].read().decode())))


def test_preprocess_splits_and_reorders_label_first(pre: pp.Deps, s3: Any) -> None:
    s3.put_object(Bucket=DATASETS, Key="datasets/churn.csv", Body=dataset(20, "99,,1\n1,2\n"))
    event = {
        "input": {"dataset_key": "datasets/churn.csv", "label_column": "churned"},
        "execution_name": "run_7",
    }

    result = pp.process(event, pre)

    assert result["run_id"] == "run-7"
    assert result["training_job_name"] == "data-ai-platform-dev-train-run-7"
    assert result["train_uri"] == f"s3://{ARTIFACTS}/training/run-7/train"
    assert result["validation_uri"] == f"s3://{ARTIFACTS}/training/run-7/validation"
    assert result["output_uri"] == f"s3://{ARTIFACTS}/models/run-7"
    assert result["rows"] == {"train": 16, "validation": 4, "dropped": 2}
    train = read_csv(s3, result["train_uri"], "train.csv")
    validation = read_csv(s3, result["validation_uri"], "validation.csv")
    assert len(train) == 16 and len(validation) == 4
    expected = {(str(i % 2), str(i), str(i * 10)) for i in range(20)}
    assert {tuple(r) for r in train} | {tuple(r) for r in validation} == expected
    schema = json.loads(s3.get_object(Bucket=ARTIFACTS, Key="training/run-7/schema.json")["Body"].read())
    assert schema == {"label": "churned", "features": ["tenure", "spend"], "source": "datasets/churn.csv"}
    head = s3.head_object(Bucket=ARTIFACTS, Key="training/run-7/train/train.csv")
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", DATA_KEY_ARN)


def test_preprocess_split_is_deterministic() -> None:
    first = pp.split_dataset(dataset(30).decode(), None, 20, 10)
    second = pp.split_dataset(dataset(30).decode(), None, 20, 10)
    assert first == second
    assert first.columns == ["churned", "tenure", "spend"]  # label defaults to the last column


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ("nope", 'expected {"input": {...}, "execution_name": "..."} from the state machine'),
        (
            {"input": {"dataset_key": "datasets/d.parquet"}, "execution_name": "r"},
            'execution input "dataset_key" must name a .csv object in the datasets bucket, '
            "got 'datasets/d.parquet'",
        ),
        (
            {"input": {"dataset_key": "datasets/d.csv", "label_column": 3}, "execution_name": "r"},
            'execution input "label_column" must be a column name, got 3',
        ),
        (
            {"input": {"dataset_key": "datasets/d.csv"}},
            "execution_name is missing: the state must pass $$.Execution.Name",
        ),
        (
            {"input": {"dataset_key": "chunks/d.csv"}, "execution_name": "r"},
            "execution input \"dataset_key\" must be under 'datasets/', got 'chunks/d.csv'",
        ),
    ],
)
def test_preprocess_rejects_bad_input(pre: pp.Deps, event: Any, message: str) -> None:
    with pytest.raises(pp.InvalidInputError) as caught:
        pp.process(event, pre)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("body", "label", "message"),
    [
        (b"only\n1\n", None, "the dataset needs a header row with a label column and at least one feature"),
        (dataset(20), "target", "label column 'target' is not in the header ['tenure', 'spend', 'churned']"),
        (dataset(5), None, "only 5 complete rows (of 5); at least 10 are needed"),
        (b"\xff\xfe\x00", None, "dataset datasets/d.csv is not UTF-8 text"),
    ],
)
def test_preprocess_rejects_unusable_datasets(
    pre: pp.Deps, s3: Any, body: bytes, label: str | None, message: str
) -> None:
    s3.put_object(Bucket=DATASETS, Key="datasets/d.csv", Body=body)
    with pytest.raises(pp.DatasetError) as caught:
        pp.process(
            {"input": {"dataset_key": "datasets/d.csv", "label_column": label}, "execution_name": "r"}, pre
        )
    assert str(caught.value) == message


def test_preprocess_missing_dataset_names_the_object(pre: pp.Deps) -> None:
    with pytest.raises(pp.DatasetError, match=f"dataset s3://{DATASETS}/datasets/gone.csv does not exist"):
        pp.process({"input": {"dataset_key": "datasets/gone.csv"}, "execution_name": "r"}, pre)


@pytest.mark.parametrize(
    ("prefix", "run_id", "expected"),
    [
        ("p", "abc", "p-abc"),
        ("p", "a_b.c--d", "p-a-b-c-d"),
        (
            "p",
            "x" * 80,
            "p-" + "x" * 52 + "-" + pp.hashlib.sha256(("p-" + "x" * 80).encode()).hexdigest()[:8],
        ),
    ],
)
def test_job_names_are_valid_sagemaker_names(prefix: str, run_id: str, expected: str) -> None:
    name = pp.job_name(prefix, run_id)
    assert name == expected
    assert len(name) <= 63 and pp.re.fullmatch(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", name)


# --- evaluate -----------------------------------------------------------------------------------------------


@pytest.fixture
def evaluation(s3: Any) -> ev.Deps:
    make_bucket(s3, ARTIFACTS)
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    sagemaker.create_model_package_group(ModelPackageGroupName="models")
    return ev.Deps(ev.Settings(ARTIFACTS, DATA_KEY_ARN, "models", IMAGE, threshold=0.8), s3, sagemaker)


def training(accuracy: float | None, status: str = "Completed") -> dict[str, Any]:
    metrics = [] if accuracy is None else [{"MetricName": "validation:accuracy", "Value": accuracy}]
    return {
        "TrainingJobName": "data-ai-platform-dev-train-run-7",
        "TrainingJobStatus": status,
        "ModelArtifacts": {"S3ModelArtifacts": f"s3://{ARTIFACTS}/models/run-7/output/model.tar.gz"},
        "FinalMetricDataList": [*metrics, {"MetricName": "train:loss", "Value": 0.2}],
    }


def test_passing_model_is_registered_pending_approval(evaluation: ev.Deps, s3: Any) -> None:
    result = ev.process({"preprocess": {}, "training": training(0.91)}, evaluation)

    assert result["passed"] is True and result["value"] == 0.91
    package = evaluation.sagemaker.describe_model_package(ModelPackageName=result["model_package_arn"])
    assert package["ModelPackageGroupName"] == "models"
    assert package["ModelApprovalStatus"] == "PendingManualApproval"
    container = package["InferenceSpecification"]["Containers"][0]
    assert container == {"Image": IMAGE, "ModelDataUrl": f"s3://{ARTIFACTS}/models/run-7/output/model.tar.gz"}
    report_key = "evaluation/data-ai-platform-dev-train-run-7.json"
    assert result["report_uri"] == f"s3://{ARTIFACTS}/{report_key}"
    report = json.loads(s3.get_object(Bucket=ARTIFACTS, Key=report_key)["Body"].read())
    assert report["passed"] is True and report["metrics"] == {"validation:accuracy": 0.91, "train:loss": 0.2}


def test_failing_model_is_rejected_after_the_report(evaluation: ev.Deps, s3: Any) -> None:
    with pytest.raises(ev.ModelRejectedError) as caught:
        ev.process({"training": training(0.5)}, evaluation)

    assert str(caught.value) == (
        "validation:accuracy 0.5 misses the threshold (>= 0.8) for data-ai-platform-dev-train-run-7; "
        f"report: s3://{ARTIFACTS}/evaluation/data-ai-platform-dev-train-run-7.json"
    )
    report = s3.get_object(Bucket=ARTIFACTS, Key="evaluation/data-ai-platform-dev-train-run-7.json")
    assert json.loads(report["Body"].read())["passed"] is False
    assert (
        evaluation.sagemaker.list_model_packages(ModelPackageGroupName="models")["ModelPackageSummaryList"]
        == []
    )


def test_minimize_goal_passes_below_the_threshold() -> None:
    assert ev.passes(0.1, 0.2, "minimize") and not ev.passes(0.3, 0.2, "minimize")
    assert ev.passes(0.8, 0.8, "maximize") and not ev.passes(0.79, 0.8, "maximize")


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {"training": training(None)},
            "training job data-ai-platform-dev-train-run-7 reported no metric 'validation:accuracy' "
            "(reported: ['train:loss'])",
        ),
        (
            {"training": training(0.9, status="Stopped")},
            "training job 'data-ai-platform-dev-train-run-7' is 'Stopped', not Completed",
        ),
        ({}, 'expected {"training": <DescribeTrainingJob result>, ...} from the state machine'),
    ],
)
def test_unevaluable_results_raise_a_clear_error(evaluation: ev.Deps, event: Any, message: str) -> None:
    with pytest.raises(ev.EvaluationError) as caught:
        ev.process(event, evaluation)
    assert str(caught.value) == message


def test_evaluate_settings_reject_an_unknown_goal() -> None:
    env = {
        "ARTIFACTS_BUCKET": "a",
        "DATA_KEY_ARN": "k",
        "MODEL_PACKAGE_GROUP": "g",
        "INFERENCE_IMAGE": "i",
        "METRIC_GOAL": "max",
    }
    with pytest.raises(ValueError, match=r"METRIC_GOAL must be one of \('maximize', 'minimize'\), got 'max'"):
        ev.Settings.from_env(env)
