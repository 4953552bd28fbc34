"""ECS task definitions: container definitions against botocore's `ContainerDefinition` shape of
RegisterTaskDefinition, and Fargate task sizes against the CPU/memory pairs Fargate offers.

botocore marks no `ContainerDefinition` member required; `name` and `image` are required as the task
definition parameters page documents them. Fargate's size table is the one our program's config validates
against (`components.config`), kept in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsvalues.fargate import FARGATE_CPU_UNITS, fargate_memory_options
from policies.metadata import RuleMeta
from policies.rules import tokens
from policies.rules.framework import Rule, Settings
from policies.rules.props import View, as_list, as_map, as_str
from policies.rules.validity import botocore_models, shapes
from policies.rules.validity.common import document_rule, rejected

REQUIRED = ("name", "image")
_UNIT = re.compile(r"^\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>vcpu|gb)?\s*$", re.IGNORECASE)


def _units(text: str | None) -> int | str | None:
    """CPU units or MiB from `"1024"`, `"1 vCPU"` or `"2 GB"`; the text itself when it has no such form."""
    if text is None:
        return None
    match = _UNIT.match(text)
    if match is None:
        return text
    number = float(match["number"])
    return int(number * 1024) if match["unit"] else int(number)


def _containers(view: View) -> Iterator[str]:
    if not view.has("containerDefinitions"):
        return
    decoded = view.json_("containerDefinitions")
    shape = botocore_models.shape("ecs", "ContainerDefinition")
    for index, raw in enumerate(as_list(decoded, "containerDefinitions")):
        where = f"containerDefinitions[{index}]"
        body = as_map(raw, where)
        for name in REQUIRED:
            if name not in body:
                yield f"`{where}.{name}` is required (a container definition needs `name` and `image`)."
        yield from shapes.validate(body, shape, where)


def _fargate(view: View) -> Iterator[str]:
    compatibilities = [as_str(c, "requiresCompatibilities") for c in view.list_("requiresCompatibilities")]
    if "FARGATE" not in compatibilities:
        return
    cpu = _units(view.str_("cpu"))
    memory = _units(view.str_("memory"))
    if cpu is None or memory is None:
        yield "Fargate tasks need task-level `cpu` and `memory`."
        return
    if not isinstance(cpu, int) or cpu not in FARGATE_CPU_UNITS:
        yield f"`cpu` {cpu!r} is not a Fargate size ({', '.join(map(str, FARGATE_CPU_UNITS))} CPU units)."
        return
    allowed = fargate_memory_options(cpu)
    if memory not in allowed:
        yield (
            f"`memory` {memory!r} MiB is not offered with {cpu} CPU units on Fargate "
            f"({allowed[0]}-{allowed[-1]} MiB in steps of {allowed[1] - allowed[0]})."
        )


def _valid(view: View, _settings: Settings) -> Iterator[str]:
    yield from rejected(_containers(view))
    yield from rejected(_fargate(view))


VALID = document_rule(
    RuleMeta(
        name="aws-ecs-task-definition-valid",
        area="validity",
        description="ECS container definitions fit RegisterTaskDefinition and Fargate task sizes exist.",
        severity="high",
        rationale=(
            'A container definition with a wrong member type (`memoryReservation: "512"`) or an unsupported '
            "CPU/memory pair fails at RegisterTaskDefinition during `pulumi up`; a misspelled member is "
            "silently dropped. Judged against botocore's ECS service model."
        ),
        remediation=(
            "Fix the named member (type, enum value or spelling) and pick a CPU/memory pair from the Fargate "
            "task-size table."
        ),
        kind="stack",
        resource_types=tokens.ECS_TASK_DEFINITION,
        url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
    ),
    _valid,
)

RULES: list[Rule] = [VALID]
