"""The resource inventory: the ground floor the policy pack, the cost module and the commands stand on.

One normalized model of a stack's resources (`model`), from any of three sources: synthesis of a Pulumi
Python program under the SDK mocks (`synth`, `synth_child`, `mocks`, `outputs`, `invokes`), `pulumi preview
--json` or `pulumi stack export` (`sources`); plus the input error type and the CLI input options every
command shares.
It imports nothing from `cost`, `policies` or `preview`.
"""

from inventory.model import UNKNOWN, Inventory, Provider, Resource
from inventory.sources import load_preview_json, load_stack_export
from inventory.synth import stream, synthesize

__all__ = [
    "UNKNOWN",
    "Inventory",
    "Provider",
    "Resource",
    "load_preview_json",
    "load_stack_export",
    "stream",
    "synthesize",
]
