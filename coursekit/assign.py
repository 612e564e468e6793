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
import sys
from html import escape
from pathlib import Path

from .bank import BankError, load_banks, select_banks
from .chapter import Chapter
from .model import (
    Bank, DiscussionPrompt, Matching, MultipleChoice, Numeric, Option, Ordering, Pair, Question, ShortText, SingleChoice,
    TrueFalse, display_order,
)
from .static_view import answer_text, md_escape

MANIFEST_FORMAT = "coursekit-assignment"
MANIFEST_VERSION = 1


def choose_questions(banks: list[Bank], count: int | None, seed: int) -> list[Question]:
    pool = [q for bank in banks for q in bank.questions]
    if count is None or count >= len(pool):
        return pool
    if count < 1:
        raise BankError("--count", "must be at least 1")
    picked = set(random.Random(seed).sample(range(len(pool)), count))
    return [q for i, q in enumerate(pool) if i in picked]  # keep course order


def student_view(question: Question) -> dict:
    """What a student may see of a question: no answer, feedback or explanation."""
    entry = {"id": question.id, "type": question.type, "prompt": question.prompt}
    if isinstance(question, (SingleChoice, MultipleChoice)):
        entry["choices"] = [o.text for o in display_order(question)]
    elif isinstance(question, Numeric) and question.unit:
        entry["unit"] = question.unit
    elif isinstance(question, Matching):
        entry["lefts"] = [p.left for p in question.pairs]
        entry["rights"] = display_order(question)  # sorted: says nothing about the pairing
    elif isinstance(question, Ordering):
        # sorted, not shuffled: a shuffle seeded by the public id could be undone to the key
        entry["items"] = sorted(question.items, key=lambda t: (t.lower(), t))
    return entry


def from_student_view(entry: dict) -> Question:
    """A question the live widget can show and record. Its key fields are placeholders:
    in assessment mode nothing is graded or revealed, and the key never left the instructor."""
    common = dict(id=entry["id"], objective="", prompt=entry["prompt"], explanation="")
    kind = entry["type"]
    if kind == "single":
        return SingleChoice(**common, options=tuple(Option(c) for c in entry["choices"]), answer="")
    if kind == "multiple":
        return MultipleChoice(**common, options=tuple(Option(c) for c in entry["choices"]))
    if kind == "truefalse":
        return TrueFalse(**common)
    if kind == "text":
        return ShortText(**common)
    if kind == "numeric":
        return Numeric(**common, unit=entry.get("unit", ""))
    if kind == "matching":
        return Matching(**common, pairs=tuple(Pair(l, r) for l, r in zip(entry["lefts"], entry["rights"])))
    if kind == "ordering":
        return Ordering(**common, items=tuple(entry["items"]))
    raise ValueError(f"unknown question type {kind!r}")


class Assignment(Chapter):
    """The notebook API for an assignment: `Assignment("assignment.json").quiz()`."""

    def __init__(self, manifest: str | Path = "assignment.json", *, store=None):
        path = Path(manifest)
        data = read_manifest(path)
        self.bank = Bank(chapter=data["id"], title=data["title"], objectives={},
                         questions=tuple(from_student_view(q) for q in data["questions"]),
                         source=str(path), course=data["course"])
        self.mode = "assessment"
        self.directory = path.parent
        self._store = store


