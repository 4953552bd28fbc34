"""The engine side of synthesis: a `MockMonitor` that records every registration and answers like AWS would.

Runs inside the synthesis child process only (it imports the Pulumi SDK). Like the engine in a preview, it
runs the program's resource and invoke transforms (`register_resource_transform`, `transforms=`,
`register_invoke_transform`) on each registration and call, and refuses a second resource with the same URN.
Each registration is then normalized from the raw request (so secret and unknown markers are seen before the
SDK unwraps them), given plausible outputs (`inventory.outputs`), with every other output property the
resource class declares recorded as unknown, and handed to `emit` as one JSON-ready record. Resources
without an explicit provider get the engine's default provider (`default_<version>`), whose inputs come from
the `<package>:` config as the engine would pass them.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime._callbacks import _CallbackServicer
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.settings import get_project, get_stack

from inventory import invokes, sdkschema
from inventory.model import DEFAULT_REGION, UNKNOWN
from inventory.outputs import Context, compute
from inventory.values import (
    SECRET_SIG,
    SIG_KEY,
    config_value,
    normalize,
    normalize_properties,
    parse_json_strings,
)

Record = dict[str, Any]
DEFAULT_ACCOUNT = "123456789012"
STACK_REFERENCE = "pulumi:pulumi:StackReference"


class EngineError(Exception):
    """What the engine refuses (a duplicate URN); the message is the engine's, with where it happened."""


def struct_to_python(value: Any) -> Any:
    """A protobuf Struct/Value/ListValue as plain Python, signature objects kept (faster than json_format)."""
    if isinstance(value, struct_pb2.Struct):
        return {k: struct_to_python(v) for k, v in value.fields.items()}
    if isinstance(value, struct_pb2.ListValue):
        return [struct_to_python(v) for v in value.values]
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return struct_to_python(value.struct_value)
    if kind == "list_value":
        return struct_to_python(value.list_value)
    if kind == "null_value" or kind is None:
        return None
    return getattr(value, kind)


