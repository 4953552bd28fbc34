"""Twins for the platform rules: for every type, one resource hardened and one left weak, under names that do
not say which is which (tests/policies/rules/test_platform_program.py holds the expected verdicts)."""

import base64
import json

import pulumi_aws as aws

key = aws.kms.Key("key", enable_key_rotation=True, description="Fixture key of the platform twins")
logs = aws.cloudwatch.LogGroup("logs", kms_key_id=key.arn, retention_in_days=365)
CMK = key.arn

# --- vector stores ---
HARD_DOMAIN = dict(
    encrypt_at_rest={"enabled": True, "kms_key_id": CMK},
    node_to_node_encryption={"enabled": True},
    domain_endpoint_options={"enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-2-PFS-2023-10"},
    vpc_options={"subnet_ids": ["subnet-1", "subnet-2", "subnet-3"], "security_group_ids": ["sg-search"]},
    advanced_security_options={
        "enabled": True,
        "master_user_options": {"master_user_arn": "arn:aws:iam::1:role/x"},
    },
    log_publishing_options=[
        {"log_type": kind, "cloudwatch_log_group_arn": logs.arn}
        for kind in ("AUDIT_LOGS", "ES_APPLICATION_LOGS", "SEARCH_SLOW_LOGS")
    ],
    cluster_config={
        "instance_count": 3,
        "dedicated_master_enabled": True,
        "dedicated_master_count": 3,
        "zone_awareness_enabled": True,
        "zone_awareness_config": {"availability_zone_count": 3},
    },
)
aws.opensearch.Domain("search-a", engine_version="OpenSearch_2.17")
aws.opensearch.Domain("search-b", engine_version="OpenSearch_2.17", **HARD_DOMAIN)
aws.elasticsearch.Domain("legacy-a", elasticsearch_version="7.10", **HARD_DOMAIN)
aws.elasticsearch.Domain("legacy-b", elasticsearch_version="7.10")

RULES = [{"ResourceType": "collection", "Resource": ["collection/rag-*"]}]
aws.opensearch.ServerlessSecurityPolicy(
    "aoss-enc-a", type="encryption", policy=json.dumps({"Rules": RULES, "AWSOwnedKey": True})
)
aws.opensearch.ServerlessSecurityPolicy(
    "aoss-enc-b",
    type="encryption",
    policy=json.dumps(
        {
            "Rules": [{"ResourceType": "collection", "Resource": ["collection/kb-*"]}],
            "AWSOwnedKey": False,
            "KmsARN": "arn:aws:kms:eu-west-1:1:key/k",
        }
    ),
)
aws.opensearch.ServerlessSecurityPolicy(
    "aoss-net-a",
    type="network",
    policy=json.dumps([{"Rules": RULES, "AllowFromPublic": False, "SourceVPCEs": ["vpce-1"]}]),
)
aws.opensearch.ServerlessSecurityPolicy(
    "aoss-net-b", type="network", policy=json.dumps([{"Rules": RULES, "AllowFromPublic": True}])
)
INDEX_RULES = [{"ResourceType": "index", "Resource": ["index/rag-*/*"], "Permission": ["aoss:ReadDocument"]}]
aws.opensearch.ServerlessAccessPolicy(
    "aoss-data-a",
    type="data",
    policy=json.dumps([{"Rules": INDEX_RULES, "Principal": ["arn:aws:iam::1:role/rag"]}]),
)
aws.opensearch.ServerlessAccessPolicy(
    "aoss-data-b", type="data", policy=json.dumps([{"Rules": INDEX_RULES, "Principal": ["*"]}])
)
aws.opensearch.ServerlessCollection("collection-a", name="rag-docs", type="VECTORSEARCH")
aws.opensearch.ServerlessCollection("collection-b", name="kb-docs", type="VECTORSEARCH")

