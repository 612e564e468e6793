"""static/coursekit.js in a real Chromium, on pages of our own markup served from 127.0.0.1
(the script and styles exactly as the book serves them; no book build needed): nothing a
student writes is lost, and the page never says "saved" when nothing was saved."""
from __future__ import annotations

import functools
import http.server
import json
import threading

import pytest

from conftest import FIXTURES, static_page
from coursekit.bank import load_bank
from coursekit.grading import MESSAGES
from coursekit.static_view import render_discussion, render_export_panel, render_quiz

pytestmark = pytest.mark.browser
CHAPTER = FIXTURES / "course" / "chapters" / "01-introduction.yml"
STORE_KEY = "coursekit:fixture-course:01-introduction"


@pytest.fixture(scope="module")
def bank():
    return load_bank(CHAPTER)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    """A folder served on 127.0.0.1 for the test (and stopped after it)."""
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def chapter_page(site, bank, name="chapter.html", mode="practice", extra=""):
    folder, base = site
    body = (render_quiz(bank, mode) + "".join(render_discussion(bank, d) for d in bank.discussions)
            + extra + render_export_panel(bank))
    static_page(folder / name, body)
    return f"{base}/{name}"


@pytest.fixture
def context(browser):
    context = browser.new_context(accept_downloads=True)
    context.errors = []
    yield context
    context.close()


