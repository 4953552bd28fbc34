"""`python -m preview`: an offline preview of a stack — resources by component, policy findings, monthly cost.

No cloud credentials and no Pulumi CLI: the program runs under the SDK mocks (or a `pulumi preview --json` /
`pulumi stack export` file is read), the policy pack runs over the analyzer protocol while the program is
still registering resources, and the cost is estimated from the bundled price catalog.

Exit codes: 0 ok; 1 a mandatory policy is violated or the estimate is over budget; 2 bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from inventory.cli import REPO_ROOT, Source, add_input_options, run_guarded, source_from_args, write_output
from inventory.errors import InputError
from inventory.model import Inventory
from preview.render import FORMATS, render
from preview.summary import Summary, summarize

if TYPE_CHECKING:
    from cost.budget import BudgetStatus
    from cost.model import CostReport
    from policies.analyzer import PolicySession

DEFAULT_PACK = REPO_ROOT / "policies"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m preview",
        description="Offline preview of a Pulumi stack: resources by component, policy findings and the "
        "estimated monthly cost, with no cloud credentials and no Pulumi CLI.",
        epilog="Exit codes: 0 ok, 1 mandatory policy violation or budget exceeded, 2 bad input.",
    )
    add_input_options(parser)
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout"
    )
    parser.add_argument(
        "--pack", type=Path, default=DEFAULT_PACK, metavar="DIR", help="policy pack directory"
    )
    parser.add_argument(
        "--policy-pack-config",
        type=Path,
        metavar="FILE",
        help="policy config (default: the pack's per-stack one)",
    )
    parser.add_argument(
        "--usage",
        type=Path,
        metavar="FILE",
        help="usage assumptions (default: usage.<stack>.yaml next to the stack)",
    )
    parser.add_argument(
        "--top", type=int, default=5, metavar="N", help="components listed by cost (default 5)"
    )
    return parser


def preview(args: argparse.Namespace) -> Summary:
    """Read the inventory and run the pack over it as it streams in; meanwhile get pricing ready; price."""
    from policies.marshal import MarshalError
    from policies.packconfig import PackConfigError
    from policies.packhost import PackError

    source = source_from_args(args)
    try:
        with _policy_session(source, args) as session, ThreadPoolExecutor(1) as pricing:
            price = _pricer(args, source.stack)  # imports and the usage file load while the program runs
            for resource in source:
                session.analyze(resource)
            inventory = source.inventory()
            priced = pricing.submit(price, inventory)  # while the pack runs AnalyzeStack
            policy = session.finish(inventory)
            cost, budget = priced.result()
    except (PackError, PackConfigError, MarshalError) as exc:
        message = str(exc)[:1].upper() + str(exc)[1:]
        raise InputError(message, detail=getattr(exc, "stderr", "")) from None
    finally:
        source.close()
    return summarize(inventory, policy=policy, cost=cost, budget=budget, top=args.top)


def _policy_session(source: Source, args: argparse.Namespace) -> PolicySession:
    from policies.analyzer import PolicySession

    return PolicySession(
        args.pack,
        project=source.project,
        stack=source.stack,
        config=source.result.config,
        policy_config=args.policy_pack_config,
    )


Pricer = Callable[[Inventory], tuple["CostReport", "BudgetStatus | None"]]


def _pricer(args: argparse.Namespace, stack: str) -> Pricer:
    import cost
    from cost.budget import check_budget, resolve_budget
    from cost.usage import load_usage

    usage_file = args.usage or _default_usage(args, stack)
    usage = load_usage(usage_file) if usage_file else None

    def price(inventory: Inventory) -> tuple[CostReport, BudgetStatus | None]:
        report = cost.estimate(inventory, usage=usage)
        budget = resolve_budget(None, inventory.config, inventory.stack, inventory.project)
        return report, check_budget(report.total_monthly_usd, budget, len(report.unpriced))

    return price


def _default_usage(args: argparse.Namespace, stack: str) -> Path | None:
    path = Path(args.program) / f"usage.{stack}.yaml"
    return path if path.is_file() else None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def command() -> int:
        summary = preview(args)
        terminal = args.output is None and args.format == "table" and sys.stdout.isatty()
        write_output(render(summary, args.format, terminal=terminal), args.output)
        return summary.exit_code

    return run_guarded(command, debug=args.debug)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The pack and the program have been stopped and every output is written; skip the interpreter's
    # teardown of gRPC's threads, which adds a few tenths of a second to every run.
    os._exit(code)
