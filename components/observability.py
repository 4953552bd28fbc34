"""CloudWatch alarms to the alerts topic, the platform dashboard and the X-Ray sampling rule.

Alarms (each notifies the alerts topic when it fires and when it recovers; missing data is not breaching):

- `alb-elb-5xx`, `alb-target-5xx`: ALB `HTTPCode_ELB_5XX_Count` / `HTTPCode_Target_5XX_Count` (Sum)
  >= `alb5xxCount`;
- `alb-response-time`: ALB `TargetResponseTime` (Average) > `responseTimeSeconds` (the seed's 2 s);
- `endpoint-model-latency`: SageMaker `ModelLatency` (Average, in microseconds) > `modelLatencyMs`;
- `endpoint-5xx`: SageMaker `Invocation5XXErrors` (Sum) >= 1;
- `<function>-errors`, `<function>-throttles`: Lambda `Errors`, `Throttles` (Sum) >= 1, for every function;
- `ml-pipeline-failed`: Step Functions `ExecutionsFailed` (Sum) >= 1;
- `db-cpu`: RDS `CPUUtilization` (Average) > `rdsCpuPercent`;
- `db-free-storage`: RDS `FreeStorageSpace` (Minimum) < `rdsFreeStorageGb`;
- `<table>-table-throttles`: DynamoDB `ThrottledRequests` summed over the operations (metric math) >= 1.

All evaluate `evaluationPeriods` periods of `periodSeconds` (the seed's 2 x 300 s). Threshold alarms need
every period to breach; error and throttle counts alarm on any one breaching period.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.config import AlarmsConfig

GIB = 1024**3
DYNAMODB_OPERATIONS = (
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
)
VARIANT = "AllTraffic"


def short_name(text: str, limit: int) -> str:
    """`text`, or its first characters plus a hash of the whole when it is longer than `limit`."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 9]}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class AlarmSpec:
    suffix: str
    description: str
    namespace: str
    metric: str
    statistic: str
    threshold: float
    comparison: str
    dimensions: Mapping[str, pulumi.Input[str]]
    any_period: bool = False
    """Alarm when any one of the evaluated periods breaches (error counts) instead of all of them."""


@dataclass
class ObservabilityArgs:
    prefix: str
    region: str
    topic_arn: pulumi.Input[str]
    alb_arn_suffix: pulumi.Input[str]
    cluster_name: pulumi.Input[str]
    service_names: Sequence[str]
    endpoint_name: pulumi.Input[str]
    function_names: Mapping[str, pulumi.Input[str]]
    """Short role ("document-processor") -> Lambda function name."""
    state_machine_arn: pulumi.Input[str]
    db_instance_id: pulumi.Input[str]
    table_names: Mapping[str, pulumi.Input[str]]
    """Short role ("sessions") -> DynamoDB table name."""
    alarms: AlarmsConfig
    sampling_rate: float


