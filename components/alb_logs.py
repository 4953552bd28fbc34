"""The ALB access-log bucket: hardened by the data lake's `harden`, but encrypted with SSE-S3 (AES256).

Elastic Load Balancing writes access logs only to buckets whose default encryption is SSE-S3: "The only
server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)" (AWS, "Enable access logs
for your Application Load Balancer", bucket requirements). A customer-managed KMS key here would make log
delivery fail silently, so this is the one bucket of the platform without the data key.

Log delivery is granted to the regional Elastic Load Balancing account in regions that existed before August
2022, and to the `logdelivery.elasticloadbalancing.amazonaws.com` service principal everywhere else (same
page, "Attach a policy to your S3 bucket"), only under `<prefix>/AWSLogs/<this account>/`.
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pulumi_aws as aws

from components.data_lake import BucketSpec, HardenedBucket, expiry_rules, harden
from components.iam import Statement, statement

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


def _elb_delivery(
    region: str, account_id: pulumi.Input[str]
) -> Callable[[pulumi.Output[str]], list[Statement]]:
    """The bucket-policy grant letting ELB write access logs under `<LOG_PREFIX>/AWSLogs/<account>/`."""

    def build(bucket_arn: pulumi.Output[str]) -> list[Statement]:
        logs = pulumi.Output.concat(bucket_arn, "/", LOG_PREFIX, "/AWSLogs/", account_id, "/*")
        return [
            statement("ElbAccessLogDelivery", ["s3:PutObject"], [logs], principal=elb_log_principal(region))
        ]

    return build


def alb_log_bucket(
    name: str, region: str, account_id: pulumi.Input[str], retention_days: int, opts: pulumi.ResourceOptions
) -> HardenedBucket:
    """Create the bucket and its configuration as resources named `<name>-<role>` with `opts`. The load
    balancer depends on the returned `policy`: ELB checks that it may write before it enables access logs."""
    bucket = aws.s3.Bucket(name, tags={"Name": name}, opts=opts)
    spec = BucketSpec(
        kms_key_arn=None,
        lifecycle_rules=expiry_rules(retention_days, NONCURRENT_EXPIRATION_DAYS),
        extra_statements=_elb_delivery(region, account_id),
    )
    return harden(bucket, name, spec, opts)
