"""Synthetic benchmark program: `bench:count` resources in the issue's mix, for `bench/bench.py`.

Copied to `bench/out/synthetic/__main__.py`. Besides one KMS key and one Lambda role shared by all, it cycles
through: an S3 bucket with its encryption, public-access-block and versioning resources, an RDS instance, a
DynamoDB table, a security group, an IAM policy, an SNS topic, a Lambda function and a log group.
"""

import json

import pulumi
import pulumi_aws as aws

count = pulumi.Config().require_int("count")
key = aws.kms.Key("shared-key", enable_key_rotation=True)
role = aws.iam.Role(
    "shared-lambda-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
code = pulumi.AssetArchive(
    {"index.py": pulumi.StringAsset("def handler(event, context):\n    return event\n")}
)
bucket: aws.s3.Bucket | None = None


def add(kind: str, i: int) -> None:
    global bucket
    name = f"{kind}-{i}"
    if kind == "bucket":
        bucket = aws.s3.Bucket(name, tags={"bench": "yes"})
        return
    if kind in ("sse", "pab", "versioning"):
        assert bucket is not None, "the mix starts with a bucket"
        add_bucket_part(kind, name, bucket)
    else:
        add_other(kind, name, i)


def add_bucket_part(kind: str, name: str, bucket: aws.s3.Bucket) -> None:
    if kind == "sse":
        aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            bucket=bucket.id,
            rules=[
                {
                    "apply_server_side_encryption_by_default": {
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": key.arn,
                    }
                }
            ],
        )
    elif kind == "pab":
        aws.s3.BucketPublicAccessBlock(
            name,
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )
    elif kind == "versioning":
        aws.s3.BucketVersioning(name, bucket=bucket.id, versioning_configuration={"status": "Enabled"})


def add_other(kind: str, name: str, i: int) -> None:
    if kind == "rds":
        aws.rds.Instance(
            name,
            engine="postgres",
            engine_version="16.4",
            instance_class="db.t4g.micro",
            allocated_storage=20,
            username="app",
            manage_master_user_password=True,
            storage_encrypted=True,
            kms_key_id=key.arn,
            skip_final_snapshot=True,
            tags={"bench": "yes"},
        )
    elif kind == "table":
        aws.dynamodb.Table(
            name,
            billing_mode="PAY_PER_REQUEST",
            hash_key="id",
            attributes=[{"name": "id", "type": "S"}],
            server_side_encryption={"enabled": True, "kms_key_arn": key.arn},
            point_in_time_recovery={"enabled": True},
        )
    elif kind == "sg":
        aws.ec2.SecurityGroup(
            name,
            description="bench",
            ingress=[{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]}],
            egress=[{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]}],
        )
    elif kind == "policy":
        document = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::bench-{i}/*"}
            ],
        }
        aws.iam.Policy(name, policy=json.dumps(document))
    elif kind == "topic":
        aws.sns.Topic(name, kms_master_key_id=key.arn)
    elif kind == "lambda":
        aws.lambda_.Function(
            name, runtime="python3.12", handler="index.handler", role=role.arn, code=code, timeout=30
        )
    elif kind == "logs":
        aws.cloudwatch.LogGroup(name, retention_in_days=30, kms_key_id=key.arn)


MIX = ["bucket", "sse", "pab", "versioning", "rds", "table", "sg", "policy", "topic", "lambda", "logs"]
for i in range(count - 2):
    add(MIX[i % len(MIX)], i)
