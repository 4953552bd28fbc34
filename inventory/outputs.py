"""Plausible computed outputs for resources registered under the mocks: ids, ARNs, auto-names, endpoints.

A real deployment fills these in; a program's `apply` chains and policy rules read them (an ARN in a bucket
policy, an RDS endpoint in a container's environment, a VPC's default security group). Each AWS type has a
spec: which input the provider auto-names (`bucket`, `name`, `identifier`...), the ARN and id formats. Values
are derived from a hash of the URN, so the same program always yields the same outputs.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from typing import Any

from inventory.model import UNKNOWN
from inventory.specs import GLOBAL_SERVICES, SPECS, TypeSpec, extras_for


@dataclass(frozen=True)
class Context:
    type: str
    name: str
    urn: str
    inputs: dict[str, Any]
    region: str
    account: str
    partition: str
    default_tags: dict[str, Any]


@dataclass(frozen=True)
class Computed:
    id: str
    outputs: dict[str, Any]
    checked_inputs: dict[str, Any]
    """The inputs after the provider's check: the originals plus auto-names."""


class Values(dict[str, Any]):
    """The fields an ARN or id template may use, computed on first use."""

    def __init__(self, ctx: Context, spec: TypeSpec, name: str) -> None:
        super().__init__(p=ctx.partition, r=ctx.region, a=ctx.account, name=name)
        self.ctx = ctx
        self.spec = spec
        self.digest = hashlib.sha256(ctx.urn.encode()).hexdigest()

    def __missing__(self, key: str) -> Any:
        value = self._compute(key)
        self[key] = value
        return value

    def _compute(self, key: str) -> Any:
        source, _, prop = key.partition("_")
        if source == "in":
            return str(self.ctx.inputs.get(prop, ""))
        if source == "last":
            return re.split(r"[/:]", str(self.ctx.inputs.get(prop, "")))[-1]
        if key == "listener_arn":
            return (
                str(self.ctx.inputs.get("loadBalancerArn", "")).replace(":loadbalancer/", ":listener/")
                + "/"
                + self["hex_16"]
            )
        if key == "rule_arn":
            return (
                str(self.ctx.inputs.get("listenerArn", "")).replace(":listener/", ":listener-rule/")
                + "/"
                + self["hex_16"]
            )
        if key == "arn":
            return self.spec.arn.format_map(self) if self.spec.arn else ""
        if key == "id":
            return self.spec.id.format_map(self)
        if key == "uuid":
            d = self.digest
            return f"{d[:8]}-{d[8:12]}-4{d[13:16]}-a{d[17:20]}-{d[20:32]}"
        if key == "path":
            return self.ctx.inputs.get("path") or "/"
        if key == "lbkind":
            return "net" if self.ctx.inputs.get("loadBalancerType") == "network" else "app"
        match = _RANDOM_FIELD.match(key)
        if match is None:
            raise KeyError(f"unknown template field {key!r} in the output spec of {self.ctx.type}")
        return _random_text(self.digest + key, match[1], int(match[2]))


_RANDOM_FIELD = re.compile(r"^(hex|digits|upper|lower|alnum)_(\d+)[a-z]?$")


_ALPHABETS = {
    "hex": "0123456789abcdef",
    "digits": string.digits,
    "upper": string.ascii_uppercase + string.digits,
    "lower": string.ascii_lowercase + string.digits,
    "alnum": string.ascii_letters + string.digits,
}


def _random_text(seed: str, kind: str, length: int) -> str:
    """Deterministic text from a seed: `hex_17` is seventeen hex digits, `upper_13` thirteen [A-Z0-9]."""
    alphabet = _ALPHABETS[kind]
    raw = hashlib.sha256(seed.encode()).digest()
    while len(raw) < length:
        raw += hashlib.sha256(raw).digest()
    return "".join(alphabet[b % len(alphabet)] for b in raw[:length])


def auto_name(ctx: Context, spec: TypeSpec) -> str:
    """The name the provider generates: `<logical>-<7 hex>`, or `<prefix><26 digits>` given a name prefix."""
    key = spec.name_key
    explicit = ctx.inputs.get(key) if key else None
    if isinstance(explicit, str) and explicit:
        return explicit
    prefix = ctx.inputs.get(spec.prefix_key) if spec.prefix_key else None
    digest = hashlib.sha256(ctx.urn.encode()).hexdigest()
    if isinstance(prefix, str) and prefix:
        return prefix + str(int(digest, 16))[:26]
    base = ctx.name.lower() if spec.lowercase else ctx.name
    if spec.max_length:
        base = base[: spec.max_length - 8]
    return f"{spec.name_template.format(base)}-{digest[:7]}{spec.suffix(ctx.inputs)}"


def compute(ctx: Context) -> Computed:
    spec = SPECS.get(ctx.type) or _generic_spec(ctx.type)
    name = auto_name(ctx, spec)
    checked = dict(ctx.inputs)
    if spec.name_key and spec.checked_name and not ctx.inputs.get(spec.name_key):
        checked[spec.name_key] = name
    values = Values(ctx, spec, name)
    outputs = {**checked, "id": values["id"]}
    if spec.name_key:
        outputs.setdefault(spec.name_key, name)
    if spec.arn:
        outputs["arn"] = values["arn"]
    if spec.service not in GLOBAL_SERVICES:
        outputs.setdefault("region", ctx.region)
    if "tags" in checked:
        tags = checked.get("tags") or {}
        # An unknown (or malformed) tags value leaves tagsAll unknown, as the engine would during preview.
        outputs["tagsAll"] = {**ctx.default_tags, **tags} if isinstance(tags, dict) else UNKNOWN
    outputs.update(extras_for(ctx.type)(values, checked))
    return Computed(values["id"], outputs, checked)


def _generic_spec(token: str) -> TypeSpec:
    """AWS types without a spec: a `name` output, ARN `arn:aws:<module>:<region>:<acct>:<kind>/<name>`."""
    package, module, kind = _split_token(token)
    if package != "aws":
        return TypeSpec(service=module, name_key=None, arn="", id="{name}-{hex_7}")
    resource = re.sub(r"(?<!^)([A-Z])", r"-\1", kind).lower()
    arn = f"arn:{{p}}:{module}:{{r}}:{{a}}:{resource}/{{name}}"
    return TypeSpec(service=module, name_key="name", arn=arn, checked_name=False)


def _split_token(token: str) -> tuple[str, str, str]:
    package, _, rest = token.partition(":")
    module, _, kind = rest.partition(":")
    return package, module.split("/")[0], kind
