"""Service and region attribution a finance team can reconcile with the AWS bill: X-Ray traces under X-Ray,
custom metrics (Container Insights) under CloudWatch, resources of another region under that region, and an
inter-region transfer line under the region it leaves (which bills it)."""

from __future__ import annotations

import json

from test_pricing_kit import D, by_name, report, res

from cost.render.jsonfmt import render_json
from cost.render.markdown import render_markdown
from cost.render.summary import by_region, by_service

FUNCTION = "aws:lambda/function:Function"
CLUSTER = "aws:ecs/cluster:Cluster"
BUCKET = "aws:s3/bucket:Bucket"
RDS = "aws:rds/instance:Instance"
REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"


def test_traces_and_custom_metrics_count_under_the_services_that_bill_them():
    # rows xray.traces_recorded $5e-06 per trace; cloudwatch.custom_metric.tier1 $0.30 per metric-month;
    # lambda.x86.request $2e-07, lambda.x86.duration.tier1 $0.0000166667 per GB-s
    usage = (
        "resources: {fn: {monthlyRequests: 1000000, avgDurationMs: 100, monthlyXrayTraces: 1000000},"
        " cluster: {customMetrics: 10}}"
    )
    found = report(res(FUNCTION, "fn", {"memorySize": 128}), res(CLUSTER, "cluster"), usage_yaml=usage)
    fn = next(r for r in found.resources if r.name == "fn")
    assert by_name(fn)["X-Ray traces recorded"].service == "AWS X-Ray"
    services = {g.name: g.monthly_usd for g in by_service(found)}
    assert services["AWS X-Ray"] == D("5")  # 1 M traces x 0.000005
    assert services["Amazon CloudWatch"] == D("3")  # 10 metrics x 0.30 (the ECS cluster's Container Insights)
    # Lambda keeps only its own lines: 1 M x 0.0000002 + 1 M x 0.1 s x 0.125 GB x 0.0000166667
    assert services["AWS Lambda"] == D("0.2") + D("0.208334")
    assert "Amazon ECS" not in services or services["Amazon ECS"] == 0
    assert sum(services.values()) == found.total_monthly_usd


def test_resources_of_the_dr_region_count_under_that_region():
    usage = "resources: {primary: {storageGb: 100}, replica: {storageGb: 100}}"
    found = report(
        res(BUCKET, "primary", region="us-east-1"),
        res(BUCKET, "replica", region="us-west-2"),
        usage_yaml=usage,
    )
    regions = {g.name: g.monthly_usd for g in by_region(found)}
    assert regions == {"us-east-1": D("2.3"), "us-west-2": D("2.3")}  # 100 GB x 0.023 in each region
    text = render_markdown(found)
    assert "### By region" in text and "| us-west-2 | 1 | $2.30 |" in text


def test_inter_region_transfer_counts_under_the_region_that_bills_it():
    # rows us-west-2 rds.backup_storage $0.095/GB-month; us-east-1 data_transfer.inter_region.to_us-west-2
    # $0.02/GB: the DR copy is stored in us-west-2, its transfer is billed in us-east-1 (where data leaves)
    source = res(RDS, "db", {"engine": "postgres", "instanceClass": "db.t3.micro", "allocatedStorage": 20})
    replication = res(REPLICATION, "db-dr", {}, region="us-west-2", refs={"sourceDbInstanceArn": [source]})
    usage = "resources: {db-dr: {backupStorageGb: 100, monthlyDataProcessedGb: 150}}"
    found = report(source, replication, usage_yaml=usage)
    db = next(r for r in found.resources if r.name == "db")
    dr = next(r for r in found.resources if r.name == "db-dr")
    assert dr.region == "us-west-2" and dr.monthly_usd == D("12.5")  # 9.50 storage + 3.00 transfer
    assert by_name(dr)["Cross-region transfer of backups (us-east-1 to us-west-2)"].region == "us-east-1"
    regions = {g.name: g.monthly_usd for g in by_region(found)}
    assert regions == {"us-east-1": db.monthly_usd + D("3"), "us-west-2": D("9.5")}  # 150 GB x 0.02
    assert sum(regions.values()) == found.total_monthly_usd
    doc = json.loads(render_json(found))
    lines = next(r for r in doc["resources"] if r["name"] == "db-dr")["components"]
    assert sorted(c["region"] for c in lines) == ["", "us-east-1"]
