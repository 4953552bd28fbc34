"""The data & AI platform: validated stack config in, foundation and compute components out.

Config is read and validated once, before any resource is registered; a bad value stops the program with the
config error's message (no traceback). Every AWS resource goes through one explicit provider whose
`default_tags` carry the stack's tags and whose credentials settings (`components.providers`) pin the stack's
AWS account; with the stack's `protect` setting, stateful resources are protected (`components.protection`).
"""

import pulumi
import pulumi_aws as aws

from components.alerts import Alerts, AlertsArgs
from components.config import ConfigError, load_stack_config
from components.containers import Containers, ContainersArgs, alb_is_internal
from components.data_lake import DataLake, DataLakeArgs, LifecycleDays
from components.databases import Databases, DatabasesArgs
from components.dr import DisasterRecovery, DisasterRecoveryArgs
from components.embeddings import Embeddings, EmbeddingsArgs
from components.keys import Keys, KeysArgs
from components.ml import MachineLearning, MlArgs
from components.network import Network, NetworkArgs
from components.observability import Observability, ObservabilityArgs
from components.orchestration import MlOrchestration, OrchestrationArgs
from components.processing import DocumentProcessing, ProcessingArgs
from components.protection import stateful_options
from components.providers import provider_args, read_aws_config
from components.retrieval import QUERY_ACTIONS, Retrieval, RetrievalArgs
from components.service_grants import ServiceAccess
from components.vector_store import VectorStore, VectorStoreArgs

try:
    cfg = load_stack_config()
    credentials = provider_args(cfg, read_aws_config())
except ConfigError as exc:
    raise pulumi.RunError(str(exc)) from None

project = pulumi.get_project()
prefix = f"{project}-{cfg.stack}"
tags = cfg.resource_tags(project)
provider = aws.Provider(
    "aws", region=cfg.region, default_tags=aws.ProviderDefaultTagsArgs(tags=tags), **credentials
)
with_provider = pulumi.ResourceOptions.merge(
    pulumi.ResourceOptions(providers={"aws": provider}), stateful_options(cfg.protect)
)
account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOptions(provider=provider)).account_id
retention = cfg.observability.log_retention_days

keys = Keys(
    "keys",
    KeysArgs(
        alias_prefix=prefix,
        account_id=account_id,
        region=cfg.region,
        deletion_window_days=cfg.keys.deletion_window_days,
    ),
    with_provider,
)

network = Network(
    "network",
    NetworkArgs(
        cidr=cfg.network.cidr,
        az_count=cfg.network.az_count,
        nat_gateways=cfg.network.nat_gateways,
        interface_endpoints=cfg.network.interface_endpoints,
        alb_ingress_cidrs=list(cfg.network.alb_ingress_cidrs),
        service_ports=sorted(service.port for service in cfg.containers.services),
        region=cfg.region,
        account_id=account_id,
        flow_log_group_name=f"/aws/vpc/{prefix}/flow-logs",
        flow_log_retention_days=cfg.network.flow_log_retention_days,
        logs_key_arn=keys.logs_key_arn,
    ),
    with_provider,
)

lifecycle = cfg.data_lake.lifecycle
lifecycle_days = LifecycleDays(
    standard_ia=lifecycle.standard_ia_days,
    glacier=lifecycle.glacier_days,
    deep_archive=lifecycle.deep_archive_days,
    noncurrent_expiration=lifecycle.noncurrent_version_expiration_days,
)
lake = DataLake(
    "lake",
    DataLakeArgs(
        account_id=account_id,
        data_key_arn=keys.data_key_arn,
        lifecycle=lifecycle_days,
        access_log_retention_days=cfg.data_lake.access_log_retention_days,
        force_destroy=cfg.data_lake.force_destroy,
    ),
    with_provider,
)

