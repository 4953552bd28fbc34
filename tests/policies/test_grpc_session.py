"""End to end over the real protocol: `python -m pulumi.policy` serves the tiny pack; the session drives it.

The pack's rules report what they received, so each test asserts what crossed the wire.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from packs import BASIC, BROKEN, CHATTY, PROJECT, STACK, inventory, provider, resource

from policies.analyzer import PolicySession, run_pack
from policies.marshal import UNKNOWN
from policies.packconfig import PackConfigError
from policies.packhost import PackError
from policies.results import NotApplicable, PolicyResult, Violation

pytestmark = pytest.mark.slow

BUCKET, PROBE = "aws:s3/bucket:Bucket", "test:index:Probe"
DEFAULT = provider("default", {"region": "us-east-1", "defaultTags": {"tags": {"owner": "data"}}})
BARE = provider("bare", {"region": "us-east-1"})
LAKE = resource("test:index:Lake", "lake", custom=False)
TAGGED = resource(
    BUCKET,
    "tagged",
    {"tags": {"team": "x"}},
    outputs={"arn": "arn:aws:s3:::tagged"},
    parent=LAKE,
    provider=DEFAULT,
    dependencies=[LAKE.urn],
    property_dependencies={"tags": [LAKE.urn]},
)
UNTAGGED = resource(BUCKET, "untagged", {"tags": {"team": "x"}}, provider=BARE)
PROBED = resource(
    PROBE,
    "probe",
    {"pending": UNKNOWN, "password": "hunter2", "__meta": "internal"},
    parent=LAKE,
    provider=DEFAULT,
    unknown=frozenset({"pending"}),
    secret=frozenset({"password"}),
)
IMPORTED = resource(BUCKET, "imported", provider=BARE, external=True)
CONFIG = {
    "aws:region": "us-west-2",
    "tiny:settings": {"a": 1},
    "pulumi:tags": {"team": "platform"},
    "proj:dbPassword": "[secret]",
}


def scenario() -> Any:
    return inventory([LAKE, TAGGED, UNTAGGED, PROBED, IMPORTED], CONFIG)


def found(result: PolicyResult) -> set[tuple[str, str, str]]:
    return {(v.policy, v.name, v.level) for v in result.violations}


@pytest.fixture(scope="module")
def result() -> PolicyResult:
    return run_pack(scenario(), pack_dir=BASIC)


def test_exact_violations_and_not_applicable(result: PolicyResult) -> None:
    assert found(result) == {
        ("tp-bucket-tags", "untagged", "mandatory"),
        ("tp-stack-context", "probe", "advisory"),
        ("tp-secret-seen", "probe", "advisory"),
        *{
            ("tp-stack-inventory", name, "advisory")
            for name in ("lake", "tagged", "untagged", "probe", "imported")
        },
    }
    assert result.not_applicable == [
        NotApplicable(
            "tp-reads-unknown",
            PROBED.urn,
            "could not be evaluated: string value at .pending can't be known during preview",
            PROBE,
            "probe",
        ),
        NotApplicable("tp-waived", PROBED.urn, "waived until 2099-01-01: test waiver", PROBE, "probe"),
    ]
    assert [v.policy for v in result.mandatory] == ["tp-bucket-tags"]
    assert result.resources_analyzed == 4  # the external read is not analyzed, providers and the stack never


def test_provider_default_tags_reach_rules_and_messages_lose_the_description_prefix(
    result: PolicyResult,
) -> None:
    (violation,) = [v for v in result.violations if v.policy == "tp-bucket-tags"]
    assert violation == Violation(
        "tp-bucket-tags", "mandatory", "high", UNTAGGED.urn, BUCKET, "untagged", "missing tags ['owner']"
    )


def test_stack_config_and_context_reach_the_pack(result: PolicyResult) -> None:
    (violation,) = [v for v in result.violations if v.policy == "tp-stack-context"]
    assert json.loads(violation.message) == {
        "stack": STACK,
        "project": PROJECT,
        "organization": "organization",
        "dryRun": True,
        "region": "us-west-2",
        "settings": {"a": 1},
        "stackTags": {"pulumi:project": PROJECT, "team": "platform"},
        "parent": LAKE.urn,
        "provider": DEFAULT.urn,
    }
    assert violation.severity == "low"


def test_secrets_arrive_unwrapped_and_a_policy_without_severity_reads_medium(result: PolicyResult) -> None:
    (violation,) = [v for v in result.violations if v.policy == "tp-secret-seen"]
    assert (violation.message, violation.severity) == ("password is 'hunter2' (str)", "medium")


def test_analyze_stack_sees_every_resource_with_outputs_and_relations(result: PolicyResult) -> None:
    seen = {v.name: json.loads(v.message) for v in result.violations if v.policy == "tp-stack-inventory"}
    assert seen["tagged"] == {
        "type": BUCKET,
        "name": "tagged",
        "parent": LAKE.urn,
        "dependencies": [LAKE.urn],
        "propertyDependencies": {"tags": [LAKE.urn]},
        "provider": "default",
        "arn": "arn:aws:s3:::tagged",
    }
    assert seen["imported"]["provider"] == "bare"
    assert seen["lake"] == {
        "type": "test:index:Lake",
        "name": "lake",
        "parent": None,
        "dependencies": [],
        "propertyDependencies": {},
        "provider": None,
        "arn": None,
    }
    assert {v.severity for v in result.violations if v.policy == "tp-stack-inventory"} == {"critical"}


def test_pack_metadata_comes_from_analyzer_info_and_pulumipolicy_yaml(result: PolicyResult) -> None:
    assert (result.pack, result.version, result.project, result.stack) == (
        "tiny-test-pack",
        "1.2.3",
        PROJECT,
        STACK,
    )
    tags = result.policy("tp-bucket-tags")
    assert tags is not None
    assert (tags.enforcement_level, tags.severity, tags.policy_type, tags.url, tags.tags) == (
        "mandatory",
        "high",
        "resource",
        "https://example.com/policies/tp-bucket-tags",
        ("tagging",),
    )
    assert [p.name for p in result.policies] == sorted(p.name for p in result.policies)
    assert {p.name: p.policy_type for p in result.policies}["tp-stack-inventory"] == "stack"


def test_configured_levels_apply() -> None:
    advisory = run_pack(scenario(), pack_dir=BASIC, policy_config={"tp-bucket-tags": "advisory"})
    assert ("tp-bucket-tags", "untagged", "advisory") in found(advisory)
    assert advisory.mandatory == []


def test_all_disables_the_rest_and_properties_reach_the_rule() -> None:
    config = {
        "all": "disabled",
        "tp-bucket-tags": {"enforcementLevel": "mandatory", "requiredTags": ["owner", "cost-center"]},
    }
    only_tags = run_pack(scenario(), pack_dir=BASIC, policy_config=config)
    assert {(v.name, v.message) for v in only_tags.violations} == {
        ("tagged", "missing tags ['cost-center']"),
        ("untagged", "missing tags ['cost-center', 'owner']"),
    }
    assert only_tags.not_applicable == []
    assert {p.name: p.enforcement_level for p in only_tags.policies}["tp-waived"] == "disabled"


def test_streaming_session_matches_run_pack_and_reuses_the_pack(result: PolicyResult) -> None:
    with PolicySession(BASIC, project=PROJECT, stack=STACK, config=CONFIG) as session:
        for item in (LAKE, TAGGED, TAGGED, PROBED):  # a repeat is ignored; UNTAGGED only arrives with finish
            session.analyze(item)
        first = session.check(scenario())
        session.reconfigure({"tp-bucket-tags": "disabled"})
        second = session.check(inventory([UNTAGGED]))
    assert first.violations == result.violations
    assert first.not_applicable == result.not_applicable
    assert [v.policy for v in second.violations] == ["tp-stack-inventory"]
    with pytest.raises(RuntimeError, match="closed"):
        session.analyze(UNTAGGED)


def test_a_pack_that_fails_to_start_reports_its_error() -> None:
    with pytest.raises(PackError) as raised:
        run_pack(scenario(), pack_dir=BROKEN)
    assert str(raised.value) == (
        f"the policy pack in {BROKEN} exited with code 1 before serving: "
        "ModuleNotFoundError: No module named 'this_module_does_not_exist'"
    )
    assert "Traceback" in raised.value.stderr


def test_a_pack_that_prints_before_its_port_is_refused() -> None:
    with pytest.raises(PackError, match="printed 'hello from the pack' where its port number belongs"):
        run_pack(scenario(), pack_dir=CHATTY)


def test_a_pack_that_does_not_start_in_time_is_stopped() -> None:
    session = PolicySession(BASIC, project=PROJECT, stack=STACK, start_timeout=0.001)
    with pytest.raises(PackError, match=r"did not report its port within 0.001 s"):
        session.finish(scenario())


def test_a_rule_that_raises_fails_the_run_naming_the_resource() -> None:
    crash = resource("test:index:Crash", "crasher")
    expected = f"failed in Analyze for {crash.urn}: Exception calling application: boom"
    with pytest.raises(PackError, match=re.escape(expected)):
        run_pack(inventory([crash]), pack_dir=BASIC)


def test_config_the_engine_would_refuse_stops_the_run_before_any_analysis() -> None:
    with pytest.raises(
        PackConfigError, match=r"^tp-bucket-tags: requiredTags: 'owner' is not of type 'array'$"
    ):
        run_pack(scenario(), pack_dir=BASIC, policy_config={"tp-bucket-tags": {"requiredTags": "owner"}})
    with pytest.raises(PackConfigError, match="'waivers' has no enforcement level"):
        run_pack(scenario(), pack_dir=BASIC, policy_config={"waivers": {"items": []}})


def test_a_directory_without_pulumipolicy_yaml_is_not_a_pack() -> None:
    expected = f"{BASIC.parent} is not a policy pack: it has no PulumiPolicy.yaml"
    with pytest.raises(PackError, match=f"^{re.escape(expected)}$"):
        run_pack(scenario(), pack_dir=BASIC.parent)