class RecordingMonitor(MockMonitor):
    """Registers resources like `MockMonitor`, and streams a normalized record of each to `emit`."""

    def __init__(
        self,
        config: dict[str, str],
        emit: Callable[[Record], None],
        program_dir: Path,
        stack_outputs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(_NoMocks())
        self.config = config
        self.stack_outputs = stack_outputs
        """Outputs every `StackReference` reads (`--stack-outputs`); None: unknown, as in a preview."""
        self.program_uri = program_dir.resolve().as_uri() + "/"
        self.emit = emit
        self.providers: dict[str, Record] = {}  # by reference "<urn>::<id>"
        self.stack_urn = ""
        self._defaults: dict[str, Record] = {}  # default providers by URN
        self._lock = threading.Lock()  # the SDK calls the monitor from a thread pool
        self._urns: set[str] = set()
        self._parents: dict[str, str] = {}
        self._transforms: dict[str, list[Any]] = {}  # each resource's own `transforms` callbacks
        self._stack_callbacks: list[Any] = []
        self._invoke_callbacks: list[Any] = []
        self._warned: set[str] = set()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The engine's URN: the parent's whole qualified type prefixes the child's, except the stack root's.

        (`MockMonitor.make_urn` keeps only the last parent type and qualifies stack children too.)
        """
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != "pulumi:pulumi:Stack":
                type_ = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([get_stack(), get_project(), type_, name])

    # --- resources ---------------------------------------------------------------------------------------

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == "pulumi:pulumi:Stack":
            self.stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)
        self._claim(urn, request)
        request = self._transformed(urn, request)
        props = normalize_properties(struct_to_python(request.object))
        if request.type.startswith("pulumi:providers:"):
            record = self._provider(urn, request.type, request.name, parse_json_strings(props.value))
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, record["id"], props.value)
            return resource_pb2.RegisterResourceResponse(
                urn=urn, id=record["id"], object=_struct(props.value)
            )
        provider = self._provider_for(request) if request.custom else None
        record = self._resource(urn, request, props, provider)
        outputs = _wrap_secrets(record["outputs"], record["secretPaths"])
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, record["id"], record["outputs"])
        return resource_pb2.RegisterResourceResponse(urn=urn, id=record["id"], object=_struct(outputs))

    def ReadResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        self._claim(urn, request)
        props = normalize_properties(struct_to_python(request.properties))
        provider = self._provider_for(request)
        record = self._resource(urn, request, props, provider, read_id=request.id)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, record["id"], record["outputs"])
        return resource_pb2.ReadResourceResponse(urn=urn, properties=_struct(record["outputs"]))

    def _claim(self, urn: str, request: Any) -> None:
        """Refuse a second registration of a URN, with the engine's message and where the program made it."""
        with self._lock:
            if urn in self._urns:
                where = self._source_position(request).split("#", 1)
                at = f" (registered again at {where[0].removeprefix('project:///')}:{where[1].split(',')[0]})"
                raise EngineError(
                    f"Duplicate resource URN '{urn}'; try giving it a unique name"
                    + (at if len(where) == 2 else "")
                )
            self._urns.add(urn)
            self._parents[urn] = request.parent

    # --- transforms --------------------------------------------------------------------------------------

    def RegisterStackTransform(self, request: Any) -> Any:
        self._stack_callbacks.append(request)
        return super().RegisterStackTransform(request)

    def RegisterStackInvokeTransform(self, request: Any) -> Any:
        self._invoke_callbacks.append(request)
        return super().RegisterStackInvokeTransform(request)

    def _transformed(self, urn: str, request: Any) -> Any:
        """The request after its transforms, in the engine's order: the resource's own, then each ancestor's
        (nearest first), then the stack's; each sees the previous one's properties and options."""
        own = list(getattr(request, "transforms", []))
        self._transforms[urn] = own
        chain = list(own)
        parent = request.parent
        while parent:
            chain += self._transforms.get(parent, [])
            parent = self._parents.get(parent, "")
        chain += self._stack_callbacks
        if not chain:
            return request
        out = type(request)()
        out.CopyFrom(request)
        for callback in chain:
            transform = resource_pb2.TransformRequest(
                type=out.type,
                name=out.name,
                custom=out.custom,
                parent=out.parent,
                properties=out.object,
                options=_transform_options(out),
            )
            response = resource_pb2.TransformResponse.FromString(_run_callback(callback, transform))
            out.object.CopyFrom(response.properties)
            if response.HasField("options"):
                _apply_options(out, response.options)
        return out

    def _resource(
        self, urn: str, request: Any, props: Any, provider: Record | None, read_id: str = ""
    ) -> Record:
        custom = bool(getattr(request, "custom", True))
        inputs, outputs, id_ = props.value, dict(props.value), read_id
        if custom:
            computed = compute(self._context(urn, request, inputs, provider))
            inputs, outputs = computed.checked_inputs, computed.outputs
            id_ = read_id or computed.id
            outputs["id"] = id_
            self._unknown_outputs(request.type, outputs, props.unknown_paths)
        record = {
            "kind": "resource",
            "urn": urn,
            "type": request.type,
            "name": request.name,
            "custom": custom,
            "id": id_,
            "external": bool(read_id),
            "parent": request.parent or self.stack_urn or None,
            "provider": provider["ref"] if provider else None,
            "dependencies": list(getattr(request, "dependencies", [])),
            "propertyDependencies": _property_dependencies(request),
            "inputs": inputs,
            "outputs": outputs,
            "unknownPaths": sorted(props.unknown_paths),
            "secretPaths": sorted(props.secret_paths | set(getattr(request, "additionalSecretOutputs", []))),
            "sourcePosition": self._source_position(request),
            "protect": bool(getattr(request, "protect", False)),
            "retainOnDelete": bool(getattr(request, "retainOnDelete", False)),
        }
        self.emit(record)
        return record

    def _unknown_outputs(self, token: str, outputs: dict[str, Any], unknown_paths: set[str]) -> None:
        """Outputs the model does not compute are unknown, as in a preview: the output properties the
        resource class declares (not its inputs), and a stack reference's outputs unless given."""
        if token == STACK_REFERENCE:
            if self.stack_outputs is not None:
                outputs.update(outputs=self.stack_outputs, secretOutputNames=[])
                return
            missing: frozenset[str] | set[str] = {"outputs", "secretOutputNames"}
        else:
            missing = sdkschema.output_only_properties(token)
        for key in missing:
            if key not in outputs:
                outputs[key] = UNKNOWN
                unknown_paths.add(key)

    def _source_position(self, request: Any) -> str:
        """The engine's form: `project:///<path in the program>#<line>,<column>` (else the file URI)."""
        position = getattr(request, "sourcePosition", None)
        if position is None or not position.uri:
            return ""
        uri = position.uri
        if uri.startswith(self.program_uri):
            uri = "project:///" + uri[len(self.program_uri) :]
        return f"{uri}#{position.line},{position.column}"

    def _context(self, urn: str, request: Any, inputs: dict[str, Any], provider: Record | None) -> Context:
        where = self._where(provider, inputs)
        return Context(
            type=request.type,
            name=request.name,
            urn=urn,
            inputs=inputs,
            region=where.region,
            account=where.account,
            partition=where.partition.name,
            default_tags=where.default_tags,
        )

    # --- providers ---------------------------------------------------------------------------------------

    def _provider(self, urn: str, type_: str, name: str, inputs: dict[str, Any]) -> Record:
        id_ = str(uuid.uuid5(uuid.NAMESPACE_URL, urn))
        ref = f"{urn}::{id_}"
        record = {
            "kind": "provider",
            "urn": urn,
            "type": type_,
            "name": name,
            "id": id_,
            "inputs": inputs,
            "ref": ref,
        }
        self.providers[ref] = record
        self.emit(record)
        return record

    def _provider_for(self, request: Any) -> Record | None:
        return self._resolve(request.provider, request.type.split(":", 1)[0], request.version)

    def _resolve(self, ref: str, package: str, version: str) -> Record | None:
        """The provider a reference names; without one, the package's default provider (made on first use)."""
        if ref:
            return self.providers.get(ref)
        if package == "pulumi":
            return None
        name = f"default_{version.replace('.', '_')}" if version else "default"
        urn = "urn:pulumi:" + "::".join([get_stack(), get_project(), f"pulumi:providers:{package}", name])
        with self._lock:
            if urn not in self._defaults:
                inputs = self._default_inputs(package, version)
                self._defaults[urn] = self._provider(urn, f"pulumi:providers:{package}", name, inputs)
            return self._defaults[urn]

    def _default_inputs(self, package: str, version: str) -> dict[str, Any]:
        prefix = package + ":"
        inputs = {k[len(prefix) :]: config_value(v) for k, v in self.config.items() if k.startswith(prefix)}
        if version:
            inputs["version"] = version
        return inputs

    def _where(self, provider: Record | None, inputs: dict[str, Any] | None = None) -> invokes.Where:
        pinputs = provider["inputs"] if provider else {}
        region = (inputs or {}).get("region") or pinputs.get("region") or self.config.get("aws:region")
        accounts = pinputs.get("allowedAccountIds") or config_value(
            self.config.get("aws:allowedAccountIds", "[]")
        )
        default_tags = pinputs.get("defaultTags")
        tags = default_tags.get("tags") or {} if isinstance(default_tags, dict) else {}
        account = accounts[0] if isinstance(accounts, list) and accounts else DEFAULT_ACCOUNT
        return invokes.Where(str(region or DEFAULT_REGION), str(account), dict(tags))

    # --- invokes -----------------------------------------------------------------------------------------

    def Invoke(self, request: Any) -> Any:
        if request.tok == "pulumi:pulumi:getResource":
            return super().Invoke(request)
        request = self._invoke_transformed(request)
        args = normalize(struct_to_python(request.args)).value
        provider = self._resolve(request.provider, request.tok.split(":", 1)[0], request.version)
        result = invokes.answer(request.tok, args, self._where(provider, args))
        if result.warning and request.tok not in self._warned:
            self._warned.add(request.tok)
            self.emit({"kind": "warning", "message": result.warning})
        return resource_pb2.ResourceInvokeResponse(**{"return": _struct(result.value)})

    def _invoke_transformed(self, request: Any) -> Any:
        if not self._invoke_callbacks:
            return request
        out = type(request)()
        out.CopyFrom(request)
        for callback in self._invoke_callbacks:
            options = resource_pb2.TransformInvokeOptions(provider=out.provider, version=out.version)
            transform = resource_pb2.TransformInvokeRequest(token=out.tok, args=out.args, options=options)
            response = resource_pb2.TransformInvokeResponse.FromString(_run_callback(callback, transform))
            out.args.CopyFrom(response.args)
            if response.HasField("options"):
                out.provider, out.version = response.options.provider, response.options.version
        return out


class _NoMocks(Mocks):
    """`RecordingMonitor` answers everything itself; the base class only needs a Mocks instance."""

    def call(self, args: MockCallArgs) -> Any:
        return {}

    def new_resource(self, args: MockResourceArgs) -> Any:
        return "", {}


def _run_callback(callback: Any, message: Any) -> bytes:
    """Call a program's transform as the engine does over gRPC, on the program's event loop (the monitor
    runs in the SDK's worker threads while that loop waits for it)."""
    for servicer in _CallbackServicer._servicers:
        function = servicer._callbacks.get(callback.token)
        if servicer._target == callback.target and function is not None:
            call: Any = function(message.SerializeToString())
            response: bytes = (
                asyncio.run_coroutine_threadsafe(call, servicer._loop).result().SerializeToString()
            )
            return response
    raise invokes.ModelLimitation(
        f"the transform callback {callback.token} is not registered in this program"
    )


def _transform_options(request: Any) -> Any:
    return resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies),
        protect=request.protect,
        ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges),
        version=request.version,
        provider=request.provider,
        retain_on_delete=request.retainOnDelete,
        additional_secret_outputs=list(request.additionalSecretOutputs),
    )


def _apply_options(request: Any, options: Any) -> None:
    """The options a transform may change that the inventory records."""
    request.protect = options.protect
    request.provider = options.provider
    request.version = options.version
    del request.additionalSecretOutputs[:]
    request.additionalSecretOutputs.extend(options.additional_secret_outputs)
    del request.ignoreChanges[:]
    request.ignoreChanges.extend(options.ignore_changes)


def _property_dependencies(request: Any) -> dict[str, list[str]]:
    deps = getattr(request, "propertyDependencies", None)
    return {key: list(value.urns) for key, value in deps.items()} if deps else {}


def _wrap_secrets(outputs: dict[str, Any], secret_paths: list[str]) -> dict[str, Any]:
    """Mark top-level outputs that hold a secret so the program's Outputs stay secret, as the engine does."""
    top = {p.split(".", 1)[0].split("[", 1)[0] for p in secret_paths}
    return {k: {SIG_KEY: SECRET_SIG, "value": v} if k in top else v for k, v in outputs.items()}


def _struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message
