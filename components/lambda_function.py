"""One Python Lambda function built the way the platform requires every function to be.

Code comes from `functions/<code_dir>/handler.py` in this repository, packaged as an archive asset with the
package's other modules and those of any shared `packages` (under `functions/<package>/`, so the handler's
`from functions.<package> import ...` works in Lambda as in the tests). Every
function runs Python 3.12 on arm64 in the private subnets, traces with X-Ray (Active), encrypts its
environment with the data key, logs JSON to its own KMS-encrypted log group with the stack's retention, has
reserved concurrency and an execution role with exactly its own statements plus what running it needs: writing
its log group, its VPC network interfaces, tracing (no resource-level permissions) and decrypting its
environment.

The resources are children of the calling component (`opts.parent`), named `<name>-<role>`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pulumi
import pulumi_aws as aws

from components.iam import (
    Statement,
    create_network_interfaces_statement,
    policy_json,
    regional_arn,
    service_trust_policy,
    statement,
)

FUNCTIONS_DIR = Path(__file__).resolve().parent.parent / "functions"
RUNTIME = "python3.12"
ARCHITECTURE = "arm64"


@dataclass
class PythonFunctionArgs:
    function_name: str
    code_dir: str
    """Directory under `functions/` holding `handler.py` (entry point `handler.handler`)."""
    description: str
    region: str
    account_id: pulumi.Input[str]
    memory_mb: int
    timeout_seconds: int
    reserved_concurrency: int
    data_key_arn: pulumi.Input[str]
    logs_key_arn: pulumi.Input[str]
    log_retention_days: int
    subnet_ids: Sequence[pulumi.Input[str]]
    security_group_id: pulumi.Input[str]
    statements: Sequence[Statement] = ()
    """The function's own permissions."""
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    dead_letter_queue_arn: pulumi.Input[str] | None = None
    packages: Sequence[str] = ()
    """Shared packages under `functions/` the handler imports (e.g. "rag")."""


@dataclass
class PythonFunction:
    function: aws.lambda_.Function
    role: aws.iam.Role
    log_group: aws.cloudwatch.LogGroup


def code_archive(code_dir: str, packages: Sequence[str] = ()) -> pulumi.AssetArchive:
    """The deployment package: `handler.py` at the root, plus the `.py` modules of the function's own package
    and of `packages` under `functions/` (boto3 comes with the runtime); only source files, so caches never
    leak in."""
    handler = FUNCTIONS_DIR / code_dir / "handler.py"
    if not handler.is_file():
        raise FileNotFoundError(f"Lambda code {handler} is missing")
    assets: dict[str, pulumi.Asset | pulumi.Archive] = {"handler.py": pulumi.FileAsset(str(handler))}
    modules = [
        m
        for m in sorted((FUNCTIONS_DIR / code_dir).glob("*.py"))
        if m.name not in ("handler.py", "__init__.py")
    ]
    if modules or packages:
        for package in (code_dir, *packages):
            for module in sorted((FUNCTIONS_DIR / package).glob("*.py")):
                assets[f"functions/{package}/{module.name}"] = pulumi.FileAsset(str(module))
        assets["functions/__init__.py"] = pulumi.FileAsset(str(FUNCTIONS_DIR / "__init__.py"))
    return pulumi.AssetArchive(assets)


def runtime_statements(args: PythonFunctionArgs, log_group_arn: pulumi.Input[str]) -> list[Statement]:
    """What every function needs to run: its logs, VPC network interfaces, tracing and environment key."""
    interfaces = regional_arn("ec2", args.region, args.account_id, "network-interface/*")
    result = [
        statement(
            "WriteOwnLogGroup",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [pulumi.Output.concat(log_group_arn, ":*")],
        ),
        create_network_interfaces_statement(
            args.region, args.account_id, args.subnet_ids, args.security_group_id
        ),
        statement(
            "ManageNetworkInterfaces",
            ["ec2:AssignPrivateIpAddresses", "ec2:DeleteNetworkInterface", "ec2:UnassignPrivateIpAddresses"],
            [interfaces],
        ),
        statement(
            "Ec2DescribeHasNoResourceLevelPermissions",
            ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
            ["*"],
        ),
        statement(
            "XRayHasNoResourceLevelPermissions", ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], ["*"]
        ),
        statement("DecryptEnvironment", ["kms:Decrypt"], [args.data_key_arn]),
    ]
    if args.dead_letter_queue_arn is not None:
        result.append(statement("SendToDeadLetterQueue", ["sqs:SendMessage"], [args.dead_letter_queue_arn]))
    return result


def python_function(name: str, args: PythonFunctionArgs, opts: pulumi.ResourceOptions) -> PythonFunction:
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-logs",
        name=f"/aws/lambda/{args.function_name}",
        retention_in_days=args.log_retention_days,
        kms_key_id=args.logs_key_arn,
        opts=opts,
    )
    role = aws.iam.Role(
        f"{name}-role",
        assume_role_policy=service_trust_policy("lambda.amazonaws.com", args.account_id),
        description=f"Execution role of the {args.function_name} function",
        opts=opts,
    )
    policy = aws.iam.RolePolicy(
        f"{name}-policy",
        role=role.id,
        policy=policy_json([*args.statements, *runtime_statements(args, log_group.arn)]),
        opts=opts,
    )
    function = aws.lambda_.Function(
        f"{name}-function",
        name=args.function_name,
        description=args.description,
        runtime=RUNTIME,
        architectures=[ARCHITECTURE],
        handler="handler.handler",
        code=code_archive(args.code_dir, args.packages),
        role=role.arn,
        memory_size=args.memory_mb,
        timeout=args.timeout_seconds,
        reserved_concurrent_executions=args.reserved_concurrency,
        tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
        kms_key_arn=args.data_key_arn,
        environment=aws.lambda_.FunctionEnvironmentArgs(variables=dict(args.environment)),
        vpc_config=aws.lambda_.FunctionVpcConfigArgs(
            subnet_ids=list(args.subnet_ids), security_group_ids=[args.security_group_id]
        ),
        dead_letter_config=(
            aws.lambda_.FunctionDeadLetterConfigArgs(target_arn=args.dead_letter_queue_arn)
            if args.dead_letter_queue_arn is not None
            else None
        ),
        logging_config=aws.lambda_.FunctionLoggingConfigArgs(
            log_format="JSON", log_group=log_group.name, application_log_level="INFO", system_log_level="WARN"
        ),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[policy])),
    )
    return PythonFunction(function=function, role=role, log_group=log_group)
