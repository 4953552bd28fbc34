"""Pulumi's catalogues (docs/pulumi-catalogues.json: AWSGuard and compliance-policies, copied with their
source commits), the pack's `references` and the generated page agree."""

from __future__ import annotations

import pytest

from policies import catalogue_list
from policies.registry import all_policies

RULES = {rule.id: rule for rule in catalogue_list.rules()}


def test_the_catalogues_are_awsguards_28_and_compliance_policies_97_aws_rules() -> None:
    sources = {c["key"]: (c["source"], c["commit"]) for c in catalogue_list.data()["catalogues"]}
    assert sources == {
        "awsguard": ("pulumi/pulumi-policy-aws", "4355f3b"),
        "compliance-policies": ("pulumi/compliance-policies", "712a901"),
    }
    assert {key: total for key, (total, _, _) in catalogue_list.coverage().items()} == {
        "awsguard": 28,
        "compliance-policies": 97,
    }
    assert len(RULES) == 28 + 97


@pytest.mark.parametrize("meta", all_policies(), ids=lambda m: m.name)
def test_every_catalogue_reference_names_a_rule_on_a_type_the_policy_judges(meta) -> None:  # type: ignore[no-untyped-def]
    judged = {*meta.resource_types, *meta.related_types}
    for ref in meta.references:
        if ref in RULES:
            assert RULES[ref].tokens & judged, f"{meta.name} cites {ref} but judges none of its types"


@pytest.mark.parametrize("meta", all_policies(), ids=lambda m: m.name)
def test_no_reference_is_an_ambiguous_short_form_of_a_catalogue_id(meta) -> None:  # type: ignore[no-untyped-def]
    for ref in meta.references:
        longer = sorted(i for i in RULES if i != ref and i.endswith("-" + ref))
        assert ref in RULES or not longer, f"{meta.name} cites {ref!r}; name the rule in full: {longer}"


def test_every_rule_is_covered_or_excluded_and_never_both() -> None:
    covered = catalogue_list.covering_policies()
    assert [r.id for r in RULES.values() if r.id not in covered and not r.exclusion] == []
    assert [r.id for r in RULES.values() if r.id in covered and r.exclusion] == []


def test_the_markdown_view_is_up_to_date() -> None:
    assert catalogue_list.DOC_FILE.read_text(encoding="utf-8") == catalogue_list.render()


def test_the_readme_shows_the_current_coverage() -> None:
    readme = (catalogue_list.DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert catalogue_list.summary() in readme.splitlines()
