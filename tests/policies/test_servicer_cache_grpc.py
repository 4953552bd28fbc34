"""The servicer cache changes nothing the engine sees: over the real gRPC path, our pack (cache installed, as
`policies/__main__.py` runs it) and the same pack without the cache (`packs/uncached`) give byte-identical
`Analyze` and `AnalyzeStack` responses - every diagnostic, level, severity, message and not-applicable entry -
for every rule fixture and for our three stacks.

The requests are built by the driver's own request builders and sent as pipelined futures, as
`python -m policies.check` sends them, so several calls are served at once on the pack's worker threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from packs import HERE, ROOT
from pulumi.runtime.proto import analyzer_pb2 as pb
from test_grpc_fixtures import PROJECT, STACK, fixture_files, fixture_inventory, load

from inventory import synthesize
from inventory.model import Inventory
from policies.analyzer import RPC_TIMEOUT, PolicyConfigSource, PolicySession, analyzable
from policies.metadata import STACK_PROFILES, profile_path

pytestmark = pytest.mark.slow

UNCACHED = HERE / "uncached"


def responses(session: PolicySession, inventory: Inventory) -> list[bytes]:
    """Every `Analyze` answer (in resource order) and the `AnalyzeStack` answer, serialized."""
    client = session._client()
    calls = [
        client.Analyze.future(session._analyze_request(resource), timeout=RPC_TIMEOUT)
        for resource in inventory.resources
        if analyzable(resource)
    ]
    stack = pb.AnalyzeStackRequest(resources=[session._stack_resource(r) for r in inventory.resources])
    answers = [call.result() for call in calls]
    answers.append(client.AnalyzeStack(stack, timeout=RPC_TIMEOUT))
    return [answer.SerializeToString(deterministic=True) for answer in answers]


def _tally(answers: list[bytes]) -> tuple[int, int]:
    parsed = [pb.AnalyzeResponse.FromString(answer) for answer in answers]
    return sum(len(p.diagnostics) for p in parsed), sum(len(p.not_applicable) for p in parsed)


@contextmanager
def _pair(
    project: str, stack: str, config: dict[str, object], policy_config: PolicyConfigSource
) -> Iterator[tuple[PolicySession, PolicySession]]:
    """Our pack and the uncached reference, started and configured alike."""
    kwargs = {"project": project, "stack": stack, "config": config, "policy_config": policy_config}
    with PolicySession(**kwargs) as cached, PolicySession(UNCACHED, **kwargs) as uncached:  # type: ignore[arg-type]
        cached._connected()  # waits for the handshake and Configure
        uncached._connected()
        yield cached, uncached


@pytest.fixture(scope="module")
def fixture_sessions() -> Iterator[tuple[PolicySession, PolicySession]]:
    with _pair(PROJECT, STACK, {}, {}) as sessions:  # every policy at its default level
        yield sessions


def test_the_reference_pack_is_ours_without_the_cache(
    fixture_sessions: tuple[PolicySession, PolicySession],
) -> None:
    cached, uncached = fixture_sessions
    assert cached.info is not None and uncached.info is not None
    assert cached.info.policies == uncached.info.policies and len(cached.info.policies) == 197
    assert "per-request cache" not in cached._process.stderr()


def test_every_fixture_gets_byte_identical_answers(
    fixture_sessions: tuple[PolicySession, PolicySession],
) -> None:
    cached, uncached = fixture_sessions
    diagnostics = not_applicable = 0
    for path in fixture_files():
        inventory = fixture_inventory(load(path))
        answers = responses(cached, inventory)
        assert answers == responses(uncached, inventory), path.stem
        found = _tally(answers)
        diagnostics, not_applicable = diagnostics + found[0], not_applicable + found[1]
    assert diagnostics > 500 and not_applicable > 50  # the comparison covers findings of both kinds


@pytest.mark.parametrize("stack", STACK_PROFILES)
def test_our_stacks_get_byte_identical_answers(stack: str) -> None:
    inventory = synthesize(Path(ROOT), stack)
    with _pair(inventory.project, stack, inventory.config, profile_path(stack)) as (cached, uncached):
        answers = responses(cached, inventory)
        assert answers == responses(uncached, inventory)
    assert len(answers) == len([r for r in inventory.resources if analyzable(r)]) + 1 > 100
