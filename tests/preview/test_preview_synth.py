"""Synthesis of the small test program: resources, components, invokes, structured config, secrets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from preview_inventories import small_dev as cached_small_dev

from inventory import Inventory, stream, synthesize
from inventory.model import UNKNOWN

pytestmark = pytest.mark.slow

STACK = "urn:pulumi:dev::small-lake::pulumi:pulumi:Stack::small-lake-dev"
LAKE = "urn:pulumi:dev::small-lake::small:data:Lake::lake"
SMALL = Path(__file__).resolve().parent / "programs" / "small"


@pytest.fixture(scope="module")
def small_dev() -> Inventory:
    return cached_small_dev()


def by_name(inventory: Inventory, name: str):
    return next(r for r in inventory.resources if r.name == name)


def test_registers_exactly_the_programs_resources(small_dev: Inventory) -> None:
    assert {(r.type, r.name) for r in small_dev.resources} == {
        ("small:data:Lake", "lake"),
        ("aws:kms/key:Key", "lake-key"),
        ("aws:s3/bucket:Bucket", "lake-raw"),
        ("aws:s3/bucket:Bucket", "lake-curated"),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "lake-raw-sse",
        ),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "lake-curated-sse",
        ),
        ("aws:s3/bucketVersioning:BucketVersioning", "lake-raw-versioning"),
        ("aws:s3/bucketVersioning:BucketVersioning", "lake-curated-versioning"),
        ("aws:iam/role:Role", "reader"),
        ("aws:iam/rolePolicy:RolePolicy", "reader-read"),
        ("aws:cloudwatch/logGroup:LogGroup", "app-logs"),
        ("aws:sqs/queue:Queue", "replica"),
        ("aws:rds/instance:Instance", "db"),
    }
    assert len(small_dev.custom()) == 12
    assert [c.name for c in small_dev.components()] == ["lake"]
    assert small_dev.stack_urn == STACK
    assert (small_dev.project, small_dev.stack, small_dev.source) == ("small-lake", "dev", "synthesis")


def test_urns_and_parents_follow_the_engine(small_dev: Inventory) -> None:
    raw = by_name(small_dev, "lake-raw")
    sse = by_name(small_dev, "lake-raw-sse")
    assert raw.urn == "urn:pulumi:dev::small-lake::small:data:Lake$aws:s3/bucket:Bucket::lake-raw"
    assert sse.urn == (
        "urn:pulumi:dev::small-lake::small:data:Lake$aws:s3/bucket:Bucket"
        "$aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::lake-raw-sse"
    )
    assert sse.parent == raw.urn and raw.parent == LAKE
    assert by_name(small_dev, "reader").urn == "urn:pulumi:dev::small-lake::aws:iam/role:Role::reader"
    assert by_name(small_dev, "reader").parent == STACK
    assert small_dev.component_of(sse) is small_dev.by_urn(LAKE)
    assert small_dev.component_of(by_name(small_dev, "db")) is None
    assert {c.name for c in small_dev.children(raw)} == {"lake-raw-sse", "lake-raw-versioning"}
    assert raw.source_position == "project:///lake.py#18,0"
    assert by_name(small_dev, "db").source_position == "project:///__main__.py#61,0"


def test_inputs_are_camel_case_with_auto_names_and_dependencies(small_dev: Inventory) -> None:
    raw = by_name(small_dev, "lake-raw")
    sse = by_name(small_dev, "lake-raw-sse")
    key = by_name(small_dev, "lake-key")
    assert raw.inputs == {"bucket": "lake-raw-b77aef1", "tags": {"layer": "raw"}}
    assert sse.inputs == {
        "bucket": "lake-raw-b77aef1",
        "rules": [
            {
                "applyServerSideEncryptionByDefault": {
                    "kmsMasterKeyId": key.outputs["arn"],
                    "sseAlgorithm": "aws:kms",
                },
                "bucketKeyEnabled": True,
            }
        ],
    }
    assert set(sse.dependencies) == {raw.urn, key.urn}
    assert sse.property_dependencies["bucket"] == [raw.urn]
    assert by_name(small_dev, "db").inputs["allocatedStorage"] == 20  # protobuf numbers come back as ints


def test_computed_outputs_have_real_formats(small_dev: Inventory) -> None:
    raw, key, db = by_name(small_dev, "lake-raw"), by_name(small_dev, "lake-key"), by_name(small_dev, "db")
    assert raw.outputs["arn"] == "arn:aws:s3:::lake-raw-b77aef1"
    assert raw.outputs["bucketRegionalDomainName"] == "lake-raw-b77aef1.s3.eu-west-1.amazonaws.com"
    assert raw.outputs["tagsAll"] == {"owner": "data-team", "layer": "raw"}
    assert key.outputs["arn"] == f"arn:aws:kms:eu-west-1:123456789012:key/{key.id}"
    reader = by_name(small_dev, "reader")
    assert re.fullmatch(r"reader-[0-9a-f]{7}", reader.inputs["name"])
    assert reader.outputs["arn"] == f"arn:aws:iam::123456789012:role/{reader.inputs['name']}"
    assert db.outputs["endpoint"] == f"{db.outputs['address']}:5432"
    assert db.outputs["address"].startswith("db-") and db.outputs["address"].endswith(
        ".eu-west-1.rds.amazonaws.com"
    )
    assert db.outputs["arn"] == f"arn:aws:rds:eu-west-1:123456789012:db:{db.inputs['identifier']}"
    queue = by_name(small_dev, "replica")
    assert queue.outputs["url"] == f"https://sqs.us-west-2.amazonaws.com/123456789012/{queue.inputs['name']}"


def test_invokes_answer_like_aws(small_dev: Inventory) -> None:
    assert small_dev.outputs["account"] == "123456789012"
    assert small_dev.outputs["zones"] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert by_name(small_dev, "db").inputs["availabilityZone"] == "eu-west-1a"
    trust = json.loads(by_name(small_dev, "reader").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}


def test_policy_document_is_rendered_as_the_provider_does(small_dev: Inventory) -> None:
    arn = by_name(small_dev, "lake-raw").outputs["arn"]
    policy = by_name(small_dev, "reader-read").inputs["policy"]
    assert json.loads(policy) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadLake",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetObject"],
                "Resource": [f"{arn}/*", arn],
            },
            {
                "Effect": "Deny",
                "Action": "s3:*",
                "Resource": "*",
                "Principal": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }
    assert policy.startswith(
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "ReadLake",'
    )


def test_structured_config_and_project_defaults(small_dev: Inventory) -> None:
    assert small_dev.config == {
        "small-lake:retentionDays": "30",
        "aws:region": "eu-west-1",
        "aws:defaultTags": {"tags": {"owner": "data-team"}},
        "small-lake:lake": {"buckets": ["raw", "curated"], "versioning": True},
        "small-lake:dbPassword": "[secret]",
    }
    assert by_name(small_dev, "app-logs").inputs["retentionInDays"] == 30
    staging = synthesize(SMALL, "staging")
    assert {r.name for r in staging.custom() if r.type.startswith("aws:s3/")} == {"lake-raw", "lake-raw-sse"}
    assert staging.config["small-lake:dbPassword"] == "not-so-secret"
    assert staging.outputs["zones"] == [f"us-east-1{c}" for c in "abcdef"]


def test_secrets_are_tracked_and_never_shown_as_stack_outputs(small_dev: Inventory) -> None:
    db = by_name(small_dev, "db")
    assert db.secret_paths == frozenset({"password", "passwordWo"})
    assert db.is_secret("password") and not db.is_secret("username")
    assert db.inputs["password"] == "[secret]"  # secure config cannot be decrypted offline
    assert small_dev.outputs["db_password"] == "[secret]"
    assert UNKNOWN not in json.dumps([r.inputs for r in small_dev.resources])
    # the only unknowns are outputs the model does not compute, never an input the program set
    assert all(not (r.unknown_paths & set(r.inputs)) for r in small_dev.resources)
    assert all(r.outputs[p] == UNKNOWN for r in small_dev.resources for p in r.unknown_paths)


def test_providers_are_context_with_their_inputs(small_dev: Inventory) -> None:
    default = "urn:pulumi:dev::small-lake::pulumi:providers:aws::default_7_51_1"
    west = "urn:pulumi:dev::small-lake::pulumi:providers:aws::west"
    assert set(small_dev.providers) == {default, west}
    assert small_dev.providers[default].inputs == {
        "region": "eu-west-1",
        "defaultTags": {"tags": {"owner": "data-team"}},
        "version": "7.51.1",
    }
    assert small_dev.providers[west].inputs["defaultTags"] == {"tags": {"owner": "dr-team"}}
    queue = by_name(small_dev, "replica")
    assert queue.provider.urn == west
    assert small_dev.region_of(queue) == "us-west-2"
    assert small_dev.region_of(by_name(small_dev, "db")) == "eu-west-1"
    assert all(not r.type.startswith("pulumi:") for r in small_dev.resources)


def test_synthesis_is_deterministic(small_dev: Inventory) -> None:
    again = synthesize(SMALL, "dev")
    assert {r.urn: (r.id, r.inputs, r.outputs) for r in again.resources} == {
        r.urn: (r.id, r.inputs, r.outputs) for r in small_dev.resources
    }


def test_stream_yields_resources_as_they_register(small_dev: Inventory) -> None:
    with stream(SMALL, "dev") as synthesis:
        assert synthesis.project == "small-lake" and synthesis.stack == "dev"
        seen = [r.urn for r in synthesis]
        inventory = synthesis.inventory()
    assert sorted(seen) == sorted(r.urn for r in small_dev.resources)
    assert [r.urn for r in inventory.resources] == seen


def test_closing_a_stream_early_stops_the_child() -> None:
    synthesis = stream(SMALL, "dev")
    first = next(iter(synthesis))
    synthesis.close()
    assert first.urn.startswith("urn:pulumi:dev::small-lake::")
    assert synthesis._proc.poll() is not None
    with pytest.raises(RuntimeError, match="stopped before the program finished"):
        synthesis.inventory()


def test_config_overrides_win_over_the_stack_file() -> None:
    inventory = synthesize(
        SMALL, "dev", config_overrides={"lake": {"buckets": ["gold"], "versioning": False}}
    )
    assert {r.name for r in inventory.custom() if r.type == "aws:s3/bucket:Bucket"} == {"lake-gold"}
    assert inventory.config["small-lake:lake"] == {"buckets": ["gold"], "versioning": False}


def test_the_account_comes_from_allowed_account_ids() -> None:
    inventory = synthesize(SMALL, "dev", config_overrides={"aws:allowedAccountIds": ["210987654321"]})
    assert inventory.outputs["account"] == "210987654321"
    assert by_name(inventory, "reader").outputs["arn"].startswith("arn:aws:iam::210987654321:role/")
