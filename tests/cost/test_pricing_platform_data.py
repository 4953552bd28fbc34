"""Aurora, ElastiCache, OpenSearch, Redshift, EFS, Kinesis, Firehose, MSK, Glue, Athena, API Gateway,
CloudFront, Route 53, WAF and data transfer: figures worked out by hand from the catalog rows each test names
(us-east-1 unless stated)."""

from __future__ import annotations

from test_pricing_kit import D, by_name, cost_of, res

AURORA = "aws:rds/cluster:Cluster"
AURORA_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
CACHE = "aws:elasticache/cluster:Cluster"
CACHE_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
CACHE_SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache"
DOMAIN = "aws:opensearch/domain:Domain"
COLLECTION = "aws:opensearch/serverlessCollection:ServerlessCollection"
REDSHIFT = "aws:redshift/cluster:Cluster"
WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup"
EFS = "aws:efs/fileSystem:FileSystem"
STREAM = "aws:kinesis/stream:Stream"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
MSK = "aws:msk/cluster:Cluster"
MSK_SERVERLESS = "aws:msk/serverlessCluster:ServerlessCluster"
GLUE_JOB = "aws:glue/job:Job"
CRAWLER = "aws:glue/crawler:Crawler"
ATHENA = "aws:athena/workgroup:Workgroup"
REST = "aws:apigateway/restApi:RestApi"
API_V2 = "aws:apigatewayv2/api:Api"
CDN = "aws:cloudfront/distribution:Distribution"
ZONE = "aws:route53/zone:Zone"
ACL = "aws:wafv2/webAcl:WebAcl"
BUCKET = "aws:s3/bucket:Bucket"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"


def test_aurora_provisioned_standard_and_io_optimized():
    # rows rds.aurora_postgresql.db.r6g.large.standard $0.26, .io_optimized $0.338,
    # rds.aurora_postgresql.storage.standard $0.10, rds.aurora.io_requests $2e-07
    cluster = res(AURORA, "aurora", {"engine": "aurora-postgresql"})
    writer = res(
        AURORA_INSTANCE, "w", {"instanceClass": "db.r6g.large"}, refs={"clusterIdentifier": [cluster]}
    )
    assert cost_of(writer, cluster).monthly_usd == D("189.8")  # 730 x 0.26
    storage = cost_of(
        cluster, usage_yaml="resources: {aurora: {storageGb: 200, monthlyIoRequests: 50000000}}"
    )
    assert storage.monthly_usd == D("30")  # 200 x 0.10 + 50 M x 0.0000002
    iopt = res(AURORA, "aurora", {"engine": "aurora-postgresql", "storageType": "aurora-iopt1"})
    writer = res(AURORA_INSTANCE, "w", {"instanceClass": "db.r6g.large"}, refs={"clusterIdentifier": [iopt]})
    assert cost_of(writer, iopt).monthly_usd == D("246.74")  # 730 x 0.338
    assert [c.name for c in cost_of(iopt).components] == [
        "Storage (io-optimized)",
        "Backup storage beyond the cluster's storage",
    ]  # no I/O charge


def test_aurora_serverless_v2_acu_range():
    # row rds.aurora_mysql.serverless_v2.acu_hour $0.12
    scaling = {"minCapacity": 0.5, "maxCapacity": 8}
    cluster = res(AURORA, "sv2", {"engine": "aurora-mysql", "serverlessv2ScalingConfiguration": scaling})
    instance = res(
        AURORA_INSTANCE, "i", {"instanceClass": "db.serverless"}, refs={"clusterIdentifier": [cluster]}
    )
    cost = cost_of(instance, cluster)
    assert (cost.min_usd, cost.monthly_usd, cost.max_usd) == (D("43.8"), D("43.8"), D("700.8"))
    busy = cost_of(instance, cluster, usage_yaml="resources: {i: {averageAcu: 2}}")
    assert busy.monthly_usd == D("175.2")  # 2 ACU x 730 x 0.12


def test_elasticache_clusters_groups_and_serverless():
    # rows elasticache.redis.cache.r7g.large $0.219, elasticache.valkey.cache.t4g.small $0.0256,
    # elasticache.serverless.valkey.gb_hour $0.084, elasticache.serverless.valkey.ecpu $2.3e-09
    group = res(
        CACHE_GROUP, "g", {"nodeType": "cache.r7g.large", "numNodeGroups": 2, "replicasPerNodeGroup": 1}
    )
    assert cost_of(group).monthly_usd == D("639.48")  # 4 nodes x 730 x 0.219
    node = res(CACHE, "c", {"engine": "valkey", "nodeType": "cache.t4g.small", "numCacheNodes": 1})
    assert cost_of(node).monthly_usd == D("18.688")  # 730 x 0.0256
    assert cost_of(res(CACHE, "m", {"replicationGroupId": "g"})).status == "free"
    serverless = cost_of(
        res(CACHE_SERVERLESS, "s", {"engine": "valkey"}),
        usage_yaml="resources: {s: {storageGb: 2, monthlyEcpus: 1000000000}}",
    )
    assert serverless.monthly_usd == D("124.94")  # 2 GB x 730 x 0.084 = 122.64 + 1e9 x 2.3e-9 = 2.30


