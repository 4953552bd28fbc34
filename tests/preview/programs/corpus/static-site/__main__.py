"""Static website: private S3 origin, CloudFront with an ACM certificate from us-east-1, Route 53 alias."""

import json

import pulumi
import pulumi_aws as aws

us_east_1 = aws.Provider("us-east-1", region="us-east-1")
zone = aws.route53.get_zone(name="example.net")
certificate = aws.acm.Certificate(
    "site-cert",
    domain_name="docs.example.net",
    validation_method="DNS",
    opts=pulumi.ResourceOptions(provider=us_east_1),
)
origin = aws.s3.Bucket("origin")
aws.s3.BucketPublicAccessBlock(
    "origin-pab",
    bucket=origin.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
oac = aws.cloudfront.OriginAccessControl(
    "oac", origin_access_control_origin_type="s3", signing_behavior="always", signing_protocol="sigv4"
)
cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    aliases=["docs.example.net"],
    default_root_object="index.html",
    origins=[
        {
            "domain_name": origin.bucket_regional_domain_name,
            "origin_id": "s3",
            "origin_access_control_id": oac.id,
        }
    ],
    default_cache_behavior={
        "target_origin_id": "s3",
        "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": ["GET", "HEAD"],
        "cached_methods": ["GET", "HEAD"],
        "forwarded_values": {"query_string": False, "cookies": {"forward": "none"}},
    },
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"acm_certificate_arn": certificate.arn, "ssl_support_method": "sni-only"},
)
aws.s3.BucketPolicy(
    "origin-policy",
    bucket=origin.id,
    policy=pulumi.Output.all(origin.arn, cdn.arn).apply(
        lambda a: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudfront.amazonaws.com"},
                        "Action": "s3:GetObject",
                        "Resource": f"{a[0]}/*",
                        "Condition": {"StringEquals": {"AWS:SourceArn": a[1]}},
                    }
                ],
            }
        )
    ),
)
aws.route53.Record(
    "alias",
    zone_id=zone.zone_id,
    name="docs.example.net",
    type="A",
    aliases=[{"name": cdn.domain_name, "zone_id": cdn.hosted_zone_id, "evaluate_target_health": False}],
)
pulumi.export("cdn_domain", cdn.domain_name)
