"""RDS PostgreSQL and the DynamoDB tables of each stack."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from stackview import STACKS, StackView, dev_variant

pytestmark = pytest.mark.slow

RDS = "aws:rds/instance:Instance"
TABLE = "aws:dynamodb/table:Table"

# stack -> (instance class, Multi-AZ, deletion protection, backup days, final snapshot, max storage)
EXPECTED = {
    "dev": ("db.t4g.micro", False, False, 7, False, 50),
    "staging": ("db.t4g.medium", False, False, 14, True, 100),
    "prod": ("db.m6g.large", True, True, 30, True, 500),
}

Views = Callable[[str], StackView]


@pytest.mark.parametrize("stack", STACKS)
def test_postgres_is_private_encrypted_and_sized_per_stack(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    [db] = view.of_type(RDS)
    instance_class, multi_az, protection, backups, final_snapshot, max_storage = EXPECTED[stack]
    data_key = view.arn("keys-data")
    inputs = db.inputs
    assert inputs["engine"] == "postgres"
    assert inputs["engineVersion"] == "16.4"
    assert inputs["instanceClass"] == instance_class
    assert inputs["publiclyAccessible"] is False
    assert inputs["storageEncrypted"] is True
    assert inputs["kmsKeyId"] == data_key
    assert inputs["storageType"] == "gp3"
    assert inputs["maxAllocatedStorage"] == max_storage
    assert inputs["multiAz"] is multi_az
    assert inputs["deletionProtection"] is protection
    assert inputs["backupRetentionPeriod"] == backups
    assert inputs["skipFinalSnapshot"] is not final_snapshot
    assert inputs.get("finalSnapshotIdentifier") == (
        f"data-ai-platform-{stack}-metadata-final" if final_snapshot else None
    )
    assert inputs["copyTagsToSnapshot"] is True
    assert inputs["iamDatabaseAuthenticationEnabled"] is True
    assert inputs["performanceInsightsEnabled"] is True
    assert inputs["performanceInsightsKmsKeyId"] == data_key
    assert inputs["vpcSecurityGroupIds"] == [view.ident("network-database-sg")]


@pytest.mark.parametrize("stack", STACKS)
def test_master_password_is_managed_by_rds_and_never_in_the_program(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    [db] = view.of_type(RDS)
    assert db.inputs["manageMasterUserPassword"] is True
    assert db.inputs["masterUserSecretKmsKeyId"] == view.arn("keys-data")
    assert not {"password", "passwordWo"} & set(db.inputs)
    secret_arn = db.outputs["masterUserSecrets"][0]["secretArn"]
    assert view.inventory.outputs["db_secret_arn"] == secret_arn
    assert view.inventory.outputs["db_endpoint"] == db.outputs["endpoint"]


@pytest.mark.parametrize("stack", STACKS)
def test_postgres_sits_in_isolated_subnets_and_forces_tls(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    [db] = view.of_type(RDS)
    subnet_group = view.named("databases-subnets")
    assert db.inputs["dbSubnetGroupName"] == subnet_group.outputs["name"]
    azs = 3 if stack == "prod" else 2
    assert subnet_group.inputs["subnetIds"] == [view.ident(f"network-isolated-{i}") for i in range(azs)]
    params = view.named("databases-postgres-params")
    assert db.inputs["parameterGroupName"] == params.outputs["name"]
    assert params.inputs["family"] == "postgres16"
    assert params.inputs["parameters"] == [
        {"name": "rds.force_ssl", "value": "1", "applyMethod": "immediate"}
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_postgres_log_groups_exist_encrypted_before_the_instance_exports_to_them(
    stack: str, stack_view: Views
) -> None:
    view = stack_view(stack)
    [db] = view.of_type(RDS)
    assert db.inputs["enabledCloudwatchLogsExports"] == ["postgresql", "upgrade"]
    for export in ("postgresql", "upgrade"):
        group = view.named(f"databases-postgres-{export}-logs")
        assert group.inputs["name"] == f"/aws/rds/instance/data-ai-platform-{stack}-metadata/{export}"
        assert group.inputs["kmsKeyId"] == view.arn("keys-logs")
        assert group.urn in db.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_sessions_table_has_the_seed_keys_ttl_and_user_index(stack: str, stack_view: Views) -> None:
    table = stack_view(stack).named("databases-sessions").inputs
    assert table["hashKey"] == "session_id"
    assert {a["name"]: a["type"] for a in table["attributes"]} == {"session_id": "S", "user_id": "S"}
    assert table["ttl"] == {"attributeName": "ttl", "enabled": True}
    assert table["globalSecondaryIndexes"] == [
        {
            "name": "user_id-index",
            "keySchemas": [{"attributeName": "user_id", "keyType": "HASH"}],
            "projectionType": "ALL",
        }
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_tables_are_kms_encrypted_on_demand_with_pitr(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    tables = {t.name: t.inputs for t in view.of_type(TABLE)}
    assert {"databases-sessions", "databases-documents"} <= set(tables)
    assert tables["databases-documents"]["hashKey"] == "document_id"
    for name in ("databases-sessions", "databases-documents"):
        inputs = tables[name]
        assert inputs["serverSideEncryption"] == {"enabled": True, "kmsKeyArn": view.arn("keys-data")}
        assert inputs["pointInTimeRecovery"] == {"enabled": True}
        assert inputs["billingMode"] == "PAY_PER_REQUEST"
        assert "readCapacity" not in inputs
        assert inputs["deletionProtectionEnabled"] is (stack == "prod")


def test_provisioned_billing_sets_table_and_index_capacity() -> None:
    table = StackView(dev_variant()).named("databases-sessions").inputs
    assert (table["billingMode"], table["readCapacity"], table["writeCapacity"]) == ("PROVISIONED", 3, 2)
    [index] = table["globalSecondaryIndexes"]
    assert (index["readCapacity"], index["writeCapacity"]) == (3, 2)
