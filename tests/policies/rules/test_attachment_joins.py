"""The platform's attachment joins (policies.rules.attached over the stack graph): a side resource whose
target is unknown during preview makes the unmatched subjects "could not evaluate", never a failure."""

from __future__ import annotations

from harness import UNKNOWN, Case, analyze

VOLUME = "aws:ebs/volume:Volume"
ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
ACL_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"


def test_a_volume_attachment_to_an_unknown_volume_leaves_unmatched_volumes_unevaluated() -> None:
    outcome = analyze(
        "aws-ebs-volume-attached",
        [
            Case("data", VOLUME, {"size": 10}, "pass"),
            Case("scratch", VOLUME, {"size": 10}, "na"),
            Case("a1", ATTACHMENT, {"volumeId": "@ref:data", "instanceId": "i-1"}, None),
            Case("a2", ATTACHMENT, {"volumeId": UNKNOWN, "instanceId": "i-1"}, None),
        ],
    )
    assert outcome.failed == set() and outcome.passed == {"data"}
    assert set(outcome.na) == {"scratch"} and "unknown during preview" in outcome.na["scratch"]


def test_web_acl_logging_matches_by_arn_value_and_by_dependency() -> None:
    arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/1"
    outcome = analyze(
        "aws-wafv2-web-acl-logging",
        [
            Case("edge", WEB_ACL, {"arn": arn, "scope": "REGIONAL"}, "pass"),
            Case("api", WEB_ACL, {"scope": "REGIONAL"}, "pass"),
            Case("spare", WEB_ACL, {"scope": "REGIONAL"}, "fail"),
            Case("l1", ACL_LOGGING, {"resourceArn": arn, "logDestinationConfigs": ["arn:fh"]}, None),
            Case("l2", ACL_LOGGING, {"resourceArn": "@ref:api", "logDestinationConfigs": ["arn:fh"]}, None),
        ],
    )
    assert outcome.passed == {"edge", "api"} and outcome.failed == {"spare"} and outcome.na == {}
