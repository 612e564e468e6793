"""`coursekit grade` and `coursekit digest`: the instructor's side of the submission file.

grade   scores every submission against the banks with grading.grade (the one grader)
        and writes one CSV row per student.
digest  gathers the responses to one discussion prompt into a page (HTML or Markdown)
        that a class without a forum can read and answer in the next round.

Both read submissions the same way: one bad file never stops the batch. Each file that
cannot be used is named on stderr with the reason, and a summary closes the run. The
format and these rules are documented in docs/submission-format.md.
"""
from __future__ import annotations

import csv
import difflib
import html
import io
import json
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .assign import assignment_bank
from .bank import BankError, find_banks, load_banks
from .files import write_atomically
from .grading import grade
from .model import Bank, DiscussionPrompt
from .static_view import md_escape
from .submission import SUBMISSION_FORMAT, SUBMISSION_VERSION, schema_errors

MAX_SUBMISSION_BYTES = 5 * 1024 * 1024  # a real submission is a few KB; the schema caps it well below this
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CREATED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# --- reporting -------------------------------------------------------------------------

def _safe(text, limit: int = 120) -> str:
    """A file or student name fit for a terminal: control characters shown as escapes."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                        else f"\\u{ord(m.group()):04x}", str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Report:
    """What happened to each file. Every line names the file; summary() closes the run."""

    command: str
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
                self._say(f"  {title}: " + ", ".join(_safe(name) for name, _ in items))


# --- reading submissions ---------------------------------------------------------------

class Problem(Exception):
    """Why one file cannot be used (the message is the reason shown to the instructor)."""


@dataclass
class Submission:
    path: Path
    name: str  # as reported: the path as given on the command line
    data: dict
    student: str  # display form: spacing collapsed
    key: str  # for matching: case and spacing normalised
    chapter: str
    created: tuple  # sortable: (datetime, fraction digits)
    order: int  # position in the batch, the last tie-breaker


def student_key(name: str) -> str:
    """Names are matched ignoring case, accents' encoding and spacing: " ana  PÉREZ" == "Ana Pérez"."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


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
            candidates = inside
        else:
            candidates = [path]
        for p in candidates:
            try:
                ident = str(p.resolve())
            except OSError:
                ident = str(p)
            if ident not in seen:
                seen.add(ident)
                found.append((p, str(p)))
    return found


def _no_duplicate_keys(pairs):
    data = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"key {key!r} appears twice in one object")
        data[key] = value
    return data


