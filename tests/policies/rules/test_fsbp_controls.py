"""Every FSBP control id the rules cite is listed in docs/fsbp-controls.md, checked or flagged."""

from __future__ import annotations

import re
from pathlib import Path

from policies.registry import all_rules

DOC = Path(__file__).resolve().parents[3] / "docs" / "fsbp-controls.md"
ROW = re.compile(r"^\| (?P<id>[A-Za-z0-9]+\.\d+) \| (?P<title>[^|]*) \| (?P<source>[a-z]+) \|$")
SOURCES = {"reference", "secondary", "unverified"}


def _listed() -> dict[str, tuple[str, str]]:
    rows = [ROW.match(line) for line in DOC.read_text(encoding="utf-8").splitlines()]
    return {row["id"]: (row["title"].strip(), row["source"]) for row in rows if row}


def _cited() -> dict[str, set[str]]:
    cited: dict[str, set[str]] = {}
    for rule in all_rules():
        for control in rule.meta.controls:
            if control.framework == "fsbp":
                cited.setdefault(control.id, set()).add(rule.meta.name)
    return cited


def test_every_cited_fsbp_id_is_listed() -> None:
    missing = {cid: sorted(names) for cid, names in _cited().items() if cid not in _listed()}
    assert missing == {}, "cite only ids checked against the Security Hub control reference"


def test_the_list_has_no_id_that_no_rule_cites() -> None:
    assert set(_listed()) - set(_cited()) == set()


def test_each_row_says_where_it_was_checked() -> None:
    listed = _listed()
    assert {source for _, source in listed.values()} <= SOURCES
    for cid, (title, source) in listed.items():
        assert (title != "") == (source != "unverified"), cid
    assert "2026-12-02" in DOC.read_text(encoding="utf-8")


def test_corrected_mappings_stay_corrected() -> None:
    cited = _cited()
    assert "aws-ec2-security-group-no-open-egress" not in cited["EC2.18"]
    assert "aws-ec2-security-group-no-public-ingress" in cited["EC2.18"]
    assert cited["ELB.9"] == {"aws-elb-classic-availability"}
    assert "aws-elasticache-multi-az-failover" not in cited["ElastiCache.4"]
    assert cited["EC2.3"] == {"aws-ec2-ebs-encrypted"}
    assert "aws-ec2-ebs-encrypted" not in cited["EC2.7"]
