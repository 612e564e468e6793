"""The live view: ipywidgets 8 in a running kernel. Python grades; progress is saved.

Every bank or student text goes into an HTML widget through html.escape, or into a
widget field that ipywidgets renders as plain text (descriptions, labels, options).
"""
from __future__ import annotations

import contextlib
import functools
import json
from html import escape
from pathlib import Path

import ipywidgets as w

from .files import write_atomically
from .grading import Result, grade, message, record
from .model import Bank, DiscussionPrompt, Numeric, Question, TypeTable, display_order
from .positions import from_positions, to_positions
from .progress import ChangedElsewhere, ProgressStore
from .static_view import answer_label, html_text, perspective_sources
from .submission import MAX_RESPONSE_CHARS, build_submission, submission_filename
from .ui import _


# A quiz has hundreds of widgets; a Layout or Style object of their own for each would
# double the count (and the comm messages). Widgets with the same layout share one.
@functools.cache
def _shared_layout(items: tuple) -> w.Layout:
    return w.Layout(**dict(items))


def _layout(**kwargs) -> w.Layout:
    return _shared_layout(tuple(sorted(kwargs.items())))


@functools.cache
def _shared_style(style_class):
    return style_class()


def _new(widget_class, *args, **kwargs):
    """A widget that shares its layout and (default) style with its kind."""
    kwargs.setdefault("layout", _layout())
    style = widget_class.class_traits().get("style")  # boxes have none
    style_class = getattr(style, "klass", None)
    if style_class is not None:
        kwargs.setdefault("style", _shared_style(style_class))
    return widget_class(*args, **kwargs)


def _html(text: str = "", cls: str = "") -> w.HTML:
    widget = _new(w.HTML, value=text)
    if cls:
        widget.add_class(cls)
    return widget


def _para(text: str, cls: str = "") -> w.HTML:
    return _html(f"<p>{escape(text)}</p>" if text else "", cls)


def _warnings_banner(store: ProgressStore) -> list[w.Widget]:
    return [_html("".join(f'<p class="ck-warning">⚠ {escape(m)}</p>' for m in store.warnings), "ck-warning")] \
        if store.warnings else []


INPUTS = TypeTable("widget inputs")


@INPUTS.register("single", "truefalse")
class _RadioInputs:
    def __init__(self, q):
        self.question = q
        if q.type == "truefalse":
            self.radio = _new(w.RadioButtons, options=[(_("True"), True), (_("False"), False)], value=None)
        else:
            self.radio = _new(w.RadioButtons, options=[o.text for o in display_order(q)], value=None,
                              layout=_layout(width="100%"))
        self.widget = self.radio

    def value(self):
        return self.radio.value

    def restore(self, value) -> bool:
        if self.question.type == "truefalse" and isinstance(value, bool) or (
                self.question.type == "single" and value in self.radio.options):
            self.radio.value = value
            return True
        return False


@INPUTS.register("multiple")
class _CheckboxInputs:
    def __init__(self, q):
        self.boxes = [_new(w.Checkbox, description=o.text, value=False, indent=False, layout=_layout(width="100%"))
                      for o in display_order(q)]
        self.widget = _new(w.VBox, self.boxes)

    def value(self):
        return [box.description for box in self.boxes if box.value]

    def restore(self, value) -> bool:
        if not isinstance(value, list):
            return False
        for box in self.boxes:
            box.value = box.description in value
        return True


@INPUTS.register("text", "numeric")
class _TextInputs:
    def __init__(self, q):
        if isinstance(q, Numeric) and q.unit:
            placeholder = _("a number ({unit})", unit=q.unit)
        else:
            placeholder = _("a number") if isinstance(q, Numeric) else _("your answer")
        self.text = _new(w.Text, placeholder=placeholder)
        self.widget = self.text

    def value(self):
        return self.text.value

    def restore(self, value) -> bool:
        if not isinstance(value, str):
            return False
        self.text.value = value
        return True


@INPUTS.register("matching")
class _MatchingInputs:
    def __init__(self, q):
        rights = display_order(q)
        self.selects = {}
        rows = []
        for pair in q.pairs:
            select = _new(w.Dropdown, options=[(_("Choose…"), "")] + [(r, r) for r in rights], value="")
            self.selects[pair.left] = select
            rows.append(_new(w.HBox, [_new(w.Label, pair.left, layout=_layout(width="45%")), select]))
        self.widget = _new(w.VBox, rows)

    def value(self):
        return {left: select.value for left, select in self.selects.items() if select.value}

    def restore(self, value) -> bool:
        if not isinstance(value, dict):
            return False
        for left, select in self.selects.items():
            if value.get(left) in dict(select.options).values():
                select.value = value[left]
        return True


@INPUTS.register("ordering")
class _OrderingInputs:
    def __init__(self, q):
        self.question = q
        self.order = list(display_order(q))
        self.moved = False  # the shown order is nobody's answer until the student moves an item
        self.widget = _new(w.VBox)
        self._draw()

    def _draw(self) -> None:
        rows = []
        for index, item in enumerate(self.order):
            up = _new(w.Button, description="▲", tooltip=_("Move up: {item}", item=item), layout=_layout(width="3em"),
                      disabled=index == 0)
            down = _new(w.Button, description="▼", tooltip=_("Move down: {item}", item=item), layout=_layout(width="3em"),
                        disabled=index == len(self.order) - 1)
            up.on_click(lambda _, i=index: self.move(i, -1))
            down.on_click(lambda _, i=index: self.move(i, +1))
            rows.append(_new(w.HBox, [_new(w.Label, f"{index + 1}. {item}", layout=_layout(width="70%")), up, down]))
        self.widget.children = rows

    def move(self, index: int, step: int) -> None:
        target = index + step
        if 0 <= target < len(self.order):
            self.order[index], self.order[target] = self.order[target], self.order[index]
            self.moved = True
            self._draw()

    def value(self):
        return list(self.order)

    def restore(self, value) -> bool:
        if not (isinstance(value, list) and sorted(value) == sorted(self.question.items)):
            return False
        self.order = list(value)
        self.moved = True
        self._draw()
        return True


class QuestionWidget:
    """One question: its inputs, a Check button, feedback and explanation."""

    def __init__(self, question: Question, number: int, mode: str, on_check):
        self.question, self.mode, self.on_check = question, mode, on_check
        self.feedback = _html(cls="ck-feedback")
        self.explanation = _html(cls="ck-explanation")
        self.result: Result | None = None
        self.check = _new(w.Button, description=_("Check") if mode == "practice" else _("Save answer"),
                          button_style="primary")
        self.check.on_click(lambda _: self.submit())
        self.view = INPUTS(question)
        self.inputs = self.view.widget
        prompt = _html(f'<p><strong>{html_text(_("Question {number}."), number=number)}</strong> '
                       f'{escape(question.prompt)}</p>')
        self.box = _new(w.VBox, [prompt, self.inputs, self.check, self.feedback, self.explanation],
                        layout=_layout(border="1px solid #ccc", padding="0.5em", margin="0 0 0.8em 0"))

    def response(self):
        return self.view.value()

    def restore(self, value) -> None:
        try:
            restored = self.view.restore(value)
        except Exception:  # a saved value that no longer fits the question is simply not restored
            return
        if restored:
            self.show(self.judge(value), restored=True)

    # -- checking -------------------------------------------------------------------------
    def judge(self, value) -> Result:
        """Practice grades; assessment only records (it has no key to grade with)."""
        return grade(self.question, value) if self.mode == "practice" else record(self.question, value)

    def submit(self) -> None:
        if getattr(self.view, "moved", True) is False:
            self.feedback.value = f'<p class="ck-invalid">{escape(message("ordering_untouched"))}</p>'
            return
        value = self.response()
        result = self.judge(value)
        if result.status == "invalid":
            self.feedback.value = f'<p class="ck-invalid">{escape(result.feedback[0])}</p>'
            return
        self.on_check(self, value, result)
        self.show(result)

    def show(self, result: Result, restored: bool = False) -> None:
        if result.status == "invalid":
            return
        self.result = result
        prefix = _("Restored from your saved progress.") + " " if restored else ""
        if self.mode == "assessment":
            self.feedback.value = "<p>" + escape(prefix) + html_text(_("Answer saved.")) + "</p>"
            return
        marks = {"correct": "✔", "partial": "◐", "incorrect": "✘"}
        lines = "".join(f"<p>{escape(line)}</p>" for line in result.feedback[1:])
        self.feedback.value = (f'<div class="ck-{result.status}"><p><strong>{marks[result.status]} '
                               f'{escape(prefix + result.feedback[0])}</strong></p>{lines}</div>')
        self.explanation.value = (f'<p><em>{html_text(_("Explanation."))}</em> '
                                  f"{escape(self.question.explanation)}</p>")


class QuizWidget:
    def __init__(self, bank: Bank, store: ProgressStore, mode: str = "practice",
                 questions: list[Question] | None = None, title: str | None = None):
        self.bank, self.store, self.mode = bank, store, mode
        questions = list(bank.questions if questions is None else questions)
        saved = store.record(bank.course, bank.chapter)["answers"]
        self.score = _html(cls="ck-score")
        self.status = _html(cls="ck-status")
        self.items = [QuestionWidget(q, i, mode, self._checked) for i, q in enumerate(questions, 1)]
        for item in self.items:
            if item.question.id in saved:  # by position (another language's edition) or as text
                item.restore(from_positions(item.question, saved[item.question.id].get("value")))
        self._update_score()
        heading = _html(f"<h3>{escape(title or bank.title)}</h3>")
        self.box = _new(w.VBox, [*_warnings_banner(store), heading, self.score, *(i.box for i in self.items), self.status])

    def _checked(self, item: QuestionWidget, value, result: Result) -> None:
        try:
            # practice answers by position, the same in every language; assessment ones as text,
            # so that a saved ordering never lists its items in the bank's (correct) order
            stored = to_positions(item.question, value) if self.mode == "practice" else value
            self.store.save_answer(self.bank.course, self.bank.chapter, item.question.id, stored)
            self.status.value = ""
        except OSError as exc:
            self.status.value = ('<p class="ck-warning">⚠ '
                                 + html_text(_("Your answer was checked but not saved: {error}"), error=escape(str(exc)))
                                 + "</p>")
        item.result = result
        self._update_score()

    def _update_score(self) -> None:
        if self.mode == "assessment":
            answered = sum(1 for i in self.items if i.result)
            self.score.value = ("<p>" + html_text(_("{answered} of {count} answered."), answered=answered,
                                                  count=len(self.items)) + "</p>")
        else:
            total = sum(i.result.score for i in self.items if i.result)
            self.score.value = ("<p><strong>" + html_text(_("Score: {score} of {count}"), score=f"{total:g}",
                                                          count=len(self.items)) + "</strong></p>")



def _save_text(widget, text: str, save, *, announce: bool) -> None:
    """Save a text box (discussion response or exercise answer) through `save()` and say in the
    widget's status how it went: saved, changed in another notebook (both texts kept, and a
    button to keep this one), or not saved at all. Never "Saved." unless it was."""
    try:
        save()
    except ChangedElsewhere as exc:
        widget.replace_button.layout.display = ""
        # the exception says what was changed: "this response ..." or "this answer ..." (ChangedElsewhere)
        widget.status.value = ('<p class="ck-warning">⚠ '
                               + html_text(_("Not saved: {error}. Both texts are kept: the other is saved, yours is "
                                             "in the box. Re-run this cell to see the other, or press “Replace it "
                                             "with mine”."), error=escape(str(exc)))
                               + "</p>")
        return
    except OSError as exc:
        widget.status.value = ('<p class="ck-warning">⚠ ' + html_text(_("Not saved: {error}"), error=escape(str(exc)))
                               + "</p>")
        return
    widget.base = text
    widget.replace_button.layout.display = "none"
    if announce:
        widget.status.value = "<p>" + html_text(_("Saved.")) + "</p>"

