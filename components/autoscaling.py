"""Target-tracking autoscaling: a scalable target and the policy that holds a predefined metric at a value.

The ECS services scale on average CPU (`components/container_service.py`), the SageMaker endpoint on
invocations per instance (`components/ml.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class TargetTracking:
    namespace: str
    """Application Auto Scaling service namespace: "ecs", "sagemaker"."""
    resource_id: pulumi.Input[str]
    dimension: str
    min_capacity: int
    max_capacity: int
    metric: str
    """The predefined metric type, e.g. "ECSServiceAverageCPUUtilization"."""
    target_value: float
    scale_in_cooldown_seconds: int
    scale_out_cooldown_seconds: int


def target_tracking(
    target_name: str, policy_name: str, spec: TargetTracking, opts: pulumi.ResourceOptions
) -> None:
    """Create the scalable target `target_name` and its target-tracking policy `policy_name` with `opts`."""
    target = aws.appautoscaling.Target(
        target_name,
        service_namespace=spec.namespace,
        resource_id=spec.resource_id,
        scalable_dimension=spec.dimension,
        min_capacity=spec.min_capacity,
        max_capacity=spec.max_capacity,
        opts=opts,
    )
    configuration = aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs
    metric = (
        aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs
    )
    aws.appautoscaling.Policy(
        policy_name,
        policy_type="TargetTrackingScaling",
        service_namespace=target.service_namespace,
        resource_id=target.resource_id,
        scalable_dimension=target.scalable_dimension,
        target_tracking_scaling_policy_configuration=configuration(
            target_value=spec.target_value,
            predefined_metric_specification=metric(predefined_metric_type=spec.metric),
            scale_in_cooldown=spec.scale_in_cooldown_seconds,
            scale_out_cooldown=spec.scale_out_cooldown_seconds,
        ),
        opts=opts,
    )
