"""Rules for the AWS types a data & AI platform grows into: vector stores, containers, caches and file
systems, the warehouse and streaming, the edge, EC2 and the ML services."""

from policies.rules.framework import Rule
from policies.rules.platform import compute, edge, eks, ml, search, storage, warehouse

RULES: list[Rule] = [
    *search.RULES,
    *eks.RULES,
    *storage.RULES,
    *warehouse.RULES,
    *edge.RULES,
    *compute.RULES,
    *ml.RULES,
]