class DiscussionWidget:
    def __init__(self, bank: Bank, prompt: DiscussionPrompt, store: ProgressStore, citations=None):
        self.bank, self.prompt, self.store, self.citations = bank, prompt, store, citations or {}
        saved = store.record(bank.course, bank.chapter)["responses"].get(prompt.id, {})
        guiding = "".join(f"<li>{escape(g)}</li>" for g in prompt.guiding_questions)
        header = _html(f"<h3>{escape(prompt.prompt)}</h3>"
                       + (f'<p>{html_text(_("Questions to guide you:"))}</p><ul>{guiding}</ul>' if guiding else ""))
        self.text = _new(w.Textarea, value=saved.get("text", ""), placeholder=_("Write your response here…"),
                               layout=_layout(width="100%", height="12em"), continuous_update=True)
        self.count = _new(w.Label)
        self.status = _html(cls="ck-status")
        self.save_button = _new(w.Button, description=_("Save"), button_style="primary")
        self.reveal_button = _new(w.Button, description=_("Show other perspectives"), layout=_layout(width="auto"))
        self.perspectives = _html()
        # The text this view last loaded or saved: a save over anything else (another notebook's
        # save of the same response) is refused until the student chooses to replace it.
        self.base = saved.get("text", "")
        self.replace_button = _new(w.Button, description=_("Replace it with mine"), button_style="warning",
                                   layout=_layout(display="none", width="auto"))
        self.replace_button.on_click(lambda _: self.replace_other())
        self.save_button.on_click(lambda _: self.save(announce=True))
        self.reveal_button.on_click(lambda _: self.reveal())
        self.text.observe(lambda _: (self._update_count(), self.save(announce=False)), names="value")
        self._update_count()
        if saved:
            self.status.value = ("<p>" + html_text(_("Restored your response saved at {time}."),
                                                   time=escape(saved.get("saved_at", ""))) + "</p>")
        buttons = [self.save_button, self.replace_button] + ([self.reveal_button] if prompt.perspectives else [])
        self.box = _new(w.VBox, [*_warnings_banner(store), header, self.text, self.count, _new(w.HBox, buttons),
                           self.status, self.perspectives])

    def words(self) -> int:
        return len(self.text.value.split())

    def _update_count(self) -> None:
        n = self.words()
        self.count.value = _("{count} of {range} words.", count=n, range=self.prompt.suggested_words)
        self.reveal_button.disabled = n < self.prompt.suggested_words
        self.reveal_button.tooltip = ("" if n >= self.prompt.suggested_words else
                                      _("Other perspectives open at {count} words", count=self.prompt.suggested_words))

    def save(self, announce: bool) -> None:
        if len(self.text.value) > MAX_RESPONSE_CHARS:
            self.status.value = ('<p class="ck-warning">⚠ '
                                 + html_text(_("Not saved: your response is {count} characters and the limit is "
                                               "{limit}. Shorten it; until then, keep a copy elsewhere."),
                                             count=f"{len(self.text.value):,}", limit=f"{MAX_RESPONSE_CHARS:,}")
                                 + "</p>")
            return
        text = self.text.value
        _save_text(self, text, lambda: self.store.save_response(self.bank.course, self.bank.chapter, self.prompt.id,
                                                                 text, expected=self.base), announce=announce)

    def replace_other(self) -> None:
        """The student has seen the warning and keeps this notebook's text."""
        self.base = self.store.record(self.bank.course, self.bank.chapter)["responses"].get(
            self.prompt.id, {}).get("text", "")
        self.save(announce=True)

    def reveal(self) -> None:
        if self.words() < self.prompt.suggested_words:
            self.status.value = ("<p>" + html_text(_("Other perspectives open once you have written {count} words "
                                                     "(you have {written})."),
                                                   count=self.prompt.suggested_words, written=self.words()) + "</p>")
            return
        def sources(p):
            cited = perspective_sources(p, self.citations)
            return ("<p><em>" + html_text(_("Sources: {sources}."), sources=escape(cited)) + "</em></p>") if cited else ""
        self.perspectives.value = "<h4>" + html_text(_("Other perspectives")) + "</h4>" + "".join(
            f"<h5>{escape(p.title)}</h5><p>{escape(p.text)}</p>{sources(p)}" for p in self.prompt.perspectives)


def exercise_answers(store: ProgressStore, course: str, chapter: str) -> dict:
    """{answer id: {"text", "saved_at"}}: the exercise answers saved for a chapter (or the capstone),
    kept in the progress file beside the chapter's answers and responses."""
    found = store.load()["courses"].get(course, {}).get(chapter, {}).get("exercises", {})
    return {k: v for k, v in found.items() if isinstance(v, dict) and isinstance(v.get("text", ""), str)} \
        if isinstance(found, dict) else {}


