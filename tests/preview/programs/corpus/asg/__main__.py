"""Launch template + Auto Scaling group over the default VPC, with ECS-optimized AMI from SSM."""

import base64

import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]}])
default_sg = aws.ec2.get_security_group(vpc_id=vpc.id, name="default")
image = aws.ssm.get_parameter(name="/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id")
cluster = aws.ecs.Cluster("cluster")
user_data = cluster.name.apply(
    lambda name: base64.b64encode(
        f"#!/bin/bash\necho ECS_CLUSTER={name} >> /etc/ecs/ecs.config\n".encode()
    ).decode()
)
template = aws.ec2.LaunchTemplate(
    "nodes",
    image_id=image.value,
    instance_type="t3.small",
    vpc_security_group_ids=[default_sg.id],
    user_data=user_data,
    metadata_options={"http_tokens": "required"},
)
group = aws.autoscaling.Group(
    "nodes",
    min_size=1,
    max_size=3,
    desired_capacity=2,
    vpc_zone_identifiers=subnets.ids,
    launch_template={"id": template.id, "version": "$Latest"},
)
pulumi.export("template_id", template.id)
pulumi.export("latest_version", template.latest_version)
