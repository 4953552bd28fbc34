"""Start a Python policy pack the way the Pulumi engine does, and stop it.

The engine runs `python -u -m pulumi.policy <engine address> <pack dir>` with the pack directory as working
directory, exports the stack context (`PULUMI_ORGANIZATION`, `PULUMI_PROJECT`, `PULUMI_STACK`,
`PULUMI_DRY_RUN`, and the stack config as JSON in `PULUMI_CONFIG`), and reads the gRPC port from the first
line the pack prints. The interpreter is the pack's own virtualenv (`runtime.options.virtualenv` in
`PulumiPolicy.yaml`) when it exists, else the current one.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

ENGINE_ADDRESS = "127.0.0.1:0"
"""Passed where the engine passes its own address; the Python pack host never dials it."""

_STDERR_LIMIT = 64 * 1024


class PackError(RuntimeError):
    """The policy pack could not be started or failed while analyzing; `stderr` holds what it printed."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


@dataclass(frozen=True)
class PackProject:
    """The parts of `PulumiPolicy.yaml` the engine uses."""

    directory: Path
    runtime: str
    version: str
    description: str
    virtualenv: str | None

    def interpreter(self) -> str:
        if self.virtualenv:
            venv = self.directory / self.virtualenv
            for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
                if candidate.exists():
                    return str(candidate)
        return sys.executable


def load_pack_project(pack_dir: Path) -> PackProject:
    """Read `PulumiPolicy.yaml`; like the engine, refuse a directory without one or a non-Python pack."""
    pack_dir = pack_dir.resolve()
    path = pack_dir / "PulumiPolicy.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise PackError(f"{pack_dir} is not a policy pack: it has no PulumiPolicy.yaml") from None
    except (OSError, yaml.YAMLError) as err:
        raise PackError(f"cannot read {path}: {err}") from None
    if not isinstance(data, Mapping):
        raise PackError(f"{path} must be a YAML mapping with at least a `runtime` key")
    runtime = data.get("runtime")
    name, options = (
        (runtime.get("name"), runtime.get("options") or {}) if isinstance(runtime, Mapping) else (runtime, {})
    )
    if name != "python":
        raise PackError(f"{path} declares runtime {name!r}; this driver runs Python policy packs only")
    venv = options.get("virtualenv") if isinstance(options, Mapping) else None
    return PackProject(
        directory=pack_dir,
        runtime=name,
        version=str(data.get("version") or ""),
        description=str(data.get("description") or ""),
        virtualenv=str(venv) if venv else None,
    )


def pack_environment(
    *, organization: str, project: str, stack: str, dry_run: bool, config: Mapping[str, Any]
) -> dict[str, str]:
    """The current environment plus what the engine exports to a policy pack (empty values left out)."""
    env = dict(os.environ)
    values = {
        "PULUMI_CONFIG": json.dumps({k: config_string(v) for k, v in config.items()}) if config else "",
        "PULUMI_ORGANIZATION": organization,
        "PULUMI_PROJECT": project,
        "PULUMI_STACK": stack,
        "PULUMI_DRY_RUN": "true" if dry_run else "false",
    }
    env.update({k: v for k, v in values.items() if v})
    return env


def config_string(value: Any) -> str:
    """A config value as the engine hands it over: strings as is, anything else as JSON text."""
    return value if isinstance(value, str) else json.dumps(value)


class PackProcess:
    """A running pack: started on construction; `port()` waits for it to serve; `close()` stops it."""

    def __init__(self, project: PackProject, env: Mapping[str, str]) -> None:
        self.project = project
        command = [project.interpreter(), "-u", "-m", "pulumi.policy", ENGINE_ADDRESS, str(project.directory)]
        try:
            self._proc = subprocess.Popen(
                command,
                cwd=project.directory,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as err:
            raise PackError(f"cannot start the policy pack in {project.directory}: {err}") from None
        self._stderr = bytearray()
        self._first_line: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        assert self._proc.stdout is not None and self._proc.stderr is not None
        threading.Thread(target=self._read_stdout, args=(self._proc.stdout,), daemon=True).start()
        self._stderr_reader = threading.Thread(
            target=self._read_stderr, args=(self._proc.stderr,), daemon=True
        )
        self._stderr_reader.start()

    def _read_stdout(self, stream: IO[bytes]) -> None:
        self._first_line.put(stream.readline())
        for _ in stream:  # keep draining so a chatty pack never blocks on a full pipe
            pass

    def _read_stderr(self, stream: IO[bytes]) -> None:
        for chunk in iter(lambda: os.read(stream.fileno(), 4096), b""):
            self._stderr += chunk
            del self._stderr[:-_STDERR_LIMIT]

    def stderr(self) -> str:
        return self._stderr.decode("utf-8", "replace")

    def port(self, timeout: float) -> int:
        """The port from the pack's first output line; a clear error if it dies, stalls or prints garbage."""
        where = self.project.directory
        try:
            line = self._first_line.get(timeout=timeout)
        except queue.Empty:
            self.close()
            raise PackError(
                f"the policy pack in {where} did not report its port within {timeout:g} s", self.stderr()
            ) from None
        if not line:
            code = self._wait_exit()
            raise PackError(
                f"the policy pack in {where} exited{code} before serving: {self._last_error()}", self.stderr()
            )
        text = line.decode("utf-8", "replace").strip()
        try:
            return int(text)
        except ValueError:
            self.close()
            raise PackError(
                f"the policy pack in {where} printed {text[:80]!r} where its port number belongs "
                "(a pack must not print to stdout while it starts)",
                self.stderr(),
            ) from None

    def _wait_exit(self) -> str:
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.close()
            return ""
        self._stderr_reader.join(timeout=5)
        return f" with code {self._proc.returncode}"

    def _last_error(self) -> str:
        lines = [line.strip() for line in self.stderr().splitlines() if line.strip()]
        return lines[-1] if lines else "it printed nothing on stderr"

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._stderr_reader.join(timeout=5)
