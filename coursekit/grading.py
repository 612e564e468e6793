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

import math
import re
import unicodedata
from dataclasses import dataclass, field

from .model import (
    Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse,
)

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$", re.ASCII)  # ASCII digits, as in the browser


@dataclass(frozen=True)
class Result:
    status: str  # "correct" | "partial" | "incorrect" | "invalid" (nothing usable) | "recorded" (assessment)
    score: float  # 0..1
    feedback: tuple[str, ...] = field(default_factory=tuple)  # the first line is the headline

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def as_dict(self) -> dict:
        return {"status": self.status, "score": self.score, "feedback": list(self.feedback)}


_SPACES = set("\t\n\v\f\r")


def normalise_text(text: str) -> str:
    """Case, accents, punctuation and spacing removed: "  Bogotá! " -> "bogota".

    Dashes count as spaces ("Costa-Rica" == "Costa Rica"); other punctuation and symbols
    vanish ("U.S." == "US"), and so do invisible characters (controls, zero-width and
    byte-order marks). Mirrored character class by character class by normaliseText() in
    static/coursekit.js, so both graders agree on every input.
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    out = []
    for char in decomposed:
        category = unicodedata.category(char)
        if char in _SPACES or category[0] == "Z" or category == "Pd":
            out.append(" ")
        elif category[0] in "MPS" or category in ("Cc", "Cf"):
            continue
        else:
            out.append(char)
    return " ".join(part for part in "".join(out).lower().split(" ") if part)


def strip_accents(text: str) -> str:
    """"Bogotá" -> "Bogota": marks removed (as \\p{M} in the browser), case and punctuation kept."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")))


def parse_number(text) -> float | None:
    """A number as a student types it: "1947", "-3", "2.5" or "2,5". Anything else is None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    if not isinstance(text, str):
        return None
    compact = text.strip(" \t\n\r").replace(" ", "")
    if not _NUMBER.match(compact):
        return None
    return float(compact.replace(",", "."))


def _round_half_up(value: float, places: int) -> float:
    """As Math.round in the browser (Python's round() goes to even)."""
    scale = 10 ** places
    return math.floor(value * scale + 0.5) / scale


def _headline(score: float) -> str:
    if score >= 1:
        return "Correct."
    if score > 0:
        return f"Partly correct: {int(_round_half_up(score * 100, 0))}% of the credit."
    return "Not correct."


def _status(score: float) -> str:
    return "correct" if score >= 1 else "partial" if score > 0 else "incorrect"


def _result(question: Question, score: float, specific: list[str]) -> Result:
    score = _round_half_up(score, 4)
    lines = [_headline(score), *[s for s in specific if s]]
    if len(lines) == 1:
        generic = question.feedback_correct if score >= 1 else question.feedback_incorrect
        if generic:
            lines.append(generic)
    return Result(_status(score), score, tuple(lines))


def _invalid(message: str) -> Result:
    return Result("invalid", 0.0, (message,))


def response_problem(question: Question, response) -> str | None:
    """Why a response cannot be taken as an answer (to ask again), or None when it can.

    Needs no key, so assessment mode uses it too."""
    if response is None:
        return "No answer yet."
    if isinstance(question, SingleChoice):
        return None if any(o.text == response for o in question.options) else "Choose one option."
    if isinstance(question, MultipleChoice):
        known = {o.text for o in question.options}
        ok = (isinstance(response, list) and response and all(isinstance(r, str) for r in response)
              and set(response) <= known)
        return None if ok else "Tick one or more options."
    if isinstance(question, TrueFalse):
        return None if isinstance(response, bool) else "Choose True or False."
    if isinstance(question, ShortText):
        return None if isinstance(response, str) and normalise_text(response) else "Type an answer."
    if isinstance(question, Numeric):
        return None if parse_number(response) is not None else "Type a number, such as 1947 or 2.5."
    if isinstance(question, Matching):
        ok = isinstance(response, dict) and any(isinstance(response.get(p.left), str) and response.get(p.left)
                                                  for p in question.pairs)
        return None if ok else "Choose a match for each item."
    if isinstance(question, Ordering):
        ok = isinstance(response, list) and sorted(map(str, response)) == sorted(question.items)
        return None if ok else "Put every item in order."
    raise TypeError(f"no grader for {type(question).__name__}")  # a programming error, not a bank error


def record(question: Question, response) -> Result:
    """Assessment mode: accept a well-formed response without judging it."""
    problem = response_problem(question, response)
    return _invalid(problem) if problem else Result("recorded", 0.0, ("Answer saved.",))


def grade(question: Question, response) -> Result:
    """Score one response to one question. Never raises on a malformed response."""
    problem = response_problem(question, response)
    if problem:
        return _invalid(problem)
    if isinstance(question, SingleChoice):
        option = next(o for o in question.options if o.text == response)
        return _result(question, 1.0 if option.text == question.answer else 0.0, [option.feedback])
    if isinstance(question, MultipleChoice):
        chosen = set(response)
        right = len(chosen & question.answer)
        wrong = len(chosen - question.answer)
        score = 1.0 if chosen == question.answer else max(0.0, (right - wrong) / len(question.answer))
        return _result(question, score, [o.feedback for o in question.options if o.text in chosen])
    if isinstance(question, TrueFalse):
        return _result(question, 1.0 if response == question.answer else 0.0,
                       [question.feedback_true if response else question.feedback_false])
    if isinstance(question, ShortText):
        accepted = {normalise_text(a) for a in question.accept}
        return _result(question, 1.0 if normalise_text(response) in accepted else 0.0, [])
    if isinstance(question, Numeric):
        # A small epsilon so that 0.1 + 0.2 style float noise never decides a grade.
        ok = abs(parse_number(response) - question.answer) <= question.tolerance + 1e-9
        return _result(question, 1.0 if ok else 0.0, [])
    if isinstance(question, Matching):
        right = sum(1 for p in question.pairs if response.get(p.left) == p.right)
        total = len(question.pairs)
        # which matches hold, without saying what the others should be
        marks = "; ".join(f"{p.left} {'✔' if response.get(p.left) == p.right else '✘'}" for p in question.pairs)
        return _result(question, right / total, [f"{right} of {total} pairs matched correctly.", marks])
    placed = [i + 1 for i, (given, expected) in enumerate(zip(response, question.items)) if given == expected]
    total = len(question.items)
    where = f"Right: position{'s' if len(placed) > 1 else ''} {', '.join(map(str, placed))}." if placed else ""
    return _result(question, len(placed) / total, [f"{len(placed)} of {total} items in the right position.", where])


__all__ = ["Result", "grade", "record", "response_problem", "normalise_text", "strip_accents", "parse_number"]
