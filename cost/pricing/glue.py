"""AWS Glue jobs and crawlers, and Amazon Athena workgroups: all billed by usage.

A job bills DPU-hours: runs per month (`monthlyRuns`) x hours per run (`hoursPerRun`) x its DPUs
(`numberOfWorkers` x the worker type's DPUs, else `maxCapacity`), at the Flex rate when `executionClass` is
FLEX. Crawlers bill DPU-hours (`monthlyDpuHours`). Athena bills TB scanned (`monthlyTbScanned`). The Data
Catalog's first million objects and requests a month are free, so databases and tables are listed as free.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, SpecError, as_decimal, component, plain

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "AWS Glue"
JOB = "aws:glue/job:Job"
CRAWLER = "aws:glue/crawler:Crawler"
WORKGROUP = "aws:athena/workgroup:Workgroup"
WORKER_DPUS = {
    "Standard": Decimal(1),
    "G.025X": Decimal("0.25"),
    "G.1X": Decimal(1),
    "G.2X": Decimal(2),
    "G.4X": Decimal(4),
    "G.8X": Decimal(8),
    "Z.2X": Decimal(2),
}
"""DPUs per worker, as AWS Glue documents each worker type."""


@dataclass(frozen=True)
class JobSpec:
    dpus: Decimal
    flex: bool


def parse_job(resource: Resource, ctx: Context) -> JobSpec:
    inputs = resource.inputs
    worker = inputs.get("workerType")
    if worker:
        if worker not in WORKER_DPUS:
            raise SpecError(f"worker type {worker} is not known (known: {', '.join(WORKER_DPUS)})")
        dpus = WORKER_DPUS[str(worker)] * as_decimal(inputs.get("numberOfWorkers"), "numberOfWorkers")
    else:
        command = str((inputs.get("command") or {}).get("name") or "glueetl")
        default = "0.0625" if command == "pythonshell" else "10"  # AWS Glue's defaults
        dpus = as_decimal(inputs.get("maxCapacity") or default, "maxCapacity")
    return JobSpec(dpus=dpus, flex=str(inputs.get("executionClass") or "STANDARD").upper() == "FLEX")


def price_job(spec: JobSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    runs, hours = usage.monthly_runs, usage.hours_per_run
    quantity, note = None, ""
    if runs is not None and hours is not None:
        quantity = runs * hours * spec.dpus
        note = f"{plain(runs)} runs x {plain(hours)} h x {plain(spec.dpus)} DPU"
    kind = "Flex" if spec.flex else "Standard"
    return Priced(
        components=[
            component(
                ctx,
                f"ETL job DPU-hours ({kind}, {plain(spec.dpus)} DPU)",
                "glue.etl_job_flex.dpu_hour" if spec.flex else "glue.etl_job.dpu_hour",
                quantity,
                unit="DPU-hour",
                usage_based=True,
                usage_key="monthlyRuns and hoursPerRun",
                note=note,
            )
        ]
    )


def parse_name(resource: Resource, ctx: Context) -> str:
    return resource.name


def price_crawler(spec: str, ctx: Context) -> Priced:
    return Priced(
        components=[
            component(
                ctx,
                "Crawler DPU-hours",
                "glue.crawler.dpu_hour",
                ctx.usage.monthly_dpu_hours,
                unit="DPU-hour",
                usage_based=True,
                usage_key="monthlyDpuHours",
            )
        ]
    )


def price_workgroup(spec: str, ctx: Context) -> Priced:
    return Priced(
        components=[
            component(
                ctx,
                "Data scanned by queries",
                "athena.sql.tb_scanned",
                ctx.usage.monthly_tb_scanned,
                unit="TB",
                usage_based=True,
                usage_key="monthlyTbScanned",
                note="AWS bills at least 10 MB per query",
            )
        ]
    )


PRICERS: dict[str, Pricer[Any]] = {
    JOB: Pricer(SERVICE, parse_job, price_job),
    CRAWLER: Pricer(SERVICE, parse_name, price_crawler),
    WORKGROUP: Pricer("Amazon Athena", parse_name, price_workgroup),
}

_CATALOG = "Data Catalog objects are free up to a million per account-month (not subtracted elsewhere either)"
FREE = {
    "aws:glue/catalogDatabase:CatalogDatabase": _CATALOG,
    "aws:glue/catalogTable:CatalogTable": _CATALOG,
    "aws:glue/connection:Connection": "Glue connections are free",
    "aws:glue/securityConfiguration:SecurityConfiguration": "Glue security configurations are free",
    "aws:glue/trigger:Trigger": "Glue triggers are free; the jobs they start are priced",
    "aws:glue/workflow:Workflow": "Glue workflows are free; their jobs and crawlers are priced",
    "aws:athena/database:Database": "Athena databases are free (Glue Data Catalog)",
    "aws:athena/namedQuery:NamedQuery": "saved queries are free; queries bill on the workgroup",
    "aws:athena/dataCatalog:DataCatalog": "Athena data catalog registrations are free",
}
