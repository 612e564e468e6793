"""The built book in a real Chromium: answers by mouse and by keyboard alone, feedback read
from the role="status" regions, persistence, hostile text, export, clear, no network,
and axe-core on every page."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, answer_cases, serious_axe_violations, static_page, toc_pages
from coursekit.bank import load_bank
from coursekit.grading import normalise_text
from coursekit.model import display_order
from coursekit.serialize import grading_spec
from coursekit.static_view import render_discussion, render_export_panel, render_quiz
from coursekit.submission import validate_submission

pytestmark = pytest.mark.browser
CHAPTER = "01-introduction"


@pytest.fixture(scope="module")
def bank():
    return load_bank(ROOT / "chapters" / f"{CHAPTER}.yml")


@pytest.fixture
def page(browser, book_server):
    """A fresh browser profile (empty localStorage) that records every request and dialog."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.requests, page.dialogs, page.errors = [], [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def on_dialog(dialog):
        page.dialogs.append((dialog.type, dialog.message))
        dialog.accept()

    page.on("dialog", on_dialog)
    page.goto(f"{book_server}/chapters/{CHAPTER}.html")
    page.wait_for_function("window.coursekitReady !== undefined")
    yield page
    outside = [u for u in page.requests if not (u.startswith(book_server) or u.startswith(("data:", "blob:")))]
    assert [] == outside, "the page requested something outside the book"
    assert [] == page.errors
    context.close()


def form_of(page, qid):
    return page.locator(f'.ck-question[data-ck-qid="{qid}"]')


def status_text(page, qid):
    return form_of(page, qid).locator('[role="status"]').inner_text()


def wrong_and_right(question):
    """A wrong response and the right one, in the grader's response format."""
    t = question.type
    if t == "single":
        return next(o.text for o in question.options if o.text != question.answer), question.answer
    if t == "multiple":
        return [next(o.text for o in question.options if o.text not in question.answer)], sorted(question.answer)
    if t == "truefalse":
        return (not question.answer), question.answer
    if t == "text":
        return "zzzz", normalise_text(question.accept[0])  # accents and case dropped on purpose
    if t == "numeric":
        answer = int(question.answer) if question.answer.is_integer() else question.answer
        return str(answer + question.tolerance + 7), str(answer)
    if t == "matching":
        rights = [p.right for p in question.pairs]
        return ({p.left: rights[(i + 1) % len(rights)] for i, p in enumerate(question.pairs)},
                {p.left: p.right for p in question.pairs})
    # ordering: a wrong order the student must move items to reach (an untouched one is refused)
    shown, right = list(display_order(question)), list(question.items)
    candidates = [shown[1::-1] + shown[2:], shown[-1:] + shown[:-1], right[::-1]]
    return next(c for c in candidates if c not in (shown, right)), right


# --- by mouse ---------------------------------------------------------------------------

def answer_by_mouse(page, question, response):
    form = form_of(page, question.id)
    t = question.type
    if t in ("single", "truefalse"):
        label = ("True" if response else "False") if t == "truefalse" else response
        form.get_by_label(label, exact=True).click()
    elif t == "multiple":
        for box in form.locator("input[type=checkbox]").all():
            if box.is_checked() != (label_of(box) in response):
                box.click()
    elif t in ("text", "numeric"):
        form.locator("input").click()
        form.locator("input").fill(response)
    elif t == "matching":
        rights = display_order(question)
        for left, right in response.items():
            form.get_by_label(left, exact=True).select_option(value=str(rights.index(right)))
    elif t == "ordering" and response is not None:
        for target, item in enumerate(response):
            while current_order(form).index(item) > target:
                form.get_by_role("button", name=f"Move up: {item}", exact=True).click()
    form.get_by_role("button", name="Check").click()


def current_order(form):
    return form.locator("li .ck-item").all_inner_texts()


def label_of(control):
    return control.evaluate("i => i.closest('label').textContent.trim()")


