"""The translation catalogs (coursekit/i18n.py): pages come back whole, banks keep their
structure, and an edition with a missing, fuzzy or broken message is refused by name."""
import re
import shutil
from pathlib import Path

import pytest
import yaml

from coursekit import i18n
from coursekit.course import load_course
from coursekit.errors import BuildError

ROOT = Path(__file__).resolve().parents[1]

BANK = {
    "chapter": "01-demo", "course": "demo", "title": "Check your understanding",
    "objectives": {"LO1": "Explain the demo."},
    "questions": [
        {"id": "q-one", "type": "single", "objective": "LO1", "level": "understand", "prompt": "Which?",
         "options": [{"text": "Alpha", "feedback": "No."}, {"text": "Beta", "feedback": "Yes."}],
         "answer": "Beta", "explanation": "Because."},
        {"id": "q-text", "type": "text", "objective": "LO1", "level": "remember", "prompt": "Name the body.",
         "accept": ["OAS", "Organization of American States"], "explanation": "The OAS."},
    ],
}


def make_course(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "_config.yml").write_text(yaml.safe_dump({
        "title": "Demo", "coursekit": {"course": "demo", "banks": "chapters", "languages": {
            "en": {"name": "English", "sphinx": "en"}, "es": {"name": "Español", "sphinx": "es"}}}}), "utf-8")
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "intro",
                                                       "parts": [{"caption": "Chapters", "chapters": []}]}), "utf-8")
    (tmp_path / "intro.md").write_text("# Welcome\n\nSee {cite}`Mares2001` and [the data](data/x.csv).\n\n```\n", "utf-8")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01-demo.yml").write_text(yaml.safe_dump(BANK, sort_keys=False), "utf-8")
    return tmp_path


SPANISH = {
    "Demo": "Demostración", "Chapters": "Capítulos", "# Welcome": "# Bienvenida",
    "See {cite}`Mares2001` and [the data](data/x.csv).": "Véase {cite}`Mares2001` y [los datos](data/x.csv).",
    "Check your understanding": "Comprueba lo que sabes", "Explain the demo.": "Explicar la demostración.",
    "Which?": "¿Cuál?", "Alpha": "Alfa", "Beta": "Beta (b)", "No.": "No.", "Yes.": "Sí.", "Because.": "Porque.",
    "Name the body.": "Nombra el organismo.", "OAS\nOrganization of American States":
        "OEA\nOrganización de los Estados Americanos", "The OAS.": "La OEA.",
}


def translate_all(root: Path, table: dict) -> None:
    for po in (root / "locales" / "es").rglob("*.po"):
        catalog = i18n.read_catalog(po)
        for message in catalog:
            if message.id:  # the engine's interface strings (coursekit.po) are marked, not translated
                message.string = "ES " + message.id if message.context == i18n.UI_CONTEXT else table[message.id]
        i18n.write_catalog(po, catalog)


def test_blocks_split_and_join_losslessly():
    text = "# Title\n\nOne paragraph\nover two lines.\n\n\n:::{note}\nA note.\n:::\n"
    parts = i18n.split_blocks(text)
    assert "".join(parts) == text
    assert [p for p in parts[::2] if i18n.translatable(p)] == ["# Title", "One paragraph\nover two lines.",
                                                                ":::{note}\nA note.\n:::\n"]


def test_markup_must_survive_translation():
    english = "As {cite}`Mares2001` argues, see {term}`sovereignty` and {doc}`glossary`."
    assert i18n.markup_problem(english, "Como sostiene {cite}`Mares2001`, véase {term}`soberanía` y {doc}`glossary`.") is None
    assert "markup differs" in i18n.markup_problem(english, "Como sostiene Mares, véase {term}`soberanía` y {doc}`glossary`.")
    assert "glossary references" in i18n.markup_problem(english, "Véase {cite}`Mares2001` y {doc}`glossary`.")


