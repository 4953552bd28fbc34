"""The ML pipeline as a Step Functions state machine: DataPreprocessing -> TrainModel -> EvaluateModel.

DataPreprocessing (Lambda, `functions/preprocess/`) validates and splits the dataset named in the execution
input; TrainModel runs a SageMaker training job through the `createTrainingJob.sync` integration with managed
spot capacity, KMS-encrypted volume and output and the platform's VPC (same image, instance and
hyperparameters as the SageMaker pipeline); EvaluateModel (Lambda, `functions/evaluate/`) gates the model on
its validation metric and registers it in the model registry. Each task retries transient service errors; any
failure is caught, published to the alerts topic and ends the execution in the `PipelineFailed` state.

Start an execution with `{"dataset_key": "datasets/<name>.csv", "label_column": "<column>"}` (label optional).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.config import MlConfig
from components.iam import (
    Statement,
    policy_json,
    regional_arn,
    service_trust_policy,
    statement,
    xray_statement,
)
from components.lambda_function import PythonFunctionArgs, python_function
from components.sagemaker_pipeline import (
    CODE_CHANNEL,
    TRAIN_CHANNEL,
    VALIDATION_CHANNEL,
    script_hyperparameters,
)

DATASETS_PREFIX = "datasets/"
SYNC_RULE = "StepFunctionsGetEventsForSageMakerTrainingJobsRule"
LAMBDA_TRANSIENT_ERRORS = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
]


@dataclass(frozen=True)
class AslValues:
    """The plain values the state machine definition is built from (resolved Outputs)."""

    preprocess_arn: str
    evaluate_arn: str
    topic_arn: str
    role_arn: str
    artifacts_bucket: str
    ml_key_arn: str
    subnet_ids: Sequence[str]
    security_group_id: str
    region: str
    training_image: str
    ml: MlConfig


def _catch() -> list[dict[str, Any]]:
    return [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "NotifyFailure"}]


def _retry(errors: list[str], interval: int, attempts: int) -> list[dict[str, Any]]:
    return [{"ErrorEquals": errors, "IntervalSeconds": interval, "MaxAttempts": attempts, "BackoffRate": 2.0}]


def _channel(name: str, uri: str, content_type: str | None = "text/csv") -> dict[str, Any]:
    """An S3 input channel; a `uri` starting with `$.` is a path into the state input."""
    source = {"S3DataType": "S3Prefix", "S3DataDistributionType": "FullyReplicated"}
    source["S3Uri.$" if uri.startswith("$.") else "S3Uri"] = uri
    channel: dict[str, Any] = {
        "ChannelName": name,
        "InputMode": "File",
        "DataSource": {"S3DataSource": source},
    }
    if content_type:
        channel["ContentType"] = content_type
    return channel


def training_parameters(v: AslValues) -> dict[str, Any]:
    """CreateTrainingJob parameters of the TrainModel state (names and paths from DataPreprocessing)."""
    training, ml = v.ml.training, v.ml
    stopping: dict[str, int] = {"MaxRuntimeInSeconds": training.max_run_seconds}
    spot: dict[str, Any] = {"EnableManagedSpotTraining": training.use_spot}
    if training.use_spot:
        stopping["MaxWaitTimeInSeconds"] = training.max_wait_seconds
        spot["CheckpointConfig"] = {
            "S3Uri.$": f"States.Format('s3://{v.artifacts_bucket}/checkpoints/{{}}', $.preprocess.run_id)"
        }
    return {
        "TrainingJobName.$": "$.preprocess.training_job_name",
        "RoleArn": v.role_arn,
        "AlgorithmSpecification": {
            "TrainingImage": v.training_image,
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": ml.evaluation.metric_name, "Regex": ml.evaluation.metric_regex}],
        },
        "HyperParameters": script_hyperparameters(
            ml.hyperparameters, ml.training_entry_point, ml.training_code_key, v.region
        ),
        "InputDataConfig": [
            _channel(TRAIN_CHANNEL, "$.preprocess.train_uri"),
            _channel(VALIDATION_CHANNEL, "$.preprocess.validation_uri"),
            _channel(CODE_CHANNEL, f"s3://{v.artifacts_bucket}/{ml.training_code_key}", content_type=None),
        ],
        "OutputDataConfig": {"S3OutputPath.$": "$.preprocess.output_uri", "KmsKeyId": v.ml_key_arn},
        "ResourceConfig": {
            "InstanceType": training.instance_type,
            "InstanceCount": training.instance_count,
            "VolumeSizeInGB": training.volume_size_gb,
            "VolumeKmsKeyId": v.ml_key_arn,
        },
        "StoppingCondition": stopping,
        "VpcConfig": {"SecurityGroupIds": [v.security_group_id], "Subnets": list(v.subnet_ids)},
        "EnableInterContainerTrafficEncryption": True,
        "EnableNetworkIsolation": True,
        **spot,
    }


def pipeline_asl(v: AslValues) -> dict[str, Any]:
    """The Amazon States Language definition of the ML pipeline."""
    return {
        "Comment": "ML pipeline: preprocess the dataset, train on spot capacity, evaluate and register",
        "StartAt": "DataPreprocessing",
        "States": {
            "DataPreprocessing": {
                "Type": "Task",
                "Resource": v.preprocess_arn,
                "Parameters": {"input.$": "$", "execution_name.$": "$$.Execution.Name"},
                "ResultPath": "$.preprocess",
                "Retry": _retry(LAMBDA_TRANSIENT_ERRORS, 2, 3),
                "Catch": _catch(),
                "Next": "TrainModel",
            },
            "TrainModel": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sagemaker:createTrainingJob.sync",
                "Parameters": training_parameters(v),
                "ResultPath": "$.training",
                "Retry": _retry(["SageMaker.AmazonSageMakerException"], 30, 2),
                "Catch": _catch(),
                "Next": "EvaluateModel",
            },
            "EvaluateModel": {
                "Type": "Task",
                "Resource": v.evaluate_arn,
                "Parameters": {"preprocess.$": "$.preprocess", "training.$": "$.training"},
                "ResultPath": "$.evaluation",
                "Retry": _retry(LAMBDA_TRANSIENT_ERRORS, 2, 3),
                "Catch": _catch(),
                "End": True,
            },
            "NotifyFailure": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {
                    "TopicArn": v.topic_arn,
                    "Subject": "ML pipeline failed",
                    "Message.$": "States.Format('ML pipeline execution {} failed: {}: {}', "
                    "$$.Execution.Name, $.error.Error, $.error.Cause)",
                },
                "ResultPath": None,
                "Retry": _retry(["States.TaskFailed"], 5, 3),
                "Next": "PipelineFailed",
            },
            "PipelineFailed": {
                "Type": "Fail",
                "Error": "PipelineFailed",
                "Cause": "A pipeline step failed; the alerts topic has the details",
            },
        },
    }


@dataclass
class OrchestrationArgs:
    prefix: str
    region: str
    account_id: pulumi.Input[str]
    datasets_bucket_name: pulumi.Input[str]
    datasets_bucket_arn: pulumi.Input[str]
    artifacts_bucket_name: pulumi.Input[str]
    artifacts_bucket_arn: pulumi.Input[str]
    data_key_arn: pulumi.Input[str]
    ml_key_arn: pulumi.Input[str]
    logs_key_arn: pulumi.Input[str]
    log_retention_days: int
    subnet_ids: Sequence[pulumi.Input[str]]
    lambda_security_group_id: pulumi.Input[str]
    sagemaker_security_group_id: pulumi.Input[str]
    sagemaker_role_arn: pulumi.Input[str]
    training_image: str
    inference_image: str
    training_job_prefix: str
    model_package_group_name: pulumi.Input[str]
    model_package_group_arn: pulumi.Input[str]
    alerts_topic_arn: pulumi.Input[str]
    ml: MlConfig


class MlOrchestration(pulumi.ComponentResource):
    def __init__(
        self, name: str, args: OrchestrationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("data-ai-platform:orchestration:MlOrchestration", name, None, opts)
        self._name = name
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        self.preprocess = python_function(f"{name}-preprocess", self._preprocess_args(), child)
        self.evaluate = python_function(f"{name}-evaluate", self._evaluate_args(), child)
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"/aws/vendedlogs/states/{args.prefix}-ml-pipeline",
            retention_in_days=args.log_retention_days,
            kms_key_id=args.logs_key_arn,
            opts=child,
        )
        self.role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=service_trust_policy("states.amazonaws.com", args.account_id),
            description="Runs the ML pipeline state machine",
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-policy", role=self.role.id, policy=policy_json(self.role_statements()), opts=child
        )
        self.state_machine = aws.sfn.StateMachine(
            f"{name}-state-machine",
            name=f"{args.prefix}-ml-pipeline",
            type="STANDARD",
            role_arn=self.role.arn,
            definition=self._definition(),
            logging_configuration=aws.sfn.StateMachineLoggingConfigurationArgs(
                log_destination=pulumi.Output.concat(self.log_group.arn, ":*"),
                include_execution_data=True,
                level="ALL",
            ),
            tracing_configuration=aws.sfn.StateMachineTracingConfigurationArgs(enabled=True),
            encryption_configuration=aws.sfn.StateMachineEncryptionConfigurationArgs(
                type="CUSTOMER_MANAGED_KMS_KEY",
                kms_key_id=args.data_key_arn,
                kms_data_key_reuse_period_seconds=300,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        self.state_machine_arn: pulumi.Output[str] = self.state_machine.arn
        self.state_machine_name: pulumi.Output[str] = self.state_machine.name
        self.preprocess_function_name: pulumi.Output[str] = self.preprocess.function.name
        self.evaluate_function_name: pulumi.Output[str] = self.evaluate.function.name
        self.register_outputs(
            {
                "state_machine_arn": self.state_machine_arn,
                "preprocess_function_name": self.preprocess_function_name,
                "evaluate_function_name": self.evaluate_function_name,
            }
        )

    def _definition(self) -> pulumi.Output[str]:
        a = self._args

        def build(values: list[str]) -> str:
            preprocess, evaluate, topic, role, bucket, key, group, *subnets = values
            return json.dumps(
                pipeline_asl(
                    AslValues(
                        preprocess_arn=preprocess,
                        evaluate_arn=evaluate,
                        topic_arn=topic,
                        role_arn=role,
                        artifacts_bucket=bucket,
                        ml_key_arn=key,
                        subnet_ids=subnets,
                        security_group_id=group,
                        region=a.region,
                        training_image=a.training_image,
                        ml=a.ml,
                    )
                ),
                indent=2,
            )

        return pulumi.Output.all(
            self.preprocess.function.arn,
            self.evaluate.function.arn,
            a.alerts_topic_arn,
            a.sagemaker_role_arn,
            a.artifacts_bucket_name,
            a.ml_key_arn,
            a.sagemaker_security_group_id,
            *a.subnet_ids,
        ).apply(build)

    def _arn(self, service: str, resource: pulumi.Input[str]) -> pulumi.Output[str]:
        return regional_arn(service, self._args.region, self._args.account_id, resource)

    def role_statements(self) -> list[Statement]:
        a = self._args
        functions = [self.preprocess.function.arn, self.evaluate.function.arn]
        return [
            statement(
                "InvokePipelineFunctions",
                ["lambda:InvokeFunction"],
                [*functions, *(pulumi.Output.concat(f, ":*") for f in functions)],
            ),
            statement(
                "RunTrainingJobs",
                [
                    "sagemaker:AddTags",
                    "sagemaker:CreateTrainingJob",
                    "sagemaker:DescribeTrainingJob",
                    "sagemaker:StopTrainingJob",
                ],
                [self._arn("sagemaker", f"training-job/{a.training_job_prefix}*")],
            ),
            statement(
                "PassSageMakerExecutionRole",
                ["iam:PassRole"],
                [a.sagemaker_role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
            ),
            statement(
                "SyncIntegrationEventsRule",
                ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
                [self._arn("events", f"rule/{SYNC_RULE}")],
            ),
            statement("NotifyAlertsTopic", ["sns:Publish"], [a.alerts_topic_arn]),
            statement("UseDataKey", ["kms:Decrypt", "kms:GenerateDataKey"], [a.data_key_arn]),
            statement(
                "LogDeliveryHasNoResourceLevelPermissions",
                [
                    "logs:CreateLogDelivery",
                    "logs:DeleteLogDelivery",
                    "logs:DescribeLogGroups",
                    "logs:DescribeResourcePolicies",
                    "logs:GetLogDelivery",
                    "logs:ListLogDeliveries",
                    "logs:PutResourcePolicy",
                    "logs:UpdateLogDelivery",
                ],
                ["*"],
            ),
            xray_statement(),
        ]

    def _function_args(self, short_name: str, description: str) -> PythonFunctionArgs:
        a, settings = self._args, self._args.ml.orchestration
        return PythonFunctionArgs(
            function_name=f"{a.prefix}-{short_name}",
            code_dir=short_name,
            description=description,
            region=a.region,
            account_id=a.account_id,
            memory_mb=settings.memory_mb,
            timeout_seconds=settings.timeout_seconds,
            reserved_concurrency=settings.reserved_concurrency,
            data_key_arn=a.data_key_arn,
            logs_key_arn=a.logs_key_arn,
            log_retention_days=a.log_retention_days,
            subnet_ids=a.subnet_ids,
            security_group_id=a.lambda_security_group_id,
        )

    def _preprocess_args(self) -> PythonFunctionArgs:
        a = self._args
        result = self._function_args("preprocess", "Validates and splits the dataset for the ML pipeline")
        result.statements = [
            statement(
                "ReadDatasets",
                ["s3:GetObject"],
                [pulumi.Output.concat(a.datasets_bucket_arn, "/", DATASETS_PREFIX, "*")],
            ),
            statement(
                "WriteTrainingData",
                ["s3:PutObject"],
                [pulumi.Output.concat(a.artifacts_bucket_arn, "/training/*")],
            ),
            statement("EncryptWithDataKey", ["kms:GenerateDataKey"], [a.data_key_arn]),
        ]
        result.environment = {
            "DATASETS_BUCKET": a.datasets_bucket_name,
            "DATASETS_PREFIX": DATASETS_PREFIX,
            "ARTIFACTS_BUCKET": a.artifacts_bucket_name,
            "DATA_KEY_ARN": a.data_key_arn,
            "TRAINING_JOB_PREFIX": a.training_job_prefix,
            "VALIDATION_PERCENT": str(a.ml.orchestration.validation_percent),
            "MIN_ROWS": str(a.ml.orchestration.min_rows),
        }
        return result

    def _evaluate_args(self) -> PythonFunctionArgs:
        a, evaluation = self._args, self._args.ml.evaluation
        result = self._function_args("evaluate", "Gates the trained model on its metric and registers it")
        result.statements = [
            statement(
                "WriteEvaluationReports",
                ["s3:PutObject"],
                [pulumi.Output.concat(a.artifacts_bucket_arn, "/evaluation/*")],
            ),
            statement("EncryptWithDataKey", ["kms:GenerateDataKey"], [a.data_key_arn]),
            statement(
                "RegisterModels",
                ["sagemaker:CreateModelPackage"],
                [
                    a.model_package_group_arn,
                    self._arn(
                        "sagemaker", pulumi.Output.concat("model-package/", a.model_package_group_name, "/*")
                    ),
                ],
            ),
        ]
        result.environment = {
            "ARTIFACTS_BUCKET": a.artifacts_bucket_name,
            "DATA_KEY_ARN": a.data_key_arn,
            "MODEL_PACKAGE_GROUP": a.model_package_group_name,
            "INFERENCE_IMAGE": a.inference_image,
            "METRIC_NAME": evaluation.metric_name,
            "METRIC_THRESHOLD": str(evaluation.threshold),
            "METRIC_GOAL": evaluation.goal,
        }
        return result