vectors_a = aws.s3.VectorsVectorBucket("vectors-a", vector_bucket_name="vectors-a")
vectors_b = aws.s3.VectorsVectorBucket(
    "vectors-b",
    vector_bucket_name="vectors-b",
    encryption_configurations=[{"sse_type": "aws:kms", "kms_key_arn": CMK}],
)
INDEX = dict(data_type="float32", dimension=1024, distance_metric="cosine")
aws.s3.VectorsIndex(
    "index-a",
    index_name="a",
    vector_bucket_name="vectors-b",
    encryption_configurations=[{"sse_type": "aws:kms", "kms_key_arn": CMK}],
    **INDEX,
)
aws.s3.VectorsIndex(
    "index-b",
    index_name="b",
    vector_bucket_name="vectors-b",
    encryption_configurations=[{"sse_type": "AES256"}],
    **INDEX,
)


def _vector_policy(principal: object) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": ["s3vectors:QueryVectors"],
        "Resource": "*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


aws.s3.VectorsVectorBucketPolicy(
    "vectors-policy-a", vector_bucket_arn=vectors_a.vector_bucket_arn, policy=_vector_policy("*")
)
aws.s3.VectorsVectorBucketPolicy(
    "vectors-policy-b",
    vector_bucket_arn=vectors_b.vector_bucket_arn,
    policy=_vector_policy({"AWS": "arn:aws:iam::1:role/rag"}),
)

# --- containers ---
aws.eks.Cluster(
    "k8s-a", role_arn="arn:aws:iam::1:role/eks", version="1.27", vpc_config={"subnet_ids": ["subnet-1"]}
)
aws.eks.Cluster(
    "k8s-b",
    role_arn="arn:aws:iam::1:role/eks",
    version="1.33",
    vpc_config={"subnet_ids": ["subnet-1"], "endpoint_private_access": True, "endpoint_public_access": False},
    encryption_config={"resources": ["secrets"], "provider": {"key_arn": CMK}},
    enabled_cluster_log_types=["api", "audit", "authenticator", "controllerManager", "scheduler"],
)
NODES = dict(
    cluster_name="k8s",
    node_role_arn="arn:aws:iam::1:role/node",
    subnet_ids=["subnet-1"],
    scaling_config={"desired_size": 1, "max_size": 1, "min_size": 1},
)
aws.eks.NodeGroup(
    "nodes-a", remote_access={"ec2_ssh_key": "ops", "source_security_group_ids": ["sg-bastion"]}, **NODES
)
aws.eks.NodeGroup("nodes-b", remote_access={"ec2_ssh_key": "ops"}, **NODES)

# --- caches and file systems ---
aws.elasticache.ReplicationGroup("cache-a", description="cache", node_type="cache.t4g.small")
aws.elasticache.ReplicationGroup(
    "cache-b",
    description="cache",
    node_type="cache.t4g.small",
    num_cache_clusters=2,
    at_rest_encryption_enabled=True,
    transit_encryption_enabled=True,
    kms_key_id=CMK,
    user_group_ids=["rbac"],
    automatic_failover_enabled=True,
    multi_az_enabled=True,
    snapshot_retention_limit=7,
)
aws.elasticache.ServerlessCache(
    "serverless-cache-a", engine="valkey", kms_key_id=CMK, user_group_id="rbac", snapshot_retention_limit=7
)
aws.elasticache.ServerlessCache("serverless-cache-b", engine="valkey")
aws.elasticache.Cluster("memcache-a", engine="memcached", node_type="cache.t4g.small", num_cache_nodes=1)
aws.elasticache.Cluster(
    "memcache-b",
    engine="memcached",
    node_type="cache.t4g.small",
    num_cache_nodes=1,
    subnet_group_name="private",
)

files_a = aws.efs.FileSystem("files-a", encrypted=True, kms_key_id=CMK)
aws.efs.FileSystem("files-b", availability_zone_name="eu-west-1a")
aws.efs.FileSystemPolicy(
    "files-a-policy",
    file_system_id=files_a.id,
    policy=json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ]
        }
    ),
)
aws.efs.BackupPolicy("files-a-backup", file_system_id=files_a.id, backup_policy={"status": "ENABLED"})
aws.efs.AccessPoint("entry-a", file_system_id=files_a.id)
aws.efs.AccessPoint(
    "entry-b",
    file_system_id=files_a.id,
    posix_user={"uid": 1000, "gid": 1000},
    root_directory={"path": "/app"},
)

