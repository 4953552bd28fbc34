"""SageMaker notebook instances and Studio apps (always on while they exist).

A Studio app (JupyterLab, CodeEditor, KernelGateway, RStudio) runs on `resourceSpec.instanceType` and bills
the Studio-notebook rate (`sagemaker.studio_notebook.<type>`) for `hoursPerMonth` (default 730: an app runs
until it is deleted). JupyterServer apps (the classic Studio UI) run on no billed instance. A notebook
instance bills the classic Notebook rate and its ML storage (`volumeSize`, default 5 GB); the catalog has
neither (a recorded gap), so notebook instances are unpriced with the gap, never priced at the Studio rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.pricing.base import (
    Context,
    FreeResource,
    Priced,
    Pricer,
    as_decimal,
    component,
    hourly,
    known,
    plain,
)

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon SageMaker"
APP = "aws:sagemaker/app:App"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
DEFAULT_NOTEBOOK_GB = 5
DEFAULT_APP_INSTANCE = {
    "KernelGateway": "ml.t3.medium",
    "JupyterLab": "ml.t3.medium",
    "CodeEditor": "ml.t3.medium",
}
"""Studio's default instance for each app type (AWS docs: ml.t3.medium for CPU images)."""


@dataclass(frozen=True)
class AppSpec:
    app_type: str
    instance_type: str


def parse_app(resource: Resource, ctx: Context) -> AppSpec:
    app_type = str(known(resource.inputs.get("appType"), "appType"))
    spec = resource.inputs.get("resourceSpec") or {}
    instance = spec.get("instanceType") or DEFAULT_APP_INSTANCE.get(app_type)
    if app_type == "JupyterServer" or instance == "system":
        raise FreeResource("the JupyterServer app (Studio's UI) runs on no billed instance")
    return AppSpec(app_type=app_type, instance_type=str(known(instance, "resourceSpec.instanceType")))


def price_app(spec: AppSpec, ctx: Context) -> Priced:
    hours = ctx.usage.hours_per_month if ctx.usage.hours_per_month is not None else hourly(1)
    return Priced(
        components=[
            component(
                ctx,
                f"Studio {spec.app_type} app ({spec.instance_type})",
                f"sagemaker.studio_notebook.{spec.instance_type}",
                hours,
                unit="instance-hour",
                note=f"{plain(hours)} h a month (`hoursPerMonth`; an app runs until it is deleted)",
            )
        ]
    )


@dataclass(frozen=True)
class NotebookSpec:
    instance_type: str
    volume_gb: Decimal


def parse_notebook(resource: Resource, ctx: Context) -> NotebookSpec:
    inputs = resource.inputs
    return NotebookSpec(
        instance_type=str(known(inputs.get("instanceType"), "instanceType")),
        volume_gb=as_decimal(inputs.get("volumeSize") or DEFAULT_NOTEBOOK_GB, "volumeSize"),
    )


def price_notebook(spec: NotebookSpec, ctx: Context) -> Priced:
    hours = ctx.usage.hours_per_month if ctx.usage.hours_per_month is not None else hourly(1)
    return Priced(
        components=[
            component(
                ctx,
                f"Notebook instance ({spec.instance_type})",
                f"sagemaker.notebook.{spec.instance_type}",
                hours,
                unit="instance-hour",
            ),
            component(
                ctx,
                f"Notebook ML storage ({plain(spec.volume_gb)} GB)",
                "sagemaker.ml_storage.notebook",
                spec.volume_gb,
                unit="GB-month",
            ),
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    APP: Pricer(SERVICE, parse_app, price_app),
    NOTEBOOK: Pricer(SERVICE, parse_notebook, price_notebook),
}

FREE = {
    "aws:sagemaker/domain:Domain": (
        "the Studio domain is free; its apps are priced (EFS bills its home volume)"
    ),
    "aws:sagemaker/userProfile:UserProfile": "user profiles are free; their apps are priced",
    "aws:sagemaker/space:Space": "spaces are free; the apps running in them are priced",
    "aws:sagemaker/notebookInstanceLifecycleConfiguration:NotebookInstanceLifecycleConfiguration": (
        "lifecycle configurations are free"
    ),
    "aws:sagemaker/studioLifecycleConfig:StudioLifecycleConfig": "lifecycle configurations are free",
}
