"""Operational resilience and observability: DLQs, tracing, workflow logging, log retention, access logs,
deployment circuit breakers and endpoint redundancy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.checks import require_true
from policies.rules.framework import JoinRule, ResourceRule, Rule, Settings
from policies.rules.props import Skip, View, as_int, dig, is_set
from policies.rules.resilience.data import PROD_MANDATORY
from policies.rules.stack_index import Stack

# Services that invoke Lambda asynchronously (events are queued, retried, then dropped without a DLQ).
ASYNC_PRINCIPALS = frozenset(
    {
        "s3.amazonaws.com",
        "sns.amazonaws.com",
        "events.amazonaws.com",
        "ses.amazonaws.com",
        "iot.amazonaws.com",
    }
)


@dataclass
class AsyncIndex:
    """Functions invoked asynchronously in this stack, and those with an on-failure destination."""

    invoked: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    on_failure: set[str] = field(default_factory=set)


def _functions(stack: Stack, view: View, key: str, value: Any) -> tuple[View, ...]:
    return stack.resolve(view, key, value, tokens.LAMBDA_FUNCTION).targets


def _index_async(stack: Stack) -> AsyncIndex:
    index = AsyncIndex()
    for permission in stack.of_types(tokens.LAMBDA_PERMISSION):
        principal = permission.props.get("principal")
        if principal in ASYNC_PRINCIPALS:
            for function in _functions(stack, permission, "function", permission.props.get("function")):
                index.invoked[function.urn].append(f"{principal} (permission {permission.name})")
    for target in stack.of_types(tokens.EVENT_TARGET):
        for function in _functions(stack, target, "arn", target.props.get("arn")):
            index.invoked[function.urn].append(f"EventBridge target {target.name}")
    for subscription in stack.of_types(tokens.SNS_SUBSCRIPTION):
        if subscription.props.get("protocol") == "lambda":
            for function in _functions(stack, subscription, "endpoint", subscription.props.get("endpoint")):
                index.invoked[function.urn].append(f"SNS subscription {subscription.name}")
    for notification in stack.of_types(tokens.S3_NOTIFICATION):
        for function in _functions(stack, notification, "lambdaFunctions", None):
            index.invoked[function.urn].append(f"S3 notification {notification.name}")
    for config in stack.of_types(tokens.LAMBDA_EVENT_INVOKE_CONFIG):
        if is_set(dig(config.props, "destinationConfig", "onFailure", "destination", allow_unknown=True)):
            index.on_failure.update(
                f.urn for f in _functions(stack, config, "functionName", config.props.get("functionName"))
            )
    return index


def _dlq(function: View, index: AsyncIndex, _settings: Settings) -> Iterator[str]:
    sources = index.invoked.get(function.urn)
    if not sources or function.has("deadLetterConfig", "targetArn") or function.urn in index.on_failure:
        return
    yield (
        f"invoked asynchronously by {', '.join(sources)}, but failed events are dropped after retries: set "
        "dead_letter_config.target_arn or an aws.lambda_.FunctionEventInvokeConfig on_failure destination."
    )


LAMBDA_DLQ = JoinRule(
    RuleMeta(
        name="aws-lambda-function-dlq",
        area="resilience",
        description="Lambda functions keep failed asynchronous events in a dead-letter queue or on-failure "
        "destination.",
        severity="medium",
        rationale=(
            "After retries, a failed S3/SNS/EventBridge-triggered invocation is discarded silently. A DLQ or "
            "an on-failure destination (aws:lambda/functionEventInvokeConfig, joined by function) keeps the "
            "event for replay. Only functions this stack invokes asynchronously are judged (a Lambda "
            "permission for S3, SNS, EventBridge, SES or IoT, an EventBridge target, an SNS subscription or "
            "an S3 notification); synchronous callers such as Step Functions or SQS event source mappings "
            "handle failures themselves."
        ),
        remediation="Set dead_letter_config={'target_arn': <SQS queue ARN>} or an on-failure destination.",
        kind="stack",
        resource_types=tokens.LAMBDA_FUNCTION,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("CKV_AWS_116", "lambda-dead-letter-queue-required"),
        url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
    ),
    _index_async,
    _dlq,
)


def _lambda_tracing(view: View, _settings: Settings) -> Iterator[str]:
    if view.str_("tracingConfig", "mode") != "Active":
        yield "`tracingConfig.mode` is not Active; set tracing_config={'mode': 'Active'}."


LAMBDA_TRACING = ResourceRule(
    RuleMeta(
        name="aws-lambda-function-tracing",
        area="resilience",
        description="Lambda functions send X-Ray traces.",
        severity="low",
        rationale="Active tracing shows where latency and errors arise across the event-driven pipeline.",
        remediation="Set tracing_config={'mode': 'Active'} and allow xray:PutTraceSegments in the role.",
        kind="resource",
        resource_types=tokens.LAMBDA_FUNCTION,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=(
            "CKV_AWS_50",
            "aws-lambda-function-configure-tracing-config",
            "aws-lambda-function-enable-tracing-config",
        ),
        url="https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
    ),
    _lambda_tracing,
)


def _sfn_logging(view: View, _settings: Settings) -> Iterator[str]:
    level = view.str_("loggingConfiguration", "level") or "OFF"
    if level == "OFF":
        yield "`loggingConfiguration.level` is OFF; set level 'ALL' or 'ERROR' with a log_destination."
        return
    if not view.has("loggingConfiguration", "logDestination"):
        yield "`loggingConfiguration.logDestination` is not set; point it at a log group ARN ending in ':*'."
    if view.bool_("loggingConfiguration", "includeExecutionData") is not True:
        yield (
            "`loggingConfiguration.includeExecutionData` is not true; failures cannot be diagnosed from logs."
        )


SFN_LOGGING = ResourceRule(
    RuleMeta(
        name="aws-sfn-state-machine-logging",
        controls=controls(
            fsbp=("StepFunctions.1",),
            nist=(
                "AU-2",
                "AU-12",
            ),
        ),
        area="resilience",
        description=(
            "Step Functions state machines log executions, including execution data, to CloudWatch Logs."
        ),
        severity="medium",
        rationale=(
            "Without logging, failed workflow executions leave no record beyond 90 days of execution history."
        ),
        remediation=(
            "Set logging_configuration={'level': 'ALL', 'include_execution_data': True, 'log_destination': "
            "f'{log_group.arn}:*'} (the log group encrypted with a CMK)."
        ),
        kind="resource",
        resource_types=tokens.STATE_MACHINE,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("CKV_AWS_285", "AWS-0119"),
        url="https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
    ),
    _sfn_logging,
)

SFN_TRACING = ResourceRule(
    RuleMeta(
        name="aws-sfn-state-machine-tracing",
        area="resilience",
        description="Step Functions state machines send X-Ray traces.",
        severity="low",
        rationale="Tracing links each workflow step to the Lambda, SageMaker and database calls it makes.",
        remediation="Set tracing_configuration={'enabled': True}.",
        kind="resource",
        resource_types=tokens.STATE_MACHINE,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("CKV_AWS_284", "AWS-0117"),
        url="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html",
    ),
    require_true("tracingConfiguration", "enabled", fix="set tracing_configuration.enabled=True."),
)


def _log_retention(view: View, settings: Settings) -> Iterator[str]:
    minimum = int(settings["minDays"])
    days = view.int_("retentionInDays")
    if not days:
        yield "`retentionInDays` is not set, so logs are kept (and billed) forever; set a retention."
    elif days < minimum:
        yield f"`retentionInDays` is {days}; keep logs at least {minimum} days."


LOG_RETENTION = ResourceRule(
    RuleMeta(
        name="aws-cloudwatch-log-group-retention",
        controls=controls(nist=("AU-11",)),
        area="resilience",
        description="CloudWatch log groups set a retention period of at least the configured minimum.",
        severity="low",
        rationale=(
            "Without retention logs are never deleted (unbounded cost, data kept beyond its purpose); too "
            "short a retention loses audit evidence. The minimum is per-stack config (default 1 day: just "
            "set one)."
        ),
        remediation="Set retention_in_days (e.g. 30 in dev, 365 in prod).",
        kind="resource",
        resource_types=tokens.LOG_GROUP,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=("CKV_AWS_66", "CKV_AWS_338", "cloudwatch-log-retention"),
        url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html",
        config={"minDays": {"type": "integer", "minimum": 1, "default": 1}},
    ),
    _log_retention,
)


def _access_logs(view: View, _settings: Settings) -> Iterator[str]:
    if (view.str_("loadBalancerType") or "application") == "gateway":
        raise Skip("gateway load balancers have no access logs")
    enabled = view.bool_("accessLogs", "enabled")
    if enabled is None and view.type in tokens.CLASSIC_ELB and view.get("accessLogs") is not None:
        enabled = True  # classic ELB access_logs blocks default to enabled
    if enabled is not True:
        yield (
            "`accessLogs.enabled` is not true; send access logs to an S3 bucket (SSE-S3, ELB's only option)."
        )
    elif not view.has("accessLogs", "bucket"):
        yield "`accessLogs.bucket` is not set; name the log bucket."


LB_ACCESS_LOGS = ResourceRule(
    RuleMeta(
        name="aws-lb-access-logs",
        controls=controls(
            fsbp=("ELB.5",),
            pci=("10.2.1",),
            nist=(
                "AU-2",
                "AU-12",
            ),
        ),
        area="resilience",
        description="Load balancers (application, network and classic) write access logs to S3.",
        severity="medium",
        rationale=(
            "Access logs are the only record of every client request for incident response and abuse "
            "analysis."
        ),
        remediation=(
            "Set access_logs={'bucket': log_bucket.bucket, 'enabled': True} (bucket policy for the ELB "
            "account)."
        ),
        kind="resource",
        resource_types=tokens.LOAD_BALANCERS + tokens.CLASSIC_ELB,
        default_level="advisory",
        profiles=PROD_MANDATORY,
        references=(
            "CKV_AWS_91",
            "CKV_AWS_92",
            "elb-logging-enabled",
            "elb-access-logging-enabled",
            "aws-alb-loadbalancer-configure-access-logging",
            "aws-alb-loadbalancer-enable-access-logging",
            "aws-lb-loadbalancer-configure-access-logging",
            "aws-lb-loadbalancer-enable-access-logging",
            "aws-elb-loadbalancer-configure-access-logging",
        ),
        url="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
    ),
    _access_logs,
)


def _circuit_breaker(view: View, _settings: Settings) -> Iterator[str]:
    if (view.str_("deploymentController", "type") or "ECS") != "ECS":
        raise Skip("the deployment circuit breaker applies to the ECS deployment controller only")
    if view.bool_("deploymentCircuitBreaker", "enable") is not True:
        yield "`deploymentCircuitBreaker.enable` is not true; a failing deployment keeps replacing tasks."
    elif view.bool_("deploymentCircuitBreaker", "rollback") is not True:
        yield "`deploymentCircuitBreaker.rollback` is not true; failed deployments are not rolled back."


ECS_CIRCUIT_BREAKER = ResourceRule(
    RuleMeta(
        name="aws-ecs-service-circuit-breaker",
        area="resilience",
        description="ECS services roll back failed deployments with the deployment circuit breaker.",
        severity="low",
        rationale=(
            "Without the circuit breaker a broken image is retried indefinitely while healthy tasks drain."
        ),
        remediation="Set deployment_circuit_breaker={'enable': True, 'rollback': True}.",
        kind="resource",
        resource_types=tokens.ECS_SERVICE,
        default_level="advisory",
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html",
    ),
    _circuit_breaker,
)


def _endpoint_instances(view: View, _settings: Settings) -> Iterator[str]:
    for index, variant in enumerate(view.list_("productionVariants")):
        where = f"productionVariants[{index}]"
        if dig(variant, "serverlessConfig", base=where) is not None:
            continue
        count = as_int(dig(variant, "initialInstanceCount", base=where), f"{where}.initialInstanceCount") or 1
        if count < 2:
            yield f"`{where}.initialInstanceCount` is {count}; run 2 or more instances so they span AZs."


ENDPOINT_REDUNDANCY = ResourceRule(
    RuleMeta(
        name="aws-sagemaker-endpoint-multi-instance",
        controls=controls(fsbp=("SageMaker.4",), nist=("CP-10",)),
        area="resilience",
        description="SageMaker real-time endpoint variants run at least two instances.",
        severity="low",
        rationale=(
            "SageMaker spreads instances of a variant across AZs only when there are two or more; a single "
            "instance is a single point of failure. Advisory in prod and staging, off in dev (cost)."
        ),
        remediation=(
            "Set initial_instance_count=2 (and an autoscaling minimum of 2) for production endpoints."
        ),
        kind="resource",
        resource_types=tokens.SAGEMAKER_ENDPOINT_CONFIG,
        default_level="advisory",
        profiles={"dev": "disabled"},
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/best-practices.html",
    ),
    _endpoint_instances,
)


def _event_target_dlq(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("deadLetterConfig", "arn"):
        yield "`deadLetterConfig.arn` is not set; events that exhaust retries are dropped."


EVENT_TARGET_DLQ = ResourceRule(
    RuleMeta(
        name="aws-eventbridge-target-dlq",
        area="resilience",
        description="EventBridge rule targets keep undeliverable events in a dead-letter queue.",
        severity="low",
        rationale="After 24 hours of retries EventBridge drops the event unless the target has a DLQ.",
        remediation="Set dead_letter_config={'arn': <SQS queue ARN>} on the aws.cloudwatch.EventTarget.",
        kind="resource",
        resource_types=tokens.EVENT_TARGET,
        default_level="advisory",
        url="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html",
    ),
    _event_target_dlq,
)

RULES: list[Rule] = [
    LAMBDA_DLQ,
    LAMBDA_TRACING,
    SFN_LOGGING,
    SFN_TRACING,
    LOG_RETENTION,
    LB_ACCESS_LOGS,
    ECS_CIRCUIT_BREAKER,
    ENDPOINT_REDUNDANCY,
    EVENT_TARGET_DLQ,
]
