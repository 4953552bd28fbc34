"""One Fargate service behind the shared ALB: log group, roles, task definition, target group, listener rule,
service and CPU target-tracking autoscaling.

Task definitions follow the same rules for every service: the awslogs driver to the service's KMS-encrypted
log group, a read-only root filesystem (a task-local `/tmp` volume is the only writable path), user
`1000:1000`, all Linux capabilities dropped, and secrets injected by ECS from Secrets Manager (`secrets` with
`valueFrom`), never as plain environment values. A service with `tracing: true` gets the AWS X-Ray daemon as a
sidecar.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.autoscaling import TargetTracking, target_tracking
from components.config import CapacityProvidersConfig, ServiceConfig
from components.iam import (
    Statement,
    ecr_pull_statements,
    policy_json,
    service_trust_policy,
    statement,
    xray_statement,
)
from components.service_grants import ServiceAccess, grant_environment, grant_secrets, grant_statements

USER = "1000:1000"
TMP_VOLUME = "tmp"
XRAY_CONTAINER = "xray-daemon"
XRAY_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.12"
XRAY_PORT = 2000


@dataclass(frozen=True)
class ContainerSpec:
    """Plain values (resolved Outputs) of one task's containers."""

    name: str
    image: str
    port: int
    region: str
    log_group: str
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    """Environment variable -> Secrets Manager ARN (optionally `:json-key::`)."""
    tracing: bool = False


def _logging(spec: ContainerSpec, stream_prefix: str) -> dict[str, Any]:
    return {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": spec.log_group,
            "awslogs-region": spec.region,
            "awslogs-stream-prefix": stream_prefix,
            "mode": "non-blocking",
            "max-buffer-size": "4m",
        },
    }


def _hardened(spec: ContainerSpec, stream_prefix: str) -> dict[str, Any]:
    return {
        "readonlyRootFilesystem": True,
        "user": USER,
        "privileged": False,
        "linuxParameters": {"initProcessEnabled": True, "capabilities": {"drop": ["ALL"]}},
        "logConfiguration": _logging(spec, stream_prefix),
    }


def _xray_daemon(spec: ContainerSpec) -> dict[str, Any]:
    return {
        "name": XRAY_CONTAINER,
        "image": XRAY_IMAGE,
        "essential": False,
        "command": ["--local-mode", "--region", spec.region],
        "cpu": 32,
        "memoryReservation": 64,
        "portMappings": [{"containerPort": XRAY_PORT, "protocol": "udp"}],
        **_hardened(spec, XRAY_CONTAINER),
    }


def container_definitions(spec: ContainerSpec) -> list[dict[str, Any]]:
    environment = dict(spec.environment)
    if spec.tracing:
        environment["AWS_XRAY_DAEMON_ADDRESS"] = f"127.0.0.1:{XRAY_PORT}"
    app: dict[str, Any] = {
        "name": spec.name,
        "image": spec.image,
        "essential": True,
        "portMappings": [{"containerPort": spec.port, "protocol": "tcp"}],
        "environment": [{"name": k, "value": v} for k, v in sorted(environment.items())],
        "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(spec.secrets.items())],
        "mountPoints": [{"sourceVolume": TMP_VOLUME, "containerPath": "/tmp", "readOnly": False}],
        "stopTimeout": 30,
        **_hardened(spec, spec.name),
    }
    if not spec.tracing:
        return [app]
    app["dependsOn"] = [{"containerName": XRAY_CONTAINER, "condition": "START"}]
    return [app, _xray_daemon(spec)]


@dataclass
class ContainerServiceArgs:
    service: ServiceConfig
    prefix: str
    region: str
    account_id: pulumi.Input[str]
    cluster_arn: pulumi.Input[str]
    cluster_name: pulumi.Input[str]
    vpc_id: pulumi.Input[str]
    subnet_ids: Sequence[pulumi.Input[str]]
    security_group_id: pulumi.Input[str]
    https_listener_arn: pulumi.Input[str]
    listener_priority: int
    repository_url: pulumi.Input[str]
    repository_arn: pulumi.Input[str]
    secret_arns: Mapping[str, pulumi.Input[str]]
    """This service's secrets: environment variable -> Secrets Manager secret ARN."""
    access: ServiceAccess
    capacity: CapacityProvidersConfig
    logs_key_arn: pulumi.Input[str]
    log_retention_days: int
    capacity_providers: pulumi.Resource
    """The cluster's capacity providers: the service's strategy needs them first."""


