"""Imports its own `inventory` and `preview` modules, which share names with the offline tool's packages."""

import pulumi
import pulumi_aws as aws

import inventory
import preview

for name in inventory.BUCKETS:
    aws.s3.Bucket(name, bucket=preview.label(name))
pulumi.export("buckets", inventory.BUCKETS)
