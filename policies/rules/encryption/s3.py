"""S3 default encryption and its bucket key, judged across resources (inline configuration or split
configuration resources)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import s3_index, tokens
from policies.rules.framework import JoinRule, Rule, Settings
from policies.rules.props import Skip, View, as_bool, as_list, as_str, dig, is_set

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")

META = RuleMeta(
    name="aws-s3-bucket-sse-kms",
    controls=controls(
        pci=("3.5.1",),
        nist=(
            "SC-12",
            "SC-28",
        ),
    ),
    area="encryption",
    description="S3 buckets encrypt objects by default with a customer-managed KMS key.",
    severity="high",
    rationale=(
        "SSE-KMS with a customer-managed key puts object access behind a key policy and CloudTrail-logged "
        "key use; SSE-S3 and the AWS-managed aws/s3 key cannot be scoped or audited. In pulumi-aws v7 the "
        "configuration is a separate aws:s3/bucketServerSideEncryptionConfiguration resource, so a bucket is "
        "joined with the configurations that target it, and a bucket with none fails. Exception: a bucket "
        "that receives load balancer access logs may use SSE-S3 (AES256), because Elastic Load Balancing can "
        "only write to SSE-S3 buckets."
    ),
    remediation=(
        "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with "
        "apply_server_side_encryption_by_default sse_algorithm='aws:kms' and kms_master_key_id set to a "
        "customer-managed aws.kms.Key (and bucket_key_enabled=True to cut KMS request costs)."
    ),
    kind="stack",
    resource_types=tokens.S3_BUCKETS,
    references=(
        "CKV_AWS_19",
        "CKV_AWS_145",
        "AWS-0132",
        "aws-s3-bucket-configure-server-side-encryption-customer-managed-key",
        "aws-s3-bucket-configure-server-side-encryption-kms",
        "aws-s3-bucket-enable-server-side-encryption",
    ),
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
)


def _rules(bucket: View, index: s3_index.S3Index) -> list[tuple[str, Any]]:
    """(where, rule) pairs from the inline configuration and every configuration resource of the bucket."""
    found: list[tuple[str, Any]] = []
    inline = bucket.get("serverSideEncryptionConfiguration")
    if inline is not None:
        for key in ("rule", "rules"):
            items = as_list(dig(inline, key), f"serverSideEncryptionConfiguration.{key}")
            found.extend((f"{bucket.name}.serverSideEncryptionConfiguration", rule) for rule in items)
    for config in index.attached("encryption", bucket):
        found.extend((config.name, rule) for rule in config.list_("rules"))
    return found


def _judge_rule(where: str, rule: Mapping[str, Any], log_bucket: bool) -> Iterator[str]:
    default = dig(rule, "applyServerSideEncryptionByDefault", base=where)
    algorithm = as_str(dig(default, "sseAlgorithm", base=where), f"{where}.sseAlgorithm")
    if algorithm in KMS_ALGORITHMS:
        if not is_set(dig(default, "kmsMasterKeyId", allow_unknown=True)):
            yield (
                f"{where} uses {algorithm} with the AWS-managed aws/s3 key; set kmsMasterKeyId to a "
                "customer-managed key."
            )
    elif algorithm == "AES256":
        if not log_bucket:
            yield f"{where} uses SSE-S3 (AES256); use sseAlgorithm 'aws:kms' with a customer-managed key."
    else:
        yield (
            f"{where} sets no supported sseAlgorithm ({algorithm!r}); use 'aws:kms' with a "
            "customer-managed key."
        )


def judge(bucket: View, index: s3_index.S3Index, _settings: Settings) -> Iterator[str]:
    rules = _rules(bucket, index)
    if not rules:
        yield (
            "no server-side encryption configuration targets this bucket (inline or "
            "aws:s3/bucketServerSideEncryptionConfiguration); add one with SSE-KMS and a customer-managed "
            "key."
        )
    for where, rule in rules:
        yield from _judge_rule(where, rule, bucket.urn in index.log_buckets)


RULE = JoinRule(META, s3_index.build, judge)


BUCKET_KEY_META = RuleMeta(
    name="aws-s3-bucket-key-enabled",
    controls=controls(),
    area="encryption",
    description="S3 buckets that encrypt with SSE-KMS use an S3 Bucket Key.",
    severity="medium",
    rationale=(
        "Without a bucket key every object PUT and GET is its own KMS request: a busy data-lake bucket hits "
        "the KMS request quota (throttled reads) and pays per request; the bucket key lets S3 reuse a "
        "bucket-level data key for a while, with the same customer-managed key and the same CloudTrail "
        "record of its use. DSSE-KMS does not support bucket keys and SSE-S3 needs none, so those buckets "
        "are not applicable."
    ),
    remediation="Set bucket_key_enabled=True on the bucket's BucketServerSideEncryptionConfiguration rule.",
    kind="stack",
    resource_types=tokens.S3_BUCKETS,
    default_level="advisory",
    references=("aws-s3-bucket-enable-server-side-encryption-bucket-key",),
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
)


def judge_bucket_key(bucket: View, index: s3_index.S3Index, _settings: Settings) -> Iterator[str]:
    kms = []
    for where, rule in _rules(bucket, index):
        default = dig(rule, "applyServerSideEncryptionByDefault", base=where)
        if as_str(dig(default, "sseAlgorithm", base=where), f"{where}.sseAlgorithm") == "aws:kms":
            kms.append((where, rule))
    if not kms:
        raise Skip("the bucket does not encrypt with SSE-KMS (aws:kms)")
    for where, rule in kms:
        if as_bool(dig(rule, "bucketKeyEnabled", base=where), f"{where}.bucketKeyEnabled") is not True:
            yield f"{where} uses SSE-KMS without `bucketKeyEnabled`; set bucket_key_enabled=True."


BUCKET_KEY_RULE = JoinRule(BUCKET_KEY_META, s3_index.build, judge_bucket_key)
RULES: list[Rule] = [RULE, BUCKET_KEY_RULE]
