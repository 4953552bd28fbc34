"""The engine side of the analyzer gRPC protocol: drive a policy pack over an inventory.

Call order, as `pulumi preview --policy-pack` does it (`sdk/go/common/resource/plugin/analyzer_plugin.go`
and `pkg/engine/update.go`): start the pack (`packhost`), `Handshake` (UNIMPLEMENTED tolerated),
`ConfigureStack`, `GetAnalyzerInfo`, `Configure` with the reconciled policy config (`packconfig`), one
`Analyze` per resource with its inputs and provider, then `AnalyzeStack` with every resource and its outputs,
then stop the pack.

`PolicySession` starts the pack on construction, so its start-up overlaps whatever the caller does next
(typically synthesizing the program). A worker thread sends each `Analyze` as soon as a resource arrives,
without waiting for the answer but with at most `MAX_IN_FLIGHT` calls outstanding (the pack serves four at a
time; ten thousand calls sent at once come back CANCELLED), so the caller never waits for the pack;
`finish()` collects the answers. Provider resources and the stack root are context, never analyzed.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import analyzer_pb2 as pb
from pulumi.runtime.proto import analyzer_pb2_grpc as rpc

from inventory.model import Inventory, Provider, Resource

from .marshal import REDACTED, to_struct
from .packconfig import (
    PackConfigError,
    PolicyConfig,
    initial_config_from_proto,
    level_from_proto,
    load_pack_config,
    parse_pack_config,
    reconcile,
    to_request,
)
from .packhost import (
    ENGINE_ADDRESS,
    PackError,
    PackProcess,
    PackProject,
    config_string,
    load_pack_project,
    pack_environment,
)
from .results import DEFAULT_SEVERITY, NotApplicable, PackInfo, PolicyInfo, PolicyResult, Violation

POLICIES_DIR = Path(__file__).resolve().parent
STACK_TYPE = "pulumi:pulumi:Stack"
RPC_TIMEOUT = 300.0
"""Seconds one call may take once sent (calls are sent only when a slot is free, see `MAX_IN_FLIGHT`)."""
MAX_IN_FLIGHT = 8
"""`Analyze` calls outstanding at once: twice pulumi-policy's four server threads, so each has the next call
waiting while an answer travels back, and the pack's queue (and everyone's memory) stays bounded."""
START_TIMEOUT = 60.0
_MAX_MESSAGE = 400 * 1024 * 1024  # what pulumi-policy allows; AnalyzeStack carries the whole stack
_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", _MAX_MESSAGE),
    ("grpc.max_send_message_length", _MAX_MESSAGE),
]
_SEVERITY = {
    pb.POLICY_SEVERITY_LOW: "low",
    pb.POLICY_SEVERITY_MEDIUM: "medium",
    pb.POLICY_SEVERITY_HIGH: "high",
    pb.POLICY_SEVERITY_CRITICAL: "critical",
}
_POLICY_TYPE = {pb.POLICY_TYPE_RESOURCE: "resource", pb.POLICY_TYPE_STACK: "stack"}

PolicyConfigSource = Mapping[str, Any] | Path | None
"""A parsed `--policy-pack-config` object, a path to one, or None for the stack's profile in the pack."""

T = TypeVar("T")


def default_policy_config(pack_dir: Path, stack: str) -> Path | None:
    """The pack's per-stack profile, `<pack>/config/<stack>.json`, when there is one."""
    path = Path(pack_dir) / "config" / f"{stack}.json"
    return path if path.is_file() else None


def resolve_policy_config(source: PolicyConfigSource, pack_dir: Path, stack: str) -> dict[str, PolicyConfig]:
    if isinstance(source, Path):
        return load_pack_config(source)
    if source is not None:
        return parse_pack_config(source)
    profile = default_policy_config(pack_dir, stack)
    return load_pack_config(profile) if profile else {}


def analyzable(resource: Resource) -> bool:
    """Whether the engine calls `Analyze` for it: registered (not read), neither a provider nor the stack."""
    return not (
        resource.external or resource.type == STACK_TYPE or resource.type.startswith("pulumi:providers:")
    )


@dataclass
class _Pending:
    resource: Resource
    future: Any  # grpc future of an AnalyzeResponse


