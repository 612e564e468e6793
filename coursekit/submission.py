"""The submission file: one versioned JSON format, from Jupyter and from the book alike, and
its reader. Students write it (build_submission); instructors' commands read it
(load_submissions), and the reader is where the security checks live: one bad file is refused
by name, with one line that says why, and never stops the others.

The schemas are coursekit/schemas/submission-v1.schema.json, -v2 and -v3, documented in
docs/submission-format.md. Writers write version 3 (one chapter, or every chapter in one file,
with an optional student identifier; practice answers by position, see positions.py); readers
read all three. `chapter_parts` turns any
file into its chapters, so a file of every chapter is graded as its chapters would be.
"""
from __future__ import annotations

import json
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import MAX_MESSAGE, SubmissionError, printable
from .grading import strip_accents
from .model import Bank
from .progress import now_iso

SUBMISSION_FORMAT = "coursekit-submission"
SUBMISSION_VERSION = 3  # what writers write (coursekit.js copies it)
READABLE_VERSIONS = (1, 2, 3)  # what readers read: every version there has been (coursekit.js copies it)
MAX_STUDENT_ID = 100  # a student number or e-mail (schema maxLength; coursekit.js copies it)
MAX_CHAPTERS = 100  # chapters in one file of every chapter (schema maxProperties; coursekit.js copies it)
# Control characters (C0, DEL, C1) and the line and paragraph separators: never part of an identifier
# (same class as the schema's pattern and coursekit.js's).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SLUG_LENGTH = 40  # longest name part of a submission file name (coursekit.js copies it)
MAX_RESPONSE_CHARS = 100_000  # a discussion response (schema maxLength; coursekit.js copies it)
MAX_SUBMISSION_BYTES = 5 * 1024 * 1024  # a real submission is a few KB; the schema caps it well below this
# [0-9], not \d: \d also matches Arabic-Indic and other digits, which int() then accepts.
_CREATED = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?Z$")
CLOCK_SKEW = timedelta(days=1)  # a `created` further ahead than this is no real export time


def _safe(text, limit: int = 120) -> str:
    """A file or student name fit for a terminal line (see errors.printable)."""
    return printable(text, limit)


@lru_cache(maxsize=4)
def submission_schema(version: int = SUBMISSION_VERSION) -> dict:
    text = resources.files("coursekit").joinpath(f"schemas/submission-v{version}.schema.json").read_text("utf-8")
    return json.loads(text)


def student_id_problem(text) -> str:
    """Why `text` cannot be a student identifier ("" when it can). The same rule as coursekit.js."""
    if not isinstance(text, str):
        return "the student identifier must be text"
    if not text.strip():
        return "the student identifier is blank"
    if len(text) > MAX_STUDENT_ID:
        return f"the student identifier is {len(text):,} characters; it may be at most {MAX_STUDENT_ID}"
    bad = _CONTROL.search(text)
    if bad:
        return f"the student identifier holds a control character (U+{ord(bad.group()):04X})"
    return ""


def _identity(course: str, student: str, student_id: str | None, source: str, created: str | None) -> dict:
    data = {"format": SUBMISSION_FORMAT, "version": SUBMISSION_VERSION, "course": course,
            "student": student.strip()}
    if student_id is not None and student_id.strip():
        problem = student_id_problem(student_id.strip())
        if problem:
            raise ValueError(f"not a valid submission: {problem}")
        data["student_id"] = student_id.strip()
    data.update({"created": created or now_iso(), "source": source})
    return data


def build_submission(*, course: str, chapter: str, student: str, answers: dict, responses: dict,
                     source: str = "jupyter", mode: str = "practice", created: str | None = None,
                     student_id: str | None = None, exercises: dict | None = None) -> dict:
    """One chapter's (or assignment's) work, in the newest version, with its exercise answers
    when there are any. Raises ValueError when invalid."""
    data = _identity(course, student, student_id, source, created)
    data.update({"chapter": chapter, "mode": mode, "answers": answers, "responses": responses})
    if exercises and any(exercises.values()):
        data["exercises"] = exercises
    validate_submission(data)
    return data


def build_combined(*, course: str, student: str, chapters: dict, source: str = "jupyter",
                   created: str | None = None, student_id: str | None = None) -> dict:
    """Every chapter in one file: `chapters` is {stem: {"mode", "answers", "responses"[, "exercises"]}}."""
    data = _identity(course, student, student_id, source, created)
    data["chapters"] = chapters
    validate_submission(data)
    return data


