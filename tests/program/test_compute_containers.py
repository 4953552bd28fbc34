"""ECS per stack: cluster, repositories, the shared ALB and its log bucket, tasks, services and scaling."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from stackview import STACKS, StackView, account_of, loaded_config

from components.config import SECRET_NAME

pytestmark = pytest.mark.slow

Views = Callable[[str], StackView]
SERVICES = ("rag-api", "document-processing", "evaluation")


def _containers(view: StackView, service: str) -> list[dict[str, Any]]:
    return list(json.loads(view.named(f"containers-{service}-task").inputs["containerDefinitions"]))


def _ids(view: StackView, kind: str) -> list[str]:
    return sorted(r.outputs["id"] for r in view.of_type("aws:ec2/subnet:Subnet") if f"-{kind}-" in r.name)


@pytest.mark.parametrize("stack", STACKS)
def test_cluster_has_container_insights_and_both_fargate_providers(stack: str, stack_view: Views) -> None:
    view, capacity = stack_view(stack), loaded_config(stack).containers.capacity_providers
    assert view.named("containers-cluster").inputs["settings"] == [
        {"name": "containerInsights", "value": "enabled"}
    ]
    providers = view.named("containers-capacity-providers").inputs
    assert providers["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    assert providers["defaultCapacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": capacity.fargate_base, "weight": capacity.fargate_weight},
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": capacity.fargate_spot_weight},
    ]


def test_dev_is_mostly_spot_and_prod_keeps_an_on_demand_base() -> None:
    mix = {s: loaded_config(s).containers.capacity_providers for s in STACKS}
    assert (mix["dev"].fargate_base, mix["dev"].fargate_weight, mix["dev"].fargate_spot_weight) == (0, 1, 4)
    assert (mix["prod"].fargate_base, mix["prod"].fargate_weight, mix["prod"].fargate_spot_weight) == (
        2,
        1,
        1,
    )


@pytest.mark.parametrize("stack", STACKS)
def test_one_immutable_scanned_kms_repository_per_service(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    repositories = {r.inputs["name"]: r.inputs for r in view.of_type("aws:ecr/repository:Repository")}
    assert set(repositories) == {f"data-ai-platform-{stack}/{s}" for s in SERVICES}
    for repository in repositories.values():
        assert repository["imageTagMutability"] == "IMMUTABLE"
        assert repository["imageScanningConfiguration"] == {"scanOnPush": True}
        assert repository["encryptionConfigurations"] == [
            {"encryptionType": "KMS", "kmsKey": view.arn("keys-data")}
        ]
    for service in SERVICES:
        rules = json.loads(view.named(f"containers-{service}-repo-lifecycle").inputs["policy"])["rules"]
        assert [r["selection"]["countNumber"] for r in rules] == [1, 20]


@pytest.mark.parametrize(("stack", "internal"), [("dev", True), ("staging", True), ("prod", False)])
def test_one_shared_hardened_alb(stack: str, internal: bool, stack_view: Views) -> None:
    view, containers = stack_view(stack), loaded_config(stack).containers
    [alb] = view.of_type("aws:lb/loadBalancer:LoadBalancer")
    assert alb.inputs["internal"] is internal
    assert sorted(alb.inputs["subnets"]) == _ids(view, "private" if internal else "public")
    assert alb.inputs["dropInvalidHeaderFields"] is True
    assert alb.inputs["securityGroups"] == [view.ident("network-alb-sg")]
    assert alb.inputs["enableDeletionProtection"] is (stack == "prod")
    assert alb.inputs["accessLogs"] == {
        "enabled": True,
        "bucket": view.ident("containers-alb-logs"),
        "prefix": "alb",
    }
    https = view.named("containers-https").inputs
    assert (https["port"], https["protocol"]) == (443, "HTTPS")
    assert https["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https["certificateArn"] == containers.certificate_arn
    assert https["defaultActions"] == [
        {
            "type": "fixed-response",
            "fixedResponse": {"contentType": "text/plain", "messageBody": "Not found", "statusCode": "404"},
        }
    ]
    http = view.named("containers-http-redirect").inputs
    assert (http["port"], http["protocol"]) == (80, "HTTP")
    assert http["defaultActions"] == [
        {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_alb_log_bucket_is_sse_s3_private_and_writable_by_elb_only(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    sse = view.named("containers-alb-logs-sse").inputs["rules"]
    assert sse == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    assert view.named("containers-alb-logs-versioning").inputs["versioningConfiguration"] == {
        "status": "Enabled"
    }
    block = view.named("containers-alb-logs-public-access-block").inputs
    assert all(
        block[k] is True
        for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    [rule] = view.named("containers-alb-logs-lifecycle").inputs["rules"]
    assert rule["expiration"] == {"days": loaded_config(stack).containers.alb_log_retention_days}
    arn = view.arn("containers-alb-logs")
    statements = {
        s["Sid"]: s
        for s in json.loads(view.named("containers-alb-logs-policy").inputs["policy"])["Statement"]
    }
    assert set(statements) == {"DenyInsecureTransport", "ElbAccessLogDelivery"}
    assert statements["ElbAccessLogDelivery"] == {
        "Sid": "ElbAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::127311923021:root"},
        "Action": ["s3:PutObject"],
        "Resource": [f"{arn}/alb/AWSLogs/{account_of(stack)}/*"],
    }


def test_alb_log_retention_per_stack() -> None:
    assert {s: loaded_config(s).containers.alb_log_retention_days for s in STACKS} == {
        "dev": 90,
        "staging": 90,
        "prod": 365,
    }


@pytest.mark.parametrize("stack", STACKS)
def test_listener_rules_route_each_service_to_its_ip_target_group(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    https = view.arn("containers-https")
    priorities = []
    for service in loaded_config(stack).containers.services:
        group = view.named(f"containers-{service.name}-tg")
        assert (group.inputs["port"], group.inputs["targetType"], group.inputs["protocol"]) == (
            service.port,
            "ip",
            "HTTP",
        )
        assert group.inputs["vpcId"] == view.ident("network-vpc")
        assert group.inputs["healthCheck"]["path"] == service.health_check_path
        rule = view.named(f"containers-{service.name}-rule").inputs
        assert rule["listenerArn"] == https
        assert rule["conditions"] == [{"pathPattern": {"values": service.path_patterns}}]
        assert rule["actions"] == [{"type": "forward", "targetGroupArn": group.outputs["arn"]}]
        priorities.append(rule["priority"])
    assert priorities == [10, 20, 30]


@pytest.mark.parametrize("stack", STACKS)
def test_task_definitions_are_hardened_and_log_to_kms_log_groups(stack: str, stack_view: Views) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    logs_key = view.arn("keys-logs")
    for service in cfg.containers.services:
        task = view.named(f"containers-{service.name}-task").inputs
        assert (task["cpu"], task["memory"]) == (str(service.cpu), str(service.memory_mib))
        assert task["requiresCompatibilities"] == ["FARGATE"] and task["networkMode"] == "awsvpc"
        group = view.named(f"containers-{service.name}-logs").inputs
        assert group["name"] == f"/ecs/data-ai-platform-{stack}/{service.name}"
        assert group["kmsKeyId"] == logs_key
        assert group["retentionInDays"] == cfg.observability.log_retention_days
        containers = _containers(view, service.name)
        assert [c["name"] for c in containers] == [service.name] + (
            ["xray-daemon"] if service.tracing else []
        )
        for container in containers:
            assert container["readonlyRootFilesystem"] is True
            assert container["user"] == "1000:1000"
            assert container["privileged"] is False
            assert container["linuxParameters"]["capabilities"] == {"drop": ["ALL"]}
            assert container["logConfiguration"]["logDriver"] == "awslogs"
            assert container["logConfiguration"]["options"]["awslogs-group"] == group["name"]


@pytest.mark.parametrize("stack", STACKS)
def test_secrets_are_injected_from_secrets_manager_never_plaintext(stack: str, stack_view: Views) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    secrets = {r.inputs["namePrefix"]: r for r in view.of_type("aws:secretsmanager/secret:Secret")}
    assert set(secrets) == {f"data-ai-platform-{stack}/openai-api-key-"}
    assert {s.inputs["kmsKeyId"] for s in secrets.values()} == {view.arn("keys-data")}
    assert view.of_type("aws:secretsmanager/secretVersion:SecretVersion") == []
    openai = secrets[f"data-ai-platform-{stack}/openai-api-key-"].outputs["arn"]
    db_secret = view.named("databases-postgres").outputs["masterUserSecrets"][0]["secretArn"]
    for service in cfg.containers.services:
        app = _containers(view, service.name)[0]
        expected = {name: openai for name in service.secrets}
        if "database" in service.grants:
            expected |= {"DB_USERNAME": f"{db_secret}:username::", "DB_PASSWORD": f"{db_secret}:password::"}
        assert {s["name"]: s["valueFrom"] for s in app["secrets"]} == expected
        names = {e["name"] for e in app["environment"]}
        assert not names & set(expected)
        assert [n for n in names if SECRET_NAME.search(n)] == []


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_traced_api_runs_the_xray_sidecar(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    traced = {s.name for s in loaded_config(stack).containers.services if s.tracing}
    assert traced == {"rag-api"}
    app, daemon = _containers(view, "rag-api")
    assert daemon["image"] == "public.ecr.aws/xray/aws-xray-daemon:3.3.12"
    assert daemon["portMappings"] == [{"containerPort": 2000, "protocol": "udp"}]
    environment = {e["name"]: e["value"] for e in app["environment"]}
    assert environment["AWS_XRAY_DAEMON_ADDRESS"] == "127.0.0.1:2000"
    assert environment["AWS_XRAY_TRACING_NAME"] == f"data-ai-platform-{stack}-rag-api"


@pytest.mark.parametrize("stack", STACKS)
def test_services_run_privately_with_rollback_and_the_configured_capacity_mix(
    stack: str, stack_view: Views
) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    capacity = cfg.containers.capacity_providers
    for service in cfg.containers.services:
        inputs = view.named(f"containers-{service.name}-service").inputs
        assert inputs["networkConfiguration"] == {
            "subnets": inputs["networkConfiguration"]["subnets"],
            "securityGroups": [view.ident("network-tasks-sg")],
            "assignPublicIp": False,
        }
        assert sorted(inputs["networkConfiguration"]["subnets"]) == _ids(view, "private")
        assert inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
        assert inputs["capacityProviderStrategies"] == [
            {"capacityProvider": "FARGATE", "base": capacity.fargate_base, "weight": capacity.fargate_weight},
            {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": capacity.fargate_spot_weight},
        ]
        assert inputs["desiredCount"] == service.desired_count
        assert inputs["healthCheckGracePeriodSeconds"] == service.health_check_grace_seconds
        assert inputs["loadBalancers"] == [
            {
                "targetGroupArn": view.arn(f"containers-{service.name}-tg"),
                "containerName": service.name,
                "containerPort": service.port,
            }
        ]


@pytest.mark.parametrize(("stack", "api_bounds"), [("dev", (1, 4)), ("staging", (2, 8)), ("prod", (2, 20))])
def test_service_autoscaling_tracks_cpu_within_the_stack_bounds(
    stack: str, api_bounds: tuple[int, int], stack_view: Views
) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    for service in cfg.containers.services:
        resource_id = f"service/data-ai-platform-{stack}-cluster/{service.name}"
        target = view.named(f"containers-{service.name}-scaling-target").inputs
        assert target == {
            "serviceNamespace": "ecs",
            "scalableDimension": "ecs:service:DesiredCount",
            "resourceId": resource_id,
            "minCapacity": service.min_count,
            "maxCapacity": service.max_count,
        }
        policy = view.named(f"containers-{service.name}-cpu-scaling").inputs
        assert policy["targetTrackingScalingPolicyConfiguration"] == {
            "targetValue": 70,
            "predefinedMetricSpecification": {"predefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "scaleInCooldown": 300,
            "scaleOutCooldown": 300,
        }
    api = view.named("containers-rag-api-scaling-target").inputs
    assert (api["minCapacity"], api["maxCapacity"]) == api_bounds
