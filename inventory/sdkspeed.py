"""Speed and memory for the synthesis child: SDK helpers replaced by equivalent cheaper ones.

The program sees what it sees under the stock SDK (the same Outputs, values, dependencies and errors; the
child's records are the same, `tests/preview`); only the cost differs. Measured on the bench's 10,000
resources, together: child CPU 18.3 s -> about 7 s, peak RSS 1.15 GB -> 530 MB. Each replacement below says
why it is equivalent. Pinned to the SDK in `requirements.txt` (its tests compare against the SDK's own
functions, so an upgrade that changes them fails there).

The stack capture. For every resource the SDK (`pulumi.runtime.resource._get_stack_trace`) formats the
whole Python stack, turning each frame's file into a URI (a `stat` per frame), so that the engine can show
where the resource was registered. Offline only the topmost frame is read: the registration's
`sourcePosition`, the caller of the concrete resource class's `__init__`. Measured on the bench's 10,000
resources, the full capture was about a tenth of the child's time. It is replaced with a walk that builds
only that frame, found exactly as the SDK finds it (the third `__init__` frame up the stack), so
`sourcePosition` is the same.

The unknown check. `pulumi.runtime.rpc.contains_unknowns` runs on every Output value and recurses through a
nested function that refers to itself: a reference cycle per call. The child runs with the cyclic GC off (see
`synth_child.main`), so each call leaked a function, its cell and a set (measured: 18 MB of 160 MB traced at
1,500 resources). The replacement walks the value with an explicit stack and gives the same answer.

The output properties (`_transfer_properties`, and their conversion on first read, `_resolve_outputs`), the
executor (`InlineExecutor`), the top-level None inputs (`_serialize_properties`), the type unwrapping
(`_by_identity`) and the mock URN (`_create_urn`): see each.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import pathlib
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

from pulumi import _types as sdk_types
from pulumi.output import Output, _OutputData
from pulumi.runtime import known_types, rpc, settings
from pulumi.runtime import resource as sdk_resource
from pulumi.runtime._callbacks import _CallbackServicer
from pulumi.runtime.proto import source_pb2

T = TypeVar("T")
R = TypeVar("R")


@functools.cache
def _uri(filename: str) -> str:
    try:
        return pathlib.Path(filename).as_uri()
    except ValueError:  # a relative path or a pseudo-file such as "<string>"
        return ""


def _registration_frame() -> FrameType | None:
    """The caller of the third `__init__` up the stack (Resource, Custom/ComponentResource, concrete)."""
    frame = sys._getframe(2)
    seen = 0
    while frame is not None:
        if frame.f_code.co_name == "__init__":
            seen += 1
            if seen == 3:
                return frame.f_back
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _stack_trace() -> source_pb2.StackTrace:
    caller = _registration_frame()
    if caller is None:
        return source_pb2.StackTrace()
    uri = _uri(caller.f_code.co_filename)
    if not uri:
        return source_pb2.StackTrace(frames=[source_pb2.StackFrame()])
    position = source_pb2.SourcePosition(uri=uri, line=caller.f_lineno)
    return source_pb2.StackTrace(frames=[source_pb2.StackFrame(pc=position)])


def _contains_unknowns(val: Any) -> bool:
    """Whether `value` (a plain value, dict or list tree) holds an unknown anywhere."""
    pending, seen = [val], set()
    while pending:
        item = pending.pop()
        if known_types.is_unknown(item):
            return True
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            pending.extend(item[key] for key in item)  # output types are dicts that may shadow .values
        elif isinstance(item, list):
            pending.extend(item)
    return False


class _Unread:
    """An output property the program has not read yet: its resolution, kept until it is read (if ever)."""

    __slots__ = ("future", "later", "resolution")

    def __init__(self) -> None:
        self.resolution: tuple[Any, ...] | None = None
        """(resource, value, is_known, is_secret, deps, failed) as the SDK's resolver receives them."""
        self.later: _Conversion | None = None
        """The registration's answer for this property, converted on first read (`_resolve_outputs`)."""
        self.future: asyncio.Future[_OutputData[Any]] | None = None

    def output(self) -> Output[Any]:
        """The property's Output, made on first read and resolved as the SDK's would be."""
        future: asyncio.Future[_OutputData[Any]] = asyncio.Future()
        if self.resolution is None and self.later is not None:
            self.resolution, self.later = self.later.resolution(), None
        if self.resolution is None:
            self.future = future
        else:
            _settle(future, *self.resolution)
        return Output._from_data(future)

    def resolve(self, *resolution: Any) -> None:
        if self.future is None:
            self.resolution = resolution
        else:
            _settle(self.future, *resolution)


