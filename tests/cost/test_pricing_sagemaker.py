"""SageMaker endpoints (instances, autoscaling range, serverless) and training (pipeline definitions, Step
Functions createTrainingJob tasks, managed spot bounded by the stopping condition): figures worked out by
hand."""

from __future__ import annotations

import json

import pytest
from test_pricing_kit import D, by_name, cost_of, price, report, res

from cost.pricing.base import SpecError
from cost.pricing.training import from_pipeline_definition

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
TARGET = "aws:appautoscaling/target:Target"
PIPELINE = "aws:sagemaker/pipeline:Pipeline"
STATE_MACHINE = "aws:sfn/stateMachine:StateMachine"


def _endpoint(
    instance_type: str = "ml.m5.xlarge", count: int = 2, bounds: tuple[int, int] | None = None, **variant
):
    config = res(
        CONFIG,
        "endpoint-config",
        {
            "productionVariants": [
                {
                    "variantName": "AllTraffic",
                    "instanceType": instance_type,
                    "initialInstanceCount": count,
                    **variant,
                }
            ]
        },
    )
    endpoint = res(ENDPOINT, "endpoint", {"name": "rag-endpoint"}, refs={"endpointConfigName": [config]})
    resources = [endpoint, config]
    if bounds:
        resources.append(
            res(
                TARGET,
                "endpoint-scaling",
                {
                    "resourceId": "endpoint/endpoint/variant/AllTraffic",
                    "scalableDimension": "sagemaker:variant:DesiredInstanceCount",
                    "minCapacity": bounds[0],
                    "maxCapacity": bounds[1],
                },
                refs={"resourceId": [endpoint]},
            )
        )
    return resources


def test_endpoint_instances_and_autoscaling_range():
    assert price("sagemaker.hosting.ml.m5.xlarge") == D("0.23")
    cost = cost_of(*_endpoint(bounds=(1, 10)))
    hosting = by_name(cost)["ml.m5.xlarge hosting (AllTraffic)"]
    assert (hosting.quantity, hosting.monthly_usd) == (D(1460), D("335.8"))  # 2 instances x 730 h x 0.23
    assert (cost.min_usd, cost.monthly_usd, cost.max_usd) == (D("167.9"), D("335.8"), D("1679"))  # 1 / 2 / 10
    assert cost.status == "priced" and cost.service == "Amazon SageMaker"


def test_endpoint_ml_storage_when_the_volume_is_sized():
    cost = cost_of(*_endpoint(count=1, volumeSizeInGb=20))
    assert by_name(cost)["ML storage (AllTraffic)"].monthly_usd == D("2.8")  # 20 GB x 0.14


def test_endpoint_in_a_region_without_hosting_rates_is_unpriced():
    found = report(*_endpoint(), region="us-west-2")  # the stack's aws:region
    cost = next(r for r in found.resources if r.type == ENDPOINT)
    assert cost.status == "unpriced" and cost.region == "us-west-2"
    assert "no price 'sagemaker.hosting.ml.m5.xlarge' for us-west-2" in cost.reason
    assert "hosting (real-time inference) on-demand per instance-hour" in cost.reason


def test_provisional_price_is_flagged():
    hosting = by_name(cost_of(*_endpoint(instance_type="ml.m5.2xlarge", count=1)))[
        "ml.m5.2xlarge hosting (AllTraffic)"
    ]
    assert hosting.monthly_usd == D("336.53")  # 730 x 0.461 (grade S-PL)
    assert "provisional price (grade S-PL, 2026-09-28)" in hosting.note


def test_serverless_variant_is_usage_based():
    config = res(
        CONFIG,
        "cfg",
        {"productionVariants": [{"variantName": "v", "serverlessConfig": {"memorySizeInMb": 2048}}]},
    )
    endpoint = res(ENDPOINT, "ep", refs={"endpointConfigName": [config]})
    usage = "resources: {ep: {monthlyRequests: 100000, avgDurationMs: 500}}"
    serverless = by_name(cost_of(endpoint, config, usage_yaml=usage))["Serverless inference (v, 2048 MB)"]
    # 100,000 requests x 0.5 s x 2 GB = 100,000 GB-s x 0.00002 = 2.00
    assert (serverless.quantity, serverless.monthly_usd) == (D(100000), D("2"))


