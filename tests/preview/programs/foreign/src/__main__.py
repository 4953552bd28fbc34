"""A static website bucket with logging, a CloudFront-free setup and an alarm topic (third-party style)."""

import json

import pulumi
from pulumi_aws import cloudwatch, get_region, iam, s3, sns

config = pulumi.Config()
site_name = config.require("siteName")
index_document = config.get("indexDocument") or "index.html"
token = config.require_secret("apiToken")


def tag_everything(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    if args.type_.startswith("aws:s3/bucket:"):
        tags = dict(args.props.get("tags") or {})  # type: ignore[arg-type]
        tags["site"] = site_name
        return pulumi.ResourceTransformationResult({**args.props, "tags": tags}, args.opts)
    return None


pulumi.runtime.register_stack_transformation(tag_everything)

region = get_region()
network = pulumi.StackReference("acme/network/prod")
logs = s3.Bucket("logs", force_destroy=True)
site = s3.Bucket("site", bucket=f"{site_name}-site-{region.region}")
s3.BucketWebsiteConfiguration("site-website", bucket=site.id, index_document={"suffix": index_document})
s3.BucketLogging("site-logging", bucket=site.id, target_bucket=logs.id, target_prefix="site/")

read_policy = pulumi.Output.all(site.arn).apply(
    lambda args: json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{args[0]}/*"}
            ],
        }
    )
)
s3.BucketPolicy(
    "site-policy", bucket=site.id, policy=read_policy, opts=pulumi.ResourceOptions(depends_on=[logs])
)

alerts = sns.Topic("alerts", display_name=pulumi.Output.concat("Alerts for ", site_name))
publisher = iam.Role(
    "publisher",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
cloudwatch.MetricAlarm(
    "errors",
    comparison_operator="GreaterThanThreshold",
    evaluation_periods=1,
    metric_name="5xxErrorRate",
    namespace="AWS/S3",
    period=300,
    statistic="Average",
    threshold=1,
    alarm_actions=[alerts.arn],
)
parameter_value = token.apply(lambda t: f"token:{t}")

pulumi.export(
    "website_endpoint",
    pulumi.Output.concat("http://", site.bucket, ".s3-website-", region.region, ".amazonaws.com"),
)
pulumi.export("topic", alerts.arn)
pulumi.export("vpc", network.get_output("vpcId"))
pulumi.export("token_ref", parameter_value)
