"""Import my work in Jupyter restores exercise answers (a submission's `exercises`) by the rules
of responses, with the browser's messages (coursekit/importing.py, coursekit.js importText)."""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, ROOT
from coursekit.exercises import read_tasks
from coursekit.importing import course_tasks, import_work, task_titles
from coursekit.progress import ProgressStore
from coursekit.widgets import exercise_answers, save_exercise_answer

COURSE = "fixture-course"
CH1 = "01-introduction"
ZONE = "ex-01-introduction-zone-of-peace"  # "Is Latin America a zone of peace? A two-sided debate brief"
MILEX = "ex-01-introduction-milex-trend"  # "Mapping the regional military burden, 1990-2020"
PAPER = "ex-capstone-crisis-simulation--position-paper"
CREATED = "2025-03-03T09:00:00Z"


@pytest.fixture(scope="module")
def course_and_banks():
    from coursekit.bank import load_banks
    from coursekit.course import load_course

    course = load_course(FIXTURES)
    return course, load_banks([course.banks_dir / f"{CH1}.yml"], course=course)


@pytest.fixture(scope="module")
def tasks():
    """The real tasks of chapter 1's exercise notebook and of the capstone (a chapter of its own)."""
    return [t for stem in (CH1, "capstone") for t in read_tasks(ROOT / "exercises" / f"{stem}.ipynb")]


def _file(**chapters) -> bytes:
    """A file of every chapter: {stem: {"exercises": {...}[, "answers", "responses"]}}."""
    work = {stem.replace("_", "-"): {"mode": "practice", "answers": {}, "responses": {}, **w}
            for stem, w in chapters.items()}
    return json.dumps({"format": "coursekit-submission", "version": 2, "course": COURSE, "student": "Ana",
                       "created": CREATED, "source": "book", "chapters": work}, ensure_ascii=False).encode("utf-8")


def _chapter_file(exercises: dict, **fields) -> bytes:
    data = {"format": "coursekit-submission", "version": 2, "course": COURSE, "student": "Ana", "created": CREATED,
            "source": "book", "chapter": CH1, "mode": "practice", "answers": {}, "responses": {},
            "exercises": exercises, **fields}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _import(store, raw, course_and_banks, tasks, name="work.json"):
    course, banks = course_and_banks
    return import_work(store, raw, file_name=name, banks=banks, course=course, tasks=tasks)


def _restamp(store, chapter, aid, saved_at):
    """Make a saved exercise answer older (as if saved before the file was exported)."""
    data = json.loads(store.path.read_text("utf-8"))
    data["courses"][COURSE][chapter]["exercises"][aid]["saved_at"] = saved_at
    store.path.write_text(json.dumps(data), "utf-8")


def test_titles_are_the_exercise_maps(tasks):
    titles = task_titles(tasks)
    assert titles[CH1][ZONE] == "Is Latin America a zone of peace? A two-sided debate brief"
    assert titles["capstone"][PAPER] == "A storm and a standoff: crisis simulation and policy brief (Position paper)"
    from coursekit.exercise_map import page_entry  # the book's map: the same ids and titles

    entry = page_entry(ROOT / "exercises" / "capstone.ipynb", title="Capstone", url="capstone.html")
    assert {t["id"]: t["title"] for t in entry["tasks"]} == titles["capstone"]


def test_the_courses_tasks_come_from_its_exercise_notebooks(course_and_banks):
    from coursekit.course import load_course

    assert course_tasks(course_and_banks[0]) == []  # the fixture course has no exercises folder
    assert course_tasks(None) == []
    titles = task_titles(course_tasks(load_course(ROOT)))
    assert ZONE in titles[CH1] and PAPER in titles["capstone"]


