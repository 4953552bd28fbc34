"""The cross-resource view of S3 buckets: in pulumi-aws v7 a bucket's encryption, public access block,
versioning and policy are separate resources that point at the bucket. Built once per stack policy (O(n)).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from policies.rules import tokens
from policies.rules.props import Malformed, Skip, Unknown, View, dig
from policies.rules.stack_index import Stack

SETTING_TYPES: dict[str, tuple[str, ...]] = {
    "encryption": tokens.S3_SSE,
    "public-access-block": tokens.S3_PUBLIC_ACCESS_BLOCK,
    "versioning": tokens.S3_VERSIONING,
    "policy": tokens.S3_BUCKET_POLICY,
}


@dataclass
class S3Index:
    stack: Stack
    settings: dict[str, dict[str, list[View]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    unresolved: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    log_buckets: set[str] = field(default_factory=set)

    def attached(self, kind: str, bucket: View) -> list[View]:
        """The `kind` resources targeting `bucket`; Skip when one of that kind targets a bucket unknown
        yet."""
        found = self.settings[kind].get(bucket.urn, [])
        if not found and self.unresolved[kind]:
            names = ", ".join(sorted(self.unresolved[kind]))
            raise Skip(
                f"could not evaluate: the bucket of {kind} resource(s) {names} is unknown during preview"
            )
        return found


def _index_settings(index: S3Index, kind: str, types: Collection[str]) -> None:
    for setting in index.stack.of_types(types):
        refs = index.stack.resolve(setting, "bucket", setting.props.get("bucket"), tokens.S3_BUCKETS)
        for bucket in refs.targets:
            index.settings[kind][bucket.urn].append(setting)
        if refs.unknown:
            index.unresolved[kind].append(setting.name)


def _index_log_buckets(index: S3Index) -> None:
    """Buckets receiving load balancer access logs (ELB can only write to SSE-S3 buckets)."""
    for balancer in index.stack.of_types(tokens.LOAD_BALANCERS + tokens.CLASSIC_ELB):
        try:
            value = dig(balancer.props, "accessLogs", "bucket", allow_unknown=True)
        except (Unknown, Malformed):
            continue
        refs = index.stack.resolve(balancer, "accessLogs", value, tokens.S3_BUCKETS)
        index.log_buckets.update(bucket.urn for bucket in refs.targets)


def build(stack: Stack) -> S3Index:
    index = S3Index(stack)
    for kind, types in SETTING_TYPES.items():
        _index_settings(index, kind, types)
    _index_log_buckets(index)
    return index
