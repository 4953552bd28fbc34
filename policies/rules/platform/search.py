"""Vector stores of a RAG platform: OpenSearch domains, OpenSearch Serverless policies, S3 Vectors."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fnmatch import fnmatch
from typing import Any

from policies.frameworks import controls
from policies.rules import iam_doc
from policies.rules.framework import Rule, Settings
from policies.rules.platform import types
from policies.rules.platform.common import (
    CMK,
    PROD_MANDATORY,
    join_rule,
    require_flag,
    require_key,
    require_value,
    resource_rule,
)
from policies.rules.props import Skip, View, as_bool, as_list, as_map, as_str, dig, strings
from policies.rules.stack_index import Stack

_DOMAIN_URL = "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/"


def _domain_encryption(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_flag(view, ("encryptAtRest", "enabled"), "set encrypt_at_rest.enabled=True.")
    if view.bool_("encryptAtRest", "enabled") is True:
        yield from require_key(view, ("encryptAtRest", "kmsKeyId"), CMK)
    yield from require_flag(
        view, ("nodeToNodeEncryption", "enabled"), "set node_to_node_encryption.enabled=True."
    )


DOMAIN_ENCRYPTION = resource_rule(
    _domain_encryption,
    name="aws-opensearch-domain-encryption",
    area="encryption",
    description=(
        "OpenSearch domains encrypt at rest with a customer-managed KMS key and encrypt node-to-node traffic."
    ),
    severity="high",
    rationale=(
        "A vector store holds embeddings and the chunks they were computed from, as sensitive as the source "
        "documents. At-rest and node-to-node encryption cannot be turned off later and, for older engine "
        "versions, not turned on without a blue/green migration; without kms_key_id the AWS-managed aws/es "
        "key is used."
    ),
    remediation=(
        "Set encrypt_at_rest={'enabled': True, 'kms_key_id': key.arn} and "
        "node_to_node_encryption={'enabled': True} on aws.opensearch.Domain."
    ),
    resource_types=types.SEARCH_DOMAIN,
    references=("CKV_AWS_5", "CKV_AWS_6", "CKV_AWS_247", "elasticsearch-encrypted-at-rest"),
    controls=controls(fsbp=("Opensearch.1", "Opensearch.3"), nist=("SC-12", "SC-28", "SC-8")),
    url=_DOMAIN_URL + "encryption-at-rest.html",
)

TLS12_POLICIES = ("Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10")


def _domain_https(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_flag(
        view, ("domainEndpointOptions", "enforceHttps"), "set domain_endpoint_options.enforce_https=True."
    )
    yield from require_value(
        view,
        ("domainEndpointOptions", "tlsSecurityPolicy"),
        TLS12_POLICIES,
        None,
        "set domain_endpoint_options.tls_security_policy='Policy-Min-TLS-1-2-PFS-2023-10'.",
    )


DOMAIN_HTTPS = resource_rule(
    _domain_https,
    name="aws-opensearch-domain-https-tls12",
    area="encryption",
    description="OpenSearch domains require HTTPS with TLS 1.2 or later.",
    severity="high",
    rationale=(
        "Without enforce_https the domain endpoint answers plain HTTP; the provider's default TLS policy "
        "still accepts TLS 1.0, so an unset tls_security_policy fails too."
    ),
    remediation=(
        "Set domain_endpoint_options={'enforce_https': True, 'tls_security_policy': "
        "'Policy-Min-TLS-1-2-PFS-2023-10'}."
    ),
    resource_types=types.SEARCH_DOMAIN,
    references=("CKV_AWS_83", "CKV_AWS_228"),
    controls=controls(fsbp=("Opensearch.8",), nist=("SC-8", "SC-13")),
    url=_DOMAIN_URL + "infrastructure-security.html",
)


def _domain_vpc(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("vpcOptions", "subnetIds"):
        yield (
            "`vpcOptions.subnetIds` is not set, so the domain has a public endpoint; place it in private "
            "subnets."
        )
    elif not view.has("vpcOptions", "securityGroupIds"):
        yield (
            "`vpcOptions.securityGroupIds` is not set, so the VPC's default security group applies; attach a "
            "dedicated group."
        )


DOMAIN_VPC = resource_rule(
    _domain_vpc,
    name="aws-opensearch-domain-in-vpc",
    area="network",
    description="OpenSearch domains run inside a VPC with their own security group.",
    severity="high",
    rationale=(
        "A domain without vpc_options gets an internet-reachable endpoint guarded only by its access policy; "
        "the choice is fixed at creation. The VPC's default security group is shared by everything that "
        "forgot to name one."
    ),
    remediation="Set vpc_options={'subnet_ids': [...private subnets], 'security_group_ids': [sg.id]}.",
    resource_types=types.SEARCH_DOMAIN,
    references=("CKV_AWS_137", "CKV_AWS_248", "elasticsearch-in-vpc-only"),
    controls=controls(fsbp=("Opensearch.2",), nist=("AC-4", "SC-7")),
    url=_DOMAIN_URL + "vpc.html",
)


def _domain_fgac(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_flag(
        view,
        ("advancedSecurityOptions", "enabled"),
        "enable fine-grained access control (advanced_security_options.enabled=True) with an IAM "
        "master user.",
    )
    if view.bool_("advancedSecurityOptions", "anonymousAuthEnabled") is True:
        yield "`advancedSecurityOptions.anonymousAuthEnabled` is true; anonymous requests are allowed."


DOMAIN_FGAC = resource_rule(
    _domain_fgac,
    name="aws-opensearch-domain-fine-grained-access",
    area="iam",
    description="OpenSearch domains use fine-grained access control without anonymous access.",
    severity="high",
    rationale=(
        "Fine-grained access control scopes users to indices, documents and fields; without it any "
        "principal the access policy admits can read every index, including other tenants' embeddings."
    ),
    remediation=(
        "Set advanced_security_options={'enabled': True, 'internal_user_database_enabled': False, "
        "'master_user_options': {'master_user_arn': role.arn}}."
    ),
    resource_types=types.SEARCH_DOMAIN,
    references=("CKV2_AWS_52",),
    controls=controls(fsbp=("Opensearch.7",), nist=("AC-3", "AC-6")),
    url=_DOMAIN_URL + "fgac.html",
)

_LOG_TYPES = {"AUDIT_LOGS": "audit", "ES_APPLICATION_LOGS": "error", "SEARCH_SLOW_LOGS": "slow search"}


def _domain_logs(view: View, _settings: Settings) -> Iterator[str]:
    enabled: set[str] = set()
    for index, option in enumerate(view.list_("logPublishingOptions")):
        where = f"logPublishingOptions[{index}]"
        kind = as_str(dig(option, "logType", base=where), f"{where}.logType")
        on = as_bool(dig(option, "enabled", base=where), f"{where}.enabled")
        if kind and on is not False and dig(option, "cloudwatchLogGroupArn", base=where, allow_unknown=True):
            enabled.add(kind)
    for kind, label in _LOG_TYPES.items():
        if kind not in enabled:
            yield (
                f"{label} logs ({kind}) are not published; add a log_publishing_options entry to a log group."
            )


DOMAIN_LOGS = resource_rule(
    _domain_logs,
    name="aws-opensearch-domain-logging",
    area="resilience",
    description="OpenSearch domains publish audit, error and slow-search logs to CloudWatch Logs.",
    severity="medium",
    rationale=(
        "Audit logs are the record of who read which index (they also need fine-grained access control); "
        "error and slow logs are the first signal of abuse or overload. The log groups' own encryption is "
        "judged by aws-cloudwatch-log-group-kms."
    ),
    remediation=(
        "Add log_publishing_options entries for AUDIT_LOGS, ES_APPLICATION_LOGS and SEARCH_SLOW_LOGS, each "
        "with a KMS-encrypted log group and a log resource policy for es.amazonaws.com."
    ),
    resource_types=types.SEARCH_DOMAIN,
    references=("CKV_AWS_84", "CKV_AWS_317"),
    controls=controls(fsbp=("Opensearch.4", "Opensearch.5"), nist=("AU-2", "AU-12")),
    url=_DOMAIN_URL + "createdomain-configure-slow-logs.html",
)


def _domain_ha(view: View, _settings: Settings) -> Iterator[str]:
    if view.bool_("clusterConfig", "dedicatedMasterEnabled") is not True:
        yield "`clusterConfig.dedicatedMasterEnabled` is not true; use three dedicated master nodes."
    elif (view.int_("clusterConfig", "dedicatedMasterCount") or 0) < 3:
        yield "`clusterConfig.dedicatedMasterCount` is below 3; a quorum needs three dedicated masters."
    if (view.int_("clusterConfig", "instanceCount") or 1) < 3:
        yield "`clusterConfig.instanceCount` is below 3; run at least three data nodes."
    if view.bool_("clusterConfig", "zoneAwarenessEnabled") is not True:
        yield "`clusterConfig.zoneAwarenessEnabled` is not true; spread data nodes over availability zones."


DOMAIN_HA = resource_rule(
    _domain_ha,
    name="aws-opensearch-domain-high-availability",
    area="resilience",
    description=(
        "OpenSearch domains have three data nodes, three dedicated masters and zone awareness (mandatory in "
        "prod)."
    ),
    severity="medium",
    rationale=(
        "Without dedicated masters, data nodes also elect the cluster manager and a busy node can split the "
        "cluster; with fewer than three data nodes or without zone awareness one availability zone outage "
        "loses shards."
    ),
    remediation=(
        "Set cluster_config={'instance_count': 3, 'dedicated_master_enabled': True, "
        "'dedicated_master_count': 3, 'zone_awareness_enabled': True, "
        "'zone_awareness_config': {'availability_zone_count': 3}}."
    ),
    resource_types=types.SEARCH_DOMAIN,
    default_level="advisory",
    profiles=PROD_MANDATORY,
    references=("CKV_AWS_318", "CKV2_AWS_59"),
    controls=controls(fsbp=("Opensearch.6",), nist=("CP-10", "SC-5")),
    url=_DOMAIN_URL + "managedomains-dedicatedmasternodes.html",
)


def _policy_document(view: View) -> Any:
    return view.json_("policy")


def _aoss_security(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in types.AOSS_SECURITY_POLICY:
        kind = view.str_("type")
        document = _policy_document(view)
        if kind == "encryption":
            body = as_map(document, "policy")
            if as_bool(body.get("AWSOwnedKey"), "policy.AWSOwnedKey") is True or not body.get("KmsARN"):
                yield (
                    "the encryption policy uses an AWS-owned key; set AWSOwnedKey=false and KmsARN to a CMK."
                )
        elif kind == "network":
            for index, rule in enumerate(as_list(document, "policy")):
                where = f"policy[{index}]"
                if as_bool(dig(rule, "AllowFromPublic", base=where), f"{where}.AllowFromPublic") is True:
                    yield f"`{where}.AllowFromPublic` is true; allow only SourceVPCEs (a VPC endpoint)."
        else:
            raise Skip(f"security policy type {kind!r} is neither encryption nor network")
        return
    for index, rule in enumerate(as_list(_policy_document(view), "policy")):
        where = f"policy[{index}].Principal"
        for principal in strings(dig(rule, "Principal", base=f"policy[{index}]"), where):
            if "*" in principal:
                yield (
                    f"`{where}` contains {principal!r}; name the roles that may read or write the collection."
                )


AOSS_POLICIES = resource_rule(
    _aoss_security,
    name="aws-opensearch-serverless-policies",
    area="network",
    description=(
        "OpenSearch Serverless encryption policies use a customer-managed key, network policies are not "
        "public and data access policies name their principals."
    ),
    severity="high",
    rationale=(
        "A serverless collection (a typical vector store) is configured by account-level policies matched "
        "by name pattern: an AWSOwnedKey encryption policy, an AllowFromPublic network policy or a wildcard "
        "principal in a data access policy applies to every collection the pattern matches."
    ),
    remediation=(
        "Encryption policy: {'Rules': [...], 'AWSOwnedKey': False, 'KmsARN': key.arn}; network policy: "
        "[{'Rules': [...], 'AllowFromPublic': False, 'SourceVPCEs': [vpce.id]}]; data access policy: "
        "Principal lists role ARNs."
    ),
    resource_types=types.AOSS_SECURITY_POLICY + types.AOSS_ACCESS_POLICY,
    references=("opensearch-serverless-cmk", "opensearch-serverless-not-public"),
    controls=controls(nist=("AC-3", "SC-7", "SC-28")),
    url="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-security.html",
)


def _vector_encryption(view: View, _settings: Settings) -> Iterator[str]:
    configs = view.list_("encryptionConfigurations")
    if not configs:
        if view.type in types.VECTOR_INDEX:
            raise Skip("no encryption_configuration: the index inherits its vector bucket's, judged there")
        yield (
            "`encryptionConfigurations` is not set, so SSE-S3 applies; set sse_type='aws:kms' with "
            "kms_key_arn."
        )
        return
    for index, config in enumerate(configs):
        where = f"encryptionConfigurations[{index}]"
        sse = as_str(dig(config, "sseType", base=where), f"{where}.sseType")
        if sse != "aws:kms":
            yield f"`{where}.sseType` is {sse!r}; set it to 'aws:kms'."
        elif not dig(config, "kmsKeyArn", base=where, allow_unknown=True):
            yield f"`{where}.kmsKeyArn` is not set; {CMK}"


VECTOR_ENCRYPTION = resource_rule(
    _vector_encryption,
    name="aws-s3-vectors-sse-kms",
    area="encryption",
    description="S3 vector buckets and indexes encrypt with SSE-KMS and a customer-managed key.",
    severity="high",
    rationale=(
        "Vector buckets default to SSE-S3, which no key policy or CloudTrail key event covers; the setting "
        "is fixed at creation. An index without its own configuration inherits the bucket's."
    ),
    remediation=(
        "Set encryption_configurations=[{'sse_type': 'aws:kms', 'kms_key_arn': key.arn}] on "
        "aws.s3.VectorsVectorBucket (and on indexes that override it)."
    ),
    resource_types=types.VECTOR_BUCKET + types.VECTOR_INDEX,
    references=("s3vectors-sse-kms",),
    controls=controls(nist=("SC-12", "SC-28")),
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-data-encryption.html",
)


def _vector_policy(view: View, _settings: Settings) -> Iterator[str]:
    document = iam_doc.Document("resource", "policy", view.props.get("policy"), "s3vectors")
    for statement in iam_doc.statements(document):
        if not statement.allows or statement.restricted():
            continue
        if iam_doc.is_public(statement.principals):
            yield f"{statement.where} allows anyone (Principal '*'); name the principals or add a condition."
        for account in iam_doc.account_wide(statement.principals):
            yield f"{statement.where} allows every principal of account {account}; name roles instead."
        if any(action in ("*", "s3vectors:*") for action in statement.actions):
            yield f"{statement.where} allows every S3 Vectors action; list the actions needed."


VECTOR_POLICY = resource_rule(
    _vector_policy,
    name="aws-s3-vectors-bucket-policy-scoped",
    area="iam",
    description="S3 vector bucket policies grant named principals specific actions, never everyone.",
    severity="critical",
    rationale=(
        "A vector bucket policy with Principal '*' (without a restricting condition) or an account root "
        "opens every index of the bucket: embeddings can be queried or overwritten to poison retrieval."
    ),
    remediation="Grant role ARNs the s3vectors:QueryVectors/GetVectors/PutVectors actions they need.",
    resource_types=types.VECTOR_BUCKET_POLICY,
    references=("s3vectors-policy-no-public-principal",),
    controls=controls(nist=("AC-3", "AC-6")),
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-access-management.html",
)


def _collections(stack: Stack) -> Mapping[str, list[View]]:
    """Serverless encryption policies by type (the collection join below reads only these)."""
    return {
        "encryption": [
            v for v in stack.of_types(types.AOSS_SECURITY_POLICY) if v.props.get("type") == "encryption"
        ]
    }


def _policy_covers(policy: View, name: str) -> bool:
    body = as_map(policy.json_("policy"), "policy")
    for index, rule in enumerate(as_list(body.get("Rules"), "policy.Rules")):
        where = f"policy.Rules[{index}]"
        if as_str(dig(rule, "ResourceType", base=where), where) != "collection":
            continue
        for pattern in strings(dig(rule, "Resource", base=where), f"{where}.Resource"):
            if fnmatch(f"collection/{name}", pattern):
                return True
    return False


def _collection(view: View, index: Mapping[str, list[View]], _settings: Settings) -> Iterator[str]:
    inline = view.list_("encryptionConfigs")
    if inline:
        config = as_map(inline[0], "encryptionConfigs")
        if as_bool(config.get("awsOwnedKey"), "encryptionConfigs.awsOwnedKey") is not False:
            yield "`encryptionConfigs.awsOwnedKey` is not false; set it to False with kms_key_arn."
        return
    name = view.str_("name")
    if name is None:
        raise Skip("could not evaluate: `name` is not set")
    covering = [policy for policy in index["encryption"] if _policy_covers(policy, name)]
    if not covering:
        raise Skip(
            f"no encryption policy in this program matches collection/{name}; judged where it is defined"
        )
    for policy in covering:
        body = as_map(policy.json_("policy"), "policy")
        if as_bool(body.get("AWSOwnedKey"), "policy.AWSOwnedKey") is True or not body.get("KmsARN"):
            yield f"encryption policy {policy.name} covers this collection with an AWS-owned key; use a CMK."


COLLECTION = join_rule(
    _collections,
    _collection,
    name="aws-opensearch-serverless-collection-cmk",
    area="encryption",
    description="OpenSearch Serverless collections are encrypted with a customer-managed key.",
    severity="high",
    rationale=(
        "A collection takes its key from the encryption policy whose pattern matches its name (or from its "
        "own encryption_configs); the key cannot be changed after creation. The collection is joined with "
        "the encryption policies of the program to find the one that applies."
    ),
    remediation=(
        "Create an aws.opensearch.ServerlessSecurityPolicy of type 'encryption' with AWSOwnedKey=false and "
        "KmsARN matching the collection's name before the collection (depends_on)."
    ),
    resource_types=("aws:opensearch/serverlessCollection:ServerlessCollection",),
    references=("opensearch-serverless-cmk",),
    controls=controls(nist=("SC-12", "SC-28")),
    url="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html",
)

RULES: list[Rule] = [
    DOMAIN_ENCRYPTION,
    DOMAIN_HTTPS,
    DOMAIN_VPC,
    DOMAIN_FGAC,
    DOMAIN_LOGS,
    DOMAIN_HA,
    AOSS_POLICIES,
    COLLECTION,
    VECTOR_ENCRYPTION,
    VECTOR_POLICY,
]
