"""EventBridge event patterns: the documented grammar, and a pattern on an AWS source matches a real event.

Grammar (eb-event-patterns.html, eb-create-pattern-operators.html): an object whose leaves are arrays of
values or content filters (`prefix`, `suffix`, `anything-but`, `numeric`, `exists`, `cidr`, `wildcard`,
`equals-ignore-case`), with `$or` for alternatives. A pattern on AWS sources must match at least one of the
sample events AWS documents for them (`data/sample_events.json`, copied from AWS's pages), else the rule never
fires; when a source or detail-type it names has no sample there, it is "could not evaluate", not a verdict.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from policies.metadata import RuleMeta
from policies.rules.framework import Rule, Settings
from policies.rules.props import Skip, View, as_map
from policies.rules.validity.common import close_to, document_rule, rejected
from policies.rules.validity.iam_defs import read_data

EVENT_RULE = ("aws:cloudwatch/eventRule:EventRule",)
FILTERS = ("prefix", "suffix", "anything-but", "numeric", "exists", "cidr", "wildcard", "equals-ignore-case")
_NUMERIC_OPERATORS = ("<", "<=", "=", ">", ">=")
_SCALAR = (str, int, float, bool, type(None))
_MISSING = object()
CLOUDTRAIL = "AWS API Call via CloudTrail"  # the detail-type every AWS source sends its API calls as


# --- grammar --------------------------------------------------------------------------------------------


def grammar(node: Any, where: str) -> Iterator[str]:
    if not isinstance(node, Mapping) or not node:
        yield f"`{where}` should be a non-empty object of fields."
        return
    for key, value in node.items():
        path = f"{where}.{key}"
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2:
                yield f"`{path}` should be a list of at least two patterns."
                continue
            for index, alternative in enumerate(value):
                yield from grammar(alternative, f"{path}[{index}]")
        elif isinstance(value, Mapping):
            yield from grammar(value, path)
        elif isinstance(value, list):
            if not value:
                yield f"`{path}` is an empty array, which matches nothing."
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from _filter(item, f"{path}[{index}]")
                elif not isinstance(item, _SCALAR):
                    yield f"`{path}[{index}]` should be a value or a content filter."
        else:
            yield f"`{path}` should be an array of values (`[{value!r}]`) or an object."


def _strings(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
    )


def _operand_ok(name: str, operand: Any) -> bool:
    if name in ("prefix", "suffix"):
        return isinstance(operand, str) or (
            isinstance(operand, Mapping)
            and list(operand) == ["equals-ignore-case"]
            and isinstance(operand["equals-ignore-case"], str)
        )
    if name in ("wildcard", "equals-ignore-case"):
        return isinstance(operand, str)
    if name == "exists":
        return isinstance(operand, bool)
    if name == "cidr":
        return isinstance(operand, str) and _network(operand)
    if name == "numeric":
        return _numeric(operand)
    return _anything_but(operand)


def _network(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def _numeric(operand: Any) -> bool:
    if not isinstance(operand, list) or len(operand) not in (2, 4):
        return False
    pairs = list(zip(operand[::2], operand[1::2], strict=True))
    return all(
        op in _NUMERIC_OPERATORS and isinstance(v, int | float) and not isinstance(v, bool) for op, v in pairs
    )


def _anything_but(operand: Any) -> bool:
    if isinstance(operand, str | int | float) and not isinstance(operand, bool):
        return True
    if isinstance(operand, list):
        return bool(operand) and (
            all(isinstance(v, str) for v in operand)
            or all(isinstance(v, int | float) and not isinstance(v, bool) for v in operand)
        )
    if isinstance(operand, Mapping) and len(operand) == 1:
        ((name, inner),) = operand.items()
        return (name in ("prefix", "suffix") and isinstance(inner, str)) or (
            name in ("equals-ignore-case", "wildcard") and _strings(inner)
        )
    return False


def _filter(item: Mapping[str, Any], where: str) -> Iterator[str]:
    if len(item) != 1:
        yield f"`{where}` should hold exactly one content filter, got {sorted(item)}."
        return
    ((name, operand),) = item.items()
    if name not in FILTERS:
        yield f"`{where}`: `{name}` is not an EventBridge content filter{close_to(name, FILTERS)}."
    elif not _operand_ok(name, operand):
        yield f"`{where}`: `{name}` has an invalid operand {operand!r}."


# --- matching against sample events ---------------------------------------------------------------------


@cache
def _samples() -> dict[str, Any]:
    return read_data("sample_events.json")


def _fixed_match(item: Any, value: str) -> bool:
    """A pattern value or filter against a value AWS really sends."""
    if not isinstance(item, Mapping):
        return item == value
    ((name, operand),) = item.items()
    if name == "exists":
        return operand is True
    if name == "equals-ignore-case":
        return value.lower() == str(operand).lower()
    if name in ("prefix", "suffix"):
        ignore = isinstance(operand, Mapping)
        text = str(operand["equals-ignore-case"]) if ignore else str(operand)
        subject, text = (value.lower(), text.lower()) if ignore else (value, text)
        return subject.startswith(text) if name == "prefix" else subject.endswith(text)
    if name == "wildcard":
        return fnmatchcase(value, str(operand).replace("[", "[[]").replace("?", "[?]"))
    if name == "anything-but":
        return not _anything_but_hits(operand, value)
    return False


def _anything_but_hits(operand: Any, value: str) -> bool:
    if isinstance(operand, Mapping):
        ((name, inner),) = operand.items()
        if name == "equals-ignore-case":
            return value.lower() in [v.lower() for v in ([inner] if isinstance(inner, str) else inner)]
        return _fixed_match({name: inner}, value)
    return value in (operand if isinstance(operand, list) else [operand])


def _example_match(item: Any, value: Any) -> bool:
    """A pattern value or filter against an example value: satisfiable by some value of the same type."""
    if value is None:
        return True
    if not isinstance(item, Mapping):
        return type(item) is type(value) or (isinstance(item, int | float) and isinstance(value, int | float))
    ((name, _operand),) = item.items()
    if name == "exists":
        return _operand is True
    if name == "numeric":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str) or name == "anything-but"


def _leaf(items: list[Any], value: Any, fixed: list[str] | None) -> bool:
    if value is _MISSING:
        return any(isinstance(i, Mapping) and i.get("exists") is False for i in items)
    values = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, Mapping) and item.get("exists") is False:
            continue
        if fixed is not None and any(_fixed_match(item, v) for v in fixed):
            return True
        if fixed is None and any(_example_match(item, v) for v in values):
            return True
    return False


def matches(
    pattern: Mapping[str, Any],
    event: Any,
    fixed: Mapping[str, list[str]],
    base: str = "",
    open_paths: frozenset[str] = frozenset(),
) -> bool:
    """Whether some event like `event` matches; under `open_paths` the sample does not say what AWS sends,
    so any condition there is satisfiable."""
    event_map = event if isinstance(event, Mapping) else {}
    for key, condition in pattern.items():
        if key == "$or":
            if not any(matches(alt, event, fixed, base, open_paths) for alt in condition):
                return False
            continue
        path = f"{base}.{key}" if base else key
        value = event_map.get(key, _MISSING)
        if path in open_paths:
            continue
        if isinstance(condition, Mapping):
            if not matches(condition, value if value is not _MISSING else {}, fixed, path, open_paths):
                return False
        elif not _leaf(condition, value, fixed.get(path)):
            return False
    return True


def _literal_sources(pattern: Mapping[str, Any]) -> list[str] | None:
    sources = pattern.get("source")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        return None
    return sources


@dataclass(frozen=True)
class Sample:
    """A documented event of one source (a CloudTrail-shaped sample is re-sourced for each AWS source)."""

    kind: str
    event: Mapping[str, Any]
    fixed: Mapping[str, list[str]]
    open_paths: frozenset[str] = frozenset()


@cache
def _by_source() -> tuple[dict[str, list[Sample]], tuple[Mapping[str, Any], ...]]:
    """The samples per source, and the ones that stand for any `aws.*` source."""
    by_source: dict[str, list[Sample]] = {}
    any_source: list[Mapping[str, Any]] = []
    for sample in _samples()["samples"]:
        if sample.get("any_aws_source"):
            any_source.append(sample)
            continue
        kind = sample["fixed"]["detail-type"][0]
        by_source.setdefault(sample["fixed"]["source"][0], []).append(
            Sample(kind, sample["event"], sample["fixed"])
        )
    return by_source, tuple(any_source)


def _samples_of(source: str) -> list[Sample]:
    by_source, any_source = _by_source()
    resourced = [
        Sample(
            s["fixed"]["detail-type"][0],
            {**s["event"], "source": source},
            {**s["fixed"], "source": [source]},
            frozenset(s.get("open_paths", ())),
        )
        for s in any_source
    ]
    return [*by_source.get(source, []), *resourced]


def _documented(source: str) -> list[str] | None:
    values = _samples()["detail_types"].get(source, {}).get("values")
    return None if values is None else [*values, CLOUDTRAIL]


def _unknown_kinds(sources: list[str], kinds: list[str], where: str) -> Iterator[str]:
    for source in sources:
        documented = _documented(source)
        for kind in kinds:
            if documented is not None and kind not in documented:
                hint = close_to(kind, documented)
                yield f"`{where}.detail-type` {kind!r} is not an event `{source}` sends{hint}."
                return


def _unsampled(sources: list[str], kinds: list[str] | None) -> list[str]:
    """The (source, detail-type) pairs the pattern may match that have no sample: a pattern naming no
    detail-type may match any the source documents (all of them, when it documents no list)."""
    missing: list[str] = []
    for source in sources:
        sampled = {sample.kind for sample in _samples_of(source)}
        wanted = kinds if kinds is not None else _documented(source)
        if wanted is None:
            missing.append(f"{source} (any detail-type)")
        missing.extend(f"{source} {kind!r}" for kind in wanted or [] if kind not in sampled)
    return missing


def _samples_check(pattern: Mapping[str, Any], where: str) -> Iterator[str]:
    sources = _literal_sources(pattern)
    if not sources or not all(source.startswith("aws.") for source in sources):
        return  # a custom source (or a filter on `source`) can send anything: the grammar is all we judge
    raw_kinds = pattern.get("detail-type")
    kinds = [k for k in raw_kinds if isinstance(k, str)] if isinstance(raw_kinds, list) else None
    if kinds is not None and len(kinds) < len(raw_kinds or []):
        kinds = None  # a content filter on detail-type: any of the source's detail-types may match
    problems = list(_unknown_kinds(sources, kinds or [], where))
    if problems:
        yield from problems
        return
    candidates = [
        sample
        for source in sources
        for sample in _samples_of(source)
        if kinds is None or sample.kind in kinds
    ]
    if any(matches(pattern, sample.event, sample.fixed) for sample in candidates):
        return
    missing = _unsampled(sources, kinds)
    if missing:
        raise Skip(
            f"could not evaluate: no documented sample event of {', '.join(missing)} to match `{where}`"
        )
    open_kinds = sorted(
        {
            s.kind
            for s in candidates
            if s.open_paths and matches(pattern, s.event, s.fixed, open_paths=s.open_paths)
        }
    )
    if open_kinds:
        raise Skip(
            f"could not evaluate: `{where}` matches a sample of {', '.join(open_kinds)} only where the "
            "sample does not say what AWS sends"
        )
    shown = ", ".join(sorted({sample.kind for sample in candidates}))
    yield f"`{where}` matches none of the documented sample events of {', '.join(sources)} ({shown})."


def judge(pattern: Any, where: str) -> Iterator[str]:
    problems = list(grammar(pattern, where))
    yield from problems
    if not problems:
        yield from _samples_check(as_map(pattern, where), where)


def _pattern(view: View) -> Iterator[str]:
    if view.has("eventPattern"):
        yield from judge(view.json_("eventPattern"), "eventPattern")


def _valid(view: View, _settings: Settings) -> Iterator[str]:
    yield from rejected(_pattern(view))


VALID = document_rule(
    RuleMeta(
        name="aws-eventbridge-pattern-valid",
        area="validity",
        description="EventBridge rule patterns follow the pattern grammar and can match a real event.",
        severity="high",
        rationale=(
            "A pattern with a scalar where an array belongs or an unknown filter is rejected at PutRule; a "
            "pattern that no event of its source can match (a misspelled detail-type or field) deploys and "
            "never fires. Patterns on AWS sources are matched against AWS's documented sample events."
        ),
        remediation=(
            "Use arrays of values and the documented content filters, and field names and values from the "
            "source's event reference."
        ),
        kind="stack",
        resource_types=EVENT_RULE,
        url="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html",
    ),
    _valid,
)

RULES: list[Rule] = [VALID]
