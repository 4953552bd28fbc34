"""`python -m cost report|diff|refresh|rightsize`: the cost estimator's command line.

Exit codes: 0 ok; 1 the estimate is over the budget (`report`, `diff`), or, under `--fail-on-unpriced`, some
resource is unpriced (the total is a lower bound, so a budget cannot be confirmed); 2 bad input or any other
error, with a one-paragraph message (the traceback only with `--debug`; `inventory.cli.run_guarded`); 130
interrupted. 1 therefore always means "the budget gate failed", which is what a CI gate tests for.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType
from rich.text import Text

from cost import refresh
from cost.budget import BudgetStatus, check_budget, parse_amount, resolve_budget
from cost.diff import diff_reports
from cost.estimate import estimate
from cost.model import CostReport
from cost.render.formats import DIFF_FORMATS, REPORT_FORMATS, render_diff, render_report
from cost.render.jsonfmt import load_report
from cost.render.recommendations import RENDERERS, Run, recommendation_renderables
from cost.render.summary import total_line
from cost.render.table import WIDTH, diff_renderables, report_renderables
from cost.rightsizing import cloudwatch_recommendations, offline_recommendations, offline_savings
from cost.usage import Usage, load_usage
from inventory.cli import (
    DEFAULT_STACK,
    EXIT_FINDINGS,
    EXIT_OK,
    REPO_ROOT,
    add_input_options,
    checked_stack,
    inventory_from_args,
    run_guarded,
    write_output,
)
from inventory.errors import InputError
from inventory.model import Inventory
from inventory.synth import Synthesis

Handler = Callable[[argparse.Namespace], int]


# --- shared helpers -----------------------------------------------------------------------------------------


def _amount(text: str) -> Decimal:
    try:
        return parse_amount(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_output_options(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument("--format", choices=formats, default="table", help="output format (default: table)")
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write the output to FILE instead of stdout"
    )


def _add_usage_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--usage",
        type=Path,
        metavar="FILE",
        help="usage file (default: usage.<stack>.yaml next to the stack file)",
    )


def _add_budget_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--budget",
        type=_amount,
        metavar="USD",
        help="monthly budget in USD; overrides the stack config's data-ai-platform:budget.monthlyUsd. "
        "An estimate above it exits 1",
    )
    parser.add_argument(
        "--fail-on-unpriced",
        action="store_true",
        help="exit 1 when any resource is unpriced: the total is then only a lower bound, so the budget "
        "cannot be confirmed (without the flag: a warning)",
    )


def usage_path(program_dir: Path, stack: str, explicit: Path | None) -> Path | None:
    """`--usage FILE`, else `usage.<stack>.yaml` next to `Pulumi.<stack>.yaml` when it exists."""
    if explicit is not None:
        return explicit
    default = program_dir / f"usage.{stack}.yaml"
    return default if default.is_file() else None


def load_usage_for(program_dir: Path, stack: str, explicit: Path | None) -> Usage | None:
    path = usage_path(program_dir, stack, explicit)
    return None if path is None else load_usage(path)


def _show(
    args: argparse.Namespace, table: Callable[[], list[RenderableType]], text: Callable[[str], str]
) -> None:
    """`--format table` without `--output`: the rich `table()` on stdout; else `text(format)` to stdout or to
    the `--output` file (then named on stderr)."""
    if args.format == "table" and args.output is None:
        _print_table(table())
        return
    write_output(text(args.format), args.output)
    if args.output is not None:
        print(f"wrote {args.output}", file=sys.stderr)


def _print_table(renderables: list[RenderableType]) -> None:
    """Colour on a terminal; a fixed width when piped, so the layout does not depend on the caller."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=WIDTH)
    for renderable in renderables:
        console.print(renderable, soft_wrap=isinstance(renderable, Text))


def _budget_status(
    args: argparse.Namespace, config: dict[str, Any], report: CostReport
) -> BudgetStatus | None:
    """The report's total against `--budget`, else against the stack config's budget (None: no budget)."""
    budget = resolve_budget(args.budget, config, report.stack, report.project)
    return check_budget(report.total_monthly_usd, budget, len(report.unpriced))


