"""Encryption at rest and in transit."""

from policies.rules.encryption import compute, databases, messaging, s3, sagemaker, services, transport
from policies.rules.framework import Rule

RULES: list[Rule] = [
    *s3.RULES,
    *databases.RULES,
    *sagemaker.RULES,
    *compute.RULES,
    *messaging.RULES,
    *services.RULES,
    *transport.RULES,
]
