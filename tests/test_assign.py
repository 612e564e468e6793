"""`coursekit assign`: reproducible, keyless for students, gradable end to end."""
import json
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import FIXTURES, ROOT
from coursekit.assign import Assignment, make_assignment
from coursekit.bank import load_banks, select_banks
from coursekit.progress import ProgressStore
from coursekit.widgets import ExportWidget, QuizWidget

CHAPTERS = FIXTURES / "course" / "chapters"  # the fixture course


@pytest.fixture(scope="module")
def assignment(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignment")
    made = make_assignment(CHAPTERS, "2,5", 10, 7, out)
    return out, made


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_assignment(assignment, tmp_path):
    out, made = assignment
    again = make_assignment(CHAPTERS, "2,5", 10, 7, tmp_path / "again")
    assert made["id"] == again["id"] == "assignment-2-5-n10-s7"
    first, second = _files(out), _files(tmp_path / "again")
    first.pop("instructor/assignment-qti.zip")  # zip entries carry times; compared by content below
    second.pop("instructor/assignment-qti.zip")
    assert first == second
    make_assignment(CHAPTERS, "2,5", 10, 8, tmp_path / "other")
    def ids(folder):
        return [q["id"] for q in json.loads((folder / "student" / "assignment.json").read_text())["questions"]]

    assert ids(out) != ids(tmp_path / "other")
    assert 10 == len(ids(out)) and len(set(ids(out))) == 10


def test_questions_come_from_the_chosen_chapters_in_course_order(assignment):
    out, _ = assignment
    banks = load_banks(select_banks(CHAPTERS, "2,5"))
    order = [q.id for b in banks for q in b.questions]
    ids = [q["id"] for q in json.loads((out / "student" / "assignment.json").read_text())["questions"]]
    assert ids == sorted(ids, key=order.index)


def test_student_files_carry_no_key(assignment):
    out, _ = assignment
    student_text = "\n".join(p.read_text("utf-8") for p in (out / "student").rglob("*") if p.is_file())
    manifest = json.loads((out / "student" / "assignment.json").read_text())
    banks = load_banks(select_banks(CHAPTERS, "2,5"))
    questions = {q.id: q for b in banks for q in b.questions}
    for entry in manifest["questions"]:
        q = questions[entry["id"]]
        assert set(entry) <= {"id", "type", "prompt", "choices", "lefts", "rights", "items", "unit"}
        assert q.explanation not in student_text
        for option in getattr(q, "options", ()):
            assert not option.feedback or option.feedback not in student_text
        for accepted in getattr(q, "accept", ()):
            assert accepted not in student_text
        if q.type == "ordering":  # alphabetical: nothing to undo, unlike a shuffle seeded by the public id
            assert sorted(q.items, key=lambda t: (t.lower(), t)) == entry["items"]
    from coursekit.markup import md_escape

    key = (out / "instructor" / "key.md").read_text("utf-8")
    assert all(md_escape(questions[e["id"]].explanation) in key for e in manifest["questions"])


@pytest.mark.notebook
def test_student_notebook_runs_in_assessment_mode(assignment, tmp_path):
    out, _ = assignment
    nb = nbformat.read(out / "student" / "assignment.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(out / "student")}}).execute()
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if "text/html" in o.get("data", {})]
    quiz = next(h for h in html if 'class="ck-quiz"' in h)
    # The buttons are added by coursekit.js; the page itself must carry no answer at all.
    assert 'data-ck-mode="assessment"' in quiz and "ck-key" not in quiz and "Answer and explanation" not in quiz


def test_assignment_round_trip_to_the_gradebook(assignment, tmp_path):
    out, _ = assignment
    store = ProgressStore(tmp_path / "progress")
    assignment_api = Assignment(out / "student" / "assignment.json", store=store)
    quiz = QuizWidget(assignment_api.bank, store, mode="assessment")
    banks = load_banks(select_banks(CHAPTERS, "2,5"))
    real = {q.id: q for b in banks for q in b.questions}
    from coursekit.grading import grade

    expected = 0.0
    for item in quiz.items:  # every type, as a student would answer it
        q = real[item.question.id]
        if q.type in ("single", "truefalse"):
            item.view.radio.value = q.answer
            response = q.answer
        elif q.type == "multiple":
            item.view.boxes[0].value = True
            response = [item.view.boxes[0].description]
        elif q.type == "text":
            item.view.text.value = response = q.accept[0]
        elif q.type == "numeric":
            item.view.text.value = response = str(q.answer + 1)
        elif q.type == "matching":
            left, select = next(iter(item.view.selects.items()))
            select.value = select.options[1][1]
            response = {left: select.value}
        else:
            item.view.widget.children[0].children[2].click()  # ▼: an untouched order is refused
            response = list(item.view.order)
        item.check.click()
        assert "Answer saved." in item.feedback.value and "orrect" not in item.feedback.value, q.id
        expected += grade(q, response).score
    answered = round(expected, 4)
    saved = store.record(assignment_api.bank.course, assignment_api.bank.chapter)["answers"]
    assert len(quiz.items) == len(saved)  # nothing was lost, whatever the type
    panel = ExportWidget(assignment_api.bank, store, mode="assessment", directory=str(tmp_path))
    panel.name.value = "Ana Pérez"
    submission = panel.export()
    gradebook = tmp_path / "gradebook.csv"
    run = subprocess.run([sys.executable, "-m", "coursekit", "grade", str(submission), "--banks", str(CHAPTERS), "--assignment",
                          str(out / "student" / "assignment.json"), "--out", str(gradebook)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert 0 == run.returncode, run.stderr
    import csv

    rows = list(csv.DictReader(gradebook.read_text("utf-8-sig").splitlines()))
    assert 1 == len(rows)
    assert (answered, "10") == (float(rows[0]["total"]), rows[0]["max"])


def test_cli_reports_bad_chapters(tmp_path):
    run = subprocess.run([sys.executable, "-m", "coursekit", "assign", "--chapters", "2,x", "--banks", str(CHAPTERS),
                          "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert 1 == run.returncode and run.stderr.startswith("error:") and "Traceback" not in run.stderr


@pytest.mark.parametrize("content", ["[]", "{}", '{"format": "coursekit-assignment", "version": 1}', "not json"])
def test_grade_with_a_broken_assignment_file_is_a_clean_error(tmp_path, content):
    manifest = tmp_path / "assignment.json"
    manifest.write_text(content, "utf-8")
    run = subprocess.run([sys.executable, "-m", "coursekit", "grade", str(tmp_path), "--assignment", str(manifest),
                          "--out", str(tmp_path / "g.csv")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert 1 == run.returncode and "Traceback" not in run.stderr and "error:" in run.stderr


def test_assignment_grading_keeps_chapter_submissions_apart(assignment, tmp_path):
    out, _ = assignment
    chapter = ROOT / "tests" / "fixtures" / "submissions" / "good-ana-02.json"
    run = subprocess.run([sys.executable, "-m", "coursekit", "grade", str(chapter), "--banks", str(CHAPTERS), "--assignment",
                          str(out / "student" / "assignment.json"), "--out", str(tmp_path / "g.csv")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert 1 == run.returncode  # nothing to grade: the chapter file is not part of the assignment
    assert "without --assignment" in run.stderr


def test_two_assignments_that_share_questions_keep_both_scores(tmp_path):
    import csv

    from coursekit.submission import build_submission

    first = make_assignment(CHAPTERS, "2", 8, 1, tmp_path / "a")
    second = make_assignment(CHAPTERS, "2", 8, 2, tmp_path / "b")
    manifests = {m["id"]: json.loads((tmp_path / key / "student" / "assignment.json").read_text("utf-8"))
                 for key, m in (("a", first), ("b", second))}
    shared = set.intersection(*({q["id"] for q in m["questions"]} for m in manifests.values()))
    assert shared  # chapter 2 has fewer than 16 questions, so the two draws overlap
    subs = tmp_path / "subs"
    subs.mkdir()
    for n, (aid, manifest) in enumerate(manifests.items()):
        # the first assignment answered all wrong (blank), the second all "x": different scores per draw
        answers = {} if n == 0 else {q["id"]: "x" for q in manifest["questions"] if q["type"] == "text"}
        data = build_submission(course=manifest["course"], chapter=aid, student="Ana", answers=answers, responses={},
                                mode="assessment")
        (subs / f"{aid}.json").write_text(json.dumps(data), "utf-8")
    gradebook = tmp_path / "g.csv"
    run = subprocess.run([sys.executable, "-m", "coursekit", "grade", str(subs), "--banks", str(CHAPTERS),
                          "--assignment", str(tmp_path / "a" / "student" / "assignment.json"),
                          "--assignment", str(tmp_path / "b" / "student" / "assignment.json"), "--out", str(gradebook)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert 0 == run.returncode, run.stderr
    header = next(csv.reader(gradebook.read_text("utf-8-sig").splitlines()))
    assert len(header) == len(set(header))  # no column twice
    for qid in shared:
        assert {f"{first['id']}/{qid}", f"{second['id']}/{qid}"} <= set(header)
    assert sum(1 for h in header if h not in ("student", "total", "max", "percent", "chapters", "files")) == 16


def test_levels_draw_only_questions_at_those_levels(tmp_path):
    import shutil

    from coursekit.errors import AssignmentError

    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "course", course)
    shutil.copy(FIXTURES / "_config.yml", tmp_path / "_config.yml")  # the fixture course's configuration
    bank = course / "chapters" / "02-role-of-military-diplomacy.yml"
    lines, marked = [], 0
    for line in bank.read_text("utf-8").splitlines():
        lines.append(line)
        if line.strip().startswith("objective:") and marked < 2:  # the first two questions are `apply`
            lines.append(line[: len(line) - len(line.lstrip())] + "level: apply")
            marked += 1
    bank.write_text("\n".join(lines) + "\n", "utf-8")
    first_two = [q.id for q in load_banks(select_banks(course / "chapters", "2"))[0].questions[:2]]
    made = make_assignment(course / "chapters", "2", None, 0, tmp_path / "a", levels="Apply, evaluate")
    manifest = json.loads((tmp_path / "a" / "student" / "assignment.json").read_text())
    assert [q["id"] for q in manifest["questions"]] == first_two
    assert manifest["levels"] == ["apply", "evaluate"] and made["id"] == "assignment-2-n2-s0-apply-evaluate"
    with pytest.raises(AssignmentError, match="give levels from remember, understand"):
        make_assignment(course / "chapters", "2", None, 0, tmp_path / "b", levels="apply,synthesis")
    with pytest.raises(AssignmentError, match="no question in chapters 02-role-of-military-diplomacy is at level evaluate"):
        make_assignment(course / "chapters", "2", None, 0, tmp_path / "c", levels="evaluate")
