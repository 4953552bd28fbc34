"""The platform's text embeddings: a SageMaker Text Embeddings Inference endpoint, or Amazon Bedrock.

`embeddings.provider: sagemaker` (default) serves the sentence-transformers archive at
`s3://<artifacts>/<embeddings.modelDataKey>` on the SageMaker SDK's `huggingface-tei-cpu` image. With
`embeddings.hosting: serverless` (dev, staging) the endpoint is a Serverless Inference variant billed per
GB-second of its memory; SageMaker does not allow VPC configuration, network isolation or a volume key on
serverless variants (there is no ML storage volume), so none is set. With `hosting: instances` (prod) the
model runs network-isolated in the private subnets, its volume encrypted with the ML key, and Application
Auto Scaling holds invocations per instance at the configured target.

`embeddings.provider: bedrock` creates nothing: the functions call `amazon.titan-embed-text-v2:0` through
Bedrock's InvokeModel.

Either way the component gives its callers exactly one IAM statement (`invoke_statement`: InvokeEndpoint on
this endpoint, or InvokeModel on that foundation model) and the environment the functions read
(`function_environment`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.autoscaling import TargetTracking, target_tracking
from components.config import EmbeddingsConfig
from components.iam import (
    Statement,
    create_network_interfaces_statement,
    ecr_pull_statements,
    policy_json,
    regional_arn,
    service_trust_policy,
    statement,
)
from components.sagemaker_pipeline import ecr_repository_arn, tei_image

VARIANT = "AllTraffic"
MODEL_DIR = "/opt/ml/model"


@dataclass
class EmbeddingsArgs:
    prefix: str
    region: str
    account_id: pulumi.Input[str]
    artifacts_bucket_name: pulumi.Input[str]
    artifacts_bucket_arn: pulumi.Input[str]
    data_key_arn: pulumi.Input[str]
    """The artifacts bucket's default encryption key (the model archive is read with it)."""
    ml_key_arn: pulumi.Input[str]
    subnet_ids: Sequence[pulumi.Input[str]]
    security_group_id: pulumi.Input[str]
    embeddings: EmbeddingsConfig


