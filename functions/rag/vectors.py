"""The vector index's keys and metadata, and the S3 Vectors calls both functions make.

A chunk's vector key is `<document id>#<chunk number>` (chunk numbers from 0): deterministic, so
re-processing a document overwrites its vectors in place, and the keys of chunks a shortened document no
longer has are exactly the numbers from its new chunk count up to its old one. Metadata: `document_id`
(filterable), `chunk_index`, and `text` and `source` (non-filterable; see components/vector_store.py).

Environment: `VECTOR_BUCKET`, `VECTOR_INDEX`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PUT_BATCH = 500
"""PutVectors and DeleteVectors take at most 500 vectors/keys per call (s3vectors service model)."""


@dataclass(frozen=True)
class IndexRef:
    bucket: str
    index: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> IndexRef:
        missing = [name for name in ("VECTOR_BUCKET", "VECTOR_INDEX") if not env.get(name)]
        if missing:
            raise ValueError(f"environment variable(s) {', '.join(missing)} not set")
        return cls(env["VECTOR_BUCKET"], env["VECTOR_INDEX"])

    def params(self) -> dict[str, str]:
        return {"vectorBucketName": self.bucket, "indexName": self.index}


def vector_key(document_id: str, chunk_index: int) -> str:
    return f"{document_id}#{chunk_index}"


def chunk_vector(
    document_id: str, chunk_index: int, source: str, text: str, vector: Sequence[float]
) -> dict[str, Any]:
    return {
        "key": vector_key(document_id, chunk_index),
        "data": {"float32": list(vector)},
        "metadata": {"document_id": document_id, "chunk_index": chunk_index, "source": source, "text": text},
    }


def _groups(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), PUT_BATCH):
        yield items[start : start + PUT_BATCH]


def put_vectors(client: Any, ref: IndexRef, vectors: Sequence[dict[str, Any]]) -> None:
    for group in _groups(vectors):
        client.put_vectors(**ref.params(), vectors=list(group))


def delete_keys(client: Any, ref: IndexRef, keys: Sequence[str]) -> None:
    for group in _groups(keys):
        client.delete_vectors(**ref.params(), keys=list(group))


def query(
    client: Any, ref: IndexRef, vector: Sequence[float], top_k: int, document_id: str | None = None
) -> list[dict[str, Any]]:
    """The `top_k` nearest chunks: key, distance and the chunk's metadata."""
    request: dict[str, Any] = {
        **ref.params(),
        "queryVector": {"float32": list(vector)},
        "topK": top_k,
        "returnMetadata": True,
        "returnDistance": True,
    }
    if document_id:
        request["filter"] = {"document_id": {"$eq": document_id}}
    return list(client.query_vectors(**request).get("vectors", []))
