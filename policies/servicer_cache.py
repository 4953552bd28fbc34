"""Per-request caching for pulumi-policy 1.21's analyzer servicer; `policies/__main__.py` installs it.

Why: for every policy of an `Analyze` call, `_PolicyAnalyzerServicer` converts the request's properties and
its provider's again (`json_format.MessageToDict`, then `deserialize_properties`, then
`unknown_checking_proxy`): 64 times per resource for our pack, about 70 % of the pack's CPU. `AnalyzeStack`
converts every resource again for each stack policy. The conversions depend on the request only.

How: `install()` makes `PolicyPack` build a `CachingServicer`, whose `Analyze` and `AnalyzeStack` run the
SDK's own code inside a `request_scope.scope()`, and rebinds the three conversion functions that
`pulumi_policy.policy` looks up as module globals to versions that are memoized inside a scope (by the
identity of their argument) and call straight through outside one. Every policy still runs through the SDK's
loop with its own enforcement level, config, violation reporting and not-applicable handling; the policies
of one call merely receive the same props, options and provider objects (in `AnalyzeStack` the same
resources), so rules must treat them as
read-only (ours copy them with `policies.rules.props.plain`).

More savings, each output-identical: `AnalyzeStack` is the SDK's own code (`_analyze_stack`, pinned like
the rest) except that the stack's `PolicyResource` graph is built once for all stack policies, each policy
getting its own list of the same objects (the SDK rebuilt it per stack policy: 10,000 resources times every
join rule), over a snapshot of the request's resources (`_StackRequest`: the same property, option and
provider messages, with the dependencies already read into Python lists);
provider resources are converted once per distinct provider (`_providers`, keyed by the provider message's
bytes: every resource carries its own copy of the same provider); the runtime settings the SDK re-derives
from the (unchanging) environment on every call are configured once per process; and automatic cyclic
garbage collection is off while the pack serves, with one full collection after each `AnalyzeStack` (the end
of a run). What a call allocates (converted props, proxies, views, the stack index) is acyclic and freed by
reference counting as the call ends, but the collector kept rescanning it, and during `AnalyzeStack` the
whole stack's worth: a quarter of the pack's time at 10,000 resources, for no memory back (the peak RSS is
the same either way).

Pinned: the SDK code this relies on is fingerprinted in `PINNED`. When the installed pulumi-policy differs,
`install()` leaves the SDK untouched and says so on stderr: the pack stays correct, only slower.
`tests/policies/test_servicer_cache.py` fails on such an upgrade, so the code is re-checked and re-pinned.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import hashlib
import inspect
import sys
from collections.abc import Callable
from inspect import isawaitable
from typing import Any

from google.protobuf import json_format
from pulumi_policy import deserialize as sdk_deserialize
from pulumi_policy import policy as sdk
from pulumi_policy import proxy as sdk_proxy
from pulumi_policy.version import VERSION

from policies import request_scope

PINNED_VERSION = "1.21.0"
PINNED: dict[str, str] = {
    "PolicyPack.__init__": "34256ae3a291d0b4",  # builds `_PolicyAnalyzerServicer` by its module global
    "_PolicyAnalyzerServicer.Analyze": "75db9cf8fc9d1585",
    "_PolicyAnalyzerServicer.AnalyzeStack": "3917a008482c2387",
    "_PolicyAnalyzerServicer._get_resource_options": "986051047b696f0f",
    "_PolicyAnalyzerServicer._get_provider_resource": "5db736069fc8d3d6",
    "_PolicyAnalyzerServicer._configure_runtime_settings": "da0923ff3a404f36",  # reads only the environment
    "deserialize_properties": "2ef45163513f6cc9",  # pure: a new dict, input untouched
    "unknown_checking_proxy": "760d27c0d09666ff",  # pure: new proxies, input untouched
}
"""sha256 (first 16 hex digits) of the source of each SDK function the cache relies on."""

_SdkServicer: Any = sdk._PolicyAnalyzerServicer


_PROVIDERS_KEPT = 256
"""Distinct provider messages kept converted (a stack has a handful; the bound only guards odd packs)."""


class _StackResource:
    """One `AnalyzerResource` as the SDK's `AnalyzeStack` reads it, with its repeated fields read once."""

    __slots__ = ("dependencies", "message", "name", "options", "parent", "properties", "propertyDependencies",
                 "provider", "type", "urn")  # fmt: skip

    def __init__(self, message: Any) -> None:
        self.message = message
        self.type, self.urn, self.name, self.parent = message.type, message.urn, message.name, message.parent
        self.properties, self.options, self.provider = message.properties, message.options, message.provider
        self.dependencies = list(message.dependencies)
        self.propertyDependencies = {
            key: _Urns(list(value.urns)) for key, value in message.propertyDependencies.items()
        }

    def HasField(self, name: str) -> bool:
        return bool(self.message.HasField(name))


