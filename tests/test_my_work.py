"""The book's My work page in a real Chromium, opened from file://: progress in every chapter,
Export everything (graded by `coursekit grade`), Import my work into a fresh browser profile,
the conflict case (newer text here is kept, and the message says so), refused files, and the
student identifier with Forget me.

The book: the session's build when _toc.yml lists my-work and the engine sets up
coursekit.my_work; otherwise a copy of the course built once into a temporary folder with
my-work added (notebooks not executed: their stored outputs are the pages nbval checks).
COURSEKIT_MY_WORK_BOOK=/path/to/_build/html reuses a build made earlier."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import ROOT, toc_pages
from coursekit.bank import load_bank
from coursekit.submission import chapter_parts, validate_submission

pytestmark = pytest.mark.browser
COURSE = "military-diplomacy-latam"
CH1, CH2 = "01-introduction", "02-role-of-military-diplomacy"
MY_WORK = "my-work"


def _wired() -> bool:
    """Is the page in the real book: listed in _toc.yml, with the extension set up?"""
    toc = (ROOT / "_toc.yml").read_text("utf-8")
    engine = (ROOT / "coursekit" / "sphinx_ext.py").read_text("utf-8") + (ROOT / "_config.yml").read_text("utf-8")
    return f"file: {MY_WORK}" in toc and "my_work" in engine


def build_copy(dest: Path) -> Path:
    """The course copied to `dest` with the My work page listed, built once (no execution)."""
    skip = {"_build", ".venv", ".git", "private", ".pytest_cache", "coursekit", "coursekit.egg-info"}
    shutil.copytree(ROOT, dest, ignore=lambda folder, names: [n for n in names if Path(folder) == ROOT and n in skip])
    toc = dest / "_toc.yml"
    text = toc.read_text("utf-8")
    if f"file: {MY_WORK}" not in text:
        text = text.replace("      - file: glossary\n", f"      - file: {MY_WORK}\n      - file: glossary\n")
        assert f"file: {MY_WORK}" in text, "the Reference part of _toc.yml moved: update build_copy"
        toc.write_text(text, "utf-8")
    config = dest / "_config.yml"
    text = config.read_text("utf-8").replace("execute_notebooks: cache", 'execute_notebooks: "off"')
    if "coursekit.my_work" not in text:
        text = text.replace("    - coursekit.sphinx_ext\n", "    - coursekit.sphinx_ext\n    - coursekit.my_work\n")
    config.write_text(text, "utf-8")
    book = str(Path(sys.executable).with_name("jupyter-book"))
    run = subprocess.run([book, "build", ".", "-W", "-n", "--keep-going"], cwd=dest, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return dest / "_build" / "html"


@pytest.fixture(scope="session")
def html(request, tmp_path_factory) -> Path:
    given = os.environ.get("COURSEKIT_MY_WORK_BOOK")
    if given:
        folder = Path(given)
    elif _wired():
        folder = request.getfixturevalue("built_book")
    else:
        folder = build_copy(tmp_path_factory.mktemp("my-work-book") / "book")
    assert (folder / f"{MY_WORK}.html").exists(), f"{folder} has no {MY_WORK}.html"
    return folder


@pytest.fixture(scope="session")
def chapters(html) -> Path:
    """The banks the book was built from (the copy's, when the book is a copy)."""
    source = html.parent.parent / "chapters"
    return source if (source / f"{CH1}.yml").exists() else ROOT / "chapters"


@pytest.fixture(scope="module")
def banks(chapters):
    return {c: load_bank(chapters / f"{c}.yml") for c in (CH1, CH2)}


class Profile:
    """A fresh browser profile (its own localStorage) that records requests, errors and dialogs."""

    def __init__(self, browser, html: Path):
        self.html = html
        self.context = browser.new_context(accept_downloads=True)
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: d.accept())

    def open(self, name: str):
        self.page.goto((self.html / f"{name}.html").as_uri())
        self.page.wait_for_function("window.coursekitReady !== undefined")
        return self.page

    def close(self):
        outside = [u for u in self.requests if not u.startswith(("file:", "data:", "blob:"))]
        errors = list(self.errors)
        self.context.close()
        assert [] == outside, "a page requested something outside the book"
        assert [] == errors


@pytest.fixture
def profiles(browser, html):
    made = []

    def new() -> Profile:
        made.append(Profile(browser, html))
        return made[-1]

    yield new
    for p in made:
        p.close()


def status(page, region: str) -> str:
    return page.locator(f"#{region}").inner_text()


def row_of(page, chapter: str):
    return page.locator(f'.ck-mw-table tbody tr:has(a[href$="{chapter}.html"])')


def answer_single(page, question):
    form = page.locator(f'.ck-question[data-ck-qid="{question.id}"]')
    form.get_by_label(question.answer, exact=True).click()
    form.get_by_role("button", name="Check").click()
    assert form.locator('[role="status"]').inner_text().startswith("✔ Correct.")


