"""The question model: small immutable classes that every view is a function of."""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from typing import Mapping

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
    course: str = "military-diplomacy-latam"

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


def display_order(question: Question) -> list:
    """The order in which a view shows a question's choices (seeded, so reproducible).

    single/multiple: options; matching: the right-hand column; ordering: the items,
    always in an order that is not already the answer.
    """
    if isinstance(question, (SingleChoice, MultipleChoice)):
        items = list(question.options)
    elif isinstance(question, Matching):
        items = sorted({p.right for p in question.pairs}, key=_natural_key)
    elif isinstance(question, Ordering):
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
    else:
        return []
    if question.shuffle:
        question.seeded_random().shuffle(items)
    return items


def _natural_key(text: str):
    """Sort "1948" before "1967" and "Rio" before "rio2" the way a reader expects."""
    parts = [(0, int(part), "") if part.isdecimal() else (1, 0, part.lower())
             for part in re.split(r"(\d+)", text, flags=re.ASCII) if part]
    return parts, text  # the text itself breaks ties, so the order never depends on hashing


__all__ = [
    "QUESTION_TYPES", "LEVELS", "Option", "Question", "SingleChoice", "MultipleChoice", "TrueFalse",
    "ShortText", "Numeric", "Pair", "Matching", "Ordering", "QUESTION_CLASSES",
    "Perspective", "DiscussionPrompt", "Bank", "display_order",
]
