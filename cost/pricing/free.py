"""Resource types that cost nothing themselves, each with the reason (so "free" never means "unsupported"),
and the service name shown for any type token."""

from __future__ import annotations

FREE_MODULES = {
    "iam": "IAM identities and policies are free",
    "appautoscaling": "scaling targets and policies are free; the scaled resource is priced with its range",
    "xray": "X-Ray configuration is free; traces are priced on the traced resource (`monthlyXrayTraces`)",
}

FREE_PACKAGES = {
    "random": "not a cloud resource (generated locally by the random provider)",
    "tls": "not a cloud resource (generated locally by the tls provider)",
    "command": "not a cloud resource (a local command)",
    "pulumi": "a Pulumi engine resource, not a cloud resource",
}

_EC2_FREE = (
    "vpc",
    "subnet",
    "routeTable",
    "routeTableAssociation",
    "route",
    "mainRouteTableAssociation",
    "internetGateway",
    "egressOnlyInternetGateway",
    "securityGroup",
    "securityGroupRule",
    "defaultSecurityGroup",
    "defaultRouteTable",
    "defaultNetworkAcl",
    "networkAcl",
    "networkAclRule",
    "networkAclAssociation",
    "vpcEndpointRouteTableAssociation",
    "vpcEndpointSubnetAssociation",
    "vpcEndpointPolicy",
    "vpcDhcpOptions",
    "vpcDhcpOptionsAssociation",
    "vpcIpv4CidrBlockAssociation",
    "keyPair",
    "placementGroup",
)

FREE_TYPES = {
    **{
        f"aws:ec2/{name}:{name[0].upper()}{name[1:]}": "VPC networking constructs are free"
        for name in _EC2_FREE
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security group rules are free",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security group rules are free",
    "aws:acm/certificate:Certificate": "public ACM certificates are free",
    "aws:acm/certificateValidation:CertificateValidation": "certificate validation is free",
}

SERVICE_NAMES = {
    "acm": "AWS Certificate Manager",
    "apigateway": "Amazon API Gateway",
    "apigatewayv2": "Amazon API Gateway",
    "athena": "Amazon Athena",
    "autoscaling": "Amazon EC2 Auto Scaling",
    "cloudfront": "Amazon CloudFront",
    "ebs": "Amazon EC2",
    "efs": "Amazon EFS",
    "eks": "Amazon EKS",
    "elasticache": "Amazon ElastiCache",
    "glue": "AWS Glue",
    "kinesis": "Amazon Kinesis",
    "msk": "Amazon MSK",
    "opensearch": "Amazon OpenSearch Service",
    "redshift": "Amazon Redshift",
    "redshiftserverless": "Amazon Redshift",
    "route53": "Amazon Route 53",
    "wafv2": "AWS WAF",
    "alb": "Elastic Load Balancing",
    "appautoscaling": "Application Auto Scaling",
    "cloudwatch": "Amazon CloudWatch",
    "dynamodb": "Amazon DynamoDB",
    "ec2": "Amazon VPC",
    "ecr": "Amazon ECR",
    "ecs": "Amazon ECS",
    "iam": "AWS IAM",
    "kms": "AWS KMS",
    "lambda": "AWS Lambda",
    "lb": "Elastic Load Balancing",
    "rds": "Amazon RDS",
    "s3": "Amazon S3",
    "sagemaker": "Amazon SageMaker",
    "secretsmanager": "AWS Secrets Manager",
    "sfn": "AWS Step Functions",
    "sns": "Amazon SNS",
    "sqs": "Amazon SQS",
    "vpc": "Amazon VPC",
    "xray": "AWS X-Ray",
}


def module_of(type_token: str) -> tuple[str, str]:
    """(package, module) of a type token: ("aws", "ec2") for aws:ec2/vpc:Vpc."""
    package, _, rest = type_token.partition(":")
    return package, rest.split("/", 1)[0].split(":", 1)[0]


def service_for(type_token: str) -> str:
    package, module = module_of(type_token)
    if package != "aws":
        return package
    return SERVICE_NAMES.get(module, f"AWS {module}")


def free_reason(type_token: str) -> str:
    """Why this type is free, or "" when it is not known to be free."""
    if type_token in FREE_TYPES:
        return FREE_TYPES[type_token]
    package, module = module_of(type_token)
    if package in FREE_PACKAGES:
        return FREE_PACKAGES[package]
    return FREE_MODULES.get(module, "") if package == "aws" else ""
