"""Only on `pulumi up` seed the bucket; applies on unknown values never run in a preview."""

import pulumi
import pulumi_aws as aws

bucket = aws.s3.Bucket("data")
if not pulumi.runtime.is_dry_run():
    aws.s3.BucketObjectv2("seed", bucket=bucket.id, key="seed.csv", content="a,b\n")


def must_not_run(domain: str) -> str:
    raise RuntimeError(f"the website domain {domain} is only known after deployment")


pulumi.export("preview", pulumi.runtime.is_dry_run())
pulumi.export("website", bucket.website_domain.apply(must_not_run))
pulumi.export("arn", bucket.arn)
