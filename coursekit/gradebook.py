"""The gradebook: every kept submission scored with grading.grade (the one grader), one CSV
row per student. Reading the files (and refusing bad ones) is coursekit/submission.py."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .errors import printable
from .grading import grade
from .model import Bank
from .submission import Report, Submission, student_key

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SUMMARY_COLUMNS = ("total", "max", "percent", "chapters", "files")
IDENTITY_COLUMNS = ("student", "student_id")  # the header's columns that are not questions: these and SUMMARY_COLUMNS
# A marked exercise task's column (coursekit/marking.py): "<task label> (of 100)", before the summary
# columns; no question id can end so (ids are [a-z0-9-]), and total/max/percent stay the quiz's.
TASK_SUFFIX = " (of 100)"


def question_columns(header: list[str]) -> int:
    """How many of a gradebook header's columns are questions."""
    return sum(1 for c in header if c not in IDENTITY_COLUMNS and c not in SUMMARY_COLUMNS
               and not c.endswith(TASK_SUFFIX))


def task_columns(header: list[str]) -> int:
    """How many of a gradebook header's columns are marked exercise tasks."""
    return sum(1 for c in header if c.endswith(TASK_SUFFIX))


def _safe(text, limit: int = 120) -> str:
    """A file or student name fit for a terminal line (see errors.printable)."""
    return printable(text, limit)


# --- grade -----------------------------------------------------------------------------

def neutralise(cell) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def number(value: float, places: int = 4) -> str:
    text = f"{round(value, places):.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass
class Row:
    student: str
    student_id: str = ""
    chapters: list[str] = field(default_factory=list)
    scores: dict[tuple[str, str], float] = field(default_factory=dict)  # (chapter, question id) -> score
    files: list[str] = field(default_factory=list)


def student_rows(subs: list[Submission], banks: list[Bank], report: Report) -> dict[str, Row]:
    """Every student's scores, keyed as submission.student_key/id_key match them. Ids the
    chapter does not know are reported, not graded. The CSV gradebook and the LMS files
    (lms_grades.py) are both made from these rows."""
    by_chapter = {b.chapter: b for b in banks}
    owner = {q.id: b.chapter for b in banks for q in b.questions}
    rows: dict[str, Row] = {}
    for sub in subs:  # oldest first, so the display name is the latest one given
        bank = by_chapter[sub.chapter]
        answers = sub.data["answers"]
        known = {q.id for q in bank.questions}
        unknown = [qid for qid in answers if qid not in known]
        if unknown:
            named = [f"{qid} (a question of {owner[qid]})" if qid in owner else qid for qid in unknown]
            report.warn(sub.name, f"{len(unknown)} answer(s) not graded, unknown question id(s) for "
                                  f"{sub.chapter}: " + ", ".join(_safe(n, 80) for n in named))
        row = rows.setdefault(sub.key, Row(sub.student))
        row.student = sub.student
        row.student_id = sub.student_id or row.student_id  # the latest one given
        row.chapters.append(sub.chapter)
        if sub.name not in row.files:  # a file of every chapter is listed once
            row.files.append(sub.name)
        for question in bank.questions:
            row.scores[(sub.chapter, question.id)] = grade(question, answers.get(question.id)).score
    return rows


@dataclass(frozen=True)
class ColumnGroup:
    """Banks graded as one assignment: the variants of `coursekit assign --roster` (assign.assignment_banks).
    The gradebook gives the group one column per question id, whichever variant drew it, in
    `questions`' order; each row's max is still the sum over what that student handed in."""
    name: str
    chapters: tuple[str, ...]
    questions: tuple[str, ...]


def build_gradebook(subs: list[Submission], banks: list[Bank], report: Report,
                    groups: tuple[ColumnGroup, ...] = ()) -> tuple[list[str], list[list[str]]]:
    """(header, rows) for the kept submissions: one row per student, a column per question
    (per question id of a group, see ColumnGroup)."""
    rows = student_rows(subs, banks, report)
    chapters_used = {c for row in rows.values() for c in row.chapters}
    return _table(rows, banks, chapters_used, groups, report)


def _table(rows: dict[str, Row], banks: list[Bank], chapters_used: set[str],
           groups: tuple[ColumnGroup, ...], report: Report) -> tuple[list[str], list[list[str]]]:
    """The header and the rows; without groups every bank's questions are its own columns."""
    by_chapter = {b.chapter: b for b in banks}
    group_of = {chapter: g for g in groups for chapter in g.chapters}
    columns: list[tuple[str, str]] = []
    for bank in banks:
        if bank.chapter not in chapters_used:
            continue
        group = group_of.get(bank.chapter)
        if group is None:
            columns += [(bank.chapter, q.id) for q in bank.questions]
        elif (group.name, None) not in columns:  # the group's place: where its first handed-in variant is
            columns.append((group.name, None))
    used_ids = {(group_of[c].name, q.id) for c in chapters_used if c in group_of for q in by_chapter[c].questions}
    expanded: list[tuple[str, str]] = []
    for name, qid in columns:
        if qid is not None:
            expanded.append((name, qid))
        else:
            group = next(g for g in groups if g.name == name)
            expanded += [(name, q) for q in group.questions if (name, q) in used_ids]
    course_order = [b.chapter for b in banks]
    with_ids = any(row.student_id for row in rows.values())
    header = ["student", *(["student_id"] if with_ids else []), *column_names(expanded), *SUMMARY_COLUMNS]
    table = []
    for key in sorted(rows, key=lambda k: (student_key(rows[k].student), k)):
        row = rows[key]
        scores: dict[tuple[str, str], float] = {}
        for (chapter, qid), score in row.scores.items():
            scores[(group_of[chapter].name if chapter in group_of else chapter, qid)] = score
        handed = [group_of[c].name for c in row.chapters if c in group_of]
        for name in sorted({n for n in handed if handed.count(n) > 1}):
            report.warn(_safe(row.student, 80), f"handed in more than one variant of {name}: a question both drew "
                                                "shows the later score; max and total count every variant")
        total = sum(row.scores.values())
        maximum = sum(len(by_chapter[c].questions) for c in row.chapters)
        cells = [row.student, *([row.student_id] if with_ids else [])]
        cells += [number(scores[column]) if column in scores else "" for column in expanded]
        cells += [number(total), str(maximum), number(100 * total / maximum, 1) if maximum else "",
                  "; ".join(sorted(row.chapters, key=course_order.index)), "; ".join(row.files)]
        table.append(cells)
    return header, table


def column_names(columns: list[tuple[str, str]]) -> list[str]:
    """A column is named by its question id; where two assignments drew the same question,
    both columns are named chapter/id, so that no name appears twice and no score overwrites another."""
    count: dict[str, int] = {}
    for _, qid in columns:
        count[qid] = count.get(qid, 0) + 1
    return [qid if count[qid] == 1 else f"{chapter}/{qid}" for chapter, qid in columns]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """The gradebook as CSV text (quoted by Python's csv module, CRLF line ends); every cell
    neutralised so that a spreadsheet shows it as text."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in header])
    writer.writerows([neutralise(c) for c in row] for row in rows)
    return buffer.getvalue()


__all__ = ["question_columns", "task_columns", "TASK_SUFFIX", "ColumnGroup",
           "SUMMARY_COLUMNS", "student_rows", "Row", "build_gradebook", "csv_text", "neutralise",
           "number", "FORMULA_START"]