# --- warehouse and streaming ---
tls_group = aws.redshift.ParameterGroup(
    "warehouse-params", family="redshift-1.0", parameters=[{"name": "require_ssl", "value": "true"}]
)
aws.redshift.Cluster(
    "warehouse-a",
    cluster_identifier="warehouse-a",
    node_type="ra3.xlplus",
    manage_master_password=True,
    master_username="awsuser",
)
warehouse_b = aws.redshift.Cluster(
    "warehouse-b",
    cluster_identifier="warehouse-b",
    node_type="ra3.xlplus",
    manage_master_password=True,
    master_username="wh_admin",
    database_name="warehouse",
    kms_key_id=CMK,
    enhanced_vpc_routing=True,
    cluster_subnet_group_name="private",
    cluster_parameter_group_name=tls_group.name,
    automated_snapshot_retention_period=7,
    publicly_accessible=False,
)
aws.redshift.Logging(
    "warehouse-b-audit",
    cluster_identifier=warehouse_b.cluster_identifier,
    log_destination_type="cloudwatch",
    log_exports=["connectionlog", "useractivitylog", "userlog"],
)
aws.redshiftserverless.Namespace("lakehouse-a", namespace_name="lakehouse-a")
aws.redshiftserverless.Namespace(
    "lakehouse-b",
    namespace_name="lakehouse-b",
    kms_key_id=CMK,
    db_name="warehouse",
    admin_username="wh_admin",
    manage_admin_password=True,
    log_exports=["connectionlog", "useractivitylog", "userlog"],
)
aws.redshiftserverless.Workgroup(
    "queries-a",
    namespace_name="lakehouse-b",
    workgroup_name="queries-a",
    enhanced_vpc_routing=True,
    publicly_accessible=False,
)
aws.redshiftserverless.Workgroup(
    "queries-b", namespace_name="lakehouse-b", workgroup_name="queries-b", publicly_accessible=True
)

BROKERS = {
    "instance_type": "kafka.m7g.large",
    "client_subnets": ["subnet-1", "subnet-2"],
    "security_groups": ["sg-kafka"],
}
aws.msk.Cluster("stream-a", kafka_version="3.6.0", number_of_broker_nodes=2, broker_node_group_info=BROKERS)
aws.msk.Cluster(
    "stream-b",
    kafka_version="3.6.0",
    number_of_broker_nodes=2,
    broker_node_group_info=BROKERS,
    encryption_info={
        "encryption_at_rest_kms_key_arn": CMK,
        "encryption_in_transit": {"client_broker": "TLS", "in_cluster": True},
    },
    client_authentication={"sasl": {"iam": True}, "unauthenticated": False},
    logging_info={"broker_logs": {"cloudwatch_logs": {"enabled": True, "log_group": logs.name}}},
)
aws.msk.ServerlessCluster(
    "stream-serverless-a",
    vpc_configs=[{"subnet_ids": ["subnet-1"]}],
    client_authentication={"sasl": {"iam": {"enabled": True}}},
)
aws.msk.ServerlessCluster(
    "stream-serverless-b",
    vpc_configs=[{"subnet_ids": ["subnet-1"]}],
    client_authentication={"sasl": {"iam": {"enabled": False}}},
)

