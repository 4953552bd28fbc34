"""Whether two wildcard patterns can match a common string (IAM `*`/`?` globs against ARN templates).

An IAM resource such as `arn:aws:s3:::bucket/*` and an ARN template from the Service Authorization Reference
such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}` are both patterns: the resource fits the template
when some concrete ARN matches both. Template variables (`${BucketName}`) and policy variables
(`${aws:username}`) stand for any text, like `*`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VARIABLE = re.compile(r"\$\{[^}]*\}")
_STAR = "\x00"  # any text, including none
_ONE = "\x01"  # exactly one character


def compile_glob(pattern: str, *, single: bool = True) -> str:
    """The pattern in the intersection alphabet: variables and `*` as any text, `?` as one character."""
    text = _VARIABLE.sub(_STAR, pattern).replace("*", _STAR)
    return text.replace("?", _ONE) if single else text


@lru_cache(maxsize=4096)
def overlap(left: str, right: str) -> bool:
    """Some string matches both compiled patterns (case-sensitive, like ARN resource parts)."""
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(left) and j == len(right):
            return True
        a = left[i] if i < len(left) else None
        b = right[j] if j < len(right) else None
        if a == _STAR:
            stack.append((i + 1, j))
            if b is not None:
                stack.append((i, j + 1))
        if b == _STAR:
            stack.append((i, j + 1))
            if a is not None:
                stack.append((i + 1, j))
        if a not in (None, _STAR) and b not in (None, _STAR) and (a == b or _ONE in (a, b)):
            stack.append((i + 1, j + 1))
    return False
