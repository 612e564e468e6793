"""The marking pack for exercise answers, and the marks read back into the gradebook.

`coursekit mark SUBMISSIONS --out DIR` (`write_pack`) writes, for every exercise task some
student answered, one page `DIR/<task label>.html`: the task's rubric (read from the exercise
notebook by coursekit/exercises.py), then each student's answer beside a score table with a row
per weighted criterion; `DIR/index.html` lists the pages, and `DIR/marks.csv` is the template to
fill in: one row per student and task, a column per criterion (the level reached, 0 to the
rubric's top level; `n/a` where the criterion is another task's).

`coursekit grade ... --marks marks.csv` (`read_marks`, then `apply_marks`) adds one column per
task to the gradebook: the weighted total out of 100 (a criterion earns its weight x level / top
level). A row that cannot be used is refused by its line and student, one line each, and the
others are used. Rubric marking stays human; the bookkeeping does not.

Every page is standalone (inline CSS, no script, nothing loaded) and every text is escaped:
an answer `<script>…</script>` shows as typed.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from .errors import CourseKitError, printable
from .exercises import Task, answer_id, count_text, exercise_notebooks, load_tasks, scopes, task_of
from .files import write_atomically
from .gradebook import FORMULA_START, SUMMARY_COLUMNS, TASK_SUFFIX, neutralise, number
from .markup import e
from .submission import (
    MAX_SUBMISSION_BYTES,
    Report,
    StudentIndex,
    Submission,
    id_key,
    latest_only,
    load_submissions,
    student_id_problem,
    student_key,
)

MARKS_FILE = "marks.csv"
FIXED_COLUMNS = ("student", "identifier", "task")
COMMENT_COLUMN = "comment"
NOT_APPLICABLE = "n/a"


class MarksError(CourseKitError):
    """A marks file that cannot be read at all (its rows are refused one by one instead)."""


# --- the pack ---------------------------------------------------------------------------------

@dataclass
class Answer:
    student: str
    identifier: str
    texts: list[tuple[str, str]]  # (part name or "", text) in the task's part order
    file: str
    created: str


def collect_answers(subs: list[Submission], tasks: list[Task], report: Report) -> dict[str, list[Answer]]:
    """Task label -> each student's answer (latest file per student and chapter), sorted by name."""
    by_label = {t.label: t for t in tasks}
    found: dict[str, dict[str, Answer]] = {}
    for sub in subs:
        exercises = sub.data.get("exercises", {})
        unknown = sorted(a for a in exercises if task_of(a) not in by_label)
        if unknown:
            report.warn(sub.name, f"{len(unknown)} exercise answer(s) not in the course's exercises: "
                                  + printable(", ".join(unknown), 200))
        for label in dict.fromkeys(task_of(a) for a in exercises if task_of(a) in by_label):
            task = by_label[label]
            ids = task.answer_ids()
            texts = [(task.part_name(aid), exercises.get(aid, "")) for aid in ids]
            stray = [a for a in exercises if task_of(a) == label and a not in ids]
            texts += [(a.split("--", 1)[-1], exercises[a]) for a in stray]  # a part the notebook no longer has
            if not any(t.strip() for _, t in texts):
                continue
            found.setdefault(label, {})[sub.key] = Answer(sub.student, sub.student_id, texts, sub.name,
                                                          sub.data["created"])
    return {label: sorted(by_key.values(), key=lambda a: (student_key(a.student), id_key(a.identifier)))
            for label, by_key in found.items()}


CSS = """
body{font-family:system-ui,sans-serif;line-height:1.45;margin:1.5rem auto;max-width:78rem;padding:0 1rem;color:#111}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.3rem .5rem;vertical-align:top;text-align:left}
.rubric td{font-size:.9rem}.student{border-top:3px solid #333;padding-top:.5rem;margin-top:2rem;break-inside:avoid-page}
.pair{display:grid;grid-template-columns:minmax(0,3fr) minmax(16rem,2fr);gap:1.5rem}
.answer{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #ccc;padding:.6rem;background:#fafafa}
.score td.blank{min-width:5rem}.meta{color:#444;font-size:.9rem}
@media (max-width:50rem){.pair{grid-template-columns:1fr}}
@media print{.pair{grid-template-columns:3fr 2fr}.answer{background:none}}
"""


