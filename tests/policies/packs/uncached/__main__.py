"""Our pack, assembled by policies/__main__.py itself, with `policies.servicer_cache.install` and
`policies.type_dispatch.install` made no-ops: the plain SDK servicer, the reference the cache's and the
dispatch's answers are compared against, byte for byte (tests/policies/test_servicer_cache_grpc.py).
"""

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

import policies.servicer_cache as cache  # noqa: E402
import policies.type_dispatch as dispatch  # noqa: E402


def _not_installed() -> bool:
    return False


cache.install = _not_installed
dispatch.install = lambda _rules: False
runpy.run_path(str(ROOT / "policies" / "__main__.py"), run_name="__main__")
