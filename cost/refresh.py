"""Refresh the price catalog from the AWS Price List, filling the bundled data set's gaps.

Two sources, same rows:
- `bulk` (no credentials): the public offer files
  `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json`
  (`products` + `terms.OnDemand[sku][term].priceDimensions`). Large: the AmazonEC2 file of a region (NAT
  gateways) is hundreds of MB; prefer `query` for it.
- `query` (AWS credentials): `pricing:GetProducts` through boto3, filtered per row; `PriceList` is a list of
  JSON strings with the same product/terms shape.

Each catalog row to fill is a `RowSpec`: the offer, the usage type without its region prefix
(`Train:ml.m5.large` matches `USE1-Train:ml.m5.large` and `EU-Train:...`; `NatGateway-Hours` is unprefixed in
us-east-1) and the attributes that must match. Only products of the AWS Region itself qualify (not Local Zones
or Outposts). Several matching products with different prices, or a unit other than the row's, leave the row
unfilled with the reason: a refresh never guesses either. A refreshed row keeps the id, is graded A (AWS-owned
data), carries the offer's publication date and source, and keeps the value it replaces in `cross_checks`.
"""

from __future__ import annotations

import argparse
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from cost.catalog import CATALOG_PATH, Catalog, CatalogError
from inventory.errors import InputError

BULK_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/{offer}/current/{region}/index.json"
QUERY_ENDPOINT_REGION = "us-east-1"
SOURCE_ID = "aws-price-list"

_HOURS = ("hrs", "hours", "hour")
_GB = ("gb",)
_GB_MONTH = ("gb-mo", "gb-month")

SAGEMAKER_TYPES = (
    "ml.t3.medium",
    "ml.m5.large",
    "ml.m5.xlarge",
    "ml.m5.2xlarge",
    "ml.m5.4xlarge",
    "ml.c5.large",
    "ml.c5.xlarge",
    "ml.c5.2xlarge",
    "ml.g4dn.xlarge",
    "ml.g4dn.2xlarge",
    "ml.g5.xlarge",
    "ml.g5.2xlarge",
    "ml.p3.2xlarge",
    "ml.m6i.large",
    "ml.m6i.xlarge",
    "ml.c6i.xlarge",
)
RDS_CLASSES = (
    "db.t3.micro",
    "db.t3.small",
    "db.t3.medium",
    "db.t3.large",
    "db.t4g.micro",
    "db.t4g.small",
    "db.t4g.medium",
    "db.t4g.large",
    "db.m5.large",
    "db.m5.xlarge",
    "db.m6g.large",
    "db.m6g.xlarge",
    "db.m6g.2xlarge",
    "db.r5.large",
    "db.r6g.large",
    "db.r6g.xlarge",
)
GROUPS = ("sagemaker", "nat", "fargate", "rds")


class RefreshError(InputError):
    """The Price List could not be read (network, credentials) or the catalog could not be written."""


@dataclass(frozen=True)
class RowSpec:
    """One catalog row and how to find it in the Price List."""

    price_id: str
    offer: str
    usagetype: str
    """The usage type without its region prefix."""
    unit: str
    aws_units: tuple[str, ...]
    catalog_service: str
    attributes: tuple[tuple[str, str], ...] = ()


