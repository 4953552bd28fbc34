"""Platform → Network → SubnetTier: three levels of ComponentResource, children under each."""

import pulumi
import pulumi_aws as aws


class SubnetTier(pulumi.ComponentResource):
    def __init__(self, name: str, vpc: aws.ec2.Vpc, cidrs: list[str], opts: pulumi.ResourceOptions) -> None:
        super().__init__("acme:network:SubnetTier", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.subnets = [
            aws.ec2.Subnet(f"{name}-{i}", vpc_id=vpc.id, cidr_block=cidr, opts=child)
            for i, cidr in enumerate(cidrs)
        ]
        self.register_outputs({"ids": [s.id for s in self.subnets]})


class Network(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions) -> None:
        super().__init__("acme:network:Network", name, None, opts)
        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc", cidr_block="10.1.0.0/16", opts=pulumi.ResourceOptions(parent=self)
        )
        self.private = SubnetTier(
            f"{name}-private", self.vpc, ["10.1.1.0/24", "10.1.2.0/24"], pulumi.ResourceOptions(parent=self)
        )
        self.register_outputs({"vpcId": self.vpc.id})


def owner_tag(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    if args.custom:
        return pulumi.ResourceTransformResult({**args.props, "tags": {"owner": "platform"}}, args.opts)
    return None


class Platform(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("acme:platform:Platform", name, None, pulumi.ResourceOptions(transforms=[owner_tag]))
        self.network = Network(f"{name}-net", pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


platform = Platform("core")
pulumi.export("vpc_id", platform.network.vpc.id)
pulumi.export("subnet_ids", [s.id for s in platform.network.private.subnets])
