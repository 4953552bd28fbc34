"""Validity: the JSON documents a program emits checked against AWS's own definitions (IAM, Step Functions,
ECS, EventBridge, SageMaker pipelines, CloudWatch dashboards)."""

from policies.rules.framework import Rule
from policies.rules.validity import (
    dashboards,
    ecs_tasks,
    event_patterns,
    iam_documents,
    sagemaker_pipelines,
    step_functions,
)

RULES: list[Rule] = [
    *iam_documents.RULES,
    *step_functions.RULES,
    *ecs_tasks.RULES,
    *event_patterns.RULES,
    *sagemaker_pipelines.RULES,
    *dashboards.RULES,
]
