"""Property values as the engine encodes them, turned into plain values plus secret and unknown paths.

All three sources meet here. The engine marks special values with a signature key: secrets (`{SIG: SECRET_SIG,
"value"|"ciphertext"|"plaintext": ...}`), resource references, output values, assets and archives; `pulumi
preview --json` prints secrets as the string "[secret]" and unknowns as the UNKNOWN placeholder. `normalize`
unwraps them once so rules and pricers read one shape: secret values where known (else "[secret]"), unknowns
as UNKNOWN, integral floats (protobuf Struct numbers) as ints, and paths such as `tags.owner` or `rules[0].x`
recording which values were secret or unknown.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from inventory.model import UNKNOWN

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"

SECRET_TEXT = "[secret]"
"""How a secret whose value is not available (preview JSON, encrypted state) appears in the inventory."""

_PLAIN_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


def child_path(prefix: str, key: str) -> str:
    """`prefix.key`, or `prefix["key"]` when the key is not a plain identifier (Pulumi property paths)."""
    if _PLAIN_KEY.match(key):
        return f"{prefix}.{key}" if prefix else key
    return f"{prefix}[{json.dumps(key)}]"


@dataclass
class Normalized:
    value: Any
    unknown_paths: set[str] = field(default_factory=set)
    secret_paths: set[str] = field(default_factory=set)


def normalize(value: Any, path: str = "") -> Normalized:
    """Unwrap the engine's special values in `value` (a JSON-like tree) and collect secret/unknown paths."""
    out = Normalized(None)
    out.value = _walk(value, path, out)
    return out


def normalize_properties(props: dict[str, Any] | None) -> Normalized:
    """`normalize` for a property map; top-level nulls are dropped as the engine does."""
    out = Normalized({})
    for key, value in (props or {}).items():
        if value is not None:
            out.value[key] = _walk(value, child_path("", key), out)
    return out


def _walk(value: Any, path: str, out: Normalized) -> Any:
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig is not None:
            return _special(sig, value, path, out)
        return {k: _walk(v, child_path(path, k), out) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, f"{path}[{i}]", out) for i, v in enumerate(value)]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == UNKNOWN:
        out.unknown_paths.add(path)
    elif value == SECRET_TEXT:
        out.secret_paths.add(path)
    return value


def _special(sig: str, value: dict[str, Any], path: str, out: Normalized) -> Any:
    if sig == SECRET_SIG:
        out.secret_paths.add(path)
        return _secret_value(value, path, out)
    if sig == OUTPUT_VALUE_SIG:
        if value.get("secret"):
            out.secret_paths.add(path)
        if "value" not in value:
            out.unknown_paths.add(path)
            return UNKNOWN
        return _walk(value["value"], path, out)
    if sig == RESOURCE_REF_SIG:
        return _resource_ref(value)
    return value  # assets and archives stay in the engine's form


def _secret_value(value: dict[str, Any], path: str, out: Normalized) -> Any:
    if "value" in value:
        return _walk(value["value"], path, out)
    if "plaintext" in value:
        # `pulumi stack export --show-secrets` stores the JSON encoding of the value.
        plaintext = value["plaintext"]
        try:
            decoded = json.loads(plaintext) if isinstance(plaintext, str) else None
        except (json.JSONDecodeError, RecursionError):
            decoded = None
        if decoded is None and plaintext != "null":
            raise ValueError(f"the secret at {path or '<root>'} has a `plaintext` that is not a JSON string")
        return _walk(decoded, path, out)
    return SECRET_TEXT


def _resource_ref(value: dict[str, Any]) -> str:
    """A resource reference as the engine passes it to providers without reference support: id, else URN."""
    ref_id = value.get("id")
    return str(ref_id) if ref_id not in (None, "") else str(value.get("urn", ""))


def mask_secrets(value: Any) -> Any:
    """`value` with every secret replaced by "[secret]", for values that are shown to users."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return SECRET_TEXT
        return {k: mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


def parse_json_strings(props: dict[str, Any]) -> dict[str, Any]:
    """Provider inputs carry objects as JSON strings (`defaultTags`, `assumeRoles`); parse them."""
    parsed: dict[str, Any] = {}
    for key, value in props.items():
        if isinstance(value, str) and value[:1] in ("{", "["):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        parsed[key] = value
    return parsed


def config_value(raw: str) -> Any:
    """A config value as the inventory shows it: objects and lists parsed, scalars kept as strings."""
    if raw[:1] in ("{", "["):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw
