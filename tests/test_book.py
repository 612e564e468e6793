"""The book builds with warnings as errors and carries nothing from the network."""
import re

import pytest

from conftest import ROOT, toc_pages

pytestmark = pytest.mark.book

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


def test_execution_cache_follows_banks_and_engine(tmp_path):
    """Jupyter Book caches executed notebooks by their code alone; the extension drops that
    cache when a bank, the data or the engine changes, so no stale quiz reaches the book."""
    from types import SimpleNamespace

    from coursekit.sphinx_ext import _invalidate_stale_outputs, _reread_notebooks, inputs_fingerprint

    (tmp_path / "chapters").mkdir()
    bank = tmp_path / "chapters" / "01-x.yml"
    bank.write_text("chapter: 01-x\n", "utf-8")
    cache = tmp_path / "_build" / ".jupyter_cache"
    cache.mkdir(parents=True)
    env = SimpleNamespace(mystnb_config=SimpleNamespace(execution_cache_path=str(cache)),
                          found_docs={"chapters/01-x", "intro"},
                          doc2path=lambda d: f"{d}.ipynb" if d.startswith("chapters") else f"{d}.md")
    app = SimpleNamespace(env=env, srcdir=str(tmp_path))
    _invalidate_stale_outputs(app)  # first build: nothing known, start clean
    cache.mkdir()
    _invalidate_stale_outputs(app)
    assert cache.exists() and [] == _reread_notebooks(app, env, set(), set(), set())
    before = inputs_fingerprint(tmp_path)
    bank.write_text("chapter: 01-x\ntitle: changed\n", "utf-8")
    assert before != inputs_fingerprint(tmp_path)
    _invalidate_stale_outputs(app)
    assert not cache.exists()
    assert ["chapters/01-x"] == _reread_notebooks(app, env, set(), set(), set())


def test_chapters_and_sections_are_numbered_as_the_course_numbers_them(built_book):
    from coursekit.course import load_course

    course = load_course(ROOT)
    for name in toc_pages():
        if not name.startswith("chapters/"):
            continue
        html = (built_book / f"{name}.html").read_text("utf-8")
        number = course.number(name.split("/", 1)[1])
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        assert title.startswith(f"{number}. "), (name, title)  # 4a -> "4.1. …", as assign --chapters 4.1
        assert f'<h1><span class="section-number">{number}. </span>' in html, name
        # headings inside a page carry no number (Sphinx would give chapter 4's thirteen 4.1-4.13)
        assert not re.search(r'<h[2-6]><span class="section-number">', html), name


def test_the_landing_page_says_its_title_once(built_book):
    title = re.search(r"<title>(.*?)</title>", (built_book / "intro.html").read_text("utf-8")).group(1)
    assert title == "Military Diplomacy and Regional Cooperation in Latin America"


def bibliography_problems(page_text: str, entries) -> list[str]:
    """What a reader of the built reference list would see wrong: a title not printed as
    written (proper nouns lowercased), a year printed twice in a row, an internal note."""
    import html as html_lib

    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", page_text)))
    problems = []
    for key, entry in entries.items():
        title = re.sub(r"\s+", " ", entry.fields.get("title", "").replace("{", "").replace("}", "")).replace("--", "–")
        if title and title not in text:
            problems.append(f"{key}: title not printed as written: {title[:60]!r}")
    problems += [f"year printed twice: {m.group(0)!r}" for m in re.finditer(r"\b(\d{4})[.,]? \1\b", text)]
    for key, entry in entries.items():  # the course's own notes on how it checked an entry are never printed
        value = re.sub(r"\s+", " ", entry.fields.get("checked", "")).strip()[:40]
        if value and value in text:
            problems.append(f"{key}: internal field checked printed: {value!r}")
    return problems