S3_DEST = {"role_arn": "arn:aws:iam::1:role/firehose", "bucket_arn": "arn:aws:s3:::lake"}
aws.kinesis.FirehoseDeliveryStream("delivery-a", destination="extended_s3", extended_s3_configuration=S3_DEST)
aws.kinesis.FirehoseDeliveryStream(
    "delivery-b",
    destination="extended_s3",
    extended_s3_configuration=S3_DEST,
    server_side_encryption={"enabled": True, "key_type": "CUSTOMER_MANAGED_CMK", "key_arn": CMK},
)
aws.glue.DataCatalogEncryptionSettings(
    "catalog-a",
    data_catalog_encryption_settings={
        "encryption_at_rest": {"catalog_encryption_mode": "SSE-KMS", "sse_aws_kms_key_id": CMK},
        "connection_password_encryption": {
            "return_connection_password_encrypted": True,
            "aws_kms_key_id": CMK,
        },
    },
)
aws.glue.DataCatalogEncryptionSettings(
    "catalog-b",
    data_catalog_encryption_settings={
        "encryption_at_rest": {"catalog_encryption_mode": "DISABLED"},
        "connection_password_encryption": {"return_connection_password_encrypted": False},
    },
)
aws.glue.DevEndpoint("notebook-endpoint-a", role_arn="arn:aws:iam::1:role/glue")
aws.glue.DevEndpoint(
    "notebook-endpoint-b", role_arn="arn:aws:iam::1:role/glue", security_configuration="lake-kms"
)
aws.athena.Database(
    "db-a",
    name="db_a",
    bucket="results",
    comment="Curated tables of the lake",
    encryption_configuration={"encryption_option": "SSE_KMS", "kms_key": CMK},
)
aws.athena.Database("db-b", name="db_b", bucket="results")
aws.athena.DataCatalog(
    "sources-a", name="sources-a", type="GLUE", description="", parameters={"catalog-id": "123456789012"}
)
aws.athena.DataCatalog(
    "sources-b",
    name="sources-b",
    type="GLUE",
    description="Glue catalog of the partner account",
    parameters={"catalog-id": "123456789012"},
)
aws.athena.NamedQuery("report-a", database="db_a", query="SELECT 1", description="Daily volume report")
aws.athena.NamedQuery("report-b", database="db_a", query="SELECT 1")

# --- console sign-in of IAM users ---
aws.iam.AccountPasswordPolicy("passwords-a", minimum_password_length=10)
aws.iam.AccountPasswordPolicy(
    "passwords-b", minimum_password_length=16, password_reuse_prevention=24, require_symbols=True
)

# --- the edge ---
api = aws.apigateway.RestApi("api", name="api", endpoint_configuration={"types": "PRIVATE"})
aws.apigateway.RestApi("api-b", name="api-b")
ACCESS_LOGS = {"destination_arn": logs.arn, "format": json.dumps({"requestId": "$context.requestId"})}
stage_a = aws.apigateway.Stage(
    "stage-a",
    rest_api=api.id,
    deployment="dep-1",
    stage_name="a",
    access_log_settings=ACCESS_LOGS,
    xray_tracing_enabled=True,
    cache_cluster_enabled=True,
    client_certificate_id="cert-1",
)
aws.apigateway.Stage("stage-b", rest_api=api.id, deployment="dep-1", stage_name="b")
acl_a = aws.wafv2.WebAcl(
    "acl-a",
    scope="REGIONAL",
    default_action={"allow": {}},
    visibility_config={
        "cloudwatch_metrics_enabled": True,
        "metric_name": "acl",
        "sampled_requests_enabled": True,
    },
    rules=[
        {
            "name": "bad-inputs",
            "priority": 1,
            "override_action": {"none": {}},
            "statement": {
                "managed_rule_group_statement": {
                    "name": "AWSManagedRulesKnownBadInputsRuleSet",
                    "vendor_name": "AWS",
                }
            },
            "visibility_config": {
                "cloudwatch_metrics_enabled": True,
                "metric_name": "bad",
                "sampled_requests_enabled": True,
            },
        }
    ],
)
aws.wafv2.WebAcl(
    "acl-b",
    scope="REGIONAL",
    default_action={"allow": {}},
    visibility_config={
        "cloudwatch_metrics_enabled": True,
        "metric_name": "acl",
        "sampled_requests_enabled": True,
    },
)
aws.wafv2.WebAclAssociation("stage-a-acl", resource_arn=stage_a.arn, web_acl_arn=acl_a.arn)
aws.wafv2.WebAclLoggingConfiguration("acl-a-logs", resource_arn=acl_a.arn, log_destination_configs=[logs.arn])
aws.apigateway.MethodSettings(
    "settings-a",
    rest_api=api.id,
    stage_name="a",
    method_path="*/*",
    settings={"logging_level": "ERROR", "caching_enabled": True, "cache_data_encrypted": True},
)
aws.apigateway.MethodSettings(
    "settings-b",
    rest_api=api.id,
    stage_name="b",
    method_path="*/*",
    settings={"data_trace_enabled": True, "caching_enabled": True},
)
aws.apigateway.Method("method-a", rest_api=api.id, resource_id="r", http_method="POST", authorization="NONE")
aws.apigateway.Method(
    "method-b",
    rest_api=api.id,
    resource_id="r",
    http_method="POST",
    authorization="AWS_IAM",
    request_validator_id="v",
)
aws.apigateway.DomainName(
    "edge-name-a", domain_name="a.example.com", regional_certificate_arn="arn:cert", security_policy="TLS_1_0"
)
aws.apigateway.DomainName(
    "edge-name-b", domain_name="b.example.com", regional_certificate_arn="arn:cert", security_policy="TLS_1_2"
)
http_api = aws.apigatewayv2.Api("http-api", protocol_type="HTTP")
aws.apigatewayv2.Stage("http-stage-a", api_id=http_api.id, name="a", access_log_settings=ACCESS_LOGS)
aws.apigatewayv2.Stage("http-stage-b", api_id=http_api.id, name="b")
aws.apigatewayv2.Route("route-a", api_id=http_api.id, route_key="POST /ask")
aws.apigatewayv2.Route("route-b", api_id=http_api.id, route_key="POST /ask2", authorization_type="AWS_IAM")
aws.apigatewayv2.DomainName(
    "http-name-a",
    domain_name="c.example.com",
    domain_name_configuration={
        "certificate_arn": "arn:cert",
        "endpoint_type": "REGIONAL",
        "security_policy": "TLS_1_2",
    },
)

