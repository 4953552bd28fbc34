"""EC2 (instances, EBS, snapshots, spot, Auto Scaling groups), EKS and SageMaker Studio: figures worked out by
hand from the catalog rows each test names (us-east-1 unless stated)."""

from __future__ import annotations

from test_pricing_kit import D, by_name, cost_of, price, res

INSTANCE = "aws:ec2/instance:Instance"
SPOT_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest"
TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ASG = "aws:autoscaling/group:Group"
VOLUME = "aws:ebs/volume:Volume"
SNAPSHOT = "aws:ebs/snapshot:Snapshot"
EKS = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
PROFILE = "aws:eks/fargateProfile:FargateProfile"
APP = "aws:sagemaker/app:App"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"


def test_instance_with_gp3_root_volume_and_public_ip():
    # rows ec2.linux.m6i.large $0.096/h, ebs.gp3.storage $0.08, ebs.gp3.iops $0.005, ebs.gp3.throughput $0.04,
    # public_ipv4.in_use.hour $0.005
    assert price("ec2.linux.m6i.large") == D("0.096")
    root = {"volumeSize": 100, "volumeType": "gp3", "iops": 4000, "throughput": 250}
    inputs = {"instanceType": "m6i.large", "rootBlockDevice": root, "associatePublicIpAddress": True}
    cost = cost_of(res(INSTANCE, "web", inputs))
    parts = by_name(cost)
    assert parts["Instance (m6i.large, Linux, on-demand)"].monthly_usd == D("70.08")  # 730 x 0.096
    assert parts["Root volume (gp3, 100 GB)"].monthly_usd == D("8")  # 100 x 0.08
    assert parts["Root volume IOPS above 3000"].monthly_usd == D("5")  # 1,000 x 0.005
    assert parts["Root volume throughput above 125 MiB/s"].monthly_usd == D("5")  # 125 x 0.04
    assert parts["Public IPv4 address"].monthly_usd == D("3.65")  # 730 x 0.005
    assert cost.monthly_usd == D("91.73") and cost.status == "priced"


def test_instance_root_size_from_the_ami_is_said_not_guessed():
    cost = cost_of(res(INSTANCE, "web", {"instanceType": "t3.micro"}))
    parts = by_name(cost)
    assert parts["Instance (t3.micro, Linux, on-demand)"].monthly_usd == D("7.592")  # 730 x 0.0104
    root = parts["Root volume (size from the AMI)"]
    assert root.quantity is None and "rootBlockDevice.volumeSize" in root.note
    assert cost.status == "priced"


def test_dedicated_windows_and_unknown_types_are_unpriced_with_the_reason():
    dedicated = cost_of(res(INSTANCE, "a", {"instanceType": "m5.large", "tenancy": "dedicated"}))
    assert dedicated.status == "unpriced" and dedicated.reason.startswith("dedicated tenancy has no price")
    windows = cost_of(res(INSTANCE, "b", {"instanceType": "m5.large", "getPasswordData": True}))
    assert windows.status == "unpriced" and "Windows" in windows.reason
    unknown = cost_of(res(INSTANCE, "c", {"instanceType": "x2iedn.xlarge"}))
    assert unknown.status == "unpriced" and "no price 'ec2.linux.x2iedn.xlarge'" in unknown.reason


def test_spot_request_is_on_demand_as_upper_bound_capped_by_its_spot_price():
    # row ec2.linux.c5.xlarge $0.17/h; no spot row exists
    spot = cost_of(res(SPOT_REQUEST, "batch", {"instanceType": "c5.xlarge"}))
    compute = by_name(spot)["Instance (c5.xlarge, Linux, spot)"]
    assert compute.monthly_usd == D("124.1") and "upper bound" in compute.note  # 730 x 0.17
    assert (spot.min_usd, spot.max_usd) == (D(0), D("124.1"))
    capped = cost_of(res(SPOT_REQUEST, "batch", {"instanceType": "c5.xlarge", "spotPrice": "0.05"}))
    assert capped.monthly_usd == D("36.5")  # 730 x the request's own cap $0.05


def test_ebs_volumes_io1_io2_st1_and_snapshot_by_usage():
    # rows ebs.io1.storage $0.125, ebs.io1.iops $0.065, ebs.io2.iops.tier1 $0.065, ebs.st1.storage $0.045,
    # ebs.sc1.storage $0.015, ebs.snapshot.standard $0.05
    io1 = cost_of(res(VOLUME, "v1", {"size": 200, "type": "io1", "iops": 1000}))
    assert io1.monthly_usd == D("90")  # 200 x 0.125 + 1,000 x 0.065
    io2 = by_name(cost_of(res(VOLUME, "v2", {"size": 100, "type": "io2", "iops": 500})))
    assert io2["EBS volume provisioned IOPS"].monthly_usd == D("32.5") and "upper bound" in (
        io2["EBS volume provisioned IOPS"].note
    )
    assert cost_of(res(VOLUME, "v3", {"size": 500, "type": "st1"})).monthly_usd == D("22.5")
    assert cost_of(res(VOLUME, "v4", {"size": 1000, "type": "sc1"})).monthly_usd == D("15")
    snapshot = cost_of(res(SNAPSHOT, "s"), usage_yaml="resources: {s: {storageGb: 40}}")
    assert snapshot.monthly_usd == D("2")  # 40 GB x 0.05
    assert cost_of(res(SNAPSHOT, "s")).status == "usage-dependent"