class PolicySession:
    """A running policy pack for one stack; use it as a context manager or end with `finish()`/`close()`."""

    def __init__(
        self,
        pack_dir: Path | str = POLICIES_DIR,
        *,
        project: str,
        stack: str,
        config: Mapping[str, Any] | None = None,
        policy_config: PolicyConfigSource = None,
        organization: str = "",
        dry_run: bool = True,
        stack_tags: Mapping[str, str] | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.pack_dir = Path(pack_dir).resolve()
        self.project, self.stack, self.organization, self.dry_run = project, stack, organization, dry_run
        self._config = dict(config or {})
        self._stack_tags = (
            dict(stack_tags) if stack_tags is not None else _default_stack_tags(project, self._config)
        )
        self._pack_config = resolve_policy_config(policy_config, self.pack_dir, stack)
        self._start_timeout = start_timeout
        self._pack: PackProject = load_pack_project(self.pack_dir)
        self._process = PackProcess(
            self._pack,
            pack_environment(
                organization=organization, project=project, stack=stack, dry_run=dry_run, config=self._config
            ),
        )
        self._channel: grpc.Channel | None = None
        self._stub: rpc.AnalyzerStub | None = None
        self._stack_call: grpc.UnaryUnaryMultiCallable | None = None
        self.info: PackInfo | None = None
        self._queue: queue.SimpleQueue[Resource | None] = queue.SimpleQueue()
        self._slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)
        self._pending: list[_Pending] = []
        self._sent: set[str] = set()
        self._providers: dict[int, tuple[Provider, pb.AnalyzerProviderResource]] = {}  # marshalled once each
        self._stack_parts: dict[str, tuple[Resource, bytes]] = {}  # by URN: AnalyzeStack's entry, encoded
        self._error: BaseException | None = None
        self._closed = False
        self._defaults: PackInfo | None = None
        self._worker = threading.Thread(target=self._work, name="policy-analyze", daemon=True)
        self._worker.start()

    def __enter__(self) -> PolicySession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- the caller's side -------------------------------------------------------------------------------

    def analyze(self, resource: Resource) -> None:
        """Send `Analyze` for a resource (its inputs and provider) without waiting; repeats are ignored."""
        if self._closed:
            raise RuntimeError("this policy session is closed; start a new one")
        if not analyzable(resource) or resource.urn in self._sent:
            return
        self._sent.add(resource.urn)
        if self._worker.is_alive():
            self._queue.put(resource)  # the worker marshals and sends it (once the pack is connected)
            return
        self._connected()
        self._send(resource)

    def check(self, inventory: Inventory) -> PolicyResult:
        """Analyze what was not sent yet, run `AnalyzeStack` over every resource and report.

        The pack keeps running, so the same session can check another inventory of the same stack.
        """
        self._connected()
        for resource in inventory.resources:
            self.analyze(resource)
        request = b"".join(self._stack_part(r) for r in inventory.resources)
        call = self._stack_call
        assert call is not None, "the pack is not connected"
        answer = call.future(request, timeout=RPC_TIMEOUT)  # the Analyze answers are read while it runs
        pending, self._pending, self._sent, self._providers = self._pending, [], set(), {}
        self._stack_parts = {}
        return self._result(inventory, pending, lambda: self._call("AnalyzeStack", answer.result))

    def reconfigure(self, policy_config: PolicyConfigSource) -> None:
        """Send another policy config (reconciled against the pack's defaults, as at start)."""
        self._connected()
        assert self._defaults is not None
        self._pack_config = resolve_policy_config(policy_config, self.pack_dir, self.stack)
        self.info = self._configure(self._defaults)

    def finish(self, inventory: Inventory) -> PolicyResult:
        """`check()`, then stop the pack."""
        try:
            return self.check(inventory)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the pack process (idempotent)."""
        self._closed = True
        self._queue.put(None)
        if self._channel is not None:
            self._channel.close()
        self._process.close()

    # --- the worker: connect, then send Analyze as resources arrive -------------------------------------

    def _work(self) -> None:
        try:
            self._connect()
            while (resource := self._queue.get()) is not None:
                self._send(resource)
        except BaseException as err:  # re-raised in the caller's thread by _connected()
            self._error = err

    def _connected(self) -> None:
        """Wait until the worker has connected and sent everything queued; re-raise what stopped it."""
        if self._worker.is_alive():
            self._queue.put(None)
            self._worker.join()
        if self._error is not None:
            raise self._error

    def _send(self, resource: Resource) -> None:
        """Send `Analyze` once fewer than `MAX_IN_FLIGHT` calls are outstanding; the answer is kept."""
        request = self._analyze_request(resource)
        self._slots.acquire()
        try:
            future = self._client().Analyze.future(request, timeout=RPC_TIMEOUT)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(self._release)
        self._pending.append(_Pending(resource, future))
        self._stack_part(resource)  # while the program runs, not after it

    def _release(self, _future: Any) -> None:
        self._slots.release()

    def _connect(self) -> None:
        port = self._process.port(self._start_timeout)
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=_CHANNEL_OPTIONS)
        self._stub = rpc.AnalyzerStub(self._channel)
        self._stack_call = self._channel.unary_unary(  # takes the request already encoded
            "/pulumirpc.Analyzer/AnalyzeStack", response_deserializer=pb.AnalyzeResponse.FromString
        )
        stub = self._stub
        directory = str(self.pack_dir)
        handshake = pb.AnalyzerHandshakeRequest(
            engine_address=ENGINE_ADDRESS, root_directory=directory, program_directory=directory
        )
        self._call("Handshake", lambda: stub.Handshake(handshake, timeout=RPC_TIMEOUT), optional=True)
        self._call(
            "ConfigureStack",
            lambda: stub.ConfigureStack(self._stack_request(), timeout=RPC_TIMEOUT),
            optional=True,
        )
        reply = self._call(
            "GetAnalyzerInfo", lambda: stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=RPC_TIMEOUT)
        )
        self._defaults = pack_info(reply, self._pack)
        self.info = self._configure(self._defaults)

    def _configure(self, info: PackInfo) -> PackInfo:
        """Reconcile and send the policy config; returns the info with the levels the run will use."""
        if not info.supports_config:
            if self._pack_config:
                raise PackConfigError(f"policy pack {info.name} at {self.pack_dir} does not support config")
            return info
        initial = initial_config_from_proto(info.initial_config)
        configured = reconcile(info.policies, initial, self._pack_config)
        if configured:
            request = to_request(configured)
            self._call("Configure", lambda: self._client().Configure(request, timeout=RPC_TIMEOUT))
        policies = tuple(
            replace(p, enforcement_level=configured[p.name].enforcement_level) if p.name in configured else p
            for p in info.policies
        )
        return replace(info, policies=policies)

    def _stack_request(self) -> pb.AnalyzerStackConfigureRequest:
        return pb.AnalyzerStackConfigureRequest(
            stack=self.stack,
            project=self.project,
            organization=self.organization,
            dry_run=self.dry_run,
            config={k: config_string(v) for k, v in self._config.items()},
            config_secret_keys=sorted(k for k, v in self._config.items() if v == REDACTED),
            tags=self._stack_tags,
        )

    # --- requests --------------------------------------------------------------------------------------

    def _analyze_request(self, resource: Resource) -> pb.AnalyzeRequest:
        request = pb.AnalyzeRequest(
            type=resource.type,
            name=resource.name,
            urn=resource.urn,
            properties=to_struct(
                resource.inputs, unknown_paths=resource.unknown_paths, secret_paths=resource.secret_paths
            ),
            options=_options(resource),
        )
        if resource.provider is not None:
            request.provider.CopyFrom(self._provider(resource.provider))
        return request

    def _stack_part(self, resource: Resource) -> bytes:
        """The resource's entry in `AnalyzeStackRequest.resources`, encoded once. An encoded message with one
        entry of a repeated field is that entry's bytes, and concatenated messages merge (the protobuf
        encoding), so the request is the join of its resources' parts."""
        kept = self._stack_parts.get(resource.urn)
        if kept is not None and kept[0] is resource:
            return kept[1]
        part = pb.AnalyzeStackRequest(resources=[self._stack_resource(resource)]).SerializeToString()
        self._stack_parts[resource.urn] = (resource, part)
        return part

    def _stack_resource(self, resource: Resource) -> pb.AnalyzerResource:
        message = pb.AnalyzerResource(
            type=resource.type,
            name=resource.name,
            urn=resource.urn,
            properties=to_struct(
                {**resource.inputs, **resource.outputs},
                unknown_paths=resource.unknown_paths,
                secret_paths=resource.secret_paths,
            ),
            options=_options(resource),
            parent=resource.parent or "",
            dependencies=resource.dependencies,
        )
        for key, urns in resource.property_dependencies.items():
            if urns:
                message.propertyDependencies[key].urns.extend(urns)
        if resource.provider is not None:
            message.provider.CopyFrom(self._provider(resource.provider))
        return message

    def _provider(self, provider: Provider) -> pb.AnalyzerProviderResource:
        """The provider message, built once per provider object (holding it keeps its id unique)."""
        cached = self._providers.get(id(provider))
        if cached is None:
            message = pb.AnalyzerProviderResource(
                type=provider.type,
                urn=provider.urn,
                name=provider.name,
                properties=to_struct(provider.inputs),
            )
            cached = self._providers[id(provider)] = (provider, message)
        return cached[1]

    # --- answers ---------------------------------------------------------------------------------------

    def _result(
        self, inventory: Inventory, pending: list[_Pending], stack: Callable[[], pb.AnalyzeResponse]
    ) -> PolicyResult:
        """The findings of every `Analyze` answer, then of the `AnalyzeStack` one (`stack` waits for it)."""
        assert self.info is not None
        findings = _Findings(inventory, {p.name: p.severity for p in self.info.policies})
        for item in pending:
            urn = item.resource.urn
            findings.add(self._call("Analyze", item.future.result, urn=urn), urn)
        findings.add(stack(), inventory.stack_urn)
        return PolicyResult(
            pack=self.info.name,
            version=self.info.version,
            violations=sorted(findings.violations, key=_violation_order),
            not_applicable=sorted(findings.not_applicable, key=lambda n: (n.policy, n.urn, n.reason)),
            policies=list(self.info.policies),
            project=inventory.project,
            stack=inventory.stack,
            resources_analyzed=len(pending),
        )

    def _client(self) -> rpc.AnalyzerStub:
        assert self._stub is not None, "the pack is not connected"
        return self._stub

    def _call(self, method: str, call: Callable[[], T], *, urn: str = "", optional: bool = False) -> T:
        """Run one RPC; a failure becomes a `PackError` naming the method, the resource and the cause."""
        try:
            return call()
        except grpc.RpcError as err:
            code = err.code() if isinstance(err, grpc.Call) else None
            if optional and code == grpc.StatusCode.UNIMPLEMENTED:
                return None  # type: ignore[return-value]
            details = err.details() if isinstance(err, grpc.Call) else str(err)
            target = f" for {urn}" if urn else ""
            raise PackError(
                f"the policy pack in {self.pack_dir} failed in {method}{target}: {details}",
                self._process.stderr(),
            ) from None


