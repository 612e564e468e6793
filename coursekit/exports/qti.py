"""Canvas QTI 1.2, built with text2qti from its Markdown quiz format. The format, and how
each question type is written, is described in docs/export-formats.md."""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import ExportError
from ..files import write_atomically
from ..model import Numeric, Question, TypeTable
from .common import LeaveOut, LeftOut, accepted_variants, number_text, option_feedback, with_unit

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


QTI_ANSWERS = TypeTable("QTI export")
GENERIC_FEEDBACK_TYPES = ("multiple", "text", "numeric")  # the others carry it per option


def _qti_block(question: Question, number: int, marker: str) -> list[str]:
    """The text2qti Markdown for one question, or raise LeaveOut."""
    md = markdown_inert
    answer_lines = QTI_ANSWERS(question)  # first: it may leave the question out
    prompt = with_unit(question) if isinstance(question, Numeric) else question.prompt
    lines = [f"Title: {_one_line(question.id)}", f"{number}.  {md(prompt)}{marker}",
             f"... {md(question.explanation)}"]
    if question.type in GENERIC_FEEDBACK_TYPES and question.feedback_correct:
        lines.append(f"+   {md(question.feedback_correct)}")
    if question.type in GENERIC_FEEDBACK_TYPES and question.feedback_incorrect:
        lines.append(f"-   {md(question.feedback_incorrect)}")
    return lines + answer_lines


@QTI_ANSWERS.register("matching", "ordering")
def _qti_none(question) -> list[str]:
    raise LeaveOut(f"QTI 1.2 via text2qti has no {question.type} question")


@QTI_ANSWERS.register("single")
def _qti_single(question) -> list[str]:
    if len(question.options) > 26:
        raise LeaveOut("text2qti labels choices a) to z): at most 26 options")
    lines = []
    for letter, option in zip("abcdefghijklmnopqrstuvwxyz", question.options):
        right = option.text == question.answer
        lines.append(f"{'*' if right else ''}{letter}) {markdown_inert(option.text)}")
        feedback = option_feedback(question, option.feedback, right)
        if feedback:
            lines.append(f"... {markdown_inert(feedback)}")
    return lines


@QTI_ANSWERS.register("multiple")
def _qti_multiple(question) -> list[str]:
    lines = []
    for option in question.options:
        lines.append(f"{'[*]' if option.text in question.answer else '[ ]'} {markdown_inert(option.text)}")
        if option.feedback:
            lines.append(f"... {markdown_inert(option.feedback)}")
    return lines


@QTI_ANSWERS.register("truefalse")
def _qti_truefalse(question) -> list[str]:
    lines = []
    for value, label in ((True, "True"), (False, "False")):
        right = value == question.answer
        lines.append(f"{'*' if right else ''}{'a' if value else 'b'}) {label}")
        feedback = question.feedback_true if value else question.feedback_false
        feedback = feedback or (question.feedback_correct if right else question.feedback_incorrect)
        if feedback:
            lines.append(f"... {markdown_inert(feedback)}")
    return lines


@QTI_ANSWERS.register("text")
def _qti_text(question) -> list[str]:
    return [f"*   {variant}" for variant in accepted_variants(question.accept)]  # XML-escaped, never Markdown


@QTI_ANSWERS.register("numeric")
def _qti_numeric(question) -> list[str]:
    low, high = question.answer - question.tolerance, question.answer + question.tolerance
    if min(abs(low), abs(high)) < 1e-4:
        raise LeaveOut("text2qti refuses numeric answers whose range reaches within 0.0001 of zero")
    if any(abs(float(f"{v:.4f}") - v) > 1e-9 for v in (low, high, question.answer)):
        raise LeaveOut("text2qti keeps 4 decimal places; this answer or tolerance needs more")
    return [f"=   {number_text(question.answer)} +- {number_text(question.tolerance)}"]


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
        prompt_key = markdown_inert(with_unit(question) if isinstance(question, Numeric) else question.prompt)
        marker = ""
        if prompt_key in seen_prompts:
            marker = f' <span data-coursekit-id="{html.escape(question.id)}"></span>'
        try:
            lines = _qti_block(question, len(blocks) + 1, marker)
        except LeaveOut as reason:
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



__all__ = ["to_qti", "markdown_inert"]
