"""Per-type facts for mocked outputs: auto-named input, ARN and id formats, and outputs users chain on.

Templates are `str.format_map` strings over the fields of `inventory.outputs.Values`: `{p}` partition, `{r}`
region, `{a}` account, `{name}` the (auto-)name, `{id}`, `{arn}`, `{uuid}`, `{hex_N}`/`{upper_N}`/`{lower_N}`/
`{digits_N}`/`{alnum_N}` deterministic text of length N (a letter suffix, `{hex_17b}`, draws another),
`{in_<input>}` an input as given, `{last_<input>}` the name at the end of an ARN input, `{listener_arn}` and
`{rule_arn}` derived from the load balancer or listener ARN input.
Formats follow the AWS documentation of each service's ARNs and the provider's `id` attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

GLOBAL_SERVICES = frozenset(
    {"iam", "cloudfront", "route53", "budgets", "organizations", "costexplorer", "cur"}
)
"""Services without a region: no `region` output and no region in their ARNs."""


@dataclass(frozen=True)
class TypeSpec:
    service: str
    name_key: str | None = "name"
    arn: str = ""
    id: str = "{name}"
    lowercase: bool = False
    max_length: int = 0
    name_template: str = "{}"
    checked_name: bool = True
    """Whether the provider writes the generated name into the inputs (known types); else only an output."""

    @property
    def prefix_key(self) -> str | None:
        return f"{self.name_key}Prefix" if self.name_key else None

    def suffix(self, inputs: Mapping[str, Any]) -> str:
        """FIFO queues and topics need names ending in `.fifo`."""
        return ".fifo" if inputs.get("fifoQueue") or inputs.get("fifoTopic") else ""


def _arn(service: str, resource: str) -> str:
    return f"arn:{{p}}:{service}:{{r}}:{{a}}:{resource}"


def _global_arn(service: str, resource: str) -> str:
    return f"arn:{{p}}:{service}::{{a}}:{resource}"


def _ec2(prefix: str, kind: str, name_key: str | None = None) -> TypeSpec:
    return TypeSpec("ec2", name_key, _arn("ec2", f"{kind}/{{id}}"), f"{prefix}-{{hex_17}}")


def _named(service: str, resource: str, id: str = "{name}", **kw: Any) -> TypeSpec:
    return TypeSpec(service, arn=_arn(service, resource), id=id, **kw)


def _s3_child() -> TypeSpec:
    return TypeSpec("s3", None, "", "{in_bucket}")


_S3_CHILDREN = (
    "ServerSideEncryptionConfiguration",
    "PublicAccessBlock",
    "Versioning",
    "LifecycleConfiguration",
    "Policy",
    "OwnershipControls",
    "Logging",
    "Notification",
    "CorsConfiguration",
    "Acl",
    "ReplicationConfig",
    "ObjectLockConfiguration",
    "WebsiteConfiguration",
    "AccelerateConfiguration",
    "RequestPaymentConfiguration",
)


def _s3_specs() -> dict[str, TypeSpec]:
    bucket = TypeSpec("s3", "bucket", "arn:{p}:s3:::{name}", lowercase=True, max_length=63)
    specs = {"aws:s3/bucket:Bucket": bucket, "aws:s3/bucketV2:BucketV2": bucket}
    for child in _S3_CHILDREN:
        specs[f"aws:s3/bucket{child}:Bucket{child}"] = _s3_child()
        specs[f"aws:s3/bucket{child}V2:Bucket{child}V2"] = _s3_child()
    specs["aws:s3/bucketObjectv2:BucketObjectv2"] = TypeSpec(
        "s3", None, "arn:{p}:s3:::{in_bucket}/{in_key}", "{in_key}"
    )
    return specs


SPECS: dict[str, TypeSpec] = {
    **_s3_specs(),
    # S3 Vectors: names of 3-63 lowercase characters; the id is the ARN (the classes have no `arn` output).
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": TypeSpec(
        "s3vectors", "vectorBucketName", id=_arn("s3vectors", "bucket/{name}"), lowercase=True, max_length=63
    ),
    "aws:s3/vectorsIndex:VectorsIndex": TypeSpec(
        "s3vectors",
        "indexName",
        id=_arn("s3vectors", "bucket/{in_vectorBucketName}/index/{name}"),
        lowercase=True,
        max_length=63,
    ),
    "aws:iam/role:Role": TypeSpec("iam", arn=_global_arn("iam", "role{path}{name}")),
    "aws:iam/policy:Policy": TypeSpec("iam", arn=_global_arn("iam", "policy{path}{name}"), id="{arn}"),
    "aws:iam/rolePolicy:RolePolicy": TypeSpec("iam", id="{last_role}:{name}"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": TypeSpec("iam", None, id="{last_role}-{digits_26}"),
    "aws:iam/instanceProfile:InstanceProfile": TypeSpec(
        "iam", arn=_global_arn("iam", "instance-profile{path}{name}")
    ),
    "aws:iam/user:User": TypeSpec("iam", arn=_global_arn("iam", "user{path}{name}")),
    "aws:iam/group:Group": TypeSpec("iam", arn=_global_arn("iam", "group{path}{name}")),
    "aws:kms/key:Key": TypeSpec("kms", None, _arn("kms", "key/{uuid}"), "{uuid}"),
    "aws:kms/alias:Alias": TypeSpec("kms", arn=_arn("kms", "{name}"), name_template="alias/{}"),
    "aws:lambda/function:Function": _named("lambda", "function:{name}"),
    "aws:lambda/permission:Permission": TypeSpec("lambda", "statementId"),
    "aws:lambda/eventSourceMapping:EventSourceMapping": _named(
        "lambda", "event-source-mapping:{uuid}", "{uuid}", name_key=None
    ),
    "aws:sns/topic:Topic": _named("sns", "{name}", "{arn}"),
    "aws:sns/topicSubscription:TopicSubscription": TypeSpec("sns", None, "{in_topic}:{uuid}", "{arn}"),
    "aws:sqs/queue:Queue": _named("sqs", "{name}", "https://sqs.{r}.amazonaws.com/{a}/{name}"),
    "aws:sqs/queuePolicy:QueuePolicy": TypeSpec("sqs", None, "", "{in_queueUrl}"),
    "aws:cloudwatch/logGroup:LogGroup": _named("logs", "log-group:{name}"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": _named("cloudwatch", "alarm:{name}"),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": TypeSpec(
        "cloudwatch", "alarmName", _arn("cloudwatch", "alarm:{name}")
    ),
    "aws:cloudwatch/dashboard:Dashboard": TypeSpec(
        "cloudwatch", "dashboardName", _global_arn("cloudwatch", "dashboard/{name}")
    ),
    "aws:cloudwatch/eventRule:EventRule": _named("events", "rule/{name}"),
    "aws:cloudwatch/eventBus:EventBus": _named("events", "event-bus/{name}"),
    "aws:cloudwatch/eventTarget:EventTarget": TypeSpec("events", "targetId", id="{in_rule}-{name}"),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": TypeSpec("logs"),
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": TypeSpec("logs", id="cwlsf-{digits_10}"),
    "aws:sfn/stateMachine:StateMachine": _named("states", "stateMachine:{name}", "{arn}"),
    "aws:sagemaker/model:Model": _named("sagemaker", "model/{name}", lowercase=True),
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": _named(
        "sagemaker", "endpoint-config/{name}", lowercase=True
    ),
    "aws:sagemaker/endpoint:Endpoint": _named("sagemaker", "endpoint/{name}", lowercase=True),
    "aws:sagemaker/pipeline:Pipeline": TypeSpec(
        "sagemaker", "pipelineName", _arn("sagemaker", "pipeline/{name}")
    ),
    "aws:sagemaker/domain:Domain": TypeSpec(
        "sagemaker", "domainName", _arn("sagemaker", "domain/{id}"), "d-{lower_12}"
    ),
    "aws:sagemaker/userProfile:UserProfile": TypeSpec(
        "sagemaker", "userProfileName", _arn("sagemaker", "user-profile/{in_domainId}/{name}")
    ),
    "aws:sagemaker/notebookInstance:NotebookInstance": _named("sagemaker", "notebook-instance/{name}"),
    "aws:sagemaker/featureGroup:FeatureGroup": TypeSpec(
        "sagemaker", "featureGroupName", _arn("sagemaker", "feature-group/{name}")
    ),
    "aws:sagemaker/modelPackageGroup:ModelPackageGroup": TypeSpec(
        "sagemaker", "modelPackageGroupName", _arn("sagemaker", "model-package-group/{name}")
    ),
    "aws:ecs/cluster:Cluster": _named("ecs", "cluster/{name}", "{arn}"),
    "aws:ecs/service:Service": _named("ecs", "service/{last_cluster}/{name}", "{arn}"),
    "aws:ecs/taskDefinition:TaskDefinition": TypeSpec(
        "ecs", "family", _arn("ecs", "task-definition/{name}:1")
    ),
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": TypeSpec(
        "ecs", None, "", "{in_clusterName}"
    ),
    "aws:ecr/repository:Repository": _named("ecr", "repository/{name}"),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": TypeSpec("ecr", None, "", "{in_repository}"),
    "aws:lb/loadBalancer:LoadBalancer": _named(
        "elasticloadbalancing", "loadbalancer/{lbkind}/{name}/{hex_16}", "{arn}", max_length=32
    ),
    "aws:lb/targetGroup:TargetGroup": _named(
        "elasticloadbalancing", "targetgroup/{name}/{hex_16}", "{arn}", max_length=32
    ),
    "aws:lb/listener:Listener": TypeSpec("elasticloadbalancing", None, "{listener_arn}", "{arn}"),
    "aws:lb/listenerRule:ListenerRule": TypeSpec("elasticloadbalancing", None, "{rule_arn}", "{arn}"),
    "aws:rds/instance:Instance": TypeSpec(
        "rds", "identifier", _arn("rds", "db:{name}"), "db-{upper_26}", lowercase=True, max_length=63
    ),
    "aws:rds/cluster:Cluster": TypeSpec(
        "rds", "clusterIdentifier", _arn("rds", "cluster:{name}"), lowercase=True, max_length=63
    ),
    "aws:rds/clusterInstance:ClusterInstance": TypeSpec(
        "rds", "identifier", _arn("rds", "db:{name}"), lowercase=True, max_length=63
    ),
    "aws:rds/subnetGroup:SubnetGroup": _named("rds", "subgrp:{name}", lowercase=True),
    "aws:rds/parameterGroup:ParameterGroup": _named("rds", "pg:{name}", lowercase=True),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": _named("rds", "cluster-pg:{name}", lowercase=True),
    "aws:dynamodb/table:Table": _named("dynamodb", "table/{name}"),
    "aws:ec2/vpc:Vpc": _ec2("vpc", "vpc"),
    "aws:ec2/subnet:Subnet": _ec2("subnet", "subnet"),
    "aws:ec2/securityGroup:SecurityGroup": _ec2("sg", "security-group", "name"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": _ec2("sg", "security-group"),
    "aws:ec2/defaultRouteTable:DefaultRouteTable": _ec2("rtb", "route-table"),
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": _ec2("acl", "network-acl"),
    "aws:ec2/securityGroupRule:SecurityGroupRule": TypeSpec("ec2", None, "", "sgrule-{digits_10}"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": TypeSpec(
        "vpc", None, _arn("ec2", "security-group-rule/{id}"), "sgr-{hex_17}"
    ),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": TypeSpec(
        "vpc", None, _arn("ec2", "security-group-rule/{id}"), "sgr-{hex_17}"
    ),
    "aws:ec2/internetGateway:InternetGateway": _ec2("igw", "internet-gateway"),
    "aws:ec2/natGateway:NatGateway": TypeSpec("ec2", None, "", "nat-{hex_17}"),
    "aws:ec2/eip:Eip": _ec2("eipalloc", "elastic-ip"),
    "aws:ec2/routeTable:RouteTable": _ec2("rtb", "route-table"),
    "aws:ec2/route:Route": TypeSpec("ec2", None, "", "r-{in_routeTableId}{digits_10}"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": TypeSpec("ec2", None, "", "rtbassoc-{hex_17}"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _ec2("vpce", "vpc-endpoint"),
    "aws:ec2/flowLog:FlowLog": _ec2("fl", "vpc-flow-log"),
    "aws:ec2/networkAcl:NetworkAcl": _ec2("acl", "network-acl"),
    "aws:ec2/instance:Instance": _ec2("i", "instance"),
    "aws:ec2/launchTemplate:LaunchTemplate": _ec2("lt", "launch-template", "name"),
    "aws:secretsmanager/secret:Secret": _named("secretsmanager", "secret:{name}-{alnum_6}", "{arn}"),
    "aws:secretsmanager/secretVersion:SecretVersion": TypeSpec(
        "secretsmanager", None, "{in_secretId}", "{in_secretId}|{uuid}"
    ),
    "aws:glue/catalogDatabase:CatalogDatabase": _named("glue", "database/{name}", "{a}:{name}"),
    "aws:glue/catalogTable:CatalogTable": _named(
        "glue", "table/{in_databaseName}/{name}", "{a}:{in_databaseName}:{name}"
    ),
    "aws:glue/job:Job": _named("glue", "job/{name}"),
    "aws:glue/crawler:Crawler": _named("glue", "crawler/{name}"),
    "aws:glue/trigger:Trigger": _named("glue", "trigger/{name}"),
    "aws:glue/securityConfiguration:SecurityConfiguration": TypeSpec("glue"),
    "aws:athena/workgroup:Workgroup": _named("athena", "workgroup/{name}"),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": _named(
        "firehose", "deliverystream/{name}", "{arn}"
    ),
    "aws:kinesis/stream:Stream": _named("kinesis", "stream/{name}"),
    "aws:appautoscaling/target:Target": TypeSpec(
        "application-autoscaling",
        None,
        _arn("application-autoscaling", "scalable-target/{hex_24}"),
        "{in_resourceId}",
    ),
    "aws:appautoscaling/policy:Policy": _named(
        "autoscaling", "scalingPolicy:{uuid}:resource/{in_serviceNamespace}/{in_resourceId}:policyName/{name}"
    ),
    "aws:cloudtrail/trail:Trail": _named("cloudtrail", "trail/{name}", "{arn}"),
    "aws:acm/certificate:Certificate": TypeSpec("acm", None, _arn("acm", "certificate/{uuid}"), "{arn}"),
    "aws:efs/fileSystem:FileSystem": TypeSpec(
        "elasticfilesystem", None, _arn("elasticfilesystem", "file-system/{id}"), "fs-{hex_17}"
    ),
    "aws:redshift/cluster:Cluster": TypeSpec(
        "redshift", "clusterIdentifier", _arn("redshift", "cluster:{name}"), lowercase=True
    ),
    "aws:emr/cluster:Cluster": _named("elasticmapreduce", "cluster/{id}", "j-{upper_13}"),
    "aws:ssm/parameter:Parameter": _named("ssm", "parameter/{name}"),
    "aws:route53/zone:Zone": TypeSpec("route53", "name", "arn:{p}:route53:::hostedzone/{id}", "Z{upper_20}"),
    "aws:route53/record:Record": TypeSpec("route53", "name", "", "{in_zoneId}_{name}_{in_type}"),
    "aws:budgets/budget:Budget": TypeSpec(
        "budgets", arn=_global_arn("budgets", "budget/{name}"), id="{a}:{name}"
    ),
    "aws:cloudfront/distribution:Distribution": TypeSpec(
        "cloudfront", None, _global_arn("cloudfront", "distribution/{id}"), "E{upper_13}"
    ),
    "aws:wafv2/webAcl:WebAcl": _named("wafv2", "regional/webacl/{name}/{uuid}", "{uuid}"),
    "aws:backup/vault:Vault": _named("backup", "backup-vault:{name}"),
    "aws:backup/plan:Plan": _named("backup", "backup-plan:{uuid}", "{uuid}"),
    "aws:apigateway/restApi:RestApi": TypeSpec(
        "apigateway", "name", "arn:{p}:apigateway:{r}::/restapis/{id}", "{lower_10}"
    ),
    "aws:apigateway/stage:Stage": TypeSpec(
        "apigateway",
        "stageName",
        "arn:{p}:apigateway:{r}::/restapis/{in_restApi}/stages/{name}",
        "ags-{in_restApi}-{name}",
    ),
    "aws:apigatewayv2/stage:Stage": TypeSpec(
        "apigateway", "name", "arn:{p}:apigateway:{r}::/apis/{in_apiId}/stages/{name}", "{name}"
    ),
    "aws:apigatewayv2/api:Api": TypeSpec(
        "apigateway", "name", "arn:{p}:apigateway:{r}::/apis/{id}", "{lower_10}"
    ),
}
for _token in list(SPECS):
    if _token.startswith("aws:lb/"):
        SPECS[_token.replace("aws:lb/", "aws:alb/", 1)] = SPECS[_token]


Extras = Callable[[Mapping[str, Any], dict[str, Any]], dict[str, Any]]


def _bucket(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "bucketDomainName": f"{v['name']}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{v['name']}.s3.{v['r']}.amazonaws.com",
        "bucketRegion": v["r"],
        "hostedZoneId": "Z3AQBSTGFYJSTF",
    }


def _iam_named(prefix: str) -> Extras:
    def extras(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
        return {"uniqueId": prefix + v["upper_17"], "createDate": "2026-01-01T00:00:00Z"}

    return extras


def _kms_key(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {"keyId": v["uuid"]}


def _kms_alias(v: Mapping[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    target = str(inputs.get("targetKeyId", ""))
    arn = target if target.startswith("arn:") else f"arn:{v['p']}:kms:{v['r']}:{v['a']}:key/{target}"
    return {"targetKeyArn": arn}


def _lambda(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    arn = v["arn"]
    invoke = f"arn:{v['p']}:apigateway:{v['r']}:lambda:path/2015-03-31/functions/{arn}/invocations"
    return {
        "invokeArn": invoke,
        "qualifiedArn": f"{arn}:$LATEST",
        "qualifiedInvokeArn": invoke.replace(arn, f"{arn}:$LATEST"),
        "version": "$LATEST",
    }


def _sqs(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {"url": v["id"]}


def _task_definition(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {"revision": 1, "arnWithoutRevision": v["arn"].rsplit(":", 1)[0]}


def _ecr(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {"registryId": v["a"], "repositoryUrl": f"{v['a']}.dkr.ecr.{v['r']}.amazonaws.com/{v['name']}"}


def _load_balancer(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    if v["lbkind"] == "app":
        dns, zone = f"{v['name']}-{v['digits_10']}.{v['r']}.elb.amazonaws.com", "Z35SXDOTRQ7X7K"
    else:
        dns, zone = f"{v['name']}-{v['hex_16']}.elb.{v['r']}.amazonaws.com", "Z26RNL4JYFTOTI"
    return {"dnsName": dns, "zoneId": zone, "arnSuffix": v["arn"].split(":loadbalancer/", 1)[1]}


def _target_group(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {"arnSuffix": v["arn"].split(":", 5)[5]}


_ENGINE_PORTS = {
    "postgres": 5432,
    "aurora-postgresql": 5432,
    "mysql": 3306,
    "mariadb": 3306,
    "aurora-mysql": 3306,
}


def _db_port(inputs: dict[str, Any]) -> int:
    port = inputs.get("port")
    if isinstance(port, int):
        return port
    engine = str(inputs.get("engine", ""))
    return _ENGINE_PORTS.get(
        engine, 1433 if engine.startswith("sqlserver") else 1521 if "oracle" in engine else 3306
    )


def _master_secret(v: Mapping[str, Any], inputs: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    if not inputs.get("manageMasterUserPassword"):
        return []
    key = (
        inputs.get("masterUserSecretKmsKeyId")
        or f"arn:{v['p']}:kms:{v['r']}:{v['a']}:alias/aws/secretsmanager"
    )
    secret = f"arn:{v['p']}:secretsmanager:{v['r']}:{v['a']}:secret:rds!{kind}-{v['uuid']}-{v['alnum_6']}"
    return [{"kmsKeyId": key, "secretArn": secret, "secretStatus": "active"}]


def _rds_instance(v: Mapping[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    port = _db_port(inputs)
    address = f"{v['name']}.{v['lower_12']}.{v['r']}.rds.amazonaws.com"
    return {
        "address": address,
        "endpoint": f"{address}:{port}",
        "port": port,
        "resourceId": v["id"],
        "hostedZoneId": "Z2R2ITUGPM61AM",
        "masterUserSecrets": _master_secret(v, inputs, "db"),
    }


def _rds_cluster(v: Mapping[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    host = f"{v['lower_12']}.{v['r']}.rds.amazonaws.com"
    return {
        "endpoint": f"{v['name']}.cluster-{host}",
        "readerEndpoint": f"{v['name']}.cluster-ro-{host}",
        "port": _db_port(inputs),
        "clusterResourceId": "cluster-" + v["upper_26"],
        "masterUserSecrets": _master_secret(v, inputs, "cluster"),
    }


def _dynamodb(v: Mapping[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    if not inputs.get("streamEnabled"):
        return {}
    label = "2026-01-01T00:00:00.000"
    return {"streamArn": f"{v['arn']}/stream/{label}", "streamLabel": label}


def _vpc(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    route_table = "rtb-" + v["hex_17b"]
    return {
        "defaultSecurityGroupId": "sg-" + v["hex_17a"],
        "defaultRouteTableId": route_table,
        "mainRouteTableId": route_table,
        "defaultNetworkAclId": "acl-" + v["hex_17c"],
        "dhcpOptionsId": "dopt-" + v["hex_17d"],
        "ownerId": v["a"],
    }


def _owned(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {"ownerId": v["a"]}


def _eip(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    octets = [int(c, 16) for c in v["hex_2"]]
    ip = f"198.51.100.{octets[0] * 16 + octets[1]}"  # RFC 5737 documentation range
    return {
        "allocationId": v["id"],
        "publicIp": ip,
        "publicDns": f"ec2-{ip.replace('.', '-')}.compute-1.amazonaws.com",
    }


def _nat(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "networkInterfaceId": "eni-" + v["hex_17e"],
        "privateIp": f"10.0.{int(v['digits_2'])}.{int(v['digits_2b']) + 4}",
    }


def _secret(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {"versionId": v["uuid"]}


def _domain(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{v['id']}.studio.{v['r']}.sagemaker.aws",
        "homeEfsFileSystemId": "fs-" + v["hex_17"],
    }


def _api(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiEndpoint": f"https://{v['id']}.execute-api.{v['r']}.amazonaws.com",
        "executionArn": f"arn:{v['p']}:execute-api:{v['r']}:{v['a']}:{v['id']}",
    }


def _rest_api(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "executionArn": f"arn:{v['p']}:execute-api:{v['r']}:{v['a']}:{v['id']}",
        "rootResourceId": v["lower_10b"],
    }


def _stage(v: Mapping[str, Any], inputs: dict[str, Any], api_key: str) -> dict[str, Any]:
    api, name = v[f"in_{api_key}"], v["name"]
    path = "" if name == "$default" else name
    return {
        "executionArn": f"arn:{v['p']}:execute-api:{v['r']}:{v['a']}:{api}/{name}",
        "invokeUrl": f"https://{api}.execute-api.{v['r']}.amazonaws.com/{path}",
    }


def _distribution(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "domainName": f"d{v['lower_13']}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
    }


def _zone(v: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {"zoneId": v["id"], "nameServers": [f"ns-{int(v['digits_3'])}.awsdns-0{i}.com" for i in range(4)]}


_EXTRAS: dict[str, Extras] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": lambda v, i: {"vectorBucketArn": v["id"]},
    "aws:s3/vectorsIndex:VectorsIndex": lambda v, i: {"indexArn": v["id"]},
    "aws:iam/role:Role": _iam_named("AROA"),
    "aws:iam/user:User": _iam_named("AIDA"),
    "aws:iam/policy:Policy": lambda v, i: {"policyId": "ANPA" + v["upper_17"], "attachmentCount": 0},
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": _kms_alias,
    "aws:lambda/function:Function": _lambda,
    "aws:sqs/queue:Queue": _sqs,
    "aws:ecs/taskDefinition:TaskDefinition": _task_definition,
    "aws:ecr/repository:Repository": _ecr,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:alb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:lb/targetGroup:TargetGroup": _target_group,
    "aws:alb/targetGroup:TargetGroup": _target_group,
    "aws:rds/instance:Instance": _rds_instance,
    "aws:rds/clusterInstance:ClusterInstance": _rds_instance,
    "aws:rds/cluster:Cluster": _rds_cluster,
    "aws:dynamodb/table:Table": _dynamodb,
    "aws:ec2/vpc:Vpc": _vpc,
    "aws:ec2/subnet:Subnet": _owned,
    "aws:ec2/securityGroup:SecurityGroup": _owned,
    "aws:ec2/eip:Eip": _eip,
    "aws:ec2/natGateway:NatGateway": _nat,
    "aws:secretsmanager/secretVersion:SecretVersion": _secret,
    "aws:sagemaker/domain:Domain": _domain,
    "aws:apigatewayv2/api:Api": _api,
    "aws:apigateway/restApi:RestApi": _rest_api,
    "aws:apigateway/stage:Stage": lambda v, i: _stage(v, i, "restApi"),
    "aws:apigatewayv2/stage:Stage": lambda v, i: _stage(v, i, "apiId"),
    "aws:cloudfront/distribution:Distribution": _distribution,
    "aws:route53/zone:Zone": _zone,
}


def _no_extras(v: Mapping[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    return {}


def extras_for(token: str) -> Extras:
    return _EXTRAS.get(token, _no_extras)