def test_exercise_answers_are_restored_into_their_chapters(tmp_path, course_and_banks, tasks):
    store = ProgressStore(tmp_path)
    raw = _file(**{CH1: {"exercises": {ZONE: "Yes, mostly.", MILEX: "Flat, then rising."}},
                   "capstone": {"exercises": {PAPER: "Our delegation proposes…"}}})
    result = _import(store, raw, course_and_banks, tasks, "submission-all-ana.json")
    assert result.lines()[0] == ("Imported submission-all-ana.json: restored 0 answer(s) and 3 response(s) in "
                                 "2 chapter(s).")  # counted with the responses, as the book counts them
    assert (result.responses, result.exercises, result.chapters) == (3, 3, [CH1, "capstone"])
    assert exercise_answers(store, COURSE, CH1)[ZONE] == {"text": "Yes, mostly.", "saved_at": CREATED}
    assert exercise_answers(store, COURSE, "capstone")[PAPER]["text"] == "Our delegation proposes…"  # the answer box reads it
    assert store.record(COURSE, CH1)["responses"] == {}
    again = _import(store, raw, course_and_banks, tasks, "submission-all-ana.json")
    assert again.lines()[:2] == ["Imported submission-all-ana.json: nothing new; everything in it is already here.",
                                 "Already here and the same: 3 answer(s) or response(s)."]


def test_exercise_answers_with_answers_and_responses(tmp_path, course_and_banks, tasks):
    store = ProgressStore(tmp_path)
    result = _import(store, _chapter_file({ZONE: "Yes."}, answers={"ch01-no-wars": False},
                                          responses={"ch01-d-soldiers-as-diplomats": "My view."}),
                     course_and_banks, tasks)
    assert result.lines()[0] == "Imported work.json: restored 1 answer(s) and 2 response(s) in 1 chapter(s)."
    record = json.loads(store.path.read_text("utf-8"))["courses"][COURSE][CH1]
    assert (record["answers"]["ch01-no-wars"]["value"], record["responses"]["ch01-d-soldiers-as-diplomats"]["text"],
            record["exercises"][ZONE]["text"]) == (False, "My view.", "Yes.")


def test_text_here_is_kept(tmp_path, course_and_banks, tasks):
    store = ProgressStore(tmp_path)
    store.remember(student="Ana")
    save_exercise_answer(store, COURSE, CH1, ZONE, "Written here, after the export.")  # saved now
    save_exercise_answer(store, COURSE, CH1, MILEX, "A long answer written here earlier.")
    save_exercise_answer(store, COURSE, "capstone", PAPER, "Mine.")
    _restamp(store, CH1, MILEX, "2020-01-01T00:00:00Z")
    _restamp(store, "capstone", PAPER, "2020-01-01T00:00:00Z")
    result = _import(store, _file(**{CH1: {"exercises": {ZONE: "An older draft.", MILEX: "Short."}},
                                     "capstone": {"exercises": {PAPER: "Hers."}}}), course_and_banks, tasks)
    assert result.lines() == [
        "Imported work.json: nothing new; everything in it is already here.",
        "Kept your newer text for “Is Latin America a zone of peace? A two-sided debate brief” in chapter 1: yours "
        f"was saved {exercise_answers(store, COURSE, CH1)[ZONE]['saved_at']}, after the file was exported ({CREATED}). "
        "The file's text was not used.",
        "Kept your text for “Mapping the regional military burden, 1990-2020” in chapter 1: it is longer than the "
        "file's, which was not used.",
        "Kept your text for “A storm and a standoff: crisis simulation and policy brief…” in capstone: it differs "
        "from the file's, which was not used.",  # a long title is cut at 60 characters, as in the book
        "To take a file's text instead of yours, clear yours here (Clear my answers on the chapter's page) and "
        "import the file again."]
    assert {aid: e["text"] for aid, e in exercise_answers(store, COURSE, CH1).items()} == {
        ZONE: "Written here, after the export.", MILEX: "A long answer written here earlier."}
    assert exercise_answers(store, COURSE, "capstone")[PAPER]["text"] == "Mine."


