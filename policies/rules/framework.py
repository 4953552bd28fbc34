"""Turns rule definitions into pulumi-policy policies with uniform waiver, unknown and config handling.

Three shapes of rule:
- `ResourceRule`: judges one resource from its own props (O(1) per resource);
- `JoinRule`: a stack policy that indexes the stack once, then judges each subject resource against the index
  (O(n)); findings are attached to the subject's URN. Within one `AnalyzeStack` call the stack index, and
  each join index, is built once and shared by the policies that use it (`policies.request_scope`);
- `StackRule`: a stack policy judging the stack as a whole (e.g. the budget).

A check yields violation messages. `Unknown`, `Malformed` and `Skip` stop the check for that subject only and
become a not-applicable reason; waived findings also become not-applicable reasons. In stack policies the
reasons of all subjects are joined into one not-applicable entry, one line per subject (`<name> (<urn>):
<reason>`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies import request_scope, waivers
from policies.frameworks import FRAMEWORKS
from policies.metadata import RuleMeta
from policies.rules.props import Malformed, Skip, Unknown, View, plain
from policies.rules.stack_index import Stack

IndexT = TypeVar("IndexT")


class Settings:
    """A policy's config: schema defaults overlaid with the pack config the engine passed."""

    def __init__(self, meta: RuleMeta, raw: Mapping[str, Any] | None) -> None:
        defaults = {key: schema["default"] for key, schema in meta.config.items() if "default" in schema}
        self.values: dict[str, Any] = {**defaults, **plain(dict(raw or {}))}
        self.waivers = waivers.parse(self.values.get("waivers"), meta.name)

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


@dataclass(frozen=True)
class Finding:
    """A stack rule's violation; `subject` None means the stack as a whole."""

    message: str
    subject: View | None = None


def _collect(run: Callable[[], Iterable[str]]) -> tuple[list[str], str | None]:
    messages: list[str] = []
    try:
        for message in run():
            messages.append(message)
    except (Unknown, Malformed, Skip) as stop:
        return messages, stop.reason()
    return messages, None


def _settle(
    messages: list[str], blocked: str | None, settings: Settings, urn: str, name: str
) -> tuple[list[str], list[str]]:
    """Split a subject's outcome into messages to report and not-applicable reasons (waivers, unknowns)."""
    reasons = [blocked] if blocked else []
    if not messages:
        return [], reasons
    waiver = waivers.find(settings.waivers, urn, name, dt.date.today())
    if waiver is None:
        return messages, reasons
    if waiver.active(dt.date.today()):
        return [], [f"{len(messages)} finding(s) {waiver.describe()}", *reasons]
    return [f"{message} {waiver.expired_note()}" for message in messages], reasons


def _line(view: View | None, reason: str) -> str:
    return f"{view.name} ({view.urn}): {reason}" if view else f"{waivers.STACK_SUBJECT}: {reason}"


_LINE = re.compile(r"^(?P<name>.+?) \((?P<urn>urn:pulumi:[^)]*)\): (?P<reason>.*)$")


def split_not_applicable(reason: str) -> list[tuple[str | None, str]]:
    """A stack policy's not-applicable reason as (resource URN or None for the whole stack, reason) pairs."""
    pairs: list[tuple[str | None, str]] = []
    for line in reason.splitlines():
        match = _LINE.match(line)
        pairs.append((match["urn"], match["reason"]) if match else (None, line.removeprefix("stack: ")))
    return pairs


def _schema_properties(meta: RuleMeta) -> dict[str, dict[str, Any]]:
    return {
        "waivers": dict(waivers.WAIVER_SCHEMA),
        **{key: dict(value) for key, value in meta.config.items()},
    }


def _compliance_framework(meta: RuleMeta) -> PolicyComplianceFramework | None:
    """pulumi-policy carries one framework per policy: the rule's first control (all are in the tags)."""
    if not meta.controls:
        return None
    first = meta.controls[0]
    standard = FRAMEWORKS[first.framework]
    return PolicyComplianceFramework(standard.name, standard.version, first.id)


def _policy_kwargs(meta: RuleMeta) -> dict[str, Any]:
    return {
        "name": meta.name,
        "description": meta.description,
        "enforcement_level": EnforcementLevel(meta.default_level),
        "config_schema": PolicyConfigSchema(properties=_schema_properties(meta)),
        "severity": Severity(meta.severity),
        "framework": _compliance_framework(meta),
        "tags": meta.tags,
        "remediation_steps": meta.remediation,
        "url": meta.url,
    }


