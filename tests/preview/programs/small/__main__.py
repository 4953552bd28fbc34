"""Test program: invokes, a component, structured config, a secret, an explicit provider."""

import json

import pulumi
import pulumi_aws as aws
from lake import Lake

config = pulumi.Config()
lake_config = config.require_object("lake")
retention = config.get_int("retentionDays") or 7
db_password = config.require_secret("dbPassword")

identity = aws.get_caller_identity()
zones = aws.get_availability_zones(state="available")

lake = Lake("lake", lake_config["buckets"], lake_config["versioning"])

reader_policy = aws.iam.get_policy_document(
    statements=[
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="ReadLake",
            actions=["s3:GetObject", "s3:ListBucket"],
            resources=[lake.buckets[0].arn, lake.buckets[0].arn.apply(lambda a: f"{a}/*")],
        ),
        aws.iam.GetPolicyDocumentStatementArgs(
            effect="Deny",
            actions=["s3:*"],
            resources=["*"],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])],
            conditions=[
                aws.iam.GetPolicyDocumentStatementConditionArgs(
                    test="Bool", variable="aws:SecureTransport", values=["false"]
                )
            ],
        ),
    ]
)
role = aws.iam.Role(
    "reader",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{identity.account_id}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
aws.iam.RolePolicy("reader-read", role=role.id, policy=reader_policy.json)

logs = aws.cloudwatch.LogGroup("app-logs", retention_in_days=retention, kms_key_id=lake.key.arn)

west = aws.Provider("west", region="us-west-2", default_tags={"tags": {"owner": "dr-team"}})
replica_queue = aws.sqs.Queue("replica", opts=pulumi.ResourceOptions(provider=west))

db = aws.rds.Instance(
    "db",
    engine="postgres",
    instance_class="db.t4g.micro",
    allocated_storage=20,
    username="app",
    password=db_password,
    storage_encrypted=True,
    skip_final_snapshot=True,
    availability_zone=zones.names[0],
)

pulumi.export("account", identity.account_id)
pulumi.export("zones", zones.names)
pulumi.export("raw_bucket", lake.buckets[0].bucket)
pulumi.export("db_endpoint", db.endpoint)
pulumi.export("db_password", db_password)
pulumi.export("queue_url", replica_queue.url)