def bedrock_model_arn(region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


class Embeddings(pulumi.ComponentResource):
    def __init__(self, name: str, args: EmbeddingsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:embeddings:Embeddings", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)
        settings = args.embeddings
        self.provider = settings.provider
        self.endpoint: aws.sagemaker.Endpoint | None = None
        if settings.provider == "bedrock":
            self.invoke_statement = statement(
                "InvokeEmbeddingsModel",
                ["bedrock:InvokeModel"],
                [bedrock_model_arn(args.region, settings.bedrock_model_id)],
            )
            target: dict[str, pulumi.Input[str]] = {"BEDROCK_MODEL_ID": settings.bedrock_model_id}
        else:
            self.image = tei_image(args.region, settings.tei_version)
            self.endpoint = self._endpoint()
            self.invoke_statement = statement(
                "InvokeEmbeddingsEndpoint", ["sagemaker:InvokeEndpoint"], [self.endpoint.arn]
            )
            target = {"EMBEDDINGS_ENDPOINT": self.endpoint.name}
        self.function_environment: dict[str, pulumi.Input[str]] = {
            "EMBEDDINGS_PROVIDER": settings.provider,
            "EMBEDDINGS_DIMENSION": str(settings.dimension),
            "EMBEDDINGS_BATCH_SIZE": str(settings.batch_size),
            "EMBEDDINGS_MAX_RETRIES": str(settings.max_retries),
            **target,
        }
        self.endpoint_name: pulumi.Output[str] | None = self.endpoint.name if self.endpoint else None
        self.register_outputs({"provider": settings.provider, "endpoint_name": self.endpoint_name or ""})

    # --- SageMaker -----------------------------------------------------------------------------------------

    def _instances(self) -> bool:
        return self._args.embeddings.hosting == "instances"

    def _statements(self) -> list[Statement]:
        a = self._args
        result = [
            statement(
                "ReadEmbeddingsModel",
                ["s3:GetObject"],
                [pulumi.Output.concat(a.artifacts_bucket_arn, "/", a.embeddings.model_data_key)],
            ),
            statement("DecryptModelArchive", ["kms:Decrypt"], [a.data_key_arn]),
            *ecr_pull_statements("PullTeiImage", [ecr_repository_arn(self.image)]),
            statement(
                "WriteSageMakerLogs",
                [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:DescribeLogStreams",
                    "logs:PutLogEvents",
                ],
                [regional_arn("logs", a.region, a.account_id, "log-group:/aws/sagemaker/Endpoints/*")],
            ),
            statement(
                "PutMetricDataHasNoResourceLevelPermissions",
                ["cloudwatch:PutMetricData"],
                ["*"],
                conditions={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}},
            ),
        ]
        if self._instances():
            result += [
                statement("UseMlKeyForVolumes", ["kms:Decrypt", "kms:GenerateDataKey"], [a.ml_key_arn]),
                statement(
                    "GrantMlKeyToSageMakerVolumes",
                    ["kms:CreateGrant"],
                    [a.ml_key_arn],
                    conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
                ),
                statement(
                    "Ec2DescribeHasNoResourceLevelPermissions",
                    [
                        "ec2:DescribeDhcpOptions",
                        "ec2:DescribeNetworkInterfaces",
                        "ec2:DescribeSecurityGroups",
                        "ec2:DescribeSubnets",
                        "ec2:DescribeVpcs",
                    ],
                    ["*"],
                ),
                create_network_interfaces_statement(
                    a.region, a.account_id, a.subnet_ids, a.security_group_id
                ),
                statement(
                    "ManageNetworkInterfaces",
                    [
                        "ec2:CreateNetworkInterfacePermission",
                        "ec2:DeleteNetworkInterface",
                        "ec2:DeleteNetworkInterfacePermission",
                    ],
                    [regional_arn("ec2", a.region, a.account_id, "network-interface/*")],
                ),
            ]
        return result

    def _endpoint(self) -> aws.sagemaker.Endpoint:
        a, settings = self._args, self._args.embeddings
        role = aws.iam.Role(
            f"{self._name}-role",
            assume_role_policy=service_trust_policy("sagemaker.amazonaws.com", a.account_id),
            description="SageMaker execution role of the embeddings endpoint",
            opts=self._child,
        )
        role_policy = aws.iam.RolePolicy(
            f"{self._name}-role-policy",
            role=role.id,
            policy=policy_json(self._statements()),
            opts=self._child,
        )
        isolated = self._instances()
        model = aws.sagemaker.Model(
            f"{self._name}-model",
            execution_role_arn=role.arn,
            enable_network_isolation=isolated,
            primary_container=aws.sagemaker.ModelPrimaryContainerArgs(
                image=self.image,
                model_data_url=pulumi.Output.concat(
                    "s3://", a.artifacts_bucket_name, "/", settings.model_data_key
                ),
                environment={"HF_MODEL_ID": MODEL_DIR},
            ),
            vpc_config=(
                aws.sagemaker.ModelVpcConfigArgs(
                    subnets=list(a.subnet_ids), security_group_ids=[a.security_group_id]
                )
                if isolated
                else None
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role_policy]),
        )
        config = aws.sagemaker.EndpointConfiguration(
            f"{self._name}-endpoint-config",
            kms_key_arn=a.ml_key_arn if isolated else None,
            production_variants=[self._variant(model)],
            opts=self._child,
        )
        endpoint = aws.sagemaker.Endpoint(
            f"{self._name}-endpoint",
            name=f"{a.prefix}-embeddings",
            endpoint_config_name=config.name,
            opts=self._child,
        )
        if isolated:
            self._autoscaling(endpoint)
        return endpoint

    def _variant(
        self, model: aws.sagemaker.Model
    ) -> aws.sagemaker.EndpointConfigurationProductionVariantArgs:
        settings = self._args.embeddings
        if self._instances():
            return aws.sagemaker.EndpointConfigurationProductionVariantArgs(
                variant_name=VARIANT,
                model_name=model.name,
                instance_type=settings.instances.instance_type,
                initial_instance_count=settings.instances.initial_instance_count,
            )
        return aws.sagemaker.EndpointConfigurationProductionVariantArgs(
            variant_name=VARIANT,
            model_name=model.name,
            serverless_config=aws.sagemaker.EndpointConfigurationProductionVariantServerlessConfigArgs(
                memory_size_in_mb=settings.serverless.memory_mb,
                max_concurrency=settings.serverless.max_concurrency,
            ),
        )

    def _autoscaling(self, endpoint: aws.sagemaker.Endpoint) -> None:
        instances = self._args.embeddings.instances
        target_tracking(
            f"{self._name}-endpoint-scaling-target",
            f"{self._name}-endpoint-scaling-policy",
            TargetTracking(
                namespace="sagemaker",
                resource_id=pulumi.Output.concat("endpoint/", endpoint.name, "/variant/", VARIANT),
                dimension="sagemaker:variant:DesiredInstanceCount",
                min_capacity=instances.min_capacity,
                max_capacity=instances.max_capacity,
                metric="SageMakerVariantInvocationsPerInstance",
                target_value=instances.target_invocations_per_instance,
                scale_in_cooldown_seconds=instances.scale_in_cooldown_seconds,
                scale_out_cooldown_seconds=instances.scale_out_cooldown_seconds,
            ),
            self._child,
        )
