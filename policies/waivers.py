"""Waivers: a reasoned, expiring exception to one policy for one resource (by URN) or a name pattern.

Waivers live in the pack config under the policy they waive (pulumi only hands a policy its own config):

    {"aws-s3-bucket-sse-kms": {"enforcementLevel": "mandatory",
        "waivers": [{"name": "legacy-*", "reason": "migrating in JIRA-12", "expires": "2026-12-31"}]}}

A waived finding is reported as not-applicable with the reason (never a silent pass); once `expires` has
passed the waiver stops applying and the violation message says so. Entries that are not valid waivers never
apply; `problems()` lists them so config validation can reject them before a run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

STACK_SUBJECT = "stack"
"""The name a stack-wide finding (no resource, e.g. the budget) is waived by."""

WAIVER_SCHEMA: Mapping[str, Any] = {
    "type": "array",
    "default": [],
    "description": (
        "Exceptions to this policy: each names a resource by `urn` or a `name` glob, with a reason and an "
        "expiry date (YYYY-MM-DD) after which it stops applying."
    ),
    "items": {
        "type": "object",
        "properties": {
            "policy": {"type": "string"},
            "urn": {"type": "string", "minLength": 1},
            "name": {"type": "string", "minLength": 1},
            "reason": {"type": "string", "minLength": 1},
            "expires": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        },
        "required": ["reason", "expires"],
        "additionalProperties": False,
    },
}


@dataclass(frozen=True)
class Waiver:
    reason: str
    expires: dt.date
    urn: str | None = None
    name: str | None = None

    def matches(self, urn: str, name: str) -> bool:
        if self.urn is not None:
            return self.urn == urn
        return self.name is not None and fnmatchcase(name, self.name)

    def active(self, today: dt.date) -> bool:
        return today <= self.expires

    def describe(self) -> str:
        return f"waived until {self.expires.isoformat()}: {self.reason}"

    def expired_note(self) -> str:
        return f"(waiver expired on {self.expires.isoformat()} and no longer applies: {self.reason})"


def _problem(entry: Any, policy: str) -> str | None:
    if not isinstance(entry, Mapping):
        return "a waiver must be an object"
    if entry.get("policy") not in (None, policy):
        return f"a waiver for {entry.get('policy')!r} is listed under {policy!r}"
    if not isinstance(entry.get("reason"), str) or not entry["reason"].strip():
        return "a waiver needs a non-empty `reason`"
    if not any(isinstance(entry.get(key), str) and entry[key] for key in ("urn", "name")):
        return "a waiver needs a `urn` or a `name` pattern"
    if "urn" in entry and "name" in entry:
        return "a waiver takes either `urn` or `name`, not both"
    extra = set(entry) - {"policy", "urn", "name", "reason", "expires"}
    if extra:
        return f"unknown waiver field(s) {sorted(extra)}"
    try:
        dt.date.fromisoformat(str(entry.get("expires")))
    except ValueError:
        return f"`expires` must be a date YYYY-MM-DD, got {entry.get('expires')!r}"
    return None


def problems(raw: Any, policy: str) -> list[str]:
    """Why entries of a policy's `waivers` setting are invalid (empty when all are valid)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        return [f"{policy}: `waivers` must be a list"]
    found = (_problem(entry, policy) for entry in raw)
    return [f"{policy}: waiver #{index + 1}: {text}" for index, text in enumerate(found) if text]


def parse(raw: Any, policy: str) -> tuple[Waiver, ...]:
    """The valid waivers of a policy's `waivers` setting; invalid entries never apply."""
    if not isinstance(raw, list):
        return ()
    return tuple(
        Waiver(
            reason=entry["reason"].strip(),
            expires=dt.date.fromisoformat(entry["expires"]),
            urn=entry.get("urn"),
            name=entry.get("name"),
        )
        for entry in raw
        if _problem(entry, policy) is None
    )


def find(waivers: Iterable[Waiver], urn: str, name: str, today: dt.date) -> Waiver | None:
    """The waiver covering a resource: an active one if any, else an expired one (so the message can say
    so)."""
    matching = [waiver for waiver in waivers if waiver.matches(urn, name)]
    active = [waiver for waiver in matching if waiver.active(today)]
    candidates = active or matching
    return candidates[0] if candidates else None
