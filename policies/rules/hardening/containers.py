"""ECS and ECR hardening: what a container may do on its host, how it logs, how its images are scanned."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View, as_list, as_map

_ROOT_USERS = {"root", "0", "0:0", "root:root"}


def containers(view: View) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """`(where, definition)` for each container of a task definition (`containerDefinitions` is JSON)."""
    for index, raw in enumerate(as_list(view.json_("containerDefinitions"), "containerDefinitions")):
        body = as_map(raw, f"containerDefinitions[{index}]")
        yield f"container {body.get('name') or index}", body


def _hardened(view: View, _settings: Settings) -> Iterator[str]:
    for mode in ("pidMode", "ipcMode"):
        if view.str_(mode) == "host":
            yield f"`{mode}` is host, so the task shares the host's namespace; leave it unset or use task."
    if view.str_("networkMode") == "host":
        yield "`networkMode` is host, so containers share the host's network stack; use awsvpc."
    for where, body in containers(view):
        if body.get("privileged") is True:
            yield f"{where}: `privileged` is true; remove it (it grants root on the host)."
        if body.get("readonlyRootFilesystem") is not True:
            yield f"{where}: `readonlyRootFilesystem` is not true; set it and mount writable volumes."
        user = body.get("user")
        if not isinstance(user, str) or not user or user in _ROOT_USERS:
            yield f"{where}: `user` is {user or 'not set'}, so the process runs as root; set a non-root uid."


CONTAINER_HARDENED = ResourceRule(
    RuleMeta(
        name="aws-ecs-container-hardened",
        controls=controls(fsbp=("ECS.1", "ECS.3", "ECS.4", "ECS.5"), pci=("2.2.5",), nist=("AC-6", "CM-7")),
        area="hardening",
        description=(
            "ECS containers run unprivileged, as a non-root user, on a read-only root filesystem, without "
            "sharing the host's PID, IPC or network namespace."
        ),
        severity="high",
        rationale=(
            "A privileged or host-namespaced container can take over its host and every task on it; a "
            "writable root filesystem and a root user make a compromised process persistent and powerful."
        ),
        remediation=(
            "In container_definitions set privileged false, readonlyRootFilesystem true and user to a "
            "non-root "
            "uid; leave pid_mode/ipc_mode unset and use network_mode awsvpc."
        ),
        kind="resource",
        resource_types=tokens.ECS_TASK_DEFINITION,
        references=("CKV_AWS_334", "CKV_AWS_335", "CKV_AWS_336"),
        url="https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
    ),
    _hardened,
)


def _logging(view: View, _settings: Settings) -> Iterator[str]:
    for where, body in containers(view):
        config = body.get("logConfiguration")
        if not isinstance(config, Mapping) or not config.get("logDriver"):
            yield f"{where}: no `logConfiguration`; send its logs to a KMS-encrypted CloudWatch log group."


CONTAINER_LOGGING = ResourceRule(
    RuleMeta(
        name="aws-ecs-container-logging",
        controls=controls(fsbp=("ECS.9",), nist=("AU-2", "AU-12")),
        area="hardening",
        description="Every ECS container has a log configuration.",
        severity="medium",
        rationale=(
            "Without a log driver a container's output is lost, and with it the evidence of an incident."
        ),
        remediation=(
            "Give each container a logConfiguration (awslogs to a log group encrypted with a "
            "customer-managed "
            "key: aws-cloudwatch-log-group-kms judges the group)."
        ),
        kind="resource",
        resource_types=tokens.ECS_TASK_DEFINITION,
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html",
    ),
    _logging,
)


def _roles(view: View, _settings: Settings) -> Iterator[str]:
    execution = view.str_("executionRoleArn")
    if execution and execution == view.str_("taskRoleArn"):
        yield "the execution role is also the task role; give the application its own task role."


ROLES_DISTINCT = ResourceRule(
    RuleMeta(
        name="aws-ecs-task-definition-roles-distinct",
        controls=controls(nist=("AC-6",)),
        area="iam",
        description="An ECS task definition's execution role and task role are different roles.",
        severity="medium",
        rationale=(
            "The execution role pulls images and reads secrets for the agent; the task role is what the "
            "application can do. One role for both gives the application the agent's secrets and registries."
        ),
        remediation="Create a separate task role with only the application's permissions.",
        kind="resource",
        resource_types=tokens.ECS_TASK_DEFINITION,
        references=("CKV_AWS_249",),
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
    ),
    _roles,
)


def _efs_transit(view: View, _settings: Settings) -> Iterator[str]:
    for index, raw in enumerate(view.list_("volumes")):
        volume = as_map(raw, f"volumes[{index}]")
        efs = volume.get("efsVolumeConfiguration")
        if isinstance(efs, Mapping) and efs.get("transitEncryption") != "ENABLED":
            yield f"volume {volume.get('name') or index}: EFS `transitEncryption` is not ENABLED; enable it."


EFS_TRANSIT = ResourceRule(
    RuleMeta(
        name="aws-ecs-task-definition-efs-transit-encryption",
        controls=controls(pci=("4.2.1",), nist=("SC-8",)),
        area="encryption",
        description="EFS volumes of ECS task definitions encrypt data in transit.",
        severity="medium",
        rationale="Without transit encryption NFS traffic between the task and EFS crosses the VPC in clear.",
        remediation="Set transit_encryption='ENABLED' in each efs_volume_configuration.",
        kind="resource",
        resource_types=tokens.ECS_TASK_DEFINITION,
        references=("CKV_AWS_97",),
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html",
    ),
    _efs_transit,
)


def _insights(view: View, _settings: Settings) -> Iterator[str]:
    settings = {
        as_map(s, "settings").get("name"): as_map(s, "settings").get("value") for s in view.list_("settings")
    }
    if settings.get("containerInsights") not in {"enabled", "enhanced"}:
        yield "`containerInsights` is not enabled; add settings [{name: containerInsights, value: enabled}]."


CONTAINER_INSIGHTS = ResourceRule(
    RuleMeta(
        name="aws-ecs-cluster-container-insights",
        controls=controls(fsbp=("ECS.12",), nist=("AU-6", "SI-4")),
        area="hardening",
        description="ECS clusters have Container Insights enabled.",
        severity="low",
        rationale=(
            "Container Insights collects the task and service metrics needed to see failures and abuse."
        ),
        remediation=(
            "Add the containerInsights setting with value enabled (or enhanced) to the aws.ecs.Cluster."
        ),
        kind="resource",
        resource_types=tokens.ECS_CLUSTER,
        default_level="advisory",
        profiles={"prod": "mandatory"},
        references=("CKV_AWS_65",),
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-container-insights.html",
    ),
    _insights,
)


def _exec_logging(view: View, _settings: Settings) -> Iterator[str]:
    execute = view.map_("configuration", "executeCommandConfiguration")
    if not execute:
        yield "no `configuration.executeCommandConfiguration`; log ECS Exec sessions with a customer key."
        return
    if execute.get("logging") == "NONE":
        yield "ECS Exec `logging` is NONE; use DEFAULT or OVERRIDE with a KMS-encrypted log group."
    if not execute.get("kmsKeyId"):
        yield "ECS Exec sessions are not encrypted with a customer-managed key; set `kmsKeyId`."
    if execute.get("logging") == "OVERRIDE":
        log = execute.get("logConfiguration")
        if not isinstance(log, Mapping) or not (log.get("cloudWatchLogGroupName") or log.get("s3BucketName")):
            yield "ECS Exec `logging` is OVERRIDE but no log group or bucket is named."


EXEC_LOGGING = ResourceRule(
    RuleMeta(
        name="aws-ecs-cluster-exec-logging",
        controls=controls(nist=("AU-2", "AU-12", "SC-8")),
        area="hardening",
        description="ECS clusters log ECS Exec sessions and encrypt them with a customer-managed key.",
        severity="medium",
        rationale=(
            "ECS Exec opens a shell in a running container; unlogged sessions leave no record of what an "
            "operator (or an attacker with ecs:ExecuteCommand) did."
        ),
        remediation=(
            "Set configuration.execute_command_configuration with kms_key_id and logging DEFAULT or OVERRIDE "
            "(with a log group)."
        ),
        kind="resource",
        resource_types=tokens.ECS_CLUSTER,
        references=("CKV_AWS_223", "CKV_AWS_224"),
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html",
    ),
    _exec_logging,
)


def _platform(view: View, settings: Settings) -> Iterator[str]:
    if view.str_("launchType") != "FARGATE" and not any(
        as_map(item, "capacityProviderStrategies").get("capacityProvider", "").startswith("FARGATE")
        for item in view.list_("capacityProviderStrategies")
    ):
        return
    version = view.str_("platformVersion") or "LATEST"
    allowed = list(settings["allowedPlatformVersions"] or [])
    if version not in allowed:
        yield f"`platformVersion` is {version}; use one of {allowed} (LATEST follows the supported release)."


FARGATE_PLATFORM = ResourceRule(
    RuleMeta(
        name="aws-ecs-service-fargate-platform-version",
        controls=controls(fsbp=("ECS.10",), nist=("SI-2",)),
        area="hardening",
        description="Fargate services run on LATEST or a supported pinned platform version.",
        severity="medium",
        rationale="Old Fargate platform versions miss kernel and runtime security fixes.",
        remediation="Leave platform_version unset (LATEST) or set it to a supported version (1.4.0).",
        kind="resource",
        resource_types=tokens.ECS_SERVICE,
        references=("CKV_AWS_332",),
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html",
        config={
            "allowedPlatformVersions": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["LATEST", "1.4.0"],
                "description": "Fargate platform versions the service may run on",
            }
        },
    ),
    _platform,
)


def _scan(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("imageScanningConfiguration", "scanOnPush") is not True:
        yield "`imageScanningConfiguration.scanOnPush` is not true; scan images when they are pushed."


ECR_SCAN = ResourceRule(
    RuleMeta(
        name="aws-ecr-repository-scan-on-push",
        controls=controls(fsbp=("ECR.1",), pci=("6.3.3",), nist=("RA-5",)),
        area="hardening",
        description="ECR repositories scan images on push.",
        severity="medium",
        rationale="Scanning on push reports known CVEs in an image before a service runs it.",
        remediation="Set image_scanning_configuration.scan_on_push=True (or use an enhanced registry scan).",
        kind="resource",
        resource_types=tokens.ECR_REPOSITORY,
        references=(
            "CKV_AWS_163",
            "aws-ecr-repository-configure-image-scan",
            "aws-ecr-repository-enable-image-scan",
        ),
        url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
    ),
    _scan,
)


def _immutable(view: View, _settings: Settings) -> Iterator[str]:
    if view.str_("imageTagMutability") not in {"IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"}:
        yield "`imageTagMutability` is not IMMUTABLE; a pushed tag could be replaced by another image."


ECR_IMMUTABLE = ResourceRule(
    RuleMeta(
        name="aws-ecr-repository-immutable-tags",
        controls=controls(fsbp=("ECR.2",), nist=("CM-2", "SI-7")),
        area="hardening",
        description="ECR repositories have immutable image tags.",
        severity="medium",
        rationale="With mutable tags, whoever can push can swap the image a task definition's tag names.",
        remediation="Set image_tag_mutability='IMMUTABLE' and deploy by new tags (or digests).",
        kind="resource",
        resource_types=tokens.ECR_REPOSITORY,
        references=("CKV_AWS_51", "aws-ecr-repository-disallow-mutable-image"),
        url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
    ),
    _immutable,
)

RULES: list[Rule] = [
    CONTAINER_HARDENED,
    CONTAINER_LOGGING,
    ROLES_DISTINCT,
    EFS_TRANSIT,
    CONTAINER_INSIGHTS,
    EXEC_LOGGING,
    FARGATE_PLATFORM,
    ECR_SCAN,
    ECR_IMMUTABLE,
]