def save_exercise_answer(store: ProgressStore, course: str, chapter: str, aid: str, text: str, *,
                         expected: str | None = None) -> None:
    """Save an exercise answer, as ProgressStore.save_response saves a response: with `expected`
    (the text this view last loaded or saved), ChangedElsewhere when another notebook saved since."""
    from .progress import now_iso

    def change(data):
        record = data["courses"].setdefault(course, {}).setdefault(chapter, {})
        record.setdefault("answers", {})
        record.setdefault("responses", {})
        answers = record.setdefault("exercises", {})
        stored = answers.get(aid, {}) if isinstance(answers.get(aid), dict) else {}
        if expected is not None and stored.get("text", "") not in (expected, text):
            raise ChangedElsewhere(stored.get("saved_at", ""), "answer")
        answers[aid] = {"text": text, "saved_at": now_iso()}
    store.update(change)


class AnswerWidget:
    """An exercise task's answer box in Jupyter: as the discussion box (autosave, word count
    against the task's expected length, restored when the notebook runs again, the same warnings)."""

    def __init__(self, course: str, chapter: str, task, part: str | None, expected, store: ProgressStore):
        from .exercises import MAX_EXERCISE_CHARS, answer_id

        self.course, self.chapter, self.task, self.part, self.expected, self.store = \
            course, chapter, task, part, expected, store
        self.limit = MAX_EXERCISE_CHARS
        self.aid = answer_id(task.label, part)
        saved = exercise_answers(store, course, chapter).get(self.aid, {})
        what, length = answer_label(task.title, part, expected)
        header = _html(f"<p><strong>{escape(what)}</strong>{' ' + escape(length) if length else ''}</p>")
        self.text = _new(w.Textarea, value=saved.get("text", ""), placeholder=_("Write your answer here…"),
                         layout=_layout(width="100%", height="18em"), continuous_update=True)
        self.count = _new(w.Label)
        self.status = _html(cls="ck-status")
        self.save_button = _new(w.Button, description=_("Save"), button_style="primary")
        self.base = saved.get("text", "")
        self.replace_button = _new(w.Button, description=_("Replace it with mine"), button_style="warning",
                                   layout=_layout(display="none", width="auto"))
        self.replace_button.on_click(lambda _: self.replace_other())
        self.save_button.on_click(lambda _: self.save(announce=True))
        self.text.observe(lambda _: (self._update_count(), self.save(announce=False)), names="value")
        self._update_count()
        if saved:
            self.status.value = ("<p>" + html_text(_("Restored your answer saved at {time}."),
                                                   time=escape(saved.get("saved_at", ""))) + "</p>")
        self.box = _new(w.VBox, [*_warnings_banner(store), header, self.text, self.count,
                                 _new(w.HBox, [self.save_button, self.replace_button]), self.status])

    def words(self) -> int:
        return len(self.text.value.split())

    def _update_count(self) -> None:
        from .exercises import count_text

        self.count.value = count_text(self.words(), self.expected)

    def save(self, announce: bool) -> None:
        from .exercises import ANSWER_CONTROL

        text = self.text.value
        if len(text) > self.limit:
            self.status.value = ('<p class="ck-warning">⚠ '
                                 + html_text(_("Not saved: your answer is {count} characters and the limit is "
                                               "{limit}. Shorten it; until then, keep a copy elsewhere."),
                                             count=f"{len(text):,}", limit=f"{self.limit:,}")
                                 + "</p>")
            return
        if bad := ANSWER_CONTROL.search(text):
            self.status.value = ('<p class="ck-warning">⚠ '
                                 + html_text(_("Not saved: your answer holds a control character ({character}), "
                                               "perhaps pasted from another program: delete it."),
                                             character=f"U+{ord(bad.group()):04X}")
                                 + "</p>")
            return
        _save_text(self, text, lambda: save_exercise_answer(self.store, self.course, self.chapter, self.aid, text,
                                                            expected=self.base), announce=announce)

    def replace_other(self) -> None:
        """The student has seen the warning and keeps this notebook's text."""
        self.base = exercise_answers(self.store, self.course, self.chapter).get(self.aid, {}).get("text", "")
        self.save(announce=True)


