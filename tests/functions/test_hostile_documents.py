"""Hostile uploads under moto: every object still ends in a record (`unsupported` with the reason), never an
exception that would retry the event into the dead-letter queue; the evaluate step refuses non-finite or
non-numeric metrics with a clear error."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto_env import DATA_KEY_ARN, make_bucket, make_documents_table

from functions.document_processor import handler as dp
from functions.evaluate import handler as ev

RAW, PROCESSED, ARTIFACTS = "raw-bucket", "processed-bucket", "artifacts-bucket"


@pytest.fixture
def deps(s3: Any) -> dp.Deps:
    make_bucket(s3, RAW)
    make_bucket(s3, PROCESSED)
    make_documents_table()
    env = {
        "PROCESSED_BUCKET": PROCESSED,
        "DOCUMENTS_TABLE": "documents",
        "DATA_KEY_ARN": DATA_KEY_ARN,
        "CHUNK_SIZE_CHARS": "1000",
        "CHUNK_OVERLAP_CHARS": "100",
    }
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("documents")
    return dp.Deps(dp.Settings.from_env(env), s3, table)


def _event(key: str) -> dict[str, Any]:
    return {
        "detail-type": "Object Created",
        "source": "aws.s3",
        "detail": {"bucket": {"name": RAW}, "object": {"key": key, "size": 10}},
    }


HOSTILE: list[tuple[str, str, bytes, str]] = [
    (
        "json-nested-100000-deep",
        "deep.json",
        b"[" * 100_000 + b"]" * 100_000,
        "JSON nested too deeply to read",
    ),
    (
        "json-5000-digit-integer",
        "big.json",
        b'{"n": ' + b"9" * 5000 + b"}",
        "unreadable json: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 "
        "digits; use sys.set_int_max_str_digits() to increase the limit",
    ),
    (
        "csv-cell-over-131072-chars",
        "wide.csv",
        b"a,b\n" + b"x" * 131_073 + b",1\n",
        "malformed CSV: field larger than field limit (131072)",
    ),
    (
        "json-lone-surrogate",
        "surrogate.json",
        b'{"text": "before \\ud800 after"}',
        "invalid Unicode: lone surrogate U+D800 at character 13",
    ),
]


@pytest.mark.parametrize(("key", "body", "reason"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_document_is_recorded_as_unsupported(
    deps: dp.Deps, s3: Any, key: str, body: bytes, reason: str
) -> None:
    s3.put_object(Bucket=RAW, Key=key, Body=body)

    record = dp.process(_event(key), deps)

    stored = deps.table.get_item(Key={"document_id": record["document_id"]})["Item"]
    assert (stored["status"], stored["reason"]) == ("unsupported", reason)
    assert int(stored["chunk_count"]) == 0 and "chunks_key" not in stored
    assert s3.list_objects_v2(Bucket=PROCESSED)["KeyCount"] == 0


def _training(value: Any) -> dict[str, Any]:
    return {
        "TrainingJobName": "run-7",
        "TrainingJobStatus": "Completed",
        "ModelArtifacts": {"S3ModelArtifacts": f"s3://{ARTIFACTS}/models/run-7/model.tar.gz"},
        "FinalMetricDataList": [{"MetricName": "validation:accuracy", "Value": value}],
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("inf", "metric 'validation:accuracy' is inf, not a finite number; the model cannot be judged"),
        (
            float("nan"),
            "metric 'validation:accuracy' is nan, not a finite number; the model cannot be judged",
        ),
        (
            "-Infinity",
            "metric 'validation:accuracy' is -inf, not a finite number; the model cannot be judged",
        ),
        ("high", "metric 'validation:accuracy' is 'high', not a number"),
        ([0.9], "metric 'validation:accuracy' is '[0.9]', not a number"),
        (True, "metric 'validation:accuracy' is True, not a number"),
    ],
)
def test_evaluate_refuses_non_finite_and_non_numeric_metrics(s3: Any, value: Any, message: str) -> None:
    make_bucket(s3, ARTIFACTS)
    deps = ev.Deps(ev.Settings(ARTIFACTS, DATA_KEY_ARN, "models", "image"), s3, None)
    with pytest.raises(ev.EvaluationError) as caught:
        ev.process({"training": _training(value)}, deps)
    assert str(caught.value) == message
