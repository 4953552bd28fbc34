"""`--policy-pack-config` handling mirrors the engine: parse, reconcile (incl. `all`), validate, Configure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from packs import ROOT  # noqa: F401  (puts the repository root on sys.path)
from pulumi.runtime.proto import analyzer_pb2 as pb

from policies.packconfig import (
    PackConfigError,
    PolicyConfig,
    initial_config_from_proto,
    load_pack_config,
    parse_pack_config,
    reconcile,
    to_request,
)
from policies.results import PolicyInfo

TAGS_SCHEMA = {
    "properties": {"requiredTags": {"type": "array", "items": {"type": "string"}, "default": ["owner"]}},
    "required": [],
}
POLICIES = [
    PolicyInfo("tags", "Tags.", "mandatory", config_schema=TAGS_SCHEMA),
    PolicyInfo("kms", "KMS.", "advisory", config_schema={"properties": {}, "required": []}),
    PolicyInfo("logs", "Logs.", "advisory", config_schema={"properties": {}, "required": []}),
]


def levels(config: dict[str, PolicyConfig]) -> dict[str, str]:
    return {k: v.enforcement_level for k, v in config.items()}


def test_parse_accepts_levels_and_objects_and_drops_empty_entries() -> None:
    parsed = parse_pack_config(
        {"a": "disabled", "b": {"enforcementLevel": "mandatory", "x": 1}, "c": {"y": [1]}, "d": {}}
    )
    assert parsed == {
        "a": PolicyConfig("disabled"),
        "b": PolicyConfig("mandatory", {"x": 1}),
        "c": PolicyConfig("", {"y": [1]}),
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "it must be a JSON object keyed by policy name, not an array"),
        (
            {"a": "block"},
            "'block' is not a valid enforcement level for 'a' \\(use one of advisory, mandatory",
        ),
        ({"a": 3}, "the value of 'a' must be an enforcement level or an object, not a number"),
        ({"a": {"enforcementLevel": True}}, "\"enforcementLevel\" of 'a' must be a string, not a boolean"),
        ({"a": {"enforcementLevel": "warn"}}, "'warn' is not a valid enforcement level for 'a'"),
    ],
)
def test_parse_refuses_what_the_engine_refuses(data: Any, message: str) -> None:
    with pytest.raises(PackConfigError, match=message):
        parse_pack_config(data)


def test_reconcile_starts_from_defaults_and_schema_defaults() -> None:
    result = reconcile(POLICIES, {}, {})
    assert result == {
        "tags": PolicyConfig("mandatory", {"requiredTags": ["owner"]}),
        "kms": PolicyConfig("advisory"),
        "logs": PolicyConfig("advisory"),
    }


def test_all_sets_every_level_first_then_named_policies_win_and_all_is_sent_too() -> None:
    config = parse_pack_config({"all": "disabled", "kms": "mandatory", "tags": {"requiredTags": ["team"]}})
    result = reconcile(POLICIES, {}, config)
    assert levels(result) == {"tags": "disabled", "kms": "mandatory", "logs": "disabled", "all": "disabled"}
    assert result["tags"].properties == {"requiredTags": ["team"]}


def test_all_without_a_level_changes_no_level() -> None:
    result = reconcile(POLICIES, {}, parse_pack_config({"all": {"note": "x"}}))
    assert levels(result) == {"tags": "mandatory", "kms": "advisory", "logs": "advisory", "all": ""}


def test_file_config_applies_over_the_packs_initial_config() -> None:
    initial = {"kms": PolicyConfig("disabled"), "logs": PolicyConfig("mandatory", {"days": 7})}
    result = reconcile(POLICIES, initial, parse_pack_config({"logs": {"days": 30}}))
    assert result["kms"] == PolicyConfig("disabled")
    assert result["logs"] == PolicyConfig("mandatory", {"days": 30})


def test_initial_config_without_a_level_reads_as_advisory_like_the_engine() -> None:
    entry = pb.PolicyConfig()
    entry.properties.update({"days": 7})
    assert initial_config_from_proto({"logs": entry}) == {"logs": PolicyConfig("advisory", {"days": 7.0})}


def test_properties_are_validated_against_each_policy_schema() -> None:
    with pytest.raises(PackConfigError, match=r"^tags: requiredTags: 'owner' is not of type 'array'$"):
        reconcile(POLICIES, {}, parse_pack_config({"tags": {"requiredTags": "owner"}}))


def test_required_schema_properties_must_be_given() -> None:
    policies = [PolicyInfo("p", "P.", "advisory", config_schema={"properties": {}, "required": ["budget"]})]
    with pytest.raises(PackConfigError, match=r"^p: 'budget' is a required property$"):
        reconcile(policies, {}, {})


def test_configure_request_carries_levels_and_properties() -> None:
    request = to_request(reconcile(POLICIES, {}, parse_pack_config({"tags": "advisory"})))
    assert {k: v.enforcementLevel for k, v in request.policyConfig.items()} == {
        "tags": pb.ADVISORY,
        "kms": pb.ADVISORY,
        "logs": pb.ADVISORY,
    }
    assert json_format.MessageToDict(request.policyConfig["tags"].properties) == {"requiredTags": ["owner"]}


def test_a_key_without_a_level_is_refused_as_the_engine_refuses_it() -> None:
    config = reconcile(POLICIES, {}, parse_pack_config({"waivers": {"items": []}}))
    with pytest.raises(
        PackConfigError, match=r"'waivers' has no enforcement level; .*invalid enforcement level"
    ):
        to_request(config)


def test_load_reads_files_and_reports_json_errors_with_position(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"kms": "disabled"}))
    assert load_pack_config(good) == {"kms": PolicyConfig("disabled")}
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    assert load_pack_config(empty) == {}
    bad = tmp_path / "bad.json"
    bad.write_text('{"kms": }')
    with pytest.raises(
        PackConfigError, match=r"bad.json is not valid JSON: Expecting value at line 1, column 9"
    ):
        load_pack_config(bad)
    with pytest.raises(PackConfigError, match=r"cannot read the policy pack config .*missing.json"):
        load_pack_config(tmp_path / "missing.json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"kms": 1}')
    with pytest.raises(PackConfigError, match=r"wrong.json is invalid: the value of 'kms' must be"):
        load_pack_config(wrong)
