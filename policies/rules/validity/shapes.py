"""A JSON value against a botocore shape: member names, types and enums, as the service would parse it.

Values unknown during preview are skipped (never a verdict); so are values `opaque` says stand for something
resolved later (a SageMaker pipeline expression such as `{"Get": "Parameters.X"}`). botocore marks required
members only where the API does (`required`); callers add what AWS documents beyond that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from policies.rules.props import is_unknown, join_path
from policies.rules.validity.common import close_to

if TYPE_CHECKING:
    from botocore.model import Shape, StructureShape

Opaque = Callable[[Any], bool]

_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "blob": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (str, int, float),
}
_NAMES = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}


def _never(_value: Any) -> bool:
    return False


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}" if not isinstance(value, str) else f"string {value!r}"


def validate(
    value: Any, shape: Shape, where: str, opaque: Opaque = _never, skip_required: frozenset[str] = frozenset()
) -> Iterator[str]:
    """Findings for `value` read as `shape`; `skip_required` exempts top-level required members."""
    if value is None or is_unknown(value) or opaque(value):
        return
    kind = shape.type_name
    if kind == "structure":
        yield from _structure(value, shape, where, opaque, skip_required)
    elif kind == "list":
        if not isinstance(value, list):
            yield f"`{where}` should be a list, got {_kind(value)}."
            return
        for index, item in enumerate(value):
            yield from validate(item, shape.member, join_path(where, index), opaque)
    elif kind == "map":
        if not isinstance(value, Mapping):
            yield f"`{where}` should be an object, got {_kind(value)}."
            return
        for key, item in value.items():
            yield from validate(item, shape.value, join_path(where, str(key)), opaque)
    else:
        yield from _scalar(value, shape, where)


def _structure(
    value: Any, shape: StructureShape, where: str, opaque: Opaque, skip_required: frozenset[str]
) -> Iterator[str]:
    if not isinstance(value, Mapping):
        yield f"`{where}` should be an object ({shape.name}), got {_kind(value)}."
        return
    members = shape.members
    for key, item in value.items():
        if key not in members:
            yield f"`{join_path(where, key)}` is not a member of {shape.name}{close_to(key, members)}."
            continue
        yield from validate(item, members[key], join_path(where, key), opaque)
    for name in shape.required_members:
        if value.get(name) is None and name not in skip_required:
            yield f"`{join_path(where, name)}` is required ({shape.name})."


def _scalar(value: Any, shape: Shape, where: str) -> Iterator[str]:
    allowed = _SCALARS.get(shape.type_name, ())
    if not allowed:
        return
    if (isinstance(value, bool) and bool not in allowed) or not isinstance(value, allowed):
        wanted = " or ".join(_NAMES[t] for t in allowed[:1])
        yield f"`{where}` should be {wanted} ({shape.type_name}), got {_kind(value)}."
        return
    enum = shape.metadata.get("enum") or []
    if enum and isinstance(value, str) and value not in enum:
        shown = ", ".join(enum[:8])
        yield f"`{where}` is {value!r}, not one of {shape.name}: {shown}{close_to(value, enum)}."
