"""Lambda, Step Functions Express, EventBridge, SNS, SQS, CloudWatch, X-Ray, KMS, Secrets Manager and ECR:
figures worked out by hand from the catalog's unit prices."""

from __future__ import annotations

import json

from test_pricing_kit import D, by_name, cost_of, res

FUNCTION = "aws:lambda/function:Function"


def test_lambda_requests_and_duration_x86():
    fn = res(FUNCTION, "processor", {"memorySize": 512, "architectures": ["x86_64"]})
    cost = cost_of(fn, usage_yaml="resources: {processor: {monthlyRequests: 1000000, avgDurationMs: 800}}")
    parts = by_name(cost)
    assert parts["Requests"].monthly_usd == D("0.2")  # 1M x 0.0000002
    duration = parts["Duration (x86, 512 MB)"]
    # 1M x 0.8 s x 0.5 GB = 400,000 GB-s x 0.0000166667 = 6.66668
    assert (duration.quantity, duration.monthly_usd) == (D(400000), D("6.66668"))
    assert cost.monthly_usd == D("6.86668")


def test_lambda_arm_and_the_second_duration_tier():
    fn = res(FUNCTION, "big", {"memorySize": 10240, "architectures": ["arm64"]})
    usage = "resources: {big: {monthlyRequests: 1000000000, avgDurationMs: 1000}}"
    parts = by_name(cost_of(fn, usage_yaml=usage))
    # 1B x 1 s x 10 GB = 10B GB-s: first 7.5B x 0.0000133334 = 100000.5; next 2.5B x 0.0000120001 = 30000.25
    assert parts["Duration (arm64, 10240 MB) (tier 1)"].monthly_usd == D("100000.5")
    assert parts["Duration (arm64, 10240 MB) (tier 2)"].monthly_usd == D("30000.25")


def test_lambda_without_usage_is_usage_dependent():
    cost = cost_of(res(FUNCTION, "fn", {"memorySize": 128}))
    assert cost.status == "usage-dependent" and cost.monthly_usd == 0
    assert by_name(cost)["Requests"].note == (
        "Monthly cost depends on usage: $0.0000002 per request (set `monthlyRequests` in the usage file)"
    )


def test_express_state_machine_requests_and_duration():
    definition = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    machine = res("aws:sfn/stateMachine:StateMachine", "fast", {"definition": definition, "type": "EXPRESS"})
    parts = by_name(
        cost_of(machine, usage_yaml="resources: {fast: {monthlyExecutions: 1000000, avgDurationMs: 2000}}")
    )
    assert parts["Requests"].monthly_usd == D("1")  # 1M x 0.000001
    # 1M x 2 s x 0.0625 GB = 125,000 GB-s x 0.00001667 = 2.08375
    assert parts["Duration (64 MB)"].monthly_usd == D("2.08375")


def test_eventbridge_rules_are_free_and_custom_events_are_priced_on_the_bus():
    rule = cost_of(
        res("aws:cloudwatch/eventRule:EventRule", "raw-created", {"eventPattern": '{"source":["aws.s3"]}'})
    )
    assert rule.status == "free" and "AWS service events on the default bus cost nothing" in rule.reason
    bus = cost_of(
        res("aws:cloudwatch/eventBus:EventBus", "bus"),
        usage_yaml="resources: {bus: {monthlyEvents: 5000000}}",
    )
    assert bus.monthly_usd == D("5")  # 5M x 0.000001


def test_sns_publishes_and_email_deliveries():
    topic = cost_of(
        res("aws:sns/topic:Topic", "alerts"), usage_yaml="resources: {alerts: {monthlyRequests: 2000000}}"
    )
    assert topic.monthly_usd == D("1")  # 2M x 0.0000005
    email = res("aws:sns/topicSubscription:TopicSubscription", "ops-email", {"protocol": "email"})
    assert cost_of(
        email, usage_yaml="resources: {ops-email: {monthlyNotifications: 100000}}"
    ).monthly_usd == D("2")
    sqs = cost_of(res("aws:sns/topicSubscription:TopicSubscription", "to-queue", {"protocol": "sqs"}))
    assert (sqs.status, sqs.reason) == ("free", "deliveries to SQS are free")


