"""EKS cluster whose kubeconfig is built from outputs, as in Pulumi's aws-py-eks example."""

import json

import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]}])
role = aws.iam.Role(
    "cluster-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "cluster-policy", role=role.name, policy_arn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
)
cluster = aws.eks.Cluster(
    "cluster",
    role_arn=role.arn,
    vpc_config={"subnet_ids": subnets.ids, "endpoint_public_access": False, "endpoint_private_access": True},
)


def kubeconfig(args: list) -> str:
    endpoint, ca, name = args
    return json.dumps(
        {
            "apiVersion": "v1",
            "clusters": [
                {"cluster": {"server": endpoint, "certificate-authority-data": ca.data}, "name": name}
            ],
            "users": [{"name": "aws", "user": {"exec": {"command": "aws", "args": ["eks", "get-token"]}}}],
        }
    )


config = pulumi.Output.all(cluster.endpoint, cluster.certificate_authority, cluster.name).apply(kubeconfig)
pulumi.export("kubeconfig", pulumi.Output.secret(config))
pulumi.export("cluster_name", cluster.name)
pulumi.export("subnet_count", len(subnets.ids))
