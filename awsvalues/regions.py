"""Static facts about AWS regions: partition, AZs, zone ids, ELB accounts (for the mocks' invoke answers and
the stack config's azCount bound)."""

from __future__ import annotations

from dataclasses import dataclass

_AZ_COUNT = {
    "us-east-1": 6,
    "us-west-2": 4,
    "us-east-2": 3,
    "us-west-1": 2,
    "ap-northeast-2": 4,
    "ca-central-1": 3,
}
"""Availability zones per region where it is not three (the usual number)."""

_AZ_LETTERS = {"ap-northeast-1": "acd", "us-west-1": "ac"}
"""Regions whose zone letters skip some (retired zones are never handed to new accounts)."""

_DIRECTIONS = {
    "east": "e",
    "west": "w",
    "north": "n",
    "south": "s",
    "central": "c",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
}

_ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-central-1": "054676820928",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
}
"""The Elastic Load Balancing account per region, for access-log bucket policies (`get_service_account`)."""

_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "Europe (Ireland)",
    "eu-central-1": "Europe (Frankfurt)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
}


@dataclass(frozen=True)
class Partition:
    name: str
    dns_suffix: str
    reverse_dns_prefix: str


def partition_of(region: str) -> Partition:
    if region.startswith("cn-"):
        return Partition("aws-cn", "amazonaws.com.cn", "cn.com.amazonaws")
    if region.startswith("us-gov-"):
        return Partition("aws-us-gov", "amazonaws.com", "com.amazonaws")
    return Partition("aws", "amazonaws.com", "com.amazonaws")


def availability_zones(region: str) -> list[str]:
    letters = _AZ_LETTERS.get(region) or "abcdef"[: _AZ_COUNT.get(region, 3)]
    return [region + letter for letter in letters]


def zone_id_prefix(region: str) -> str:
    """`use1` for us-east-1, `apse2` for ap-southeast-2: the prefix of the region's AZ ids."""
    parts = region.split("-")
    if len(parts) < 3:
        return region.replace("-", "")
    geo = parts[0] if len(parts) == 3 else parts[0] + parts[1][0]  # us-gov-west-1 -> usgw1
    return f"{geo}{_DIRECTIONS.get(parts[-2], parts[-2][:1])}{parts[-1]}"


def zone_ids(region: str) -> list[str]:
    prefix = zone_id_prefix(region)
    return [f"{prefix}-az{i + 1}" for i in range(len(availability_zones(region)))]


def elb_account(region: str) -> str:
    return _ELB_ACCOUNTS.get(region, "127311923021")


def region_name(region: str) -> str:
    return _NAMES.get(region, region)
