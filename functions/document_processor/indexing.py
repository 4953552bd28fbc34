"""Embed a processed document's chunks and keep its vectors in the index in step with its chunks.

After the chunks are written, `index_document` embeds them (functions/rag/embeddings.py) and writes one vector
per chunk with PutVectors under deterministic keys (functions/rag/vectors.py), then deletes the keys of chunk
numbers the document no longer has (from its new chunk count up to the vector count its previous record
holds). A document that is now empty, unsupported, too large or deleted keeps no vectors at all. The record
gets `vector_count` and, when it has vectors, status `embedded`.

When embedding or writing fails, the record is written with status `embedding_failed` and the reason, and the
error is raised again so Lambda retries the event and finally sends it to the dead-letter queue. Its
`vector_count` is then the most keys the document may have in the index, so the next successful run still
deletes every stale key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from functions.rag.embeddings import Embedder, EmbeddingError, EmbeddingSettings
from functions.rag.vectors import IndexRef, chunk_vector, delete_keys, put_vectors, vector_key


@dataclass(frozen=True)
class Indexer:
    embedder: Embedder
    vectors: Any
    """The s3vectors client."""
    index: IndexRef


def indexer_from_env(env: Mapping[str, str]) -> Indexer | None:
    """The indexer the environment describes; None without `VECTOR_INDEX` (the function then only chunks)."""
    if not env.get("VECTOR_INDEX"):
        return None
    embedding = EmbeddingSettings.from_env(env)
    client = boto3.client(embedding.service, config=embedding.client_config())
    return Indexer(Embedder(embedding, client), boto3.client("s3vectors"), IndexRef.from_env(env))


def previous_vector_count(table: Any, document_id: str) -> int:
    item = table.get_item(Key={"document_id": document_id}).get("Item") or {}
    return int(item.get("vector_count", 0))


def _write(indexer: Indexer, record: Mapping[str, Any], texts: Sequence[str], previous: int) -> None:
    document_id, source = record["document_id"], f"s3://{record['source_bucket']}/{record['source_key']}"
    if texts:
        embedded = indexer.embedder.embed(texts)
        put_vectors(
            indexer.vectors,
            indexer.index,
            [
                chunk_vector(document_id, i, source, text, v)
                for i, (text, v) in enumerate(zip(texts, embedded, strict=True))
            ],
        )
    stale = [vector_key(document_id, i) for i in range(len(texts), previous)]
    if stale:
        delete_keys(indexer.vectors, indexer.index, stale)


def index_document(
    indexer: Indexer, table: Any, record: dict[str, Any], texts: Sequence[str]
) -> dict[str, Any]:
    """Index `texts` (the document's chunks, in order; empty when it has none) and return the record fields to
    add. On failure the failed record is stored and the error raised."""
    previous = previous_vector_count(table, record["document_id"])
    try:
        _write(indexer, record, texts, previous)
    except (EmbeddingError, ClientError, BotoCoreError) as exc:
        failed = {
            **record,
            "status": "embedding_failed",
            "reason": str(exc),
            "vector_count": max(previous, len(texts)),
        }
        table.put_item(Item=failed)
        raise
    fields: dict[str, Any] = {"vector_count": len(texts)}
    if texts:
        fields["status"] = "embedded"
    return fields
