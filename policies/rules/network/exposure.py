"""Public exposure: databases, ECS tasks, EC2 instances, notebooks, function URLs and S3 public access."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import pipeline_definition, s3_index, tokens
from policies.rules.framework import JoinRule, ResourceRule, Rule, Settings
from policies.rules.props import View, as_bool, dig, is_set

PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _db_public(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("publiclyAccessible") is True:
        yield (
            "`publiclyAccessible` is true, giving the database a public DNS name; set "
            "publicly_accessible=False."
        )


DB_PUBLIC = ResourceRule(
    RuleMeta(
        name="aws-rds-not-public",
        controls=controls(
            fsbp=("RDS.2",),
            cis=("2.3.3",),
            pci=("1.4.4",),
            nist=(
                "AC-3",
                "SC-7",
            ),
        ),
        area="network",
        description=(
            "RDS instances, Aurora cluster instances and Redshift clusters are not publicly accessible."
        ),
        severity="critical",
        rationale=(
            "A publicly accessible database resolves to a public IP; one security group mistake exposes it."
        ),
        remediation=(
            "Set publicly_accessible=False and reach the database through private subnets or a bastion/SSM."
        ),
        kind="resource",
        resource_types=tokens.RDS_INSTANCE + tokens.RDS_CLUSTER_INSTANCE + tokens.REDSHIFT_CLUSTER,
        references=(
            "CKV_AWS_17",
            "CKV_AWS_87",
            "rds-instance-public-access",
            "redshift-cluster-public-access",
            "aws-rds-clusterinstance-disallow-public-access",
            "aws-rds-instance-disallow-public-access",
        ),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
    ),
    _db_public,
)


def _ecs_public_ip(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("networkConfiguration", "assignPublicIp") is True:
        yield (
            "`networkConfiguration.assignPublicIp` is true; run tasks in private subnets with "
            "assign_public_ip=False."
        )


ECS_PUBLIC_IP = ResourceRule(
    RuleMeta(
        name="aws-ecs-service-no-public-ip",
        controls=controls(fsbp=("ECS.2",), nist=("SC-7",)),
        area="network",
        description="ECS services do not give tasks public IP addresses.",
        severity="high",
        rationale=(
            "Tasks with public IPs are reachable directly, bypassing the load balancer and its TLS and WAF."
        ),
        remediation=(
            "Set network_configuration.assign_public_ip=False and use private subnets with NAT or endpoints."
        ),
        kind="resource",
        resource_types=tokens.ECS_SERVICE,
        references=("CKV_AWS_333",),
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html",
    ),
    _ecs_public_ip,
)


def _ec2_public_ip(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in tokens.EC2_INSTANCE + tokens.EC2_LAUNCH_CONFIGURATION:
        if view.bool_("associatePublicIpAddress") is True:
            yield "`associatePublicIpAddress` is true; set associate_public_ip_address=False."
        return
    for index, interface in enumerate(view.list_("networkInterfaces")):
        where = f"networkInterfaces[{index}].associatePublicIpAddress"
        if as_bool(dig(interface, "associatePublicIpAddress", base=where), where) is True:
            yield f"`{where}` is true; set it to False."


EC2_PUBLIC_IP = ResourceRule(
    RuleMeta(
        name="aws-ec2-instance-no-public-ip",
        controls=controls(fsbp=("EC2.9", "AutoScaling.5"), nist=("SC-7",)),
        area="network",
        description="EC2 instances, launch templates and launch configurations do not assign public IPs.",
        severity="high",
        rationale="Instances with public IPs are one security-group rule away from internet exposure.",
        remediation="Launch into private subnets with associate_public_ip_address=False.",
        kind="resource",
        resource_types=tokens.EC2_INSTANCE + tokens.EC2_LAUNCH_TEMPLATE + tokens.EC2_LAUNCH_CONFIGURATION,
        references=(
            "CKV_AWS_88",
            "CKV_AWS_389",
            "ec2-instance-no-public-ip",
            "aws-ec2-instance-disallow-public-ip",
            "aws-ec2-launchconfiguration-disallow-public-ip",
            "aws-ec2-launchtemplate-disallow-public-ip",
        ),
        url="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html",
    ),
    _ec2_public_ip,
)


def _notebook_internet(view: View, _settings: Settings) -> Iterator[str]:
    if (view.str_("directInternetAccess") or "Enabled") != "Disabled":
        yield (
            "`directInternetAccess` is not Disabled; set direct_internet_access='Disabled' with a subnet_id."
        )


NOTEBOOK_INTERNET = ResourceRule(
    RuleMeta(
        name="aws-sagemaker-notebook-no-direct-internet",
        controls=controls(fsbp=("SageMaker.1",), nist=("SC-7",)),
        area="network",
        description="SageMaker notebook instances have no direct internet access.",
        severity="high",
        rationale=(
            "With direct internet access (the default) a notebook can exfiltrate data around the VPC's "
            "controls."
        ),
        remediation="Set direct_internet_access='Disabled' and place the notebook in a private subnet.",
        kind="resource",
        resource_types=tokens.SAGEMAKER_NOTEBOOK,
        references=("CKV_AWS_122", "sagemaker-notebook-no-direct-internet-access"),
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
    ),
    _notebook_internet,
)


def _function_url(view: View, _settings: Settings) -> Iterator[str]:
    if view.str_("authorizationType") != "AWS_IAM":
        yield "`authorizationType` is NONE: anyone with the URL can invoke the function; use AWS_IAM."


FUNCTION_URL = ResourceRule(
    RuleMeta(
        name="aws-lambda-function-url-auth",
        controls=controls(nist=("AC-3",)),
        area="network",
        description="Lambda function URLs require IAM authorization.",
        severity="critical",
        rationale="A function URL with authorization NONE is a public, unauthenticated HTTPS endpoint.",
        remediation=(
            "Set authorization_type='AWS_IAM', or front the function with the load balancer or API Gateway."
        ),
        kind="resource",
        resource_types=tokens.LAMBDA_FUNCTION_URL,
        references=("CKV_AWS_258",),
        url="https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    ),
    _function_url,
)


def _isolation(where: str, job: Mapping[str, Any], keys: pipeline_definition.Keys) -> Iterator[str]:
    if not is_set(dig(job, keys.vpc, allow_unknown=True)):
        yield f"{where}: no `{keys.vpc}`, so the job runs outside your VPC; give it private subnets."
    if dig(job, keys.isolation, allow_unknown=True) is not True:
        yield f"{where}: `{keys.isolation}` is not true, so the training container can reach the internet."


def _training_network(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in tokens.SAGEMAKER_TRAINING_JOB:
        yield from _isolation(view.name, view.props, pipeline_definition.RESOURCE_KEYS)
        return
    for step in pipeline_definition.steps(view):
        if step.type == "Training":
            yield from _isolation(step.where, step.arguments, pipeline_definition.DEFINITION_KEYS)


TRAINING_NETWORK = ResourceRule(
    RuleMeta(
        name="aws-sagemaker-training-network-isolation",
        controls=controls(nist=("SC-7",)),
        area="network",
        description=(
            "SageMaker training jobs and pipeline training steps run in a VPC with network isolation."
        ),
        severity="medium",
        rationale=(
            "Training containers run third-party code (frameworks, pip packages) against the full training "
            "set; network isolation and a VPC keep that data from leaving. Advisory: some algorithms need "
            "internet access, and isolation requires VPC endpoints for S3."
        ),
        remediation=(
            "Set vpc_config (subnets, security_group_ids) and enable_network_isolation=True; in pipelines "
            "pass subnets, security_group_ids and enable_network_isolation=True to the estimator."
        ),
        kind="resource",
        resource_types=tokens.SAGEMAKER_TRAINING_JOB + tokens.SAGEMAKER_PIPELINE,
        default_level="advisory",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html",
    ),
    _training_network,
)


def _account_blocks_all(index: s3_index.S3Index) -> bool:
    blocks = index.stack.of_types(tokens.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK)
    return any(all(block.bool_(flag) is True for flag in PAB_FLAGS) for block in blocks)


def _judge_pab(bucket: View, index: s3_index.S3Index, _settings: Settings) -> Iterator[str]:
    if _account_blocks_all(index):
        return
    blocks = index.attached("public-access-block", bucket)
    if not blocks:
        yield "no aws:s3/bucketPublicAccessBlock targets this bucket; add one with all four settings true."
    for block in blocks:
        off = [flag for flag in PAB_FLAGS if block.bool_(flag) is not True]
        if off:
            yield f"public access block {block.name} leaves {off} unset or false; set all four to true."


S3_PUBLIC_ACCESS = JoinRule(
    RuleMeta(
        name="aws-s3-bucket-public-access-block",
        controls=controls(
            fsbp=("S3.8",),
            cis=("2.1.4",),
            pci=("1.4.4",),
            nist=(
                "AC-3",
                "AC-21",
                "SC-7",
            ),
        ),
        area="network",
        description=(
            "Every S3 bucket has a public access block with all four settings on (or the account has one)."
        ),
        severity="critical",
        rationale=(
            "The public access block overrides any ACL or bucket policy that would make objects public. In "
            "pulumi-aws v7 it is a separate aws:s3/bucketPublicAccessBlock resource joined by bucket; a "
            "bucket without one fails unless an account-level block with all four settings exists in the "
            "stack."
        ),
        remediation=(
            "Add aws.s3.BucketPublicAccessBlock(bucket=..., block_public_acls=True, "
            "block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)."
        ),
        kind="stack",
        resource_types=tokens.S3_BUCKETS,
        related_types=tokens.S3_PUBLIC_ACCESS_BLOCK,
        references=(
            "CKV2_AWS_6",
            "CKV_AWS_53",
            "CKV_AWS_54",
            "CKV_AWS_55",
            "CKV_AWS_56",
            "s3-bucket-public-access-block",
        ),
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    ),
    s3_index.build,
    _judge_pab,
)

RULES: list[Rule] = [
    S3_PUBLIC_ACCESS,
    DB_PUBLIC,
    ECS_PUBLIC_IP,
    EC2_PUBLIC_IP,
    NOTEBOOK_INTERNET,
    FUNCTION_URL,
    TRAINING_NETWORK,
]
