"""Prints a greeting to stdout before serving, which the engine reads as a malformed port."""

from pulumi_policy import PolicyPack, ResourceValidationPolicy

print("hello from the pack")

PolicyPack(
    name="chatty",
    policies=[
        ResourceValidationPolicy(name="noop", description="Does nothing.", validate=lambda args, report: None)
    ],
)
