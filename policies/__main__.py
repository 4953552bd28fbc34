"""Assembles the policy pack. The engine runs this file with `python -m pulumi.policy <engine> <pack dir>`
(cwd = policies/), so the repository root is put on sys.path first: rules import `policies.*`, `cost` and
`preview.inventory` from the repository.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack

from policies.metadata import PACK_DESCRIPTION, PACK_NAME
from policies.registry import all_rules

if __name__ == "__main__":
    PolicyPack(
        name=PACK_NAME,
        description=PACK_DESCRIPTION,
        display_name="Data & AI platform guardrails",
        provider="aws",
        enforcement_level=EnforcementLevel.MANDATORY,
        policies=[rule.policy() for rule in all_rules()],
    )