def test_endpoint_without_its_configuration_is_unpriced():
    cost = cost_of(res(ENDPOINT, "ep", {"endpointConfigName": "missing"}))
    assert cost.status == "unpriced"
    assert cost.reason == "the endpoint's configuration is not in the inventory, so its instances are unknown"


# --- training -----------------------------------------------------------------------------------------------


def _pipeline_definition(spot: bool = True, runtime: int = 7200, wait: int = 14400) -> str:
    """Shaped like the SageMaker SDK's Pipeline.definition(): one Training step, a parameter default."""
    return json.dumps(
        {
            "Version": "2020-12-01",
            "Metadata": {},
            "Parameters": [
                {"Name": "TrainInstanceType", "Type": "String", "DefaultValue": "ml.m5.xlarge"},
                {"Name": "TrainDataUri", "Type": "String", "DefaultValue": "s3://bucket/train"},
            ],
            "PipelineExperimentConfig": {},
            "Steps": [
                {
                    "Name": "Train",
                    "Type": "Training",
                    "Arguments": {
                        "AlgorithmSpecification": {"TrainingImage": "image", "TrainingInputMode": "File"},
                        "ResourceConfig": {
                            "InstanceType": {"Get": "Parameters.TrainInstanceType"},
                            "InstanceCount": 1,
                            "VolumeSizeInGB": 30,
                        },
                        "StoppingCondition": {"MaxRuntimeInSeconds": runtime, "MaxWaitTimeInSeconds": wait},
                        "EnableManagedSpotTraining": spot,
                        "RoleArn": "arn:aws:iam::123456789012:role/sm",
                    },
                },
                {"Name": "Evaluate", "Type": "Processing", "Arguments": {}},
            ],
        }
    )


def test_pipeline_definition_parameters_resolve_to_their_defaults():
    spec = from_pipeline_definition(_pipeline_definition())
    (job,) = spec.jobs
    assert (job.instance_type, job.instance_count, job.volume_gb, job.spot) == ("ml.m5.xlarge", 1, 30, True)
    assert (job.max_runtime_s, job.max_wait_s) == (7200, 14400)
    assert spec.unpriced_steps == ("Evaluate (Processing)",)


def test_pipeline_parameter_without_default_is_a_clear_error():
    definition = json.loads(_pipeline_definition())
    definition["Parameters"] = []
    with pytest.raises(
        SpecError, match="refers to pipeline parameter TrainInstanceType, which has no DefaultValue"
    ):
        from_pipeline_definition(json.dumps(definition))


def test_managed_spot_training_in_eu_west_1():
    pipeline = res(PIPELINE, "pipeline", {"pipelineDefinition": _pipeline_definition()}, region="eu-west-1")
    usage = "resources: {pipeline: {trainingRunsPerMonth: 4, trainingHoursPerRun: 2}}"
    found = report(pipeline, usage_yaml=usage, region="eu-west-1")
    cost = found.resources[0]
    parts = by_name(cost)
    compute = parts["Training ml.m5.xlarge x1 (step Train)"]
    # billable = 0.6 x 2 h per run (default spotBillableFraction) x 4 runs = 4.8 h x 0.257 = 1.2336
    assert (compute.quantity, compute.unit_price, compute.monthly_usd) == (D("4.8"), D("0.257"), D("1.2336"))
    storage = parts["Training ML storage 30 GB (step Train)"]
    # 30 GB for 4 runs x 2 h = 240 GB-h / 730 = 0.328767 GB-month x 0.154 = 0.050630
    assert (storage.quantity, storage.monthly_usd) == (D("0.328767"), D("0.05063"))
    saving = next(s for s in found.savings if s.kind == "spot")
    # on-demand: 4 runs x 2 h x 0.257 = 2.056; spot 1.2336; saving 0.8224
    assert (saving.baseline_usd, saving.optimized_usd, saving.monthly_saving_usd) == (
        D("2.056"),
        D("1.2336"),
        D("0.8224"),
    )
    # the max is every run reaching MaxRuntime (2 h): 4 x 2 x 0.257 + 240/730 x 0.154 = 2.056 + 0.05063
    assert cost.max_usd == D("2.10663")
    # the Processing step runs compute the catalog does not price
    assert cost.status == "unpriced"
    assert cost.reason == "step Evaluate (Processing) runs compute that the catalog does not price"


