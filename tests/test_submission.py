"""The submission file and its schema."""
import json

import pytest

from coursekit.submission import build_submission, schema_errors, submission_filename, validate_submission


def _good(**over):
    data = dict(course="fixture-course", chapter="01-introduction", student="Ana Pérez",
                answers={"q1": "Bogotá", "q2": ["A", "B"], "q3": True, "q4": {"Rio Treaty": "1947"}},
                responses={"d1": "<img src=x onerror=alert(1)>"}, source="book", mode="practice")
    data.update(over)
    return data


def test_build_and_validate():
    sub = build_submission(**_good())
    assert ("coursekit-submission", 1) == (sub["format"], sub["version"])
    assert sub["created"].endswith("Z")
    validate_submission(json.loads(json.dumps(sub)))


@pytest.mark.parametrize("change,where", [
    ({"version": 2}, "version"),
    ({"student": ""}, "student"),
    ({"answers": {"Q 1": "x"}}, "answers"),
    ({"answers": {"q1": 5}}, "answers/q1"),
    ({"source": "email"}, "source"),
    ({"extra": 1}, "(top level)"),
])
def test_schema_rejects(change, where):
    data = build_submission(**_good())
    data.update(change)
    errors = schema_errors(data)
    assert errors and errors[0].startswith(where)


def test_filename_is_safe():
    assert "submission-01-introduction-ana-perez.json" == submission_filename("01-introduction", "Ana Pérez")
    assert submission_filename("ch", "José") != submission_filename("ch", "Jos")
    assert "submission-ch-etc-passwd.json" == submission_filename("ch", "../../etc/passwd")
    assert "submission-ch-student.json" == submission_filename("ch", "¿?")
