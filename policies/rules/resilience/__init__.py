"""Resilience and observability: mandatory in the prod profile, advisory elsewhere by default."""

from policies.rules.framework import Rule
from policies.rules.resilience import data, operations, protect

RULES: list[Rule] = [*data.RULES, *operations.RULES, *protect.RULES]
