"""pulumi-aws 7.x type tokens of the platform types (the metadata test checks each exists in the package).

The deprecated `aws:elasticsearch/domain` is judged beside `aws:opensearch/domain`: programs that have not
migrated keep their rules.
"""

SEARCH_DOMAIN = ("aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain")
AOSS_SECURITY_POLICY = ("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy",)
AOSS_ACCESS_POLICY = ("aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy",)
VECTOR_BUCKET = ("aws:s3/vectorsVectorBucket:VectorsVectorBucket",)
VECTOR_INDEX = ("aws:s3/vectorsIndex:VectorsIndex",)
VECTOR_BUCKET_POLICY = ("aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy",)

EKS_CLUSTER = ("aws:eks/cluster:Cluster",)
EKS_NODE_GROUP = ("aws:eks/nodeGroup:NodeGroup",)

ELASTICACHE_CLUSTER = ("aws:elasticache/cluster:Cluster",)
ELASTICACHE_GROUP = ("aws:elasticache/replicationGroup:ReplicationGroup",)
ELASTICACHE_SERVERLESS = ("aws:elasticache/serverlessCache:ServerlessCache",)
EFS_FILE_SYSTEM = ("aws:efs/fileSystem:FileSystem",)
EFS_ACCESS_POINT = ("aws:efs/accessPoint:AccessPoint",)
EFS_POLICY = ("aws:efs/fileSystemPolicy:FileSystemPolicy",)
EFS_BACKUP_POLICY = ("aws:efs/backupPolicy:BackupPolicy",)
BACKUP_SELECTION = ("aws:backup/selection:Selection",)

REDSHIFT_CLUSTER = ("aws:redshift/cluster:Cluster",)
REDSHIFT_LOGGING = ("aws:redshift/logging:Logging",)
REDSHIFT_PARAMETER_GROUP = ("aws:redshift/parameterGroup:ParameterGroup",)
REDSHIFT_NAMESPACE = ("aws:redshiftserverless/namespace:Namespace",)
REDSHIFT_WORKGROUP = ("aws:redshiftserverless/workgroup:Workgroup",)
MSK_CLUSTER = ("aws:msk/cluster:Cluster",)
MSK_SERVERLESS = ("aws:msk/serverlessCluster:ServerlessCluster",)
FIREHOSE = ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",)
GLUE_CATALOG_ENCRYPTION = ("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",)
GLUE_DEV_ENDPOINT = ("aws:glue/devEndpoint:DevEndpoint",)

REST_STAGE = ("aws:apigateway/stage:Stage",)
REST_METHOD_SETTINGS = ("aws:apigateway/methodSettings:MethodSettings",)
REST_METHOD = ("aws:apigateway/method:Method",)
REST_API = ("aws:apigateway/restApi:RestApi",)
REST_DOMAIN = ("aws:apigateway/domainName:DomainName",)
HTTP_STAGE = ("aws:apigatewayv2/stage:Stage",)
HTTP_ROUTE = ("aws:apigatewayv2/route:Route",)
HTTP_DOMAIN = ("aws:apigatewayv2/domainName:DomainName",)
CLOUDFRONT = ("aws:cloudfront/distribution:Distribution",)
WEB_ACL = ("aws:wafv2/webAcl:WebAcl",)
WEB_ACL_LOGGING = ("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",)
WAF_RULE_GROUP = ("aws:wafv2/ruleGroup:RuleGroup",)
WEB_ACL_ASSOCIATION = ("aws:wafv2/webAclAssociation:WebAclAssociation",)
CLASSIC_ELB = ("aws:elb/loadBalancer:LoadBalancer",)

EC2_INSTANCE = ("aws:ec2/instance:Instance",)
LAUNCH_TEMPLATE = ("aws:ec2/launchTemplate:LaunchTemplate",)
LAUNCH_CONFIGURATION = ("aws:ec2/launchConfiguration:LaunchConfiguration",)
EBS_DEFAULT_ENCRYPTION = ("aws:ebs/encryptionByDefault:EncryptionByDefault",)
EBS_VOLUME = ("aws:ebs/volume:Volume",)
VOLUME_ATTACHMENT = ("aws:ec2/volumeAttachment:VolumeAttachment",)
AUTOSCALING_GROUP = ("aws:autoscaling/group:Group",)

SAGEMAKER_NOTEBOOK = ("aws:sagemaker/notebookInstance:NotebookInstance",)
SAGEMAKER_DOMAIN = ("aws:sagemaker/domain:Domain",)
SAGEMAKER_DATA_QUALITY = ("aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition",)
SAGEMAKER_FLOW = ("aws:sagemaker/flowDefinition:FlowDefinition",)
BEDROCK_AGENT = ("aws:bedrock/agentAgent:AgentAgent",)
BEDROCK_INVOCATION_LOGGING = (
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
)
