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
    assert ("coursekit-submission", 3) == (sub["format"], sub["version"])
    assert sub["created"].endswith("Z")
    validate_submission(json.loads(json.dumps(sub)))


@pytest.mark.parametrize("change,where", [
    ({"version": 4}, "version"),
    ({"student": ""}, "student"),
    ({"answers": {"Q 1": "x"}}, "answers"),
    ({"answers": {"q1": 100}}, "answers/q1"),  # an index past the 100 options a question may have
    ({"answers": {"q1": 2.5}}, "answers/q1"),
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


def test_a_huge_file_of_invalid_answers_is_refused_by_its_size_in_bounded_memory(tmp_path):
    """Refused by counting its entries, before any of the 400,000 is checked: the memory it takes
    is bounded (how long it takes is a benchmark's business, not a test's, on a shared machine)."""
    import tracemalloc

    from coursekit.errors import SubmissionError
    from coursekit.submission import MAX_SUBMISSION_BYTES, parse_submission, read_bytes

    answers = ",".join(f'"a{i}":0' for i in range(400_000))
    path = tmp_path / "huge.json"
    path.write_text('{"format": "coursekit-submission", "version": 1, "answers": {' + answers + "}}", "utf-8")
    assert path.stat().st_size < MAX_SUBMISSION_BYTES
    tracemalloc.start()
    with pytest.raises(SubmissionError, match="400,000 entries; a submission may have at most 500"):
        parse_submission(read_bytes(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 200 * 1024 * 1024, peak


def test_many_schema_errors_stop_at_the_first_few():
    from coursekit.submission import schema_errors

    data = {"format": "coursekit-submission", "version": 1, "answers": {f"Bad Id {i}": 0 for i in range(400)}}
    assert len(schema_errors(data, limit=4)) == 4


# --- version 2: one file of every chapter, the student identifier, and version 1 still read ------

def test_combined_file_builds_validates_and_splits_into_chapters():
    from coursekit.submission import build_combined, chapter_parts, combined_filename

    work = {"mode": "practice", "answers": {"q1": "Bogotá"}, "responses": {"d1": "text"}}
    data = build_combined(course="fixture-course", student=" Ana Pérez ", student_id=" S-1234 ", source="book",
                          chapters={"01-introduction": work, "02-role": {**work, "answers": {}}})
    assert (data["version"], data["student"], data["student_id"]) == (3, "Ana Pérez", "S-1234")
    parts = chapter_parts(json.loads(json.dumps(data)))
    assert [(p["chapter"], p["answers"], p["student_id"]) for p in parts] == [
        ("01-introduction", {"q1": "Bogotá"}, "S-1234"), ("02-role", {}, "S-1234")]
    assert combined_filename("Ana Pérez") == "submission-all-ana-perez.json"


def test_version_1_files_are_still_read():
    from coursekit.submission import chapter_parts, parse_submission

    v1 = {"format": "coursekit-submission", "version": 1, "course": "c", "chapter": "01-x", "student": "Ana",
          "created": "2025-03-03T09:00:00Z", "source": "book", "mode": "practice", "answers": {}, "responses": {}}
    data = parse_submission(json.dumps(v1).encode())
    assert chapter_parts(data)[0]["chapter"] == "01-x" and "student_id" not in chapter_parts(data)[0]
    with_id = {**v1, "student_id": "S-1"}  # version 1 has no identifier: the schema says so
    with pytest.raises(Exception, match="student_id"):
        parse_submission(json.dumps(with_id).encode())


@pytest.mark.parametrize("change,reason", [
    ({"version": 4}, "submission version 4 is not supported: this coursekit reads versions 1, 2 and 3 (the file is "
                     "from a newer coursekit: update coursekit)"),
    ({"version": "2"}, "submission version '2' is not supported"),
    ({"student_id": "a\tb"}, "the student identifier holds a control character (U+0009)"),
    ({"student_id": "a\u2028b"}, "the student identifier holds a control character (U+2028)"),
    ({"student_id": "x" * 101}, "the student identifier is 101 characters; it may be at most 100"),
    ({"student_id": 1234}, "the student identifier must be text"),
    ({"chapters": {"01-x": {"mode": "practice", "answers": {}, "responses": {}}}},
     "does not match the submission schema: a file holds either one chapter (chapter, mode, answers, responses) "
     "or several (chapters), not both"),
])
def test_version_2_refusals(change, reason):
    from coursekit.errors import SubmissionError
    from coursekit.submission import parse_submission

    data = build_submission(**_good())
    data.update(change)
    with pytest.raises(SubmissionError) as caught:
        parse_submission(json.dumps(data).encode())
    assert str(caught.value).startswith(reason)


def test_a_file_with_neither_chapter_nor_chapters_is_refused():
    from coursekit.errors import SubmissionError
    from coursekit.submission import parse_submission

    data = build_submission(**_good())
    for key in ("chapter", "mode", "answers", "responses"):
        del data[key]
    with pytest.raises(SubmissionError, match="not neither"):
        parse_submission(json.dumps(data).encode())


def test_build_refuses_a_bad_identifier_and_drops_an_empty_one():
    with pytest.raises(ValueError, match="control character"):
        build_submission(**_good(), student_id="S-1\n2")
    assert build_submission(**_good(), student_id=" S-1\n")["student_id"] == "S-1"  # spacing around is dropped
    assert "student_id" not in build_submission(**_good(), student_id="   ")
    with pytest.raises(ValueError, match="control character"):
        build_submission(**_good(), student_id="S\x001")
