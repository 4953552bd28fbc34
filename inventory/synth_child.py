"""The synthesis child process: run one Pulumi program under the mocks, stream its registrations.

Started by `inventory.synth` as `python synth_child.py <fd>`, with the request (program, stack, config) as
JSON on stdin. Every registration is written to file descriptor `<fd>` as one JSON line the moment it happens,
then a final `stack` record (stack outputs) and `done`, or one `error` record. One process per program,
because the SDK's mocks are global state. The program's own prints go to stderr.
"""

from __future__ import annotations

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

_PACKAGE_NAMES = {"yaml": "PyYAML", "google": "protobuf", "grpc": "grpcio"}


class Writer:
    """JSON lines to the parent, safe to call from the SDK's worker threads."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.lock = threading.Lock()

    def send(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":"), default=str) + "\n"
        with self.lock:
            self.stream.write(line)
            self.stream.flush()


class ProgramErrors(logging.Handler):
    """Collects what the program logs as errors (`pulumi.log.error`); the engine fails such a run."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage().strip())
        else:
            print(f"warning: {record.getMessage().strip()}", file=sys.stderr)


def run(request: dict[str, Any], writer: Writer) -> None:
    import pulumi
    from pulumi.runtime.stack import wait_for_rpcs
    from pulumi.runtime.sync_await import _sync_await

    from inventory.mocks import RecordingMonitor

    program_dir = request["program_dir"]
    os.chdir(program_dir)
    sys.path.insert(0, program_dir)
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    pulumi.runtime.set_all_config(request["config"], request["secret_keys"])
    monitor = RecordingMonitor(request["config"], writer.send, Path(program_dir))
    errors = ProgramErrors()
    logger = logging.getLogger("preview.program")
    logger.addHandler(errors)
    logger.propagate = False
    project, stack = request["project"], request["stack"]
    pulumi.runtime.set_mocks(monitor.mocks, project, stack, preview=False, logger=logger, monitor=monitor)
    sys.argv = [request["main"]]
    try:
        runpy.run_path(request["main"], run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise
    _sync_await(wait_for_rpcs())
    writer.send({"kind": "stack", "outputs": _sync_await(_stack_outputs())})
    if errors.errors:
        raise pulumi.RunError("the program logged errors: " + "; ".join(errors.errors))


async def _stack_outputs() -> dict[str, Any]:
    from pulumi.runtime import rpc
    from pulumi.runtime.settings import get_root_resource

    from inventory.mocks import struct_to_python
    from inventory.values import mask_secrets, normalize_properties

    root = get_root_resource()
    outputs = getattr(root, "outputs", {}) or {}
    struct = await rpc.serialize_properties(outputs, {})
    return normalize_properties(mask_secrets(struct_to_python(struct))).value


def error_record(exc: BaseException) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": "error", "traceback": traceback.format_exc()}
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.split(".")[0]
        package = _PACKAGE_NAMES.get(top, top.replace("_", "-") if top.startswith("pulumi_") else top)
        record.update(category="missing-package", module=exc.name, package=package, message=str(exc))
    elif isinstance(exc, SystemExit):
        record.update(category="exit", message=f"the program exited with status {exc.code}")
    elif type(exc).__name__ == "RunError":
        record.update(category="program", message=str(exc))
    else:
        record.update(category="program", message=f"{type(exc).__name__}: {exc}")
    return record


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
    try:
        run(request, writer)
    except BaseException as exc:  # every failure is reported to the parent
        writer.send(error_record(exc))
        return 1
    writer.send({"kind": "done"})
    return 0


if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # import `inventory` as a package, not this dir
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown: the SDK's gRPC/asyncio state can hang or fail on exit
