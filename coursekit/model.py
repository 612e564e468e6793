"""The question model: small immutable classes that every view is a function of."""
from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import UnknownQuestionType

QUESTION_TYPES = ("single", "multiple", "truefalse", "text", "numeric", "matching", "ordering")
# The cognitive level a question works at (revised Bloom, lowest first); optional in a bank.
LEVELS = ("remember", "understand", "apply", "analyse", "evaluate")


@dataclass(frozen=True)
class Option:
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    """Fields common to every type; subclasses add what their answer needs."""

    id: str
    objective: str
    prompt: str
    explanation: str
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    shuffle: bool = False
    level: str = ""  # one of LEVELS, or "" when the bank does not say
    type = ""  # class attribute, set by each subclass

    def seeded_random(self) -> random.Random:
        """A generator seeded by the id: the same shuffled order on every run and machine."""
        return random.Random(int(hashlib.sha256(self.id.encode()).hexdigest()[:16], 16))


@dataclass(frozen=True)
class SingleChoice(Question):
    options: tuple[Option, ...] = ()
    answer: str = ""
    type = "single"


@dataclass(frozen=True)
class MultipleChoice(Question):
    options: tuple[Option, ...] = ()
    answer: frozenset[str] = frozenset()
    type = "multiple"


@dataclass(frozen=True)
class TrueFalse(Question):
    answer: bool = True
    feedback_true: str = ""
    feedback_false: str = ""
    type = "truefalse"


@dataclass(frozen=True)
class ShortText(Question):
    accept: tuple[str, ...] = ()
    type = "text"


@dataclass(frozen=True)
class Numeric(Question):
    answer: float = 0.0
    tolerance: float = 0.0
    unit: str = ""
    type = "numeric"


@dataclass(frozen=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True)
class Matching(Question):
    pairs: tuple[Pair, ...] = ()
    type = "matching"


@dataclass(frozen=True)
class Ordering(Question):
    items: tuple[str, ...] = ()  # in the correct order
    type = "ordering"


QUESTION_CLASSES: Mapping[str, type[Question]] = {
    cls.type: cls
    for cls in (SingleChoice, MultipleChoice, TrueFalse, ShortText, Numeric, Matching, Ordering)
}


class TypeTable:
    """One concern's handling of every question type (grading, a view, an export, the key).

    Every dispatch on a question's type goes through a TypeTable, so that a type without a
    handler is a clear UnknownQuestionType and never falls through to another type's code;
    tests/test_model.py checks that every table handles every registered type.
    """

    tables: list[TypeTable] = []  # every table made, for that test

    def __init__(self, concern: str):
        self.concern = concern
        self.handlers: dict[str, Callable] = {}
        TypeTable.tables.append(self)

    def register(self, *types: str):
        unknown = [t for t in types if t not in QUESTION_CLASSES]
        if unknown:
            raise ValueError(f"{self.concern}: {unknown} are not registered question types")

        def add(handler):
            for qtype in types:
                self.handlers[qtype] = handler
            return handler
        return add

    def handler(self, qtype: str) -> Callable:
        try:
            return self.handlers[qtype]
        except KeyError:
            raise UnknownQuestionType(f"{self.concern}: no handler for question type {qtype!r}") from None

    def __call__(self, question: Question, *args, **kwargs):
        return self.handler(question.type)(question, *args, **kwargs)

    def missing(self) -> set[str]:
        return set(QUESTION_CLASSES) - set(self.handlers)


@dataclass(frozen=True)
class Perspective:
    title: str
    text: str
    sources: tuple[str, ...] = ()  # bibliography keys the perspective draws on


@dataclass(frozen=True)
class DiscussionPrompt:
    id: str
    prompt: str
    guiding_questions: tuple[str, ...] = ()
    suggested_words: int = 150
    perspectives: tuple[Perspective, ...] = ()


@dataclass(frozen=True)
class Bank:
    """One chapter's question bank."""

    chapter: str
    title: str
    objectives: Mapping[str, str]
    questions: tuple[Question, ...]
    discussions: tuple[DiscussionPrompt, ...] = ()
    source: str = ""  # the file it came from, for messages
    course: str = ""  # the course id (from the bank, else from the course's _config.yml)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def discussion(self, pid: str) -> DiscussionPrompt:
        for d in self.discussions:
            if d.id == pid:
                return d
        known = ", ".join(d.id for d in self.discussions) or "none"
        raise KeyError(f"no discussion {pid!r} in {self.source or self.chapter} (known: {known})")


DISPLAY_ORDER = TypeTable("display order")


def display_order(question: Question) -> list:
    """The order in which a view shows a question's choices (seeded, so reproducible).

    single/multiple: options; matching: the right-hand column; ordering: the items,
    always in an order that is not already the answer; the other types have none.
    """
    return DISPLAY_ORDER(question)


@DISPLAY_ORDER.register("single", "multiple")
def _options_order(question) -> list:
    items = list(question.options)
    if question.shuffle:
        question.seeded_random().shuffle(items)
    return items


@DISPLAY_ORDER.register("matching")
def _rights_order(question) -> list:
    items = sorted({p.right for p in question.pairs}, key=_natural_key)
    if question.shuffle:
        question.seeded_random().shuffle(items)
    return items


@DISPLAY_ORDER.register("ordering")
def _items_order(question) -> list:
    # Of a few seeded shuffles, the one that leaves the fewest items already in place:
    # starting half-solved would give credit for pressing Check. Never the answer itself.
    rng, answer = question.seeded_random(), list(question.items)
    best = None
    for _ in range(8):
        items = answer[:]
        rng.shuffle(items)
        in_place = sum(a == b for a, b in zip(items, answer))
        if items != answer and (best is None or in_place < best[0]):
            best = (in_place, items)
    return best[1] if best else answer[1:] + answer[:1]


@DISPLAY_ORDER.register("truefalse", "text", "numeric")
def _no_choices(question) -> list:
    return []


def _natural_key(text: str):
    """Sort "1948" before "1967" and "Rio" before "rio2" the way a reader expects."""
    parts = [(0, int(part), "") if part.isdecimal() else (1, 0, part.lower())
             for part in re.split(r"(\d+)", text, flags=re.ASCII) if part]
    return parts, text  # the text itself breaks ties, so the order never depends on hashing


__all__ = [
    "QUESTION_TYPES", "LEVELS", "Option", "Question", "SingleChoice", "MultipleChoice", "TrueFalse",
    "ShortText", "Numeric", "Pair", "Matching", "Ordering", "QUESTION_CLASSES",
    "Perspective", "DiscussionPrompt", "Bank", "display_order", "TypeTable", "LEVELS",
]
