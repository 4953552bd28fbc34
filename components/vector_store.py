"""The RAG system's vector store: one S3 Vectors vector bucket and one index of document-chunk vectors.

The bucket is encrypted with the data key (SSE-KMS with the customer-managed key; S3 Vectors buckets are
never public and get no bucket policy here, so only IAM principals of this account that are granted the
index can reach it). The index stores float32 vectors of `embeddings.dimension` compared by
`vectorStore.distanceMetric`; each vector's key is `<document id>#<chunk number>` and its metadata holds the
document id (filterable, so retrieval can be narrowed to documents) and the chunk text and source URI
(non-filterable: returned with query results, not indexed for filters).

`statement(sid, actions)` builds an IAM statement scoped to exactly this index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.iam import Statement, statement

DATA_TYPE = "float32"
NON_FILTERABLE_METADATA = ("text", "source")
"""Metadata returned with each match but not filterable (chunk text can exceed filterable-metadata limits)."""


@dataclass
class VectorStoreArgs:
    prefix: str
    data_key_arn: pulumi.Input[str]
    dimension: int
    distance_metric: str
    force_destroy: bool = False


class VectorStore(pulumi.ComponentResource):
    def __init__(self, name: str, args: VectorStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:vectors:VectorStore", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.bucket = aws.s3.VectorsVectorBucket(
            f"{name}-bucket",
            vector_bucket_name=f"{args.prefix}-vectors",
            encryption_configurations=[
                aws.s3.VectorsVectorBucketEncryptionConfigurationArgs(
                    sse_type="aws:kms", kms_key_arn=args.data_key_arn
                )
            ],
            force_destroy=args.force_destroy,
            opts=child,
        )
        self.index = aws.s3.VectorsIndex(
            f"{name}-index",
            vector_bucket_name=self.bucket.vector_bucket_name,
            index_name="document-chunks",
            data_type=DATA_TYPE,
            dimension=args.dimension,
            distance_metric=args.distance_metric,
            metadata_configuration=aws.s3.VectorsIndexMetadataConfigurationArgs(
                non_filterable_metadata_keys=list(NON_FILTERABLE_METADATA)
            ),
            opts=child,
        )
        self.vector_bucket_name: pulumi.Output[str] = self.bucket.vector_bucket_name
        self.vector_bucket_arn: pulumi.Output[str] = self.bucket.vector_bucket_arn
        self.index_name: pulumi.Output[str] = self.index.index_name
        self.index_arn: pulumi.Output[str] = self.index.index_arn
        self.register_outputs(
            {
                "vector_bucket_name": self.vector_bucket_name,
                "vector_bucket_arn": self.vector_bucket_arn,
                "index_name": self.index_name,
                "index_arn": self.index_arn,
            }
        )

    def statement(self, sid: str, actions: Sequence[str]) -> Statement:
        """`actions` (`s3vectors:PutVectors`...) on this index only."""
        return statement(sid, actions, [self.index_arn])

    def function_environment(self) -> dict[str, pulumi.Input[str]]:
        return {"VECTOR_BUCKET": self.vector_bucket_name, "VECTOR_INDEX": self.index_name}
