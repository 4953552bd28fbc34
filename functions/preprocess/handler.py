"""DataPreprocessing, the first state of the ML pipeline: validate a CSV dataset and split it for training.

Step Functions passes `{"input": <execution input>, "execution_name": "<name>"}`. The execution input names a
CSV object under `DATASETS_PREFIX` in the datasets bucket (the processed bucket), e.g. `{"dataset_key":
"datasets/churn.csv", "label_column": "churned"}`; `label_column` defaults to the last column.

The function drops rows that have the wrong number of cells or an empty cell, then splits the rest
deterministically (by a hash of each row, so a re-run gives the same split) into `VALIDATION_PERCENT` %
validation and the rest training. It writes header-less CSVs with the label first (the layout SageMaker's
scikit-learn and built-in algorithms read) plus `schema.json` with the column order to
`s3://<ARTIFACTS_BUCKET>/training/<run_id>/`, and returns what the TrainModel state needs: the training job
name (`<TRAINING_JOB_PREFIX>-<run_id>`, a valid SageMaker name), the channel URIs and the model output URI.

Input problems raise `InvalidInputError`, dataset problems `DatasetError`; the state machine does not retry
them, it notifies the alerts topic and fails.

Environment: `DATASETS_BUCKET`, `DATASETS_PREFIX` (default `datasets/`), `ARTIFACTS_BUCKET`, `DATA_KEY_ARN`,
`TRAINING_JOB_PREFIX`, `VALIDATION_PERCENT` (default 20), `MIN_ROWS` (default 10).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

MAX_JOB_NAME = 63


class InvalidInputError(ValueError):
    """The execution input does not say which dataset to use."""


class DatasetError(ValueError):
    """The dataset cannot be used for training."""


@dataclass(frozen=True)
class Settings:
    datasets_bucket: str
    artifacts_bucket: str
    data_key_arn: str
    job_prefix: str
    validation_percent: int = 20
    min_rows: int = 10
    datasets_prefix: str = "datasets/"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        missing = [
            n
            for n in ("DATASETS_BUCKET", "ARTIFACTS_BUCKET", "DATA_KEY_ARN", "TRAINING_JOB_PREFIX")
            if not env.get(n)
        ]
        if missing:
            raise ValueError(f"environment variables not set: {', '.join(missing)}")
        percent = int(env.get("VALIDATION_PERCENT", "20"))
        if not 0 < percent < 100:
            raise ValueError(f"VALIDATION_PERCENT must be between 1 and 99, got {percent}")
        return cls(
            env["DATASETS_BUCKET"],
            env["ARTIFACTS_BUCKET"],
            env["DATA_KEY_ARN"],
            env["TRAINING_JOB_PREFIX"],
            percent,
            int(env.get("MIN_ROWS", "10")),
            env.get("DATASETS_PREFIX", "datasets/"),
        )


@dataclass(frozen=True)
class Request:
    dataset_key: str
    label_column: str | None
    run_id: str


def job_name(prefix: str, run_id: str) -> str:
    """`<prefix>-<run_id>` as a valid SageMaker job name (alphanumerics and single hyphens, at most 63 chars);
    a long name is cut and suffixed with a hash of the whole name so it stays unique."""
    name = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9-]", "-", f"{prefix}-{run_id}")).strip("-")
    if len(name) <= MAX_JOB_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_JOB_NAME - 9].rstrip('-')}-{digest}"


def parse_request(event: Any) -> Request:
    if not isinstance(event, Mapping) or not isinstance(event.get("input"), Mapping):
        raise InvalidInputError('expected {"input": {...}, "execution_name": "..."} from the state machine')
    execution_input, execution_name = event["input"], event.get("execution_name")
    dataset_key, label = execution_input.get("dataset_key"), execution_input.get("label_column")
    if not isinstance(dataset_key, str) or not dataset_key.lower().endswith(".csv"):
        raise InvalidInputError(
            f'execution input "dataset_key" must name a .csv object in the datasets bucket, '
            f"got {dataset_key!r}"
        )
    if label is not None and (not isinstance(label, str) or not label):
        raise InvalidInputError(f'execution input "label_column" must be a column name, got {label!r}')
    if not isinstance(execution_name, str) or not execution_name:
        raise InvalidInputError("execution_name is missing: the state must pass $$.Execution.Name")
    return Request(dataset_key, label, re.sub(r"[^A-Za-z0-9-]", "-", execution_name))


@dataclass(frozen=True)
class Split:
    columns: list[str]  # label first
    train: list[list[str]]
    validation: list[list[str]]
    dropped: int


def _row_hash(row: list[str]) -> str:
    return hashlib.sha256("\x1f".join(row).encode()).hexdigest()


def split_dataset(text: str, label: str | None, validation_percent: int, min_rows: int) -> Split:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or len(rows[0]) < 2:
        raise DatasetError("the dataset needs a header row with a label column and at least one feature")
    header, body = [h.strip() for h in rows[0]], rows[1:]
    label = label or header[-1]
    if label not in header:
        raise DatasetError(f"label column {label!r} is not in the header {header}")
    order = [header.index(label)] + [i for i, name in enumerate(header) if name != label]
    good = [
        [row[i].strip() for i in order]
        for row in body
        if len(row) == len(header) and all(cell.strip() for cell in row)
    ]
    if len(good) < min_rows:
        raise DatasetError(f"only {len(good)} complete rows (of {len(body)}); at least {min_rows} are needed")
    count = max(1, math.floor(len(good) * validation_percent / 100))
    chosen = set(sorted(range(len(good)), key=lambda i: _row_hash(good[i]))[:count])
    return Split(
        columns=[header[i] for i in order],
        train=[row for i, row in enumerate(good) if i not in chosen],
        validation=[row for i, row in enumerate(good) if i in chosen],
        dropped=len(body) - len(good),
    )


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@dataclass(frozen=True)
class Deps:
    settings: Settings
    s3: Any


@cache
def _deps() -> Deps:
    return Deps(Settings.from_env(os.environ), boto3.client("s3"))


def _put(deps: Deps, key: str, body: bytes, content_type: str) -> str:
    deps.s3.put_object(
        Bucket=deps.settings.artifacts_bucket,
        Key=key,
        Body=body,
        ContentType=content_type,
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=deps.settings.data_key_arn,
    )
    return f"s3://{deps.settings.artifacts_bucket}/{key}"


def _read_dataset(deps: Deps, key: str) -> str:
    try:
        body = deps.s3.get_object(Bucket=deps.settings.datasets_bucket, Key=key)["Body"].read()
    except deps.s3.exceptions.NoSuchKey:
        raise DatasetError(f"dataset s3://{deps.settings.datasets_bucket}/{key} does not exist") from None
    try:
        return str(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DatasetError(f"dataset {key} is not UTF-8 text") from None


def process(event: Any, deps: Deps) -> dict[str, Any]:
    request = parse_request(event)
    settings = deps.settings
    if not request.dataset_key.startswith(settings.datasets_prefix):
        raise InvalidInputError(
            f'execution input "dataset_key" must be under {settings.datasets_prefix!r}, '
            f"got {request.dataset_key!r}"
        )
    split = split_dataset(
        _read_dataset(deps, request.dataset_key),
        request.label_column,
        settings.validation_percent,
        settings.min_rows,
    )
    prefix = f"training/{request.run_id}"
    schema = {"label": split.columns[0], "features": split.columns[1:], "source": request.dataset_key}
    result = {
        "run_id": request.run_id,
        "training_job_name": job_name(settings.job_prefix, request.run_id),
        "train_uri": _put(deps, f"{prefix}/train/train.csv", _csv(split.train), "text/csv").rsplit("/", 1)[0],
        "validation_uri": _put(
            deps, f"{prefix}/validation/validation.csv", _csv(split.validation), "text/csv"
        ).rsplit("/", 1)[0],
        "schema_uri": _put(deps, f"{prefix}/schema.json", json.dumps(schema).encode(), "application/json"),
        "output_uri": f"s3://{settings.artifacts_bucket}/models/{request.run_id}",
        "label_column": split.columns[0],
        "rows": {"train": len(split.train), "validation": len(split.validation), "dropped": split.dropped},
    }
    LOG.info("run %s: %s", request.run_id, json.dumps(result["rows"]))
    return result


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point."""
    return process(event, _deps())
