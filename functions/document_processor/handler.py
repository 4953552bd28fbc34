"""Document processor: an S3 "Object Created" event in, text chunks and a document record out.

EventBridge invokes this function for every object created in the raw bucket. The function reads the object,
extracts its text (UTF-8 text and Markdown as is; JSON as `path: value` lines; CSV as `column: value` rows),
cuts the text into overlapping chunks, writes the chunks as JSON lines to the processed bucket and records the
document in the documents table. Every object gets a record, so the table tells a user what happened to each
upload:

* `embedded`    text extracted, chunked and embedded: `vector_count` vectors in the vector index
                (functions/document_processor/indexing.py);
* `processed`   text extracted and chunked (`chunk_count` > 0, `chunks_key` names the JSON-lines object), when
                the function runs without a vector index;
* `embedding_failed` chunked, but embedding or writing the vectors failed (`reason`); the error is raised;
* `empty`       the object holds no text (zero chunks, no chunks object);
* `unsupported` binary or undecodable content, or invalid JSON (`reason` says which);
* `too_large`   larger than `MAX_DOCUMENT_BYTES`, not read;
* `missing`     the object was deleted before it could be read (not an error: nothing is left to process).

A malformed event raises `MalformedEventError`: the invocation fails, and after Lambda's retries the event
lands in the function's dead-letter queue for inspection. Other S3/DynamoDB errors also raise, so they are
retried.

EventBridge delivers the object key as stored (S3 notification events URL-encode it; EventBridge events
don't).

Environment: `PROCESSED_BUCKET`, `DOCUMENTS_TABLE` (partition key `document_id`), `DATA_KEY_ARN` (SSE-KMS key
for the chunks), `CHUNK_SIZE_CHARS`, `CHUNK_OVERLAP_CHARS`, `CHUNKS_PREFIX` (default `chunks/`),
`MAX_DOCUMENT_BYTES` (default 50 MiB); for the vectors `VECTOR_BUCKET`, `VECTOR_INDEX` and the `EMBEDDINGS_*`
variables of functions/rag/embeddings.py (without `VECTOR_INDEX` the function only chunks).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from functions.document_processor.indexing import Indexer, index_document, indexer_from_env

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

MISSING_OBJECT_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
JSON_SUFFIXES = (".json",)
CSV_SUFFIXES = (".csv",)


class MalformedEventError(ValueError):
    """The invocation payload is not an EventBridge S3 "Object Created" event."""


class SettingsError(ValueError):
    """An environment variable the function needs is missing or invalid."""


@dataclass(frozen=True)
class Settings:
    processed_bucket: str
    documents_table: str
    data_key_arn: str
    chunk_size: int
    chunk_overlap: int
    chunks_prefix: str = "chunks/"
    max_document_bytes: int = 50 * 1024 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        size = _int_setting(env, "CHUNK_SIZE_CHARS")
        overlap = _int_setting(env, "CHUNK_OVERLAP_CHARS")
        if size < 1 or not 0 <= overlap < size:
            raise SettingsError(
                f"CHUNK_OVERLAP_CHARS ({overlap}) must be >= 0 and smaller than CHUNK_SIZE_CHARS ({size})"
            )
        return cls(
            processed_bucket=_required(env, "PROCESSED_BUCKET"),
            documents_table=_required(env, "DOCUMENTS_TABLE"),
            data_key_arn=_required(env, "DATA_KEY_ARN"),
            chunk_size=size,
            chunk_overlap=overlap,
            chunks_prefix=env.get("CHUNKS_PREFIX", "chunks/"),
            max_document_bytes=_int_setting(env, "MAX_DOCUMENT_BYTES", 50 * 1024 * 1024),
        )


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "")
    if not value:
        raise SettingsError(f"environment variable {name} is not set")
    return value


def _int_setting(env: Mapping[str, str], name: str, default: int | None = None) -> int:
    raw = env.get(name)
    if raw is None and default is not None:
        return default
    try:
        return int(_required(env, name) if raw is None else raw)
    except ValueError:
        raise SettingsError(f"environment variable {name} must be an integer, got {raw!r}") from None


# --- the event ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectRef:
    bucket: str
    key: str
    event_time: str | None = None

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    @property
    def document_id(self) -> str:
        """Stable per object location: a re-upload to the same key updates the same record."""
        return hashlib.sha256(self.uri.encode()).hexdigest()[:32]


def _string_at(event: Mapping[str, Any], *path: str) -> str:
    node: Any = event
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            raise MalformedEventError(f"event field {'.'.join(path)} is missing")
        node = node[part]
    if not isinstance(node, str) or not node:
        raise MalformedEventError(f"event field {'.'.join(path)} must be a non-empty string, got {node!r}")
    return node


def parse_event(event: Any) -> ObjectRef:
    """Validate the EventBridge envelope and return the created object's location."""
    if not isinstance(event, Mapping):
        raise MalformedEventError(f"event must be a JSON object, got {type(event).__name__}")
    source, detail_type = event.get("source"), event.get("detail-type")
    if source != "aws.s3" or detail_type != "Object Created":
        raise MalformedEventError(
            f"expected an EventBridge 'Object Created' event from aws.s3, got source={source!r} "
            f"detail-type={detail_type!r}"
        )
    time = event.get("time")
    return ObjectRef(
        bucket=_string_at(event, "detail", "bucket", "name"),
        key=_string_at(event, "detail", "object", "key"),
        event_time=time if isinstance(time, str) else None,
    )


