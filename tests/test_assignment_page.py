"""student/assignment.html: the assignment as one self-contained page, in assessment mode.

No key in any byte of student/; in Chromium, from file://: answered by keyboard alone, kept
across a reload, exported, and graded by `coursekit grade` to the scores grading.grade gives;
no network request; readable on a 390-pixel phone. Fixture banks only."""
from __future__ import annotations

import csv
import html
import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from conftest import FIXTURES, ROOT
from coursekit.assign import make_assignment
from coursekit.bank import load_banks, select_banks
from coursekit.grading import MESSAGES, grade
from coursekit.markup import e
from coursekit.model import display_order
from coursekit.serialize import from_public_json, public_json
from coursekit.sphinx_ext import served_file

CHAPTERS = FIXTURES / "course" / "chapters"
DRAW = ("1,5", 12, 3)  # every question type, two orderings and two matchings
SCREENSHOTS = ROOT / "benchmarks" / "output"  # ignored by git


def _make(folder, chapters, count, seed, **kw):
    made = make_assignment(CHAPTERS, chapters, count, seed, folder, **kw)
    manifest = json.loads((folder / "student" / "assignment.json").read_text("utf-8"))
    return made, manifest


@pytest.fixture(scope="module")
def assignment(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignment-page")
    made, manifest = _make(out, *DRAW, due="2027-03-15")
    return out, made, manifest


def real_questions(chapters: str) -> dict:
    return {q.id: q for b in load_banks(select_banks(CHAPTERS, chapters)) for q in b.questions}


# --- (1) every byte of student/ is free of the key ------------------------------------------------

def key_strings(q) -> list[str]:
    """Everything the instructor's key holds for `q` that a student must not see written anywhere."""
    found = [q.explanation, q.feedback_correct, q.feedback_incorrect, getattr(q, "feedback_true", ""),
             getattr(q, "feedback_false", "")]
    found += [o.feedback for o in getattr(q, "options", ())]
    found += list(getattr(q, "accept", ()))
    return [s for s in found if s]


def public_texts(manifest: dict) -> list[str]:
    """What the page shows by design: the public entries' texts (ids included: the manifest and
    every submission name questions by id) and the assignment's own names."""
    texts = [manifest["title"], manifest["id"], manifest["course"]]
    for entry in manifest["questions"]:
        texts += [entry["id"], entry["prompt"], entry.get("unit", ""), *entry.get("choices", ()),
                  *entry.get("lefts", ()), *entry.get("rights", ()), *entry.get("items", ())]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def shown_items(page_html: str, qid: str) -> list[str]:
    block = re.search(rf'<div class="ck-question" data-ck-qid="{re.escape(e(qid))}".*?</fieldset>', page_html, re.S)
    order = re.search(r'<ol class="ck-order"[^>]*>(.*?)</ol>', block.group(0), re.S)
    return [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", order.group(1), re.S)]


def number_forms(x: float) -> set[str]:
    forms = {repr(x), str(x)}
    if float(x).is_integer():
        forms.add(str(int(x)))
    return forms


@pytest.mark.parametrize("draw", [DRAW, ("1,2,3,4,5,11", None, 0)], ids=["draw-of-12", "every-fixture-question"])
def test_no_byte_of_student_carries_the_key(tmp_path, draw):
    chapters = draw[0]
    _, manifest = _make(tmp_path, *draw, due="2027-03-15")
    real = real_questions(chapters)
    student = tmp_path / "student"
    assert {"assignment.html", "assignment.ipynb", "assignment.json"} == {p.name for p in student.iterdir()}
    page = (student / "assignment.html").read_text("utf-8")
    manifest_text = (student / "assignment.json").read_text("utf-8")
    assert manifest["questions"] == [public_json(real[q["id"]]) for q in manifest["questions"]]  # nothing else in it

    # The page is the course's script and styles (the same bytes for every course), our markup
    # and the public texts: take those away and nothing of any key may be left.
    static = {name: served_file(name).decode("utf-8") for name in ("coursekit.js", "coursekit.css")}
    assert static["coursekit.js"] in page and static["coursekit.css"] in page
    rest = page.replace(static["coursekit.js"], "").replace(static["coursekit.css"], "")
    for text in public_texts(manifest):
        rest = rest.replace(e(text), "\0")
    rest = html.unescape(rest)
    json_rest = manifest_text  # written with ensure_ascii=False: each text as json.dumps writes it
    for text in public_texts(manifest):
        rest, json_rest = rest.replace(text, "\0"), json_rest.replace(json.dumps(text, ensure_ascii=False)[1:-1], "\0")
    for entry in manifest["questions"]:
        q = real[entry["id"]]
        for secret in key_strings(q):
            assert secret not in rest, (q.id, secret)
            assert secret not in json_rest, (q.id, secret)
        if q.type == "numeric":  # the number, anywhere in the question's own markup but its prompt
            block = re.search(rf'data-ck-qid="{re.escape(e(q.id))}".*?</fieldset>', page, re.S).group(0)
            block = block.replace(e(q.prompt), "")
            assert not any(re.search(rf"(?<![0-9.]){re.escape(f)}(?![0-9])", block) for f in number_forms(q.answer)), q.id
        if q.type == "ordering":
            shown = shown_items(page, q.id)
            assert shown != list(q.items) and entry["items"] != list(q.items), q.id  # neither order is the answer
            assert sorted(shown) == sorted(q.items)
            # and the shown order comes from the public entry alone, never from the answer
            assert shown == display_order(from_public_json(entry))
    # no key in any other form: no key block, no offline answers, no prefilled input, no digest
    markup = page.replace(static["coursekit.js"], "").replace(static["coursekit.css"], "")  # they name them; it has none
    for marker in ("ck-key", "ck-offline-answer", "Answer and explanation", "data-ck-answer", "<details"):
        assert marker not in markup, marker
    assert 'data-ck-mode="assessment"' in markup and 'data-ck-mode="practice"' not in markup
    assert not re.search(r'<input type="text"[^>]*\bvalue=', markup)
    assert not re.search(r"\b[0-9a-f]{24,}\b", page + manifest_text)


def test_the_page_says_what_to_do_and_by_when(assignment):
    out, made, manifest = assignment
    page = (out / "student" / "assignment.html").read_text("utf-8")
    assert "2027-03-15" == manifest["due"]
    assert '<time datetime="2027-03-15">Monday 15 March 2027</time>' in page
    assert f"<title>{e(manifest['title'])}</title>" in page and page.count("<h1>") == 1
    for words in ("Save answer", "Nothing is graded on this page", "stay in this browser", "Export my work",
                  f"submission-{manifest['id']}-your-name.json", "send that file to your"):
        assert words in page, words
    assert "Due: Monday 15 March 2027" in (out / "student" / "assignment.ipynb").read_text("utf-8")


def test_without_due_there_is_no_due_date(tmp_path):
    _, manifest = _make(tmp_path, "2", 3, 1)
    assert "due" not in manifest
    assert "Due:" not in (tmp_path / "student" / "assignment.html").read_text("utf-8")


# --- (5) --due ------------------------------------------------------------------------------------

@pytest.mark.parametrize("due", ["2027-02-30", "15/03/2027", "2027-3-15", "20270315", "tomorrow", ""])
def test_a_bad_due_date_is_refused_in_one_line(tmp_path, due):
    run = subprocess.run([sys.executable, "-m", "coursekit", "assign", "--chapters", "2", "--banks", str(CHAPTERS),
                          "--out", str(tmp_path / "a"), "--due", due], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert 1 == run.returncode
    assert run.stderr.startswith("error: --due ") and 1 == len(run.stderr.strip().splitlines()), run.stderr
    assert "YYYY-MM-DD" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "a").exists()  # refused before anything was written


def test_cli_names_the_page_and_keeps_the_due_date(tmp_path):
    run = subprocess.run([sys.executable, "-m", "coursekit", "assign", "--chapters", "2", "--count", "3", "--banks",
                          str(CHAPTERS), "--out", str(tmp_path / "a"), "--due", "2027-03-15"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert 0 == run.returncode, run.stderr
    assert "assignment.html" in next(line for line in run.stdout.splitlines() if "give students:" in line)
    assert "2027-03-15" == json.loads((tmp_path / "a" / "student" / "assignment.json").read_text("utf-8"))["due"]


@pytest.mark.browser
def test_the_assignment_prints_for_paper_with_every_question_and_no_key(tmp_path):
    """`coursekit assign --pdf`: student/assignment.pdf, every prompt on paper, no explanation."""
    import unicodedata

    from pypdf import PdfReader

    run = subprocess.run([sys.executable, "-m", "coursekit", "assign", "--chapters", DRAW[0], "--count", str(DRAW[1]),
                          "--seed", str(DRAW[2]), "--banks", str(CHAPTERS), "--out", str(tmp_path / "a"), "--pdf"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert 0 == run.returncode, run.stderr
    assert "printed the assignment for paper" in run.stdout
    pdf = tmp_path / "a" / "student" / "assignment.pdf"

    def squash(text):
        return "".join(unicodedata.normalize("NFKC", html.unescape(text)).split())

    text = squash("".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages))
    manifest = json.loads((tmp_path / "a" / "student" / "assignment.json").read_text("utf-8"))
    real = {q.id: q for b in load_banks(select_banks(CHAPTERS, DRAW[0])) for q in b.questions}
    for entry in manifest["questions"]:
        question = real[entry["id"]]
        assert squash(question.prompt)[:60] in text, question.id
        assert squash(question.explanation)[:60] not in text, question.id


# --- in Chromium, from file:// -----------------------------------------------------------------------

def open_page(context, address):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(address)
    page.wait_for_function("window.coursekitReady !== undefined")
    return page


FOCUS = """([qid, css]) => { const a = document.activeElement;
  const scope = qid ? a.closest('.ck-question[data-ck-qid="' + qid + '"]') : a.closest('.ck-export');
  return !!scope && a.matches(css); }"""


def tab_to(page, qid, css, limit=60):
    """Press Tab (only Tab) until the focus is on `css` inside question `qid` (None: the export panel)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS, [qid, css]):
            return
    raise AssertionError(f"{css} in {qid} cannot be reached with the Tab key")


def answer_by_keyboard(page, entry, q) -> object:
    """Answer one question with the keyboard alone; returns the response it records."""
    qid, kind = entry["id"], entry["type"]
    if kind in ("single", "truefalse"):
        tab_to(page, qid, "input[type=radio]")
        page.keyboard.press("Space")  # the first option
        if kind == "single":
            for _ in range(entry["choices"].index(q.answer)):  # then down to the right one
                page.keyboard.press("ArrowDown")
            response = q.answer
        else:
            response = True
    elif kind == "multiple":
        tab_to(page, qid, "input[type=checkbox]")
        page.keyboard.press("Space")
        response = [entry["choices"][0]]
    elif kind in ("text", "numeric"):
        tab_to(page, qid, "input[type=text]")
        response = q.accept[0] if kind == "text" else str(int(q.answer) + 1)  # one right, one wrong
        page.keyboard.type(response)
        page.keyboard.press("Enter")  # Enter saves a typed answer
        return response
    elif kind == "matching":
        tab_to(page, qid, "select")
        page.keyboard.press("ArrowDown")  # "Choose…" -> A
        shown = display_order(from_public_json(entry))
        response = {entry["lefts"][0]: shown[0]}
    else:
        tab_to(page, qid, "button.ck-down")
        page.keyboard.press("Enter")  # the first item one place down
        shown = display_order(from_public_json(entry))
        response = [shown[1], shown[0], *shown[2:]]
    tab_to(page, qid, "button.ck-check")
    page.keyboard.press("Enter")
    return response


def status(page, qid):
    return page.locator(f'.ck-question[data-ck-qid="{qid}"] [role="status"]').inner_text()


@pytest.mark.browser
def test_answer_by_keyboard_reload_export_and_grade(browser, assignment, tmp_path):
    out, made, manifest = assignment
    real = real_questions(DRAW[0])
    context = browser.new_context(accept_downloads=True)
    page = open_page(context, (out / "student" / "assignment.html").as_uri())
    responses = {}
    for entry in manifest["questions"]:
        responses[entry["id"]] = answer_by_keyboard(page, entry, real[entry["id"]])
        assert MESSAGES["recorded"] == status(page, entry["id"]), entry["id"]
    assert {e["type"] for e in manifest["questions"]} == {"single", "multiple", "truefalse", "text", "numeric",
                                                           "matching", "ordering"}
    key = f"coursekit:{manifest['course']}:{manifest['id']}"
    assert responses == page.evaluate("k => JSON.parse(localStorage.getItem(k)).answers", key)

    page.reload()
    page.wait_for_function("window.coursekitReady !== undefined")
    for entry in manifest["questions"]:
        qid, r = entry["id"], responses[entry["id"]]
        q = page.locator(f'.ck-question[data-ck-qid="{qid}"]')
        # expect() waits (up to 5 s) for the text: under a loaded CI machine the restore can land late
        expect(q.locator('[role="status"]')).to_have_text("Restored: " + MESSAGES["recorded"], timeout=5000)
        if entry["type"] in ("text", "numeric"):
            assert r == q.locator("input").input_value()
        elif entry["type"] == "ordering":
            assert r == q.locator("li .ck-item").all_inner_texts()
        elif entry["type"] == "matching":
            assert "0" == q.locator("select").first.input_value()
        else:
            assert 1 == q.locator("input:checked").count()

    tab_to(page, None, "input[type=text]")
    page.keyboard.type("Ana Pérez")
    tab_to(page, None, "button.ck-export-btn")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert f"submission-{manifest['id']}-ana-perez.json" == download.suggested_filename
    submission = tmp_path / download.suggested_filename
    download.save_as(submission)
    data = json.loads(submission.read_text("utf-8"))
    assert (manifest["id"], manifest["course"], "assessment", "book", "Ana Pérez") == (
        data["chapter"], data["course"], data["mode"], data["source"], data["student"])
    assert responses == data["answers"]
    assert [] == page.errors
    context.close()

    gradebook = tmp_path / "g.csv"
    run = subprocess.run([sys.executable, "-m", "coursekit", "grade", str(submission), "--assignment",
                          str(out / "student" / "assignment.json"), "--banks", str(CHAPTERS), "--out", str(gradebook)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert 0 == run.returncode, run.stderr
    rows = list(csv.DictReader(gradebook.read_text("utf-8-sig").splitlines()))
    assert 1 == len(rows)
    scores = {qid: grade(real[qid], r).score for qid, r in responses.items()}
    assert 0 < sum(scores.values()) < len(scores)  # some right, some not: the test tells them apart
    assert (round(sum(scores.values()), 4), str(len(scores))) == (float(rows[0]["total"]), rows[0]["max"])
    for qid, score in scores.items():
        assert score == pytest.approx(float(rows[0][qid])), qid


@pytest.mark.browser
def test_the_page_makes_no_network_request(browser, assignment):
    out, _, manifest = assignment
    context = browser.new_context(accept_downloads=True)
    requests, refused = [], []
    context.on("request", lambda r: requests.append(r.url))

    def only_files(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    address = (out / "student" / "assignment.html").as_uri()
    page = open_page(context, address)
    entry = next(q for q in manifest["questions"] if q["type"] == "text")
    page.locator(f'.ck-question[data-ck-qid="{entry["id"]}"] input').fill("anything")
    page.locator(f'.ck-question[data-ck-qid="{entry["id"]}"] input').press("Enter")
    page.locator(".ck-export input[autocomplete=name]").fill("Ana")
    with page.expect_download():
        page.locator(".ck-export-btn").click()
    page.reload()
    page.wait_for_function("window.coursekitReady !== undefined")
    context.close()
    assert [] == refused
    assert [] == [u for u in requests if u != address and not u.startswith(("data:", "blob:"))]


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_readable_on_a_phone_and_accessible(browser, assignment, width):
    out, _, manifest = assignment
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = open_page(context, (out / "student" / "assignment.html").as_uri())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"assignment-page-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert "en" == page.evaluate("document.documentElement.lang")
    assert manifest["title"] == page.title()
    assert 1 == page.locator("main").count() and 1 == page.locator("h1").count()
    n = len(manifest["questions"])
    assert n == page.locator('.ck-question [role="status"]').count()
    assert 1 == page.locator('.ck-export [role="status"]').count()
    assert n == page.get_by_role("button", name="Save answer").count()
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:  # axe-core is installed with the browser tests' requirements
        pytest.skip("axe-playwright-python is not installed")
    violations = Axe().run(page).response["violations"]
    serious = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations
               if v["impact"] in ("serious", "critical")]
    assert [] == serious
    assert [] == page.errors
    context.close()