def test_an_edition_is_built_from_complete_catalogs(tmp_path):
    root = make_course(tmp_path / "course")
    course = load_course(root)
    report = i18n.update_catalogs(root, course)
    assert any("locales/es/chapters/01-demo.yml.po: 11 to translate" in line for line in report), report
    stage = tmp_path / "stage"
    shutil.copytree(root, stage)
    with pytest.raises(BuildError, match="untranslated or outdated") as refused:
        i18n.translate_tree(root, stage, course, "es")
    assert "chapters/01-demo.yml: q-one.prompt: not translated" in refused.value.args[0]

    translate_all(root, SPANISH)
    assert i18n.check(root, course) == []
    shutil.rmtree(stage)
    shutil.copytree(root, stage)
    i18n.translate_tree(root, stage, course, "es")
    bank = yaml.safe_load((stage / "chapters" / "01-demo.yml").read_text("utf-8"))
    single, text = bank["questions"]
    assert single["answer"] == "Beta (b)"  # the answer follows its option by position
    assert [q["id"] for q in bank["questions"]] == ["q-one", "q-text"] and single["level"] == "understand"
    assert text["accept"] == ["OEA", "Organización de los Estados Americanos", "OAS", "Organization of American States"]
    assert (stage / "intro.md").read_text("utf-8").startswith("# Bienvenida\n\nVéase {cite}`Mares2001`")
    config = yaml.safe_load((stage / "_config.yml").read_text("utf-8"))
    assert config["title"] == "Demostración" and config["sphinx"]["config"]["language"] == "es"
    assert [p.relative_to(stage).as_posix() for p in (stage / "locales").rglob("*.po")] == ["locales/es/coursekit.po"]


def test_a_changed_english_text_is_outdated_until_reviewed(tmp_path):
    root = make_course(tmp_path)
    course = load_course(root)
    i18n.update_catalogs(root, course)
    translate_all(root, SPANISH)
    bank = dict(BANK, questions=[dict(BANK["questions"][0], prompt="Which one?"), BANK["questions"][1]])
    (root / "chapters" / "01-demo.yml").write_text(yaml.safe_dump(bank, sort_keys=False), "utf-8")
    assert i18n.check(root, course) == ["locales/es/chapters/01-demo.yml.po: q-one.prompt: not translated: 'Which one?'"]
    i18n.update_catalogs(root, course)  # the old translation comes back as a suggestion, marked fuzzy
    problems = i18n.check(root, course)
    assert len(problems) == 1 and "fuzzy" in problems[0]


def test_the_course_catalogs_cover_every_source_file():
    course = load_course(ROOT)
    assert [lang.code for lang in i18n.languages(course)] == ["en", "es", "pt"]
    for lang in i18n.translations(course):
        for relative in i18n.source_files(ROOT, course):
            path = i18n.catalog_path(ROOT, lang.code, relative)
            assert path.exists(), f"{path} is missing: run coursekit translate update"
            ids = {(m.context, m.id) for m in i18n.read_catalog(path) if m.id}
            wanted = {(m.context, m.text) for m in i18n.messages_of(ROOT, relative)}
            assert wanted <= ids, f"{path}: {len(wanted - ids)} English message(s) not in the catalog"


_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")


def test_translations_keep_the_english_number_notation():
    # docs/translations.md: numbers keep the English notation, so "1,000" never becomes "1.000",
    # which would make one figure read two ways across the editions
    problems = []
    for po in sorted((ROOT / "locales").rglob("*.po")):
        for message in i18n.read_catalog(po):
            if not message.id or not isinstance(message.string, str):
                continue
            for number in _THOUSANDS.findall(message.id):
                if number.replace(",", ".") in message.string and number.replace(",", ".") not in message.id:
                    problems.append(f"{po.relative_to(ROOT)}: {number} written {number.replace(',', '.')}")
    assert problems == []


def test_glossary_terms_have_one_translation_each():
    terms = yaml.safe_load((ROOT / "locales" / "terms.yml").read_text("utf-8"))["terms"]
    glossary = (ROOT / "glossary.md").read_text("utf-8").split("```{glossary}")[1].split("\n```")[0]
    english = [line for line in glossary.splitlines() if line and not line.startswith(" ")]
    assert list(terms) == english
    for code in ("es", "pt"):
        names = [t[code] for t in terms.values()]
        assert len(set(names)) == len(names), code


