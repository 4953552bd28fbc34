"""What every validity rule shares: a document that does not parse is a finding (AWS would reject it), not a
not-applicable result; an unknown value stays "could not evaluate"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from policies.rules.props import Malformed


def rejected(messages: Iterable[str]) -> Iterator[str]:
    """The messages of a check; a `Malformed` value ends the check as one finding naming the bad path."""
    try:
        yield from messages
    except Malformed as error:
        yield f"{error.message}; AWS rejects the document."


def close_to(word: str, choices: Iterable[str]) -> str:
    """` (did you mean `X`?)` for the nearest valid name, or nothing."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean `{match[0]}`?)" if match else ""
