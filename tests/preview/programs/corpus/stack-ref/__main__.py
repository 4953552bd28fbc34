"""Reads another stack's outputs, as in Pulumi's stack-reference examples."""

import pulumi
import pulumi_aws as aws

network = pulumi.StackReference("acme/network/prod")
vpc_id = network.get_output("vpcId")
subnet_ids = network.require_output("privateSubnetIds")
group = aws.ec2.SecurityGroup("app", description="app tier", vpc_id=vpc_id)
db_subnets = aws.rds.SubnetGroup("db", subnet_ids=subnet_ids)
pulumi.export("vpc", vpc_id)
pulumi.export("first_subnet", subnet_ids.apply(lambda ids: ids[0]))
