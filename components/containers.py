"""ECS on Fargate: the cluster, one ECR repository and one service per configured service, one shared ALB.

The seed draws one load balancer per service; here one ALB serves all three through path-based listener rules
(one hourly ALB charge instead of three; the cost report shows the saving). The ALB drops invalid header
fields, logs to its own SSE-S3 bucket (`components/alb_logs.py`), answers HTTPS only (TLS 1.3/1.2 policy,
certificate from config, unmatched paths get a fixed 404) and redirects HTTP to HTTPS. It is internal when
every allowed ingress CIDR is private, internet-facing otherwise (decided by `__main__.py`).

Secrets: one Secrets Manager secret (data key) per name listed under any service's `secrets`, created without
a value; set it out of band (`aws secretsmanager put-secret-value --secret-id <name> ...`), so no secret value
is ever in the program, its state or its config. Services get exactly the secrets they list.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.alb_logs import LOG_PREFIX, alb_log_bucket
from components.config import ContainersConfig
from components.container_service import ContainerService, ContainerServiceArgs
from components.service_grants import ServiceAccess

SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


def ecr_lifecycle_policy(keep_images: int) -> str:
    return json.dumps(
        {
            "rules": [
                {
                    "rulePriority": 1,
                    "description": "Expire untagged images after a day",
                    "selection": {
                        "tagStatus": "untagged",
                        "countType": "sinceImagePushed",
                        "countUnit": "days",
                        "countNumber": 1,
                    },
                    "action": {"type": "expire"},
                },
                {
                    "rulePriority": 2,
                    "description": f"Keep the {keep_images} most recent images",
                    "selection": {
                        "tagStatus": "any",
                        "countType": "imageCountMoreThan",
                        "countNumber": keep_images,
                    },
                    "action": {"type": "expire"},
                },
            ]
        }
    )


@dataclass
class ContainersArgs:
    prefix: str
    region: str
    account_id: pulumi.Input[str]
    vpc_id: pulumi.Input[str]
    alb_subnet_ids: Sequence[pulumi.Input[str]]
    service_subnet_ids: Sequence[pulumi.Input[str]]
    alb_security_group_id: pulumi.Input[str]
    tasks_security_group_id: pulumi.Input[str]
    internal: bool
    """True: the ALB gets private addresses only (every ingress CIDR is private)."""
    data_key_arn: pulumi.Input[str]
    logs_key_arn: pulumi.Input[str]
    log_retention_days: int
    access: ServiceAccess
    containers: ContainersConfig


class Containers(pulumi.ComponentResource):
    def __init__(self, name: str, args: ContainersArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("data-ai-platform:containers:Containers", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)
        self.cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            name=f"{args.prefix}-cluster",
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
            configuration=aws.ecs.ClusterConfigurationArgs(
                execute_command_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationArgs(
                    kms_key_id=args.logs_key_arn, logging="DEFAULT"
                )
            ),
            opts=self._child,
        )
        capacity = self._capacity_providers()
        self.repositories = {s.name: self._repository(s.name) for s in args.containers.services}
        self.secrets = {secret: self._secret(secret) for secret in self._secret_names()}
        self.load_balancer, self.https_listener = self._load_balancer()
        self.services = [self._service(index, capacity) for index, _ in enumerate(args.containers.services)]
        self.cluster_name: pulumi.Output[str] = self.cluster.name
        self.alb_dns_name: pulumi.Output[str] = self.load_balancer.dns_name
        self.alb_arn_suffix: pulumi.Output[str] = self.load_balancer.arn_suffix
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "alb_dns_name": self.alb_dns_name,
                "repository_urls": {n: r.repository_url for n, r in self.repositories.items()},
                "secret_names": {n: s.name for n, s in self.secrets.items()},
            }
        )

    def _capacity_providers(self) -> aws.ecs.ClusterCapacityProviders:
        capacity = self._args.containers.capacity_providers
        return aws.ecs.ClusterCapacityProviders(
            f"{self._name}-capacity-providers",
            cluster_name=self.cluster.name,
            capacity_providers=["FARGATE", "FARGATE_SPOT"],
            default_capacity_provider_strategies=[
                aws.ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs(
                    capacity_provider="FARGATE", base=capacity.fargate_base, weight=capacity.fargate_weight
                ),
                aws.ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs(
                    capacity_provider="FARGATE_SPOT", base=0, weight=capacity.fargate_spot_weight
                ),
            ],
            opts=self._child,
        )

    def _repository(self, service: str) -> aws.ecr.Repository:
        repository = aws.ecr.Repository(
            f"{self._name}-{service}-repo",
            name=f"{self._args.prefix}/{service}",
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
            encryption_configurations=[
                aws.ecr.RepositoryEncryptionConfigurationArgs(
                    encryption_type="KMS", kms_key=self._args.data_key_arn
                )
            ],
            opts=self._child,
        )
        aws.ecr.LifecyclePolicy(
            f"{self._name}-{service}-repo-lifecycle",
            repository=repository.name,
            policy=ecr_lifecycle_policy(self._args.containers.ecr_keep_images),
            opts=self._child,
        )
        return repository

    def _secret_names(self) -> list[str]:
        return sorted({name for service in self._args.containers.services for name in service.secrets})

    def _secret(self, secret: str) -> aws.secretsmanager.Secret:
        slug = secret.lower().replace("_", "-")
        return aws.secretsmanager.Secret(
            f"{self._name}-secret-{slug}",
            name_prefix=f"{self._args.prefix}/{slug}-",
            description=f"{secret} for the platform's container services; the value is set out of band",
            kms_key_id=self._args.data_key_arn,
            recovery_window_in_days=self._args.containers.secret_recovery_window_days,
            opts=self._child,
        )

    def _web_acl(self, alb: aws.lb.LoadBalancer) -> None:
        """An internet-facing ALB sits behind AWS WAF with AWS's managed rule groups (common exploits,
        known bad inputs such as Log4Shell, IP reputation)."""
        rules = [
            aws.wafv2.WebAclRuleArgs(
                name=group,
                priority=priority,
                override_action=aws.wafv2.WebAclRuleOverrideActionArgs(
                    none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()
                ),
                statement=aws.wafv2.WebAclRuleStatementArgs(
                    managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                        name=group, vendor_name="AWS"
                    )
                ),
                visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**_visibility(group)),
            )
            for priority, group in enumerate(WAF_MANAGED_RULE_GROUPS)
        ]
        acl = aws.wafv2.WebAcl(
            f"{self._name}-waf",
            scope="REGIONAL",
            default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
            rules=rules,
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(**_visibility(f"{self._args.prefix}-alb")),
            opts=self._child,
        )
        aws.wafv2.WebAclAssociation(
            f"{self._name}-waf-alb", resource_arn=alb.arn, web_acl_arn=acl.arn, opts=self._child
        )
        logs = aws.cloudwatch.LogGroup(
            f"{self._name}-waf-logs",
            name=f"aws-waf-logs-{self._args.prefix}",  # WAF only logs to groups named aws-waf-logs-*
            retention_in_days=self._args.log_retention_days,
            kms_key_id=self._args.logs_key_arn,
            opts=self._child,
        )
        aws.wafv2.WebAclLoggingConfiguration(
            f"{self._name}-waf-logging",
            resource_arn=acl.arn,
            log_destination_configs=[logs.arn],
            opts=self._child,
        )

    def _load_balancer(self) -> tuple[aws.lb.LoadBalancer, aws.lb.Listener]:
        a = self._args
        logs = alb_log_bucket(
            f"{self._name}-alb-logs", a.region, a.account_id, a.containers.alb_log_retention_days, self._child
        )
        alb = aws.lb.LoadBalancer(
            f"{self._name}-alb",
            load_balancer_type="application",
            internal=a.internal,
            security_groups=[a.alb_security_group_id],
            subnets=list(a.alb_subnet_ids),
            drop_invalid_header_fields=True,
            enable_deletion_protection=a.containers.alb_deletion_protection,
            access_logs=aws.lb.LoadBalancerAccessLogsArgs(
                bucket=logs.bucket.id, prefix=LOG_PREFIX, enabled=True
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[logs.policy]),
        )
        if not a.internal:
            self._web_acl(alb)
        https = aws.lb.Listener(
            f"{self._name}-https",
            load_balancer_arn=alb.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=SSL_POLICY,
            certificate_arn=a.containers.certificate_arn,
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(
                    type="fixed-response",
                    fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(
                        content_type="text/plain", message_body="Not found", status_code="404"
                    ),
                )
            ],
            opts=self._child,
        )
        aws.lb.Listener(
            f"{self._name}-http-redirect",
            load_balancer_arn=alb.arn,
            port=80,
            protocol="HTTP",
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(
                    type="redirect",
                    redirect=aws.lb.ListenerDefaultActionRedirectArgs(
                        protocol="HTTPS", port="443", status_code="HTTP_301"
                    ),
                )
            ],
            opts=self._child,
        )
        return alb, https

    def _service(self, index: int, capacity: aws.ecs.ClusterCapacityProviders) -> ContainerService:
        a = self._args
        service = a.containers.services[index]
        repository = self.repositories[service.name]
        return ContainerService(
            f"{self._name}-{service.name}",
            ContainerServiceArgs(
                service=service,
                prefix=a.prefix,
                region=a.region,
                account_id=a.account_id,
                cluster_arn=self.cluster.arn,
                cluster_name=self.cluster.name,
                vpc_id=a.vpc_id,
                subnet_ids=a.service_subnet_ids,
                security_group_id=a.tasks_security_group_id,
                https_listener_arn=self.https_listener.arn,
                listener_priority=(index + 1) * 10,
                repository_url=repository.repository_url,
                repository_arn=repository.arn,
                secret_arns={name: self.secrets[name].arn for name in service.secrets},
                access=a.access,
                capacity=a.containers.capacity_providers,
                logs_key_arn=a.logs_key_arn,
                log_retention_days=a.log_retention_days,
                capacity_providers=capacity,
            ),
            self._child,
        )


WAF_MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)


def _visibility(metric: str) -> dict[str, Any]:
    """CloudWatch metrics and sampled requests for a web ACL or one of its rules."""
    return {"cloudwatch_metrics_enabled": True, "metric_name": metric, "sampled_requests_enabled": True}


PRIVATE_RANGES = tuple(
    ipaddress.ip_network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)
"""RFC 1918 space and the shared address space (RFC 6598) VPCs and VPNs use; Python's `is_private` would also
count documentation and reserved ranges, which an allow-list of office addresses may well use."""


def alb_is_internal(ingress_cidrs: Sequence[str]) -> bool:
    """An ALB only private networks may reach needs no public address: internal when every CIDR is private."""
    networks = [ipaddress.ip_network(cidr) for cidr in ingress_cidrs]
    return all(
        any(n.version == r.version and n.subnet_of(r) for r in PRIVATE_RANGES)  # type: ignore[arg-type]
        for n in networks
    )
