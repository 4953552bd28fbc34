"""Property-based robustness: random and malformed props never crash a rule (no exception escapes the pack).

Values mix the shapes rules meet in the wild: unknown sentinels, objects where strings are expected, invalid
or partial JSON policy documents, secret-looking strings, deep nesting. Every rule must return a verdict
(violation, pass or not-applicable), never raise, and never fall back to the SDK's "can't run policy" path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from harness import Case, analyze, fixture_files, load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY

from policies.registry import all_policies

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"


def _secret(value: Any) -> dict[str, Any]:
    """A value wrapped as the engine marshals secrets (the SDK unwraps it before rules see it)."""
    return {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": value}


def _keys() -> list[str]:
    """Property names the fixtures use (the names rules actually read), plus nested document keys."""
    found: set[str] = {"Statement", "Effect", "Action", "Resource", "Principal", "Condition", "Steps", "Type"}

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            found.update(str(key) for key in value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in fixture_files():
        for case in load(path)[1]:
            walk(case.props)
    return sorted(found)


KEYS = st.sampled_from(_keys())
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**31), max_value=2**31),
    st.sampled_from(
        [
            UNKNOWN,
            UNKNOWN_OBJECT,
            "*",
            "s3:*",
            "0.0.0.0/0",
            "::/0",
            "aws:kms",
            "AES256",
            "Enabled",
            "[secret]",
            "AKIAIOSFODNN7EXAMPLE",
            "{not json",
            '{"Statement": "x"}',
            '{"Statement": [{"Effect": "Allow", "Action": 3}]}',
            "arn:aws:iam::111122223333:root",
            "@ref:subject",
        ]
    ),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.builds(_secret, children),
        st.lists(children, max_size=3),
        st.dictionaries(KEYS, children, max_size=4),
        st.dictionaries(KEYS, children, max_size=3).map(json.dumps),
    ),
    max_leaves=12,
)
PROPS = st.dictionaries(KEYS, VALUES, max_size=6)
METAS = [meta for meta in all_policies() if meta.resource_types]
TYPE_POOL = sorted({t for meta in METAS for t in meta.resource_types if len(meta.resource_types) < 100})


def _check(policy: str, cases: list[Case]) -> None:
    """The pack answered (an exception would propagate out of the servicer) without the SDK's unknown
    fallback."""
    outcome = analyze(policy, cases)
    assert outcome.sdk_unknown == []
    assert all(message.strip() for messages in outcome.messages.values() for message in messages)
    assert all(reason.strip() for reason in outcome.na.values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(METAS), st.data())
def test_random_props_never_crash_a_rule(meta: Any, data: st.DataObject) -> None:
    type_ = data.draw(st.sampled_from(meta.resource_types))
    props = data.draw(PROPS)
    provider = data.draw(st.none() | st.dictionaries(st.just("defaultTags"), VALUES, max_size=1))
    cases = [Case("subject", type_, props, None, provider)]
    if meta.kind == "stack":
        others = data.draw(st.lists(st.tuples(st.sampled_from(TYPE_POOL), PROPS), max_size=4))
        cases += [Case(f"other{i}", t, p, None) for i, (t, p) in enumerate(others)]
        cases.append(Case("other", type_, {}, None))
    _check(meta.name, cases)


@settings(max_examples=30, deadline=None)
@given(
    st.recursive(
        SCALARS, lambda c: st.lists(c, max_size=3) | st.dictionaries(KEYS, c, max_size=3), max_leaves=10
    )
)
def test_any_policy_document_shape_is_judged_without_crashing(document: Any) -> None:
    as_text = json.dumps(document)
    cases = [
        Case("subject", "aws:iam/policy:Policy", {"policy": document}, None),
        Case("text", "aws:iam/policy:Policy", {"policy": as_text}, None),
        Case("bucket_policy", "aws:s3/bucketPolicy:BucketPolicy", {"bucket": "b", "policy": as_text}, None),
        Case(
            "role",
            "aws:iam/role:Role",
            {"assumeRolePolicy": as_text, "inlinePolicies": [{"policy": document}]},
            None,
        ),
    ]
    for name in (
        "aws-iam-policy-no-wildcard-actions",
        "aws-iam-policy-no-wildcard-resources",
        "aws-iam-policy-no-passrole-wildcard",
        "aws-iam-policy-no-allow-not-elements",
        "aws-iam-resource-policy-no-public-principal",
        "aws-iam-role-trust-no-broad-principal",
        "aws-iam-principal-no-privilege-escalation",
    ):
        _check(name, cases)