def _view_of_args(args: ResourceValidationArgs) -> View:
    provider = plain(args.provider.props) if args.provider is not None else None
    return View(
        args.resource_type,
        args.name,
        args.urn,
        plain(args.props),
        provider,
        parent=args.opts.parent,
        protect=bool(args.opts.protect),
    )


def _view_of_resource(resource: PolicyResource) -> View:
    return View(
        resource.resource_type,
        resource.name,
        resource.urn,
        plain(resource.props),
        plain(resource.provider.props) if resource.provider is not None else None,
        {key: [dep.urn for dep in deps] for key, deps in resource.property_dependencies.items()},
        [dep.urn for dep in resource.dependencies],
        resource.parent.urn if resource.parent is not None else None,
        resource.provider.urn if resource.provider is not None else None,
    )


def stack_of(args: StackValidationArgs) -> Stack:
    """The stack index, built once per `AnalyzeStack` call and shared by every stack policy of the call.

    With `policies.servicer_cache` installed, the policies of one call receive the very same props objects,
    which is what the memo is keyed on; otherwise (or outside a call) each policy builds its own.
    """
    resources = args.resources
    return request_scope.memo_all(
        "stack",
        tuple(resource.props for resource in resources),
        lambda: Stack(map(_view_of_resource, resources)),
    )


@dataclass(frozen=True)
class ResourceRule:
    meta: RuleMeta
    check: Callable[[View, Settings], Iterable[str]]

    def policy(self) -> ResourceValidationPolicy:
        return ResourceValidationPolicy(validate=self.validate, **_policy_kwargs(self.meta))

    def validate(self, args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type not in self.meta.resource_types:
            return
        settings = Settings(self.meta, args.get_config())
        view = _view_of_args(args)
        messages, blocked = _collect(lambda: self.check(view, settings))
        to_report, reasons = _settle(messages, blocked, settings, view.urn, view.name)
        for message in to_report:
            report(message, None)
        if reasons:
            args.not_applicable("; ".join(reasons))


@dataclass(frozen=True)
class JoinRule(Generic[IndexT]):
    meta: RuleMeta
    index: Callable[[Stack], IndexT]
    judge: Callable[[View, IndexT, Settings], Iterable[str]]

    def policy(self) -> StackValidationPolicy:
        return StackValidationPolicy(validate=self.validate, **_policy_kwargs(self.meta))

    def validate(self, args: StackValidationArgs, report: ReportViolation) -> None:
        settings = Settings(self.meta, args.get_config())
        stack = stack_of(args)
        index = request_scope.memo_all("join-index", (stack, self.index), lambda: self.index(stack))
        reasons: list[str] = []
        for view in stack.of_types(self.meta.resource_types):
            messages, blocked = _collect(partial(self.judge, view, index, settings))
            to_report, subject_reasons = _settle(messages, blocked, settings, view.urn, view.name)
            for message in to_report:
                report(message, view.urn)
            reasons.extend(_line(view, reason) for reason in subject_reasons)
        if reasons:
            args.not_applicable("\n".join(sorted(reasons)))  # stable whatever the registration order


@dataclass(frozen=True)
class StackRule:
    meta: RuleMeta
    check: Callable[[Stack, Settings], Iterable[Finding]]

    def policy(self) -> StackValidationPolicy:
        return StackValidationPolicy(validate=self.validate, **_policy_kwargs(self.meta))

    def validate(self, args: StackValidationArgs, report: ReportViolation) -> None:
        settings = Settings(self.meta, args.get_config())
        stack = stack_of(args)
        findings: list[Finding] = []
        reasons: list[str] = []
        try:
            findings.extend(self.check(stack, settings))
        except (Unknown, Malformed, Skip) as stop:
            reasons.append(stop.reason())
        for finding in findings:
            subject = finding.subject
            urn = subject.urn if subject else ""
            name = subject.name if subject else waivers.STACK_SUBJECT
            to_report, subject_reasons = _settle([finding.message], None, settings, urn, name)
            for message in to_report:
                report(message, urn or None)
            reasons.extend(_line(subject, reason) for reason in subject_reasons)
        if reasons:
            args.not_applicable("\n".join(sorted(reasons)))  # stable whatever the registration order


Rule = ResourceRule | JoinRule[Any] | StackRule
