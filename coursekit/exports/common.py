"""What the export formats share: the variants of accepted text answers, ordinal positions,
and how an ordering question becomes a matching of items to positions."""
from __future__ import annotations

from collections.abc import Iterable

from ..grading import normalise_text, strip_accents
from ..model import Numeric, Ordering, Question

LeftOut = list[tuple[str, str]]  # (question id, why it was left out)


class LeaveOut(Exception):
    """Raised by a format's handler: this question cannot go into this format (the message says why)."""


def accepted_variants(accept: Iterable[str]) -> list[str]:
    """Each accepted answer, then its accent-stripped and normalised forms; no repeats
    (compared without case, as Moodle and Canvas compare)."""
    out: list[str] = []
    seen: set[str] = set()
    for answer in accept:
        for variant in (answer, strip_accents(answer), normalise_text(answer)):
            variant = " ".join(variant.split())
            if variant and variant.casefold() not in seen:
                seen.add(variant.casefold())
                out.append(variant)
    return out


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def with_unit(question: Numeric) -> str:
    return f"{question.prompt} (unit: {question.unit})" if question.unit else question.prompt


ORDERING_NOTE = ("(Match each item to its position in the correct order: "
                 "1st is the first, 2nd the second, and so on.)")


def ordering_prompt(question: Ordering) -> str:
    return f"{question.prompt}\n\n{ORDERING_NOTE}"


def option_feedback(question, feedback: str, right: bool) -> str:
    """Option feedback, or the generic feedback our views show when an option has none."""
    if feedback:
        return feedback
    return question.feedback_correct if right else question.feedback_incorrect


def generic_appendix(question: Question) -> str:
    parts = []
    if question.feedback_correct:
        parts.append(f"If fully correct: {question.feedback_correct}")
    if question.feedback_incorrect:
        parts.append(f"If not fully correct: {question.feedback_incorrect}")
    return "\n\n".join(parts)



__all__ = ["LeftOut", "LeaveOut", "accepted_variants", "ordinal", "number_text", "with_unit", "ORDERING_NOTE",
           "ordering_prompt", "option_feedback", "generic_appendix"]
