"""Assignments: `coursekit assign --chapters 2,5 [--count N] [--seed S] --out DIR`.

DIR/student/     assignment.ipynb (assessment mode: answers are recorded, nothing is
                 graded or revealed) and assignment.json, the questions WITHOUT any key.
DIR/instructor/  key.md and key.html (the answer key), assignment.gift (Moodle) and
                 assignment-qti.zip (Canvas) with the same questions.

The same banks, chapters, count and seed always give the same assignment. Students'
exported files are graded with `coursekit grade --assignment DIR/student/assignment.json`.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from .bank import load_banks, select_banks
from .chapter import Chapter
from .course import load_course
from .errors import AssignmentError, UnknownQuestionType
from .keys import key_html, key_markdown
from .model import Bank, Question
from .serialize import from_public_json, public_json

MANIFEST_FORMAT = "coursekit-assignment"
MANIFEST_VERSION = 1


def choose_questions(banks: list[Bank], count: int | None, seed: int) -> list[Question]:
    pool = [q for bank in banks for q in bank.questions]
    if count is None or count >= len(pool):
        return pool
    if count < 1:
        raise AssignmentError("--count must be at least 1")
    picked = set(random.Random(seed).sample(range(len(pool)), count))
    return [q for i, q in enumerate(pool) if i in picked]  # keep course order


class Assignment(Chapter):
    """The notebook API for an assignment: `Assignment("assignment.json").quiz()`."""

    def __init__(self, manifest: str | Path = "assignment.json", *, store=None):
        path = Path(manifest)
        data = read_manifest(path)
        self.bank = Bank(chapter=data["id"], title=data["title"], objectives={},
                         questions=tuple(from_public_json(q) for q in data["questions"]),
                         source=str(path), course=data["course"])
        self.mode = "assessment"
        self.directory = path.parent
        self.course = load_course(path.parent)
        self._store = store


def read_manifest(manifest: str | Path) -> dict:
    """An assignment file, checked; AssignmentError names what is wrong."""
    try:
        data = json.loads(Path(manifest).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AssignmentError(f"{manifest}: cannot read the assignment file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise AssignmentError(f"{manifest}: not a coursekit assignment file (made by coursekit assign)")
    if data.get("version") != MANIFEST_VERSION:
        raise AssignmentError(f"{manifest}: assignment version {data.get('version')!r}; "
                              f"this coursekit reads {MANIFEST_VERSION}")
    questions = data.get("questions")
    if (not isinstance(questions, list) or not all(isinstance(q, dict) and isinstance(q.get("id"), str)
                                                    and isinstance(q.get("type"), str) for q in questions)
            or not all(isinstance(data.get(k), str) for k in ("id", "title", "course"))):
        raise AssignmentError(f"{manifest}: the assignment file is incomplete (id, title, course, questions)")
    for entry in questions:
        try:
            from_public_json(entry)
        except UnknownQuestionType as exc:
            raise AssignmentError(f"{manifest}: question {entry['id']}: {exc}") from None
        except (KeyError, TypeError):
            raise AssignmentError(f"{manifest}: question {entry['id']} is incomplete") from None
    return data


def assignment_bank(manifest: str | Path, banks: list[Bank]) -> Bank:
    """The instructor's view of an assignment, with the real questions, for grading."""
    data = read_manifest(manifest)
    by_id = {q.id: q for bank in banks for q in bank.questions}
    missing = [q["id"] for q in data["questions"] if q["id"] not in by_id]
    if missing:
        raise AssignmentError(f"{manifest}: questions not in the banks: {', '.join(missing)}")
    return Bank(chapter=data["id"], title=data["title"], objectives={},
                questions=tuple(by_id[q["id"]] for q in data["questions"]), source=str(manifest),
                course=data["course"])


def student_notebook(manifest_name: str, title: str, assignment_id: str):
    import nbformat  # slow to import (jsonschema); only assignment makers need it

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\nThis is an assessed assignment: your answers are recorded, but no feedback or "
            "score is shown. Run every cell (*Run → Run All Cells*), answer each question and press "
            "**Save answer**. You can change an answer and save it again until you hand in.\n\n"
            "When you have finished, type your name in the last box and press **Export my work**. Hand in "
            f"the file `submission-{assignment_id}-<your-name>.json` that appears beside this notebook."),
        nbformat.v4.new_code_cell(f'from coursekit import Assignment\n\nassignment = Assignment("{manifest_name}")'),
        nbformat.v4.new_code_cell("assignment.quiz()"),
        nbformat.v4.new_code_cell("assignment.export_panel()"),
    ]
    for index, cell in enumerate(cells):
        cell.id = f"cell-{index + 1:02d}"
    nb.cells = cells
    return nb


def make_assignment(banks_dir: Path, chapters: str, count: int | None, seed: int, out: Path | None,
                    title: str | None = None, *, default_parent: Path | None = None) -> dict:
    """Write the assignment into `out` (student/ and instructor/), or, when `out` is None, into
    `default_parent`/<the assignment's id> (the CLI passes private/assignments)."""
    import nbformat

    from .exports import to_gift, to_qti

    course = load_course(banks_dir)
    banks = load_banks(select_banks(banks_dir, chapters, course=course), course=course)
    if not banks:
        raise AssignmentError(f"{banks_dir}: no chapter banks found")
    questions = choose_questions(banks, count, seed)
    numbers = "-".join(dict.fromkeys((course.number(b.chapter) or "x").split(".")[0] for b in banks))
    assignment_id = f"assignment-{numbers or 'mixed'}-n{len(questions)}-s{seed}"
    title = title or f"Assignment: chapters {chapters} ({len(questions)} questions)"
    manifest = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "id": assignment_id,
                "course": banks[0].course, "title": title, "chapters": [b.chapter for b in banks], "seed": seed,
                "questions": [public_json(q) for q in questions]}
    if out is None:
        out = (default_parent or Path("private", "assignments")) / assignment_id
    student, instructor = out / "student", out / "instructor"
    student.mkdir(parents=True, exist_ok=True)
    instructor.mkdir(parents=True, exist_ok=True)
    (student / "assignment.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    nbformat.write(student_notebook("assignment.json", title, assignment_id), student / "assignment.ipynb")
    (instructor / "key.md").write_text(key_markdown(title, questions, banks), "utf-8")
    (instructor / "key.html").write_text(key_html(title, questions, banks), "utf-8")
    gift, gift_left_out = to_gift(questions, category=title)
    (instructor / "assignment.gift").write_text(gift, "utf-8")
    qti_left_out = to_qti(questions, title=title, out_path=instructor / "assignment-qti.zip")
    return {"id": assignment_id, "questions": len(questions), "gift_left_out": gift_left_out,
            "qti_left_out": qti_left_out, "student": student, "instructor": instructor}


__all__ = ["Assignment", "make_assignment", "assignment_bank", "read_manifest", "choose_questions"]
