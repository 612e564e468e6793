"""The one grader. The live widget and the instructor's `coursekit grade` call it; the
static JavaScript mirrors it, and tests/answer_cases.yml drives the tests of both.

A response is plain JSON, the same in every view and in the submission file:

    single     the chosen option's text          "Regular staff talks"
    multiple   a list of option texts            ["A", "C"]
    truefalse  true or false
    text       the text typed                    "bogota"
    numeric    the text typed                    "1947" or "2,5"
    matching   {left: chosen right}              {"Rio Treaty": "1947"}
    ordering   the items in the chosen order     ["first", "second"]
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .model import (
    Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse,
)

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


@dataclass(frozen=True)
class Result:
    status: str  # "correct" | "partial" | "incorrect" | "invalid" (nothing usable was given)
    score: float  # 0..1
    feedback: tuple[str, ...] = field(default_factory=tuple)  # the first line is the headline

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def as_dict(self) -> dict:
        return {"status": self.status, "score": self.score, "feedback": list(self.feedback)}


def normalise_text(text: str) -> str:
    """Case, accents, punctuation and spacing removed: "  Bogotá! " -> "bogota".

    Dashes count as spaces ("Costa-Rica" == "Costa Rica"); other punctuation and symbols
    vanish ("U.S." == "US"). Mirrored by normaliseText() in static/coursekit.js.
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    out = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category.startswith("M"):
            continue
        if category == "Pd":
            out.append(" ")
        elif category[0] in "PS":
            continue
        else:
            out.append(char)
    return " ".join("".join(out).lower().split())


def parse_number(text) -> float | None:
    """A number as a student types it: "1947", "-3", "2.5" or "2,5". Anything else is None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    if not isinstance(text, str):
        return None
    compact = text.strip().replace(" ", "")
    if not _NUMBER.match(compact):
        return None
    return float(compact.replace(",", "."))


def _headline(score: float) -> str:
    if score >= 1:
        return "Correct."
    if score > 0:
        return f"Partly correct: {round(score * 100)}% of the credit."
    return "Not correct."


def _status(score: float) -> str:
    return "correct" if score >= 1 else "partial" if score > 0 else "incorrect"


def _result(question: Question, score: float, specific: list[str]) -> Result:
    score = round(score, 4)
    lines = [_headline(score), *[s for s in specific if s]]
    if len(lines) == 1:
        generic = question.feedback_correct if score >= 1 else question.feedback_incorrect
        if generic:
            lines.append(generic)
    return Result(_status(score), score, tuple(lines))


def _invalid(message: str) -> Result:
    return Result("invalid", 0.0, (message,))


def grade(question: Question, response) -> Result:
    """Score one response to one question. Never raises on a malformed response."""
    if response is None:
        return _invalid("No answer yet.")
    if isinstance(question, SingleChoice):
        option = next((o for o in question.options if o.text == response), None)
        if option is None:
            return _invalid("Choose one option.")
        return _result(question, 1.0 if option.text == question.answer else 0.0, [option.feedback])
    if isinstance(question, MultipleChoice):
        if not isinstance(response, list) or not all(isinstance(r, str) for r in response):
            return _invalid("Tick one or more options.")
        chosen = set(response)
        known = {o.text for o in question.options}
        if not chosen or not chosen <= known:
            return _invalid("Tick one or more options.")
        right = len(chosen & question.answer)
        wrong = len(chosen - question.answer)
        score = 1.0 if chosen == question.answer else max(0.0, (right - wrong) / len(question.answer))
        return _result(question, score, [o.feedback for o in question.options if o.text in chosen])
    if isinstance(question, TrueFalse):
        if not isinstance(response, bool):
            return _invalid("Choose True or False.")
        return _result(question, 1.0 if response == question.answer else 0.0,
                       [question.feedback_true if response else question.feedback_false])
    if isinstance(question, ShortText):
        if not isinstance(response, str) or not normalise_text(response):
            return _invalid("Type an answer.")
        accepted = {normalise_text(a) for a in question.accept}
        return _result(question, 1.0 if normalise_text(response) in accepted else 0.0, [])
    if isinstance(question, Numeric):
        value = parse_number(response)
        if value is None:
            return _invalid("Type a number, such as 1947 or 2.5.")
        # A small epsilon so that 0.1 + 0.2 style float noise never decides a grade.
        ok = abs(value - question.answer) <= question.tolerance + 1e-9
        return _result(question, 1.0 if ok else 0.0, [])
    if isinstance(question, Matching):
        if not isinstance(response, dict):
            return _invalid("Choose a match for each item.")
        answered = {p.left: response.get(p.left) for p in question.pairs}
        if not any(isinstance(v, str) and v for v in answered.values()):
            return _invalid("Choose a match for each item.")
        right = sum(1 for p in question.pairs if answered[p.left] == p.right)
        total = len(question.pairs)
        return _result(question, right / total, [f"{right} of {total} pairs matched correctly."])
    if isinstance(question, Ordering):
        if (not isinstance(response, list) or sorted(map(str, response)) != sorted(question.items)):
            return _invalid("Put every item in order.")
        right = sum(1 for given, expected in zip(response, question.items) if given == expected)
        total = len(question.items)
        return _result(question, right / total, [f"{right} of {total} items in the right position."])
    raise TypeError(f"no grader for {type(question).__name__}")  # a programming error, not a bank error


__all__ = ["Result", "grade", "normalise_text", "parse_number"]
