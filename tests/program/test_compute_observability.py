"""Alerts topic, alarms (the seed's thresholds), the dashboard and X-Ray sampling, per stack."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from stackview import STACKS, StackView, loaded_config

pytestmark = pytest.mark.slow

Views = Callable[[str], StackView]
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SUFFIXES = {
    "alb-elb-5xx",
    "alb-target-5xx",
    "alb-response-time",
    "endpoint-model-latency",
    "endpoint-5xx",
    "ml-pipeline-failed",
    "db-cpu",
    "db-free-storage",
    "sessions-table-throttles",
    "documents-table-throttles",
    *(
        f"{f}-{kind}"
        for f in ("document-processor", "preprocess", "evaluate", "retrieval")
        for kind in ("errors", "throttles")
    ),
}


@pytest.mark.parametrize("stack", STACKS)
def test_alerts_topic_is_encrypted(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    topic = view.named("alerts-topic").inputs
    assert topic["kmsMasterKeyId"] == view.arn("keys-data")
    assert topic["name"] == f"data-ai-platform-{stack}-alerts"
    assert view.of_type("aws:sns/topicSubscription:TopicSubscription") == []  # no alertEmails configured


@pytest.mark.parametrize("stack", STACKS)
def test_every_alarm_notifies_the_topic(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    alarms = {a.inputs["name"]: a.inputs for a in view.of_type(ALARM) if a.name.startswith("observability-")}
    assert set(alarms) == {f"data-ai-platform-{stack}-{suffix}" for suffix in SUFFIXES}
    topic = view.arn("alerts-topic")
    for alarm in alarms.values():
        assert alarm["alarmActions"] == [topic] and alarm["okActions"] == [topic]
        assert alarm["treatMissingData"] == "notBreaching"


@pytest.mark.parametrize("stack", STACKS)
def test_response_time_alarm_carries_the_seed_thresholds(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    alarm = view.named("observability-alb-response-time").inputs
    assert {
        k: alarm[k]
        for k in (
            "namespace",
            "metricName",
            "statistic",
            "threshold",
            "comparisonOperator",
            "period",
            "evaluationPeriods",
            "datapointsToAlarm",
        )
    } == {
        "namespace": "AWS/ApplicationELB",
        "metricName": "TargetResponseTime",
        "statistic": "Average",
        "threshold": 2.0,
        "comparisonOperator": "GreaterThanThreshold",
        "period": 300,
        "evaluationPeriods": 2,
        "datapointsToAlarm": 2,
    }
    assert alarm["dimensions"] == {"LoadBalancer": view.named("containers-alb").outputs["arnSuffix"]}


@pytest.mark.parametrize("stack", STACKS)
def test_alarm_metrics_thresholds_and_dimensions(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    endpoint = {"EndpointName": f"data-ai-platform-{stack}-endpoint", "VariantName": "AllTraffic"}
    db = {"DBInstanceIdentifier": f"data-ai-platform-{stack}-metadata"}
    expected = {
        "alb-elb-5xx": ("HTTPCode_ELB_5XX_Count", "Sum", 10, "GreaterThanOrEqualToThreshold"),
        "alb-target-5xx": ("HTTPCode_Target_5XX_Count", "Sum", 10, "GreaterThanOrEqualToThreshold"),
        "endpoint-model-latency": ("ModelLatency", "Average", 1_000_000, "GreaterThanThreshold"),
        "endpoint-5xx": ("Invocation5XXErrors", "Sum", 1, "GreaterThanOrEqualToThreshold"),
        "ml-pipeline-failed": ("ExecutionsFailed", "Sum", 1, "GreaterThanOrEqualToThreshold"),
        "db-cpu": ("CPUUtilization", "Average", 80, "GreaterThanThreshold"),
        "db-free-storage": ("FreeStorageSpace", "Minimum", 2 * 1024**3, "LessThanThreshold"),
        "document-processor-errors": ("Errors", "Sum", 1, "GreaterThanOrEqualToThreshold"),
        "preprocess-throttles": ("Throttles", "Sum", 1, "GreaterThanOrEqualToThreshold"),
    }
    for suffix, (metric, statistic, threshold, comparison) in expected.items():
        alarm = view.named(f"observability-{suffix}").inputs
        assert (alarm["metricName"], alarm["statistic"], alarm["threshold"], alarm["comparisonOperator"]) == (
            metric,
            statistic,
            threshold,
            comparison,
        ), suffix
    assert view.named("observability-endpoint-model-latency").inputs["dimensions"] == endpoint
    assert view.named("observability-db-cpu").inputs["dimensions"] == db
    assert view.named("observability-ml-pipeline-failed").inputs["dimensions"] == {
        "StateMachineArn": view.arn("orchestration-state-machine")
    }
    assert view.named("observability-evaluate-errors").inputs["dimensions"] == {
        "FunctionName": f"data-ai-platform-{stack}-evaluate"
    }
    assert view.named("observability-evaluate-errors").inputs["datapointsToAlarm"] == 1


@pytest.mark.parametrize("stack", STACKS)
def test_dynamodb_throttle_alarm_sums_every_operation_of_its_table(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    alarm = view.named("observability-sessions-table-throttles").inputs
    table = view.named("databases-sessions").outputs["name"]
    queries = {q["id"]: q for q in alarm["metricQueries"]}
    assert queries["throttled"]["expression"] == "SUM([m0,m1,m2,m3,m4,m5,m6,m7])"
    operations = {q["metric"]["dimensions"]["Operation"] for i, q in queries.items() if i != "throttled"}
    assert operations == {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
    }
    assert {q["metric"]["dimensions"]["TableName"] for i, q in queries.items() if i != "throttled"} == {table}
    assert {q["metric"]["metricName"] for i, q in queries.items() if i != "throttled"} == {
        "ThrottledRequests"
    }


@pytest.mark.parametrize("stack", STACKS)
def test_dashboard_is_built_from_the_real_resource_names(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    dashboard = view.named("observability-dashboard").inputs
    assert dashboard["dashboardName"] == f"data-ai-platform-{stack}-platform"
    body = json.loads(dashboard["dashboardBody"])
    dimensions = {
        str(value)
        for widget in body["widgets"]
        for metric in widget["properties"]["metrics"]
        for value in metric[2:]
    }
    assert {
        view.named("containers-alb").outputs["arnSuffix"],
        f"data-ai-platform-{stack}-cluster",
        "rag-api",
        "document-processing",
        "evaluation",
        f"data-ai-platform-{stack}-endpoint",
        f"data-ai-platform-{stack}-document-processor",
        f"data-ai-platform-{stack}-preprocess",
        f"data-ai-platform-{stack}-evaluate",
        f"data-ai-platform-{stack}-retrieval",
        view.arn("orchestration-state-machine"),
        f"data-ai-platform-{stack}-metadata",
        view.named("databases-sessions").outputs["name"],
        view.named("databases-documents").outputs["name"],
    } <= dimensions
    assert {w["properties"]["region"] for w in body["widgets"]} == {"us-east-1"}


@pytest.mark.parametrize("stack", STACKS)
def test_xray_samples_the_platform_services_at_the_configured_rate(stack: str, stack_view: Views) -> None:
    rule = stack_view(stack).named("observability-sampling").inputs
    assert rule["fixedRate"] == loaded_config(stack).observability.tracing_sampling_rate
    assert rule["serviceName"] == f"data-ai-platform-{stack}-*"
    assert len(rule["ruleName"]) <= 32
