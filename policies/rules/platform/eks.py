"""EKS clusters and managed node groups."""

from __future__ import annotations

from collections.abc import Iterator

from policies.frameworks import controls
from policies.rules.framework import Rule, Settings
from policies.rules.platform import types
from policies.rules.platform.common import resource_rule
from policies.rules.props import Malformed, View, strings

_URL = "https://docs.aws.amazon.com/eks/latest/userguide/"
_OPEN = ("0.0.0.0/0", "::/0")


def _endpoint(view: View, settings: Settings) -> Iterator[str]:
    public = view.bool_("vpcConfig", "endpointPublicAccess")
    if public is False:
        return
    cidrs = strings(view.get("vpcConfig", "publicAccessCidrs"), "vpcConfig.publicAccessCidrs")
    if not settings["allowRestrictedPublicEndpoint"]:
        yield "`vpcConfig.endpointPublicAccess` is not false; use the private endpoint only."
    elif not cidrs or any(cidr in _OPEN for cidr in cidrs):
        yield (
            "the public API endpoint is open to 0.0.0.0/0 (`vpcConfig.publicAccessCidrs` unset or open); "
            "set endpoint_public_access=False or list your CIDRs."
        )
    if view.bool_("vpcConfig", "endpointPrivateAccess") is not True:
        yield "`vpcConfig.endpointPrivateAccess` is not true; nodes reach the API over the internet."


ENDPOINT = resource_rule(
    _endpoint,
    name="aws-eks-cluster-endpoint-private",
    area="network",
    description="EKS API endpoints are private, or public only to listed CIDRs with the private endpoint on.",
    severity="high",
    rationale=(
        "The default EKS endpoint is public to 0.0.0.0/0: the Kubernetes API, its authentication and any "
        "unpatched API server flaw are one step from the internet."
    ),
    remediation=(
        "Set vpc_config={'endpoint_private_access': True, 'endpoint_public_access': False} (or keep public "
        "access with public_access_cidrs=[your ranges])."
    ),
    resource_types=types.EKS_CLUSTER,
    references=("CKV_AWS_38", "CKV_AWS_39", "aws-eks-cluster-disallow-api-endpoint-public-access"),
    controls=controls(fsbp=("EKS.1",), nist=("AC-4", "SC-7")),
    url=_URL + "cluster-endpoint.html",
    config={
        "allowRestrictedPublicEndpoint": {
            "type": "boolean",
            "default": True,
            "description": "A public endpoint limited to listed CIDRs passes (false: private endpoint only).",
        }
    },
)


def _secrets(view: View, _settings: Settings) -> Iterator[str]:
    config = view.get("encryptionConfig")
    resources = strings(view.get("encryptionConfig", "resources"), "encryptionConfig.resources")
    if config is None or "secrets" not in resources:
        yield "`encryptionConfig` does not cover `secrets`; envelope-encrypt Kubernetes secrets with KMS."
    elif not view.has("encryptionConfig", "provider", "keyArn"):
        yield "`encryptionConfig.provider.keyArn` is not set; name a customer-managed KMS key."


SECRETS = resource_rule(
    _secrets,
    name="aws-eks-cluster-secrets-encryption",
    area="encryption",
    description="EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key.",
    severity="high",
    rationale=(
        "Without envelope encryption, Kubernetes secrets sit in etcd protected only by EKS's volume "
        "encryption; anyone with etcd or backup access reads them. The setting cannot be removed once on."
    ),
    remediation="Set encryption_config={'resources': ['secrets'], 'provider': {'key_arn': key.arn}}.",
    resource_types=types.EKS_CLUSTER,
    references=("CKV_AWS_58", "aws-eks-cluster-enable-cluster-encryption-config"),
    controls=controls(fsbp=("EKS.3",), nist=("SC-12", "SC-28")),
    url=_URL + "envelope-encryption.html",
)

_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")


def _logging(view: View, _settings: Settings) -> Iterator[str]:
    enabled = set(strings(view.get("enabledClusterLogTypes"), "enabledClusterLogTypes"))
    missing = [kind for kind in _LOG_TYPES if kind not in enabled]
    if missing:
        yield (
            f"control-plane log types {', '.join(missing)} are not enabled; add them to "
            "enabled_cluster_log_types."
        )


LOGGING = resource_rule(
    _logging,
    name="aws-eks-cluster-control-plane-logging",
    area="resilience",
    description="EKS clusters send all five control-plane log types to CloudWatch Logs.",
    severity="medium",
    rationale=(
        "The audit and authenticator logs are the only record of who did what through the Kubernetes API; "
        "without them an incident cannot be reconstructed."
    ),
    remediation=(
        "Set enabled_cluster_log_types=['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']."
    ),
    resource_types=types.EKS_CLUSTER,
    references=("CKV_AWS_37",),
    controls=controls(fsbp=("EKS.8",), nist=("AU-2", "AU-12")),
    url=_URL + "control-plane-logs.html",
)


def _version_tuple(text: str, where: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError as error:
        raise Malformed(where, "a version like '1.31'", text) from error


def _version(view: View, settings: Settings) -> Iterator[str]:
    version = view.str_("version")
    if version is None:
        return  # EKS creates the cluster on its current default version
    minimum = str(settings["minimumVersion"])
    if _version_tuple(version, "version") < _version_tuple(minimum, "minimumVersion"):
        yield f"Kubernetes {version} is below the supported minimum {minimum}; upgrade the cluster."


VERSION = resource_rule(
    _version,
    name="aws-eks-cluster-supported-version",
    area="resilience",
    description="EKS clusters run a Kubernetes version at or above the configured supported minimum.",
    severity="medium",
    rationale=(
        "Versions past standard support get no security patches and cost extended-support fees; an unset "
        "version means EKS's current default and passes. The minimum moves with EKS's calendar, so it is a "
        "setting of the rule."
    ),
    remediation="Set version to a supported release (see the EKS Kubernetes version calendar).",
    resource_types=types.EKS_CLUSTER,
    references=("CKV_AWS_339",),
    controls=controls(fsbp=("EKS.2",), nist=("CM-2", "SI-2")),
    url=_URL + "kubernetes-versions.html",
    config={
        "minimumVersion": {
            "type": "string",
            "default": "1.31",
            "pattern": r"^\d+\.\d+$",
            "description": "The oldest Kubernetes minor version still in EKS standard support.",
        }
    },
)


def _node_ssh(view: View, _settings: Settings) -> Iterator[str]:
    if view.get("remoteAccess") is None or not view.has("remoteAccess", "ec2SshKey"):
        return
    if not view.has("remoteAccess", "sourceSecurityGroupIds"):
        yield (
            "`remoteAccess` sets an SSH key without source_security_group_ids, so port 22 is open to "
            "0.0.0.0/0; list the security groups that may connect (or use SSM Session Manager)."
        )


NODE_SSH = resource_rule(
    _node_ssh,
    name="aws-eks-node-group-no-public-ssh",
    area="network",
    description="EKS managed node groups do not open SSH to the internet.",
    severity="high",
    rationale=(
        "A node group with remote_access.ec2_ssh_key but no source security groups gets a rule allowing "
        "SSH from 0.0.0.0/0 on every node."
    ),
    remediation="Drop remote_access (use SSM Session Manager) or set source_security_group_ids.",
    resource_types=types.EKS_NODE_GROUP,
    references=("CKV_AWS_100",),
    controls=controls(nist=("AC-4", "SC-7")),
    url=_URL + "create-managed-node-group.html",
)

RULES: list[Rule] = [ENDPOINT, SECRETS, LOGGING, VERSION, NODE_SSH]
