"""Retrieval for the RAG API: a question in, the top-k most similar document chunks with their sources out.

The rag-api service invokes this function synchronously (`lambda:Invoke`, function name in its
`RETRIEVAL_FUNCTION` environment variable) with

    {"query": "How do I rotate the keys?", "k": 5, "documentId": "<optional: only this document>"}

It embeds the query exactly as the document processor embeds chunks (functions/rag/embeddings.py), asks the
vector index for the `k` nearest chunk vectors (QueryVectors with their metadata) and answers

    {"statusCode": 200, "query": ..., "k": 5, "results": [
        {"key": "<document id>#3", "documentId": ..., "chunkIndex": 3, "source": "s3://raw/...",
         "text": "...", "distance": 0.12}, ...]}

nearest first. A request it cannot serve as asked (not a JSON object, a missing, empty or over-long query, a k
outside 1..`MAX_TOP_K`, a document id that is not a string) gets `{"statusCode": 400, "error": "..."}` saying
what is allowed; nothing is embedded for it. Embeddings or S3 Vectors failures raise (the caller sees a
function error and may retry).

Environment: `VECTOR_BUCKET`, `VECTOR_INDEX`, the `EMBEDDINGS_*` variables, `DEFAULT_TOP_K`, `MAX_TOP_K`,
`MAX_QUERY_CHARS`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3

from functions.rag.embeddings import Embedder, EmbeddingSettings
from functions.rag.vectors import IndexRef, query

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)


class InvalidRequestError(ValueError):
    """The request is not one this function can answer; the message says what is allowed."""


@dataclass(frozen=True)
class Limits:
    default_top_k: int = 5
    max_top_k: int = 20
    max_query_chars: int = 2000

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        def number(name: str, default: int) -> int:
            raw = env.get(name)
            try:
                value = default if raw is None else int(raw)
            except ValueError:
                raise ValueError(f"environment variable {name} must be an integer, got {raw!r}") from None
            if value < 1:
                raise ValueError(f"environment variable {name} must be >= 1, got {value}")
            return value

        limits = cls(number("DEFAULT_TOP_K", 5), number("MAX_TOP_K", 20), number("MAX_QUERY_CHARS", 2000))
        if limits.default_top_k > limits.max_top_k:
            raise ValueError(f"DEFAULT_TOP_K ({limits.default_top_k}) exceeds MAX_TOP_K ({limits.max_top_k})")
        return limits


@dataclass(frozen=True)
class Request:
    query: str
    k: int
    document_id: str | None = None


def parse_request(event: Any, limits: Limits) -> Request:
    if not isinstance(event, Mapping):
        raise InvalidRequestError(f"the request must be a JSON object, got {type(event).__name__}")
    text = event.get("query")
    if not isinstance(text, str):
        raise InvalidRequestError("'query' is required and must be a string")
    text = text.strip()
    if not text:
        raise InvalidRequestError("'query' is empty: send the question to retrieve chunks for")
    if len(text) > limits.max_query_chars:
        raise InvalidRequestError(
            f"'query' has {len(text)} characters; at most {limits.max_query_chars} are allowed"
        )
    k = event.get("k", limits.default_top_k)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= limits.max_top_k:
        raise InvalidRequestError(f"'k' must be an integer from 1 to {limits.max_top_k}, got {k!r}")
    document_id = event.get("documentId")
    if document_id is not None and (not isinstance(document_id, str) or not document_id):
        raise InvalidRequestError(f"'documentId' must be a non-empty string when given, got {document_id!r}")
    return Request(text, k, document_id)


@dataclass(frozen=True)
class Deps:
    limits: Limits
    embedder: Embedder
    vectors: Any
    """The s3vectors client."""
    index: IndexRef


@cache
def _deps() -> Deps:
    settings = EmbeddingSettings.from_env(os.environ)
    embedder = Embedder(settings, boto3.client(settings.service, config=settings.client_config()))
    return Deps(
        Limits.from_env(os.environ), embedder, boto3.client("s3vectors"), IndexRef.from_env(os.environ)
    )


def _result(match: Mapping[str, Any]) -> dict[str, Any]:
    metadata = match.get("metadata") or {}
    result = {
        "key": match["key"],
        "documentId": metadata.get("document_id"),
        "chunkIndex": metadata.get("chunk_index"),
        "source": metadata.get("source"),
        "text": metadata.get("text"),
    }
    if "distance" in match:
        result["distance"] = match["distance"]
    return result


def retrieve(event: Any, deps: Deps) -> dict[str, Any]:
    try:
        request = parse_request(event, deps.limits)
    except InvalidRequestError as exc:
        return {"statusCode": 400, "error": str(exc)}
    [vector] = deps.embedder.embed([request.query])
    matches = query(deps.vectors, deps.index, vector, request.k, request.document_id)
    LOG.info("query of %d characters: %d matches (k=%d)", len(request.query), len(matches), request.k)
    return {
        "statusCode": 200,
        "query": request.query,
        "k": request.k,
        "results": [_result(match) for match in matches],
    }


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point."""
    return retrieve(event, _deps())