oac = aws.cloudfront.OriginAccessControl(
    "oac", origin_access_control_origin_type="s3", signing_behavior="always", signing_protocol="sigv4"
)
DEFAULT_BEHAVIOR = {
    "allowed_methods": ["GET", "HEAD"],
    "cached_methods": ["GET", "HEAD"],
    "target_origin_id": "site",
    "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
}
aws.cloudfront.Distribution(
    "cdn-a",
    enabled=True,
    origins=[{"origin_id": "site", "domain_name": "site.s3.eu-west-1.amazonaws.com"}],
    default_cache_behavior={**DEFAULT_BEHAVIOR, "viewer_protocol_policy": "allow-all"},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"cloudfront_default_certificate": True},
)
aws.cloudfront.Distribution(
    "cdn-b",
    enabled=True,
    default_root_object="index.html",
    origins=[
        {
            "origin_id": "site",
            "domain_name": "site.s3.eu-west-1.amazonaws.com",
            "origin_access_control_id": oac.id,
        },
        {
            "origin_id": "site-2",
            "domain_name": "site2.s3.eu-west-2.amazonaws.com",
            "origin_access_control_id": oac.id,
        },
    ],
    origin_groups=[
        {
            "origin_id": "failover",
            "failover_criteria": {"status_codes": [500, 502, 503, 504]},
            "members": [{"origin_id": "site"}, {"origin_id": "site-2"}],
        }
    ],
    default_cache_behavior={
        **DEFAULT_BEHAVIOR,
        "viewer_protocol_policy": "redirect-to-https",
        "response_headers_policy_id": "67f7725c-6f97-4210-82d7-5512b31e9d03",
    },
    restrictions={"geo_restriction": {"restriction_type": "whitelist", "locations": ["DE", "FR"]}},
    viewer_certificate={
        "acm_certificate_arn": "arn:cert",
        "ssl_support_method": "sni-only",
        "minimum_protocol_version": "TLSv1.2_2021",
    },
    web_acl_id="arn:aws:wafv2:us-east-1:1:global/webacl/cdn/1",
    logging_config={"bucket": "logs.s3.amazonaws.com"},
)
LISTENER = {"instance_port": 8080, "instance_protocol": "http", "lb_port": 443}
aws.elb.LoadBalancer(
    "classic-a", subnets=["subnet-1"], listeners=[{**LISTENER, "lb_protocol": "http", "lb_port": 80}]
)
aws.elb.LoadBalancer(
    "classic-b",
    subnets=["subnet-1", "subnet-2"],
    health_check={
        "target": "HTTP:8080/health",
        "interval": 30,
        "timeout": 5,
        "healthy_threshold": 2,
        "unhealthy_threshold": 2,
    },
    listeners=[{**LISTENER, "lb_protocol": "https", "ssl_certificate_id": "arn:cert"}],
    access_logs={"bucket": "elb-logs"},
)

