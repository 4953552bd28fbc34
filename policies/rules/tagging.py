"""Tagging: every taggable AWS resource carries the required tags with allowed values.

Taggable types come from pulumi-aws itself (`policies.taggable`); provider `defaultTags` count (given as an
object or, as the engine passes provider inputs, a JSON string). Required keys and allowed values come from
pack config; by default only `owner` and `environment` are required, and `project`/`stack` tags must name the
analyzed program's own project and stack.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import Unknown, View, as_json, as_map, as_str, dig, is_unknown
from policies.taggable import taggable_types

DEFAULT_REQUIRED = ["owner", "environment"]
DEFAULT_ALLOWED: dict[str, list[str]] = {}
DEFAULT_PROGRAM_TAGS = {"project": "project", "stack": "stack"}
"""Tag keys whose value, unless `allowedValues` lists it, must be the analyzed program's own project or stack
(read from the resource's URN, `urn:pulumi:<stack>::<project>::...`), so no program is tied to ours."""


def program_values(urn: str, tag_keys: Mapping[str, Any]) -> dict[str, list[str]]:
    """`{tag key: [the program's own project or stack]}` for the configured `programTags`."""
    parts = urn.split("::")
    if len(parts) < 3 or not parts[0].startswith("urn:pulumi:"):
        return {}
    own = {"stack": parts[0].removeprefix("urn:pulumi:"), "project": parts[1]}
    return {str(key): [own[which]] for which, key in tag_keys.items() if which in own and key}


def default_tags(provider: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The provider's `defaultTags.tags`, whether given as an object or a JSON string."""
    if not provider or provider.get("defaultTags") is None:
        return {}
    block = as_map(as_json(provider.get("defaultTags"), "provider.defaultTags"), "provider.defaultTags")
    return as_map(
        as_json(dig(block, "tags", base="provider.defaultTags"), "provider.defaultTags.tags"), "tags"
    )


def effective_tags(view: View) -> dict[str, Any]:
    return {**default_tags(view.provider), **view.map_("tags")}


def _required(view: View, settings: Settings) -> Iterator[str]:
    tags = effective_tags(view)
    required = [str(key) for key in settings["requiredTags"] or []]
    missing = [key for key in required if tags.get(key) in (None, "")]
    if missing:
        yield f"missing required tag(s) {missing}; set them in `tags` or the provider's default_tags."
    allowed: Mapping[str, Any] = {
        **program_values(view.urn, settings["programTags"] or {}),
        **(settings["allowedValues"] or {}),
    }
    computed = [key for key in allowed if is_unknown(tags.get(key))]
    for key, values in allowed.items():
        value = tags.get(key)
        if value is None or value == "" or key in computed:
            continue
        text = as_str(value, f"tags.{key}")
        if text not in values:
            yield f"tag {key!r} is {text!r}; allowed values are {list(values)}."
    if computed:
        raise Unknown(f"tags.{computed[0]}")


REQUIRED_TAGS = ResourceRule(
    RuleMeta(
        name="aws-resource-required-tags",
        controls=controls(nist=("CM-8",)),
        area="tagging",
        description="Taggable AWS resources carry the required tags with allowed values.",
        severity="medium",
        rationale=(
            "Cost allocation, ownership and data-classification decisions (and tag-based access control) "
            "depend on every resource being tagged. Which types are taggable is derived from the installed "
            "pulumi-aws package (constructors taking a `tags` map), not a hand list; provider default_tags "
            "count."
        ),
        remediation=(
            "Set the tags on the provider (aws.Provider(default_tags={'tags': {...}})) so every resource "
            "inherits them, or on the resource's `tags`."
        ),
        kind="resource",
        resource_types=tuple(sorted(taggable_types())),
        references=("resource-tagging", "environment-separation-tagging"),
        url="https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html",
        config={
            "requiredTags": {
                "type": "array",
                "items": {"type": "string"},
                "default": DEFAULT_REQUIRED,
                "description": "Tag keys every taggable resource must carry.",
            },
            "allowedValues": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "default": DEFAULT_ALLOWED,
                "description": "Allowed values per tag key (keys not listed accept any value).",
            },
            "programTags": {
                "type": "object",
                "properties": {"project": {"type": "string"}, "stack": {"type": "string"}},
                "additionalProperties": False,
                "default": DEFAULT_PROGRAM_TAGS,
                "description": (
                    "Tag keys that must hold the analyzed program's own project / stack name unless "
                    "allowedValues lists values for them."
                ),
            },
        },
    ),
    _required,
)

RULES: list[Rule] = [REQUIRED_TAGS]
