"""RDS, DynamoDB and S3 (including the lifecycle's transitions over time): figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal

from test_pricing_kit import D, by_name, cost_of, price, res

from cost.pricing.s3 import DAYS_PER_MONTH, Lifecycle, class_gb

RDS = "aws:rds/instance:Instance"
REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"
TABLE = "aws:dynamodb/table:Table"
TARGET = "aws:appautoscaling/target:Target"
BUCKET = "aws:s3/bucket:Bucket"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"

PROD_DB = {
    "engine": "postgres",
    "instanceClass": "db.m6g.large",
    "multiAz": True,
    "storageType": "gp3",
    "allocatedStorage": 100,
    "maxAllocatedStorage": 500,
    "manageMasterUserPassword": True,
    "performanceInsightsEnabled": True,
    "performanceInsightsRetentionPeriod": 7,
}


def test_rds_multi_az_instance_storage_and_managed_secret():
    assert price("rds.postgresql.db.m6g.large.multi_az") == D("0.318")
    cost = cost_of(res(RDS, "postgres", PROD_DB))
    parts = by_name(cost)
    assert parts["Database instance (db.m6g.large, Multi-AZ)"].monthly_usd == D("232.14")  # 730 h x 0.318
    assert parts["Storage (gp3)"].monthly_usd == D("23")  # 100 GB x 0.23 (Multi-AZ)
    assert parts["Master password secret (managed by RDS)"].monthly_usd == D("0.4")
    assert cost.monthly_usd == D("255.54")
    assert cost.max_usd == D("347.54")  # storage autoscaled to 500 GB: + 400 x 0.23 = 92
    assert cost.status == "priced"


def test_rds_single_az_and_backup_beyond_the_free_allowance():
    db = {**PROD_DB, "multiAz": False, "manageMasterUserPassword": False}
    cost = cost_of(res(RDS, "db", db), usage_yaml="resources: {db: {backupStorageGb: 150}}")
    parts = by_name(cost)
    assert parts["Database instance (db.m6g.large, Single-AZ)"].monthly_usd == D("116.07")  # 730 x 0.159
    assert parts["Storage (gp3)"].monthly_usd == D("11.5")  # 100 x 0.115
    backup = parts["Backup storage beyond the free allowance"]
    assert (backup.quantity, backup.monthly_usd) == (D(50), D("4.75"))  # (150 - 100 GB free) x 0.095


def test_rds_gp3_iops_above_the_baseline():
    db = {**PROD_DB, "multiAz": False, "allocatedStorage": 500, "iops": 15000, "storageThroughput": 600}
    parts = by_name(cost_of(res(RDS, "db", db)))
    assert parts["Provisioned IOPS above 12000"].monthly_usd == D("60")  # 3,000 x 0.02 (>= 400 GB baseline)
    assert parts["Throughput above 500 MiB/s"].monthly_usd == D("8")  # 100 MBps x 0.08


def test_rds_class_missing_from_the_catalog_is_unpriced():
    cost = cost_of(res(RDS, "db", {**PROD_DB, "instanceClass": "db.x2g.large", "multiAz": False}))
    assert cost.status == "unpriced"
    assert "no price 'rds.postgresql.db.x2g.large.single_az' for us-east-1" in cost.reason
    assert cost.monthly_usd == D("11.9")  # the known parts: storage 100 x 0.115 + secret 0.40


def test_rds_mysql_mariadb_and_t4g_micro():
    # rows rds.mysql.db.t4g.micro.single_az $0.016, rds.mariadb.db.m5.large.multi_az $0.342,
    # rds.postgresql.db.t4g.micro.single_az $0.016 (us-east-1)
    mysql = {**PROD_DB, "engine": "mysql", "instanceClass": "db.t4g.micro", "multiAz": False}
    parts = by_name(cost_of(res(RDS, "db", mysql)))
    assert parts["Database instance (db.t4g.micro, Single-AZ)"].monthly_usd == D("11.68")  # 730 x 0.016
    maria = {**PROD_DB, "engine": "mariadb", "instanceClass": "db.m5.large"}
    parts = by_name(cost_of(res(RDS, "db", maria)))
    assert parts["Database instance (db.m5.large, Multi-AZ)"].monthly_usd == D("249.66")  # 730 x 0.342
    pg = {**PROD_DB, "instanceClass": "db.t4g.micro", "multiAz": False}
    assert cost_of(res(RDS, "db", pg)).status == "priced"


def test_rds_long_performance_insights_retention_is_not_guessed():
    cost = cost_of(res(RDS, "db", {**PROD_DB, "performanceInsightsRetentionPeriod": 731}))
    assert cost.status == "unpriced"
    assert cost.reason.startswith("Performance Insights retention of 731 days is not priced")


def test_cross_region_backup_replication_without_its_source_has_no_transfer_price():
    replication = res(REPLICATION, "db-dr", {}, region="us-west-2")
    cost = cost_of(replication, usage_yaml="resources: {db-dr: {backupStorageGb: 100}}")
    parts = by_name(cost)
    assert parts["Replicated backup storage"].monthly_usd == D("9.5")  # 100 GB x 0.095 in us-west-2
    transfer = parts["Cross-region transfer of backups"]
    assert transfer.quantity is None and transfer.unit_price is None and "price missing" in transfer.note
    assert cost.status == "priced"  # no transfer usage given: that part is 0 with or without a price


def test_cross_region_backup_transfer_is_billed_in_the_source_region():
    # row us-east-1 data_transfer.inter_region.to_us-west-2 $0.02/GB
    source = res(RDS, "db", PROD_DB, region="us-east-1")
    replication = res(REPLICATION, "db-dr", {}, region="us-west-2", refs={"sourceDbInstanceArn": [source]})
    yaml_text = "resources: {db-dr: {backupStorageGb: 100, monthlyDataProcessedGb: 150}}"
    cost = cost_of(replication, source, usage_yaml=yaml_text)
    transfer = by_name(cost)["Cross-region transfer of backups (us-east-1 to us-west-2)"]
    assert transfer.price_id == "data_transfer.inter_region.to_us-west-2"
    assert transfer.monthly_usd == D("3")  # 150 GB x 0.02
    assert cost.monthly_usd == D("12.5") and cost.status == "priced"  # 9.50 storage + 3.00 transfer
    alone = res(REPLICATION, "db-dr", {}, region="us-west-2")
    with_transfer = cost_of(alone, usage_yaml=yaml_text)  # the source instance is not in the inventory
    assert with_transfer.status == "unpriced"
    assert (
        "Cross-region transfer of backups: inter-region transfer: an end's region is unknown; price "
        "missing: no price 'data_transfer.inter_region'" in with_transfer.reason
    )


def test_usage_dependent_resource_whose_price_is_missing_is_unpriced():
    cost = cost_of(res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replication"))
    assert cost.status == "unpriced"
    assert cost.reason.startswith("Replicated data transfer: inter-region transfer: an end's region is")
    assert cost.reason.endswith("(`cost refresh` does not cover it)")


def test_dynamodb_on_demand_storage_and_pitr():
    table = res(
        TABLE, "sessions", {"billingMode": "PAY_PER_REQUEST", "pointInTimeRecovery": {"enabled": True}}
    )
    usage = (
        "resources: {sessions: {monthlyWriteRequestUnits: 10000000, monthlyReadRequestUnits: 50000000, "
        "storageGb: 20}}"
    )
    parts = by_name(cost_of(table, usage_yaml=usage))
    assert parts["Write request units (on-demand)"].monthly_usd == D("6.25")  # 10M x 0.000000625
    assert parts["Read request units (on-demand)"].monthly_usd == D("6.25")  # 50M x 0.000000125
    assert parts["Data storage"].monthly_usd == D("5")  # 20 GB x 0.25
    assert parts["Point-in-time recovery backups"].monthly_usd == D("4")  # 20 GB x 0.20


def test_dynamodb_on_demand_without_usage_is_usage_dependent():
    cost = cost_of(res(TABLE, "t", {"billingMode": "PAY_PER_REQUEST"}))
    assert cost.status == "usage-dependent" and cost.monthly_usd == 0


def test_dynamodb_provisioned_capacity_with_autoscaling_range():
    table = res(TABLE, "t", {"billingMode": "PROVISIONED", "readCapacity": 5, "writeCapacity": 5})
    write_scaling = res(
        TARGET,
        "t-write",
        {
            "resourceId": "table/t",
            "scalableDimension": "dynamodb:table:WriteCapacityUnits",
            "minCapacity": 5,
            "maxCapacity": 50,
        },
        refs={"resourceId": [table]},
    )
    cost = cost_of(table, write_scaling)
    parts = by_name(cost)
    assert parts["Write capacity (table)"].monthly_usd == D("2.3725")  # 5 WCU x 730 x 0.00065
    assert parts["Read capacity (table)"].monthly_usd == D("0.4745")  # 5 RCU x 730 x 0.00013
    assert cost.monthly_usd == D("2.847")
    assert cost.max_usd == D("24.1995")  # 50 WCU x 730 x 0.00065 = 23.725, + 0.4745


# --- S3 -----------------------------------------------------------------------------------------------------

LAKE_RULE = {
    "id": "tiering",
    "status": "Enabled",
    "transitions": [
        {"days": 30, "storageClass": "STANDARD_IA"},
        {"days": 90, "storageClass": "GLACIER"},
        {"days": 365, "storageClass": "DEEP_ARCHIVE"},
    ],
}


def _lake(rule: dict | None = None) -> list:
    bucket = res(BUCKET, "raw", {"bucket": "raw"})
    lifecycle = res(
        LIFECYCLE, "raw-lifecycle", {"bucket": "raw", "rules": [rule or LAKE_RULE]}, refs={"bucket": [bucket]}
    )
    return [bucket, lifecycle]


def test_lifecycle_month_12_average_per_class():
    lifecycle = Lifecycle(((30, "STANDARD_IA"), (90, "GLACIER"), (365, "DEEP_ARCHIVE")), None, "r")
    gb = class_gb(lifecycle, D(100), 12)
    rate = D(100) / DAYS_PER_MONTH  # GB arriving per day
    # month 12 spans days 334.58..365: STANDARD always holds the last 30 days, IA days 30-90 (60 days),
    # GLACIER the data aged 90 days..t (on average (334.58 + 365) / 2 - 90 = 259.79 days); nothing is 365
    # days old yet.
    assert abs(gb["STANDARD"] - rate * 30) < D("1e-20")
    assert abs(gb["STANDARD_IA"] - rate * 60) < D("1e-20")
    mid = DAYS_PER_MONTH * D("11.5")
    assert abs(gb["GLACIER"] - rate * (mid - 90)) < D("1e-18")
    assert gb["DEEP_ARCHIVE"] == 0
    assert abs(sum(gb.values()) - D(100) * D("11.5")) < D("1e-18")  # 11.5 months of data on average


def test_lifecycle_month_24_reaches_deep_archive():
    lifecycle = Lifecycle(((30, "STANDARD_IA"), (90, "GLACIER"), (365, "DEEP_ARCHIVE")), None, "r")
    gb = class_gb(lifecycle, D(100), 24)
    rate = D(100) / DAYS_PER_MONTH
    assert abs(gb["GLACIER"] - rate * 275) < D("1e-18")  # days 90-365 are all filled
    assert abs(gb["DEEP_ARCHIVE"] - rate * (DAYS_PER_MONTH * D("23.5") - 365)) < D("1e-18")


def test_expiration_caps_the_data_kept():
    lifecycle = Lifecycle(((30, "STANDARD_IA"),), 60, "r")
    gb = class_gb(lifecycle, D(100), 12)
    rate = D(100) / DAYS_PER_MONTH
    assert abs(gb["STANDARD"] - rate * 30) < D("1e-20") and abs(gb["STANDARD_IA"] - rate * 30) < D("1e-20")


def test_bucket_storage_follows_the_lifecycle_rule():
    usage = "resources: {raw: {monthlyNewGb: 100, monthlyNewObjects: 10000}}"
    cost = cost_of(*_lake(), usage_yaml=usage)
    parts = by_name(cost)
    standard, ia, glacier = (
        parts["Storage (STANDARD)"],
        parts["Storage (STANDARD_IA)"],
        parts["Storage (GLACIER)"],
    )
    # 100 GB/month / 30.4167 days: STANDARD 98.630137 GB x 0.023, IA 197.260274 GB x 0.0125,
    # GLACIER (on average 259.791667 days of data) 854.109589 GB x 0.0036
    assert (standard.quantity, standard.monthly_usd) == (D("98.630137"), D("2.268493"))
    assert (ia.quantity, ia.monthly_usd) == (D("197.260274"), D("2.465753"))
    assert (glacier.quantity, glacier.monthly_usd) == (D("854.109589"), D("3.074795"))
    assert "Storage (DEEP_ARCHIVE)" not in parts  # day 365 is not reached in month 12
    assert parts["Lifecycle transitions to STANDARD_IA (day 30)"].monthly_usd == D("0.1")  # 10,000 x 0.00001
    assert parts["Lifecycle transitions to GLACIER (day 90)"].monthly_usd == D("0.3")  # 10,000 x 0.00003
    assert "Lifecycle transitions to DEEP_ARCHIVE (day 365)" not in parts
    assert standard.note.startswith("month 12 of 100 GB/month through lifecycle rule tiering")


def test_bucket_storage_by_class_from_usage():
    usage = "resources: {raw: {storageGbByClass: {STANDARD: 1000, DEEP_ARCHIVE: 10000}}}"
    parts = by_name(cost_of(*_lake(), usage_yaml=usage))
    assert parts["Storage (STANDARD)"].monthly_usd == D("23")  # 1,000 GB x 0.023
    assert parts["Storage (DEEP_ARCHIVE)"].monthly_usd == D("9.9")  # 10,000 GB x 0.00099


def test_standard_storage_tiers_beyond_50_tb():
    usage = "resources: {raw: {storageGb: 60000}}"
    parts = by_name(cost_of(res(BUCKET, "raw"), usage_yaml=usage))
    # first 50 TB = 51,200 GB x 0.023 = 1177.60; next 8,800 GB x 0.022 = 193.60
    assert parts["Storage (STANDARD) (tier 1)"].monthly_usd == D("1177.6")
    assert parts["Storage (STANDARD) (tier 2)"].monthly_usd == D("193.6")


def test_bucket_requests_and_filtered_rule_note():
    rule = {**LAKE_RULE, "filter": {"prefix": "logs/"}}
    usage = "resources: {raw: {monthlyNewGb: 10, monthlyPutRequests: 1000000, monthlyGetRequests: 10000000}}"
    parts = by_name(cost_of(*_lake(rule), usage_yaml=usage))
    assert parts["PUT, COPY, POST, LIST requests"].monthly_usd == D("5")  # 1M x 0.000005
    assert parts["GET, SELECT and other requests"].monthly_usd == D("4")  # 10M x 0.0000004
    assert (
        "rule tiering has a filter; it is applied to all of the bucket's data"
        in parts["Storage (STANDARD)"].note
    )


def test_bucket_without_usage_is_usage_dependent_and_config_resources_are_free():
    costs = {c.type: c for c in [cost_of(*_lake()), cost_of(*reversed(_lake()))]}
    assert costs[BUCKET].status == "usage-dependent" and costs[BUCKET].monthly_usd == 0
    assert costs[LIFECYCLE].status == "free"
    assert (
        costs[LIFECYCLE].reason
        == "bucket configuration is free; storage and requests are priced on the bucket"
    )


def test_days_per_month_is_a_twelfth_of_a_year():
    assert Decimal(365) == DAYS_PER_MONTH * 12
