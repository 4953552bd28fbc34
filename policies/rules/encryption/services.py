"""Encryption of logs, images, secrets, traces, workflows and analytics, and KMS key rotation."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.checks import require_set
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import Skip, View, as_str, dig, is_set

_CMK = "set it to a customer-managed aws.kms.Key ARN."

LOG_GROUP = ResourceRule(
    RuleMeta(
        name="aws-cloudwatch-log-group-kms",
        controls=controls(
            nist=(
                "AU-9",
                "SC-28",
            )
        ),
        area="encryption",
        description="CloudWatch log groups encrypt log data with a customer-managed KMS key.",
        severity="medium",
        rationale=(
            "Application, flow and Step Functions execution logs carry request payloads and identifiers; by "
            "default they are encrypted with keys CloudWatch owns."
        ),
        remediation=(
            "Set kms_key_id on the aws.cloudwatch.LogGroup (the key policy must allow "
            "logs.<region>.amazonaws.com)."
        ),
        kind="resource",
        resource_types=tokens.LOG_GROUP,
        references=("CKV_AWS_158", "AWS-0017", "cloudwatch-log-group-kms-encryption-enabled"),
        url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    ),
    require_set("kmsKeyId", fix=_CMK),
)


def _ecr(view: View, _settings: Settings) -> Iterator[str]:
    configs = view.list_("encryptionConfigurations")
    if not configs:
        yield (
            "`encryptionConfigurations` is not set, so images use AES256; set encryption_type='KMS' with "
            "kms_key."
        )
    for index, config in enumerate(configs):
        where = f"encryptionConfigurations[{index}]"
        if as_str(dig(config, "encryptionType", base=where), where) not in ("KMS", "KMS_DSSE"):
            yield f"`{where}.encryptionType` is not KMS; set encryption_type='KMS' with kms_key."
        elif not is_set(dig(config, "kmsKey", allow_unknown=True)):
            yield f"`{where}.kmsKey` is not set, so the AWS-managed aws/ecr key is used; {_CMK}"


ECR = ResourceRule(
    RuleMeta(
        name="aws-ecr-repository-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description="ECR repositories encrypt images with a customer-managed KMS key.",
        severity="medium",
        rationale="Images contain application code, dependencies and sometimes baked-in configuration.",
        remediation=(
            "Set encryption_configurations=[{'encryption_type': 'KMS', 'kms_key': <key ARN>}] (replaces the "
            "repository)."
        ),
        kind="resource",
        resource_types=tokens.ECR_REPOSITORY,
        references=(
            "CKV_AWS_136",
            "aws-ecr-repository-configure-customer-managed-key",
            "aws-ecr-repository-disallow-unencrypted-repository",
        ),
        url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
    ),
    _ecr,
)

SECRET = ResourceRule(
    RuleMeta(
        name="aws-secretsmanager-secret-kms",
        controls=controls(
            nist=(
                "SC-12",
                "SC-28",
            )
        ),
        area="encryption",
        description="Secrets Manager secrets are encrypted with a customer-managed KMS key.",
        severity="medium",
        rationale=(
            "With the AWS-managed aws/secretsmanager key any principal allowed GetSecretValue can decrypt; a "
            "customer-managed key adds a second, independent authorization and enables cross-account use."
        ),
        remediation="Set kms_key_id on the aws.secretsmanager.Secret.",
        kind="resource",
        resource_types=tokens.SECRET,
        references=(
            "CKV_AWS_149",
            "secrets-manager-kms-encryption-enabled",
            "aws-secretsmanager-secret-configure-customer-managed-key",
        ),
        url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
    ),
    require_set("kmsKeyId", fix=_CMK),
)


def _kms_rotation(view: View, _settings: Settings) -> Iterator[str]:
    spec = view.str_("customerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    if spec != "SYMMETRIC_DEFAULT" or view.has("customKeyStoreId"):
        raise Skip(f"automatic rotation is not supported for {spec} keys or keys in custom key stores")
    if view.bool_("enableKeyRotation") is not True:
        yield "`enableKeyRotation` is not true; set enable_key_rotation=True."


KMS_ROTATION = ResourceRule(
    RuleMeta(
        name="aws-kms-key-rotation",
        controls=controls(cis=("3.6",), pci=("3.7.4",), nist=("SC-12",)),
        area="encryption",
        description="Symmetric customer-managed KMS keys rotate their key material automatically.",
        severity="medium",
        rationale=(
            "Rotation limits how much data one key version protects and is required by CIS and PCI DSS. "
            "Asymmetric, HMAC and custom-key-store keys cannot rotate automatically and are not-applicable."
        ),
        remediation="Set enable_key_rotation=True (optionally rotation_period_in_days) on the aws.kms.Key.",
        kind="resource",
        resource_types=tokens.KMS_KEY,
        references=(
            "CKV_AWS_7",
            "cmk-backing-key-rotation-enabled",
            "kms-key-rotation-enabled",
            "aws-kms-key-enable-key-rotation",
        ),
        url="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    ),
    _kms_rotation,
)


def _xray(view: View, _settings: Settings) -> Iterator[str]:
    if view.str_("type") != "KMS":
        yield "`type` is not KMS, so traces use X-Ray's default encryption; set type='KMS' with key_id."
    elif not view.has("keyId"):
        yield f"`keyId` is not set, so the AWS-managed aws/xray key is used; {_CMK}"


XRAY = ResourceRule(
    RuleMeta(
        name="aws-xray-encryption-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description="The X-Ray encryption configuration uses a customer-managed KMS key.",
        severity="low",
        rationale=(
            "Traces record request paths, SQL and annotations; X-Ray encrypts them with an AWS-owned key "
            "unless an encryption config selects KMS. No public scanner checks aws:xray/encryptionConfig."
        ),
        remediation="Declare aws.xray.EncryptionConfig(type='KMS', key_id=<customer-managed key ARN>).",
        kind="resource",
        resource_types=tokens.XRAY_ENCRYPTION,
        url="https://docs.aws.amazon.com/xray/latest/devguide/xray-console-encryption.html",
    ),
    _xray,
)


def _state_machine(view: View, _settings: Settings) -> Iterator[str]:
    if view.str_("encryptionConfiguration", "type") != "CUSTOMER_MANAGED_KMS_KEY":
        yield (
            "`encryptionConfiguration.type` is not CUSTOMER_MANAGED_KMS_KEY, so execution history and logged "
            "input/output use an AWS-owned key; set it with kms_key_id."
        )
    elif not view.has("encryptionConfiguration", "kmsKeyId"):
        yield f"`encryptionConfiguration.kmsKeyId` is not set; {_CMK}"


STATE_MACHINE = ResourceRule(
    RuleMeta(
        name="aws-sfn-state-machine-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description=(
            "Step Functions state machines encrypt definitions, execution data and logs with a "
            "customer-managed KMS key."
        ),
        severity="medium",
        rationale=(
            "Execution input and output (often document text or model results) are stored in execution "
            "history and, with include_execution_data, in the log destination; the CMK also encrypts what "
            "Step Functions writes to its logs (the log group's own key is judged by "
            "aws-cloudwatch-log-group-kms)."
        ),
        remediation=(
            "Set encryption_configuration={'type': 'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_id': <key ARN>} and "
            "allow states.amazonaws.com in the key policy."
        ),
        kind="resource",
        resource_types=tokens.STATE_MACHINE,
        url="https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html",
    ),
    _state_machine,
)

_GLUE_MODES = (
    ("s3Encryption", "s3EncryptionMode", "SSE-KMS"),
    ("cloudwatchEncryption", "cloudwatchEncryptionMode", "SSE-KMS"),
    ("jobBookmarksEncryption", "jobBookmarksEncryptionMode", "CSE-KMS"),
)


def _glue(view: View, _settings: Settings) -> Iterator[str]:
    if view.type not in tokens.GLUE_SECURITY_CONFIGURATION:
        if not view.has("securityConfiguration"):
            yield (
                "`securityConfiguration` is not set, so outputs, logs and bookmarks are not KMS-encrypted; "
                "set it."
            )
        return
    for block, field_, mode in _GLUE_MODES:
        if view.str_("encryptionConfiguration", block, field_) != mode:
            yield f"`encryptionConfiguration.{block}.{field_}` is not {mode}; set it with kms_key_arn."
        elif not view.has("encryptionConfiguration", block, "kmsKeyArn"):
            yield f"`encryptionConfiguration.{block}.kmsKeyArn` is not set; {_CMK}"


GLUE = ResourceRule(
    RuleMeta(
        name="aws-glue-security-configuration-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description=(
            "Glue security configurations encrypt S3 output, logs and job bookmarks with KMS, and Glue jobs, "
            "crawlers and development endpoints use one."
        ),
        severity="medium",
        rationale=(
            "Glue jobs and crawlers write data, CloudWatch logs and bookmarks; without a security "
            "configuration none of these use KMS."
        ),
        remediation=(
            "Create an aws.glue.SecurityConfiguration with SSE-KMS for S3 and CloudWatch and CSE-KMS for job "
            "bookmarks, and set security_configuration on every aws.glue.Job, aws.glue.Crawler and "
            "aws.glue.DevEndpoint."
        ),
        kind="resource",
        resource_types=(
            tokens.GLUE_SECURITY_CONFIGURATION
            + tokens.GLUE_JOB
            + tokens.GLUE_CRAWLER
            + tokens.GLUE_DEV_ENDPOINT
        ),
        references=("CKV_AWS_99", "CKV_AWS_195"),
        url="https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html",
    ),
    _glue,
)


def _athena(view: View, _settings: Settings) -> Iterator[str]:
    where = ("configuration", "resultConfiguration", "encryptionConfiguration")
    option = view.str_(*where, "encryptionOption")
    if option not in ("SSE_KMS", "CSE_KMS"):
        yield f"`{'.'.join(where)}.encryptionOption` is {option!r}; use SSE_KMS with kms_key_arn."
    elif not view.has(*where, "kmsKeyArn"):
        yield f"`{'.'.join(where)}.kmsKeyArn` is not set; {_CMK}"
    if view.bool_("configuration", "enforceWorkgroupConfiguration") is False:
        yield (
            "`configuration.enforceWorkgroupConfiguration` is false, so clients can override result "
            "encryption."
        )


ATHENA = ResourceRule(
    RuleMeta(
        name="aws-athena-workgroup-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description="Athena workgroups encrypt query results with KMS and enforce that setting.",
        severity="medium",
        rationale="Query results are full copies of the selected data written to S3.",
        remediation=(
            "Set configuration.result_configuration.encryption_configuration="
            "{'encryption_option': 'SSE_KMS', 'kms_key_arn': ...} and keep "
            "enforce_workgroup_configuration=True."
        ),
        kind="resource",
        resource_types=tokens.ATHENA_WORKGROUP,
        references=(
            "CKV_AWS_82",
            "CKV_AWS_159",
            "aws-athena-workgroup-configure-customer-managed-key",
            "aws-athena-workgroup-disallow-unencrypted-workgroup",
            "aws-athena-workgroup-enforce-configuration",
        ),
        url="https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html",
    ),
    _athena,
)

RULES: list[Rule] = [LOG_GROUP, ECR, SECRET, KMS_ROTATION, XRAY, STATE_MACHINE, GLUE, ATHENA]