def run_pack(
    inventory: Inventory, *, pack_dir: Path | str = POLICIES_DIR, policy_config: PolicyConfigSource = None
) -> PolicyResult:
    """Drive the pack over a finished inventory (design.md, Contract 2)."""
    with PolicySession(
        pack_dir,
        project=inventory.project,
        stack=inventory.stack,
        config=inventory.config,
        policy_config=policy_config,
    ) as session:
        for resource in inventory.resources:
            session.analyze(resource)
        return session.finish(inventory)


def pack_info(reply: pb.AnalyzerInfo, project: PackProject) -> PackInfo:
    """`GetAnalyzerInfo` as the engine reads it: version and description from PulumiPolicy.yaml win."""
    policies = sorted((_policy_info(p, reply.supportsConfig) for p in reply.policies), key=lambda p: p.name)
    return PackInfo(
        name=reply.name,
        version=project.version or reply.version,
        description=reply.description or project.description,
        supports_config=reply.supportsConfig,
        policies=tuple(policies),
        initial_config=dict(reply.initialConfig),
    )


def _policy_info(policy: pb.PolicyInfo, supports_config: bool) -> PolicyInfo:
    schema = None
    if supports_config:  # the engine gives every policy a schema when the pack takes config
        schema = {
            "properties": json_format.MessageToDict(policy.configSchema.properties),
            "required": list(policy.configSchema.required),
        }
    framework = policy.framework
    return PolicyInfo(
        name=policy.name,
        description=policy.description,
        enforcement_level=level_from_proto(policy.enforcementLevel),
        policy_type=_POLICY_TYPE.get(policy.policy_type, "resource"),
        severity=_SEVERITY.get(policy.severity, DEFAULT_SEVERITY),
        display_name=policy.displayName,
        remediation=policy.remediation_steps,
        url=policy.url,
        tags=tuple(policy.tags),
        framework=" ".join(x for x in (framework.name, framework.version) if x),
        config_schema=schema,
    )


