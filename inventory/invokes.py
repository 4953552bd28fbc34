"""Answers to provider functions (invokes), as values of each function's own result type.

Offline there is no account to ask. Every answer starts from the function's result class in the provider
package (`pulumi_aws.ec2.GetAmiResult`): each field is the argument of the same name when the program passed
one of the right type (the provider echoes its arguments), else a typed placeholder (never None). Functions
AWS programs commonly call have a model that fills in what a fresh account in the stack's region answers:
the account from config (else 123456789012), the region's real availability zones, its partition, IAM policy
documents rendered exactly as the provider renders them, and plausible ids and ARNs for lookups of VPCs,
subnets, security groups, AMIs, IAM roles and policies, certificates, zones, images, secrets, parameters and
KMS aliases. Any other function gets placeholders and a warning naming it as a limit of the offline model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from awsvalues import regions
from inventory import policydoc, sdkschema


class ModelLimitation(Exception):
    """Something the offline model cannot produce; the message names what is missing."""


@dataclass(frozen=True)
class Where:
    """Where a call runs: its provider's region and account, and the provider's default tags."""

    region: str
    account: str
    default_tags: dict[str, Any]

    @property
    def partition(self) -> regions.Partition:
        return regions.partition_of(self.region)


@dataclass(frozen=True)
class Answer:
    value: dict[str, Any]
    warning: str = ""
    """Set when the function has no model: its result is placeholders."""


@dataclass(frozen=True)
class Call:
    """One invoke: its token, arguments and where it runs, with deterministic text derived from them."""

    token: str
    args: dict[str, Any]
    where: Where

    @property
    def seed(self) -> str:
        return _digest(self.token + repr(sorted(self.args.items(), key=lambda kv: kv[0])))

    def text(self, length: int, salt: str = "") -> str:
        return _digest(self.seed + salt)[:length]

    @property
    def p(self) -> str:
        return self.where.partition.name

    def arn(self, service: str, resource: str, *, region: bool = True) -> str:
        where = self.where.region if region else ""
        return f"arn:{self.p}:{service}:{where}:{self.where.account}:{resource}"

    def arg(self, key: str, default: Any = "") -> Any:
        value = self.args.get(key)
        return default if value in (None, "", []) else value

    def uuid(self) -> str:
        d = self.text(32, "uuid")
        return f"{d[:8]}-{d[8:12]}-4{d[13:16]}-a{d[17:20]}-{d[20:32]}"


def _caller_identity(c: Call) -> dict[str, Any]:
    return {
        "accountId": c.where.account,
        "arn": f"arn:{c.p}:sts::{c.where.account}:assumed-role/offline-preview/preview",
        "userId": "AROAOFFLINEPREVIEW:preview",
        "id": c.where.account,
    }


def _region(c: Call) -> dict[str, Any]:
    region = c.arg("region") or c.arg("name") or c.where.region
    return {
        "region": region,
        "name": region,
        "id": region,
        "endpoint": f"ec2.{region}.{regions.partition_of(region).dns_suffix}",
        "description": regions.region_name(region),
    }


def _availability_zones(c: Call) -> dict[str, Any]:
    region = c.arg("region") or c.where.region
    excluded_names = set(c.arg("excludeNames", []))
    excluded_ids = set(c.arg("excludeZoneIds", []))
    pairs = [
        (name, zone_id)
        for name, zone_id in zip(regions.availability_zones(region), regions.zone_ids(region), strict=True)
        if name not in excluded_names and zone_id not in excluded_ids
    ]
    return {
        "names": [n for n, _ in pairs],
        "zoneIds": [z for _, z in pairs],
        "groupNames": [region],
        "id": region,
        "region": region,
    }


def _partition(c: Call) -> dict[str, Any]:
    p = c.where.partition
    return {
        "partition": p.name,
        "dnsSuffix": p.dns_suffix,
        "reverseDnsPrefix": p.reverse_dns_prefix,
        "id": p.name,
    }


def _policy_document(c: Call) -> dict[str, Any]:
    return policydoc.render(c.args)


def _elb_service_account(c: Call) -> dict[str, Any]:
    region = c.arg("region") or c.where.region
    account = regions.elb_account(region)
    return {
        "id": account,
        "arn": f"arn:{regions.partition_of(region).name}:iam::{account}:root",
        "region": region,
    }


def _default_tags(c: Call) -> dict[str, Any]:
    return {"tags": dict(c.where.default_tags), "id": "default-tags"}


def _session_context(c: Call) -> dict[str, Any]:
    arn = c.arg("arn")
    return {"arn": arn, "issuerArn": arn, "issuerId": "AROAOFFLINEPREVIEW", "issuerName": "offline-preview"}


def _ami(c: Call) -> dict[str, Any]:
    image = "ami-" + c.text(17)
    owners = c.arg("owners", [])
    return {
        "id": image,
        "imageId": image,
        "arn": f"arn:{c.p}:ec2:{c.where.region}::image/{image}",
        "architecture": "x86_64",
        "name": f"offline-preview-image-{c.text(7, 'name')}",
        "ownerId": owners[0] if owners and re.fullmatch(r"\d{12}", str(owners[0])) else "137112412989",
        "state": "available",
        "imageType": "machine",
        "rootDeviceName": "/dev/xvda",
        "rootDeviceType": "ebs",
        "virtualizationType": "hvm",
        "hypervisor": "xen",
        "platformDetails": "Linux/UNIX",
        "usageOperation": "RunInstances",
        "enaSupport": True,
        "creationDate": "2026-01-01T00:00:00.000Z",
        "blockDeviceMappings": [
            {
                "deviceName": "/dev/xvda",
                "ebs": {"volume_size": "8", "volume_type": "gp3", "encrypted": "false"},
                "noDevice": "",
                "virtualName": "",
            }
        ],
    }


def _ami_ids(c: Call) -> dict[str, Any]:
    return {"ids": ["ami-" + c.text(17)], "id": c.where.region}


def _vpc(c: Call) -> dict[str, Any]:
    vpc = c.arg("id") or "vpc-" + c.text(17)
    default = bool(c.args.get("default"))
    cidr = c.arg("cidrBlock") or ("172.31.0.0/16" if default else "10.0.0.0/16")
    return {
        "id": vpc,
        "arn": c.arn("ec2", f"vpc/{vpc}"),
        "cidrBlock": cidr,
        "default": default,
        "state": "available",
        "ownerId": c.where.account,
        "mainRouteTableId": "rtb-" + c.text(17, "rtb"),
        "dhcpOptionsId": "dopt-" + c.text(17, "dopt"),
        "enableDnsSupport": True,
        "enableDnsHostnames": default,
        "instanceTenancy": "default",
        "cidrBlockAssociations": [
            {
                "associationId": "vpc-cidr-assoc-" + c.text(17, "assoc"),
                "cidrBlock": cidr,
                "state": "associated",
            }
        ],
    }


def _subnet(c: Call) -> dict[str, Any]:
    subnet = c.arg("id") or "subnet-" + c.text(17)
    zone = c.arg("availabilityZone") or regions.availability_zones(c.where.region)[0]
    return {
        "id": subnet,
        "arn": c.arn("ec2", f"subnet/{subnet}"),
        "vpcId": c.arg("vpcId") or "vpc-" + c.text(17, "vpc"),
        "cidrBlock": c.arg("cidrBlock") or "172.31.0.0/20",
        "availabilityZone": zone,
        "availabilityZoneId": dict(
            zip(regions.availability_zones(c.where.region), regions.zone_ids(c.where.region), strict=True)
        ).get(zone, ""),
        "state": "available",
        "ownerId": c.where.account,
        "availableIpAddressCount": 4091,
    }


def _subnets(c: Call) -> dict[str, Any]:
    zones = regions.availability_zones(c.where.region)[:3]
    return {"ids": ["subnet-" + c.text(17, zone) for zone in zones], "id": c.where.region}


def _security_group(c: Call) -> dict[str, Any]:
    group = c.arg("id") or "sg-" + c.text(17)
    return {
        "id": group,
        "arn": c.arn("ec2", f"security-group/{group}"),
        "name": c.arg("name") or "default",
        "vpcId": c.arg("vpcId") or "vpc-" + c.text(17, "vpc"),
        "description": "default VPC security group",
    }


def _security_groups(c: Call) -> dict[str, Any]:
    return {
        "ids": ["sg-" + c.text(17)],
        "vpcIds": ["vpc-" + c.text(17, "vpc")],
        "arns": [c.arn("ec2", "security-group/sg-" + c.text(17))],
        "id": c.where.region,
    }


def _role(c: Call) -> dict[str, Any]:
    name = c.arg("name", "offline-role")
    arn = f"arn:{c.p}:iam::{c.where.account}:role/{name}"
    trust = '{"Version":"2012-10-17","Statement":[]}'
    return {
        "id": name,
        "name": name,
        "arn": arn,
        "path": "/",
        "uniqueId": "AROA" + c.text(17).upper(),
        "assumeRolePolicy": trust,
        "createDate": "2026-01-01T00:00:00Z",
        "maxSessionDuration": 3600,
    }


def _policy(c: Call) -> dict[str, Any]:
    name = c.arg("name") or str(c.arg("arn", "offline-policy")).rsplit("/", 1)[-1]
    path = c.arg("pathPrefix", "/")
    arn = c.arg("arn") or f"arn:{c.p}:iam::{c.where.account}:policy{path}{name}"
    return {
        "id": arn,
        "arn": arn,
        "name": name,
        "path": path,
        "policyId": "ANPA" + c.text(17).upper(),
        "policy": '{"Version":"2012-10-17","Statement":[]}',
        "attachmentCount": 0,
    }


def _certificate(c: Call) -> dict[str, Any]:
    arn = c.arn("acm", f"certificate/{c.uuid()}")
    domain = c.arg("domain", "example.com")
    return {
        "id": arn,
        "arn": arn,
        "domain": domain,
        "status": "ISSUED",
        "type": "AMAZON_ISSUED",
        "keyTypes": ["RSA_2048"],
        "statuses": ["ISSUED"],
    }


def _zone(c: Call) -> dict[str, Any]:
    zone = c.arg("zoneId") or "Z" + c.text(20).upper()
    name = str(c.arg("name", "example.com")).rstrip(".")
    return {
        "id": zone,
        "zoneId": zone,
        "name": name,
        "arn": f"arn:{c.p}:route53:::hostedzone/{zone}",
        "privateZone": bool(c.args.get("privateZone")),
        "nameServers": [f"ns-{int(c.text(3, str(i)), 16) % 2048}.awsdns-0{i}.com" for i in range(4)],
        "resourceRecordSetCount": 2,
        "callerReference": c.uuid(),
    }


def _ecr_image(c: Call) -> dict[str, Any]:
    repository = c.arg("repositoryName", "offline-repository")
    digest = "sha256:" + _digest(c.seed + "image")
    registry = c.arg("registryId") or c.where.account
    host = f"{registry}.dkr.ecr.{c.where.region}.amazonaws.com"
    tag = c.arg("imageTag", "latest")
    return {
        "id": digest,
        "imageDigest": digest,
        "imageTags": [tag],
        "registryId": registry,
        "repositoryName": repository,
        "imageUri": f"{host}/{repository}@{digest}",
        "imagePushedAt": 1767225600,
        "imageSizeInBytes": 52428800,
    }


def _ecr_repository(c: Call) -> dict[str, Any]:
    name = c.arg("name", "offline-repository")
    registry = c.arg("registryId") or c.where.account
    return {
        "id": name,
        "name": name,
        "arn": c.arn("ecr", f"repository/{name}"),
        "registryId": registry,
        "repositoryUrl": f"{registry}.dkr.ecr.{c.where.region}.amazonaws.com/{name}",
        "imageTagMutability": "IMMUTABLE",
    }


def _secret(c: Call) -> dict[str, Any]:
    name = c.arg("name") or str(c.arg("arn", "offline-secret")).rsplit(":", 1)[-1]
    arn = c.arg("arn") or c.arn("secretsmanager", f"secret:{name}-{c.text(6)}")
    return {"id": arn, "arn": arn, "name": name}


def _secret_version(c: Call) -> dict[str, Any]:
    secret = str(c.arg("secretId", "offline-secret"))
    arn = secret if secret.startswith("arn:") else c.arn("secretsmanager", f"secret:{secret}-{c.text(6)}")
    version = c.arg("versionId") or c.uuid()
    return {
        "id": f"{arn}|{version}",
        "arn": arn,
        "secretId": secret,
        "versionId": version,
        "versionStages": [c.arg("versionStage", "AWSCURRENT")],
        "secretString": f"offline-preview-secret-{c.text(12)}",
        "createdDate": "2026-01-01T00:00:00Z",
    }


def _parameter(c: Call) -> dict[str, Any]:
    name = str(c.arg("name", "offline-parameter"))
    value = f"offline-preview-value-{c.text(12)}"
    if name.startswith("/aws/service/") and "ami" in name:  # AWS's public AMI parameters hold an image id
        value = "ami-" + c.text(17, "ami")
    return {
        "id": name,
        "name": name,
        "arn": c.arn("ssm", "parameter/" + name.lstrip("/")),
        "type": "String",
        "value": value,
        "insecureValue": value,
        "version": 1,
    }


def _kms_alias(c: Call) -> dict[str, Any]:
    name = str(c.arg("name", "alias/offline"))
    key = c.uuid()
    return {
        "id": c.arn("kms", name),
        "arn": c.arn("kms", name),
        "name": name,
        "targetKeyId": key,
        "targetKeyArn": c.arn("kms", f"key/{key}"),
    }


def _kms_key(c: Call) -> dict[str, Any]:
    key = str(c.arg("keyId")) if re.fullmatch(r"[0-9a-f-]{36}", str(c.arg("keyId"))) else c.uuid()
    return {
        "id": key,
        "keyId": key,
        "arn": c.arn("kms", f"key/{key}"),
        "enabled": True,
        "keyState": "Enabled",
        "keyManager": "CUSTOMER",
        "keyUsage": "ENCRYPT_DECRYPT",
        "keySpec": "SYMMETRIC_DEFAULT",
    }


Handler = Callable[[Call], dict[str, Any]]

HANDLERS: dict[str, Handler] = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:index/getPartition:getPartition": _partition,
    "aws:index/getDefaultTags:getDefaultTags": _default_tags,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
    "aws:iam/getSessionContext:getSessionContext": _session_context,
    "aws:iam/getRole:getRole": _role,
    "aws:iam/getPolicy:getPolicy": _policy,
    "aws:elb/getServiceAccount:getServiceAccount": _elb_service_account,
    "aws:ec2/getAmi:getAmi": _ami,
    "aws:ec2/getAmiIds:getAmiIds": _ami_ids,
    "aws:ec2/getVpc:getVpc": _vpc,
    "aws:ec2/getSubnet:getSubnet": _subnet,
    "aws:ec2/getSubnets:getSubnets": _subnets,
    "aws:ec2/getSecurityGroup:getSecurityGroup": _security_group,
    "aws:ec2/getSecurityGroups:getSecurityGroups": _security_groups,
    "aws:acm/getCertificate:getCertificate": _certificate,
    "aws:route53/getZone:getZone": _zone,
    "aws:ecr/getImage:getImage": _ecr_image,
    "aws:ecr/getRepository:getRepository": _ecr_repository,
    "aws:secretsmanager/getSecret:getSecret": _secret,
    "aws:secretsmanager/getSecretVersion:getSecretVersion": _secret_version,
    "aws:ssm/getParameter:getParameter": _parameter,
    "aws:kms/getAlias:getAlias": _kms_alias,
    "aws:kms/getKey:getKey": _kms_key,
}


def answer(token: str, args: dict[str, Any], where: Where) -> Answer:
    """The function's result: modelled fields over echoed arguments over typed placeholders."""
    call = Call(token, args, where)
    handler = HANDLERS.get(token)
    cls = sdkschema.invoke_result_class(token)
    if cls is None:
        if handler is not None:
            return Answer(handler(call))
        raise ModelLimitation(
            f"the offline model has no answer for the function {token}: no model of it, and its result "
            f"type ({_result_class_name(token)}) is not in an installed provider package"
        )
    types = sdkschema.result_types(cls)
    strings = _placeholder_strings(call)
    value = {
        key: args[key]
        if key in args and sdkschema.matches(args[key], typ)
        else sdkschema.typed_placeholder(typ, key, strings)
        for key, typ in types.items()
    }
    if handler is None:
        warning = (
            f"the function {token} has no offline model: its result holds typed placeholder values, not "
            "what the provider would return (a limitation of the offline preview)"
        )
        return Answer(value, warning)
    modelled = handler(call)
    value.update({k: v for k, v in modelled.items() if k in types})
    return Answer(value)


def _placeholder_strings(call: Call) -> sdkschema.Placeholder:
    function = call.token.rsplit(":", 1)[-1]
    service = call.token.partition(":")[2].split("/")[0]
    kind = _kebab(function.removeprefix("get"))

    def make(name: str, _typ: Any) -> str:
        if name == "region":
            return call.where.region
        if name in ("accountId", "ownerId", "registryId"):
            return call.where.account
        if name == "partition":
            return call.p
        if name == "arn" or name.endswith("Arn"):
            return call.arn(service, f"{kind}/{call.text(8, name)}")
        if name == "id":
            return f"{function}-{call.text(7)}"
        return f"offline-{_kebab(name)}-{call.text(7, name)}"

    return make


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


def _result_class_name(token: str) -> str:
    package, _, rest = token.partition(":")
    module, _, function = rest.partition(":")
    fqn = "pulumi_" + package.replace("-", "_")
    if module.split("/")[0] != "index":
        fqn += "." + module.split("/")[0]
    return f"{fqn}.{function[:1].upper()}{function[1:]}Result"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
