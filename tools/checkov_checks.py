"""Generate docs/checkov-checks.json: checkov's Terraform check ids per AWS resource type, the pack's bar.

Needs checkov 3.3.30 in a THROWAWAY virtualenv (checkov pins an old botocore; never install it into the
project's venv), and is never imported by tests or by the pack:

    python3 -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install checkov==3.3.30
    /tmp/checkov-venv/bin/python tools/checkov_checks.py          # rewrite docs/checkov-checks.json
    .venv/bin/python -m policies.checkov_list                      # re-render docs/checkov-checks.md

Types come from checkov's check registries, not from `checkov --list` (which reports some graph checks
under the wrong type, e.g. CKV2_AWS_37 and CKV2_AWS_75): a Python check judges its `supported_resources`;
a graph check judges the types its definition filters on (`cond_type: filter` on `resource_type`), else the
`resource_types` its top-level conditions name (for a connection, the subject side, not the connected one).

The data file lists every check on the Terraform types in `TYPES` (the pulumi-aws tokens each one maps to):
the types our program declares and those the pack judges. Each check keeps the hand-written `exclusion`
(why the pack has no policy for it) from the previous file; which policy covers a check is not stored here:
it is the pack's `references`, joined in by `python -m policies.checkov_list`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "docs" / "checkov-checks.json"
CHECKOV_VERSION = "3.3.30"

# Terraform type -> the pulumi-aws 7 type tokens it maps to.
TYPES: dict[str, list[str]] = {
    "aws_alb": ["aws:alb/loadBalancer:LoadBalancer"],
    "aws_alb_listener": ["aws:alb/listener:Listener"],
    "aws_alb_target_group": ["aws:alb/targetGroup:TargetGroup"],
    "aws_appautoscaling_policy": ["aws:appautoscaling/policy:Policy"],
    "aws_appautoscaling_target": ["aws:appautoscaling/target:Target"],
    "aws_athena_workgroup": ["aws:athena/workgroup:Workgroup"],
    "aws_cloudwatch_dashboard": ["aws:cloudwatch/dashboard:Dashboard"],
    "aws_cloudwatch_event_bus": ["aws:cloudwatch/eventBus:EventBus"],
    "aws_cloudwatch_event_bus_policy": ["aws:cloudwatch/eventBusPolicy:EventBusPolicy"],
    "aws_cloudwatch_event_rule": ["aws:cloudwatch/eventRule:EventRule"],
    "aws_cloudwatch_event_target": ["aws:cloudwatch/eventTarget:EventTarget"],
    "aws_cloudwatch_log_group": ["aws:cloudwatch/logGroup:LogGroup"],
    "aws_cloudwatch_metric_alarm": ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    "aws_db_instance": ["aws:rds/instance:Instance"],
    "aws_db_instance_automated_backups_replication": [
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"
    ],
    "aws_db_parameter_group": ["aws:rds/parameterGroup:ParameterGroup"],
    "aws_db_subnet_group": ["aws:rds/subnetGroup:SubnetGroup"],
    "aws_default_security_group": ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
    "aws_docdb_cluster": ["aws:docdb/cluster:Cluster"],
    "aws_dynamodb_table": ["aws:dynamodb/table:Table"],
    "aws_ebs_volume": ["aws:ebs/volume:Volume"],
    "aws_ecr_lifecycle_policy": ["aws:ecr/lifecyclePolicy:LifecyclePolicy"],
    "aws_ecr_repository": ["aws:ecr/repository:Repository"],
    "aws_ecr_repository_policy": ["aws:ecr/repositoryPolicy:RepositoryPolicy"],
    "aws_ecs_cluster": ["aws:ecs/cluster:Cluster"],
    "aws_ecs_cluster_capacity_providers": ["aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"],
    "aws_ecs_service": ["aws:ecs/service:Service"],
    "aws_ecs_task_definition": ["aws:ecs/taskDefinition:TaskDefinition"],
    "aws_eip": ["aws:ec2/eip:Eip"],
    "aws_elasticache_replication_group": ["aws:elasticache/replicationGroup:ReplicationGroup"],
    "aws_elasticache_serverless_cache": ["aws:elasticache/serverlessCache:ServerlessCache"],
    "aws_flow_log": ["aws:ec2/flowLog:FlowLog"],
    "aws_glue_crawler": ["aws:glue/crawler:Crawler"],
    "aws_glue_job": ["aws:glue/job:Job"],
    "aws_glue_security_configuration": ["aws:glue/securityConfiguration:SecurityConfiguration"],
    "aws_iam_group": ["aws:iam/group:Group"],
    "aws_iam_group_policy": ["aws:iam/groupPolicy:GroupPolicy"],
    "aws_iam_group_policy_attachment": ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment"],
    "aws_iam_policy": ["aws:iam/policy:Policy"],
    "aws_iam_policy_attachment": ["aws:iam/policyAttachment:PolicyAttachment"],
    "aws_iam_role": ["aws:iam/role:Role"],
    "aws_iam_role_policy": ["aws:iam/rolePolicy:RolePolicy"],
    "aws_iam_role_policy_attachment": ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
    "aws_iam_user": ["aws:iam/user:User"],
    "aws_iam_user_policy": ["aws:iam/userPolicy:UserPolicy"],
    "aws_iam_user_policy_attachment": ["aws:iam/userPolicyAttachment:UserPolicyAttachment"],
    "aws_instance": ["aws:ec2/instance:Instance"],
    "aws_internet_gateway": ["aws:ec2/internetGateway:InternetGateway"],
    "aws_kinesis_firehose_delivery_stream": ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"],
    "aws_kinesis_stream": ["aws:kinesis/stream:Stream"],
    "aws_kms_alias": ["aws:kms/alias:Alias"],
    "aws_kms_key": ["aws:kms/key:Key"],
    "aws_kms_key_policy": ["aws:kms/keyPolicy:KeyPolicy"],
    "aws_lambda_function": ["aws:lambda/function:Function"],
    "aws_lambda_function_event_invoke_config": [
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
    ],
    "aws_lambda_function_url": ["aws:lambda/functionUrl:FunctionUrl"],
    "aws_lambda_permission": ["aws:lambda/permission:Permission"],
    "aws_launch_template": ["aws:ec2/launchTemplate:LaunchTemplate"],
    "aws_lb": ["aws:lb/loadBalancer:LoadBalancer"],
    "aws_lb_listener": ["aws:lb/listener:Listener"],
    "aws_lb_listener_rule": ["aws:lb/listenerRule:ListenerRule"],
    "aws_lb_target_group": ["aws:lb/targetGroup:TargetGroup"],
    "aws_nat_gateway": ["aws:ec2/natGateway:NatGateway"],
    "aws_rds_cluster": ["aws:rds/cluster:Cluster"],
    "aws_rds_cluster_instance": ["aws:rds/clusterInstance:ClusterInstance"],
    "aws_redshift_cluster": ["aws:redshift/cluster:Cluster"],
    "aws_route": ["aws:ec2/route:Route"],
    "aws_route_table": ["aws:ec2/routeTable:RouteTable"],
    "aws_route_table_association": ["aws:ec2/routeTableAssociation:RouteTableAssociation"],
    "aws_s3_bucket": ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    "aws_s3_bucket_acl": ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    "aws_s3_bucket_lifecycle_configuration": [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    ],
    "aws_s3_bucket_logging": ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    "aws_s3_bucket_notification": ["aws:s3/bucketNotification:BucketNotification"],
    "aws_s3_bucket_object_lock_configuration": [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    ],
    "aws_s3_bucket_ownership_controls": ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    "aws_s3_bucket_policy": ["aws:s3/bucketPolicy:BucketPolicy"],
    "aws_s3_bucket_public_access_block": ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    "aws_s3_bucket_replication_configuration": ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    "aws_s3_bucket_server_side_encryption_configuration": [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    "aws_s3_bucket_versioning": [
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
    ],
    "aws_sagemaker_domain": ["aws:sagemaker/domain:Domain"],
    "aws_sagemaker_endpoint": ["aws:sagemaker/endpoint:Endpoint"],
    "aws_sagemaker_endpoint_configuration": ["aws:sagemaker/endpointConfiguration:EndpointConfiguration"],
    "aws_sagemaker_model": ["aws:sagemaker/model:Model"],
    "aws_sagemaker_model_package_group": ["aws:sagemaker/modelPackageGroup:ModelPackageGroup"],
    "aws_sagemaker_notebook_instance": ["aws:sagemaker/notebookInstance:NotebookInstance"],
    "aws_sagemaker_pipeline": ["aws:sagemaker/pipeline:Pipeline"],
    "aws_secretsmanager_secret": ["aws:secretsmanager/secret:Secret"],
    "aws_secretsmanager_secret_policy": ["aws:secretsmanager/secretPolicy:SecretPolicy"],
    "aws_secretsmanager_secret_rotation": ["aws:secretsmanager/secretRotation:SecretRotation"],
    "aws_security_group": ["aws:ec2/securityGroup:SecurityGroup"],
    "aws_security_group_rule": ["aws:ec2/securityGroupRule:SecurityGroupRule"],
    "aws_sfn_state_machine": ["aws:sfn/stateMachine:StateMachine"],
    "aws_sns_topic": ["aws:sns/topic:Topic"],
    "aws_sns_topic_policy": ["aws:sns/topicPolicy:TopicPolicy"],
    "aws_sqs_queue": ["aws:sqs/queue:Queue"],
    "aws_sqs_queue_policy": ["aws:sqs/queuePolicy:QueuePolicy"],
    "aws_subnet": ["aws:ec2/subnet:Subnet"],
    "aws_vpc": ["aws:ec2/vpc:Vpc"],
    "aws_vpc_endpoint": ["aws:ec2/vpcEndpoint:VpcEndpoint"],
    "aws_vpc_security_group_egress_rule": ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"],
    "aws_vpc_security_group_ingress_rule": ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
    "aws_wafv2_web_acl": ["aws:wafv2/webAcl:WebAcl"],
    "aws_wafv2_web_acl_association": ["aws:wafv2/webAclAssociation:WebAclAssociation"],
    "aws_wafv2_web_acl_logging_configuration": [
        "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
    ],
    "aws_xray_encryption_config": ["aws:xray/encryptionConfig:EncryptionConfig"],
    "aws_xray_sampling_rule": ["aws:xray/samplingRule:SamplingRule"],
    "aws_api_gateway_deployment": ["aws:apigateway/deployment:Deployment"],
    "aws_api_gateway_domain_name": ["aws:apigateway/domainName:DomainName"],
    "aws_api_gateway_method": ["aws:apigateway/method:Method"],
    "aws_api_gateway_method_settings": ["aws:apigateway/methodSettings:MethodSettings"],
    "aws_api_gateway_rest_api": ["aws:apigateway/restApi:RestApi"],
    "aws_api_gateway_stage": ["aws:apigateway/stage:Stage"],
    "aws_apigatewayv2_api": ["aws:apigatewayv2/api:Api"],
    "aws_apigatewayv2_domain_name": ["aws:apigatewayv2/domainName:DomainName"],
    "aws_apigatewayv2_route": ["aws:apigatewayv2/route:Route"],
    "aws_apigatewayv2_stage": ["aws:apigatewayv2/stage:Stage"],
    "aws_athena_database": ["aws:athena/database:Database"],
    "aws_autoscaling_group": ["aws:autoscaling/group:Group"],
    "aws_bedrock_model_invocation_logging_configuration": [
        "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
    ],
    "aws_bedrockagent_agent": ["aws:bedrock/agentAgent:AgentAgent"],
    "aws_cloudfront_distribution": ["aws:cloudfront/distribution:Distribution"],
    "aws_ebs_encryption_by_default": ["aws:ebs/encryptionByDefault:EncryptionByDefault"],
    "aws_efs_access_point": ["aws:efs/accessPoint:AccessPoint"],
    "aws_efs_backup_policy": ["aws:efs/backupPolicy:BackupPolicy"],
    "aws_efs_file_system": ["aws:efs/fileSystem:FileSystem"],
    "aws_efs_file_system_policy": ["aws:efs/fileSystemPolicy:FileSystemPolicy"],
    "aws_eks_cluster": ["aws:eks/cluster:Cluster"],
    "aws_eks_node_group": ["aws:eks/nodeGroup:NodeGroup"],
    "aws_elasticache_cluster": ["aws:elasticache/cluster:Cluster"],
    "aws_elasticsearch_domain": ["aws:elasticsearch/domain:Domain"],
    "aws_elb": ["aws:elb/loadBalancer:LoadBalancer"],
    "aws_glue_data_catalog_encryption_settings": [
        "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"
    ],
    "aws_glue_dev_endpoint": ["aws:glue/devEndpoint:DevEndpoint"],
    "aws_launch_configuration": ["aws:ec2/launchConfiguration:LaunchConfiguration"],
    "aws_msk_cluster": ["aws:msk/cluster:Cluster"],
    "aws_msk_serverless_cluster": ["aws:msk/serverlessCluster:ServerlessCluster"],
    "aws_opensearch_domain": ["aws:opensearch/domain:Domain"],
    "aws_opensearchserverless_access_policy": [
        "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy"
    ],
    "aws_opensearchserverless_collection": ["aws:opensearch/serverlessCollection:ServerlessCollection"],
    "aws_opensearchserverless_security_policy": [
        "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy"
    ],
    "aws_redshift_logging": ["aws:redshift/logging:Logging"],
    "aws_redshift_parameter_group": ["aws:redshift/parameterGroup:ParameterGroup"],
    "aws_redshiftserverless_namespace": ["aws:redshiftserverless/namespace:Namespace"],
    "aws_redshiftserverless_workgroup": ["aws:redshiftserverless/workgroup:Workgroup"],
    "aws_s3vectors_index": ["aws:s3/vectorsIndex:VectorsIndex"],
    "aws_s3vectors_vector_bucket": ["aws:s3/vectorsVectorBucket:VectorsVectorBucket"],
    "aws_s3vectors_vector_bucket_policy": ["aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy"],
    "aws_sagemaker_data_quality_job_definition": [
        "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition"
    ],
    "aws_sagemaker_flow_definition": ["aws:sagemaker/flowDefinition:FlowDefinition"],
    "aws_volume_attachment": ["aws:ec2/volumeAttachment:VolumeAttachment"],
    "aws_wafv2_rule_group": ["aws:wafv2/ruleGroup:RuleGroup"],
}


def _python_checks() -> dict[str, dict[str, Any]]:
    import checkov.terraform.checks.resource.aws  # noqa: F401  (registers the AWS resource checks)
    from checkov.terraform.checks.resource.registry import resource_registry

    found: dict[str, dict[str, Any]] = {}
    for checks in resource_registry.checks.values():
        for check in checks:
            if check.id.startswith(("CKV_AWS_", "CKV2_AWS_")):
                found[check.id] = {"title": check.name, "types": sorted(check.supported_resources)}
    return found


def _subject_types(definition: Any) -> set[str]:
    """The types a graph check's definition reports on (see the module docstring)."""
    if not isinstance(definition, dict):
        return set()
    if "not" in definition:
        return _subject_types(definition["not"])
    parts = next((definition[key] for key in ("and", "or") if key in definition), None)
    if parts is None:
        return set(definition.get("resource_types") or [])
    for part in parts:
        if (
            isinstance(part, dict)
            and part.get("cond_type") == "filter"
            and part.get("attribute") == "resource_type"
        ):
            return set(part.get("value") or [])
    return set().union(*(_subject_types(part) for part in parts))


