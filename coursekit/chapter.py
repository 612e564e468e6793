"""What a notebook calls: `chapter = Chapter("02-...")`, then one short call per cell.

Each call returns an object whose display carries both views: the live widget (which
Jupyter shows) and the static HTML (which the built book shows, by its mime priority),
plus a plain-text line. nbval compares the HTML and the text, so a changed bank or a
changed rendering fails the notebook's test.
"""
from __future__ import annotations

from pathlib import Path

from . import ui
from .bank import load_bank
from .course import load_course
from .model import Bank, Question
from .progress import ProgressStore
from .static_view import MODES, render_discussion, render_export_panel, render_objectives, render_quiz
from .ui import _

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _bundle(widget, html: str, text: str) -> dict:
    bundle = {"text/plain": text, "text/html": html}
    if widget is not None:
        bundle[WIDGET_MIME] = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    return bundle


class _Display:
    """Builds its widget only when displayed, so importing or testing stays cheap."""

    def __init__(self, html: str, text: str, make_widget=None):
        self.html, self.text, self.make_widget = html, text, make_widget
        self.widget_view = None

    def _repr_mimebundle_(self, include=None, exclude=None):
        self.widget_view = self.make_widget() if self.make_widget else None
        return _bundle(self.widget_view.box if self.widget_view else None, self.html, self.text)

    def _repr_html_(self):  # for front ends that ask for HTML only
        return self.html

    def __repr__(self):
        return self.text


class Chapter:
    def __init__(self, stem: str, *, directory: str | Path = ".", mode: str = "practice",
                 store: ProgressStore | None = None):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.course = load_course(directory)
        ui.use_course(self.course)  # a translated edition's chapter speaks its language
        self.bank: Bank = load_bank(Path(directory) / f"{stem}.yml", course=self.course)
        self.mode = mode
        self.directory = Path(directory)
        self._store = store

    @property
    def store(self) -> ProgressStore:
        if self._store is None:
            self._store = ProgressStore()
        return self._store

    def objectives(self) -> _Display:
        lines = "\n".join(f"- {text}" for text in self.bank.objectives.values())
        return _Display(render_objectives(self.bank), lines)

    def quiz(self, questions: list[Question] | None = None, title: str | None = None) -> _Display:
        from .widgets import QuizWidget  # ipywidgets is only needed once something is displayed

        chosen = list(self.bank.questions if questions is None else questions)
        html = render_quiz(self.bank, self.mode, chosen, title)
        if self.mode == "assessment":
            text = _("Quiz: {title} ({count} questions, assessment mode)", title=title or self.bank.title,
                     count=len(chosen))
        else:
            text = _("Quiz: {title} ({count} questions, practice mode)", title=title or self.bank.title,
                     count=len(chosen))
        return _Display(html, text, lambda: QuizWidget(self.bank, self.store, self.mode, chosen, title))

    def discussion(self, prompt_id: str) -> _Display:
        from .widgets import DiscussionWidget

        prompt = self.bank.discussion(prompt_id)
        citations = self.course.citations() if any(p.sources for p in prompt.perspectives) else {}
        return _Display(render_discussion(self.bank, prompt, citations), _("Discussion: {prompt}", prompt=prompt.prompt),
                        lambda: DiscussionWidget(self.bank, prompt, self.store, citations))

    def export_panel(self) -> _Display:
        from .widgets import ExportWidget

        return _Display(render_export_panel(self.bank), _("Export your work: answers, responses and a submission file"),
                        lambda: ExportWidget(self.bank, self.store, self.mode, str(self.directory)))


__all__ = ["Chapter"]
