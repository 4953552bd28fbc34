"""SageMaker: execution role, the SDK-generated training pipeline, model registry and the real-time endpoint.

The endpoint serves `s3://<artifacts>/<ml.modelDataKey>` (a scikit-learn `model.tar.gz` with
`code/<inferenceEntryPoint>`) from a network-isolated container in the private subnets, with its volume and
its data capture encrypted with the ML key, and scales on invocations per instance between the configured
bounds. Upload the model archive before the first `pulumi up`: SageMaker reads it when the endpoint is
created.

One execution role serves training jobs (from the SageMaker pipeline and from the Step Functions pipeline),
the pipeline itself and the endpoint. Its statements are scoped to the artifacts-bucket prefixes, keys, log
groups, image repository and subnets they need; the few actions without resource-level permissions say so in
their Sid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.autoscaling import TargetTracking, target_tracking
from components.config import MlConfig
from components.iam import (
    Statement,
    create_network_interfaces_statement,
    ecr_pull_statements,
    policy_json,
    regional_arn,
    service_trust_policy,
    statement,
)
from components.sagemaker_pipeline import TrainingSpec, ecr_repository_arn, pipeline_definition, sklearn_image

VARIANT = "AllTraffic"
READ_PREFIXES = ("code/", "training/", "models/", "checkpoints/")
WRITE_PREFIXES = ("models/", "checkpoints/", "data-capture/")
DATA_CAPTURE_PREFIX = "data-capture/"


@dataclass
class MlArgs:
    prefix: str
    """Physical names start with it (project and stack: unique per account and region)."""
    region: str
    account_id: pulumi.Input[str]
    artifacts_bucket_name: pulumi.Input[str]
    artifacts_bucket_arn: pulumi.Input[str]
    ml_key_arn: pulumi.Input[str]
    data_key_arn: pulumi.Input[str]
    """The artifacts bucket's default encryption key."""
    subnet_ids: Sequence[pulumi.Input[str]]
    security_group_id: pulumi.Input[str]
    ml: MlConfig