databases = Databases(
    "databases",
    DatabasesArgs(
        identifier=f"{prefix}-metadata",
        instance_class=cfg.database.instance_class,
        engine_version=cfg.database.engine_version,
        allocated_storage_gb=cfg.database.allocated_storage_gb,
        max_allocated_storage_gb=cfg.database.max_allocated_storage_gb,
        multi_az=cfg.database.multi_az,
        deletion_protection=cfg.database.deletion_protection,
        final_snapshot=cfg.database.final_snapshot,
        backup_retention_days=cfg.database.backup_retention_days,
        performance_insights_retention_days=cfg.database.performance_insights_retention_days,
        log_retention_days=retention,
        isolated_subnet_ids=network.isolated_subnet_ids,
        security_group_id=network.database_security_group_id,
        data_key_arn=keys.data_key_arn,
        logs_key_arn=keys.logs_key_arn,
        billing_mode=cfg.sessions.billing_mode,
        read_capacity=cfg.sessions.read_capacity,
        write_capacity=cfg.sessions.write_capacity,
        point_in_time_recovery=cfg.sessions.point_in_time_recovery,
    ),
    with_provider,
)

if cfg.dr.enabled:
    dr = DisasterRecovery(
        "dr",
        DisasterRecoveryArgs(
            region=cfg.dr.region,
            source_region=cfg.region,
            default_tags=tags,
            provider_args=credentials,
            alias_prefix=prefix,
            account_id=account_id,
            deletion_window_days=cfg.keys.deletion_window_days,
            source_data_key_arn=keys.data_key_arn,
            processed_bucket=lake.processed_bucket,
            artifacts_bucket=lake.artifacts_bucket,
            source_replication_dependencies=[lake.processed_versioning, lake.artifacts_versioning],
            lifecycle=lifecycle_days,
            access_log_retention_days=cfg.data_lake.access_log_retention_days,
            force_destroy=cfg.data_lake.force_destroy,
            db_instance_arn=databases.db_instance.arn,
            db_backup_retention_days=cfg.database.backup_retention_days,
        ),
        with_provider,
    )
    pulumi.export("dr_region", cfg.dr.region)
    pulumi.export("dr_processed_bucket_name", dr.processed_replica_bucket_name)
    pulumi.export("dr_artifacts_bucket_name", dr.artifacts_replica_bucket_name)

# --- compute (components/ml.py, containers.py, processing.py, orchestration.py, observability.py) ---

alerts = Alerts(
    "alerts",
    AlertsArgs(
        topic_name=f"{prefix}-alerts",
        data_key_arn=keys.data_key_arn,
        emails=list(cfg.observability.alert_emails),
    ),
    with_provider,
)

ml = MachineLearning(
    "ml",
    MlArgs(
        prefix=prefix,
        region=cfg.region,
        account_id=account_id,
        artifacts_bucket_name=lake.artifacts_bucket_name,
        artifacts_bucket_arn=lake.artifacts_bucket_arn,
        ml_key_arn=keys.ml_key_arn,
        data_key_arn=keys.data_key_arn,
        subnet_ids=network.private_subnet_ids,
        security_group_id=network.sagemaker_security_group_id,
        ml=cfg.ml,
    ),
    with_provider,
)

# --- retrieval (RAG): embeddings, vector store and retrieval function (components/embeddings.py,
# vector_store.py, retrieval.py); the document processor writes the vectors, rag-api calls retrieval ---

