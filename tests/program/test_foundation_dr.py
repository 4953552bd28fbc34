"""Disaster recovery: only in prod; replica buckets, the scoped replication role, RDS backup replication."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from stackview import STACKS, StackView

pytestmark = pytest.mark.slow

REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
BACKUPS = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"

Views = Callable[[str], StackView]


@pytest.mark.parametrize("stack", STACKS)
def test_dr_resources_exist_only_in_prod_and_only_in_the_dr_region(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    in_dr = {r.name for r in view.inventory.custom() if view.region(r) == "us-west-2"}
    if stack != "prod":
        assert in_dr == set()
        assert view.of_type(REPLICATION) == [] and view.of_type(BACKUPS) == []
        return
    assert {
        "dr-key",
        "dr-processed-replica",
        "dr-artifacts-replica",
        "dr-access-logs",
        "dr-db-backups",
    } <= in_dr
    assert all(name.startswith("dr-") for name in in_dr)


def test_processed_and_artifacts_replicate_kms_objects_to_the_dr_key(stack_view: Views) -> None:
    view = stack_view("prod")
    rules = {r.inputs["bucket"]: r for r in view.of_type(REPLICATION)}
    assert set(rules) == {view.ident("lake-processed"), view.ident("lake-artifacts")}
    for role in ("processed", "artifacts"):
        config = rules[view.ident(f"lake-{role}")]
        assert config.inputs["role"] == view.arn("dr-replication-role")
        assert view.region(config) == "us-east-1"
        [rule] = config.inputs["rules"]
        assert rule["status"] == "Enabled"
        assert rule["filter"] == {"prefix": ""}
        assert rule["deleteMarkerReplication"] == {"status": "Enabled"}
        assert rule["sourceSelectionCriteria"] == {"sseKmsEncryptedObjects": {"status": "Enabled"}}
        assert rule["destination"] == {
            "bucket": view.arn(f"dr-{role}-replica"),
            "storageClass": "STANDARD",
            "encryptionConfiguration": {"replicaKmsKeyId": view.arn("dr-key")},
        }
        versioning = view.named(f"lake-{role}-versioning")
        assert versioning.urn in config.dependencies


def test_replication_role_touches_exactly_the_two_buckets_pairs_and_keys(stack_view: Views) -> None:
    view = stack_view("prod")
    [document] = [d for r, d in view.policy_documents() if r.name == "dr-replication-policy"]
    grants = {s["Sid"]: s for s in document["Statement"]}
    sources = [view.arn("lake-processed"), view.arn("lake-artifacts")]
    replicas = [view.arn("dr-processed-replica"), view.arn("dr-artifacts-replica")]
    assert grants["ReadSourceReplicationConfig"]["Resource"] == sources
    assert grants["ReadSourceObjectVersions"]["Resource"] == [f"{a}/*" for a in sources]
    assert grants["WriteReplicas"]["Resource"] == [f"{a}/*" for a in replicas]
    assert grants["DecryptSourceObjects"]["Resource"] == [view.arn("keys-data")]
    assert grants["DecryptSourceObjects"]["Condition"]["StringEquals"] == {
        "kms:ViaService": "s3.us-east-1.amazonaws.com"
    }
    assert grants["EncryptReplicas"]["Resource"] == [view.arn("dr-key")]
    assert grants["EncryptReplicas"]["Condition"]["StringEquals"] == {
        "kms:ViaService": "s3.us-west-2.amazonaws.com"
    }
    assert set(grants) == {
        "ReadSourceReplicationConfig",
        "ReadSourceObjectVersions",
        "WriteReplicas",
        "DecryptSourceObjects",
        "EncryptReplicas",
    }


def test_rds_automated_backups_replicate_to_the_dr_region_with_the_dr_key(stack_view: Views) -> None:
    view = stack_view("prod")
    [replication] = view.of_type(BACKUPS)
    [db] = view.of_type("aws:rds/instance:Instance")
    assert replication.inputs["sourceDbInstanceArn"] == db.outputs["arn"]
    assert replication.inputs["kmsKeyId"] == view.arn("dr-key")
    assert replication.inputs["retentionPeriod"] == 30
    assert view.region(replication) == "us-west-2"
    assert view.arn("dr-key").startswith("arn:aws:kms:us-west-2:")
