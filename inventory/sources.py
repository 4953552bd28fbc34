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
    states: dict[str, dict[str, Any]] = {}
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            raise InputError(f"{path}: step {index} is not a JSON object.")
        state = step.get("newState")
        if step.get("op") in _GONE_OPS or not isinstance(state, dict):
            states.pop(str(step.get("urn")), None)
            continue
        state = {**state, "provider": state.get("provider") or step.get("provider", "")}
        states[state.get("urn") or str(step.get("urn"))] = state
    config = {k: config_value(str(v)) for k, v in (doc.get("config") or {}).items()}
    return _inventory(path, list(states.values()), "preview-json", config)


def load_stack_export(path: str | Path, *, config: dict[str, Any] | None = None) -> Inventory:
    """The inventory in `pulumi stack export` output (or a backend checkpoint file).

    A stack export carries no config; pass the stack's config (as the inventory shows it) to attach it.
    """
    doc = _read_json(path)
    deployment = _deployment(doc)
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
    live = [r for r in resources if isinstance(r, dict) and not r.get("delete")]
    return _inventory(path, live, "stack-export", dict(config or {}))


def _deployment(doc: Any) -> Any:
    if not isinstance(doc, dict):
        return None
    if "checkpoint" in doc:  # backend checkpoint file: {"version", "checkpoint": {"stack", "latest": {...}}}
        return (doc.get("checkpoint") or {}).get("latest")
    return doc.get("deployment")


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


def _inventory(
    path: str | Path, states: list[dict[str, Any]], source: str, config: dict[str, Any]
) -> Inventory:
    for index, state in enumerate(states):
        if not isinstance(state.get("urn"), str) or not isinstance(state.get("type"), str):
            raise InputError(
                f"{path}: resource {index} has no `urn` or `type`; the file is not engine state."
            )
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
    )
