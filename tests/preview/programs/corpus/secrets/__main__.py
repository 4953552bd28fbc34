"""Secrets in config and outputs, as in Pulumi's secrets examples."""

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
password = config.require_secret("dbPassword")
api_key = pulumi.Output.secret(config.require("apiKey"))
key = aws.kms.Key("secrets-key", enable_key_rotation=True)
secret = aws.secretsmanager.Secret("api-key", kms_key_id=key.arn)
aws.secretsmanager.SecretVersion("api-key-v1", secret_id=secret.id, secret_string=api_key)
db = aws.rds.Instance(
    "db",
    engine="postgres",
    instance_class="db.t4g.micro",
    allocated_storage=20,
    username="app",
    password=password,
    storage_encrypted=True,
    kms_key_id=key.arn,
    skip_final_snapshot=True,
)
pulumi.export("db_endpoint", db.endpoint)
pulumi.export("connection", pulumi.Output.concat("postgres://app:", password, "@", db.endpoint, "/app"))
pulumi.export("api_key", api_key)
