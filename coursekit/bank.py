"""Load a YAML question bank into the model, or fail with one clear BankError.

Every error names the file, the question (or discussion) id, the field and, where YAML
knows it, the line. Nothing is half-loaded: a bank is returned whole or not at all.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .course import Course, load_course
from .errors import BankError, echo, printable
from .model import (
    LEVELS,
    QUESTION_TYPES,
    Bank,
    DiscussionPrompt,
    Matching,
    MultipleChoice,
    Numeric,
    Option,
    Ordering,
    Pair,
    Perspective,
    Question,
    ShortText,
    SingleChoice,
    TrueFalse,
)

MAX_BANK_BYTES = 1_000_000  # a chapter bank is a few tens of KB; anything larger is a mistake
MAX_TEXT_CHARS = 10_000  # one prompt, option or explanation; also the longest answer a submission may carry
# Control characters (other than tab and line breaks) are invisible in an editor and break
# exports and CSV files: a bank that holds one (often pasted from a PDF) is refused.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
BIB_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$")

COMMON_FIELDS = {"id", "type", "objective", "level", "prompt", "explanation", "feedback_correct",
                 "feedback_incorrect", "shuffle"}
TYPE_FIELDS = {
    "single": {"options", "answer"},
    "multiple": {"options", "answer"},
    "truefalse": {"answer", "feedback"},
    "text": {"accept"},
    "numeric": {"answer", "tolerance", "unit"},
    "matching": {"pairs"},
    "ordering": {"items"},
}
TOP_FIELDS = {"chapter", "title", "objectives", "questions", "discussions", "course"}
DISCUSSION_FIELDS = {"id", "prompt", "guiding_questions", "suggested_words", "perspectives"}


# --- YAML with line numbers, without aliases -------------------------------------------

class _LineDict(dict):
    line: int | None = None

    def __init__(self):
        super().__init__()
        self.key_lines: dict[Any, int] = {}


class _LineList(list):
    line: int | None = None

    def __init__(self):
        super().__init__()
        self.item_lines: list[int] = []


class _AliasRefused(yaml.YAMLError):
    def __init__(self, line: int):
        self.line = line


# libyaml's parser when PyYAML has it (several times faster), the pure-Python one otherwise.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BankLoader(_SafeBase):
    """A safe loader whose mappings and lists remember their lines (see parse_yaml).

    Its implicit types are narrower than YAML 1.1's, which turn an author's text into
    something else without a word: `no` and `on` into booleans, `1:20` into 80, `0x1F`
    and `010` into numbers, `2025-02-30` into a date (or a crash). Here only `true` and
    `false` are booleans, only plain decimal numbers are numbers (at most 18 digits, so
    a 5,000-digit "number" is text and is refused where a number is needed), and
    everything else, dates included, stays text.
    """

    yaml_implicit_resolvers: dict = {}


_BankLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))
_BankLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,17})$"),
                                  list("-+0123456789"))
_BankLoader.add_implicit_resolver("tag:yaml.org,2002:float",
                                  re.compile(r"^[-+]?(?:[0-9]{1,18}\.[0-9]{0,18}|\.[0-9]{1,18})(?:[eE][-+]?[0-9]{1,3})?$"),
                                  list("-+0123456789."))
_BankLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key, line: int):
        self.key, self.line = key, line


def _construct_map(loader: _BankLoader, node: yaml.MappingNode):
    data = _LineDict()
    data.line = node.start_mark.line + 1
    yield data
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)  # unusable key; reported the same way
        if key in data:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        data.key_lines[key] = key_node.start_mark.line + 1
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_seq(loader: _BankLoader, node: yaml.SequenceNode):
    data = _LineList()
    data.line = node.start_mark.line + 1
    yield data
    for child in node.value:
        data.item_lines.append(child.start_mark.line + 1)
        data.append(loader.construct_object(child, deep=True))


_BankLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_BankLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def parse_yaml(text: str, file: str) -> Any:
    try:
        # Refusing aliases defeats a "billion laughs" file: no node can then be expanded
        # into more than the file itself holds. Banks never need anchors. The events are
        # scanned first, so nothing is built from a file that has one.
        for event in yaml.parse(text, Loader=_SafeBase):
            if isinstance(event, yaml.AliasEvent):
                raise _AliasRefused(event.start_mark.line + 1)
        return yaml.load(text, Loader=_BankLoader)  # noqa: S506 - a safe loader subclass
    except _AliasRefused as exc:
        raise BankError(file, "YAML anchors and aliases (*name) are not allowed in a bank", line=exc.line) from None
    except _DuplicateKey as exc:
        raise BankError(file, f"key {echo(exc.key)} is repeated or not a plain name", line=exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            # e.g. an unclosed quote: the cause is where the quote opened, not where the file ended
            problem += f" ({exc.context.strip()} that starts on line {exc.context_mark.line + 1})"
        raise BankError(file, f"invalid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise BankError(file, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise BankError(file, "invalid YAML: nested too deeply") from None


def read_text(path: Path, file: str) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BankError(file, "file not found") from None
    except OSError as exc:
        raise BankError(file, f"cannot read the file: {exc.strerror}") from None
    if path.is_dir():
        raise BankError(file, "is a folder, not a bank file")
    if size > MAX_BANK_BYTES:
        raise BankError(file, f"file is {size} bytes; a bank may be at most {MAX_BANK_BYTES}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BankError(file, f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8", line=line) from None
    return text  # load_bank_text checks the characters


# --- validation ----------------------------------------------------------------------

class _Checker:
    """Turns parsed YAML into model objects, raising BankError at the first problem."""

    def __init__(self, file: str, course: Course | None = None):
        self.file = file
        self.course = course or Course()

    def fail(self, message, *, item="", field="", line=None):
        raise BankError(self.file, message, item=item, field=field, line=line)

    @staticmethod
    def line_of(mapping, key=None):
        if isinstance(mapping, _LineDict):
            return mapping.key_lines.get(key, mapping.line) if key is not None else mapping.line
        return None

    def text(self, mapping, key, item, *, required=True, default=""):
        if key not in mapping or mapping[key] is None:
            if required:
                self.fail("is missing", item=item, field=key, line=self.line_of(mapping))
            return default
        value = mapping[key]
        if isinstance(value, bool):
            self.fail(f"is the boolean {value}; put text in quotes", item=item, field=key,
                      line=self.line_of(mapping, key))
        if isinstance(value, (int, float)):
            value = _number_text(value)
        if not isinstance(value, str):
            self.fail("must be text", item=item, field=key, line=self.line_of(mapping, key))
        value = value.strip()
        if required and not value:
            self.fail("is empty", item=item, field=key, line=self.line_of(mapping, key))
        return self.plain(value, item, key, self.line_of(mapping, key))

    def plain(self, value: str, item, field, line) -> str:
        """Text a student can be shown and an LMS can import: not too long, no control characters."""
        if len(value) > MAX_TEXT_CHARS:
            self.fail(f"is {len(value):,} characters; the most is {MAX_TEXT_CHARS:,}", item=item, field=field, line=line)
        if CONTROL_CHARS.search(value):
            self.fail("holds an invisible control character; delete it", item=item, field=field, line=line)
        return value

    def text_list(self, mapping, key, item, *, minimum=1):
        value = mapping.get(key)
        line = self.line_of(mapping, key)
        if value is None:
            self.fail("is missing", item=item, field=key, line=self.line_of(mapping))
        if not isinstance(value, list):
            self.fail("must be a list", item=item, field=key, line=line)
        out = []
        for i, entry in enumerate(value):
            entry_line = value.item_lines[i] if isinstance(value, _LineList) else line
            if isinstance(entry, bool) or entry is None or isinstance(entry, (dict, list)):
                self.fail(f"entry {i + 1} must be text (put it in quotes)", item=item, field=key, line=entry_line)
            text = _number_text(entry) if isinstance(entry, (int, float)) else str(entry).strip()
            if not text:
                self.fail(f"entry {i + 1} is empty", item=item, field=key, line=entry_line)
            out.append(self.plain(text, item, key, entry_line))
        if len(out) < minimum:
            self.fail(f"needs at least {minimum} entries, has {len(out)}", item=item, field=key, line=line)
        if len(set(out)) != len(out):
            self.fail("has the same entry twice", item=item, field=key, line=line)
        return tuple(out)

    def unknown_fields(self, mapping, allowed, item):
        for key in mapping:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.fail(f"unknown field (expected one of: {hint})", item=item, field=printable(str(key)),
                          line=self.line_of(mapping, key))

    def bank(self, data, expected_stem: str | None) -> Bank:
        if data is None:
            self.fail("file is empty; a bank needs 'chapter', 'objectives' and 'questions'")
        if not isinstance(data, dict):
            self.fail(f"the top level must be a mapping with 'chapter', 'objectives' and 'questions', "
                      f"not a {_kind(data)}", line=getattr(data, "line", None))
        self.unknown_fields(data, TOP_FIELDS, "bank")
        chapter = self.text(data, "chapter", "bank")
        if not ID_PATTERN.match(chapter) or len(chapter) > 100:
            self.fail(f"{echo(chapter)} must be lower-case letters, digits and hyphens (the file's name without .yml)",
                      item="bank", field="chapter", line=self.line_of(data, "chapter"))
        if expected_stem and chapter != expected_stem:
            self.fail(f"is {chapter!r} but the file is named {expected_stem!r}; they must match",
                      item="bank", field="chapter", line=self.line_of(data, "chapter"))
        objectives = data.get("objectives")
        if not isinstance(objectives, dict) or not objectives:
            self.fail("must be a mapping of objective ids to statements, with at least one",
                      item="bank", field="objectives", line=self.line_of(data, "objectives") or data.line)
        objective_texts = {str(k): self.text(objectives, k, f"objective '{k}'") for k in objectives}
        questions = data.get("questions")
        if not isinstance(questions, list) or not questions:
            self.fail("must be a list with at least one question", item="bank", field="questions",
                      line=self.line_of(data, "questions") or data.line)
        seen: dict[str, int] = {}
        parsed = []
        for index, raw in enumerate(questions):
            line = questions.item_lines[index] if isinstance(questions, _LineList) else None
            question = self.question(raw, index, line, objective_texts)
            if question.id in seen:
                self.fail(f"duplicate id (first used at line {seen[question.id]})",
                          item=f"question '{question.id}'", field="id", line=self.line_of(raw, "id"))
            seen[question.id] = self.line_of(raw, "id") or 0
            parsed.append(question)
        discussions = data.get("discussions") or []
        if not isinstance(discussions, list):
            self.fail("must be a list", item="bank", field="discussions", line=self.line_of(data, "discussions"))
        prompts = []
        for index, raw in enumerate(discussions):
            line = discussions.item_lines[index] if isinstance(discussions, _LineList) else None
            prompt = self.discussion(raw, index, line)
            if prompt.id in seen:
                self.fail(f"duplicate id (first used at line {seen[prompt.id]})",
                          item=f"discussion '{prompt.id}'", field="id", line=self.line_of(raw, "id"))
            seen[prompt.id] = self.line_of(raw, "id") or 0
            prompts.append(prompt)
        return Bank(
            chapter=chapter,
            title=self.text(data, "title", "bank", required=False, default="Check your understanding"),
            objectives=objective_texts,
            questions=tuple(parsed),
            discussions=tuple(prompts),
            source=self.file,
            course=self.course_id(data),
        )

    def course_id(self, data) -> str:
        if "course" in data:
            course = self.text(data, "course", "bank")
            if not ID_PATTERN.match(course) or len(course) > 100:
                self.fail(f"{echo(course)} must be lower-case letters, digits and hyphens", item="bank", field="course",
                          line=self.line_of(data, "course"))
            return course
        course = self.course.id
        if not course:
            self.fail("is missing: this bank is outside a course folder (no _config.yml with a coursekit "
                      "section), so it must say which course it belongs to", item="bank", field="course")
        return course

    def identity(self, raw, index, line, kind):
        if not isinstance(raw, dict):
            self.fail(f"{kind} {index + 1} must be a mapping of fields, not a {_kind(raw)}", line=line)
        qid = raw.get("id")
        if qid is None:
            self.fail("is missing", item=f"{kind} {index + 1}", field="id", line=raw.line)
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            self.fail(f"{echo(qid)} must be lower-case letters, digits and hyphens", item=f"{kind} {index + 1}",
                      field="id", line=self.line_of(raw, "id"))
        return qid, f"{kind} '{qid}'"

    def question(self, raw, index, line, objectives) -> Question:
        qid, item = self.identity(raw, index, line, "question")
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            self.fail(f"unknown type {qtype!r} (expected one of: {', '.join(QUESTION_TYPES)})",
                      item=item, field="type", line=self.line_of(raw, "type" if "type" in raw else None))
        self.unknown_fields(raw, COMMON_FIELDS | TYPE_FIELDS[qtype], item)
        objective = self.text(raw, "objective", item)
        if objective not in objectives:
            self.fail(f"{objective!r} is not one of the bank's objectives ({', '.join(objectives)})",
                      item=item, field="objective", line=self.line_of(raw, "objective"))
        shuffle = raw.get("shuffle", False)
        if not isinstance(shuffle, bool):
            self.fail("must be true or false", item=item, field="shuffle", line=self.line_of(raw, "shuffle"))
        level = self.text(raw, "level", item, required=False)
        if level and level not in LEVELS:
            self.fail(f"{level!r} is not a level (expected one of: {', '.join(LEVELS)})", item=item,
                      field="level", line=self.line_of(raw, "level"))
        common = dict(
            id=qid, objective=objective, level=level, prompt=self.text(raw, "prompt", item),
            explanation=self.text(raw, "explanation", item),
            feedback_correct=self.text(raw, "feedback_correct", item, required=False),
            feedback_incorrect=self.text(raw, "feedback_incorrect", item, required=False),
            shuffle=shuffle,
        )
        return getattr(self, f"q_{qtype}")(raw, item, common)

    def options(self, raw, item):
        options = raw.get("options")
        if not isinstance(options, list):
            self.fail("must be a list of options", item=item, field="options",
                      line=self.line_of(raw, "options" if "options" in raw else None))
        out = []
        for i, entry in enumerate(options):
            entry_line = options.item_lines[i] if isinstance(options, _LineList) else None
            if isinstance(entry, dict):
                self.unknown_fields(entry, {"text", "feedback"}, item)
                out.append(Option(self.text(entry, "text", item),
                                  self.text(entry, "feedback", item, required=False)))
            elif isinstance(entry, (str, int, float)) and not isinstance(entry, bool):
                text = _number_text(entry) if not isinstance(entry, str) else entry.strip()
                if not text:
                    self.fail(f"option {i + 1} is empty", item=item, field="options", line=entry_line)
                out.append(Option(self.plain(text, item, "options", entry_line)))
            else:
                self.fail(f"option {i + 1} must be text or a mapping with 'text'", item=item,
                          field="options", line=entry_line)
        if len(out) < 2:
            self.fail(f"needs at least 2 options, has {len(out)}", item=item, field="options",
                      line=self.line_of(raw, "options"))
        texts = [o.text for o in out]
        if len(set(texts)) != len(texts):
            self.fail("two options have the same text", item=item, field="options", line=self.line_of(raw, "options"))
        return tuple(out)

    def q_single(self, raw, item, common):
        options = self.options(raw, item)
        answer = self.text(raw, "answer", item)
        if answer not in {o.text for o in options}:
            self.fail(f"{answer!r} is not one of the options", item=item, field="answer",
                      line=self.line_of(raw, "answer"))
        return SingleChoice(**common, options=options, answer=answer)

    def q_multiple(self, raw, item, common):
        options = self.options(raw, item)
        if isinstance(raw.get("answer"), str):
            answers = (self.text(raw, "answer", item),)
        else:
            answers = self.text_list(raw, "answer", item)
        texts = {o.text for o in options}
        for answer in answers:
            if answer not in texts:
                self.fail(f"{answer!r} is not one of the options", item=item, field="answer",
                          line=self.line_of(raw, "answer"))
        return MultipleChoice(**common, options=options, answer=frozenset(answers))

    def q_truefalse(self, raw, item, common):
        answer = raw.get("answer")
        if not isinstance(answer, bool):
            self.fail("must be true or false", item=item, field="answer",
                      line=self.line_of(raw, "answer" if "answer" in raw else None))
        feedback = raw.get("feedback") or {}
        if not isinstance(feedback, dict) or not set(feedback) <= {True, False}:
            self.fail("must be a mapping with keys true and/or false", item=item, field="feedback",
                      line=self.line_of(raw, "feedback"))
        return TrueFalse(**common, answer=answer,
                         feedback_true=self.text(feedback, True, item, required=False),
                         feedback_false=self.text(feedback, False, item, required=False))

    def q_text(self, raw, item, common):
        from .grading import normalise_text

        accept = self.text_list(raw, "accept", item)
        if any(not normalise_text(a) for a in accept):
            self.fail("an accepted answer has no letters or digits", item=item, field="accept",
                      line=self.line_of(raw, "accept"))
        return ShortText(**common, accept=accept)

    def number(self, raw, key, item, *, required=True, default=0.0):
        value = raw.get(key)
        if value is None:
            if required:
                self.fail("is missing", item=item, field=key, line=self.line_of(raw))
            return default
        try:
            number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        except OverflowError:
            number = None
        if number is None or not math.isfinite(number):
            self.fail(f"must be a number, not {echo(value)}", item=item, field=key, line=self.line_of(raw, key))
        return number

    def q_numeric(self, raw, item, common):
        answer = self.number(raw, "answer", item)
        tolerance = self.number(raw, "tolerance", item, required=False)
        if tolerance < 0:
            self.fail(f"must be zero or positive, not {_number_text(tolerance)}", item=item,
                      field="tolerance", line=self.line_of(raw, "tolerance"))
        return Numeric(**common, answer=answer, tolerance=tolerance,
                       unit=self.text(raw, "unit", item, required=False))

    def q_matching(self, raw, item, common):
        pairs = raw.get("pairs")
        line = self.line_of(raw, "pairs" if "pairs" in raw else None)
        if not isinstance(pairs, list):
            self.fail("must be a list of {left, right} pairs", item=item, field="pairs", line=line)
        parsed = []
        for entry in pairs:
            if not isinstance(entry, dict):
                self.fail("each pair must be a mapping with 'left' and 'right'", item=item, field="pairs", line=line)
            self.unknown_fields(entry, {"left", "right"}, item)
            parsed.append(Pair(self.text(entry, "left", item), self.text(entry, "right", item)))
        if len(parsed) < 2:
            self.fail(f"needs at least 2 pairs, has {len(parsed)}", item=item, field="pairs", line=line)
        lefts = [p.left for p in parsed]
        rights = [p.right for p in parsed]
        if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
            self.fail("each left item and each right item must appear once", item=item, field="pairs", line=line)
        return Matching(**common, pairs=tuple(parsed))

    def q_ordering(self, raw, item, common):
        items = self.text_list(raw, "items", item, minimum=2)
        return Ordering(**common, items=items)

    def discussion(self, raw, index, line) -> DiscussionPrompt:
        pid, item = self.identity(raw, index, line, "discussion")
        self.unknown_fields(raw, DISCUSSION_FIELDS, item)
        words = raw.get("suggested_words", 150)
        if isinstance(words, bool) or not isinstance(words, int) or words < 1:
            self.fail("must be a whole number of words, at least 1", item=item, field="suggested_words",
                      line=self.line_of(raw, "suggested_words"))
        guiding = self.text_list(raw, "guiding_questions", item, minimum=0) if "guiding_questions" in raw else ()
        perspectives = raw.get("perspectives") or []
        if not isinstance(perspectives, list):
            self.fail("must be a list of {title, text}", item=item, field="perspectives",
                      line=self.line_of(raw, "perspectives"))
        parsed = []
        for entry in perspectives:
            if not isinstance(entry, dict):
                self.fail("each perspective must be a mapping with 'title' and 'text'", item=item,
                          field="perspectives", line=self.line_of(raw, "perspectives"))
            self.unknown_fields(entry, {"title", "text", "sources"}, item)
            sources = self.text_list(entry, "sources", item, minimum=1) if "sources" in entry else ()
            for key in sources:
                if not BIB_KEY.match(key):
                    self.fail(f"{key[:60]!r} is not a bibliography key", item=item, field="sources",
                              line=self.line_of(entry, "sources"))
            parsed.append(Perspective(self.text(entry, "title", item), self.text(entry, "text", item), sources))
        return DiscussionPrompt(id=pid, prompt=self.text(raw, "prompt", item), guiding_questions=guiding,
                                suggested_words=words, perspectives=tuple(parsed))


def _kind(value) -> str:
    return {list: "list", _LineList: "list", str: "text", int: "number", float: "number",
            bool: "boolean"}.get(type(value), type(value).__name__)


def _number_text(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def load_bank(path: str | Path, *, display_name: str | None = None, course: Course | None = None) -> Bank:
    """Load and validate one bank. Raises BankError; never returns a partial bank.

    Its course id defaults to that of the course the file is in (`course`, or the nearest
    _config.yml with a coursekit section)."""
    path = Path(path)
    file = display_name or str(path)
    return load_bank_text(read_text(path, file), file, stem=path.stem, course=course or load_course(path.parent))


def load_bank_text(text: str, file: str, *, stem: str | None, course: Course) -> Bank:
    """Validate a bank held in memory (a sealed bank, once opened); `file` names it in errors."""
    control = CONTROL_CHARS.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise BankError(file, f"holds an invisible control character (U+{ord(control.group()):04X}); delete it",
                        line=line)
    return _Checker(file, course).bank(parse_yaml(text, file), expected_stem=stem)


def load_banks(paths: Iterable[str | Path], *, course: Course | None = None) -> list[Bank]:
    """Load several banks and check that ids are unique across all of them."""
    return check_unique_ids([load_bank(p, course=course) for p in paths])


def check_unique_ids(banks: list[Bank]) -> list[Bank]:
    """The banks, if no question or discussion id is used twice across them; else BankError."""
    owner: dict[str, str] = {}
    for bank in banks:
        for thing in (*bank.questions, *bank.discussions):
            if thing.id in owner:
                raise BankError(bank.source, f"id is also used in {owner[thing.id]}; ids must be unique across the course",
                                item=f"'{thing.id}'", field="id")
            owner[thing.id] = bank.source
    return banks


def bibliography_keys(path: str | Path) -> set[str]:
    """The entry keys of a BibTeX file (enough to check that a citation resolves)."""
    text = Path(path).read_text("utf-8-sig")
    return set(re.findall(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", text, re.M))


def check_sources(banks: Iterable[Bank], keys: set[str]) -> None:
    """Every perspective's `sources` must be entries of the bibliography."""
    for bank in banks:
        for prompt in bank.discussions:
            for perspective in prompt.perspectives:
                for key in perspective.sources:
                    if key not in keys:
                        raise BankError(bank.source, f"{key!r} is not in the bibliography",
                                        item=f"discussion '{prompt.id}'", field="sources")


def find_banks(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories to the banks inside them (*.yml beside a notebook of the same stem, or any *.yml)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(x for x in p.glob("*.y*ml") if x.is_file() and not x.name.startswith("_")))
        else:
            found.append(p)
    return found


def select_banks(directory: str | Path, chapters: str | None = None, *, course: Course | None = None) -> list[Path]:
    """The bank files of the chosen chapters, in course order (file-name order).

    `chapters` is a comma list of chapter numbers ("2,5"; a chapter includes its sections)
    or sections ("4.1"); None or "all" means every chapter. Which file names are chapters,
    and their numbers, follow the course's `chapter_stem` rule (coursekit/course.py).
    """
    course = course or load_course(directory)
    files = {p.stem: p for p in find_banks([directory])}
    return [files[stem] for stem in course.select(list(files), chapters)]


__all__ = ["BankError", "load_bank", "load_bank_text", "load_banks", "check_unique_ids", "bibliography_keys",
           "check_sources", "find_banks", "select_banks", "MAX_BANK_BYTES"]
