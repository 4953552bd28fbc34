"""Helpers shared by the platform rules: metadata defaults, small property judgements and attachment joins.

An attachment join answers "which resources of type B point at this resource A" (a file system's backup
policy, a web ACL's logging configuration, a cluster's audit-logging resource): the pointer is followed
through the engine's property dependencies first (they survive preview, where the id is still unknown), then
by matching its literal value against the subject's identifying props.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

from policies.metadata import RuleMeta
from policies.rules.framework import JoinRule, ResourceRule, Settings
from policies.rules.props import Key, View, is_unknown
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


def identifiers(view: View, keys: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for key in keys:
        value = view.props.get(key)
        if isinstance(value, str) and value and not is_unknown(value):
            out.add(value)
    return out


def attachments(
    stack: Stack,
    subject_types: Collection[str],
    attachment_types: Collection[str],
    pointer: str,
    subject_keys: Iterable[str] = ("id", "arn", "name"),
) -> Mapping[str, list[View]]:
    """Subject URN -> the attachments whose `pointer` prop names it (by property dependency or by value)."""
    subjects = stack.of_types(subject_types)
    by_value: dict[str, list[str]] = defaultdict(list)
    for subject in subjects:
        for identifier in identifiers(subject, subject_keys):
            by_value[identifier].append(subject.urn)
    kinds = set(subject_types)
    out: dict[str, list[View]] = defaultdict(list)
    for attachment in stack.of_types(attachment_types):
        urns = [
            urn
            for urn in attachment.property_dependencies.get(pointer, ())
            if (target := stack.get(urn)) is not None and target.type in kinds
        ]
        pointed = attachment.props.get(pointer)
        for entry in pointed if isinstance(pointed, list) else [pointed]:
            if isinstance(entry, str) and not is_unknown(entry):
                urns.extend(by_value.get(entry, ()))
        for urn in dict.fromkeys(urns):
            out[urn].append(attachment)
    return out
