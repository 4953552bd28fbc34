"""Fargate's task sizes: the CPU/memory pairs AWS offers, in one place for the stack config, the cost
module's right-sizing and the policy pack (no imports, so the pack can load it cheaply).

https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
"""

from __future__ import annotations

_MEMORY_MIB: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}

FARGATE_CPU_UNITS: tuple[int, ...] = tuple(_MEMORY_MIB)


def fargate_memory_options(cpu: int) -> tuple[int, ...]:
    """Memory sizes (MiB) Fargate allows for a task CPU size; () for a CPU size Fargate does not offer."""
    return _MEMORY_MIB.get(cpu, ())