def test_the_bibliography_prints_titles_as_written_and_no_doubled_year_or_note(built_book):
    from pybtex.database import parse_file

    entries = parse_file(str(ROOT / "references.bib")).entries
    from pybtex.richtext import Text

    for entry in entries.values():  # decode the LaTeX accents the file uses ({\'a}, {\'\i})
        entry.fields["title"] = Text.from_latex(entry.fields.get("title", "")).render_as("text")
    problems = bibliography_problems((built_book / "bibliography.html").read_text("utf-8"), entries)
    assert not problems, "\n".join(problems)


def test_bibliography_check_can_fail():
    class Entry:
        def __init__(self, title):
            self.fields = {"title": title}

    page = "<p>treaty of tlatelolco. Signed 24-26 July 1995, 1995. Reviews give 2014.</p>"
    entry = Entry("Treaty of {Tlatelolco}")
    entry.fields["checked"] = "Reviews give 2014"
    problems = " | ".join(bibliography_problems(page, {"t": entry}))
    assert "t: title not printed as written" in problems and "'1995, 1995'" in problems
    assert "t: internal field checked printed: 'Reviews give 2014'" in problems


def test_every_figure_opens_full_size(built_book):
    """A phone reader taps a figure to open the image itself (1200 pixels wide) and zoom."""
    figures = 0
    for page in sorted((built_book / "chapters").glob("*.html")):
        text = page.read_text("utf-8")
        for figure in re.findall(r"<figure\b.*?</figure>", text, re.S):
            figures += 1
            link = re.search(r'<a [^>]*href="([^"]+\.(?:png|svg))"[^>]*>\s*<img\b', figure)
            assert link, f"{page.name}: a figure without a link to its full-size image"
            image = (page.parent / link.group(1)).resolve()
            assert image.is_file(), f"{page.name}: {link.group(1)} is missing"
            if image.suffix == ".png":
                import struct

                width = struct.unpack(">I", image.read_bytes()[16:20])[0]
                assert width >= 1000, f"{page.name}: {image.name} is only {width} pixels wide"
    assert figures >= 3


def test_only_the_my_work_page_loads_the_whole_script(built_book):
    """Every page loads the core script; My work loads the whole one (its table, Export
    everything and Import are a third of the code that no other page runs)."""
    my_work = (built_book / "my-work.html").read_text("utf-8")
    assert "coursekit-my-work.js" in my_work and "_static/coursekit.js" not in my_work
    chapter = (built_book / "chapters" / "05-conflict-prevention-and-resolution.html").read_text("utf-8")
    assert "_static/coursekit.js" in chapter and "coursekit-my-work.js" not in chapter
    core = (built_book / "_static" / "coursekit.js").read_text("utf-8")
    whole = (built_book / "_static" / "coursekit-my-work.js").read_text("utf-8")
    assert "ck-book-map" not in core and "ck-book-map" in whole and len(core) < 0.8 * len(whole)  # the map My work reads


def test_every_data_file_a_page_names_can_be_downloaded_from_it(built_book):
    """`../data/x.csv` in a task is a link to the file itself, copied into the book."""
    found = 0
    for page in sorted((built_book / "exercises").glob("*.html")) + sorted((built_book / "chapters").glob("*.html")):
        text = page.read_text("utf-8")
        for href, name in re.findall(r'<a class="reference download internal"[^>]*href="([^"]+/([\w.-]+\.csv))"', text):
            found += 1
            served = (page.parent / href).resolve()
            assert served.read_bytes() == (ROOT / "data" / name).read_bytes(), (page.name, href)
        prose = re.sub(r"<pre\b.*?</pre>|<script\b.*?</script>", "", text, flags=re.S)  # code may read it too
        named = set(re.findall(r"data/([\w.-]+\.csv)", re.sub(r'href="[^"]*"', "", prose)))
        linked = set(re.findall(r'download internal"[^>]*href="[^"]+/([\w.-]+\.csv)"', text))
        assert named <= linked, f"{page.name}: {sorted(named - linked)} named but not downloadable"
    assert found >= 6
