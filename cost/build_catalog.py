"""Developer tool: build the bundled price catalog `cost/data/catalog.json` from the shared pricing data set.

Run once from the repository root, then commit the output:

    .venv/bin/python -m cost.build_catalog ../shared/pricing/aws-list-prices.json

The project never reads the shared data set at run time or in tests; only the committed catalog. Rows the data
set lacks but a cited source gives are kept in `cost/data/supplements/*.json` (catalog-format `sources` and
`regions.<region>.prices`, each row with its source, date and grade) and merged in after the data set's rows.
Every row keeps its source, unit, date and confidence grade. Rows an AWS-owned source marks `suspect` are
dropped (they cannot be real prices); every other grade is kept with its grade, and the estimator notes S-PL
prices as provisional and S prices as unverified placeholders.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cost.catalog import CATALOG_PATH, SCHEMA_VERSION

SUPPLEMENTS_DIR = CATALOG_PATH.parent / "supplements"

ROW_FIELDS = (
    "description",
    "unit",
    "tier",
    "sku",
    "rate_code",
    "sku_hint",
    "usagetype",
    "source",
    "source_id",
    "date",
    "date_kind",
    "confidence",
    "derivation",
    "notes",
    "cross_checks",
    "disagreement",
)


def exact_usd(row: dict[str, Any]) -> str:
    """The price as an exact decimal string: `usd_raw` when it is a plain number, else the float `usd`."""
    raw = row.get("usd_raw")
    if isinstance(raw, str):
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is not None and value == Decimal(repr(float(row["usd"]))):
            return raw
    return repr(float(row["usd"]))


def convert_row(service: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row["id"], "service": service, "usd": exact_usd(row)}
    out.update({key: row[key] for key in ROW_FIELDS if row.get(key) is not None})
    return out


def data_date(data: dict[str, Any]) -> str:
    """The data set's date: its last update (`updated` starts with the date of the newest extension) when
    there is one, else `generated`; a catalog must not read older than the prices it ships."""
    dates = [str(data.get("generated", ""))]
    updated = re.match(r"\d{4}-\d{2}-\d{2}", str(data.get("updated", "")))
    if updated:
        dates.append(updated.group(0))
    return max(dates)


def build(data: dict[str, Any]) -> dict[str, Any]:
    regions: dict[str, Any] = {}
    dropped: list[str] = []
    for region, services in data["regions"].items():
        prices: dict[str, Any] = {}
        for service, rows in services.items():
            for row in rows:
                if row.get("suspect"):
                    dropped.append(f"{region}:{row['id']}")
                    continue
                prices[row["id"]] = convert_row(service, row)
        regions[region] = {"label": data["region_labels"][region], "prices": prices}
    return {
        "schema_version": SCHEMA_VERSION,
        "catalog_date": data_date(data),
        "currency": data["currency"],
        "built_from": {
            "title": data.get("title", ""),
            "generated": data.get("generated", ""),
            "updated": data.get("updated", ""),
            "dropped_suspect_rows": dropped,
        },
        "sources": {source["id"]: source for source in data.get("generated_from", [])},
        "regions": regions,
        "gaps": data.get("gaps", {}),
        "statements": data.get("statements", []),
    }


def add_supplements(catalog: dict[str, Any], paths: list[Path]) -> dict[str, Any]:
    """Merge supplement files into a built catalog (their rows replace data-set rows of the same id)."""
    for path in paths:
        supplement = json.loads(path.read_text(encoding="utf-8"))
        catalog["sources"].update(supplement.get("sources", {}))
        for region, body in supplement.get("regions", {}).items():
            catalog["regions"][region]["prices"].update(body["prices"])
    return catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="path to aws-list-prices.json")
    parser.add_argument("--output", type=Path, default=CATALOG_PATH)
    args = parser.parse_args(argv)
    try:
        data = json.loads(args.source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"cannot read the pricing data set {args.source}: {exc}", file=sys.stderr)
        return 2
    catalog = add_supplements(build(data), sorted(SUPPLEMENTS_DIR.glob("*.json")))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    count = sum(len(r["prices"]) for r in catalog["regions"].values())
    print(f"wrote {args.output}: {count} prices in {len(catalog['regions'])} regions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
