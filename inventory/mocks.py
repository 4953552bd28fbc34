"""The engine side of synthesis: a `MockMonitor` that records every registration and answers like AWS would.

Runs inside the synthesis child process only (it imports the Pulumi SDK). Each registration is normalized
from the raw request (so secret and unknown markers are seen before the SDK unwraps them), given plausible
outputs (`inventory.outputs`), and handed to `emit` as one JSON-ready record. Resources without an explicit
provider get the engine's default provider (`default_<version>`), whose inputs come from the `<package>:`
config as the engine would pass them.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.settings import get_project, get_stack

from inventory import invokes
from inventory.model import DEFAULT_REGION
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

    def __init__(self, config: dict[str, str], emit: Callable[[Record], None], program_dir: Path) -> None:
        super().__init__(_NoMocks())
        self.config = config
        self.program_uri = program_dir.resolve().as_uri() + "/"
        self.emit = emit
        self.providers: dict[str, Record] = {}  # by reference "<urn>::<id>"
        self.stack_urn = ""
        self._defaults: dict[str, Record] = {}  # default providers by URN
        self._lock = threading.Lock()  # the SDK calls the monitor from a thread pool

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
        props = normalize_properties(struct_to_python(request.properties))
        provider = self._provider_for(request)
        record = self._resource(urn, request, props, provider, read_id=request.id)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, record["id"], record["outputs"])
        return resource_pb2.ReadResourceResponse(urn=urn, properties=_struct(record["outputs"]))

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
        args = normalize(struct_to_python(request.args)).value
        provider = self._resolve(request.provider, request.tok.split(":", 1)[0], request.version)
        result = invokes.answer(request.tok, args, self._where(provider, args))
        return resource_pb2.ResourceInvokeResponse(**{"return": _struct(result)})


class _NoMocks(Mocks):
    """`RecordingMonitor` answers everything itself; the base class only needs a Mocks instance."""

    def call(self, args: MockCallArgs) -> Any:
        return {}

    def new_resource(self, args: MockResourceArgs) -> Any:
        return "", {}


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
