"""The Spanish and Portuguese editions, as `make book` builds them beside the English one:
each page in its language, nbval on each language's notebooks, every question type answered
in a translated chapter, the answers kept when the reader switches language, and one
gradebook for files exported from different editions."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, serious_axe_violations, toc_pages
from coursekit import i18n
from coursekit.bank import load_bank
from coursekit.course import load_course
from coursekit.model import display_order
from coursekit.submission import validate_submission

COURSE = load_course(ROOT)
TRANSLATIONS = [lang for lang in i18n.published(COURSE) if lang.code != i18n.SOURCE_LANGUAGE]
CHAPTER = "01-introduction"  # it has every question type
STORE_KEY = f"coursekit:{COURSE.id}:{CHAPTER}"

pytestmark = pytest.mark.skipif(not TRANSLATIONS, reason="no finished translation: every language is a draft")


def stage(code: str) -> Path:
    return ROOT / "_build" / "editions" / code


@pytest.mark.book
@pytest.mark.parametrize("lang", TRANSLATIONS, ids=lambda lang: lang.code)
def test_every_page_of_every_edition_says_its_language(built_book, lang):
    english = {page: (built_book / f"{page}.html") for page in toc_pages()}
    for page, path in english.items():
        html = (built_book / lang.code / f"{page}.html").read_text("utf-8")
        assert re.search(rf'<html[^>]* lang="{lang.html_lang}"', html), (lang.code, page)
        assert f'hreflang="en" href="{"../" * (page.count("/") + 1)}{page}.html"' in html, (lang.code, page)
        assert re.search(r'<html[^>]* lang="en"', path.read_text("utf-8")), page
    landing = (built_book / "index.html").read_text("utf-8")
    assert f'"{lang.code}": "{lang.code}/index.html"' in landing


@pytest.mark.book
@pytest.mark.notebook
@pytest.mark.parametrize("lang", TRANSLATIONS, ids=lambda lang: lang.code)
def test_nbval_runs_each_languages_notebooks(built_book, lang, tmp_path):
    """The translated notebooks, as the edition was built from them, run cell by cell."""
    notebooks = sorted(str(p) for folder in ("chapters", "exercises") for p in (stage(lang.code) / folder).glob("*.ipynb"))
    assert len(notebooks) == len(list((ROOT / "chapters").glob("*.ipynb"))) + len(list((ROOT / "exercises").glob("*.ipynb")))
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q", "-p", "no:cacheprovider",
                          "-o", "addopts=", "--rootdir", str(stage(lang.code)), *notebooks],
                         cwd=stage(lang.code), capture_output=True, text=True, timeout=3000,
                         env={**os.environ, "COURSEKIT_DATA_DIR": str(tmp_path / "progress")})
    assert run.returncode == 0, run.stdout[-4000:]
    assert f"{len(notebooks)} passed" in run.stdout or " passed" in run.stdout.splitlines()[-1]


# --- in the browser ---------------------------------------------------------------------------

def translated_bank(code: str):
    return load_bank(stage(code) / "chapters" / f"{CHAPTER}.yml", course=load_course(stage(code)))


def answer_everything(page, bank) -> None:
    """Answer every question of the chapter right, by mouse, in whatever language the page is."""
    for q in bank.questions:
        form = page.locator(f'.ck-question[data-ck-qid="{q.id}"]')
        if q.type == "single":
            form.get_by_label(q.answer, exact=True).check()
        elif q.type == "multiple":
            for option in q.options:
                if option.text in q.answer:
                    form.get_by_label(option.text, exact=True).check()
        elif q.type == "truefalse":
            form.locator(f'input[value="{0 if q.answer else 1}"]').check()
        elif q.type in ("text", "numeric"):
            form.locator("input").fill(q.accept[0] if q.type == "text" else f"{q.answer:g}")
        elif q.type == "matching":
            rights = display_order(q)
            for i, pair in enumerate(q.pairs):
                form.locator("select").nth(i).select_option(value=str(rights.index(pair.right)))
        elif q.type == "ordering":
            for target, item in enumerate(q.items):
                while form.locator("li .ck-item").all_inner_texts().index(item) > target:
                    form.locator("li", has_text=item).locator(".ck-up").click()
        form.locator(".ck-check").click()
        assert "ck-correct" in form.locator(".ck-feedback").get_attribute("class"), (q.id, form.inner_text())


def all_correct(page, bank) -> bool:
    return all("ck-correct" in (page.locator(f'.ck-question[data-ck-qid="{q.id}"] .ck-feedback').get_attribute("class") or "")
               for q in bank.questions)


def export(page, name: str) -> dict:
    panel = page.locator(".ck-export")
    panel.locator("input[type=text]").first.fill(name)
    with page.expect_download() as info:
        panel.locator(".ck-export-btn").click()
    data = json.loads(Path(info.value.path()).read_text("utf-8"))
    validate_submission(data)
    return data


@pytest.fixture
def reader(browser, book_server):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.errors, page.requests = [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("dialog", lambda d: d.accept())
    yield page
    assert [] == page.errors
    assert [] == [u for u in page.requests if not u.startswith((book_server, "data:", "blob:"))]
    context.close()


def open_chapter(page, address: str) -> None:
    page.goto(address)
    page.wait_for_function("window.coursekitReady !== undefined")


@pytest.mark.browser
@pytest.mark.parametrize("lang", TRANSLATIONS, ids=lambda lang: lang.code)
def test_a_chapter_answered_in_one_language_is_kept_in_the_others(reader, book_server, lang, tmp_path):
    bank = translated_bank(lang.code)
    assert {"single", "multiple", "truefalse", "text", "numeric", "matching", "ordering"} <= {q.type for q in bank.questions}
    open_chapter(reader, f"{book_server}/{lang.code}/chapters/{CHAPTER}.html")
    assert reader.evaluate("document.documentElement.lang") == lang.html_lang
    answer_everything(reader, bank)
    reader.locator(".ck-discussion").first.locator("textarea").fill("Una respuesta escrita en otra lengua.")
    stored = json.loads(reader.evaluate(f"localStorage.getItem('{STORE_KEY}')"))
    assert not any(isinstance(v, str) for q, v in stored["answers"].items()
                   if bank.question(q).type in ("single", "matching")), "choices are stored by position"

    # the switcher leads to the same chapter in English, where every answer is restored
    reader.locator('nav.ck-languages a[hreflang="en"]').click()
    reader.wait_for_function("window.coursekitReady !== undefined")
    assert reader.url.endswith(f"/chapters/{CHAPTER}.html") and f"/{lang.code}/" not in reader.url
    english = load_bank(ROOT / "chapters" / f"{CHAPTER}.yml")
    assert all_correct(reader, english)
    assert reader.locator(".ck-discussion").first.locator("textarea").input_value() == "Una respuesta escrita en otra lengua."
    for other in [t for t in TRANSLATIONS if t.code != lang.code]:  # and in the third edition
        open_chapter(reader, f"{book_server}/{other.code}/chapters/{CHAPTER}.html")
        assert all_correct(reader, translated_bank(other.code))
    submission = export(reader, f"Estudiante {lang.code}")
    (tmp_path / "mixed.json").write_text(json.dumps(submission), "utf-8")

    # an English student's file and this one grade alike in one gradebook
    english_reader = reader.context.browser.new_context(accept_downloads=True).new_page()
    open_chapter(english_reader, f"{book_server}/chapters/{CHAPTER}.html")
    answer_everything(english_reader, english)
    (tmp_path / "english.json").write_text(json.dumps(export(english_reader, "English Student")), "utf-8")
    english_reader.context.close()
    out = tmp_path / "gradebook.csv"
    run = subprocess.run([str(Path(sys.executable).with_name("coursekit")), "grade", str(tmp_path / "mixed.json"),
                          str(tmp_path / "english.json"), "--banks", str(ROOT / "chapters"), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    import csv

    rows = {r["student"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert set(rows) == {f"Estudiante {lang.code}", "English Student"}
    for row in rows.values():  # the same choices grade the same, whichever edition they were given in
        assert float(row["percent"]) == 100.0, row
    question_ids = [q.id for q in english.questions]
    assert [rows[f"Estudiante {lang.code}"][c] for c in rows["English Student"] if any(c.endswith(i) for i in question_ids)] == \
        [rows["English Student"][c] for c in rows["English Student"] if any(c.endswith(i) for i in question_ids)]


@pytest.mark.browser
def test_the_landing_page_opens_the_readers_language(browser, book_server):
    for locale, expected in [("es-MX", "/es/intro.html"), ("pt-BR", "/pt/intro.html"), ("en-GB", "/intro.html"),
                             ("fr-FR", "/intro.html")]:
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(f"{book_server}/index.html")
        page.wait_for_url(re.compile(".*intro.html$"))
        assert page.url == f"{book_server}{expected}", locale
        if locale == "es-MX":  # a choice made in the switcher wins over the browser's language next time
            page.locator('nav.ck-languages a[hreflang="pt-BR"]').click()
            page.goto(f"{book_server}/index.html")
            page.wait_for_url(re.compile(".*intro.html$"))
            assert page.url == f"{book_server}/pt/intro.html"
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", TRANSLATIONS, ids=lambda lang: lang.code)
def test_axe_finds_no_serious_or_critical_violation_in_the_edition(browser, book_server, lang):
    context = browser.new_context()
    problems = serious_axe_violations(context.new_page(), f"{book_server}/{lang.code}", toc_pages())
    context.close()
    assert {} == problems


@pytest.mark.browser
@pytest.mark.parametrize("lang", TRANSLATIONS, ids=lambda lang: lang.code)
def test_no_interface_string_is_left_in_english(reader, book_server, lang):
    """Every engine string shown on a translated chapter page (after answering, so feedback
    lines show too) is a translation: none is an English message of coursekit.po."""
    from coursekit.ui import extract_messages

    english = {text for text, _where in extract_messages() if len(text) > 3 and text[0].isupper()}
    open_chapter(reader, f"{book_server}/{lang.code}/chapters/{CHAPTER}.html")
    answer_everything(reader, translated_bank(lang.code))
    shown = reader.evaluate("""() => Array.from(document.querySelectorAll(
        '.ck-quiz, .ck-discussion, .ck-export, .ck-answer')).map(e => e.innerText).join('\\n')""")
    left = sorted(t for t in english if t in shown and t.lower() not in {"no.", "sí."})
    assert [] == left


@pytest.fixture(scope="module", params=TRANSLATIONS, ids=lambda lang: lang.code)
def instructor_edition(request, built_book, tmp_path_factory):
    """`coursekit book --edition instructor --language CODE`, built once per language."""
    from coursekit.editions import build_translation

    lang = request.param
    return lang, build_translation(ROOT, lang.code, tmp_path_factory.mktemp(f"instructor-{lang.code}") / "html",
                                   edition="instructor")


@pytest.mark.book
def test_the_translated_instructor_edition_has_the_answers_and_the_student_one_none(built_book, instructor_edition):
    """Model answers, keys and outlines in that language; none of the translated model answers
    in that language's student book."""
    from conftest import normalise

    lang, out = instructor_edition
    secrets = []
    for po in sorted((ROOT / "locales" / lang.code / "instructor" / "solutions").glob("*.po")):
        for m in i18n.read_catalog(po):
            first = re.split(r"(?<=[.!?])\s+", m.string or "")[0]
            if m.id and not re.search(r"[{}\[\]`|$#]", first) and len(normalise(first).split()) >= 12:
                secrets.append(normalise(first))
    assert len(secrets) > 50
    instructor = "\n".join(normalise(p.read_text("utf-8")) for p in out.rglob("*.html"))
    student = "\n".join(normalise(p.read_text("utf-8")) for p in (built_book / lang.code).rglob("*.html"))
    missing = [s for s in secrets if s not in instructor]
    assert len(missing) <= len(secrets) // 20, missing[:5]  # a few sentences are split across markup
    assert [] == [s for s in secrets if s in student]
    key = (out / "instructor" / "keys" / f"{CHAPTER}.html").read_text("utf-8")
    assert re.search(rf'<html[^>]* lang="{lang.html_lang}"', key) and "ck-languages" not in key  # a book of its own
    assert "Answer key" not in key and "Lecture outline" not in key


@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_violation_in_the_translated_instructor_edition(browser, instructor_edition):
    from conftest import serving

    lang, out = instructor_edition
    pages = [*toc_pages(), *(f"instructor/keys/{p.stem}" for p in sorted((out / "instructor" / "keys").glob("*.html")))]
    context = browser.new_context()
    with serving(out) as address:
        problems = serious_axe_violations(context.new_page(), address, pages, lang.html_lang)
    context.close()
    assert {} == problems