def chapter_parts(data: dict) -> list[dict]:
    """A valid submission of any version as one version-1-shaped dict per chapter (format,
    version, course, chapter, student, created, source, mode, answers, responses, plus
    student_id when given, and exercises: {} when the file has none): what graders, digests,
    imports and the marking pack read."""
    common = {k: data[k] for k in ("format", "version", "course", "student", "created", "source")}
    if "student_id" in data:
        common["student_id"] = data["student_id"]
    if "chapters" not in data:
        return [{**common, **{k: data[k] for k in ("chapter", "mode", "answers", "responses")},
                 "exercises": data.get("exercises", {})}]
    return [{**common, "chapter": stem, "mode": work["mode"], "answers": work["answers"],
             "responses": work["responses"], "exercises": work.get("exercises", {})}
            for stem, work in data["chapters"].items()]


def schema_errors(data, limit: int | None = None) -> list[str]:
    """The ways `data` breaks the schema of its version (the newest when it names none it has),
    as readable lines (empty when valid); the first `limit` found, when given, so that a hostile
    file costs no more than it takes to refuse it."""
    import itertools

    import jsonschema  # imported here: it takes most of a second, and only exports need it

    version = data.get("version") if isinstance(data, dict) else None
    known = version if version in READABLE_VERSIONS and type(version) is int else SUBMISSION_VERSION
    validator = jsonschema.Draft202012Validator(submission_schema(known))
    errors = []
    found = itertools.islice(validator.iter_errors(data), limit)
    for error in sorted(found, key=lambda err: [str(p) for p in err.absolute_path]):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        errors.append(f"{where}: {error.message}")
    return errors


def validate_submission(data) -> None:
    errors = schema_errors(data)
    if errors:
        raise ValueError("not a valid submission: " + "; ".join(errors[:5]))


def submission_filename(chapter: str, student: str) -> str:
    """Same rule as slug() in static/coursekit.js: accents folded, safe on every file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", strip_accents(student).lower()).strip("-")[:SLUG_LENGTH].rstrip("-") or "student"
    return f"submission-{chapter}-{slug}.json"


COMBINED_NAME = "all"  # submission-all-<name>.json: every chapter in one file (coursekit.js copies it)


def combined_filename(student: str) -> str:
    return submission_filename(COMBINED_NAME, student)


# --- reporting -------------------------------------------------------------------------

@dataclass
class Report:
    """What happened to each file. Every line names the file; summary() closes the run."""

    command: str = ""  # which command is reporting (for messages)
    stream: object = None
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    superseded: list[tuple[str, str]] = field(default_factory=list)

    def _say(self, line: str) -> None:
        print(line, file=self.stream or sys.stderr)

    def skip(self, name: str, reason: str) -> None:
        self.skipped.append((name, reason))
        self._say(f"skipped {_safe(name)}: {reason}")

    def warn(self, name: str, reason: str) -> None:
        self.warnings.append((name, reason))
        self._say(f"warning {_safe(name)}: {reason}")

    def supersede(self, name: str, reason: str) -> None:
        self.superseded.append((name, reason))
        self._say(f"superseded {_safe(name)}: {reason}")

    def error(self, message: str) -> None:
        self._say(f"error: {message}")

    def summary(self, used: int, what: str) -> None:
        self._say(f"summary: {used} submission file(s) {what}; {len(self.skipped)} skipped, "
                  f"{len(self.superseded)} superseded, {len(self.warnings)} with warnings")
        for title, items in (("skipped", self.skipped), ("superseded", self.superseded),
                             ("warnings", self.warnings)):
            if items:
                self._say(_name_list(f"  {title}: ", [_safe(name) for name, _ in items]))


def _name_list(head: str, names: list[str]) -> str:
    """As many names as fit one readable line; the rest counted (each has its own line above)."""
    line = head + ", ".join(names)
    if len(line) <= MAX_MESSAGE:
        return line
    shown: list[str] = []
    for name in names:
        more = len(names) - len(shown) - 1
        if len(head + ", ".join([*shown, name]) + f" … and {more} more (each reason is above)") > MAX_MESSAGE:
            break
        shown.append(name)
    return head + ", ".join(shown) + f" … and {len(names) - len(shown)} more (each reason is above)"


# --- reading submissions ---------------------------------------------------------------

@dataclass
class Submission:
    """One chapter's work from one file (a file of every chapter gives one per chapter)."""

    path: Path
    name: str  # as reported: the path as given on the command line
    data: dict  # this chapter's part, shaped as a version-1 file (see chapter_parts), plus student_id if given
    student: str  # display form: spacing collapsed
    key: str  # for matching: the identifier when one is given (see match_students), else the name
    chapter: str
    created: tuple  # sortable: (datetime, fraction digits)
    order: int  # position in the batch, the last tie-breaker
    student_id: str = ""  # display form of the identifier, "" when none was given