def read_bytes(path: Path, limit: int = MAX_SUBMISSION_BYTES) -> bytes:
    """The file's bytes, checking the size before reading anything. Raises Problem."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise Problem("file not found (or a broken link)") from None
    except OSError as exc:
        raise Problem(f"cannot read the file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise Problem("not a regular file")
    if info.st_size > limit:
        raise Problem(f"file is {info.st_size:,} bytes; a submission may be at most {limit:,} "
                      f"({limit // (1024 * 1024)} MB), so it was not read")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise Problem(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limit:  # it grew after stat()
        raise Problem(f"file is larger than {limit:,} bytes, so it was not read")
    return data


def parse_submission(data: bytes) -> dict:
    """Bytes -> a schema-valid submission dict, or Problem with a readable reason."""
    if not data.strip():
        raise Problem("file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Problem(f"file is not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); "
                      "export it again or save it as UTF-8") from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise Problem(f"truncated: the JSON ends early (line {exc.lineno}); the file was cut off "
                          "while copying or uploading") from None
        raise Problem(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise Problem("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # duplicate keys, absurdly long numbers
        raise Problem(f"invalid JSON: {exc}") from None
    if not isinstance(value, dict):
        kind = {list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")
        raise Problem(f"not a submission: the file holds {kind}, not an object")
    if value.get("format") != SUBMISSION_FORMAT:
        raise Problem(f"not a coursekit submission (format is {_safe(repr(value.get('format')), 60)}, "
                      f"expected {SUBMISSION_FORMAT!r})")
    version = value.get("version")
    if version != SUBMISSION_VERSION:
        raise Problem(f"submission version {_safe(repr(version), 40)} is not supported: this coursekit "
                      f"reads version {SUBMISSION_VERSION} only (update coursekit, or export again)")
    errors = schema_errors(value)
    if errors:
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise Problem("does not match the submission schema: " + "; ".join(_safe(e, 160) for e in errors[:3]) + more)
    return value


def parse_created(text: str) -> tuple:
    match = _CREATED.match(text)
    try:
        if not match:
            raise ValueError
        moment = datetime(*map(int, match.groups()[:6]), tzinfo=timezone.utc)
    except ValueError:
        raise Problem(f"created {_safe(repr(text), 60)} is not a real date and time") from None
    return (moment, (match.group(7) or "").rstrip("0"))


def load_submissions(paths, banks: list[Bank], report: Report) -> list[Submission]:
    """Every usable submission in `paths`; every other file is reported with its reason."""
    courses = {b.course for b in banks}
    chapters = {b.chapter for b in banks}
    loaded = []
    for order, (path, name) in enumerate(expand_paths(paths, report)):
        try:
            data = parse_submission(read_bytes(path))
            if data["course"] not in courses:
                raise Problem(f"course {_safe(repr(data['course']), 60)} is not this course "
                              f"({', '.join(sorted(courses))})")
            if data["chapter"] not in chapters:
                hint = ""
                if data["chapter"].startswith("assignment-"):
                    hint = " (an assignment: add --assignment FOLDER/student/assignment.json)"
                elif any(c.startswith("assignment-") for c in chapters):
                    hint = " (grade chapter submissions in a separate run, without --assignment)"
                raise Problem(f"chapter {data['chapter']!r} is not in the banks{hint}")
            key = student_key(data["student"])
            if not key:
                raise Problem("the student name is blank")
            created = parse_created(data["created"])
        except Problem as exc:
            report.skip(name, str(exc))
            continue
        loaded.append(Submission(path, name, data, display_name(data["student"]), key,
                                 data["chapter"], created, order))
    return loaded


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


def _load_course(banks_dir: str) -> list[Bank]:
    paths = find_banks([banks_dir])
    if not paths:
        raise BankError(banks_dir, "no question banks (*.yml) found")
    return load_banks(paths)


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
    chapters: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def build_gradebook(subs: list[Submission], banks: list[Bank], report: Report) -> tuple[list[str], list[list[str]]]:
    """(header, rows) for the kept submissions. Ids the chapter does not know are reported, not graded."""
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
        row.chapters.append(sub.chapter)
        row.files.append(sub.name)
        for question in bank.questions:
            row.scores[question.id] = grade(question, answers.get(question.id)).score
    chapters_used = {c for row in rows.values() for c in row.chapters}
    columns = [q.id for b in banks if b.chapter in chapters_used for q in b.questions]
    course_order = [b.chapter for b in banks]
    header = ["student", *columns, "total", "max", "percent", "chapters", "files"]
    table = []
    for key in sorted(rows):
        row = rows[key]
        total = sum(row.scores.values())
        maximum = sum(len(by_chapter[c].questions) for c in row.chapters)
        cells = [row.student]
        cells += [number(row.scores[qid]) if qid in row.scores else "" for qid in columns]
        cells += [number(total), str(maximum), number(100 * total / maximum, 1) if maximum else "",
                  "; ".join(sorted(row.chapters, key=course_order.index)), "; ".join(row.files)]
        table.append(cells)
    return header, table


def _write_atomically(out: Path, write) -> None:
    """Compose the file in memory, then write it all or nothing (UTF-8 with a BOM for CSV,
    so spreadsheets show accents)."""
    buffer = io.StringIO(newline="")
    write(buffer)
    write_atomically(out, buffer.getvalue().encode("utf-8-sig" if out.suffix == ".csv" else "utf-8"))


def write_csv(out: Path, header: list[str], rows: list[list[str]]) -> None:
    def write(handle):
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([neutralise(c) for c in header])
        writer.writerows([neutralise(c) for c in row] for row in rows)

    _write_atomically(out, write)


def _check_out(out: Path, suffixes: tuple[str, ...], report: Report) -> bool:
    if out.suffix.lower() not in suffixes:
        report.error(f"--out must end in {' or '.join(suffixes)}: {_safe(out)}")
        return False
    if not out.parent.is_dir():
        report.error(f"cannot write {_safe(out)}: folder {_safe(out.parent)} does not exist")
        return False
    return True


def cmd_grade(args) -> int:
    report = Report("grade")
    out = Path(args.out)
    if not _check_out(out, (".csv",), report):
        return 1
    try:
        banks = _load_course(args.banks)
        if args.assignment:
            # An assignment is graded as a "chapter" made of the real questions it drew. Only
            # assignment submissions are graded then: mixing them with practice chapters would
            # put the same question in two columns.
            banks = [assignment_bank(manifest, banks) for manifest in args.assignment]
    except (BankError, OSError, ValueError) as exc:
        report.error(str(exc))
        return 1
    subs = latest_only(load_submissions(args.submissions, banks, report), report)
    if not subs:
        report.summary(0, "graded")
        report.error(f"no submission could be graded; {_safe(out)} was not written")
        return 1
    header, rows = build_gradebook(subs, banks, report)
    try:
        write_csv(out, header, rows)
    except OSError as exc:
        report.error(f"cannot write {_safe(out)}: {exc.strerror or exc}")
        return 1
    report.summary(len(subs), f"graded for {len(rows)} student(s)")
    print(f"wrote {out}: {len(rows)} student(s), {len(subs)} submission(s), {len(header) - 6} question column(s)")
    return 0


# --- digest ----------------------------------------------------------------------------

def find_prompt(banks: list[Bank], pid: str) -> tuple[Bank, DiscussionPrompt]:
    """The discussion prompt with this id, or BankError naming the nearest ids."""
    prompts = {d.id: (b, d) for b in banks for d in b.discussions}
    if pid in prompts:
        return prompts[pid]
    if any(q.id == pid for b in banks for q in b.questions):
        hint = f"{pid!r} is a quiz question, not a discussion prompt"
    else:
        hint = f"no discussion prompt {_safe(repr(pid), 80)} in the banks"
    same_chapter = [p for p in prompts if p.split("-")[0] == pid.split("-")[0]]
    close = difflib.get_close_matches(pid, list(prompts), n=5, cutoff=0.6)
    nearby = list(dict.fromkeys([*same_chapter, *close]))[:6]
    if not nearby:
        nearby = list(prompts)[:8] + (["..."] if len(prompts) > 8 else [])
    raise BankError("--prompt", f"{hint}; nearby ids: {', '.join(nearby) or 'none'}")


def words(text: str) -> int:
    return len(text.split())


@dataclass
class Entry:
    label: str
    text: str
    words: int


def collect_responses(subs: list[Submission], bank: Bank, prompt: DiscussionPrompt, named: bool,
                      report: Report) -> tuple[list[Entry], int]:
    """(entries in a stable order, number of submissions that had no response)."""
    mine, blank = [], 0
    for sub in subs:
        if sub.chapter != bank.chapter:
            if prompt.id in sub.data["responses"]:
                report.warn(sub.name, f"response to {prompt.id} ignored: the prompt belongs to "
                                      f"{bank.chapter}, the file is for {sub.chapter}")
            continue
        mine.append(sub)
    entries = []
    for sub in latest_only(mine, report):  # oldest export first: "Student 1" sent first
        text = sub.data["responses"].get(prompt.id, "")
        if not text.strip():
            blank += 1
            continue
        label = sub.student if named else f"Student {len(entries) + 1}"
        entries.append(Entry(label, text.strip(), words(text)))
    return entries, blank


def _stats(entries: list[Entry], prompt: DiscussionPrompt) -> str:
    counts = [e.words for e in entries]
    reached = sum(1 for c in counts if c >= prompt.suggested_words)
    return (f"{len(entries)} response{'s' if len(entries) != 1 else ''}, {sum(counts)} words in all "
            f"(shortest {min(counts)}, longest {max(counts)}, average {round(sum(counts) / len(counts))}). "
            f"Suggested length: {prompt.suggested_words} words, reached by {reached} of {len(entries)}.")


NEXT_ROUND = (
    "Read every response before you write. Note one point you agree with and one you doubt.",
    "Choose a response that differs from yours and answer it by its label (for example, “Student 2”): "
    "say what it gets right, then give evidence from the chapter that supports, qualifies or contradicts it.",
    "Return to the guiding questions: which of them did the class leave unanswered?",
    "Keep to the arguments, not the people; the responses are anonymised so that you judge the reasoning.",
)

CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #f6f6f3; color: #1d1d1b; font: 1.05rem/1.6 Georgia, "Times New Roman", serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; background: #fff; }
header p, .meta, footer { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: .9rem; color: #555; }
h1, h2, h3 { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.25; }
h1 { font-size: 1.7rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
.prompt { font-size: 1.15rem; border-left: 4px solid #2a5d8f; padding: .2rem 0 .2rem 1rem; }
article { border: 1px solid #ddd; border-radius: 6px; padding: 1rem 1.2rem; margin: 1rem 0; break-inside: avoid; }
article .words { font-weight: normal; color: #555; }
article p { margin: .5rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
@media print { body { background: #fff; } main { padding: 0; } article { border-color: #999; } }
""".strip()


