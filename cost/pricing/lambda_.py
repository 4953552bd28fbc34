"""AWS Lambda: requests, duration (GB-seconds, tiered, x86 or arm64), ephemeral storage above 512 MB and
provisioned concurrency. Usage: `monthlyRequests`, `avgDurationMs`. The free tier is account-wide and not
subtracted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import HOURS_PER_MONTH
from cost.pricing.base import Context, Priced, Pricer, SpecError, as_decimal, component, tiered

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "AWS Lambda"
FUNCTION = "aws:lambda/function:Function"
PROVISIONED = "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig"
FREE_EPHEMERAL_MB = 512
_SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600


@dataclass(frozen=True)
class FunctionSpec:
    memory_mb: int
    arm: bool
    ephemeral_mb: int

    @property
    def arch(self) -> str:
        return "arm" if self.arm else "x86"


def parse(resource: Resource, ctx: Context) -> FunctionSpec:
    inputs = resource.inputs
    return FunctionSpec(
        memory_mb=int(as_decimal(inputs.get("memorySize", 128), "memorySize")),
        arm="arm64" in (inputs.get("architectures") or []),
        ephemeral_mb=int((inputs.get("ephemeralStorage") or {}).get("size", FREE_EPHEMERAL_MB)),
    )


def price(spec: FunctionSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    requests, duration_ms = usage.monthly_requests, usage.avg_duration_ms
    seconds = None if requests is None or duration_ms is None else requests * duration_ms / 1000
    gb_seconds = None if seconds is None else seconds * Decimal(spec.memory_mb) / 1024
    label = "arm64" if spec.arm else "x86"
    components = [
        component(
            ctx,
            "Requests",
            f"lambda.{spec.arch}.requests",
            requests,
            unit="request",
            usage_based=True,
            usage_key="monthlyRequests",
        ),
        *tiered(
            ctx,
            f"Duration ({label}, {spec.memory_mb} MB)",
            f"lambda.{spec.arch}.duration",
            gb_seconds,
            unit="GB-second",
            usage_key="monthlyRequests and avgDurationMs",
        ),
    ]
    if spec.ephemeral_mb > FREE_EPHEMERAL_MB:
        extra_gb = Decimal(spec.ephemeral_mb - FREE_EPHEMERAL_MB) / 1024
        components.append(
            component(
                ctx,
                f"Ephemeral storage above {FREE_EPHEMERAL_MB} MB",
                f"lambda.{spec.arch}.ephemeral_storage",
                None if seconds is None else seconds * extra_gb,
                unit="GB-second",
                usage_based=True,
                usage_key="monthlyRequests and avgDurationMs",
            )
        )
    return Priced(components=components)


@dataclass(frozen=True)
class ProvisionedSpec:
    executions: int
    function: FunctionSpec


def parse_provisioned(resource: Resource, ctx: Context) -> ProvisionedSpec:
    functions = ctx.links.refs(resource, "functionName")
    function = next((f for f in functions if f.type == FUNCTION), None)
    if function is None:
        raise SpecError(
            "the function of this provisioned concurrency is not in the inventory (its memory is unknown)"
        )
    executions = int(
        as_decimal(resource.inputs.get("provisionedConcurrentExecutions"), "provisionedConcurrentExecutions")
    )
    return ProvisionedSpec(executions=executions, function=parse(function, ctx))


def price_provisioned(spec: ProvisionedSpec, ctx: Context) -> Priced:
    gb = Decimal(spec.function.memory_mb) / 1024
    return Priced(
        components=[
            component(
                ctx,
                f"Provisioned concurrency ({spec.executions} x {spec.function.memory_mb} MB)",
                f"lambda.{spec.function.arch}.provisioned_concurrency",
                spec.executions * gb * _SECONDS_PER_MONTH,
                unit="GB-second",
                note="always on: 730 h x 3600 s",
            )
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    FUNCTION: Pricer(SERVICE, parse, price),
    PROVISIONED: Pricer(SERVICE, parse_provisioned, price_provisioned),
}

FREE = {
    "aws:lambda/permission:Permission": "resource-based permissions are free",
    "aws:lambda/alias:Alias": "aliases are free",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "event source mappings are free",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": "invoke configurations are free",
    "aws:lambda/layerVersion:LayerVersion": "layer versions are free (they count toward code storage)",
    "aws:lambda/functionUrl:FunctionUrl": "function URLs are free; requests are priced on the function",
}
