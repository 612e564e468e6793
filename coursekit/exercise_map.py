"""The My work page's list of exercise tasks: beside the chapters' map (coursekit/my_work.py),
a `<script type="application/json" class="ck-exercise-map">` with every exercise page of the
book in its toctree order, each with its tasks' answer ids, titles and expected lengths, all
read from the notebooks by coursekit/exercises.py. coursekit.js joins each page to its chapter
(same stem) or shows it on its own (the capstone), and exports and imports its answers.

A Sphinx extension (`coursekit.exercise_map`, set up by coursekit.sphinx_ext).
"""
from __future__ import annotations

from pathlib import Path

from .exercises import ExerciseError, read_tasks
from .markup import json_for_script
from .my_work import MARKER, _docs_in_order

MAP_FORMAT = "coursekit-exercise-map"


def page_entry(path: Path, *, title: str, url: str) -> dict:
    tasks = []
    for task in read_tasks(path):
        for aid in task.answer_ids():
            part = task.part_name(aid)
            expected = task.expected(part or None)
            tasks.append({"id": aid, "title": task.title + (f" ({part})" if part else ""),
                          "min": expected[0] if expected else 0, "max": expected[1] if expected else 0})
    return {"chapter": path.stem, "title": title, "url": url, "tasks": tasks}


def build_exercise_map(app, pagename: str) -> dict:
    from .course import load_course

    course = load_course(app.srcdir)
    pages = []
    for doc in _docs_in_order(app.env):
        source = Path(app.srcdir, doc + ".ipynb")
        if Path(doc).parent.name != "exercises" or not source.exists():
            continue
        title_node = app.env.titles.get(doc)
        try:
            entry = page_entry(source, title=title_node.astext() if title_node is not None else source.stem,
                               url=app.builder.get_relative_uri(pagename, doc))
        except ExerciseError as exc:
            from sphinx.util import logging

            logging.getLogger(__name__).warning(str(exc), location=doc)
            continue
        if entry["tasks"]:
            pages.append(entry)
    return {"format": MAP_FORMAT, "version": 1, "course": course.id, "exercises": pages}


def _add_map(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if app.builder.format != "html" or not isinstance(body, str) or MARKER not in body:
        return
    script = (f'<script type="application/json" class="ck-exercise-map">'
              f'{json_for_script(build_exercise_map(app, pagename))}</script>')
    context["body"] = body + script


def setup(app):
    app.connect("html-page-context", _add_map)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["build_exercise_map", "page_entry", "setup"]
