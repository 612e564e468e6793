"""Shared fixtures. Every test gets its own progress folder: no test touches a real user's data."""
from __future__ import annotations

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


def answer_cases():
    return yaml.safe_load((Path(__file__).resolve().parent / "answer_cases.yml").read_text("utf-8"))


# --- the built book, served locally, and a real Chromium ---------------------------------

import functools  # noqa: E402
import http.server  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BUILD_COMMAND = ["jupyter-book", "build", ".", "-W", "-n", "--keep-going", "--all"]


def jupyter_book():
    return [str(Path(sys.executable).with_name("jupyter-book"))] + BUILD_COMMAND[1:]


@pytest.fixture(scope="session")
def book_build():
    """Build the student edition exactly as the README does, warnings as errors.

    `--all` re-reads every page so that no warning hides in Sphinx's incremental cache;
    executed notebooks still come from the execution cache when unchanged."""
    run = subprocess.run(jupyter_book(), cwd=ROOT, capture_output=True, text=True, timeout=1800)
    return run


@pytest.fixture(scope="session")
def built_book(book_build):
    assert 0 == book_build.returncode, book_build.stdout[-3000:] + book_build.stderr[-3000:]
    return ROOT / "_build" / "html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def book_server(built_book):
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


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
