"""The live view, driven in-process as a kernel would: check, save, restore, escape."""
import json

import pytest

from conftest import FIXTURES, answer_cases
from coursekit.bank import load_bank
from coursekit.chapter import WIDGET_MIME, Chapter
from coursekit.progress import ProgressStore
from coursekit.submission import validate_submission
from coursekit.widgets import DiscussionWidget, ExportWidget, QuizWidget


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "data")


def _set(item, value):
    """Put a response into a question's widgets as a student would."""
    q = item.question
    if q.type in ("single", "truefalse"):
        item.view.radio.value = value
    elif q.type == "multiple":
        for box in item.view.boxes:
            box.value = box.description in value
    elif q.type in ("text", "numeric"):
        item.view.text.value = value
    elif q.type == "matching":
        for left, select in item.view.selects.items():
            select.value = value.get(left, "")
    else:  # ordering: move items with the ▲/▼ buttons until the order is the response
        for position, wanted in enumerate(value):
            while item.view.order.index(wanted) != position:
                row = item.view.widget.children[item.view.order.index(wanted)]
                row.children[1].click()  # ▲


def test_widget_grades_like_the_case_table(cases_bank, store):
    quiz = QuizWidget(cases_bank, store)
    items = {i.question.id: i for i in quiz.items}
    for qid, response, status, _score in answer_cases():
        if status == "invalid":
            continue
        _set(items[qid], response)
        items[qid].check.click()
        assert status == items[qid].result.status, (qid, response)
        assert "Explanation" in items[qid].explanation.value


def test_check_saves_and_a_new_kernel_restores(cases_bank, store):
    quiz = QuizWidget(cases_bank, store)
    item = quiz.items[3]  # text-bogota
    item.view.text.value = "bogota"
    item.check.click()
    assert "Correct." in item.feedback.value
    assert "Score: 1 of 8" in quiz.score.value
    again = QuizWidget(cases_bank, ProgressStore(store.directory))  # as after a kernel restart
    assert "bogota" == again.items[3].view.text.value
    assert "Restored" in again.items[3].feedback.value
    assert "Score: 1 of 8" in again.score.value


def test_ordering_buttons_move_items(cases_bank, store):
    item = QuizWidget(cases_bank, store).items[7]
    first = item.view.order[0]
    item.view.widget.children[0].children[2].click()  # ▼ on the first row
    assert first == item.view.order[1]


def test_an_untouched_ordering_is_not_graded(cases_bank, store):
    item = next(i for i in QuizWidget(cases_bank, store).items if i.question.type == "ordering")
    item.check.click()
    assert item.result is None and "Move the items into the order you choose first" in item.feedback.value
    assert item.question.id not in store.record(cases_bank.course, cases_bank.chapter)["answers"]
    item.view.widget.children[0].children[2].click()  # ▼: now it is the student's order
    item.check.click()
    assert item.result is not None


def test_invalid_answer_asks_again_and_saves_nothing(cases_bank, store):
    quiz = QuizWidget(cases_bank, store)
    quiz.items[4].view.text.value = "nineteen forty-seven"
    quiz.items[4].check.click()
    assert "Type a number" in quiz.items[4].feedback.value
    assert {} == store.record(cases_bank.course, cases_bank.chapter)["answers"]


def test_assessment_mode_shows_no_correctness(cases_bank, store):
    quiz = QuizWidget(cases_bank, store, mode="assessment")
    quiz.items[0].view.radio.value = "Washington"
    quiz.items[0].check.click()
    assert "Answer saved." in quiz.items[0].feedback.value
    assert "" == quiz.items[0].explanation.value
    assert "Not correct" not in quiz.items[0].feedback.value


def test_hostile_text_is_escaped_in_widgets(store):
    bank = load_bank(FIXTURES / "hostile.yml")
    quiz = QuizWidget(bank, store)
    html_values = [w.value for item in quiz.items for w in (item.box.children[0], item.feedback)]
    quiz.items[0].view.radio.value = quiz.items[0].view.radio.options[0]
    quiz.items[0].check.click()
    html_values += [quiz.items[0].feedback.value, quiz.items[0].explanation.value]
    for value in html_values:
        assert "<img" not in value and "<script" not in value and "<b " not in value
    discussion = DiscussionWidget(bank, bank.discussions[0], store)
    discussion.text.value = "<img src=x onerror=alert(1)> one two three four five"
    discussion.reveal()
    assert "<img" not in discussion.perspectives.value and "&lt;img" in discussion.perspectives.value
    restored = DiscussionWidget(bank, bank.discussions[0], ProgressStore(store.directory))
    assert discussion.text.value == restored.text.value  # kept as text, exactly


