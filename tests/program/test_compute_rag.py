"""The RAG pipeline per stack: vector bucket and index, embeddings endpoint, the functions' grants."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from stackview import REPO_ROOT, STACKS, Inventory, StackView, loaded_config

from components.config import PROJECT
from components.sagemaker_pipeline import tei_image
from inventory import synthesize

pytestmark = pytest.mark.slow

Views = Callable[[str], StackView]
BEDROCK_OVERRIDES: dict[str, Any] = {
    f"{PROJECT}:embeddings": {"provider": "bedrock", "dimension": 1024, "batchSize": 8, "maxRetries": 5}
}
TITAN_ARN = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"


@cache
def bedrock_dev() -> Inventory:
    return synthesize(REPO_ROOT, "dev", config_overrides=BEDROCK_OVERRIDES)


def _statements(view: StackView, policy: str) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(view.named(policy).inputs["policy"])["Statement"]}


def _environment(view: StackView, function: str) -> dict[str, str]:
    return dict(view.named(function).inputs["environment"]["variables"])


def _private_subnets(view: StackView) -> list[str]:
    return sorted(r.outputs["id"] for r in view.of_type("aws:ec2/subnet:Subnet") if "-private-" in r.name)


@pytest.mark.parametrize("stack", STACKS)
def test_vector_bucket_is_encrypted_with_the_data_key_and_has_no_policy(
    stack: str, stack_view: Views
) -> None:
    view = stack_view(stack)
    bucket = view.named("vectors-bucket")
    assert bucket.inputs["vectorBucketName"] == f"data-ai-platform-{stack}-vectors"
    assert bucket.inputs["encryptionConfigurations"] == [
        {"sseType": "aws:kms", "kmsKeyArn": view.arn("keys-data")}
    ]
    assert bucket.inputs["forceDestroy"] is False
    assert view.of_type("aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy") == []
    assert view.inventory.outputs["vector_bucket_arn"] == bucket.outputs["vectorBucketArn"]


@pytest.mark.parametrize("stack", STACKS)
def test_index_takes_dimension_and_metric_from_config(stack: str, stack_view: Views) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    index = view.named("vectors-index")
    assert index.inputs["vectorBucketName"] == f"data-ai-platform-{stack}-vectors"
    assert index.inputs["indexName"] == "document-chunks"
    assert index.inputs["dataType"] == "float32"
    assert index.inputs["dimension"] == cfg.embeddings.dimension == 384
    assert index.inputs["distanceMetric"] == cfg.vector_store.distance_metric == "cosine"
    assert index.inputs["metadataConfiguration"] == {"nonFilterableMetadataKeys": ["text", "source"]}
    assert view.inventory.outputs["index_arn"] == index.outputs["indexArn"]


@pytest.mark.parametrize("stack", ["dev", "staging"])
def test_embeddings_are_served_serverless_outside_prod(stack: str, stack_view: Views) -> None:
    view, serverless = stack_view(stack), loaded_config(stack).embeddings.serverless
    config = view.named("embeddings-endpoint-config").inputs
    assert config["productionVariants"] == [
        {
            "variantName": "AllTraffic",
            "modelName": view.named("embeddings-model").outputs["name"],
            "serverlessConfig": {
                "memorySizeInMb": serverless.memory_mb,
                "maxConcurrency": serverless.max_concurrency,
            },
        }
    ]
    assert "kmsKeyArn" not in config  # serverless variants have no ML storage volume to encrypt
    model = view.named("embeddings-model").inputs
    assert model["enableNetworkIsolation"] is False and "vpcConfig" not in model
    assert view.names("aws:appautoscaling/target:Target") == {
        "ml-endpoint-scaling-target",
        *(f"containers-{s}-scaling-target" for s in ("rag-api", "document-processing", "evaluation")),
    }


def test_prod_embeddings_run_on_isolated_autoscaled_instances(stack_view: Views) -> None:
    view, instances = stack_view("prod"), loaded_config("prod").embeddings.instances
    config = view.named("embeddings-endpoint-config").inputs
    [variant] = config["productionVariants"]
    assert (variant["instanceType"], variant["initialInstanceCount"]) == ("ml.c5.xlarge", 2)
    assert config["kmsKeyArn"] == view.arn("keys-ml")
    model = view.named("embeddings-model").inputs
    assert model["enableNetworkIsolation"] is True
    assert sorted(model["vpcConfig"]["subnets"]) == _private_subnets(view)
    assert model["vpcConfig"]["securityGroupIds"] == [view.ident("network-sagemaker-sg")]
    target = view.named("embeddings-endpoint-scaling-target").inputs
    assert target["resourceId"] == "endpoint/data-ai-platform-prod-embeddings/variant/AllTraffic"
    assert (target["minCapacity"], target["maxCapacity"]) == (instances.min_capacity, instances.max_capacity)
    policy = view.named("embeddings-endpoint-scaling-policy").inputs[
        "targetTrackingScalingPolicyConfiguration"
    ]
    assert policy["targetValue"] == instances.target_invocations_per_instance == 200
    assert policy["predefinedMetricSpecification"] == {
        "predefinedMetricType": "SageMakerVariantInvocationsPerInstance"
    }


@pytest.mark.parametrize("stack", STACKS)
def test_embeddings_model_is_the_tei_image_serving_the_configured_archive(
    stack: str, stack_view: Views
) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    container = view.named("embeddings-model").inputs["primaryContainer"]
    artifacts = view.named("lake-artifacts").outputs["bucket"]
    assert container["image"] == tei_image("us-east-1", cfg.embeddings.tei_version)
    assert container["image"].endswith("/tei-cpu:2.0.1-tei1.8.2-cpu-py310-ubuntu22.04")
    assert container["modelDataUrl"] == f"s3://{artifacts}/models/embeddings/model.tar.gz"
    assert container["environment"] == {"HF_MODEL_ID": "/opt/ml/model"}
    role = _statements(view, "embeddings-role-policy")
    assert role["ReadEmbeddingsModel"]["Resource"] == [
        f"{view.arn('lake-artifacts')}/models/embeddings/model.tar.gz"
    ]
    assert role["PullTeiImage"]["Resource"] == ["arn:aws:ecr:us-east-1:683313688378:repository/tei-cpu"]


@pytest.mark.parametrize("stack", STACKS)
def test_processor_may_invoke_the_endpoint_and_write_only_that_index(stack: str, stack_view: Views) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    own = _statements(view, "processing-document-processor-policy")
    endpoint_arn = view.arn("embeddings-endpoint")
    index_arn = view.named("vectors-index").outputs["indexArn"]
    assert own["InvokeEmbeddingsEndpoint"]["Action"] == ["sagemaker:InvokeEndpoint"]
    assert own["InvokeEmbeddingsEndpoint"]["Resource"] == [endpoint_arn]
    assert own["WriteVectorIndex"]["Action"] == ["s3vectors:DeleteVectors", "s3vectors:PutVectors"]
    assert own["WriteVectorIndex"]["Resource"] == [index_arn]
    assert own["RecordDocuments"]["Action"] == ["dynamodb:GetItem", "dynamodb:PutItem"]
    env = _environment(view, "processing-document-processor-function")
    assert {k: env[k] for k in env if k.startswith(("EMBEDDINGS_", "VECTOR_"))} == {
        "EMBEDDINGS_PROVIDER": "sagemaker",
        "EMBEDDINGS_ENDPOINT": f"data-ai-platform-{stack}-embeddings",
        "EMBEDDINGS_DIMENSION": "384",
        "EMBEDDINGS_BATCH_SIZE": str(cfg.embeddings.batch_size),
        "EMBEDDINGS_MAX_RETRIES": "3",
        "VECTOR_BUCKET": f"data-ai-platform-{stack}-vectors",
        "VECTOR_INDEX": "document-chunks",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_retrieval_function_may_query_and_read_only_that_index(stack: str, stack_view: Views) -> None:
    view, retrieval = stack_view(stack), loaded_config(stack).vector_store.retrieval
    own = _statements(view, "retrieval-policy")
    assert own["QueryVectorIndex"] == {
        "Sid": "QueryVectorIndex",
        "Effect": "Allow",
        "Action": ["s3vectors:GetVectors", "s3vectors:QueryVectors"],
        "Resource": [view.named("vectors-index").outputs["indexArn"]],
    }
    assert own["InvokeEmbeddingsEndpoint"]["Resource"] == [view.arn("embeddings-endpoint")]
    vector_actions = {
        a for s in own.values() for a in s["Action"] if a.startswith(("s3vectors:", "sagemaker:"))
    }
    assert vector_actions == {"s3vectors:GetVectors", "s3vectors:QueryVectors", "sagemaker:InvokeEndpoint"}
    function = view.named("retrieval-function").inputs
    assert function["name"] == f"data-ai-platform-{stack}-retrieval"
    assert function["reservedConcurrentExecutions"] == retrieval.reserved_concurrency
    env = function["environment"]["variables"]
    assert (env["DEFAULT_TOP_K"], env["MAX_TOP_K"], env["MAX_QUERY_CHARS"]) == ("5", "20", "2000")
    assert sorted(function["code"]["assets"]) == [
        "functions/__init__.py",
        "functions/rag/__init__.py",
        "functions/rag/embeddings.py",
        "functions/rag/vectors.py",
        "functions/retrieval/__init__.py",
        "functions/retrieval/handler.py",
        "handler.py",
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_processor_package_carries_its_indexing_and_the_shared_rag_modules(
    stack: str, stack_view: Views
) -> None:
    assets = stack_view(stack).named("processing-document-processor-function").inputs["code"]["assets"]
    assert assets["handler.py"]["path"] == str(REPO_ROOT / "functions" / "document_processor" / "handler.py")
    for module in ("document_processor/indexing.py", "rag/embeddings.py", "rag/vectors.py"):
        assert assets[f"functions/{module}"]["path"] == str(REPO_ROOT / "functions" / module)


@pytest.mark.parametrize("stack", STACKS)
def test_rag_api_task_may_invoke_the_retrieval_function(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    own = _statements(view, "containers-rag-api-task-role-policy")
    assert own["InvokeRetrievalFunction"]["Action"] == ["lambda:InvokeFunction"]
    assert own["InvokeRetrievalFunction"]["Resource"] == [view.arn("retrieval-function")]
    [app] = [
        c
        for c in json.loads(view.named("containers-rag-api-task").inputs["containerDefinitions"])
        if c["name"] == "rag-api"
    ]
    env = {e["name"]: e["value"] for e in app["environment"]}
    assert env["RETRIEVAL_FUNCTION"] == f"data-ai-platform-{stack}-retrieval"
    others = ("document-processing", "evaluation")
    for service in others:
        assert "InvokeRetrievalFunction" not in _statements(view, f"containers-{service}-task-role-policy")


def test_bedrock_provider_needs_no_endpoint_and_invokes_only_titan() -> None:
    view = StackView(bedrock_dev())
    assert not [
        r for r in view.inventory.resources if r.name.startswith("embeddings-") and r.type.startswith("aws:")
    ]
    for policy in ("processing-document-processor-policy", "retrieval-policy"):
        own = _statements(view, policy)
        assert own["InvokeEmbeddingsModel"] == {
            "Sid": "InvokeEmbeddingsModel",
            "Effect": "Allow",
            "Action": ["bedrock:InvokeModel"],
            "Resource": [TITAN_ARN],
        }
        assert "InvokeEmbeddingsEndpoint" not in own
    env = _environment(view, "retrieval-function")
    assert (
        env["EMBEDDINGS_PROVIDER"] == "bedrock" and env["BEDROCK_MODEL_ID"] == "amazon.titan-embed-text-v2:0"
    )
    assert (env["EMBEDDINGS_DIMENSION"], env["EMBEDDINGS_BATCH_SIZE"], env["EMBEDDINGS_MAX_RETRIES"]) == (
        "1024",
        "8",
        "5",
    )
    assert "EMBEDDINGS_ENDPOINT" not in env
    assert view.named("vectors-index").inputs["dimension"] == 1024
    assert "embeddings_endpoint_name" not in view.inventory.outputs
