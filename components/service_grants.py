"""What a container service's `grants` (stack config) give its task: IAM statements, environment and secrets.

- `read-raw` / `read-processed` / `read-artifacts`: `s3:GetObject` on the bucket's objects and `s3:ListBucket`
  on the bucket; env `RAW_BUCKET` / `PROCESSED_BUCKET` / `ARTIFACTS_BUCKET`.
- `write-raw` / `write-processed`: `s3:PutObject` on the bucket's objects; the same env.
- `sessions-table`: get, put, update, delete item and query on the sessions table and its indexes;
  env `SESSIONS_TABLE`.
- `documents-table`: get, put, update item and query on the documents table; env `DOCUMENTS_TABLE`.
- `invoke-endpoint`: `sagemaker:InvokeEndpoint` on the platform endpoint; env `SAGEMAKER_ENDPOINT`.
- `invoke-retrieval`: `lambda:InvokeFunction` on the RAG retrieval function; env `RETRIEVAL_FUNCTION`.
- `database`: env `DB_HOST`, `DB_PORT`; secrets `DB_USERNAME`, `DB_PASSWORD` from the RDS-managed master
  secret (the execution role may read exactly that secret).

Any bucket or table grant adds `kms:Decrypt`/`kms:GenerateDataKey` on the data key, which encrypts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from components.iam import Statement, statement

DATA_GRANTS = frozenset(
    {
        "read-raw",
        "write-raw",
        "read-processed",
        "write-processed",
        "read-artifacts",
        "sessions-table",
        "documents-table",
    }
)


@dataclass
class ServiceAccess:
    """The resources grants refer to."""

    raw_bucket_name: pulumi.Input[str]
    raw_bucket_arn: pulumi.Input[str]
    processed_bucket_name: pulumi.Input[str]
    processed_bucket_arn: pulumi.Input[str]
    artifacts_bucket_name: pulumi.Input[str]
    artifacts_bucket_arn: pulumi.Input[str]
    sessions_table_name: pulumi.Input[str]
    sessions_table_arn: pulumi.Input[str]
    documents_table_name: pulumi.Input[str]
    documents_table_arn: pulumi.Input[str]
    endpoint_name: pulumi.Input[str]
    endpoint_arn: pulumi.Input[str]
    db_secret_arn: pulumi.Input[str]
    db_address: pulumi.Input[str]
    db_port: pulumi.Input[int]
    data_key_arn: pulumi.Input[str]
    retrieval_function_name: pulumi.Input[str] = ""
    retrieval_function_arn: pulumi.Input[str] = ""


def _objects(bucket_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    return pulumi.Output.concat(bucket_arn, "/*")


def _table(table_arn: pulumi.Input[str]) -> list[pulumi.Input[str]]:
    return [table_arn, pulumi.Output.concat(table_arn, "/index/*")]


def _bucket_statements(grant: str, a: ServiceAccess) -> list[Statement]:
    buckets = {
        "raw": a.raw_bucket_arn,
        "processed": a.processed_bucket_arn,
        "artifacts": a.artifacts_bucket_arn,
    }
    verb, _, which = grant.partition("-")
    arn, title = buckets[which], which.capitalize()
    if verb == "write":
        return [statement(f"Write{title}Objects", ["s3:PutObject"], [_objects(arn)])]
    return [
        statement(f"Read{title}Objects", ["s3:GetObject"], [_objects(arn)]),
        statement(f"List{title}Bucket", ["s3:ListBucket"], [arn]),
    ]


def grant_statements(grants: Sequence[str], a: ServiceAccess) -> list[Statement]:
    """Task-role statements for `grants` (the `database` grant needs none: its secret is injected)."""
    result: list[Statement] = []
    for grant in grants:
        if grant.endswith(("-raw", "-processed", "-artifacts")):
            result += _bucket_statements(grant, a)
        elif grant == "sessions-table":
            result.append(
                statement(
                    "UseSessionsTable",
                    [
                        "dynamodb:DeleteItem",
                        "dynamodb:GetItem",
                        "dynamodb:PutItem",
                        "dynamodb:Query",
                        "dynamodb:UpdateItem",
                    ],
                    _table(a.sessions_table_arn),
                )
            )
        elif grant == "documents-table":
            result.append(
                statement(
                    "UseDocumentsTable",
                    ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
                    _table(a.documents_table_arn),
                )
            )
        elif grant == "invoke-endpoint":
            result.append(statement("InvokeModelEndpoint", ["sagemaker:InvokeEndpoint"], [a.endpoint_arn]))
        elif grant == "invoke-retrieval":
            result.append(
                statement("InvokeRetrievalFunction", ["lambda:InvokeFunction"], [a.retrieval_function_arn])
            )
    if DATA_GRANTS.intersection(grants):
        result.append(statement("UseDataKey", ["kms:Decrypt", "kms:GenerateDataKey"], [a.data_key_arn]))
    return result


def grant_environment(grants: Sequence[str], a: ServiceAccess) -> dict[str, pulumi.Input[str]]:
    """Plain environment variables naming what the grants reach (names, never credentials)."""
    env: dict[str, pulumi.Input[str]] = {}
    for grant in grants:
        if grant.endswith("-raw"):
            env["RAW_BUCKET"] = a.raw_bucket_name
        elif grant.endswith("-processed"):
            env["PROCESSED_BUCKET"] = a.processed_bucket_name
        elif grant.endswith("-artifacts"):
            env["ARTIFACTS_BUCKET"] = a.artifacts_bucket_name
        elif grant == "sessions-table":
            env["SESSIONS_TABLE"] = a.sessions_table_name
        elif grant == "documents-table":
            env["DOCUMENTS_TABLE"] = a.documents_table_name
        elif grant == "invoke-endpoint":
            env["SAGEMAKER_ENDPOINT"] = a.endpoint_name
        elif grant == "invoke-retrieval":
            env["RETRIEVAL_FUNCTION"] = a.retrieval_function_name
        elif grant == "database":
            env["DB_HOST"] = a.db_address
            env["DB_PORT"] = pulumi.Output.from_input(a.db_port).apply(str)
    return env


def grant_secrets(grants: Sequence[str], a: ServiceAccess) -> dict[str, pulumi.Input[str]]:
    """Secrets injected by ECS for the grants: JSON keys of the RDS-managed master secret."""
    if "database" not in grants:
        return {}
    return {
        "DB_USERNAME": pulumi.Output.concat(a.db_secret_arn, ":username::"),
        "DB_PASSWORD": pulumi.Output.concat(a.db_secret_arn, ":password::"),
    }
