"""Values computed once per analyzer RPC and shared by every policy that runs in it.

pulumi-policy runs each policy of an `Analyze` or `AnalyzeStack` call one after the other, and each one
converts the same request again; `policies.servicer_cache` opens a scope around each call so that such
work is done once. Entries are keyed by the *identity* of the objects they were computed from, and the
scope holds those objects until the call ends, so an id can never be reused for another object while its
entry exists: a hit always means "computed from these very objects". Outside a scope (another RPC, a unit
test calling a rule directly, a pulumi-policy version the cache does not support) nothing is memoized.

Scopes are per thread: the pack's gRPC server answers up to four calls at once, one per worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_local = threading.local()


@contextmanager
def scope() -> Iterator[None]:
    """Memoize `memo()` calls on this thread until the block ends (nested scopes start empty)."""
    outer = getattr(_local, "table", None)
    _local.table = {}
    try:
        yield
    finally:
        _local.table = outer


def active() -> bool:
    return getattr(_local, "table", None) is not None


def memo(kind: str, source: object, compute: Callable[..., T], *args: Any) -> T:
    """`compute(*args)` once per scope for the same `kind` and `source` object (by identity).

    This is the hot path (pulumi-policy converts the same request once per policy, for every resource), so
    it takes one object and no closure.
    """
    table: dict[Hashable, tuple[object, Any]] | None = getattr(_local, "table", None)
    if table is None:
        return compute(*args)
    key = (kind, id(source))
    hit = table.get(key)
    if hit is None:
        hit = table[key] = (source, compute(*args))  # keeps the source alive, so its id stays its own
    return hit[1]


def memo_all(kind: str, sources: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()` once per scope for the same `kind` and the same `sources` objects (by identity)."""
    table: dict[Hashable, tuple[object, Any]] | None = getattr(_local, "table", None)
    if table is None:
        return compute()
    key = (kind, tuple(map(id, sources)))
    hit = table.get(key)
    if hit is None:
        hit = table[key] = (sources, compute())
    return hit[1]
