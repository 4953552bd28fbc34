"""CloudWatch dashboard bodies: metric widgets name namespaces and dimensions of resources in the stack.

No catalogue of every AWS metric exists to check more; what can be checked is that a widget's dimension value
(`FunctionName`, `LoadBalancer`, ...) is the identifier of a resource this stack creates, for the namespaces
and dimensions `metric_dimensions.DIMENSIONS` maps to resource types. A metric in another namespace (a custom
one, or an AWS namespace whose dimensions are not resource properties) is skipped, and a value unknown during
preview is not judged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from policies.metadata import RuleMeta
from policies.rules.framework import JoinRule, Rule, Settings
from policies.rules.props import Unknown, View, as_list, as_map, dig, is_unknown
from policies.rules.stack_index import Stack
from policies.rules.validity.common import rejected
from policies.rules.validity.metric_dimensions import DIMENSIONS

DASHBOARD = ("aws:cloudwatch/dashboard:Dashboard",)


class Identifiers:
    """Per (namespace, dimension): the values the stack's resources give it, and whether any is unknown."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.unknown: set[tuple[str, str]] = set()


def _values(value: Any, path: tuple[str, ...]) -> Iterator[Any]:
    """The values at `path`; an unknown on the way is yielded as is (an absent list holds no values)."""
    if not path or is_unknown(value):
        yield value
    elif path[0] == "[]":
        for item in value if isinstance(value, list) else []:
            yield from _values(item, path[1:])
    elif isinstance(value, Mapping):
        yield from _values(value.get(path[0]), path[1:])


def index(stack: Stack) -> Identifiers:
    found = Identifiers()
    if not stack.of_types(DASHBOARD):
        return found  # nothing to judge: a stack without dashboards pays nothing for the mapping
    for key, sources in DIMENSIONS.items():
        for types, path in sources:
            for view in stack.of_types(types):
                for value in _values(view.props, path):
                    if isinstance(value, str) and value and not is_unknown(value):
                        found.values[key].add(value)
                    else:  # unknown during preview, or not among the props the engine sent: cannot judge
                        found.unknown.add(key)
    return found


def _rows(metrics: list[Any], where: str) -> Iterator[tuple[str, list[Any]]]:
    """Each metric row with `"."` (same as the previous row) filled in; expression rows are skipped."""
    previous: list[Any] = []
    for index, raw in enumerate(metrics):
        row = [item for item in as_list(raw, f"{where}[{index}]") if not isinstance(item, Mapping)]
        filled = [previous[i] if item == "." and i < len(previous) else item for i, item in enumerate(row)]
        previous = filled
        if filled:
            yield f"{where}[{index}]", filled


def _judge_row(where: str, row: list[Any], ids: Identifiers) -> Iterator[str]:
    namespace = row[0]
    pairs = list(zip(row[2::2], row[3::2], strict=False))
    for dimension, value in pairs:
        key = (str(namespace), str(dimension))
        if key not in DIMENSIONS or key in ids.unknown or is_unknown(value):
            continue
        if value not in ids.values.get(key, set()):
            kind = DIMENSIONS[key][0][0][0].split(":")[-1]
            yield f"{where}: {namespace} `{dimension}` {value!r} is no {kind} of this stack."


def _body(view: View, ids: Identifiers) -> Iterator[str]:
    if not view.has("dashboardBody"):
        return
    body = as_map(view.json_("dashboardBody"), "dashboardBody")
    for index, raw in enumerate(as_list(body.get("widgets"), "dashboardBody.widgets")):
        where = f"dashboardBody.widgets[{index}]"
        widget = as_map(raw, where)
        if widget.get("type") != "metric":
            continue
        metrics = dig(widget, "properties", "metrics", base=where)
        if is_unknown(metrics):
            raise Unknown(f"{where}.properties.metrics")
        for row_where, row in _rows(
            as_list(metrics, f"{where}.properties.metrics"), f"{where}.properties.metrics"
        ):
            yield from _judge_row(row_where, row, ids)


def _judge(view: View, ids: Identifiers, _settings: Settings) -> Iterator[str]:
    yield from rejected(_body(view, ids))


VALID = JoinRule(
    RuleMeta(
        name="aws-cloudwatch-dashboard-metrics-in-stack",
        area="validity",
        description="Dashboard metric widgets name dimensions of resources this stack creates.",
        severity="medium",
        rationale=(
            "A metric widget whose dimension value (a function name, a load balancer's ARN suffix) names no "
            "resource of the stack shows an empty graph, typically after a rename; a body that does not "
            f"parse is rejected by PutDashboard. Judged for the {len(DIMENSIONS)} dimensions of "
            f"{len({namespace for namespace, _ in DIMENSIONS})} AWS namespaces whose value is a resource "
            "property (names from AWS's metric definitions as aws-cdk-lib ships them); "
            "metrics in custom namespaces, and dimensions such as `Operation` or a provider id "
            "(`InstanceId`), are skipped, not judged."
        ),
        remediation="Build the dimension values from the resources' outputs instead of literal names.",
        kind="stack",
        resource_types=DASHBOARD,
        url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html",
    ),
    index,
    _judge,
)

RULES: list[Rule] = [VALID]
