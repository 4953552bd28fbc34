"""The registry of the pack's rules: the API reports, the offline driver and the catalog build on.

from policies.registry import all_policies, policy, PACK_NAME, PACK_VERSION
all_policies()        -> list[RuleMeta]  (name, description, severity, rationale, remediation, default_level,
                                          profiles, kind, resource_types, references, url, config)
policy("aws-kms-key-rotation").level_for("prod")
profile_path("prod")  -> policies/config/prod.json (the standard --policy-pack-config file of that stack)
"""

from __future__ import annotations

from policies.metadata import CONFIG_DIR, PACK_DESCRIPTION, PACK_NAME, PACK_VERSION, RuleMeta, profile_path
from policies.rules import ALL_RULES
from policies.rules.framework import Rule

__all__ = [
    "CONFIG_DIR",
    "PACK_DESCRIPTION",
    "PACK_NAME",
    "PACK_VERSION",
    "all_policies",
    "all_rules",
    "policy",
    "profile_path",
]


def all_rules() -> list[Rule]:
    return list(ALL_RULES)


def all_policies() -> list[RuleMeta]:
    """Every rule's metadata, in pack order."""
    return [rule.meta for rule in ALL_RULES]


def policy(name: str) -> RuleMeta:
    """One rule's metadata; KeyError with the known names when there is no such rule."""
    for meta in all_policies():
        if meta.name == name:
            return meta
    raise KeyError(f"no policy named {name!r} in {PACK_NAME}")
