"""NAT gateways, Elastic IPs and VPC endpoints: figures worked out by hand from the catalog's unit prices."""

from __future__ import annotations

from test_pricing_kit import D, by_name, cost_of, price, res

NAT = "aws:ec2/natGateway:NatGateway"
EIP = "aws:ec2/eip:Eip"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"


def test_nat_gateway_in_us_east_1_is_730_hours_at_0_045():
    assert price("nat_gateway.hour") == D("0.045")
    cost = cost_of(res(NAT, "nat-0", {"subnetId": "subnet-1"}))
    hours = by_name(cost)["NAT gateway"]
    assert (hours.quantity, hours.unit_price, hours.monthly_usd) == (
        D(730),
        D("0.045"),
        D("32.85"),
    )  # 730 x 0.045
    assert hours.usage_based is False and hours.price_id == "nat_gateway.hour"
    assert cost.status == "priced" and cost.service == "Amazon VPC"
    assert cost.monthly_usd == cost.min_usd == cost.max_usd == D("32.85")


def test_nat_data_processed_without_usage_shows_its_unit_price_not_zero_as_a_price():
    data = by_name(cost_of(res(NAT, "nat-0")))["Data processed"]
    assert data.quantity is None and data.monthly_usd == 0 and data.usage_based
    assert data.unit_price == D("0.045")
    assert (
        data.note
        == "Monthly cost depends on usage: $0.045 per GB (set `monthlyDataProcessedGb` in the usage file)"
    )


def test_nat_data_processed_with_usage():
    usage = "resources: {nat-0: {monthlyDataProcessedGb: 100}}"
    cost = cost_of(res(NAT, "nat-0"), usage_yaml=usage)
    assert by_name(cost)["Data processed"].monthly_usd == D("4.5")  # 100 GB x 0.045
    assert cost.monthly_usd == D("37.35")  # 32.85 + 4.50, the Infracost golden's figure


def test_nat_gateway_in_a_gap_region_is_unpriced_with_the_recorded_reason():
    cost = cost_of(res(NAT, "nat-w", region="us-west-2"))
    assert cost.status == "unpriced" and cost.region == "us-west-2"
    hours = by_name(cost)["NAT gateway"]
    assert hours.unit_price is None and hours.monthly_usd == 0 and hours.quantity == 730
    assert "no price 'nat_gateway.hour' for us-west-2" in cost.reason
    assert "no citeable source for this region" in cost.reason
    assert "`python -m cost refresh`" in cost.reason


def test_region_outside_the_catalog_is_named():
    cost = cost_of(res(NAT, "nat-x", region="ap-south-1"))
    assert cost.status == "unpriced"
    assert "region ap-south-1 is not in the price catalog" in cost.reason


def test_elastic_ip_is_a_public_ipv4_address_and_names_its_nat_gateway():
    eip = res(EIP, "nat-eip-0", {"domain": "vpc"})
    nat = res(NAT, "nat-0", {"allocationId": "nat-eip-0-id"}, refs={"allocationId": [eip]})
    cost = cost_of(eip, nat)
    address = by_name(cost)["Public IPv4 address"]
    assert address.monthly_usd == D("3.65")  # 730 h x 0.005
    assert address.note == "the public IPv4 address of NAT gateway nat-0"


def test_interface_endpoint_is_priced_per_az():
    endpoint = res(
        ENDPOINT,
        "vpce-logs",
        {
            "vpcEndpointType": "Interface",
            "serviceName": "com.amazonaws.us-east-1.logs",
            "subnetIds": ["a", "b", "c"],
        },
    )
    cost = cost_of(endpoint)
    hours = by_name(cost)["Interface endpoint (3 AZ)"]
    assert hours.quantity == D(2190) and hours.monthly_usd == D("21.9")  # 3 AZ x 730 h x 0.01
    assert cost.status == "priced"


def test_interface_endpoint_data_uses_the_tiers():
    endpoint = res(ENDPOINT, "vpce", {"vpcEndpointType": "Interface", "subnetIds": ["a"]})
    cost = cost_of(endpoint, usage_yaml="resources: {vpce: {monthlyDataProcessedGb: 2000}}")
    data = by_name(cost)["Data processed"]
    assert data.quantity == 2000 and data.monthly_usd == D("20")  # first tier (1 PB): 2,000 GB x 0.01


def test_gateway_endpoint_is_free():
    cost = cost_of(
        res(ENDPOINT, "vpce-s3", {"vpcEndpointType": "Gateway", "serviceName": "com.amazonaws.us-east-1.s3"})
    )
    assert cost.status == "free" and cost.monthly_usd == 0
    assert cost.reason == "gateway endpoints (S3, DynamoDB) have no hourly or data charge"
