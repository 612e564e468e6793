"""The book's My work page (my-work.md): what coursekit.js needs to show a student's progress in
every chapter, and to export or import all of it, without any request.

The one source of truth is the build itself: the chapters in the book's order (its toctree),
each with the bank beside its page (the bank a chapter's notebook loads: `chapters/01-x` ↔
`<banks>/01-x.yml`). For each one the page carries its number, title and address, its questions
(with what the practice grader needs to score them, the keys the chapter pages already carry)
and its discussion prompts, as JSON in a `<script type="application/json" class="ck-book-map">`
added to the page that holds the `ck-mywork` markup. Nothing is hard-coded in the script.

As a Sphinx extension (`coursekit.my_work`, set up by coursekit.sphinx_ext) it connects one
handler; `book_map()` is the data, for tests and other front ends.
"""
from __future__ import annotations

from pathlib import Path

from .markup import json_for_script
from .model import Bank
from .serialize import grading_spec

MARKER = 'class="ck-mywork"'  # the page that holds this gets the map
MAP_FORMAT = "coursekit-book-map"
GRADER_FIELDS = ("type", "options", "answer", "accept", "tolerance", "pairs", "items", "order")  # what a score needs


def question_entry(question) -> dict:
    spec = grading_spec(question)
    return {"id": question.id, "spec": {k: spec[k] for k in GRADER_FIELDS if k in spec}}


def chapter_entry(bank: Bank, *, number: str | None, title: str, url: str) -> dict:
    return {"chapter": bank.chapter, "number": number or "", "title": title, "url": url,
            "questions": [question_entry(q) for q in bank.questions],
            "discussions": [{"id": d.id, "prompt": d.prompt, "words": d.suggested_words} for d in bank.discussions]}


def book_map(course_id: str, chapters: list[dict]) -> dict:
    return {"format": MAP_FORMAT, "version": 1, "course": course_id, "chapters": chapters}


def _docs_in_order(env) -> list[str]:
    """Every document of the book in its toctree order (depth first from the root)."""
    seen, order = set(), []

    def walk(doc):
        if doc in seen:
            return
        seen.add(doc)
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    return order


def build_map(app, pagename: str) -> dict:
    """The map for one page (addresses are relative to it)."""
    from .bank import load_bank
    from .course import load_course

    course = load_course(app.srcdir)
    banks_dir = course.banks_dir.resolve()
    cache = getattr(app.env, "_coursekit_banks", None)
    if cache is None:
        cache = app.env._coursekit_banks = {}
    chapters, course_id = [], course.id
    for doc in _docs_in_order(app.env):
        source = Path(app.srcdir, doc)
        bank_file = Path(str(source) + ".yml")  # docnames have no suffix: chapters/01-x -> chapters/01-x.yml
        if bank_file.parent.resolve() != banks_dir or not bank_file.exists():
            continue
        if doc not in cache:
            cache[doc] = load_bank(bank_file, course=course)
        bank = cache[doc]
        course_id = course_id or bank.course
        title_node = app.env.titles.get(doc)
        title = title_node.astext() if title_node is not None else bank.title
        chapters.append(chapter_entry(bank, number=course.number(bank.chapter), title=title,
                                      url=app.builder.get_relative_uri(pagename, doc)))
    return book_map(course_id, chapters)


def _add_map(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if app.builder.format != "html" or not isinstance(body, str) or MARKER not in body:
        return
    script = f'<script type="application/json" class="ck-book-map">{json_for_script(build_map(app, pagename))}</script>'
    context["body"] = body + script


def setup(app):
    app.connect("html-page-context", _add_map)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["book_map", "chapter_entry", "build_map", "setup", "MARKER"]
