"""Every FSBP control id the rules cite is an FSBP control docs/fsbp-controls.md lists as checked."""

from __future__ import annotations

import re
from pathlib import Path

from policies.registry import all_rules

DOC = Path(__file__).resolve().parents[3] / "docs" / "fsbp-controls.md"
CONTROL = r"\| (?P<id>[A-Za-z0-9]+\.\d+) \| (?P<title>[^|]+) \|"
FSBP_ROW = re.compile(rf"^{CONTROL}$")
OUTSIDE_ROW = re.compile(rf"^{CONTROL} `(?P<rule>[a-z0-9-]+)` \|$")


def _rows(pattern: re.Pattern[str]) -> dict[str, str]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    return {m["id"]: m["title"].strip() for m in map(pattern.match, lines) if m}


def _cited() -> dict[str, set[str]]:
    cited: dict[str, set[str]] = {}
    for rule in all_rules():
        for control in rule.meta.controls:
            if control.framework == "fsbp":
                cited.setdefault(control.id, set()).add(rule.meta.name)
    return cited


def test_every_cited_fsbp_id_is_a_checked_fsbp_control() -> None:
    listed = _rows(FSBP_ROW)
    missing = {cid: sorted(names) for cid, names in _cited().items() if cid not in listed}
    assert missing == {}, "cite only ids the FSBP standard lists (docs/fsbp-controls.md)"


def test_the_list_has_no_id_that_no_rule_cites() -> None:
    assert set(_rows(FSBP_ROW)) - set(_cited()) == set()


def test_controls_outside_fsbp_are_not_cited_as_fsbp() -> None:
    outside = _rows(OUTSIDE_ROW)
    assert {"KMS.4", "S3.17", "EC2.13", "CloudWatch.16", "RedshiftServerless.7"} <= set(outside)
    assert set(outside) & set(_cited()) == set()
    assert set(outside).isdisjoint(_rows(FSBP_ROW))


def test_the_list_names_its_source_and_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html" in text
    assert "2026-12-02" in text
    assert all(title for title in _rows(FSBP_ROW).values())


def test_corrected_mappings_stay_corrected() -> None:
    cited = _cited()
    assert cited["EC2.18"] == {"aws-ec2-security-group-no-public-ingress"}
    assert cited["ELB.9"] == {"aws-elb-classic-availability"}
    assert cited["ElastiCache.4"] == {"aws-elasticache-encryption"}
    assert cited["EC2.3"] == {"aws-ec2-ebs-encrypted"}
    assert cited["EC2.7"] == {"aws-ebs-encryption-by-default"}
