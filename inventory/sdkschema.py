"""What the provider SDK's own classes declare: a resource type's output properties, an invoke's result type.

Runs in the synthesis child only (it imports the Pulumi SDK and the provider packages). Preview semantics need
both: a resource's outputs that the offline model does not compute are *unknown* (so the inventory lists
them as such), and an invoke returns a value of its own result class. Both are read from the classes the
provider package generates (`pulumi_aws.s3.Bucket`, `pulumi_aws.ec2.GetAmiResult`), never from a hand list.
"""

from __future__ import annotations

import enum
import functools
import importlib
import typing
from collections import abc
from typing import Any

from pulumi import _types
from pulumi.runtime import rpc

Placeholder = typing.Callable[[str, Any], Any]
"""Makes a placeholder string for (pulumi property name, its type)."""


@functools.cache
def resource_class(token: str) -> type | None:
    """The SDK class registered for a resource type token (the provider package's resource module)."""
    package, _, rest = token.partition(":")
    module_name = rest.partition(":")[0]
    module = rpc.get_resource_module(package, module_name, "")
    info = getattr(module, "mod_info", None)
    if not isinstance(info, dict):
        return None
    class_name = info.get("classes", {}).get(token)
    if class_name is None:
        return None
    try:
        return getattr(importlib.import_module(info["fqn"]), class_name, None)
    except ImportError:
        return None


@functools.cache
def output_only_properties(token: str) -> frozenset[str]:
    """The camelCase outputs of a resource type that are not inputs (ARNs, endpoints...), from its class.

    Unknown for a type whose class cannot be found (a provider without resource modules): empty.
    """
    cls = resource_class(token)
    if cls is None:
        return frozenset()
    outputs = set(_types.resource_pulumi_to_py_names(cls)) - {"id", "urn"}
    args = getattr(importlib.import_module(cls.__module__), f"{cls.__name__}Args", None)
    inputs = set(_types.input_type_py_to_pulumi_names(args).values()) if args is not None else set()
    return frozenset(outputs - inputs)


@functools.cache
def invoke_result_class(token: str) -> type | None:
    """`aws:ec2/getAmi:getAmi` → `pulumi_aws.ec2.GetAmiResult` (`index` is the package's top level)."""
    package, _, rest = token.partition(":")
    module_name, _, function = rest.partition(":")
    module_path = module_name.split("/")[0]
    python_package = "pulumi_" + package.replace("-", "_")
    fqn = python_package if module_path == "index" else f"{python_package}.{module_path}"
    try:
        module = importlib.import_module(fqn)
    except ImportError:
        return None
    cls = getattr(module, function[:1].upper() + function[1:] + "Result", None)
    return cls if isinstance(cls, type) and _types.is_output_type(cls) else None


def result_types(cls: type) -> dict[str, Any]:
    """camelCase field → its Python type (Optional and Output unwrapped) of an output type."""
    return _types.output_type_types(cls)


def typed_placeholder(typ: Any, name: str, make_string: Placeholder, depth: int = 0) -> Any:
    """A value of `typ` that is never None: strings from `make_string`, zero, False, empty list or map,
    the first member of an enum, a nested output type filled the same way."""
    origin = typing.get_origin(typ)
    if origin is typing.Union:
        members = [a for a in typing.get_args(typ) if a is not type(None)]
        return typed_placeholder(members[0], name, make_string, depth) if members else ""
    if origin in (list, abc.Sequence, tuple):
        return []
    if origin in (dict, abc.Mapping):
        return {}
    if isinstance(typ, type):
        return _scalar_placeholder(typ, name, make_string, depth)
    return make_string(name, typ)


def _scalar_placeholder(typ: type, name: str, make_string: Placeholder, depth: int) -> Any:
    if typ is bool:
        return False
    if typ in (int, float):
        return typ(0)
    if issubclass(typ, enum.Enum):
        return next(iter(typ)).value
    if _types.is_output_type(typ):
        if depth > 3:
            return {}
        return {
            key: typed_placeholder(sub, key, make_string, depth + 1) for key, sub in result_types(typ).items()
        }
    if typ in (list, tuple):
        return []
    if typ is dict:
        return {}
    return make_string(name, typ)


def matches(value: Any, typ: Any) -> bool:
    """Whether an invoke argument can stand for a result field of type `typ` (the provider echoes them)."""
    origin = typing.get_origin(typ)
    if origin is typing.Union:
        return any(matches(value, a) for a in typing.get_args(typ) if a is not type(None))
    if origin in (list, abc.Sequence, tuple):
        return isinstance(value, list)
    if origin in (dict, abc.Mapping):
        return isinstance(value, dict)
    if isinstance(typ, type) and _types.is_output_type(typ):
        return isinstance(value, dict)
    if typ is bool:
        return isinstance(value, bool)
    if typ is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if typ is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ is str:
        return isinstance(value, str)
    return False
