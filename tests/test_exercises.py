"""Exercise answers: the task text read in one place (expected length, rubric) on every real
exercise, the answer boxes in the book and in Jupyter, exercise answers in the submission
file (schema and reader), the marking pack (escaped) and the marks back into the gradebook."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import ROOT
from coursekit.exercises import (
    Exercise,
    ExerciseError,
    answer_boxes,
    answer_cell_sources,
    count_text,
    exercise_notebooks,
    expected_words,
    load_tasks,
    parse_rubric,
    read_tasks,
)
from coursekit.progress import ProgressStore
from coursekit.submission import (
    MAX_RESPONSE_CHARS,
    SUBMISSION_VERSION,
    Report,
    build_combined,
    build_submission,
    chapter_parts,
    parse_submission,
    validate_submission,
)

COURSE = "military-diplomacy-latam"
NOTEBOOKS = exercise_notebooks(ROOT)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \'single\' [l](javascript:alert(1))'


# --- the task text, on every real exercise ------------------------------------------------------

@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_real_task_has_a_rubric_an_expected_length_and_an_answer_box(notebook):
    tasks = read_tasks(notebook)
    assert tasks, notebook
    boxes = answer_boxes(notebook)
    assert {label for label, _ in boxes} == {t.label for t in tasks}  # every task, and nothing else
    for task in tasks:
        criteria = task.rubric.criteria
        assert len(criteria) >= 3 and abs(sum(c.weight for c in criteria) - 100) < 1e-9, task.label
        assert task.rubric.max_level == 4
        assert all(len(c.levels) == 4 and all(d for _, d in c.levels) for c in criteria), task.label
        for part in task.parts or (None,):
            if part == "Delegation's log":  # "the delegation's log (one page)": no length in words
                assert task.expected(part) is None
                continue
            lo, hi = task.expected(part)
            assert 100 <= lo < hi <= 2000, (task.label, part)
    # the cells are where the generator puts them: nothing to add, nothing hand-edited
    assert [c for _, c in answer_cell_sources(notebook)] == [
        f'exercise.answer("{label}"' + (f', part="{part}"' if part else "") + ")" for label, part in boxes]


def test_real_lengths_and_weights_as_the_text_gives_them():
    tasks = {t.label: t for t in load_tasks(ROOT)}
    assert (700, 900) == tasks["ex-05-conflict-prevention-and-resolution-minustah"].expected()
    assert (300, 400) == tasks["ex-05-conflict-prevention-and-resolution-peace-dividend"].expected()  # the interpretation
    minustah = tasks["ex-05-conflict-prevention-and-resolution-minustah"].rubric
    assert [(c.name, c.weight) for c in minustah.criteria] == [
        ("Accuracy", 25), ("Motives", 25), ("Critical evaluation", 30), ("Argument and sources", 20)]
    capstone = tasks["ex-capstone-crisis-simulation"]
    assert capstone.parts == ("Position paper", "Delegation's log", "Policy brief")
    assert (capstone.expected("Position paper"), capstone.expected("Policy brief")) == ((800, 1000), (1500, 2000))
    assert capstone.answer_ids()[1] == "ex-capstone-crisis-simulation--delegations-log"


@pytest.mark.parametrize(("text", "expected"), [
    ("**Expected length or output.** An essay of 700-900 words.", (700, 900)),
    ("**Expected length or output.** An essay of 600 to 800 words.", (600, 800)),
    ("**Expected length or output.** A brief of 1,500 to 2,000 words, reflection included.", (1500, 2000)),
    ("**Expected length or output.** A note of 500 words.", (500, 500)),
    ("**Expected length or output.** One table and one chart.", None),
    ("**Expected length or output.** A paper of 800-1,000 words; a brief of 1,500 to 2,000 words.", None),
    ("Write 150 words.\n\n**Expected length or output.** 250–350 words in all.", (250, 350)),  # the paragraph only
])
def test_expected_length_is_parsed_in_one_place(text, expected):
    assert expected == expected_words(text)


def test_count_text_is_the_same_sentence_everywhere():
    assert "412 of 700-900 words." == count_text(412, (700, 900))
    assert "3 of 500 words." == count_text(3, (500, 500))
    assert "0 words." == count_text(0, None)


RUBRIC = """| Criterion | Weight (%) | Excellent (4) | Good (3) | Developing (2) | Beginning (1) |
|---|---:|---|---|---|---|
| A | 60 | a4 | a3 | a2 | a1 |
| B {term}`x` | 40 | b4 | b3 | b2 | b1 |
"""


def test_rubric_parses_and_totals():
    rubric = parse_rubric(RUBRIC)
    assert [c.name for c in rubric.criteria] == ["A", "B x"]
    assert 100 == rubric.total({"A": 4, "B x": 4})
    assert 60 * 3 / 4 + 40 * 1 / 4 == rubric.total({"A": 3, "B x": 1})


@pytest.mark.parametrize(("text", "message"), [
    (RUBRIC.replace("| 40 |", "| 30 |"), "sum to 90"),
    (RUBRIC.replace("| 40 |", "| forty |"), "no numeric weight"),
    (RUBRIC.replace("Excellent (4)", "Excellent"), "no level number"),
    ("no table here", "no rubric table"),
    (RUBRIC.replace("| a4 | a3 |", "| a4 |"), "cells"),
])
def test_a_broken_rubric_is_refused_with_a_reason(text, message):
    with pytest.raises(ExerciseError, match=message):
        parse_rubric(text, "x.ipynb")


# --- the answer box: static HTML and the Jupyter widget ------------------------------------------

def _exercise(tmp_path):
    return Exercise("05-conflict-prevention-and-resolution", directory=ROOT / "exercises",
                    store=ProgressStore(tmp_path / "data"))


def test_answer_box_html_carries_the_length_and_escapes_the_title(tmp_path):
    from coursekit.exercises import Task
    from coursekit.static_view import render_answer_box

    x = _exercise(tmp_path)
    html = x.answer("ex-05-conflict-prevention-and-resolution-minustah").html
    assert 'data-ck-aid="ex-05-conflict-prevention-and-resolution-minustah"' in html
    assert 'data-ck-min="700" data-ck-max="900"' in html and "(expected length: 700-900 words)" in html
    assert 'data-ck-chapter="05-conflict-prevention-and-resolution"' in html
    task = Task("ex-h", HOSTILE, "05-x", "", parse_rubric(RUBRIC))
    hostile = render_answer_box(COURSE, "05-x", task, None, None)
    assert "<script" not in hostile and "<img" not in hostile and "&lt;script&gt;" in hostile
    with pytest.raises(ExerciseError, match="no exercise labelled"):
        x.answer("ex-nope")


def test_answer_widget_saves_restores_counts_and_exports(tmp_path):
    from coursekit.widgets import AnswerWidget, ExportWidget

    x = _exercise(tmp_path)
    label = "ex-05-conflict-prevention-and-resolution-minustah"
    task = x.task(label)
    box = AnswerWidget(COURSE, x.stem, task, None, task.expected(), x.store)
    box.text.value = "Brazil led the military component. " + HOSTILE
    assert box.count.value == count_text(len(box.text.value.split()), (700, 900))
    again = AnswerWidget(COURSE, x.stem, task, None, task.expected(), ProgressStore(tmp_path / "data"))
    assert again.text.value == box.text.value and "Restored" in again.status.value
    # another notebook saved in between: this one refuses to overwrite, then replaces on request
    again.text.value = "other notebook"
    box.text.value = box.text.value + " more"
    assert "changed in another notebook" in box.status.value and box.replace_button.layout.display == ""
    box.replace_button.click()
    assert "Saved." in box.status.value
    box.text.value = "bell \x07"
    assert "control character (U+0007)" in box.status.value
    panel = ExportWidget(_scope(), x.store, "practice", str(tmp_path))
    panel.name.value = "Ana"
    data = json.loads(panel.export().read_text("utf-8"))
    validate_submission(data)
    assert data["exercises"][label].endswith(" more") and data["chapter"] == x.stem


def _scope():
    from coursekit.exercises import scopes

    return scopes(COURSE, ["05-conflict-prevention-and-resolution"])[0]


# --- the submission file: schema and reader ----------------------------------------------------

def _sub(**extra):
    return build_submission(course=COURSE, chapter="05-conflict-prevention-and-resolution", student="Ana",
                            answers={}, responses={}, created="2025-03-03T09:00:00Z", source="book", **extra)


def test_exercise_answers_travel_in_the_newest_version():
    data = _sub(exercises={"ex-05-a": "line one\n\tline two\r\n"})
    assert data["version"] == SUBMISSION_VERSION and data["exercises"] == {"ex-05-a": "line one\n\tline two\r\n"}
    parsed = parse_submission(json.dumps(data).encode())
    assert chapter_parts(parsed)[0]["exercises"] == {"ex-05-a": "line one\n\tline two\r\n"}
    assert "exercises" not in _sub(exercises={"ex-05-a": ""})  # nothing written: no field
    combined = build_combined(course=COURSE, student="Ana", created="2025-03-03T09:00:00Z", chapters={
        "05-x": {"mode": "practice", "answers": {}, "responses": {}, "exercises": {"ex-05-a": "text"}},
        "capstone": {"mode": "practice", "answers": {}, "responses": {}, "exercises": {"ex-capstone-x--log": "log"}}})
    parts = chapter_parts(parse_submission(json.dumps(combined).encode()))
    assert [p["exercises"] for p in parts] == [{"ex-05-a": "text"}, {"ex-capstone-x--log": "log"}]


@pytest.mark.parametrize(("exercises", "message"), [
    ({"ex-05-a": "bell \x07 rings"}, r"ex-05-a holds a control character \(U\+0007\)"),
    ({"ex-05-a": "c1 \x85"}, r"U\+0085"),
    ({"ex-05-a": "x" * (MAX_RESPONSE_CHARS + 1)}, "100,001 characters; it may be at most 100,000"),
    ({"Ex 05": "text"}, "does not match the submission schema"),
    ({"ex-05-a": ["a list"]}, "does not match the submission schema"),
])
def test_reader_refuses_bad_exercise_answers_by_name(exercises, message):
    from coursekit.errors import SubmissionError

    data = {**_sub(), "exercises": exercises}
    with pytest.raises(SubmissionError, match=message):
        parse_submission(json.dumps(data).encode())
    with pytest.raises(ValueError):
        validate_submission(data)  # the schema alone refuses it too


def test_version_1_has_no_exercises():
    from coursekit.errors import SubmissionError

    v1 = {"format": "coursekit-submission", "version": 1, "course": COURSE, "chapter": "01-x", "student": "Ana",
          "created": "2025-03-03T09:00:00Z", "source": "book", "mode": "practice", "answers": {}, "responses": {},
          "exercises": {"ex-1": "t"}}
    with pytest.raises(SubmissionError, match="exercises"):
        parse_submission(json.dumps(v1).encode())


# --- the marking pack and the marks ----------------------------------------------------------------

MINUSTAH = "ex-05-conflict-prevention-and-resolution-minustah"
BRIEF = "ex-05-conflict-prevention-and-resolution-summit-brief"


def _write(folder: Path, name: str, student: str, exercises: dict, student_id: str | None = None,
           chapter: str = "05-conflict-prevention-and-resolution") -> None:
    data = build_submission(course=COURSE, chapter=chapter, student=student, answers={}, responses={},
                            created="2025-03-03T09:00:00Z", source="book", exercises=exercises, student_id=student_id)
    (folder / name).write_text(json.dumps(data), "utf-8")


@pytest.fixture
def pack(tmp_path):
    from coursekit.marking import write_pack

    subs = tmp_path / "subs"
    subs.mkdir()
    _write(subs, "a.json", "=cmd|' /C calc'!A0", {MINUSTAH: HOSTILE + "\nsecond line"}, "S-1")
    _write(subs, "b.json", "Bea <b>Bold</b>", {MINUSTAH: "Brazil commanded.", BRIEF: "A brief."})
    _write(subs, "c.json", "Cam", {"ex-capstone-crisis-simulation--position-paper": "Position.",
                                   "ex-capstone-crisis-simulation--policy-brief": "Brief."}, chapter="capstone")
    out = tmp_path / "pack"
    report = Report(stream=io.StringIO())
    made = write_pack([subs], out, ROOT, COURSE, report, ROOT / "chapters")
    return out, made, report


def test_marking_pack_pages_escape_every_answer_and_name(pack):
    out, made, report = pack
    assert made == {"tasks": 3, "answers": 4, "students": 3}, report.stream.getvalue()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{MINUSTAH}.html", f"{BRIEF}.html", "ex-capstone-crisis-simulation.html", "index.html", "marks.csv"])
    page = (out / f"{MINUSTAH}.html").read_text("utf-8")
    for raw in ("<script>", "<img", "<b>Bold"):
        assert raw not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page and "Bea &lt;b&gt;Bold&lt;/b&gt;" in page
    assert "default-src 'none'" in page and "<script" not in page.lower()
    # the rubric beside each answer: a score row per weighted criterion
    assert page.count('<table class="score">') == 2
    for criterion in ("Accuracy", "Motives", "Critical evaluation", "Argument and sources"):
        assert page.count(f'<th scope="row">{criterion}</th>') == 3  # the rubric, and each student's score table
    assert "(S-1)" in page and "of 700-900 words." in page
    capstone = (out / "ex-capstone-crisis-simulation.html").read_text("utf-8")
    assert "<h3>Position paper</h3>" in capstone and "<h3>Policy brief</h3>" in capstone


def test_marks_template_then_marks_back_into_the_gradebook(pack, tmp_path):
    from coursekit.gradebook import question_columns, task_columns
    from coursekit.marking import apply_marks, read_marks

    out, _, _ = pack
    rows = list(csv.reader(io.StringIO((out / "marks.csv").read_text("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["student", "identifier", "task"] and header[-1] == "comment"
    assert ["'=cmd|' /C calc'!A0", "S-1", MINUSTAH] == rows[1][:3]  # neutralised for spreadsheets
    by_task = {(r[0], r[2]): r for r in rows[1:]}
    assert len(by_task) == 4
    col = {h: i for i, h in enumerate(header)}
    minustah_levels = {"Accuracy": "4", "Motives": "3", "Critical evaluation": "2", "Argument and sources": "4"}
    for (_, task), row in by_task.items():
        assert row[col["Accuracy"]] == ("" if task == MINUSTAH else "n/a")
        if task == MINUSTAH:
            for name, level in minustah_levels.items():
                row[col[name]] = level
    brief = by_task[("Bea <b>Bold</b>", BRIEF)]
    brief[col["Analysis and objectives"]] = "five"  # refused by name
    assert ("Cam", "ex-capstone-crisis-simulation") in by_task  # left blank: not marked yet
    bad_extra = list(by_task[("Bea <b>Bold</b>", MINUSTAH)])
    bad_extra[col["Chart"] if "Chart" in col else col["Analysis and objectives"]] = "3"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([header, *by_task.values(), bad_extra, ["Zoe", "", "ex-nope"]])
    marks_file = tmp_path / "marks.csv"
    marks_file.write_text(buffer.getvalue(), "utf-8")
    report = Report(stream=io.StringIO())
    tasks = load_tasks(ROOT)
    marks = read_marks(marks_file, tasks, report)
    said = report.stream.getvalue().splitlines()
    assert sorted((m.student, m.task, m.total) for m in marks) == [
        ("=cmd|' /C calc'!A0", MINUSTAH, 78.75), ("Bea <b>Bold</b>", MINUSTAH, 78.75)]
    assert len(said) == 4, said  # one line per refused row, each naming its line and student
    assert any("line 4" in s and "Bea <b>Bold</b>" in s and "'five'; a level is a number from 0 to 4" in s for s in said)
    assert any("Cam" in s and "not marked yet" in s for s in said)
    assert any("is not a criterion of this task" in s for s in said)
    assert any("Zoe" in s and "not an exercise task" in s for s in said)
    gb_header = ["student", "q1", "total", "max", "percent", "chapters", "files"]
    table = [["Bea <b>Bold</b>", "1", "1", "1", "100", "05-x", "b.json"]]
    new_header, new_rows = apply_marks(gb_header, table, marks, tasks)
    assert new_header == ["student", "student_id", "q1", f"{MINUSTAH} (of 100)", "total", "max", "percent",
                          "chapters", "files"]
    assert (question_columns(new_header), task_columns(new_header)) == (1, 1)
    assert new_rows == [["=cmd|' /C calc'!A0", "S-1", "", "78.75", "", "", "", "", ""],
                        ["Bea <b>Bold</b>", "", "1", "78.75", "1", "1", "100", "05-x", "b.json"]]


def test_mark_command_writes_the_pack_and_grade_adds_the_marks(tmp_path, monkeypatch, capsys):
    from argparse import Namespace

    from coursekit.marking import add_marks_to_gradebook, cmd_mark

    subs = tmp_path / "subs"
    subs.mkdir()
    _write(subs, "a.json", "Ana", {MINUSTAH: "An essay."}, "S-1")
    monkeypatch.chdir(ROOT)  # the course is found from the working folder, as every command finds it
    assert 0 == cmd_mark(Namespace(submissions=[str(subs)], out=str(tmp_path / "pack"), banks=None))
    assert "1 task page(s), 1 answer(s) of 1 student(s)" in capsys.readouterr().out
    text = (tmp_path / "pack" / "marks.csv").read_text("utf-8-sig").replace(f"{MINUSTAH},,,,,", f"{MINUSTAH},4,4,4,4,")
    (tmp_path / "marks.csv").write_text(text, "utf-8")
    header, rows = add_marks_to_gradebook(Namespace(marks=str(tmp_path / "marks.csv"), banks=None),
                                          ["student", "student_id", "total", "max", "percent", "chapters", "files"],
                                          [["Ana", "s-1", "0", "0", "", "", ""]], Report(stream=io.StringIO()))
    assert rows == [["Ana", "s-1", "100", "0", "0", "", "", ""]] and header[2] == f"{MINUSTAH} (of 100)"
