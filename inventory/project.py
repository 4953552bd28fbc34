"""Reading a Pulumi project: `Pulumi.yaml` (name, main, config defaults) and `Pulumi.<stack>.yaml`.

Config reaches the program the way the Pulumi CLI passes it: `<namespace>:<key>` keys with string values,
objects and lists as JSON, and the set of secret keys. `secure:` values are encrypted with the stack's secrets
provider and cannot be decrypted offline; the program sees a placeholder and the inventory shows "[secret]".
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from inventory.errors import InputError
from inventory.values import SECRET_TEXT, config_value

SECRET_PLACEHOLDER = SECRET_TEXT
"""The value a program reads for a `secure:` config key offline."""


@dataclass(frozen=True)
class Project:
    name: str
    dir: Path
    main: Path
    config_dir: Path
    defaults: dict[str, Any]


@dataclass
class StackConfig:
    """Config for one stack: what the program reads (`values`, `secret_keys`) and what the inventory shows."""

    values: dict[str, str] = field(default_factory=dict)
    secret_keys: set[str] = field(default_factory=set)

    def display(self) -> dict[str, Any]:
        return {k: SECRET_TEXT if k in self.secret_keys else config_value(v) for k, v in self.values.items()}


def load_project(program_dir: str | Path) -> Project:
    directory = Path(program_dir).resolve()
    if not directory.is_dir():
        raise InputError(f"The program directory {directory} does not exist or is not a directory.")
    doc = _read_yaml(_project_file(directory))
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        raise InputError(
            f"{directory / 'Pulumi.yaml'} has no project `name:`; every Pulumi project needs one."
        )
    _check_runtime(directory, doc.get("runtime"))
    main = (directory / str(doc.get("main") or ".")).resolve()
    if main.is_dir():
        main = main / "__main__.py"
    if not main.is_file():
        raise InputError(f"The program in {directory} has no entry point: {main} does not exist.")
    config_dir = directory / str(doc.get("stackConfigDir") or ".")
    return Project(name, directory, main, config_dir, doc.get("config") or {})


def _project_file(directory: Path) -> Path:
    for candidate in ("Pulumi.yaml", "Pulumi.yml"):
        if (directory / candidate).is_file():
            return directory / candidate
    raise InputError(
        f"{directory} is not a Pulumi project: it has no Pulumi.yaml. Pass --program with the directory that "
        "holds the program's Pulumi.yaml."
    )


def _check_runtime(directory: Path, runtime: Any) -> None:
    name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if name != "python":
        raise InputError(
            f"The program in {directory} uses the {name!r} runtime; the offline preview runs Python programs."
        )


MAX_DEPTH = 64
"""How deeply a config value may nest; deeper YAML is refused before anything recurses through it."""

_PLAIN = (str, int, float, bool, type(None))
SIMPLE_KEY = re.compile(r"[\w.:/@+=-]{1,128}")
YAML_RECURSION_LIMIT = 10_000
"""Enough for PyYAML to read a few hundred levels, so that `_check_value` can name the key that nests."""


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not UTF-8 text: byte {exc.object[exc.start]:#04x} at offset {exc.start} cannot be "
            "decoded; save the file as UTF-8."
        ) from None
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.") from None
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(limit, YAML_RECURSION_LIMIT))  # the YAML loader recurses per level
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{path} is not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise InputError(f"{path} nests deeper than YAML can be read; flatten it.") from None
    finally:
        sys.setrecursionlimit(limit)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InputError(f"{path} must hold a YAML mapping at the top level.")
    return doc


def stack_names(project: Project) -> list[str]:
    files = list(project.config_dir.glob("Pulumi.*.yaml")) + list(project.config_dir.glob("Pulumi.*.yml"))
    return sorted({f.name.split(".", 1)[1].rsplit(".", 1)[0] for f in files})


def stack_file(project: Project, stack: str) -> Path:
    for suffix in ("yaml", "yml"):
        path = project.config_dir / f"Pulumi.{stack}.{suffix}"
        if path.is_file():
            return path
    found = ", ".join(stack_names(project)) or "none"
    raise InputError(
        f"No stack file Pulumi.{stack}.yaml in {project.config_dir}; stacks found: {found}. "
        "Choose one with --stack."
    )


def load_stack_config(
    project: Project, stack: str, overrides: dict[str, Any] | None = None
) -> tuple[Path, StackConfig]:
    """The stack's config: Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then `overrides`."""
    path = stack_file(project, stack)
    config = StackConfig()
    for key, spec in project.defaults.items():
        _set_default(config, _full_key(project.name, key), spec)
    entries = _read_yaml(path).get("config") or {}
    if not isinstance(entries, dict):
        raise InputError(f"{path}: `config:` must be a mapping of keys to values.")
    for key, value in entries.items():
        _check_value(value, f"{path}: {key}", 0)
    for key, value in {**entries, **(overrides or {})}.items():
        _set(config, _full_key(project.name, str(key)), value)
    return path, config


def _check_value(value: Any, where: str, depth: int) -> None:
    """Refuse what the Pulumi CLI cannot pass to a program as config: YAML-only types and runaway nesting."""
    if depth > MAX_DEPTH:
        raise InputError(f"{where} nests more than {MAX_DEPTH} levels deep; config values cannot.")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(
                    f"{where}: key {key!r} is a YAML {type(key).__name__}; config keys are strings "
                    "(quote it)."
                )
            _check_value(item, f"{where}{_member(key)}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(item, f"{where}[{index}]", depth + 1)
    elif not isinstance(value, _PLAIN):
        raise InputError(
            f"{where} holds a YAML {_yaml_type(value)} value, which is not a config value: use a string "
            "(quote it), number, boolean, list or mapping."
        )


def _member(key: str) -> str:
    """How a key is shown in a message: `.key`, or `["odd key"]` when it holds anything unusual."""
    return f".{key}" if SIMPLE_KEY.fullmatch(key) else f"[{json.dumps(key)}]"


def _yaml_type(value: Any) -> str:
    names = {"datetime": "timestamp", "date": "timestamp", "bytes": "binary", "set": "set"}
    return names.get(type(value).__name__, type(value).__name__)


def _full_key(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _set_default(config: StackConfig, key: str, spec: Any) -> None:
    if key.startswith("pulumi:"):
        return  # stack tags and other engine settings, not program config
    if not isinstance(spec, dict) or not (
        {"type", "default", "value", "secret", "description"} & spec.keys()
    ):
        _set(config, key, spec)
        return
    value = spec.get("value", spec.get("default"))
    if value is not None:
        _set(config, key, value)
        if spec.get("secret"):
            config.secret_keys.add(key)


def _set(config: StackConfig, key: str, value: Any) -> None:
    value, secret = _strip_secure(value)
    config.values[key] = _as_config_string(value)
    if secret:
        config.secret_keys.add(key)
    else:
        config.secret_keys.discard(key)


def _strip_secure(value: Any) -> tuple[Any, bool]:
    """Replace every `{secure: ciphertext}` with the placeholder; report whether there was one."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER, True
        pairs = [(k, *_strip_secure(v)) for k, v in value.items()]
        return {k: v for k, v, _ in pairs}, any(s for _, _, s in pairs)
    if isinstance(value, list):
        items = [_strip_secure(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def _as_config_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return "" if value is None else str(value)
