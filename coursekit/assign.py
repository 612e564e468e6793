"""Assignments: `coursekit assign --chapters 2,5 [--count N] [--seed S] --out DIR`.

DIR/student/     assignment.html (one self-contained page: any browser, any static host or
                 an LMS; no network), assignment.ipynb (the same in Jupyter) and
                 assignment.json, the questions WITHOUT any key. Both are in assessment
                 mode: answers are recorded, nothing is graded or revealed.
DIR/instructor/  key.md and key.html (the answer key), assignment.gift (Moodle) and
                 assignment-qti.zip (Canvas) with the same questions.

The same banks, chapters, count and seed always give the same assignment. Students'
exported files are graded with `coursekit grade --assignment DIR/student/assignment.json`.
"""
from __future__ import annotations

import datetime
import json
import random
import re
from pathlib import Path

from .bank import load_banks, select_banks
from .chapter import Chapter
from .course import load_course
from .errors import AssignmentError, UnknownQuestionType, echo
from .keys import key_html, key_markdown
from .markup import e
from .model import LEVELS, Bank, Question
from .serialize import from_public_json, public_json

MANIFEST_FORMAT = "coursekit-assignment"
MANIFEST_VERSION = 1
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_due(due: str | None) -> datetime.date | None:
    """`--due 2027-03-15`: a real calendar date, written YYYY-MM-DD, or an AssignmentError."""
    if due is None:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", due, flags=re.ASCII):
            raise ValueError
        return datetime.date.fromisoformat(due)
    except (TypeError, ValueError):
        raise AssignmentError(f"--due {echo(due)} is not a date: give it as YYYY-MM-DD, such as 2027-03-15") from None


