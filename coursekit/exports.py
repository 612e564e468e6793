"""Export question banks for other systems: Moodle GIFT, Canvas QTI 1.2 (via text2qti), JSON.

Every exporter returns, besides its output, the questions it had to leave out, each with
the reason; the `coursekit export` command prints them. Nothing is dropped silently.

Bank text is plain text. Each format gets it as plain text:

GIFT (Moodle)
    Every text is escaped (``\\ ~ = # { } :`` get a backslash, a line break becomes ``\\n``)
    and every question is marked ``[plain]``, so Moodle shows ``<b>`` as ``<b>``. A title
    ``::id::`` names each question; the explanation is the general feedback (``####``).

    single      ``{=right ~wrong}``, option feedback after ``#``; an option without feedback
                gets the question's feedback_correct / feedback_incorrect, as in our views.
    multiple    checkboxes ``{~%w%right ~%-w%wrong}`` with w = 100 / (number of right
                options). Moodle adds the weights of the ticked boxes and keeps the sum
                between 0 and 100 %, which is exactly our partial-credit rule
                (right ticks - wrong ticks) / right options, floored at 0. Moodle accepts
                only its fixed list of grades (100, 50, 33.33333, 25, 20, 16.66667,
                14.28571, 12.5, 11.11111, 10, ...), so 1 to 10 right options work and more
                are left out.
    truefalse   ``{TRUE#feedback if wrong#feedback if right}`` (or FALSE).
    text        short answer ``{=a =b}``: every accepted answer, plus its accent-stripped
                form and our normalised form (no case, accents, punctuation), because Moodle
                ignores case but not accents or punctuation; ``*`` is escaped (a wildcard
                in Moodle). feedback_incorrect becomes ``=%0%*#...``.
    numeric     ``{#answer:tolerance}``; the unit goes into the prompt.
    matching    ``{=left -> right}``. Moodle's GIFT documentation asks for at least three
                pairs; a question with fewer is left out.
    ordering    a matching of each item to its position ("1st", "2nd", ...), said so in the
                prompt; Moodle scores matching by the share of right pairs, as we score
                ordering by the share of items in place. Fewer than 3 items: left out.

    Moodle's importer reads ``->`` as a matching pair in any answer block without ``~``,
    so a short answer (or its feedback) or a left-hand matching item containing ``->``
    is left out. Generic feedback that GIFT has no place for (multiple, matching,
    ordering) is appended to the general feedback.

QTI 1.2 (Canvas, via text2qti)
    Built with text2qti's Python API from its Markdown quiz format. Text is made inert for
    Markdown: every character that could be read as markup becomes an HTML character
    reference (``*`` -> ``&#42;``, ``<`` -> ``&#60;``, a leading ``1.``, ``--``, ``...``),
    so nothing turns into emphasis, a list, a link, an image, LaTeX, typography or an HTML
    tag, and Canvas shows the same plain text. Runs of white space become one space (our
    views show them that way too). Each item's title is the question id.

    single      multiple choice (per-option feedback, generic feedback as for GIFT).
    multiple    multiple answers (Canvas applies its own partial-credit rule).
    truefalse   True/False choice.
    text        short answer with every accepted answer, accent-stripped and normalised
                forms added as for GIFT.
    numeric     ``answer +- tolerance`` (text2qti keeps 4 decimals and refuses values
                whose magnitude is under 0.0001: such questions are left out).
    matching, ordering   left out: text2qti has no such question types.

    text2qti refuses two questions with the same prompt; a repeated prompt gets an empty,
    invisible ``<span data-coursekit-id="...">`` so that both can be exported.

JSON
    ``{"format": "coursekit-bank-export", "version": 1, "banks": [...]}`` with every field
    of every question; ``answer`` is always a response that earns full credit, in the form
    coursekit.grading.grade takes (see that module).
"""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Iterable, Sequence

from .bank import BankError, load_banks, select_banks
from .files import write_atomically
from .grading import normalise_text, strip_accents
from .model import (
    Bank, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice,
    TrueFalse,
)

EXPORT_FORMAT = "coursekit-bank-export"
EXPORT_VERSION = 1