class _Findings:
    """Diagnostics and not-applicable entries turned into `Violation`s and `NotApplicable`s."""

    def __init__(self, inventory: Inventory, severities: Mapping[str, str]) -> None:
        self._inventory = inventory
        self._severities = severities
        self.violations: list[Violation] = []
        self.not_applicable: list[NotApplicable] = []

    def add(self, response: pb.AnalyzeResponse, urn: str) -> None:
        for entry in response.not_applicable:
            self._skip(entry.policy_name, urn, entry.reason or "the policy does not apply")
        for diagnostic in response.diagnostics:
            self._diagnostic(diagnostic, diagnostic.urn or urn)

    def _diagnostic(self, d: pb.AnalyzeDiagnostic, urn: str) -> None:
        level = level_from_proto(d.enforcementLevel)
        if level == "disabled":
            return
        reason = _unknown_reason(d)
        if reason is not None:
            self._skip(d.policyName, urn, reason)
            return
        type_, name = self._describe(urn)
        self.violations.append(
            Violation(
                policy=d.policyName,
                level="advisory" if level == "advisory" else "mandatory",  # remediate reports as mandatory
                severity=_SEVERITY.get(d.severity) or self._severities.get(d.policyName, DEFAULT_SEVERITY),
                urn=urn,
                type=type_,
                name=name,
                message=_own_message(d),
            )
        )

    def _skip(self, policy: str, urn: str, reason: str) -> None:
        type_, name = self._describe(urn)
        self.not_applicable.append(
            NotApplicable(policy=policy, urn=urn, reason=reason, type=type_, name=name)
        )

    def _describe(self, urn: str) -> tuple[str, str]:
        resource = self._inventory.get(urn)
        if resource is not None:
            return resource.type, resource.name
        return _urn_type(urn), urn.rsplit("::", 1)[-1]