def due_text(day: datetime.date) -> str:
    """"Monday 15 March 2027", the same in every locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def parse_levels(levels: str | None) -> tuple[str, ...]:
    """`--levels apply,analyse,evaluate`: levels of LEVELS, or an AssignmentError."""
    if levels is None:
        return ()
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in levels.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in LEVELS]
    if unknown or not chosen:
        raise AssignmentError(f"--levels {echo(levels)}: give levels from {', '.join(LEVELS)}, separated by commas")
    return chosen


def choose_questions(banks: list[Bank], count: int | None, seed: int, levels: tuple[str, ...] = ()) -> list[Question]:
    pool = [q for bank in banks for q in bank.questions if not levels or q.level in levels]
    if not pool:
        raise AssignmentError(f"no question in chapters {', '.join(b.chapter for b in banks)} "
                              f"is at level {', '.join(levels)}")
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
    if "due" in data:
        try:
            parse_due(data["due"])
        except AssignmentError as exc:
            raise AssignmentError(f"{manifest}: {exc}") from None
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


def student_notebook(manifest_name: str, title: str, assignment_id: str, due: datetime.date | None = None):
    import nbformat  # slow to import (jsonschema); only assignment makers need it

    nb = nbformat.v4.new_notebook()
    due_line = f"**Due: {due_text(due)}.**\n\n" if due else ""
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\n{due_line}This is an assessed assignment: your answers are recorded, but no feedback or "
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


# The page's own layout: the course's styles are made for the book's theme, which is not here.
PAPER_INSTRUCTIONS = (  # printed instead of the browser steps (`coursekit assign --pdf`, or the browser's Print)
    '<section class="ck-paper-only" aria-hidden="true"><p class="ck-name-line">Name: ______________________________'
    "&#8195;Student number or e-mail: ____________________</p><p><strong>On paper.</strong> Answer every question in the "
    "space under it: tick a box, write a word or a number, or write letters or numbers beside items as the question "
    "asks. Write your name on every sheet and hand all the sheets to your instructor.</p></section>\n")

PAGE_STYLE = """
html { color-scheme: light; -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: #1f2937; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.ck-page { max-width: 46rem; margin: 0 auto; padding: 0.75rem 1rem 2rem; overflow-wrap: break-word; }
.ck-page h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.75rem 0; }
.ck-page h2 { font-size: 1.3rem; line-height: 1.3; margin: 1.75rem 0 0.5rem; }
.ck-page code { font-size: 0.95em; overflow-wrap: anywhere; }
.ck-due { font-size: 1.1rem; margin: 0 0 1rem; padding: 0.4rem 0.8rem; border-left: 4px solid #1d4ed8; background: #eff6ff; }
.ck-instructions ol { padding-left: 1.4rem; margin: 0.3rem 0; }
.ck-instructions li { margin: 0.45rem 0; }
.ck-page input[type="text"], .ck-page select, .ck-page button { font-size: 1rem; }
.ck-page .ck-choices > label { padding: 0.15rem 0; }
.ck-paper-only { display: none; }
@media print {  /* on paper: no browser steps, a place for the name, and how to hand the sheets in */
  .ck-instructions, #ck-hand-in { display: none; }
  .ck-paper-only { display: block; }
  .ck-paper-only .ck-name-line { margin: 0.8rem 0; }
}
.ck-page .ck-order button { min-width: 2.25rem; min-height: 2rem; }
"""
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'none'; "
       "base-uri 'none'; form-action 'none'")


def assignment_page(manifest: dict, due: datetime.date | None = None) -> str:
    """student/assignment.html: the assignment as one page, in assessment mode, with the course's
    script and styles inlined (no request at all: it works from file://, any host or an LMS).

    It is made from the keyless manifest alone, as the notebook is, so it cannot carry what
    the manifest does not: each shown order is a function of the public entry (an ordering's
    items as the notebook shows them), never of the answer."""
    from .sphinx_ext import served_static
    from .static_view import render_export_panel, render_quiz

    files = {name: data.decode("utf-8") for name, data in served_static().items()}
    for name, text in files.items():
        if re.search(r"</(script|style)|<!--", text, flags=re.I):  # would end the inlined block early
            raise AssignmentError(f"{name} cannot be inlined: it contains an HTML end tag or comment")
    bank = Bank(chapter=manifest["id"], title=manifest["title"], objectives={},
                questions=tuple(from_public_json(q) for q in manifest["questions"]), source="assignment.json",
                course=manifest["course"])
    title, file_name = e(manifest["title"]), e(f"submission-{manifest['id']}-your-name.json")
    due_html = (f'<p class="ck-due"><strong>Due: <time datetime="{due.isoformat()}">{due_text(due)}</time></strong></p>'
                if due else "")
    by_due = ", by the due date" if due else ""
    steps = [
        "<strong>Answer each question</strong>, then press <em>Save answer</em> under it. You can change an answer "
        "and save it again as often as you like until you hand in; only saved answers are handed in. In an "
        "ordering question, move the items with the ▲ and ▼ buttons.",
        "<strong>Nothing is graded on this page.</strong> It shows no score and no correct answers, and it does not "
        "contain them: your instructor grades the file you hand in.",
        "<strong>Your answers stay in this browser</strong> on this computer: nothing is sent anywhere. To come back "
        "to them, open this page the same way (the same file or the same link) in the same browser. A private window "
        "forgets them when it closes.",
        f"<strong>To hand in</strong>, type your name at the end of the page and press <em>Export my work</em>. Your "
        f"browser saves a file named <code>{file_name}</code> (usually in Downloads): send that file to your "
        f"instructor as they ask{by_due}.",
    ]
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{title}</title>\n<style>\n{files['coursekit.css']}{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f'<main class="ck-page">\n<h1>{title}</h1>\n{due_html}\n'
        '<section class="ck-instructions" aria-labelledby="ck-how">\n<h2 id="ck-how">How to do this assignment</h2>\n'
        "<ol>" + "".join(f"<li>{step}</li>" for step in steps) + "</ol>\n</section>\n"
        f"{PAPER_INSTRUCTIONS}"
        '<noscript><p class="ck-warning">This page needs JavaScript to save and export your answers: allow it for '
        "this page, or open the file in another browser.</p></noscript>\n"
        f'<h2 id="ck-questions">Questions</h2>\n{render_quiz(bank, "assessment")}\n'
        f'<h2 id="ck-hand-in">Hand in your work</h2>\n{render_export_panel(bank)}\n</main>\n'
        f"<script>\n{files['coursekit.js']}</script>\n</body>\n</html>\n"
    )


def make_assignment(banks_dir: Path, chapters: str, count: int | None, seed: int, out: Path | None,
                    title: str | None = None, *, default_parent: Path | None = None, due: str | None = None,
                    levels: str | None = None, banks: list[Bank] | None = None, source: str = "practice") -> dict:
    """Write the assignment into `out` (student/ and instructor/), or, when `out` is None, into
    `default_parent`/<the assignment's id> (the CLI passes private/assignments). `due` is an
    ISO date (2027-03-15), shown to students and kept in the manifest; `levels` ("apply,evaluate")
    draws only questions at those levels. `banks`, when given, are the banks already opened
    (sealed assessment banks) and `source` says where they came from: "assessment",
    "practice" or "private"; grading reopens the same source."""
    import nbformat

    from .exports import to_gift, to_qti

    due_date = parse_due(due)  # before any work: a bad date is the whole answer
    chosen_levels = parse_levels(levels)
    course = load_course(banks_dir)
    if banks is None:
        banks = load_banks(select_banks(banks_dir, chapters, course=course), course=course)
    if not banks:
        raise AssignmentError(f"{banks_dir}: no chapter banks found")
    questions = choose_questions(banks, count, seed, chosen_levels)
    numbers = "-".join(dict.fromkeys((course.number(b.chapter) or "x").split(".")[0] for b in banks))
    level_part = "".join(f"-{name}" for name in chosen_levels)  # another draw, another id
    assignment_id = f"assignment-{numbers or 'mixed'}-n{len(questions)}-s{seed}{level_part}"
    title = title or f"Assignment: chapters {chapters} ({len(questions)} questions)"
    manifest = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "id": assignment_id,
                "course": banks[0].course, "title": title, "chapters": [b.chapter for b in banks], "seed": seed, "source": source,
                **({"levels": list(chosen_levels)} if chosen_levels else {}),
                **({"due": due_date.isoformat()} if due_date else {}), "questions": [public_json(q) for q in questions]}
    if out is None:
        out = (default_parent or Path("private", "assignments")) / assignment_id
    student, instructor = out / "student", out / "instructor"
    student.mkdir(parents=True, exist_ok=True)
    instructor.mkdir(parents=True, exist_ok=True)
    (student / "assignment.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (student / "assignment.html").write_text(assignment_page(manifest, due_date), "utf-8")
    nbformat.write(student_notebook("assignment.json", title, assignment_id, due_date), student / "assignment.ipynb")
    (instructor / "key.md").write_text(key_markdown(title, questions, banks), "utf-8")
    (instructor / "key.html").write_text(key_html(title, questions, banks), "utf-8")
    gift, gift_left_out = to_gift(questions, category=title)
    (instructor / "assignment.gift").write_text(gift, "utf-8")
    qti_left_out = to_qti(questions, title=title, out_path=instructor / "assignment-qti.zip")
    return {"id": assignment_id, "title": title, "questions": len(questions), "gift_left_out": gift_left_out,
            "qti_left_out": qti_left_out, "student": student, "instructor": instructor}


__all__ = ["Assignment", "make_assignment", "assignment_bank", "read_manifest", "choose_questions", "assignment_page",
           "parse_due", "parse_levels"]