# --- text extraction ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extraction:
    text: str | None  # None: no text could be extracted (see `reason`)
    kind: str  # "text" | "json" | "csv"
    reason: str = ""


def _kind(key: str, content_type: str) -> str:
    lowered, ctype = key.lower(), content_type.split(";")[0].strip().lower()
    if lowered.endswith(JSON_SUFFIXES) or ctype == "application/json":
        return "json"
    if lowered.endswith(CSV_SUFFIXES) or ctype == "text/csv":
        return "csv"
    return "text"


def _decode(body: bytes) -> str | None:
    """UTF-8 text (a leading BOM is dropped), or None for binary content."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _json_lines(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _json_lines(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_lines(item, f"{path}[{index}]")
    elif value is not None:
        rendered = value if isinstance(value, str) else json.dumps(value)
        yield f"{path}: {rendered}" if path else str(rendered)


def _csv_lines(text: str) -> Iterator[str]:
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None:
        return
    for row in rows:
        if any(cell.strip() for cell in row):
            names = header + [f"column{i + 1}" for i in range(len(header), len(row))]
            yield "; ".join(f"{name}: {cell}" for name, cell in zip(names, row, strict=False))


def extract_text(body: bytes, key: str, content_type: str = "") -> Extraction:
    """The object's text, or why there is none: every object ends in a record, whatever its content."""
    kind = _kind(key, content_type)
    text = _decode(body)
    if text is None:
        return Extraction(None, kind, "binary content: not UTF-8 text")
    try:
        extracted = _extract(text, kind)
    except json.JSONDecodeError as exc:
        return Extraction(None, kind, f"invalid JSON: {exc}")
    except RecursionError:
        return Extraction(None, kind, "JSON nested too deeply to read")
    except csv.Error as exc:
        return Extraction(None, kind, f"malformed CSV: {exc}")
    except ValueError as exc:  # e.g. an integer of more digits than Python converts (4,300)
        return Extraction(None, kind, f"unreadable {kind}: {exc}")
    return _valid_unicode(extracted, kind)


def _extract(text: str, kind: str) -> str:
    if kind == "json":
        return "\n".join(_json_lines(json.loads(text)))
    if kind == "csv":
        return "\n".join(_csv_lines(text))
    return text