def test_a_continuation_or_an_empty_answer_here_is_taken(tmp_path, course_and_banks, tasks):
    store = ProgressStore(tmp_path)
    save_exercise_answer(store, COURSE, CH1, ZONE, "Written here, after the export.")  # newer, but lost by nothing
    save_exercise_answer(store, COURSE, CH1, MILEX, "  \n")
    result = _import(store, _chapter_file({ZONE: "Written here, after the export. And more.", MILEX: "Rising."}),
                     course_and_banks, tasks)
    assert (result.responses, result.exercises, result.kept) == (2, 2, [])
    saved = exercise_answers(store, COURSE, CH1)
    assert saved[ZONE] == {"text": "Written here, after the export. And more.", "saved_at": CREATED}
    assert saved[MILEX]["text"] == "Rising."


def test_a_malformed_entry_here_counts_as_no_text(tmp_path, course_and_banks, tasks):
    store = ProgressStore(tmp_path)
    store.save_answer(COURSE, CH1, "ch01-no-wars", True)
    data = json.loads(store.path.read_text("utf-8"))
    data["courses"][COURSE][CH1]["exercises"] = {ZONE: "not an entry"}
    store.path.write_text(json.dumps(data), "utf-8")
    assert _import(store, _chapter_file({ZONE: "Yes."}), course_and_banks, tasks).exercises == 1
    assert exercise_answers(store, COURSE, CH1)[ZONE]["text"] == "Yes."


def test_unknown_exercise_ids_are_refused_by_name(tmp_path, course_and_banks, tasks):
    store = ProgressStore(tmp_path)
    store.remember(student="Ana")
    raw = _file(**{CH1: {"answers": {"ch99-nope": "x"}, "exercises": {"ex-99-nope": "x", PAPER: "y", ZONE: "Yes."}},
                   "capstone": {"responses": {"ch01-d-soldiers-as-diplomats": "z"}, "exercises": {"ex-nope": "w"}},
                   "99_not_here": {"exercises": {ZONE: "v"}}})
    lines = _import(store, raw, course_and_banks, tasks).lines()
    assert lines == [
        "Imported work.json: restored 0 answer(s) and 1 response(s) in 1 chapter(s).",
        "Not imported: 3 answer(s) or response(s) in chapter 1 to questions this course does not have: "
        f"ch99-nope, ex-99-nope, {PAPER}.",  # another chapter's task is not this chapter's
        "Not imported: 2 answer(s) or response(s) in capstone to questions this course does not have: "
        "ch01-d-soldiers-as-diplomats, ex-nope.",
        "Not imported: 99-not-here is not a chapter of this course."]
    assert set(exercise_answers(store, COURSE, CH1)) == {ZONE}
    assert exercise_answers(store, COURSE, "capstone") == {}
    assert "99-not-here" not in json.loads(store.path.read_text("utf-8"))["courses"][COURSE]


def test_without_tasks_every_exercise_answer_is_refused(tmp_path, course_and_banks):
    store = ProgressStore(tmp_path)
    course, banks = course_and_banks  # the fixture course has no exercise notebooks
    result = import_work(store, _chapter_file({ZONE: "Yes."}), file_name="work.json", banks=banks, course=course)
    assert result.lines()[0] == "Imported work.json: nothing new; everything in it is already here."
    assert f"in chapter 1 to questions this course does not have: {ZONE}." in result.lines()[-2]
    assert exercise_answers(store, COURSE, CH1) == {}


def test_the_exercise_notebooks_import_panel_restores_and_says_where(tmp_path):
    """Import my work in an exercise notebook (the course's own folder): tasks from its notebooks."""
    from coursekit.exercises import scopes
    from coursekit.widgets import ExportWidget

    course = "military-diplomacy-latam"
    store = ProgressStore(tmp_path / "data")
    panel = ExportWidget(scopes(course, ["capstone"])[0], store, "practice", str(ROOT / "exercises"))
    raw = json.loads(_file(capstone={"exercises": {PAPER: "Our delegation proposes…"}}))
    raw["course"] = course
    panel.import_file(json.dumps(raw).encode("utf-8"), "capstone.json")
    assert "restored 0 answer(s) and 1 response(s) in 1 chapter(s)" in panel.status.value
    assert "Run the exercise notebook again (Run All Cells)" in panel.status.value
    assert exercise_answers(store, course, "capstone")[PAPER]["text"] == "Our delegation proposes…"
