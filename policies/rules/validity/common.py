"""What every validity rule shares: a document that does not parse is a finding (AWS would reject it), not a
not-applicable result; an unknown value stays "could not evaluate"."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator

from policies.metadata import RuleMeta
from policies.rules.framework import JoinRule, Settings
from policies.rules.props import Malformed, View
from policies.rules.stack_index import Stack


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


def _no_index(_stack: Stack) -> None:
    return None


def document_rule(meta: RuleMeta, check: Callable[[View, Settings], Iterable[str]]) -> JoinRule[None]:
    """A rule judging each resource's own documents, run as a stack policy.

    Why a stack policy: pulumi-policy calls every resource policy for every resource (a fixed cost per policy
    and resource, whatever its type), while a stack policy runs once and visits only resources of its types.
    Documents are rare among a stack's resources, so this keeps the pack's time per resource flat; findings
    still name the resource's URN, and an unknown value is "could not evaluate" for that resource only.
    """

    def judge(view: View, _index: None, settings: Settings) -> Iterable[str]:
        return check(view, settings)

    return JoinRule(meta, _no_index, judge)