def test_opensearch_domain_with_masters_and_gp3():
    # rows opensearch.r6g.large.search $0.167, opensearch.m6g.large.search $0.128,
    # opensearch.storage.gp3 $0.122, opensearch.storage.gp3.throughput $0.064
    inputs = {
        "clusterConfig": {
            "instanceType": "r6g.large.search",
            "instanceCount": 3,
            "dedicatedMasterEnabled": True,
            "dedicatedMasterType": "m6g.large.search",
            "dedicatedMasterCount": 3,
        },
        "ebsOptions": {"ebsEnabled": True, "volumeSize": 100, "volumeType": "gp3", "throughput": 250},
    }
    parts = by_name(cost_of(res(DOMAIN, "search", inputs)))
    assert parts["Data nodes (3 x r6g.large.search)"].monthly_usd == D("365.73")  # 3 x 730 x 0.167
    assert parts["Dedicated masters (3 x m6g.large.search)"].monthly_usd == D("280.32")  # 3 x 730 x 0.128
    assert parts["EBS storage (gp3, 3 x 100 GB)"].monthly_usd == D("36.6")  # 300 x 0.122
    assert parts["EBS throughput above 125 MiB/s"].monthly_usd == D("24")  # 3 x 125 x 0.064


def test_opensearch_serverless_bills_the_minimum_ocus_or_the_usage():
    # row opensearch.serverless.ocu_hour $0.24 (us-east-1, grade S: supplements/serverless.json)
    redundant = cost_of(res(COLLECTION, "vectors", {"type": "VECTORSEARCH"}))
    assert redundant.status == "priced"
    assert redundant.monthly_usd == D("350.4")  # (0.5 + 0.5) OCU x 2 (standby replicas) x 730 h x 0.24
    (ocus,) = redundant.components
    assert (ocus.quantity, ocus.unit_price) == (D("1460"), D("0.24"))
    assert "unverified secondary price" in ocus.note
    single = cost_of(res(COLLECTION, "dev", {"type": "SEARCH", "standbyReplicas": "DISABLED"}))
    assert single.monthly_usd == D("175.2")  # 1 OCU x 730 h x 0.24
    busy = cost_of(res(COLLECTION, "logs"), usage_yaml="resources: {logs: {averageOcu: 3}}")
    assert busy.monthly_usd == D("525.6")  # 3 OCU x 730 h x 0.24
    ireland = cost_of(res(COLLECTION, "eu", region="eu-west-1"), region="eu-west-1")
    assert ireland.status == "unpriced" and "opensearch.serverless.ocu_hour" in ireland.reason


def test_redshift_ra3_cluster_and_serverless():
    # rows redshift.node.ra3.xlplus $1.086, redshift.managed_storage $0.024,
    # redshift.serverless.rpu_hour $0.375
    cluster = cost_of(
        res(REDSHIFT, "dw", {"nodeType": "ra3.xlplus", "numberOfNodes": 2}),
        usage_yaml="resources: {dw: {storageGb: 1000}}",
    )
    assert cluster.monthly_usd == D("1609.56")  # 2 x 730 x 1.086 = 1585.56 + 1,000 x 0.024
    serverless = cost_of(
        res(WORKGROUP, "wg", {"baseCapacity": 8}), usage_yaml="resources: {wg: {hoursPerMonth: 100}}"
    )
    assert serverless.monthly_usd == D("300")  # 100 h x 8 RPU x 0.375


def test_efs_classes_and_elastic_throughput():
    # rows efs.standard.storage $0.30, efs.ia.storage.elastic_throughput $0.016, efs.archive.storage $0.008,
    # efs.elastic_throughput.read_gb $0.03, write_gb $0.06
    text = (
        "resources: {fs: {storageGb: 100, infrequentAccessGb: 500, archiveGb: 1000,"
        " monthlyReadGb: 200, monthlyWriteGb: 50}}"
    )
    cost = cost_of(res(EFS, "fs", {"throughputMode": "elastic"}), usage_yaml=text)
    assert cost.monthly_usd == D("55")  # 30 + 8 + 8 + 6 + 3


