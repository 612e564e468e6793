"""The one grader. The live widget and the instructor's `coursekit grade` call it; the
static JavaScript mirrors it, and tests/answer_cases.yml drives the tests of both.

A response is plain JSON, the same in every view and in the submission file (practice answers
are stored and exported by position instead, see positions.py; grade() takes either):

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
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    ShortText,
    SingleChoice,
    TrueFalse,
    TypeTable,
    display_order,
)
from .positions import from_positions
from .ui import _

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$", re.ASCII)  # ASCII digits, as in the browser
# "1,960" and "1.960" could be a thousands separator or a decimal mark (English writes 1,960 for
# 1960, Spanish and Portuguese write 1.960): refused, never guessed.
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$", re.ASCII)

# What a student is told. static/coursekit.js carries the same texts (tests/test_static_view.py
# checks that they match).
MESSAGES = {
    "no_answer": "No answer yet.",
    "single": "Choose one option.",
    "multiple": "Tick one or more options.",
    "truefalse": "Choose True or False.",
    "text": "Type an answer.",
    "numeric": "Type a number, such as 1947 or 2.5.",
    "ambiguous_number": ("Type the number without a thousands separator (1960, not 1,960 or 1.960); "
                         "for a decimal, use a point or a comma: 2.5."),
    "matching": "Choose a match for each item.",
    "ordering": "Put every item in order.",
    # An ordering starts shuffled: checking it untouched would grade an order nobody chose.
    "ordering_untouched": "Move the items into the order you choose first (the ▲ and ▼ buttons).",
    "recorded": "Answer saved.",
    "correct": "Correct.",
    "partial": "Partly correct: {percent}% of the credit.",
    "incorrect": "Not correct.",
}


def message(key: str, **values) -> str:
    """One of MESSAGES in the reader's language (coursekit/ui.py), its {placeholders} filled."""
    return _(MESSAGES[key], **values)


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
    if not _NUMBER.match(compact) or _AMBIGUOUS.match(compact):
        return None
    return float(compact.replace(",", "."))


def _round_half_up(value: float, places: int) -> float:
    """As Math.round in the browser (Python's round() goes to even)."""
    scale = 10 ** places
    return math.floor(value * scale + 0.5) / scale


def _headline(score: float) -> str:
    if score >= 1:
        return message("correct")
    if score > 0:
        return message("partial", percent=int(_round_half_up(score * 100, 0)))
    return message("incorrect")


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


PROBLEM = TypeTable("response check")
GRADE = TypeTable("grading")


def response_problem(question: Question, response) -> str | None:
    """Why a response cannot be taken as an answer (to ask again), or None when it can.

    Needs no key, so assessment mode uses it too."""
    if response is None:
        return message("no_answer")
    return PROBLEM(question, response)


@PROBLEM.register("single")
def _single_problem(question: SingleChoice, response):
    return None if any(o.text == response for o in question.options) else message("single")


@PROBLEM.register("multiple")
def _multiple_problem(question: MultipleChoice, response):
    known = {o.text for o in question.options}
    ok = (isinstance(response, list) and response and all(isinstance(r, str) for r in response)
          and set(response) <= known)
    return None if ok else message("multiple")


@PROBLEM.register("truefalse")
def _truefalse_problem(question: TrueFalse, response):
    return None if isinstance(response, bool) else message("truefalse")


@PROBLEM.register("text")
def _text_problem(question: ShortText, response):
    return None if isinstance(response, str) and normalise_text(response) else message("text")


@PROBLEM.register("numeric")
def _numeric_problem(question: Numeric, response):
    if parse_number(response) is not None:
        return None
    if isinstance(response, str) and _AMBIGUOUS.match(response.strip(" \t\n\r").replace(" ", "")):
        return message("ambiguous_number")
    return message("numeric")


@PROBLEM.register("matching")
def _matching_problem(question: Matching, response):
    ok = isinstance(response, dict) and any(isinstance(response.get(p.left), str) and response.get(p.left)
                                              for p in question.pairs)
    return None if ok else message("matching")


@PROBLEM.register("ordering")
def _ordering_problem(question: Ordering, response):
    ok = isinstance(response, list) and sorted(map(str, response)) == sorted(question.items)
    return None if ok else message("ordering")


def record(question: Question, response) -> Result:
    """Assessment mode: accept a well-formed response without judging it."""
    problem = response_problem(question, from_positions(question, response))
    return _invalid(problem) if problem else Result("recorded", 0.0, (message("recorded"),))


def grade(question: Question, response) -> Result:
    """Score one response to one question, in the text form or by positions (positions.py,
    so an answer given in any language's edition). Never raises on a malformed response."""
    response = from_positions(question, response)
    problem = response_problem(question, response)
    if problem:
        return _invalid(problem)
    return GRADE(question, response)


@GRADE.register("single")
def _grade_single(question: SingleChoice, response) -> Result:
    option = next(o for o in question.options if o.text == response)
    return _result(question, 1.0 if option.text == question.answer else 0.0, [option.feedback])


@GRADE.register("multiple")
def _grade_multiple(question: MultipleChoice, response) -> Result:
    chosen = set(response)
    right = len(chosen & question.answer)
    wrong = len(chosen - question.answer)
    score = 1.0 if chosen == question.answer else max(0.0, (right - wrong) / len(question.answer))
    # each line names the option it is about, in the order the options are shown
    return _result(question, score, [f"“{o.text}”: {o.feedback}" for o in display_order(question)
                                     if o.text in chosen and o.feedback])


@GRADE.register("truefalse")
def _grade_truefalse(question: TrueFalse, response) -> Result:
    return _result(question, 1.0 if response == question.answer else 0.0,
                   [question.feedback_true if response else question.feedback_false])


@GRADE.register("text")
def _grade_text(question: ShortText, response) -> Result:
    accepted = {normalise_text(a) for a in question.accept}
    return _result(question, 1.0 if normalise_text(response) in accepted else 0.0, [])


@GRADE.register("numeric")
def _grade_numeric(question: Numeric, response) -> Result:
    # A small epsilon so that 0.1 + 0.2 style float noise never decides a grade.
    ok = abs(parse_number(response) - question.answer) <= question.tolerance + 1e-9
    return _result(question, 1.0 if ok else 0.0, [])


@GRADE.register("matching")
def _grade_matching(question: Matching, response) -> Result:
    right = sum(1 for p in question.pairs if response.get(p.left) == p.right)
    total = len(question.pairs)
    # which matches hold, without saying what the others should be
    marks = "; ".join(f"{p.left} {'✔' if response.get(p.left) == p.right else '✘'}" for p in question.pairs)
    return _result(question, right / total, [_("{right} of {total} pairs matched correctly.", right=right, total=total),
                                             marks])


@GRADE.register("ordering")
def _grade_ordering(question: Ordering, response) -> Result:
    placed = [i + 1 for i, (given, expected) in enumerate(zip(response, question.items)) if given == expected]
    total = len(question.items)
    positions = ", ".join(map(str, placed))
    where = (_("Right: positions {positions}.", positions=positions) if len(placed) > 1
             else _("Right: position {positions}.", positions=positions) if placed else "")
    return _result(question, len(placed) / total,
                   [_("{placed} of {total} items in the right position.", placed=len(placed), total=total), where])


__all__ = ["MESSAGES", "Result", "grade", "record", "response_problem", "normalise_text", "strip_accents", "parse_number"]
