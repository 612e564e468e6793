"""The static view: accessible HTML that static/coursekit.js makes interactive.

Everything from a bank is escaped here, once, with html.escape; the script only ever sets
textContent. Ids and data- attributes come from question ids, so re-running a notebook
gives byte-identical output (which is what nbval compares).
"""
from __future__ import annotations

import json
from html import escape

from .model import (
    Bank, DiscussionPrompt, Matching, MultipleChoice, Numeric, Ordering, Question,
    ShortText, SingleChoice, TrueFalse, display_order,
)

MODES = ("practice", "assessment")


def e(text) -> str:
    return escape(str(text), quote=True)


# Markdown views (answer keys, digests) escape with this, as the HTML views do with e().
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~=:$^%")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(text: str) -> str:
    """Text that Markdown (CommonMark, GFM, MyST) shows as typed: no links, images, HTML or markup."""
    out = []
    for char in text:
        if char in _MD_ENTITIES:
            out.append(_MD_ENTITIES[char])
        elif char in _MD_SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def key_for(question: Question) -> dict:
    """What the browser needs to grade and explain one question (practice mode only)."""
    key: dict = {"type": question.type, "explanation": question.explanation,
                 "fc": question.feedback_correct, "fi": question.feedback_incorrect}
    if isinstance(question, (SingleChoice, MultipleChoice)):
        key["options"] = [o.text for o in question.options]
        key["answer"] = question.answer if isinstance(question, SingleChoice) else sorted(question.answer)
        key["feedback"] = {o.text: o.feedback for o in question.options if o.feedback}
    elif isinstance(question, TrueFalse):
        key["answer"] = question.answer
        key["feedback"] = {"true": question.feedback_true, "false": question.feedback_false}
    elif isinstance(question, ShortText):
        key["accept"] = list(question.accept)
    elif isinstance(question, Numeric):
        key["answer"] = question.answer
        key["tolerance"] = question.tolerance
    elif isinstance(question, Matching):
        key["pairs"] = [[p.left, p.right] for p in question.pairs]
    elif isinstance(question, Ordering):
        key["items"] = list(question.items)
    return key


