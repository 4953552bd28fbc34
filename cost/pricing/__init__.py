"""Per-service pricers and the registry mapping each resource type token to its pricer or its free reason."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from cost.pricing.base import Pricer
from cost.pricing.free import FREE_TYPES, free_reason, service_for

_MODULES = tuple(
    import_module(f"cost.pricing.{name}")
    for name in (
        "cloudwatch",
        "dynamodb",
        "ecr",
        "elb",
        "eventbridge",
        "fargate",
        "lambda_",
        "network",
        "rds",
        "s3",
        "sagemaker",
        "security",
        "sns",
        "sqs",
        "stepfunctions",
        "training",
        # issue 13 (data platforms): append new service modules below this line
        "ebs",
        "ec2",
        "eks",
        "aurora",
        "elasticache",
        "opensearch",
        "redshift",
        "efs",
        "streaming",
        "glue",
        "edge",
        "studio",
        "vectors",
    )
)
"""The service modules; each has `PRICERS` (type token -> pricer) and may have `FREE` (token -> reason)."""

PRICERS: dict[str, Pricer[Any]] = {token: p for module in _MODULES for token, p in module.PRICERS.items()}
FREE: dict[str, str] = {
    **FREE_TYPES,
    **{token: reason for module in _MODULES for token, reason in getattr(module, "FREE", {}).items()},
}

__all__ = ["FREE", "PRICERS", "free_reason_for", "service_for"]


def free_reason_for(type_token: str) -> str:
    """Why a type is free ("" when it is priced or unknown)."""
    return FREE.get(type_token) or free_reason(type_token)
