"""Stateful resources carry Pulumi's `protect` option, so no replace, rename or destroy deletes their data."""

from __future__ import annotations

from collections.abc import Iterator

from awsvalues.stateful import STATEFUL_TYPES
from policies.metadata import RuleMeta
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View


def _protected(view: View, _settings: Settings) -> Iterator[str]:
    if not view.protect:
        yield (
            "it holds data but is not protected: a rename, a replacement or `pulumi destroy` would delete "
            "it; set the `protect` resource option (our program: the stack's `protect: true`)."
        )


PROTECT_STATEFUL = ResourceRule(
    RuleMeta(
        name="aws-stateful-resources-protected",
        area="resilience",
        description="Databases, tables, buckets and KMS keys carry Pulumi's `protect` resource option.",
        severity="high",
        rationale=(
            "Pulumi deletes a resource whose name or replace-forcing input changes, and `pulumi destroy` "
            "deletes everything; `protect` makes the engine refuse until the option is lifted on purpose."
        ),
        remediation=(
            "Pass `opts=ResourceOptions(protect=True)` (KMS keys also `retain_on_delete=True`); in our "
            "program set `data-ai-platform:protect: true` in the stack file. Mandatory in the prod profile."
        ),
        kind="resource",
        resource_types=tuple(sorted(STATEFUL_TYPES)),
        default_level="advisory",
        profiles={"prod": "mandatory"},
        references=("pulumi-resource-option-protect",),
        url="https://www.pulumi.com/docs/iac/concepts/options/protect/",
    ),
    _protected,
)

RULES: list[Rule] = [PROTECT_STATEFUL]
