"""Fast unit tests of the compute building blocks (no synthesis): config checks, names, task definitions."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from stackview import stack_values

from components.alb_logs import elb_log_principal
from components.config import ConfigError, build_stack_config
from components.container_service import ContainerSpec, container_definitions
from components.containers import alb_is_internal, ecr_lifecycle_policy
from components.observability import dashboard, short_name


def _service_error(**changes: Any) -> str:
    _, values = stack_values("dev")
    values = copy.deepcopy(values)
    values["containers"]["services"][0].update(changes)
    with pytest.raises(ConfigError) as raised:
        build_stack_config("dev", "us-east-1", values)
    return str(raised.value)


def test_a_grant_listed_twice_is_rejected() -> None:
    message = _service_error(grants=["read-raw", "database", "read-raw"])
    assert message == (
        "Pulumi.dev.yaml: invalid config: data-ai-platform:containers.services[0].grants: "
        "listed more than once: ['read-raw']"
    )


def test_an_unknown_grant_names_the_allowed_ones() -> None:
    message = _service_error(grants=["admin"])
    assert message.startswith(
        "Pulumi.dev.yaml: invalid config: data-ai-platform:containers.services[0].grants[0]: "
    )
    assert "'read-raw'" in message and "'database'" in message


@pytest.mark.parametrize(
    ("cidrs", "internal"),
    [
        (["10.0.0.0/8"], True),
        (["10.0.0.0/8", "192.168.0.0/16"], True),
        (["10.0.0.0/8", "0.0.0.0/0"], False),
        (["203.0.113.0/24"], False),
    ],
)
def test_alb_is_internal_only_when_every_ingress_cidr_is_private(cidrs: list[str], internal: bool) -> None:
    assert alb_is_internal(cidrs) is internal


@pytest.mark.parametrize(
    ("region", "principal"),
    [
        ("us-east-1", {"AWS": "arn:aws:iam::127311923021:root"}),
        ("eu-west-1", {"AWS": "arn:aws:iam::156460612806:root"}),
        ("us-gov-west-1", {"AWS": "arn:aws-us-gov:iam::048591011584:root"}),
        ("ap-southeast-5", {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}),
    ],
)
def test_elb_log_writer_per_region(region: str, principal: dict[str, str]) -> None:
    assert elb_log_principal(region) == principal


def test_ecr_lifecycle_expires_untagged_images_and_keeps_the_newest() -> None:
    rules = json.loads(ecr_lifecycle_policy(20))["rules"]
    assert [
        (
            r["rulePriority"],
            r["selection"]["tagStatus"],
            r["selection"]["countType"],
            r["selection"]["countNumber"],
        )
        for r in rules
    ] == [(1, "untagged", "sinceImagePushed", 1), (2, "any", "imageCountMoreThan", 20)]


def test_short_names_fit_the_limit_and_stay_distinct() -> None:
    assert short_name("data-ai-platform-dev", 32) == "data-ai-platform-dev"
    long_a, long_b = (
        short_name("data-ai-platform-staging-extra-a", 20),
        short_name("data-ai-platform-staging-extra-b", 20),
    )
    assert len(long_a) == len(long_b) == 20 and long_a != long_b
    assert long_a.startswith("data-ai-pla-")


def _spec(**changes: Any) -> ContainerSpec:
    values: dict[str, Any] = {
        "name": "rag-api",
        "image": "repo:1.0.0",
        "port": 8000,
        "region": "us-east-1",
        "log_group": "/ecs/p/rag-api",
        "environment": {"PORT": "8000"},
        "secrets": {"OPENAI_API_KEY": "arn:secret"},
    }
    values.update(changes)
    return ContainerSpec(**values)


def test_container_definition_without_tracing() -> None:
    [app] = container_definitions(_spec())
    assert app["secrets"] == [{"name": "OPENAI_API_KEY", "valueFrom": "arn:secret"}]
    assert app["environment"] == [{"name": "PORT", "value": "8000"}]
    assert app["mountPoints"] == [{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False}]
    assert (app["readonlyRootFilesystem"], app["user"], app["essential"]) == (True, "1000:1000", True)
    assert app["logConfiguration"]["options"]["awslogs-stream-prefix"] == "rag-api"
    assert "dependsOn" not in app


def test_tracing_adds_the_daemon_sidecar_and_its_address() -> None:
    app, daemon = container_definitions(_spec(tracing=True))
    assert {"name": "AWS_XRAY_DAEMON_ADDRESS", "value": "127.0.0.1:2000"} in app["environment"]
    assert app["dependsOn"] == [{"containerName": "xray-daemon", "condition": "START"}]
    assert (daemon["name"], daemon["essential"], daemon["readonlyRootFilesystem"], daemon["user"]) == (
        "xray-daemon",
        False,
        True,
        "1000:1000",
    )
    assert daemon["command"] == ["--local-mode", "--region", "us-east-1"]


def test_dashboard_lays_out_one_widget_per_panel_in_two_columns() -> None:
    body = dashboard(
        region="us-east-1",
        alb="app/a/1",
        cluster="c",
        services=["s1", "s2"],
        endpoint="e",
        state_machine="arn:sm",
        db_instance="db",
        functions=["f1"],
        tables=["t1"],
    )
    widgets = body["widgets"]
    assert len(widgets) == 11
    assert [(w["x"], w["y"]) for w in widgets[:4]] == [(0, 0), (12, 0), (0, 6), (12, 6)]
    ecs_cpu = widgets[2]["properties"]["metrics"]
    assert ecs_cpu == [
        ["AWS/ECS", "CPUUtilization", "ClusterName", "c", "ServiceName", "s1"],
        ["AWS/ECS", "CPUUtilization", "ClusterName", "c", "ServiceName", "s2"],
    ]
