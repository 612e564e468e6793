"""Grades for an LMS: `coursekit grade --format canvas|moodle --roster roster.csv`.

One column per chapter or assignment (its points: the sum of the question scores), one row
per student of the roster, matched by identifier (a student number or e-mail, as the
students typed it beside their name) and otherwise by name when exactly one roster entry
has it. A student who handed in work but is not in the roster is never dropped: the
command lists them, and their row is kept at the end of the file with the identifier
fields blank, which both importers skip or ask about instead of failing.

Canvas (its gradebook importer, lib/gradebook_importer.rb): the header must start
`Student, ID, SIS User ID, SIS Login ID, Section`; a row whose first cell is
"Points Possible" gives each column's maximum; students are matched by Canvas's ID, then
SIS User ID, then SIS Login ID, then name. The roster's `identifier` goes into SIS User ID.

Moodle (grade/import/csv): any header; in the import form the instructor maps the
identifier column to "ID number" or "Email address" and each grade column to a grade
item. A row with a blank identifier is skipped; an identifier Moodle does not know stops
the whole import, which is why students missing from the roster get a blank one.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError, echo, printable
from .gradebook import ColumnGroup, Row, neutralise, number
from .model import Bank
from .submission import StudentIndex, id_key

FORMATS = ("canvas", "moodle")
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MAX_ROSTER_BYTES = 5 * 1024 * 1024
ROSTER_COLUMNS = ("name", "identifier")  # required; canvas_id, sis_login_id and section are optional


@dataclass(frozen=True)
class RosterEntry:
    name: str
    identifier: str
    canvas_id: str = ""
    sis_login_id: str = ""
    section: str = ""


def read_roster(path: str | Path) -> list[RosterEntry]:
    """The class list, checked: one line names the first problem."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise UsageError(f"{printable(path, 120)}: a roster may be at most {MAX_ROSTER_BYTES} bytes")
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{printable(path, 120)}: no such roster file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{printable(path, 120)}: cannot read the roster (save it as UTF-8 CSV): {exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    missing = [c for c in ROSTER_COLUMNS if c not in fields]
    if missing:
        raise UsageError(f"{printable(path, 120)}: the roster needs the columns name and identifier "
                         f"(missing: {', '.join(missing)})")
    entries, seen = [], {}
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        if not row["name"] or not row["identifier"]:
            raise UsageError(f"{printable(path, 120)}:{line}: every student needs a name and an identifier")
        key = id_key(row["identifier"])
        if key in seen:
            raise UsageError(f"{printable(path, 120)}:{line}: identifier {echo(row['identifier'])} "
                             f"is also on line {seen[key]}")
        seen[key] = line
        entries.append(RosterEntry(row["name"], row["identifier"], row.get("canvas_id", ""),
                                   row.get("sis_login_id", ""), row.get("section", "")))
    if not entries:
        raise UsageError(f"{printable(path, 120)}: the roster lists no students")
    return entries


def match_students(rows: dict[str, Row], roster: list[RosterEntry]) -> tuple[dict[int, Row], list[Row]]:
    """Roster index -> the student's row, and the rows no roster entry claims (submission.StudentIndex's rule)."""
    index = StudentIndex()
    for i, entry in enumerate(roster):
        index.add(i, entry.name, entry.identifier)
    matched, unmatched = {}, []
    for row in rows.values():
        found = index.find(row.student, row.student_id)
        if found is None or found in matched:
            unmatched.append(row)
        else:
            matched[found] = row
    return matched, unmatched


@dataclass(frozen=True)
class GradeColumn:
    """One grade item in the LMS: a chapter's quiz, an assignment, or every variant of one."""
    title: str
    chapters: tuple[str, ...]  # the banks whose points go into it (a student hands in one of them)
    possible: int


def grade_columns(banks: list[Bank], rows: dict[str, Row], number_of,
                  groups: tuple[ColumnGroup, ...] = ()) -> list[GradeColumn]:
    """The chapters and assignments someone handed in, in course order: one column each, the
    variants of one assignment (assign --roster) together in one."""
    used = {c for row in rows.values() for c in row.chapters}
    group_of = {chapter: g for g in groups for chapter in g.chapters}
    by_chapter = {b.chapter: b for b in banks}
    columns, placed = [], set()
    for bank in banks:
        if bank.chapter not in used:
            continue
        group = group_of.get(bank.chapter)
        if group is None:
            columns.append(GradeColumn(column_title(bank, number_of), (bank.chapter,), len(bank.questions)))
        elif group.name not in placed:
            placed.add(group.name)
            variants = [by_chapter[c] for c in group.chapters if c in by_chapter]
            columns.append(GradeColumn(bank.title, group.chapters, max(len(v.questions) for v in variants)))
    return columns


def column_title(bank: Bank, number_of) -> str:
    """What the LMS calls the column: an assignment's title, or "Quiz 4.1 (04a-joint-exercises)"."""
    if bank.chapter.startswith("assignment-") or number_of(bank.chapter) is None:
        return bank.title
    return f"Quiz {number_of(bank.chapter)} ({bank.chapter})"


def _points(row: Row | None, column: GradeColumn, banks: dict[str, Bank]) -> str:
    handed_in = [c for c in column.chapters if row is not None and c in row.chapters]
    if not handed_in:
        return ""
    return number(sum(row.scores.get((c, q.id), 0.0) for c in handed_in for q in banks[c].questions), 2)


def lms_csv(fmt: str, banks: list[Bank], rows: dict[str, Row], roster: list[RosterEntry],
            number_of, groups: tuple[ColumnGroup, ...] = ()) -> tuple[str, list[Row]]:
    """The file for `fmt` ("canvas" or "moodle") and the students who are not in the roster."""
    if fmt not in FORMATS:
        raise UsageError(f"--format {printable(fmt)}: give one of {', '.join(FORMATS)}")
    columns = grade_columns(banks, rows, number_of, groups)
    by_chapter = {b.chapter: b for b in banks}
    matched, unmatched = match_students(rows, roster)
    titles = [c.title for c in columns]

    def points(row):
        return [_points(row, c, by_chapter) for c in columns]

    table: list[list[str]] = []
    if fmt == "canvas":
        table.append([*CANVAS_STUDENT_COLUMNS, *titles])
        table.append(["Points Possible", "", "", "", "", *[str(c.possible) for c in columns]])
        for i, entry in enumerate(roster):
            table.append([entry.name, entry.canvas_id, entry.identifier, entry.sis_login_id, entry.section,
                          *points(matched.get(i))])
        for row in unmatched:
            table.append([row.student, "", "", "", "", *points(row)])
    else:
        emails = all("@" in e.identifier for e in roster)
        table.append(["Email address" if emails else "ID number", "Full name", *titles])
        for i, entry in enumerate(roster):
            table.append([entry.identifier, entry.name, *points(matched.get(i))])
        for row in unmatched:
            table.append(["", row.student, *points(row)])
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([neutralise(c) for c in line] for line in table)
    return buffer.getvalue(), unmatched


__all__ = ["FORMATS", "GradeColumn", "grade_columns", "RosterEntry", "read_roster", "match_students", "lms_csv", "column_title"]
