"""The pack's rules, by area. `ALL_RULES` is the pack's order (and the catalog's)."""

from policies.rules import (
    cost_guardrail,
    encryption,
    hardening,
    iam,
    network,
    platform,
    resilience,
    secrets,
    tagging,
    validity,
)
from policies.rules.framework import Rule

ALL_RULES: list[Rule] = [
    *encryption.RULES,
    *iam.RULES,
    *tagging.RULES,
    *secrets.RULES,
    *network.RULES,
    *resilience.RULES,
    *cost_guardrail.RULES,
    *validity.RULES,
    *hardening.RULES,
    *platform.RULES,
]
