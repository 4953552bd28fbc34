"""Every rule carries complete, consistent metadata, and the pack exposes it through GetAnalyzerInfo."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from harness import fixture_files, load
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel, Policy
from pulumi_policy.policy import _PolicyAnalyzerServicer

from policies import profiles, taggable
from policies.frameworks import FRAMEWORKS, controls_of_tags
from policies.metadata import (
    LEVELS,
    PACK_NAME,
    PACK_VERSION,
    SEVERITIES,
    STACK_PROFILES,
    RuleMeta,
    profile_path,
)
from policies.registry import all_policies, all_rules, policy
from policies.rules.framework import JoinRule, ResourceRule, StackRule

NAME = re.compile(r"^aws-[a-z0-9]+(-[a-z0-9]+)+$")
AREAS = {"encryption", "iam", "tagging", "secrets", "network", "resilience", "cost", "validity", "hardening"}
METAS = all_policies()


def _all_tokens() -> set[str]:
    package_dir, _ = taggable.installed_package()
    token = re.compile(r'@pulumi\.type_token\("(aws:[^"]+)"\)')
    return {t for path in package_dir.rglob("*.py") for t in token.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("meta", METAS, ids=lambda meta: meta.name)
def test_rule_metadata_is_complete(meta: RuleMeta) -> None:
    assert NAME.match(meta.name) and len(meta.name) <= 64
    assert meta.area in AREAS
    for text in (meta.description, meta.rationale, meta.remediation):
        assert text[0].isupper() and text.rstrip().endswith((".", ")")), text
    assert meta.severity in SEVERITIES
    assert meta.default_level in LEVELS and set(meta.profiles.values()) <= set(LEVELS)
    assert set(meta.profiles) <= set(STACK_PROFILES)
    assert meta.url is None or meta.url.startswith("https://")


def test_rule_names_are_unique_and_kinds_match_the_rule_shape() -> None:
    names = [meta.name for meta in METAS]
    assert len(names) == len(set(names)) == 197
    for rule in all_rules():
        expected = "resource" if isinstance(rule, ResourceRule) else "stack"
        assert isinstance(rule, ResourceRule | JoinRule | StackRule) and rule.meta.kind == expected


def test_every_judged_type_token_exists_in_pulumi_aws() -> None:
    tokens = _all_tokens()
    missing = {(meta.name, t) for meta in METAS for t in meta.resource_types if t not in tokens}
    assert missing == set()


def test_every_rule_but_the_budget_has_a_fixture_file() -> None:
    covered = {load(path)[0] for path in fixture_files()}
    assert {meta.name for meta in METAS} - covered == {"aws-stack-monthly-budget"}


def test_config_schemas_are_valid_json_schema_with_valid_defaults() -> None:
    for meta in METAS:
        rule_policy = next(rule for rule in all_rules() if rule.meta is meta).policy()
        assert rule_policy.config_schema is not None
        schema = {"type": "object", "properties": rule_policy.config_schema.properties}
        jsonschema.Draft7Validator.check_schema(schema)
        defaults = {
            k: v["default"] for k, v in rule_policy.config_schema.properties.items() if "default" in v
        }
        jsonschema.validate(defaults, schema)


def test_analyzer_info_lists_every_rule_with_its_metadata() -> None:
    policies_: list[Policy] = [rule.policy() for rule in all_rules()]
    info = _PolicyAnalyzerServicer(
        PACK_NAME, PACK_VERSION, policies_, EnforcementLevel.MANDATORY
    ).GetAnalyzerInfo(None, None)
    assert [p.name for p in info.policies] == [meta.name for meta in METAS]
    severity = {"low": 1, "medium": 2, "high": 3, "critical": 4}
    level = {"advisory": proto.ADVISORY, "mandatory": proto.MANDATORY, "disabled": proto.DISABLED}
    for meta, reported in zip(METAS, info.policies, strict=True):
        assert reported.severity == severity[meta.severity]
        assert reported.enforcementLevel == level[meta.default_level]
        assert reported.remediation_steps == meta.remediation
        assert list(reported.tags) == meta.tags
        first = meta.controls[0] if meta.controls else None
        expected_framework = (FRAMEWORKS[first.framework].name, first.id) if first else ("", "")
        assert (reported.framework.name, reported.framework.reference) == expected_framework
        assert controls_of_tags(reported.tags) == meta.controls
        assert reported.policy_type == (
            proto.POLICY_TYPE_RESOURCE if meta.kind == "resource" else proto.POLICY_TYPE_STACK
        )


def test_policy_lookup_names_the_pack_when_missing() -> None:
    assert policy("aws-kms-key-rotation").level_for("prod") == "mandatory"
    assert policy("aws-rds-instance-multi-az").level_for("prod") == "mandatory"
    assert policy("aws-rds-instance-multi-az").level_for("dev") == "advisory"
    with pytest.raises(KeyError, match="no policy named 'nope' in data-ai-platform-guardrails"):
        policy("nope")


@pytest.mark.parametrize("stack", STACK_PROFILES)
def test_profile_files_are_in_sync_with_the_metadata(stack: str) -> None:
    existing = json.loads(profile_path(stack).read_text(encoding="utf-8"))
    assert profiles.problems(existing) == []
    assert profiles.render(stack, existing) == existing
    assert {name: entry["enforcementLevel"] for name, entry in existing.items()} == {
        meta.name: meta.level_for(stack) for meta in METAS
    }


def test_profile_problems_catch_pack_level_keys_and_bad_waivers() -> None:
    config = {
        "waivers": [],
        "aws-sns-topic-kms": {
            "waivers": [{"name": "x", "reason": "r", "expires": "2030-01-01", "policy": "other"}]
        },
    }
    assert profiles.problems(config) == [
        "'waivers' is not a policy of this pack (waivers go under the policy they waive)",
        "aws-sns-topic-kms: waiver #1: a waiver for 'other' is listed under 'aws-sns-topic-kms'",
    ]


def test_taggable_types_file_matches_the_installed_pulumi_aws() -> None:
    shipped = json.loads(taggable.DATA_FILE.read_text(encoding="utf-8"))
    assert shipped == taggable.generate()
    assert {"aws:s3/bucket:Bucket", "aws:sqs/queue:Queue", "aws:iam/role:Role"} <= set(shipped["types"])
    assert not {"aws:s3/bucketPolicy:BucketPolicy", "aws:iam/rolePolicy:RolePolicy"} & set(shipped["types"])


def test_policy_catalog_doc_is_generated_from_the_pack_metadata() -> None:
    from policies import catalog

    assert catalog.DOC_FILE.read_text(encoding="utf-8") == catalog.render()


_CONTROL_ID = {
    "fsbp": r"[A-Za-z0-9]+\.\d+",
    "cis": r"\d+(\.\d+)+",
    "pci": r"\d+(\.\d+)+",
    "nist": r"[A-Z]{2}-\d+(\(\d+\))?",
}


@pytest.mark.parametrize("meta", METAS, ids=lambda m: m.name)
def test_framework_controls_are_well_formed(meta: RuleMeta) -> None:
    for control in meta.controls:
        assert re.fullmatch(_CONTROL_ID[control.framework], control.id), (meta.name, control)
    assert len(set(meta.controls)) == len(meta.controls)
