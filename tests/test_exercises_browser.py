"""An exercise answered in the built book, in a real Chromium: typed, counted against the
task's expected length, restored after a reload, exported from the exercise page and in
Export everything on the My work page, and found in the files. The book is built from a
copy of the course in /tmp/ex-book with the pages this needs (never the repository's _build)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, serving
from coursekit.exercises import count_text
from coursekit.submission import parse_submission

pytestmark = pytest.mark.browser
STEM = "05-conflict-prevention-and-resolution"
MINUSTAH = f"ex-{STEM}-minustah"
BOOK = Path(os.environ.get("COURSEKIT_EXERCISE_BOOK", "/tmp/ex-book"))
SKIP = {".git", "_build", ".venv", "private", "__pycache__", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints"}
PAGES = {"root": "intro", "format": "jb-book", "parts": [
    {"caption": "Course guide", "numbered": False, "chapters": [{"file": "my-work"}]},
    {"caption": "Chapters", "numbered": True, "chapters": [{"file": f"chapters/{STEM}"}]},
    {"caption": "Exercises", "numbered": False, "chapters": [{"file": f"exercises/{STEM}"}, {"file": "exercises/capstone"}]},
]}


@pytest.fixture(scope="module")
def exercise_book(tmp_path_factory):
    if BOOK.exists():
        shutil.rmtree(BOOK)
    shutil.copytree(ROOT, BOOK, ignore=lambda d, names: [n for n in names if n in SKIP])
    cache = ROOT / "_build" / ".jupyter_cache"
    if cache.exists():  # executed notebooks are keyed by content: reuse the unchanged ones
        shutil.copytree(cache, BOOK / "_build" / ".jupyter_cache")
    (BOOK / "_toc.yml").write_text(yaml.safe_dump(PAGES, sort_keys=False), "utf-8")
    config = yaml.safe_load((BOOK / "_config.yml").read_text("utf-8"))
    extensions = config["sphinx"]["extra_extensions"]
    if "coursekit.exercise_map" not in extensions:  # until coursekit.sphinx_ext sets it up
        extensions.append("coursekit.exercise_map")
    (BOOK / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    env = {**os.environ, "COURSEKIT_DATA_DIR": str(tmp_path_factory.mktemp("build-progress"))}
    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    run = subprocess.run([jupyter_book, "build", str(BOOK)], capture_output=True, text=True, timeout=1500, env=env)
    html = BOOK / "_build" / "html"
    assert run.returncode == 0 and (html / "exercises" / f"{STEM}.html").exists(), (run.stdout + run.stderr)[-3000:]
    # a page of the trimmed book may warn about links to pages left out; the engine must not
    engine = [ln for ln in (run.stdout + run.stderr).splitlines() if "coursekit" in ln and "WARNING" in ln]
    assert [] == engine
    return html


@pytest.fixture(scope="module")
def server(exercise_book):
    with serving(exercise_book) as address:
        yield address


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.errors, page.dialogs, page.requests = [], [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.accept()
    page.on("dialog", on_dialog)
    yield page
    assert [] == page.errors
    assert [] == [u for u in page.requests if not u.startswith((server, "data:", "blob:"))]
    context.close()


def open_page(page, url):
    page.goto(url)
    page.wait_for_function("window.coursekitReady !== undefined")


def download(page, button):
    with page.expect_download() as info:
        button.click()
    path = info.value.path()
    return info.value.suggested_filename, Path(path).read_bytes()


HOSTILE = "MINUSTAH <img src=x onerror=alert(1)> <script>alert(2)</script> was commanded by Brazilian generals"


def test_answer_typed_restored_counted_and_exported(page, server, tmp_path):
    open_page(page, f"{server}/exercises/{STEM}.html")
    boxes = page.locator(".ck-answer")
    assert boxes.count() == 3  # every task of the page
    box = page.locator(f'.ck-answer[data-ck-aid="{MINUSTAH}"]')
    assert "(expected length: 700-900 words)" in box.locator("label").inner_text()
    area = box.locator("textarea")
    area.click()
    page.keyboard.type(HOSTILE)
    words = len(HOSTILE.split())
    assert count_text(words, (700, 900)) == box.locator(".ck-count").inner_text()
    assert "Saved automatically" in box.locator(".ck-autosaved").inner_text()

    page.reload()
    page.wait_for_function("window.coursekitReady !== undefined")
    assert HOSTILE == area.input_value()  # restored, as text
    assert count_text(words, (700, 900)) == box.locator(".ck-count").inner_text()
    assert 0 == page.locator("img[src='x']").count() and [] == page.dialogs

    panel = page.locator(".ck-export")
    assert 0 == panel.locator(".ck-clear-btn").count()  # it would clear the chapter's page too
    panel.locator("input[type=text]").first.fill("Ana Pérez")
    name, raw = download(page, panel.locator(".ck-export-btn"))
    assert name == f"submission-{STEM}-ana-perez.json"
    data = parse_submission(raw)  # the reader's checks, and the schema
    assert (data["chapter"], data["exercises"]) == (STEM, {MINUSTAH: HOSTILE})

    # the capstone: one box per part, each with its own length
    open_page(page, f"{server}/exercises/capstone.html")
    labels = page.locator(".ck-answer label").all_inner_texts()
    assert len(labels) == 3 and "(expected length: 1500-2000 words)" in labels[2]
    page.locator(".ck-answer textarea").nth(1).fill("Round 1: we proposed a hotline.")
    page.locator(".ck-answer textarea").nth(1).dispatch_event("input")

    # My work: the exercise words in the table, and every answer in Export everything
    open_page(page, f"{server}/my-work.html")
    table = page.locator(".ck-mw-table").inner_text()
    assert f"{words} of 700-900" in table and "Exercise words" in table
    page.locator("#ck-mw-name").fill("Ana Pérez")
    name, raw = download(page, page.locator(".ck-export-all"))
    everything = parse_submission(raw)
    assert everything["chapters"][STEM]["exercises"] == {MINUSTAH: HOSTILE}
    assert everything["chapters"]["capstone"]["exercises"] == {
        "ex-capstone-crisis-simulation--delegations-log": "Round 1: we proposed a hotline."}
    (tmp_path / "all.json").write_bytes(raw)

    # Import it into a fresh browser profile: the answers come back
    fresh = page.context.browser.new_context()
    other = fresh.new_page()
    open_page(other, f"{server}/my-work.html")
    other.locator("#ck-mw-file").set_input_files(str(tmp_path / "all.json"))
    other.wait_for_function("document.querySelector('#ck-mw-import-status').textContent.length > 0")
    assert "restored 0 answer(s) and 2 response(s)" in other.locator("#ck-mw-import-status").inner_text()
    open_page(other, f"{server}/exercises/{STEM}.html")
    assert HOSTILE == other.locator(f'.ck-answer[data-ck-aid="{MINUSTAH}"] textarea').input_value()
    fresh.close()
    json.loads(raw)


# --- the failure paths, on a page of our own markup (no book build) ------------------------------

def test_answer_box_failure_paths_are_the_discussions(browser, tmp_path):
    """Storage refused: a warning beside the work, never "saved", and the export still has the
    text; text changed in another tab: not overwritten, and said so."""
    from conftest import static_page
    from coursekit.exercises import Exercise
    from coursekit.static_view import render_work_panel

    x = Exercise(STEM, directory=ROOT / "exercises")
    address = static_page(tmp_path / "ex.html", x.answer(MINUSTAH).html + render_work_panel(x.course.id, STEM, clear=False))
    key = f"coursekit:{x.course.id}:{STEM}"
    context = browser.new_context(accept_downloads=True)
    errors = []
    try:
        one, two = context.new_page(), context.new_page()
        for p in (one, two):
            p.on("pageerror", lambda e: errors.append(str(e)))
            open_page(p, address)
        # another tab typing: this tab shows its text (nothing here is unsaved)
        two.locator("textarea").fill("From the other tab")
        two.locator("textarea").dispatch_event("input")
        one.wait_for_function("document.querySelector('textarea').value === 'From the other tab'")
        one.locator("textarea").fill("My view")
        one.locator("textarea").dispatch_event("input")
        # changed underneath this page (no storage event: as from a missed one)
        one.evaluate("""([k, a]) => { const d = JSON.parse(localStorage.getItem(k));
                        d.exercises[a] = "Written elsewhere, kept"; localStorage.setItem(k, JSON.stringify(d)); }""",
                     [key, MINUSTAH])
        one.locator("textarea").press("End")
        one.locator("textarea").type(" and more")
        assert "changed in another tab or window" in one.locator(".ck-answer [role=status]").inner_text()
        assert "Written elsewhere, kept" == json.loads(one.evaluate("k => localStorage.getItem(k)", key))["exercises"][MINUSTAH]

        full = context.new_page()
        full.on("pageerror", lambda e: errors.append(str(e)))
        full.add_init_script("Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };")
        open_page(full, address)
        full.locator("textarea").fill("Kept on the page")
        full.locator("textarea").dispatch_event("input")
        status = full.locator(".ck-answer [role=status]").inner_text()
        assert "Not saved: this browser refused to store your work" in status
        assert "" == full.locator(".ck-autosaved").inner_text()
        full.locator(".ck-export input[type=text]").first.fill("Ana")
        _, raw = download(full, full.locator(".ck-export-btn"))
        assert parse_submission(raw)["exercises"] == {MINUSTAH: "Kept on the page"}
        # a control character pasted in: the export refuses, naming it
        full.locator("textarea").fill("bell \x07")
        full.locator(".ck-export-btn").click()
        assert "control character (U+0007)" in full.locator(".ck-export [role=status]").inner_text()
    finally:
        context.close()
    assert [] == errors
