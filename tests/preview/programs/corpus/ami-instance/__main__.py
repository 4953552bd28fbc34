"""An EC2 web server from an AMI lookup, as in Pulumi's aws-py-webserver example."""

import pulumi
import pulumi_aws as aws

ami = aws.ec2.get_ami(
    most_recent=True,
    owners=["amazon"],
    filters=[{"name": "name", "values": ["al2023-ami-*-x86_64"]}],
)
group = aws.ec2.SecurityGroup(
    "web-sg",
    description="HTTP in",
    ingress=[{"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_blocks": ["10.0.0.0/8"]}],
)
server = aws.ec2.Instance(
    "web",
    instance_type="t3.micro",
    ami=ami.id,
    vpc_security_group_ids=[group.id],
    metadata_options={"http_tokens": "required"},
    tags={"Name": "web"},
)
pulumi.export("ami_id", ami.id)
pulumi.export("ami_most_recent", ami.most_recent)
pulumi.export("public_ip", server.public_ip)