# Moodle's fixed grade list (question_bank::fraction_options_full), as fractions.
MOODLE_FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
                    0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
GIFT_MIN_MATCHING_PAIRS = 3  # "There must be at least three matching pairs" (Moodle GIFT docs)


class ExportError(Exception):
    """An export that cannot produce a file (e.g. every question was left out).

    `left_out` holds the (id, reason) pairs found before it gave up."""

    def __init__(self, message: str, left_out: "LeftOut | None" = None):
        super().__init__(message)
        self.left_out = list(left_out or [])


LeftOut = list[tuple[str, str]]


# --- helpers shared by the formats ---------------------------------------------------

def accepted_variants(accept: Iterable[str]) -> list[str]:
    """Each accepted answer, then its accent-stripped and normalised forms; no repeats
    (compared without case, as Moodle and Canvas compare)."""
    out: list[str] = []
    seen: set[str] = set()
    for answer in accept:
        for variant in (answer, strip_accents(answer), normalise_text(answer)):
            variant = " ".join(variant.split())
            if variant and variant.casefold() not in seen:
                seen.add(variant.casefold())
                out.append(variant)
    return out


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _with_unit(question: Numeric) -> str:
    return f"{question.prompt} (unit: {question.unit})" if question.unit else question.prompt


ORDERING_NOTE = ("(Match each item to its position in the correct order: "
                 "1st is the first, 2nd the second, and so on.)")


def ordering_prompt(question: Ordering) -> str:
    return f"{question.prompt}\n\n{ORDERING_NOTE}"


def _option_feedback(question, feedback: str, right: bool) -> str:
    """Option feedback, or the generic feedback our views show when an option has none."""
    if feedback:
        return feedback
    return question.feedback_correct if right else question.feedback_incorrect


def _generic_appendix(question: Question) -> str:
    parts = []
    if question.feedback_correct:
        parts.append(f"If fully correct: {question.feedback_correct}")
    if question.feedback_incorrect:
        parts.append(f"If not fully correct: {question.feedback_incorrect}")
    return "\n\n".join(parts)


# --- GIFT ----------------------------------------------------------------------------