def read_manifest(manifest: str | Path) -> dict:
    """An assignment file, checked; BankError names what is wrong."""
    try:
        data = json.loads(Path(manifest).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BankError(str(manifest), f"cannot read the assignment file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise BankError(str(manifest), "not a coursekit assignment file (made by coursekit assign)")
    if data.get("version") != MANIFEST_VERSION:
        raise BankError(str(manifest), f"assignment version {data.get('version')!r}; this coursekit reads {MANIFEST_VERSION}")
    questions = data.get("questions")
    if (not isinstance(questions, list) or not all(isinstance(q, dict) and isinstance(q.get("id"), str) for q in questions)
            or not all(isinstance(data.get(k), str) for k in ("id", "title", "course"))):
        raise BankError(str(manifest), "the assignment file is incomplete (id, title, course, questions)")
    return data


def assignment_bank(manifest: str | Path, banks: list[Bank]) -> Bank:
    """The instructor's view of an assignment, with the real questions, for grading."""
    data = read_manifest(manifest)
    by_id = {q.id: q for bank in banks for q in bank.questions}
    missing = [q["id"] for q in data["questions"] if q["id"] not in by_id]
    if missing:
        raise BankError(str(manifest), f"questions not in the banks: {', '.join(missing)}")
    return Bank(chapter=data["id"], title=data["title"], objectives={},
                questions=tuple(by_id[q["id"]] for q in data["questions"]), source=str(manifest),
                course=data["course"])


def _objective_of(banks: list[Bank]) -> dict[str, tuple[str, str, str]]:
    """question id -> (chapter, objective id, objective statement)."""
    return {q.id: (b.chapter, q.objective, b.objectives.get(q.objective, "")) for b in banks for q in b.questions}


def key_markdown(title: str, questions: list[Question], banks: list[Bank], *,
                 intro: str = "For the instructor only. Do not give this file to students.",
                 discussions: tuple[DiscussionPrompt, ...] = ()) -> str:
    """The answer key in Markdown (MyST too): for an assignment, or a chapter page of the
    instructor edition (which adds the discussions' authored perspectives)."""
    objectives = _objective_of(banks)
    lines = [f"# Answer key: {title}", "", intro, ""]
    for number, q in enumerate(questions, 1):
        chapter, objective, statement = objectives[q.id]
        lines += [f"**{number}. {md_escape(q.prompt)}**", "",  # bold, not a heading: prompts are long
                  f"- Question id: `{q.id}` ({q.type}, chapter {chapter}, {objective}: {md_escape(statement)})",
                  f"- Answer: {md_escape(answer_text(q))}", f"- Explanation: {md_escape(q.explanation)}", ""]
    for prompt in discussions:
        lines += [f"**Discussion: {md_escape(prompt.prompt)}** (suggested length: {prompt.suggested_words} words)", ""]
        lines += [f"- *{md_escape(p.title)}*: {md_escape(p.text)}" for p in prompt.perspectives] + [""]
    return "\n".join(lines)


def key_html(title: str, questions: list[Question], banks: list[Bank]) -> str:
    objectives = _objective_of(banks)
    items = []
    for q in questions:
        chapter, objective, statement = objectives[q.id]
        items.append(f"<li><p><strong>{escape(q.prompt)}</strong></p><dl>"
                     f"<dt>Answer</dt><dd>{escape(answer_text(q))}</dd>"
                     f"<dt>Explanation</dt><dd>{escape(q.explanation)}</dd>"
                     f"<dt>Question</dt><dd><code>{escape(q.id)}</code>, {q.type}, chapter {escape(chapter)}, "
                     f"{escape(objective)}: {escape(statement)}</dd></dl></li>")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Answer key: {escape(title)}</title><style>body{{font-family:sans-serif;max-width:48rem;"
            "margin:2rem auto;line-height:1.5}}dt{{font-weight:bold}}li{{margin-bottom:1.2rem}}</style></head><body>"
            f"<h1>Answer key: {escape(title)}</h1><p>For the instructor only.</p><ol>{''.join(items)}</ol></body></html>\n")


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


def make_assignment(banks_dir: Path, chapters: str, count: int | None, seed: int, out: Path,
                    title: str | None = None) -> dict:
    import nbformat

    from .exports import to_gift, to_qti

    banks = load_banks(select_banks(banks_dir, chapters))
    questions = choose_questions(banks, count, seed)
    numbers = "-".join(str(int(b.chapter[:2])) for b in banks if not b.chapter[2].isalpha())
    assignment_id = f"assignment-{numbers or 'mixed'}-n{len(questions)}-s{seed}"
    title = title or f"Assignment: chapters {chapters} ({len(questions)} questions)"
    manifest = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "id": assignment_id,
                "course": banks[0].course, "title": title, "chapters": [b.chapter for b in banks], "seed": seed,
                "questions": [student_view(q) for q in questions]}
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


def cmd_assign(args) -> int:
    if args.count is not None and args.count < 1:
        print("error: --count must be at least 1", file=sys.stderr)
        return 1
    if Path(args.out).exists() and not Path(args.out).is_dir():
        print(f"error: --out {args.out} is a file; give a folder", file=sys.stderr)
        return 1
    try:
        made = make_assignment(Path(args.banks), args.chapters, args.count, args.seed, Path(args.out), args.title)
    except BankError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for fmt, left in (("GIFT", made["gift_left_out"]), ("QTI", made["qti_left_out"])):
        for qid, reason in left:
            print(f"left out of {fmt}: {qid}: {reason}")
    print(f"{made['id']}: {made['questions']} questions\n"
          f"  give students: {made['student']}/ (assignment.ipynb, assignment.json)\n"
          f"  keep:          {made['instructor']}/ (key.md, key.html, assignment.gift, assignment-qti.zip)\n"
          f"  grade with:    coursekit grade SUBMISSIONS --assignment {made['student']}/assignment.json --out gradebook.csv")
    return 0


def register(subparsers) -> None:
    assign = subparsers.add_parser("assign", help="make an assessment-mode assignment from the banks, with its key")
    assign.add_argument("--chapters", required=True, help="chapter numbers, e.g. 2,5 (a chapter includes its sections)")
    assign.add_argument("--count", type=int, default=None, help="how many questions to draw (default: all)")
    assign.add_argument("--seed", type=int, default=0, help="the draw's seed: the same seed gives the same assignment")
    assign.add_argument("--title", default=None, help="the assignment's title")
    assign.add_argument("--banks", default="chapters", metavar="DIR", help="question banks (default: chapters)")
    assign.add_argument("--out", required=True, metavar="DIR")
    assign.set_defaults(run=cmd_assign)


__all__ = ["Assignment", "make_assignment", "assignment_bank", "register"]
