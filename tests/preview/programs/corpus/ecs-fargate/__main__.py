"""ECS Fargate service behind an Application Load Balancer, as in Pulumi's aws-py-fargate example."""

import json

import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]}])
prefix_list = aws.ec2.get_managed_prefix_list(name="com.amazonaws.global.cloudfront.origin-facing")
group = aws.ec2.SecurityGroup(
    "web",
    vpc_id=vpc.id,
    description="from CloudFront",
    ingress=[{"protocol": "tcp", "from_port": 80, "to_port": 80, "prefix_list_ids": [prefix_list.id]}],
    egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": [vpc.cidr_block]}],
)
alb = aws.lb.LoadBalancer("web", security_groups=[group.id], subnets=subnets.ids)
target = aws.lb.TargetGroup("web", port=80, protocol="HTTP", target_type="ip", vpc_id=vpc.id)
listener = aws.lb.Listener(
    "web",
    load_balancer_arn=alb.arn,
    port=80,
    default_actions=[{"type": "forward", "target_group_arn": target.arn}],
)
cluster = aws.ecs.Cluster("cluster")
role = aws.iam.Role(
    "task-exec",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
task = aws.ecs.TaskDefinition(
    "app",
    family="app",
    cpu="256",
    memory="512",
    network_mode="awsvpc",
    requires_compatibilities=["FARGATE"],
    execution_role_arn=role.arn,
    container_definitions=json.dumps(
        [{"name": "app", "image": "nginx:1.27", "portMappings": [{"containerPort": 80, "protocol": "tcp"}]}]
    ),
)
service = aws.ecs.Service(
    "app",
    cluster=cluster.arn,
    desired_count=2,
    launch_type="FARGATE",
    task_definition=task.arn,
    network_configuration={"subnets": subnets.ids, "security_groups": [group.id], "assign_public_ip": False},
    load_balancers=[{"target_group_arn": target.arn, "container_name": "app", "container_port": 80}],
    opts=pulumi.ResourceOptions(depends_on=[listener]),
)
pulumi.export("url", alb.dns_name.apply(lambda dns: f"http://{dns}"))
