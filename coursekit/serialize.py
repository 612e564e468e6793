"""A question as JSON, one way. `to_json` is the whole question (the JSON export, the
instructor's key); every other JSON form is a projection of it:

public_json   what a student may see (assignment files): no answer, accepted text, feedback
              or explanation; choices in the order the views show them; ordering items sorted
              (a shuffle seeded by the public id could be undone to the key)
grading_spec  what the static page's script grades with, in practice mode
page_key      the part of grading_spec the page carries (the rest is already in the page)

`from_public_json` turns a public entry back into a question the live widget can show and
record (assessment mode: its key fields are placeholders and are never used).
"""
from __future__ import annotations

from .model import (
    Matching,
    MultipleChoice,
    Numeric,
    Option,
    Ordering,
    Pair,
    Question,
    ShortText,
    SingleChoice,
    TrueFalse,
    TypeTable,
    display_order,
)

TO_JSON = TypeTable("JSON form")
PUBLIC = TypeTable("public JSON form")
FROM_PUBLIC = TypeTable("question from its public JSON")
PAGE_KEY = TypeTable("page key")


def to_json(question: Question) -> dict:
    data = {
        "id": question.id, "type": question.type, "objective": question.objective, "level": question.level,
        "prompt": question.prompt, "explanation": question.explanation,
        "feedback_correct": question.feedback_correct,
        "feedback_incorrect": question.feedback_incorrect, "shuffle": question.shuffle,
    }
    data.update(TO_JSON(question))
    return data


@TO_JSON.register("single", "multiple")
def _choice_json(q) -> dict:
    answer = q.answer if isinstance(q, SingleChoice) else [o.text for o in q.options if o.text in q.answer]
    return {"options": [{"text": o.text, "feedback": o.feedback} for o in q.options], "answer": answer}


@TO_JSON.register("truefalse")
def _truefalse_json(q: TrueFalse) -> dict:
    return {"answer": q.answer, "feedback": {"true": q.feedback_true, "false": q.feedback_false}}


@TO_JSON.register("text")
def _text_json(q: ShortText) -> dict:
    return {"accept": list(q.accept), "answer": q.accept[0]}


@TO_JSON.register("numeric")
def _numeric_json(q: Numeric) -> dict:
    return {"answer": q.answer, "tolerance": q.tolerance, "unit": q.unit}


@TO_JSON.register("matching")
def _matching_json(q: Matching) -> dict:
    return {"pairs": [{"left": p.left, "right": p.right} for p in q.pairs], "answer": {p.left: p.right for p in q.pairs}}


@TO_JSON.register("ordering")
def _ordering_json(q: Ordering) -> dict:
    return {"items": list(q.items), "answer": list(q.items)}


# --- what a student may see --------------------------------------------------------------

def public_json(question: Question) -> dict:
    data = to_json(question)
    entry = {"id": data["id"], "type": data["type"], "prompt": data["prompt"]}
    entry.update(PUBLIC(question, data))
    return entry


@PUBLIC.register("single", "multiple")
def _choice_public(q, data) -> dict:
    return {"choices": [o.text for o in display_order(q)]}


@PUBLIC.register("truefalse", "text")
def _nothing_public(q, data) -> dict:
    return {}


@PUBLIC.register("numeric")
def _numeric_public(q, data) -> dict:
    return {"unit": data["unit"]} if data["unit"] else {}


@PUBLIC.register("matching")
def _matching_public(q, data) -> dict:
    return {"lefts": [p["left"] for p in data["pairs"]], "rights": display_order(q)}


@PUBLIC.register("ordering")
def _ordering_public(q, data) -> dict:
    return {"items": sorted(data["items"], key=lambda t: (t.lower(), t))}


def from_public_json(entry: dict) -> Question:
    from .model import QUESTION_CLASSES

    common = dict(id=entry["id"], objective="", prompt=entry["prompt"], explanation="")
    make = FROM_PUBLIC.handler(entry["type"])  # UnknownQuestionType for a type coursekit does not know
    return make(QUESTION_CLASSES[entry["type"]], common, entry)


@FROM_PUBLIC.register("single")
def _single_from(cls, common, entry):
    return SingleChoice(**common, options=tuple(Option(c) for c in entry["choices"]), answer="")


@FROM_PUBLIC.register("multiple")
def _multiple_from(cls, common, entry):
    return MultipleChoice(**common, options=tuple(Option(c) for c in entry["choices"]))


@FROM_PUBLIC.register("truefalse", "text")
def _plain_from(cls, common, entry):
    return cls(**common)


@FROM_PUBLIC.register("numeric")
def _numeric_from(cls, common, entry):
    return Numeric(**common, unit=entry.get("unit", ""))