def css(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def test_every_type_wrong_then_right_by_mouse(page, bank):
    assert {"single", "multiple", "truefalse", "text", "numeric", "matching", "ordering"} <= {q.type for q in bank.questions}
    for question in bank.questions:
        wrong, right = wrong_and_right(question)
        answer_by_mouse(page, question, wrong)
        assert re.match(r"^✘ Not correct\.|^◐ Partly correct", status_text(page, question.id)), question.id
        answer_by_mouse(page, question, right)
        assert status_text(page, question.id).startswith("✔ Correct."), question.id
        explanation = form_of(page, question.id).locator(".ck-explanation")
        assert explanation.is_visible() and question.explanation in explanation.inner_text()
    score = page.locator(".ck-score").inner_text()
    assert f"Score: {len(bank.questions)} of {len(bank.questions)}" in score


# --- by keyboard alone ----------------------------------------------------------------------

def tab_to(page, predicate_js: str, limit: int = 40):
    """Press Tab until the focused element satisfies the predicate; proves it is reachable.
    (Focus that already satisfies it stays: a moved item keeps focus on its button.)"""
    for _ in range(limit + 1):
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached: {predicate_js}")


def answer_by_keyboard(page, question, response):
    qid = question.id
    inside = f'el.closest(\'.ck-question[data-ck-qid="{qid}"]\') !== null'
    t = question.type
    if t in ("single", "truefalse"):
        values = page.eval_on_selector_all(f'.ck-question[data-ck-qid="{qid}"] input',
                                           "els => els.map(e => e.closest('label').textContent.trim())")
        target = ("True" if response else "False") if t == "truefalse" else response
        tab_to(page, f"{inside} && el.type === 'radio'")
        checked = page.evaluate("document.activeElement.checked")
        position = values.index(page.evaluate("document.activeElement.closest('label').textContent.trim()"))
        if not checked:
            page.keyboard.press("Space")
        for _ in range((values.index(target) - position) % len(values)):
            page.keyboard.press("ArrowDown")  # arrow keys move the selection within the group
    elif t == "multiple":
        count = page.locator(f'.ck-question[data-ck-qid="{qid}"] input').count()
        for i in range(count):
            if i:
                page.keyboard.press("Tab")  # checkboxes are consecutive tab stops
            tab_to(page, f"{inside} && el.type === 'checkbox'")
            label = page.evaluate("document.activeElement.closest('label').textContent.trim()")
            if page.evaluate("document.activeElement.checked") != (label in response):
                page.keyboard.press("Space")
    elif t in ("text", "numeric"):
        tab_to(page, f"{inside} && el.type === 'text'")
        page.keyboard.press("Control+A")
        page.keyboard.type(response)
        page.keyboard.press("Enter")  # Enter checks the answer
        return
    elif t == "matching":
        rights = display_order(question)
        for i, (left, right) in enumerate(response.items()):
            if i:
                page.keyboard.press("Tab")  # on to the next select
            tab_to(page, f"{inside} && el.tagName === 'SELECT' && "
                         f"el.closest('label').querySelector('span').textContent === {json.dumps(left)}")
            options = page.evaluate("[...document.activeElement.options].map(o => o.value)")
            want = options.index(str(rights.index(right)))
            now = options.index(page.evaluate("document.activeElement.value"))
            key = "ArrowDown" if want > now else "ArrowUp"
            for _ in range(abs(want - now)):
                page.keyboard.press(key)
            assert str(rights.index(right)) == page.evaluate("document.activeElement.value")
    elif t == "ordering" and response is not None:
        form = form_of(page, qid)
        for target, item in enumerate(response):
            while current_order(form).index(item) > target:
                label = f"Move up: {item}"
                tab_to(page, f"{inside} && el.getAttribute('aria-label') === {json.dumps(label)}", limit=80)
                page.keyboard.press("Enter")
    tab_to(page, f"{inside} && el.classList.contains('ck-check')", limit=80)
    page.keyboard.press("Enter")


def test_every_type_wrong_then_right_by_keyboard(page, bank):
    for question in bank.questions:
        wrong, right = wrong_and_right(question)
        # start just before the question; from here on, only keys
        page.evaluate("""qid => { const l = document.querySelector(`.ck-question[data-ck-qid="${qid}"] legend`);
                         l.tabIndex = -1; l.focus(); }""", question.id)
        answer_by_keyboard(page, question, wrong)
        assert re.match(r"^✘ Not correct\.|^◐ Partly correct", status_text(page, question.id)), question.id
        page.evaluate("""qid => { const l = document.querySelector(`.ck-question[data-ck-qid="${qid}"] legend`);
                         l.tabIndex = -1; l.focus(); }""", question.id)
        answer_by_keyboard(page, question, right)
        assert status_text(page, question.id).startswith("✔ Correct."), question.id


# --- persistence, hostile text, export, clear ------------------------------------------------

def test_answers_and_responses_survive_a_reload(page, bank):
    text_q = next(q for q in bank.questions if q.type == "text")
    _, right = wrong_and_right(text_q)
    answer_by_mouse(page, text_q, right)
    discussion = page.locator(".ck-discussion").first
    discussion.locator("textarea").fill("My first thoughts on trust between armed forces.")
    page.reload()
    page.wait_for_function("window.coursekitReady !== undefined")
    assert right == form_of(page, text_q.id).locator("input").input_value()
    assert "Restored from your saved answers" in status_text(page, text_q.id)
    assert "My first thoughts" in page.locator(".ck-discussion").first.locator("textarea").input_value()


HOSTILE = "<img src=x onerror=alert(1)> <script>alert(2)</script> **bold** & done"


def test_hostile_discussion_response_is_kept_as_text(page):
    discussion = page.locator(".ck-discussion").first
    discussion.locator("textarea").fill(HOSTILE)
    discussion.get_by_role("button", name="Save").click()
    assert "Saved." == discussion.locator('[role="status"]').inner_text()
    page.reload()
    page.wait_for_function("window.coursekitReady !== undefined")
    discussion = page.locator(".ck-discussion").first
    assert HOSTILE == discussion.locator("textarea").input_value()
    assert 0 == page.locator(".ck-discussion img").count()
    assert [] == [d for d in page.dialogs if d[0] == "alert"]


def test_perspectives_open_only_after_the_suggested_length(page):
    discussion = page.locator(".ck-discussion").first
    words = int(discussion.get_attribute("data-ck-words"))
    details = discussion.locator("details.ck-perspectives")
    discussion.locator("summary").click()
    assert not details.evaluate("d => d.open")
    assert "Other perspectives open once you have written" in discussion.locator('[role="status"]').inner_text()
    discussion.locator("textarea").fill(" ".join(["word"] * words))
    assert f"{words} of {words} words." == discussion.locator(".ck-count").inner_text()
    discussion.locator("summary").click()
    assert details.evaluate("d => d.open")


def test_export_downloads_a_valid_submission(page, bank):
    single = next(q for q in bank.questions if q.type == "single")
    answer_by_mouse(page, single, single.answer)
    page.locator(".ck-discussion").first.locator("textarea").fill(HOSTILE)
    panel = page.locator(".ck-export")
    panel.get_by_role("button", name="Export my work").click()
    assert "Type your name first" in panel.locator('[role="status"]').inner_text()
    panel.get_by_label("Your name, as your instructor knows you").fill("Ana Pérez")
    with page.expect_download() as info:
        panel.get_by_role("button", name="Export my work").click()
    download = info.value
    assert f"submission-{CHAPTER}-ana-perez.json" == download.suggested_filename
    data = json.loads(Path(download.path()).read_text("utf-8"))
    validate_submission(data)
    first_pid = bank.discussions[0].id
    assert ("book", "practice", "Ana Pérez", CHAPTER) == (data["source"], data["mode"], data["student"], data["chapter"])
    stored = data["answers"][single.id]  # a practice answer travels by position (format 3): the same in every language
    assert type(stored) is int and [o.text for o in single.options][stored] == single.answer
    assert HOSTILE == data["responses"][first_pid]
    page.reload()  # the name is remembered for the next export
    page.wait_for_function("window.coursekitReady !== undefined")
    assert "Ana Pérez" == panel.get_by_label("Your name, as your instructor knows you").input_value()


def test_clear_forgets_everything(page, bank):
    single = next(q for q in bank.questions if q.type == "single")
    answer_by_mouse(page, single, single.answer)
    page.locator(".ck-discussion").first.locator("textarea").fill("to be cleared")
    page.locator(".ck-export").get_by_role("button", name="Clear my answers").click()
    assert page.dialogs and page.dialogs[-1][0] == "confirm"
    assert "" == status_text(page, single.id)
    assert "" == page.locator(".ck-discussion").first.locator("textarea").input_value()
    assert page.locator(".ck-score").inner_text().startswith(f"Score: 0 of {len(bank.questions)} (0 checked)")
    page.reload()
    page.wait_for_function("window.coursekitReady !== undefined")
    assert "" == status_text(page, single.id)
    assert 0 == form_of(page, single.id).locator("input:checked").count()
    assert "null" == page.evaluate("JSON.stringify(localStorage.getItem('coursekit:military-diplomacy-latam:01-introduction'))")


# --- the JavaScript grader mirrors the Python one; hostile banks stay text ---------------------

def test_javascript_grader_matches_the_case_table(page, cases_bank):
    for qid, response, status, score in answer_cases():
        got = page.evaluate("([k, r]) => window.coursekit.grade(k, r)", [grading_spec(cases_bank.question(qid)), response])
        assert (status, score) == (got["status"], got["score"]), (qid, response)


def test_javascript_feedback_matches_python(page, cases_bank):
    from coursekit.grading import grade

    for qid, response, _status, _score in answer_cases():
        question = cases_bank.question(qid)
        got = page.evaluate("([k, r]) => window.coursekit.grade(k, r)", [grading_spec(question), response])
        assert list(grade(question, response).feedback) == got["feedback"], (qid, response)


def test_the_page_carries_exactly_what_grading_needs(page, bank):
    """The page key leaves out every text already in the page; the script rebuilds the full
    grading spec from the two, and it is exactly Python's, for every question of the chapter."""
    rebuilt = page.evaluate("window.coursekit.specs()")
    assert {q.id: grading_spec(q) for q in bank.questions} == rebuilt


def test_hostile_bank_renders_as_text_in_the_browser(browser, tmp_path):
    hostile = load_bank(FIXTURES / "hostile.yml")
    address = static_page(tmp_path / "hostile.html", render_quiz(hostile) + render_discussion(hostile, hostile.discussions[0])
                          + render_export_panel(hostile))
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(address)
    page.wait_for_function("window.coursekitReady !== undefined")
    form = page.locator('.ck-question[data-ck-qid="hostile-single"]')
    form.locator("label").first.click()
    form.get_by_role("button", name="Check").click()
    page.wait_for_timeout(200)
    assert [] == dialogs
    assert 0 == page.locator("main img, main svg, main iframe").count()
    assert "<img src=x onerror=alert('option')>" in form.inner_text()
    context.close()


# --- accessibility on every page ----------------------------------------------------------------

def test_axe_finds_no_serious_or_critical_violation(browser, book_server):
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    problems = serious_axe_violations(page, book_server, toc_pages())
    context.close()
    assert {} == problems
    assert [] == [u for u in requests if not (u.startswith(book_server) or u.startswith(("data:", "blob:")))]


def test_without_javascript_no_dead_buttons_and_answers_readable(browser, book_server):
    """With scripts off (or on paper) the quiz still reads sensibly: no control that needs
    the script is shown, and each question offers its answer and explanation."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{book_server}/chapters/{CHAPTER}.html")
    quiz = page.locator(".ck-quiz")
    assert 0 == quiz.get_by_role("button").count()
    assert 0 == page.locator(".ck-export").get_by_role("button").count()
    assert 0 == page.locator(".ck-discussion").first.get_by_role("button").count()
    forms = quiz.locator(".ck-question")
    assert forms.count() == quiz.locator("details.ck-offline-answer").count() > 0
    details = quiz.locator("details.ck-offline-answer").first
    details.locator("summary").click()
    assert "Answer:" in details.inner_text()
    assert page.locator(".ck-nojs-note").first.is_visible()
    context.close()


def test_dark_theme_keeps_quiz_text_readable(browser, book_server):
    """In the theme's dark mode every text in the course's widgets keeps WCAG AA contrast
    (4.5:1) against the widget's own background. (axe reports such cases only as
    'incomplete' when the page behind is layered, so the ratio is computed here.)"""
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{book_server}/chapters/{CHAPTER}.html")
    page.wait_for_function("window.coursekitReady !== undefined")
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    low = page.evaluate("""() => {
      const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
      const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                         return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const out = [];
      for (const box of document.querySelectorAll('.ck-quiz, .ck-discussion, .ck-export')) {
        const bg = getComputedStyle(box).backgroundColor;
        for (const el of box.querySelectorAll('legend, label, p, li, h3, h4, summary, span')) {
          if (!el.offsetParent || !el.textContent.trim() || el.closest('button')) continue;
          const r = ratio(getComputedStyle(el).color, bg);
          if (r < 4.5) out.push([el.tagName, el.textContent.trim().slice(0, 40), r.toFixed(2)]);
        }
      }
      return out;
    }""")
    assert [] == low
    context.close()


def test_text_normalisation_agrees_on_every_code_point(page):
    """Both graders fold every character the same way (code points Python's Unicode
    database does not know yet are left out: the browser's is newer)."""
    import unicodedata

    from coursekit.grading import normalise_text

    points = [cp for cp in range(0x30000) if not 0xD800 <= cp <= 0xDFFF]
    in_browser = page.evaluate("""ps => ps.map(cp => window.coursekit.normaliseText("a" + String.fromCodePoint(cp) + "b"))""",
                               points)
    differ = [hex(cp) for cp, js in zip(points, in_browser)
              if unicodedata.category(chr(cp)) != "Cn" and normalise_text("a" + chr(cp) + "b") != js]
    assert [] == differ


def _search(page, built_book, query):
    page.goto((built_book / "search.html").as_uri() + "?q=" + query)
    page.wait_for_function("(document.querySelector('#search-results .search-summary') || {}).textContent"
                           "?.startsWith('Search finished')", timeout=20000)
    return set(page.locator("#search-results ul.search li a").evaluate_all("as => as.map(a => a.pathname)"))


def test_search_ignores_accents_and_works_from_the_file_system(browser, built_book):
    context = browser.new_context()
    page = context.new_page()
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    plain, accented = _search(page, built_book, "bogota"), _search(page, built_book, "Bogotá")
    assert plain == accented and len(plain) >= 3
    assert _search(page, built_book, "attaché") <= _search(page, built_book, "attache")
    assert _search(page, built_book, "attache")
    assert console_errors == []  # from file://: no refused fetches, no theme complaint
    context.close()


def test_a_printed_chapter_can_be_answered_on_paper(page, bank, book_server, tmp_path):
    import io

    from pypdf import PdfReader

    page.goto(f"{book_server}/chapters/{CHAPTER}.html")
    page.wait_for_function("window.coursekitReady !== undefined")
    response = " ".join(f"word{i}" for i in range(1500)) + " END-OF-MY-RESPONSE"
    box = page.locator(".ck-discussion textarea").first
    box.fill(response)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser does on Ctrl+P
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    (tmp_path / "chapter.pdf").write_bytes(pdf)
    import unicodedata

    # NFKC: the PDF's text has typographic ligatures ("ﬃ" in "officers")
    text = "".join(unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)).split())

    def present(value: str) -> bool:
        return "".join(unicodedata.normalize("NFKC", value).split()) in text

    for question in bank.questions:
        assert present(question.prompt[:60]), question.id
        if question.type == "ordering":
            assert all(present(item) for item in question.items), question.id
        if question.type == "matching":
            assert all(present(p.left) and present(p.right) for p in question.pairs), question.id
        if question.type in ("single", "multiple"):
            assert all(present(o.text[:50]) for o in question.options), question.id
    assert present("Write 1, 2, 3 … beside the items") and present("Write the letter of its match")
    assert present("word1499 END-OF-MY-RESPONSE")  # the whole response, not the box's height
    for screen_only in ("Moveup", "Forgetmeonthiscomputer", "Answerandexplanation", "▲", "Choose…"):
        assert screen_only not in text, screen_only
