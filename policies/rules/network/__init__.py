"""Network exposure: internet ingress and public endpoints."""

from policies.rules.framework import Rule
from policies.rules.network import exposure, ingress

RULES: list[Rule] = [*ingress.RULES, *exposure.RULES]
