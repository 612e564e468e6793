"""The static view: accessible HTML that static/coursekit.js makes interactive.

Everything from a bank is escaped here, once, with html.escape; the script only ever sets
textContent. Ids and data- attributes come from question ids, so re-running a notebook
gives byte-identical output (which is what nbval compares).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from .keys import answer_text
from .markup import e, json_for_script
from .model import (
    Bank,
    DiscussionPrompt,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    TrueFalse,
    TypeTable,
    display_order,
)
from .serialize import page_key
from .ui import _

INPUTS = TypeTable("static view inputs")

MODES = ("practice", "assessment")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def html_text(template: str, **html) -> str:
    """An interface message (already translated by ui._, its {placeholders} still open) as
    HTML text: the message escaped, then each {name} filled with `html[name]`, which is HTML
    already (an escaped value, or markup such as <em>...</em>). The English message holds no
    & < >, and quotes stay as they are in text, so the English HTML is the message itself."""
    return _PLACEHOLDER.sub(lambda m: str(html[m.group(1)]) if m.group(1) in html else m.group(0),
                            escape(template, quote=False))


def _dom_id(*parts: str) -> str:
    return "ck-" + "-".join(parts)


@INPUTS.register("single", "multiple", "truefalse")
def _choice_inputs(question: Question, qdom: str) -> str:
    # Each input sits inside its label (no ids needed); its value is the display position, and
    # the script reads the option's text from the label, so no text is written twice. The
    # script names each radio group (arrow keys move within it); without it nothing is saved.
    kind = "checkbox" if isinstance(question, MultipleChoice) else "radio"
    labels = [_("True"), _("False")] if isinstance(question, TrueFalse) else [o.text for o in display_order(question)]
    rows = "".join(f'<label><input type="{kind}" value="{i}"> {e(label)}</label>' for i, label in enumerate(labels))
    hint = f'<p class="ck-hint">{html_text(_("Tick every option that applies."))}</p>' if isinstance(question, MultipleChoice) else ""
    return f'{hint}<div class="ck-choices">{rows}</div>'


@INPUTS.register("text", "numeric")
def _text_input(question: Question, qdom: str) -> str:
    numeric = isinstance(question, Numeric)
    if numeric and question.unit:
        label = html_text(_("Your answer (a number, in {unit})"), unit=e(question.unit))
    elif numeric:
        label = html_text(_("Your answer (a number)"))
    else:
        label = html_text(_("Your answer (a word or short phrase)"))
    extra = ' inputmode="decimal"' if numeric else ""
    return f'<label class="ck-text">{label} <input type="text"{extra}></label>'


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@INPUTS.register("matching")
def _matching_inputs(question: Matching, qdom: str) -> str:
    # As on paper: the right-hand column once, lettered, and a letter to choose for each item.
    # The script writes each letter's text into the choices, for screen readers and small screens.
    rights = display_order(question)
    column = "".join(f"<li>{e(r)}</li>" for r in rights)
    options = f'<option value="">{html_text(_("Choose…"))}</option>' + "".join(f'<option value="{i}">{LETTERS[i]}</option>'
                                                         for i in range(len(rights)))
    # The script names each select by its item alone (aria-labelledby); without the script a
    # screen reader hears the item and "Choose…", which still says what to do.
    rows = "".join(f'<label class="ck-match"><span>{e(p.left)}</span><select>{options}</select></label>'
                   for p in question.pairs)
    paper = e(_("Write the letter of its match beside each item."))  # printed only (coursekit.css, @media print)
    return f'<ol class="ck-rights" type="A">{column}</ol><div class="ck-matches" data-ck-paper="{paper}">{rows}</div>'


@INPUTS.register("ordering")
def _ordering_inputs(question: Ordering, qdom: str) -> str:
    # The move buttons need the script, so the script adds them (with their labels).
    items = "".join(f"<li>{e(item)}</li>" for item in display_order(question))
    paper = e(_("Write 1, 2, 3 … beside the items to give their order."))  # printed only (coursekit.css)
    return f'<ol class="ck-order" data-ck-paper="{paper}">{items}</ol>'



def render_question(question: Question, number: int, mode: str = "practice") -> str:
    qdom = _dom_id("q", question.id)
    body = INPUTS(question, qdom)
    offline = ""
    if mode == "practice":  # for readers without the script, and on paper
        offline = (f'<details class="ck-offline-answer"><summary>{html_text(_("Answer and explanation"))}</summary>'
                   f'<p><strong>{html_text(_("Answer:"))}</strong> {e(answer_text(question))}</p>'
                   f'<p>{e(question.explanation)}</p></details>')
    # A <div>, not a <form>: without the script, Enter in a text field would submit a form and
    # reload the page, losing what was typed. The Check button, the feedback region and the
    # explanation need the script, so the script adds them: no dead button without it.
    return (
        f'<div class="ck-question" data-ck-qid="{e(question.id)}" data-ck-type="{question.type}">'
        f'<fieldset><legend><span class="ck-qnum">{number}.</span> {e(question.prompt)}</legend>{body}</fieldset>'
        f"{offline}</div>"
    )


def render_quiz(bank: Bank, mode: str = "practice", questions: list[Question] | None = None,
                title: str | None = None) -> str:
    """The quiz. With a `title` it has a heading of its own; without, the page's heading
    introduces it (a chapter's "Check your understanding") and the title names the section."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    questions = list(bank.questions if questions is None else questions)
    qdom = _dom_id("quiz", bank.chapter)
    n = len(questions)
    if mode == "practice":
        intro = _("{count} questions. Check each answer as often as you like. Your answers stay in this browser.",
                  count=n)
        key = [page_key(q) for q in questions]  # in question order
    else:
        intro = _("{count} questions, assessment mode: your answers are recorded for your instructor and "
                  "no correctness is shown. Export your work at the end of the page.", count=n)
        key = []
    heading = (f'<h3 id="{qdom}-title" class="ck-title">{e(title)}</h3>' if title else "")
    name = f' aria-labelledby="{qdom}-title"' if title else f' aria-label="{e(bank.title)}"'
    parts = [
        f'<section class="ck-quiz" id="{qdom}" data-ck-course="{e(bank.course)}" data-ck-chapter="{e(bank.chapter)}"'
        f' data-ck-mode="{mode}"{name} data-ck-paper="{e(_("On paper: tick, write or number as each question asks."))}">'
        f"{heading}",
        f'<p class="ck-intro">{e(intro)}</p>',
        '<p class="ck-score ck-needs-js" role="status" hidden></p>' if mode == "practice" else "",
        *(render_question(q, i, mode) for i, q in enumerate(questions, 1)),
        f'<script type="application/json" class="ck-key">{json_for_script(key)}</script>' if key else "",
        "</section>",
    ]
    return "".join(parts)


def perspective_sources(perspective, citations: Mapping[str, str]) -> str:
    """"Diamint 2015; Fuccille 2013": the perspective's sources as author-year citations
    (a key without a citation label shows as the key)."""
    return "; ".join(citations.get(key, key) for key in perspective.sources)


def render_discussion(bank: Bank, prompt: DiscussionPrompt, citations: Mapping[str, str] | None = None) -> str:
    ddom = _dom_id("d", prompt.id)
    citations = citations or {}
    guiding = ""
    if prompt.guiding_questions:
        guiding = (f'<p class="ck-guiding-title">{html_text(_("Questions to guide you:"))}</p><ul class="ck-guiding">'
                   + "".join(f"<li>{e(g)}</li>" for g in prompt.guiding_questions) + "</ul>")
    perspectives = ""
    if prompt.perspectives:
        items = []
        for p in prompt.perspectives:
            cited = perspective_sources(p, citations)
            cited = f'<p class="ck-sources">{html_text(_("Sources: {sources}."), sources=e(cited))}</p>' if cited else ""
            items.append(f'<div class="ck-perspective"><h4>{e(p.title)}</h4><p>{e(p.text)}</p>{cited}</div>')
        perspectives = (
            f'<details class="ck-perspectives"><summary>{html_text(_("Other perspectives"))}</summary>'
            f'<p class="ck-hint ck-needs-js" hidden>'
            + html_text(_("Other perspectives open once you have written {count} words; then compare your view with these."),
                        count=prompt.suggested_words)
            + "</p>" + "".join(items) + "</details>")
    # The page's own "Discussion" heading introduces the prompts: each is headed by its question.
    return (
        f'<section class="ck-discussion" id="{ddom}" data-ck-course="{e(bank.course)}" data-ck-chapter="{e(bank.chapter)}"'
        f' data-ck-pid="{e(prompt.id)}" data-ck-words="{prompt.suggested_words}" aria-labelledby="{ddom}-title">'
        f'<h3 id="{ddom}-title" class="ck-title">{e(prompt.prompt)}</h3>{guiding}'
        f'<label for="{ddom}-text">'
        f'{html_text(_("Your response (suggested length: {count} words)"), count=prompt.suggested_words)}</label>'
        f'<textarea id="{ddom}-text" rows="8" aria-describedby="{ddom}-count"></textarea>'
        f'<p class="ck-count ck-needs-js" id="{ddom}-count" hidden>'
        f'{html_text(_("{count} of {range} words."), count=0, range=prompt.suggested_words)}</p>'
        f'<p class="ck-nojs-note">'
        + html_text(_("Saving needs the course's script: in Jupyter, run the notebook; in a browser, allow "
                      "JavaScript. Until then, keep a copy of your response elsewhere."))
        + f'</p><div class="ck-actions ck-needs-js" hidden><button type="button" class="ck-save">{html_text(_("Save"))}</button>'
        f'<span class="ck-autosaved"></span></div>'
        f'<div class="ck-feedback" role="status"></div>'
        f"{perspectives}</section>"
    )


def answer_label(title: str, part: str | None, expected: tuple[int, int] | None) -> tuple[str, str]:
    """("Your answer to “Title”", "(expected length: 700-900 words)"): what an answer box is
    for, as plain text ("Your interpretation for “Title”" for a part), and its expected length
    ("" when the task gives none)."""
    if part:
        what = _("Your {part} for “{title}”", part=part[0].lower() + part[1:], title=title)
    else:
        what = _("Your answer to “{title}”", title=title)
    length = ""
    if expected:
        lo, hi = expected
        length = _("(expected length: {range} words)", range=lo if lo == hi else f"{lo}-{hi}")
    return what, length


def render_answer_box(course: str, stem: str, task, part: str | None, expected: tuple[int, int] | None) -> str:
    """An exercise task's answer box (coursekit.js makes it save, count and restore like a
    discussion's response box). `task` is an exercises.Task; its expected length is `expected`."""
    from .exercises import answer_id, count_text

    aid = answer_id(task.label, part)
    adom = _dom_id("a", aid)
    what, length = answer_label(task.title, part, expected)
    label = e(what) + (" " + e(length) if length else "")
    words = f' data-ck-min="{expected[0]}" data-ck-max="{expected[1]}"' if expected else ""
    return (
        f'<section class="ck-answer" id="{adom}" data-ck-course="{e(course)}" data-ck-chapter="{e(stem)}"'
        f' data-ck-aid="{e(aid)}"{words} aria-labelledby="{adom}-label">'
        f'<label id="{adom}-label" for="{adom}-text">{label}</label>'
        f'<textarea id="{adom}-text" rows="14" aria-describedby="{adom}-count"></textarea>'
        f'<p class="ck-count ck-needs-js" id="{adom}-count" hidden>{e(count_text(0, expected))}</p>'
        f'<p class="ck-nojs-note">'
        + html_text(_("Saving needs the course's script: in Jupyter, run the notebook; in a browser, allow "
                      "JavaScript. Until then, keep a copy of your answer elsewhere."))
        + f'</p><div class="ck-actions ck-needs-js" hidden><button type="button" class="ck-save">{html_text(_("Save"))}</button>'
        f'<span class="ck-autosaved"></span></div>'
        f'<div class="ck-feedback" role="status"></div></section>'
    )


def render_export_panel(bank: Bank) -> str:
    return render_work_panel(bank.course, bank.chapter)


def render_work_panel(course: str, chapter: str, *, clear: bool = True) -> str:
    """The export panel of a page. Without `clear` (an exercise page, which shares its chapter's
    saved work), no Clear button: it would clear the chapter's page too."""
    xdom = _dom_id("export", chapter)
    clear_button = (f'<button type="button" class="ck-clear-btn">{html_text(_("Clear my answers"))}</button>'
                    if clear else "")
    return (
        f'<section class="ck-export" id="{xdom}" data-ck-course="{e(course)}" data-ck-chapter="{e(chapter)}"'
        f' aria-labelledby="{xdom}-title">'
        f'<h3 id="{xdom}-title" class="ck-title">{html_text(_("Your work on this page"))}</h3>'
        '<p>'
        + html_text(_("Your answers and discussion responses are kept in this browser only and are never sent "
                      "anywhere. To hand them in, export them to a file and give the file to your instructor."))
        + '</p><p class="ck-nojs-note">'
        + html_text(_("Saving and exporting need the course's script: in Jupyter, run the notebook; "
                      "in a browser, allow JavaScript."))
        + f'</p><div class="ck-needs-js" hidden><label for="{xdom}-name">'
        f'{html_text(_("Your name, as your instructor knows you"))}</label>'
        f'<input type="text" id="{xdom}-name" autocomplete="name">'
        f'<div class="ck-actions"><button type="button" class="ck-export-btn">{html_text(_("Export my work"))}</button>'
        f'{clear_button}'
        f'<button type="button" class="ck-forget-btn">{html_text(_("Forget me on this computer"))}</button></div>'
        '<p class="ck-hint">'
        + html_text(_("On a shared computer, {forget_me} removes your name and everything you saved for "
                      "this course in this browser, on every page."),
                    forget_me="<em>" + html_text(_("Forget me")) + "</em>")
        + "</p></div>"
        '<div class="ck-feedback" role="status"></div></section>'
    )


def render_objectives(bank: Bank) -> str:
    items = "".join(f"<li>{e(text)}</li>" for text in bank.objectives.values())
    return f'<ul class="ck-objectives">{items}</ul>'  # the chapter's own sentence introduces the list


__all__ = ["render_quiz", "render_question", "render_discussion", "render_export_panel", "render_work_panel",
           "render_answer_box",
           "render_objectives", "perspective_sources", "MODES"]
