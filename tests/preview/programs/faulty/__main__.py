"""Fails in the way the stack's `mode` config asks."""

import sys
import time

import pulumi
import pulumi_aws as aws

mode = pulumi.Config().require("mode")
bucket = aws.s3.Bucket("data")

if mode == "raise":
    raise ValueError("bucket names must be lowercase")
if mode == "runerror":
    raise pulumi.RunError("the stack needs an `owner` tag; set faulty:owner")
if mode == "missing":
    import pulumi_missing_provider  # noqa: F401
if mode == "sleep":
    time.sleep(60)
if mode == "apply":

    def fail(name: str) -> str:
        raise KeyError(f"no quota for {name}")

    pulumi.export("quota", bucket.bucket.apply(fail))
if mode == "logerror":
    pulumi.log.error("retention below the legal minimum")
if mode == "exit":
    print("giving up")
    sys.exit(3)
if mode == "duplicate":
    aws.s3.Bucket("data", force_destroy=True)
if mode == "helper":
    from naming import bucket_name

    aws.s3.Bucket("named", bucket=bucket_name("Data Lake"))
if mode == "model":
    pulumi.runtime.invoke("acme:index/getWidget:getWidget", {"size": 3})
