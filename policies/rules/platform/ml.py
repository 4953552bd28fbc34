"""Machine learning: SageMaker notebooks, Studio domains, monitoring and human-review jobs; Bedrock."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policies.frameworks import controls
from policies.rules.framework import Rule, Settings
from policies.rules.platform import types
from policies.rules.platform.common import (
    CMK,
    join_rule,
    require_flag,
    require_key,
    require_value,
    resource_rule,
)
from policies.rules.props import View
from policies.rules.stack_index import Stack

_SM_URL = "https://docs.aws.amazon.com/sagemaker/latest/dg/"


def _notebook(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_value(view, ("rootAccess",), ("Disabled",), "Enabled", "set root_access='Disabled'.")
    if not view.has("subnetId"):
        yield "`subnetId` is not set, so the notebook runs in SageMaker's VPC; launch it in your subnet."
    yield from require_value(
        view,
        ("instanceMetadataServiceConfiguration", "minimumInstanceMetadataServiceVersion"),
        ("2",),
        "1",
        "set instance_metadata_service_configuration={'minimum_instance_metadata_service_version': '2'}.",
    )


NOTEBOOK = resource_rule(
    _notebook,
    name="aws-sagemaker-notebook-hardened",
    area="iam",
    description="SageMaker notebook instances run in your VPC, without root access and with IMDSv2 only.",
    severity="high",
    rationale=(
        "Root access lets notebook users change the instance (and its guardrails); outside your subnet the "
        "notebook bypasses VPC endpoints and flow logs; IMDSv1 leaks the execution role's credentials to "
        "SSRF. Direct internet access and encryption are judged by their own rules."
    ),
    remediation=(
        "Set root_access='Disabled', subnet_id and security_groups, and "
        "instance_metadata_service_configuration={'minimum_instance_metadata_service_version': '2'}."
    ),
    resource_types=types.SAGEMAKER_NOTEBOOK,
    references=("CKV_AWS_306", "CKV_AWS_307", "CKV_AWS_371"),
    controls=controls(fsbp=("SageMaker.2", "SageMaker.3"), nist=("AC-3", "AC-6", "SC-7")),
    url=_SM_URL + "nbi-root-access.html",
)


def _domain(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_value(
        view,
        ("appNetworkAccessType",),
        ("VpcOnly",),
        "PublicInternetOnly",
        "set app_network_access_type='VpcOnly' (with VPC endpoints or a NAT for egress).",
    )


DOMAIN = resource_rule(
    _domain,
    name="aws-sagemaker-domain-vpc-only",
    area="network",
    description="SageMaker Studio domains send app traffic through your VPC only.",
    severity="high",
    rationale=(
        "The PublicInternetOnly default gives every Studio app direct internet access outside the VPC's "
        "controls, a data exfiltration path. The domain's KMS key is judged by aws-sagemaker-notebook-kms."
    ),
    remediation="Set app_network_access_type='VpcOnly' with subnet_ids and security groups.",
    resource_types=types.SAGEMAKER_DOMAIN,
    references=("sagemaker-domain-in-vpc",),
    controls=controls(nist=("AC-4", "SC-7")),
    url=_SM_URL + "studio-notebooks-and-internet-access.html",
)


def _monitoring_job(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_key(view, ("dataQualityJobOutputConfig", "kmsKeyId"), CMK)
    yield from require_key(view, ("jobResources", "clusterConfig", "volumeKmsKeyId"), CMK)
    yield from require_flag(
        view,
        ("networkConfig", "enableInterContainerTrafficEncryption"),
        "set network_config.enable_inter_container_traffic_encryption=True.",
    )
    yield from require_flag(
        view, ("networkConfig", "enableNetworkIsolation"), "set network_config.enable_network_isolation=True."
    )


MONITORING_JOB = resource_rule(
    _monitoring_job,
    name="aws-sagemaker-monitoring-job-encryption",
    area="encryption",
    description=(
        "SageMaker data-quality monitoring jobs encrypt outputs, volumes and inter-node traffic and run "
        "network-isolated."
    ),
    severity="medium",
    rationale=(
        "Monitoring jobs read captured inference requests (production inputs) and write reports; without "
        "keys, traffic encryption and isolation those copies are less protected than the endpoint itself."
    ),
    remediation=(
        "Set data_quality_job_output_config.kms_key_id, job_resources.cluster_config.volume_kms_key_id and "
        "network_config={'enable_inter_container_traffic_encryption': True, "
        "'enable_network_isolation': True}."
    ),
    resource_types=types.SAGEMAKER_DATA_QUALITY,
    references=("CKV_AWS_367", "CKV_AWS_368", "CKV_AWS_369"),
    controls=controls(nist=("SC-8", "SC-28")),
    url=_SM_URL + "model-monitor.html",
)

FLOW = resource_rule(
    lambda view, _settings: require_key(view, ("outputConfig", "kmsKeyId"), CMK),
    name="aws-sagemaker-flow-definition-kms",
    area="encryption",
    description="SageMaker human-review flow definitions encrypt their output with a customer-managed key.",
    severity="medium",
    rationale="Human-review outputs hold the reviewed inputs and the reviewers' answers.",
    remediation="Set output_config.kms_key_id on aws.sagemaker.FlowDefinition.",
    resource_types=types.SAGEMAKER_FLOW,
    references=("CKV_AWS_372",),
    controls=controls(nist=("SC-12", "SC-28")),
    url=_SM_URL + "a2i-create-flow-definition.html",
)


def _agent(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_key(view, ("customerEncryptionKeyArn",), CMK)
    if not view.has("guardrailConfigurations"):
        yield (
            "`guardrailConfigurations` is not set; attach a Bedrock guardrail (content, PII and prompt "
            "filters)."
        )


AGENT = resource_rule(
    _agent,
    name="aws-bedrock-agent-guardrail-cmk",
    area="encryption",
    description="Bedrock agents use a guardrail and encrypt their sessions with a customer-managed key.",
    severity="high",
    rationale=(
        "An agent acts on user prompts with its own role: a guardrail filters prompt injection, harmful "
        "content and PII before the model acts; session data is encrypted with an AWS-owned key unless a "
        "customer key is set."
    ),
    remediation=(
        "Set guardrail_configurations=[{'guardrail_identifier': guardrail.guardrail_id, 'guardrail_version': "
        "version.version}] and customer_encryption_key_arn=key.arn on aws.bedrock.AgentAgent."
    ),
    resource_types=types.BEDROCK_AGENT,
    references=("CKV_AWS_373", "CKV_AWS_383"),
    controls=controls(nist=("SC-28", "SI-10")),
    url="https://docs.aws.amazon.com/bedrock/latest/userguide/agents-guardrail.html",
)


def _logging_configs(stack: Stack) -> Sequence[View]:
    return stack.of_types(types.BEDROCK_INVOCATION_LOGGING)


def _invocation_logging(view: View, configs: Sequence[View], _settings: Settings) -> Iterator[str]:
    if view.type in types.BEDROCK_INVOCATION_LOGGING:
        if not (view.has("loggingConfig", "cloudwatchConfig") or view.has("loggingConfig", "s3Config")):
            yield "`loggingConfig` names no destination; set cloudwatch_config or s3_config."
        if view.bool_("loggingConfig", "textDataDeliveryEnabled") is False:
            yield "`loggingConfig.textDataDeliveryEnabled` is false; prompts and completions are not logged."
        return
    if not configs:
        yield "the program declares a Bedrock agent but no aws.bedrockmodel.InvocationLoggingConfiguration."


INVOCATION_LOGGING = join_rule(
    _logging_configs,
    _invocation_logging,
    name="aws-bedrock-model-invocation-logging",
    area="resilience",
    description="Programs that declare Bedrock agents enable model invocation logging with a destination.",
    severity="medium",
    rationale=(
        "Invocation logs are the only record of the prompts and completions that went through the account's "
        "models; the setting is per account and region, so a program declaring agents must declare it (the "
        "agent is joined with the logging configurations of the stack)."
    ),
    remediation=(
        "Declare aws.bedrockmodel.InvocationLoggingConfiguration with logging_config={'text_data_delivery_"
        "enabled': True, 'cloudwatch_config': {...}} (KMS-encrypted log group or bucket)."
    ),
    resource_types=types.BEDROCK_AGENT + types.BEDROCK_INVOCATION_LOGGING,
    default_level="advisory",
    profiles={"prod": "mandatory"},
    references=("bedrock-model-invocation-logging",),
    controls=controls(nist=("AU-2", "AU-12")),
    url="https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
)

RULES: list[Rule] = [NOTEBOOK, DOMAIN, MONITORING_JOB, FLOW, AGENT, INVOCATION_LOGGING]
