"""Fails at start-up, as a pack with a missing dependency does."""

import this_module_does_not_exist  # noqa: F401
