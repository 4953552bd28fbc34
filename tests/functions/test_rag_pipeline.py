"""The RAG pipeline end to end: upload -> chunks -> embeddings endpoint -> vector index -> retrieval.

moto plays S3, DynamoDB, the SageMaker runtime (its endpoint answers come from moto's endpoint-results
API) and S3 Vectors buckets, indexes and Put/Get/List/DeleteVectors. moto has no QueryVectors, its Bedrock
InvokeModel always answers `{}` and its InvokeEndpoint never fails: those calls go through botocore's Stubber,
which checks every request and response against the service model.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.response import StreamingBody
from botocore.stub import Stubber
from moto_env import DATA_KEY_ARN, REGION, make_bucket, make_documents_table
from test_document_processor import PROCESSED, RAW, s3_event

from functions.document_processor import handler as dp
from functions.document_processor.indexing import Indexer
from functions.rag import vectors as rv
from functions.rag.embeddings import Embedder, EmbeddingError, EmbeddingSettings, EmbeddingSettingsError
from functions.retrieval import handler as rh

VECTOR_BUCKET, VECTOR_INDEX, ENDPOINT = "rag-vectors", "document-chunks", "rag-embeddings"
FOX = "The quick brown fox jumps over the lazy dog and keeps running."
FOX_CHUNKS = ["The quick brown fox ", " fox jumps over the ", " the lazy dog and ", " and keeps running."]
FOX_VECTORS = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]]
INDEX = rv.IndexRef(VECTOR_BUCKET, VECTOR_INDEX)
SETTINGS = EmbeddingSettings("sagemaker", ENDPOINT, dimension=3, batch_size=3, max_retries=0)


def queue_endpoint_answers(*answers: Any) -> None:
    """Queue the next InvokeEndpoint bodies in moto (each distinct request takes the next one)."""
    results = [{"Body": json.dumps(a), "ContentType": "application/json"} for a in answers]
    response = requests.post(
        "http://motoapi.amazonaws.com/moto-api/static/sagemaker/endpoint-results",
        json={"account_id": "123456789012", "region": REGION, "results": results},
        timeout=5,
    )
    assert response.status_code == 201


def recorded_inputs(client: Any) -> list[list[str]]:
    """The `inputs` of every InvokeEndpoint request the client sends."""
    calls: list[list[str]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        calls.append(json.loads(params["Body"])["inputs"])

    client.meta.events.register("provide-client-params.sagemaker-runtime.InvokeEndpoint", record)
    return calls


@pytest.fixture
def store(s3: Any) -> Any:
    make_bucket(s3, RAW)
    make_bucket(s3, PROCESSED)
    make_documents_table()
    client = boto3.client("s3vectors", region_name=REGION)
    client.create_vector_bucket(
        vectorBucketName=VECTOR_BUCKET,
        encryptionConfiguration={"sseType": "aws:kms", "kmsKeyArn": DATA_KEY_ARN},
    )
    client.create_index(
        vectorBucketName=VECTOR_BUCKET,
        indexName=VECTOR_INDEX,
        dataType="float32",
        dimension=3,
        distanceMetric="cosine",
        metadataConfiguration={"nonFilterableMetadataKeys": ["text", "source"]},
    )
    return client


@pytest.fixture
def runtime(aws: None) -> Any:
    return boto3.client("sagemaker-runtime", region_name=REGION)


def processor(s3: Any, store: Any, runtime: Any) -> dp.Deps:
    settings = dp.Settings(PROCESSED, "documents", DATA_KEY_ARN, 20, 5)
    table = boto3.resource("dynamodb", region_name=REGION).Table("documents")
    return dp.Deps(settings, s3, table, Indexer(Embedder(SETTINGS, runtime), store, INDEX))


def stored_vectors(store: Any) -> dict[str, dict[str, Any]]:
    listed = store.list_vectors(**INDEX.params(), returnData=True, returnMetadata=True)["vectors"]
    return {v["key"]: v for v in listed}


def record_of(deps: dp.Deps, key: str) -> dict[str, Any]:
    return deps.table.get_item(Key={"document_id": dp.ObjectRef(RAW, key).document_id})["Item"]


def upload_fox(s3: Any, store: Any, runtime: Any) -> tuple[dp.Deps, list[list[str]]]:
    s3.put_object(Bucket=RAW, Key="docs/fox.txt", Body=FOX.encode(), ContentType="text/plain")
    deps = processor(s3, store, runtime)
    calls = recorded_inputs(runtime)
    queue_endpoint_answers(FOX_VECTORS[:3], FOX_VECTORS[3:])
    dp.process(s3_event("docs/fox.txt"), deps)
    return deps, calls


def test_upload_is_chunked_embedded_in_batches_and_indexed(s3: Any, store: Any, runtime: Any) -> None:
    deps, calls = upload_fox(s3, store, runtime)

    assert calls == [FOX_CHUNKS[:3], FOX_CHUNKS[3:]]
    record = record_of(deps, "docs/fox.txt")
    document_id = record["document_id"]
    assert record["status"] == "embedded"
    assert int(record["vector_count"]) == int(record["chunk_count"]) == 4
    vectors = stored_vectors(store)
    assert sorted(vectors) == [f"{document_id}#{i}" for i in range(4)]
    for i, text in enumerate(FOX_CHUNKS):
        vector = vectors[f"{document_id}#{i}"]
        assert vector["data"]["float32"] == FOX_VECTORS[i]
        assert vector["metadata"] == {
            "document_id": document_id,
            "chunk_index": i,
            "source": f"s3://{RAW}/docs/fox.txt",
            "text": text,
        }


def test_retrieval_sends_the_query_vector_and_returns_the_named_chunks(
    s3: Any, store: Any, runtime: Any
) -> None:
    deps, _ = upload_fox(s3, store, runtime)
    document_id = record_of(deps, "docs/fox.txt")["document_id"]
    named = [f"{document_id}#2", f"{document_id}#0"]
    metadata = {
        v["key"]: v["metadata"]
        for v in store.get_vectors(**INDEX.params(), keys=named, returnMetadata=True)["vectors"]
    }
    query_vector = [0.1, 0.2, 0.9]
    queue_endpoint_answers([query_vector])
    calls = recorded_inputs(runtime)
    retrieval = rh.Deps(rh.Limits(5, 20, 200), Embedder(SETTINGS, runtime), store, INDEX)

    with Stubber(store) as stub:
        stub.add_response(
            "query_vectors",
            {
                "distanceMetric": "cosine",
                "vectors": [
                    {"key": key, "distance": distance, "metadata": metadata[key]}
                    for key, distance in zip(named, (0.05, 0.4), strict=True)
                ],
            },
            {
                **INDEX.params(),
                "queryVector": {"float32": query_vector},
                "topK": 2,
                "returnMetadata": True,
                "returnDistance": True,
            },
        )
        answer = rh.retrieve({"query": "  what does the dog do?  ", "k": 2}, retrieval)
        stub.assert_no_pending_responses()

    assert calls == [["what does the dog do?"]]
    assert answer["statusCode"] == 200 and answer["k"] == 2
    assert answer["results"] == [
        {
            "key": f"{document_id}#2",
            "documentId": document_id,
            "chunkIndex": 2,
            "source": f"s3://{RAW}/docs/fox.txt",
            "text": " the lazy dog and ",
            "distance": 0.05,
        },
        {
            "key": f"{document_id}#0",
            "documentId": document_id,
            "chunkIndex": 0,
            "source": f"s3://{RAW}/docs/fox.txt",
            "text": "The quick brown fox ",
            "distance": 0.4,
        },
    ]


def test_retrieval_can_be_narrowed_to_one_document(store: Any, runtime: Any) -> None:
    queue_endpoint_answers([[0.0, 1.0, 0.0]])
    retrieval = rh.Deps(rh.Limits(), Embedder(SETTINGS, runtime), store, INDEX)
    with Stubber(store) as stub:
        stub.add_response(
            "query_vectors",
            {"distanceMetric": "cosine", "vectors": []},
            {
                **INDEX.params(),
                "queryVector": {"float32": [0.0, 1.0, 0.0]},
                "topK": 5,
                "returnMetadata": True,
                "returnDistance": True,
                "filter": {"document_id": {"$eq": "abc"}},
            },
        )
        answer = rh.retrieve({"query": "fox", "documentId": "abc"}, retrieval)
    assert answer == {"statusCode": 200, "query": "fox", "k": 5, "results": []}


def test_reprocessing_the_same_object_keeps_the_vector_count(s3: Any, store: Any, runtime: Any) -> None:
    deps, calls = upload_fox(s3, store, runtime)
    before = stored_vectors(store)

    dp.process(s3_event("docs/fox.txt"), deps)

    assert len(calls) == 4  # embedded again (moto answers the same requests the same way)
    assert int(record_of(deps, "docs/fox.txt")["vector_count"]) == 4
    assert stored_vectors(store) == before


def test_a_shortened_document_loses_its_stale_keys(s3: Any, store: Any, runtime: Any) -> None:
    deps, _ = upload_fox(s3, store, runtime)
    document_id = record_of(deps, "docs/fox.txt")["document_id"]
    s3.put_object(Bucket=RAW, Key="docs/fox.txt", Body=b"The quick brown fox jumps.")
    queue_endpoint_answers([[0.2, 0.2, 0.2], [0.3, 0.3, 0.3]])

    dp.process(s3_event("docs/fox.txt"), deps)

    record = record_of(deps, "docs/fox.txt")
    assert int(record["chunk_count"]) == int(record["vector_count"]) == 2
    vectors = stored_vectors(store)
    assert sorted(vectors) == [f"{document_id}#0", f"{document_id}#1"]
    assert vectors[f"{document_id}#1"]["metadata"]["text"] == " fox jumps."


def test_a_document_emptied_on_reupload_keeps_no_vectors(s3: Any, store: Any, runtime: Any) -> None:
    deps, _ = upload_fox(s3, store, runtime)
    s3.put_object(Bucket=RAW, Key="docs/fox.txt", Body=b"   \n")

    result = dp.process(s3_event("docs/fox.txt"), deps)

    assert result["status"] == "empty" and result["vector_count"] == 0
    assert stored_vectors(store) == {}


def test_a_failing_endpoint_marks_the_record_and_raises(s3: Any, store: Any, runtime: Any) -> None:
    deps, _ = upload_fox(s3, store, runtime)
    s3.put_object(Bucket=RAW, Key="docs/fox.txt", Body=(FOX + " Then it sleeps all day long.").encode())

    with Stubber(runtime) as stub:
        stub.add_client_error(
            "invoke_endpoint",
            service_error_code="ModelError",
            service_message="Received server error (500) from primary",
            http_status_code=424,
        )
        with pytest.raises(EmbeddingError) as caught:
            dp.process(s3_event("docs/fox.txt"), deps)

    assert f"embeddings endpoint {ENDPOINT} failed" in str(caught.value)
    assert "ModelError" in str(caught.value)
    record = record_of(deps, "docs/fox.txt")
    assert record["status"] == "embedding_failed"
    assert "ModelError" in record["reason"]
    assert int(record["chunk_count"]) == 6 and int(record["vector_count"]) == 6  # keys it may now have
    assert len(stored_vectors(store)) == 4  # the old vectors are untouched


def test_a_vector_of_the_wrong_size_fails_loudly(s3: Any, store: Any, runtime: Any) -> None:
    s3.put_object(Bucket=RAW, Key="short.txt", Body=b"tiny")
    deps = processor(s3, store, runtime)
    queue_endpoint_answers([[1.0, 2.0]])

    with pytest.raises(EmbeddingError) as caught:
        dp.process(s3_event("short.txt"), deps)

    assert str(caught.value) == (
        f"embeddings endpoint {ENDPOINT} returned a vector of 2 values; the index needs 3"
    )
    assert record_of(deps, "short.txt")["status"] == "embedding_failed"
    assert stored_vectors(store) == {}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"error": "x"}, "answered dict, not a list of vectors"),
        ([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], "returned 2 vectors for 1 texts"),
        ([[1.0, "a", 3.0]], "returned a vector with non-numeric or non-finite values"),
    ],
)
def test_malformed_endpoint_answers_are_errors(runtime: Any, answer: Any, message: str) -> None:
    queue_endpoint_answers(answer)
    with pytest.raises(EmbeddingError, match=message):
        Embedder(SETTINGS, runtime).embed(["one text"])


def _bedrock_body(payload: dict[str, Any]) -> StreamingBody:
    data = json.dumps(payload).encode()
    return StreamingBody(io.BytesIO(data), len(data))


def test_bedrock_embeds_one_text_per_request_with_the_index_dimension() -> None:
    client = boto3.client("bedrock-runtime", region_name=REGION)
    settings = EmbeddingSettings("bedrock", "amazon.titan-embed-text-v2:0", dimension=3, batch_size=2)
    with Stubber(client) as stub:
        for text, vector in (("alpha", [0.1, 0.2, 0.3]), ("beta", [0.4, 0.5, 0.6])):
            stub.add_response(
                "invoke_model",
                {
                    "body": _bedrock_body({"embedding": vector, "inputTextTokenCount": 2}),
                    "contentType": "application/json",
                },
                {
                    "modelId": "amazon.titan-embed-text-v2:0",
                    "contentType": "application/json",
                    "accept": "application/json",
                    "body": json.dumps({"inputText": text, "dimensions": 3, "normalize": True}),
                },
            )
        assert Embedder(settings, client).embed(["alpha", "beta"]) == [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]
        stub.assert_no_pending_responses()


def test_bedrock_errors_and_answers_without_an_embedding_are_errors() -> None:
    client = boto3.client("bedrock-runtime", region_name=REGION)
    settings = EmbeddingSettings("bedrock", "amazon.titan-embed-text-v2:0", dimension=3)
    with Stubber(client) as stub:
        stub.add_client_error("invoke_model", service_error_code="ThrottlingException", http_status_code=429)
        stub.add_response("invoke_model", {"body": _bedrock_body({}), "contentType": "application/json"})
        with pytest.raises(
            EmbeddingError, match=r"Bedrock model amazon\.titan-embed-text-v2:0 failed.*Throttling"
        ):
            Embedder(settings, client).embed(["x"])
        with pytest.raises(EmbeddingError, match="answered without an 'embedding' field"):
            Embedder(settings, client).embed(["x"])


# --- input validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (["query"], "the request must be a JSON object, got list"),
        ({}, "'query' is required and must be a string"),
        ({"query": 42}, "'query' is required and must be a string"),
        ({"query": "  \n "}, "'query' is empty: send the question to retrieve chunks for"),
        ({"query": "x" * 201}, "'query' has 201 characters; at most 200 are allowed"),
        ({"query": "fox", "k": 0}, "'k' must be an integer from 1 to 20, got 0"),
        ({"query": "fox", "k": 21}, "'k' must be an integer from 1 to 20, got 21"),
        ({"query": "fox", "k": "3"}, "'k' must be an integer from 1 to 20, got '3'"),
        ({"query": "fox", "k": True}, "'k' must be an integer from 1 to 20, got True"),
        ({"query": "fox", "documentId": 7}, "'documentId' must be a non-empty string when given, got 7"),
    ],
)
def test_bad_retrieval_requests_get_a_clear_error_and_embed_nothing(
    event: Any, message: str, runtime: Any
) -> None:
    calls = recorded_inputs(runtime)
    retrieval = rh.Deps(rh.Limits(5, 20, 200), Embedder(SETTINGS, runtime), None, INDEX)

    assert rh.retrieve(event, retrieval) == {"statusCode": 400, "error": message}
    assert calls == []


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "EMBEDDINGS_PROVIDER must be one of ('sagemaker', 'bedrock'), got ''"),
        (
            {"EMBEDDINGS_PROVIDER": "sagemaker", "EMBEDDINGS_DIMENSION": "3"},
            "environment variable EMBEDDINGS_ENDPOINT is not set (provider sagemaker)",
        ),
        (
            {"EMBEDDINGS_PROVIDER": "bedrock", "BEDROCK_MODEL_ID": "m", "EMBEDDINGS_DIMENSION": "x"},
            "environment variable EMBEDDINGS_DIMENSION must be an integer, got 'x'",
        ),
        (
            {"EMBEDDINGS_PROVIDER": "bedrock", "BEDROCK_MODEL_ID": "m", "EMBEDDINGS_DIMENSION": "0"},
            "environment variable EMBEDDINGS_DIMENSION must be >= 1, got 0",
        ),
    ],
)
def test_bad_embedding_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(EmbeddingSettingsError) as caught:
        EmbeddingSettings.from_env(env)
    assert str(caught.value) == message


def test_retrieval_limits_from_the_environment_are_checked() -> None:
    assert rh.Limits.from_env({"DEFAULT_TOP_K": "3", "MAX_TOP_K": "9", "MAX_QUERY_CHARS": "50"}) == rh.Limits(
        3, 9, 50
    )
    with pytest.raises(ValueError, match=r"DEFAULT_TOP_K \(30\) exceeds MAX_TOP_K \(20\)"):
        rh.Limits.from_env({"DEFAULT_TOP_K": "30"})


def test_large_documents_are_written_in_calls_of_at_most_500_vectors(store: Any) -> None:
    vectors = [
        rv.chunk_vector("doc", i, "s3://raw/big.txt", f"chunk {i}", [1.0, 0.0, float(i)]) for i in range(1201)
    ]
    calls: list[int] = []
    store.meta.events.register(
        "provide-client-params.s3vectors.PutVectors", lambda params, **_: calls.append(len(params["vectors"]))
    )

    rv.put_vectors(store, INDEX, vectors)
    rv.delete_keys(store, INDEX, [rv.vector_key("doc", i) for i in range(1, 1201)])

    assert calls == [500, 500, 201]
    assert list(stored_vectors(store)) == ["doc#0"]


# --- the Lambda entry points wire it all from the environment -----------------------------------------------


@pytest.fixture
def lambda_env(s3: Any, store: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    env = {
        "PROCESSED_BUCKET": PROCESSED,
        "DOCUMENTS_TABLE": "documents",
        "DATA_KEY_ARN": DATA_KEY_ARN,
        "CHUNK_SIZE_CHARS": "20",
        "CHUNK_OVERLAP_CHARS": "5",
        "VECTOR_BUCKET": VECTOR_BUCKET,
        "VECTOR_INDEX": VECTOR_INDEX,
        "EMBEDDINGS_PROVIDER": "sagemaker",
        "EMBEDDINGS_ENDPOINT": ENDPOINT,
        "EMBEDDINGS_DIMENSION": "3",
        "EMBEDDINGS_BATCH_SIZE": "8",
        "EMBEDDINGS_MAX_RETRIES": "2",
        "MAX_TOP_K": "10",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    dp._deps.cache_clear()
    rh._deps.cache_clear()
    yield
    dp._deps.cache_clear()
    rh._deps.cache_clear()


def test_handlers_read_the_embeddings_and_index_from_the_environment(lambda_env: None, s3: Any) -> None:
    s3.put_object(Bucket=RAW, Key="n.md", Body=b"# Notes\nshort")
    queue_endpoint_answers([[0.0, 0.0, 1.0]])

    result = dp.handler(s3_event("n.md"), None)

    assert result == {
        "document_id": dp.ObjectRef(RAW, "n.md").document_id,
        "status": "embedded",
        "chunk_count": 1,
        "vector_count": 1,
    }
    deps = rh._deps()
    assert deps.embedder.settings == EmbeddingSettings("sagemaker", ENDPOINT, 3, 8, 2)
    # botocore counts the first attempt too: 2 retries = 3 attempts
    assert deps.embedder.client.meta.config.retries == {"mode": "standard", "total_max_attempts": 3}
    assert deps.index == INDEX and deps.limits == rh.Limits(5, 10, 2000)
    assert rh.handler({"query": "x", "k": 11}, None) == {
        "statusCode": 400,
        "error": "'k' must be an integer from 1 to 10, got 11",
    }
