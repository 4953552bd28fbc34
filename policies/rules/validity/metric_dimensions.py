"""Which resource property gives a CloudWatch dimension its value, per namespace, for the metric widgets of
dashboards (`dashboards.py`).

Namespace and dimension names are those of `data/cloudwatch_dimensions.json` (copied from aws-cdk-lib's
generated canned metrics by `tools/cloudwatch_dimensions.py`; a test holds every key here to that data). The
mapping covers every namespace there whose dimension value is a property of a resource type a Pulumi program
declares; dimensions valued by a resource's provider id only (`InstanceId`, `FileSystemId`, ...) are not
mapped, since the id is not among the properties a policy sees, nor are dimensions that are not resources
(`Operation`, `AvailabilityZone`, `StorageType`).
"""

from __future__ import annotations

from policies.rules import tokens

Source = tuple[tuple[str, ...], tuple[str, ...]]
"""Resource types and the property holding the dimension's value (`[]` walks a list)."""

_EVENT_RULE = ("aws:cloudwatch/eventRule:EventRule",)
_LOAD_BALANCER: Source = (tokens.LOAD_BALANCERS, ("arnSuffix",))
_TARGET_GROUP: Source = (tokens.TARGET_GROUPS, ("arnSuffix",))
_ASG: Source = (("aws:autoscaling/group:Group",), ("name",))

