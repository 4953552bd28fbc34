"""Amazon S3 Vectors indexes, and the Amazon Bedrock embedding tokens of the vectors they hold.

An index is usage-priced from three keys of its usage entry: `storageGb` (logical GB stored: per vector
4 bytes x dimension plus its key and metadata), `monthlyNewGb` (logical GB written by PutVectors; AWS bills
at least 128 KB per call, so small documents count 128 KB each) and `monthlyRequests` (QueryVectors calls).
QueryVectors also has a per-TB "data processed" charge that is not priced: no cited rate was found (the
component's note says so). With `embeddings.provider: bedrock` the platform has no endpoint to price; set
`monthlyEmbeddingTokens` on the index (tokens of the chunks embedded into it plus the queries embedded against
it) and the Titan Text Embeddings V2 tokens are priced here. Vector buckets themselves are free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cost.pricing.base import Context, Priced, Pricer, as_decimal, component

if TYPE_CHECKING:
    from inventory.model import Resource

SERVICE = "Amazon S3 Vectors"
INDEX = "aws:s3/vectorsIndex:VectorsIndex"
BUCKET = "aws:s3/vectorsVectorBucket:VectorsVectorBucket"
TITAN_TOKENS = "bedrock.titan_embed_text_v2.input_tokens"


@dataclass(frozen=True)
class IndexSpec:
    dimension: int


def parse(resource: Resource, ctx: Context) -> IndexSpec:
    return IndexSpec(dimension=int(as_decimal(resource.inputs.get("dimension"), "dimension")))


def price(spec: IndexSpec, ctx: Context) -> Priced:
    usage = ctx.usage
    components = [
        component(
            ctx,
            f"Vector storage ({spec.dimension} dimensions)",
            "s3vectors.storage",
            usage.storage_gb,
            unit="GB-month",
            usage_based=True,
            usage_key="storageGb",
        ),
        component(
            ctx,
            "PutVectors (logical GB written)",
            "s3vectors.put",
            usage.monthly_new_gb,
            unit="GB",
            usage_based=True,
            usage_key="monthlyNewGb",
        ),
        component(
            ctx,
            "QueryVectors requests",
            "s3vectors.query.requests",
            usage.monthly_requests,
            unit="request",
            usage_based=True,
            usage_key="monthlyRequests",
            note="plus a per-TB data-processed charge that is not priced (no cited rate)",
        ),
    ]
    if usage.monthly_embedding_tokens is not None:
        components.append(
            component(
                ctx,
                "Bedrock Titan Text Embeddings V2 tokens",
                TITAN_TOKENS,
                usage.monthly_embedding_tokens,
                unit="token",
                usage_based=True,
                usage_key="monthlyEmbeddingTokens",
            )
        )
    return Priced(components=components)


PRICERS: dict[str, Pricer[Any]] = {INDEX: Pricer(SERVICE, parse, price)}

FREE = {BUCKET: "vector buckets are free; storage, writes and queries are priced on their indexes"}
