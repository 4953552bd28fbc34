"""The input options every command shares, its output writer, and the wrapper that turns errors into exit 2.

`--stack` (default dev), `--program DIR` (default: this repository's program), `--preview-json FILE` or
`--state FILE` choose where the inventory comes from; `--stack-outputs FILE` gives the outputs stack
references read during synthesis; `--debug` shows tracebacks and the program's output.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from inventory.errors import InputError
from inventory.model import Inventory, Resource
from inventory.project import load_project, load_stack_config
from inventory.sources import load_preview_json, load_stack_export
from inventory.synth import Synthesis

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STACK = "dev"
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def add_input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("input (default: synthesize the program's dev stack offline)")
    group.add_argument("--stack", help=f"stack name (Pulumi.<stack>.yaml); default {DEFAULT_STACK}")
    group.add_argument(
        "--program",
        metavar="DIR",
        default=str(REPO_ROOT),
        help="Pulumi Python program directory; default: ours",
    )
    source = group.add_mutually_exclusive_group()
    source.add_argument("--preview-json", metavar="FILE", help="read `pulumi preview --json` output instead")
    source.add_argument("--state", metavar="FILE", help="read `pulumi stack export` output instead")
    group.add_argument(
        "--stack-outputs",
        metavar="FILE",
        help="outputs every StackReference reads (`pulumi stack output --json`); default: unknown",
    )
    group.add_argument(
        "--debug", action="store_true", help="show tracebacks and the program's output on errors"
    )


class FileSource:
    """An inventory read from a file, with the same interface as a running `Synthesis`."""

    def __init__(self, inventory: Inventory) -> None:
        self.result = inventory

    @property
    def project(self) -> str:
        return self.result.project

    @property
    def stack(self) -> str:
        return self.result.stack

    def __iter__(self) -> Iterator[Resource]:
        return iter(list(self.result.resources))

    def inventory(self) -> Inventory:
        return self.result

    def close(self) -> None:
        """Nothing to release; present so callers can treat both sources alike."""


Source = Synthesis | FileSource


STACK_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")
"""What Pulumi allows in a stack name."""


def checked_stack(stack: str | None, option: str = "--stack") -> str | None:
    """A stack option as given (None when absent); an empty or malformed name is an input error."""
    if stack is not None and not STACK_NAME.fullmatch(stack):
        raise InputError(
            f"{option} {stack!r} is not a stack name: use 1-100 letters, digits, '-', '_' or '.' "
            f"(or leave {option} out for {DEFAULT_STACK})."
        )
    return stack


def source_from_args(args: argparse.Namespace) -> Source:
    """Start reading the inventory the options ask for; a synthesis streams resources while it runs."""
    checked_stack(args.stack)
    if args.preview_json:
        return FileSource(_checked(load_preview_json(args.preview_json), args))
    if args.state:
        return FileSource(_checked(_load_state(args), args))
    outputs = load_stack_outputs(args.stack_outputs) if getattr(args, "stack_outputs", None) else None
    return Synthesis(args.program, args.stack or DEFAULT_STACK, stack_outputs=outputs)


def load_stack_outputs(path: str) -> dict[str, Any]:
    """A `pulumi stack output --json` file: one JSON object of output names to values."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"Cannot read the --stack-outputs file {path}: {exc.strerror or exc}.") from None
    except ValueError as exc:
        raise InputError(
            f"The --stack-outputs file {path} is not JSON ({exc}); write it with "
            "`pulumi stack output --json`."
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"The --stack-outputs file {path} holds a JSON {type(data).__name__}; it must be one object of "
            "output names to values, as `pulumi stack output --json` prints."
        )
    return data


def inventory_from_args(args: argparse.Namespace) -> Inventory:
    """The whole inventory the input options describe."""
    return source_from_args(args).inventory()


def _load_state(args: argparse.Namespace) -> Inventory:
    inventory = load_stack_export(args.state)
    inventory.config = _stack_config(args.program, args.stack or inventory.stack)
    return inventory


def _stack_config(program: str, stack: str) -> dict[str, Any]:
    """The stack's config from its stack file, when the program directory has one (an export carries none)."""
    try:
        _, config = load_stack_config(load_project(program), stack)
    except InputError:
        return {}
    return config.display()


def _checked(inventory: Inventory, args: argparse.Namespace) -> Inventory:
    if args.stack and args.stack != inventory.stack:
        path = args.preview_json or args.state
        raise InputError(
            f"{path} is for stack {inventory.stack!r}, not {args.stack!r}; drop --stack or fix it."
        )
    return inventory


def write_output(text: str, output: Path | None) -> None:
    """`text` to stdout, or to the `--output` file; a file that cannot be written is an input error."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot write {output}: {exc.strerror or exc}.") from None


def run_guarded(command: Callable[[], int], *, debug: bool) -> int:
    """Run a command; bad input becomes a one-paragraph message on stderr and exit code 2, and so does any
    other error, as a last resort (its traceback only with `debug`). Ctrl-C exits 130, as shells expect.

    The cyclic garbage collector is paused while the command runs (and restored after, for callers in the
    same process, such as tests). A command builds one inventory and its findings and prices, all alive
    until it ends and acyclic, so the collector only rescans them: measured on `python -m preview` at
    10,000 resources, 1.2 s of the command's 9 s of CPU, with the same peak memory either way.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return command()
    except InputError as exc:
        return _report(exc.message, exc.detail, debug)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        return _report(f"Malformed input: {' '.join(str(exc).split())}", "", debug)
    except FileNotFoundError as exc:
        return _report(f"Cannot read {exc.filename}: no such file.", "", debug)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        message = f"unexpected {type(exc).__name__}: {exc}. Rerun with --debug for the traceback."
        return _report(message, "", debug)
    finally:
        if collecting:
            gc.enable()


def _report(message: str, detail: str, debug: bool) -> int:
    if debug:
        traceback.print_exc()
        if detail:
            print(detail, file=sys.stderr)
    print(f"error: {message}", file=sys.stderr)
    return EXIT_INPUT
