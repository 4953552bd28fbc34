"""The two file sources of an inventory: `pulumi preview --json` and `pulumi stack export`.

Both hold engine resource states (`apitype.ResourceV3`): camelCase `inputs`/`outputs`, `parent`, `provider` as
`<provider urn>::<provider id>`, `dependencies`, `propertyDependencies`. The preview digest wraps them in
`steps[].newState` and prints secrets as "[secret]"; a stack export lists them under `deployment.resources`
with secrets as signature objects. Provider states and the stack root become context; deletions are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inventory.errors import InputError
from inventory.model import Inventory, Provider, Resource
from inventory.values import config_value, mask_secrets, normalize_properties, parse_json_strings

STACK_TYPE = "pulumi:pulumi:Stack"
_GONE_OPS = {"delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"}
"""Steps after which the resource no longer exists: they are not part of the stack's new inventory."""


def load_preview_json(path: str | Path) -> Inventory:
    """The inventory in a `pulumi preview --json` digest (the resources as they will be after the update)."""
    doc = _read_json(path)
    steps = doc.get("steps") if isinstance(doc, dict) else None
    if not isinstance(steps, list):
        hint = " It looks like a stack export: pass it with --state." if _is_export(doc) else ""
        raise InputError(f"{path} is not `pulumi preview --json` output: it has no `steps` list.{hint}")
    states: dict[str, tuple[str, dict[str, Any]]] = {}
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            raise InputError(f"{path}: steps[{index}] is not a JSON object.")
        state = step.get("newState")
        if step.get("op") in _GONE_OPS or not isinstance(state, dict):
            states.pop(str(step.get("urn")), None)
            continue
        state = {**state, "provider": state.get("provider") or step.get("provider") or ""}
        states[str(state.get("urn") or step.get("urn"))] = (f"steps[{index}].newState", state)
    config = doc.get("config") or {}
    if not isinstance(config, dict):
        raise InputError(f"{path}: `config` must be a JSON object of keys to values, not {_kind(config)}.")
    shown = {k: config_value(v if isinstance(v, str) else json.dumps(v)) for k, v in config.items()}
    return _inventory(path, list(states.values()), "preview-json", shown)


def load_stack_export(path: str | Path, *, config: dict[str, Any] | None = None) -> Inventory:
    """The inventory in `pulumi stack export` output (or a backend checkpoint file).

    A stack export carries no config; pass the stack's config (as the inventory shows it) to attach it.
    """
    doc = _read_json(path)
    where, deployment = _deployment(doc, path)
    resources = deployment.get("resources") if isinstance(deployment, dict) else None
    if not isinstance(resources, list):
        hint = (
            " It looks like preview output: pass it with --preview-json."
            if isinstance(doc, dict) and "steps" in doc
            else ""
        )
        raise InputError(
            f"{path} is not `pulumi stack export` output: it has no `deployment.resources` list.{hint}"
        )
    version = doc.get("version") if isinstance(doc, dict) else None
    if isinstance(version, int) and version > 4:
        raise InputError(f"{path} is a version {version} deployment; this tool reads versions up to 4.")
    live = []
    for index, state in enumerate(resources):
        if not isinstance(state, dict):
            raise InputError(f"{path}: {where}.resources[{index}] is not a JSON object.")
        if not state.get("delete"):
            live.append((f"{where}.resources[{index}]", state))
    return _inventory(path, live, "stack-export", dict(config or {}))


def _deployment(doc: Any, path: str | Path) -> tuple[str, Any]:
    if not isinstance(doc, dict):
        return "deployment", None
    if "checkpoint" in doc:  # backend checkpoint file: {"version", "checkpoint": {"stack", "latest": {...}}}
        checkpoint = doc.get("checkpoint")
        if checkpoint is None:
            checkpoint = {}
        if not isinstance(checkpoint, dict):
            raise InputError(f"{path}: `checkpoint` must be a JSON object, not {_kind(checkpoint)}.")
        return "checkpoint.latest", checkpoint.get("latest")
    return "deployment", doc.get("deployment")


