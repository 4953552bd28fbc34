"""The synthesis child process: run one Pulumi program under the mocks, stream its registrations.

Started by `inventory.synth` as `python synth_child.py <fd>`, with the request (program, stack, config, stack
outputs) as JSON on stdin. The program runs as under `pulumi preview`: in dry-run mode (`is_dry_run()` is
True, applies on unknown values are skipped), inside a running event loop as the language host runs it.
Every registration is written to file descriptor `<fd>` as one JSON line the moment it happens, warnings as
they arise, then a final `stack` record (stack outputs) and `done`, or one `error` record that says where
the failure is: a line of the program, or the offline model. One process per program, because the SDK's
mocks are global state. The program's own prints go to stderr.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import runpy
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any

REPO_ROOT = str(Path(__file__).resolve().parents[1])
if __name__ == "__main__":
    sys.path[0] = REPO_ROOT  # import `inventory` as a package, not this directory

import pulumi  # noqa: E402 - after the path fix above
from pulumi.runtime import rpc  # noqa: E402
from pulumi.runtime.settings import get_root_resource  # noqa: E402
from pulumi.runtime.stack import wait_for_rpcs  # noqa: E402

from inventory import invokes, mocks, sdkspeed, values  # noqa: E402

INVENTORY_DIR = str(Path(invokes.__file__).resolve().parent)
_PACKAGE_NAMES = {"yaml": "PyYAML", "google": "protobuf", "grpc": "grpcio"}
_MODEL_ERRORS = (invokes.ModelLimitation,)


_LAST_RECORDS = ("done", "error")


class Writer:
    """JSON lines to the parent, safe to call from the SDK's worker threads. Buffered (a system call per
    record cost more than its JSON); the stream is flushed as the buffer fills and with the last record."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.lock = threading.Lock()

    def send(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":"), default=str) + "\n"
        with self.lock:
            self.stream.write(line)
            if record["kind"] in _LAST_RECORDS:
                self.stream.flush()


class ProgramLog(logging.Handler):
    """What the program logs: errors fail the run (as the engine fails it), warnings go to the parent."""

    def __init__(self, writer: Writer) -> None:
        super().__init__(logging.WARNING)
        self.writer = writer
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip()
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
        else:
            self.writer.send({"kind": "warning", "message": message})


def run(request: dict[str, Any], writer: Writer) -> None:
    program_dir = request["program_dir"]
    os.chdir(program_dir)
    sys.path.insert(0, program_dir)
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    pulumi.runtime.set_all_config(request["config"], request["secret_keys"])
    sdkspeed.install()
    monitor = mocks.RecordingMonitor(
        request["config"], writer.send, Path(program_dir), request.get("stack_outputs")
    )
    log = ProgramLog(writer)
    logger = logging.getLogger("preview.program")
    logger.addHandler(log)
    logger.propagate = False
    loop = asyncio.new_event_loop()
    loop.set_default_executor(sdkspeed.InlineExecutor())
    asyncio.set_event_loop(loop)
    project, stack = request["project"], request["stack"]
    pulumi.runtime.set_mocks(monitor.mocks, project, stack, preview=True, logger=logger, monitor=monitor)
    sys.argv = [request["main"]]
    loop.run_until_complete(_program(request["main"]))
    writer.send({"kind": "stack", "outputs": loop.run_until_complete(_stack_outputs())})
    if log.errors:
        raise pulumi.RunError("the program logged errors: " + "; ".join(log.errors))


async def _program(main: str) -> None:
    """Run `main` with a running event loop, as the language host does, then wait for its registrations."""
    try:
        runpy.run_path(main, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise
    await wait_for_rpcs()


async def _stack_outputs() -> dict[str, Any]:
    root = get_root_resource()
    outputs = getattr(root, "outputs", {}) or {}
    struct = await rpc.serialize_properties(outputs, {})
    return values.normalize_properties(values.mask_secrets(mocks.struct_to_python(struct))).value


def error_record(exc: BaseException, program_dir: str) -> dict[str, Any]:
    """The failure, classified: a missing package, the program's own error (with its innermost line in the
    program), or a limit or fault of the offline model (naming what is missing)."""
    record: dict[str, Any] = {"kind": "error", "traceback": "".join(traceback.format_exception(exc))}
    at = _user_frame(exc, program_dir)
    if at:
        record["location"] = at
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.split(".")[0]
        package = _PACKAGE_NAMES.get(top, top.replace("_", "-") if top.startswith("pulumi_") else top)
        record.update(category="missing-package", module=exc.name, package=package, message=str(exc))
    elif isinstance(exc, SystemExit):
        record.update(category="exit", message=f"the program exited with status {exc.code}")
    elif isinstance(_root_cause(exc), _MODEL_ERRORS):
        record.update(category="model", message=str(_root_cause(exc)))
    elif isinstance(exc, mocks.EngineError):
        record.update(category="engine", message=str(exc))
    elif type(exc).__name__ == "RunError":
        record.update(category="program", message=str(exc))
    elif _innermost_file(exc).startswith(INVENTORY_DIR + os.sep):
        record.update(category="model-fault", message=f"{type(exc).__name__}: {exc}")
    else:
        record.update(category="program", message=f"{type(exc).__name__}: {exc}")
    return record


def _root_cause(exc: BaseException) -> BaseException:
    seen = {id(exc)}
    while (nxt := exc.__cause__ or exc.__context__) is not None and id(nxt) not in seen:
        if isinstance(exc, _MODEL_ERRORS):
            break
        seen.add(id(nxt))
        exc = nxt
    return exc


def _frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return list(traceback.extract_tb(exc.__traceback__))


def _innermost_file(exc: BaseException) -> str:
    frames = _frames(exc)
    return str(Path(frames[-1].filename).resolve()) if frames else ""


def _user_frame(exc: BaseException, program_dir: str) -> str:
    """`file:line` of the innermost frame in the program's own files (not installed packages, not ours)."""
    root = str(Path(program_dir).resolve()) + os.sep
    outside = (INVENTORY_DIR + os.sep, sys.prefix + os.sep, sys.base_prefix + os.sep)
    for frame in reversed(_frames(exc)):
        if frame.filename.startswith("<"):  # generated code (`<string>`, `<frozen runpy>`)
            continue
        path = str(Path(frame.filename).resolve())
        if path.startswith(root) and not path.startswith(outside) and "site-packages" not in path:
            return f"{path[len(root) :]}:{frame.lineno}"
    return ""


def _unshadow() -> None:
    """Let the program import its own `inventory.py`, `preview.py`, `cost/`...: drop our packages from the
    import system (the modules stay referenced here) and our repository from the path."""
    for name in [n for n in sys.modules if n == "inventory" or n.startswith("inventory.")]:
        del sys.modules[name]
    sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != REPO_ROOT]


def main() -> int:
    # The child lives for one program run. The SDK keeps thousands of Outputs and futures alive until the end,
    # so the cyclic GC rescans them over and over (measured: about half the run for 1,500 resources) while
    # freeing only a few MB; the process exits instead.
    gc.disable()
    stream = os.fdopen(int(sys.argv[1]), "w")
    writer = Writer(stream)
    request = json.load(sys.stdin)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - stays open for the life of the process
    sys.stdout = sys.stderr
    _unshadow()
    try:
        run(request, writer)
    except BaseException as exc:  # every failure is reported to the parent
        writer.send(error_record(exc, request["program_dir"]))
        return 1
    writer.send({"kind": "done"})
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown: the SDK's gRPC/asyncio state can hang or fail on exit
