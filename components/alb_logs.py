"""The ALB access-log bucket: hardened like the data lake's buckets, but encrypted with SSE-S3 (AES256).

Elastic Load Balancing writes access logs only to buckets whose default encryption is SSE-S3: "The only
server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)" (AWS, "Enable access logs
for your Application Load Balancer", bucket requirements). A customer-managed KMS key here would make log
delivery fail silently, so this is the one bucket of the platform without the data key.

Log delivery is granted to the regional Elastic Load Balancing account in regions that existed before August
2022, and to the `logdelivery.elasticloadbalancing.amazonaws.com` service principal everywhere else (same
page, "Attach a policy to your S3 bucket"), only under `<prefix>/AWSLogs/<this account>/`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.iam import deny_insecure_transport, policy_json, statement

LOG_PREFIX = "alb"
NONCURRENT_EXPIRATION_DAYS = 7

ELB_ACCOUNT_BY_REGION: dict[str, str] = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
}
"""Elastic Load Balancing's log-writer account per region opened before August 2022 (AWS documentation)."""


def elb_log_principal(region: str) -> dict[str, str]:
    account = ELB_ACCOUNT_BY_REGION.get(region)
    if account is None:
        return {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    partition = "aws-us-gov" if region.startswith("us-gov-") else "aws"
    return {"AWS": f"arn:{partition}:iam::{account}:root"}


@dataclass
class AlbLogBucket:
    bucket: aws.s3.Bucket
    policy: aws.s3.BucketPolicy
    """The load balancer depends on it: ELB checks that it may write before it enables access logs."""


def alb_log_bucket(
    name: str, region: str, account_id: pulumi.Input[str], retention_days: int, opts: pulumi.ResourceOptions
) -> AlbLogBucket:
    """Create the bucket and its configuration as resources named `<name>-<role>` with `opts`."""
    bucket = aws.s3.Bucket(name, tags={"Name": name}, opts=opts)
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-sse",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=(
                    aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="AES256"
                    )
                ),
            )
        ],
        opts=opts,
    )
    versioning = aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=opts,
    )
    block = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=opts,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=opts,
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-lifecycle",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-logs",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=retention_days),
                noncurrent_version_expiration=(
                    aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                        noncurrent_days=NONCURRENT_EXPIRATION_DAYS
                    )
                ),
                abort_incomplete_multipart_upload=(
                    aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=7
                    )
                ),
            )
        ],
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[versioning])),
    )
    logs = pulumi.Output.concat(bucket.arn, "/", LOG_PREFIX, "/AWSLogs/", account_id, "/*")
    policy = aws.s3.BucketPolicy(
        f"{name}-policy",
        bucket=bucket.id,
        policy=policy_json(
            [
                deny_insecure_transport(bucket.arn),
                statement(
                    "ElbAccessLogDelivery", ["s3:PutObject"], [logs], principal=elb_log_principal(region)
                ),
            ]
        ),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[block])),
    )
    return AlbLogBucket(bucket=bucket, policy=policy)
