"""Inventory property values to the protobuf `Struct` the engine sends to an analyzer.

The engine marshals resource properties for `Analyze`/`AnalyzeStack` with `KeepUnknowns`, `KeepSecrets` and
`SkipInternalKeys` (`sdk/go/common/resource/plugin/analyzer_plugin.go`), which on the wire means:

- an unknown value is the string `04da6b54-80e4-46f7-96ec-b56ff0331ba9` (the pack's proxy raises
  `UnknownValueError` when a rule reads it);
- a secret is the signature object `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  "value": <value>}` (the pack unwraps it, so rules see the plain value); an unknown secret carries the
  unknown string as its value;
- keys starting with `__` are engine-internal and left out, at every depth;
- assets and archives travel as their own signature objects, which pass through unchanged.

The inventory stores values with secrets unwrapped and records which dotted paths (`tags.owner`,
`rules[0].cidrBlocks[1]`, `tags["kubernetes.io/role"]`) are unknown or secret; this module puts the markers
back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import struct_pb2

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
REDACTED = "[secret]"
"""What a secret whose value is not available (e.g. only ciphertext was exported) is shown as."""

_SEGMENT = re.compile(r"""\.?([^.\[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]""")

PathKey = tuple[str | int, ...]


class MarshalError(ValueError):
    """A property value cannot be sent to an analyzer; the message names the property path."""


def parse_path(path: str) -> PathKey:
    """Split a property path (`a.b[0]["c.d"]`) into its keys and list indices."""
    keys: list[str | int] = []
    pos = 0
    while pos < len(path):
        match = _SEGMENT.match(path, pos)
        if match is None or match.end() == pos:
            raise MarshalError(f"property path {path!r} is malformed at character {pos + 1}")
        name, index, quoted = match.groups()
        if index is not None:
            keys.append(int(index))
        elif quoted is not None:
            keys.append(json.loads(f'"{quoted}"'))
        else:
            keys.append(name)
        pos = match.end()
    if not keys:
        raise MarshalError("an empty property path cannot be marked unknown or secret")
    return tuple(keys)


def to_wire(
    values: Mapping[str, Any],
    *,
    unknown_paths: Iterable[str] = (),
    secret_paths: Iterable[str] = (),
) -> dict[str, Any]:
    """The engine's JSON view of `values`: internal keys dropped, unknowns and secrets marked."""
    wire = _copy_object(values, "")
    for key in sorted({parse_path(p) for p in unknown_paths}, key=len):
        _replace(wire, key, lambda _old: UNKNOWN)
    # Deepest paths first, so that a secret nested in a secret is wrapped before its container.
    for key in sorted({parse_path(p) for p in secret_paths}, key=len, reverse=True):
        _replace(wire, key, _as_secret)
    return wire


def to_struct(
    values: Mapping[str, Any],
    *,
    unknown_paths: Iterable[str] = (),
    secret_paths: Iterable[str] = (),
) -> struct_pb2.Struct:
    """`to_wire` packed into a protobuf `Struct`."""
    struct = struct_pb2.Struct()
    struct.update(to_wire(values, unknown_paths=unknown_paths, secret_paths=secret_paths))
    return struct


def _copy_object(values: Mapping[str, Any], path: str) -> dict[str, Any]:
    if SIG_KEY in values:
        return _copy_signed(values, path)
    result: dict[str, Any] = {}
    for key, value in values.items():
        if not isinstance(key, str):
            raise MarshalError(f"property {path or '<root>'} has a non-string key {key!r}")
        if not key.startswith("__"):
            result[key] = _copy_value(value, f"{path}.{key}" if path else key)
    return result


def _copy_value(value: Any, path: str) -> Any:
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int | float):
        return value
    if isinstance(value, Mapping):
        return _copy_object(value, path)
    if isinstance(value, list | tuple):
        return [_copy_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise MarshalError(f"property {path} holds a {type(value).__name__}, which has no engine representation")


def _copy_signed(values: Mapping[str, Any], path: str) -> dict[str, Any]:
    """Secrets, assets and archives as the engine marshals them; any other signature is refused."""
    sig = values[SIG_KEY]
    if sig in (ASSET_SIG, ARCHIVE_SIG):
        return {key: _copy_value(value, f"{path}.{key}") for key, value in values.items()}
    if sig != SECRET_SIG:
        raise MarshalError(f"property {path} carries the unrecognized value signature {sig!r}")
    return _as_secret(_copy_value(values.get("value", REDACTED), path))


def _as_secret(value: Any) -> dict[str, Any]:
    if isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG:
        return value
    return {SIG_KEY: SECRET_SIG, "value": value}


def _replace(wire: dict[str, Any], key: PathKey, change: Any) -> None:
    """Apply `change` to the value at `key` when the path exists (through secret wrappers); else nothing."""
    container: Any = wire
    for part in key[:-1]:
        container = _child(container, part)
        if container is None:
            return
    container = _unwrap(container)
    last = key[-1]
    if _has(container, last):
        container[last] = change(container[last])


def _child(container: Any, part: str | int) -> Any:
    container = _unwrap(container)
    return container[part] if _has(container, part) else None


def _has(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return isinstance(part, str) and part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _unwrap(value: Any) -> Any:
    while isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG:
        value = value["value"]
    return value
