"""What AWS accepts, read from botocore's own service models and AWS's published tables.

Shared by the Pulumi program's config validation (`components.config`) and the cost module's right-sizing
(`cost.rightsizing.sizes`), which otherwise have nothing to do with each other: the program must deploy
without the tooling, and the tooling must analyze any program. So this package imports neither.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from awsvalues.fargate import FARGATE_CPU_UNITS, fargate_memory_options


@cache
def _service_model(service: str) -> Any:
    import botocore.session  # on first use: the policy pack imports this package for the Fargate table

    return botocore.session.get_session().get_service_model(service)


@cache
def sagemaker_endpoint_instance_types() -> frozenset[str]:
    """Instance types SageMaker real-time endpoints accept (`ProductionVariantInstanceType`)."""
    return frozenset(_service_model("sagemaker").shape_for("ProductionVariantInstanceType").enum)


@cache
def sagemaker_training_instance_types() -> frozenset[str]:
    """Instance types SageMaker training jobs accept (`TrainingInstanceType`)."""
    return frozenset(_service_model("sagemaker").shape_for("TrainingInstanceType").enum)


@cache
def ec2_instance_types() -> frozenset[str]:
    return frozenset(_service_model("ec2").shape_for("InstanceType").enum)


@cache
def log_retention_days() -> tuple[int, ...]:
    """Retention periods CloudWatch Logs accepts, as listed in the `Days` shape of the logs service model."""
    doc = _service_model("logs").shape_for("Days").documentation
    listed = doc.split("Possible values are:", 1)[1].split(".", 1)[0]
    return tuple(int(n) for n in re.findall(r"\d+", listed))


__all__ = [
    "FARGATE_CPU_UNITS",
    "ec2_instance_types",
    "fargate_memory_options",
    "log_retention_days",
    "sagemaker_endpoint_instance_types",
    "sagemaker_training_instance_types",
]
