# ruff: noqa: E501  (expected messages are kept whole so they read as users see them)
"""Hostile input files and options: each is refused with one paragraph naming the file and the JSON path
(exit 2), and the pack judges odd policy documents as malformed instead of falling over.

Named regressions for issue 15, plus bounded hypothesis properties over preview/state shapes and over
pack-config and usage files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cost.usage import UsageError, load_usage
from inventory.cli import EXIT_INPUT
from inventory.errors import InputError
from inventory.sources import load_preview_json, load_stack_export
from policies import check
from policies.packconfig import PackConfigError, load_pack_config

STACK_URN = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"


def _state(name: str, type_: str = "aws:s3/bucket:Bucket", **fields: Any) -> dict[str, Any]:
    return {"urn": f"urn:pulumi:dev::p::{type_}::{name}", "type": type_, "custom": True, **fields}


def _preview(*states: dict[str, Any]) -> dict[str, Any]:
    root = {"urn": STACK_URN, "type": "pulumi:pulumi:Stack"}
    return {"steps": [{"op": "create", "urn": s["urn"], "newState": s} for s in (root, *states)]}


def _export(*states: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 3,
        "deployment": {"resources": [{"urn": STACK_URN, "type": "pulumi:pulumi:Stack"}, *states]},
    }


def _write(tmp_path: Path, doc: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


SHAPES: list[tuple[str, Any, str]] = [
    (
        "bad-urn",
        _preview(_state("b") | {"urn": "bucket-b"}),
        "steps[1].newState.urn 'bucket-b' is not a Pulumi URN",
    ),
    (
        "integer-provider",
        _preview(_state("b", provider=7)),
        "steps[1].newState.provider must be a `<provider URN>::<id>` string, not a number.",
    ),
    (
        "integer-dependencies",
        _preview(_state("b", dependencies=3)),
        "steps[1].newState.dependencies must be a list of URN strings, not a number.",
    ),
    (
        "dependency-items",
        _preview(_state("b", dependencies=[1])),
        "steps[1].newState.dependencies must hold strings only.",
    ),
    (
        "list-inputs",
        _preview(_state("b", inputs=[1, 2])),
        "steps[1].newState.inputs must be an object, not a list.",
    ),
    (
        "list-config",
        {**_preview(), "config": ["a"]},
        "`config` must be a JSON object of keys to values, not a list.",
    ),
    (
        "bad-protect",
        _preview(_state("b", protect="yes")),
        "steps[1].newState.protect must be a boolean, not a string.",
    ),
]


@pytest.mark.parametrize(("doc", "message"), [c[1:] for c in SHAPES], ids=[c[0] for c in SHAPES])
def test_malformed_preview_shapes_name_the_json_path(tmp_path: Path, doc: Any, message: str) -> None:
    path = _write(tmp_path, doc)
    with pytest.raises(InputError) as raised:
        load_preview_json(path)
    assert raised.value.message.startswith(f"{path}: ") and message in raised.value.message


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"checkpoint": []}, "`checkpoint` must be a JSON object, not a list."),
        (
            _export(
                _state(
                    "b",
                    outputs={
                        "k": {
                            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                            "plaintext": "{not json",
                        }
                    },
                )
            ),
            "deployment.resources[1]: the secret at k has a `plaintext` that is not a JSON string; the file is not valid engine state.",
        ),
        (
            _export(_state("b", propertyDependencies={"x": "y"})),
            'deployment.resources[1].propertyDependencies["x"] must be a list of URNs.',
        ),
        ({"deployment": {"resources": [1]}}, "deployment.resources[0] is not a JSON object."),
    ],
    ids=["list-checkpoint", "bad-secret-plaintext", "property-dependencies", "resource-not-object"],
)
def test_malformed_state_shapes_name_the_json_path(tmp_path: Path, doc: Any, message: str) -> None:
    path = _write(tmp_path, doc)
    with pytest.raises(InputError) as raised:
        load_stack_export(path)
    assert raised.value.message == f"{path}: {message}"


def test_json_nested_100000_deep_is_an_input_error(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"steps": ' + "[" * 100_000 + "]" * 100_000 + "}")
    for load in (load_preview_json, load_stack_export):
        with pytest.raises(InputError) as raised:
            load(path)
        assert (
            raised.value.message
            == f"{path} nests JSON deeper than engine state ever does; it is not engine state."
        )


def test_protect_is_read_from_state(tmp_path: Path) -> None:
    path = _write(tmp_path, _export(_state("kept", protect=True, retainOnDelete=True), _state("loose")))
    resources = {r.name: r for r in load_stack_export(path).resources}
    assert (resources["kept"].protect, resources["kept"].retain_on_delete) == (True, True)
    assert (resources["loose"].protect, resources["loose"].retain_on_delete) == (False, False)


def test_binary_pack_config_and_usage_files_are_named(tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(PackConfigError) as pack:
        load_pack_config(binary)
    assert str(pack.value) == f"the policy pack config {binary} is not UTF-8 JSON text: byte 0x89 at offset 0"
    with pytest.raises(UsageError) as usage:
        load_usage(binary)
    assert str(usage.value) == f"the usage file {binary} is not UTF-8 text: byte 0x89 at offset 0"
    deep = _write(tmp_path, "[" * 100_000 + "]" * 100_000, "deep.json")
    with pytest.raises(PackConfigError) as nested:
        load_pack_config(deep)
    assert str(nested.value) == f"the policy pack config {deep} nests JSON too deeply to read"


def test_empty_stack_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main(["--stack", ""]) == EXIT_INPUT
    assert capsys.readouterr().err == (
        "error: --stack '' is not a stack name: use 1-100 letters, digits, '-', '_' or '.' (or leave --stack out "
        "for dev).\n"
    )


def test_empty_diff_stack_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from cost import cli as cost_cli

    assert cost_cli.main(["diff", "--base-stack", "", "--head-stack", "dev"]) == EXIT_INPUT
    assert capsys.readouterr().err.startswith("error: --base-stack '' is not a stack name")


# --- the pack over odd documents and protect, through the real analyzer protocol ----------------------------


def _policy(name: str, document: str) -> dict[str, Any]:
    return _state(name, "aws:iam/policy:Policy", inputs={"policy": document})


def test_pack_judges_odd_iam_documents_as_malformed_and_fails_unprotected_data(tmp_path: Path) -> None:
    deep = '{"Version": "2012-10-17", "Statement": [' + "[" * 5000 + "]" * 5000 + "]}"
    star = '{"Version": "2012-10-17", "Statement": [{"Effect": "%s", "Action": "*", "Resource": "*"}]}'
    doc = _preview(
        _policy("deep", deep),
        _policy("lower", star % "allow"),
        _policy("noeffect", '{"Statement": [{"Action": "*", "Resource": "*"}]}'),
        _policy("nan", '{"Statement": [{"Effect": "Allow", "Action": NaN, "Resource": "*"}]}'),
        _state("kept", "aws:dynamodb/table:Table", protect=True),
        _state("loose", "aws:dynamodb/table:Table"),
    )
    path, out = _write(tmp_path, doc), tmp_path / "out.json"
    assert check.main(["--preview-json", str(path), "--format", "json", "--output", str(out)]) in (0, 1)
    result = json.loads(out.read_text())
    reasons = {
        (n["urn"].rsplit("::", 1)[1], n["reason"])
        for n in result["not_applicable"]
        if n["policy"] == "aws-iam-policy-no-wildcard-actions"
    }
    assert reasons == {
        ("deep", "could not evaluate: `policy` should be a JSON document, got one nested too deeply to read"),
        (
            "lower",
            'could not evaluate: `policy.Statement[0].Effect` should be "Allow" or "Deny" (IAM is case-sensitive), got \'allow\'',
        ),
        (
            "noeffect",
            'could not evaluate: `policy.Statement[0].Effect` should be "Allow" or "Deny" (IAM is case-sensitive), got no Effect',
        ),
        (
            "nan",
            "could not evaluate: `policy.Statement[0].Action[0]` should be an action name string, got nan",
        ),
    }
    unprotected = {
        v["urn"].rsplit("::", 1)[1]
        for v in result["violations"]
        if v["policy"] == "aws-stateful-resources-protected"
    }
    assert unprotected == {"loose"}


# --- properties ------------------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
FIELDS = [
    "urn",
    "type",
    "inputs",
    "outputs",
    "parent",
    "provider",
    "dependencies",
    "propertyDependencies",
    "id",
    "protect",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FIELDS), JSON_VALUES, st.booleans())
def test_any_state_field_value_loads_or_names_the_file(
    tmp_path: Path, field: str, value: Any, export: bool
) -> None:
    state = _state("b", inputs={"bucket": "b"}) | {field: value}
    path = _write(tmp_path, _export(state) if export else _preview(state))
    try:
        (load_stack_export if export else load_preview_json)(path)
    except InputError as exc:
        assert exc.message.startswith(str(path)) and "\n" not in exc.message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(JSON_VALUES | st.binary(max_size=20))
def test_any_pack_config_or_usage_file_loads_or_names_the_file(tmp_path: Path, value: Any) -> None:
    path = tmp_path / "file"
    path.write_bytes(value if isinstance(value, bytes) else json.dumps(value).encode())
    for load, error in ((load_pack_config, PackConfigError), (load_usage, UsageError)):
        try:
            load(path)
        except error as exc:
            assert str(path) in str(exc)