def _budget_exit(status: BudgetStatus | None, report: CostReport, fail_on_unpriced: bool) -> int:
    """1 when over the budget, or when a resource is unpriced under `--fail-on-unpriced`; else a warning."""
    if status is not None and status.exceeded:
        print(f"error: {status.message()}", file=sys.stderr)
        return EXIT_FINDINGS
    if not report.unpriced:
        return EXIT_OK
    names = ", ".join(r.name for r in report.unpriced[:5]) + (", ..." if len(report.unpriced) > 5 else "")
    what = status.message() if status is not None else f"the total is {total_line(report)}."
    if fail_on_unpriced:
        print(f"error: --fail-on-unpriced: {what} Unpriced: {names}.", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"warning: {what} Unpriced: {names}.", file=sys.stderr)
    return EXIT_OK


# --- report -------------------------------------------------------------------------------------------------


def estimate_stack(inventory: Inventory, usage: Usage | None) -> CostReport:
    """The estimate plus the offline right-sizing savings the usage file's utilization figures imply."""
    report = estimate(inventory, usage=usage)
    if usage is not None:
        report.savings.extend(offline_savings(inventory, usage))
    return report


def _report(args: argparse.Namespace) -> int:
    inventory = inventory_from_args(args)
    usage = load_usage_for(Path(args.program), inventory.stack, args.usage)
    report = estimate_stack(inventory, usage)
    status = _budget_status(args, inventory.config, report)
    _show(args, lambda: report_renderables(report, status), lambda fmt: render_report(report, fmt, status))
    return _budget_exit(status, report, args.fail_on_unpriced)


def _add_report(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "report",
        help="monthly cost estimate of a stack",
        description="Estimate a stack's monthly cost from the program, a `pulumi preview --json` file or a "
        "`pulumi stack export`, priced from the bundled catalog.",
    )
    add_input_options(parser)
    _add_usage_option(parser)
    _add_output_options(parser, REPORT_FORMATS)
    _add_budget_option(parser)
    parser.set_defaults(handler=_report)


# --- diff ---------------------------------------------------------------------------------------------------


Side = tuple[CostReport, dict[str, Any]]
"""A diff side's estimate and its stack config (empty for a report file)."""


def _program_sides(args: argparse.Namespace) -> tuple[Side, Side]:
    """Both sides estimated from programs; the two syntheses run at the same time (one child process each)."""
    sides = [
        (
            Path(getattr(args, f"{which}_program") or args.program),
            getattr(args, f"{which}_stack") or args.stack,
        )
        for which in ("base", "head")
    ]
    with ExitStack() as running:
        runs = [running.enter_context(Synthesis(program, stack)) for program, stack in sides]
        inventories = [run.inventory() for run in runs]
    base, head = (
        (estimate_stack(inventory, load_usage_for(program, stack, None)), inventory.config)
        for inventory, (program, stack) in zip(inventories, sides, strict=True)
    )
    return base, head


def _check_diff_args(args: argparse.Namespace) -> None:
    for option in ("stack", "base_stack", "head_stack"):
        checked_stack(getattr(args, option), "--" + option.replace("_", "-"))
    sides = (args.base_stack, args.head_stack, args.base_program, args.head_program)
    if args.reports and any(sides):
        raise InputError(
            "give either two report files (BASE HEAD) or --base-/--head- stacks or programs, not both."
        )
    if args.reports and len(args.reports) != 2:
        raise InputError(f"cost diff takes two report files, BASE and HEAD (got {len(args.reports)}).")
    if not args.reports and not any(sides):
        raise InputError(
            "nothing to compare: give two report files written by `cost report --format json` (BASE HEAD), "
            "or --base-stack/--head-stack, or --base-program/--head-program."
        )


def _diff(args: argparse.Namespace) -> int:
    _check_diff_args(args)
    head_config: dict[str, Any] = {}  # report files carry no config
    if args.reports:
        base, head = load_report(Path(args.reports[0])), load_report(Path(args.reports[1]))
    else:
        (base, _), (head, head_config) = _program_sides(args)
    diff = diff_reports(base, head, include_free=args.all)
    status = _budget_status(args, head_config, head)
    _show(args, lambda: diff_renderables(diff, status), lambda fmt: render_diff(diff, fmt, status))
    return _budget_exit(status, head, args.fail_on_unpriced)