def test_the_switcher_leads_to_the_same_page_in_every_edition():
    from coursekit.switcher import page_href

    assert page_href("chapters/05-x", "en", "es") == "../es/chapters/05-x.html"
    assert page_href("chapters/05-x", "es", "en") == "../../chapters/05-x.html"
    assert page_href("chapters/05-x", "es", "pt") == "../../pt/chapters/05-x.html"
    assert page_href("intro", "pt", "pt") == "../pt/intro.html"
    assert page_href("intro", "en", "en") == "intro.html"


def test_draft_translations_are_neither_built_nor_linked(tmp_path):
    root = make_course(tmp_path)
    config = yaml.safe_load((root / "_config.yml").read_text("utf-8"))
    config["coursekit"]["languages"]["es"]["status"] = "draft"
    (root / "_config.yml").write_text(yaml.safe_dump(config), "utf-8")
    course = load_course(root)
    assert [lang.code for lang in i18n.translations(course)] == ["es"]  # still checked and updated
    assert [lang.code for lang in i18n.published(course)] == ["en"]


@pytest.mark.book
def test_a_translated_book_is_built_beside_the_english_one(tmp_path):
    """The whole path a course takes: catalogs filled, `jupyter-book build .` for English, then
    `coursekit book --translations`; the pages carry their language and lead to each other."""
    import subprocess
    import sys

    root = make_course(tmp_path / "course")
    config = yaml.safe_load((root / "_config.yml").read_text("utf-8"))
    config.update({"only_build_toc_files": True, "exclude_patterns": ["locales"],
                   "execute": {"execute_notebooks": "off"}, "html": {"use_repository_button": False},
                   "sphinx": {"extra_extensions": ["coursekit.sphinx_ext"]}, "bibtex_bibfiles": ["refs.bib"]})
    (root / "_config.yml").write_text(yaml.safe_dump(config), "utf-8")
    (root / "refs.bib").write_text("@book{Mares2001, author={Mares, David}, title={Violent Peace}, year={2001}, "
                                   "publisher={Columbia University Press}}\n", "utf-8")
    (root / "data").mkdir()
    (root / "data" / "x.csv").write_text("a\n1\n", "utf-8")
    (root / "intro.md").write_text("# Welcome\n\nSee {cite}`Mares2001` and [the data](data/x.csv).\n\n"
                                   "```{bibliography}\n```\n", "utf-8")
    (root / "chapters" / "one.md").write_text("# One\n\nThe first page.\n", "utf-8")
    (root / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "intro", "parts": [
        {"caption": "Chapters", "chapters": [{"file": "chapters/one"}]}]}), "utf-8")
    course = load_course(root)
    i18n.update_catalogs(root, course)
    translate_all(root, dict(SPANISH, **{"```{bibliography}\n```\n": "```{bibliography}\n```\n",
                                         "# One": "# Uno", "The first page.\n": "La primera página.\n"}))
    bin_dir = Path(sys.executable).parent
    english = subprocess.run([str(bin_dir / "jupyter-book"), "build", ".", "-W", "-n"], cwd=root,
                             capture_output=True, text=True)
    assert english.returncode == 0, english.stdout[-2000:] + english.stderr[-2000:]
    spanish = subprocess.run([str(bin_dir / "coursekit"), "book", "--translations"], cwd=root,
                             capture_output=True, text=True)
    assert spanish.returncode == 0, spanish.stdout[-2000:] + spanish.stderr[-2000:]
    html_dir = root / "_build" / "html"
    page = (html_dir / "es" / "intro.html").read_text("utf-8")
    assert '<html lang="es"' in page and "Bienvenida" in page and "Mares" in page
    assert '<nav class="ck-languages" aria-label="ES Language">' in page  # the fixture marks its interface strings
    assert 'href="../intro.html" lang="en" hreflang="en"' in page
    assert '<link rel="alternate" hreflang="en" href="../intro.html">' in page
    english_page = (html_dir / "intro.html").read_text("utf-8")
    assert '<html lang="en"' in english_page and 'href="es/intro.html" lang="es"' in english_page
    landing = (html_dir / "index.html").read_text("utf-8")
    assert '"es": "es/index.html"' in landing and '"en": "intro.html"' in landing
    assert (html_dir / "es" / "index.html").exists()
    chapter = (html_dir / "es" / "chapters" / "one.html").read_text("utf-8")
    assert "La primera página." in chapter and 'href="../../chapters/one.html" lang="en"' in chapter


