"""SageMaker encryption: endpoint configurations, notebooks and domains, training jobs and pipeline
definitions.

No public scanner reads training jobs (new in pulumi-aws 7.51) or the steps inside a pipeline definition;
these rules do. Instance types with local NVMe instance storage encrypt their volumes in hardware and reject
a volume KMS key, so the volume-key requirement does not apply to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import pipeline_definition, tokens
from policies.rules.checks import require_set
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View, as_int, as_str, dig, is_set

_INSTANCE_STORAGE = re.compile(r"^ml\.(g4dn|g5|g6e?|p3dn|p4de?|p5e?|trn1n?|[a-z]+\d+[a-z]*d[a-z]*)\.")
_CMK = "set it to a customer-managed aws.kms.Key ARN."


def has_instance_storage(instance_type: str | None) -> bool:
    return bool(instance_type) and bool(_INSTANCE_STORAGE.match(str(instance_type)))


def _endpoint_config(view: View, _settings: Settings) -> Iterator[str]:
    variants = view.list_("productionVariants")
    types = [as_str(dig(variant, "instanceType"), "productionVariants.instanceType") for variant in variants]
    needs_volume_key = any(t and not has_instance_storage(t) for t in types)
    if needs_volume_key and not view.has("kmsKeyArn"):
        yield f"`kmsKeyArn` is not set, so the ML storage volumes use an AWS-managed key; {_CMK}"
    capturing = (
        view.get("dataCaptureConfig") is not None
        and view.bool_("dataCaptureConfig", "enableCapture") is not False
    )
    if capturing and not view.has("dataCaptureConfig", "kmsKeyId"):
        yield f"`dataCaptureConfig.kmsKeyId` is not set, so captured requests use SSE-S3; {_CMK}"
    if view.get("asyncInferenceConfig") is not None and not view.has(
        "asyncInferenceConfig", "outputConfig", "kmsKeyId"
    ):
        yield f"`asyncInferenceConfig.outputConfig.kmsKeyId` is not set; {_CMK}"


ENDPOINT_CONFIG = ResourceRule(
    RuleMeta(
        name="aws-sagemaker-endpoint-config-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description=(
            "SageMaker endpoint configurations encrypt volumes, captured data and async output with a "
            "customer-managed KMS key."
        ),
        severity="high",
        rationale=(
            "Endpoint volumes hold the model artifacts and data capture stores raw inference requests and "
            "responses, often personal data; both default to AWS-managed encryption."
        ),
        remediation=(
            "Set kms_key_arn on the aws.sagemaker.EndpointConfiguration (omit it only for instance types "
            "with NVMe instance storage) and data_capture_config.kms_key_id when capture is enabled."
        ),
        kind="resource",
        resource_types=tokens.SAGEMAKER_ENDPOINT_CONFIG,
        references=("CKV_AWS_98", "W1200", "sagemaker-endpoint-kms-encryption-enabled"),
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html",
    ),
    _endpoint_config,
)

NOTEBOOK = ResourceRule(
    RuleMeta(
        name="aws-sagemaker-notebook-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description=(
            "SageMaker notebook instances and Studio domains encrypt storage with a customer-managed KMS key."
        ),
        severity="medium",
        rationale="Notebook and Studio home volumes hold copies of training data, credentials and code.",
        remediation="Set kms_key_id on aws.sagemaker.NotebookInstance and aws.sagemaker.Domain.",
        kind="resource",
        resource_types=tokens.SAGEMAKER_NOTEBOOK + tokens.SAGEMAKER_DOMAIN,
        references=("CKV_AWS_22", "CKV_AWS_187", "W1201"),
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
    ),
    require_set("kmsKeyId", fix=_CMK),
)


def judge_training(where: str, job: Mapping[str, Any], keys: pipeline_definition.Keys) -> Iterator[str]:
    """Findings for one training job, given as props (`keys` maps the camel/Pascal-case field names)."""
    resources = dig(job, keys.resource_config, base=where)
    if not is_set(dig(resources, keys.volume_key, allow_unknown=True)) and not has_instance_storage(
        pipeline_definition.literal(dig(resources, keys.instance_type), as_str, where)
    ):
        yield f"{where}: `{keys.resource_config}.{keys.volume_key}` is not set (training volumes); {_CMK}"
    if not is_set(dig(job, keys.output_config, keys.output_key, allow_unknown=True)):
        yield f"{where}: `{keys.output_config}.{keys.output_key}` is not set (model artifacts); {_CMK}"
    count = pipeline_definition.literal(dig(resources, keys.instance_count), as_int, where) or 1
    if count > 1 and dig(job, keys.inter_container) is not True:
        yield f"{where}: {count} instances exchange data unencrypted; set `{keys.inter_container}` to true."


def _training_job(view: View, _settings: Settings) -> Iterator[str]:
    yield from judge_training(view.name, view.props, pipeline_definition.RESOURCE_KEYS)


TRAINING_JOB = ResourceRule(
    RuleMeta(
        name="aws-sagemaker-training-job-kms",
        controls=controls(
            nist=(
                "SC-8",
                "SC-28",
            )
        ),
        area="encryption",
        description="SageMaker training jobs encrypt volumes, model artifacts and inter-node traffic.",
        severity="high",
        rationale=(
            "Training volumes hold the full training set and the output path receives the model; distributed "
            "jobs otherwise exchange gradients in plaintext. No public scanner checks "
            "aws:sagemaker/trainingJob."
        ),
        remediation=(
            "Set resource_config.volume_kms_key_id and output_data_config.kms_key_id to a customer-managed "
            "key and enable_inter_container_traffic_encryption=True for multi-instance jobs."
        ),
        kind="resource",
        resource_types=tokens.SAGEMAKER_TRAINING_JOB,
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html",
    ),
    _training_job,
)


def _pipeline(view: View, _settings: Settings) -> Iterator[str]:
    for step in pipeline_definition.steps(view):
        if step.type == "Training":
            yield from judge_training(step.where, step.arguments, pipeline_definition.DEFINITION_KEYS)
        elif step.type == "Tuning":
            definition = dig(step.arguments, "TrainingJobDefinition", base=step.where) or {}
            yield from judge_training(step.where, definition, pipeline_definition.DEFINITION_KEYS)
        elif step.type == "Processing":
            yield from pipeline_definition.judge_processing(step, has_instance_storage)


PIPELINE = ResourceRule(
    RuleMeta(
        name="aws-sagemaker-pipeline-step-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description=(
            "Training, tuning and processing steps in SageMaker pipeline definitions use customer-managed "
            "KMS keys."
        ),
        severity="high",
        rationale=(
            "A pipeline definition creates training and processing jobs at run time, outside the program's "
            "resources, so their encryption settings live only in the definition JSON; this rule parses it "
            "(including steps nested in condition steps)."
        ),
        remediation=(
            "In each step's arguments set ResourceConfig.VolumeKmsKeyId and OutputDataConfig.KmsKeyId "
            "(Processing: ProcessingResources.ClusterConfig.VolumeKmsKeyId and "
            "ProcessingOutputConfig.KmsKeyId); with the SageMaker SDK pass volume_kms_key and output_kms_key "
            "to the estimator or processor."
        ),
        kind="resource",
        resource_types=tokens.SAGEMAKER_PIPELINE,
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html",
    ),
    _pipeline,
)

RULES: list[Rule] = [ENDPOINT_CONFIG, NOTEBOOK, TRAINING_JOB, PIPELINE]
