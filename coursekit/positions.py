"""Answers that mean the same in every language: choices recorded by their place in the bank.

A translated bank has the English bank's questions with the same options, pairs and items in
the same order (coursekit/i18n.py builds it so), but their texts differ. A response that names
an option by its text ("Regular staff talks") is therefore only understood by the edition it
was given in. Practice answers are stored, exported and read by position instead, so a student
who switches language keeps every answer and one gradebook grades every edition alike:

    single     the option's index in the bank             2
    multiple   the ticked options' indices, ascending     [0, 3]
    matching   per left item, in the bank's order, the     [1, 0, null]
               index of the first pair whose right side
               was chosen (null: not matched)
    ordering   the items' bank indices in the order given  [2, 0, 1]
    truefalse, text, numeric: as typed (no text to translate in the answer itself)

Assessment answers keep the text form: the bank order of an ordering's items *is* its answer,
so a page that could turn texts into positions would carry the key. Both forms are told apart
by their JSON type (an index is a number, a text a string), so readers take either, and every
submission written before positions existed is read as it was. static/coursekit.js mirrors
these functions (tests/test_positions.py checks both against the same cases).
"""
from __future__ import annotations

from .model import Question, TypeTable

TO_POSITIONS = TypeTable("positions: from texts")
FROM_POSITIONS = TypeTable("positions: to texts")


def _is_index(value, size: int) -> bool:
    return type(value) is int and 0 <= value < size


def to_positions(question: Question, response):
    """The text form of a response as positions; a response that is not a valid text form
    (nothing chosen, an unknown option) is returned unchanged, for the grader to refuse."""
    return TO_POSITIONS(question, response)


def from_positions(question: Question, value):
    """Positions back to the text form of this bank's language; the text form, and anything
    not a valid position form, unchanged."""
    return FROM_POSITIONS(question, value)


@TO_POSITIONS.register("truefalse", "text", "numeric")
@FROM_POSITIONS.register("truefalse", "text", "numeric")
def _as_typed(question, value):
    return value


@TO_POSITIONS.register("single")
def _single_to(question, response):
    texts = [o.text for o in question.options]
    return texts.index(response) if isinstance(response, str) and response in texts else response


@FROM_POSITIONS.register("single")
def _single_from(question, value):
    return question.options[value].text if _is_index(value, len(question.options)) else value


@TO_POSITIONS.register("multiple")
def _multiple_to(question, response):
    texts = [o.text for o in question.options]
    if isinstance(response, list) and response and all(isinstance(r, str) and r in texts for r in response):
        return sorted({texts.index(r) for r in response})
    return response


@FROM_POSITIONS.register("multiple")
def _multiple_from(question, value):
    if isinstance(value, list) and value and all(_is_index(v, len(question.options)) for v in value):
        return [question.options[v].text for v in value]
    return value


def _right_index(question, text):
    return next((i for i, p in enumerate(question.pairs) if p.right == text), None)


@TO_POSITIONS.register("matching")
def _matching_to(question, response):
    if not isinstance(response, dict):
        return response
    return [_right_index(question, response.get(p.left)) for p in question.pairs]


@FROM_POSITIONS.register("matching")
def _matching_from(question, value):
    size = len(question.pairs)
    if isinstance(value, list) and len(value) == size and all(v is None or _is_index(v, size) for v in value):
        return {p.left: question.pairs[v].right for p, v in zip(question.pairs, value) if v is not None}
    return value


@TO_POSITIONS.register("ordering")
def _ordering_to(question, response):
    items = list(question.items)
    if isinstance(response, list) and sorted(map(str, response)) == sorted(items):
        return [items.index(r) for r in response]
    return response


@FROM_POSITIONS.register("ordering")
def _ordering_from(question, value):
    size = len(question.items)
    if isinstance(value, list) and all(_is_index(v, size) for v in value) and sorted(value) == list(range(size)):
        return [question.items[v] for v in value]
    return value


__all__ = ["to_positions", "from_positions"]
