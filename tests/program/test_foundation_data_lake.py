"""The data lake (and DR replica) buckets: encryption, versioning, public access, TLS, logging, lifecycle."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from stackview import STACKS, StackView, account_of, dev_variant

pytestmark = pytest.mark.slow

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
NOTIFICATION = "aws:s3/bucketNotification:BucketNotification"

LAKE = {"lake-raw", "lake-processed", "lake-artifacts", "lake-access-logs"}
DR = {"dr-processed-replica", "dr-artifacts-replica", "dr-access-logs"}
ACCESS_LOG_DAYS = {"dev": 90, "staging": 90, "prod": 365}

Views = Callable[[str], StackView]


def _foundation_buckets(view: StackView) -> set[str]:
    return view.names(BUCKET) & (LAKE | DR)


@pytest.mark.parametrize("stack", STACKS)
def test_the_stack_has_the_lake_buckets_and_replicas_only_with_dr(stack: str, stack_view: Views) -> None:
    expected = LAKE | DR if stack == "prod" else LAKE
    assert _foundation_buckets(stack_view(stack)) == expected


def _alb_log_buckets(view: StackView) -> set[str]:
    """Buckets named as a load balancer's `accessLogs.bucket`: ELB log delivery supports only SSE-S3."""
    names = {r.outputs["bucket"]: r.name for r in view.of_type(BUCKET)}
    return {
        names[lb.inputs["accessLogs"]["bucket"]]
        for lb in view.of_type("aws:lb/loadBalancer:LoadBalancer")
        if lb.inputs.get("accessLogs", {}).get("enabled")
    }


@pytest.mark.parametrize("stack", STACKS)
def test_every_bucket_is_encrypted_with_its_regions_cmk_and_bucket_keys(
    stack: str, stack_view: Views
) -> None:
    view = stack_view(stack)
    alb_logs = _alb_log_buckets(view)
    for bucket in view.of_type(BUCKET):
        [sse] = view.attached(SSE, bucket.name)
        [rule] = sse.inputs["rules"]
        if bucket.name in alb_logs:
            assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
            continue
        key = "dr-key" if bucket.name in DR else "keys-data"
        assert rule["applyServerSideEncryptionByDefault"] == {
            "sseAlgorithm": "aws:kms",
            "kmsMasterKeyId": view.arn(key),
        }, bucket.name
        assert rule["bucketKeyEnabled"] is True
    assert not alb_logs & (LAKE | DR)


@pytest.mark.parametrize("stack", STACKS)
def test_every_foundation_bucket_is_versioned_private_and_owner_enforced(
    stack: str, stack_view: Views
) -> None:
    view = stack_view(stack)
    for name in _foundation_buckets(view):
        [versioning] = view.attached(VERSIONING, name)
        assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
        [block] = view.attached(PUBLIC_ACCESS_BLOCK, name)
        flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        assert all(block.inputs[flag] is True for flag in flags), name
        [ownership] = view.attached(OWNERSHIP, name)
        assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


@pytest.mark.parametrize("stack", STACKS)
def test_every_foundation_bucket_denies_plain_http(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    documents = {r.inputs["bucket"]: d for r, d in view.policy_documents() if r.type == POLICY}
    for name in _foundation_buckets(view):
        arn = view.arn(name)
        [deny] = [s for s in documents[view.ident(name)]["Statement"] if s["Effect"] == "Deny"]
        assert deny == {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["s3:*"],
            "Resource": [arn, f"{arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }


@pytest.mark.parametrize("stack", STACKS)
def test_data_buckets_log_to_the_access_log_bucket_which_admits_only_them(
    stack: str, stack_view: Views
) -> None:
    view = stack_view(stack)
    logs_bucket = view.ident("lake-access-logs")
    targets = {
        r.inputs["bucket"]: (r.inputs["targetBucket"], r.inputs["targetPrefix"])
        for r in view.of_type(LOGGING)
    }
    for role in ("raw", "processed", "artifacts"):
        assert targets[view.ident(f"lake-{role}")] == (logs_bucket, f"{role}/")
    assert view.ident("lake-access-logs") not in targets
    documents = {r.inputs["bucket"]: d for r, d in view.policy_documents() if r.type == POLICY}
    [grant] = [s for s in documents[logs_bucket]["Statement"] if s["Effect"] == "Allow"]
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert grant["Action"] == ["s3:PutObject"]
    assert grant["Resource"] == [view.arn("lake-access-logs") + "/*"]
    assert grant["Condition"] == {
        "StringEquals": {"aws:SourceAccount": account_of(stack)},
        "ArnLike": {"aws:SourceArn": [view.arn(f"lake-{r}") for r in ("raw", "processed", "artifacts")]},
    }


@pytest.mark.parametrize("stack", STACKS)
def test_raw_and_processed_send_events_to_eventbridge(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    notified = {r.inputs["bucket"] for r in view.of_type(NOTIFICATION) if r.inputs.get("eventbridge") is True}
    lake_ids = {view.ident(name): name for name in LAKE}
    assert {lake_ids[b] for b in notified if b in lake_ids} == {"lake-raw", "lake-processed"}


def _transitions(view: StackView, bucket: str) -> list[tuple[str, int]]:
    [lifecycle] = view.attached(LIFECYCLE, bucket)
    [rule] = lifecycle.inputs["rules"]
    assert rule["status"] == "Enabled"
    assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30}
    return [(t["storageClass"], t["days"]) for t in rule.get("transitions", [])]


@pytest.mark.parametrize("stack", STACKS)
def test_lifecycle_follows_the_seed_tiers_except_for_model_artifacts(stack: str, stack_view: Views) -> None:
    view = stack_view(stack)
    tiers = [("STANDARD_IA", 30), ("GLACIER", 90), ("DEEP_ARCHIVE", 365)]
    assert _transitions(view, "lake-raw") == tiers
    assert _transitions(view, "lake-processed") == tiers
    assert _transitions(view, "lake-artifacts") == [("STANDARD_IA", 30)]
    assert _transitions(view, "lake-access-logs") == []
    [logs_lifecycle] = view.attached(LIFECYCLE, "lake-access-logs")
    assert logs_lifecycle.inputs["rules"][0]["expiration"] == {"days": ACCESS_LOG_DAYS[stack]}


def test_lifecycle_days_come_from_the_stack_config() -> None:
    view = StackView(dev_variant())
    assert _transitions(view, "lake-raw") == [("STANDARD_IA", 45), ("GLACIER", 120), ("DEEP_ARCHIVE", 400)]
    assert _transitions(view, "lake-artifacts") == [("STANDARD_IA", 45)]
    [logs_lifecycle] = view.attached(LIFECYCLE, "lake-access-logs")
    assert logs_lifecycle.inputs["rules"][0]["expiration"] == {"days": 180}
