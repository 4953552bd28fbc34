"""The three sources of an inventory agree, and the file sources read the CLI's shapes exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from preview_inventories import small_dev as cached_small_dev

from inventory import UNKNOWN, Inventory, load_preview_json, load_stack_export
from inventory.errors import InputError
from inventory.values import SECRET_SIG, SIG_KEY

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PREVIEW = FIXTURES / "small-dev.preview.json"
EXPORT = FIXTURES / "small-dev.stack.json"
DEFAULT = "urn:pulumi:dev::small-lake::pulumi:providers:aws::default_7_51_1"


@pytest.fixture(scope="module")
def small_dev() -> Inventory:
    return cached_small_dev()


def comparable(inventory: Inventory) -> dict[str, Any]:
    return {
        r.urn: {
            "type": r.type,
            "name": r.name,
            "custom": r.custom,
            "parent": r.parent,
            "provider": (r.provider.urn, r.provider.inputs) if r.provider else None,
            "inputs": r.inputs,
            "secret": sorted(r.secret_paths),
            "dependencies": sorted(r.dependencies),
            "source": r.source_position,
        }
        for r in inventory.resources
    }


@pytest.mark.slow
def test_synthesis_preview_json_and_stack_export_give_the_same_inventory(small_dev: Inventory) -> None:
    synthesized = comparable(small_dev)
    assert comparable(load_preview_json(PREVIEW)) == synthesized
    assert comparable(load_stack_export(EXPORT)) == synthesized
    for loaded in (load_preview_json(PREVIEW), load_stack_export(EXPORT)):
        assert (loaded.project, loaded.stack, loaded.stack_urn) == ("small-lake", "dev", small_dev.stack_urn)
        assert set(loaded.providers) == set(small_dev.providers)
        assert loaded.outputs == small_dev.outputs


def test_preview_json_reads_steps_new_state_and_skips_deletes() -> None:
    inventory = load_preview_json(PREVIEW)
    assert inventory.source == "preview-json"
    assert len(inventory.resources) == 13 and len(inventory.custom()) == 12
    assert all(not r.urn.endswith("::legacy") for r in inventory.resources)
    queue = next(r for r in inventory.resources if r.name == "replica")
    assert queue.unknown_paths == frozenset({"arn", "id", "region", "url"})
    assert queue.outputs["arn"] == UNKNOWN and queue.id == ""
    assert queue.provider is not None and queue.provider.name == "west"
    logs = next(r for r in inventory.resources if r.name == "app-logs")
    assert logs.inputs["retentionInDays"] == 30  # the update's new state, not the old one


def test_preview_json_secrets_and_config() -> None:
    inventory = load_preview_json(PREVIEW)
    db = next(r for r in inventory.resources if r.name == "db")
    assert db.inputs["password"] == "[secret]" and db.secret_paths == frozenset({"password", "passwordWo"})
    assert inventory.config["small-lake:lake"] == {"buckets": ["raw", "curated"], "versioning": True}
    assert inventory.config["small-lake:dbPassword"] == "[secret]"
    assert inventory.providers[DEFAULT].inputs == {
        "region": "eu-west-1",
        "defaultTags": {"tags": {"owner": "data-team"}},
        "version": "7.51.1",
    }


def test_stack_export_secrets_stay_hidden_and_are_tracked() -> None:
    inventory = load_stack_export(EXPORT)
    assert inventory.source == "stack-export" and inventory.config == {}
    db = next(r for r in inventory.resources if r.name == "db")
    assert db.inputs["password"] == "[secret]"
    assert db.outputs["password"] == "[secret]"
    assert db.secret_paths == frozenset({"password", "passwordWo"})
    assert inventory.outputs["db_password"] == "[secret]"
    assert db.id == next(r for r in load_preview_json(PREVIEW).resources if r.name == "db").id


def export_doc(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"version": 3, "deployment": {"manifest": {}, "resources": resources}}


STACK_URN = "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod"
TABLE_URN = "urn:pulumi:prod::shop::aws:dynamodb/table:Table::carts"


def write(tmp_path: Path, doc: Any, name: str = "doc.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_stack_export_with_show_secrets_unwraps_plaintext(tmp_path: Path) -> None:
    token = {SIG_KEY: SECRET_SIG, "plaintext": json.dumps({"key": "s3cr3t"})}
    doc = export_doc(
        [
            {"urn": STACK_URN, "custom": False, "type": "pulumi:pulumi:Stack"},
            {
                "urn": TABLE_URN,
                "custom": True,
                "type": "aws:dynamodb/table:Table",
                "id": "carts",
                "inputs": {"name": "carts", "replica": [token]},
                "parent": STACK_URN,
            },
        ]
    )
    table = load_stack_export(write(tmp_path, doc)).resources[0]
    assert table.inputs["replica"] == [{"key": "s3cr3t"}]
    assert table.secret_paths == frozenset({"replica[0]"})
    assert table.is_secret("replica[0].key") and not table.is_secret("name")


def test_checkpoint_files_and_pending_deletes(tmp_path: Path) -> None:
    doc = {
        "version": 3,
        "checkpoint": {
            "stack": "organization/shop/prod",
            "latest": {
                "resources": [
                    {"urn": STACK_URN, "custom": False, "type": "pulumi:pulumi:Stack"},
                    {"urn": TABLE_URN, "custom": True, "type": "aws:dynamodb/table:Table", "id": "carts"},
                    {
                        "urn": TABLE_URN,
                        "custom": True,
                        "type": "aws:dynamodb/table:Table",
                        "id": "old",
                        "delete": True,
                    },
                ]
            },
        },
    }
    inventory = load_stack_export(write(tmp_path, doc))
    assert [(r.name, r.id) for r in inventory.resources] == [("carts", "carts")]
    assert (inventory.project, inventory.stack) == ("shop", "prod")


def test_external_reads_are_kept_but_not_counted(tmp_path: Path) -> None:
    vpc = "urn:pulumi:prod::shop::aws:ec2/vpc:Vpc::shared"
    doc = export_doc(
        [
            {"urn": TABLE_URN, "custom": True, "type": "aws:dynamodb/table:Table", "id": "carts"},
            {"urn": vpc, "custom": True, "type": "aws:ec2/vpc:Vpc", "id": "vpc-1", "external": True},
        ]
    )
    inventory = load_stack_export(write(tmp_path, doc))
    assert [r.name for r in inventory.custom()] == ["carts"]
    assert inventory.by_urn(vpc).external


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{not json",
            "is not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2.",
        ),
        ("[]", "is not `pulumi preview --json` output: it has no `steps` list."),
        (
            json.dumps(export_doc([])),
            "is not `pulumi preview --json` output: it has no `steps` list. It looks like a stack export: "
            "pass it with --state.",
        ),
        (
            json.dumps({"steps": [{"op": "create", "newState": {"type": "x"}}]}),
            ": steps[0].newState has no string `urn` and `type`",
        ),
    ],
)
def test_bad_preview_json_is_an_input_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "preview.json"
    path.write_text(content)
    with pytest.raises(InputError) as caught:
        load_preview_json(path)
    assert caught.value.message.startswith(str(path)) and message in caught.value.message


def test_bad_stack_export_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, {"steps": []})
    with pytest.raises(InputError) as caught:
        load_stack_export(path)
    assert caught.value.message == (
        f"{path} is not `pulumi stack export` output: it has no `deployment.resources` list. It looks like "
        "preview output: pass it with --preview-json."
    )
    with pytest.raises(InputError) as caught:
        load_stack_export(tmp_path / "missing.json")
    assert caught.value.message == f"Cannot read {tmp_path / 'missing.json'}: no such file."
    with pytest.raises(InputError) as caught:
        load_stack_export(write(tmp_path, {"version": 9, "deployment": {"resources": []}}))
    assert "is a version 9 deployment" in caught.value.message
