"""Canvas QTI 1.2, built with text2qti from its Markdown quiz format; matching and ordering
questions, which text2qti has no type for, are written here as Canvas's own exporter writes
a matching_question and merged into text2qti's assessment. The format, and how each
question type is written, is described in docs/export-formats.md."""
from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError
from ..files import write_atomically
from ..model import Numeric, Question, TypeTable, display_order
from .common import (
    LeaveOut,
    LeftOut,
    accepted_variants,
    number_text,
    option_feedback,
    ordering_prompt,
    ordinal,
    with_unit,
)

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


def _qti_block(question: Question, number: int, marker: str, answer_lines: list[str]) -> list[str]:
    """The text2qti Markdown for one question, given its answer lines."""
    md = markdown_inert
    prompt = with_unit(question) if isinstance(question, Numeric) else question.prompt
    lines = [f"Title: {_one_line(question.id)}", f"{number}.  {md(prompt)}{marker}",
             f"... {md(question.explanation)}"]
    if question.type in GENERIC_FEEDBACK_TYPES and question.feedback_correct:
        lines.append(f"+   {md(question.feedback_correct)}")
    if question.type in GENERIC_FEEDBACK_TYPES and question.feedback_incorrect:
        lines.append(f"-   {md(question.feedback_incorrect)}")
    return lines + answer_lines


@dataclass(frozen=True)
class _Pairs:
    """A matching for Canvas: the prompt, the (left, right) pairs in the order Canvas shows the
    left items, and the right-hand choices in the order of their drop-down."""
    prompt: str
    pairs: tuple[tuple[str, str], ...]
    rights: tuple[str, ...]


@QTI_ANSWERS.register("matching")
def _qti_matching(question) -> _Pairs:
    pairs = tuple((_one_line(p.left), _one_line(p.right)) for p in question.pairs)
    rights = tuple(dict.fromkeys(_one_line(r) for r in display_order(question)))
    return _Pairs(question.prompt, pairs, rights)


@QTI_ANSWERS.register("ordering")
def _qti_ordering(question) -> _Pairs:
    # Each item is matched to its position; the items are shown in our views' starting
    # order (never the answer), the positions in order.
    position = {item: ordinal(i) for i, item in enumerate(question.items, start=1)}
    pairs = tuple((_one_line(item), position[item]) for item in display_order(question))
    rights = tuple(ordinal(i) for i in range(1, len(question.items) + 1))
    return _Pairs(ordering_prompt(question), pairs, rights)


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
    order: list[Question | None] = []  # bank order: None for text2qti's next block, else ours
    seen_prompts: set[str] = set()
    for question in questions:
        texts = _texts(question)
        if any(_XML_UNSAFE.search(t) for t in texts):
            left_out.append((question.id, "it contains control characters that XML cannot carry"))
            continue
        try:
            answers = QTI_ANSWERS(question)  # first: it may leave the question out
        except LeaveOut as reason:
            left_out.append((question.id, str(reason)))
            continue
        if isinstance(answers, _Pairs):
            order.append(question)
            continue
        prompt_key = markdown_inert(with_unit(question) if isinstance(question, Numeric) else question.prompt)
        marker = ""
        if prompt_key in seen_prompts:
            marker = f' <span data-coursekit-id="{html.escape(question.id)}"></span>'
        block = "\n".join(_qti_block(question, len(blocks) + 1, marker, answers))
        try:  # each question alone first, so that a refusal names its question
            Quiz("\n".join(header) + "\n" + block + "\n", config=Config())
        except Text2qtiError as exc:
            reason = " ".join(str(exc).split("\n")[1:] or [str(exc)]).strip()
            left_out.append((question.id, f"text2qti refused it: {reason}"))
            continue
        seen_prompts.add(prompt_key)
        blocks.append(block)
        order.append(None)
    if not order:
        raise ExportError(f"no question can be exported to QTI ({len(left_out)} left out)", left_out)
    # text2qti refuses a quiz without questions: with none of its own, it gets a stand-in,
    # removed again below.
    text = "\n".join(header) + "\n" + "\n\n".join(blocks or [_STAND_IN]) + "\n"
    try:
        quiz = Quiz(text, config=Config())
    except Text2qtiError as exc:  # not expected: every block passed alone
        raise ExportError(f"text2qti could not build the quiz: {exc}", left_out) from None
    qti = QTI(quiz)
    qti.assessment = _merge(qti.assessment, order, bool(blocks))
    qti.assessment_meta = re.sub(r"<points_possible>[^<]*</points_possible>",
                                 f"<points_possible>{float(len(order)):.1f}</points_possible>",
                                 qti.assessment_meta)
    write_atomically(Path(out_path), qti.zip_bytes())
    return left_out


# --- merging into text2qti's assessment ----------------------------------------------

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_Q = "{" + QTI_NS + "}"
_STAND_IN = "Title: stand-in\n1.  stand-in\n*a) True\nb) False"
_PLAIN_PARAGRAPH = re.compile(r"<p>([^<>]*)</p>")