embeddings = Embeddings(
    "embeddings",
    EmbeddingsArgs(
        prefix=prefix,
        region=cfg.region,
        account_id=account_id,
        artifacts_bucket_name=lake.artifacts_bucket_name,
        artifacts_bucket_arn=lake.artifacts_bucket_arn,
        data_key_arn=keys.data_key_arn,
        ml_key_arn=keys.ml_key_arn,
        subnet_ids=network.private_subnet_ids,
        security_group_id=network.sagemaker_security_group_id,
        embeddings=cfg.embeddings,
    ),
    with_provider,
)
vectors = VectorStore(
    "vectors",
    VectorStoreArgs(
        prefix=prefix,
        data_key_arn=keys.data_key_arn,
        dimension=cfg.embeddings.dimension,
        distance_metric=cfg.vector_store.distance_metric,
        force_destroy=cfg.vector_store.force_destroy,
    ),
    with_provider,
)
vector_environment = {**embeddings.function_environment, **vectors.function_environment()}
retrieval = Retrieval(
    "retrieval",
    RetrievalArgs(
        prefix=prefix,
        region=cfg.region,
        account_id=account_id,
        data_key_arn=keys.data_key_arn,
        logs_key_arn=keys.logs_key_arn,
        log_retention_days=retention,
        subnet_ids=network.private_subnet_ids,
        security_group_id=network.lambda_security_group_id,
        statements=[embeddings.invoke_statement, vectors.statement("QueryVectorIndex", QUERY_ACTIONS)],
        environment=vector_environment,
        retrieval=cfg.vector_store.retrieval,
    ),
    with_provider,
)

internal_alb = alb_is_internal(cfg.network.alb_ingress_cidrs)
containers = Containers(
    "containers",
    ContainersArgs(
        prefix=prefix,
        region=cfg.region,
        account_id=account_id,
        vpc_id=network.vpc_id,
        internal=internal_alb,
        alb_subnet_ids=network.private_subnet_ids if internal_alb else network.public_subnet_ids,
        service_subnet_ids=network.private_subnet_ids,
        alb_security_group_id=network.alb_security_group_id,
        tasks_security_group_id=network.tasks_security_group_id,
        data_key_arn=keys.data_key_arn,
        logs_key_arn=keys.logs_key_arn,
        log_retention_days=retention,
        access=ServiceAccess(
            raw_bucket_name=lake.raw_bucket_name,
            raw_bucket_arn=lake.raw_bucket_arn,
            processed_bucket_name=lake.processed_bucket_name,
            processed_bucket_arn=lake.processed_bucket_arn,
            artifacts_bucket_name=lake.artifacts_bucket_name,
            artifacts_bucket_arn=lake.artifacts_bucket_arn,
            sessions_table_name=databases.sessions_table_name,
            sessions_table_arn=databases.sessions_table_arn,
            documents_table_name=databases.documents_table_name,
            documents_table_arn=databases.documents_table_arn,
            endpoint_name=ml.endpoint_name,
            endpoint_arn=ml.endpoint_arn,
            db_secret_arn=databases.db_secret_arn,
            db_address=databases.db_address,
            db_port=databases.db_port,
            data_key_arn=keys.data_key_arn,
            retrieval_function_name=retrieval.function_name,
            retrieval_function_arn=retrieval.function_arn,
        ),
        containers=cfg.containers,
    ),
    with_provider,
)

processing = DocumentProcessing(
    "processing",
    ProcessingArgs(
        prefix=prefix,
        region=cfg.region,
        account_id=account_id,
        raw_bucket_name=lake.raw_bucket_name,
        raw_bucket_arn=lake.raw_bucket_arn,
        processed_bucket_name=lake.processed_bucket_name,
        processed_bucket_arn=lake.processed_bucket_arn,
        documents_table_name=databases.documents_table_name,
        documents_table_arn=databases.documents_table_arn,
        data_key_arn=keys.data_key_arn,
        logs_key_arn=keys.logs_key_arn,
        log_retention_days=retention,
        subnet_ids=network.private_subnet_ids,
        security_group_id=network.lambda_security_group_id,
        processing=cfg.processing,
        vector_statements=[
            embeddings.invoke_statement,
            vectors.statement("WriteVectorIndex", ["s3vectors:DeleteVectors", "s3vectors:PutVectors"]),
        ],
        vector_environment=vector_environment,
    ),
    with_provider,
)