def _valid_unicode(text: str, kind: str) -> Extraction:
    """JSON escapes can spell lone surrogates (`"\\ud800"`), which no UTF-8 output can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = f"U+{ord(exc.object[exc.start]):04X}"
        return Extraction(None, kind, f"invalid Unicode: lone surrogate {code} at character {exc.start}")
    return Extraction(text, kind)


# --- chunking -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int
    end: int
    text: str


def _cut(text: str, start: int, size: int, overlap: int) -> int:
    """End of the chunk starting at `start`: the last whitespace in the chunk's second half, so words stay
    whole, but always more than `overlap` characters in, so every step makes progress."""
    end = min(start + size, len(text))
    if end == len(text):
        return end
    lowest = start + max(size // 2, overlap + 1)
    for position in range(end - 1, lowest - 1, -1):
        if text[position].isspace():
            return position + 1
    return end


def chunk_text(text: str, size: int, overlap: int) -> list[Chunk]:
    """Cut `text` into chunks of at most `size` characters; consecutive chunks share exactly `overlap`
    characters and together they cover the whole text."""
    if size < 1 or not 0 <= overlap < size:
        raise ValueError(f"chunk overlap ({overlap}) must be >= 0 and smaller than the chunk size ({size})")
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        end = _cut(text, start, size, overlap)
        chunks.append(Chunk(len(chunks), start, end, text[start:end]))
        if end == len(text):
            break
        start = end - overlap
    return chunks


# --- the work -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deps:
    """What the function talks to; built once per container, passed explicitly for tests."""

    settings: Settings
    s3: Any
    table: Any
    indexer: Indexer | None = None


@cache
def _deps() -> Deps:
    settings = Settings.from_env(os.environ)
    table = boto3.resource("dynamodb").Table(settings.documents_table)
    return Deps(settings, boto3.client("s3"), table, indexer_from_env(os.environ))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _base_record(ref: ObjectRef, settings: Settings) -> dict[str, Any]:
    record = {
        "document_id": ref.document_id,
        "source_bucket": ref.bucket,
        "source_key": ref.key,
        "chunk_size_chars": settings.chunk_size,
        "chunk_overlap_chars": settings.chunk_overlap,
        "chunk_count": 0,
        "processed_at": _now(),
    }
    if ref.event_time:
        record["uploaded_at"] = ref.event_time
    return record


def _write_chunks(deps: Deps, ref: ObjectRef, chunks: list[Chunk]) -> str:
    key = f"{deps.settings.chunks_prefix}{ref.document_id}.jsonl"
    lines = (
        json.dumps(
            {
                "document_id": ref.document_id,
                "source": ref.uri,
                "chunk_index": c.index,
                "start": c.start,
                "end": c.end,
                "text": c.text,
            },
            ensure_ascii=False,
        )
        for c in chunks
    )
    deps.s3.put_object(
        Bucket=deps.settings.processed_bucket,
        Key=key,
        Body=("\n".join(lines) + "\n").encode("utf-8"),
        ContentType="application/x-ndjson",
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=deps.settings.data_key_arn,
    )
    return key


def _content_record(
    deps: Deps, ref: ObjectRef, response: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Chunk]]:
    """Read the object and cut it into chunks: the fields that depend on the content, and the chunks."""
    size = int(response.get("ContentLength", 0))
    fields: dict[str, Any] = {
        "etag": str(response.get("ETag", "")).strip('"'),
        "size_bytes": size,
        "content_type": response.get("ContentType", ""),
    }
    if size > deps.settings.max_document_bytes:
        response["Body"].close()
        reason = f"{size} bytes is over the {deps.settings.max_document_bytes}-byte limit"
        return {**fields, "status": "too_large", "reason": reason}, []
    extraction = extract_text(response["Body"].read(), ref.key, fields["content_type"])
    fields["format"] = extraction.kind
    if extraction.text is None:
        return {**fields, "status": "unsupported", "reason": extraction.reason}, []
    if not extraction.text.strip():
        return {**fields, "status": "empty", "reason": "no text in the object"}, []
    chunks = chunk_text(extraction.text, deps.settings.chunk_size, deps.settings.chunk_overlap)
    chunks_key = _write_chunks(deps, ref, chunks)
    return {**fields, "status": "processed", "chunk_count": len(chunks), "chunks_key": chunks_key}, chunks


def process(event: Any, deps: Deps) -> dict[str, Any]:
    """Handle one event; returns the document record that was written."""
    ref = parse_event(event)
    record = _base_record(ref, deps.settings)
    chunks: list[Chunk] = []
    try:
        response = deps.s3.get_object(Bucket=ref.bucket, Key=ref.key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in MISSING_OBJECT_CODES:
            raise
        record.update(status="missing", reason="the object was deleted before it could be processed")
    else:
        fields, chunks = _content_record(deps, ref, response)
        record.update(fields)
    if deps.indexer is not None:
        record.update(index_document(deps.indexer, deps.table, record, [c.text for c in chunks]))
    deps.table.put_item(Item=record)
    LOG.info(
        "document %s (%s): %s, %d chunks",
        record["document_id"],
        ref.uri,
        record["status"],
        record["chunk_count"],
    )
    return record


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point."""
    record = process(event, _deps())
    keys = ("document_id", "status", "chunk_count", "vector_count")
    return {key: record[key] for key in keys if key in record}