def _page(title: str, body: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n")


def _level_text(task: Task) -> str:
    return f"0 to {task.rubric.max_level}"


def rubric_table(task: Task) -> str:
    levels = task.rubric.criteria[0].levels
    head = "".join(f'<th scope="col">{e(h)}</th>' for h, _ in levels)
    rows = "".join(
        f'<tr><th scope="row">{e(c.name)}</th><td>{number(c.weight, 2)}</td>'
        + "".join(f"<td>{e(d)}</td>" for _, d in c.levels) + "</tr>"
        for c in task.rubric.criteria)
    return (f'<table class="rubric"><caption>Rubric: {e(task.title)}</caption><thead><tr><th scope="col">Criterion</th>'
            f'<th scope="col">Weight (%)</th>{head}</tr></thead><tbody>{rows}</tbody></table>')


def score_table(task: Task, n: int) -> str:
    rows = "".join(f'<tr><th scope="row">{e(c.name)}</th><td>{number(c.weight, 2)}</td><td class="blank"></td>'
                   f'<td class="blank"></td></tr>' for c in task.rubric.criteria)
    return (f'<table class="score"><caption>Score for student {n}</caption><thead><tr><th scope="col">Criterion</th>'
            f'<th scope="col">Weight</th><th scope="col">Level ({_level_text(task)})</th>'
            f'<th scope="col">Points</th></tr></thead><tbody>{rows}'
            f'<tr><th scope="row" colspan="3">Total (of 100)</th><td class="blank"></td></tr></tbody></table>')


def task_page(task: Task, answers: list[Answer]) -> str:
    expected = ", ".join(
        f"{p or 'answer'}: {count_text(0, task.expected(p or None)).replace('0 of ', '').rstrip('.')}"
        for p in (task.parts or ("",)) if task.expected(p or None))
    body = [f"<h1>{e(task.title)}</h1>",
            f'<p class="meta">Exercise <code>{e(task.label)}</code> of <code>{e(task.stem)}</code>; '
            f"{len(answers)} answer(s). Expected length: {e(expected or 'not given in words')}.</p>",
            rubric_table(task),
            f"<p>Mark each answer by the rubric: write the level reached on each criterion ({_level_text(task)}; "
            f"0 for nothing that meets the lowest level) in <code>{MARKS_FILE}</code>, on the row of the student and "
            f"this task. A criterion earns its weight × level ÷ {task.rubric.max_level}; "
            f"<code>coursekit grade --marks {MARKS_FILE}</code> adds the totals (of 100) to the gradebook.</p>"]
    for n, answer in enumerate(answers, 1):
        who = e(answer.student) + (f" ({e(answer.identifier)})" if answer.identifier else "")
        texts = []
        for part, text in answer.texts:
            words = len(text.split())
            expected_here = task.expected(part or None) if part in task.parts or not part else None
            heading = f"<h3>{e(part)}</h3>" if part else ""
            texts.append(f'{heading}<p class="meta">{e(count_text(words, expected_here))}</p>'
                         f'<div class="answer">{e(text) if text.strip() else "<em>(no answer)</em>"}</div>')
        body.append(f'<section class="student" aria-labelledby="s{n}"><h2 id="s{n}">{n}. {who}</h2>'
                    f'<p class="meta">From {e(answer.file)}, exported {e(answer.created)}.</p>'
                    f'<div class="pair"><div>{"".join(texts)}</div><div>{score_table(task, n)}</div></div></section>')
    return _page(f"Marking: {task.title}", "".join(body))


def criteria_columns(tasks: list[Task]) -> list[str]:
    """Every criterion name of `tasks`, once, in task then rubric order."""
    return list(dict.fromkeys(c.name for t in tasks for c in t.rubric.criteria))


def marks_template(tasks: list[Task], answers: dict[str, list[Answer]]) -> str:
    used = [t for t in tasks if t.label in answers]
    columns = criteria_columns(used)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([*FIXED_COLUMNS, *columns, COMMENT_COLUMN])
    for task in used:
        mine = {c.name for c in task.rubric.criteria}
        for a in answers[task.label]:
            writer.writerow([neutralise(a.student), neutralise(a.identifier), task.label,
                             *("" if c in mine else NOT_APPLICABLE for c in columns), ""])
    return buffer.getvalue()


def write_pack(paths, out: Path, root: Path, course_id: str, report: Report, banks_dir: Path | None = None) -> dict:
    """The marking pack for the submissions in `paths`. Returns {"tasks": n, "answers": n, "students": n}."""
    tasks = load_tasks(root)
    if not tasks:
        raise MarksError(f"{root / 'exercises'}: no exercise tasks")
    stems = [nb.stem for nb in exercise_notebooks(root)]
    others = sorted(p.stem for p in banks_dir.glob("*.yml")) if banks_dir and banks_dir.is_dir() else []
    # every chapter is read (a chapter file may carry its exercise answers); exercise stems too (the capstone)
    subs = latest_only(load_submissions(paths, scopes(course_id, dict.fromkeys(stems + others)), report), report)
    answers = collect_answers(subs, tasks, report)
    out.mkdir(parents=True, exist_ok=True)
    links = []
    for task in tasks:
        if task.label not in answers:
            continue
        write_atomically(out / f"{task.label}.html", task_page(task, answers[task.label]).encode("utf-8"))
        links.append(f'<li><a href="{e(task.label)}.html">{e(task.title)}</a> ({len(answers[task.label])} answer(s))</li>')
    index = (f"<h1>Marking pack</h1><p>{len(links)} exercise task(s) answered. Mark on each page, then fill in "
             f"<code>{MARKS_FILE}</code> (the level reached on each criterion) and run "
             f"<code>coursekit grade SUBMISSIONS --marks {MARKS_FILE}</code>.</p><ul>{''.join(links)}</ul>")
    write_atomically(out / "index.html", _page("Marking pack", index).encode("utf-8"))
    write_atomically(out / MARKS_FILE, marks_template(tasks, answers).encode("utf-8-sig"))
    students = {student_key(a.student) for rows in answers.values() for a in rows}
    return {"tasks": len(links), "answers": sum(map(len, answers.values())), "students": len(students)}


# --- marks back into the gradebook ------------------------------------------------------------

@dataclass
class Mark:
    student: str
    identifier: str
    task: str
    levels: dict[str, float]
    total: float  # of 100
    line: int


def _unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def read_marks(path: Path, tasks: list[Task], report: Report) -> list[Mark]:
    """The usable rows of a filled-in marks.csv; every other row is refused by line and student."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MarksError(f"{printable(path, 120)}: cannot read the marks: {exc.strerror or exc}") from None
    if len(raw) > MAX_SUBMISSION_BYTES:
        raise MarksError(f"{printable(path, 120)} is {len(raw):,} bytes; a marks file may be at most {MAX_SUBMISSION_BYTES:,}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MarksError(f"{printable(path, 120)} is not UTF-8: save it as CSV UTF-8") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise MarksError(f"{printable(path, 120)} is empty")
    header = [h.strip() for h in rows[0]]
    by_label = {t.label: t for t in tasks}
    known = set(criteria_columns(tasks))
    missing = [c for c in FIXED_COLUMNS if c not in header]
    if missing:
        raise MarksError(f"{printable(path, 120)}: no column {', '.join(missing)} (the header is student, identifier, "
                         "task, then one column per criterion)")
    strange = [h for h in header if h not in known and h not in FIXED_COLUMNS and h != COMMENT_COLUMN and h]
    if strange:
        raise MarksError(f"{printable(path, 120)}: column(s) {printable(', '.join(strange), 160)} are not criteria of "
                         "any exercise rubric")
    if len(set(header)) != len(header):
        raise MarksError(f"{printable(path, 120)}: a column name appears twice in the header")
    where = {h: i for i, h in enumerate(header)}
    marks, seen = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        def cell(column: str, row=row) -> str:
            return _unneutralise(row[where[column]].strip()) if where[column] < len(row) else ""
        student, ident, label = cell("student"), cell("identifier"), cell("task")

        where_said = f"{printable(path.name, 60)} line {line}"
        whose = f"{printable(student or '(no name)', 60)}, {printable(label or '(no task)', 80)}"

        def refuse(reason: str, name: str = where_said, who: str = whose) -> None:
            report.skip(name, f"{who}: {reason}")
        if len(row) > len(header):
            refuse(f"the row has {len(row)} cells and the header {len(header)}")
            continue
        if not student_key(student):
            refuse("no student name")
            continue
        if ident and (problem := student_id_problem(ident)):
            refuse(problem)
            continue
        task = by_label.get(label)
        if task is None:
            refuse("not an exercise task of this course")
            continue
        mine = {c.name for c in task.rubric.criteria}
        absent = [c.name for c in task.rubric.criteria if c.name not in where]
        if absent:
            refuse(f"no column for {', '.join(absent)}")
            continue
        stray = [h for h in header if h in known and h not in mine and cell(h) and cell(h).lower() != NOT_APPLICABLE]
        if stray:
            refuse(f"{printable(', '.join(stray), 120)} is not a criterion of this task: leave it {NOT_APPLICABLE}")
            continue
        levels, bad = {}, ""
        for c in task.rubric.criteria:
            if not cell(c.name):
                continue
            value = cell(c.name).replace(",", ".")
            try:
                level = float(value)
            except ValueError:
                level = math.nan
            if not (math.isfinite(level) and 0 <= level <= task.rubric.max_level):
                bad = (f"{c.name} is {printable(repr(cell(c.name)), 40)}; a level is a number from 0 to "
                       f"{task.rubric.max_level}")
                break
            levels[c.name] = level
        if bad:
            refuse(bad)
            continue
        blank = [c.name for c in task.rubric.criteria if c.name not in levels]
        if blank:
            refuse(f"not marked yet: {printable(', '.join(blank), 160)} blank")
            continue
        slot = (id_key(ident) if ident else "name:" + student_key(student), label)
        if slot in seen:
            refuse(f"marked twice: line {seen[slot]} already marks this student's answer to this task")
            continue
        seen[slot] = line
        marks.append(Mark(" ".join(student.split()), ident, label, levels, task.rubric.total(levels), line))
    return marks


def task_column(label: str) -> str:
    return f"{label}{TASK_SUFFIX}"


def apply_marks(header: list[str], table: list[list[str]], marks: list[Mark], tasks: list[Task]) -> tuple[list[str], list[list[str]]]:
    """The gradebook with one column per marked task (its weighted total of 100), before the
    summary columns; a marked student with no row gets one. Students are matched by identifier
    when both sides give one, else by name (as coursekit grade matches them)."""
    labels = [t.label for t in tasks if any(m.task == t.label for m in marks)]
    if not labels:
        return header, table
    header, table = list(header), [list(r) for r in table]
    if any(m.identifier for m in marks) and "student_id" not in header:
        header.insert(1, "student_id")
        for r in table:
            r.insert(1, "")
    sid = header.index("student_id") if "student_id" in header else None
    at = header.index(SUMMARY_COLUMNS[0])
    index = StudentIndex()
    for n, r in enumerate(table):
        index.add(n, r[0], r[sid] if sid is not None else "")
    marked: dict[int, dict[str, str]] = {}
    for m in marks:
        n = index.find(m.student, m.identifier)
        if n is None:  # marked, but graded nothing: a row of its own
            table.append([m.student, *([m.identifier] if sid is not None else []),
                          *[""] * (len(header) - 1 - (sid is not None))])
            n = len(table) - 1
            index.add(n, m.student, m.identifier)
        marked.setdefault(n, {})[m.task] = number(m.total, 2)
    header[at:at] = [task_column(label) for label in labels]
    for n, r in enumerate(table):
        cells = marked.get(n, {})
        r[at:at] = [cells.get(label, "") for label in labels]
    table.sort(key=lambda r: student_key(r[0]))
    return header, table


# --- the commands (the CLI wires them) --------------------------------------------------------

def cmd_mark(args) -> int:
    """coursekit mark SUBMISSIONS [--out DIR] [--banks DIR]: the marking pack."""
    from .course import load_course
    from .errors import UsageError

    course = load_course(Path(args.banks) if getattr(args, "banks", None) else None)
    root = course.root or Path.cwd()
    out = Path(args.out) if args.out else root / "private" / "marking"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {printable(out, 120)} is a file; give a folder")
    report = Report()
    made = write_pack(args.submissions, out, root, course.id, report, course.banks_dir)
    report.summary(made["answers"], f"answer(s) to {made['tasks']} task(s) put in the pack")
    if not made["answers"]:
        print(f"no exercise answer in the submissions; wrote an empty pack to {out}")
        return 1
    print(f"wrote {out}: {made['tasks']} task page(s), {made['answers']} answer(s) of {made['students']} student(s), "
          f"and {out / MARKS_FILE} to fill in")
    return 0


def add_marks_to_gradebook(args, header, rows, report: Report):
    """For cmd_grade: with --marks, the gradebook with the marked tasks' columns."""
    from .course import load_course

    if not getattr(args, "marks", None):
        return header, rows
    course = load_course(Path(args.banks) if getattr(args, "banks", None) else None)
    tasks = load_tasks(course.root or Path.cwd())
    marks = read_marks(Path(args.marks), tasks, report)
    print(f"read {len(marks)} marked answer(s) from {printable(args.marks, 120)}")
    return apply_marks(header, rows, marks, tasks)


__all__ = ["write_pack", "read_marks", "apply_marks", "task_page", "marks_template", "collect_answers", "cmd_mark",
           "add_marks_to_gradebook", "Mark", "MarksError", "answer_id"]
