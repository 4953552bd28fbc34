"""Offline preview: one resource inventory for any Pulumi Python program, from synthesis under the SDK mocks,
`pulumi preview --json` or `pulumi stack export`, and the `python -m preview` command built on it."""

from preview.inventory import UNKNOWN, Inventory, Provider, Resource
from preview.sources import load_preview_json, load_stack_export
from preview.synth import stream, synthesize

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