class Observability(pulumi.ComponentResource):
    def __init__(
        self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("data-ai-platform:observability:Observability", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)
        self.alarms = [self._alarm(spec) for spec in self.alarm_specs()]
        self.alarms += [self._table_throttles(role, table) for role, table in args.table_names.items()]
        self.dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=f"{args.prefix}-platform",
            dashboard_body=self._dashboard_body(),
            opts=self._child,
        )
        aws.xray.SamplingRule(
            f"{name}-sampling",
            rule_name=short_name(args.prefix, 32),
            priority=1000,
            reservoir_size=1,
            fixed_rate=args.sampling_rate,
            service_name=f"{args.prefix}-*",
            service_type="*",
            host="*",
            http_method="*",
            url_path="*",
            resource_arn="*",
            version=1,
            opts=self._child,
        )
        self.dashboard_name: pulumi.Output[str] = self.dashboard.dashboard_name
        self.register_outputs(
            {"dashboard_name": self.dashboard_name, "alarm_names": [alarm.name for alarm in self.alarms]}
        )

    def alarm_specs(self) -> list[AlarmSpec]:
        a, t = self._args, self._args.alarms
        alb = {"LoadBalancer": a.alb_arn_suffix}
        endpoint = {"EndpointName": a.endpoint_name, "VariantName": VARIANT}
        database = {"DBInstanceIdentifier": a.db_instance_id}
        specs = [
            AlarmSpec(
                "alb-elb-5xx",
                "The load balancer itself returns 5xx",
                "AWS/ApplicationELB",
                "HTTPCode_ELB_5XX_Count",
                "Sum",
                t.alb_5xx_count,
                "GreaterThanOrEqualToThreshold",
                alb,
            ),
            AlarmSpec(
                "alb-target-5xx",
                "Services behind the load balancer return 5xx",
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                "Sum",
                t.alb_5xx_count,
                "GreaterThanOrEqualToThreshold",
                alb,
            ),
            AlarmSpec(
                "alb-response-time",
                f"Average response time above {t.response_time_seconds} s",
                "AWS/ApplicationELB",
                "TargetResponseTime",
                "Average",
                t.response_time_seconds,
                "GreaterThanThreshold",
                alb,
            ),
            AlarmSpec(
                "endpoint-model-latency",
                f"Average model latency above {t.model_latency_ms} ms",
                "AWS/SageMaker",
                "ModelLatency",
                "Average",
                t.model_latency_ms * 1000,
                "GreaterThanThreshold",
                endpoint,
            ),
            AlarmSpec(
                "endpoint-5xx",
                "The model endpoint returns 5xx",
                "AWS/SageMaker",
                "Invocation5XXErrors",
                "Sum",
                1,
                "GreaterThanOrEqualToThreshold",
                endpoint,
                any_period=True,
            ),
            AlarmSpec(
                "ml-pipeline-failed",
                "An ML pipeline execution failed",
                "AWS/States",
                "ExecutionsFailed",
                "Sum",
                1,
                "GreaterThanOrEqualToThreshold",
                {"StateMachineArn": a.state_machine_arn},
                any_period=True,
            ),
            AlarmSpec(
                "db-cpu",
                f"Database CPU above {t.rds_cpu_percent} %",
                "AWS/RDS",
                "CPUUtilization",
                "Average",
                t.rds_cpu_percent,
                "GreaterThanThreshold",
                database,
            ),
            AlarmSpec(
                "db-free-storage",
                f"Database free storage below {t.rds_free_storage_gb} GiB",
                "AWS/RDS",
                "FreeStorageSpace",
                "Minimum",
                t.rds_free_storage_gb * GIB,
                "LessThanThreshold",
                database,
            ),
        ]
        for role, function in a.function_names.items():
            dims = {"FunctionName": function}
            specs += [
                AlarmSpec(
                    f"{role}-errors",
                    f"The {role} function fails",
                    "AWS/Lambda",
                    "Errors",
                    "Sum",
                    1,
                    "GreaterThanOrEqualToThreshold",
                    dims,
                    any_period=True,
                ),
                AlarmSpec(
                    f"{role}-throttles",
                    f"The {role} function is throttled",
                    "AWS/Lambda",
                    "Throttles",
                    "Sum",
                    1,
                    "GreaterThanOrEqualToThreshold",
                    dims,
                    any_period=True,
                ),
            ]
        return specs

    def _common(self, description: str, any_period: bool) -> dict[str, Any]:
        t, topic = self._args.alarms, self._args.topic_arn
        return {
            "alarm_description": description,
            "evaluation_periods": t.evaluation_periods,
            "datapoints_to_alarm": 1 if any_period else t.evaluation_periods,
            "treat_missing_data": "notBreaching",
            "actions_enabled": True,
            "alarm_actions": [topic],
            "ok_actions": [topic],
        }

    def _alarm(self, spec: AlarmSpec) -> aws.cloudwatch.MetricAlarm:
        return aws.cloudwatch.MetricAlarm(
            f"{self._name}-{spec.suffix}",
            name=f"{self._args.prefix}-{spec.suffix}",
            namespace=spec.namespace,
            metric_name=spec.metric,
            statistic=spec.statistic,
            dimensions=dict(spec.dimensions),
            period=self._args.alarms.period_seconds,
            threshold=spec.threshold,
            comparison_operator=spec.comparison,
            **self._common(spec.description, spec.any_period),
            opts=self._child,
        )

    def _table_throttles(self, role: str, table: pulumi.Input[str]) -> aws.cloudwatch.MetricAlarm:
        """ThrottledRequests is reported per table and operation; the alarm sums the operations."""
        ids = [f"m{i}" for i in range(len(DYNAMODB_OPERATIONS))]
        queries = [
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id=query_id,
                return_data=False,
                metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                    namespace="AWS/DynamoDB",
                    metric_name="ThrottledRequests",
                    stat="Sum",
                    period=self._args.alarms.period_seconds,
                    dimensions={"TableName": table, "Operation": operation},
                ),
            )
            for query_id, operation in zip(ids, DYNAMODB_OPERATIONS, strict=True)
        ]
        queries.append(
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id="throttled",
                expression=f"SUM([{','.join(ids)}])",
                label="Throttled requests",
                return_data=True,
            )
        )
        return aws.cloudwatch.MetricAlarm(
            f"{self._name}-{role}-table-throttles",
            name=f"{self._args.prefix}-{role}-table-throttles",
            metric_queries=queries,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            **self._common(f"Requests to the {role} table are throttled", True),
            opts=self._child,
        )

    def _dashboard_body(self) -> pulumi.Output[str]:
        a = self._args
        functions = list(a.function_names)

        def build(values: list[str]) -> str:
            alb, cluster, endpoint, machine, db, *rest = values
            return json.dumps(
                dashboard(
                    region=a.region,
                    alb=alb,
                    cluster=cluster,
                    services=a.service_names,
                    endpoint=endpoint,
                    state_machine=machine,
                    db_instance=db,
                    functions=rest[: len(functions)],
                    tables=rest[len(functions) :],
                )
            )

        return pulumi.Output.all(
            a.alb_arn_suffix,
            a.cluster_name,
            a.endpoint_name,
            a.state_machine_arn,
            a.db_instance_id,
            *a.function_names.values(),
            *a.table_names.values(),
        ).apply(build)


