"""Secrets: database master passwords managed by the service, no secrets in plaintext environment
variables."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from policies.frameworks import controls
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.framework import ResourceRule, Rule, Settings
from policies.rules.props import Unknown, View, as_list, as_map, as_str, dig, is_set, is_unknown

# type -> (password properties, the property that lets the service manage the password instead)
_PASSWORDS: dict[str, tuple[tuple[str, ...], str]] = {
    **dict.fromkeys(tokens.RDS_INSTANCE, (("password", "passwordWo"), "manageMasterUserPassword")),
    **dict.fromkeys(tokens.RDS_CLUSTER, (("masterPassword", "masterPasswordWo"), "manageMasterUserPassword")),
    **dict.fromkeys(
        tokens.DOCDB_CLUSTER, (("masterPassword", "masterPasswordWo"), "manageMasterUserPassword")
    ),
    **dict.fromkeys(
        tokens.REDSHIFT_CLUSTER, (("masterPassword", "masterPasswordWo"), "manageMasterPassword")
    ),
}


def _master_password(view: View, _settings: Settings) -> Iterator[str]:
    keys, managed = _PASSWORDS[view.type]
    for key in keys:
        if is_set(dig(view.props, key, allow_unknown=True)):
            yield f"`{key}` sets the master password in the program; remove it and set {managed}=True."


MASTER_PASSWORD = ResourceRule(
    RuleMeta(
        name="aws-db-master-password-managed",
        controls=controls(nist=("IA-5",)),
        area="secrets",
        description=(
            "Database master passwords are generated and rotated by Secrets Manager, not set in the program."
        ),
        severity="high",
        rationale=(
            "A password set in the program lives in the stack's config or state and in every preview; it is "
            "never rotated. With manage_master_user_password the service creates it in Secrets Manager and "
            "rotates it. Write-only password arguments are flagged too: the program still chooses and holds "
            "the password."
        ),
        remediation=(
            "Drop password/master_password and set manage_master_user_password=True (Redshift: "
            "manage_master_password=True); read the secret ARN from master_user_secrets."
        ),
        kind="resource",
        resource_types=tuple(_PASSWORDS),
        references=("F23", "F24", "F34"),
        url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
    ),
    _master_password,
)

_SECRET_NAME = re.compile(
    r"pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential", re.I
)
_REFERENCE_SUFFIX = re.compile(
    r"(_|^)(ARN|NAME|ID|PATH|PARAM|PARAMETER|URL|ENDPOINT|FILE|REGION|TTL|HEADER|SECONDS)$", re.I
)
_TOKEN_SHAPES = (
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("an API secret key", re.compile(r"\b(sk|rk)[-_](live_|proj-)?[A-Za-z0-9_-]{20,}")),
    ("a JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+")),
)
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
"""The shape of an AWS secret access key: 40 base64 characters (with `/` and `+`, which the generic
high-entropy test excludes)."""
_REFERENCE_VALUE = re.compile(
    r"^(arn:|/|ssm:|\{\{resolve:|secretsmanager:|s3://|https?://[^:@/]+[/:]?)", re.I
)
MASKED = "[secret]"


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _high_entropy(value: str) -> bool:
    compact = len(value) >= 24 and not re.search(r"[\s/:.@]", value)
    return (
        compact
        and entropy(value) >= 4.2
        and bool(re.search(r"\d", value))
        and bool(re.search(r"[A-Za-z]", value))
    )


def _looks_like_aws_secret_key(value: str) -> bool:
    match = _AWS_SECRET_KEY.search(value)
    if not match:
        return False
    key = match.group(0)
    classes = sum(bool(re.search(pattern, key)) for pattern in (r"[a-z]", r"[A-Z]", r"\d"))
    return classes == 3 and entropy(key) >= 4.0


def secret_reason(name: str, value: Any) -> str | None:
    """Why an environment variable looks like a plaintext secret, or None."""
    if value == MASKED:
        return "its value is a Pulumi secret, stored in plaintext in the environment"
    if not isinstance(value, str) or not value:
        return None
    shape = next((label for label, pattern in _TOKEN_SHAPES if pattern.search(value)), None)
    if shape:
        return f"its value looks like {shape}"
    if _looks_like_aws_secret_key(value):
        return "its value looks like an AWS secret access key"
    if _REFERENCE_VALUE.match(value):
        return None
    if _SECRET_NAME.search(name) and not _REFERENCE_SUFFIX.search(name) and len(value) >= 8:
        return "its name says it holds a secret"
    if _high_entropy(value):
        return "its value is a high-entropy string"
    return None


def judge_variables(where: str, variables: Mapping[str, Any]) -> Iterator[str]:
    unknown: list[str] = []
    for name, value in variables.items():
        if is_unknown(value):
            if _SECRET_NAME.search(name) and not _REFERENCE_SUFFIX.search(name):
                unknown.append(name)
            continue
        reason = secret_reason(str(name), value)
        if reason:
            yield f"{where} variable {name}: {reason}; pass it as a Secrets Manager/SSM reference instead."
    if unknown:
        raise Unknown(f"{where}.{unknown[0]}")


def _lambda(view: View, _settings: Settings) -> Iterator[str]:
    yield from judge_variables("environment.variables", view.map_("environment", "variables"))


def _containers(view: View, _settings: Settings) -> Iterator[str]:
    definitions = as_list(view.json_("containerDefinitions"), "containerDefinitions")
    for index, container in enumerate(definitions):
        body = as_map(container, f"containerDefinitions[{index}]")
        label = as_str(body.get("name"), "name") or f"#{index}"
        pairs = {
            as_str(dig(item, "name"), "environment.name") or "": dig(item, "value", allow_unknown=True)
            for item in as_list(body.get("environment"), f"containerDefinitions[{index}].environment")
        }
        yield from judge_variables(f"container {label!r} environment", pairs)


def _sagemaker(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in tokens.SAGEMAKER_TRAINING_JOB:
        yield from judge_variables("environment", view.map_("environment"))
        return
    containers = [("primaryContainer", view.get("primaryContainer"))] + [
        (f"containers[{i}]", c) for i, c in enumerate(view.list_("containers"))
    ]
    for where, container in containers:
        if container is not None:
            yield from judge_variables(f"{where}.environment", as_map(dig(container, "environment"), where))


_ENV_REMEDIATION = (
    "Store the value in Secrets Manager or SSM Parameter Store and pass a reference (ECS: the container's "
    "`secrets` list; Lambda: the secret ARN, read at start-up with the parameters/secrets extension)."
)


def _env_meta(**fields: Any) -> RuleMeta:
    """The shared shape of the plaintext-environment rules."""
    return RuleMeta(
        area="secrets", severity="critical", kind="resource", remediation=_ENV_REMEDIATION, **fields
    )


LAMBDA_ENV = ResourceRule(
    _env_meta(
        name="aws-lambda-function-env-no-secrets",
        controls=controls(nist=("IA-5",)),
        description="Lambda environment variables hold no plaintext secrets.",
        rationale=(
            "Environment variables are returned by GetFunctionConfiguration and stored in state. Flagged: "
            "values shaped like known tokens (AWS keys, private keys, GitHub/Slack/API keys, JWTs), Pulumi "
            "secrets, high-entropy strings, and non-reference values of variables named like "
            "passwords/tokens/keys."
        ),
        resource_types=tokens.LAMBDA_FUNCTION,
        references=("CKV_AWS_45",),
        url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
    ),
    _lambda,
)

ECS_ENV = ResourceRule(
    _env_meta(
        name="aws-ecs-task-definition-env-no-secrets",
        controls=controls(fsbp=("ECS.8",), nist=("IA-5",)),
        description="ECS container definitions hold no plaintext secrets in `environment`.",
        rationale=(
            "Container `environment` values are visible to anyone who can describe the task definition; ECS "
            "injects `secrets` from Secrets Manager or SSM at start instead. Same detection as the Lambda "
            "rule."
        ),
        resource_types=tokens.ECS_TASK_DEFINITION,
        references=("AWS-0036",),
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
    ),
    _containers,
)

SAGEMAKER_ENV = ResourceRule(
    _env_meta(
        name="aws-sagemaker-env-no-secrets",
        controls=controls(nist=("IA-5",)),
        description=(
            "SageMaker models and training jobs hold no plaintext secrets in their container environment."
        ),
        rationale=(
            "Model and training job environments are returned by the Describe APIs and stored in state."
        ),
        resource_types=tokens.SAGEMAKER_MODEL + tokens.SAGEMAKER_TRAINING_JOB,
    ),
    _sagemaker,
)

RULES: list[Rule] = [MASTER_PASSWORD, LAMBDA_ENV, ECS_ENV, SAGEMAKER_ENV]