class MachineLearning(pulumi.ComponentResource):
    def __init__(self, name: str, args: MlArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:ml:MachineLearning", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)
        training = args.ml.training
        self.training_image = sklearn_image(args.region, args.ml.sklearn_version, training.instance_type)
        self.inference_image = sklearn_image(
            args.region, args.ml.sklearn_version, args.ml.endpoint.instance_type, scope="inference"
        )
        self.training_job_prefix = f"{args.prefix}-train"
        self.role = aws.iam.Role(
            f"{name}-execution-role",
            assume_role_policy=service_trust_policy("sagemaker.amazonaws.com", args.account_id),
            description="SageMaker training jobs, pipeline and endpoint of the platform",
            opts=self._child,
        )
        self.execution_role_arn: pulumi.Output[str] = self.role.arn
        role_policy = aws.iam.RolePolicy(
            f"{name}-execution-policy",
            role=self.role.id,
            policy=policy_json(self._statements()),
            opts=self._child,
        )
        after_policy = pulumi.ResourceOptions(parent=self, depends_on=[role_policy])
        self.pipeline = self._pipeline(after_policy)
        self.model_package_group = aws.sagemaker.ModelPackageGroup(
            f"{name}-model-registry",
            model_package_group_name=f"{args.prefix}-models",
            model_package_group_description="Models that passed the pipeline's evaluation, pending approval",
            opts=self._child,
        )
        self.endpoint = self._endpoint(after_policy)
        self._autoscaling()
        self.pipeline_name: pulumi.Output[str] = self.pipeline.pipeline_name
        self.model_package_group_name: pulumi.Output[str] = self.model_package_group.model_package_group_name
        self.model_package_group_arn: pulumi.Output[str] = self.model_package_group.arn
        self.endpoint_name: pulumi.Output[str] = self.endpoint.name
        self.endpoint_arn: pulumi.Output[str] = self.endpoint.arn
        self.register_outputs(
            {
                "execution_role_arn": self.execution_role_arn,
                "pipeline_name": self.pipeline_name,
                "model_package_group_name": self.model_package_group_name,
                "endpoint_name": self.endpoint_name,
                "training_image": self.training_image,
                "inference_image": self.inference_image,
            }
        )

    # --- the execution role ------------------------------------------------------------------------------

    def _statements(self) -> list[Statement]:
        a = self._args
        bucket = a.artifacts_bucket_arn
        network_interfaces = regional_arn("ec2", a.region, a.account_id, "network-interface/*")
        training_jobs = [
            regional_arn("sagemaker", a.region, a.account_id, f"training-job/{self.training_job_prefix}*"),
            regional_arn("sagemaker", a.region, a.account_id, "training-job/pipelines-*"),
        ]
        return [
            statement("ListArtifacts", ["s3:ListBucket"], [bucket]),
            statement(
                "ReadArtifacts",
                ["s3:GetObject"],
                [pulumi.Output.concat(bucket, "/", p, "*") for p in READ_PREFIXES],
            ),
            statement(
                "WriteArtifacts",
                ["s3:PutObject"],
                [pulumi.Output.concat(bucket, "/", p, "*") for p in WRITE_PREFIXES],
            ),
            statement(
                "UseMlAndDataKeys",
                ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
                [a.ml_key_arn, a.data_key_arn],
            ),
            statement(
                "GrantMlKeyToSageMakerVolumes",
                ["kms:CreateGrant"],
                [a.ml_key_arn],
                conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
            ),
            statement(
                "WriteSageMakerLogs",
                [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:DescribeLogStreams",
                    "logs:PutLogEvents",
                ],
                [regional_arn("logs", a.region, a.account_id, "log-group:/aws/sagemaker/*")],
            ),
            statement(
                "PutMetricDataHasNoResourceLevelPermissions",
                ["cloudwatch:PutMetricData"],
                ["*"],
                conditions={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}},
            ),
            *ecr_pull_statements(
                "PullScikitLearnImages",
                sorted({ecr_repository_arn(self.training_image), ecr_repository_arn(self.inference_image)}),
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
            create_network_interfaces_statement(a.region, a.account_id, a.subnet_ids, a.security_group_id),
            statement(
                "ManageNetworkInterfaces",
                [
                    "ec2:CreateNetworkInterfacePermission",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DeleteNetworkInterfacePermission",
                ],
                [network_interfaces],
            ),
            statement(
                "RunPipelineTrainingJobs",
                [
                    "sagemaker:AddTags",
                    "sagemaker:CreateTrainingJob",
                    "sagemaker:DescribeTrainingJob",
                    "sagemaker:StopTrainingJob",
                ],
                training_jobs,
            ),
            statement(
                "PassOwnRoleToSageMaker",
                ["iam:PassRole"],
                [self.role.arn],
                conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
            ),
        ]

    # --- training pipeline -------------------------------------------------------------------------------

    def _pipeline(self, opts: pulumi.ResourceOptions) -> aws.sagemaker.Pipeline:
        a, training = self._args, self._args.ml.training
        name = f"{a.prefix}-training"

        def definition(values: list[str]) -> str:
            role_arn, bucket, key, group, *subnets = values
            return pipeline_definition(
                TrainingSpec(
                    pipeline_name=name,
                    region=a.region,
                    role_arn=role_arn,
                    bucket=bucket,
                    kms_key_arn=key,
                    subnet_ids=subnets,
                    security_group_ids=[group],
                    image_uri=self.training_image,
                    instance_type=training.instance_type,
                    instance_count=training.instance_count,
                    volume_size_gb=training.volume_size_gb,
                    use_spot=training.use_spot,
                    max_run_seconds=training.max_run_seconds,
                    max_wait_seconds=training.max_wait_seconds,
                    code_key=a.ml.training_code_key,
                    entry_point=a.ml.training_entry_point,
                    data_prefix=a.ml.training_data_prefix,
                    hyperparameters=a.ml.hyperparameters,
                    metric_definitions={a.ml.evaluation.metric_name: a.ml.evaluation.metric_regex},
                )
            )

        inputs = [self.role.arn, a.artifacts_bucket_name, a.ml_key_arn, a.security_group_id, *a.subnet_ids]
        return aws.sagemaker.Pipeline(
            f"{self._name}-training-pipeline",
            pipeline_name=name,
            pipeline_display_name=name,
            pipeline_description="Trains the scikit-learn model on managed spot capacity (SDK-generated)",
            pipeline_definition=pulumi.Output.all(*inputs).apply(definition),
            role_arn=self.role.arn,
            opts=opts,
        )

    # --- real-time endpoint ------------------------------------------------------------------------------

    def _endpoint(self, opts: pulumi.ResourceOptions) -> aws.sagemaker.Endpoint:
        a, endpoint = self._args, self._args.ml.endpoint
        model = aws.sagemaker.Model(
            f"{self._name}-model",
            execution_role_arn=self.role.arn,
            enable_network_isolation=True,
            primary_container=aws.sagemaker.ModelPrimaryContainerArgs(
                image=self.inference_image,
                model_data_url=pulumi.Output.concat(
                    "s3://", a.artifacts_bucket_name, "/", a.ml.model_data_key
                ),
                environment={
                    "SAGEMAKER_PROGRAM": a.ml.inference_entry_point,
                    "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
                    "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
                    "SAGEMAKER_REGION": a.region,
                },
            ),
            vpc_config=aws.sagemaker.ModelVpcConfigArgs(
                subnets=list(a.subnet_ids), security_group_ids=[a.security_group_id]
            ),
            opts=opts,
        )
        config = aws.sagemaker.EndpointConfiguration(
            f"{self._name}-endpoint-config",
            kms_key_arn=a.ml_key_arn,
            production_variants=[
                aws.sagemaker.EndpointConfigurationProductionVariantArgs(
                    variant_name=VARIANT,
                    model_name=model.name,
                    instance_type=endpoint.instance_type,
                    initial_instance_count=endpoint.initial_instance_count,
                )
            ],
            data_capture_config=aws.sagemaker.EndpointConfigurationDataCaptureConfigArgs(
                enable_capture=endpoint.data_capture_percent > 0,
                initial_sampling_percentage=max(endpoint.data_capture_percent, 1),
                destination_s3_uri=pulumi.Output.concat(
                    "s3://", a.artifacts_bucket_name, "/", DATA_CAPTURE_PREFIX.rstrip("/")
                ),
                kms_key_id=a.ml_key_arn,
                capture_options=[
                    aws.sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArgs(capture_mode=mode)
                    for mode in ("Input", "Output")
                ],
            ),
            opts=self._child,
        )
        return aws.sagemaker.Endpoint(
            f"{self._name}-endpoint",
            name=f"{a.prefix}-endpoint",
            endpoint_config_name=config.name,
            opts=self._child,
        )

    def _autoscaling(self) -> None:
        endpoint = self._args.ml.endpoint
        scaling = TargetTracking(
            namespace="sagemaker",
            resource_id=pulumi.Output.concat("endpoint/", self.endpoint.name, "/variant/", VARIANT),
            dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=endpoint.min_capacity,
            max_capacity=endpoint.max_capacity,
            metric="SageMakerVariantInvocationsPerInstance",
            target_value=endpoint.target_invocations_per_instance,
            scale_in_cooldown_seconds=endpoint.scale_in_cooldown_seconds,
            scale_out_cooldown_seconds=endpoint.scale_out_cooldown_seconds,
        )
        target_tracking(
            f"{self._name}-endpoint-scaling-target",
            f"{self._name}-endpoint-scaling-policy",
            scaling,
            self._child,
        )