def import_file(page, path: Path) -> str:
    page.locator("#ck-mw-file").set_input_files(str(path))
    page.wait_for_function("document.querySelector('#ck-mw-import-status').textContent.length > 0")
    return status(page, "ck-mw-import-status")


def a_file(tmp_path, name: str, **fields) -> Path:
    data = {"format": "coursekit-submission", "version": 2, "course": COURSE, "student": "Ana Pérez",
            "created": "2025-03-03T09:00:00Z", "source": "book", "chapter": CH1, "mode": "practice",
            "answers": {}, "responses": {}}
    data.update(fields)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def test_export_everything_then_import_into_a_fresh_profile(profiles, banks, chapters, tmp_path):
    from coursekit import cli

    single1 = next(q for q in banks[CH1].questions if q.type == "single")
    single2 = next(q for q in banks[CH2].questions if q.type == "single")
    prompt = banks[CH1].discussions[0]
    text = "Officers talk to officers <b>when</b> presidents cannot. " * 3

    first = profiles()
    page = first.open(f"chapters/{CH1}")
    answer_single(page, single1)
    page.locator(".ck-discussion").first.locator("textarea").fill(text)
    page = first.open(f"chapters/{CH2}")
    answer_single(page, single2)

    page = first.open(MY_WORK)
    table = page.locator(".ck-mw-table")
    # every chapter and section of the book, from the build, and the capstone (an exercise of its own)
    chapter_pages = [p for p in toc_pages() if p.startswith("chapters/")]
    assert table.locator("tbody tr").count() == len(chapter_pages) + 1 == 16
    ch1 = row_of(page, CH1)
    cells = ch1.locator("td").all_inner_texts()
    words = len(text.split())
    assert cells[0] == f"1 of {len(banks[CH1].questions)}" and cells[1] == f"1 of {len(banks[CH1].questions)}"
    assert cells[2].startswith(f"{words} of {prompt.suggested_words}")
    assert "<b>" not in ch1.inner_html().replace("&lt;b&gt;", "")  # nothing from storage becomes markup
    assert table.locator("tfoot td").first.inner_text().startswith("2 of ")

    # by keyboard: the name field, then Tab to the identifier and on to the button, Enter
    page.locator("#ck-mw-name").fill("Ana Pérez")
    page.locator("#ck-mw-name").press("Tab")
    page.keyboard.type("S-1234")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Export everything"
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert "Exported submission-all-ana-perez.json" in status(page, "ck-mw-export-status")
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    data = json.loads(exported.read_text("utf-8"))
    validate_submission(data)
    assert (data["version"], data["student"], data["student_id"], data["source"]) == (3, "Ana Pérez", "S-1234", "book")
    assert sorted(data["chapters"]) == [CH1, CH2]
    assert data["chapters"][CH1]["answers"] == {single1.id: [o.text for o in single1.options].index(single1.answer)}
    assert data["chapters"][CH1]["responses"][prompt.id] == text
    assert [p["chapter"] for p in chapter_parts(data)] == [CH1, CH2]

    # coursekit grade reads the one file as its two chapters, matched by the identifier
    gradebook = tmp_path / "gradebook.csv"
    assert 0 == cli.main(["grade", str(exported), "--banks", str(chapters), "--out", str(gradebook)])
    rows = list(csv.DictReader(gradebook.read_text("utf-8-sig").splitlines()))
    assert [(r["student"], r["student_id"], r["chapters"], r["total"]) for r in rows] == [
        ("Ana Pérez", "S-1234", f"{CH1}; {CH2}", "2")]
    assert rows[0][single1.id] == "1" and rows[0][single2.id] == "1"

    # another device: a fresh profile, nothing saved
    second = profiles()
    page = second.open(MY_WORK)
    assert row_of(page, CH1).locator("td").first.inner_text().startswith("0 of ")
    message = import_file(page, exported)
    assert "Imported submission-all-ana-perez.json: restored 2 answer(s) and 1 response(s) in 2 chapter(s)." in message
    assert "Filled in your name" in message
    assert page.locator("#ck-mw-name").input_value() == "Ana Pérez"
    assert page.locator("#ck-mw-name-sid").input_value() == "S-1234"
    assert row_of(page, CH1).locator("td").first.inner_text().startswith("1 of ")
    page = second.open(f"chapters/{CH1}")
    assert page.locator(".ck-discussion").first.locator("textarea").input_value() == text
    form = page.locator(f'.ck-question[data-ck-qid="{single1.id}"]')
    assert form.get_by_label(single1.answer, exact=True).is_checked()
    assert form.locator('[role="status"]').inner_text().startswith("✔ Restored from your saved answers. Correct.")
    # importing the same file again changes nothing and says so
    page = second.open(MY_WORK)
    again = import_file(page, exported)
    assert "nothing new" in again and "Already here and the same: 3" in again


