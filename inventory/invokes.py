"""Answers to the provider functions programs call most, in the provider's camelCase result shape.

Offline there is no account to ask, so the answers are the ones a fresh account in the stack's region gives:
the account from config (else 123456789012), the region's real availability zones and zone ids, its
partition, and IAM policy documents rendered exactly as the provider renders them. Other functions get their
arguments back plus a deterministic `id`, so reading a field never crashes the program.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inventory import policydoc, regions


@dataclass(frozen=True)
class Where:
    """Where a call runs: its provider's region and account, and the provider's default tags."""

    region: str
    account: str
    default_tags: dict[str, Any]

    @property
    def partition(self) -> regions.Partition:
        return regions.partition_of(self.region)


def _caller_identity(args: dict[str, Any], where: Where) -> dict[str, Any]:
    arn = f"arn:{where.partition.name}:sts::{where.account}:assumed-role/offline-preview/preview"
    return {
        "accountId": where.account,
        "arn": arn,
        "userId": "AROAOFFLINEPREVIEW:preview",
        "id": where.account,
    }


def _region(args: dict[str, Any], where: Where) -> dict[str, Any]:
    region = args.get("region") or args.get("name") or where.region
    return {
        "region": region,
        "name": region,
        "id": region,
        "endpoint": f"ec2.{region}.{regions.partition_of(region).dns_suffix}",
        "description": regions.region_name(region),
    }


def _availability_zones(args: dict[str, Any], where: Where) -> dict[str, Any]:
    region = args.get("region") or where.region
    excluded_names = set(args.get("excludeNames") or [])
    excluded_ids = set(args.get("excludeZoneIds") or [])
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
        **{k: v for k, v in args.items() if k in ("state", "allAvailabilityZones", "filters")},
    }


def _partition(args: dict[str, Any], where: Where) -> dict[str, Any]:
    p = where.partition
    return {
        "partition": p.name,
        "dnsSuffix": p.dns_suffix,
        "reverseDnsPrefix": p.reverse_dns_prefix,
        "id": p.name,
    }


def _policy_document(args: dict[str, Any], where: Where) -> dict[str, Any]:
    return policydoc.render(args)


def _elb_service_account(args: dict[str, Any], where: Where) -> dict[str, Any]:
    region = args.get("region") or where.region
    account = regions.elb_account(region)
    return {
        "id": account,
        "arn": f"arn:{regions.partition_of(region).name}:iam::{account}:root",
        "region": region,
    }


def _default_tags(args: dict[str, Any], where: Where) -> dict[str, Any]:
    return {"tags": dict(where.default_tags), "id": "default-tags"}


def _session_context(args: dict[str, Any], where: Where) -> dict[str, Any]:
    arn = args.get("arn", "")
    return {"arn": arn, "issuerArn": arn, "issuerId": "AROAOFFLINEPREVIEW", "issuerName": "offline-preview"}


def _ami(args: dict[str, Any], where: Where) -> dict[str, Any]:
    image = "ami-" + _digest(repr(sorted(args.items())))[:17]
    arn = f"arn:{where.partition.name}:ec2:{where.region}::image/{image}"
    return {**args, "id": image, "imageId": image, "arn": arn, "architecture": "x86_64"}


Handler = Callable[[dict[str, Any], Where], dict[str, Any]]

HANDLERS: dict[str, Handler] = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:index/getPartition:getPartition": _partition,
    "aws:index/getDefaultTags:getDefaultTags": _default_tags,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
    "aws:iam/getSessionContext:getSessionContext": _session_context,
    "aws:elb/getServiceAccount:getServiceAccount": _elb_service_account,
    "aws:ec2/getAmi:getAmi": _ami,
}


def answer(token: str, args: dict[str, Any], where: Where) -> dict[str, Any]:
    handler = HANDLERS.get(token)
    if handler is not None:
        return handler(args, where)
    function = token.rsplit(":", 1)[-1]
    return {**args, "id": f"{function}-{_digest(token + repr(sorted(args.items())))[:7]}"}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