@FROM_PUBLIC.register("matching")
def _matching_from(cls, common, entry):
    return Matching(**common, pairs=tuple(Pair(left, right) for left, right in zip(entry["lefts"], entry["rights"])))


@FROM_PUBLIC.register("ordering")
def _ordering_from(cls, common, entry):
    return Ordering(**common, items=tuple(entry["items"]))


# --- what the page's script needs (practice mode) -----------------------------------------
#
# grading_spec is what static/coursekit.js grades with: the texts, answer and feedback of one
# question, in the order the page shows them. The page does not carry it whole: every text
# already in the page (options, items, matching columns, the explanation in the no-script
# fallback) is left out of page_key and read back from the page by the script, which rebuilds
# the spec (tests/test_browser.py checks that it rebuilds exactly grading_spec).

GRADING_SPEC = TypeTable("grading spec")
PAGE_KEY = TypeTable("page key")


def grading_spec(question: Question) -> dict:
    spec = {"type": question.type, "explanation": question.explanation,
            "fc": question.feedback_correct, "fi": question.feedback_incorrect}
    spec.update(GRADING_SPEC(question))
    return spec


def _bank_order(q) -> list[int]:
    """The bank index of each option as shown: how an answer by position (positions.py) is read."""
    texts = [o.text for o in q.options]
    return [texts.index(o.text) for o in display_order(q)]


@GRADING_SPEC.register("single", "multiple")
def _choice_spec(q) -> dict:
    shown = display_order(q)
    answer = q.answer if q.type == "single" else sorted(q.answer)
    return {"options": [o.text for o in shown], "answer": answer,
            "feedback": {o.text: o.feedback for o in shown if o.feedback}, "order": _bank_order(q)}


@GRADING_SPEC.register("truefalse")
def _truefalse_spec(q: TrueFalse) -> dict:
    return {"answer": q.answer, "feedback": {"true": q.feedback_true, "false": q.feedback_false}}


@GRADING_SPEC.register("text")
def _text_spec(q: ShortText) -> dict:
    return {"accept": list(q.accept)}


@GRADING_SPEC.register("numeric")
def _numeric_spec(q: Numeric) -> dict:
    return {"answer": q.answer, "tolerance": q.tolerance}


@GRADING_SPEC.register("matching")
def _matching_spec(q: Matching) -> dict:
    return {"pairs": [[p.left, p.right] for p in q.pairs]}


@GRADING_SPEC.register("ordering")
def _ordering_spec(q: Ordering) -> dict:
    return {"items": list(q.items)}


def page_key(question: Question) -> dict:
    """The part of grading_spec that is not already in the page, with short names:
    a = the answer (display positions where the page shows choices), f = option feedback,
    p = the bank index of each option shown (single, multiple; left out when the same order),
    fc / fi = feedback when right / not right (left out when empty)."""
    key = {"a": None}
    key.update(PAGE_KEY(question))
    for name, text in (("fc", question.feedback_correct), ("fi", question.feedback_incorrect)):
        if text:
            key[name] = text
    return key


def _feedback_list(shown) -> dict:
    feedback = [o.feedback for o in shown]
    return {"f": feedback} if any(feedback) else {}


@PAGE_KEY.register("single")
def _single_key(q: SingleChoice) -> dict:
    shown = display_order(q)
    return {"a": [o.text for o in shown].index(q.answer), **_feedback_list(shown), **_order_key(q)}


def _order_key(q) -> dict:
    order = _bank_order(q)
    return {"p": order} if order != list(range(len(order))) else {}


@PAGE_KEY.register("multiple")
def _multiple_key(q: MultipleChoice) -> dict:
    shown = display_order(q)
    return {"a": [i for i, o in enumerate(shown) if o.text in q.answer], **_feedback_list(shown), **_order_key(q)}


@PAGE_KEY.register("truefalse")
def _truefalse_key(q: TrueFalse) -> dict:
    feedback = [q.feedback_true, q.feedback_false]
    return {"a": q.answer, **({"f": feedback} if any(feedback) else {})}


@PAGE_KEY.register("text")
def _text_key(q: ShortText) -> dict:
    return {"a": list(q.accept)}


@PAGE_KEY.register("numeric")
def _numeric_key(q: Numeric) -> dict:
    return {"a": q.answer, "t": q.tolerance} if q.tolerance else {"a": q.answer}


@PAGE_KEY.register("matching")
def _matching_key(q: Matching) -> dict:
    rights = display_order(q)
    return {"a": [rights.index(p.right) for p in q.pairs]}


@PAGE_KEY.register("ordering")
def _ordering_key(q: Ordering) -> dict:
    shown = display_order(q)
    return {"a": [shown.index(item) for item in q.items]}


__all__ = ["to_json", "public_json", "from_public_json", "grading_spec", "page_key"]
