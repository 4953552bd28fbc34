"""Event-driven processing and the ML pipeline state machine, per stack."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from stackview import REPO_ROOT, STACKS, StackView, account_of, loaded_config

pytestmark = pytest.mark.slow

Views = Callable[[str], StackView]
FUNCTIONS = {
    "processing-document-processor": "document_processor",
    "orchestration-preprocess": "preprocess",
    "orchestration-evaluate": "evaluate",
}


def _statements(view: StackView, policy: str) -> dict[str, dict[str, Any]]:
    document = json.loads(view.named(policy).inputs["policy"])
    return {s["Sid"]: s for s in document["Statement"]}


def _states(view: StackView) -> dict[str, Any]:
    return dict(json.loads(view.named("orchestration-state-machine").inputs["definition"])["States"])


@pytest.mark.parametrize("stack", STACKS)
def test_every_function_is_traced_encrypted_in_the_vpc_with_reserved_concurrency(
    stack: str, stack_view: Views
) -> None:
    view, cfg = stack_view(stack), loaded_config(stack)
    reserved = {
        "processing-document-processor": cfg.processing.reserved_concurrency,
        "orchestration-preprocess": cfg.ml.orchestration.reserved_concurrency,
        "orchestration-evaluate": cfg.ml.orchestration.reserved_concurrency,
    }
    private = sorted(r.outputs["id"] for r in view.of_type("aws:ec2/subnet:Subnet") if "-private-" in r.name)
    for name, code_dir in FUNCTIONS.items():
        function = view.named(f"{name}-function").inputs
        assert function["runtime"] == "python3.12" and function["handler"] == "handler.handler"
        assert function["tracingConfig"] == {"mode": "Active"}
        assert function["kmsKeyArn"] == view.arn("keys-data")
        assert function["reservedConcurrentExecutions"] == reserved[name]
        assert sorted(function["vpcConfig"]["subnetIds"]) == private
        assert function["vpcConfig"]["securityGroupIds"] == [view.ident("network-lambda-sg")]
        assert function["code"]["assets"]["handler.py"]["path"] == str(
            REPO_ROOT / "functions" / code_dir / "handler.py"
        )
        log_group = view.named(f"{name}-logs").inputs
        assert function["loggingConfig"]["logGroup"] == log_group["name"] == f"/aws/lambda/{function['name']}"
        assert log_group["kmsKeyId"] == view.arn("keys-logs")
        assert log_group["retentionInDays"] == cfg.observability.log_retention_days


@pytest.mark.parametrize("stack", STACKS)
def test_document_processor_has_an_encrypted_dead_letter_queue_and_its_settings(
    stack: str, stack_view: Views
) -> None:
    view, processing = stack_view(stack), loaded_config(stack).processing
    function = view.named("processing-document-processor-function").inputs
    queue = view.named("processing-dlq")
    assert queue.inputs["kmsMasterKeyId"] == view.arn("keys-data")
    assert function["deadLetterConfig"] == {"targetArn": queue.outputs["arn"]}
    assert function["environment"]["variables"] == {
        "PROCESSED_BUCKET": view.named("lake-processed").outputs["bucket"],
        "DOCUMENTS_TABLE": view.named("databases-documents").outputs["name"],
        "DATA_KEY_ARN": view.arn("keys-data"),
        "CHUNK_SIZE_CHARS": str(processing.chunk_size_chars),
        "CHUNK_OVERLAP_CHARS": str(processing.chunk_overlap_chars),
        "CHUNKS_PREFIX": "chunks/",
        "MAX_DOCUMENT_BYTES": str(processing.max_document_mb * 1024 * 1024),
        **{  # the embeddings and the vector index: asserted in test_compute_rag.py
            k: v
            for k, v in function["environment"]["variables"].items()
            if k.startswith(("EMBEDDINGS_", "VECTOR_"))
        },
    }
    retries = view.named("processing-async-retries").inputs
    assert retries["maximumRetryAttempts"] == processing.retry_attempts


def test_reserved_concurrency_per_stack() -> None:
    assert {s: loaded_config(s).processing.reserved_concurrency for s in STACKS} == {
        "dev": 5,
        "staging": 10,
        "prod": 50,
    }


@pytest.mark.parametrize("stack", STACKS)
def test_raw_bucket_object_created_events_invoke_the_processor(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    rule = view.named("processing-object-created")
    assert json.loads(rule.inputs["eventPattern"]) == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": [view.named("lake-raw").outputs["bucket"]]}},
    }
    function_arn = view.arn("processing-document-processor-function")
    target = view.named("processing-target").inputs
    assert target["arn"] == function_arn
    assert target["deadLetterConfig"] == {"arn": view.arn("processing-dlq")}
    permission = view.named("processing-invoke-permission").inputs
    assert (permission["principal"], permission["sourceArn"]) == ("events.amazonaws.com", rule.outputs["arn"])
    queue_policy = _statements(view, "processing-dlq-policy")["EventBridgeDeadLetters"]
    assert queue_policy["Principal"] == {"Service": "events.amazonaws.com"}
    assert queue_policy["Condition"] == {"ArnEquals": {"aws:SourceArn": rule.outputs["arn"]}}


@pytest.mark.parametrize("stack", STACKS)
def test_document_processor_role_reaches_exactly_its_data(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    statements = _statements(view, "processing-document-processor-policy")
    own = {
        sid: (s["Action"], s["Resource"])
        for sid, s in statements.items()
        if sid
        in {
            "ReadRawObjects",
            "WriteChunks",
            "RecordDocuments",
            "EncryptWithDataKey",
            "SendToDeadLetterQueue",
            "WriteOwnLogGroup",
            "DecryptEnvironment",
        }
    }
    assert own == {
        "ReadRawObjects": (["s3:GetObject"], [f"{view.arn('lake-raw')}/*"]),
        "WriteChunks": (["s3:PutObject"], [f"{view.arn('lake-processed')}/chunks/*"]),
        "RecordDocuments": (["dynamodb:GetItem", "dynamodb:PutItem"], [view.arn("databases-documents")]),
        "EncryptWithDataKey": (["kms:GenerateDataKey"], [view.arn("keys-data")]),
        "DecryptEnvironment": (["kms:Decrypt"], [view.arn("keys-data")]),
        "SendToDeadLetterQueue": (["sqs:SendMessage"], [view.arn("processing-dlq")]),
        "WriteOwnLogGroup": (
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [f"{view.arn('processing-document-processor-logs')}:*"],
        ),
    }


# --- the ML pipeline state machine -----------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_state_machine_runs_preprocess_train_evaluate_and_notifies_on_failure(
    stack: str, stack_view: Views
) -> None:
    view = stack_view(stack)
    states = _states(view)
    assert (
        json.loads(view.named("orchestration-state-machine").inputs["definition"])["StartAt"]
        == "DataPreprocessing"
    )
    flow = {
        name: state.get("Next", "END" if state.get("End") else state["Type"])
        for name, state in states.items()
    }
    assert flow == {
        "DataPreprocessing": "TrainModel",
        "TrainModel": "EvaluateModel",
        "EvaluateModel": "END",
        "NotifyFailure": "PipelineFailed",
        "PipelineFailed": "Fail",
    }
    assert states["DataPreprocessing"]["Resource"] == view.arn("orchestration-preprocess-function")
    assert states["EvaluateModel"]["Resource"] == view.arn("orchestration-evaluate-function")
    assert states["TrainModel"]["Resource"] == "arn:aws:states:::sagemaker:createTrainingJob.sync"
    for task in ("DataPreprocessing", "TrainModel", "EvaluateModel"):
        assert states[task]["Retry"] and all(r["MaxAttempts"] >= 2 for r in states[task]["Retry"])
        assert states[task]["Catch"] == [
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "NotifyFailure"}
        ]
    notify = states["NotifyFailure"]
    assert notify["Resource"] == "arn:aws:states:::sns:publish"
    assert notify["Parameters"]["TopicArn"] == view.arn("alerts-topic")


@pytest.mark.parametrize("stack", STACKS)
def test_train_model_is_spot_encrypted_in_the_vpc_and_matches_the_sdk_pipeline(
    stack: str, stack_view: Views
) -> None:
    view, training = stack_view(stack), loaded_config(stack).ml.training
    parameters = _states(view)["TrainModel"]["Parameters"]
    ml_key = view.arn("keys-ml")
    assert parameters["EnableManagedSpotTraining"] is True
    assert parameters["StoppingCondition"] == {
        "MaxRuntimeInSeconds": training.max_run_seconds,
        "MaxWaitTimeInSeconds": training.max_wait_seconds,
    }
    assert parameters["ResourceConfig"]["VolumeKmsKeyId"] == ml_key
    assert parameters["OutputDataConfig"]["KmsKeyId"] == ml_key
    assert parameters["RoleArn"] == view.arn("ml-execution-role")
    [pipeline_step] = json.loads(view.named("ml-training-pipeline").inputs["pipelineDefinition"])["Steps"]
    sdk = pipeline_step["Arguments"]
    for key in (
        "ResourceConfig",
        "VpcConfig",
        "HyperParameters",
        "EnableManagedSpotTraining",
        "StoppingCondition",
        "EnableInterContainerTrafficEncryption",
        "EnableNetworkIsolation",
    ):
        assert parameters[key] == sdk[key], key
    assert parameters["AlgorithmSpecification"] == {**sdk["AlgorithmSpecification"]}
    [sdk_code] = [c for c in sdk["InputDataConfig"] if c["ChannelName"] == "code"]
    [code] = [c for c in parameters["InputDataConfig"] if c["ChannelName"] == "code"]
    assert code == sdk_code


@pytest.mark.parametrize("stack", STACKS)
def test_state_machine_logs_everything_to_a_kms_log_group_and_traces(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    machine = view.named("orchestration-state-machine").inputs
    group = view.named("orchestration-logs")
    assert machine["loggingConfiguration"] == {
        "level": "ALL",
        "includeExecutionData": True,
        "logDestination": f"{group.outputs['arn']}:*",
    }
    assert group.inputs["kmsKeyId"] == view.arn("keys-logs")
    assert machine["tracingConfiguration"] == {"enabled": True}
    assert machine["encryptionConfiguration"]["kmsKeyId"] == view.arn("keys-data")


@pytest.mark.parametrize("stack", STACKS)
def test_state_machine_role_is_scoped_to_its_functions_jobs_role_rule_and_topic(
    stack: str, stack_view: Views
) -> None:
    view = stack_view(stack)
    statements = _statements(view, "orchestration-policy")
    functions = [view.arn("orchestration-preprocess-function"), view.arn("orchestration-evaluate-function")]
    assert statements["InvokePipelineFunctions"]["Resource"] == functions + [f"{f}:*" for f in functions]
    assert statements["RunTrainingJobs"]["Resource"] == [
        f"arn:aws:sagemaker:us-east-1:{account_of(stack)}:training-job/data-ai-platform-{stack}-train*"
    ]
    assert statements["PassSageMakerExecutionRole"]["Resource"] == [view.arn("ml-execution-role")]
    assert statements["PassSageMakerExecutionRole"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}
    }
    assert statements["SyncIntegrationEventsRule"]["Resource"] == [
        f"arn:aws:events:us-east-1:{account_of(stack)}:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule"
    ]
    assert statements["NotifyAlertsTopic"] == {
        "Sid": "NotifyAlertsTopic",
        "Effect": "Allow",
        "Action": ["sns:Publish"],
        "Resource": [view.arn("alerts-topic")],
    }
    preprocess_env = view.named("orchestration-preprocess-function").inputs["environment"]["variables"]
    assert preprocess_env["TRAINING_JOB_PREFIX"] == f"data-ai-platform-{stack}-train"