def json_for_script(data) -> str:
    """JSON that is safe inside <script type="application/json">: no '<', '>' or '&'."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _dom_id(*parts: str) -> str:
    return "ck-" + "-".join(parts)


def _choice_inputs(question: Question, qdom: str) -> str:
    kind = "radio" if isinstance(question, (SingleChoice, TrueFalse)) else "checkbox"
    if isinstance(question, TrueFalse):
        choices = [("true", "True"), ("false", "False")]
    else:
        choices = [(o.text, o.text) for o in display_order(question)]
    rows = []
    for index, (value, label) in enumerate(choices):
        input_id = f"{qdom}-o{index}"
        rows.append(
            f'<div class="ck-choice"><input type="{kind}" name="{qdom}" id="{input_id}" value="{e(value)}">'
            f'<label for="{input_id}">{e(label)}</label></div>'
        )
    return '<div class="ck-choices">' + "".join(rows) + "</div>"


def _text_input(question: Question, qdom: str) -> str:
    numeric = isinstance(question, Numeric)
    hint = "a number" if numeric else "a word or short phrase"
    unit = f" ({e(question.unit)})" if numeric and question.unit else ""
    extra = ' inputmode="decimal"' if numeric else ""
    return (f'<div class="ck-text"><label for="{qdom}-input">Your answer{unit}</label>'
            f'<input type="text" id="{qdom}-input" name="{qdom}" autocomplete="off" spellcheck="false"{extra}'
            f' aria-describedby="{qdom}-hint"><span class="ck-hint" id="{qdom}-hint">Type {hint}.</span></div>')


def _matching_inputs(question: Matching, qdom: str) -> str:
    rights = display_order(question)
    rows = []
    for index, pair in enumerate(question.pairs):
        select_id = f"{qdom}-m{index}"
        options = '<option value="">Choose…</option>' + "".join(
            f'<option value="{e(r)}">{e(r)}</option>' for r in rights)
        rows.append(f'<div class="ck-match"><label for="{select_id}">{e(pair.left)}</label>'
                    f'<select id="{select_id}" data-ck-left="{e(pair.left)}">{options}</select></div>')
    return '<div class="ck-matches">' + "".join(rows) + "</div>"


def _ordering_inputs(question: Ordering, qdom: str) -> str:
    rows = []
    for item in display_order(question):
        rows.append(
            f'<li data-ck-item="{e(item)}"><span class="ck-item">{e(item)}</span>'
            f'<span class="ck-move ck-needs-js" hidden>'
            f'<button type="button" class="ck-up" aria-label="Move up: {e(item)}">▲</button>'
            f'<button type="button" class="ck-down" aria-label="Move down: {e(item)}">▼</button></span></li>'
        )
    return (f'<p class="ck-hint" id="{qdom}-hint">Earliest or first at the top. Use the ▲ and ▼ buttons to move an item.</p>'
            f'<ol class="ck-order" aria-describedby="{qdom}-hint">' + "".join(rows) + "</ol>")


def answer_text(question: Question) -> str:
    """The key in words, for readers without JavaScript and for paper."""
    if isinstance(question, SingleChoice):
        return question.answer
    if isinstance(question, MultipleChoice):
        return "; ".join(o.text for o in question.options if o.text in question.answer)
    if isinstance(question, TrueFalse):
        return "True" if question.answer else "False"
    if isinstance(question, ShortText):
        return question.accept[0]
    if isinstance(question, Numeric):
        value = int(question.answer) if question.answer.is_integer() else question.answer
        tol = f" (± {question.tolerance:g})" if question.tolerance else ""
        return f"{value}{tol}{' ' + question.unit if question.unit else ''}"
    if isinstance(question, Matching):
        return "; ".join(f"{p.left} → {p.right}" for p in question.pairs)
    if isinstance(question, Ordering):
        return " → ".join(question.items)
    return ""


def render_question(question: Question, number: int, mode: str = "practice") -> str:
    qdom = _dom_id("q", question.id)
    if isinstance(question, (SingleChoice, MultipleChoice, TrueFalse)):
        body = _choice_inputs(question, qdom)
        if isinstance(question, MultipleChoice):
            body = '<p class="ck-hint">Tick every option that applies.</p>' + body
    elif isinstance(question, (ShortText, Numeric)):
        body = _text_input(question, qdom)
    elif isinstance(question, Matching):
        body = _matching_inputs(question, qdom)
    else:
        body = _ordering_inputs(question, qdom)
    button = "Check" if mode == "practice" else "Save answer"
    offline = ""
    if mode == "practice":
        offline = (f'<details class="ck-offline-answer"><summary>Answer and explanation</summary>'
                   f'<p><strong>Answer:</strong> {e(answer_text(question))}</p>'
                   f'<p>{e(question.explanation)}</p></details>')
    return (
        f'<form class="ck-question" id="{qdom}" data-ck-qid="{e(question.id)}" data-ck-type="{question.type}" novalidate>'
        f'<fieldset><legend><span class="ck-qnum">Question {number}.</span> {e(question.prompt)}</legend>{body}</fieldset>'
        f'<div class="ck-actions ck-needs-js" hidden><button type="submit" class="ck-check">{button}</button></div>'
        f'<div class="ck-feedback" role="status" id="{qdom}-feedback"></div>'
        f'<div class="ck-explanation" id="{qdom}-explanation" hidden></div>'
        f"{offline}</form>"
    )


def render_quiz(bank: Bank, mode: str = "practice", questions: list[Question] | None = None,
                title: str | None = None) -> str:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    questions = list(bank.questions if questions is None else questions)
    qdom = _dom_id("quiz", bank.chapter)
    n = len(questions)
    if mode == "practice":
        intro = (f"{n} questions. Check each answer as often as you like: feedback and an explanation "
                 "follow every check. Your answers are kept in this browser only.")
        key = {q.id: key_for(q) for q in questions}
    else:
        intro = (f"{n} questions, assessment mode: your answers are recorded for your instructor and "
                 "no correctness is shown. Export your work at the end of the page.")
        key = {q.id: {"type": q.type} for q in questions}
    parts = [
        f'<section class="ck-quiz" id="{qdom}" data-ck-course="{e(bank.course)}" data-ck-chapter="{e(bank.chapter)}"'
        f' data-ck-mode="{mode}" aria-labelledby="{qdom}-title">',
        f'<h3 id="{qdom}-title" class="ck-title">{e(title or bank.title)}</h3>',
        f'<p class="ck-intro">{e(intro)}</p>',
        f'<p class="ck-score ck-needs-js" role="status" id="{qdom}-score" hidden></p>' if mode == "practice" else "",
        *(render_question(q, i, mode) for i, q in enumerate(questions, 1)),
        f'<script type="application/json" class="ck-key">{json_for_script(key)}</script>',
        "</section>",
    ]
    return "".join(parts)


def render_discussion(bank: Bank, prompt: DiscussionPrompt) -> str:
    ddom = _dom_id("d", prompt.id)
    guiding = ""
    if prompt.guiding_questions:
        guiding = ('<p class="ck-guiding-title">Questions to guide you:</p><ul class="ck-guiding">'
                   + "".join(f"<li>{e(g)}</li>" for g in prompt.guiding_questions) + "</ul>")
    perspectives = ""
    if prompt.perspectives:
        perspectives = (
            f'<details class="ck-perspectives" id="{ddom}-perspectives"><summary>Other perspectives</summary>'
            f'<p class="ck-hint ck-needs-js" hidden>Other perspectives open once you have written {prompt.suggested_words} words; then compare your view with these.</p>'
            + "".join(f'<div class="ck-perspective"><h4>{e(p.title)}</h4><p>{e(p.text)}</p></div>'
                      for p in prompt.perspectives)
            + "</details>")
    return (
        f'<section class="ck-discussion" id="{ddom}" data-ck-course="{e(bank.course)}" data-ck-chapter="{e(bank.chapter)}"'
        f' data-ck-pid="{e(prompt.id)}" data-ck-words="{prompt.suggested_words}" aria-labelledby="{ddom}-title">'
        f'<h3 id="{ddom}-title" class="ck-title">Discussion: {e(prompt.prompt)}</h3>{guiding}'
        f'<label for="{ddom}-text">Your response (suggested length: {prompt.suggested_words} words)</label>'
        f'<textarea id="{ddom}-text" rows="8" aria-describedby="{ddom}-count"></textarea>'
        f'<p class="ck-count ck-needs-js" id="{ddom}-count" hidden>0 of {prompt.suggested_words} words.</p>'
        f'<p class="ck-nojs-note">Saving needs the course\'s script: in Jupyter, run the notebook; in a browser, allow JavaScript. Until then, keep a copy of your response elsewhere.</p>'
        f'<div class="ck-actions ck-needs-js" hidden><button type="button" class="ck-save">Save</button>'
        f'<span class="ck-autosaved"></span></div>'
        f'<div class="ck-feedback" role="status" id="{ddom}-status"></div>'
        f"{perspectives}</section>"
    )


def render_export_panel(bank: Bank) -> str:
    xdom = _dom_id("export", bank.chapter)
    return (
        f'<section class="ck-export" id="{xdom}" data-ck-course="{e(bank.course)}" data-ck-chapter="{e(bank.chapter)}"'
        f' aria-labelledby="{xdom}-title">'
        f'<h3 id="{xdom}-title" class="ck-title">Your work on this page</h3>'
        f'<p>Your answers and discussion responses are kept in this browser only and are never sent anywhere. '
        f'To hand them in, export them to a file and give the file to your instructor.</p>'
        f'<p class="ck-nojs-note">Saving and exporting need the course\'s script: in Jupyter, run the notebook; in a browser, allow JavaScript.</p>'
        f'<div class="ck-needs-js" hidden><label for="{xdom}-name">Your name, as your instructor knows you</label>'
        f'<input type="text" id="{xdom}-name" autocomplete="name">'
        f'<div class="ck-actions"><button type="button" class="ck-export-btn">Export my work</button>'
        f'<button type="button" class="ck-clear-btn">Clear my answers</button></div></div>'
        f'<div class="ck-feedback" role="status" id="{xdom}-status"></div></section>'
    )


def render_objectives(bank: Bank) -> str:
    items = "".join(f"<li>{e(text)}</li>" for text in bank.objectives.values())
    return f'<ul class="ck-objectives">{items}</ul>'  # the chapter's own sentence introduces the list


__all__ = ["render_quiz", "render_question", "render_discussion", "render_export_panel",
           "render_objectives", "key_for", "json_for_script", "answer_text", "md_escape", "e", "MODES"]