def test_sqs_requests_at_the_first_paid_tier():
    queue = res("aws:sqs/queue:Queue", "dlq", {"fifoQueue": False})
    cost = cost_of(queue, usage_yaml="resources: {dlq: {monthlyRequests: 10000000}}")
    requests = by_name(cost)["Requests (standard)"]
    assert requests.monthly_usd == D("4")  # 10M x 0.0000004
    assert "tier boundaries are not in the catalog" in requests.note


def test_cloudwatch_alarms_per_metric_and_resolution():
    simple = cost_of(res("aws:cloudwatch/metricAlarm:MetricAlarm", "alb-5xx", {"period": 300}))
    assert simple.monthly_usd == D("0.1")
    fast = cost_of(res("aws:cloudwatch/metricAlarm:MetricAlarm", "fast", {"period": 10}))
    assert by_name(fast)["High-resolution alarm metrics"].monthly_usd == D("0.3")
    queries = [
        {"id": "m1", "metric": {"metricName": "Errors", "period": 60}},
        {"id": "m2", "metric": {"metricName": "Invocations", "period": 60}},
        {"id": "e1", "expression": "m1/m2", "returnData": True},
    ]
    math = cost_of(res("aws:cloudwatch/metricAlarm:MetricAlarm", "ratio", {"metricQueries": queries}))
    assert by_name(math)["Standard alarm metrics"].quantity == 2 and math.monthly_usd == D("0.2")
    band = [
        {"id": "m1", "metric": {"metricName": "Latency", "period": 300}},
        {"id": "ad1", "expression": "ANOMALY_DETECTION_BAND(m1, 2)"},
    ]
    anomaly = cost_of(res("aws:cloudwatch/metricAlarm:MetricAlarm", "latency", {"metricQueries": band}))
    assert anomaly.monthly_usd == D("0.3")  # 3 metrics x 0.10


def test_dashboard_and_log_group():
    dashboard = cost_of(res("aws:cloudwatch/dashboard:Dashboard", "ops"))
    assert dashboard.monthly_usd == D("3")
    logs = res("aws:cloudwatch/logGroup:LogGroup", "api-logs", {"retentionInDays": 30})
    cost = cost_of(logs, usage_yaml="resources: {api-logs: {monthlyIngestGb: 10}}")
    parts = by_name(cost)
    assert parts["Log ingestion (standard)"].monthly_usd == D("5")  # 10 GB x 0.50
    storage = parts["Log storage"]
    # kept 30 days = 30 / 30.416667 months = 0.986301 months x 10 GB = 9.863014 GB x 0.03
    assert (storage.quantity, storage.monthly_usd) == (D("9.863014"), D("0.29589"))


def test_kms_key_secret_and_ecr():
    key = cost_of(res("aws:kms/key:Key", "data"), usage_yaml="resources: {data: {monthlyRequests: 1000000}}")
    assert by_name(key)["Customer managed key"].monthly_usd == D("1")
    assert by_name(key)["Requests (SYMMETRIC_DEFAULT)"].monthly_usd == D("3")  # 1M x 0.000003
    secret = cost_of(res("aws:secretsmanager/secret:Secret", "openai"))
    assert secret.monthly_usd == D("0.4") and secret.status == "priced"
    repo = cost_of(
        res("aws:ecr/repository:Repository", "rag-api"), usage_yaml="resources: {rag-api: {storageGb: 5}}"
    )
    assert repo.monthly_usd == D("0.5")  # 5 GB x 0.10


def test_custom_metrics_and_traces_on_any_resource():
    cluster = res(
        "aws:ecs/cluster:Cluster",
        "cluster",
        {"settings": [{"name": "containerInsights", "value": "enabled"}]},
    )
    cost = cost_of(
        cluster, usage_yaml="resources: {cluster: {customMetrics: 40, monthlyXrayTraces: 1000000}}"
    )
    parts = by_name(cost)
    assert parts["Custom metrics"].monthly_usd == D("12")  # 40 metrics x 0.30
    assert parts["X-Ray traces recorded"].monthly_usd == D("5")  # 1M x 0.000005
    assert cost.status == "priced" and cost.reason == ""


def test_cluster_without_metrics_usage_is_free_with_the_hint():
    cost = cost_of(res("aws:ecs/cluster:Cluster", "cluster"))
    assert cost.status == "free" and "set `customMetrics` on the cluster" in cost.reason
