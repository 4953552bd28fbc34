"""`python -m policies.check`: run the policy pack over a stack offline, through the analyzer gRPC protocol.

Input options are those of `python -m preview` (synthesize the program under mocks by default, or read
`pulumi preview --json` / `pulumi stack export` output). The pack is started as the engine starts it and fed
every resource as it arrives (see `policies.analyzer`). Output: a table, JSON, markdown for a pull-request
comment, or SARIF 2.1.0. Exit codes: 0 no mandatory violation, 1 at least one, 2 bad input (including a pack
that fails to start or a policy pack config the engine would refuse).

Library use (design.md, Contract 2): `run_pack(inventory)` or a streaming `PolicySession`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from inventory.cli import EXIT_FINDINGS, EXIT_OK, Source, add_input_options, run_guarded, source_from_args
from inventory.errors import InputError
from inventory.project import load_project, stack_file

from .analyzer import POLICIES_DIR, PolicyConfigSource, PolicySession, default_policy_config, run_pack
from .frameworks import FRAMEWORKS, describe
from .marshal import MarshalError
from .packconfig import PackConfigError
from .packhost import PackError
from .registry import all_policies
from .report import EXTENSIONS, FORMATS, render
from .report.summary import headline
from .results import SEVERITIES, NotApplicable, PolicyInfo, PolicyResult, Violation
from .selection import chosen, restrict

__all__ = [
    "POLICIES_DIR",
    "NotApplicable",
    "PolicyInfo",
    "PolicyResult",
    "PolicySession",
    "Violation",
    "default_policy_config",
    "main",
    "run_pack",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m policies.check",
        description="Check a stack against a policy pack offline, driving the pack the way "
        "`pulumi preview --policy-pack` does. Exit code 0: no mandatory violation; 1: mandatory violations; "
        "2: bad input.",
    )
    add_input_options(parser)
    pack = parser.add_argument_group("policy pack")
    pack.add_argument(
        "--pack", metavar="DIR", default=str(POLICIES_DIR), help="policy pack directory; default: ours"
    )
    pack.add_argument(
        "--policy-pack-config",
        metavar="FILE",
        help="pack config JSON, as for `pulumi preview --policy-pack-config`; "
        "default: <pack>/config/<stack>.json when it exists",
    )
    pack.add_argument("--policy", nargs="+", default=[], metavar="NAME", help="run only these policies")
    pack.add_argument(
        "--skip-policy", nargs="+", default=[], metavar="NAME", help="do not run these policies"
    )
    pack.add_argument(
        "--framework", choices=list(FRAMEWORKS), help="run only the policies mapped to this framework"
    )
    pack.add_argument(
        "--severity-threshold",
        choices=SEVERITIES,
        default="low",
        help="exit 1 only for mandatory violations at or above this severity; default: low",
    )
    pack.add_argument(
        "--list", action="store_true", help="print the pack's policies (level, severity, frameworks) and exit"
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--format",
        type=_formats,
        default=["table"],
        help=f"report format(s), comma-separated: {', '.join(FORMATS)}; default: table",
    )
    out.add_argument(
        "--output", metavar="FILE", help="write the report to FILE (the verdict still goes to stderr)"
    )
    out.add_argument(
        "--output-dir",
        metavar="DIR",
        help="write each format to DIR/policy.<ext> (txt, json, md, sarif, junit.xml); needed for several",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list:
        sys.stdout.write(_listing())
        return EXIT_OK
    return run_guarded(lambda: _check(args), debug=args.debug)


def _listing() -> str:
    rows = [
        f"{m.name:<52} {m.default_level:<9} {m.severity:<8} {describe(m.controls) or '-'}"
        for m in all_policies()
    ]
    return f"{'policy':<52} {'level':<9} {'severity':<8} frameworks\n" + "\n".join(rows) + "\n"


def _failing(result: PolicyResult, threshold: str) -> bool:
    floor = SEVERITIES.index(threshold)
    return any(SEVERITIES.index(v.severity) >= floor for v in result.mandatory if v.severity in SEVERITIES)


def _check(args: argparse.Namespace) -> int:
    _check_outputs(args)
    selecting = args.policy or args.skip_policy or args.framework
    args.keep = chosen(args.policy, args.skip_policy, args.framework) if selecting else None
    source = source_from_args(args)
    try:
        result = _analyze(args, source)
    except (PackError, PackConfigError, MarshalError) as err:
        raise InputError(str(err), detail=getattr(err, "stderr", "")) from None
    finally:
        source.close()
    _write(args, result, _artifact(args, source), source)
    return EXIT_FINDINGS if _failing(result, args.severity_threshold) else EXIT_OK


def _analyze(args: argparse.Namespace, source: Source) -> PolicyResult:
    """Start the pack next to the running synthesis and hand it each resource as it registers."""
    config_file: PolicyConfigSource = Path(args.policy_pack_config) if args.policy_pack_config else None
    if args.keep is not None:
        config_file = restrict(_config_object(config_file, Path(args.pack), source.stack), args.keep)
    with PolicySession(
        Path(args.pack),
        project=source.project,
        stack=source.stack,
        config=source.result.config,
        policy_config=config_file,
    ) as session:
        for resource in source:
            session.analyze(resource)
        return session.finish(source.result)


def _config_object(given: PolicyConfigSource, pack: Path, stack: str) -> dict[str, Any]:
    path = given if isinstance(given, Path) else default_policy_config(pack, stack)
    if path is None:
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the policy pack config {path}: {err}") from None
    if not isinstance(loaded, dict):
        raise InputError(f"{path}: a policy pack config is a JSON object of policy names")
    return loaded


def _formats(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; use {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(names))


def _check_outputs(args: argparse.Namespace) -> None:
    if len(args.format) > 1 and not args.output_dir:
        raise InputError("--format with several formats needs --output-dir DIR (one file per format)")
    if args.output and args.output_dir:
        raise InputError("--output and --output-dir exclude each other; use --output-dir for several formats")


def _write(args: argparse.Namespace, result: PolicyResult, artifact: Path | None, source: Source) -> None:
    sources = {r.urn: r.source_position for r in source.result.resources if r.source_position}
    program = Path(args.program) if getattr(args, "program", None) else None

    def text(fmt: str, color: bool = False) -> str:
        return render(result, fmt, artifact=artifact, color=color, sources=sources, program=program)

    targets = (
        [(fmt, Path(args.output_dir) / f"policy.{EXTENSIONS[fmt]}") for fmt in args.format]
        if args.output_dir
        else [(args.format[0], Path(args.output))]
        if args.output
        else []
    )
    if not targets:
        fmt = args.format[0]
        sys.stdout.write(text(fmt, color=fmt == "table" and sys.stdout.isatty()))
        return
    for fmt, path in targets:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text(fmt), encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot write the report to {path}: {err.strerror or err}") from None
    print(headline(result), file=sys.stderr)


def _artifact(args: argparse.Namespace, source: Source) -> Path | None:
    """The file findings point at: the stack file when the program has one, else the input file."""
    found = getattr(source, "stack_file", None)
    if isinstance(found, Path):
        return found
    try:
        return stack_file(load_project(args.program), source.stack)
    except InputError:
        given = args.preview_json or args.state
        return Path(given) if given else None


if __name__ == "__main__":
    sys.exit(main())
