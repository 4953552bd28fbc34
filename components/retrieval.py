"""The retrieval function the rag-api service calls: a question in, the nearest document chunks out.

`functions/retrieval/` embeds the query with the same embeddings as the document processor and runs
QueryVectors on the vector index (with metadata, which also needs GetVectors). Its role may do exactly that:
invoke the embeddings endpoint (or the Bedrock model) and query and read that one index. The rag-api task
role gets `lambda:InvokeFunction` on this function through its `invoke-retrieval` grant
(`components/service_grants.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi

from components.config import RetrievalConfig
from components.iam import Statement
from components.lambda_function import PythonFunctionArgs, python_function

QUERY_ACTIONS = ("s3vectors:GetVectors", "s3vectors:QueryVectors")


@dataclass
class RetrievalArgs:
    prefix: str
    region: str
    account_id: pulumi.Input[str]
    data_key_arn: pulumi.Input[str]
    logs_key_arn: pulumi.Input[str]
    log_retention_days: int
    subnet_ids: Sequence[pulumi.Input[str]]
    security_group_id: pulumi.Input[str]
    statements: Sequence[Statement]
    """Invoke the embeddings and query the index (from components/embeddings.py and vector_store.py)."""
    environment: Mapping[str, pulumi.Input[str]]
    retrieval: RetrievalConfig


class Retrieval(pulumi.ComponentResource):
    def __init__(self, name: str, args: RetrievalArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:retrieval:Retrieval", name, None, opts)
        settings = args.retrieval
        function = python_function(
            name,
            PythonFunctionArgs(
                function_name=f"{args.prefix}-retrieval",
                code_dir="retrieval",
                description="Embeds a question and returns the nearest document chunks (RAG retrieval)",
                region=args.region,
                account_id=args.account_id,
                memory_mb=settings.memory_mb,
                timeout_seconds=settings.timeout_seconds,
                reserved_concurrency=settings.reserved_concurrency,
                data_key_arn=args.data_key_arn,
                logs_key_arn=args.logs_key_arn,
                log_retention_days=args.log_retention_days,
                subnet_ids=args.subnet_ids,
                security_group_id=args.security_group_id,
                statements=args.statements,
                environment={
                    **args.environment,
                    "DEFAULT_TOP_K": str(settings.default_top_k),
                    "MAX_TOP_K": str(settings.max_top_k),
                    "MAX_QUERY_CHARS": str(settings.max_query_chars),
                },
                packages=("rag",),
            ),
            pulumi.ResourceOptions(parent=self),
        )
        self.function = function.function
        self.function_name: pulumi.Output[str] = self.function.name
        self.function_arn: pulumi.Output[str] = self.function.arn
        self.register_outputs({"function_name": self.function_name, "function_arn": self.function_arn})