def test_import_keeps_newer_local_text_and_refuses_foreign_files(profiles, banks, tmp_path):
    prompt = banks[CH1].discussions[0]
    single = next(q for q in banks[CH1].questions if q.type == "single")
    other = next(o.text for o in single.options if o.text != single.answer)
    profile = profiles()
    page = profile.open(f"chapters/{CH1}")
    answer_single(page, single)
    box = page.locator(".ck-discussion").first.locator("textarea")
    box.fill("My newer text, written here today.")
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    older = a_file(tmp_path, "older.json", created=an_hour_ago, student_id="S-1234",
                   answers={single.id: other, "no-such-question": "x"},
                   responses={prompt.id: "An older draft from the lab computer."})
    page = profile.open(MY_WORK)
    message = import_file(page, older)
    assert "Imported older.json: nothing new" in message
    assert f"Kept your newer text for “{prompt.prompt[:20]}" in message
    assert f"after the file was exported ({an_hour_ago})" in message
    assert "Kept your answers here to 1 question(s) in chapter 1" in message
    assert "Not imported: 1 answer(s) or response(s)" in message and "no-such-question" in message
    assert "clear yours here" in message
    # a file that continues the text here is taken: nothing here is lost
    longer = a_file(tmp_path, "longer.json", responses={prompt.id: "My newer text, written here today. And more."})
    assert "restored 0 answer(s) and 1 response(s) in 1 chapter(s)" in import_file(page, longer)
    page = profile.open(f"chapters/{CH1}")
    assert page.locator(".ck-discussion").first.locator("textarea").input_value() == \
        "My newer text, written here today. And more."
    assert page.locator(f'.ck-question[data-ck-qid="{single.id}"]').get_by_label(single.answer, exact=True).is_checked()

    page = profile.open(MY_WORK)
    foreign = a_file(tmp_path, "foreign.json", course="intro-to-economics")
    assert import_file(page, foreign) == ("Not imported: foreign.json is for another course (intro-to-economics), "
                                          f"not this one ({COURSE}).")
    newer = a_file(tmp_path, "newer.json", version=4)
    assert "Not imported: newer.json was made by a newer coursekit (format version 4); this one reads versions " \
           "1, 2 and 3." in import_file(page, newer)
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", "utf-8")
    assert "Not imported: junk.json is not a coursekit file of exported work (it is not JSON)." == import_file(page, junk)
    unknown = a_file(tmp_path, "unknown.json", chapter="99-not-a-chapter", answers={"x": "y"})
    assert "Not imported: 99-not-a-chapter is not a chapter of this course." in import_file(page, unknown)
    version1 = a_file(tmp_path, "v1.json", version=1, chapter=CH2,
                      responses={banks[CH2].discussions[0].id: "From a version 1 file."})
    assert "restored 0 answer(s) and 1 response(s) in 1 chapter(s)" in import_file(page, version1)


def test_identifier_is_remembered_and_forgotten(profiles, banks, tmp_path):
    profile = profiles()
    page = profile.open(f"chapters/{CH1}")
    panel = page.locator(".ck-export")
    panel.get_by_label("Your name, as your instructor knows you").fill("Ana Pérez")
    ident = panel.get_by_label("Student number or e-mail (optional: if your instructor asks for one)")
    ident.fill("ana@example.edu\tx")
    panel.get_by_role("button", name="Export my work").click()
    assert "control character" in panel.locator('[role="status"]').inner_text()
    ident.fill("x" * 101)
    panel.get_by_role("button", name="Export my work").click()
    assert "longer than 100 characters" in panel.locator('[role="status"]').inner_text()
    ident.fill("ana@example.edu")
    with page.expect_download() as info:
        panel.get_by_role("button", name="Export my work").click()
    data = json.loads(Path(info.value.path()).read_text("utf-8"))
    validate_submission(data)
    assert (data["chapter"], data["student_id"], data["version"]) == (CH1, "ana@example.edu", 3)

    page = profile.open(MY_WORK)  # remembered in this browser, on every page
    assert page.locator("#ck-mw-name-sid").input_value() == "ana@example.edu"
    page.get_by_role("button", name="Forget me on this computer").click()
    assert "Forgotten: your name, your student identifier" in status(page, "ck-mw-forget-status")
    assert [] == [k for k in page.evaluate("Object.keys(localStorage)") if k.startswith("coursekit:")]
    assert page.locator("#ck-mw-name").input_value() == "" == page.locator("#ck-mw-name-sid").input_value()
    page = profile.open(f"chapters/{CH1}")
    assert page.locator(".ck-export .ck-student-id").input_value() == ""


def test_axe_on_the_my_work_page(profiles):
    from axe_playwright_python.sync_playwright import Axe

    page = profiles().open(MY_WORK)
    violations = Axe().run(page).response["violations"]
    assert [] == [f"{v['id']}: {v['nodes'][0]['target']}" for v in violations if v["impact"] in ("serious", "critical")]