class _Urns:
    __slots__ = ("urns",)

    def __init__(self, urns: list[str]) -> None:
        self.urns = urns


class _StackRequest:
    """An `AnalyzeStackRequest` whose resources are `_StackResource`s (all the SDK's code reads of it)."""

    def __init__(self, request: Any) -> None:
        self.resources = [_StackResource(message) for message in request.resources]


class CachingServicer(_SdkServicer):
    """The SDK's servicer with each `Analyze`/`AnalyzeStack` call run in one request scope."""

    _runtime_configured = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._providers: dict[bytes, Any] = {}

    def Analyze(self, request: Any, _context: Any) -> Any:
        with request_scope.scope():
            return super().Analyze(request, _context)

    def AnalyzeStack(self, request: Any, _context: Any) -> Any:
        with request_scope.scope():
            response = self._analyze_stack(_StackRequest(request))
        gc.collect()  # the end of a run: any cycle it made goes now (see `install`)
        return response

    def _analyze_stack(self, request: _StackRequest) -> Any:
        """The SDK's `AnalyzeStack` (the pinned code), with the stack's `PolicyResource`s built once for all
        stack policies (each gets its own list of them) instead of once per policy."""
        self._configure_runtime_settings()
        response = sdk.proto.AnalyzeResponse()
        resources: list[Any] | None = None
        for policy in self._PolicyAnalyzerServicer__policies:
            level = self._get_enforcement_level(policy)
            if level == sdk.EnforcementLevel.DISABLED or not isinstance(policy, sdk.StackValidationPolicy):
                continue
            if level == sdk.EnforcementLevel.REMEDIATE:
                level = sdk.EnforcementLevel.MANDATORY  # stack policies cannot remediate
            report_violation = self._create_report_violation(
                response, policy.name, policy.description, level, policy.severity
            )
            if resources is None:
                resources = self._stack_resources(request)
            config = self._get_policy_config(policy.name)
            args = sdk.StackValidationArgs(list(resources), config, self._PolicyAnalyzerServicer__stack_tags)
            try:
                result = policy.validate(args, report_violation)
                if isawaitable(result):
                    loop = asyncio.new_event_loop()
                    loop.run_until_complete(asyncio.Task(result, loop=loop))  # type: ignore[arg-type]
                    loop.close()
            except sdk.UnknownValueError as e:
                name, version = self._PolicyAnalyzerServicer__policy_pack_name, self._pack_version()
                response.diagnostics.append(
                    sdk.proto.AnalyzeDiagnostic(
                        policyName=policy.name,
                        policyPackName=name,
                        policyPackVersion=version,
                        message=(
                            f"can't run policy '{policy.name}' from policy pack '{name}@v{version}' during "
                            f"preview: {e.message}"
                        ),
                        urn="",
                        description=policy.description,
                        enforcementLevel=self._map_enforcement_level(sdk.EnforcementLevel.ADVISORY),
                    )
                )
            except sdk._NotApplicableError as e:
                response.not_applicable.append(
                    sdk.proto.PolicyNotApplicable(policy_name=policy.name, reason=e.reason or "")
                )
        return response

    def _pack_version(self) -> str:
        return str(self._PolicyAnalyzerServicer__policy_pack_version)

    def _stack_resources(self, request: _StackRequest) -> list[Any]:
        """The request's resources as the SDK gives them to a stack policy: `PolicyResource`s with their
        parent, dependencies and property dependencies linked to each other."""
        by_urn: dict[str, Any] = {}
        linked: list[tuple[Any, _StackResource]] = []
        for r in request.resources:
            plain = sdk.deserialize_properties(sdk.json_format.MessageToDict(r.properties))
            props = sdk.unknown_checking_proxy(plain)
            resource = sdk.PolicyResource(
                r.type, props, r.urn, r.name, self._get_resource_options(r), self._get_provider_resource(r),
                None, [], {},
            )  # fmt: skip
            by_urn[r.urn] = resource
            linked.append((resource, r))
        for resource, r in linked:
            if r.parent is not None and r.parent in by_urn:
                resource.parent = by_urn[r.parent]
            resource.dependencies.extend(by_urn[d] for d in r.dependencies if d in by_urn)
            for key, deps in r.propertyDependencies.items():
                resource.property_dependencies[key] = [by_urn[d] for d in deps.urns if d in by_urn]
        return [resource for resource, _ in linked]

    def _get_resource_options(self, request: Any) -> Any:
        return request_scope.memo("resource-options", request, super()._get_resource_options, request)

    def _get_provider_resource(self, request: Any) -> Any:
        if not request.HasField("provider"):
            return None
        key = request.provider.SerializeToString(deterministic=True)
        found = self._providers.get(key)
        if found is None:
            if len(self._providers) >= _PROVIDERS_KEPT:
                self._providers.clear()
            found = self._providers[key] = super()._get_provider_resource(request)
        return found

    def _configure_runtime_settings(self) -> None:
        """The SDK reads the stack's settings from the environment on every call; it never changes."""
        if not CachingServicer._runtime_configured:
            super()._configure_runtime_settings()
            CachingServicer._runtime_configured = True


