"""Answer keys: the key of a question in words, and the printable keys an instructor keeps
(an assignment's key.md and key.html, and each chapter's key page in the instructor edition).
"""
from __future__ import annotations

from .markup import e, md_escape
from .model import Bank, DiscussionPrompt, Question, TypeTable
from .ui import _

ANSWER_TEXT = TypeTable("answer key in words")


def answer_text(question: Question) -> str:
    """The key in words, for readers without JavaScript, for paper and for the keys."""
    return ANSWER_TEXT(question)


@ANSWER_TEXT.register("single")
def _single_text(q) -> str:
    return q.answer


@ANSWER_TEXT.register("multiple")
def _multiple_text(q) -> str:
    return "; ".join(o.text for o in q.options if o.text in q.answer)


@ANSWER_TEXT.register("truefalse")
def _truefalse_text(q) -> str:
    return _("True") if q.answer else _("False")


@ANSWER_TEXT.register("text")
def _text_text(q) -> str:
    return q.accept[0]


@ANSWER_TEXT.register("numeric")
def _numeric_text(q) -> str:
    value = int(q.answer) if q.answer.is_integer() else q.answer
    tol = f" (± {q.tolerance:g})" if q.tolerance else ""
    return f"{value}{tol}{' ' + q.unit if q.unit else ''}"


@ANSWER_TEXT.register("matching")
def _matching_text(q) -> str:
    return "; ".join(f"{p.left} → {p.right}" for p in q.pairs)


@ANSWER_TEXT.register("ordering")
def _ordering_text(q) -> str:
    return " → ".join(q.items)


def _objective_of(banks: list[Bank]) -> dict[str, tuple[str, str, str]]:
    """question id -> (chapter, objective id, objective statement)."""
    return {q.id: (b.chapter, q.objective, b.objectives.get(q.objective, "")) for b in banks for q in b.questions}


def _type_names() -> dict[str, str]:
    return {"single": _("single choice"), "multiple": _("multiple choice"), "truefalse": _("true or false"),
            "text": _("short text"), "numeric": _("numeric"), "matching": _("matching"), "ordering": _("ordering")}


def _level_names() -> dict[str, str]:
    return {"remember": _("remember"), "understand": _("understand"), "apply": _("apply"),
            "analyse": _("analyse"), "evaluate": _("evaluate")}  # model.LEVELS


def _describe(q: Question, chapter: str, objective: str, statement: str) -> str:
    kind = q.type if q.type not in _type_names() or not _translated() else _type_names()[q.type]
    level = q.level if not _translated() else _level_names().get(q.level, q.level)
    if level:
        return _("{type}, {level}, chapter {chapter}, {objective}: {statement}", type=kind, level=level,
                 chapter=chapter, objective=objective, statement=statement)
    return _("{type}, chapter {chapter}, {objective}: {statement}", type=kind, chapter=chapter, objective=objective,
             statement=statement)


def _translated() -> bool:
    """In English the key names types and levels by their ids (single, understand), as banks do."""
    from .ui import SOURCE, language

    return language() != SOURCE


def key_markdown(title: str, questions: list[Question], banks: list[Bank], *,
                 intro: str | None = None,
                 discussions: tuple[DiscussionPrompt, ...] = (), citations=None) -> str:
    """The answer key in Markdown (MyST too): for an assignment, or a chapter page of the
    instructor edition (which adds the discussions' authored perspectives)."""
    objectives = _objective_of(banks)
    intro = _("For the instructor only. Do not give this file to students.") if intro is None else intro
    lines = [_("# Answer key: {title}", title=md_escape(title)), "", intro, ""]
    for number, q in enumerate(questions, 1):
        where = md_escape(_describe(q, *objectives[q.id]))
        lines += [f"**{number}. {md_escape(q.prompt)}**", "",  # bold, not a heading: prompts are long
                  _("- Question id: `{id}` ({where})", id=q.id, where=where),
                  _("- Answer: {answer}", answer=md_escape(answer_text(q))),
                  _("- Explanation: {explanation}", explanation=md_escape(q.explanation)), ""]
    for prompt in discussions:
        lines += [_("**Discussion: {prompt}** (suggested length: {count} words)", prompt=md_escape(prompt.prompt),
                    count=prompt.suggested_words), ""]
        for p in prompt.perspectives:
            cited = "; ".join((citations or {}).get(k, k) for k in p.sources)
            lines.append(f"- *{md_escape(p.title)}*: {md_escape(p.text)}"
                         + (_(" (Sources: {sources}.)", sources=md_escape(cited)) if cited else ""))
        lines.append("")
    return "\n".join(lines)


def _key_items(questions: list[Question], banks: list[Bank]) -> str:
    objectives = _objective_of(banks)
    items = []
    for q in questions:
        items.append(f"<li><p><strong>{e(q.prompt)}</strong></p><dl>"
                     f"<dt>Answer</dt><dd>{e(answer_text(q))}</dd>"
                     f"<dt>Explanation</dt><dd>{e(q.explanation)}</dd>"
                     f"<dt>Question</dt><dd><code>{e(q.id)}</code>, {e(_describe(q, *objectives[q.id]))}</dd></dl></li>")
    return "".join(items)


def _key_page(title: str, body: str) -> str:
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Answer key: {e(title)}</title><style>body{{font-family:sans-serif;max-width:48rem;"
            "margin:2rem auto;padding:0 1rem;line-height:1.5}}dt{{font-weight:bold}}li{{margin-bottom:1.2rem}}</style></head><body>"
            f"<h1>Answer key: {e(title)}</h1><p>For the instructor only.</p>{body}</body></html>\n")


def key_html(title: str, questions: list[Question], banks: list[Bank]) -> str:
    return _key_page(title, f"<ol>{_key_items(questions, banks)}</ol>")


def variants_key_markdown(title: str, sections: list[tuple[str, list[Question]]], banks: list[Bank]) -> str:
    """The key of an assignment with a variant per student: one section per variant
    (`sections`: (heading, the variant's questions)), each as key_markdown writes it."""
    lines = [f"# Answer key: {md_escape(title)}", "",
             f"For the instructor only. Do not give this file to students. {len(sections)} variant(s), one section each.", ""]
    for heading, questions in sections:
        part = key_markdown(heading, questions, banks, intro="").split("\n")
        lines += [f"## Variant: {md_escape(heading)}", *part[3:]]  # its own heading and empty intro left out
    return "\n".join(lines)


def variants_key_html(title: str, sections: list[tuple[str, list[Question]]], banks: list[Bank]) -> str:
    body = "".join(f"<section><h2>Variant: {e(heading)}</h2><ol>{_key_items(questions, banks)}</ol></section>"
                   for heading, questions in sections)
    return _key_page(title, f"<p>{len(sections)} variant(s), one section each.</p>{body}")


def chapter_key_markdown(bank: Bank, title: str, citations=None) -> str:
    """A printable answer key for one chapter's quiz and discussions (instructor edition)."""
    return key_markdown(title, list(bank.questions), [bank], discussions=bank.discussions, citations=citations,
                        intro=_("Instructor edition. Each question with its objective, level, key and explanation."))


__all__ = ["answer_text", "key_markdown", "key_html", "chapter_key_markdown", "variants_key_markdown",
           "variants_key_html"]
