"""Inventories of the test programs, synthesized once per test session and shared by the test modules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from inventory import Inventory, synthesize

PROGRAMS = Path(__file__).resolve().parent / "programs"


@cache
def small_dev() -> Inventory:
    """The small test program's dev stack (tests must not modify it)."""
    return synthesize(PROGRAMS / "small", "dev")