# --- EC2 ---
HARD_DEVICE = {"encrypted": True, "kms_key_id": CMK}
IMDS = {"http_tokens": "required", "http_endpoint": "enabled", "http_put_response_hop_limit": 1}
CLEAN_BOOT = "#!/bin/bash\nexport DB_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:1:secret:db\n"
LEAKY_BOOT = "#!/bin/bash\nexport DB_PASSWORD=correct-horse-battery\n"
aws.ec2.Instance(
    "host-a",
    ami="ami-1",
    instance_type="t3.micro",
    user_data=LEAKY_BOOT,
    associate_public_ip_address=True,
    metadata_options={"http_tokens": "optional"},
)
aws.ec2.Instance(
    "host-b",
    ami="ami-1",
    instance_type="t3.micro",
    subnet_id="subnet-1",
    user_data=CLEAN_BOOT,
    iam_instance_profile="app",
    monitoring=True,
    ebs_optimized=True,
    root_block_device=HARD_DEVICE,
    metadata_options=IMDS,
)
template_a = aws.ec2.LaunchTemplate(
    "template-a",
    image_id="ami-1",
    user_data=base64.b64encode(CLEAN_BOOT.encode()).decode(),
    iam_instance_profile={"name": "app"},
    monitoring={"enabled": True},
    metadata_options=IMDS,
    block_device_mappings=[{"device_name": "/dev/xvda", "ebs": HARD_DEVICE}],
    network_interfaces=[{"associate_public_ip_address": "false"}],
)
aws.ec2.LaunchTemplate(
    "template-b",
    image_id="ami-1",
    user_data=base64.b64encode(LEAKY_BOOT.encode()).decode(),
    metadata_options={"http_tokens": "optional", "http_put_response_hop_limit": 3},
    block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"volume_size": 8}}],
    network_interfaces=[{"associate_public_ip_address": "true"}],
)
legacy_config = aws.ec2.LaunchConfiguration(
    "boot-config-a",
    image_id="ami-1",
    instance_type="t3.micro",
    associate_public_ip_address=True,
    enable_monitoring=False,
)
aws.ec2.LaunchConfiguration(
    "boot-config-b",
    image_id="ami-1",
    instance_type="t3.micro",
    associate_public_ip_address=False,
    metadata_options={"http_tokens": "required", "http_endpoint": "enabled"},
    root_block_device={"encrypted": True},
)
disk_a = aws.ebs.Volume("disk-a", availability_zone="eu-west-1a", size=10, encrypted=True, kms_key_id=CMK)
aws.ebs.Volume("disk-b", availability_zone="eu-west-1a", size=10, encrypted=True, kms_key_id=CMK)
aws.ec2.VolumeAttachment("disk-a-attachment", volume_id=disk_a.id, instance_id="i-1", device_name="/dev/sdf")
aws.ebs.EncryptionByDefault("ebs-default-a", enabled=False)
aws.ebs.EncryptionByDefault("ebs-default-b", enabled=True)
aws.autoscaling.Group(
    "fleet-a",
    min_size=1,
    max_size=2,
    vpc_zone_identifiers=["subnet-1"],
    launch_template={"id": template_a.id, "version": "$Latest"},
)
aws.autoscaling.Group(
    "fleet-b",
    min_size=1,
    max_size=2,
    vpc_zone_identifiers=["subnet-1"],
    launch_configuration=legacy_config.name,
)