def student_key(name: str) -> str:
    """Names are matched ignoring case, accents' encoding and spacing: " ana  PÉREZ" == "Ana Pérez"."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def id_key(student_id: str) -> str:
    """Identifiers are matched the same way: " S-1234 " == "s-1234", "ANA@UNI.EDU" == "ana@uni.edu"."""
    return student_key(student_id)


class StudentIndex:
    """One rule for every command that joins a list of students to another (the gradebook to an
    LMS roster, marks to the gradebook): the same identifier when both sides give one, else the
    one entry of that name whose own identifier does not contradict it (two entries of one name,
    or none, is no match)."""

    def __init__(self):
        self._by_id: dict[str, object] = {}
        self._by_name: dict[str, list[tuple[object, str]]] = {}

    def add(self, entry, name: str, identifier: str = "") -> None:
        ident = id_key(identifier) if identifier else ""
        if ident:
            self._by_id.setdefault(ident, entry)
        self._by_name.setdefault(student_key(name), []).append((entry, ident))

    def find(self, name: str, identifier: str = ""):
        ident = id_key(identifier) if identifier else ""
        if ident and ident in self._by_id:
            return self._by_id[ident]
        same = [entry for entry, theirs in self._by_name.get(student_key(name), [])
                if not (ident and theirs and theirs != ident)]
        return same[0] if len(same) == 1 else None


def display_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def expand_paths(paths, report: Report) -> list[tuple[Path, str]]:
    """Files as given, and the *.json files in folders as given (not recursive; hidden files ignored)."""
    found: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                inside = sorted(p for p in path.iterdir()
                                if p.name.lower().endswith(".json") and not p.name.startswith("."))
            except OSError as exc:
                report.skip(str(path), f"cannot list the folder: {exc.strerror or exc}")
                continue
            if not inside:
                report.warn(str(path), "folder holds no *.json files")
            candidates = [p for p in inside if _inside_folder(p, path, report)]
        else:
            candidates = [path]
        for p in candidates:
            name = str(p)
            if _SURROGATE.search(name):
                report.skip(name, "the file name is not valid UTF-8; rename the file")
                continue
            try:
                ident = str(p.resolve())
            except (OSError, RuntimeError):
                ident = name
            if ident not in seen:
                seen.add(ident)
                found.append((p, name))
    return found


_SURROGATE = re.compile(r"[\ud800-\udfff]")  # how Python shows a file name's bytes that are not UTF-8


def _inside_folder(p: Path, folder: Path, report: Report) -> bool:
    """A link in a submissions folder must lead to a file in that folder: a link loop or a link to
    /etc/passwd, say, is refused by name instead of hanging or reading what was never handed in."""
    if not p.is_symlink():
        return True
    try:
        target = p.resolve(strict=True)
    except (OSError, RuntimeError):
        report.skip(str(p), "a link that leads nowhere or to itself")
        return False
    if folder.resolve() not in target.parents:
        report.skip(str(p), "a link to a file outside the folder; copy the file in instead")
        return False
    return True


def _no_duplicate_keys(pairs):
    data = dict(pairs)  # built in C: a file of 400,000 keys costs a fraction of a second
    if len(data) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"key {printable(repr(key))} appears twice in one object")
            seen.add(key)
    return data


def read_bytes(path: Path, limit: int = MAX_SUBMISSION_BYTES) -> bytes:
    """The file's bytes, checking the size before reading anything. Raises SubmissionError."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SubmissionError("file not found (or a broken link)") from None
    except OSError as exc:
        raise SubmissionError(f"cannot read the file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SubmissionError("not a regular file")
    if info.st_size > limit:
        raise SubmissionError(f"file is {info.st_size:,} bytes; a submission may be at most {limit:,} "
                      f"({limit // (1024 * 1024)} MB), so it was not read")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SubmissionError(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limit:  # it grew after stat()
        raise SubmissionError(f"file is larger than {limit:,} bytes, so it was not read")
    return data


def parse_submission(data: bytes) -> dict:
    """Bytes -> a schema-valid submission dict, or SubmissionError with a readable reason."""
    if not data.strip():
        raise SubmissionError("file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SubmissionError(f"file is not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); "
                      "export it again or save it as UTF-8") from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise SubmissionError(f"truncated: the JSON ends early (line {exc.lineno}); the file was cut off "
                          "while copying or uploading") from None
        raise SubmissionError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise SubmissionError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # duplicate keys, absurdly long numbers
        raise SubmissionError(f"invalid JSON: {exc}") from None
    if not isinstance(value, dict):
        kind = {list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")
        raise SubmissionError(f"not a submission: the file holds {kind}, not an object")
    limit = submission_schema(1)["properties"]["answers"]["maxProperties"]
    parts = [value]
    if isinstance(value.get("chapters"), dict):
        if len(value["chapters"]) > MAX_CHAPTERS:
            raise SubmissionError(f"chapters has {len(value['chapters']):,} entries; a submission may have at most "
                                  f"{MAX_CHAPTERS}")
        parts += [work for work in value["chapters"].values() if isinstance(work, dict)]
    for work in parts:  # stop before the schema walks a huge object
        for part in ("answers", "responses", "exercises"):
            entries = work.get(part)
            if isinstance(entries, dict) and len(entries) > limit:
                raise SubmissionError(f"{part} has {len(entries):,} entries; a submission may have at most {limit}")
    try:
        # Python's JSON reader accepts "\ud800" (half of a character); nothing can write it out again.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SubmissionError(f"holds broken text (an unpaired surrogate, U+{ord(exc.object[exc.start]):04X}); "
                              "export it again") from None
    if value.get("format") != SUBMISSION_FORMAT:
        raise SubmissionError(f"not a coursekit submission (format is {_safe(repr(value.get('format')), 60)}, "
                      f"expected {SUBMISSION_FORMAT!r})")
    version = value.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        newer = type(version) is int and version > max(READABLE_VERSIONS)
        raise SubmissionError(f"submission version {_safe(repr(version), 40)} is not supported: this coursekit "
                              f"reads {versions_text()} ("
                              + ("the file is from a newer coursekit: update coursekit" if newer else
                                 "update coursekit, or export again") + ")")
    if "student_id" in value and (problem := student_id_problem(value["student_id"])):
        raise SubmissionError(problem)
    if version >= 2 and ("chapters" in value) == ("chapter" in value):
        raise SubmissionError("does not match the submission schema: a file holds either one chapter (chapter, "
                              "mode, answers, responses) or several (chapters), not " +
                              ("both" if "chapters" in value else "neither"))
    if version >= 2:
        for work in parts:
            _check_exercises(work.get("exercises"))
    errors = schema_errors(value, limit=4)
    if errors:
        more = " (and more)" if len(errors) > 3 else ""
        raise SubmissionError("does not match the submission schema: " + "; ".join(_safe(e, 160) for e in errors[:3]) + more)
    return value


def _check_exercises(exercises) -> None:
    """Exercise answers: text of at most MAX_EXERCISE_CHARS, with no control character but tab
    and line ends (often pasted from a PDF or a word processor). Each refusal names the task."""
    from .exercises import ANSWER_CONTROL, MAX_EXERCISE_CHARS

    if not isinstance(exercises, dict):
        return  # absent, or the schema says what is wrong
    for aid, text in exercises.items():
        if not isinstance(text, str):
            continue
        if len(text) > MAX_EXERCISE_CHARS:
            raise SubmissionError(f"the exercise answer {_safe(aid, 80)} is {len(text):,} characters; it may be at most "
                                  f"{MAX_EXERCISE_CHARS:,}")
        bad = ANSWER_CONTROL.search(text)
        if bad:
            raise SubmissionError(f"the exercise answer {_safe(aid, 80)} holds a control character "
                                  f"(U+{ord(bad.group()):04X}); delete it and export again")


def versions_text() -> str:
    """"versions 1, 2 and 3": what this coursekit reads, for messages."""
    *first, last = READABLE_VERSIONS
    return f"versions {', '.join(map(str, first))} and {last}" if first else f"version {last} only"


def parse_created(text: str) -> tuple:
    match = _CREATED.match(text)
    try:
        if not match:
            raise ValueError
        moment = datetime(*map(int, match.groups()[:6]), tzinfo=UTC)
    except ValueError:
        raise SubmissionError(f"created {_safe(repr(text), 60)} is not a real date and time") from None
    if moment > datetime.now(UTC) + CLOCK_SKEW:
        # It would win every "latest submission" contest: a wrong clock, or a hand-edited file.
        raise SubmissionError(f"created {_safe(repr(text), 60)} is in the future; check the computer's clock "
                              "and export again")
    return (moment, (match.group(7) or "").rstrip("0"))


def load_submissions(paths, banks: list[Bank], report: Report) -> list[Submission]:
    """Every usable submission in `paths`, one per chapter a file holds; every other file (or
    chapter of a file) is reported with its reason. Students are matched by match_students."""
    courses = {b.course for b in banks}
    chapters = {b.chapter for b in banks}
    loaded = []
    for order, (path, name) in enumerate(expand_paths(paths, report)):
        try:
            data = parse_submission(read_bytes(path))
            if data["course"] not in courses:
                raise SubmissionError(f"course {_safe(repr(data['course']), 60)} is not this course "
                              f"({', '.join(sorted(courses))})")
            parts = chapter_parts(data)
            unknown = [part["chapter"] for part in parts if part["chapter"] not in chapters]
            if len(unknown) == len(parts):
                hint = ""
                if unknown[0].startswith("assignment-"):
                    hint = " (an assignment: add --assignment FOLDER/student/assignment.json)"
                elif any(c.startswith("assignment-") for c in chapters):
                    hint = " (grade chapter submissions in a separate run, without --assignment)"
                what = f"chapter {unknown[0]!r} is" if len(unknown) == 1 else \
                    f"none of its {len(unknown)} chapters ({_safe(', '.join(unknown), 120)}) is"
                raise SubmissionError(f"{what} not in the banks{hint}")
            if not student_key(data["student"]):
                raise SubmissionError("the student name is blank")
            created = parse_created(data["created"])
        except SubmissionError as exc:
            report.skip(name, str(exc))
            continue
        if unknown:
            report.warn(name, f"{len(unknown)} chapter(s) not graded, not in the banks: "
                              + _safe(", ".join(unknown), 200))
        for part in parts:
            if part["chapter"] in chapters:
                loaded.append(Submission(path, name, part, display_name(data["student"]), student_key(data["student"]),
                                         part["chapter"], created, order,
                                         display_name(data.get("student_id", ""))))
    return match_students(loaded, report)


def match_students(subs: list[Submission], report: Report) -> list[Submission]:
    """Sets each submission's matching key. A file with a student identifier is matched by it
    (two students of one name stay two; one student's two spellings become one). A file without
    one is matched by name, and joins the identifier that name was given with when there is
    exactly one such identifier."""
    ids_of_name: dict[str, set[str]] = {}
    names_of_id: dict[str, set[str]] = {}
    for sub in subs:
        if sub.student_id:
            ids_of_name.setdefault(student_key(sub.student), set()).add(id_key(sub.student_id))
            names_of_id.setdefault(id_key(sub.student_id), set()).add(sub.student)
    warned: set[str] = set()
    for sub in subs:
        name = student_key(sub.student)
        if sub.student_id:
            sub.key = "id:" + id_key(sub.student_id)
        elif len(ids_of_name.get(name, ())) == 1:
            sub.key = "id:" + next(iter(ids_of_name[name]))
        else:
            sub.key = "name:" + name
            if len(ids_of_name.get(name, ())) > 1 and sub.name not in warned:
                warned.add(sub.name)
                report.warn(sub.name, f"no student identifier, and {len(ids_of_name[name])} students named "
                                      f"{_safe(sub.student, 60)} gave one: matched by name alone, in a row of its own")
    for ident, names in sorted(names_of_id.items()):
        if len({student_key(n) for n in names}) > 1:
            report.warn(f"student identifier {ident}", "sent with different names ("
                        + _safe(", ".join(sorted(names)), 160) + "): counted as one student")
    return subs


def latest_only(subs: list[Submission], report: Report) -> list[Submission]:
    """One submission per student and chapter: the latest `created` wins (then the later file)."""
    best: dict[tuple[str, str], Submission] = {}
    for sub in sorted(subs, key=lambda s: (s.created, s.order)):
        slot = (sub.key, sub.chapter)
        old = best.get(slot)
        if old is not None:
            same = " (same time; the later file in the batch counts)" if old.created == sub.created else ""
            report.supersede(old.name, f"{_safe(sub.student, 60)} sent {sub.chapter} again; "
                                       f"{_safe(sub.name)} (created {sub.data['created']}) replaces this one "
                                       f"(created {old.data['created']}){same}")
        best[slot] = sub
    return sorted(best.values(), key=lambda s: (s.created, s.order))


__all__ = ["build_submission", "build_combined", "chapter_parts", "combined_filename", "student_id_problem",
           "match_students", "id_key", "READABLE_VERSIONS", "MAX_STUDENT_ID", "validate_submission", "schema_errors", "submission_schema",
           "submission_filename", "SUBMISSION_FORMAT", "SUBMISSION_VERSION", "MAX_SUBMISSION_BYTES",
           "Report", "Submission", "load_submissions", "latest_only", "parse_submission", "read_bytes",
           "student_key", "display_name", "StudentIndex"]
