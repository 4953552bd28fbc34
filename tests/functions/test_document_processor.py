"""The document processor Lambda against moto S3 + DynamoDB: the records and chunk files users rely on."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moto_env import DATA_KEY_ARN, make_bucket, make_documents_table

from functions.document_processor import handler as dp

RAW, PROCESSED = "raw-bucket", "processed-bucket"


def s3_event(key: str, bucket: str = RAW, **overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "version": "0",
        "id": "c9888434-815d-c6f4-9fc2-4dd7bdeccaaf",
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "123456789012",
        "time": "2026-11-26T10:00:00Z",
        "region": "us-east-1",
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {"version": "0", "bucket": {"name": bucket}, "object": {"key": key, "size": 10}},
    }
    event.update(overrides)
    return event


@pytest.fixture
def env(s3: Any) -> dict[str, str]:
    make_bucket(s3, RAW)
    make_bucket(s3, PROCESSED)
    make_documents_table()
    return {
        "PROCESSED_BUCKET": PROCESSED,
        "DOCUMENTS_TABLE": "documents",
        "DATA_KEY_ARN": DATA_KEY_ARN,
        "CHUNK_SIZE_CHARS": "20",
        "CHUNK_OVERLAP_CHARS": "5",
    }


@pytest.fixture
def deps(env: dict[str, str], s3: Any) -> dp.Deps:
    import boto3

    settings = dp.Settings.from_env(env)
    return dp.Deps(settings, s3, boto3.resource("dynamodb", region_name="us-east-1").Table("documents"))


def stored_record(deps: dp.Deps, document_id: str) -> dict[str, Any]:
    return deps.table.get_item(Key={"document_id": document_id})["Item"]


def stored_chunks(s3: Any, key: str) -> list[dict[str, Any]]:
    body = s3.get_object(Bucket=PROCESSED, Key=key)["Body"].read().decode()
    return [json.loads(line) for line in body.splitlines()]


def test_text_document_is_chunked_and_recorded(deps: dp.Deps, s3: Any) -> None:
    text = "The quick brown fox jumps over the lazy dog and keeps running."
    s3.put_object(Bucket=RAW, Key="docs/fox.txt", Body=text.encode(), ContentType="text/plain")

    record = dp.process(s3_event("docs/fox.txt"), deps)

    ref = dp.ObjectRef(RAW, "docs/fox.txt")
    assert record["status"] == "processed"
    stored = stored_record(deps, ref.document_id)
    assert stored["source_bucket"] == RAW and stored["source_key"] == "docs/fox.txt"
    assert stored["size_bytes"] == len(text) and stored["format"] == "text"
    assert stored["etag"] and stored["uploaded_at"] == "2026-11-26T10:00:00Z"
    assert stored["chunks_key"] == f"chunks/{ref.document_id}.jsonl"
    chunks = stored_chunks(s3, stored["chunks_key"])
    assert int(stored["chunk_count"]) == len(chunks) == 4
    assert [c["text"] for c in chunks] == [
        "The quick brown fox ",
        " fox jumps over the ",
        " the lazy dog and ",
        " and keeps running.",
    ]
    assert {c["source"] for c in chunks} == {f"s3://{RAW}/docs/fox.txt"}
    head = s3.head_object(Bucket=PROCESSED, Key=stored["chunks_key"])
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == DATA_KEY_ARN


def test_json_document_becomes_path_value_lines(deps: dp.Deps, s3: Any) -> None:
    doc = {"title": "Guide", "sections": [{"body": "Install"}, {"body": "Run", "minutes": 5}]}
    s3.put_object(Bucket=RAW, Key="guide.json", Body=json.dumps(doc).encode())
    deps = dp.Deps(dp.Settings(PROCESSED, "documents", DATA_KEY_ARN, 1000, 100), deps.s3, deps.table)

    record = dp.process(s3_event("guide.json"), deps)

    assert record["format"] == "json"
    [chunk] = stored_chunks(s3, record["chunks_key"])
    assert (
        chunk["text"]
        == "title: Guide\nsections[0].body: Install\nsections[1].body: Run\nsections[1].minutes: 5"
    )


def test_csv_document_becomes_column_value_rows(deps: dp.Deps, s3: Any) -> None:
    s3.put_object(Bucket=RAW, Key="people.csv", Body=b"name,role\nAda,engineer\n,\nGrace,admiral,navy\n")
    deps = dp.Deps(dp.Settings(PROCESSED, "documents", DATA_KEY_ARN, 1000, 100), deps.s3, deps.table)

    record = dp.process(s3_event("people.csv"), deps)

    [chunk] = stored_chunks(s3, record["chunks_key"])
    assert chunk["text"] == "name: Ada; role: engineer\nname: Grace; role: admiral; column3: navy"


def test_binary_document_is_recorded_as_unsupported(deps: dp.Deps, s3: Any) -> None:
    s3.put_object(Bucket=RAW, Key="scan.pdf", Body=b"%PDF-1.7\n\xff\xfe\x00binary")

    record = dp.process(s3_event("scan.pdf"), deps)

    stored = stored_record(deps, record["document_id"])
    assert stored["status"] == "unsupported"
    assert stored["reason"] == "binary content: not UTF-8 text"
    assert int(stored["chunk_count"]) == 0 and "chunks_key" not in stored
    assert s3.list_objects_v2(Bucket=PROCESSED)["KeyCount"] == 0


def test_invalid_json_is_unsupported_with_the_parse_error(deps: dp.Deps, s3: Any) -> None:
    s3.put_object(Bucket=RAW, Key="broken.json", Body=b'{"a": ')

    record = dp.process(s3_event("broken.json"), deps)

    assert record["status"] == "unsupported"
    assert record["reason"].startswith("invalid JSON: Expecting value: line 1 column 7")


def test_whitespace_only_document_is_empty(deps: dp.Deps, s3: Any) -> None:
    s3.put_object(Bucket=RAW, Key="blank.md", Body=b"  \n\n ")

    record = dp.process(s3_event("blank.md"), deps)

    assert (record["status"], record["chunk_count"]) == ("empty", 0)
    assert s3.list_objects_v2(Bucket=PROCESSED)["KeyCount"] == 0


def test_object_over_the_size_limit_is_not_read(deps: dp.Deps, s3: Any) -> None:
    s3.put_object(Bucket=RAW, Key="big.txt", Body=b"x" * 64)
    deps = dp.Deps(
        dp.Settings(PROCESSED, "documents", DATA_KEY_ARN, 20, 5, max_document_bytes=63), deps.s3, deps.table
    )

    record = dp.process(s3_event("big.txt"), deps)

    assert record["status"] == "too_large"
    assert record["reason"] == "64 bytes is over the 63-byte limit"


def test_missing_object_is_recorded_not_raised(deps: dp.Deps, s3: Any) -> None:
    record = dp.process(s3_event("deleted-already.txt"), deps)

    stored = stored_record(deps, dp.ObjectRef(RAW, "deleted-already.txt").document_id)
    assert stored["status"] == "missing"
    assert stored["reason"] == "the object was deleted before it could be processed"
    assert record["status"] == "missing"


def test_reupload_updates_the_same_record(deps: dp.Deps, s3: Any) -> None:
    s3.put_object(Bucket=RAW, Key="a.txt", Body=b"first version")
    first = dp.process(s3_event("a.txt"), deps)
    s3.put_object(Bucket=RAW, Key="a.txt", Body=b"second, longer version of the text")
    second = dp.process(s3_event("a.txt"), deps)

    assert first["document_id"] == second["document_id"]
    assert deps.table.scan()["Count"] == 1
    assert stored_record(deps, first["document_id"])["size_bytes"] == 34


def test_other_s3_errors_propagate_for_retry(deps: dp.Deps) -> None:
    with pytest.raises(dp.ClientError, match="NoSuchBucket"):
        dp.process(s3_event("x.txt", bucket="bucket-that-does-not-exist"), deps)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ([1, 2], "event must be a JSON object, got list"),
        (
            {"source": "aws.ec2", "detail-type": "Object Created"},
            "expected an EventBridge 'Object Created' event from aws.s3, got source='aws.ec2' "
            "detail-type='Object Created'",
        ),
        ({"source": "aws.s3", "detail-type": "Object Created"}, "event field detail.bucket.name is missing"),
        (
            s3_event("k", detail={"bucket": {"name": RAW}, "object": {"key": ""}}),
            "event field detail.object.key must be a non-empty string, got ''",
        ),
        (
            s3_event("k", detail={"bucket": {"name": 7}, "object": {"key": "k"}}),
            "event field detail.bucket.name must be a non-empty string, got 7",
        ),
    ],
)
def test_malformed_events_raise_a_clear_error(deps: dp.Deps, event: Any, message: str) -> None:
    with pytest.raises(dp.MalformedEventError) as caught:
        dp.process(event, deps)
    assert str(caught.value) == message
    assert deps.table.scan()["Count"] == 0


def test_handler_reads_its_settings_from_the_environment(
    env: dict[str, str], s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    dp._deps.cache_clear()
    s3.put_object(Bucket=RAW, Key="n.md", Body=b"# Notes\nshort")
    try:
        result = dp.handler(s3_event("n.md"), None)
    finally:
        dp._deps.cache_clear()
    assert result == {
        "document_id": dp.ObjectRef(RAW, "n.md").document_id,
        "status": "processed",
        "chunk_count": 1,
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"CHUNK_SIZE_CHARS": "100", "CHUNK_OVERLAP_CHARS": "100"},
            "CHUNK_OVERLAP_CHARS (100) must be >= 0 and smaller than CHUNK_SIZE_CHARS (100)",
        ),
        (
            {"CHUNK_SIZE_CHARS": "abc", "CHUNK_OVERLAP_CHARS": "1"},
            "environment variable CHUNK_SIZE_CHARS must be an integer, got 'abc'",
        ),
        (
            {"CHUNK_SIZE_CHARS": "100", "CHUNK_OVERLAP_CHARS": "1"},
            "environment variable PROCESSED_BUCKET is not set",
        ),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(dp.SettingsError) as caught:
        dp.Settings.from_env(env)
    assert str(caught.value) == message


# --- chunking edge cases ------------------------------------------------------------------------------------


def test_chunking_empty_and_short_text() -> None:
    assert dp.chunk_text("", 10, 2) == []
    assert dp.chunk_text("short", 10, 2) == [dp.Chunk(0, 0, 5, "short")]
    assert dp.chunk_text("exactlyten", 10, 2) == [dp.Chunk(0, 0, 10, "exactlyten")]


def test_chunking_without_whitespace_steps_by_size_minus_overlap() -> None:
    chunks = dp.chunk_text("abcdefghijklmnopqrstuvwxyz", 10, 3)
    assert [(c.start, c.end) for c in chunks] == [(0, 10), (7, 17), (14, 24), (21, 26)]


def test_chunking_zero_overlap_partitions_the_text() -> None:
    chunks = dp.chunk_text("aaaa bbbb cccc dddd", 10, 0)
    assert [c.text for c in chunks] == ["aaaa bbbb ", "cccc dddd"]


@pytest.mark.parametrize(("size", "overlap"), [(10, 10), (10, -1), (0, 0)])
def test_chunking_rejects_bad_sizes(size: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="must be >= 0 and smaller than the chunk size"):
        dp.chunk_text("text", size, overlap)


@given(
    text=st.text(alphabet=st.sampled_from("ab \n"), max_size=300),
    size=st.integers(min_value=1, max_value=40),
    data=st.data(),
)
def test_chunks_are_bounded_overlapping_and_cover_the_text(text: str, size: int, data: st.DataObject) -> None:
    overlap = data.draw(st.integers(min_value=0, max_value=size - 1))
    chunks = dp.chunk_text(text, size, overlap)
    assert all(1 <= len(c.text) <= size and c.text == text[c.start : c.end] for c in chunks)
    if text:
        assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for before, after in itertools.pairwise(chunks):
        assert after.start == before.end - overlap
