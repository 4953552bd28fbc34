"""Which AWS resource types take tags, derived from the installed pulumi-aws package rather than a hand list.

`python -m policies.taggable` scans pulumi_aws's generated resource classes: a type is taggable when its
constructor takes a `tags` map. The result is written to `policies/taggable_types.json` (shipped with the
pack, so the pack does not scan 1,700 files at start-up); a test regenerates it and compares, so a pulumi-aws
upgrade that changes the set fails CI until the file is regenerated.
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "taggable_types.json"

_RESOURCE = re.compile(r'@pulumi\.type_token\("(aws:[^"]+)"\)\nclass \w+\(pulumi\.CustomResource\):')
_INIT = re.compile(r"def _internal_init\(__self__,(.*?)\):", re.DOTALL)
_TAGS_MAP = re.compile(r"\n\s+tags: pulumi\.Input\[Optional\[Mapping\[str,")


def _taggable_in(source: str) -> list[str]:
    found: list[str] = []
    starts = list(_RESOURCE.finditer(source))
    for position, match in enumerate(starts):
        end = starts[position + 1].start() if position + 1 < len(starts) else len(source)
        init = _INIT.search(source, match.end(), end)
        if init and _TAGS_MAP.search(init.group(1)):
            found.append(match.group(1))
    return found


def scan(package_dir: Path) -> list[str]:
    """Every `aws:*` resource token in the package whose constructor accepts a `tags` map, sorted."""
    tokens: set[str] = set()
    for path in package_dir.rglob("*.py"):
        tokens.update(_taggable_in(path.read_text(encoding="utf-8")))
    return sorted(tokens)


def installed_package() -> tuple[Path, str]:
    from importlib.metadata import version

    import pulumi_aws

    return Path(pulumi_aws.__file__).resolve().parent, version("pulumi_aws")


def generate() -> dict[str, Any]:
    package_dir, version = installed_package()
    return {"pulumiAwsVersion": version, "types": scan(package_dir)}


@lru_cache(maxsize=1)
def taggable_types() -> frozenset[str]:
    """The shipped set of taggable type tokens."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return frozenset(data["types"])


def main() -> int:
    data = generate()
    DATA_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(data['types'])} taggable types (pulumi-aws {data['pulumiAwsVersion']}) to {DATA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