def _merge(assessment: str, order: list[Question | None], has_blocks: bool) -> str:
    """text2qti's assessment XML with our items put in bank order among its own, and its
    plain-text choices and feedback made text/plain."""
    root = ET.fromstring(assessment.encode("utf-8"))
    section = root.find(f"{_Q}assessment/{_Q}section")
    theirs = iter(list(section) if has_blocks else [])
    for child in list(section):
        section.remove(child)
    used = {el.get("ident") for el in root.iter(_Q + "item")}
    for question in order:
        if question is None:
            item = next(theirs)
            _plain_text_materials(item)
        else:
            item = _matching_item(question, used)
        section.append(item)
    ET.indent(root, space="  ")
    ET.register_namespace("", QTI_NS)  # written as text2qti writes it: the default namespace
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _plain_text_materials(item: ET.Element) -> None:
    """Canvas's importer stores an answer or feedback given as HTML that is one paragraph of
    text as that HTML's *escaped* source, so "a < b" shows as "a &lt; b"; given as
    text/plain (what Canvas's own exporter writes for text without markup) it shows as is."""
    for parent in (*item.iter(_Q + "response_label"), *item.iter(_Q + "itemfeedback")):
        for mattext in parent.iter(_Q + "mattext"):
            match = _PLAIN_PARAGRAPH.fullmatch(mattext.text or "")
            if mattext.get("texttype") == "text/html" and match:
                mattext.set("texttype", "text/plain")
                mattext.text = html.unescape(match.group(1))


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.Element(_Q + tag, attrs) if parent is None else ET.SubElement(parent, _Q + tag, attrs)
    if text is not None:
        el.text = text
    return el


def _mattext(parent: ET.Element, text: str, texttype: str = "text/plain") -> None:
    _el(_el(parent, "material"), "mattext", text, texttype=texttype)


def _stem_html(prompt: str) -> str:
    paragraphs = [_one_line(p) for p in re.split(r"\n\s*\n", prompt) if p.strip()]
    return "<div>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</div>"


def _matching_item(question: Question, used: set[str]) -> ET.Element:
    """A Canvas matching_question, in the form of Canvas's own QTI exporter
    (lib/cc/qti/qti_items.rb): one response_lid per left item, each offering every right
    choice; a respcondition per left item adds its share of 100 to SCORE when the right
    choice is picked (Canvas itself grades by the share of left items matched)."""
    matching: _Pairs = QTI_ANSWERS(question)
    ident = "coursekit_question_" + hashlib.sha256(question.id.encode("utf-8")).hexdigest()
    base, n = ident, 1
    while ident in used:
        n += 1
        ident = f"{base}_{n}"
    used.add(ident)
    # Answer and choice ids are integers, as Canvas's: its importer takes a choice's
    # match_id from the first run of digits in its ident.
    left_ids = [str(i) for i in range(1, len(matching.pairs) + 1)]
    right_ids = {right: str(len(left_ids) + j) for j, right in enumerate(matching.rights, start=1)}

    item = _el(None, "item", ident=ident, title=_one_line(question.id))
    meta = _el(_el(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", "matching_question"), ("points_possible", "1"),
                         ("original_answer_ids", ",".join(left_ids)),
                         ("assessment_question_identifierref", ident.replace("_question_", "_question_ref_", 1))):
        field = _el(meta, "qtimetadatafield")
        _el(field, "fieldlabel", label)
        _el(field, "fieldentry", entry)

    presentation = _el(item, "presentation")
    _mattext(presentation, _stem_html(matching.prompt), "text/html")
    for left_id, (left, _right) in zip(left_ids, matching.pairs):
        lid = _el(presentation, "response_lid", ident=f"response_{left_id}")
        _mattext(lid, left)
        choices = _el(lid, "render_choice")
        for right, right_id in right_ids.items():
            _mattext(_el(choices, "response_label", ident=right_id), right)

    processing = _el(item, "resprocessing")
    _el(_el(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    explanation = _one_line(question.explanation)
    if explanation:
        other = _el(processing, "respcondition", **{"continue": "Yes"})
        _el(_el(other, "conditionvar"), "other")
        _el(other, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    share = f"{100 / len(left_ids):.2f}"
    for left_id, (_left, right) in zip(left_ids, matching.pairs):
        condition = _el(processing, "respcondition")
        _el(_el(condition, "conditionvar"), "varequal", right_ids[right], respident=f"response_{left_id}")
        _el(condition, "setvar", share, varname="SCORE", action="Add")

    for fb_ident, text in (("general_fb", explanation), ("correct_fb", _one_line(question.feedback_correct)),
                           ("general_incorrect_fb", _one_line(question.feedback_incorrect))):
        if text:
            _mattext(_el(_el(item, "itemfeedback", ident=fb_ident), "flow_mat"), text)
    return item


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
