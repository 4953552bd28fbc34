"""Helpers shared by the platform rules: metadata defaults and small property judgements.

Their attachment joins (a file system's backup policy, a web ACL's logging configuration, a cluster's
audit-logging resource) are `policies.rules.attached` indexes over the stack's resource graph.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from policies.metadata import RuleMeta
from policies.rules.framework import JoinRule, ResourceRule, Settings
from policies.rules.props import Key, View
from policies.rules.resilience.data import PROD_MANDATORY as PROD_MANDATORY
from policies.rules.stack_index import Stack

CMK = "set it to a customer-managed aws.kms.Key ARN (AWS-managed keys are not under your key policy)."


def resource_rule(check: Callable[[View, Settings], Iterable[str]], **fields: Any) -> ResourceRule:
    return ResourceRule(RuleMeta(kind="resource", **fields), check)


def join_rule(
    index: Callable[[Stack], Any], judge: Callable[[View, Any, Settings], Iterable[str]], **fields: Any
) -> JoinRule[Any]:
    return JoinRule(RuleMeta(kind="stack", **fields), index, judge)


def dotted(path: Iterable[Key]) -> str:
    return ".".join(str(key) for key in path)


def require_value(
    view: View, path: tuple[Key, ...], allowed: Collection[str], default: str | None, fix: str
) -> Iterator[str]:
    """The string at `path` (`default` when unset) must be one of `allowed` (compared case-insensitively)."""
    value = view.str_(*path)
    effective = value if value is not None else default
    if effective is None or effective.lower() not in {item.lower() for item in allowed}:
        shown = "not set" if value is None else repr(value)
        yield f"`{dotted(path)}` is {shown}; {fix}"


def require_flag(view: View, path: tuple[Key, ...], fix: str, default: bool = False) -> Iterator[str]:
    """The boolean at `path` (`default` when unset) must be true."""
    value = view.bool_(*path)
    if (default if value is None else value) is not True:
        yield f"`{dotted(path)}` is {'not set' if value is None else 'false'}; {fix}"


def require_key(view: View, path: tuple[Key, ...], fix: str) -> Iterator[str]:
    """A key reference must be set (an unknown counts: it is a computed ARN)."""
    if not view.has(*path):
        yield f"`{dotted(path)}` is not set; {fix}"