def default_specs(groups: Sequence[str] = GROUPS) -> list[RowSpec]:
    """The rows a refresh fills: the data set's known gaps and the prices they sit next to."""
    specs: list[RowSpec] = []
    if "sagemaker" in groups:
        for kind, job in (("training", "Train"), ("hosting", "Host")):
            specs += [
                RowSpec(
                    f"sagemaker.{kind}.{t}",
                    "AmazonSageMaker",
                    f"{job}:{t}",
                    "instance-hour",
                    _HOURS,
                    "sagemaker",
                )
                for t in SAGEMAKER_TYPES
            ]
        specs += [
            RowSpec(
                f"sagemaker.ml_storage.{name}",
                "AmazonSageMaker",
                f"{job}:VolumeUsage.gp2",
                "GB-month",
                _GB_MONTH,
                "sagemaker",
            )
            for name, job in (("training", "Train"), ("endpoint", "Host"))
        ]
    if "nat" in groups:
        specs += [
            RowSpec("nat_gateway.hour", "AmazonEC2", "NatGateway-Hours", "hour", _HOURS, "networking"),
            RowSpec("nat_gateway.data_processed", "AmazonEC2", "NatGateway-Bytes", "GB", _GB, "networking"),
        ]
    if "fargate" in groups:
        for market, prefix in (("fargate", ""), ("fargate_spot", "SpotUsage-")):
            for arch, infix in (("linux_x86", ""), ("linux_arm", "ARM-")):
                specs += [
                    RowSpec(
                        f"{market}.{arch}.vcpu_hour",
                        "AmazonECS",
                        f"{prefix}Fargate-{infix}vCPU-Hours:perCPU",
                        "vCPU-hour",
                        _HOURS,
                        "fargate",
                    ),
                    RowSpec(
                        f"{market}.{arch}.gb_hour",
                        "AmazonECS",
                        f"{prefix}Fargate-{infix}GB-Hours",
                        "GB-hour",
                        _HOURS,
                        "fargate",
                    ),
                ]
    if "rds" in groups:
        for deployment, usage, az in (
            ("Single-AZ", "InstanceUsage", "single_az"),
            ("Multi-AZ", "Multi-AZUsage", "multi_az"),
        ):
            specs += [
                RowSpec(
                    f"rds.postgresql.{c}.{az}",
                    "AmazonRDS",
                    f"{usage}:{c}",
                    "instance-hour",
                    _HOURS,
                    "rds_postgresql",
                    (("databaseEngine", "PostgreSQL"), ("deploymentOption", deployment)),
                )
                for c in RDS_CLASSES
            ]
    return specs


# --- sources ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """One product with its on-demand terms, as both APIs return it."""

    product: dict[str, Any]
    on_demand: dict[str, Any]
    published: str
    source: str


class PriceSource(Protocol):
    def offers(self, spec: RowSpec, region: str) -> Iterable[Offer]: ...


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        body: bytes = response.read()
        return body


