"""The platform rules end to end: a program declaring every type they judge twice (one hardened, one weak,
under names that do not say which), synthesized under the mocks and driven through the pack over gRPC with
the prod profile. The expected verdicts are exact: every weak twin fails exactly the listed policies, every
hardened twin fails none of them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from harness import Case, analyze

from inventory import synthesize
from policies.analyzer import run_pack
from policies.metadata import profile_path
from policies.rules import platform

PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "platform"
EXTENDED = {
    "aws-lb-access-logs",
    "aws-glue-security-configuration-kms",
    "aws-ec2-ebs-encrypted",
    "aws-ec2-instance-no-public-ip",
    "aws-elasticache-encryption",
    "aws-sagemaker-notebook-kms",
    "aws-sagemaker-notebook-no-direct-internet",
    "aws-rds-not-public",
    "aws-resource-description",
    "aws-iam-account-password-policy",
}
JUDGED = {rule.meta.name for rule in platform.RULES} | EXTENDED
_SEARCH = {
    "aws-opensearch-domain-encryption",
    "aws-opensearch-domain-fine-grained-access",
    "aws-opensearch-domain-high-availability",
    "aws-opensearch-domain-https-tls12",
    "aws-opensearch-domain-in-vpc",
    "aws-opensearch-domain-logging",
}
_HOST = {
    "aws-ec2-detailed-monitoring",
    "aws-ec2-ebs-encrypted",
    "aws-ec2-imdsv2-required",
    "aws-ec2-instance-no-public-ip",
    "aws-ec2-instance-profile",
    "aws-ec2-user-data-no-secrets",
}
EXPECTED: dict[str, set[str]] = {
    "search-a": _SEARCH,
    "legacy-b": _SEARCH,
    "aoss-enc-a": {"aws-opensearch-serverless-policies"},
    "aoss-net-b": {"aws-opensearch-serverless-policies"},
    "aoss-data-b": {"aws-opensearch-serverless-policies"},
    "collection-a": {"aws-opensearch-serverless-collection-cmk"},
    "vectors-a": {"aws-s3-vectors-sse-kms"},
    "index-b": {"aws-s3-vectors-sse-kms"},
    "vectors-policy-a": {"aws-s3-vectors-bucket-policy-scoped"},
    "k8s-a": {
        "aws-eks-cluster-control-plane-logging",
        "aws-eks-cluster-endpoint-private",
        "aws-eks-cluster-secrets-encryption",
        "aws-eks-cluster-supported-version",
    },
    "nodes-b": {"aws-eks-node-group-no-public-ssh"},
    "cache-a": {
        "aws-elasticache-auth",
        "aws-elasticache-encryption",
        "aws-elasticache-multi-az-failover",
        "aws-elasticache-snapshot-retention",
    },
    "serverless-cache-b": {
        "aws-elasticache-auth",
        "aws-elasticache-encryption",
        "aws-elasticache-snapshot-retention",
    },
    "memcache-a": {"aws-elasticache-cluster-hygiene"},
    "files-b": {"aws-efs-backups", "aws-efs-encrypted-cmk", "aws-efs-regional", "aws-efs-tls-only-policy"},
    "entry-a": {"aws-efs-access-point-scoped"},
    "warehouse-a": {
        "aws-redshift-cluster-audit-logging",
        "aws-redshift-cluster-encrypted-cmk",
        "aws-redshift-cluster-maintenance",
        "aws-redshift-cluster-vpc-routing",
        "aws-redshift-require-ssl",
    },
    "lakehouse-a": {"aws-redshift-serverless-hardened"},
    "queries-b": {"aws-redshift-serverless-hardened"},
    "stream-a": {
        "aws-msk-cluster-authentication",
        "aws-msk-cluster-encryption",
        "aws-msk-cluster-private-logged",
    },
    "stream-serverless-b": {"aws-msk-cluster-authentication"},
    "delivery-a": {"aws-firehose-kms"},
    "catalog-b": {"aws-glue-catalog-encryption"},
    "notebook-endpoint-a": {"aws-glue-security-configuration-kms"},
    "db-b": {"aws-athena-database-kms", "aws-resource-description"},
    "sources-a": {"aws-resource-description"},
    "report-b": {"aws-resource-description"},
    "passwords-a": {"aws-iam-account-password-policy"},
    "stage-b": {
        "aws-apigateway-caching",
        "aws-apigateway-stage-access-logging",
        "aws-apigateway-stage-client-certificate",
        "aws-apigateway-stage-tracing",
        "aws-apigateway-stage-waf",
    },
    "settings-b": {"aws-apigateway-method-settings"},
    "method-a": {"aws-apigateway-authorization", "aws-apigateway-request-validation"},
    "edge-name-a": {"aws-apigateway-domain-tls12"},
    "http-stage-b": {"aws-apigateway-stage-access-logging"},
    "route-a": {"aws-apigateway-authorization"},
    "cdn-a": {
        "aws-cloudfront-distribution-hardening",
        "aws-cloudfront-https-only",
        "aws-cloudfront-s3-origin-access-control",
        "aws-cloudfront-tls12",
        "aws-cloudfront-waf-logging",
    },
    "acl-b": {"aws-wafv2-web-acl-logging", "aws-wafv2-web-acl-rules"},
    "classic-a": {"aws-elb-classic-availability", "aws-elb-classic-tls-listeners", "aws-lb-access-logs"},
    "api-b": {"aws-apigateway-rest-api-endpoint-type"},
    "disk-b": {"aws-ebs-volume-attached"},
    "host-a": _HOST,
    "template-b": _HOST,
    "boot-config-a": {
        "aws-ec2-detailed-monitoring",
        "aws-ec2-ebs-encrypted",
        "aws-ec2-imdsv2-required",
        "aws-ec2-instance-no-public-ip",
    },
    "ebs-default-a": {"aws-ebs-encryption-by-default"},
    "fleet-b": {"aws-autoscaling-group-launch-template"},
    "lab-a": {
        "aws-sagemaker-notebook-hardened",
        "aws-sagemaker-notebook-kms",
        "aws-sagemaker-notebook-no-direct-internet",
    },
    "studio-b": {"aws-sagemaker-domain-vpc-only", "aws-sagemaker-notebook-kms"},
    "drift-a": {"aws-sagemaker-monitoring-job-encryption"},
    "review-b": {"aws-sagemaker-flow-definition-kms"},
    "assistant-a": {"aws-bedrock-agent-guardrail-cmk"},
    "invocations-b": {"aws-bedrock-model-invocation-logging"},
}
HARDENED = {
    "search-b",
    "legacy-a",
    "aoss-enc-b",
    "aoss-net-a",
    "aoss-data-a",
    "collection-b",
    "vectors-b",
    "index-a",
    "vectors-policy-b",
    "k8s-b",
    "nodes-a",
    "cache-b",
    "serverless-cache-a",
    "memcache-b",
    "files-a",
    "entry-b",
    "warehouse-b",
    "lakehouse-b",
    "queries-a",
    "stream-b",
    "stream-serverless-a",
    "delivery-b",
    "catalog-a",
    "notebook-endpoint-b",
    "db-a",
    "sources-b",
    "report-a",
    "passwords-b",
    "stage-a",
    "settings-a",
    "method-b",
    "edge-name-b",
    "http-stage-a",
    "route-b",
    "http-name-a",
    "cdn-b",
    "acl-a",
    "classic-b",
    "host-b",
    "template-a",
    "boot-config-b",
    "ebs-default-b",
    "api",
    "disk-a",
    "fleet-a",
    "lab-b",
    "studio-a",
    "drift-b",
    "review-a",
    "assistant-b",
    "invocations-a",
}


@pytest.mark.slow
def test_every_weak_twin_fails_exactly_its_policies_and_no_hardened_twin_fails() -> None:
    inventory = synthesize(PROGRAM, "prod")
    result = run_pack(inventory, policy_config=profile_path("prod"))
    found: dict[str, set[str]] = defaultdict(set)
    for violation in result.violations:
        if violation.policy in JUDGED:
            found[violation.name].add(violation.policy)
    assert dict(found) == EXPECTED
    declared = {resource.name for resource in inventory.custom()}
    assert HARDENED | set(EXPECTED) <= declared
    not_applicable = {(n.name, n.policy) for n in result.not_applicable if n.policy in JUDGED}
    assert not_applicable == {
        ("memcache-a", "aws-elasticache-snapshot-retention"),
        ("memcache-b", "aws-elasticache-snapshot-retention"),
    }


def test_an_agent_in_a_stack_without_invocation_logging_fails() -> None:
    agent = "aws:bedrock/agentAgent:AgentAgent"
    outcome = analyze(
        "aws-bedrock-model-invocation-logging", [Case("helper", agent, {"agentName": "h"}, "fail")]
    )
    assert outcome.failed == {"helper"} and outcome.na == {}
