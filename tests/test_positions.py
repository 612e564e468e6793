"""Answers by position (coursekit/positions.py): the same answer in every language's edition.
Python here; the browser's mirror in tests/test_browser.py and tests/test_coursekit_js.py."""
import copy

import pytest
import yaml

from conftest import FIXTURES, ROOT
from coursekit.bank import load_bank
from coursekit.grading import grade
from coursekit.positions import from_positions, to_positions
from coursekit.serialize import to_json

CHOICE_TYPES = ("single", "multiple", "matching", "ordering")


def right_answer(question):
    answer = to_json(question).get("answer")
    return sorted(answer) if question.type == "multiple" else answer


def course_questions():
    for path in sorted((ROOT / "chapters").glob("*.yml")):
        yield from load_bank(path).questions


def test_every_course_answer_survives_the_round_trip_and_grades_the_same():
    seen = set()
    for question in course_questions():
        text = right_answer(question)
        stored = to_positions(question, text)
        seen.add(question.type)
        if question.type in CHOICE_TYPES:
            assert stored != text and "str" not in repr(type(stored)), question.id  # a position, never a text
        back = from_positions(question, stored)
        assert (sorted(back) if question.type == "multiple" else back) == text, question.id
        assert grade(question, stored).score == grade(question, text).score == 1.0, question.id
    assert set(CHOICE_TYPES) <= seen


def translated(bank_path, folder):
    """The bank with every text changed and its structure kept, as a translation is."""
    data = yaml.safe_load(bank_path.read_text("utf-8"))
    out = copy.deepcopy(data)
    out.setdefault("course", "military-diplomacy-latam")
    for q in out["questions"]:
        for o in q.get("options", []):
            o["text"] = "ES " + o["text"]
        if q["type"] == "single":
            q["answer"] = "ES " + q["answer"]
        if q["type"] == "multiple":
            q["answer"] = ["ES " + a for a in q["answer"]]
        for p in q.get("pairs", []):
            p["left"], p["right"] = "ES " + p["left"], "ES " + p["right"]
        if "items" in q:
            q["items"] = ["ES " + i for i in q["items"]]
    path = folder / bank_path.name
    path.write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), "utf-8")
    return load_bank(path)


@pytest.mark.parametrize("name", ["01-introduction", "05-conflict-prevention-and-resolution"])
def test_an_answer_given_in_one_language_is_the_same_answer_in_another(name, tmp_path):
    english = load_bank(ROOT / "chapters" / f"{name}.yml")
    spanish = translated(ROOT / "chapters" / f"{name}.yml", tmp_path)
    for en, es in zip(english.questions, spanish.questions):
        wrong = {"single": lambda q: q.options[-1].text, "multiple": lambda q: [q.options[0].text],
                 "matching": lambda q: {p.left: q.pairs[0].right for p in q.pairs},
                 "ordering": lambda q: list(reversed(q.items))}.get(en.type, right_answer)
        for response in (right_answer(en), wrong(en)):
            stored = to_positions(en, response)  # given in English, read by the Spanish edition
            assert grade(es, stored).score == grade(en, response).score, en.id
            assert to_positions(es, from_positions(es, stored)) == stored, en.id


def test_text_answers_and_broken_values_pass_through_for_the_grader():
    bank = load_bank(FIXTURES / "course" / "chapters" / "01-introduction.yml")
    for question in bank.questions:
        for odd in (None, 250, [99, 0], {"x": 1}, "not an option", True):
            assert from_positions(question, odd) == odd or question.type == "matching" and odd == [99, 0]
            assert grade(question, odd).status in ("invalid", "incorrect", "partial", "correct")
