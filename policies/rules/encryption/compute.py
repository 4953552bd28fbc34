"""Encryption on compute: Lambda environment variables, EBS volumes, EC2 block devices and launch
templates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View, as_bool, as_map, dig, is_set


def _lambda_env(view: View, _settings: Settings) -> Iterator[str]:
    variables = view.map_("environment", "variables")
    if variables and not view.has("kmsKeyArn"):
        yield (
            f"{len(variables)} environment variable(s) are encrypted with the AWS-managed aws/lambda "
            "key; set kms_key_arn to a customer-managed key."
        )


LAMBDA_ENV = ResourceRule(
    RuleMeta(
        name="aws-lambda-function-env-kms",
        controls=controls(nist=("SC-28",)),
        area="encryption",
        description=(
            "Lambda functions with environment variables encrypt them with a customer-managed KMS key."
        ),
        severity="medium",
        rationale=(
            "Environment variables are readable by anyone with lambda:GetFunctionConfiguration unless a "
            "customer-managed key restricts decryption; functions without variables are not affected."
        ),
        remediation="Set kms_key_arn on the aws.lambda_.Function to a customer-managed key.",
        kind="resource",
        resource_types=tokens.LAMBDA_FUNCTION,
        references=("CKV_AWS_173",),
        url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
    ),
    _lambda_env,
)


def _device(where: str, raw: Any, key: bool = True) -> Iterator[str]:
    """One block device; `key` False for launch configurations, whose devices cannot name a KMS key (the
    region's default EBS key applies)."""
    device = as_map(raw, where)
    if device.get("snapshotId") is not None and device.get("encrypted") is None:
        return  # encryption follows the snapshot
    if as_bool(dig(device, "encrypted", base=where), f"{where}.encrypted") is not True:
        yield f"`{where}.encrypted` is not true; set encrypted=True with kms_key_id."
    elif key and not is_set(dig(device, "kmsKeyId", allow_unknown=True)):
        yield (
            f"`{where}.kmsKeyId` is not set, so the AWS-managed aws/ebs key is used; set a "
            "customer-managed key."
        )


def _ebs(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in tokens.EBS_VOLUME:
        yield from _device("volume", view.props)
    elif view.type in tokens.EC2_INSTANCE + tokens.EC2_LAUNCH_CONFIGURATION:
        key = view.type in tokens.EC2_INSTANCE
        root = view.get("rootBlockDevice")
        if root is None:
            yield (
                "`rootBlockDevice` is not set, so the root volume follows the AMI (usually unencrypted); set "
                "it."
            )
        else:
            yield from _device("rootBlockDevice", root, key)
        for index, device in enumerate(view.list_("ebsBlockDevices")):
            yield from _device(f"ebsBlockDevices[{index}]", device, key)
    else:
        for index, mapping in enumerate(view.list_("blockDeviceMappings")):
            ebs = dig(mapping, "ebs", base=f"blockDeviceMappings[{index}]")
            if ebs is not None:
                yield from _device(f"blockDeviceMappings[{index}].ebs", ebs)


EBS = ResourceRule(
    RuleMeta(
        name="aws-ec2-ebs-encrypted",
        controls=controls(
            fsbp=("EC2.3",),
            cis=("2.2.1",),
            pci=("3.5.1",),
            nist=("SC-28",),
        ),
        area="encryption",
        description="EBS volumes, EC2 block devices and launch template volumes are encrypted with a "
        "customer-managed KMS key.",
        severity="high",
        rationale=(
            "Unencrypted volumes and their snapshots can be copied or shared in plaintext; an EC2 root "
            "device without explicit settings inherits the AMI's (usually unencrypted) mapping."
        ),
        remediation=(
            "Set encrypted=True and kms_key_id on aws.ebs.Volume, on an instance's (or launch "
            "configuration's) root_block_device and ebs_block_devices, and on launch template "
            "block_device_mappings[].ebs."
        ),
        kind="resource",
        resource_types=(
            tokens.EBS_VOLUME
            + tokens.EC2_INSTANCE
            + tokens.EC2_LAUNCH_TEMPLATE
            + tokens.EC2_LAUNCH_CONFIGURATION
        ),
        references=(
            "CKV_AWS_3",
            "CKV_AWS_8",
            "CKV_AWS_189",
            "CKV2_AWS_2",
            "encrypted-volumes",
            "aws-ebs-volume-configure-customer-managed-key",
            "aws-ebs-volume-disallow-unencrypted-volume",
            "aws-ec2-instance-disallow-unencrypted-block-device",
            "aws-ec2-instance-disallow-unencrypted-root-block-device",
            "aws-ec2-launchconfiguration-disallow-unencrypted-block-device",
            "aws-ec2-launchconfiguration-disallow-unencrypted-root-block-device",
            "aws-ec2-launchtemplate-configure-customer-managed-key",
            "aws-ec2-launchtemplate-disallow-unencrypted-block-device",
        ),
        url="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
    ),
    _ebs,
)

RULES: list[Rule] = [LAMBDA_ENV, EBS]
