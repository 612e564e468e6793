"""The book builds with warnings as errors and carries nothing from the network."""
import re

from conftest import toc_pages

EXTERNAL = re.compile(r"""<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
                      r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//""", re.I)
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//)""", re.I)


def test_book_builds_without_warnings(book_build):
    output = book_build.stdout + book_build.stderr
    assert 0 == book_build.returncode, output[-4000:]
    assert [] == [line for line in output.splitlines() if "WARNING" in line and "TCP without encryption" not in line]


def test_every_toc_page_is_built(built_book):
    for name in toc_pages():
        assert (built_book / f"{name}.html").exists(), name
    assert (built_book / "_static" / "coursekit.js").exists() and (built_book / "_static" / "coursekit.css").exists()


def test_no_page_loads_anything_from_the_network(built_book):
    pages = list(built_book.rglob("*.html"))
    assert len(pages) > 25
    for page in pages:
        text = page.read_text("utf-8", errors="replace")
        assert not EXTERNAL.search(text), (page.name, EXTERNAL.search(text).group(0))
    for css in built_book.rglob("*.css"):
        text = css.read_text("utf-8", errors="replace")
        assert not CSS_EXTERNAL.search(text), (css.name, CSS_EXTERNAL.search(text).group(0))


def test_chapters_show_the_static_quiz_not_the_widget(built_book):
    page = (built_book / "chapters" / "01-introduction.html").read_text("utf-8")
    assert page.count('class="ck-quiz"') == 1 and 'class="ck-key"' in page
    assert "coursekit.js" in page
    assert "widget-view+json" not in page and "widget-state+json" not in page  # no widget output or state
    assert "require.js" not in page and "THEBE_JS_URL" not in page