class _Conversion:
    """What `rpc.resolve_outputs` does for one property of a preview, done when the property is read."""

    __slots__ = ("deps", "key", "name", "outputs", "res", "translate", "typ", "unknowns", "use_types")

    def __init__(self, res: Any, outputs: Any, key: str | None, name: str, typ: Any, translate: Any,
                 use_types: bool, unknowns: bool, deps: Any) -> None:  # fmt: skip
        self.res, self.outputs, self.key, self.name, self.typ = res, outputs, key, name, typ
        self.translate, self.use_types, self.unknowns, self.deps = translate, use_types, unknowns, deps

    def value(self) -> Any:
        """The translated value (None: the engine gave none), exactly as the SDK converts it."""
        if self.key is None:
            return None
        value = rpc.deserialize_property(self.outputs[self.key], self.unknowns, True)
        if value is None:
            return None
        path = rpc._Path(self.name, resource=f"{self.res._name}")
        return rpc.translate_output_properties(value, self.translate, self.typ, self.use_types, path=path)

    def resolution(self) -> tuple[Any, ...]:
        try:
            value = self.value()
        except Exception as exc:  # the SDK would have failed the registration: every output with it
            return (self.res, None, False, False, None, exc)
        return (self.res, *self.settled(value))

    def settled(self, value: Any) -> tuple[Any, ...]:
        """(value, is_known, is_secret, deps, failed) as `resolve_properties` passes them in a preview."""
        if value is None:  # a missing output is unknown
            return (None, False, False, self.deps, None)
        plain = rpc.unwrap_rpc_secret(value)
        return (plain, plain is not None, rpc.is_rpc_secret(value), self.deps, None)


def _settle(
    future: asyncio.Future[_OutputData[Any]],
    res: Any,
    value: Any,
    is_known: bool,
    is_secret: bool,
    deps: set[Any] | None,
    failed: BaseException | None,
) -> None:
    """What the SDK's `do_resolve` gives an Output: the resource among its dependencies, or the failure."""
    if failed is not None:
        future.set_exception(failed)
    else:
        resources = {*deps, res} if deps else {res}
        data = _OutputData(resources=resources, value=value, is_known=is_known, is_secret=is_secret)
        future.set_result(data)


class _Properties(dict[str, Any]):
    """A resource's `__dict__` whose output properties become Outputs when first read.

    The generated resource classes read a property with `pulumi.get(self, name)`, that is
    `self.__dict__.get(name)`; the SDK's stack export reads `__dict__[name]`. Both make the Output then.
    """

    def __getitem__(self, name: str) -> Any:
        value = dict.__getitem__(self, name)
        if type(value) is _Unread:
            value = value.output()
            dict.__setitem__(self, name, value)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        value = dict.get(self, name, default)
        if type(value) is _Unread:
            value = value.output()
            dict.__setitem__(self, name, value)
        return value


def _transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Any]:
    """`rpc.transfer_properties` with one future per Output, made only when the program reads it.

    The SDK makes, for every property of every resource, an Output over four futures and a task that joins
    them (measured: 28 Outputs, 28 tasks and their contexts per resource of the bench mix, kept alive by the
    stack until the program ends). Programs read a few. A property the class reads through a Python
    `property` (the generated classes: `pulumi.get(self, name)`) waits as data until read; any other (a
    plain attribute such as `StackReference.outputs`) gets its Output at once, as in the SDK.
    """
    if type(res.__dict__) is not _Properties:
        res.__dict__ = _Properties(res.__dict__)
    cls: type = type(res)
    getters = _getters(cls)
    resolvers: dict[str, Any] = {}
    for name in props:
        if name == "urn" or (name == "id" and custom):
            continue
        unread = _Unread()
        resolvers[name] = functools.partial(unread.resolve, res)
        dict.__setitem__(res.__dict__, name, unread if name in getters else unread.output())
    return resolvers


@functools.cache
def _getters(cls: type) -> frozenset[str]:
    """The attribute names `cls` reads through a `property`."""
    return frozenset(name for name in dir(cls) if isinstance(getattr(cls, name, None), property))


def _by_identity(function: Callable[[T], R]) -> Callable[[T], R]:
    """`function` of a type annotation, remembered per annotation object (the generated SDK's annotations are
    module constants; identity, not equality: `Union[A, B] == Union[B, A]`, yet the SDK reads `args[0]`)."""
    seen: dict[int, tuple[T, R]] = {}

    def remembered(annotation: T) -> R:
        entry = seen.get(id(annotation))
        if entry is not None and entry[0] is annotation:
            return entry[1]
        result = function(annotation)
        seen[id(annotation)] = (annotation, result)
        return result

    return remembered


_sdk_serialize_properties = rpc.serialize_properties