class ContainerService(pulumi.ComponentResource):
    def __init__(
        self, name: str, args: ContainerServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("data-ai-platform:containers:ContainerService", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)
        service = args.service
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"/ecs/{args.prefix}/{service.name}",
            retention_in_days=args.log_retention_days,
            kms_key_id=args.logs_key_arn,
            opts=self._child,
        )
        self.secrets = {**args.secret_arns, **grant_secrets(service.grants, args.access)}
        self.execution_role = self._role(
            "execution-role", "Pulls the image, writes logs, reads secrets", self.execution_statements()
        )
        self.task_role = self._role("task-role", "What the service's code may call", self.task_statements())
        self.task_definition = self._task_definition()
        self.target_group = aws.lb.TargetGroup(
            f"{name}-tg",
            port=service.port,
            protocol="HTTP",
            target_type="ip",
            vpc_id=args.vpc_id,
            deregistration_delay=30,
            health_check=aws.lb.TargetGroupHealthCheckArgs(
                path=service.health_check_path,
                protocol="HTTP",
                matcher="200-399",
                interval=30,
                timeout=5,
                healthy_threshold=2,
                unhealthy_threshold=3,
            ),
            opts=self._child,
        )
        rule = aws.lb.ListenerRule(
            f"{name}-rule",
            listener_arn=args.https_listener_arn,
            priority=args.listener_priority,
            conditions=[
                aws.lb.ListenerRuleConditionArgs(
                    path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(
                        values=list(service.path_patterns)
                    )
                )
            ],
            actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=self.target_group.arn)],
            opts=self._child,
        )
        self.service = self._service(depends_on=[rule, args.capacity_providers])
        self._autoscaling()
        self.service_name: pulumi.Output[str] = self.service.name
        self.target_group_arn_suffix: pulumi.Output[str] = self.target_group.arn_suffix
        self.register_outputs({"service_name": self.service_name, "log_group": self.log_group.name})

    # --- roles -------------------------------------------------------------------------------------------

    def _role(self, role: str, description: str, statements: list[Statement]) -> aws.iam.Role:
        created = aws.iam.Role(
            f"{self._name}-{role}",
            assume_role_policy=service_trust_policy("ecs-tasks.amazonaws.com", self._args.account_id),
            description=f"{self._args.service.name}: {description}",
            opts=self._child,
        )
        if statements:
            aws.iam.RolePolicy(
                f"{self._name}-{role}-policy",
                role=created.id,
                policy=policy_json(statements),
                opts=self._child,
            )
        return created

    def execution_statements(self) -> list[Statement]:
        a = self._args
        result = [
            *ecr_pull_statements("PullOwnImage", [a.repository_arn]),
            statement(
                "WriteOwnLogGroup",
                ["logs:CreateLogStream", "logs:PutLogEvents"],
                [pulumi.Output.concat(self.log_group.arn, ":*")],
            ),
            statement("DecryptImageAndSecrets", ["kms:Decrypt"], [a.access.data_key_arn]),
        ]
        secret_arns = [
            *a.secret_arns.values(),
            *([a.access.db_secret_arn] if "database" in a.service.grants else []),
        ]
        if secret_arns:
            result.append(statement("ReadOwnSecrets", ["secretsmanager:GetSecretValue"], secret_arns))
        return result

    def task_statements(self) -> list[Statement]:
        result = grant_statements(self._args.service.grants, self._args.access)
        if self._args.service.tracing:
            result.append(xray_statement())
        return result

    # --- task definition and service ---------------------------------------------------------------------

    def _task_definition(self) -> aws.ecs.TaskDefinition:
        a, service = self._args, self._args.service
        environment = {
            "PORT": str(service.port),
            "SERVICE_NAME": service.name,
            **service.environment,
            **grant_environment(service.grants, a.access),
        }
        if service.tracing:  # the X-Ray service name the stack's sampling rule matches (`<prefix>-*`)
            environment["AWS_XRAY_TRACING_NAME"] = f"{a.prefix}-{service.name}"
        names = sorted(environment)
        secret_names = sorted(self.secrets)

        def definitions(values: list[str]) -> str:
            image, log_group, *rest = values
            env_values, secret_values = rest[: len(names)], rest[len(names) :]
            return json.dumps(
                container_definitions(
                    ContainerSpec(
                        name=service.name,
                        image=image,
                        port=service.port,
                        region=a.region,
                        log_group=log_group,
                        environment=dict(zip(names, env_values, strict=True)),
                        secrets=dict(zip(secret_names, secret_values, strict=True)),
                        tracing=service.tracing,
                    )
                )
            )

        image = pulumi.Output.concat(a.repository_url, ":", service.image_tag)
        return aws.ecs.TaskDefinition(
            f"{self._name}-task",
            family=f"{a.prefix}-{service.name}",
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            cpu=str(service.cpu),
            memory=str(service.memory_mib),
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                operating_system_family="LINUX", cpu_architecture=service.architecture
            ),
            execution_role_arn=self.execution_role.arn,
            task_role_arn=self.task_role.arn,
            volumes=[aws.ecs.TaskDefinitionVolumeArgs(name=TMP_VOLUME)],
            container_definitions=pulumi.Output.all(
                image,
                self.log_group.name,
                *(environment[n] for n in names),
                *(self.secrets[n] for n in secret_names),
            ).apply(definitions),
            opts=self._child,
        )

    def _service(self, depends_on: Sequence[pulumi.Resource]) -> aws.ecs.Service:
        a, service, capacity = self._args, self._args.service, self._args.capacity
        strategies = [
            aws.ecs.ServiceCapacityProviderStrategyArgs(
                capacity_provider="FARGATE", base=capacity.fargate_base, weight=capacity.fargate_weight
            ),
            aws.ecs.ServiceCapacityProviderStrategyArgs(
                capacity_provider="FARGATE_SPOT", base=0, weight=capacity.fargate_spot_weight
            ),
        ]
        return aws.ecs.Service(
            f"{self._name}-service",
            name=service.name,
            cluster=a.cluster_arn,
            task_definition=self.task_definition.arn,
            desired_count=service.desired_count,
            capacity_provider_strategies=strategies,
            platform_version="LATEST",
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=list(a.subnet_ids), security_groups=[a.security_group_id], assign_public_ip=False
            ),
            load_balancers=[
                aws.ecs.ServiceLoadBalancerArgs(
                    target_group_arn=self.target_group.arn,
                    container_name=service.name,
                    container_port=service.port,
                )
            ],
            health_check_grace_period_seconds=service.health_check_grace_seconds,
            deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(
                enable=True, rollback=True
            ),
            deployment_minimum_healthy_percent=100,
            deployment_maximum_percent=200,
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            enable_execute_command=False,
            wait_for_steady_state=False,
            # Autoscaling owns the running count after the first deployment.
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=list(depends_on), ignore_changes=["desiredCount"]
            ),
        )

    def _autoscaling(self) -> None:
        a, service = self._args, self._args.service
        scaling = TargetTracking(
            namespace="ecs",
            resource_id=pulumi.Output.concat("service/", a.cluster_name, "/", self.service.name),
            dimension="ecs:service:DesiredCount",
            min_capacity=service.min_count,
            max_capacity=service.max_count,
            metric="ECSServiceAverageCPUUtilization",
            target_value=service.cpu_target_percent,
            scale_in_cooldown_seconds=service.scale_in_cooldown_seconds,
            scale_out_cooldown_seconds=service.scale_out_cooldown_seconds,
        )
        target_tracking(f"{self._name}-scaling-target", f"{self._name}-cpu-scaling", scaling, self._child)
