"""Small reusable judgements shared by several rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from policies.rules.framework import Settings
from policies.rules.props import Key, View

Check = Callable[[View, Settings], Iterator[str]]


def _dotted(path: tuple[Key, ...]) -> str:
    return ".".join(str(key) for key in path)


def require_set(*path: Key, fix: str) -> Check:
    """The property at `path` must be set (an unknown counts as set: it is only computed later)."""

    def check(view: View, _settings: Settings) -> Iterator[str]:
        if not view.has(*path):
            yield f"`{_dotted(path)}` is not set; {fix}"

    return check


def require_true(*path: Key, fix: str) -> Check:
    """The boolean at `path` must be true (unset counts as false)."""

    def check(view: View, _settings: Settings) -> Iterator[str]:
        if view.bool_(*path) is not True:
            state = "not set" if view.get(*path) is None else "false"
            yield f"`{_dotted(path)}` is {state}; {fix}"

    return check


def all_of(*checks: Check) -> Check:
    def check(view: View, settings: Settings) -> Iterator[str]:
        for each in checks:
            yield from each(view, settings)

    return check
