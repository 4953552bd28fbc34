# ruff: noqa: E501  (expected messages are kept whole so they read as users see them)
"""Hostile stack config: every bad value is refused with a message naming the stack file and the key.

Named regressions for the cases of issue 15, then a bounded hypothesis property over our real stack files:
any mutation of a leaf value or key either validates or raises `ConfigError`/`InputError` naming
`Pulumi.<stack>.yaml` and the key, never anything else.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stackview import REPO_ROOT, STACKS, stack_values

from components.config import ConfigError, StackConfig, build_stack_config
from components.providers import provider_args
from inventory.errors import InputError
from inventory.project import Project, load_stack_config

Values = dict[str, Any]


def _values(stack: str = "dev") -> Values:
    return copy.deepcopy(stack_values(stack)[1])


def _error(values: Values, stack: str = "dev", region: str = "us-east-1") -> str:
    with pytest.raises(ConfigError) as raised:
        build_stack_config(stack, region, values)
    return str(raised.value)


DEV = "Pulumi.dev.yaml: invalid config: data-ai-platform:"


def test_misspelled_top_level_key_is_refused_with_the_closest_key() -> None:
    values = _values()
    values["budjet"] = values.pop("budget")
    assert _error(values) == DEV + "budjet is not a known setting; did you mean data-ai-platform:budget?"


def test_misspelled_section_falls_back_to_nothing() -> None:
    values = _values()
    values["netwrok"] = values.pop("network")
    assert _error(values) == DEV + "netwrok is not a known setting; did you mean data-ai-platform:network?"


def test_unknown_nested_key_in_a_list_item_is_refused() -> None:
    values = _values()
    values["containers"]["services"][0]["prot"] = 1
    assert _error(values) == (
        DEV + "containers.services[0].prot is not a known setting; "
        "did you mean data-ai-platform:containers.services[0].port?"
    )


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    values = _values()
    values["dr"]["zzz"] = 1
    assert _error(values) == DEV + "dr.zzz is not a known setting (allowed: enabled, region)"


def test_stack_and_region_cannot_be_set_as_project_keys() -> None:
    assert _error({**_values(), "stack": "prod"}).startswith(
        "Pulumi.dev.yaml: invalid config: data-ai-platform:stack is not a known setting"
    )


def test_ipv6_ingress_cidr_is_accepted_and_duplicates_are_refused() -> None:
    values = _values()
    values["network"]["albIngressCidrs"] = ["::/0"]
    assert build_stack_config("dev", "us-east-1", values).network.alb_ingress_cidrs == ["::/0"]
    values["network"]["albIngressCidrs"] = ["10.0.0.0/8", "10.0.0.0/8"]
    assert (
        _error(values)
        == DEV + "network.albIngressCidrs: '10.0.0.0/8' is listed more than once (as '10.0.0.0/8')"
    )


def test_more_than_fifty_tags_are_refused() -> None:
    values = _values()
    values["tags"].update({f"extra-{i}": "x" for i in range(45)})
    assert _error(values) == (
        DEV + "tags: 48 tags given, at most 47 allowed: AWS allows 50 tags per resource and the program adds "
        "3 (environment, project, stack)"
    )
    values["tags"].pop("extra-0")
    assert len(build_stack_config("dev", "us-east-1", values).resource_tags()) == 50


def test_certificate_from_another_region_or_account_is_refused() -> None:
    values = _values()
    values["containers"]["certificateArn"] = values["containers"]["certificateArn"].replace(
        "us-east-1", "eu-west-1"
    )
    assert _error(values) == (
        "Pulumi.dev.yaml: invalid config: data-ai-platform: containers.certificateArn is in eu-west-1, but the "
        "load balancer is in us-east-1: an ALB can only use an ACM certificate of its own region"
    )
    values = _values("prod")
    values["accountId"] = "999988887777"
    assert "belongs to account 111122223333, not the stack's accountId 999988887777" in _error(values, "prod")


def test_az_count_above_the_regions_zones_is_refused_at_validation() -> None:
    values = _values()
    values["network"]["azCount"] = 3
    values["containers"]["certificateArn"] = values["containers"]["certificateArn"].replace(
        "us-east-1", "us-west-1"
    )
    assert _error(values, region="us-west-1") == (
        "Pulumi.dev.yaml: invalid config: data-ai-platform: network.azCount 3 is more than the 2 availability "
        "zones of us-west-1"
    )


@pytest.mark.parametrize(
    ("section", "key", "value", "problem"),
    [
        (
            "ml.endpoint",
            "maxCapacity",
            1e20,
            "Unable to parse input string as an integer, exceeded maximum size",
        ),
        (
            "budget",
            "monthlyUsd",
            1e308,
            "Input should be less than or equal to 1000000000000000000000000000000",
        ),
        (
            "processing",
            "reservedConcurrency",
            10**400,
            "Input should be less than or equal to 2147483647",
        ),
        ("budget", "monthlyUsd", float("inf"), "Input should be a finite number (got inf)"),
        ("observability.alarms", "rdsCpuPercent", float("nan"), "Input should be a finite number (got nan)"),
        ("containers.capacityProviders", "fargateWeight", 1001, "Input should be less than or equal to 1000"),
    ],
)
def test_numbers_have_upper_bounds(section: str, key: str, value: Any, problem: str) -> None:
    values = _values()
    target = values
    for part in section.split("."):
        target = target.setdefault(part, {})
    target[key] = value
    assert _error(values) == f"{DEV}{section}.{key}: {problem}"


def test_dr_region_of_the_wrong_type_is_named() -> None:
    values = _values()
    values["dr"]["region"] = []
    assert _error(values) == DEV + "dr.region: Input should be a valid string"


def test_account_id_is_required_for_prod_and_staging_and_must_have_12_digits() -> None:
    values = _values("staging")
    values.pop("accountId")
    assert "accountId is required for a staging stack" in _error(values, "staging")
    values["accountId"] = "1234"
    assert "accountId: String should match pattern" in _error(values, "staging")
    values["accountId"] = 444455556666  # unquoted in YAML: the digits as written
    assert build_stack_config("staging", "us-east-1", values).account_id == "444455556666"
    assert build_stack_config("dev", "us-east-1", _values()).account_id is None


def _config(stack: str) -> StackConfig:
    region, values = stack_values(stack)
    return build_stack_config(stack, region, values)


def test_providers_pin_the_account_and_honour_the_aws_settings() -> None:
    prod = _config("prod")
    args = provider_args(
        prod, {"profile": "prod-admin", "assumeRoles": [{"roleArn": "arn:aws:iam::1:role/a"}]}
    )
    assert args["profile"] == "prod-admin" and args["allowed_account_ids"] == ["111122223333"]
    assert len(args["assume_roles"]) == 1
    assert provider_args(_config("dev"), {"forbiddenAccountIds": ["111122223333"]}) == {
        "forbidden_account_ids": ["111122223333"]
    }
    for bad, message in [
        ({"allowedAccountIds": ["222233334444"]}, "does not include accountId 111122223333"),
        ({"forbiddenAccountIds": ["111122223333"]}, "lists the stack's own accountId"),
        ({"assumeRoles": [{"rolearn": "x"}]}, "assumeRoles[0] must be a mapping with at least a roleArn"),
        ({"allowedAccountIds": [111122223333]}, "must be a list of quoted 12-digit AWS account ids"),
    ]:
        with pytest.raises(ConfigError) as raised:
            provider_args(prod, bad)
        assert str(raised.value).startswith("Pulumi.prod.yaml: aws:") and message in str(raised.value)


# --- the stack file itself -----------------------------------------------------------------------------------


def _project(tmp_path: Path) -> Project:
    return Project("data-ai-platform", tmp_path, tmp_path / "__main__.py", tmp_path, {})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            b"config:\n  data-ai-platform:environment: d\xe9v\n",
            "Pulumi.dev.yaml is not UTF-8 text: byte 0xe9 at offset 41 cannot be decoded; save the file as UTF-8.",
        ),
        (
            b"config:\n  data-ai-platform:tags:\n    owner: !!timestamp 2026-01-01\n",
            "Pulumi.dev.yaml: data-ai-platform:tags.owner holds a YAML timestamp value, which is not a config "
            "value: use a string (quote it), number, boolean, list or mapping.",
        ),
        (
            b"config:\n  data-ai-platform:tags: !!binary aGVsbG8=\n",
            "Pulumi.dev.yaml: data-ai-platform:tags holds a YAML binary value, which is not a config value: use "
            "a string (quote it), number, boolean, list or mapping.",
        ),
        (
            b"config:\n  data-ai-platform:tags: " + b"[" * 500 + b"]" * 500 + b"\n",
            "Pulumi.dev.yaml: data-ai-platform:tags" + "[0]" * 65 + " nests more than 64 levels deep; config "
            "values cannot.",
        ),
    ],
    ids=["non-utf8", "timestamp", "binary", "nested-500"],
)
def test_stack_file_problems_name_the_file_and_key(tmp_path: Path, text: bytes, message: str) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_bytes(text)
    with pytest.raises(InputError) as raised:
        load_stack_config(_project(tmp_path), "dev")
    assert raised.value.message == f"{tmp_path}/{message}"


# --- property: mutations of our real stack files ----------------------------------------------------------------


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [path] + [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [path] + [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path]


HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["!!timestamp 2026-01-01", "!!binary aGVsbG8=", "::/0", "1e308"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(STACKS), st.data(), HOSTILE_VALUES, st.booleans())
def test_mutated_stack_files_validate_or_name_the_file_and_key(
    tmp_path_factory: pytest.TempPathFactory, stack: str, data: st.DataObject, value: Any, rename: bool
) -> None:
    document = yaml.safe_load((REPO_ROOT / f"Pulumi.{stack}.yaml").read_text())
    config = document["config"]
    key = data.draw(st.sampled_from(sorted(k for k in config if k.startswith("data-ai-platform:"))))
    path = data.draw(st.sampled_from(_leaves(config[key])))  # () is the top-level key itself
    parent: Any = config if not path else config[key]
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1] if path else key
    if rename and isinstance(parent, dict):
        parent[f"{last}x"] = parent.pop(last)
        shown = f"{last}x"
    else:
        parent[last] = value
        shown = str(last)
    directory = tmp_path_factory.mktemp("stack")
    text = yaml.safe_dump(document).replace("'!!timestamp 2026-01-01'", "!!timestamp 2026-01-01")
    (directory / f"Pulumi.{stack}.yaml").write_text(text.replace("'!!binary aGVsbG8='", "!!binary aGVsbG8="))
    try:
        _, loaded = load_stack_config(_project(directory), stack)
        values = {k.split(":", 1)[1]: _json(v) for k, v in loaded.values.items() if k.startswith("data-ai")}
        build_stack_config(stack, loaded.values.get("aws:region"), values)
    except (ConfigError, InputError) as exc:
        message = str(exc)
        assert f"Pulumi.{stack}.yaml" in message and "\n" not in message
        if rename and isinstance(parent, dict):  # the unknown key, or the one now missing, is named
            assert shown in message or str(last) in message
        else:  # the section the value sits in is named (cross-field checks name their fields in it)
            assert key.split(":", 1)[1] in message


def _json(raw: str) -> Any:
    import json

    try:
        return json.loads(raw)
    except ValueError:
        return raw
