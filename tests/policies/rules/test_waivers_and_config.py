"""Waivers (active, expired, by URN, by name pattern, in resource and stack policies) and per-stack
settings."""

from __future__ import annotations

import pytest
from harness import Case, analyze, urn_of

from policies import waivers
from policies.rules.framework import split_not_applicable

BUCKET = "aws:s3/bucket:Bucket"
TOPIC = "aws:sns/topic:Topic"
ACTIVE, EXPIRED = "2999-12-31", "2000-01-01"


def waiver(expires: str, **target: str) -> dict[str, str]:
    return {"reason": "legacy topic, migrating in PLAT-12", "expires": expires, **target}


def topics() -> list[Case]:
    return [Case("legacy-alerts", TOPIC, {}, "fail"), Case("new-alerts", TOPIC, {}, "fail")]


def test_active_waiver_by_name_pattern_is_reported_not_applicable_with_its_reason() -> None:
    outcome = analyze("aws-sns-topic-kms", topics(), {"waivers": [waiver(ACTIVE, name="legacy-*")]})
    assert outcome.failed == {"new-alerts"}
    assert outcome.na == {
        "legacy-alerts": "1 finding(s) waived until 2999-12-31: legacy topic, migrating in PLAT-12"
    }


def test_waiver_by_urn_covers_only_that_resource() -> None:
    urn = urn_of("new-alerts", TOPIC)
    outcome = analyze("aws-sns-topic-kms", topics(), {"waivers": [waiver(ACTIVE, urn=urn)]})
    assert outcome.failed == {"legacy-alerts"}
    assert set(outcome.na) == {"new-alerts"}


def test_expired_waiver_stops_applying_and_the_message_says_so() -> None:
    outcome = analyze("aws-sns-topic-kms", topics(), {"waivers": [waiver(EXPIRED, name="legacy-*")]})
    assert outcome.failed == {"legacy-alerts", "new-alerts"}
    assert outcome.na == {}
    assert outcome.messages["legacy-alerts"] == [
        "`kmsMasterKeyId` is not set; set it to a customer-managed aws.kms.Key (not alias/aws/...). (waiver "
        "expired on 2000-01-01 and no longer applies: legacy topic, migrating in PLAT-12)"
    ]


def test_waiver_without_a_finding_changes_nothing() -> None:
    cases = [Case("ok", TOPIC, {"kmsMasterKeyId": "arn:k"}, "pass")]
    outcome = analyze("aws-sns-topic-kms", cases, {"waivers": [waiver(ACTIVE, name="*")]})
    assert (outcome.failed, outcome.na, outcome.passed) == (set(), {}, {"ok"})


def test_invalid_waivers_never_apply() -> None:
    bad = [{"name": "legacy-*", "expires": ACTIVE}, {"name": "legacy-*", "reason": "r", "expires": "someday"}]
    outcome = analyze("aws-sns-topic-kms", topics(), {"waivers": bad})
    assert outcome.failed == {"legacy-alerts", "new-alerts"}
    assert waivers.problems(bad, "aws-sns-topic-kms") == [
        "aws-sns-topic-kms: waiver #1: a waiver needs a non-empty `reason`",
        "aws-sns-topic-kms: waiver #2: `expires` must be a date YYYY-MM-DD, got 'someday'",
    ]


def test_stack_policy_waiver_applies_per_resource() -> None:
    cases = [
        Case("raw", BUCKET, {}, "fail"),
        Case("curated", BUCKET, {}, "fail"),
        Case("tmp-x", BUCKET, {}, "fail"),
    ]
    outcome = analyze("aws-s3-bucket-sse-kms", cases, {"waivers": [waiver(ACTIVE, name="tmp-*")]})
    assert outcome.failed == {"raw", "curated"}
    assert outcome.na == {"tmp-x": "1 finding(s) waived until 2999-12-31: legacy topic, migrating in PLAT-12"}


def test_stack_not_applicable_reason_splits_into_one_entry_per_resource() -> None:
    urn = urn_of("tmp-x", BUCKET)
    reason = f"tmp-x ({urn}): 1 finding(s) waived until 2999-12-31: r\nstack: no budget configured"
    assert split_not_applicable(reason) == [
        (urn, "1 finding(s) waived until 2999-12-31: r"),
        (None, "no budget configured"),
    ]


@pytest.mark.parametrize(
    ("allowed", "failed"),
    [({"environment": ["prod"]}, {"dev-bucket"}), ({"environment": ["dev", "prod"]}, set())],
)
def test_allowed_tag_values_come_from_pack_config(allowed: dict[str, list[str]], failed: set[str]) -> None:
    tags = {"owner": "ml", "environment": "dev", "cost-center": "c", "data-classification": "internal"}
    outcome = analyze(
        "aws-resource-required-tags",
        [Case("dev-bucket", BUCKET, {"tags": tags}, None)],
        {"allowedValues": allowed},
    )
    assert outcome.failed == failed


def test_required_tag_keys_come_from_pack_config() -> None:
    tags = {"owner": "ml", "environment": "dev", "cost-center": "c", "data-classification": "internal"}
    config = {"requiredTags": ["owner", "project", "stack"]}
    outcome = analyze("aws-resource-required-tags", [Case("b", BUCKET, {"tags": tags}, None)], config)
    assert outcome.messages["b"] == [
        "missing required tag(s) ['project', 'stack']; set them in `tags` or the provider's default_tags."
    ]


def test_minimum_retention_comes_from_pack_config() -> None:
    cases = [Case("week", "aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 7}, None)]
    assert analyze("aws-cloudwatch-log-group-retention", cases).failed == set()
    outcome = analyze("aws-cloudwatch-log-group-retention", cases, {"minDays": 365})
    assert outcome.messages["week"] == ["`retentionInDays` is 7; keep logs at least 365 days."]
