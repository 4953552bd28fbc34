"""Programs in the style of public Pulumi examples preview offline with `pulumi preview` semantics.

Each program imports only `pulumi` and `pulumi_aws`. The tests assert what the program sees (dry run, unknown
outputs, typed invoke results, transforms applied, stack references) through what it registers and exports,
and that `python -m preview` previews every one of them with exit 0 or 1.
"""

from __future__ import annotations

import base64
import functools
import json
from pathlib import Path

import pytest

from inventory import Inventory, Resource, synthesize
from inventory.model import UNKNOWN
from preview.__main__ import main

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent / "programs" / "corpus"
PROGRAMS = sorted(p.name for p in CORPUS.iterdir() if (p / "Pulumi.yaml").exists())


@functools.cache
def inventory_of(program: str) -> Inventory:
    return synthesize(CORPUS / program, "dev")


def named(program: str) -> dict[str, Resource]:
    return {r.name: r for r in inventory_of(program).custom()}


def types(program: str) -> list[tuple[str, str]]:
    return sorted((r.type, r.name) for r in inventory_of(program).custom())


def test_the_corpus_is_large_enough() -> None:
    assert len(PROGRAMS) >= 15


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_program_previews_with_exit_0_or_1(program: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--program", str(CORPUS / program), "--stack", "dev", "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["exit_code"] == code
    counted = sum(doc["resources"]["by_type"].values())
    assert counted == len(inventory_of(program).custom()) > 0


def test_rest_api_stage_arns_chain_into_the_lambda_permission() -> None:
    r = named("rest-api")
    api, stage = r["api"], r["prod"]
    assert r["hello"].inputs["parentId"] == api.outputs["rootResourceId"]
    assert r["hello-lambda"].inputs["uri"] == r["handler"].outputs["invokeArn"]
    assert stage.outputs["executionArn"] == f"arn:aws:execute-api:us-east-1:123456789012:{api.id}/prod"
    assert r["api-invoke"].inputs["sourceArn"] == stage.outputs["executionArn"] + "/*/*"
    assert inventory_of("rest-api").outputs["url"] == (
        f"https://{api.id}.execute-api.us-east-1.amazonaws.com/prod/hello"
    )
    # an output the model does not compute is unknown, as in a preview: never None
    assert r["deployment"].outputs["createdDate"] == UNKNOWN and r["deployment"].is_unknown("createdDate")
    assert inventory_of("rest-api").outputs["deployment_created"] == UNKNOWN


def test_http_api_permission_and_default_stage_url() -> None:
    r = named("http-api")
    api = r["http"]
    assert r["invoke"].inputs["sourceArn"] == f"arn:aws:execute-api:eu-central-1:123456789012:{api.id}/*/*"
    assert r["root"].inputs["target"] == f"integrations/{r['fn-integration'].id}"
    assert (
        inventory_of("http-api").outputs["endpoint"]
        == f"https://{api.id}.execute-api.eu-central-1.amazonaws.com/"
    )


def test_eks_kubeconfig_from_unknown_outputs_is_unknown_not_a_crash() -> None:
    r = named("eks")
    cluster = r["cluster"]
    assert cluster.outputs["endpoint"] == UNKNOWN and cluster.outputs["certificateAuthority"] == UNKNOWN
    assert len(cluster.inputs["vpcConfig"]["subnetIds"]) == 3
    assert all(s.startswith("subnet-") for s in cluster.inputs["vpcConfig"]["subnetIds"])
    outputs = inventory_of("eks").outputs
    assert outputs["kubeconfig"] == "[secret]" and outputs["subnet_count"] == 3
    assert outputs["cluster_name"] == cluster.outputs["name"] and cluster.outputs["name"].startswith(
        "cluster-"
    )


def test_acm_validation_record_takes_the_zone_and_unknown_validation_options() -> None:
    r = named("acm-dns")
    record = r["cert-validation"]
    assert record.inputs["zoneId"] == inventory_of("acm-dns").outputs["zone_id"]
    assert record.inputs["zoneId"].startswith("Z") and len(record.inputs["zoneId"]) == 21
    assert {"name", "type", "records"} <= set(record.unknown_paths) | {
        p.split("[")[0] for p in record.unknown_paths
    }
    assert r["cert"].outputs["domainValidationOptions"] == UNKNOWN
    assert r["cert-validated"].inputs["certificateArn"] == r["cert"].outputs["arn"]


def test_ami_lookup_answers_with_its_result_type() -> None:
    r = named("ami-instance")
    outputs = inventory_of("ami-instance").outputs
    assert r["web"].inputs["ami"] == outputs["ami_id"] and outputs["ami_id"].startswith("ami-")
    assert outputs["ami_most_recent"] is True  # the argument echoed as the bool it is, not "true"
    assert outputs["public_ip"] == UNKNOWN


def test_launch_template_and_asg_over_looked_up_subnets() -> None:
    by_type = {r.type: r for r in inventory_of("asg").custom()}
    template, group = by_type["aws:ec2/launchTemplate:LaunchTemplate"], by_type["aws:autoscaling/group:Group"]
    assert template.inputs["imageId"].startswith("ami-")  # the public SSM AMI parameter holds an image id
    assert template.inputs["vpcSecurityGroupIds"][0].startswith("sg-")
    assert group.inputs["launchTemplate"] == {"id": template.id, "version": "$Latest"}
    assert len(group.inputs["vpcZoneIdentifiers"]) == 3
    assert inventory_of("asg").outputs["latest_version"] == UNKNOWN
    cluster = by_type["aws:ecs/cluster:Cluster"].inputs["name"]
    assert (
        base64.b64decode(template.inputs["userData"])
        .decode()
        .startswith(f"#!/bin/bash\necho ECS_CLUSTER={cluster} ")
    )


def test_stack_reference_outputs_are_unknown_without_stack_outputs() -> None:
    r = named("stack-ref")
    assert r["app"].inputs["vpcId"] == UNKNOWN and r["app"].is_unknown("vpcId")
    assert r["db"].is_unknown("subnetIds")
    assert inventory_of("stack-ref").outputs == {"vpc": UNKNOWN, "first_subnet": UNKNOWN}


def test_stack_reference_reads_the_given_stack_outputs() -> None:
    given = {"vpcId": "vpc-0abc1234def567890", "privateSubnetIds": ["subnet-01", "subnet-02"]}
    inventory = synthesize(CORPUS / "stack-ref", "dev", stack_outputs=given)
    r = {x.name: x for x in inventory.custom()}
    assert r["app"].inputs["vpcId"] == "vpc-0abc1234def567890"
    assert r["db"].inputs["subnetIds"] == ["subnet-01", "subnet-02"]
    assert inventory.outputs == {"vpc": "vpc-0abc1234def567890", "first_subnet": "subnet-01"}


def test_stack_outputs_option_reaches_the_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = tmp_path / "network.json"
    outputs.write_text(json.dumps({"vpcId": "vpc-0feed", "privateSubnetIds": ["subnet-a"]}))
    code = main(
        [
            "--program",
            str(CORPUS / "stack-ref"),
            "--stack-outputs",
            str(outputs),
            "--format",
            "json",
            "--stack",
            "dev",
        ]
    )
    assert code in (0, 1)
    assert '"vpc"' not in capsys.readouterr().err


def test_a_bad_stack_outputs_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "outputs.json"
    bad.write_text('["vpc-1"]')
    code = main(["--program", str(CORPUS / "stack-ref"), "--stack-outputs", str(bad), "--stack", "dev"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"error: The --stack-outputs file {bad} holds a JSON list; it must be one object of output names to "
        "values, as `pulumi stack output --json` prints.\n"
    )


def test_dry_run_guards_and_skipped_applies() -> None:
    inventory = inventory_of("dry-run-guard")
    assert types("dry-run-guard") == [("aws:s3/bucket:Bucket", "data")]  # the up-only object is not created
    assert inventory.outputs["preview"] is True
    assert inventory.outputs["website"] == UNKNOWN  # the apply that raises on a value never ran
    assert inventory.outputs["arn"] == named("dry-run-guard")["data"].outputs["arn"]


def test_transforms_run_on_every_registration_and_invoke() -> None:
    r = named("transforms")
    assert r["jobs"].inputs["tags"] == {"cost-center": "ml-42"}  # top-level register_resource_transform
    assert r["jobs"].inputs["sqsManagedSseEnabled"] is True  # the resource's own transforms=
    assert r["logs"].inputs["retentionInDays"] == 90  # legacy stack transformation
    assert r["logs"].inputs["tags"] == {"cost-center": "ml-42"}
    outputs = inventory_of("transforms").outputs
    assert outputs == {"ami_owner": "099720109477", "owners": ["099720109477"]}  # register_invoke_transform


def test_components_nested_three_deep() -> None:
    inventory = inventory_of("components")
    by_name = {r.name: r for r in inventory.resources}
    stack = inventory.stack_urn
    platform, network, tier = by_name["core"], by_name["core-net"], by_name["core-net-private"]
    assert (platform.parent, network.parent, tier.parent) == (stack, platform.urn, network.urn)
    assert tier.urn == (
        "urn:pulumi:dev::components::acme:platform:Platform$acme:network:Network$acme:network:SubnetTier::"
        "core-net-private"
    )
    subnet = by_name["core-net-private-1"]
    assert subnet.parent == tier.urn and subnet.inputs["cidrBlock"] == "10.1.2.0/24"
    assert subnet.inputs["vpcId"] == by_name["core-net-vpc"].id
    # the outermost component's transforms reach its grandchildren, as the engine applies them
    assert all(r.inputs["tags"] == {"owner": "platform"} for r in inventory.custom())
    assert inventory.component_of(subnet) == tier


def test_secrets_stay_secret_in_inputs_and_outputs() -> None:
    r = named("secrets")
    assert r["db"].is_secret("password") and r["db"].inputs["password"] == "[secret]"
    assert r["api-key-v1"].is_secret("secretString")
    outputs = inventory_of("secrets").outputs
    assert outputs["connection"] == "[secret]" and outputs["api_key"] == "[secret]"
    assert outputs["db_endpoint"] == r["db"].outputs["endpoint"]
    assert "plain-but-marked-secret" not in json.dumps(outputs)


def test_a_program_reads_files_next_to_it() -> None:
    r = named("files")
    assert r["reader"].inputs["policy"] == (CORPUS / "files" / "policy.json").read_text()
    assert r["index"].inputs["content"] == (CORPUS / "files" / "site" / "index.html").read_text()
    assert r["index"].inputs["bucket"] == "docs-site"


def test_common_lookups_are_modelled() -> None:
    r = named("lookups")
    outputs = inventory_of("lookups").outputs
    assert outputs["role_arn"] == "arn:aws:iam::123456789012:role/platform-lambda"
    assert outputs["boundary_arn"] == "arn:aws:iam::123456789012:policy/platform-boundary"
    assert outputs["bucket_arn_prefix"] == "arn:aws:s3:::eu-west-2"
    assert outputs["image_uri"].startswith("123456789012.dkr.ecr.eu-west-2.amazonaws.com/worker@sha256:")
    worker = r["worker"]
    assert worker.inputs["role"] == outputs["role_arn"]
    assert worker.inputs["kmsKeyArn"].startswith("arn:aws:kms:eu-west-2:123456789012:key/")
    env = worker.inputs["environment"]["variables"]
    assert env["SECRET_ARN"].startswith("arn:aws:secretsmanager:eu-west-2:123456789012:secret:platform/api-")
    assert env["ACCOUNT"] == "123456789012"
    statements = json.loads(r["read-secret"].inputs["policy"])["Statement"]
    assert (
        statements[0]["Resource"] == env["SECRET_ARN"]
        and statements[1]["Resource"] == worker.inputs["kmsKeyArn"]
    )
    assert inventory_of("lookups").warnings == []


def test_static_site_with_a_certificate_in_us_east_1() -> None:
    r = named("static-site")
    cert, cdn = r["site-cert"], r["cdn"]
    assert cert.outputs["arn"].startswith("arn:aws:acm:us-east-1:123456789012:certificate/")
    assert cdn.inputs["viewerCertificate"]["acmCertificateArn"] == cert.outputs["arn"]
    assert r["alias"].inputs["aliases"][0]["name"] == cdn.outputs["domainName"]
    policy = json.loads(r["origin-policy"].inputs["policy"])
    assert policy["Statement"][0]["Condition"]["StringEquals"]["AWS:SourceArn"] == cdn.outputs["arn"]
    assert inventory_of("static-site").outputs["cdn_domain"].endswith(".cloudfront.net")


def test_an_unmodelled_lookup_gives_typed_placeholders_and_a_warning() -> None:
    inventory = inventory_of("ecs-fargate")
    assert inventory.warnings == [
        "the function aws:ec2/getManagedPrefixList:getManagedPrefixList has no offline model: its result "
        "holds typed placeholder values, not what the provider would return (a limitation of the offline "
        "preview)"
    ]
    group = next(x for x in inventory.custom() if x.type == "aws:ec2/securityGroup:SecurityGroup")
    assert group.inputs["ingress"][0]["prefixListIds"][0].startswith("getManagedPrefixList-")
    assert group.inputs["egress"][0]["cidrBlocks"] == ["172.31.0.0/16"]
    assert inventory.outputs["url"].startswith("http://web-") and inventory.outputs["url"].endswith(
        ".us-east-2.elb.amazonaws.com"
    )


def test_the_programs_own_inventory_and_preview_modules_are_not_shadowed() -> None:
    assert types("shadowing") == [("aws:s3/bucket:Bucket", "curated"), ("aws:s3/bucket:Bucket", "raw")]
    assert named("shadowing")["raw"].inputs["bucket"] == "shadow-raw"
    assert inventory_of("shadowing").outputs == {"buckets": ["raw", "curated"]}
