"""Amazon SageMaker real-time and serverless endpoints.

An endpoint is priced from the endpoint configuration it deploys: per production variant, instance type x
instance count x 730 h, plus its ML storage volume when sized. The range comes from each variant's Application
Auto Scaling target (`endpoint/<name>/variant/<variant>`). Serverless variants are usage-based (requests x
duration x memory). Training is priced in `cost.pricing.training`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import CostComponent
from cost.pricing.base import (
    ZERO,
    Context,
    Priced,
    Pricer,
    SpecError,
    as_decimal,
    component,
    hourly,
    known,
    plain,
    total,
)

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon SageMaker"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
ENDPOINT_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
# The ML-storage row's id differs between the data set's sources; the first present is used.
HOSTING_STORAGE_IDS = ("sagemaker.hosting.ml_storage_gp", "sagemaker.ml_storage.endpoint")


@dataclass(frozen=True)
class Variant:
    name: str
    instance_type: str | None
    """None for a serverless variant."""
    initial_count: int
    min_count: int
    max_count: int
    volume_gb: int
    serverless_memory_mb: int


@dataclass(frozen=True)
class EndpointSpec:
    variants: tuple[Variant, ...]


def parse(resource: Resource, ctx: Context) -> EndpointSpec:
    config = ctx.links.ref(resource, "endpointConfigName", ENDPOINT_CONFIG)
    if config is None:
        raise SpecError("the endpoint's configuration is not in the inventory, so its instances are unknown")
    name = resource.outputs.get("name") or resource.inputs.get("name")
    raw = list(config.inputs.get("productionVariants") or []) + list(
        config.inputs.get("shadowProductionVariants") or []
    )
    if not raw:
        raise SpecError(f"endpoint configuration {config.name} has no production variants")
    return EndpointSpec(variants=tuple(_variant(resource, ctx, str(name), item) for item in raw))


def _variant(endpoint: Resource, ctx: Context, endpoint_name: str, item: dict[str, Any]) -> Variant:
    variant_name = str(item.get("variantName") or "AllTraffic")
    serverless = item.get("serverlessConfig")
    if serverless:
        memory = int(as_decimal(serverless.get("memorySizeInMb"), "serverlessConfig.memorySizeInMb"))
        return Variant(variant_name, None, 0, 0, 0, 0, memory)
    instance_type = str(known(item.get("instanceType"), f"variant {variant_name} instanceType"))
    count = int(
        as_decimal(item.get("initialInstanceCount", 1), f"variant {variant_name} initialInstanceCount")
    )
    target = ctx.links.scaling_target(endpoint, f"endpoint/{endpoint_name}/variant/{variant_name}")
    low = int(as_decimal(target.inputs.get("minCapacity"), "minCapacity")) if target else count
    high = int(as_decimal(target.inputs.get("maxCapacity"), "maxCapacity")) if target else count
    volume = int(item.get("volumeSizeInGb") or 0)
    return Variant(variant_name, instance_type, count, low, high, volume, 0)


def override(spec: EndpointSpec, overrides: dict[str, Any]) -> EndpointSpec:
    """Right-sizing: replace variant fields (e.g. `instance_type`) on every instance-based variant."""
    return EndpointSpec(
        variants=tuple(
            v if v.instance_type is None else dataclasses.replace(v, **overrides) for v in spec.variants
        )
    )


def _storage_id(ctx: Context) -> str:
    return next((i for i in HOSTING_STORAGE_IDS if ctx.catalog.price(ctx.region, i)), HOSTING_STORAGE_IDS[0])


def _instance_components(ctx: Context, variant: Variant, count: Decimal) -> list[CostComponent]:
    label = f"{variant.instance_type} hosting ({variant.name})"
    parts = [
        component(
            ctx,
            label,
            f"sagemaker.hosting.{variant.instance_type}",
            hourly(count),
            unit="instance-hour",
            note=f"{plain(count)} instances x 730 h",
        )
    ]
    if variant.volume_gb:
        parts.append(
            component(
                ctx,
                f"ML storage ({variant.name})",
                _storage_id(ctx),
                count * variant.volume_gb,
                unit="GB-month",
            )
        )
    return parts


def _serverless_components(ctx: Context, variant: Variant) -> list[CostComponent]:
    usage = ctx.usage
    seconds = None
    if usage.monthly_requests is not None and usage.avg_duration_ms is not None:
        seconds = usage.monthly_requests * usage.avg_duration_ms / 1000
    gb_seconds = None if seconds is None else seconds * Decimal(variant.serverless_memory_mb) / 1024
    return [
        component(
            ctx,
            f"Serverless inference ({variant.name}, {variant.serverless_memory_mb} MB)",
            "sagemaker.serverless_inference.gb_second",
            gb_seconds,
            unit="GB-second",
            usage_based=True,
            usage_key="monthlyRequests and avgDurationMs",
        )
    ]


def _data_components(ctx: Context) -> list[CostComponent]:
    return [
        component(
            ctx,
            f"Data processed {way}",
            f"sagemaker.hosting.data_{way}",
            getattr(ctx.usage, f"monthly_data_{way}_gb"),
            unit="GB",
            usage_based=True,
            usage_key=f"monthlyData{way.capitalize()}Gb",
        )
        for way in ("in", "out")
    ]


def price(spec: EndpointSpec, ctx: Context) -> Priced:
    expected = ctx.usage.expected_count
    components: list[CostComponent] = []
    low = high = ZERO
    for variant in spec.variants:
        if variant.instance_type is None:
            components += _serverless_components(ctx, variant)
            continue
        count = Decimal(expected if expected is not None else variant.initial_count)
        components += _instance_components(ctx, variant, count)
        low += total(_instance_components(ctx, variant, Decimal(variant.min_count)))
        high += total(_instance_components(ctx, variant, Decimal(variant.max_count)))
    components += _data_components(ctx)
    usage_part = total(c for c in components if c.usage_based)
    return Priced(components=components, min_usd=low + usage_part, max_usd=high + usage_part)


PRICERS: dict[str, Pricer[Any]] = {ENDPOINT: Pricer(SERVICE, parse, price, override)}

FREE = {
    ENDPOINT_CONFIG: "endpoint configurations are free; their instances are priced on the endpoint",
    "aws:sagemaker/model:Model": "models are free; the instances that serve them are priced on the endpoint",
    "aws:sagemaker/modelPackageGroup:ModelPackageGroup": "model package groups are free (artifacts: S3)",
    "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": "resource policies are free",
}
