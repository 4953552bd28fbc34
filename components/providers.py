"""The explicit AWS providers' credentials settings: the stack's account and the stack file's `aws:` keys.

An explicit provider takes only the arguments the program passes it, never the stack's `aws:` config (only
the default provider reads that). So the settings a user puts in the stack file (`aws:profile`,
`aws:assumeRoles` or `aws:assumeRole`, `aws:allowedAccountIds`, `aws:forbiddenAccountIds`) are read here and
passed to the primary and the DR provider alike, and `allowed_account_ids` is the stack's `accountId`: a
`pulumi up` with credentials of another account stops before touching anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from components.config import ConfigError, StackConfig

ACCOUNT = re.compile(r"\d{12}")
ROLE_KEYS = {
    "roleArn": "role_arn",
    "sessionName": "session_name",
    "externalId": "external_id",
    "duration": "duration",
    "policy": "policy",
    "policyArns": "policy_arns",
    "tags": "tags",
    "transitiveTagKeys": "transitive_tag_keys",
    "sourceIdentity": "source_identity",
}
"""`aws:assumeRoles[]` keys (as the aws provider's config spells them) and the provider argument of each."""
READ_KEYS = ("profile", "assumeRoles", "assumeRole", "allowedAccountIds", "forbiddenAccountIds")


def read_aws_config() -> dict[str, Any]:
    """The credentials-related `aws:` keys of the current stack, JSON values parsed."""
    import pulumi

    config = pulumi.Config("aws")
    values: dict[str, Any] = {}
    for key in READ_KEYS:
        raw = config.get(key)
        if raw is not None:
            try:
                values[key] = json.loads(raw)
            except json.JSONDecodeError:
                values[key] = raw
    return values


def provider_args(cfg: StackConfig, aws_config: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for `aws.Provider` beyond region and tags; a bad value raises `ConfigError`."""
    where = f"Pulumi.{cfg.stack}.yaml: aws:"
    args: dict[str, Any] = {}
    profile = aws_config.get("profile")
    if profile is not None:
        if not isinstance(profile, str) or not profile:
            raise ConfigError(f"{where}profile must be the name of an AWS CLI profile, got {profile!r}")
        args["profile"] = profile
    roles = aws_config.get("assumeRoles", [aws_config["assumeRole"]] if "assumeRole" in aws_config else [])
    if not isinstance(roles, list):
        raise ConfigError(f"{where}assumeRoles must be a list of roles to assume in turn, got {roles!r}")
    if roles:
        args["assume_roles"] = [_role(role, f"{where}assumeRoles[{i}]") for i, role in enumerate(roles)]
    allowed = _accounts(aws_config.get("allowedAccountIds"), f"{where}allowedAccountIds")
    forbidden = _accounts(aws_config.get("forbiddenAccountIds"), f"{where}forbiddenAccountIds")
    if cfg.account_id is not None:
        if allowed and cfg.account_id not in allowed:
            raise ConfigError(
                f"{where}allowedAccountIds {allowed} does not include accountId {cfg.account_id}"
            )
        if cfg.account_id in forbidden:
            raise ConfigError(f"{where}forbiddenAccountIds lists the stack's own accountId {cfg.account_id}")
        allowed, forbidden = [cfg.account_id], []  # the allow-list of one is stricter than any deny-list
    if allowed and forbidden:
        raise ConfigError(f"{where}allowedAccountIds and forbiddenAccountIds cannot both be set")
    if allowed:
        args["allowed_account_ids"] = allowed
    if forbidden:
        args["forbidden_account_ids"] = forbidden
    return args


def _role(role: Any, where: str) -> Any:
    import pulumi_aws as aws

    if not isinstance(role, dict) or not isinstance(role.get("roleArn"), str):
        raise ConfigError(f"{where} must be a mapping with at least a roleArn, got {role!r}")
    unknown = sorted(set(role) - set(ROLE_KEYS))
    if unknown:
        raise ConfigError(f"{where}.{unknown[0]} is not a known setting; allowed: {', '.join(ROLE_KEYS)}")
    return aws.ProviderAssumeRoleArgs(**{ROLE_KEYS[k]: v for k, v in role.items()})


def _accounts(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(a, str) and ACCOUNT.fullmatch(a) for a in value):
        raise ConfigError(f"{where} must be a list of quoted 12-digit AWS account ids, got {value!r}")
    return list(value)
