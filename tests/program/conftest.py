"""Fixtures for the program tests: each stack synthesized once per session under the SDK mocks.

`inventory(stack)` is the `Inventory` of `synthesize(REPO_ROOT, stack)`; `stack_view(stack)`
wraps it with shared lookups; `stack_config(stack)` is the validated `StackConfig` of `Pulumi.<stack>.yaml`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from stackview import Inventory, StackConfig, StackView, loaded_config, stop_pending, synthesized


@pytest.fixture(scope="session", autouse=True)
def _stop_unused_syntheses() -> Iterator[None]:
    yield
    stop_pending()


@pytest.fixture(scope="session")
def inventory() -> Callable[[str], Inventory]:
    return synthesized


@pytest.fixture(scope="session")
def stack_view() -> Callable[[str], StackView]:
    return lambda stack: StackView(synthesized(stack))


@pytest.fixture(scope="session")
def stack_config() -> Callable[[str], StackConfig]:
    return loaded_config
