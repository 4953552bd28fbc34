"""The normalized resource inventory (design.md, Contract 1).

One model for a stack's resources, whichever source produced it: synthesis under the SDK mocks, `pulumi
preview --json`, or `pulumi stack export`. Property names are the engine's camelCase names. Provider resources
and the stack root are context, never counted as resources.

This module is imported by the policy pack and the cost estimator, so it must stay free of heavy imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's placeholder for a value not known until deployment (`pulumi.runtime.rpc.UNKNOWN`)."""

UNKNOWN_SENTINELS = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        UNKNOWN,
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)
"""UNKNOWN plus the typed unknown placeholders (boolean, number, array, asset, archive, object) that
pulumi-policy's proxies use (`pulumi_policy/proxy.py`): how an unknown can appear in a policy pack."""


def is_unknown(value: Any) -> bool:
    """Whether a property value is an unknown placeholder (an ordinary value, not a path)."""
    return isinstance(value, str) and value in UNKNOWN_SENTINELS


DEFAULT_REGION = "us-east-1"
"""The region assumed when neither the resource, its provider nor the `aws:region` config names one."""

SOURCES = ("synthesis", "preview-json", "stack-export")


@dataclass(frozen=True)
class Provider:
    urn: str
    type: str
    name: str
    inputs: dict[str, Any]
    id: str = ""

    @property
    def package(self) -> str:
        """`aws` for `pulumi:providers:aws`."""
        return self.type.rsplit(":", 1)[-1]

    @property
    def ref(self) -> str:
        """The provider reference the engine stores on resources: `<urn>::<id>`."""
        return f"{self.urn}::{self.id}"


@dataclass
class Resource:
    urn: str
    type: str
    name: str
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    parent: str | None
    provider: Provider | None
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    unknown_paths: frozenset[str]
    secret_paths: frozenset[str]
    id: str = ""
    external: bool = False
    """Read with `Resource.get` (`op: read`, `external: true`): referenced, not managed by this stack."""
    source_position: str = ""
    """Where the program registers it, as the engine records it: `project:///<file>#<line>,<column>`."""
    protect: bool = False
    """Pulumi's `protect` option: the engine refuses to delete it (policies see it as an option)."""
    retain_on_delete: bool = False
    """Pulumi's `retainOnDelete` option: deleting it from the stack leaves the cloud resource in place."""

    def is_unknown(self, path: str) -> bool:
        """Whether the property at `path`, or a value inside it, is unknown until deployment."""
        return any(p == path or p.startswith((path + ".", path + "[")) for p in self.unknown_paths)

    def is_secret(self, path: str) -> bool:
        """Whether the property at `path` is a secret (or sits inside one)."""
        return any(path == p or path.startswith((p + ".", p + "[")) for p in self.secret_paths)


@dataclass
class Inventory:
    project: str
    stack: str
    source: str
    config: dict[str, Any]
    resources: list[Resource]
    providers: dict[str, Provider]
    stack_urn: str
    outputs: dict[str, Any] = field(default_factory=dict)
    """Stack outputs by export name; secret values are shown as "[secret]"."""
    warnings: list[str] = field(default_factory=list)
    """What the source warned about: the program's warnings, limits of the offline model."""

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self._by_urn = {r.urn: r for r in self.resources}
        self._children: dict[str, list[Resource]] = {}
        for r in self.resources:
            if r.parent:
                self._children.setdefault(r.parent, []).append(r)
        self._component_cache: dict[str, Resource | None] = {}

    def add(self, resource: Resource) -> None:
        """Append a resource that arrived after construction (streamed synthesis) and index it."""
        self.resources.append(resource)
        self._by_urn[resource.urn] = resource
        if resource.parent:
            self._children.setdefault(resource.parent, []).append(resource)

    def custom(self) -> list[Resource]:
        """The custom (cloud) resources this stack manages; components and external reads are left out."""
        return [r for r in self.resources if r.custom and not r.external]

    def components(self) -> list[Resource]:
        return [r for r in self.resources if not r.custom]

    def by_urn(self, urn: str) -> Resource:
        try:
            return self._by_urn[urn]
        except KeyError:
            raise KeyError(f"no resource with URN {urn!r} in the inventory of stack {self.stack!r}") from None

    def get(self, urn: str) -> Resource | None:
        return self._by_urn.get(urn)

    def children(self, resource: Resource) -> list[Resource]:
        return list(self._children.get(resource.urn, ()))

    def component_of(self, resource: Resource) -> Resource | None:
        """The nearest ancestor that is a component resource, or None for top-level resources."""
        if resource.urn in self._component_cache:
            return self._component_cache[resource.urn]
        parent = self._by_urn.get(resource.parent or "")
        found = None
        if parent is not None:
            found = parent if not parent.custom else self.component_of(parent)
        self._component_cache[resource.urn] = found
        return found

    def region_of(self, resource: Resource) -> str:
        """The resource's `region` input (pulumi-aws v7), else its provider's region, else `aws:region`."""
        region = resource.inputs.get("region")
        if isinstance(region, str) and region and region != UNKNOWN:
            return region
        if resource.provider is not None:
            region = resource.provider.inputs.get("region")
            if isinstance(region, str) and region and region != UNKNOWN:
                return region
        region = self.config.get("aws:region")
        return region if isinstance(region, str) and region else DEFAULT_REGION
