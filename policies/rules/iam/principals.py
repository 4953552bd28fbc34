"""Who may use a grant: role trust policies, resource policies and Lambda permissions."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import iam_doc, tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import View

_CONDITION = (
    "add a condition on aws:PrincipalArn, aws:PrincipalOrgID, aws:SourceArn/SourceAccount or sts:ExternalId"
)


def _trust(view: View, _settings: Settings) -> Iterator[str]:
    for document in iam_doc.documents(view):
        if document.kind != "trust":
            continue
        for statement in iam_doc.statements(document):
            if not statement.allows or statement.restricted():
                continue
            if iam_doc.is_public(statement.principals):
                yield f"{statement.where} lets any AWS principal assume the role; {_CONDITION}."
            for account in iam_doc.account_wide(statement.principals):
                yield (
                    f"{statement.where} lets every principal of account {account} assume the role; "
                    f"{_CONDITION}."
                )
            if any(kind == "Federated" for kind, _ in statement.principals):
                yield (
                    f"{statement.where} trusts a federated provider without limiting `sub`/`aud`; add "
                    "conditions."
                )


TRUST = ResourceRule(
    RuleMeta(
        name="aws-iam-role-trust-no-broad-principal",
        controls=controls(
            nist=(
                "AC-3",
                "AC-6",
            )
        ),
        area="iam",
        description=(
            "Role trust policies name specific principals, not everyone, a whole account or an unrestricted "
            "identity provider."
        ),
        severity="critical",
        rationale=(
            "A trust policy decides who can become the role. `*` means any AWS account; an account root "
            "means every user and role there, including ones created later; an OIDC provider without sub/aud "
            "conditions means every repository or workload of that provider. Service principals are fine."
        ),
        remediation=(
            "Trust specific role ARNs or service principals, or add a restricting condition (e.g. "
            "sts:ExternalId)."
        ),
        kind="resource",
        resource_types=tokens.IAM_ROLE,
        references=("CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_393"),
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/roles-managingrole-editing-cli.html",
    ),
    _trust,
)


def _resource_policy(view: View, _settings: Settings) -> Iterator[str]:
    for document in iam_doc.documents(view):
        if document.kind != "resource":
            continue
        for statement in iam_doc.statements(document):
            if not statement.allows or statement.restricted():
                continue
            if iam_doc.is_public(statement.principals):
                yield (
                    f"{statement.where} allows anyone (Principal '*'); {_CONDITION}, or name the principals."
                )
            if document.service == "kms":
                continue
            for account in iam_doc.account_wide(statement.principals):
                if not iam_doc.is_elb_log_delivery(statement, account):
                    yield (
                        f"{statement.where} allows every principal of account {account}; name roles or "
                        f"{_CONDITION}."
                    )


RESOURCE_POLICY = ResourceRule(
    RuleMeta(
        name="aws-iam-resource-policy-no-public-principal",
        controls=controls(
            fsbp=("Lambda.1",),
            nist=(
                "AC-3",
                "AC-21",
            ),
        ),
        area="iam",
        description=(
            "Resource policies (S3, SNS, SQS, KMS, ECR, Secrets Manager, EventBridge) do not grant access to "
            "everyone or to whole accounts without a restricting condition."
        ),
        severity="critical",
        rationale=(
            "A resource policy with Principal '*' and no condition makes the bucket, topic, queue or key "
            "public. Account-root principals are flagged too, except in KMS key policies, where the "
            "account-root statement is AWS's documented way to delegate key access to IAM policies (its "
            "actions are still judged by the wildcard-action rule), and Elastic Load Balancing's regional "
            "log-writer accounts granted only s3:PutObject on an access-log bucket (AWS's documented "
            "pattern)."
        ),
        remediation=(
            "Name the principals (role ARNs, service principals) or add aws:SourceArn/aws:PrincipalOrgID "
            "conditions."
        ),
        kind="resource",
        resource_types=iam_doc.RESOURCE_POLICY_TYPES,
        references=(
            "CKV_AWS_70",
            "CKV_AWS_168",
            "CKV_AWS_169",
            "CKV_AWS_33",
            "CKV_AWS_387",
            "s3-bucket-level-public-access-prohibited",
        ),
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    ),
    _resource_policy,
)


def _lambda_permission(view: View, _settings: Settings) -> Iterator[str]:
    principal = view.str_("principal") or ""
    scoped = view.has("sourceArn") or view.has("sourceAccount")
    if principal == "*" and not (scoped or view.has("principalOrgId")):
        yield (
            "`principal` is '*' with no source_arn, source_account or principal_org_id: anyone may invoke; "
            "scope it."
        )
    elif principal.endswith(".amazonaws.com") and not scoped:
        yield (
            f"service principal {principal} without source_arn/source_account lets any account's resource "
            "invoke it."
        )


LAMBDA_PERMISSION = ResourceRule(
    RuleMeta(
        name="aws-lambda-permission-scoped",
        controls=controls(fsbp=("Lambda.1",), nist=("AC-3",)),
        area="iam",
        description=(
            "Lambda permissions for `*` or AWS service principals are limited to a source ARN or account."
        ),
        severity="critical",
        rationale=(
            "A permission for s3.amazonaws.com or events.amazonaws.com without source_arn lets the same "
            "service acting for any other AWS account invoke the function (confused deputy). Grants to a "
            "named account are explicit cross-account access and are not flagged."
        ),
        remediation="Set source_arn (and source_account for S3) on the aws.lambda_.Permission.",
        kind="resource",
        resource_types=tokens.LAMBDA_PERMISSION,
        references=("CKV_AWS_301", "CKV_AWS_364", "aws-lambda-permission-configure-source-arn"),
        url="https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
    ),
    _lambda_permission,
)

RULES: list[Rule] = [TRUST, RESOURCE_POLICY, LAMBDA_PERMISSION]
