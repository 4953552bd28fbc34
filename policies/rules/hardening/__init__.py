"""Hardening: the checkov field checks on the types our platform declares (containers, databases,
load balancers, Lambda, KMS, alarms, security groups)."""

from policies.rules.framework import Rule
from policies.rules.hardening import containers, databases, joins, network, services, storage

RULES: list[Rule] = [
    *containers.RULES,
    *databases.RULES,
    *services.RULES,
    *joins.RULES,
    *network.RULES,
    *storage.RULES,
]
