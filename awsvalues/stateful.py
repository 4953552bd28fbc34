"""Which resource types hold data that a replace, a rename or `pulumi destroy` must not delete.

One list for the program (which gives these types Pulumi's `protect` option when the stack's `protect`
setting is on) and for the policy pack (whose `aws-stateful-resources-protected` rule fails them without it).
A new kind of data store (a vector index, a file system) joins by adding its type token here.
"""

from __future__ import annotations

STATEFUL_TYPES: frozenset[str] = frozenset(
    {
        "aws:dynamodb/table:Table",
        "aws:kms/key:Key",
        "aws:kms/replicaKey:ReplicaKey",
        "aws:rds/cluster:Cluster",
        "aws:rds/instance:Instance",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws:s3/vectorsIndex:VectorsIndex",
        "aws:s3/vectorsVectorBucket:VectorsVectorBucket",
    }
)
"""Databases, tables, buckets, vector stores and the KMS keys that decrypt their data."""

RETAINED_TYPES: frozenset[str] = frozenset({"aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"})
"""Also `retain_on_delete`: a key removed from the program stays in AWS (scheduling a key's deletion makes
every object it encrypted unreadable)."""


def is_stateful(type_: str) -> bool:
    return type_ in STATEFUL_TYPES
