"""Shared fixtures. Every test gets its own progress folder: no test touches a real user's data."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_progress(tmp_path, monkeypatch):
    data_dir = tmp_path / "coursekit-data"
    monkeypatch.setenv("COURSEKIT_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture(scope="session")
def cases_bank():
    from coursekit.bank import load_bank

    return load_bank(FIXTURES / "answer-cases.yml")


def toc_pages() -> list[str]:
    """Every page of the book in _toc.yml order (the single source of order)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text("utf-8"))
    pages = [toc["root"]]
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            pages.append(chapter["file"])
            pages.extend(section["file"] for section in chapter.get("sections", []))
    return pages


# --- what only the instructor may see ------------------------------------------------------

import html as _html  # noqa: E402
import re as _re  # noqa: E402

QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Text as a reader sees it, whatever the file: tags, entities, smart quotes and spacing removed."""
    text = _html.unescape(_re.sub(r"<[^>]+>", " ", text)).translate(QUOTES).lower()
    text = text.replace("\\n", " ").replace('\\"', '"')  # text inside .ipynb JSON strings
    return " ".join(_re.findall(r"[a-z0-9']+", text))


def secret_sentences() -> dict[str, list[str]]:
    """Plain sentences of ten words or more from every model answer, by exercise label."""
    from coursekit.editions import solution_blocks

    found = {}
    for path in sorted((ROOT / "instructor" / "solutions").glob("*.md")):
        for label, block in solution_blocks(path).items():
            body = "\n".join(line for line in block.splitlines()[1:] if not line.startswith((":", "```", "    ")))
            sentences = [s for s in _re.split(r"(?<=[.!?])\s+", body) if not _re.search(r"[{}\[\]`|$]", s)]
            found[label] = [normalise(s) for s in sentences if len(normalise(s).split()) >= 10]
    return found


def print_with_the_cli(html_dir, out, edition="student") -> int:
    """`coursekit pdf`, as a user runs it. In a process of its own: the browser tests' session
    browser keeps Playwright's loop running in this one, where a second sync Playwright cannot start."""
    run = subprocess.run([sys.executable, "-m", "coursekit", "pdf", "--html", str(html_dir), "--out", str(out),
                          "--edition", edition, "--root", str(ROOT)], capture_output=True, text=True, timeout=900)
    assert 0 == run.returncode, run.stderr[-2000:]
    return int(_re.match(r"printed (\d+) pages to ", run.stdout).group(1))


def answer_cases():
    return yaml.safe_load((Path(__file__).resolve().parent / "answer_cases.yml").read_text("utf-8"))


# --- the built book, served locally, and a real Chromium ---------------------------------

import contextlib  # noqa: E402
import functools  # noqa: E402
import http.server  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from coursekit.pdf import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 -- one definition, for tests and `coursekit pdf`

BUILD_COMMAND = ["jupyter-book", "build", ".", "-W", "-n", "--keep-going", "--all"]


def jupyter_book():
    return [str(Path(sys.executable).with_name("jupyter-book"))] + BUILD_COMMAND[1:]


@pytest.fixture(scope="session")
def book_build():
    """Build the student edition exactly as the README does, warnings as errors.

    `--all` re-reads every page so that no warning hides in Sphinx's incremental cache;
    executed notebooks still come from the execution cache when unchanged."""
    run = subprocess.run(jupyter_book(), cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if run.returncode == 0:  # then every finished translation, as make book does
        run = subprocess.run([str(Path(sys.executable).with_name("coursekit")), "book", "--translations"], cwd=ROOT,
                             capture_output=True, text=True, timeout=3600)
    return run


@pytest.fixture(scope="session")
def built_book(book_build):
    assert 0 == book_build.returncode, book_build.stdout[-3000:] + book_build.stderr[-3000:]
    return ROOT / "_build" / "html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """A static server for `folder` on 127.0.0.1 (a free port), stopped on leaving: yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def book_server(built_book):
    with serving(built_book) as address:
        yield address


def serious_axe_violations(page, address: str, pages, html_lang: str | None = None) -> dict[str, list[str]]:
    """axe-core's serious and critical violations on each page (name -> lines), {} when none; with
    `html_lang`, a page whose <html lang> is another is listed too."""
    from axe_playwright_python.sync_playwright import Axe

    axe, problems = Axe(), {}
    for name in pages:
        page.goto(f"{address}/{name}.html")
        page.wait_for_load_state("load")
        found = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in axe.run(page).response["violations"]
                 if v["impact"] in ("serious", "critical")]
        lang = page.evaluate("document.documentElement.lang")
        if html_lang is not None and lang != html_lang:
            found.append(f"<html lang> is {lang!r}, not {html_lang!r}")
        if found:
            problems[name] = found
    return problems


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        if os.path.exists(CHROMIUM):
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        else:  # elsewhere: a browser from `playwright install chromium`
            chromium = p.chromium.launch(args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def static_page(path: Path, body: str, *, lang: str = "en") -> str:
    """A page of our own markup with the script and styles exactly as the book serves them,
    written to `path`; returns its file:// address. For the script's tests: no book build."""
    from coursekit.sphinx_ext import served_file

    files = {name: served_file(name) for name in ("coursekit.js", "coursekit.css")}
    html = (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>coursekit test</title>"
            f"<style>{files['coursekit.css'].decode('utf-8')}</style></head><body><main>{body}</main>"
            f"<script>{files['coursekit.js'].decode('utf-8')}</script></body></html>")
    path.write_text(html, "utf-8")
    return path.as_uri()


def copy_course_settings(folder):
    """A copied chapter needs the course's settings beside it (course id, bibliography),
    as it has in the book: the engine reads them from _config.yml."""
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, folder)
