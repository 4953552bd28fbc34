"""Reads files next to the program, by its own path and relative to the working directory."""

from pathlib import Path

import pulumi
import pulumi_aws as aws

here = Path(__file__).parent
policy = aws.iam.Policy("reader", policy=(here / "policy.json").read_text())
site = aws.s3.Bucket("site", bucket="docs-site")
page = aws.s3.BucketObjectv2(
    "index",
    bucket=site.id,
    key="index.html",
    content=open("site/index.html").read(),  # noqa: SIM115 - the working directory is the program's
    content_type="text/html",
)
pulumi.export("policy_arn", policy.arn)