def test_training_hours_are_capped_by_max_runtime():
    definition = _pipeline_definition(spot=False, runtime=3600)
    pipeline = res(PIPELINE, "p", {"pipelineDefinition": definition}, region="eu-west-1")
    usage = "resources: {p: {trainingRunsPerMonth: 10, trainingHoursPerRun: 3}}"
    compute = by_name(cost_of(pipeline, usage_yaml=usage, region="eu-west-1"))[
        "Training ml.m5.xlarge x1 (step Train)"
    ]
    assert compute.quantity == D(10)  # 10 runs x 1 h (MaxRuntimeInSeconds 3600 stops each run)
    assert compute.note == "capped at MaxRuntimeInSeconds=3600"


def test_spot_billable_time_is_bounded_by_the_stopping_condition():
    definition = _pipeline_definition(runtime=3600, wait=3600)
    pipeline = res(PIPELINE, "p", {"pipelineDefinition": definition}, region="eu-west-1")
    usage = "resources: {p: {trainingRunsPerMonth: 1, trainingHoursPerRun: 5, spotBillableFraction: 1}}"
    compute = by_name(cost_of(pipeline, usage_yaml=usage, region="eu-west-1"))[
        "Training ml.m5.xlarge x1 (step Train)"
    ]
    assert compute.quantity == D(1)
    assert compute.note.startswith("managed spot: billable = 1 x 1 h per run")


def test_training_without_usage_is_usage_dependent_with_the_unit_price():
    pipeline = res(PIPELINE, "p", {"pipelineDefinition": _pipeline_definition()}, region="eu-west-1")
    cost = cost_of(pipeline, region="eu-west-1")
    compute = by_name(cost)["Training ml.m5.xlarge x1 (step Train)"]
    assert compute.quantity is None and compute.monthly_usd == 0
    assert compute.note.startswith("Monthly cost depends on usage: $0.257 per instance-hour")


def test_training_rate_missing_in_us_west_2_is_unpriced():
    pipeline = res(PIPELINE, "p", {"pipelineDefinition": _pipeline_definition()}, region="us-west-2")
    cost = cost_of(pipeline, usage_yaml="resources: {p: {trainingRunsPerMonth: 1, trainingHoursPerRun: 1}}")
    assert cost.status == "unpriced"
    assert "no price 'sagemaker.training.ml.m5.xlarge' for us-west-2" in cost.reason


def _state_machine(training_parameters: dict) -> str:
    return json.dumps(
        {
            "StartAt": "DataPreprocessing",
            "States": {
                "DataPreprocessing": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Next": "TrainModel",
                },
                "TrainModel": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sagemaker:createTrainingJob.sync",
                    "Parameters": training_parameters,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "NotifyFailure"}],
                    "Next": "EvaluateModel",
                },
                "EvaluateModel": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True},
                "NotifyFailure": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sns:publish",
                    "Next": "Failed",
                },
                "Failed": {"Type": "Fail"},
            },
        }
    )


TRAINING = {
    "TrainingJobName.$": "$$.Execution.Name",
    "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
    "StoppingCondition": {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 14400},
    "EnableManagedSpotTraining": True,
}


def test_state_machine_transitions_and_its_training_job():
    machine = res(
        STATE_MACHINE,
        "ml-sfn",
        {"definition": _state_machine(TRAINING), "type": "STANDARD"},
        region="eu-west-1",
    )
    usage = "resources: {ml-sfn: {monthlyExecutions: 30, trainingHoursPerRun: 1}}"
    cost = cost_of(machine, usage_yaml=usage, region="eu-west-1")
    parts = by_name(cost)
    transitions = parts["State transitions"]
    # happy path: DataPreprocessing -> TrainModel -> EvaluateModel = 3 transitions x 30 executions x 0.000025
    assert (transitions.quantity, transitions.monthly_usd) == (D(90), D("0.00225"))
    assert transitions.note == "3 transitions per execution"
    compute = parts["Training ml.m5.xlarge x1 (state TrainModel)"]
    assert (compute.quantity, compute.monthly_usd) == (D(18), D("4.626"))  # 30 runs x 0.6 h x 0.257
    assert cost.status == "priced"


def test_state_machine_training_from_execution_input_is_unpriced():
    dynamic = {**TRAINING, "ResourceConfig.$": "$.resources"}
    del dynamic["ResourceConfig"]
    cost = cost_of(res(STATE_MACHINE, "sfn", {"definition": _state_machine(dynamic)}))
    assert cost.status == "unpriced"
    assert cost.reason == (
        "state TrainModel: ResourceConfig.$ are set from the execution input, so the job cannot be priced"
    )
