"""The one error type for bad input: a missing stack file, a program that raises, malformed JSON..."""

from __future__ import annotations


class InputError(Exception):
    """A problem with what the user asked us to read; the message is one paragraph meant for the user as is.

    `detail` holds what only `--debug` shows, such as the program's traceback.
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message
