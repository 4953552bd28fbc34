"""Transforms as the engine runs them: every registration sees them, and so does the inventory."""

import pulumi
import pulumi_aws as aws


def tag_everything(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    if args.type_.startswith("aws:"):
        props = dict(args.props)
        props["tags"] = {**(props.get("tags") or {}), "cost-center": "ml-42"}
        return pulumi.ResourceTransformResult(props, args.opts)
    return None


def encrypt_queues(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    if args.type_ == "aws:sqs/queue:Queue":
        return pulumi.ResourceTransformResult({**args.props, "sqsManagedSseEnabled": True}, args.opts)
    return None


def ubuntu_only(args: pulumi.InvokeTransformArgs) -> pulumi.InvokeTransformResult | None:
    if args.token == "aws:ec2/getAmi:getAmi":
        return pulumi.InvokeTransformResult({**args.args, "owners": ["099720109477"]}, args.opts)
    return None


def legacy_retention(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    if args.type_ == "aws:cloudwatch/logGroup:LogGroup":
        args.props["retention_in_days"] = 90
        return pulumi.ResourceTransformationResult(args.props, args.opts)
    return None


pulumi.runtime.register_resource_transform(tag_everything)
pulumi.runtime.register_invoke_transform(ubuntu_only)
pulumi.runtime.register_stack_transformation(legacy_retention)

jobs = aws.sqs.Queue("jobs", opts=pulumi.ResourceOptions(transforms=[encrypt_queues]))
logs = aws.cloudwatch.LogGroup("logs", retention_in_days=7)
ami = aws.ec2.get_ami(most_recent=True, owners=["amazon"])
pulumi.export("ami_owner", ami.owner_id)
pulumi.export("owners", ami.owners)