class _JsonFormat:
    """Stands in for `google.protobuf.json_format` inside `pulumi_policy.policy`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(json_format, name)

    @staticmethod
    def MessageToDict(message: Any, **options: Any) -> dict[str, Any]:
        if options:
            return json_format.MessageToDict(message, **options)
        return request_scope.memo("MessageToDict", message, json_format.MessageToDict, message)


def _memoized(kind: str, convert: Callable[..., Any]) -> Callable[..., Any]:
    """`convert(value)` memoized per request; calls with more arguments (Remediate's) go straight through."""

    @functools.wraps(convert)
    def call(value: Any, *more: Any) -> Any:
        if more:
            return convert(value, *more)
        return request_scope.memo(kind, value, convert, value)

    return call


def _sources() -> dict[str, Callable[..., Any]]:
    return {
        "PolicyPack.__init__": sdk.PolicyPack.__init__,
        "_PolicyAnalyzerServicer.Analyze": _SdkServicer.Analyze,
        "_PolicyAnalyzerServicer.AnalyzeStack": _SdkServicer.AnalyzeStack,
        "_PolicyAnalyzerServicer._get_resource_options": _SdkServicer._get_resource_options,
        "_PolicyAnalyzerServicer._get_provider_resource": _SdkServicer._get_provider_resource,
        "_PolicyAnalyzerServicer._configure_runtime_settings": _SdkServicer._configure_runtime_settings,
        "deserialize_properties": sdk_deserialize.deserialize_properties,
        "unknown_checking_proxy": sdk_proxy.unknown_checking_proxy,
    }


def fingerprint(function: Callable[..., Any]) -> str:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return "source unavailable"
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def changed() -> list[str]:
    """The SDK functions whose code differs from what the cache was written for (empty: safe to install)."""
    return [name for name, function in _sources().items() if fingerprint(function) != PINNED.get(name)]


def installed() -> bool:
    return sdk._PolicyAnalyzerServicer is CachingServicer


def install() -> bool:
    """Install the cache into pulumi-policy when its code is the pinned one; False (and a note on stderr)
    otherwise."""
    if installed():
        return True
    differs = changed()
    if differs:
        print(
            f"policies: pulumi-policy {VERSION} is not the {PINNED_VERSION} code the per-request cache was "
            f"written for ({', '.join(differs)} changed); running without it, correct but slower.",
            file=sys.stderr,
        )
        return False
    gc.disable()  # collected after each AnalyzeStack instead (module docstring)
    vars(sdk).update(
        json_format=_JsonFormat(),
        deserialize_properties=_memoized("deserialize_properties", sdk_deserialize.deserialize_properties),
        unknown_checking_proxy=_memoized("unknown_checking_proxy", sdk_proxy.unknown_checking_proxy),
        _PolicyAnalyzerServicer=CachingServicer,
    )
    return True