def test_kinesis_firehose_and_msk():
    # rows kinesis.provisioned.shard_hour $0.015, extended_retention_shard_hour $0.02,
    # kinesis.on_demand.stream_hour $0.04, data_ingested_gb $0.08;
    # firehose.direct_put.ingested_gb.tier1 $0.029;
    # msk.broker.kafka.m7g.large $0.204, msk.storage.gb_month $0.10; msk.serverless.cluster_hour $0.75,
    # partition_hour $0.0015
    provisioned = cost_of(res(STREAM, "s", {"shardCount": 2, "retentionPeriod": 48}))
    assert provisioned.monthly_usd == D("51.1")  # 2 x 730 x 0.015 = 21.90 + 2 x 730 x 0.02 = 29.20
    on_demand = cost_of(
        res(STREAM, "o", {"streamModeDetails": {"streamMode": "ON_DEMAND"}}),
        usage_yaml="resources: {o: {monthlyDataInGb: 100}}",
    )
    assert on_demand.monthly_usd == D("37.2")  # 730 x 0.04 + 100 x 0.08
    firehose = cost_of(res(FIREHOSE, "f", {}), usage_yaml="resources: {f: {monthlyDataInGb: 1000}}")
    assert firehose.monthly_usd == D("29")  # 1,000 GB x 0.029
    broker_group = {"instanceType": "kafka.m7g.large", "storageInfo": {"ebsStorageInfo": {"volumeSize": 500}}}
    msk = cost_of(res(MSK, "k", {"numberOfBrokerNodes": 3, "brokerNodeGroupInfo": broker_group}))
    assert msk.monthly_usd == D("596.76")  # 3 x 730 x 0.204 = 446.76 + 1,500 GB x 0.10
    serverless = cost_of(res(MSK_SERVERLESS, "ks"), usage_yaml="resources: {ks: {partitions: 10}}")
    assert serverless.monthly_usd == D("558.45")  # 730 x 0.75 = 547.50 + 10 x 730 x 0.0015 = 10.95


def test_msk_serverless_storage_in_each_region():
    # rows msk.serverless.storage $0.10 (us-east-1, us-west-2) / $0.115 (eu-west-1) per GB-month
    # (supplements/serverless.json), with cluster_hour $0.75 / $0.8625
    stored = "resources: {ks: {storageGb: 200}}"
    virginia = by_name(cost_of(res(MSK_SERVERLESS, "ks"), usage_yaml=stored))
    assert virginia["Storage"].monthly_usd == D("20")  # 200 GB x 0.10
    oregon = cost_of(res(MSK_SERVERLESS, "ks", region="us-west-2"), usage_yaml=stored, region="us-west-2")
    assert oregon.status == "priced" and oregon.monthly_usd == D("567.5")  # 547.50 + 20
    ireland = cost_of(res(MSK_SERVERLESS, "ks", region="eu-west-1"), usage_yaml=stored, region="eu-west-1")
    assert ireland.monthly_usd == D("652.625")  # 730 x 0.8625 = 629.625 + 200 x 0.115 = 23


def test_glue_job_crawler_and_athena():
    # rows glue.etl_job.dpu_hour $0.44, glue.etl_job_flex.dpu_hour $0.29, glue.crawler.dpu_hour $0.44,
    # athena.sql.tb_scanned $5
    job = res(GLUE_JOB, "etl", {"workerType": "G.2X", "numberOfWorkers": 5})
    runs = "resources: {etl: {monthlyRuns: 30, hoursPerRun: 0.5}}"
    assert cost_of(job, usage_yaml=runs).monthly_usd == D("66")  # 30 x 0.5 h x 10 DPU x 0.44
    flex = res(GLUE_JOB, "etl", {"workerType": "G.2X", "numberOfWorkers": 5, "executionClass": "FLEX"})
    assert cost_of(flex, usage_yaml=runs).monthly_usd == D("43.5")  # 150 DPU-h x 0.29
    assert cost_of(job).status == "usage-dependent"
    crawler = cost_of(res(CRAWLER, "c"), usage_yaml="resources: {c: {monthlyDpuHours: 10}}")
    assert crawler.monthly_usd == D("4.4")
    athena = cost_of(res(ATHENA, "wg"), usage_yaml="resources: {wg: {monthlyTbScanned: 2.5}}")
    assert athena.monthly_usd == D("12.5")


