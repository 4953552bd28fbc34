"""Constants and moto setup helpers shared by the Lambda handler tests and their conftest."""

from __future__ import annotations

from typing import Any

import boto3

REGION = "us-east-1"
DATA_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"


def make_bucket(s3: Any, name: str) -> str:
    s3.create_bucket(Bucket=name)
    return name


def make_documents_table(name: str = "documents") -> Any:
    dynamodb = boto3.resource("dynamodb", region_name=REGION)
    return dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "document_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "document_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