def _unknown_reason(d: pb.AnalyzeDiagnostic) -> str | None:
    """pulumi-policy turns an `UnknownValueError` into an advisory "can't run policy … during preview: …"."""
    prefix = f"can't run policy '{d.policyName}' from policy pack "
    marker = " during preview: "
    if d.urn or not d.message.startswith(prefix) or marker not in d.message:
        return None
    return "could not be evaluated: " + d.message.split(marker, 1)[1]


def _own_message(d: pb.AnalyzeDiagnostic) -> str:
    """The rule's own message: pulumi-policy prefixes it with the policy description and a newline."""
    prefix = d.description + "\n"
    if d.description and d.message.startswith(prefix) and len(d.message) > len(prefix):
        return d.message[len(prefix) :]
    return d.message


def _urn_type(urn: str) -> str:
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""


def _violation_order(v: Violation) -> tuple[Any, ...]:
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    return (v.level != "mandatory", rank.get(v.severity, 4), v.policy, v.urn, v.message)


def _options(resource: Resource) -> pb.AnalyzerResourceOptions:
    return pb.AnalyzerResourceOptions(
        parent=resource.parent or "",
        protect=resource.protect,
        customTimeouts=pb.AnalyzerResourceOptions.CustomTimeouts(),
    )


def _default_stack_tags(project: str, config: Mapping[str, Any]) -> dict[str, str]:
    """`pulumi:project` plus the string-valued `pulumi:tags` from the stack config."""
    tags = {"pulumi:project": project}
    configured = config.get("pulumi:tags")
    if isinstance(configured, Mapping):
        tags.update(
            {str(k): str(v) for k, v in configured.items() if isinstance(v, str | int | float | bool)}
        )
    return tags