def _widget(title: str, metrics: list[list[Any]], region: str, stat: str, x: int, y: int) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": 12,
        "height": 6,
        "properties": {
            "title": title,
            "metrics": metrics,
            "region": region,
            "stat": stat,
            "period": 300,
            "view": "timeSeries",
        },
    }


def dashboard(
    *,
    region: str,
    alb: str,
    cluster: str,
    services: Sequence[str],
    endpoint: str,
    state_machine: str,
    db_instance: str,
    functions: Sequence[str],
    tables: Sequence[str],
) -> dict[str, Any]:
    """The dashboard body: one row per layer of the platform, built from the real resource names."""
    elb = "AWS/ApplicationELB"
    panels = [
        (
            "ALB requests and 5xx",
            [
                [elb, "RequestCount", "LoadBalancer", alb],
                [elb, "HTTPCode_ELB_5XX_Count", "LoadBalancer", alb],
                [elb, "HTTPCode_Target_5XX_Count", "LoadBalancer", alb],
            ],
            "Sum",
        ),
        ("ALB target response time (s)", [[elb, "TargetResponseTime", "LoadBalancer", alb]], "Average"),
        (
            "ECS CPU by service (%)",
            [["AWS/ECS", "CPUUtilization", "ClusterName", cluster, "ServiceName", s] for s in services],
            "Average",
        ),
        (
            "ECS memory by service (%)",
            [["AWS/ECS", "MemoryUtilization", "ClusterName", cluster, "ServiceName", s] for s in services],
            "Average",
        ),
        (
            "Endpoint invocations and 5xx",
            [
                ["AWS/SageMaker", m, "EndpointName", endpoint, "VariantName", VARIANT]
                for m in ("Invocations", "Invocation5XXErrors")
            ],
            "Sum",
        ),
        (
            "Endpoint model latency (us)",
            [["AWS/SageMaker", "ModelLatency", "EndpointName", endpoint, "VariantName", VARIANT]],
            "Average",
        ),
        (
            "Lambda errors and throttles",
            [["AWS/Lambda", m, "FunctionName", f] for f in functions for m in ("Errors", "Throttles")],
            "Sum",
        ),
        (
            "ML pipeline executions",
            [
                ["AWS/States", m, "StateMachineArn", state_machine]
                for m in ("ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed")
            ],
            "Sum",
        ),
        ("Database CPU (%)", [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", db_instance]], "Average"),
        (
            "Database free storage (bytes)",
            [["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", db_instance]],
            "Minimum",
        ),
        (
            "DynamoDB consumed capacity",
            [
                ["AWS/DynamoDB", m, "TableName", t]
                for t in tables
                for m in ("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits")
            ],
            "Sum",
        ),
    ]
    widgets = [
        _widget(title, metrics, region, stat, 12 * (i % 2), 6 * (i // 2))
        for i, (title, metrics, stat) in enumerate(panels)
    ]
    return {"widgets": widgets}
