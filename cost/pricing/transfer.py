"""Data transfer: inter-region (billed in the region the data leaves), internet egress and cross-AZ traffic.

AWS bills inter-region transfer out of the source region at a rate that depends on the destination
(`data_transfer.inter_region.to_<region>`); receiving is free. Internet egress is tiered
(`data_transfer.out_internet.tierN`) and cross-AZ traffic is billed per GB in each direction.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from cost.model import CostComponent
from cost.pricing.base import Context, component, tiered


def inter_region(
    ctx: Context,
    name: str,
    source: str,
    destination: str,
    gb: Decimal | None,
    *,
    usage_key: str = "monthlyDataProcessedGb",
) -> CostComponent:
    """GB sent from `source` to `destination` region, priced at the source region's rate."""
    if not source or not destination or destination == source:
        where = "both ends are in one region" if source and destination else "an end's region is unknown"
        return component(
            ctx,
            name,
            "data_transfer.inter_region",
            gb,
            unit="GB",
            usage_based=True,
            usage_key=usage_key,
            note=f"inter-region transfer: {where}",
        )
    priced = component(
        dataclasses.replace(ctx, region=source),
        f"{name} ({source} to {destination})",
        f"data_transfer.inter_region.to_{destination}",
        gb,
        unit="GB",
        usage_based=True,
        usage_key=usage_key,
        note=f"billed in {source}, the region the data leaves",
    )
    return priced if source == ctx.region else dataclasses.replace(priced, region=source)


def internet_egress(ctx: Context, name: str, gb: Decimal | None, *, usage_key: str) -> list[CostComponent]:
    """GB sent to the internet (tiered on this resource's own volume)."""
    return tiered(ctx, name, "data_transfer.out_internet", gb, unit="GB", usage_key=usage_key)


def cross_az(ctx: Context, gb: Decimal | None) -> list[CostComponent]:
    """GB between availability zones: billed once leaving one AZ and once entering the other."""
    if gb is None:
        return []
    return [
        component(
            ctx,
            "Cross-AZ data transfer (both directions)",
            "data_transfer.intra_region.cross_az",
            gb * 2,
            unit="GB",
            usage_based=True,
            note="each GB between AZs is billed out and in",
        )
    ]
