"""The data-ai-platform policy pack (pulumi-policy, Python).

`policies/__main__.py` only assembles the `PolicyPack`; rules live in `policies.rules`, their metadata
registry in `policies.registry`, the per-stack pack config files in `policies/config/<stack>.json`.
"""
