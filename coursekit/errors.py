"""The errors a user sees. Each is one line that says what is wrong and where; the command
line prints them (cli.main), the views show them, and none of them ever needs a traceback.

Programming errors (a bug in coursekit) are not CourseKitErrors and are not caught.
"""
from __future__ import annotations

import re

MAX_MESSAGE = 400  # a refusal is one line a person can read, however hostile its input
ECHO = 60  # at most this many characters of a user's own text are repeated in a message
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text, limit: int = ECHO) -> str:
    """A user's text fit to repeat in a one-line message: control characters, line breaks and
    lone surrogates shown as escapes, and cut to `limit` characters."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                        else f"\\u{ord(m.group()):04x}", str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echo(value, limit: int = ECHO) -> str:
    """repr() of a user's value, made printable and short: for "'x' is not ..." messages."""
    return printable(repr(value) if isinstance(value, str) else str(value), limit)


class CourseKitError(Exception):
    """Something the user can fix: a broken file, a wrong option, an unwritable folder."""

    def __str__(self) -> str:
        return printable(super().__str__(), MAX_MESSAGE)


class BankError(CourseKitError, ValueError):
    """A question bank that cannot be used, with where and why."""

    def __init__(self, file: str, message: str, *, item: str = "", field: str = "", line: int | None = None):
        self.file, self.item, self.field, self.line, self.message = file, item, field, line, message
        where = f"{file}:{line}" if line else file
        parts = [where]
        if item:
            parts.append(item)
        if field:
            parts.append(f"field '{printable(field)}'")
        super().__init__(": ".join(parts) + ": " + message)


class SubmissionError(CourseKitError):
    """Why one submission file cannot be used (the message is the reason the report gives)."""


class AssignmentError(CourseKitError):
    """An assignment file, or a request to make one, that cannot be used."""


class ExportError(CourseKitError):
    """An export that cannot produce a file (for example, every question was left out).

    `left_out` holds the (id, reason) pairs found before it gave up."""

    def __init__(self, message: str, left_out=None):
        super().__init__(message)
        self.left_out = list(left_out or [])


class BuildError(CourseKitError):
    """A book edition that could not be staged or built (the message carries the builder's last lines)."""


class AssessmentKeyError(CourseKitError):
    """No instructor key, or a key that does not open a sealed assessment bank."""


class UsageError(CourseKitError):
    """A mistake on the command line: a missing folder, a bad --chapters list, a wrong --out."""


class UnknownQuestionType(CourseKitError, TypeError):
    """A question of a type that some part of coursekit has no handler for."""


__all__ = ["CourseKitError", "BankError", "SubmissionError", "AssignmentError", "ExportError", "BuildError", "UsageError",
           "UnknownQuestionType", "printable", "echo", "MAX_MESSAGE", "ECHO"]