class ExportWidget:
    """Name and optional student identifier (remembered on this computer), "Export my work"
    (writes the submission file next to the notebook), "Clear my answers", "Forget me on this
    computer", and "Import my work" (an exported file, of one chapter or every chapter, into the
    progress file; coursekit/importing.py has the rules)."""

    def __init__(self, bank: Bank, store: ProgressStore, mode: str = "practice", directory: str = ".",
                 banks: list[Bank] | None = None):
        self.bank, self.store, self.mode, self.directory = bank, store, mode, directory
        self._banks = banks
        self._course = None
        self.name = _new(w.Text, description=_("Your name"), placeholder=_("as your instructor knows you"),
                         value=store.setting("student"))
        self.student_id = _new(w.Text, description=_("Student number or e-mail (optional)"),
                               placeholder=_("if your instructor asks for one"), value=store.setting("student_id"),
                               style={"description_width": "initial"}, layout=_layout(width="auto"))
        self.export_button = _new(w.Button, description=_("Export my work"), button_style="primary",
                                  layout=_layout(width="auto"))
        self.clear_button = _new(w.Button, description=_("Clear my answers"), layout=_layout(width="auto"))
        self.forget_button = _new(w.Button, description=_("Forget me on this computer"), layout=_layout(width="auto"))
        self.upload = _new(w.FileUpload, accept=".json,application/json", multiple=False,
                           description=_("Import my work"), layout=_layout(width="auto"))
        self.status = _html(cls="ck-status")
        self._confirm_clear = False
        self._confirm_forget = False
        self.export_button.on_click(lambda _: self.export())
        self.clear_button.on_click(lambda _: self.clear())
        self.forget_button.on_click(lambda _: self.forget())
        self.upload.observe(lambda change: self._uploaded(change["new"]), names="value")
        intro = _para(_("Your answers and responses are saved on this computer only. To hand them in, "
                        "export them to a file and give the file to your instructor. To bring in work you "
                        "exported elsewhere (one chapter or every chapter), use Import my work."))
        heading = _html("<h3>" + html_text(_("Your work on this page")) + "</h3>")
        self.box = _new(w.VBox, [heading, intro, self.name, self.student_id,
                                 _new(w.HBox, [self.export_button, self.clear_button, self.forget_button]),
                                 self.upload, self.status])

    def _identity(self) -> tuple[str, str] | None:
        """(name, identifier) as typed, remembered on this computer; None (and a message) when unusable."""
        from .submission import student_id_problem

        student, ident = self.name.value.strip(), self.student_id.value.strip()
        if not student:
            self.status.value = "<p>" + html_text(_("Type your name first: your instructor needs it.")) + "</p>"
            return None
        if ident and (problem := student_id_problem(ident)):
            self.status.value = ('<p class="ck-warning">⚠ ' + html_text(_("Not exported: {problem}."), problem=escape(problem))
                                 + "</p>")
            return None
        with contextlib.suppress(OSError):  # remembering is a convenience: the export goes on
            self.store.remember(student=student, student_id=ident)
        return student, ident

    def export(self):
        identity = self._identity()
        if identity is None:
            return None
        student, ident = identity
        record = self.store.record(self.bank.course, self.bank.chapter)
        path = Path(self.directory) / submission_filename(self.bank.chapter, student)
        try:
            data = build_submission(
                course=self.bank.course, chapter=self.bank.chapter, student=student, source="jupyter",
                mode=self.mode, answers={qid: entry.get("value") for qid, entry in record["answers"].items()},
                responses={pid: entry.get("text", "") for pid, entry in record["responses"].items()},
                student_id=ident or None,
                exercises={aid: entry.get("text", "") for aid, entry in
                           exercise_answers(self.store, self.bank.course, self.bank.chapter).items()},
            )
            write_atomically(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
        except ValueError as exc:  # over the schema's limits (e.g. a very long response)
            self.status.value = ('<p class="ck-warning">⚠ ' + html_text(_("Not exported: {error}"), error=escape(str(exc)))
                                 + "</p>")
            return None
        except OSError as exc:
            self.status.value = ('<p class="ck-warning">⚠ '
                                 + html_text(_("Not exported: {error}"), error=escape(exc.strerror or str(exc))) + "</p>")
            return None
        self.status.value = ("<p>" + html_text(_("Exported to {path}."),
                                               path="<code>" + escape(str(path.resolve())) + "</code>") + "</p>")
        return path

    def clear(self) -> None:
        if not self._confirm_clear:
            self._confirm_clear = True
            self.status.value = ("<p>" + html_text(_("Click “Clear my answers” again to delete your saved work for "
                                                     "this page.")) + "</p>")
            return
        self._confirm_clear = False
        self.store.clear_chapter(self.bank.course, self.bank.chapter)
        self.status.value = "<p>" + html_text(_("Cleared. Run the notebook again to start afresh.")) + "</p>"

    def forget(self) -> None:
        if not self._confirm_forget:
            self._confirm_forget = True
            self.status.value = ("<p>" + html_text(_("Click “Forget me on this computer” again to remove your name, "
                                                     "your student identifier and every answer and response of this "
                                                     "course saved on this computer.")) + "</p>")
            return
        self._confirm_forget = False
        try:
            self.store.forget(self.bank.course)
        except OSError as exc:
            self.status.value = ('<p class="ck-warning">⚠ ' + html_text(_("Not forgotten: {error}"), error=escape(str(exc)))
                                 + "</p>")
            return
        self.name.value = self.student_id.value = ""
        self.status.value = ("<p>" + html_text(_("Forgotten: your name, your student identifier and all your saved "
                                                 "work for this course are gone from this computer.")) + "</p>")

    def banks(self) -> list[Bank]:
        """The banks an import may restore into: every chapter of the course (or this bank alone)."""
        if self._banks is None:
            from .bank import load_banks
            from .course import load_course

            try:
                course = self._course = load_course(self.directory)
                paths = sorted(course.banks_dir.glob("*.yml"))
                found = load_banks([p for p in paths if course.is_chapter(p.stem)], course=course)
                self._banks = [b for b in found if b.course == self.bank.course] or [self.bank]
            except Exception:  # a course folder that cannot be read: this chapter alone
                self._banks = [self.bank]
            if all(b.chapter != self.bank.chapter for b in self._banks):
                self._banks.append(self.bank)
        return self._banks

    def _uploaded(self, files) -> None:
        if not files:
            return
        upload = files[0]
        self.import_file(bytes(upload["content"]), upload["name"])
        self.upload.value = ()  # the same file can be chosen again

    def import_file(self, raw: bytes, file_name: str):
        """Import an exported file (its bytes); the status says what was restored and what was not."""
        from .importing import import_work

        try:
            banks = self.banks()
            result = import_work(self.store, raw, file_name=file_name, banks=banks, course=self._course)
        except OSError as exc:
            self.status.value = ('<p class="ck-warning">⚠ ' + html_text(_("Not imported: {error}"), error=escape(str(exc)))
                                 + "</p>")
            return None
        lines = result.lines()
        cls = ' class="ck-warning"' if result.refused else ""
        chapter_work = result.answers or result.responses > result.exercises
        if result.refused or not (chapter_work or result.exercises):
            more = ""
        elif chapter_work and result.exercises:
            more = html_text(_("Run the chapter's notebook and the exercise notebook again (Run All Cells) to see "
                               "the restored work."))
        elif chapter_work:
            more = html_text(_("Run the chapter's notebook again (Run All Cells) to see the restored work."))
        else:
            more = html_text(_("Run the exercise notebook again (Run All Cells) to see the restored work."))
        more = f"<p>{more}</p>" if more else ""
        self.status.value = f"<div{cls}>" + "".join(f"<p>{escape(line)}</p>" for line in lines) + more + "</div>"
        if result.identity and not self.name.value:
            self.name.value = self.store.setting("student")
            self.student_id.value = self.store.setting("student_id")
        return result


__all__ = ["QuizWidget", "DiscussionWidget", "ExportWidget", "QuestionWidget", "AnswerWidget", "exercise_answers",
           "save_exercise_answer"]
