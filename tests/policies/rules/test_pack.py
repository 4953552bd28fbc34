"""The pack as the engine runs it: its own requirements, `python -m pulumi.policy` from the pack directory."""

from __future__ import annotations

import importlib.metadata as md
import json
import re
import subprocess
import sys

import grpc
import pytest
from google.protobuf import empty_pb2
from packaging.requirements import Requirement

from policies import catalog
from policies.metadata import PACK_DESCRIPTION, PACK_NAME, POLICIES_DIR
from policies.registry import all_policies


def _requirements() -> set[str]:
    lines = (POLICIES_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return {_norm(re.split(r"[=<>]", line)[0]) for line in lines if line.strip() and not line.startswith("#")}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(names: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requirements = md.requires(name) or []
        except md.PackageNotFoundError:
            continue  # a dependency for other Python versions or platforms
        for text in requirements:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(_norm(requirement.name))
    return seen


_IMPORTED = """
import importlib.metadata as md, json, sys
sys.path.insert(0, sys.argv[1])
runner = __import__("runpy").run_path(sys.argv[1] + "/policies/__main__.py", run_name="pack")  # not __main__
from policies.rules.cost_guardrail import to_inventory
from policies.rules.stack_index import Stack
from policies.rules.props import View
from cost import estimate
estimate(to_inventory(Stack([View("aws:ec2/natGateway:NatGateway", "nat", "urn:nat", {})]), "p", "s", {}))
found = md.packages_distributions()
print(json.dumps(sorted({d for m in list(sys.modules) for d in found.get(m.split(".")[0], [])})))
"""


@pytest.mark.slow
def test_pack_requirements_cover_everything_the_pack_imports() -> None:
    """Import the pack as the engine does and price a resource (cost imports lazily), in a clean
    interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _IMPORTED, str(POLICIES_DIR.parent)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    imported = {_norm(name) for name in json.loads(out)}
    # psutil: opentelemetry-sdk imports it when present (optional); google-auth: shares the `google` namespace
    # package with protobuf, so packages_distributions() names it for any `google.*` module.
    optional = {"psutil", "google-auth"}
    assert imported - _closure(_requirements()) - optional == set()


def test_catalog_is_generated_from_the_metadata_and_up_to_date() -> None:
    text = catalog.render()
    assert catalog.DOC_FILE.read_text(encoding="utf-8") == text
    for meta in all_policies():
        assert f"### `{meta.name}`" in text and meta.remediation in text


@pytest.mark.slow
def test_pack_starts_like_the_engine_starts_it() -> None:
    """`python -u -m pulumi.policy <engine> <dir>` with cwd = the pack directory, then GetAnalyzerInfo over
    gRPC."""
    from pulumi.runtime.proto import analyzer_pb2_grpc

    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:1", "."],
        cwd=POLICIES_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PULUMI_PROJECT": "p", "PULUMI_STACK": "dev", "PULUMI_DRY_RUN": "true"},
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        stub = analyzer_pb2_grpc.AnalyzerStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
        info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert (info.name, len(info.policies)) == (PACK_NAME, len(all_policies()))
    assert info.description == PACK_DESCRIPTION  # the version comes from PulumiPolicy.yaml via the CLI
