"""AWS KMS keys and AWS Secrets Manager secrets: a monthly fee each plus API requests (`monthlyRequests`).

Key rotation adds $1/month per rotated key version for the first two rotations; that depends on the key's age
and is not included.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, component

if TYPE_CHECKING:
    from inventory.model import Resource

KEY = "aws:kms/key:Key"
REPLICA_KEY = "aws:kms/replicaKey:ReplicaKey"
SECRET = "aws:secretsmanager/secret:Secret"
_KMS_REQUEST_IDS = {
    "SYMMETRIC_DEFAULT": "kms.requests.symmetric",
    "HMAC_224": "kms.requests.symmetric",
    "HMAC_256": "kms.requests.symmetric",
    "HMAC_384": "kms.requests.symmetric",
    "HMAC_512": "kms.requests.symmetric",
    "RSA_2048": "kms.requests.asymmetric_rsa2048",
}


@dataclass(frozen=True)
class KeySpec:
    key_spec: str


def parse_key(resource: Resource, ctx: Context) -> KeySpec:
    spec = (
        resource.inputs.get("customerMasterKeySpec") or resource.inputs.get("keySpec") or "SYMMETRIC_DEFAULT"
    )
    return KeySpec(key_spec=str(spec))


def price_key(spec: KeySpec, ctx: Context) -> Priced:
    return Priced(
        components=[
            component(ctx, "Customer managed key", "kms.key_month", Decimal(1), unit="key-month"),
            component(
                ctx,
                f"Requests ({spec.key_spec})",
                _KMS_REQUEST_IDS.get(spec.key_spec, "kms.requests.asymmetric_except_rsa2048"),
                ctx.usage.monthly_requests,
                unit="request",
                usage_based=True,
                usage_key="monthlyRequests",
            ),
        ]
    )


@dataclass(frozen=True)
class SecretSpec:
    replicas: int


def parse_secret(resource: Resource, ctx: Context) -> SecretSpec:
    return SecretSpec(replicas=len(resource.inputs.get("replicas") or []))


def price_secret(spec: SecretSpec, ctx: Context) -> Priced:
    copies = 1 + spec.replicas
    note = f"1 secret + {spec.replicas} replica(s)" if spec.replicas else ""
    return Priced(
        components=[
            component(
                ctx, "Secret", "secretsmanager.secret_month", Decimal(copies), unit="secret-month", note=note
            ),
            component(
                ctx,
                "API requests",
                "secretsmanager.api_request",
                ctx.usage.monthly_requests,
                unit="request",
                usage_based=True,
                usage_key="monthlyRequests",
            ),
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    KEY: Pricer("AWS KMS", parse_key, price_key),
    REPLICA_KEY: Pricer("AWS KMS", parse_key, price_key),
    SECRET: Pricer("AWS Secrets Manager", parse_secret, price_secret),
}

FREE = {
    "aws:kms/alias:Alias": "aliases are free",
    "aws:kms/grant:Grant": "grants are free",
    "aws:kms/keyPolicy:KeyPolicy": "key policies are free",
    "aws:secretsmanager/secretVersion:SecretVersion": "secret versions are free (the secret is priced)",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "secret policies are free",
    "aws:secretsmanager/secretRotation:SecretRotation": "rotation is free (its Lambda function is priced)",
}