orchestration = MlOrchestration(
    "orchestration",
    OrchestrationArgs(
        prefix=prefix,
        region=cfg.region,
        account_id=account_id,
        datasets_bucket_name=lake.processed_bucket_name,
        datasets_bucket_arn=lake.processed_bucket_arn,
        artifacts_bucket_name=lake.artifacts_bucket_name,
        artifacts_bucket_arn=lake.artifacts_bucket_arn,
        data_key_arn=keys.data_key_arn,
        ml_key_arn=keys.ml_key_arn,
        logs_key_arn=keys.logs_key_arn,
        log_retention_days=retention,
        subnet_ids=network.private_subnet_ids,
        lambda_security_group_id=network.lambda_security_group_id,
        sagemaker_security_group_id=network.sagemaker_security_group_id,
        sagemaker_role_arn=ml.execution_role_arn,
        training_image=ml.training_image,
        inference_image=ml.inference_image,
        training_job_prefix=ml.training_job_prefix,
        model_package_group_name=ml.model_package_group_name,
        model_package_group_arn=ml.model_package_group_arn,
        alerts_topic_arn=alerts.topic_arn,
        ml=cfg.ml,
    ),
    with_provider,
)

observability = Observability(
    "observability",
    ObservabilityArgs(
        prefix=prefix,
        region=cfg.region,
        topic_arn=alerts.topic_arn,
        alb_arn_suffix=containers.alb_arn_suffix,
        cluster_name=containers.cluster_name,
        service_names=[service.name for service in cfg.containers.services],
        endpoint_name=ml.endpoint_name,
        function_names={
            "document-processor": processing.function_name,
            "preprocess": orchestration.preprocess_function_name,
            "evaluate": orchestration.evaluate_function_name,
            "retrieval": retrieval.function_name,
        },
        state_machine_arn=orchestration.state_machine_arn,
        db_instance_id=databases.db_instance.identifier,
        table_names={"sessions": databases.sessions_table_name, "documents": databases.documents_table_name},
        alarms=cfg.observability.alarms,
        sampling_rate=cfg.observability.tracing_sampling_rate,
    ),
    with_provider,
)

pulumi.export("alb_dns_name", containers.alb_dns_name)
pulumi.export("endpoint_name", ml.endpoint_name)
pulumi.export("sagemaker_pipeline_name", ml.pipeline_name)
pulumi.export("state_machine_arn", orchestration.state_machine_arn)
pulumi.export("alerts_topic_arn", alerts.topic_arn)
pulumi.export("dashboard_name", observability.dashboard_name)
pulumi.export("document_processor_name", processing.function_name)
pulumi.export("retrieval_function_name", retrieval.function_name)
pulumi.export("vector_bucket_arn", vectors.vector_bucket_arn)
pulumi.export("index_arn", vectors.index_arn)
if embeddings.endpoint_name is not None:
    pulumi.export("embeddings_endpoint_name", embeddings.endpoint_name)
pulumi.export(
    "ecr_repository_urls", {name: repo.repository_url for name, repo in containers.repositories.items()}
)
pulumi.export("secret_names", {name: secret.name for name, secret in containers.secrets.items()})

pulumi.export("vpc_id", network.vpc_id)
pulumi.export("public_subnet_ids", network.public_subnet_ids)
pulumi.export("private_subnet_ids", network.private_subnet_ids)
pulumi.export("isolated_subnet_ids", network.isolated_subnet_ids)
pulumi.export("raw_bucket_name", lake.raw_bucket_name)
pulumi.export("processed_bucket_name", lake.processed_bucket_name)
pulumi.export("artifacts_bucket_name", lake.artifacts_bucket_name)
pulumi.export("access_logs_bucket_name", lake.access_logs_bucket_name)
pulumi.export("sessions_table_name", databases.sessions_table_name)
pulumi.export("documents_table_name", databases.documents_table_name)
pulumi.export("db_endpoint", databases.db_endpoint)
pulumi.export("db_secret_arn", databases.db_secret_arn)