_GIFT_ESCAPES = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}",
                 ":": "\\:", "\n": "\\n", "\r": ""}


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters and line breaks (Moodle's own exporter does the same)."""
    return "".join(_GIFT_ESCAPES.get(c, c) for c in text)


def _gift_text(text: str) -> str:
    """An escaped text that Moodle reads with the question's [plain] format. A text that
    itself starts with "[" would be read as a format name, so it gets an explicit one."""
    escaped = gift_escape(text)
    return "[plain]" + escaped if escaped.startswith("[") else escaped


def _gift_weight(fraction: float) -> str | None:
    """"%33.33333%" for 1/3, or None when Moodle has no such grade."""
    percent = f"{abs(fraction) * 100:.5f}".rstrip("0").rstrip(".")
    if not any(abs(float(percent) / 100 - allowed) < 1e-7 for allowed in MOODLE_FRACTIONS):
        return None
    return f"%{'-' if fraction < 0 and percent != '0' else ''}{percent}%"


def _gift_feedback(text: str) -> str:
    return "#" + _gift_text(text) if text else ""


def _gift_answers(question: Question) -> tuple[str, list[str], str]:
    """(prompt, answer lines, extra general feedback), or raise _LeaveOut."""
    if isinstance(question, SingleChoice):
        lines = []
        for option in question.options:
            right = option.text == question.answer
            text = _gift_text(option.text)
            mark = "=" if right else ("~%0%" if text.startswith("%") else "~")
            feedback = _option_feedback(question, option.feedback, right)
            lines.append(mark + text + _gift_feedback(feedback))
        return question.prompt, lines, ""
    if isinstance(question, MultipleChoice):
        k = len(question.answer)
        right_w, wrong_w = _gift_weight(1 / k), _gift_weight(-1 / k)
        if right_w is None or wrong_w is None:
            raise _LeaveOut(f"{k} right options need a weight of 1/{k} each, which is not "
                            "one of Moodle's allowed grades (at most 10 right options)")
        lines = [("~" + (right_w if o.text in question.answer else wrong_w)
                  + _gift_text(o.text) + _gift_feedback(o.feedback)) for o in question.options]
        return question.prompt, lines, _generic_appendix(question)
    if isinstance(question, TrueFalse):
        right = question.feedback_true if question.answer else question.feedback_false
        wrong = question.feedback_false if question.answer else question.feedback_true
        right = right or question.feedback_correct
        wrong = wrong or question.feedback_incorrect
        line = "TRUE" if question.answer else "FALSE"
        if wrong or right:
            line += "#" + _gift_text(wrong)
        if right:
            line += "#" + _gift_text(right)
        return question.prompt, [line], ""
    if isinstance(question, ShortText):
        variants = accepted_variants(question.accept)
        texts = [*variants, question.feedback_correct, question.feedback_incorrect]
        if any("->" in t for t in texts):
            raise _LeaveOut("it contains '->', which Moodle's GIFT importer reads as a matching pair")
        lines = []
        for variant in variants:
            text = _gift_text(variant).replace("*", "\\*")  # * is Moodle's wildcard
            lines.append(("=%100%" if text.startswith("%") else "=") + text
                         + _gift_feedback(question.feedback_correct))
        if question.feedback_incorrect:
            lines.append("=%0%*" + _gift_feedback(question.feedback_incorrect))
        return question.prompt, lines, ""
    if isinstance(question, Numeric):
        lines = [f"={_number(question.answer)}:{_number(question.tolerance)}"
                 + _gift_feedback(question.feedback_correct)]
        if question.feedback_incorrect:
            lines.append("~" + _gift_feedback(question.feedback_incorrect))
        return _with_unit(question), lines, ""
    if isinstance(question, (Matching, Ordering)):
        if isinstance(question, Matching):
            pairs = [(p.left, p.right) for p in question.pairs]
            prompt = question.prompt
        else:
            pairs = [(item, ordinal(i)) for i, item in enumerate(question.items, start=1)]
            prompt = ordering_prompt(question)
        noun = "pairs" if isinstance(question, Matching) else "items"
        if len(pairs) < GIFT_MIN_MATCHING_PAIRS:
            raise _LeaveOut(f"Moodle's GIFT format needs at least {GIFT_MIN_MATCHING_PAIRS} matching "
                            f"pairs; this question has {len(pairs)} {noun}")
        if any("->" in left for left, _ in pairs):
            raise _LeaveOut("a left-hand item contains '->', GIFT's pair separator")
        lines = [f"={_gift_text(left)} -> {gift_escape(right)}" for left, right in pairs]
        return prompt, lines, _generic_appendix(question)
    raise _LeaveOut(f"no GIFT mapping for type {question.type!r}")


class _LeaveOut(Exception):
    pass


def to_gift(questions: Sequence[Question], *, category: str) -> tuple[str, LeftOut]:
    """Moodle GIFT text for `questions` under `category`, and the (id, reason) left out."""
    category = " ".join(str(category).split())
    out = [f"// Exported by coursekit from the question banks. Category: {category}",
           f"$CATEGORY: {category}", ""]
    left_out: LeftOut = []
    for question in questions:
        try:
            prompt, lines, appendix = _gift_answers(question)
        except _LeaveOut as reason:
            left_out.append((question.id, str(reason)))
            continue
        general = question.explanation + ("\n\n" + appendix if appendix else "")
        opener = "{#" if isinstance(question, Numeric) else "{"  # "{#" starts a numeric answer
        block = [f"// {question.id} ({question.type})",
                 f"::{gift_escape(question.id)}::[plain]{gift_escape(prompt)}{opener}"]
        block += ["\t" + line for line in lines]
        block += ["\t####" + _gift_text(general), "}", ""]
        out.extend(block)
    return "\n".join(out), left_out


# --- QTI via text2qti ----------------------------------------------------------------

# Characters that Markdown, its smarty/attribute extensions, text2qti's LaTeX and siunitx
# pass or HTML could read as markup, always replaced by character references. Others are
# replaced only where they can mean something: "." and "-" in runs ("..." and "--" become
# typography), a leading "1." or "-"/"+" (lists).
_MD_ALWAYS = re.compile(r"[!\"#$&'*<>\[\\\]^_`{|}~]")
_MD_RUNS = re.compile(r"\.{2,}|-{2,}")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _ref(char: str) -> str:
    return f"&#{ord(char)};"


def markdown_inert(text: str) -> str:
    """Plain text -> Markdown that text2qti turns into HTML showing exactly that text
    (runs of white space become one space)."""
    out = _MD_ALWAYS.sub(lambda m: _ref(m.group()), " ".join(text.split()))
    out = _MD_RUNS.sub(lambda m: "".join(map(_ref, m.group())), out)
    out = re.sub(r"^(\d+)\.", lambda m: m.group(1) + _ref("."), out)
    return re.sub(r"^[-+]", lambda m: _ref(m.group()), out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _qti_block(question: Question, number: int, marker: str) -> list[str]:
    """The text2qti Markdown for one question, or raise _LeaveOut."""
    md = markdown_inert
    if isinstance(question, (Matching, Ordering)):
        raise _LeaveOut(f"QTI 1.2 via text2qti has no {question.type} question")
    prompt = _with_unit(question) if isinstance(question, Numeric) else question.prompt
    lines = [f"Title: {_one_line(question.id)}", f"{number}.  {md(prompt)}{marker}",
             f"... {md(question.explanation)}"]
    generic = isinstance(question, (MultipleChoice, ShortText, Numeric))
    if generic and question.feedback_correct:
        lines.append(f"+   {md(question.feedback_correct)}")
    if generic and question.feedback_incorrect:
        lines.append(f"-   {md(question.feedback_incorrect)}")
    if isinstance(question, SingleChoice):
        if len(question.options) > 26:
            raise _LeaveOut("text2qti labels choices a) to z): at most 26 options")
        for letter, option in zip("abcdefghijklmnopqrstuvwxyz", question.options):
            right = option.text == question.answer
            lines.append(f"{'*' if right else ''}{letter}) {md(option.text)}")
            feedback = _option_feedback(question, option.feedback, right)
            if feedback:
                lines.append(f"... {md(feedback)}")
    elif isinstance(question, MultipleChoice):
        for option in question.options:
            lines.append(f"{'[*]' if option.text in question.answer else '[ ]'} {md(option.text)}")
            if option.feedback:
                lines.append(f"... {md(option.feedback)}")
    elif isinstance(question, TrueFalse):
        for value, label in ((True, "True"), (False, "False")):
            right = value == question.answer
            lines.append(f"{'*' if right else ''}{'a' if value else 'b'}) {label}")
            feedback = question.feedback_true if value else question.feedback_false
            feedback = feedback or (question.feedback_correct if right else question.feedback_incorrect)
            if feedback:
                lines.append(f"... {md(feedback)}")
    elif isinstance(question, ShortText):
        for variant in accepted_variants(question.accept):
            lines.append(f"*   {variant}")  # short answers are XML-escaped, never Markdown
    elif isinstance(question, Numeric):
        low, high = question.answer - question.tolerance, question.answer + question.tolerance
        if min(abs(low), abs(high)) < 1e-4:
            raise _LeaveOut("text2qti refuses numeric answers whose range reaches within 0.0001 of zero")
        if any(abs(float(f"{v:.4f}") - v) > 1e-9 for v in (low, high, question.answer)):
            raise _LeaveOut("text2qti keeps 4 decimal places; this answer or tolerance needs more")
        lines.append(f"=   {_number(question.answer)} +- {_number(question.tolerance)}")
    else:
        raise _LeaveOut(f"no QTI mapping for type {question.type!r}")
    return lines


def _text2qti():
    try:
        from text2qti.config import Config
        from text2qti.err import Text2qtiError
        from text2qti.qti import QTI
        from text2qti.quiz import Quiz
    except ImportError:
        raise ExportError("QTI export needs text2qti: pip install text2qti") from None

    return Config, Text2qtiError, QTI, Quiz


def to_qti(questions: Sequence[Question], *, title: str, out_path) -> LeftOut:
    """Write a Canvas-importable QTI 1.2 zip to `out_path`; return the (id, reason) left out.

    Raises ExportError when no question can be exported (nothing is written then).
    """
    Config, Text2qtiError, QTI, Quiz = _text2qti()
    title = _one_line(title) or "Quiz"
    header = [f"Quiz title: {title}", ""]
    left_out: LeftOut = []
    blocks: list[str] = []
    seen_prompts: set[str] = set()
    for question in questions:
        texts = _texts(question)
        if any(_XML_UNSAFE.search(t) for t in texts):
            left_out.append((question.id, "it contains control characters that XML cannot carry"))
            continue
        prompt_key = markdown_inert(_with_unit(question) if isinstance(question, Numeric) else question.prompt)
        marker = ""
        if prompt_key in seen_prompts:
            marker = f' <span data-coursekit-id="{html.escape(question.id)}"></span>'
        try:
            lines = _qti_block(question, len(blocks) + 1, marker)
        except _LeaveOut as reason:
            left_out.append((question.id, str(reason)))
            continue
        block = "\n".join(lines)
        try:  # each question alone first, so that a refusal names its question
            Quiz("\n".join(header) + "\n" + block + "\n", config=Config())
        except Text2qtiError as exc:
            reason = " ".join(str(exc).split("\n")[1:] or [str(exc)]).strip()
            left_out.append((question.id, f"text2qti refused it: {reason}"))
            continue
        seen_prompts.add(prompt_key)
        blocks.append(block)
    if not blocks:
        raise ExportError(f"no question can be exported to QTI ({len(left_out)} left out)", left_out)
    text = "\n".join(header) + "\n" + "\n\n".join(blocks) + "\n"
    try:
        quiz = Quiz(text, config=Config())
    except Text2qtiError as exc:  # not expected: every block passed alone
        raise ExportError(f"text2qti could not build the quiz: {exc}", left_out) from None
    write_atomically(Path(out_path), QTI(quiz).zip_bytes())
    return left_out


def _texts(question: Question) -> list[str]:
    texts = [question.id, question.prompt, question.explanation, question.feedback_correct,
             question.feedback_incorrect]
    for option in getattr(question, "options", ()):
        texts += [option.text, option.feedback]
    texts += list(getattr(question, "accept", ()))
    texts += list(getattr(question, "items", ()))
    for pair in getattr(question, "pairs", ()):
        texts += [pair.left, pair.right]
    texts += [getattr(question, "feedback_true", ""), getattr(question, "feedback_false", ""),
              getattr(question, "unit", "")]
    return texts


# --- JSON ----------------------------------------------------------------------------

def question_to_dict(question: Question) -> dict:
    data = {
        "id": question.id, "type": question.type, "objective": question.objective,
        "prompt": question.prompt, "explanation": question.explanation,
        "feedback_correct": question.feedback_correct,
        "feedback_incorrect": question.feedback_incorrect, "shuffle": question.shuffle,
    }
    if isinstance(question, (SingleChoice, MultipleChoice)):
        data["options"] = [{"text": o.text, "feedback": o.feedback} for o in question.options]
        data["answer"] = (question.answer if isinstance(question, SingleChoice)
                          else [o.text for o in question.options if o.text in question.answer])
    elif isinstance(question, TrueFalse):
        data["answer"] = question.answer
        data["feedback"] = {"true": question.feedback_true, "false": question.feedback_false}
    elif isinstance(question, ShortText):
        data["accept"] = list(question.accept)
        data["answer"] = question.accept[0]
    elif isinstance(question, Numeric):
        data.update(answer=question.answer, tolerance=question.tolerance, unit=question.unit)
    elif isinstance(question, Matching):
        data["pairs"] = [{"left": p.left, "right": p.right} for p in question.pairs]
        data["answer"] = {p.left: p.right for p in question.pairs}
    elif isinstance(question, Ordering):
        data["items"] = list(question.items)
        data["answer"] = list(question.items)
    return data


def to_json(banks: Sequence[Bank]) -> dict:
    """A versioned, self-describing export of whole banks (questions and discussions)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "banks": [{
            "chapter": bank.chapter, "title": bank.title, "course": bank.course,
            "objectives": dict(bank.objectives),
            "questions": [question_to_dict(q) for q in bank.questions],
            "discussions": [{
                "id": d.id, "prompt": d.prompt, "guiding_questions": list(d.guiding_questions),
                "suggested_words": d.suggested_words,
                "perspectives": [{"title": p.title, "text": p.text} for p in d.perspectives],
            } for d in bank.discussions],
        } for bank in banks],
    }


# --- the command ---------------------------------------------------------------------

def _qti_title(banks: Sequence[Bank]) -> str:
    if len(banks) == 1:
        return f"{banks[0].title} ({banks[0].chapter})"
    return f"{banks[0].course}: {len(banks)} chapters"


def cmd_export(args) -> int:
    directory = Path(args.banks)
    if not directory.is_dir():
        print(f"error: {directory}: no such folder of banks (use --banks DIR)", file=sys.stderr)
        return 1
    paths = select_banks(directory, args.chapters)  # BankError -> "error: ..." in cli.main
    if not paths:
        print(f"error: {directory}: no chapter banks found", file=sys.stderr)
        return 1
    banks = load_banks(paths)
    out = Path(args.out)
    if out.is_dir():
        print(f"error: {out} is a folder; --out needs a file name", file=sys.stderr)
        return 1
    if not out.parent.is_dir():
        print(f"error: cannot write {out}: folder {out.parent} does not exist", file=sys.stderr)
        return 1
    questions = [q for bank in banks for q in bank.questions]
    types = {q.id: q.type for q in questions}
    left_out: LeftOut = []
    try:
        if args.format == "gift":
            parts = []
            for bank in banks:
                text, skipped = to_gift(bank.questions, category=f"{bank.course}/{bank.chapter}")
                parts.append(text)
                left_out += skipped
            if len(left_out) == len(questions):
                raise ExportError(f"no question can be exported to GIFT ({len(left_out)} left out)", left_out)
            write_atomically(out, "\n".join(parts).encode("utf-8"))
        elif args.format == "qti":
            left_out = to_qti(questions, title=_qti_title(banks), out_path=out)
        else:
            data = json.dumps(to_json(banks), ensure_ascii=False, indent=2) + "\n"
            write_atomically(out, data.encode("utf-8"))
    except ExportError as exc:
        for qid, reason in exc.left_out or left_out:
            print(f"left out {qid} ({types.get(qid, '?')}): {reason}")
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for qid, reason in left_out:
        print(f"left out {qid} ({types.get(qid, '?')}): {reason}")
    written = len(questions) - len(left_out)
    print(f"wrote {written} questions to {out}; {len(left_out)} left out")
    return 0


def _export_error_guard(args) -> int:
    """Run the export; text2qti's own errors become a clean message, never a traceback."""
    try:
        return cmd_export(args)
    except BankError:
        raise  # cli.main prints it as "error: ..."
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - text2qti raises its own error class
        if type(exc).__name__ == "Text2qtiError":
            print(f"error: {exc}", file=sys.stderr)
            return 1
        raise


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="export question banks to Moodle GIFT, Canvas QTI 1.2 or JSON",
        description="Export the chapters' question banks. Questions a format cannot hold are "
                    "left out, one line each, with the reason.")
    parser.add_argument("--format", required=True, choices=("gift", "qti", "json"))
    parser.add_argument("--chapters", default=None, metavar="N,N",
                        help="chapter numbers, e.g. 2,5 (a chapter includes its sections); default: all")
    parser.add_argument("--banks", default="chapters", metavar="DIR",
                        help="folder of the bank files (default: chapters)")
    parser.add_argument("--out", required=True, metavar="FILE", help="file to write")
    parser.set_defaults(run=_export_error_guard)


__all__ = [
    "EXPORT_FORMAT", "EXPORT_VERSION", "ExportError", "to_gift", "to_qti", "to_json",
    "question_to_dict", "gift_escape", "markdown_inert", "accepted_variants", "strip_accents",
    "ordinal", "register", "cmd_export",
]