def render_html(bank: Bank, prompt: DiscussionPrompt, entries: list[Entry], named: bool) -> str:
    e = html.escape
    guiding = "".join(f"<li>{e(q)}</li>" for q in prompt.guiding_questions)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f"<title>Discussion digest: {e(prompt.id)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f'<header><p>Course {e(bank.course)} · chapter {e(bank.chapter)}</p>',
        "<h1>Discussion digest</h1></header>",
        '<section aria-labelledby="h-prompt">',
        '<h2 id="h-prompt">The prompt</h2>',
        f'<p class="prompt">{e(prompt.prompt)}</p>',
    ]
    if guiding:
        parts += ["<h3>Guiding questions</h3>", f"<ul>{guiding}</ul>"]
    parts += [
        "</section>",
        '<section aria-labelledby="h-responses">',
        '<h2 id="h-responses">What the class wrote</h2>',
        f'<p class="meta">{e(_stats(entries, prompt))}</p>',
    ]
    for entry in entries:
        paragraphs = "".join(f"<p>{e(p.strip())}</p>" for p in re.split(r"\n\s*\n", entry.text) if p.strip())
        parts.append(f'<article><h3>{e(entry.label)} <span class="words">({entry.words} words)</span></h3>'
                     f"{paragraphs}</article>")
    parts += [
        "</section>",
        '<section aria-labelledby="h-next">',
        '<h2 id="h-next">For the next round</h2>',
        "<ol>" + "".join(f"<li>{e(step)}</li>" for step in NEXT_ROUND) + "</ol>",
        "</section>",
        f"<footer><p>{e(_footer(named))}</p></footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _footer(named: bool) -> str:
    who = ("Responses are shown with the names the students gave." if named else
           "Responses are anonymised and numbered in the order they were exported.")
    return who + " Made with coursekit digest."


def _md_block(text: str, quote: bool = False) -> str:
    """Paragraphs kept, lines kept (hard breaks), every line escaped."""
    paragraphs = []
    for para in re.split(r"\n\s*\n", text):
        lines = [md_escape(line.strip()) for line in para.splitlines() if line.strip()]
        if lines:
            paragraphs.append("\\\n".join(lines))
    body = "\n\n".join(paragraphs)
    if quote:
        body = "\n".join(("> " + line) if line else ">" for line in body.split("\n"))
    return body


def render_markdown(bank: Bank, prompt: DiscussionPrompt, entries: list[Entry], named: bool) -> str:
    lines = [
        f"# Discussion digest: {md_escape(prompt.id)}",
        "",
        f"Course {md_escape(bank.course)}, chapter {md_escape(bank.chapter)}",
        "",
        "## The prompt",
        "",
        _md_block(prompt.prompt, quote=True),
        "",
    ]
    if prompt.guiding_questions:
        lines += ["### Guiding questions", ""]
        lines += [f"- {md_escape(q)}" for q in prompt.guiding_questions]
        lines.append("")
    lines += ["## What the class wrote", "", md_escape(_stats(entries, prompt)), ""]
    for entry in entries:
        lines += [f"### {md_escape(entry.label)} ({entry.words} words)", "", _md_block(entry.text, quote=True), ""]
    lines += ["## For the next round", ""]
    lines += [f"{i}. {md_escape(step)}" for i, step in enumerate(NEXT_ROUND, 1)]
    lines += ["", md_escape(_footer(named)), ""]
    return "\n".join(lines)


def cmd_digest(args) -> int:
    report = Report("digest")
    out = Path(args.out)
    if not _check_out(out, (".html", ".htm", ".md", ".markdown"), report):
        return 1
    try:
        banks = _load_course(args.banks)
        bank, prompt = find_prompt(banks, args.prompt)
    except BankError as exc:
        report.error(str(exc))
        return 1
    subs = load_submissions(args.submissions, banks, report)
    if not subs:
        report.summary(0, "read")
        report.error(f"no submission could be read; {_safe(out)} was not written")
        return 1
    entries, blank = collect_responses(subs, bank, prompt, args.named, report)
    if not entries:
        report.summary(0, "with a response")
        report.error(f"none of the {len(subs)} readable submission(s) has a response to {prompt.id} "
                     f"(chapter {bank.chapter}); {_safe(out)} was not written")
        return 1
    render = render_html if out.suffix.lower() in (".html", ".htm") else render_markdown
    page = render(bank, prompt, entries, args.named)
    try:
        _write_atomically(out, lambda handle: handle.write(page))
    except OSError as exc:
        report.error(f"cannot write {_safe(out)}: {exc.strerror or exc}")
        return 1
    extra = f" ({blank} submission(s) without a response)" if blank else ""
    report.summary(len(entries), f"in the digest{extra}")
    print(f"wrote {out}: {len(entries)} response(s) to {prompt.id}"
          f"{', named' if args.named else ', anonymised'}")
    return 0


# --- the command line ------------------------------------------------------------------

def register(subparsers) -> None:
    grade_p = subparsers.add_parser(
        "grade", help="score submission files against the banks and write a CSV gradebook",
        description="Score every submission (files, or folders of *.json) with the course grader and "
                    "write one CSV row per student. Bad files are skipped and named on stderr.")
    grade_p.add_argument("submissions", nargs="+", metavar="SUBMISSIONS", help="submission files or folders")
    grade_p.add_argument("--out", required=True, metavar="FILE.csv", help="the gradebook to write")
    grade_p.add_argument("--banks", default="chapters", metavar="DIR", help="question banks (default: chapters)")
    grade_p.add_argument("--assignment", action="append", default=[], metavar="assignment.json",
                         help="also grade submissions to this assignment (made by coursekit assign); repeatable")
    grade_p.set_defaults(run=cmd_grade)

    digest_p = subparsers.add_parser(
        "digest", help="gather the responses to one discussion prompt into a page for the class",
        description="Collect the responses to one discussion prompt into a standalone HTML page or a "
                    "Markdown file, anonymised unless --named.")
    digest_p.add_argument("submissions", nargs="+", metavar="SUBMISSIONS", help="submission files or folders")
    digest_p.add_argument("--prompt", required=True, metavar="ID", help="the discussion prompt id, e.g. ch02-d-shared-threats")
    digest_p.add_argument("--out", required=True, metavar="FILE", help="digest.html or digest.md")
    digest_p.add_argument("--named", action="store_true", help="show the students' names instead of Student 1, 2, ...")
    digest_p.add_argument("--banks", default="chapters", metavar="DIR", help="question banks (default: chapters)")
    digest_p.set_defaults(run=cmd_digest)


__all__ = ["register", "cmd_grade", "cmd_digest", "load_submissions", "latest_only", "build_gradebook",
           "neutralise", "md_escape", "render_html", "render_markdown", "MAX_SUBMISSION_BYTES"]
