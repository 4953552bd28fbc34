"""Assembles the policy pack. The engine runs this file with `python -m pulumi.policy <engine> <pack dir>`
(cwd = policies/), so the repository root is put on sys.path first: rules import `policies.*`, `cost` and
`inventory.model` from the repository.

Three start-up steps keep the per-resource cost low (docs/policies.md, "Performance"): the servicer cache
makes each request be converted once rather than once per policy (`policies.servicer_cache`), type dispatch
runs each request through the rules of its resource type only (`policies.type_dispatch`), and `gc.freeze()`
moves everything loaded at start-up (modules, the IAM database, the rules) out of the garbage collector's
reach, so its full collections while serving no longer rescan that large, permanent heap.
"""

import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, Policy, PolicyPack

from policies import type_dispatch
from policies.metadata import PACK_DESCRIPTION, PACK_NAME
from policies.registry import all_rules
from policies.servicer_cache import install

if __name__ == "__main__":
    install()
    type_dispatch.install(all_rules())
    policies: list[Policy] = [rule.policy() for rule in all_rules()]
    gc.freeze()
    PolicyPack(
        name=PACK_NAME,
        description=PACK_DESCRIPTION,
        display_name="Data & AI platform guardrails",
        provider="aws",
        enforcement_level=EnforcementLevel.MANDATORY,
        policies=policies,
    )
