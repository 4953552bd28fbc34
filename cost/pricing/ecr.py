"""Amazon ECR repositories: image storage (`storageGb`). Pulls within the region are free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, component

if TYPE_CHECKING:
    from inventory.model import Resource

REPOSITORY = "aws:ecr/repository:Repository"


@dataclass(frozen=True)
class RepositorySpec:
    name: str


def parse(resource: Resource, ctx: Context) -> RepositorySpec:
    return RepositorySpec(name=str(resource.inputs.get("name", resource.name)))


def price(spec: RepositorySpec, ctx: Context) -> Priced:
    return Priced(
        components=[
            component(
                ctx,
                "Image storage",
                "ecr.storage",
                ctx.usage.storage_gb,
                unit="GB-month",
                usage_based=True,
                usage_key="storageGb",
            )
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {REPOSITORY: Pricer("Amazon ECR", parse, price)}

FREE = {
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "lifecycle policies are free",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "repository policies are free",
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": "basic scanning is free",
}
