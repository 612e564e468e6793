"""Moodle GIFT. The format, and how each question type is written, is described in
docs/export-formats.md."""
from __future__ import annotations

from collections.abc import Sequence

from ..model import Numeric, Question, TypeTable
from .common import (
    LeaveOut,
    LeftOut,
    accepted_variants,
    generic_appendix,
    number_text,
    option_feedback,
    ordering_prompt,
    ordinal,
    with_unit,
)

# Moodle's fixed grade list (question_bank::fraction_options_full), as fractions.
MOODLE_FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
                    0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
GIFT_MIN_MATCHING_PAIRS = 3  # "There must be at least three matching pairs" (Moodle GIFT docs)
# Moodle keeps a matching pair's answer (the right-hand side) in a 255-character column
# (qtype_match_subquestions.answertext, char(255)); the left side is a text column.
MOODLE_MATCH_ANSWER_MAX = 255


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


GIFT_ANSWERS = TypeTable("GIFT export")


def _gift_answers(question: Question) -> tuple[str, list[str], str]:
    """(prompt, answer lines, extra general feedback), or raise LeaveOut."""
    return GIFT_ANSWERS(question)


@GIFT_ANSWERS.register("single")
def _gift_single(question) -> tuple[str, list[str], str]:
    lines = []
    for option in question.options:
        right = option.text == question.answer
        text = _gift_text(option.text)
        mark = "=" if right else ("~%0%" if text.startswith("%") else "~")
        feedback = option_feedback(question, option.feedback, right)
        lines.append(mark + text + _gift_feedback(feedback))
    return question.prompt, lines, ""


@GIFT_ANSWERS.register("multiple")
def _gift_multiple(question) -> tuple[str, list[str], str]:
    k = len(question.answer)
    right_w, wrong_w = _gift_weight(1 / k), _gift_weight(-1 / k)
    if right_w is None or wrong_w is None:
        raise LeaveOut(f"{k} right options need a weight of 1/{k} each, which is not "
                       "one of Moodle's allowed grades (at most 10 right options)")
    lines = [("~" + (right_w if o.text in question.answer else wrong_w)
              + _gift_text(o.text) + _gift_feedback(o.feedback)) for o in question.options]
    return question.prompt, lines, generic_appendix(question)


@GIFT_ANSWERS.register("truefalse")
def _gift_truefalse(question) -> tuple[str, list[str], str]:
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


@GIFT_ANSWERS.register("text")
def _gift_short_text(question) -> tuple[str, list[str], str]:
    variants = accepted_variants(question.accept)
    texts = [*variants, question.feedback_correct, question.feedback_incorrect]
    if any("->" in t for t in texts):
        raise LeaveOut("it contains '->', which Moodle's GIFT importer reads as a matching pair")
    lines = []
    for variant in variants:
        text = _gift_text(variant).replace("*", "\\*")  # * is Moodle's wildcard
        lines.append(("=%100%" if text.startswith("%") else "=") + text
                     + _gift_feedback(question.feedback_correct))
    if question.feedback_incorrect:
        lines.append("=%0%*" + _gift_feedback(question.feedback_incorrect))
    return question.prompt, lines, ""


@GIFT_ANSWERS.register("numeric")
def _gift_numeric(question) -> tuple[str, list[str], str]:
    lines = [f"={number_text(question.answer)}:{number_text(question.tolerance)}"
             + _gift_feedback(question.feedback_correct)]
    if question.feedback_incorrect:
        lines.append("~" + _gift_feedback(question.feedback_incorrect))
    return with_unit(question), lines, ""


@GIFT_ANSWERS.register("matching", "ordering")
def _gift_pairs(question) -> tuple[str, list[str], str]:
    if question.type == "matching":
        pairs = [(p.left, p.right) for p in question.pairs]
        prompt = question.prompt
    else:
        pairs = [(item, ordinal(i)) for i, item in enumerate(question.items, start=1)]
        prompt = ordering_prompt(question)
    noun = "pairs" if question.type == "matching" else "items"
    if len(pairs) < GIFT_MIN_MATCHING_PAIRS:
        raise LeaveOut(f"Moodle's GIFT format needs at least {GIFT_MIN_MATCHING_PAIRS} matching "
                        f"pairs; this question has {len(pairs)} {noun}")
    if any("->" in left for left, _ in pairs):
        raise LeaveOut("a left-hand item contains '->', GIFT's pair separator")
    longest = max(len(right.strip()) for _, right in pairs)
    if longest > MOODLE_MATCH_ANSWER_MAX:
        raise LeaveOut(f"a right-hand item has {longest} characters; Moodle stores a matching answer in a "
                       f"{MOODLE_MATCH_ANSWER_MAX}-character column and refuses longer ones")
    lines = [f"={_gift_text(left)} -> {gift_escape(right)}" for left, right in pairs]
    return prompt, lines, generic_appendix(question)


def to_gift(questions: Sequence[Question], *, category: str) -> tuple[str, LeftOut]:
    """Moodle GIFT text for `questions` under `category`, and the (id, reason) left out."""
    category = " ".join(str(category).split())
    out = [f"// Exported by coursekit from the question banks. Category: {category}",
           f"$CATEGORY: {category}", ""]
    left_out: LeftOut = []
    for question in questions:
        try:
            prompt, lines, appendix = _gift_answers(question)
        except LeaveOut as reason:
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



__all__ = ["to_gift", "gift_escape", "MOODLE_FRACTIONS", "GIFT_MIN_MATCHING_PAIRS", "MOODLE_MATCH_ANSWER_MAX"]
