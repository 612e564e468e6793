"""Two editions, no leaks: every model answer and scoring note, and every assignment key,
is found on the instructor side and nowhere on the student side.

Practice quizzes carry their own key in the page by design (instant feedback for
self-checks); keys that matter for assessment live in assignments, tested here too."""
import re

import pytest

from conftest import ROOT, normalise, print_with_the_cli, secret_sentences
from coursekit.assign import make_assignment
from coursekit.editions import build

pytestmark = pytest.mark.book

@pytest.fixture(scope="module")
def instructor_html(tmp_path_factory, built_book):
    out = tmp_path_factory.mktemp("instructor") / "html"
    return build(ROOT, "instructor", out)


def _corpus(paths) -> str:
    return "\n".join(normalise(p.read_text("utf-8", errors="ignore")) for p in paths if p.is_file())


def test_every_exercise_has_a_solution_with_text_to_trace():
    secrets = secret_sentences()
    labels = set(re.findall(r"^:label:\s*(ex-\S+)\s*$", _raw(ROOT / "exercises"), re.M))
    assert labels and labels == set(secrets)
    assert all(secrets[label] for label in secrets), [k for k, v in secrets.items() if not v]


def _raw(folder):
    import nbformat

    return "\n".join(c.source for p in sorted(folder.glob("*.ipynb"))
                     for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown")


def test_instructor_edition_has_answers_and_keys(instructor_html):
    pages = _corpus(instructor_html.rglob("*.html"))
    for label, sentences in secret_sentences().items():
        assert any(s in pages for s in sentences), f"no model answer of {label} in the instructor edition"
    keys = sorted((instructor_html / "instructor" / "keys").glob("*.html"))
    assert 16 == len(keys)  # an index and one per chapter or section
    assert "(Instructor edition)" in (instructor_html / "intro.html").read_text("utf-8")
    outlines = sorted((ROOT / "instructor" / "outlines").glob("*.md"))
    assert outlines, "no lecture outlines"
    for outline in outlines:  # each closes its chapter's key page, and only there
        page = (instructor_html / "instructor" / "keys" / f"{outline.stem}.html").read_text("utf-8")
        assert "Lecture outline" in page and "A 90-minute session" in page, outline.stem


def test_nothing_reaches_the_student_side(built_book, instructor_html, tmp_path):
    assignment = tmp_path / "assignment"
    make_assignment(ROOT / "chapters", "3,7", 12, 1, assignment)
    student_files = [*built_book.rglob("*"), *(ROOT / "exercises").rglob("*"), *(ROOT / "chapters").rglob("*"),
                     *(assignment / "student").rglob("*")]
    student = _corpus([p for p in student_files if p.suffix in (".html", ".ipynb", ".md", ".txt", ".js", ".json", ".yml")])
    leaks = [(label, s) for label, sentences in secret_sentences().items() for s in sentences if s in student]
    assert [] == leaks
    key = (assignment / "instructor" / "key.md").read_text("utf-8")
    explanations = [normalise(m.replace("\\", "")) for m in re.findall(r"^- Explanation: (.+)$", key, re.M)]
    assert 12 == len(explanations)
    assignment_student = _corpus((assignment / "student").rglob("*"))
    assert [] == [x for x in explanations if x in assignment_student]
    assert "instructor" not in {p.name for p in built_book.iterdir()}
    assert "A 90-minute session" not in "\n".join(p.read_text("utf-8") for p in built_book.rglob("*.html"))


def test_out_never_replaces_course_files(tmp_path):
    from coursekit.editions import MARKER, out_problem

    root = tmp_path / "course"
    (root / "instructor" / "solutions").mkdir(parents=True)
    (root / "instructor" / "solutions" / "01.md").write_text("model answer", "utf-8")
    assert "course folder" in out_problem(root, root)
    assert "course folder" in out_problem(root, tmp_path)
    assert "other files" in out_problem(root, root / "instructor")
    assert out_problem(root, root / "instructor-html") is None  # new folder
    (root / "instructor-html").mkdir()
    (root / "instructor-html" / MARKER).write_text("instructor\n", "utf-8")
    (root / "instructor-html" / "index.html").write_text("old", "utf-8")
    assert out_problem(root, root / "instructor-html") is None  # an earlier edition is replaced
    (root / "notes.txt").write_text("x", "utf-8")
    assert "is a file" in out_problem(root, root / "notes.txt")


def test_the_instructor_pdf_carries_the_keys_and_model_answers(instructor_html, tmp_path):
    import unicodedata

    from pypdf import PdfReader

    out = tmp_path / "instructor.pdf"
    print_with_the_cli(instructor_html, out, edition="instructor")  # its own page order: keys included
    text = "".join(p.extract_text() or "" for p in PdfReader(str(out)).pages)
    # normalise() strips HTML tags: a PDF's "<" and ">" are text, so they go first
    words = normalise(unicodedata.normalize("NFKC", text).replace("<", " ").replace(">", " "))
    assert "instructor edition" in words
    for label, sentences in secret_sentences().items():
        assert any(s in words for s in sentences), f"no model answer of {label} in the instructor PDF"
