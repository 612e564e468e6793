"""The static HTML: accessible markup, reproducible ids, everything escaped."""
import json
import re
from html.parser import HTMLParser

import pytest

from conftest import FIXTURES
from coursekit.bank import load_bank
from coursekit.model import display_order
from coursekit.serialize import grading_spec
from coursekit.static_view import (
    render_discussion,
    render_export_panel,
    render_objectives,
    render_question,
    render_quiz,
)


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
        assert all(p.startswith("[") for p in parsed.scripts)  # only our JSON key blob
    quiz = render_quiz(hostile)
    assert "&lt;img src=x onerror=alert(&#x27;option&#x27;)&gt;" in quiz
    assert "</script><img" not in quiz


def test_key_blob_is_valid_json_without_closing_tags(hostile):
    html = render_quiz(hostile)
    blob = re.search(r'<script type="application/json" class="ck-key">(.*?)</script>', html).group(1)
    assert "<" not in blob and ">" not in blob
    key = json.loads(blob)
    single = next(i for i, q in enumerate(hostile.questions) if q.id == "hostile-single")
    assert "<img src=x onerror=alert('option')>" == grading_spec(hostile.questions[single])["answer"]
    assert isinstance(key[single]["a"], int)  # a position: the option's text is in the page once


def test_quiz_markup_is_accessible(cases_bank):
    html = render_quiz(cases_bank)
    assert html.count("<fieldset>") == len(cases_bank.questions) == html.count("<legend>")
    # every control sits inside its label (the script adds the buttons and live regions)
    controls = len(re.findall(r"<(?:input|select)\b", html))
    labelled = sum(len(re.findall(r"<(?:input|select)\b", label))
                   for label in re.findall(r"<label\b.*?</label>", html))
    assert controls == labelled > 0
    assert 'aria-label="Check your understanding"' in html  # the page's own heading introduces it
    assert 'aria-labelledby="ck-quiz-answer-cases-title"' in render_quiz(cases_bank, title="Week 3")
    assert "<form" not in html  # without the script, Enter must not submit and reload the page


def test_rendering_is_reproducible_and_ids_come_from_question_ids(cases_bank):
    assert render_quiz(cases_bank) == render_quiz(load_bank(FIXTURES / "answer-cases.yml"))
    assert 'data-ck-qid="numeric-rio"' in render_quiz(cases_bank)


def test_ordering_never_starts_in_the_right_order(cases_bank):
    question = cases_bank.question("ordering-architecture")
    html = render_question(question, 1)
    shown = re.findall(r"<li>([^<]+)</li>", html)
    assert sorted(shown) == sorted(question.items) and shown != list(question.items)


def test_matching_prints_both_columns(cases_bank):
    question = cases_bank.question("matching-treaties")
    html = render_question(question, 1)
    column = re.search(r'<ol class="ck-rights" type="A">(.*?)</ol>', html).group(1)
    assert re.findall(r"<li>([^<]+)</li>", column) == display_order(question)
    assert all(f"<span>{p.left}</span><select>" in html for p in question.pairs)


def test_assessment_mode_has_no_key(cases_bank):
    html = render_quiz(cases_bank, mode="assessment")
    assert "ck-key" not in html
    for question in cases_bank.questions:
        assert question.explanation not in html
    assert "Answer and explanation" not in html


def test_practice_mode_offers_answers_without_javascript(cases_bank):
    html = render_quiz(cases_bank)
    assert html.count('<details class="ck-offline-answer">') == len(cases_bank.questions)
    assert "<button" not in html  # buttons need the script, which adds them


def test_unknown_mode_refused(cases_bank):
    with pytest.raises(ValueError):
        render_quiz(cases_bank, mode="exam")


def test_the_core_script_drops_exactly_the_my_work_parts():
    import pytest

    from coursekit.sphinx_ext import core_script

    source = ("a();\n  // @my-work-only begin: x\nb();\n  // @my-work-only end\nc();\n"
              "    // @my-work-only begin\nd();\n    // @my-work-only end\n")
    assert core_script(source) == "a();\nc();\n"
    with pytest.raises(ValueError, match="unclosed"):
        core_script("a();\n// @my-work-only begin\nb();\n")
