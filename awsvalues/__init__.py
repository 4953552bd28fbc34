"""What AWS accepts, read from botocore's own service models and AWS's published tables.

Shared by the Pulumi program's config validation (`components.config`) and the cost module's right-sizing
(`cost.rightsizing.sizes`), which otherwise have nothing to do with each other: the program must deploy
without the tooling, and the tooling must analyze any program. So this package imports neither.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import botocore.session


@cache
def _service_model(service: str) -> Any:
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


FARGATE_CPU_UNITS: tuple[int, ...] = (256, 512, 1024, 2048, 4096, 8192, 16384)

_FARGATE_MEMORY: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}


def fargate_memory_options(cpu: int) -> tuple[int, ...]:
    """Memory sizes (MiB) Fargate allows for a task CPU size (AWS ECS task-size table)."""
    return _FARGATE_MEMORY.get(cpu, ())