async def _serialize_properties(inputs: Any, property_deps: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
    """`rpc.serialize_properties` without the top-level inputs that are None.

    The SDK serializes every one of a resource's properties (an RDS instance passes about a hundred, most
    None) and drops those that serialize to None, which a None value always does, after an await and the
    type checks of `serialize_property`.
    """
    present = {}
    for key in inputs:  # as the SDK iterates: `inputs` may be a dict subclass that redefines items()
        value = inputs[key]
        if value is not None:
            present[key] = value
    return await _sdk_serialize_properties(present, property_deps, *args, **kwargs)


class InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """The event loop's default executor: runs the SDK's monitor calls in the loop's own thread.

    The SDK hands every registration and invoke to a thread pool (`run_in_executor`), as its monitor calls
    are blocking gRPC calls to the engine. The recording monitor answers in microseconds, so the hop to a
    worker thread and back (and the GIL hand-offs with the running program) cost more than the call. Once
    the program has registered a transform, calls go to worker threads as before: the monitor then calls
    the transform on this loop and waits for it (`mocks._run_callback`), which the loop's thread cannot do.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        if any(servicer._callbacks for servicer in _CallbackServicer._servicers):
            return super().submit(fn, *args, **kwargs)
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # as the pool's worker does: the caller awaits it
            future.set_exception(exc)
        return future


_sdk_resolve_outputs = rpc.resolve_outputs


def _resolve_outputs(
    res: Any,
    serialized_props: Any,
    outputs: Any,
    deps: Any,
    resolvers: dict[str, Any],
    custom: bool,
    transform_using_type_metadata: bool = False,
    keep_unknowns: bool = False,
    resolve_missing_as_unknown: bool = False,
) -> None:
    """`rpc.resolve_outputs` for a preview, converting each output property only when the program reads it.

    The SDK deserializes and translates (through the class's type metadata) every output the engine returns,
    then resolves every property. Here the properties already read (and the plain attributes) are converted
    and resolved at once, as the SDK would; the others keep the answer (`_Conversion`) until read. Outside a
    preview, or for resources not set up by `_transfer_properties`, it is the SDK's function.
    """
    lazy = type(res.__dict__) is _Properties and settings.is_dry_run()
    lazy = lazy and not settings.is_legacy_apply_enabled()
    if not lazy or rpc._special_sig_key in outputs:
        _sdk_resolve_outputs(
            res, serialized_props, outputs, deps, resolvers, custom, transform_using_type_metadata,
            keep_unknowns, resolve_missing_as_unknown,
        )  # fmt: skip
        return
    cls = type(res)
    types = sdk_types.resource_types(cls)
    if transform_using_type_metadata:
        names = sdk_types.resource_pulumi_to_py_names(cls)
        translate, translate_to_pass = (lambda prop: names.get(prop) or prop), (lambda prop: prop)
    else:
        translate = translate_to_pass = res.translate_output_property
    keys = {translate(key): key for key in outputs}
    translated_deps = {translate(key): value for key, value in deps.items()}
    now: list[tuple[Any, tuple[Any, ...]]] = []
    for name, resolve in resolvers.items():
        key = keys.get(name)
        conversion = _Conversion(
            res, outputs, key, name, types.get(key) if key else None, translate_to_pass,
            transform_using_type_metadata, keep_unknowns, translated_deps.get(name),
        )  # fmt: skip
        unread = dict.get(res.__dict__, name)
        if type(unread) is _Unread and unread.future is None:
            unread.later = conversion
        else:
            # raises as the SDK's conversion does, before anything is resolved
            now.append((resolve, conversion.settled(conversion.value())))
    for resolve, resolution in now:
        resolve(*resolution)


_sdk_create_urn = sdk_resource.create_urn


def _create_urn(
    name: Any, type_: Any, parent: Any = None, project: str | None = None, stack: str | None = None
) -> Output[str]:
    """`create_urn` for the all-string case without its `Output.all(...).apply(...)`: the SDK computes a mock
    URN this way on every registration (`do_register`), which the recording monitor then replaces."""
    if not (isinstance(name, str) and isinstance(type_, str) and (parent is None or isinstance(parent, str))):
        return _sdk_create_urn(name, type_, parent, project, stack)
    if parent is not None:
        prefix = parent[0 : parent.rfind("::")] + "$"
    else:
        stack = settings.get_stack() if stack is None else stack
        project = settings.get_project() if project is None else project
        prefix = "urn:pulumi:" + stack + "::" + project + "::"
    return Output.from_input(prefix + type_ + "::" + name)


def install() -> None:
    sdk_resource.create_urn = _create_urn
    sdk_types.unwrap_type = _by_identity(sdk_types.unwrap_type)  # type: ignore[assignment]
    sdk_types.unwrap_optional_type = _by_identity(sdk_types.unwrap_optional_type)  # type: ignore[assignment]
    rpc.serialize_properties = _serialize_properties
    sdk_resource._get_stack_trace = _stack_trace
    rpc.contains_unknowns = _contains_unknowns
    rpc.transfer_properties = _transfer_properties
    rpc.resolve_outputs = _resolve_outputs
