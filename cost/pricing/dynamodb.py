"""Amazon DynamoDB tables: on-demand request units or provisioned capacity, storage and PITR backups.

On-demand: `monthlyWriteRequestUnits` / `monthlyReadRequestUnits`. Provisioned: the table's and its global
secondary indexes' RCU/WCU x 730 h; Application Auto Scaling targets (`table/<name>`,
`table/<name>/index/<i>`) give the range. Storage is `storageGb`; PITR bills the same GB when enabled.
Free-tier allowances (25 GB, 25 RCU/WCU) are account-wide and not subtracted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cost.model import HOURS_PER_MONTH, CostComponent
from cost.pricing.base import Context, Priced, Pricer, as_decimal, component, total

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon DynamoDB"
TABLE = "aws:dynamodb/table:Table"
_DIMENSIONS = {"read": "ReadCapacityUnits", "write": "WriteCapacityUnits"}


@dataclass(frozen=True)
class Capacity:
    """Provisioned capacity units of the table or one index: (expected, min, max)."""

    label: str
    read: tuple[int, int, int]
    write: tuple[int, int, int]


@dataclass(frozen=True)
class TableSpec:
    on_demand: bool
    infrequent_access: bool
    pitr: bool
    capacity: tuple[Capacity, ...]


def parse(resource: Resource, ctx: Context) -> TableSpec:
    inputs = resource.inputs
    on_demand = str(inputs.get("billingMode") or "PROVISIONED") == "PAY_PER_REQUEST"
    name = resource.outputs.get("name") or inputs.get("name")
    capacity: tuple[Capacity, ...] = ()
    if not on_demand:
        indexes = inputs.get("globalSecondaryIndexes") or []
        capacity = (
            _capacity(ctx, resource, "table", f"table/{name}", inputs),
            *(
                _capacity(
                    ctx, resource, f"index {i.get('name')}", f"table/{name}/index/{i.get('name')}", i, "index"
                )
                for i in indexes
            ),
        )
    return TableSpec(
        on_demand=on_demand,
        infrequent_access=inputs.get("tableClass") == "STANDARD_INFREQUENT_ACCESS",
        pitr=bool((inputs.get("pointInTimeRecovery") or {}).get("enabled")),
        capacity=capacity,
    )


def _capacity(
    ctx: Context, table: Resource, label: str, resource_id: str, props: dict[str, Any], level: str = "table"
) -> Capacity:
    bounds = {}
    for key, dimension in _DIMENSIONS.items():
        units = int(as_decimal(props.get(f"{key}Capacity", 0), f"{label} {key}Capacity"))
        target = ctx.links.scaling_target(table, resource_id, f"dynamodb:{level}:{dimension}")
        low = int(as_decimal(target.inputs.get("minCapacity"), "minCapacity")) if target else units
        high = int(as_decimal(target.inputs.get("maxCapacity"), "maxCapacity")) if target else units
        bounds[key] = (units, low, high)
    return Capacity(label, bounds["read"], bounds["write"])


def _capacity_components(ctx: Context, spec: TableSpec, which: int) -> list[CostComponent]:
    parts = []
    suffix = ".ia" if spec.infrequent_access else ""
    for cap in spec.capacity:
        for key, units in (("write", cap.write[which]), ("read", cap.read[which])):
            unit = "WCU-hour" if key == "write" else "RCU-hour"
            parts.append(
                component(
                    ctx,
                    f"{'Write' if key == 'write' else 'Read'} capacity ({cap.label})",
                    f"dynamodb.provisioned.{key[0]}cu_hour{suffix}",
                    Decimal(units) * HOURS_PER_MONTH,
                    unit=unit,
                    note=f"{units} units x 730 h",
                )
            )
    return parts


def price(spec: TableSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    suffix = ".ia" if spec.infrequent_access else ""
    if spec.on_demand:
        requests = [
            component(
                ctx,
                f"{word} request units (on-demand)",
                f"dynamodb.on_demand.{key}{suffix}",
                getattr(usage, f"monthly_{word.lower()}_request_units"),
                unit=key.upper(),
                usage_based=True,
                usage_key=f"monthly{word}RequestUnits",
            )
            for word, key in (("Write", "wru"), ("Read", "rru"))
        ]
    else:
        requests = _capacity_components(ctx, spec, 0)
    storage = [
        component(
            ctx,
            "Data storage",
            "dynamodb.storage.standard_ia" if spec.infrequent_access else "dynamodb.storage.standard",
            usage.storage_gb,
            unit="GB-month",
            usage_based=True,
            usage_key="storageGb",
        )
    ]
    if spec.pitr:
        storage.append(
            component(
                ctx,
                "Point-in-time recovery backups",
                "dynamodb.backup.pitr",
                usage.storage_gb,
                unit="GB-month",
                usage_based=True,
                usage_key="storageGb",
            )
        )
    priced = Priced(components=requests + storage)
    if not spec.on_demand:
        priced.min_usd = total(_capacity_components(ctx, spec, 1)) + total(storage)
        priced.max_usd = total(_capacity_components(ctx, spec, 2)) + total(storage)
    return priced


PRICERS: dict[str, Pricer[Any]] = {TABLE: Pricer(SERVICE, parse, price)}

FREE = {
    "aws:dynamodb/tableItem:TableItem": "table items are free (their storage is the table's `storageGb`)",
    "aws:dynamodb/resourcePolicy:ResourcePolicy": "resource policies are free",
}
