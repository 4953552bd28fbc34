"""The `embeddings` and `vectorStore` config sections: defaults, per-stack values and every error message."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from stackview import STACKS, loaded_config, stack_values

from components.config import ConfigError, EmbeddingsConfig, VectorStoreConfig, build_stack_config

PREFIX = "Pulumi.dev.yaml: invalid config: data-ai-platform:"
Change = Callable[[dict[str, Any]], None]


def _error(change: Change) -> str:
    _, values = stack_values("dev")
    values = copy.deepcopy(values)
    change(values)
    with pytest.raises(ConfigError) as raised:
        build_stack_config("dev", "us-east-1", values)
    return str(raised.value)


def _set(section: str, **changes: Any) -> Change:
    def change(values: dict[str, Any]) -> None:
        target = values
        for part in section.split("."):
            target = target[part]
        target.update(changes)

    return change


def test_defaults_are_the_documented_ones() -> None:
    embeddings, store = EmbeddingsConfig(), VectorStoreConfig()
    assert (embeddings.provider, embeddings.hosting, embeddings.dimension) == ("sagemaker", "serverless", 384)
    assert (embeddings.serverless.memory_mb, embeddings.instances.instance_type) == (2048, "ml.c5.xlarge")
    assert (embeddings.batch_size, embeddings.max_retries, embeddings.tei_version) == (16, 3, "1.8.2")
    assert (store.distance_metric, store.retrieval.default_top_k, store.retrieval.max_top_k) == (
        "cosine",
        5,
        20,
    )


@pytest.mark.parametrize("stack", STACKS)
def test_prod_hosts_on_instances_the_others_serverless(stack: str) -> None:
    embeddings = loaded_config(stack).embeddings
    assert embeddings.hosting == ("instances" if stack == "prod" else "serverless")
    assert embeddings.provider == "sagemaker"


CASES: list[tuple[str, Change, str]] = [
    (
        "provider",
        _set("embeddings", provider="openai"),
        "embeddings.provider: Input should be 'sagemaker' or 'bedrock'",
    ),
    (
        "bedrock-dimension",
        _set("embeddings", provider="bedrock"),
        "embeddings: dimension 384 is not an output size of amazon.titan-embed-text-v2:0; "
        "allowed with provider bedrock: (256, 512, 1024)",
    ),
    (
        "dimension",
        _set("embeddings", dimension=0),
        "embeddings.dimension: Input should be greater than or equal to 1",
    ),
    (
        "tei-version",
        _set("embeddings", teiVersion="9.9"),
        "embeddings.teiVersion: teiVersion '9.9' has no SageMaker huggingface-tei-cpu image; known: "
        "['1.2.3', '1.4.0', '1.6.0', '1.7.0', '1.8.0', '1.8.2']",
    ),
    (
        "serverless-memory",
        _set("embeddings.serverless", memoryMb=1500),
        "embeddings.serverless.memoryMb: memoryMb 1500 is not a Serverless Inference size; allowed: "
        "(1024, 2048, 3072, 4096, 5120, 6144)",
    ),
    (
        "gpu-instance",
        _set("embeddings", hosting="instances", instances={"instanceType": "ml.g5.xlarge"}),
        "embeddings.instances: instanceType ml.g5.xlarge is an accelerator type; the embeddings endpoint "
        "runs the huggingface-tei-cpu image: use a CPU type such as ml.c5.xlarge or ml.m5.large",
    ),
    (
        "unknown-instance",
        _set("embeddings", instances={"instanceType": "ml.c5.huge"}),
        "embeddings.instances.instanceType: 'ml.c5.huge' is not a valid SageMaker endpoint instance type",
    ),
    (
        "capacity-bounds",
        _set("embeddings", instances={"minCapacity": 3, "initialInstanceCount": 2}),
        "embeddings.instances: minCapacity <= initialInstanceCount <= maxCapacity must hold (got 3, 2, 4)",
    ),
    (
        "batch",
        _set("embeddings", batchSize=257),
        "embeddings.batchSize: Input should be less than or equal to 256",
    ),
    (
        "metric",
        _set("vectorStore", distanceMetric="dot"),
        "vectorStore.distanceMetric: Input should be 'cosine' or 'euclidean'",
    ),
    (
        "top-k",
        _set("vectorStore.retrieval", defaultTopK=30, maxTopK=20),
        "vectorStore.retrieval: defaultTopK (30) must be <= maxTopK (20)",
    ),
    (
        "unknown-key",
        _set("vectorStore", dimension=3),
        "vectorStore.dimension is not a known setting (allowed: distanceMetric, forceDestroy, retrieval)",
    ),
    (
        "grant",
        lambda v: v["containers"]["services"][0]["grants"].append("invoke-everything"),
        "containers.services[0].grants[6]: Input should be 'read-raw', 'write-raw', 'read-processed', "
        "'write-processed', 'read-artifacts', 'sessions-table', 'documents-table', 'invoke-endpoint', "
        "'invoke-retrieval' or 'database'",
    ),
]


@pytest.mark.parametrize(("change", "message"), [(c, m) for _, c, m in CASES], ids=[i for i, _, _ in CASES])
def test_bad_values_name_the_stack_file_and_the_key(change: Change, message: str) -> None:
    error = _error(change)
    assert error.startswith(PREFIX + message), error
