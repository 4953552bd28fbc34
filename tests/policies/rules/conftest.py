"""Makes the repository root importable when pytest is started as `.venv/bin/pytest` (not `python -m
pytest`)."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[3])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