DIMENSIONS: dict[tuple[str, str], tuple[Source, ...]] = {
    ("AWS/AmazonMQ", "Broker"): ((("aws:mq/broker:Broker",), ("brokerName",)),),
    ("AWS/ApiGateway", "ApiName"): ((("aws:apigateway/restApi:RestApi",), ("name",)),),
    ("AWS/ApiGateway", "Stage"): (
        (("aws:apigateway/stage:Stage",), ("stageName",)),
        (("aws:apigatewayv2/stage:Stage",), ("name",)),
    ),
    ("AWS/ApplicationELB", "LoadBalancer"): (_LOAD_BALANCER,),
    ("AWS/ApplicationELB", "TargetGroup"): (_TARGET_GROUP,),
    ("AWS/NetworkELB", "LoadBalancer"): (_LOAD_BALANCER,),
    ("AWS/NetworkELB", "TargetGroup"): (_TARGET_GROUP,),
    ("AWS/GatewayELB", "LoadBalancer"): (_LOAD_BALANCER,),
    ("AWS/GatewayELB", "TargetGroup"): (_TARGET_GROUP,),
    ("AWS/ELB", "LoadBalancerName"): ((tokens.CLASSIC_ELB, ("name",)),),
    ("AWS/AutoScaling", "AutoScalingGroupName"): (_ASG,),
    ("AWS/EC2", "AutoScalingGroupName"): (_ASG,),
    ("AWS/Bedrock/Guardrails", "GuardrailArn"): ((("aws:bedrock/guardrail:Guardrail",), ("guardrailArn",)),),
    ("AWS/CloudWatch/MetricStreams", "MetricStreamName"): (
        (("aws:cloudwatch/metricStream:MetricStream",), ("name",)),
    ),
    ("AWS/CodeBuild", "ProjectName"): ((("aws:codebuild/project:Project",), ("name",)),),
    ("AWS/DocDB", "DBInstanceIdentifier"): (
        (("aws:docdb/clusterInstance:ClusterInstance",), ("identifier",)),
    ),
    ("AWS/DynamoDB", "TableName"): ((tokens.DYNAMODB_TABLE, ("name",)),),
    ("AWS/DynamoDB", "GlobalSecondaryIndexName"): (
        (tokens.DYNAMODB_TABLE, ("globalSecondaryIndexes", "[]", "name")),
    ),
    ("AWS/ECS", "ClusterName"): ((tokens.ECS_CLUSTER, ("name",)),),
    ("AWS/ECS", "ServiceName"): ((tokens.ECS_SERVICE, ("name",)),),
    ("AWS/EKS", "ClusterName"): ((("aws:eks/cluster:Cluster",), ("name",)),),
    ("AWS/ElastiCache", "CacheClusterId"): (
        (("aws:elasticache/cluster:Cluster",), ("clusterId",)),
        (tokens.ELASTICACHE_REPLICATION_GROUP, ("memberClusters", "[]")),  # a group's members are clusters
    ),
    ("AWS/ElasticBeanstalk", "EnvironmentName"): (
        (("aws:elasticbeanstalk/environment:Environment",), ("name",)),
    ),
    ("AWS/Events", "RuleName"): ((_EVENT_RULE, ("name",)),),
    ("AWS/Firehose", "DeliveryStreamName"): ((tokens.FIREHOSE, ("name",)),),
    ("AWS/IoT", "RuleName"): ((("aws:iot/topicRule:TopicRule",), ("name",)),),
    ("AWS/KMS", "KeyId"): ((tokens.KMS_KEY, ("keyId",)),),
    ("AWS/Kinesis", "StreamName"): ((tokens.KINESIS_STREAM, ("name",)),),
    ("AWS/KinesisAnalytics", "Application"): (
        (
            (
                "aws:kinesis/analyticsApplication:AnalyticsApplication",
                "aws:kinesisanalyticsv2/application:Application",
            ),
            ("name",),
        ),
    ),
    ("AWS/KinesisVideo", "StreamName"): ((("aws:kinesis/videoStream:VideoStream",), ("name",)),),
    ("AWS/Lambda", "FunctionName"): ((tokens.LAMBDA_FUNCTION, ("name",)),),
    ("AWS/Logs", "LogGroupName"): ((tokens.LOG_GROUP, ("name",)),),
    ("AWS/MemoryDB", "ClusterName"): ((("aws:memorydb/cluster:Cluster",), ("name",)),),
    ("AWS/Neptune", "DBClusterIdentifier"): ((("aws:neptune/cluster:Cluster",), ("clusterIdentifier",)),),
    ("AWS/QLDB", "LedgerName"): ((("aws:qldb/ledger:Ledger",), ("name",)),),
    ("AWS/RDS", "DBInstanceIdentifier"): (
        ((*tokens.RDS_INSTANCE, *tokens.RDS_CLUSTER_INSTANCE), ("identifier",)),
    ),
    ("AWS/RDS", "DBClusterIdentifier"): ((tokens.RDS_CLUSTER, ("clusterIdentifier",)),),
    ("AWS/Redshift", "ClusterIdentifier"): ((tokens.REDSHIFT_CLUSTER, ("clusterIdentifier",)),),
    ("AWS/S3", "BucketName"): ((tokens.S3_BUCKETS, ("bucket",)),),
    ("AWS/SNS", "TopicName"): ((tokens.SNS_TOPIC, ("name",)),),
    ("AWS/SQS", "QueueName"): ((tokens.SQS_QUEUE, ("name",)),),
    ("AWS/SageMaker", "EndpointName"): ((("aws:sagemaker/endpoint:Endpoint",), ("name",)),),
    ("AWS/SageMaker", "VariantName"): (
        (tokens.SAGEMAKER_ENDPOINT_CONFIG, ("productionVariants", "[]", "variantName")),
    ),
    ("AWS/States", "StateMachineArn"): ((tokens.STATE_MACHINE, ("arn",)),),
    ("AWS/States", "ActivityArn"): ((("aws:sfn/activity:Activity",), ("arn",)),),
    ("AWS/Timestream", "DatabaseName"): ((("aws:timestreamwrite/database:Database",), ("databaseName",)),),
    ("AWS/Timestream", "TableName"): ((("aws:timestreamwrite/table:Table",), ("tableName",)),),
    ("CloudWatchSynthetics", "CanaryName"): ((("aws:synthetics/canary:Canary",), ("name",)),),
}
