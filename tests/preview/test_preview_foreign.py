"""`--program` on a program we did not write: plain pulumi + pulumi_aws, `main: src/`, namespaced defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inventory import synthesize
from inventory.model import UNKNOWN

pytestmark = pytest.mark.slow

FOREIGN = Path(__file__).resolve().parent / "programs" / "foreign"


def test_a_foreign_program_synthesizes_with_its_own_layout_and_config() -> None:
    inventory = synthesize(FOREIGN, "test")
    assert (inventory.project, inventory.stack) == ("static-site", "test")
    assert sorted((r.type.split(":")[1], r.name) for r in inventory.custom()) == [
        ("cloudwatch/metricAlarm", "errors"),
        ("iam/role", "publisher"),
        ("s3/bucket", "logs"),
        ("s3/bucket", "site"),
        ("s3/bucketLogging", "site-logging"),
        ("s3/bucketPolicy", "site-policy"),
        ("s3/bucketWebsiteConfiguration", "site-website"),
        ("sns/topic", "alerts"),
    ]
    [reference] = [r for r in inventory.resources if r.external]
    assert (reference.type, reference.name) == ("pulumi:pulumi:StackReference", "acme/network/prod")
    assert inventory.outputs["vpc"] == UNKNOWN  # stack reference outputs are unknown, as in a preview
    assert inventory.config == {
        "aws:region": "ap-southeast-2",
        "static-site:indexDocument": "index.html",
        "static-site:siteName": "docs",
        "static-site:apiToken": "[secret]",
    }


def test_apply_chains_transformations_and_invokes_see_realistic_values() -> None:
    inventory = synthesize(FOREIGN, "test")
    named = {r.name: r for r in inventory.resources}
    assert named["site"].inputs["bucket"] == "docs-site-ap-southeast-2"
    assert named["site"].inputs["tags"] == {"site": "docs"}  # legacy stack transformation ran
    policy = json.loads(named["site-policy"].inputs["policy"])
    assert policy["Statement"][0]["Resource"] == "arn:aws:s3:::docs-site-ap-southeast-2/*"
    assert named["site-policy"].dependencies.count(named["logs"].urn) == 1
    assert named["errors"].inputs["alarmActions"] == [named["alerts"].outputs["arn"]]
    assert named["alerts"].outputs["arn"].startswith("arn:aws:sns:ap-southeast-2:123456789012:alerts-")
    assert inventory.outputs["website_endpoint"] == (
        "http://docs-site-ap-southeast-2.s3-website-ap-southeast-2.amazonaws.com"
    )
    assert inventory.outputs["token_ref"] == "[secret]"
