"""Compute-wide security and structure: role statements, trust policies, component naming, no AWS call."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from policy_sentry.querying.actions import get_action_data
from stackview import REPO_ROOT, STACKS, StackView, account_of, synthesize

pytestmark = pytest.mark.slow

Views = Callable[[str], StackView]
COMPONENTS = {
    "alerts": "data-ai-platform:alerts:Alerts",
    "ml": "data-ai-platform:ml:MachineLearning",
    "containers": "data-ai-platform:containers:Containers",
    "processing": "data-ai-platform:processing:DocumentProcessing",
    "orchestration": "data-ai-platform:orchestration:MlOrchestration",
    "observability": "data-ai-platform:observability:Observability",
}
TRUSTED = {
    "ml-execution-role": "sagemaker.amazonaws.com",
    "processing-document-processor-role": "lambda.amazonaws.com",
    "orchestration-preprocess-role": "lambda.amazonaws.com",
    "orchestration-evaluate-role": "lambda.amazonaws.com",
    "orchestration-role": "states.amazonaws.com",
    **{
        f"containers-{s}-{r}": "ecs-tasks.amazonaws.com"
        for s in ("rag-api", "document-processing", "evaluation")
        for r in ("execution-role", "task-role")
    },
}


def _compute_policies(view: StackView) -> list[tuple[str, dict[str, Any]]]:
    return [
        (p.name, json.loads(p.inputs["policy"]))
        for p in view.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.name.startswith(("ml-", "containers-", "processing-", "orchestration-"))
    ]


def _only_wildcard_resources(action: str) -> bool:
    service, _, name = action.partition(":")
    formats = {row["resource_arn_format"] for row in (get_action_data(service, name) or {}).get(service, [])}
    return formats == {"*"}


@pytest.mark.parametrize("stack", STACKS)
def test_every_statement_names_real_actions_and_specific_resources(stack: str, stack_view: Views) -> None:
    problems = []
    policies = _compute_policies(stack_view(stack))
    assert len(policies) == 11  # ML, 3 functions, the state machine, 3 x (execution + task) roles
    for policy, document in policies:
        for statement in document["Statement"]:
            where = f"{policy}/{statement['Sid']}"
            for action in statement["Action"]:
                service, _, name = action.partition(":")
                if "*" in action:
                    problems.append(f"{where}: wildcard action {action}")
                elif not (get_action_data(service, name) or {}).get(service):
                    problems.append(f"{where}: {action} is not an IAM action")
            if "*" in statement["Resource"]:
                if statement["Resource"] != ["*"]:
                    problems.append(f"{where}: '*' mixed with specific resources")
                if not statement["Sid"].endswith("HasNoResourceLevelPermissions"):
                    problems.append(f"{where}: Resource '*' without saying why in the Sid")
                problems += [
                    f"{where}: {a} supports resource-level permissions"
                    for a in statement["Action"]
                    if not _only_wildcard_resources(a)
                ]
    assert problems == []


@pytest.mark.parametrize("stack", STACKS)
def test_wildcard_resources_are_exactly_the_documented_ones(stack: str, stack_view: Views) -> None:
    sids = {
        statement["Sid"]
        for _, document in _compute_policies(stack_view(stack))
        for statement in document["Statement"]
        if statement["Resource"] == ["*"]
    }
    assert sids == {
        "EcrAuthTokenHasNoResourceLevelPermissions",
        "Ec2DescribeHasNoResourceLevelPermissions",
        "PutMetricDataHasNoResourceLevelPermissions",
        "XRayHasNoResourceLevelPermissions",
        "LogDeliveryHasNoResourceLevelPermissions",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_roles_trust_one_service_on_behalf_of_this_account(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    roles = {r.name: r for r in view.of_type("aws:iam/role:Role") if r.name in TRUSTED}
    assert set(roles) == set(TRUSTED)
    for name, role in roles.items():
        [trust] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
        assert trust["Principal"] == {"Service": TRUSTED[name]}
        assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": account_of(stack)}


@pytest.mark.parametrize("stack", STACKS)
def test_compute_children_are_named_after_and_parented_to_their_component(
    stack: str, stack_view: Views
) -> None:
    inventory = stack_view(stack).inventory
    components = {r.name: r for r in inventory.resources if not r.custom}
    for name, token in COMPONENTS.items():
        assert components[name].type == token
    names = {r.urn: r.name for r in inventory.resources}
    children = [r for r in inventory.resources if names.get(r.parent or "") in COMPONENTS]
    assert len(children) > 50
    problems = [r.name for r in children if not r.name.startswith(f"{names[r.parent or '']}-")]
    services = [r for r in inventory.resources if r.type == "data-ai-platform:containers:ContainerService"]
    assert sorted(s.name for s in services) == [
        "containers-document-processing",
        "containers-evaluation",
        "containers-rag-api",
    ]
    for service in services:
        problems += [
            r.name
            for r in inventory.resources
            if r.parent == service.urn and not r.name.startswith(f"{service.name}-")
        ]
    assert problems == []


SITECUSTOMIZE = """
    import os, socket
    import botocore.client

    LOG = os.environ["H2_AWS_CALL_LOG"]

    def _record(what):
        with open(LOG, "a") as handle:
            handle.write(what + "\\n")

    def _refuse_call(client, operation, params):
        _record(f"{client.meta.service_model.service_name}:{operation}")
        raise RuntimeError(f"AWS call {operation} attempted")

    _connect = socket.socket.connect

    def _refuse_connect(sock, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            _record(f"connect:{address[0]}")
            raise OSError(f"connection to {address} attempted")
        return _connect(sock, address)

    botocore.client.BaseClient._make_api_call = _refuse_call
    socket.socket.connect = _refuse_connect
"""


def test_the_program_makes_no_aws_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole program (SageMaker SDK included) under the mocks with botocore and sockets refused."""
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent(SITECUSTOMIZE))
    log = tmp_path / "calls.log"
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("H2_AWS_CALL_LOG", str(log))
    inventory = synthesize(REPO_ROOT, "dev")
    assert any(r.type == "aws:sagemaker/pipeline:Pipeline" for r in inventory.resources)
    assert not log.exists(), log.read_text()