def open_page(context, address):
    page = context.new_page()
    page.on("pageerror", lambda e: context.errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    page.goto(address)
    page.wait_for_function("window.coursekitReady !== undefined")
    return page


def question(page, qid):
    return page.locator(f'.ck-question[data-ck-qid="{qid}"]')


def export(page, name="Ana Pérez"):
    panel = page.locator(".ck-export")
    panel.get_by_label("Your name, as your instructor knows you").fill(name)
    with page.expect_download() as info:
        panel.get_by_role("button", name="Export my work").click()
    return json.loads(open(info.value.path(), encoding="utf-8").read())


def stored(page):
    return page.evaluate(f"JSON.parse(localStorage.getItem({json.dumps(STORE_KEY)}))")


# --- storage that fails -------------------------------------------------------------------------

FAIL_AFTER = """
window.__allowedWrites = %d;
const realSetItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (k, v) {
  if (String(k).startsWith("coursekit:fixture") && window.__allowedWrites-- <= 0)
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  return realSetItem.call(this, k, v);
};
"""


@pytest.mark.parametrize("allowed", [0, 1])
def test_full_storage_says_so_and_export_still_has_every_item(context, site, bank, allowed):
    """Storage that is full from the start, or fills up after one save: every later edit is
    still on the page and in the export, and the page never claims to have saved it."""
    context.add_init_script(FAIL_AFTER % allowed)
    page = open_page(context, chapter_page(site, bank))
    first, second = page.locator(".ck-discussion textarea").all()[:2]
    first.fill("A first response")
    first.fill("A first response, revised after the storage filled up")
    second.fill("A second response")
    q = question(page, "ch01-charter-city")
    q.locator("input").fill("Bogota")
    q.get_by_role("button", name="Check").click()
    assert "Not saved" in q.locator('[role="status"]').inner_text()
    for box in page.locator(".ck-discussion").all()[:2]:
        assert "Saved automatically" not in box.inner_text()
        assert "Not saved" in box.locator('[role="status"]').inner_text()
    assert "Not saved" in page.locator(".ck-export [role=status]").inner_text()
    data = export(page)
    assert "A first response, revised after the storage filled up" == data["responses"]["ch01-d-soldiers-as-diplomats"]
    assert "A second response" == data["responses"]["ch01-d-zone-of-peace"]
    assert "Bogota" == data["answers"]["ch01-charter-city"]
    assert [] == context.errors


# --- two tabs on one chapter ----------------------------------------------------------------

def test_a_keystroke_in_another_tab_keeps_the_whole_response(context, site, bank):
    address = chapter_page(site, bank)
    one, two = open_page(context, address), open_page(context, address)
    essay = "Officers who train together learn to read each other's intentions"
    one.locator(".ck-discussion textarea").first.fill(essay)
    area_two = two.locator(".ck-discussion textarea").first
    two.wait_for_function(f"document.querySelector('.ck-discussion textarea').value === {json.dumps(essay)}")
    area_two.press("End")
    area_two.type(" and")  # the keystrokes that once left only " and"
    assert essay + " and" == stored(two)["responses"]["ch01-d-soldiers-as-diplomats"]
    one.wait_for_function(f"document.querySelector('.ck-discussion textarea').value === {json.dumps(essay + ' and')}")


def test_text_changed_underneath_is_never_overwritten(context, site, bank):
    """A change this page was not told about (another window, a missed event): typing here
    refuses to overwrite it, says so, and keeps this page's text on the page."""
    page = open_page(context, chapter_page(site, bank))
    area = page.locator(".ck-discussion textarea").first
    area.fill("My view")
    page.evaluate("""k => { const d = JSON.parse(localStorage.getItem(k));
                     d.responses["ch01-d-soldiers-as-diplomats"] = "Written elsewhere, kept";
                     localStorage.setItem(k, JSON.stringify(d)); }""", STORE_KEY)
    area.type(" and more")
    status = page.locator(".ck-discussion").first.locator('[role="status"]').inner_text()
    assert "changed in another tab or window" in status
    assert "Written elsewhere, kept" == stored(page)["responses"]["ch01-d-soldiers-as-diplomats"]
    assert "My view and more" == area.input_value()


# --- saved data that looks like built-ins -------------------------------------------------------

PROTO_BANK = """
chapter: 01-proto
course: fixture-course
objectives: {LO1: Identify the pieces.}
questions:
  - id: constructor
    type: ordering
    objective: LO1
    prompt: Order the names.
    items: [constructor, __proto__, toString, hasOwnProperty]
    explanation: Any order of these names teaches nothing; the page must survive them.
  - id: tostring
    type: matching
    objective: LO1
    prompt: Match the names.
    pairs: [{left: constructor, right: __proto__}, {left: valueOf, right: toString}]
    explanation: Names of built-in properties are just text here.
discussions:
  - id: valueof
    prompt: Write anything.
"""


def test_ids_and_items_named_like_built_ins_break_nothing(context, site, tmp_path):
    path = tmp_path / "01-proto.yml"
    path.write_text(PROTO_BANK, "utf-8")
    proto = load_bank(path)
    folder, base = site
    static_page(folder / "proto.html", render_quiz(proto) + render_discussion(proto, proto.discussions[0])
                + render_export_panel(proto))
    seeded = {"answers": {"constructor": ["toString", "constructor", "__proto__", "hasOwnProperty"],
                          "tostring": {"constructor": "__proto__", "valueOf": "toString"},
                          "__proto__": "x"},
              "responses": {"valueof": "My saved essay", "__proto__": "y", "constructor": "z"}}
    context.add_init_script(f"localStorage.setItem('coursekit:fixture-course:01-proto', {json.dumps(json.dumps(seeded))})")
    page = open_page(context, f"{base}/proto.html")
    assert "My saved essay" == page.locator("textarea").input_value()
    assert question(page, "constructor").locator("li .ck-item").all_inner_texts() == seeded["answers"]["constructor"]
    assert "Correct." in question(page, "tostring").locator('[role="status"]').inner_text()
    data = export(page)
    assert data["responses"]["valueof"] == "My saved essay"
    assert data["answers"]["tostring"] == {"constructor": "__proto__", "valueOf": "toString"}
    assert [] == context.errors


def test_one_broken_part_does_not_stop_the_others(context, site, bank):
    folder, base = site
    broken = ('<section class="ck-quiz" data-ck-course="fixture-course" data-ck-chapter="99-broken" data-ck-mode="practice">'
              '<div class="ck-question" data-ck-qid="essay" data-ck-type="essay"><fieldset><legend>1. Discuss.</legend>'
              '</fieldset></div><script type="application/json" class="ck-key">[{"a": 1}]</script></section>')
    static_page(folder / "broken.html", broken + render_quiz(bank) + render_export_panel(bank))
    page = open_page(context, f"{base}/broken.html")
    assert "could not start" in question(page, "essay").inner_text()
    q = question(page, "ch01-charter-city")
    q.locator("input").fill("bogota")
    q.get_by_role("button", name="Check").click()
    assert q.locator('[role="status"]').inner_text().startswith("✔ Correct.")
    assert "bogota" == export(page)["answers"]["ch01-charter-city"]


# --- clear, forget, untouched ordering ----------------------------------------------------------

def test_clear_resets_ordering_and_forget_me_clears_every_chapter(context, site, bank):
    context.add_init_script("localStorage.setItem('coursekit:fixture-course:02-other', "
                            "JSON.stringify({answers: {x: 'y'}, responses: {}}))")
    page = open_page(context, chapter_page(site, bank))
    q = question(page, "ch01-hand-in-order")
    start = q.locator("li .ck-item").all_inner_texts()
    q.get_by_role("button", name="Check").click()
    assert "Move the items into the order you choose first" in q.locator('[role="status"]').inner_text()
    assert "ch01-hand-in-order" not in (stored(page) or {"answers": {}})["answers"]  # untouched: not an answer
    q.get_by_role("button", name=f"Move up: {start[1]}", exact=True).click()
    q.get_by_role("button", name="Check").click()
    assert "ch01-hand-in-order" in stored(page)["answers"]
    page.locator(".ck-export").get_by_role("button", name="Clear my answers").click()
    assert start == q.locator("li .ck-item").all_inner_texts()
    q.get_by_role("button", name="Check").click()
    assert "Move the items" in q.locator('[role="status"]').inner_text()  # not "Correct"
    export(page, "Ana Pérez")
    assert "Ana Pérez" == page.evaluate("localStorage.getItem('coursekit:name')")
    page.locator(".ck-discussion textarea").first.fill("something")
    page.locator(".ck-export").get_by_role("button", name="Forget me on this computer").click()
    keys = page.evaluate("Object.keys(localStorage)")
    assert [] == [k for k in keys if k.startswith("coursekit:")], keys
    assert "" == page.locator(".ck-export input[autocomplete=name]").input_value()
    assert "" == page.locator(".ck-discussion textarea").first.input_value()
    page.reload()
    page.wait_for_function("window.coursekitReady !== undefined")
    assert "" == page.locator(".ck-export input[autocomplete=name]").input_value()  # the next student starts empty
    assert "" == page.locator(".ck-export .ck-student-id").input_value()


# --- assessment mode checks like Python; numbers are never guessed ------------------------------

@pytest.mark.parametrize("qid,typed,expected", [
    ("ch01-charter-city", "   ", MESSAGES["text"]),
    ("ch01-charter-city", "?!", MESSAGES["text"]),
    ("ch01-rio-treaty-year", "abc", MESSAGES["numeric"]),
    ("ch01-rio-treaty-year", "1,960", MESSAGES["ambiguous_number"]),
    ("ch01-rio-treaty-year", "1.960", MESSAGES["ambiguous_number"]),
    ("ch01-rio-treaty-year", "1947", None),
])
def test_assessment_mode_refuses_what_python_refuses(context, site, bank, qid, typed, expected):
    from coursekit.grading import response_problem

    assert expected == response_problem(bank.question(qid), typed)
    page = open_page(context, chapter_page(site, bank, mode="assessment"))
    q = question(page, qid)
    q.locator("input").fill(typed)
    q.locator("input").press("Enter")
    status = q.locator('[role="status"]').inner_text()
    if expected:
        assert expected == status
        assert qid not in ((stored(page) or {}).get("answers") or {})
    else:
        assert MESSAGES["recorded"] == status and typed == stored(page)["answers"][qid]


# --- without JavaScript ---------------------------------------------------------------------------

def test_without_javascript_enter_does_not_reload_and_lose_the_answer(browser, site, bank):
    address = chapter_page(site, bank)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(address)
    field = question(page, "ch01-charter-city").locator("input")
    field.fill("Bogotá")
    field.press("Enter")
    page.wait_for_timeout(300)
    assert address == page.url and "Bogotá" == field.input_value()
    context.close()


def test_the_script_handles_exactly_the_registered_question_types(context, site, bank):
    from coursekit.model import QUESTION_TYPES

    page = open_page(context, chapter_page(site, bank))
    assert sorted(page.evaluate("window.coursekit.types")) == sorted(QUESTION_TYPES)
