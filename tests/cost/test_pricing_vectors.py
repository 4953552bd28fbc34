"""S3 Vectors indexes (storage, PutVectors GB, QueryVectors calls), Bedrock embedding tokens, the serverless
embeddings endpoint and the TEI instances: figures worked out by hand from the catalog rows."""

from __future__ import annotations

from test_pricing_kit import D, by_name, cost_of, price, res

INDEX = "aws:s3/vectorsIndex:VectorsIndex"
BUCKET = "aws:s3/vectorsVectorBucket:VectorsVectorBucket"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
USAGE = """
version: 1
resources:
  index:
    storageGb: 170
    monthlyNewGb: 62
    monthlyRequests: 500000
"""


def _index() -> object:
    return res(INDEX, "index", {"dimension": 384, "dataType": "float32", "distanceMetric": "cosine"})


def test_catalog_rows_are_the_cited_prices() -> None:
    assert price("s3vectors.storage") == D("0.06")
    assert price("s3vectors.put") == D("0.2")
    assert price("s3vectors.query.requests") == D("0.0000025")
    assert price("bedrock.titan_embed_text_v2.input_tokens") == D("0.00000002")


def test_index_storage_writes_and_queries() -> None:
    cost = cost_of(_index(), usage_yaml=USAGE)
    parts = by_name(cost)
    assert parts["Vector storage (384 dimensions)"].monthly_usd == D("10.2")  # 170 GB x 0.06
    assert parts["PutVectors (logical GB written)"].monthly_usd == D("12.4")  # 62 GB x 0.20
    queries = parts["QueryVectors requests"]
    assert queries.monthly_usd == D("1.25")  # 500,000 x 0.0000025
    assert "data-processed charge that is not priced" in queries.note
    assert cost.monthly_usd == D("23.85") and cost.service == "Amazon S3 Vectors"
    assert "Bedrock Titan Text Embeddings V2 tokens" not in parts


def test_index_without_usage_is_usage_dependent() -> None:
    cost = cost_of(_index())
    assert cost.status == "usage-dependent" and cost.monthly_usd == 0
    assert "set `storageGb` in the usage file" in by_name(cost)["Vector storage (384 dimensions)"].note


def test_bedrock_tokens_are_priced_on_the_index_when_given() -> None:
    usage = USAGE + "    monthlyEmbeddingTokens: 150000000\n"
    tokens = by_name(cost_of(_index(), usage_yaml=usage))["Bedrock Titan Text Embeddings V2 tokens"]
    assert tokens.monthly_usd == D("3")  # 150 M tokens x $0.02 per million


def test_vector_bucket_is_free() -> None:
    cost = cost_of(res(BUCKET, "bucket", {"vectorBucketName": "v"}))
    assert cost.status == "free" and "priced on their indexes" in cost.reason


def test_serverless_embeddings_endpoint_by_gb_second() -> None:
    config = res(
        CONFIG,
        "embeddings-endpoint-config",
        {"productionVariants": [{"variantName": "AllTraffic", "serverlessConfig": {"memorySizeInMb": 2048}}]},
    )
    endpoint = res(ENDPOINT, "embeddings-endpoint", {"name": "e"}, refs={"endpointConfigName": [config]})
    usage = (
        "version: 1\nresources:\n  embeddings-endpoint:\n    monthlyRequests: 25000\n    avgDurationMs: 300\n"
    )
    part = by_name(cost_of(endpoint, config, usage_yaml=usage))["Serverless inference (AllTraffic, 2048 MB)"]
    assert (part.quantity, part.monthly_usd) == (D(15000), D("0.3"))  # 25,000 x 0.3 s x 2 GB x 0.00002


def test_tei_instances_by_the_hour() -> None:
    config = res(
        CONFIG,
        "embeddings-endpoint-config",
        {
            "productionVariants": [
                {"variantName": "AllTraffic", "instanceType": "ml.c5.xlarge", "initialInstanceCount": 2}
            ]
        },
    )
    endpoint = res(ENDPOINT, "embeddings-endpoint", {"name": "e"}, refs={"endpointConfigName": [config]})
    hosting = by_name(cost_of(endpoint, config))["ml.c5.xlarge hosting (AllTraffic)"]
    assert (hosting.quantity, hosting.monthly_usd) == (D(1460), D("297.84"))  # 2 x 730 h x 0.204


def test_supplement_rows_are_in_the_bundled_catalog_as_built() -> None:
    """`cost.build_catalog` merges cost/data/supplements/*.json: the committed catalog holds those rows."""
    import json

    from cost.build_catalog import SUPPLEMENTS_DIR, add_supplements
    from cost.catalog import CATALOG_PATH

    committed = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    rebuilt = add_supplements(json.loads(json.dumps(committed)), sorted(SUPPLEMENTS_DIR.glob("*.json")))
    assert rebuilt == committed
    supplement = json.loads((SUPPLEMENTS_DIR / "rag.json").read_text(encoding="utf-8"))
    for row in supplement["regions"]["us-east-1"]["prices"].values():
        assert row["source"] and row["date"] and row["confidence"] == "S"
        assert row["source_id"] in committed["sources"]