@pytest.fixture(scope="module")
def translated_course(tmp_path_factory):
    """The course staged and translated into every language, as the edition build does."""
    from coursekit.editions import SKIP

    course, staged = load_course(ROOT), {}
    for lang in i18n.translations(course):
        stage = tmp_path_factory.mktemp(lang.code) / "book"
        shutil.copytree(ROOT, stage, ignore=lambda d, names: [n for n in names if n in SKIP])
        i18n.translate_tree(ROOT, stage, course, lang.code)
        staged[lang.code] = stage
    return staged


def test_translated_exercises_keep_their_rubrics_and_lengths(translated_course):
    from coursekit.exercises import read_tasks

    for english_path in sorted((ROOT / "exercises").glob("*.ipynb")):
        english = read_tasks(english_path)
        for code, stage in translated_course.items():
            tasks = read_tasks(stage / "exercises" / english_path.name)
            assert [t.label for t in tasks] == [t.label for t in english], (code, english_path.name)
            for en, tr in zip(english, tasks):
                assert [c.weight for c in tr.rubric.criteria] == [c.weight for c in en.rubric.criteria], (code, en.label)
                assert tr.expected() == en.expected(), (code, en.label)


def test_translated_banks_have_the_english_structure(translated_course):
    from coursekit.bank import load_bank

    for english_path in sorted((ROOT / "chapters").glob("*.yml")):
        english = load_bank(english_path)
        for code, stage in translated_course.items():
            bank = load_bank(stage / "chapters" / english_path.name)
            assert [(q.id, q.type, q.objective, q.level) for q in bank.questions] == \
                [(q.id, q.type, q.objective, q.level) for q in english.questions], (code, english_path.name)
            for en, tr in zip(english.questions, bank.questions):
                assert tr.prompt != en.prompt or en.prompt.isupper(), (code, en.id, "prompt left in English")


def test_export_in_another_language_has_the_same_questions(tmp_path, capsys):
    """`coursekit export --language es`: GIFT and QTI in Spanish, the English ids and keys' places."""
    import re
    import zipfile

    from coursekit.cli import main

    english, spanish = tmp_path / "en.gift", tmp_path / "es.gift"
    assert main(["export", "--format", "gift", "--chapters", "1", "--out", str(english)]) == 0
    assert main(["export", "--format", "gift", "--chapters", "1", "--language", "es", "--out", str(spanish)]) == 0
    ids = lambda text: re.findall(r"^::([a-z0-9-]+)::", text, re.M)  # noqa: E731
    en_text, es_text = english.read_text("utf-8"), spanish.read_text("utf-8")
    assert ids(en_text) == ids(es_text) and len(ids(es_text)) == 18
    assert "¿Qué enunciado refleja mejor la diplomacia militar" in es_text and "Which statement" not in es_text
    def right_places(text):  # per single-choice question, which option lines are the right answer
        blocks = [b for b in text.split("\n// ") if "(single)" in b.split("\n")[0]]
        return [[i for i, line in enumerate(b.splitlines()) if line.startswith("\t=")] for b in blocks]

    assert right_places(es_text) == right_places(en_text) and right_places(es_text)
    qti = tmp_path / "pt.zip"
    assert main(["export", "--format", "qti", "--language", "pt", "--out", str(qti)]) == 0
    with zipfile.ZipFile(qti) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "Verdadeiro" in xml or "diplomacia militar" in xml
    capsys.readouterr()
    assert main(["export", "--format", "gift", "--language", "es", "--banks", str(ROOT / "tests" / "fixtures" / "course"
                                                                                     / "chapters")]) == 1
    assert "'es' is not an edition of this course (it has en)" in capsys.readouterr().err  # the fixture course's


