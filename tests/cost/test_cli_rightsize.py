"""`python -m cost rightsize`: CloudWatch of a deployed stack (moto) or the usage file, and its errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import boto3
import jsonschema
import pytest
from moto import mock_aws
from test_cli_support import write_export, write_program
from test_rightsizing import deployed_metrics

from cost import cli
from cost.render.jsonfmt import SCHEMA_PATH


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    program = write_program(tmp_path / "program", {"prod": "aws:region: us-east-1"})
    return write_export(tmp_path / "prod.json"), program


def validate(doc: object) -> None:
    schema = json.loads((SCHEMA_PATH.parent / "rightsize.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_from_cloudwatch_over_n_days(capsys, paths, monkeypatch) -> None:
    export, program = paths
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    with mock_aws():
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        deployed_metrics(boto3.client("cloudwatch", region_name="us-east-1"), end=end)
        args = ("rightsize", "--state", str(export), "--program", str(program), "--format", "json")
        code, out, err = run(capsys, *args, "--days", "3")
    doc = json.loads(out)
    validate(doc)
    assert (code, err) == (0, "")
    assert (doc["source"], doc["days"], doc["total_monthly_saving_usd"]) == ("cloudwatch", 3, "225.7598")
    assert [
        (r["name"], r["action"], r["proposed"], r["monthly_saving_usd"]) for r in doc["recommendations"]
    ] == [
        ("prod-endpoint", "downsize", "ml.m5.large", "167.9"),
        ("prod-db", "downsize", "db.m5.large", "129.94"),
        ("rag-api", "upsize", "2 vCPU / 4 GB", "-72.0802"),
    ]
    assert doc["recommendations"][1]["memory_percent"] == "12.5"


def test_from_the_usage_file(capsys, paths) -> None:
    export, program = paths
    (program / "usage.prod.yaml").write_text(
        "version: 1\nresources:\n  rag-api:\n    utilization: {cpuPercent: 20, memoryPercent: 25}\n"
    )
    code, out, _ = run(
        capsys,
        "rightsize",
        "--state",
        str(export),
        "--program",
        str(program),
        "--from-usage",
        "--format",
        "markdown",
    )
    assert code == 0
    assert out.splitlines()[:3] == [
        "## Right-sizing for data-ai-platform/prod (usage file utilization)",
        "",
        "**Total monthly saving: $36.04**",
    ]
    assert (
        "| rag-api | ECS service | 1 vCPU / 2 GB | downsize | 0.5 vCPU / 1 GB | $36.04 | mostly idle, "
        "CPU 20%, memory 25% (usage file) (below 30%) |" in out
    )


def test_from_usage_without_a_usage_file_exits_2(capsys, paths) -> None:
    export, program = paths
    code, _, err = run(capsys, "rightsize", "--state", str(export), "--program", str(program), "--from-usage")
    assert code == 2
    assert err == (
        "error: --from-usage needs a usage file with `utilization` figures: pass --usage FILE or create "
        "usage.prod.yaml next to Pulumi.prod.yaml.\n"
    )


def test_no_credentials_exit_2_with_what_to_configure(capsys, paths, monkeypatch, tmp_path) -> None:
    export, program = paths
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, _, err = run(capsys, "rightsize", "--state", str(export), "--program", str(program))
    assert code == 2
    assert err == (
        "error: cannot call AWS in us-east-1: Unable to locate credentials. Configure credentials "
        "(AWS_PROFILE or the AWS_* environment variables) with cloudwatch:GetMetricData and "
        "ec2:DescribeInstanceTypes.\n"
    )


def test_days_and_from_usage_are_exclusive(capsys, paths) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["rightsize", "--state", str(paths[0]), "--days", "3", "--from-usage"])
    assert caught.value.code == 2
    assert "argument --from-usage: not allowed with argument --days" in capsys.readouterr().err
