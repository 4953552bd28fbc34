"""Property access that never crashes on preview unknowns or malformed values.

pulumi-policy hands rules proxied dicts that raise on *any* unknown access, which would abort a whole stack
policy because of one resource. Rules here read plain values instead, through `dig` and the typed readers,
which raise `Unknown` (value not known during preview) or `Malformed` (value of the wrong shape); the rule
framework turns both into a not-applicable result for that resource only, with the property path as the
reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import _DictProxy, _ListProxy

# Re-exported: rules read unknowns through this module.
from inventory.model import UNKNOWN_SENTINELS as UNKNOWN_SENTINELS
from inventory.model import is_unknown as is_unknown

Key = str | int


class Unknown(Exception):
    """A value the rule needs is not known yet (preview)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path

    def reason(self) -> str:
        return f"could not evaluate: `{self.path}` is unknown during preview"


class Malformed(Exception):
    """A value has a shape the provider would reject; the rule cannot judge it."""

    def __init__(self, path: str, expected: str, got: Any, *, shown: str | None = None) -> None:
        super().__init__(path)
        self.path = path
        self.message = f"`{path}` should be {expected}, got {shown or type(got).__name__}"

    def reason(self) -> str:
        return f"could not evaluate: {self.message}"


class Skip(Exception):
    """The rule cannot judge this subject (said why); reported as not-applicable, never as a pass."""

    def reason(self) -> str:
        return str(self.args[0])


def plain(value: Any) -> Any:
    """Unwrap pulumi-policy's unknown-checking proxies into plain dicts and lists (unknowns kept as
    sentinels)."""
    if isinstance(value, _DictProxy):
        target = value["__target"]
        return {key: plain(target[key]) for key in target}
    if isinstance(value, _ListProxy):
        return [plain(item) for item in value["__target"]]
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def join_path(base: str, key: Key) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else key


def dig(value: Any, *path: Key, base: str = "", allow_unknown: bool = False) -> Any:
    """Follow `path` into nested props; None when absent. MaxItemsOne lists of one (pulumi-aws v6) are
    unwrapped.

    An unknown on the way raises `Unknown`; `allow_unknown` returns an unknown *final* value as its sentinel
    (for rules that only need to know a value is set, like a KMS key id that is computed during preview).
    """
    where = base
    for key in path:
        if is_unknown(value):
            raise Unknown(where or "<value>")
        if value is None:
            return None
        if isinstance(key, str):
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            if not isinstance(value, Mapping):
                raise Malformed(where or "<value>", "an object", value)
            value = value.get(key)
        else:
            if not isinstance(value, list):
                raise Malformed(where or "<value>", "a list", value)
            value = value[key] if -len(value) <= key < len(value) else None
        where = join_path(where, key)
    if is_unknown(value) and not allow_unknown:
        raise Unknown(where or "<value>")
    return value


def is_set(value: Any) -> bool:
    """Set to something (an unknown counts: it will be a value at deploy time)."""
    return value is not None and value != "" and value != [] and value != {}


def as_str(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Malformed(where, "a string", value)


def as_bool(value: Any, where: str) -> bool | None:
    """Booleans, also as the strings "true"/"false" some state exports carry."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise Malformed(where, "a boolean", value)


def as_int(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise Malformed(where, "a number", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise Malformed(where, "a number", value)


def as_list(value: Any, where: str) -> list[Any]:
    """A list; a single object counts as a list of one (v7 MaxItemsOne objects read by list-minded rules)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        return [value]
    raise Malformed(where, "a list", value)


def as_map(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
        return value[0]
    if isinstance(value, Mapping):
        return value
    raise Malformed(where, "an object", value)


def as_json(value: Any, where: str) -> Any:
    """A document that may be given as a JSON string or as an already-decoded object."""
    if value is None or isinstance(value, Mapping | list):
        return value
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as error:
            raise Malformed(where, "valid JSON", value) from error
        except RecursionError:
            raise Malformed(where, "a JSON document", value, shown="one nested too deeply to read") from None
    raise Malformed(where, "a JSON document", value)


def strings(value: Any, where: str) -> list[str]:
    """A string or list of strings (IAM's Action/Resource style); unknown members raise `Unknown`."""
    items = value if isinstance(value, list) else [value] if value is not None else []
    out: list[str] = []
    for index, item in enumerate(items):
        if is_unknown(item):
            raise Unknown(join_path(where, index))
        text = as_str(item, join_path(where, index))
        if text is not None:
            out.append(text)
    return out


class View:
    """One resource as rules see it: plain camelCase props plus identity, provider and dependencies."""

    __slots__ = (
        "dependencies",
        "name",
        "parent",
        "property_dependencies",
        "props",
        "protect",
        "provider",
        "provider_urn",
        "type",
        "urn",
    )

    def __init__(
        self,
        type_: str,
        name: str,
        urn: str,
        props: Mapping[str, Any],
        provider: Mapping[str, Any] | None = None,
        property_dependencies: Mapping[str, Sequence[str]] | None = None,
        dependencies: Sequence[str] = (),
        parent: str | None = None,
        provider_urn: str | None = None,
        protect: bool = False,
    ) -> None:
        self.type = type_
        self.name = name
        self.urn = urn
        self.props = props
        self.provider = provider
        self.property_dependencies = property_dependencies or {}
        self.dependencies = tuple(dependencies)
        self.parent = parent
        self.provider_urn = provider_urn
        self.protect = protect
        """Pulumi's `protect` resource option (known for the resource a resource policy judges)."""

    def get(self, *path: Key) -> Any:
        return dig(self.props, *path)

    def has(self, *path: Key) -> bool:
        """The property is set (to anything, even a value unknown during preview)."""
        return is_set(dig(self.props, *path, allow_unknown=True))

    def str_(self, *path: Key) -> str | None:
        return as_str(self.get(*path), _dotted(path))

    def bool_(self, *path: Key) -> bool | None:
        return as_bool(self.get(*path), _dotted(path))

    def int_(self, *path: Key) -> int | None:
        return as_int(self.get(*path), _dotted(path))

    def list_(self, *path: Key) -> list[Any]:
        return as_list(self.get(*path), _dotted(path))

    def map_(self, *path: Key) -> Mapping[str, Any]:
        return as_map(self.get(*path), _dotted(path))

    def json_(self, *path: Key) -> Any:
        return as_json(self.get(*path), _dotted(path))


def _dotted(path: Sequence[Key]) -> str:
    out = ""
    for key in path:
        out = join_path(out, key)
    return out
