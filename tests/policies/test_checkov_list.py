"""The checkov list (docs/checkov-checks.json, generated from checkov 3.3.30's registries) and the pack
agree."""

from __future__ import annotations

import pytest

from policies import checkov_list
from policies.registry import all_policies

CHECKS = {check.id: check for check in checkov_list.checks()}


def test_the_list_is_checkov_3_3_30() -> None:
    assert checkov_list.data()["checkov"] == "3.3.30"
    assert len(CHECKS) == len(checkov_list.checks())


@pytest.mark.parametrize("meta", all_policies(), ids=lambda m: m.name)
def test_every_checkov_reference_names_a_check_on_a_type_the_rule_judges(meta) -> None:  # type: ignore[no-untyped-def]
    for ref in meta.references:
        if not checkov_list.CHECKOV_ID.match(ref):
            continue
        assert ref in CHECKS, f"{meta.name} cites {ref}, which checkov 3.3.30 has not on any listed type"
        assert CHECKS[ref].tokens & {*meta.resource_types, *meta.related_types}, (
            f"{meta.name} cites {ref} ({', '.join(CHECKS[ref].types)}) but judges none of those types"
        )


def test_a_check_is_either_covered_or_excluded_not_both() -> None:
    covered = checkov_list.covering_policies()
    both = [c.id for c in CHECKS.values() if c.exclusion and c.id in covered]
    assert both == []


@pytest.fixture(scope="module")
def declared() -> frozenset[str]:
    return checkov_list.program_types()


@pytest.mark.slow
def test_every_type_our_program_declares_is_in_the_list(declared: frozenset[str]) -> None:
    mapped = {token for tokens in checkov_list.data()["types"].values() for token in tokens}
    assert sorted(t for t in declared if t.startswith("aws:") and t not in mapped) == []


@pytest.mark.slow
def test_every_check_on_our_types_has_a_policy_or_a_reasoned_exclusion(declared: frozenset[str]) -> None:
    covered = checkov_list.covering_policies()
    open_ = [
        c.id
        for c in CHECKS.values()
        if checkov_list.ours(c, declared) and c.id not in covered and not c.exclusion
    ]
    assert open_ == []


@pytest.mark.slow
def test_the_markdown_view_is_up_to_date(declared: frozenset[str]) -> None:
    assert checkov_list.DOC_FILE.read_text(encoding="utf-8") == checkov_list.render(declared)
