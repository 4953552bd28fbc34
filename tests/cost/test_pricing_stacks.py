"""Our own stacks, synthesized under the SDK mocks and estimated with their usage files: every custom
resource is priced, free, usage-dependent or unpriced with a reason (no silent zero, no unsupported type), and
the usage files name only resources that exist."""

from __future__ import annotations

import fnmatch
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from cost import CostReport, estimate, load_usage
from cost.model import STATUSES
from inventory import Inventory, synthesize

ROOT = Path(__file__).resolve().parents[2]
STACKS = ("dev", "staging", "prod")

pytestmark = pytest.mark.slow


@cache
def estimated(name: str) -> tuple[str, Inventory, CostReport]:
    inventory = synthesize(ROOT, name)
    return name, inventory, estimate(inventory, usage=load_usage(ROOT / f"usage.{name}.yaml"))


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> tuple[str, Inventory, CostReport]:
    return estimated(request.param)


def test_every_custom_resource_has_a_status_and_no_silent_zero(stack):
    _, inventory, report = stack
    assert [r.urn for r in report.resources] == sorted(r.urn for r in inventory.custom())
    for cost in report.resources:
        assert cost.status in STATUSES, cost.name
        if cost.status in ("free", "unpriced"):
            assert cost.reason, cost.name
        if cost.status == "priced":
            assert cost.monthly_usd > 0, cost.name
            assert all(c.unit_price is not None or not c.quantity for c in cost.components), cost.name
        assert cost.min_usd <= cost.monthly_usd <= cost.max_usd, cost.name
    assert [r.type for r in report.resources if "no pricer for resource type" in r.reason] == []


def test_totals_add_up(stack):
    _, _, report = stack
    assert report.total_monthly_usd == sum((r.monthly_usd for r in report.resources), Decimal(0))
    assert report.range[1] == report.total_monthly_usd
    assert report.unpriced == [r for r in report.resources if r.status == "unpriced"]
    assert (report.region, report.catalog_date) == ("us-east-1", "2026-12-02")


def test_usage_file_names_only_existing_resources(stack):
    name, inventory, _ = stack
    usage = load_usage(ROOT / f"usage.{name}.yaml")
    names = [r.name for r in inventory.custom()]
    types = {r.type for r in inventory.custom()}
    assert [key for key in usage.resources if not fnmatch.filter(names, key)] == []
    assert [key for key in usage.defaults if key not in types] == []


def test_prod_figures():
    _, _, report = estimated("prod")
    by_name = {r.name: r for r in report.resources}
    nats = [r for r in report.resources if r.type == "aws:ec2/natGateway:NatGateway"]
    assert len(nats) == 3
    assert {c.monthly_usd for r in nats for c in r.components if c.name == "NAT gateway"} == {
        Decimal("32.85")
    }
    endpoint = next(c for c in by_name["ml-endpoint"].components if c.name.startswith("ml.m5.xlarge hosting"))
    assert endpoint.monthly_usd == Decimal("335.8")  # 2 instances x 730 h x 0.23; autoscaling 1..10
    shared = next(s for s in report.savings if s.kind == "shared-alb")
    assert shared.monthly_saving_usd == Decimal("32.85")  # 3 services behind one ALB: 2 x 730 h x 0.0225
    assert {s.name for s in report.savings if s.kind == "spot"} == {
        "ml-training-pipeline",
        "orchestration-state-machine",
    }