# --- machine learning ---
aws.sagemaker.NotebookInstance("lab-a", instance_type="ml.t3.medium", role_arn="arn:aws:iam::1:role/sm")
aws.sagemaker.NotebookInstance(
    "lab-b",
    instance_type="ml.t3.medium",
    role_arn="arn:aws:iam::1:role/sm",
    kms_key_id=CMK,
    subnet_id="subnet-1",
    security_groups=["sg-lab"],
    direct_internet_access="Disabled",
    root_access="Disabled",
    instance_metadata_service_configuration={"minimum_instance_metadata_service_version": "2"},
)
STUDIO = dict(
    auth_mode="IAM",
    vpc_id="vpc-1",
    subnet_ids=["subnet-1"],
    default_user_settings={"execution_role": "arn:aws:iam::1:role/sm"},
)
aws.sagemaker.Domain(
    "studio-a", domain_name="studio-a", app_network_access_type="VpcOnly", kms_key_id=CMK, **STUDIO
)
aws.sagemaker.Domain("studio-b", domain_name="studio-b", **STUDIO)
QUALITY = dict(
    role_arn="arn:aws:iam::1:role/sm",
    data_quality_app_specification={"image_uri": "123.dkr.ecr.eu-west-1.amazonaws.com/monitor:1"},
    data_quality_job_input={
        "endpoint_input": {"endpoint_name": "model", "local_path": "/opt/ml/processing/input"}
    },
)
aws.sagemaker.DataQualityJobDefinition(
    "drift-a",
    data_quality_job_output_config={
        "monitoring_outputs": {
            "s3_output": {"s3_uri": "s3://reports/", "local_path": "/opt/ml/processing/output"}
        }
    },
    job_resources={
        "cluster_config": {"instance_count": 1, "instance_type": "ml.m5.large", "volume_size_in_gb": 20}
    },
    **QUALITY,
)
aws.sagemaker.DataQualityJobDefinition(
    "drift-b",
    data_quality_job_output_config={
        "kms_key_id": CMK,
        "monitoring_outputs": {
            "s3_output": {"s3_uri": "s3://reports/", "local_path": "/opt/ml/processing/output"}
        },
    },
    job_resources={
        "cluster_config": {
            "instance_count": 1,
            "instance_type": "ml.m5.large",
            "volume_size_in_gb": 20,
            "volume_kms_key_id": CMK,
        }
    },
    network_config={"enable_inter_container_traffic_encryption": True, "enable_network_isolation": True},
    **QUALITY,
)
LOOP = {
    "human_task_ui_arn": "arn:aws:sagemaker:eu-west-1:1:human-task-ui/ui",
    "task_availability_lifetime_in_seconds": 3600,
    "task_count": 1,
    "task_description": "review",
    "task_title": "review",
    "workteam_arn": "arn:aws:sagemaker:eu-west-1:1:workteam/private-crowd/team",
}
aws.sagemaker.FlowDefinition(
    "review-a",
    flow_definition_name="review-a",
    role_arn="arn:aws:iam::1:role/sm",
    human_loop_config=LOOP,
    output_config={"s3_output_path": "s3://reviews/", "kms_key_id": CMK},
)
aws.sagemaker.FlowDefinition(
    "review-b",
    flow_definition_name="review-b",
    role_arn="arn:aws:iam::1:role/sm",
    human_loop_config=LOOP,
    output_config={"s3_output_path": "s3://reviews/"},
)
AGENT = dict(
    agent_resource_role_arn="arn:aws:iam::1:role/agent",
    foundation_model="anthropic.claude-3-5-sonnet-20240620-v1:0",
)
aws.bedrock.AgentAgent("assistant-a", agent_name="assistant-a", **AGENT)
aws.bedrock.AgentAgent(
    "assistant-b",
    agent_name="assistant-b",
    customer_encryption_key_arn=CMK,
    guardrail_configurations=[{"guardrail_identifier": "g-1", "guardrail_version": "1"}],
    **AGENT,
)
aws.bedrockmodel.InvocationLoggingConfiguration(
    "invocations-a",
    logging_config={
        "text_data_delivery_enabled": True,
        "cloudwatch_config": {"log_group_name": "bedrock", "role_arn": "arn:aws:iam::1:role/bedrock"},
    },
)
aws.bedrockmodel.InvocationLoggingConfiguration(
    "invocations-b", logging_config={"text_data_delivery_enabled": False}
)
