"""A small program for the check command: a tagged bucket, an untagged one and a probe holding a secret."""

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
aws.s3.Bucket("tagged", tags={"owner": "data", "team": "x"})
aws.s3.Bucket("untagged", tags={"team": "x"})
pulumi.CustomResource("test:index:Probe", "probe", {"password": config.require_secret("password")})
