"""Common data sources: caller identity, partition, region, IAM role/policy, KMS alias, secret, ECR image."""

import pulumi
import pulumi_aws as aws

me = aws.get_caller_identity()
partition = aws.get_partition()
region = aws.get_region()
role = aws.iam.get_role(name="platform-lambda")
boundary = aws.iam.get_policy(name="platform-boundary")
alias = aws.kms.get_alias(name="alias/platform")
secret = aws.secretsmanager.get_secret(name="platform/api")
image = aws.ecr.get_image(repository_name="worker", image_tag="1.4.2")
doc = aws.iam.get_policy_document(
    statements=[
        {
            "actions": ["secretsmanager:GetSecretValue"],
            "resources": [secret.arn],
        },
        {
            "actions": ["kms:Decrypt"],
            "resources": [alias.target_key_arn],
        },
    ]
)
aws.iam.RolePolicy("read-secret", role=role.name, policy=doc.json)
worker = aws.lambda_.Function(
    "worker",
    package_type="Image",
    image_uri=image.image_uri,
    role=role.arn,
    kms_key_arn=alias.target_key_arn,
    environment={"variables": {"SECRET_ARN": secret.arn, "ACCOUNT": me.account_id}},
)
pulumi.export("role_arn", role.arn)
pulumi.export("boundary_arn", boundary.arn)
pulumi.export("image_uri", image.image_uri)
pulumi.export("bucket_arn_prefix", f"arn:{partition.partition}:s3:::{region.region}")
