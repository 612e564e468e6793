"""The static HTML: accessible markup, reproducible ids, everything escaped."""
import json
import re
from html.parser import HTMLParser

import pytest

from coursekit.bank import load_bank
from coursekit.static_view import (
    render_discussion, render_export_panel, render_objectives, render_question, render_quiz,
)
from conftest import FIXTURES


@pytest.fixture(scope="module")
def hostile():
    return load_bank(FIXTURES / "hostile.yml")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.scripts = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        self._in_script = False


def _parse(html):
    parser = _Collect()
    parser.feed(html)
    return parser


def test_hostile_text_never_becomes_markup(hostile):
    pages = [render_quiz(hostile), render_quiz(hostile, mode="assessment"), render_objectives(hostile),
             render_discussion(hostile, hostile.discussions[0]), render_export_panel(hostile)]
    for html in pages:
        parsed = _parse(html)
        assert not {"img", "svg", "iframe", "b", "i", "h1", "a"} & set(parsed.tags)
        assert not [name for name, _ in parsed.attrs if name.startswith("on")]
        assert all(p.startswith("{") for p in parsed.scripts)  # only our JSON key blob
    quiz = render_quiz(hostile)
    assert "&lt;img src=x onerror=alert(&#x27;option&#x27;)&gt;" in quiz
    assert "</script><img" not in quiz


def test_key_blob_is_valid_json_without_closing_tags(hostile):
    html = render_quiz(hostile)
    blob = re.search(r'<script type="application/json" class="ck-key">(.*?)</script>', html).group(1)
    assert "<" not in blob and ">" not in blob
    key = json.loads(blob)
    assert "<img src=x onerror=alert('option')>" == key["hostile-single"]["answer"]


def test_quiz_markup_is_accessible(cases_bank):
    html = render_quiz(cases_bank)
    assert html.count("<fieldset>") == len(cases_bank.questions) == html.count("<legend>")
    assert html.count('role="status"') == len(cases_bank.questions) + 1  # each question + the score
    for input_id in re.findall(r'<(?:input|select) [^>]*id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    assert 'aria-labelledby="ck-quiz-answer-cases-title"' in html


def test_rendering_is_reproducible_and_ids_come_from_question_ids(cases_bank):
    assert render_quiz(cases_bank) == render_quiz(load_bank(FIXTURES / "answer-cases.yml"))
    assert 'id="ck-q-numeric-rio"' in render_quiz(cases_bank)


def test_ordering_never_starts_in_the_right_order(cases_bank):
    question = cases_bank.question("ordering-architecture")
    html = render_question(question, 1)
    shown = re.findall(r'data-ck-item="([^"]+)"', html)
    assert sorted(shown) == sorted(question.items) and shown != list(question.items)


def test_assessment_mode_has_no_key(cases_bank):
    html = render_quiz(cases_bank, mode="assessment")
    blob = json.loads(re.search(r'class="ck-key">(.*?)</script>', html).group(1))
    assert all(set(entry) == {"type"} for entry in blob.values())
    for question in cases_bank.questions:
        assert question.explanation not in html
    assert "Answer and explanation" not in html and "Save answer" in html


def test_practice_mode_offers_answers_without_javascript(cases_bank):
    html = render_quiz(cases_bank)
    assert html.count('<details class="ck-offline-answer">') == len(cases_bank.questions)
    assert "ck-needs-js" in html  # buttons are hidden until the script runs


def test_unknown_mode_refused(cases_bank):
    with pytest.raises(ValueError):
        render_quiz(cases_bank, mode="exam")
