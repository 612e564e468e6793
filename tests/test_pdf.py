"""The book as a PDF (`make pdf`, `coursekit book --edition instructor --pdf`): printed by
Chromium from the built pages, in _toc.yml order, answerable on paper, and the student's
PDF free of every key and model answer."""
import re
import unicodedata

import pytest

from conftest import ROOT, normalise, print_with_the_cli, secret_sentences, toc_pages
from coursekit.bank import load_banks, select_banks

pytestmark = [pytest.mark.book, pytest.mark.browser]


def squash(text: str) -> str:
    """Compare without spacing or ligatures: PDF text breaks lines and joins 'ffi'."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def student_pdf(built_book, tmp_path_factory):
    from pypdf import PdfReader

    out = tmp_path_factory.mktemp("pdf") / "course-student.pdf"
    pages = print_with_the_cli(built_book, out)
    reader = PdfReader(str(out))
    raw = "".join(p.extract_text() or "" for p in reader.pages)
    return pages, reader, squash(raw), raw


def test_every_page_of_the_book_is_in_the_pdf_in_order(student_pdf, built_book):
    pages, reader, text, _ = student_pdf
    titles = []
    for name in toc_pages():
        html = (built_book / f"{name}.html").read_text("utf-8")
        h1 = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
        titles.append(squash(re.sub(r"<[^>]+>|#|¶", "", h1))[:50])
    cursor = text.find(titles[-1], text.find("Contents")) + len(titles[-1])  # the end of the contents
    for title in titles:  # each page's heading, after the contents, in _toc.yml order
        found = text.find(title, cursor)
        assert found >= 0, title
        cursor = found + len(title)
    assert pages == len(reader.pages) > len(titles)
    assert f"1/{pages}" in text and reader.outline  # page numbers in the footer, bookmarks


def test_the_student_pdf_holds_no_key_and_no_model_answer(student_pdf):
    _, _, text, raw = student_pdf
    banks = load_banks(select_banks(ROOT / "chapters"))
    explanations = [squash(q.explanation)[:80] for b in banks for q in b.questions]
    assert not [e for e in explanations if e in text]
    assert "Answerandexplanation" not in text
    words = normalise(unicodedata.normalize("NFKC", raw).replace("<", " ").replace(">", " "))  # text, not tags
    leaked = [s for sentences in secret_sentences().values() for s in sentences if s in words]
    assert not leaked