def _graph_checks() -> dict[str, dict[str, Any]]:
    import checkov.terraform.checks.graph_checks as graph_checks
    import yaml

    found: dict[str, dict[str, Any]] = {}
    folder = Path(graph_checks.__file__).parent / "aws"
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".json", ".yaml", ".yml"}:
            continue
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        meta = data["metadata"]
        found[meta["id"]] = {"title": meta["name"], "types": sorted(_subject_types(data["definition"]))}
    return found


def build(previous: dict[str, Any]) -> dict[str, Any]:
    from checkov.version import version

    if version != CHECKOV_VERSION:
        sys.exit(f"needs checkov {CHECKOV_VERSION} (found {version}); see this file's docstring")
    exclusions = {
        check["id"]: check["exclusion"] for check in previous.get("checks", []) if "exclusion" in check
    }
    checks = {**_python_checks(), **_graph_checks()}
    rows = []
    for check_id in sorted(checks, key=lambda c: (c.startswith("CKV2"), int(c.rsplit("_", 1)[1]))):
        types = [t for t in checks[check_id]["types"] if t in TYPES]
        if not types:
            continue
        row: dict[str, Any] = {"id": check_id, "title": checks[check_id]["title"].strip(), "types": types}
        if check_id in exclusions:
            row["exclusion"] = exclusions[check_id]
        rows.append(row)
    return {"checkov": version, "types": TYPES, "checks": rows}


def main() -> int:
    previous = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    document = build(previous)
    OUT.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(document['checks'])} checkov checks on {len(TYPES)} types to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
