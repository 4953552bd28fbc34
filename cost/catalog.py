"""The bundled, dated, region-aware price catalog (`cost/data/catalog.json`).

Loaded once and indexed by (region, price id), so pricing a resource never scans the catalog. A price the
catalog does not hold is reported as missing with a reason (the data set's recorded gap when there is one),
never guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from inventory.errors import InputError

CATALOG_PATH = Path(__file__).parent / "data" / "catalog.json"
SCHEMA_VERSION = 1

PROVISIONAL_GRADES = frozenset({"S-PL"})
UNVERIFIED_GRADES = frozenset({"S"})

_TIER_SCALE = {
    "tb": Decimal(1024),
    "gb": Decimal(1),
    "gb_s": Decimal(1),
    "million": Decimal(1_000_000),
    "": Decimal(1),
}

# Which recorded gap explains a missing price: price-id prefix -> (catalog service, word in the gap's item).
_GAP_HINTS: tuple[tuple[str, str, str], ...] = (
    ("sagemaker.training.", "sagemaker", "training"),
    ("sagemaker.hosting.", "sagemaker", "hosting"),
    ("sagemaker.serverless", "sagemaker", "serverless"),
    ("nat_gateway.", "networking", "NAT"),
    ("fargate_spot.", "fargate", "Spot"),
    ("sqs.", "sqs", "tier"),
    ("opensearch.serverless", "opensearch", "Serverless"),
    ("sagemaker.notebook.", "sagemaker", "notebook instances"),
    ("sagemaker.ml_storage.notebook", "sagemaker", "notebook instances"),
    ("ebs.", "ebs", "EBS"),
    ("msk.serverless.storage", "msk", "Serverless storage"),
)


# Price ids `cost refresh` can fill from the AWS Price List (cost.refresh.default_specs stays within these).
REFRESHABLE_PREFIXES = ("sagemaker.", "nat_gateway.", "fargate.", "fargate_spot.", "rds.postgresql.")


class CatalogError(InputError):
    """The catalog file is missing or malformed; the message names the file (exit code 2, like bad input)."""


@dataclass(frozen=True)
class Price:
    """One catalog row: the price of ONE `unit` in USD, with where it came from."""

    id: str
    region: str
    usd: Decimal
    unit: str
    description: str
    date: str
    confidence: str
    source: str
    tier_from: Decimal | None = None
    tier_to: Decimal | None = None

    @property
    def caveat(self) -> str:
        """A note for prices that are not yet AWS-verified (empty for A/A-bill/G/G* grades)."""
        if self.confidence in PROVISIONAL_GRADES:
            return f"provisional price (grade {self.confidence}, {self.date}): verify with `cost refresh`"
        if self.confidence in UNVERIFIED_GRADES:
            grade = f"grade {self.confidence}, {self.date}"
            return f"unverified secondary price ({grade}): verify with `cost refresh`"
        return ""


class Catalog:
    """Prices by region and id, tier groups, and the data set's recorded gaps."""

    def __init__(self, data: dict[str, Any], origin: str = "catalog") -> None:
        try:
            self.date: str = data["catalog_date"]
            self.currency: str = data["currency"]
            regions = data["regions"]
            self._gaps: dict[str, list[dict[str, Any]]] = data.get("gaps", {})
            self._prices = {
                (region, pid): _price(region, row)
                for region, body in regions.items()
                for pid, row in body["prices"].items()
            }
        except (KeyError, TypeError, AttributeError, ArithmeticError) as exc:
            raise CatalogError(
                f"{origin} is not a price catalog (schema {SCHEMA_VERSION}): {exc!r}"
            ) from None
        self.regions: tuple[str, ...] = tuple(regions)
        self._tiers = _tier_index(self._prices.values())

    def price(self, region: str, price_id: str) -> Price | None:
        return self._prices.get((region, price_id))

    def tiers(self, region: str, group: str) -> tuple[Price, ...]:
        """The tiers of a tiered price (rows `<group>.tier1`, `.tier2`... with bounds), lowest first."""
        return self._tiers.get((region, group), ())

    def __len__(self) -> int:
        return len(self._prices)

    def missing_reason(self, region: str, price_id: str) -> str:
        """Why `price_id` has no price in `region`, in one sentence for the user."""
        if region not in self.regions:
            known = ", ".join(self.regions)
            return f"region {region} is not in the price catalog ({self.date}; regions: {known})"
        reason = f"no price '{price_id}' for {region} in the catalog ({self.date})"
        gap = self._gap_for(region, price_id)
        if gap:
            reason += f": {gap}"
        if price_id.startswith(REFRESHABLE_PREFIXES):
            return reason + "; `python -m cost refresh` fills it from the AWS Price List"
        return reason + " (`cost refresh` does not cover it)"

    def _gap_for(self, region: str, price_id: str) -> str:
        for prefix, service, word in _GAP_HINTS:
            if not price_id.startswith(prefix):
                continue
            for gap in self._gaps.get(region, []):
                if gap.get("service") == service and word.lower() in gap.get("item", "").lower():
                    return f"{gap['item']} - {gap['reason']}"
        return ""


def _price(region: str, row: dict[str, Any]) -> Price:
    tier_from, tier_to = _tier_bounds(row.get("tier"))
    return Price(
        id=row["id"],
        region=region,
        usd=_plain(Decimal(row["usd"])),
        unit=row["unit"],
        description=row.get("description", row["id"]),
        date=str(row.get("date", "")),
        confidence=row.get("confidence", ""),
        source=row.get("source", ""),
        tier_from=tier_from,
        tier_to=tier_to,
    )


def _plain(value: Decimal) -> Decimal:
    """The same amount without trailing zeros or exponent notation (0.0450000000 -> 0.045)."""
    return Decimal(format(value.normalize(), "f"))


def _tier_bounds(tier: dict[str, Any] | None) -> tuple[Decimal | None, Decimal | None]:
    """Tier bounds in the price's own unit (S3 tiers are given in TB of a GB-month price: 1 TB = 1024 GB)."""
    if not tier:
        return None, None
    for suffix, scale in _TIER_SCALE.items():
        low_key = f"from_{suffix}" if suffix else "from"
        if low_key in tier:
            high = tier.get(f"to_{suffix}" if suffix else "to")
            return Decimal(str(tier[low_key])) * scale, None if high is None else Decimal(str(high)) * scale
    return None, None


def _tier_index(prices: Any) -> dict[tuple[str, str], tuple[Price, ...]]:
    groups: dict[tuple[str, str], list[Price]] = {}
    for price in prices:
        group, _, last = price.id.rpartition(".")
        if price.tier_from is not None and last.startswith("tier") and last[4:].isdigit():
            groups.setdefault((price.region, group), []).append(price)
    return {
        key: tuple(sorted(rows, key=lambda p: int(p.id.rpartition(".tier")[2])))
        for key, rows in groups.items()
    }


def read_catalog(path: Path) -> Catalog:
    """Load a catalog file (the bundled one or a refreshed copy)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"cannot read the price catalog {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(f"the price catalog {path} is not valid JSON: {exc}") from None
    return Catalog(data, origin=str(path))


@cache
def bundled_catalog() -> Catalog:
    """The catalog shipped with the package, loaded once per process."""
    return read_catalog(CATALOG_PATH)
