"""A tiny pack for the driver's gRPC tests: each policy makes one protocol behaviour observable.

Rules report what they received (as JSON messages) so the tests can assert what crossed the wire.
"""

import json

import pulumi
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

BUCKET = "aws:s3/bucket:Bucket"
PROBE = "test:index:Probe"
CRASH = "test:index:Crash"


def bucket_tags(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Required tags come from config; the provider's defaultTags count."""
    if args.resource_type != BUCKET:
        return
    tags = dict(args.props.get("tags") or {})
    if args.provider is not None:
        tags.update((args.provider.props.get("defaultTags") or {}).get("tags") or {})
    missing = sorted(set(args.get_config()["requiredTags"]) - set(tags))
    if missing:
        report(f"missing tags {missing}", None)


def stack_context(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """What ConfigureStack and the process environment told the pack."""
    if args.resource_type != PROBE:
        return
    seen = {
        "stack": pulumi.get_stack(),
        "project": pulumi.get_project(),
        "organization": pulumi.get_organization(),
        "dryRun": pulumi.runtime.is_dry_run(),
        "region": pulumi.Config("aws").get("region"),
        "settings": pulumi.Config("tiny").get_object("settings"),
        "stackTags": dict(args.stack_tags),
        "parent": args.opts.parent,
        "provider": args.provider.urn if args.provider else None,
    }
    report(json.dumps(seen, sort_keys=True), None)


def reads_unknown(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == PROBE and args.props.get("pending") == "":
        report("pending is empty", None)


def secret_seen(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == PROBE and "password" in args.props:
        value = args.props["password"]
        report(f"password is {value!r} ({type(value).__name__})", None)


def waived(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == PROBE:
        args.not_applicable("waived until 2099-01-01: test waiver")


def crash(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == CRASH:
        raise RuntimeError("boom")


def stack_inventory(args: StackValidationArgs, report: ReportViolation) -> None:
    """One finding per resource describing what AnalyzeStack delivered."""
    for r in args.resources:
        seen = {
            "type": r.resource_type,
            "name": r.name,
            "parent": r.parent.urn if r.parent else None,
            "dependencies": sorted(d.urn for d in r.dependencies),
            "propertyDependencies": {k: sorted(d.urn for d in v) for k, v in r.property_dependencies.items()},
            "provider": r.provider.name if r.provider else None,
            "arn": r.props.get("arn"),
        }
        report(json.dumps(seen, sort_keys=True), r.urn)


PolicyPack(
    name="tiny-test-pack",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        ResourceValidationPolicy(
            name="tp-bucket-tags",
            description="Buckets carry the required tags.",
            validate=bucket_tags,
            enforcement_level=EnforcementLevel.MANDATORY,
            severity=Severity.HIGH,
            config_schema=PolicyConfigSchema(
                properties={
                    "requiredTags": {"type": "array", "items": {"type": "string"}, "default": ["owner"]}
                }
            ),
            remediation_steps="Add the missing tags to the bucket or to the provider's defaultTags.",
            url="https://example.com/policies/tp-bucket-tags",
            tags=["tagging"],
        ),
        ResourceValidationPolicy(
            name="tp-stack-context",
            description="Reports the stack context the pack received.",
            validate=stack_context,
            severity=Severity.LOW,
        ),
        ResourceValidationPolicy(
            name="tp-reads-unknown",
            description="Reads a property that may be unknown during preview.",
            validate=reads_unknown,
            severity=Severity.MEDIUM,
        ),
        ResourceValidationPolicy(
            name="tp-secret-seen", description="Reports the secret value a rule sees.", validate=secret_seen
        ),
        ResourceValidationPolicy(
            name="tp-waived", description="Never applies to probes.", validate=waived, severity=Severity.LOW
        ),
        ResourceValidationPolicy(
            name="tp-crash", description="Fails on crash resources.", validate=crash, severity=Severity.LOW
        ),
        StackValidationPolicy(
            name="tp-stack-inventory",
            description="Reports every resource AnalyzeStack delivered.",
            validate=stack_inventory,
            severity=Severity.CRITICAL,
        ),
    ],
)
