"""`policies.request_scope`: memoized only inside a scope, by object identity, per thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

from policies import request_scope


def counter() -> tuple[list[object], Callable[[object], str]]:
    calls: list[object] = []

    def compute(value: object) -> str:
        calls.append(value)
        return f"value #{len(calls)}"

    return calls, compute


def test_outside_a_scope_nothing_is_memoized() -> None:
    calls, compute = counter()
    source = object()
    assert not request_scope.active()
    assert [request_scope.memo("k", source, compute, source) for _ in range(3)] == [
        "value #1",
        "value #2",
        "value #3",
    ]
    assert request_scope.memo_all("k", (source,), lambda: compute(source)) == "value #4"
    assert calls == [source] * 4


def test_inside_a_scope_each_object_and_kind_is_computed_once() -> None:
    calls, compute = counter()
    first, second = {"a": 1}, {"a": 1}  # equal, but different objects
    with request_scope.scope():
        assert request_scope.active()
        assert request_scope.memo("k", first, compute, first) == "value #1"
        assert request_scope.memo("k", first, compute, first) == "value #1"
        assert request_scope.memo("k", second, compute, second) == "value #2"
        assert request_scope.memo("other", first, compute, first) == "value #3"
    assert calls == [first, second, first]
    assert not request_scope.active()


def test_scopes_do_not_share_and_nested_scopes_start_empty() -> None:
    calls, compute = counter()
    source = object()
    with request_scope.scope():
        request_scope.memo("k", source, compute, source)
        with request_scope.scope():
            assert request_scope.memo("k", source, compute, source) == "value #2"
        assert request_scope.memo("k", source, compute, source) == "value #1"
    with request_scope.scope():
        assert request_scope.memo("k", source, compute, source) == "value #3"
    assert len(calls) == 3


def test_an_entry_keeps_its_source_alive_so_a_new_object_never_hits_it() -> None:
    calls, compute = counter()
    with request_scope.scope():
        for _ in range(200):  # without the reference held, CPython would hand out the freed id again
            request_scope.memo("k", object(), compute, None)
    assert len(calls) == 200


def test_memo_all_is_keyed_by_every_source_in_order() -> None:
    calls, compute = counter()
    a, b = object(), object()
    with request_scope.scope():
        results = [
            request_scope.memo_all("stack", (a, b), lambda: compute("ab")),
            request_scope.memo_all("stack", (a, b), lambda: compute("ab again")),
            request_scope.memo_all("stack", (b, a), lambda: compute("ba")),
            request_scope.memo_all("stack", (a,), lambda: compute("a")),
        ]
    assert results == ["value #1", "value #1", "value #2", "value #3"]
    assert calls == ["ab", "ba", "a"]


def test_scopes_are_per_thread() -> None:
    seen: list[bool] = []
    with request_scope.scope():
        worker = threading.Thread(target=lambda: seen.append(request_scope.active()))
        worker.start()
        worker.join()
        assert request_scope.active()
    assert seen == [False]
