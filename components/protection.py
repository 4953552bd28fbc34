"""Pulumi's `protect` (and for KMS keys `retain_on_delete`) on every stateful resource, in one place.

`stateful_options(protect)` is added to the options of the top-level components; its transformation runs for
every resource they register and protects those whose type `awsvalues.stateful` lists. A component that adds a
new data store only has to make sure its type is in that list.
"""

from __future__ import annotations

import pulumi

from awsvalues.stateful import RETAINED_TYPES, is_stateful


def stateful_options(protect: bool) -> pulumi.ResourceOptions:
    """Options that protect stateful resources when the stack's `protect` setting is on."""
    return pulumi.ResourceOptions(transformations=[_protect] if protect else [])


def _protect(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    if not is_stateful(args.type_):
        return None
    options = pulumi.ResourceOptions(protect=True, retain_on_delete=args.type_ in RETAINED_TYPES or None)
    return pulumi.ResourceTransformationResult(args.props, pulumi.ResourceOptions.merge(args.opts, options))