def _kind(value: Any) -> str:
    """How a JSON value is named in messages: `a list`, `a number`..."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _is_export(doc: Any) -> bool:
    return isinstance(doc, dict) and ("deployment" in doc or "checkpoint" in doc)


def _read_json(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"Cannot read {path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {path}: {exc}.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise InputError(
            f"{path} nests JSON deeper than engine state ever does; it is not engine state."
        ) from None


_FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "inputs": (dict, "an object"),
    "outputs": (dict, "an object"),
    "parent": (str, "a URN string"),
    "provider": (str, "a `<provider URN>::<id>` string"),
    "dependencies": (list, "a list of URN strings"),
    "propertyDependencies": (dict, "an object of property names to lists of URNs"),
    "additionalSecretOutputs": (list, "a list of property names"),
    "id": (str, "a string"),
    "custom": (bool, "a boolean"),
    "external": (bool, "a boolean"),
    "protect": (bool, "a boolean"),
    "retainOnDelete": (bool, "a boolean"),
    "sourcePosition": (str, "a string"),
}
"""The engine state fields the inventory reads, and the JSON type each must have when present."""


def _check_state(path: str | Path, where: str, state: dict[str, Any]) -> None:
    """Refuse a resource state whose fields do not have the engine's shapes, naming the JSON path."""
    urn, type_ = state.get("urn"), state.get("type")
    if not isinstance(urn, str) or not isinstance(type_, str):
        raise InputError(f"{path}: {where} has no string `urn` and `type`; the file is not engine state.")
    if not urn.startswith("urn:pulumi:") or len(urn.split("::")) < 4:
        raise InputError(
            f"{path}: {where}.urn {urn[:80]!r} is not a Pulumi URN "
            "(urn:pulumi:<stack>::<project>::<type>::<name>)."
        )
    for name, (kind, shown) in _FIELDS.items():
        value = state.get(name)
        if value not in (None, "") and not isinstance(value, kind):
            raise InputError(f"{path}: {where}.{name} must be {shown}, not {_kind(value)}.")
    for name in ("dependencies", "additionalSecretOutputs"):
        if not all(isinstance(item, str) for item in state.get(name) or []):
            raise InputError(f"{path}: {where}.{name} must hold strings only.")
    for key, urns in (state.get("propertyDependencies") or {}).items():
        if not isinstance(urns, list) or not all(isinstance(u, str) for u in urns):
            raise InputError(
                f"{path}: {where}.propertyDependencies[{json.dumps(key)}] must be a list of URNs."
            )


def _inventory(
    path: str | Path, located: list[tuple[str, dict[str, Any]]], source: str, config: dict[str, Any]
) -> Inventory:
    for where, state in located:
        _check_state(path, where, state)
    try:
        return _build(path, located, source, config)
    except (ValueError, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, ValueError) else "values nest too deeply"
        raise InputError(f"{path}: {reason}; the file is not valid engine state.") from None


def _build(
    path: str | Path, located: list[tuple[str, dict[str, Any]]], source: str, config: dict[str, Any]
) -> Inventory:
    states = [state for _, state in located]
    for where, state in located:
        try:
            _values_of(state)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    providers = {s["urn"]: _provider(s) for s in states if s["type"].startswith("pulumi:providers:")}
    roots = [s for s in states if s["type"] == STACK_TYPE]
    stack_urn = roots[0]["urn"] if roots else ""
    stack, project = _stack_and_project(stack_urn or (states[0]["urn"] if states else ""), path)
    resources = [
        _resource(s, providers)
        for s in states
        if s["type"] != STACK_TYPE and not s["type"].startswith("pulumi:providers:")
    ]
    outputs = normalize_properties(mask_secrets(roots[0].get("outputs"))).value if roots else {}
    return Inventory(project, stack, source, config, resources, providers, stack_urn, outputs)


def _stack_and_project(urn: str, path: str | Path) -> tuple[str, str]:
    parts = urn.split("::")
    if not urn.startswith("urn:pulumi:") or len(parts) < 4:
        raise InputError(f"{path} holds no resources with Pulumi URNs; there is nothing to preview.")
    return parts[0].removeprefix("urn:pulumi:"), parts[1]


def _values_of(state: dict[str, Any]) -> None:
    """Read the state's property values once, so a malformed secret or value is reported with its path."""
    normalize_properties(state.get("inputs"))
    normalize_properties(state.get("outputs"))


def _name(urn: str) -> str:
    return urn.split("::", 3)[3]


def _provider(state: dict[str, Any]) -> Provider:
    raw = {k: v for k, v in (state.get("inputs") or {}).items() if not k.startswith("__")}  # engine internals
    inputs = parse_json_strings(normalize_properties(raw).value)
    return Provider(state["urn"], state["type"], _name(state["urn"]), inputs, str(state.get("id") or ""))


def _resource(state: dict[str, Any], providers: dict[str, Provider]) -> Resource:
    inputs = normalize_properties(state.get("inputs"))
    outputs = normalize_properties(state.get("outputs"))
    ref = state.get("provider") or ""
    secret_outputs = set(state.get("additionalSecretOutputs") or [])
    return Resource(
        urn=state["urn"],
        type=state["type"],
        name=_name(state["urn"]),
        custom=bool(state.get("custom")),
        inputs=inputs.value,
        outputs=outputs.value,
        parent=state.get("parent") or None,
        provider=providers.get(ref.rsplit("::", 1)[0]) if ref else None,
        dependencies=list(state.get("dependencies") or []),
        property_dependencies={k: list(v) for k, v in (state.get("propertyDependencies") or {}).items()},
        unknown_paths=frozenset(inputs.unknown_paths | outputs.unknown_paths),
        secret_paths=frozenset(inputs.secret_paths | outputs.secret_paths | secret_outputs),
        id=str(state.get("id") or ""),
        external=bool(state.get("external")),
        source_position=str(state.get("sourcePosition") or ""),
        protect=bool(state.get("protect")),
        retain_on_delete=bool(state.get("retainOnDelete")),
    )
