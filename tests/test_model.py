"""The question model: seeded, reproducible display orders."""
from dataclasses import replace

import pytest

from coursekit.model import Ordering, display_order


def test_shuffle_is_seeded_by_the_id(cases_bank):
    question = replace(cases_bank.question("multiple-guarantors"), shuffle=True)
    shown = [o.text for o in display_order(question)]
    assert shown == [o.text for o in display_order(question)]  # same run, same order
    assert sorted(shown) == sorted(o.text for o in question.options)
    other = replace(question, id="another-id")
    orders = {tuple(o.text for o in display_order(replace(question, id=f"id-{n}"))) for n in range(12)}
    assert len(orders) > 1  # the id really seeds it
    assert [o.text for o in display_order(other)] == [o.text for o in display_order(replace(other))]


def test_unshuffled_options_keep_the_bank_order(cases_bank):
    question = cases_bank.question("single-oas")
    assert [o.text for o in question.options] == [o.text for o in display_order(question)]


@pytest.mark.parametrize("n", range(2, 7))
def test_ordering_is_never_shown_solved(n):
    for k in range(30):
        question = Ordering(id=f"o-{n}-{k}", objective="LO1", prompt="p", explanation="e",
                            items=tuple(f"item {i}" for i in range(n)))
        shown = display_order(question)
        assert sorted(shown) == sorted(question.items) and shown != list(question.items)


def test_matching_right_column_in_natural_order(cases_bank):
    assert ["1947", "1948", "1967", "1991"] == display_order(cases_bank.question("matching-treaties"))


def test_ordering_starts_with_few_items_in_place():
    in_place = []
    for k in range(40):
        items = tuple(f"event {i}" for i in range(6))
        shown = display_order(Ordering(id=f"o-{k}", objective="LO1", prompt="p", explanation="e", items=items))
        in_place.append(sum(a == b for a, b in zip(shown, items)))
    assert max(in_place) <= 2 and sum(in_place) / len(in_place) < 0.5


# --- the registry of question types ------------------------------------------------------

def _all_tables():
    """Every concern's table, after importing every module that handles question types."""
    import importlib

    from coursekit.model import TypeTable

    for module in ("grading", "serialize", "keys", "static_view", "widgets", "exports.gift", "exports.qti"):
        importlib.import_module(f"coursekit.{module}")
    return {table.concern: table for table in TypeTable.tables}


def test_every_registered_type_is_handled_by_every_concern():
    from coursekit.model import QUESTION_CLASSES, QUESTION_TYPES

    tables = _all_tables()
    assert set(QUESTION_TYPES) == set(QUESTION_CLASSES)
    # the grader, both views, every export and the key, each in one table
    for concern in ("grading", "response check", "static view inputs", "widget inputs", "GIFT export",
                    "QTI export", "JSON form", "public JSON form", "page key", "answer key in words",
                    "display order", "question from its public JSON"):
        assert concern in tables, concern
    assert {concern: set() for concern in tables} == {concern: t.missing() for concern, t in tables.items()}


def test_an_unknown_type_is_a_clear_error_in_every_concern(cases_bank):
    from dataclasses import dataclass

    from coursekit.errors import UnknownQuestionType
    from coursekit.model import Question

    @dataclass(frozen=True)
    class Essay(Question):
        type = "essay"

    essay = Essay(id="e1", objective="LO1", prompt="Discuss.", explanation="Anything.")
    for concern, table in _all_tables().items():
        with pytest.raises(UnknownQuestionType, match=f"{concern}: no handler for question type 'essay'"):
            table(essay)
    from coursekit.serialize import from_public_json

    with pytest.raises(UnknownQuestionType, match="'essay'"):
        from_public_json({"id": "e1", "type": "essay", "prompt": "Discuss."})
