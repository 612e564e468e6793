"""Import my work: an exported submission file (one chapter, or every chapter) restored into
the progress file on this computer (Jupyter). static/coursekit.js applies the same rules to the
browser's storage on the book's My work page, with the same messages (IMPORT_MESSAGES, which
the script copies; tests/test_js_constants.py compares them).

The rules, which never lose text:

- A file is refused whole when it cannot be read as a submission (too large, not JSON, another
  format, a broken schema), when it is for another course, or when its format version is newer
  than this coursekit reads.
- A chapter this course does not have is refused, and so is an answer or response to a question
  or prompt the chapter does not have; the rest of the file is still imported.
- An answer is restored where there is none here; one that differs from the answer here is not
  used (the answer here is kept, and the message says so).
- A response is restored where there is none here (or it is empty), and where the file's text
  continues the text here (it starts with it: nothing here is lost). Any other difference keeps
  the text here, and the message says why: it is newer (saved after the file was exported),
  longer, or simply different. To take the file's text instead, the student clears the text
  here and imports again.
- An exercise answer (the file's `exercises`, answer id -> text) is restored by the same rules
  as a response, and counted with the responses; its label in the messages is the task's title
  (with the part, for a task answered in parts), as on the My work page. The ids known are the
  tasks of the course's exercise notebooks (exercises/*.ipynb, read by coursekit/exercises.py):
  a notebook joins the chapter of its stem, or is a chapter of its own (the capstone), which has
  exercise answers only. An exercise answer to a task the course does not have is refused by id,
  with the answers and responses refused.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .errors import SubmissionError, printable
from .exercises import ExerciseError, Task, exercise_notebooks, read_tasks
from .model import Bank
from .progress import ProgressStore
from .submission import (
    MAX_SUBMISSION_BYTES,
    READABLE_VERSIONS,
    SUBMISSION_FORMAT,
    chapter_parts,
    parse_submission,
)
from .ui import _

# Every message an import can give, in Jupyter and in the book (coursekit.js copies them).
IMPORT_MESSAGES = {
    "too_large": "Not imported: {file} is {size} bytes; an exported file is at most {limit} bytes.",
    "unreadable": "Not imported: {file} is not a coursekit file of exported work ({reason}).",
    "newer": "Not imported: {file} was made by a newer coursekit (format version {version}); this one reads "
             "versions {versions}. Export your work again from the same course, or update coursekit.",
    "other_course": "Not imported: {file} is for another course ({course}), not this one ({expected}).",
    "restored": "Imported {file}: restored {answers} answer(s) and {responses} response(s) in {chapters} chapter(s).",
    "nothing_new": "Imported {file}: nothing new; everything in it is already here.",
    "unchanged": "Already here and the same: {count} answer(s) or response(s).",
    "kept_answers": "Kept your answers here to {count} question(s) in {chapter}, which differ from the file's: {ids}.",
    "kept_newer": "Kept your newer text for {prompt} in {chapter}: yours was saved {saved}, after the file was "
                  "exported ({created}). The file's text was not used.",
    "kept_longer": "Kept your text for {prompt} in {chapter}: it is longer than the file's, which was not used.",
    "kept_different": "Kept your text for {prompt} in {chapter}: it differs from the file's, which was not used.",
    "kept_hint": "To take a file's text instead of yours, clear yours here (Clear my answers on the chapter's page) "
                 "and import the file again.",
    "unknown_chapter": "Not imported: {chapter} is not a chapter of this course.",
    "unknown_ids": "Not imported: {count} answer(s) or response(s) in {chapter} to questions this course does not "
                   "have: {ids}.",
    "identity": "Filled in your name (and student identifier, when the file has one) from the file: they were "
                "empty here.",
}

_VERSION = re.compile(r"submission version (\d+) is not supported")


def message(name: str, **values) -> str:
    """One import message in the reader's language (coursekit/ui.py), with every value made
    printable (file names and ids come from outside): translated first, then filled."""
    return _(IMPORT_MESSAGES[name]).format(**{k: printable(str(v), 120) for k, v in values.items()})


def versions_list() -> str:
    *first, last = READABLE_VERSIONS
    return _("{list} and {last}", list=", ".join(map(str, first)), last=last) if first else str(last)


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except (AttributeError, ValueError):
        return None


def _canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _list(ids: list[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return _("{ids} and {count} more", ids=shown, count=len(ids) - limit) if len(ids) > limit else shown


def _prompt_label(text: str) -> str:
    return "“" + (text if len(text) <= 60 else text[:59].rstrip() + "…") + "”"


@dataclass
class ImportResult:
    """What an import did: `refused` (the whole file) or the counts and the lines to show."""

    file: str
    refused: str = ""
    answers: int = 0
    responses: int = 0  # responses and exercise answers, as the messages count them
    exercises: int = 0  # of which exercise answers
    chapters: list[str] = field(default_factory=list)  # chapters something was restored into
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # one line per thing kept here instead of the file's
    kept_text: bool = False  # a response's or exercise answer's text was kept here (kept_newer, _longer, _different)
    refusals: list[str] = field(default_factory=list)  # one line per chapter or group of ids refused
    identity: bool = False

    def lines(self) -> list[str]:
        if self.refused:
            return [self.refused]
        first = (message("restored", file=self.file, answers=self.answers, responses=self.responses,
                         chapters=len(self.chapters)) if self.answers or self.responses else
                 message("nothing_new", file=self.file))
        lines = [first]
        if self.unchanged:
            lines.append(message("unchanged", count=self.unchanged))
        lines += self.kept
        if self.kept_text:
            lines.append(message("kept_hint"))
        lines += self.refusals
        if self.identity:
            lines.append(message("identity"))
        return lines


def read_export(raw: bytes, file_name: str, course: str) -> tuple[dict | None, str]:
    """(the parsed file, "") or (None, the refusal line)."""
    if len(raw) > MAX_SUBMISSION_BYTES:
        return None, message("too_large", file=file_name, size=f"{len(raw):,}", limit=f"{MAX_SUBMISSION_BYTES:,}")
    try:
        data = parse_submission(raw)
    except SubmissionError as exc:
        newer = _VERSION.match(str(exc))
        if newer and int(newer.group(1)) > max(READABLE_VERSIONS):
            return None, message("newer", file=file_name, version=newer.group(1), versions=versions_list())
        return None, message("unreadable", file=file_name, reason=str(exc))
    if data["format"] != SUBMISSION_FORMAT:  # parse_submission refuses it already; kept for clarity
        return None, message("unreadable", file=file_name, reason=_("another format"))
    if data["course"] != course:
        return None, message("other_course", file=file_name, course=data["course"], expected=course)
    return data, ""


def chapter_label(stem: str, course=None) -> str:
    """"chapter 4.1" (the course's number for the stem), or the stem itself ("assignment-2-n10-s1")."""
    number = course.number(stem) if course is not None else None
    return _("chapter {number}", number=number) if number else stem


def course_tasks(course) -> list[Task]:
    """The tasks of the course's exercise notebooks (none without a course folder). A notebook
    whose tasks cannot be read is left out, as the book's exercise map leaves it out."""
    root = getattr(course, "root", None)
    if root is None:
        return []
    found = []
    for notebook in exercise_notebooks(root):
        try:
            found += read_tasks(notebook)
        except ExerciseError:
            continue
    return found


def task_titles(tasks: list[Task]) -> dict[str, dict[str, str]]:
    """{stem: {answer id: title}}: each answer box's title as the book's exercise map gives it
    (coursekit/exercise_map.py): the task's, with the part for a task answered in parts."""
    titles: dict[str, dict[str, str]] = {}
    for task in tasks:
        for aid in task.answer_ids():
            part = task.part_name(aid)
            titles.setdefault(task.stem, {})[aid] = task.title + (f" ({part})" if part else "")
    return titles


def import_work(store: ProgressStore, raw: bytes, *, file_name: str, banks: list[Bank], course=None,
                tasks: list[Task] | None = None) -> ImportResult:
    """Restore an exported file into `store` by the rules above, in one locked save. `course`
    (coursekit.course.Course) names chapters by number in the messages, as the book does.
    `tasks` are the exercise tasks whose answers may be restored; by default the tasks of the
    course's exercise notebooks (course_tasks)."""
    result = ImportResult(printable(file_name, 120))
    course_id = banks[0].course if banks else ""
    data, refused = read_export(raw, result.file, course_id)
    if data is None:
        result.refused = refused
        return result
    by_chapter = {b.chapter: b for b in banks}
    titles = task_titles(course_tasks(course) if tasks is None else tasks)
    created = data["created"]

    def texts(part, record, field, known, label) -> bool:
        """Responses or exercise answers (`field`): restored by the same rules; True when one was."""
        stored = record.get(field)
        if not isinstance(stored, dict):  # exercise answers, which the progress file does not check
            stored = record[field] = {}
        restored = False
        for pid, text in part.items():
            if pid not in known:
                continue
            here = stored.get(pid) if isinstance(stored.get(pid), dict) else {}  # malformed: no text here
            mine = here.get("text", "") if isinstance(here.get("text", ""), str) else ""
            if text == mine:
                if text:
                    result.unchanged += 1
                continue
            if not mine.strip() or text.startswith(mine):
                stored[pid] = {"text": text, "saved_at": created}
                result.responses += 1
                if field == "exercises":
                    result.exercises += 1
                restored = True
                continue
            saved_at = here.get("saved_at", "") if isinstance(here.get("saved_at", ""), str) else ""
            saved, exported = _moment(saved_at), _moment(created)
            prompt = _prompt_label(known[pid])
            result.kept_text = True
            if saved and exported and saved > exported:
                result.kept.append(message("kept_newer", prompt=prompt, chapter=label,
                                           saved=saved_at, created=created))
            elif len(mine) > len(text):
                result.kept.append(message("kept_longer", prompt=prompt, chapter=label))
            else:
                result.kept.append(message("kept_different", prompt=prompt, chapter=label))
        return restored

    def change(progress: dict) -> None:
        for part in chapter_parts(data):
            stem = part["chapter"]
            bank = by_chapter.get(stem)
            if bank is None and stem not in titles:
                result.refusals.append(message("unknown_chapter", chapter=stem))
                continue
            label = chapter_label(stem, course)
            record = progress["courses"].setdefault(course_id, {}).setdefault(stem, {})
            answers = record.setdefault("answers", {})
            record.setdefault("responses", {})
            questions = {q.id for q in bank.questions} if bank is not None else set()
            prompts = {d.id: d.prompt for d in bank.discussions} if bank is not None else {}
            known_tasks = titles.get(stem, {})
            exercises = {a: t for a, t in part["exercises"].items() if isinstance(t, str) and t}  # as the book reads them
            unknown = [i for i in part["answers"] if i not in questions] + \
                      [i for i in part["responses"] if i not in prompts] + \
                      [i for i in exercises if i not in known_tasks]
            if unknown:
                result.refusals.append(message("unknown_ids", count=len(unknown), chapter=label, ids=_list(unknown)))
            restored_here = False
            differing = []
            for qid, value in part["answers"].items():
                if qid not in questions:
                    continue
                if qid not in answers:
                    answers[qid] = {"value": value, "saved_at": created}
                    result.answers += 1
                    restored_here = True
                elif _canonical(answers[qid].get("value")) == _canonical(value):
                    result.unchanged += 1
                else:
                    differing.append(qid)
            if differing:
                result.kept.append(message("kept_answers", count=len(differing), chapter=label, ids=_list(differing)))
            # responses, then exercise answers: the same rules (an exercise answer counts as a response)
            restored_here |= texts(part["responses"], record, "responses", prompts, label)
            if exercises:
                restored_here |= texts(exercises, record, "exercises", known_tasks, label)
            if restored_here:
                result.chapters.append(stem)
        settings = progress.setdefault("settings", {})
        if not isinstance(settings, dict):
            settings = progress["settings"] = {}
        if not settings.get("student") and not settings.get("student_id"):
            settings["student"] = data["student"]
            if data.get("student_id"):
                settings["student_id"] = data["student_id"]
            result.identity = True

    store.update(change)
    return result


__all__ = ["IMPORT_MESSAGES", "ImportResult", "import_work", "read_export", "message", "versions_list",
           "course_tasks", "task_titles"]
