"""Load balancers (hours, LCUs, the shared-ALB saving) and Fargate services (task size, count,
FARGATE/FARGATE_SPOT split, autoscaling range, spot saving): figures worked out by hand from the catalog's
unit prices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_pricing_kit import D, by_name, cost_of, price, report, res

from cost.pricing.fargate import Share, split
from inventory.model import Resource

ALB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
RULE = "aws:lb/listenerRule:ListenerRule"
TG = "aws:lb/targetGroup:TargetGroup"
SERVICE = "aws:ecs/service:Service"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
CLUSTER = "aws:ecs/cluster:Cluster"
CLUSTER_PROVIDERS = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
TARGET = "aws:appautoscaling/target:Target"


def test_alb_hours_and_lcus():
    assert (price("alb.hour"), price("alb.lcu_hour")) == (D("0.0225"), D("0.008"))
    usage = "resources: {alb: {alb: {newConnectionsPerSecond: 50, processedGbPerHour: 0.5}}}"
    cost = cost_of(res(ALB, "alb", {"loadBalancerType": "application", "internal": True}), usage_yaml=usage)
    parts = by_name(cost)
    assert parts["Application load balancer"].monthly_usd == D("16.425")  # 730 h x 0.0225
    lcu = parts["Load balancer capacity units"]
    # LCU = max(50 new conn/s / 25, 0.5 GB/h / 1) = 2 LCU per hour -> 1,460 LCU-hours x 0.008 = 11.68
    assert (lcu.quantity, lcu.monthly_usd) == (D(1460), D("11.68"))
    assert cost.monthly_usd == D("28.105")


def test_alb_without_traffic_usage_is_priced_for_its_hours_only():
    cost = cost_of(res(ALB, "alb", {"internal": True}))
    assert cost.status == "priced" and cost.monthly_usd == D("16.425")
    assert by_name(cost)["Load balancer capacity units"].quantity is None


def test_internet_facing_alb_pays_one_public_ipv4_per_subnet_and_its_egress():
    # rows alb.hour $0.0225, public_ipv4.in_use.hour $0.005, data_transfer.out_internet.tier1 $0.09 (0-10 TB)
    alb = res(ALB, "alb", {"subnets": ["subnet-a", "subnet-b", "subnet-c"]})
    cost = cost_of(alb, usage_yaml="resources: {alb: {monthlyDataOutGb: 100}}")
    parts = by_name(cost)
    assert parts["Public IPv4 addresses (3, one per subnet)"].monthly_usd == D("10.95")  # 3 x 730 x 0.005
    assert parts["Data out to the internet"].monthly_usd == D("9")  # 100 GB x 0.09
    assert cost.monthly_usd == D("36.375")  # 16.425 + 10.95 + 9
    unknown = cost_of(res(ALB, "alb", {"subnets": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}))
    assert unknown.status == "unpriced" and "public IPv4 addresses" in unknown.reason


def _api_stack(services: int) -> tuple[list[Resource], Resource]:
    alb = res(ALB, "alb", {"loadBalancerType": "application", "internal": True})
    listener = res(LISTENER, "https", {"port": 443}, refs={"loadBalancerArn": [alb]})
    resources = [alb, listener]
    for i in range(services):
        tg = res(TG, f"tg-{i}", {"targetType": "ip"})
        rule = res(RULE, f"rule-{i}", {"priority": i + 1}, refs={"listenerArn": [listener], "actions": [tg]})
        service = res(SERVICE, f"svc-{i}", {"launchType": "FARGATE"}, refs={"loadBalancers": [tg]})
        resources += [tg, rule, service]
    return resources, alb


def test_shared_alb_saving_counts_the_services_behind_the_listener_rules():
    resources, alb = _api_stack(3)
    found = report(*resources)
    saving = next(s for s in found.savings if s.kind == "shared-alb")
    assert saving.urn == alb.urn
    # one ALB per service: 3 x 16.425 = 49.275; the shared one: 16.425; saving 2 x 16.425 = 32.85
    assert (saving.baseline_usd, saving.optimized_usd, saving.monthly_saving_usd) == (
        D("49.275"),
        D("16.425"),
        D("32.85"),
    )
    assert saving.description.startswith("one shared application load balancer for 3 services")


def test_no_shared_alb_saving_for_a_single_service():
    resources, _ = _api_stack(1)
    assert [s for s in report(*resources).savings if s.kind == "shared-alb"] == []


def test_listeners_rules_and_target_groups_are_free():
    resources, _ = _api_stack(1)
    statuses = {r.type: (r.status, r.reason) for r in report(*resources).resources}
    assert statuses[LISTENER] == (
        "free",
        "listeners are free; traffic is priced in the load balancer's capacity units",
    )
    assert statuses[TG] == ("free", "target groups are free")


# --- Fargate ------------------------------------------------------------------------------------------------


def test_split_places_bases_first_then_by_weight():
    strategy = (Share("FARGATE", 2, 1), Share("FARGATE_SPOT", 0, 1))
    assert split(D(2), strategy) == {"FARGATE": D(2), "FARGATE_SPOT": D(0)}
    assert split(D(20), strategy) == {"FARGATE": D(11), "FARGATE_SPOT": D(9)}  # 2 + 18/2, 18/2
    assert split(D(1), (Share("FARGATE", 0, 1), Share("FARGATE_SPOT", 0, 4))) == {
        "FARGATE": D("0.2"),
        "FARGATE_SPOT": D("0.8"),
    }


def _service(
    *,
    cpu: str = "1024",
    memory: str = "2048",
    desired: int = 2,
    strategy: list[dict] | None = None,
    arch: str = "X86_64",
    bounds: tuple[int, int] | None = None,
    region: str | None = None,
) -> list[Resource]:
    task = res(
        TASK,
        "rag-api-task",
        {
            "cpu": cpu,
            "memory": memory,
            "runtimePlatform": {"cpuArchitecture": arch, "operatingSystemFamily": "LINUX"},
        },
        region=region,
    )
    cluster = res(CLUSTER, "cluster", {"name": "cluster"}, region=region)
    inputs = {"name": "rag-api", "desiredCount": desired}
    if strategy is not None:
        inputs["capacityProviderStrategies"] = strategy
    service = res(
        SERVICE, "rag-api", inputs, refs={"taskDefinition": [task], "cluster": [cluster]}, region=region
    )
    resources = [service, task, cluster]
    if bounds:
        resources.append(
            res(
                TARGET,
                "rag-api-scaling",
                {
                    "resourceId": "service/cluster/rag-api",
                    "scalableDimension": "ecs:service:DesiredCount",
                    "minCapacity": bounds[0],
                    "maxCapacity": bounds[1],
                },
                refs={"resourceId": [cluster, service]},
                region=region,
            )
        )
    return resources


PROD_STRATEGY = [
    {"capacityProvider": "FARGATE", "base": 2, "weight": 1},
    {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 1},
]


def test_prod_api_two_tasks_on_the_on_demand_base():
    assert (price("fargate.linux_x86.vcpu_hour"), price("fargate.linux_x86.gb_hour")) == (
        D("0.04048"),
        D("0.004445"),
    )
    cost = cost_of(*_service(strategy=PROD_STRATEGY, bounds=(2, 20)))
    parts = by_name(cost)
    vcpu, memory = parts["vCPU (FARGATE, x86)"], parts["Memory (FARGATE, x86)"]
    assert (vcpu.quantity, vcpu.monthly_usd) == (D(1460), D("59.1008"))  # 2 tasks x 1 vCPU x 730 h x 0.04048
    assert (memory.quantity, memory.monthly_usd) == (
        D(2920),
        D("12.9794"),
    )  # 2 tasks x 2 GB x 730 h x 0.004445
    assert cost.monthly_usd == D("72.0802") and cost.min_usd == D("72.0802")
    # max 20 tasks: 11 FARGATE + 9 FARGATE_SPOT; us-east-1 has no Spot price, so the upper bound prices the 9
    # Spot tasks at the on-demand rate: 20 x (0.04048 + 2 x 0.004445) x 730 = 720.802
    assert cost.max_usd == D("720.802")
    spot = parts["vCPU (FARGATE_SPOT, x86)"]
    assert spot.quantity == 0 and spot.unit_price == D("0.04048")
    assert "FARGATE_SPOT at the on-demand rate: an upper bound" in spot.note
    assert cost.status == "priced"  # nothing runs on Spot at the expected count


def test_spot_tasks_without_a_spot_price_are_priced_on_demand_as_the_upper_bound_never_zero():
    # rows fargate.linux_x86.vcpu_hour $0.04048, fargate.linux_x86.gb_hour $0.004445 (no us-east-1 Spot row)
    dev = [
        {"capacityProvider": "FARGATE", "base": 0, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 4},
    ]
    cost = cost_of(*_service(cpu="512", memory="1024", desired=1, strategy=dev))
    assert cost.status == "priced"
    parts = by_name(cost)
    # 0.2 tasks on FARGATE: 0.2 x 0.5 vCPU x 730 x 0.04048 + 0.2 x 1 GB x 730 x 0.004445
    assert parts["vCPU (FARGATE, x86)"].monthly_usd == D("2.95504")
    assert parts["Memory (FARGATE, x86)"].monthly_usd == D("0.64897")
    # 0.8 tasks on FARGATE_SPOT at the on-demand rates: 0.8 x 0.5 x 730 x 0.04048, 0.8 x 1 x 730 x 0.004445
    spot_vcpu, spot_memory = parts["vCPU (FARGATE_SPOT, x86)"], parts["Memory (FARGATE_SPOT, x86)"]
    assert (spot_vcpu.monthly_usd, spot_memory.monthly_usd) == (D("11.82016"), D("2.59588"))
    assert spot_vcpu.price_id == "fargate.linux_x86.vcpu_hour" and "an upper bound" in spot_vcpu.note
    assert cost.monthly_usd == D("18.02005") == cost.max_usd
    assert cost.min_usd == D("3.60401")  # the lower end leaves the Spot tasks out


def test_spot_price_from_the_catalog_gives_the_spot_saving():
    # eu-west-1 has a (secondary, grade S) Fargate Spot row: 0.01334053 per vCPU-h, 0.00146489 per GB-h
    strategy = [
        {"capacityProvider": "FARGATE", "base": 0, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 1},
    ]
    found = report(*_service(strategy=strategy, region="eu-west-1"), region="eu-west-1")
    cost = next(r for r in found.resources if r.type == SERVICE)
    parts = by_name(cost)
    # 1 task on each: Spot vCPU 730 x 0.01334053 = 9.7385869, Spot memory 1,460 GB-h x 0.00146489 = 2.1387394
    assert parts["vCPU (FARGATE_SPOT, x86)"].monthly_usd == D("9.738587")
    assert parts["Memory (FARGATE_SPOT, x86)"].monthly_usd == D("2.138739")
    assert "unverified secondary price (grade S" in parts["vCPU (FARGATE_SPOT, x86)"].note
    saving = next(s for s in found.savings if s.kind == "spot")
    on_demand = D("72.0802")  # both tasks on FARGATE
    spot_mix = D("29.5504") + D("6.4897") + D("9.738587") + D("2.138739")  # 1 on-demand + 1 spot task
    assert (saving.baseline_usd, saving.optimized_usd) == (on_demand, spot_mix)
    assert saving.monthly_saving_usd == on_demand - spot_mix
    assert cost.status == "priced"


def test_arm_tasks_use_the_graviton_rates():
    cost = cost_of(*_service(arch="ARM64", desired=1))
    parts = by_name(cost)
    assert parts["vCPU (FARGATE, ARM)"].monthly_usd == D("23.6374")  # 730 x 0.03238
    assert parts["Memory (FARGATE, ARM)"].monthly_usd == D("5.1976")  # 1,460 GB-h x 0.00356


def test_expected_count_from_usage_overrides_desired():
    cost = cost_of(*_service(desired=2, bounds=(1, 4)), usage_yaml="resources: {rag-api: {expectedCount: 3}}")
    # one task: 730 x 0.04048 + 1,460 x 0.004445 = 29.5504 + 6.4897 = 36.0401
    assert cost.monthly_usd == D("108.1203")  # 3 tasks
    assert (cost.min_usd, cost.max_usd) == (D("36.0401"), D("144.1604"))  # 1 and 4 tasks


def test_cluster_default_strategy_applies_when_the_service_names_none():
    resources = _service(desired=4)
    cluster = resources[2]
    providers = res(
        CLUSTER_PROVIDERS,
        "cluster-providers",
        {
            "clusterName": "cluster",
            "defaultCapacityProviderStrategies": [
                {"capacityProvider": "FARGATE", "base": 4, "weight": 1},
                {"capacityProvider": "FARGATE_SPOT", "weight": 3},
            ],
        },
        refs={"clusterName": [cluster]},
    )
    cost = cost_of(*resources, providers)
    assert by_name(cost)["vCPU (FARGATE, x86)"].quantity == D(2920)  # the base of 4 tasks, all on-demand


def test_ec2_capacity_providers_are_priced_on_the_instances():
    strategy = [{"capacityProvider": "my-asg-provider", "weight": 1}]
    cost = cost_of(*_service(strategy=strategy))
    assert cost.status == "free"
    assert cost.reason == "capacity provider(s) my-asg-provider run on EC2 capacity, priced on the instances"


def test_task_size_unknown_until_deployment_is_unpriced():
    cost = cost_of(*_service(cpu="04da6b54-80e4-46f7-96ec-b56ff0331ba9"))
    assert cost.status == "unpriced"
    assert (
        cost.reason
        == "task definition rag-api-task cpu is unknown until deployment, so the price cannot be computed"
    )


@pytest.mark.parametrize("count", [0, 1, 7])
def test_split_conserves_tasks(count: int):
    strategy = (Share("FARGATE", 1, 2), Share("FARGATE_SPOT", 0, 3))
    assert sum(split(Decimal(count), strategy).values()) == count
