"""The one resource graph (`inventory.graph`): property dependencies first, then identifiers; the pack's stack
index and the cost module's links are this graph over their own node types, so they resolve alike."""

from __future__ import annotations

from typing import Any

from cost.pricing.links import Links
from inventory.graph import Refs
from inventory.model import UNKNOWN, Resource
from policies.rules.props import View
from policies.rules.stack_index import Stack

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
GROUP = "aws:ec2/securityGroup:SecurityGroup"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::p::{type_}::{name}"


def resource(
    type_: str, name: str, inputs: dict[str, Any] | None = None, deps: dict[str, list[str]] | None = None
) -> Resource:
    outputs = {"id": f"{name}-id", "arn": f"arn:aws:x:::{name}", "name": name, **(inputs or {})}
    return Resource(
        urn(type_, name),
        type_,
        name,
        True,
        dict(inputs or {}),
        outputs,
        None,
        None,
        [],
        deps or {},
        frozenset(),
        frozenset(),
    )


def view(type_: str, name: str, props: dict[str, Any], deps: dict[str, list[str]] | None = None) -> View:
    return View(type_, name, urn(type_, name), {"id": f"{name}-id", "name": name, **props}, None, deps)


def names(refs: Refs[Any] | list[Any]) -> list[str]:
    return [node.name for node in (refs.targets if isinstance(refs, Refs) else refs)]


def test_property_dependencies_resolve_a_reference_whose_value_is_unknown() -> None:
    bucket = view(BUCKET, "data", {"bucket": UNKNOWN})
    sse = view(SSE, "data-sse", {"bucket": UNKNOWN}, {"bucket": [bucket.urn]})
    stack = Stack([bucket, sse])
    assert names(stack.resolve(sse, "bucket", UNKNOWN, (BUCKET,))) == ["data"]


def test_without_property_dependencies_identifiers_resolve_and_unknown_is_said() -> None:
    bucket = view(BUCKET, "data", {"bucket": "data-3f2a"})
    by_name = view(SSE, "a", {"bucket": "data-3f2a"})
    by_id = view(SSE, "b", {"bucket": "data-id"})
    unknown = view(SSE, "c", {"bucket": UNKNOWN})
    outside = view(SSE, "d", {"bucket": "someone-elses-bucket"})
    stack = Stack([bucket, by_name, by_id, unknown, outside])
    assert names(stack.resolve(by_name, "bucket", "data-3f2a", (BUCKET,))) == ["data"]
    assert names(stack.resolve(by_id, "bucket", "data-id", (BUCKET,))) == ["data"]
    assert stack.resolve(unknown, "bucket", UNKNOWN, (BUCKET,)) == Refs(unknown=True)
    assert stack.resolve(outside, "bucket", "someone-elses-bucket", (BUCKET,)) == Refs(
        external="someone-elses-bucket"
    )


def test_dependencies_win_over_identifiers_and_other_types_fall_back_to_identifiers() -> None:
    lb_a, lb_b = view(LB, "a", {"arn": "arn:lb/a"}), view(LB, "b", {"arn": "arn:lb/b"})
    group = view(GROUP, "sg", {})
    # The engine says the listener's balancer is `a`, whatever the (stale) value says.
    listener = view(LISTENER, "l", {"loadBalancerArn": "arn:lb/b"}, {"loadBalancerArn": [lb_a.urn]})
    # Dependencies recorded, but none on a load balancer: the value decides.
    odd = view(LISTENER, "m", {"loadBalancerArn": "arn:lb/b"}, {"loadBalancerArn": [group.urn]})
    stack = Stack([lb_a, lb_b, group, listener, odd])
    assert names(stack.resolve(listener, "loadBalancerArn", "arn:lb/b", (LB,))) == ["a"]
    assert names(stack.resolve(odd, "loadBalancerArn", "arn:lb/b", (LB,))) == ["b"]


def test_a_list_resolves_each_member_and_names_the_first_outside_one() -> None:
    one, two = view(GROUP, "one", {}), view(GROUP, "two", {})
    balancer = view(LB, "lb", {"securityGroups": ["one-id", "sg-0123", "two-id", "one-id"]})
    stack = Stack([one, two, balancer])
    refs = stack.resolve(balancer, "securityGroups", balancer.props["securityGroups"], (GROUP,))
    assert names(refs) == ["one", "two"] and refs.external == "sg-0123" and not refs.unknown
    partly_unknown = stack.resolve(balancer, "securityGroups", [UNKNOWN, "sg-0123"], (GROUP,))
    assert partly_unknown == Refs(unknown=True, external="sg-0123")


def test_log_group_arns_with_the_star_suffix_match_their_group() -> None:
    group = view(LOG_GROUP, "logs", {"arn": "arn:aws:logs:us-east-1:1:log-group:/x"})
    machine = view("aws:sfn/stateMachine:StateMachine", "m", {})
    stack = Stack([group, machine])
    refs = stack.resolve(machine, "loggingConfiguration", {"dest": "arn:aws:logs:us-east-1:1:log-group:/x:*"})
    assert names(refs) == ["logs"]


def test_a_node_never_refers_to_itself() -> None:
    sse = view(SSE, "sse", {"bucket": "sse-id"}, {"bucket": []})
    assert Stack([sse]).resolve(sse, "bucket", "sse-id") == Refs(external="sse-id")


def test_cost_links_read_inputs_as_references_and_outputs_as_identifiers() -> None:
    eip = resource("aws:ec2/eip:Eip", "eip")
    nat = resource("aws:ec2/natGateway:NatGateway", "nat", {"allocationId": "eip-id"})
    other = resource("aws:ec2/natGateway:NatGateway", "other", {"subnetId": "s"}, {"subnetId": [eip.urn]})
    links = Links([eip, nat, other])
    assert names(links.refs(nat, "allocationId")) == ["eip"]
    assert links.ref(nat, "allocationId", "aws:ec2/eip:Eip") is eip
    assert links.ref(nat, "allocationId", LB) is None
    assert names(links.referrers(eip, "aws:ec2/natGateway:NatGateway", "allocationId")) == ["nat"]
    assert names(links.referrers(eip, "aws:ec2/natGateway:NatGateway")) == ["nat", "other"]


def test_the_pack_and_the_pricers_resolve_the_same_references() -> None:
    """One listener and its balancer, once as inventory resources, once as the views the pack gets."""
    lb = resource(LB, "alb")
    listener = resource(LISTENER, "https", {"loadBalancerArn": UNKNOWN}, {"loadBalancerArn": [lb.urn]})
    by_value = resource(LISTENER, "http", {"loadBalancerArn": "arn:aws:x:::alb"})
    links = Links([lb, listener, by_value])
    views = [
        View(r.type, r.name, r.urn, {**r.inputs, **r.outputs}, None, r.property_dependencies)
        for r in (lb, listener, by_value)
    ]
    stack = Stack(views)
    for index, item in enumerate((listener, by_value)):
        pack = stack.resolve(views[index + 1], "loadBalancerArn", item.inputs["loadBalancerArn"], (LB,))
        assert names(pack) == names(links.refs(item, "loadBalancerArn", (LB,))) == ["alb"]
