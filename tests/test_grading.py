import pytest

from conftest import answer_cases
from coursekit.grading import grade, normalise_text, parse_number


@pytest.mark.parametrize("qid,response,status,score", answer_cases(), ids=lambda v: str(v)[:30])
def test_answer_case_table(cases_bank, qid, response, status, score):
    result = grade(cases_bank.question(qid), response)
    assert (status, score) == (result.status, result.score)


def test_case_table_covers_every_question_and_status(cases_bank):
    cases = answer_cases()
    assert {q.id for q in cases_bank.questions} == {c[0] for c in cases}
    assert {"correct", "partial", "incorrect", "invalid"} == {c[2] for c in cases}


@pytest.mark.parametrize("raw,expected", [
    ("Bogotá", "bogota"), ("  São   Paulo ", "sao paulo"), ("U.S.", "us"), ("Costa-Rica", "costa rica"),
    ("Cruz del Sur!", "cruz del sur"), ("ÑANDÚ", "nandu"), ("", ""),
])
def test_normalise_text(raw, expected):
    assert expected == normalise_text(raw)


@pytest.mark.parametrize("raw,expected", [("1947", 1947.0), ("2,5", 2.5), (" -3 ", -3.0), (".5", 0.5),
                                          ("1e3", None), ("1.2.3", None), ("", None), (True, None), (7, 7.0)])
def test_parse_number(raw, expected):
    assert expected == parse_number(raw)


def test_feedback_for_the_chosen_option_and_headline(cases_bank):
    wrong = grade(cases_bank.question("single-oas"), "Rio de Janeiro")
    assert wrong.feedback[0] == "Not correct."
    assert "Rio Treaty" in wrong.feedback[1]
    generic = grade(cases_bank.question("single-oas"), "Washington")
    assert generic.feedback == ("Not correct.", "Think of 1948.")
    tf = grade(cases_bank.question("tf-tlatelolco"), False)
    assert tf.feedback[1].startswith("It was Mexico City")


def test_partial_feedback_counts(cases_bank):
    result = grade(cases_bank.question("matching-treaties"), {"Rio Treaty": "1947"})
    assert "1 of 4 pairs matched correctly." in result.feedback
    assert "Rio Treaty ✔; OAS Charter ✘; Treaty of Tlatelolco ✘; Guadalajara Agreement (ABACC) ✘" in result.feedback
    order = grade(cases_bank.question("ordering-architecture"),
                  ["Rio Treaty", "Inter-American Defense Board", "Inter-American Defense College",
                   "Declaration on Security in the Americas"])
    assert ("◐" not in order.feedback[0]) and "Right: positions 3, 4." in order.feedback
    assert result.feedback[0].startswith("Partly correct: 25%")


def test_malformed_responses_never_raise(cases_bank):
    for question in cases_bank.questions:
        for junk in (None, 3, 2.5, "x", [], {}, [1, 2], {"a": 1}, True, [None]):
            assert grade(question, junk).status in {"invalid", "incorrect", "partial", "correct"}
