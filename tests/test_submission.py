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


def test_a_huge_file_of_invalid_answers_is_refused_quickly(tmp_path):
    import time
    import tracemalloc

    from coursekit.errors import SubmissionError
    from coursekit.submission import MAX_SUBMISSION_BYTES, parse_submission, read_bytes

    answers = ",".join(f'"a{i}":0' for i in range(400_000))
    path = tmp_path / "huge.json"
    path.write_text('{"format": "coursekit-submission", "version": 1, "answers": {' + answers + "}}", "utf-8")
    assert path.stat().st_size < MAX_SUBMISSION_BYTES
    started = time.perf_counter()
    with pytest.raises(SubmissionError, match="400,000 entries; a submission may have at most 500"):
        parse_submission(read_bytes(path))
    elapsed = time.perf_counter() - started
    tracemalloc.start()  # measured apart: tracing slows the run down several times
    with pytest.raises(SubmissionError):
        parse_submission(read_bytes(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1 and peak < 200 * 1024 * 1024, (elapsed, peak)


def test_many_schema_errors_stop_at_the_first_few():
    from coursekit.submission import schema_errors

    data = {"format": "coursekit-submission", "version": 1, "answers": {f"Bad Id {i}": 0 for i in range(400)}}
    assert len(schema_errors(data, limit=4)) == 4
