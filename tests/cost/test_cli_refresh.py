"""`python -m cost refresh` is wired to `cost.refresh` (its own tests cover the Price List parsing)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from cost import cli, refresh


def test_options_reach_the_refresh_and_its_summary_is_printed(capsys, monkeypatch, tmp_path: Path) -> None:
    seen: list[argparse.Namespace] = []

    def fake_run(args: argparse.Namespace) -> refresh.RefreshResult:
        seen.append(args)
        return refresh.RefreshResult(
            output=args.output,
            filled=["us-east-1:fargate_spot.linux_x86.vcpu_hour"],
            missing=["eu-west-1:sagemaker.hosting.ml.m5.large: no product matches"],
        )

    monkeypatch.setattr(refresh, "run", fake_run)
    out_path = tmp_path / "catalog.json"
    code = cli.main(
        [
            "refresh",
            "--source",
            "query",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "--output",
            str(out_path),
        ]
    )
    assert code == 0
    assert (seen[0].source, seen[0].regions, seen[0].output) == (
        "query",
        ["us-east-1", "eu-west-1"],
        out_path,
    )
    assert capsys.readouterr().out == (
        f"{out_path}: 1 prices filled, 0 changed, 0 confirmed, 1 not found\n"
        "  not found: eu-west-1:sagemaker.hosting.ml.m5.large: no product matches\n"
    )


def test_refresh_errors_exit_2(capsys, monkeypatch) -> None:
    def failing(_args: argparse.Namespace) -> refresh.RefreshResult:
        raise refresh.RefreshError("cannot read the price catalog nope.json: missing")

    monkeypatch.setattr(refresh, "run", failing)
    assert cli.main(["refresh"]) == 2
    assert capsys.readouterr().err == "error: cannot read the price catalog nope.json: missing\n"


def test_unknown_source_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["refresh", "--source", "ftp"])
    assert caught.value.code == 2