def _add_diff(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "diff",
        help="compare two cost reports or two stacks per resource and in total",
        description="Compare a base and a head estimate (e.g. main vs a pull request): two JSON reports, two "
        "stacks of one program, or one stack of two program directories. --format markdown is a PR comment.",
    )
    parser.add_argument(
        "reports", nargs="*", metavar="REPORT", help="BASE and HEAD reports (report --format json)"
    )
    parser.add_argument("--base-stack", metavar="STACK", help="stack of the base side")
    parser.add_argument("--head-stack", metavar="STACK", help="stack of the head side")
    parser.add_argument("--base-program", metavar="DIR", help="program directory of the base side")
    parser.add_argument("--head-program", metavar="DIR", help="program directory of the head side")
    parser.add_argument(
        "--program",
        default=str(REPO_ROOT),
        metavar="DIR",
        help="program directory of both sides (default: ours)",
    )
    parser.add_argument(
        "--stack",
        default=DEFAULT_STACK,
        help=f"stack of both sides unless given per side (default {DEFAULT_STACK})",
    )
    _add_output_options(parser, DIFF_FORMATS)
    _add_budget_option(parser)
    parser.add_argument(
        "--all",
        action="store_true",
        help="also list resources free on both sides (by default they are only counted)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(handler=_diff)


# --- refresh and rightsize ----------------------------------------------------------------------------------


def _refresh(args: argparse.Namespace) -> int:
    result = refresh.run(args)
    print(result.summary())
    for line in result.missing:
        print(f"  not found: {line}")
    return EXIT_OK


def _add_refresh(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "refresh",
        help="rebuild the price catalog from the AWS Price List",
        description="Fill and re-check the price catalog from the AWS Price List: the public bulk offer "
        "files (no credentials) or pricing:GetProducts (--source query, needs AWS credentials).",
    )
    refresh.add_arguments(parser)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(handler=_refresh)


def _rightsize(args: argparse.Namespace) -> int:
    inventory = inventory_from_args(args)
    usage = load_usage_for(Path(args.program), inventory.stack, args.usage)
    if args.from_usage:
        if usage is None:
            raise InputError(
                f"--from-usage needs a usage file with `utilization` figures: pass --usage FILE or create "
                f"usage.{inventory.stack}.yaml next to Pulumi.{inventory.stack}.yaml."
            )
        found = offline_recommendations(inventory, usage)
        run = Run(inventory.project, inventory.stack, "usage-file", None)
    else:
        found = cloudwatch_recommendations(inventory, days=args.days, usage=usage)
        run = Run(inventory.project, inventory.stack, "cloudwatch", args.days)
    _show(args, lambda: recommendation_renderables(found, run), lambda fmt: RENDERERS[fmt](found, run))
    return EXIT_OK


def _add_rightsize(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "rightsize",
        help="right-size SageMaker endpoints, RDS instances and Fargate services",
        description="Recommend the next smaller (or larger) SageMaker endpoint instance or RDS class, or a "
        "smaller valid Fargate CPU/memory pair, from CloudWatch metrics of the deployed stack (give the "
        "`pulumi stack export` with --state) or from the usage file's utilization figures (--from-usage), "
        "each with its monthly saving.",
    )
    add_input_options(parser)
    _add_usage_option(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--days", type=int, default=14, help="CloudWatch look-back in days (default 14)")
    mode.add_argument(
        "--from-usage", action="store_true", help="use the usage file's utilization, not CloudWatch"
    )
    _add_output_options(parser, ("table", "markdown", "json"))
    parser.set_defaults(handler=_rightsize)


# --- entry point --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cost",
        description="Monthly AWS cost of the platform's stacks: estimates, diffs, budgets and right-sizing.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_report, _add_diff, _add_refresh, _add_rightsize):
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return run_guarded(lambda: handler(args), debug=args.debug)
