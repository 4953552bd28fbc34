"""The benchmark's baseline: a program run under the SDK's stock mocks, with nothing recorded or priced.

`python bench/plain_mocks.py <program dir> <stack>` does what a minimal unit-test harness does (the pattern of
pulumi/examples `testing-unit-py`): set the stack config, `set_mocks` with mocks that echo inputs, run the
program with runpy and wait for its registrations. Its time is the floor any offline preview pays.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parents[1])

from inventory.project import load_project, load_stack_config  # noqa: E402


def main(program: str, stack: str) -> None:
    import pulumi
    from pulumi.runtime.stack import wait_for_rpcs
    from pulumi.runtime.sync_await import _sync_await

    class EchoMocks(pulumi.runtime.Mocks):
        def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
            return f"{args.name}-id", dict(args.inputs)

        def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
            return {}, None

    project = load_project(program)
    _, config = load_stack_config(project, stack)
    pulumi.runtime.set_all_config(config.values, sorted(config.secret_keys))
    pulumi.runtime.set_mocks(EchoMocks(), project.name, stack, preview=False)
    os.chdir(project.dir)
    sys.path.insert(0, str(project.dir))
    runpy.run_path(str(project.main), run_name="__main__")
    _sync_await(wait_for_rpcs())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
    sys.stdout.flush()
    os._exit(0)
