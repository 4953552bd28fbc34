"""`python -m policies.check`: inputs, every output format, exit codes and error messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
from packs import BASIC, BROKEN, PREVIEW_JSON, PROGRAM, ROOT

from policies.check import main

pytestmark = pytest.mark.slow

TAGS_URN = "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::untagged"
PROBE_URN = "urn:pulumi:dev::proj::test:index:Probe::probe"
STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def from_preview(*args: str, pack: Path = BASIC) -> tuple[str, ...]:
    """Read the preview digest; `--program` names a directory without a project, so no stack file applies."""
    return (
        "--preview-json",
        str(PREVIEW_JSON),
        "--program",
        str(PREVIEW_JSON.parent),
        "--pack",
        str(pack),
        *args,
    )


@pytest.fixture(autouse=True)
def in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_synthesized_program_table_fails_on_the_mandatory_violation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--program", str(PROGRAM), "--pack", str(BASIC))
    assert code == 1, err
    first = out.splitlines()[0]
    assert first == (
        "FAILED: 1 mandatory, 5 advisory, 1 not applicable - tiny-test-pack@1.2.3 on tiny-program/dev: "
        "3 resources, 7 policies"
    )
    assert "missing tags ['owner']" in out
    assert "password is '[secret]' (str)" in out  # a secure: config value stays a placeholder offline
    assert err == ""


def test_json_report_is_exact(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *from_preview("--format", "json"))
    document = json.loads(out)
    assert code == 1
    assert set(document) == {"violations", "not_applicable", "summary", "pack", "project", "stack"}
    assert (document["pack"], document["project"], document["stack"]) == (
        {"name": "tiny-test-pack", "version": "1.2.3"},
        "proj",
        "dev",
    )
    assert document["violations"][0] == {
        "policy": "tp-bucket-tags",
        "level": "mandatory",
        "severity": "high",
        "urn": TAGS_URN,
        "type": "aws:s3/bucket:Bucket",
        "name": "untagged",
        "message": "missing tags ['owner']",
        "frameworks": "",
    }
    assert [(v["policy"], v["name"], v["level"]) for v in document["violations"]] == [
        ("tp-bucket-tags", "untagged", "mandatory"),
        ("tp-secret-seen", "probe", "advisory"),
        ("tp-stack-context", "probe", "advisory"),
    ]
    assert document["not_applicable"] == [
        {
            "policy": "tp-reads-unknown",
            "urn": PROBE_URN,
            "reason": "could not be evaluated: string value at .pending can't be known during preview",
            "type": "test:index:Probe",
            "name": "probe",
        },
        {
            "policy": "tp-stack-inventory",
            "urn": STACK_URN,
            "reason": "could not be evaluated: string value at .arn can't be known during preview",
            "type": "pulumi:pulumi:Stack",
            "name": "proj-dev",
        },
        {
            "policy": "tp-waived",
            "urn": PROBE_URN,
            "reason": "waived until 2099-01-01: test waiver",
            "type": "test:index:Probe",
            "name": "probe",
        },
    ]
    assert document["summary"] == {
        "passed": False,
        "resources": 3,
        "policies": {"total": 7, "enabled": 7, "mandatory": 1, "advisory": 6, "disabled": 0},
        "violations": {
            "total": 3,
            "mandatory": 1,
            "advisory": 2,
            "by_severity": {"critical": 0, "high": 1, "medium": 1, "low": 1},
        },
        "not_applicable": 3,
    }


def test_the_stack_profile_in_the_pack_is_the_default_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(BASIC, pack)
    (pack / "config").mkdir()
    (pack / "config" / "dev.json").write_text(json.dumps({"tp-bucket-tags": "advisory"}))
    code, out, _ = run(capsys, *from_preview("--format", "json", pack=pack))
    assert code == 0
    assert json.loads(out)["violations"][0]["level"] == "advisory"
    explicit = tmp_path / "strict.json"
    explicit.write_text(json.dumps({"all": "mandatory"}))
    code, out, _ = run(
        capsys, *from_preview("--format", "json", "--policy-pack-config", str(explicit), pack=pack)
    )
    assert code == 1
    assert {v["level"] for v in json.loads(out)["violations"]} == {"mandatory"}


def test_markdown_comment_lists_mandatory_first_and_collapses_details(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, *from_preview("--format", "markdown"))
    lines = out.splitlines()
    assert lines[0] == "### ❌ Policy check failed: 1 mandatory, 2 advisory · `proj/dev`"
    assert lines[2] == "`tiny-test-pack@1.2.3` checked 3 resources against 7 policies; 3 not applicable."
    rows = [line for line in lines if line.startswith("| 🔴") or line.startswith("| 🟡")]
    assert rows[0] == (
        "| 🔴 mandatory | high | `tp-bucket-tags` | `untagged` (aws:s3/bucket:Bucket) "
        "| missing tags ['owner'] |"
    )
    assert [row.split(" | ")[2] for row in rows] == [
        "`tp-bucket-tags`",
        "`tp-secret-seen`",
        "`tp-stack-context`",
    ]
    assert "<details><summary>Details by policy</summary>" in lines
    assert "**Remediation:** Add the missing tags to the bucket or to the provider's defaultTags." in lines
    assert lines[-1] == "</details>"


SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "pattern": "^https://"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/run"}},
    },
    "additionalProperties": False,
    "definitions": {
        "run": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {
                    "type": "object",
                    "required": ["driver"],
                    "properties": {"driver": {"$ref": "#/definitions/toolComponent"}},
                    "additionalProperties": False,
                },
                "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
                "automationDetails": {"type": "object", "properties": {"id": {"type": "string"}}},
                "originalUriBaseIds": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/definitions/artifact"},
                },
            },
            "additionalProperties": False,
        },
        "toolComponent": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "semanticVersion": {"type": "string"},
                "rules": {"type": "array", "items": {"$ref": "#/definitions/rule"}},
            },
            "additionalProperties": False,
        },
        "rule": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "shortDescription": {"$ref": "#/definitions/text"},
                "fullDescription": {"$ref": "#/definitions/text"},
                "help": {"$ref": "#/definitions/text"},
                "helpUri": {"type": "string", "pattern": "^https?://"},
                "defaultConfiguration": {
                    "type": "object",
                    "properties": {"level": {"$ref": "#/definitions/level"}, "enabled": {"type": "boolean"}},
                    "additionalProperties": False,
                },
                "properties": {
                    "type": "object",
                    "required": ["security-severity", "tags"],
                    "properties": {"security-severity": {"type": "string", "pattern": r"^\d+\.\d$"}},
                },
            },
            "additionalProperties": False,
        },
        "text": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string", "minLength": 1}},
        },
        "level": {"enum": ["none", "note", "warning", "error"]},
        "result": {
            "type": "object",
            "required": ["message", "ruleId", "locations"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": 0},
                "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open", "informational"]},
                "level": {"$ref": "#/definitions/level"},
                "message": {"$ref": "#/definitions/text"},
                "locations": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/location"}},
                "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
                "properties": {"type": "object"},
            },
            "additionalProperties": False,
        },
        "location": {
            "type": "object",
            "properties": {
                "physicalLocation": {
                    "type": "object",
                    "required": ["artifactLocation"],
                    "properties": {
                        "artifactLocation": {"$ref": "#/definitions/artifact"},
                        "region": {
                            "type": "object",
                            "properties": {"startLine": {"type": "integer", "minimum": 1}},
                        },
                    },
                    "additionalProperties": False,
                },
                "logicalLocations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["fullyQualifiedName"],
                        "properties": {
                            "fullyQualifiedName": {"type": "string"},
                            "name": {"type": "string"},
                            "kind": {"type": "string"},
                            "properties": {"type": "object"},
                        },
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": False,
        },
        "artifact": {
            "type": "object",
            "required": ["uri"],
            "properties": {"uri": {"type": "string"}, "uriBaseId": {"type": "string"}},
            "additionalProperties": False,
        },
    },
}


def test_sarif_has_the_2_1_0_structure_rules_and_results(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *from_preview("--format", "sarif"))
    log = json.loads(out)
    jsonschema.Draft7Validator(SARIF_SUBSET).validate(log)
    assert code == 1
    assert log["$schema"].endswith("sarif-schema-2.1.0.json") and log["version"] == "2.1.0"
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [
        "tp-bucket-tags",
        "tp-crash",
        "tp-reads-unknown",
        "tp-secret-seen",
        "tp-stack-context",
        "tp-stack-inventory",
        "tp-waived",
    ]
    tags = rules[0]
    assert tags["properties"]["security-severity"] == "8.0"
    assert tags["defaultConfiguration"] == {"level": "error", "enabled": True}
    assert tags["helpUri"] == "https://example.com/policies/tp-bucket-tags"
    results = run_["results"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert [(r["ruleId"], r["level"], r.get("kind", "fail")) for r in results] == [
        ("tp-bucket-tags", "error", "fail"),
        ("tp-secret-seen", "warning", "fail"),
        ("tp-stack-context", "note", "fail"),
        ("tp-reads-unknown", "none", "notApplicable"),
        ("tp-stack-inventory", "none", "notApplicable"),
        ("tp-waived", "none", "notApplicable"),
    ]
    location = results[0]["locations"][0]
    assert location["logicalLocations"][0]["fullyQualifiedName"] == TAGS_URN
    assert location["physicalLocation"]["artifactLocation"] == {
        "uri": "tests/policies/packs/data/preview-dev.json",
        "uriBaseId": "%SRCROOT%",
    }
    assert run_["automationDetails"] == {"id": "pulumi-policy/proj/dev/"}


def test_sarif_points_at_the_line_that_declared_the_resource(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--program", str(PROGRAM), "--pack", str(BASIC), "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    untagged = next(r for r in results if r["locations"][0]["logicalLocations"][0]["name"] == "untagged")
    assert untagged["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "tests/policies/packs/program/__main__.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 8, "startColumn": 1},
    }
    stack_level = [
        r for r in results if "Stack" in r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
    ]
    for result in stack_level:  # the stack resource has no declaring line: it falls back to the stack file
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
            "tests/policies/packs/program/Pulumi.dev.yaml"
        )


def test_several_formats_in_one_run_go_to_the_output_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "--program", str(PROGRAM), "--pack", str(BASIC), "--format", "table,sarif,junit",
        "--output-dir", str(tmp_path),
    )  # fmt: skip
    assert (code, out) == (1, "") and err.startswith("FAILED: 1 mandatory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.junit.xml", "policy.sarif", "policy.txt"]
    assert (tmp_path / "policy.txt").read_text().startswith("FAILED: 1 mandatory, 5 advisory")
    suites = ElementTree.parse(tmp_path / "policy.junit.xml").getroot()
    # 7 findings (1 mandatory, 5 advisory, 1 not applicable) + one passing case per policy without findings
    assert (len(suites), suites.get("tests"), suites.get("failures"), suites.get("skipped")) == (
        7,
        "9",
        "1",
        "1",
    )
    failure = suites.find("testsuite[@name='tp-bucket-tags']/testcase/failure")
    assert failure is not None and failure.get("message") == "missing tags ['owner']"
    assert failure.get("type") == "mandatory/high"
    assert json.loads((tmp_path / "policy.sarif").read_text())["version"] == "2.1.0"


def test_several_formats_need_an_output_dir(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *from_preview("--format", "json,sarif"))
    assert (code, err) == (
        2,
        "error: --format with several formats needs --output-dir DIR (one file per format)\n",
    )


def test_output_file_gets_the_report_and_stderr_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.json"
    code, out, err = run(capsys, *from_preview("--format", "json", "--output", str(target)))
    assert (code, out) == (1, "")
    assert err.startswith(
        "FAILED: 1 mandatory, 2 advisory, 3 not applicable - tiny-test-pack@1.2.3 on proj/dev"
    )
    assert json.loads(target.read_text())["summary"]["violations"]["mandatory"] == 1


def test_a_pack_that_cannot_start_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *from_preview(pack=BROKEN))
    assert (code, out) == (2, "")
    assert err == (
        f"error: the policy pack in {BROKEN} exited with code 1 before serving: "
        "ModuleNotFoundError: No module named 'this_module_does_not_exist'\n"
    )


def test_debug_adds_the_packs_own_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *from_preview("--debug", pack=BROKEN))
    assert code == 2
    assert "Program failed with an unhandled exception" in err
    assert err.rstrip().endswith("No module named 'this_module_does_not_exist'")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"tp-bucket-tags": }', "is not valid JSON: Expecting value at line 1, column 20"),
        ('{"tp-bucket-tags": "block"}', "'block' is not a valid enforcement level for 'tp-bucket-tags'"),
        ('{"tp-bucket-tags": {"requiredTags": 1}}', "tp-bucket-tags: requiredTags: 1 is not of type 'array'"),
    ],
)
def test_bad_policy_pack_config_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    config = tmp_path / "config.json"
    config.write_text(content)
    code, out, err = run(capsys, *from_preview("--policy-pack-config", str(config)))
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_missing_inputs_are_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *from_preview("--policy-pack-config", str(tmp_path / "none.json")))
    assert code == 2 and "cannot read the policy pack config" in err
    code, _, err = run(capsys, *from_preview(pack=tmp_path))
    assert (code, err) == (2, f"error: {tmp_path} is not a policy pack: it has no PulumiPolicy.yaml\n")
    code, _, err = run(capsys, *from_preview("--stack", "prod"))
    assert code == 2 and "is for stack 'dev', not 'prod'" in err


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([*from_preview("--format", "html")])
    assert raised.value.code == 2
    assert "unknown format 'html'" in capsys.readouterr().err