def test_ebs_outside_the_catalog_regions_rows_is_unpriced_with_the_gap():
    cost = cost_of(res(VOLUME, "v", {"size": 10, "type": "gp3"}, region="us-west-2"))
    assert cost.status == "unpriced" and "no AWS-owned EBS data" in cost.reason


def test_auto_scaling_group_mixed_instances_range_and_spot_share():
    # rows ec2.linux.m5.large $0.096, ec2.linux.m6g.large $0.077, ebs.gp3.storage $0.08
    template = res(
        TEMPLATE,
        "lt",
        {
            "instanceType": "m5.large",
            "blockDeviceMappings": [
                {"deviceName": "/dev/xvda", "ebs": {"volumeSize": 20, "volumeType": "gp3"}}
            ],
        },
    )
    mixed = {
        "launchTemplate": {"overrides": [{"instanceType": "m5.large"}, {"instanceType": "m6g.large"}]},
        "instancesDistribution": {"onDemandBaseCapacity": 1, "onDemandPercentageAboveBaseCapacity": 50},
    }
    group = res(
        ASG,
        "workers",
        {"minSize": 1, "maxSize": 5, "desiredCapacity": 3, "mixedInstancesPolicy": mixed},
        refs={"mixedInstancesPolicy": [template]},
    )
    cost = cost_of(group, template)
    parts = by_name(cost)
    # 3 instances: 1 base on-demand + 50% of 2 above = 2 on-demand, 1 spot (at the on-demand rate)
    assert parts["Instance (m5.large, Linux, on-demand)"].monthly_usd == D("140.16")  # 2 x 730 x 0.096
    assert parts["Instance (m5.large, Linux, spot)"].monthly_usd == D("70.08")  # 1 x 730 x 0.096
    assert cost.monthly_usd == D("140.16") + D("70.08") + D("3.2") + D("1.6")  # + 20 GB x 0.08 per instance
    # min: 1 on-demand m6g.large + its volume = 56.21 + 1.60; max: 5 m5.large (3 on-demand + 2 spot) + volumes
    assert cost.min_usd == D("57.81")
    assert cost.max_usd == D("358.4")  # 5 x 730 x 0.096 + 5 x 1.60


def test_eks_cluster_standard_with_extended_support_as_the_upper_end():
    # rows eks.cluster.standard.hour $0.10, eks.cluster.extended_support.hour $0.50
    cost = cost_of(res(EKS, "eks", {"version": "1.29"}))
    assert (cost.monthly_usd, cost.max_usd) == (D("73"), D("438"))  # 730 x 0.10; 730 x (0.10 + 0.50)
    standard = cost_of(res(EKS, "eks", {"upgradePolicy": {"supportType": "STANDARD"}}))
    assert (standard.monthly_usd, standard.max_usd) == (D("73"), D("73"))


def test_eks_node_group_range_and_fargate_profile_by_usage():
    # rows ec2.linux.t3.large $0.0832, ebs.gp2.storage $0.10;
    # eks.fargate.linux.vcpu_hour $0.04048, eks.fargate.linux.gb_hour $0.004445
    inputs = {"instanceTypes": ["t3.large"], "scalingConfig": {"desiredSize": 2, "minSize": 1, "maxSize": 4}}
    cost = cost_of(res(NODE_GROUP, "nodes", inputs))
    assert cost.monthly_usd == D("125.472")  # 2 x (730 x 0.0832 + 20 GB x 0.10)
    assert (cost.min_usd, cost.max_usd) == (D("62.736"), D("250.944"))
    profile = cost_of(
        res(PROFILE, "pods"), usage_yaml="resources: {pods: {expectedCount: 4, podVcpu: 0.5, podMemoryGb: 1}}"
    )
    assert profile.monthly_usd == D("72.0802")  # 4 x 730 x (0.5 x 0.04048 + 1 x 0.004445) = 59.1008 + 12.9794
    assert by_name(profile)["Fargate pod memory"].monthly_usd == D("12.9794")


def test_studio_app_and_notebook_instance():
    # row sagemaker.studio_notebook.ml.t3.large $0.10/h
    app = {"appType": "JupyterLab", "resourceSpec": {"instanceType": "ml.t3.large"}}
    assert cost_of(res(APP, "lab", app)).monthly_usd == D("73")  # 730 x 0.10
    part_time = cost_of(res(APP, "lab", app), usage_yaml="resources: {lab: {hoursPerMonth: 160}}")
    assert part_time.monthly_usd == D("16")
    ui = cost_of(res(APP, "ui", {"appType": "JupyterServer", "resourceSpec": {"instanceType": "system"}}))
    assert ui.status == "free"
    notebook = cost_of(res(NOTEBOOK, "nb", {"instanceType": "ml.t3.medium", "volumeSize": 20}))
    assert notebook.status == "unpriced" and "classic SageMaker notebook instances" in notebook.reason