def test_discussion_autosaves_counts_and_unlocks(cases_bank, store):
    bank = load_bank(FIXTURES / "hostile.yml")
    d = DiscussionWidget(bank, bank.discussions[0], store)
    assert d.reveal_button.disabled
    d.text.value = "one two three"
    assert "3 of 5 words." == d.count.value
    assert "one two three" == store.record("fixture-course", "hostile")["responses"]["hostile-d"]["text"]
    d.reveal()
    assert "" == d.perspectives.value and "Other perspectives open once you have written 5 words" in d.status.value
    d.text.value = "one two three four five"
    assert not d.reveal_button.disabled
    d.reveal_button.click()
    assert "Other perspectives" in d.perspectives.value


def test_export_writes_a_valid_submission(cases_bank, store, tmp_path):
    quiz = QuizWidget(cases_bank, store)
    quiz.items[2].view.radio.value = True
    quiz.items[2].check.click()
    panel = ExportWidget(cases_bank, store, directory=str(tmp_path))
    assert panel.export() is None and "Type your name" in panel.status.value
    panel.name.value = "Ana Pérez"
    path = panel.export()
    data = json.loads(path.read_text("utf-8"))
    validate_submission(data)
    assert ({"tf-tlatelolco": True}, "jupyter", "Ana Pérez") == (data["answers"], data["source"], data["student"])


def test_clear_needs_two_clicks(cases_bank, store):
    store.save_answer(cases_bank.course, cases_bank.chapter, "tf-tlatelolco", True)
    panel = ExportWidget(cases_bank, store)
    panel.clear_button.click()
    assert store.record(cases_bank.course, cases_bank.chapter)["answers"]
    panel.clear_button.click()
    assert {} == store.record(cases_bank.course, cases_bank.chapter)["answers"]


def test_chapter_display_carries_widget_html_and_text(store):
    chapter = Chapter("answer-cases", directory=FIXTURES, store=store)
    bundle = chapter.quiz()._repr_mimebundle_()
    assert {"text/plain", "text/html", WIDGET_MIME} == set(bundle)
    assert bundle["text/plain"] == "Quiz: Check your understanding (8 questions, practice mode)"
    assert bundle["text/html"].startswith('<section class="ck-quiz"')
    objectives = chapter.objectives()._repr_mimebundle_()
    assert objectives["text/plain"] == "- Identify the institutions of the inter-American security system."
    assert objectives["text/html"].startswith('<ul class="ck-objectives"><li>Identify')
    with pytest.raises(KeyError, match="no discussion"):
        chapter.discussion("nope")


def test_corrupt_progress_shows_a_warning_in_the_widget(cases_bank, tmp_path):
    (tmp_path / "progress.json").write_text("garbage", "utf-8")
    quiz = QuizWidget(cases_bank, ProgressStore(tmp_path))
    assert "moved aside" in quiz.box.children[0].value


def test_export_over_the_limits_says_so_and_writes_nothing(cases_bank, store, tmp_path):
    store.save_response(cases_bank.course, cases_bank.chapter, "d-long", "word " * 30000)
    panel = ExportWidget(cases_bank, store, directory=str(tmp_path))
    panel.name.value = "Ana"
    assert panel.export() is None
    assert "Not exported" in panel.status.value
    assert [] == list(tmp_path.glob("submission-*"))


def test_a_response_over_the_limit_is_not_saved_and_says_why(cases_bank, store):
    from coursekit.submission import MAX_RESPONSE_CHARS

    bank = load_bank(FIXTURES / "hostile.yml")
    d = DiscussionWidget(bank, bank.discussions[0], store)
    d.text.value = "short"
    d.text.value = "x" * (MAX_RESPONSE_CHARS + 1)
    d.save_button.click()
    assert "Not saved" in d.status.value and "100,000" in d.status.value
    assert "short" == store.record(bank.course, bank.chapter)["responses"]["hostile-d"]["text"]


def test_two_notebooks_on_one_response_never_overwrite_each_other(store):
    bank = load_bank(FIXTURES / "hostile.yml")
    prompt = bank.discussions[0]
    first, second = DiscussionWidget(bank, prompt, store), DiscussionWidget(bank, prompt, store)
    first.text.value = "A long paragraph written in the first notebook"
    second.text.value = " and"  # one keystroke in a stale notebook
    saved = store.record(bank.course, bank.chapter)["responses"][prompt.id]["text"]
    assert saved == "A long paragraph written in the first notebook"
    assert "Not saved: this response was changed in another notebook" in second.status.value
    assert second.text.value == " and" and second.replace_button.layout.display == ""
    second.replace_button.click()  # the student chose to keep this notebook's text
    assert store.record(bank.course, bank.chapter)["responses"][prompt.id]["text"] == " and"
    assert "Saved." in second.status.value and second.replace_button.layout.display == "none"
