"""EC2: instances, launch templates and (deprecated) launch configurations, EBS defaults, Auto Scaling groups.

Encrypted block devices and public IPs of these types are judged by aws-ec2-ebs-encrypted and
aws-ec2-instance-no-public-ip (encryption.compute, network.exposure).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from policies.frameworks import controls
from policies.rules import attached, secrets
from policies.rules.framework import Rule, Settings
from policies.rules.platform import types
from policies.rules.platform.common import join_rule, require_flag, resource_rule
from policies.rules.props import View

_EC2_URL = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/"
LAUNCHABLE = types.EC2_INSTANCE + types.LAUNCH_TEMPLATE + types.LAUNCH_CONFIGURATION


def _imdsv2(view: View, settings: Settings) -> Iterator[str]:
    if (view.str_("metadataOptions", "httpEndpoint") or "enabled") == "disabled":
        return
    tokens = view.str_("metadataOptions", "httpTokens")
    if tokens != "required":
        yield (
            f"`metadataOptions.httpTokens` is {tokens!r}, so IMDSv1 answers unauthenticated GETs; set "
            "http_tokens='required'."
        )
    if view.type in types.EC2_INSTANCE:
        return
    hops = view.int_("metadataOptions", "httpPutResponseHopLimit")
    maximum = int(settings["maxHopLimit"])
    if hops is not None and hops > maximum:
        yield (
            f"`metadataOptions.httpPutResponseHopLimit` is {hops} (above {maximum}); containers can reach "
            "IMDS."
        )


IMDSV2 = resource_rule(
    _imdsv2,
    name="aws-ec2-imdsv2-required",
    area="iam",
    description="EC2 instances, launch templates and launch configurations require IMDSv2.",
    severity="high",
    rationale=(
        "IMDSv1 hands the instance role's credentials to any request that reaches 169.254.169.254, which "
        "is how SSRF in a web app becomes an AWS credential leak; IMDSv2 needs a PUT-issued session token. "
        "A hop limit above the allowed maximum lets containers on the host fetch the host role's token."
    ),
    remediation=(
        "Set metadata_options={'http_tokens': 'required', 'http_endpoint': 'enabled', "
        "'http_put_response_hop_limit': 1} (2 for container hosts, with maxHopLimit raised)."
    ),
    resource_types=LAUNCHABLE,
    references=("CKV_AWS_79", "CKV_AWS_341"),
    controls=controls(fsbp=("EC2.8", "AutoScaling.3", "EC2.170"), cis=("5.6",), nist=("AC-3", "AC-6")),
    url=_EC2_URL + "configuring-IMDS-new-instances.html",
    config={
        "maxHopLimit": {
            "type": "integer",
            "minimum": 1,
            "maximum": 64,
            "default": 1,
            "description": "Largest allowed http_put_response_hop_limit on launch templates/configurations.",
        }
    },
)


def _monitoring(view: View, _settings: Settings) -> Iterator[str]:
    if view.type in types.EC2_INSTANCE:
        yield from require_flag(view, ("monitoring",), "set monitoring=True.")
    elif view.type in types.LAUNCH_TEMPLATE:
        yield from require_flag(view, ("monitoring", "enabled"), "set monitoring={'enabled': True}.")
    else:
        yield from require_flag(view, ("enableMonitoring",), "keep enable_monitoring=True.", default=True)
    if view.bool_("ebsOptimized") is False:
        yield "`ebsOptimized` is false; EBS traffic competes with network traffic."


MONITORING = resource_rule(
    _monitoring,
    name="aws-ec2-detailed-monitoring",
    area="resilience",
    description="EC2 instances and launch templates use detailed monitoring and EBS optimization.",
    severity="low",
    rationale=(
        "Basic monitoring samples every 5 minutes, too coarse for scaling and incident timelines; an "
        "explicitly non-EBS-optimized instance shares its network link with storage traffic."
    ),
    remediation="Set monitoring=True (instances) or monitoring={'enabled': True} (launch templates).",
    resource_types=LAUNCHABLE,
    default_level="advisory",
    references=("CKV_AWS_126", "CKV_AWS_135", "ec2-instance-detailed-monitoring-enabled"),
    controls=controls(nist=("CA-7", "SI-4")),
    url=_EC2_URL + "manage-detailed-monitoring.html",
)


def _profile(view: View, _settings: Settings) -> Iterator[str]:
    if not view.has("iamInstanceProfile"):
        yield "`iamInstanceProfile` is not set; software on the host will look for long-lived keys instead."


INSTANCE_PROFILE = resource_rule(
    _profile,
    name="aws-ec2-instance-profile",
    area="iam",
    description="EC2 instances and launch templates run with an IAM instance profile.",
    severity="low",
    rationale=(
        "Without an instance role, software on the host needs access keys in files or user data; a role "
        "gives short-lived, rotated credentials (and SSM Session Manager access)."
    ),
    remediation="Create an aws.iam.InstanceProfile for a least-privilege role and set iam_instance_profile.",
    resource_types=types.EC2_INSTANCE + types.LAUNCH_TEMPLATE,
    default_level="advisory",
    references=("CKV2_AWS_41",),
    controls=controls(nist=("AC-6", "IA-5")),
    url=_EC2_URL + "iam-roles-for-amazon-ec2.html",
)

_ASSIGNMENT = re.compile(r"^\s*(?:export\s+|set\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*['\"]?([^'\"\s]+)")


def _user_data(view: View) -> str | None:
    text = view.str_("userData")
    encoded = view.str_("userDataBase64") or (text if view.type in types.LAUNCH_TEMPLATE else None)
    if encoded is not None:
        try:
            return base64.b64decode(encoded, validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return text
    return text


def _user_data_secrets(view: View, _settings: Settings) -> Iterator[str]:
    script = _user_data(view)
    if not script:
        return
    assignments = {
        match[1]: match[2] for line in script.splitlines() if (match := _ASSIGNMENT.match(line)) is not None
    }
    yield from secrets.judge_variables("userData", assignments)


USER_DATA = resource_rule(
    _user_data_secrets,
    name="aws-ec2-user-data-no-secrets",
    area="secrets",
    description="EC2 user data holds no plaintext secrets.",
    severity="high",
    rationale=(
        "User data is readable by anyone with ec2:DescribeInstanceAttribute and from inside the instance "
        "through IMDS, and is kept in state and launch template versions. Each `NAME=value` assignment is "
        "judged like an environment variable (name, token shape, entropy)."
    ),
    remediation="Fetch secrets at boot from Secrets Manager or SSM Parameter Store with the instance role.",
    resource_types=LAUNCHABLE,
    references=("CKV_AWS_46",),
    controls=controls(nist=("IA-5", "SC-28")),
    url=_EC2_URL + "user-data.html",
)


def _ebs_default(view: View, _settings: Settings) -> Iterator[str]:
    yield from require_flag(view, ("enabled",), "set enabled=True.", default=True)


EBS_DEFAULT = resource_rule(
    _ebs_default,
    name="aws-ebs-encryption-by-default",
    area="encryption",
    description="EBS encryption by default stays enabled in the region.",
    severity="medium",
    rationale=(
        "With encryption by default every new volume and snapshot copy is encrypted even when a template "
        "forgets to ask; declaring it with enabled=False turns that safety net off."
    ),
    remediation=(
        "Declare aws.ebs.EncryptionByDefault(enabled=True) and aws.ebs.DefaultKmsKey with a "
        "customer-managed key."
    ),
    resource_types=types.EBS_DEFAULT_ENCRYPTION,
    references=("CKV_AWS_106",),
    controls=controls(fsbp=("EC2.7",), cis=("2.2.1",), nist=("SC-12", "SC-28")),
    url="https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
)


def _asg(view: View, _settings: Settings) -> Iterator[str]:
    if view.has("launchConfiguration"):
        yield "`launchConfiguration` is set; launch configurations are deprecated, use a launch template."
    elif not (view.has("launchTemplate") or view.has("mixedInstancesPolicy", "launchTemplate")):
        yield "no launch template is set (`launchTemplate` or `mixedInstancesPolicy.launchTemplate`)."


ASG = resource_rule(
    _asg,
    name="aws-autoscaling-group-launch-template",
    area="resilience",
    description="Auto Scaling groups launch from launch templates, not launch configurations.",
    severity="medium",
    rationale=(
        "Launch configurations are deprecated and cannot express IMDSv2 hop limits, newer instance types "
        "or mixed instances; a launch template is versioned and judged by the EC2 rules above."
    ),
    remediation="Set launch_template={'id': template.id, 'version': '$Latest'} on aws.autoscaling.Group.",
    resource_types=types.AUTOSCALING_GROUP,
    references=("CKV_AWS_315",),
    controls=controls(fsbp=("AutoScaling.9",), nist=("CM-2",)),
    url="https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-templates.html",
)


def _attached(view: View, index: attached.Attached, _settings: Settings) -> Iterator[str]:
    if not index.of(view):
        yield "no aws.ec2.VolumeAttachment in this program attaches this volume to an instance."


VOLUME_IN_USE = join_rule(
    attached.indexer("volume attachment", types.VOLUME_ATTACHMENT, "volumeId", types.EBS_VOLUME),
    _attached,
    name="aws-ebs-volume-attached",
    area="resilience",
    description="EBS volumes are attached to an instance.",
    severity="low",
    rationale=(
        "A detached volume is paid for, unmonitored and often forgotten with data on it; the volume is "
        "joined with the volume attachments of the program."
    ),
    remediation="Attach the volume with aws.ec2.VolumeAttachment, or snapshot and delete it.",
    resource_types=types.EBS_VOLUME,
    default_level="advisory",
    references=("ec2-volume-inuse",),
    controls=controls(nist=("CM-8",)),
    url="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-attaching-volume.html",
)

RULES: list[Rule] = [IMDSV2, MONITORING, INSTANCE_PROFILE, USER_DATA, EBS_DEFAULT, ASG, VOLUME_IN_USE]
