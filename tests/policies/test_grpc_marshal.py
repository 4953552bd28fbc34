"""Inventory values become the Struct the engine sends; the pack's own SDK reads them back as rules expect."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import json_format
from hypothesis import given, settings
from hypothesis import strategies as st
from packs import ROOT  # noqa: F401  (puts the repository root on sys.path)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from policies.marshal import (
    ARCHIVE_SIG,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
    MarshalError,
    parse_path,
    to_struct,
    to_wire,
)


def as_rules_see_it(values: dict[str, Any], **paths: Any) -> Any:
    """What a rule receives: pulumi-policy's own deserialization and unknown-checking proxy of the Struct."""
    return unknown_checking_proxy(
        deserialize_properties(json_format.MessageToDict(to_struct(values, **paths)))
    )


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("tags", ("tags",)),
        ("tags.owner", ("tags", "owner")),
        ("rules[0].cidrBlocks[12]", ("rules", 0, "cidrBlocks", 12)),
        ('tags["kubernetes.io/role"]', ("tags", "kubernetes.io/role")),
        ('a["say \\"hi\\""].b', ("a", 'say "hi"', "b")),
        ("[3]", (3,)),
    ],
)
def test_parse_path(path: str, keys: tuple[Any, ...]) -> None:
    assert parse_path(path) == keys


@pytest.mark.parametrize(("path", "position"), [("a[x]", 2), ("a..b", 2), ("a[0", 2), ('a["b"', 2)])
def test_malformed_paths_name_the_position(path: str, position: int) -> None:
    with pytest.raises(MarshalError, match=rf"property path '.*' is malformed at character {position}"):
        parse_path(path)


def test_unknowns_and_secrets_are_marked_as_the_engine_marks_them() -> None:
    wire = to_wire(
        {"bucket": "raw", "tags": {"owner": "x"}, "password": "hunter2", "rules": [{"k": 1}, {"k": 2}]},
        unknown_paths=["tags.owner", "rules[1].k"],
        secret_paths=["password", "rules[1]"],
    )
    assert wire == {
        "bucket": "raw",
        "tags": {"owner": UNKNOWN},
        "password": {SIG_KEY: SECRET_SIG, "value": "hunter2"},
        "rules": [{"k": 1}, {SIG_KEY: SECRET_SIG, "value": {"k": UNKNOWN}}],
    }


def test_nested_secrets_are_wrapped_inside_out() -> None:
    wire = to_wire({"a": {"b": "s"}}, secret_paths=["a", "a.b"])
    assert wire == {"a": {SIG_KEY: SECRET_SIG, "value": {"b": {SIG_KEY: SECRET_SIG, "value": "s"}}}}


def test_paths_that_do_not_exist_change_nothing() -> None:
    assert to_wire({"a": [1]}, unknown_paths=["b.c", "a[5]"], secret_paths=["a[1]", "z"]) == {"a": [1]}


def test_internal_keys_are_dropped_at_every_depth_and_assets_pass_through() -> None:
    archive = {SIG_KEY: ARCHIVE_SIG, "path": "./app.zip"}
    assert to_wire({"__defaults": [], "code": archive, "env": {"__meta": 1, "x": (1, 2)}}) == {
        "code": archive,
        "env": {"x": [1, 2]},
    }


def test_an_already_signed_secret_is_kept_and_one_without_value_shows_redacted() -> None:
    wire = to_wire({"a": {SIG_KEY: SECRET_SIG, "value": 1}, "b": {SIG_KEY: SECRET_SIG, "ciphertext": "AAA"}})
    assert wire == {"a": {SIG_KEY: SECRET_SIG, "value": 1}, "b": {SIG_KEY: SECRET_SIG, "value": "[secret]"}}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"a": {"b": object()}}, "property a.b holds a object, which has no engine representation"),
        ({"a": [{1: "x"}]}, r"property a\[0\] has a non-string key 1"),
        ({"a": {SIG_KEY: "nope"}}, "property a carries the unrecognized value signature 'nope'"),
    ],
)
def test_values_the_engine_cannot_carry_are_refused_with_their_path(
    values: dict[str, Any], message: str
) -> None:
    with pytest.raises(MarshalError, match=message):
        to_wire(values)


def test_rules_see_secrets_unwrapped_and_unknowns_raise() -> None:
    props = as_rules_see_it(
        {"password": "hunter2", "kmsKeyId": UNKNOWN, "tags": {"owner": "x"}},
        unknown_paths=["kmsKeyId"],
        secret_paths=["password", "tags"],
    )
    assert props["password"] == "hunter2"
    assert props["tags"]["owner"] == "x"
    with pytest.raises(UnknownValueError) as raised:
        _ = props["kmsKeyId"]
    assert raised.value.message == "string value at .kmsKeyId can't be known during preview"


def test_an_unknown_secret_raises_unknown_for_rules() -> None:
    props = as_rules_see_it({"password": "ignored"}, unknown_paths=["password"], secret_paths=["password"])
    with pytest.raises(UnknownValueError):
        _ = props["password"]


KEYS = st.text(alphabet="ab_.-/[] 1", min_size=1, max_size=5)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=12,
)


def paths_of(value: Any, prefix: str = "") -> list[str]:
    """Every property path inside `value`, in the inventory's path syntax."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_of(item, f"{prefix}.{key}" if key.isidentifier() else f'{prefix}["{key}"]')
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths_of(item, f"{prefix}[{i}]")
    return found


def without_internal_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_internal_keys(v) for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, list):
        return [without_internal_keys(v) for v in value]
    return value


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(KEYS, json_values, max_size=4), st.data())
def test_any_json_value_round_trips_with_any_subset_marked_secret(values: dict[str, Any], data: Any) -> None:
    candidates = [p.lstrip(".") for p in paths_of(values)]
    secrets = data.draw(st.lists(st.sampled_from(candidates), unique=True)) if candidates else []
    seen = deserialize_properties(json_format.MessageToDict(to_struct(values, secret_paths=secrets)))
    assert seen == without_internal_keys(values)
