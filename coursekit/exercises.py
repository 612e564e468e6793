"""Exercise tasks: what a notebook calls (`exercise = Exercise("05-...")`, then
`exercise.answer("ex-05-...-label")` in one code cell per task), and the one place where a
task's text is read: its title, its expected length ("An essay of 700-900 words", "250 to 350
words", "1,500 to 2,000 words") and its rubric table (Criterion | Weight (%) | Excellent (4) | ...).

The exercise notebook is its own source: `read_tasks(path)` reads the ```{exercise}``` blocks
of its markdown cells, `answer_boxes(path)` the answer cells of its code cells. The marking pack
(marking.py), the book's script (through the static HTML's data- attributes), the widget and the
tests all take the expected length and the rubric from here.

An answer's id is the task's label (`ex-05-...-minustah`); a task answered in several parts (the
capstone's position paper, log and policy brief) gives each part the id `<label>--<part>`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import ui
from .errors import CourseKitError
from .ui import _

MAX_EXERCISE_CHARS = 100_000  # one exercise answer (schema maxLength; coursekit.js copies it)
PART_SEPARATOR = "--"  # <label>--<part>: an answer to one part of a task
# Control characters an answer may not hold: C0 except tab, line feed and carriage return,
# DEL and C1 (the schema's pattern and coursekit.js's are the same class).
ANSWER_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ANSWER_CONTROL_JS = r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]"

_EXERCISE = re.compile(r"^```\{exercise\}[ \t]*(?P<title>.*?)\s*$(?P<body>.*?)^```\s*$", re.M | re.S)
_LABEL = re.compile(r"^:label:\s*(\S+)\s*$", re.M)
# The length paragraph's label and its words, in each edition's language (the translators of
# locales/ write these exact labels; tests/test_exercises.py reads every translated task).
EXPECTED_LABELS = ("Expected length(?: or output)?", "Extensión o producto esperado", "Extensão ou produto esperado")
WORDS = "words|palabras|palavras"
_EXPECTED = re.compile(rf"\*\*(?:{'|'.join(EXPECTED_LABELS)})\.?\*\*\.?(?P<text>.*?)(?:\n\s*\n|\Z)", re.S)
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_RANGE = re.compile(rf"(?P<lo>{_NUMBER})\s*(?:-|–|—|to|a|e)\s*(?P<hi>{_NUMBER})\s+(?:{WORDS})", re.I)
_SINGLE = re.compile(rf"(?<![\d,])(?P<n>{_NUMBER})\s+(?:{WORDS})", re.I)
_ROLE = re.compile(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`")  # {term}`X`, {cite:t}`key`, {doc}`t <p>`
_ANSWER_CALL = re.compile(r"""\.answer\(\s*(?P<q>["'])(?P<label>[a-z0-9-]+)(?P=q)"""
                          r"""(?:\s*,\s*part\s*=\s*(?P<q2>["'])(?P<part>(?:(?!(?P=q2)).)+)(?P=q2))?\s*\)""")
_PLACEHOLDER = re.compile(r"^\s*\*?(?:Write your answer here\.|Your (?P<part>[^:*]+):)\*?\s*$")


class ExerciseError(CourseKitError, ValueError):
    """An exercise notebook whose task text cannot be read (a rubric, a label)."""


def plain(text: str) -> str:
    """Markdown text as a reader sees it: roles reduced to their text, emphasis marks dropped."""
    text = _ROLE.sub(lambda m: m.group(1), text)
    return re.sub(r"(\*\*|\*|`)", "", text).strip()


def part_slug(part: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", part.lower().replace("'", "")).strip("-")


def answer_id(label: str, part: str | None = None) -> str:
    return label if not part else f"{label}{PART_SEPARATOR}{part_slug(part)}"


def task_of(aid: str) -> str:
    """The task label an answer id belongs to."""
    return aid.split(PART_SEPARATOR, 1)[0]


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def expected_words(text: str, part: str | None = None) -> tuple[int, int] | None:
    """(low, high) words from a task's "Expected length or output." paragraph (or from `text`
    itself when it has none); for a part, from the clause (between semicolons) that names it.
    None when no length in words is given (or several, and no part says which)."""
    found = _EXPECTED.search(text)
    para = " ".join((found.group("text") if found else text).split())
    if part:
        words = part.lower().replace("'", "").split()
        clauses = [c for c in para.split(";") if all(w in c.lower().replace("'", "") for w in words)]
        if len(clauses) != 1:
            return None
        para = clauses[0]
    ranges = [(_int(m.group("lo")), _int(m.group("hi"))) for m in _RANGE.finditer(para)]
    if not ranges:
        ranges = [(_int(m.group("n")),) * 2 for m in _SINGLE.finditer(para)]
    if len(ranges) != 1 or ranges[0][0] > ranges[0][1]:
        return None
    return ranges[0]


def count_text(words: int, expected: tuple[int, int] | None) -> str:
    """"412 of 700-900 words.": the word count against the expected length (coursekit.js says the same)."""
    if not expected:
        return _("{count} words.", count=words)
    lo, hi = expected
    return _("{count} of {range} words.", count=words, range=lo if lo == hi else f"{lo}-{hi}")


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float  # per cent of the task's mark
    levels: tuple[tuple[str, str], ...]  # ((level heading, descriptor), ...) as the table gives them


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    max_level: int  # the top level ("Excellent (4)"): a criterion earns weight x level / max_level

    def total(self, levels: dict[str, float]) -> float:
        """The task's mark out of 100 from the level reached on each criterion."""
        return sum(c.weight * levels[c.name] / self.max_level for c in self.criteria)


RUBRIC_WEIGHT = ("Weight", "Peso", "Ponderación")  # the rubric's second column, in each edition's language


def _is_rubric_header(line: str) -> bool:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return line.startswith("|") and len(cells) >= 2 and re.match(rf"(?:{'|'.join(RUBRIC_WEIGHT)})\b", cells[1]) is not None


def parse_rubric(text: str, where: str = "") -> Rubric:
    """The rubric table of one task: header `| Criterion | Weight (%) | Excellent (4) | ... |`,
    a row per criterion with its weight. The weights must sum to 100. The table is found by its
    weight column (RUBRIC_WEIGHT), so a translated rubric ("| Criterio | Peso (%) | Excelente (4) |")
    reads alike."""
    lines = [ln.strip() for ln in text.splitlines()]
    start = next((i for i, ln in enumerate(lines) if _is_rubric_header(ln)), None)
    if start is None:
        raise ExerciseError(f"{where}: no rubric table (a header | Criterion | Weight (%) | ...)")
    cells = lambda ln: [c.strip() for c in ln.strip().strip("|").split("|")]  # noqa: E731
    header = cells(lines[start])
    levels = []
    for heading in header[2:]:
        m = re.search(r"\((\d+)\)\s*$", heading)
        if not m:
            raise ExerciseError(f"{where}: rubric column {heading!r} gives no level number, such as (4)")
        levels.append((heading, int(m.group(1))))
    if not levels:
        raise ExerciseError(f"{where}: the rubric has no level columns")
    criteria = []
    for ln in lines[start + 2:]:
        if not ln.startswith("|"):
            break
        row = cells(ln)
        name = plain(row[0])
        try:
            weight = float(row[1].rstrip("%").strip())
        except (ValueError, IndexError):
            raise ExerciseError(f"{where}: rubric criterion {name!r} has no numeric weight") from None
        if weight <= 0 or len(row) != len(header):
            raise ExerciseError(f"{where}: rubric criterion {name!r} needs a positive weight and "
                                f"{len(header)} cells, not {len(row)}")
        criteria.append(Criterion(name, weight, tuple((h, plain(d)) for (h, _), d in zip(levels, row[2:]))))
    if not criteria:
        raise ExerciseError(f"{where}: the rubric table has no criteria")
    if len({c.name for c in criteria}) != len(criteria):
        raise ExerciseError(f"{where}: two rubric criteria have the same name")
    total = sum(c.weight for c in criteria)
    if abs(total - 100) > 1e-9:
        raise ExerciseError(f"{where}: the rubric weights sum to {total:g}, not 100")
    return Rubric(tuple(criteria), max(n for _, n in levels))


@dataclass(frozen=True)
class Task:
    label: str
    title: str
    stem: str  # the exercise notebook's stem, which is its chapter's (or "capstone")
    text: str  # the exercise block's markdown
    rubric: Rubric
    parts: tuple[str, ...] = field(default=())  # part names, from the notebook's answer cells

    def expected(self, part: str | None = None) -> tuple[int, int] | None:
        return expected_words(self.text, part)

    def answer_ids(self) -> list[str]:
        return [answer_id(self.label, p) for p in self.parts] if self.parts else [self.label]

    def part_name(self, aid: str) -> str:
        for p in self.parts:
            if answer_id(self.label, p) == aid:
                return p
        return ""


def _markdown_and_code(path: Path) -> tuple[list[str], list[str]]:
    try:
        nb = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ExerciseError(f"{path}: cannot read the notebook: {exc}") from None
    source = lambda c: "".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")  # noqa: E731
    md = [source(c) for c in nb.get("cells", []) if c.get("cell_type") == "markdown"]
    code = [source(c) for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    return md, code


def answer_boxes(path: Path) -> list[tuple[str, str | None]]:
    """(label, part) of every answer cell of an exercise notebook, in order."""
    _, code = _markdown_and_code(path)
    return [(m.group("label"), m.group("part")) for src in code for m in _ANSWER_CALL.finditer(src)]


def read_tasks(path: Path) -> list[Task]:
    """Every task of an exercise notebook, in order, with its rubric and answer parts."""
    path = Path(path)
    md, _ = _markdown_and_code(path)
    parts: dict[str, list[str]] = {}
    for label, part in answer_boxes(path):
        if part:
            parts.setdefault(label, []).append(part)
    tasks = []
    for cell in md:
        for block in _EXERCISE.finditer(cell):
            label = _LABEL.search(block.group("body"))
            if not label:
                raise ExerciseError(f"{path.name}: the exercise {block.group('title')!r} has no :label:")
            body = block.group("body")
            tasks.append(Task(label.group(1), plain(block.group("title")), path.stem, body,
                              parse_rubric(body, f"{path.name}: {label.group(1)}"),
                              tuple(parts.get(label.group(1), ()))))
    return tasks


def exercise_notebooks(root: Path) -> list[Path]:
    return sorted(Path(root, "exercises").glob("*.ipynb"))


def load_tasks(root: Path) -> list[Task]:
    """Every task of the course (exercises/*.ipynb under `root`), in file then task order."""
    return [t for nb in exercise_notebooks(root) for t in read_tasks(nb)]


# --- adding the answer cells (tools and tests use it; nothing runs it at build time) ---------

SETUP_SOURCE = 'from coursekit.exercises import Exercise\n\nexercise = Exercise("{stem}")'


def answer_cell_sources(path: Path) -> list[tuple[int, str]]:
    """Where each answer cell goes in an exercise notebook: (index of the markdown cell it
    follows, its source). After each placeholder ("*Write your answer here.*", "Your
    interpretation:", "*Your position paper:*") of a task; a task with several placeholders is
    answered in parts named by them."""
    nb = json.loads(Path(path).read_text("utf-8"))
    places: list[tuple[int, str, str | None]] = []
    current = None
    for i, cell in enumerate(nb["cells"]):
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] != "markdown":
            continue
        label = _LABEL.search(src) if "{exercise}" in src else None
        if label:
            current = label.group(1)
            continue
        m = _PLACEHOLDER.match(src)
        if m and current:
            places.append((i, current, m.group("part")))
    counts: dict[str, int] = {}
    for _index, label, _part in places:
        counts[label] = counts.get(label, 0) + 1
    out = []
    for i, label, part in places:
        named = part.strip().capitalize() if part and counts[label] > 1 else None
        call = f'exercise.answer("{label}"' + (f', part="{named}"' if named else "") + ")"
        out.append((i, call))
    return out


# --- what a notebook calls -----------------------------------------------------------------

class Exercise:
    """`exercise = Exercise("05-...")` in an exercise notebook (run in exercises/), then
    `exercise.answer(label)` for each task and `exercise.export_panel()` at the end."""

    def __init__(self, stem: str, *, directory: str | Path = ".", store=None):
        from .course import load_course

        self.directory = Path(directory)
        self.course = load_course(directory)
        ui.use_course(self.course)  # a translated edition's exercise speaks its language
        self.stem = stem
        self.tasks = {t.label: t for t in read_tasks(self.directory / f"{stem}.ipynb")}
        self._store = store

    @property
    def store(self):
        if self._store is None:
            from .progress import ProgressStore

            self._store = ProgressStore()
        return self._store

    def task(self, label: str) -> Task:
        if label not in self.tasks:
            raise ExerciseError(f"{self.stem}: no exercise labelled {label!r}; the tasks are "
                                + ", ".join(self.tasks))
        return self.tasks[label]

    def answer(self, label: str, part: str | None = None):
        from .chapter import _Display
        from .static_view import render_answer_box

        task = self.task(label)
        expected = task.expected(part)
        html = render_answer_box(self.course.id, self.stem, task, part, expected)
        text = (_("Answer box: {title} ({part})", title=task.title, part=part) if part
                else _("Answer box: {title}", title=task.title))

        def widget():
            from .widgets import AnswerWidget

            return AnswerWidget(self.course.id, self.stem, task, part, expected, self.store)
        return _Display(html, text, widget)

    def export_panel(self):
        from .chapter import _Display
        from .static_view import render_work_panel

        def widget():
            from .widgets import ExportWidget

            return ExportWidget(_Scope(self.course.id, self.stem), self.store, "practice", str(self.directory))
        return _Display(render_work_panel(self.course.id, self.stem, clear=False),
                        _("Export your work: your answers to these exercises, in a submission file"), widget)


@dataclass(frozen=True)
class _Scope:
    """What the export widget and the submission reader need of a bank: its course and chapter."""

    course: str
    chapter: str
    questions: tuple = ()
    discussions: tuple = ()


def scopes(course: str, stems) -> list[_Scope]:
    return [_Scope(course, s) for s in stems]


__all__ = ["Exercise", "Task", "Rubric", "Criterion", "read_tasks", "load_tasks", "answer_boxes", "parse_rubric",
           "expected_words", "count_text", "answer_id", "task_of", "MAX_EXERCISE_CHARS", "ANSWER_CONTROL",
           "ExerciseError", "answer_cell_sources", "scopes"]