def test_an_assignment_in_spanish_is_graded_against_its_own_translation(tmp_path, capsys):
    """assign --practice --language es: the page, notebook and manifest in Spanish; answers given
    as the Spanish page records them (assessment mode keeps texts) grade right."""
    import csv
    import json

    from coursekit.bank import load_banks
    from coursekit.cli import main
    from coursekit.serialize import to_json
    from coursekit.submission import build_submission

    out = tmp_path / "assignment"
    assert main(["assign", "--chapters", "1,5", "--count", "8", "--seed", "3", "--practice", "--language", "es",
                 "--out", str(out)]) == 0
    manifest = json.loads((out / "student" / "assignment.json").read_text("utf-8"))
    page = (out / "student" / "assignment.html").read_text("utf-8")
    assert manifest["language"] == "es" and '<html lang="es">' in page and 'id="ck-ui"' in page
    assert "How to do this assignment" not in page and "Hand in your work" not in page
    course = load_course(ROOT)
    spanish = {q.id: q for b in load_banks(sorted(i18n.translated_banks(ROOT, course, "es", tmp_path / "es").glob("*.yml")),
                                           course=course) for q in b.questions}
    answers = {}
    for entry in manifest["questions"]:
        q = spanish[entry["id"]]
        right = to_json(q).get("answer")
        answers[q.id] = sorted(right) if q.type == "multiple" else (f"{q.answer:g}" if q.type == "numeric" else right)
        if q.type == "single":
            assert right in entry["choices"]  # the page shows the Spanish options
    sub = build_submission(course=manifest["course"], chapter=manifest["id"], student="Ana", source="book",
                           mode="assessment", answers=answers, responses={})
    (tmp_path / "ana.json").write_text(json.dumps(sub), "utf-8")
    gradebook = tmp_path / "gradebook.csv"
    assert main(["grade", str(tmp_path / "ana.json"), "--assignment", str(out / "student" / "assignment.json"),
                 "--out", str(gradebook)]) == 0
    row = next(csv.DictReader(gradebook.open(encoding="utf-8-sig")))
    assert float(row["percent"]) == 100.0, row
    capsys.readouterr()
    assert main(["assign", "--chapters", "1", "--language", "es", "--banks", str(ROOT / "chapters"),
                 "--out", str(tmp_path / "own")]) == 1
    assert "your own banks are not translated by the course" in capsys.readouterr().err


def test_validate_checks_every_translated_bank(tmp_path, capsys):
    """`coursekit validate chapters`: each language's banks translated and valid; a message left
    out is named, and the run fails."""
    from coursekit.cli import main

    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters", ignore=shutil.ignore_patterns("*.ipynb"))
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    assert main(["validate", str(tmp_path / "chapters")]) == 0
    assert "ok: Español (es): 15 bank(s) translated, the same questions" in capsys.readouterr().out
    po = tmp_path / "locales" / "pt" / "chapters" / "05-conflict-prevention-and-resolution.yml.po"
    catalog = i18n.read_catalog(po)
    entry = next(m for m in catalog if m.id and m.context and m.context.endswith(".prompt"))
    entry.string = ""
    i18n.write_catalog(po, catalog)
    assert main(["validate", str(tmp_path / "chapters")]) == 1
    err = capsys.readouterr().err
    assert f"locales/pt/chapters/05-conflict-prevention-and-resolution.yml.po: {entry.context}: not translated" in err


def test_the_bibliography_style_writes_its_own_words_in_the_edition_language():
    from pybtex.database import parse_string

    from coursekit import bibstyle, ui

    bib = parse_string("""@incollection{Two2001,
      author = {Ana Pérez}, editor = {Luis Gómez and Marta Ruiz}, title = {A Chapter},
      booktitle = {The Volume}, publisher = {Flacso}, year = {2001}, pages = {10--20}}""", "bibtex")
    entry = bib.entries["Two2001"]

    def formatted(code):
        with ui.speaking(code, ROOT / "locales"):
            return bibstyle.Style().format_entry("1", entry).text.render_as("text")

    # English again last: one edition's words must not stay behind in pybtex's shared nodes.
    english, spanish, portuguese, english_again = (formatted(code) for code in ("en", "es", "pt", "en"))
    assert english_again == english
    assert "In Luis Gómez and Marta Ruiz, editors, The Volume" in english and "pages 10–20" in english
    assert "Luis Gómez y Marta Ruiz, editores" in spanish and "páginas 10–20" in spanish
    assert "Luis Gómez e Marta Ruiz" in portuguese and "editors" not in portuguese
    # The entry's own fields stay as published in every edition.
    assert all("A Chapter" in text and "The Volume" in text for text in (english, spanish, portuguese))
