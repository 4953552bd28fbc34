"""Synthesis: run a Pulumi Python program under the SDK mocks in a child process and stream its inventory.

The parent never imports the Pulumi SDK: it reads the project and stack config, starts `synth_child.py` (one
process per program, because mocks are global state), and turns the JSON lines the child writes into
`Resource`s as they register. `stream()` lets a consumer (the policy pack) analyze resources while the program
is still running; `synthesize()` waits for the whole inventory.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from inventory.errors import InputError
from inventory.model import Inventory, Provider, Resource
from inventory.project import StackConfig, load_project, load_stack_config

CHILD = Path(__file__).with_name("synth_child.py")
DEFAULT_TIMEOUT = 300.0
"""Seconds a program may run; `PREVIEW_SYNTH_TIMEOUT` overrides it."""


def default_timeout() -> float:
    raw = os.environ.get("PREVIEW_SYNTH_TIMEOUT", "")
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise InputError(f"PREVIEW_SYNTH_TIMEOUT must be a positive number of seconds, not {raw!r}.")
    return value


class Synthesis:
    """A running synthesis. Iterate to receive resources as they register; `inventory()` waits for the end."""

    def __init__(
        self,
        program_dir: str | Path,
        stack: str,
        *,
        config_overrides: dict[str, Any] | None = None,
        timeout: float | None = None,
        stack_outputs: dict[str, Any] | None = None,
    ) -> None:
        """`stack_outputs`: what every `StackReference` reads (`pulumi stack output --json` of the referenced
        stack); without them stack reference outputs are unknown, as in a preview."""
        project = load_project(program_dir)
        self.stack_file, config = load_stack_config(project, stack, config_overrides)
        self.program_dir = project.dir
        self.timeout = timeout if timeout is not None else default_timeout()
        stack_urn = f"urn:pulumi:{stack}::{project.name}::pulumi:pulumi:Stack::{project.name}-{stack}"
        self.result = Inventory(project.name, stack, "synthesis", config.display(), [], {}, stack_urn)
        self._finished = False
        self._timed_out = False
        self._start(project.dir, project.main, config, stack_outputs)

    @property
    def project(self) -> str:
        return self.result.project

    @property
    def stack(self) -> str:
        return self.result.stack

    def _start(
        self, program_dir: Path, main: Path, config: StackConfig, stack_outputs: dict[str, Any] | None
    ) -> None:
        request = {
            "stack_outputs": stack_outputs,
            "program_dir": str(program_dir),
            "main": str(main),
            "project": self.result.project,
            "stack": self.result.stack,
            "config": config.values,
            "secret_keys": sorted(config.secret_keys),
        }
        read_fd, write_fd = os.pipe()
        self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # noqa: SIM115
        self._proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(write_fd)],
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=self._log,
            pass_fds=(write_fd,),
            cwd=program_dir,
            text=True,
        )
        os.close(write_fd)
        self._lines = _Drain(read_fd)
        self._timer = threading.Timer(self.timeout, self._kill_on_timeout)
        self._timer.daemon = True
        self._timer.start()
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(request))
        self._proc.stdin.close()

    def _kill_on_timeout(self) -> None:
        self._timed_out = True
        self._proc.kill()

    def __iter__(self) -> Iterator[Resource]:
        """Resources (custom and components) in registration order; providers are collected as context."""
        if self._finished:
            yield from list(self.result.resources)
            return
        if self._lines.closed:
            raise RuntimeError("this synthesis was stopped before the program finished; start a new one")
        try:
            for line in self._lines.lines():
                resource = self._handle(json.loads(line))
                if resource is not None:
                    yield resource
            self._end()
        finally:
            self.close()

    def inventory(self) -> Inventory:
        for _ in self:
            pass
        return self.result

    def _handle(self, record: dict[str, Any]) -> Resource | None:
        kind = record["kind"]
        if kind == "resource":
            resource = _resource(record, self.result.providers)
            self.result.add(resource)
            return resource
        if kind == "provider":
            provider = Provider(record["urn"], record["type"], record["name"], record["inputs"], record["id"])
            self.result.providers[provider.urn] = provider
        elif kind == "stack":
            self.result.outputs = record["outputs"]
        elif kind == "warning":
            self.result.warnings.append(record["message"])
            print(f"warning: {record['message']}", file=sys.stderr)
        elif kind == "done":
            self._finished = True
        elif kind == "error":
            raise self._error(record)
        return None

    def _end(self) -> None:
        code = self._proc.wait()
        if self._finished:
            return
        if self._timed_out:
            raise InputError(
                f"Synthesis of the Pulumi program in {self.program_dir} (stack {self.stack}) did not finish "
                f"within {self.timeout:g} s; the program may be waiting on the network or looping. Set "
                "PREVIEW_SYNTH_TIMEOUT (seconds) to allow more time.",
                detail=self._output(),
            )
        raise InputError(
            f"The Pulumi program in {self.program_dir} (stack {self.stack}) stopped unexpectedly with exit "
            f"code {code} before finishing: {self._last_line() or 'no output'}",
            detail=self._output(),
        )

    def _error(self, record: dict[str, Any]) -> InputError:
        where = f"The Pulumi program in {self.program_dir} (stack {self.stack})"
        detail = record.get("traceback", "") + self._output()
        if record["category"] == "missing-package":
            return InputError(
                f"{where} needs the Python package '{record['package']}' which is not installed in this "
                f"environment (importing '{record['module']}' failed). Install it into {sys.prefix} and run "
                "again.",
                detail=detail,
            )
        message = " ".join(str(record["message"]).split()).rstrip(".")
        at = f" at {record['location']}" if record.get("location") else ""
        category = record["category"]
        if category == "model":
            return InputError(
                f"The offline model cannot preview the Pulumi program in {self.program_dir} (stack "
                f"{self.stack}){' (called' + at + ')' if at else ''}: {message}. This is a limitation of the "
                "offline preview, not an error in the program.",
                detail=detail,
            )
        if category == "model-fault":
            return InputError(
                f"The offline model failed while previewing the Pulumi program in {self.program_dir} (stack "
                f"{self.stack}){at}: {message}. This is a fault of the offline preview, not of the program; "
                "run with --debug for the full traceback.",
                detail=detail,
            )
        return InputError(
            f"{where} failed{at}: {message}. Run with --debug for the full traceback.", detail=detail
        )

    def _output(self) -> str:
        self._log.seek(0)
        text = self._log.read()
        return f"\nProgram output:\n{text}" if text.strip() else ""

    def _last_line(self) -> str:
        self._log.seek(0)
        lines = [line.strip() for line in self._log.read().splitlines() if line.strip()]
        return lines[-1] if lines else ""

    def close(self) -> None:
        """Stop the child if it is still running (e.g. the consumer stopped early) and free its resources."""
        self._timer.cancel()
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._lines.close()
        self._log.close()

    def __enter__(self) -> Synthesis:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _resource(record: dict[str, Any], providers: dict[str, Provider]) -> Resource:
    ref = record.get("provider")
    provider = providers.get(ref.rsplit("::", 1)[0]) if ref else None
    return Resource(
        urn=record["urn"],
        type=record["type"],
        name=record["name"],
        custom=record["custom"],
        inputs=record["inputs"],
        outputs=record["outputs"],
        parent=record["parent"],
        provider=provider,
        dependencies=record["dependencies"],
        property_dependencies=record["propertyDependencies"],
        unknown_paths=frozenset(record["unknownPaths"]),
        secret_paths=frozenset(record["secretPaths"]),
        id=record["id"],
        external=record["external"],
        source_position=record["sourcePosition"],
        protect=record.get("protect", False),
        retain_on_delete=record.get("retainOnDelete", False),
    )


def stream(
    program_dir: str | Path,
    stack: str,
    *,
    config_overrides: dict[str, Any] | None = None,
    timeout: float | None = None,
    stack_outputs: dict[str, Any] | None = None,
) -> Synthesis:
    """Start synthesizing; iterate the result for resources as they register (see `Synthesis`)."""
    return Synthesis(
        program_dir, stack, config_overrides=config_overrides, timeout=timeout, stack_outputs=stack_outputs
    )


def synthesize(
    program_dir: str | Path,
    stack: str,
    *,
    config_overrides: dict[str, Any] | None = None,
    timeout: float | None = None,
    stack_outputs: dict[str, Any] | None = None,
) -> Inventory:
    """The inventory of `program_dir`'s `stack`, from running the program under the SDK mocks."""
    with stream(
        program_dir, stack, config_overrides=config_overrides, timeout=timeout, stack_outputs=stack_outputs
    ) as synthesis:
        return synthesis.inventory()


class _Drain:
    """The child's record pipe, read by a thread of its own as fast as the child writes.

    A pipe holds 64 KiB: a consumer slower than the program (the policy session marshalling and sending each
    resource) would otherwise block the child on every write, and the two would take turns instead of
    running side by side on two cores. The thread only moves bytes (the GIL is released while it waits);
    records are parsed by the consumer, in order.
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._chunks: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self.closed = False
        self._reader = threading.Thread(target=self._read, name="synthesis-pipe", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while chunk := os.read(self._fd, 1 << 20):
                self._chunks.put(chunk)
        except OSError:
            pass
        finally:
            self._chunks.put(b"")  # the end

    def lines(self) -> Iterator[bytes]:
        """The complete lines written, in order, until the child closes the pipe."""
        rest = b""
        while chunk := self._chunks.get():
            *complete, rest = (rest + chunk).split(b"\n")
            yield from complete
        if rest:
            yield rest

    def close(self) -> None:
        """After the child has exited (its end of the pipe is then closed, so the reader stops)."""
        if not self.closed:
            self.closed = True
            self._reader.join(timeout=5)
            os.close(self._fd)