class BulkOffers:
    """The public bulk offer files (no credentials); each (offer, region) file is read once."""

    def __init__(self, fetch: Callable[[str], bytes] = http_get) -> None:
        self._fetch = fetch
        self._files: dict[tuple[str, str], list[Offer]] = {}

    def offers(self, spec: RowSpec, region: str) -> Iterable[Offer]:
        key = (spec.offer, region)
        if key not in self._files:
            self._files[key] = self._load(spec.offer, region)
        return self._files[key]

    def _load(self, offer: str, region: str) -> list[Offer]:
        url = BULK_URL.format(offer=offer, region=region)
        try:
            data = json.loads(self._fetch(url))
            products, terms = data["products"], data["terms"].get("OnDemand", {})
        except (urllib.error.URLError, OSError) as exc:
            raise RefreshError(f"cannot download the AWS Price List offer file {url}: {exc}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RefreshError(f"the AWS Price List offer file {url} is not an offer file: {exc!r}") from None
        published = str(data.get("publicationDate", ""))
        return [Offer(p, terms.get(sku, {}), published, url) for sku, p in products.items()]


class PriceListQuery:
    """`pricing:GetProducts` through a boto3 `pricing` client (needs AWS credentials)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def offers(self, spec: RowSpec, region: str) -> Iterable[Offer]:
        filters = [
            {"Type": "TERM_MATCH", "Field": "regionCode", "Value": region},
            {"Type": "CONTAINS", "Field": "usagetype", "Value": spec.usagetype},
            *({"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in spec.attributes),
        ]
        source = f"AWS Price List GetProducts {spec.offer} (usagetype *{spec.usagetype}, {region})"
        pages = self._client.get_paginator("get_products").paginate(
            ServiceCode=spec.offer, Filters=filters, FormatVersion="aws_v1"
        )
        try:
            for page in pages:
                for text in page["PriceList"]:
                    item = json.loads(text)
                    yield Offer(
                        item["product"],
                        item["terms"].get("OnDemand", {}),
                        item.get("publicationDate", ""),
                        source,
                    )
        except Exception as exc:  # botocore raises many types: credentials, endpoint, throttling
            if isinstance(exc, RefreshError):
                raise
            raise RefreshError(
                f"the AWS Price List query API failed for {spec.offer} in {region}: {exc}; it needs AWS "
                "credentials (`--source bulk` needs none)"
            ) from None


def query_client() -> Any:
    import boto3

    return boto3.client("pricing", region_name=QUERY_ENDPOINT_REGION)


# --- matching -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    row: dict[str, Any]


@dataclass(frozen=True)
class NotFound:
    reason: str


def _matches(spec: RowSpec, region: str, attributes: dict[str, Any], pattern: re.Pattern[str]) -> bool:
    return (
        bool(pattern.fullmatch(str(attributes.get("usagetype", ""))))
        and attributes.get("regionCode", region) == region
        and attributes.get("locationType", "AWS Region") == "AWS Region"
        and all(attributes.get(k) == v for k, v in spec.attributes)
    )


def _dimension(offer: Offer) -> dict[str, Any] | None:
    """The first-tier on-demand price dimension of the offer (None when it has no on-demand term)."""
    for term in offer.on_demand.values():
        dims = list(term.get("priceDimensions", {}).values())
        first = [d for d in dims if str(d.get("beginRange", "0")) == "0"] or dims
        if first:
            return {**first[0], "_effective": term.get("effectiveDate", "")}
    return None


def find(spec: RowSpec, region: str, offers: Iterable[Offer]) -> Found | NotFound:
    """The catalog row for `spec` in `region` from the offers, or why there is none."""
    pattern = re.compile(rf"(?:[A-Z0-9]+-)?{re.escape(spec.usagetype)}")
    hits = []
    for offer in offers:
        if _matches(spec, region, offer.product.get("attributes", {}), pattern):
            dimension = _dimension(offer)
            if dimension is not None:
                hits.append((offer, dimension))
    if not hits:
        return NotFound(f"no on-demand {spec.offer} product with usage type *{spec.usagetype} in {region}")
    prices = {_usd(d) for _, d in hits}
    if len(prices) > 1:
        listed = ", ".join(sorted(str(p) for p in prices if p is not None))
        return NotFound(
            f"{len(hits)} products match *{spec.usagetype} in {region} with different prices ({listed})"
        )
    offer, dimension = hits[0]
    usd = _usd(dimension)
    unit = str(dimension.get("unit", ""))
    if usd is None:
        return NotFound(f"the *{spec.usagetype} product in {region} has no USD price")
    if unit.lower() not in spec.aws_units:
        return NotFound(
            f"the *{spec.usagetype} product in {region} is priced per {unit!r}, not per {spec.unit}"
        )
    return Found(_row(spec, offer, dimension, usd))


def _usd(dimension: dict[str, Any]) -> Decimal | None:
    try:
        return Decimal(str(dimension["pricePerUnit"]["USD"])).normalize()
    except (KeyError, TypeError, InvalidOperation):
        return None


def _row(spec: RowSpec, offer: Offer, dimension: dict[str, Any], usd: Decimal) -> dict[str, Any]:
    attributes = offer.product.get("attributes", {})
    published = (offer.published or dimension.get("_effective", ""))[:10]
    return {
        "id": spec.price_id,
        "service": spec.catalog_service,
        "usd": format(usd, "f"),
        "unit": spec.unit,
        "description": dimension.get("description") or f"{spec.offer} {attributes.get('usagetype')}",
        "sku": offer.product.get("sku"),
        "rate_code": dimension.get("rateCode"),
        "usagetype": attributes.get("usagetype"),
        "source": offer.source,
        "source_id": SOURCE_ID,
        "date": published,
        "date_kind": "AWS Price List publication date of the offer",
        "confidence": "A",
        "notes": f"AWS unit {dimension.get('unit')!r}",
    }


# --- the refresh --------------------------------------------------------------------------------------------


@dataclass
class RefreshResult:
    output: Path
    filled: list[str] = field(default_factory=list)
    """`region:id` rows the catalog did not have."""
    replaced: list[str] = field(default_factory=list)
    """`region:id` rows whose price changed (the old one is kept in `cross_checks`)."""
    confirmed: list[str] = field(default_factory=list)
    """`region:id` rows whose price the Price List confirmed (now graded A)."""
    missing: list[str] = field(default_factory=list)
    """`region:id: reason` rows the Price List did not give."""

    def summary(self) -> str:
        return (
            f"{self.output}: {len(self.filled)} prices filled, {len(self.replaced)} changed, "
            f"{len(self.confirmed)} confirmed, {len(self.missing)} not found"
        )


def refresh_catalog(
    source: PriceSource,
    regions: Sequence[str],
    *,
    specs: Sequence[RowSpec] | None = None,
    catalog_path: Path = CATALOG_PATH,
    output: Path | None = None,
    today: date | None = None,
) -> RefreshResult:
    """Fill `catalog_path` from `source` for `regions` and write it to `output` (default: in place)."""
    data = _read(catalog_path)
    result = RefreshResult(output=output or catalog_path)
    for region in regions:
        prices = data["regions"].setdefault(region, {"label": region, "prices": {}})["prices"]
        for spec in specs if specs is not None else default_specs():
            answer = find(spec, region, source.offers(spec, region))
            key = f"{region}:{spec.price_id}"
            if isinstance(answer, NotFound):
                result.missing.append(f"{key}: {answer.reason}")
                continue
            _merge(prices, answer.row, key, result)
    stamp = (today or date.today()).isoformat()
    data["catalog_date"] = stamp
    data.setdefault("refreshes", []).append(
        {
            "date": stamp,
            "regions": list(regions),
            "filled": len(result.filled),
            "changed": len(result.replaced),
        }
    )
    Catalog(data, origin="the refreshed catalog")  # the result must load
    _write(result.output, data)
    return result


def _merge(prices: dict[str, Any], row: dict[str, Any], key: str, result: RefreshResult) -> None:
    old = prices.get(row["id"])
    if old is None:
        result.filled.append(key)
    else:
        same = Decimal(old["usd"]) == Decimal(row["usd"])
        (result.confirmed if same else result.replaced).append(key)
        previous = {k: old.get(k) for k in ("usd", "source", "date", "confidence")}
        row["cross_checks"] = [
            {**previous, "agrees": same, "previous_primary": True},
            *old.get("cross_checks", []),
        ]
    prices[row["id"]] = row


def _read(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RefreshError(f"cannot read the price catalog {path}: {exc}") from None
    try:
        Catalog(data, origin=str(path))
    except CatalogError as exc:
        raise RefreshError(str(exc)) from None
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise RefreshError(f"cannot write the price catalog {path}: {exc.strerror or exc}") from None


# --- command line (wired as `python -m cost refresh`) -------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", choices=("bulk", "query"), default="bulk", help="offer files or GetProducts"
    )
    parser.add_argument("--region", action="append", dest="regions", help="region to refresh (repeatable)")
    parser.add_argument(
        "--only", action="append", choices=GROUPS, help="refresh only these rows (repeatable)"
    )
    parser.add_argument(
        "--catalog", type=Path, default=CATALOG_PATH, help="catalog to fill (default: bundled)"
    )
    parser.add_argument("--output", type=Path, help="where to write it (default: over --catalog)")


def run(args: argparse.Namespace, *, source: PriceSource | None = None) -> RefreshResult:
    """Run a refresh from parsed `add_arguments` options; the caller prints `result.summary()`."""
    if source is None:
        source = PriceListQuery(query_client()) if args.source == "query" else BulkOffers()
    regions = args.regions or list(_read(args.catalog)["regions"])
    return refresh_catalog(
        source,
        regions,
        specs=default_specs(args.only or GROUPS),
        catalog_path=args.catalog,
        output=args.output,
    )
