"""A `--policy-pack-config` file turned into `ConfigureAnalyzerRequest.policyConfig`, as the engine does it.

Mirrors `pkg/resource/analyzer/config.go` and `analyzer.Configure` in pulumi/pulumi:

1. Parse: the file is a JSON object. A string value is an enforcement level; an object value may carry
   `enforcementLevel` (removed from it) and any other keys become the policy's properties. Any other value is
   an error; entries with neither a level nor properties are dropped.
2. Reconcile: start from every policy's default level and the `default`s in its config schema, apply the
   pack's `initialConfig`, then the file. In each, the key `all` first sets the level of every policy; then
   each key (including `all` itself and keys that name no policy) sets its level and merges its properties.
3. Validate each policy's properties against its config schema (the engine adds `enforcementLevel` to it).
4. Configure: every key is sent with its level, so a key without a valid level (for example a pack-level key
   that names no policy and has no `enforcementLevel`) makes the engine refuse the config.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2 as pb

from .results import LEVELS, PolicyInfo

ALL = "all"
_TO_PROTO = {
    "advisory": pb.ADVISORY,
    "mandatory": pb.MANDATORY,
    "remediate": pb.REMEDIATE,
    "disabled": pb.DISABLED,
}
_FROM_PROTO: dict[int, str] = {value: name for name, value in _TO_PROTO.items()}


class PackConfigError(ValueError):
    """The policy pack config is not something the engine would accept; the message says why."""


@dataclass(frozen=True)
class PolicyConfig:
    enforcement_level: str  # "" when the entry does not set one
    properties: dict[str, Any] | None = None


def load_pack_config(path: Path) -> dict[str, PolicyConfig]:
    """Read and parse a `--policy-pack-config` JSON file."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise PackConfigError(f"cannot read the policy pack config {path}: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise PackConfigError(
            f"the policy pack config {path} is not UTF-8 JSON text: byte {err.object[err.start]:#04x} at "
            f"offset {err.start}"
        ) from None
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        raise PackConfigError(
            f"the policy pack config {path} is not valid JSON: {err.msg} at {where}"
        ) from None
    except RecursionError:
        raise PackConfigError(f"the policy pack config {path} nests JSON too deeply to read") from None
    try:
        return parse_pack_config(data)
    except PackConfigError as err:
        raise PackConfigError(f"the policy pack config {path} is invalid: {err}") from None


def parse_pack_config(data: Any) -> dict[str, PolicyConfig]:
    """The engine's `parsePolicyPackConfig` over already-decoded JSON."""
    if not isinstance(data, Mapping):
        raise PackConfigError(f"it must be a JSON object keyed by policy name, not {_json_kind(data)}")
    result: dict[str, PolicyConfig] = {}
    for key, value in data.items():
        entry = _parse_entry(key, value)
        if entry.enforcement_level or entry.properties:
            result[key] = entry
    return result


def _parse_entry(key: str, value: Any) -> PolicyConfig:
    if isinstance(value, str):
        return PolicyConfig(_check_level(key, value))
    if isinstance(value, Mapping):
        properties = dict(value)
        level = properties.pop("enforcementLevel", "")
        if not isinstance(level, str):
            raise PackConfigError(f'"enforcementLevel" of {key!r} must be a string, not {_json_kind(level)}')
        return PolicyConfig(_check_level(key, level) if level else "", properties or None)
    raise PackConfigError(
        f"the value of {key!r} must be an enforcement level or an object, not {_json_kind(value)}"
    )


def _check_level(key: str, level: str) -> str:
    if level not in LEVELS:
        raise PackConfigError(
            f"{level!r} is not a valid enforcement level for {key!r} (use one of {', '.join(LEVELS)})"
        )
    return level


def initial_config_from_proto(entries: Mapping[str, pb.PolicyConfig]) -> dict[str, PolicyConfig]:
    """`AnalyzerInfo.initialConfig` as the engine converts it (an unset level reads as advisory, enum 0)."""
    return {
        key: PolicyConfig(_FROM_PROTO.get(entry.enforcementLevel, "advisory"), _struct_dict(entry) or None)
        for key, entry in entries.items()
    }


def _struct_dict(entry: pb.PolicyConfig) -> dict[str, Any]:
    return json_format.MessageToDict(entry.properties)


def reconcile(
    policies: Iterable[PolicyInfo],
    initial: Mapping[str, PolicyConfig],
    config: Mapping[str, PolicyConfig],
) -> dict[str, PolicyConfig]:
    """Defaults, then the pack's initial config, then the file; raises on schema violations."""
    policies = list(policies)
    result = {p.name: PolicyConfig(p.enforcement_level, _schema_defaults(p.config_schema)) for p in policies}
    for layer in (initial, config):
        result = _apply(result, layer)
    errors = [error for p in policies for error in _validate(p, result.get(p.name))]
    if errors:
        raise PackConfigError("; ".join(errors))
    return result


def _schema_defaults(schema: Mapping[str, Any] | None) -> dict[str, Any] | None:
    properties = (schema or {}).get("properties") or {}
    defaults = {
        k: copy.deepcopy(v["default"])
        for k, v in properties.items()
        if isinstance(v, Mapping) and "default" in v
    }
    return defaults or None


def _apply(result: dict[str, PolicyConfig], layer: Mapping[str, PolicyConfig]) -> dict[str, PolicyConfig]:
    everything = layer.get(ALL)
    if everything is not None and everything.enforcement_level in LEVELS:
        result = {k: PolicyConfig(everything.enforcement_level, v.properties) for k, v in result.items()}
    for key, given in layer.items():
        current = result.get(key, PolicyConfig(""))
        level = given.enforcement_level if given.enforcement_level in LEVELS else current.enforcement_level
        properties = dict(current.properties or {}) if (current.properties or given.properties) else None
        if given.properties:
            assert properties is not None
            properties.update(given.properties)
        result[key] = PolicyConfig(level, properties)
    return result


def _validate(policy: PolicyInfo, entry: PolicyConfig | None) -> list[str]:
    if policy.config_schema is None:
        return []
    schema: dict[str, Any] = {"type": "object"}
    properties = {**(policy.config_schema.get("properties") or {}), "enforcementLevel": _LEVEL_SCHEMA}
    schema["properties"] = properties
    if policy.config_schema.get("required"):
        schema["required"] = list(policy.config_schema["required"])
    validator = jsonschema.Draft7Validator(schema)
    instance = (entry.properties if entry else None) or {}
    return [f"{policy.name}: {_error_text(e)}" for e in validator.iter_errors(instance)]


_LEVEL_SCHEMA = {"type": "string", "enum": list(LEVELS)}


def _error_text(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def to_request(config: Mapping[str, PolicyConfig]) -> pb.ConfigureAnalyzerRequest:
    """The `Configure` request; every entry needs a level, exactly as the engine insists."""
    request = pb.ConfigureAnalyzerRequest()
    for key, entry in config.items():
        if entry.enforcement_level not in LEVELS:
            raise PackConfigError(
                f"{key!r} has no enforcement level; the engine sends every config key to the pack with one, "
                'so a key that names no policy must set "enforcementLevel" (pulumi preview fails the same '
                "way, with 'invalid enforcement level \"\"')"
            )
        target = request.policyConfig[key]
        target.enforcementLevel = _TO_PROTO[entry.enforcement_level]
        if entry.properties:
            target.properties.update(entry.properties)
    return request


def level_from_proto(value: int) -> str:
    return _FROM_PROTO.get(value, "advisory")


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
