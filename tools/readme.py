"""Regenerate the README's generated sections from the stack files and from our own commands.

    .venv/bin/python tools/readme.py            # rewrite the sections in README.md
    .venv/bin/python tools/readme.py --check    # exit 1 when README.md is out of date

Sections (each between `<!-- NAME:start -->` and `<!-- NAME:end -->`):
- `stacks`: the per-stack settings table, read through the validated stack config;
- `pr-samples` (only with `--samples`, it synthesizes three programs): the pull-request policy comment
  (`python -m policies.check --format markdown`) and the cost-diff comment (`python -m cost diff --format
  markdown`) for a sample change, produced by running those commands.

The benchmark section (`bench`) is written by `bench/bench.py`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from components.config import PROJECT, StackConfig, build_stack_config  # noqa: E402

STACKS = ("dev", "staging", "prod")

# The sample pull request: prod's API gets twice the task size and the endpoint a larger instance type.
SAMPLE_CHANGE = (
    (
        "      instanceType: ml.m5.xlarge\n      initialInstanceCount: 2",
        "      instanceType: ml.m5.2xlarge\n      initialInstanceCount: 2",
    ),
    ("        cpu: 1024\n        memoryMib: 2048", "        cpu: 2048\n        memoryMib: 4096"),
)


def load_stack(stack: str) -> StackConfig:
    raw = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())["config"]
    values = {k.split(":", 1)[1]: v for k, v in raw.items() if k.startswith(f"{PROJECT}:")}
    return build_stack_config(stack, raw.get("aws:region"), values)


def _services(cfg: StackConfig) -> str:
    return "<br>".join(
        f"{s.name}: {s.cpu} CPU units / {s.memory_mib} MiB, {s.min_count}..{s.max_count} tasks"
        for s in cfg.containers.services
    )


def _embeddings(cfg: StackConfig) -> str:
    e = cfg.embeddings
    if e.provider == "bedrock":
        return f"Bedrock {e.bedrock_model_id}"
    if e.hosting == "serverless":
        return f"SageMaker TEI {e.tei_version}, serverless {e.serverless.memory_mb} MB"
    i = e.instances
    return f"SageMaker TEI {e.tei_version}, {i.instance_type}, {i.min_capacity}..{i.max_capacity} instances"


ROWS: tuple[tuple[str, Callable[[StackConfig], object]], ...] = (
    ("Region", lambda c: c.region),
    ("AWS account (providers pinned to it)", lambda c: c.account_id or "any (not pinned)"),
    ("Stateful resources protected", lambda c: "yes (KMS keys also retained)" if c.protect else "no"),
    ("AZs / NAT gateways", lambda c: f"{c.network.az_count} / {c.network.nat_gateways}"),
    ("Interface endpoints", lambda c: "on" if c.network.interface_endpoints else "off"),
    ("ALB ingress CIDRs", lambda c: ", ".join(c.network.alb_ingress_cidrs)),
    (
        "RDS class, Multi-AZ",
        lambda c: f"{c.database.instance_class}, {'yes' if c.database.multi_az else 'no'}",
    ),
    (
        "RDS deletion protection, backups",
        lambda c: (
            f"{'on' if c.database.deletion_protection else 'off'}, {c.database.backup_retention_days} days"
        ),
    ),
    (
        "DynamoDB billing, PITR",
        lambda c: f"{c.sessions.billing_mode}, {'on' if c.sessions.point_in_time_recovery else 'off'}",
    ),
    ("Disaster recovery", lambda c: f"to {c.dr.region}" if c.dr.enabled else "off"),
    (
        "Training",
        lambda c: (
            f"{c.ml.training.instance_type} x{c.ml.training.instance_count}, "
            f"{'managed spot' if c.ml.training.use_spot else 'on-demand'}, "
            f"max run {c.ml.training.max_run_seconds} s, "
            f"max wait {c.ml.training.max_wait_seconds} s"
        ),
    ),
    (
        "Endpoint",
        lambda c: (
            f"{c.ml.endpoint.instance_type}, {c.ml.endpoint.min_capacity}.."
            f"{c.ml.endpoint.max_capacity} instances (start {c.ml.endpoint.initial_instance_count})"
        ),
    ),
    ("Embeddings", _embeddings),
    (
        "Vector index",
        lambda c: f"S3 Vectors, {c.embeddings.dimension} dimensions, {c.vector_store.distance_metric}",
    ),
    ("Fargate services", _services),
    (
        "FARGATE base / weight, SPOT weight",
        lambda c: (
            f"{c.containers.capacity_providers.fargate_base} / "
            f"{c.containers.capacity_providers.fargate_weight}, "
            f"{c.containers.capacity_providers.fargate_spot_weight}"
        ),
    ),
    ("Lambda reserved concurrency", lambda c: c.processing.reserved_concurrency),
    (
        "Log retention (app / flow logs)",
        lambda c: f"{c.observability.log_retention_days} / {c.network.flow_log_retention_days} days",
    ),
    ("Monthly budget", lambda c: f"${c.budget.monthly_usd:,.0f}" if c.budget else "none"),
)


def stacks_section() -> str:
    configs = {stack: load_stack(stack) for stack in STACKS}
    lines = ["| Setting | " + " | ".join(f"`{s}`" for s in STACKS) + " |", "|---" * (len(STACKS) + 1) + "|"]
    lines += [
        f"| {label} | " + " | ".join(str(get(configs[s])) for s in STACKS) + " |" for label, get in ROWS
    ]
    return "\n".join(lines)


def _run(args: list[str], cwd: Path) -> str:
    result = subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout.strip()


def pr_samples_section() -> str:
    policy = _run(["policies.check", "--stack", "dev", "--format", "markdown"], REPO)
    with tempfile.TemporaryDirectory() as tmp:
        head = Path(tmp) / "head"
        shutil.copytree(
            REPO, head, ignore=shutil.ignore_patterns(".venv", ".git", "*cache*", "bench", "tests")
        )
        prod = head / "Pulumi.prod.yaml"
        text = prod.read_text()
        for old, new in SAMPLE_CHANGE:
            assert old in text, f"sample change no longer applies: {old!r}"
            text = text.replace(old, new, 1)
        prod.write_text(text)
        diff = _run(
            [
                "cost",
                "diff",
                "--stack",
                "prod",
                "--base-program",
                str(REPO),
                "--head-program",
                str(head),
                "--format",
                "markdown",
            ],
            REPO,
        )
    return "\n".join(
        [
            "Policy comment (`python -m policies.check --stack dev --format markdown`):",
            "",
            "<blockquote>",
            "",
            policy,
            "",
            "</blockquote>",
            "",
            "Cost-diff comment for a sample change to `Pulumi.prod.yaml` (the endpoint on `ml.m5.2xlarge`,",
            "the API tasks at 2 vCPU / 4 GiB;",
            "`python -m cost diff --stack prod --base-program . --head-program <pr> --format markdown`):",
            "",
            "<blockquote>",
            "",
            diff,
            "",
            "</blockquote>",
        ]
    )


def replace_section(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no <!-- {name}:start --> ... <!-- {name}:end --> markers")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md is out of date")
    parser.add_argument(
        "--samples", action="store_true", help="also regenerate the pull-request samples (slow)"
    )
    args = parser.parse_args()
    readme = REPO / "README.md"
    text = readme.read_text()
    updated = replace_section(text, "stacks", stacks_section())
    if args.samples:
        updated = replace_section(updated, "pr-samples", pr_samples_section())
    if args.check:
        if updated != text:
            print("README.md is out of date: run .venv/bin/python tools/readme.py", file=sys.stderr)
            return 1
        return 0
    readme.write_text(updated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