def test_api_gateway_rest_http_websocket():
    # rows apigw.rest.request.tier1 $3.5e-06 (first 333 M), apigw.http.request.tier1 $1e-06,
    # apigw.websocket.message.tier1 $1e-06, apigw.websocket.connection_minute $2.5e-07
    requests = "defaults: {aws:apigateway/restApi:RestApi: {monthlyRequests: 10000000}}"
    assert cost_of(res(REST, "api"), usage_yaml=requests).monthly_usd == D("35")  # 10 M x 3.50 per M
    http = cost_of(
        res(API_V2, "h", {"protocolType": "HTTP"}), usage_yaml="resources: {h: {monthlyRequests: 5e6}}"
    )
    assert http.monthly_usd == D("5")
    socket = cost_of(
        res(API_V2, "w", {"protocolType": "WEBSOCKET"}),
        usage_yaml="resources: {w: {monthlyRequests: 2000000, monthlyConnectionMinutes: 4000000}}",
    )
    assert socket.monthly_usd == D("3")  # 2 M x 1.00 per M + 4 M x 0.25 per M


def test_rest_requests_above_the_first_tier():
    # rows apigw.rest.request.tier1 $3.5e-06 (0-333 M), tier2 $2.8e-06 (333 M-1 B)
    cost = cost_of(res(REST, "api"), usage_yaml="resources: {api: {monthlyRequests: 400000000}}")
    assert cost.monthly_usd == D("1353.1")  # 333 M x 3.50 + 67 M x 2.80 per million


def test_cloudfront_route53_and_waf():
    # rows cloudfront.https_request.united_states $1e-06, cloudfront.data_out_internet.us_mexico_canada.tier1
    # $0.085 (first 10 TB); route53.hosted_zone.month $0.50, route53.standard_query.tier1 $4e-07;
    # wafv2.web_acl.month $5, wafv2.rule.month $1, wafv2.request $6e-07
    cdn = cost_of(
        res(CDN, "cdn"), usage_yaml="resources: {cdn: {monthlyRequests: 10000000, monthlyDataOutGb: 500}}"
    )
    assert cdn.monthly_usd == D("52.5")  # 10 M x 0.000001 + 500 x 0.085
    too_much = cost_of(res(CDN, "cdn"), usage_yaml="resources: {cdn: {monthlyDataOutGb: 20480}}")
    assert too_much.status == "unpriced"  # above 10 TB: no catalog tier, never the first tier's rate
    zone = cost_of(res(ZONE, "zone"), usage_yaml="resources: {zone: {monthlyRequests: 5000000}}")
    assert zone.monthly_usd == D("2.5")  # 0.50 + 5 M x 0.40 per M
    acl = res(ACL, "acl", {"rules": [{"name": "a"}, {"name": "b"}, {"name": "c"}]})
    assert cost_of(acl, usage_yaml="resources: {acl: {monthlyRequests: 10000000}}").monthly_usd == D("14")


def test_s3_replication_transfer_to_the_destination_region():
    # row us-east-1 data_transfer.inter_region.to_us-west-2 $0.02/GB
    replica = res(BUCKET, "replica", region="us-west-2", outputs={"arn": "arn:aws:s3:::replica"})
    config = res(
        REPLICATION,
        "rep",
        {"rules": [{"destination": {"bucket": "arn:aws:s3:::replica"}}]},
        refs={"rules": [replica]},
    )
    cost = cost_of(config, replica, usage_yaml="resources: {rep: {monthlyDataProcessedGb: 300}}")
    assert by_name(cost)["Replicated data transfer (us-east-1 to us-west-2)"].monthly_usd == D("6")


def test_free_resources_are_listed_as_free_not_unpriced():
    for token in (
        "aws:apigateway/integration:Integration",
        "aws:apigatewayv2/stage:Stage",
        "aws:cloudfront/originAccessIdentity:OriginAccessIdentity",
        "aws:glue/catalogDatabase:CatalogDatabase",
        "aws:elasticache/subnetGroup:SubnetGroup",
        "aws:s3/bucketObjectv2:BucketObjectv2",
        "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
        "aws:route53/record:Record",
        "aws:ec2/launchTemplate:LaunchTemplate",
    ):
        assert cost_of(res(token, "x")).status == "free", token


def test_cross_az_transfer_by_usage_on_any_resource():
    # row data_transfer.intra_region.cross_az $0.01/GB in each direction
    cost = cost_of(res(ACL, "acl"), usage_yaml="resources: {acl: {monthlyCrossAzGb: 100}}")
    part = by_name(cost)["Cross-AZ data transfer (both directions)"]
    assert (part.quantity, part.monthly_usd) == (D(200), D("2"))  # 100 GB out of one AZ and into another
