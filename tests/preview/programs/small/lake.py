"""A tiny data-lake component: one KMS key and, per bucket, a bucket with encryption (and versioning)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


class Lake(pulumi.ComponentResource):
    def __init__(
        self, name: str, buckets: list[str], versioning: bool, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("small:data:Lake", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.key = aws.kms.Key(f"{name}-key", enable_key_rotation=True, opts=child)
        self.buckets = []
        for label in buckets:
            bucket = aws.s3.Bucket(f"{name}-{label}", tags={"layer": label}, opts=child)
            aws.s3.BucketServerSideEncryptionConfiguration(
                f"{name}-{label}-sse",
                bucket=bucket.bucket,
                rules=[
                    aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                        apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                            sse_algorithm="aws:kms", kms_master_key_id=self.key.arn
                        ),
                        bucket_key_enabled=True,
                    )
                ],
                opts=pulumi.ResourceOptions(parent=bucket),
            )
            if versioning:
                aws.s3.BucketVersioning(
                    f"{name}-{label}-versioning",
                    bucket=bucket.id,
                    versioning_configuration={"status": "Enabled"},
                    opts=pulumi.ResourceOptions(parent=bucket),
                )
            self.buckets.append(bucket)
        self.register_outputs({"bucket_names": [b.bucket for b in self.buckets]})
