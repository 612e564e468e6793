"""The student kit holds the course for Jupyter and nothing of the instructor's."""
import shutil
import zipfile

import pytest

from conftest import FIXTURES, ROOT, normalise, secret_sentences
from coursekit.kit import NEVER, write_kit


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    out, _ = write_kit(ROOT, tmp_path_factory.mktemp("kit") / "student-kit.zip")
    with zipfile.ZipFile(out) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_kit_has_what_a_student_needs(kit):
    names = {n.split("/", 1)[1] for n in kit}
    for needed in ("START-HERE.md", "requirements.txt", "pyproject.toml", "_config.yml", "_toc.yml",
                   "chapters/05-conflict-prevention-and-resolution.ipynb",
                   "chapters/05-conflict-prevention-and-resolution.yml", "exercises/05-conflict-prevention-and-resolution.ipynb",
                   "coursekit/__init__.py", "coursekit/static/coursekit.js", "data/README.md"):
        assert needed in names, needed


def test_the_kit_holds_no_model_answer_outline_or_assessment_bank(kit):
    for name in kit:
        parts = set(name.split("/")[1:])
        assert not parts & set(NEVER), name
        assert not name.endswith(".sealed"), name
    text = normalise("\n".join(data.decode("utf-8", "replace") for data in kit.values()))
    sentences = [s for found in secret_sentences().values() for s in found]
    assert len(sentences) > 50  # the check has something to look for
    leaked = [s for s in sentences if s in text]
    assert not leaked, leaked[:3]


def test_a_plain_assessment_bank_left_in_the_course_stays_out_of_the_kit(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT, course, ignore=shutil.ignore_patterns(".git", "_build", ".venv", "private", "benchmarks"))
    (course / "assessment").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "course" / "assessment-source" / "02-role-of-military-diplomacy.yml",
                course / "assessment" / "02-role-of-military-diplomacy.yml")  # a maintainer's slip
    out, _ = write_kit(course, tmp_path / "kit.zip")
    with zipfile.ZipFile(out) as z:
        text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert "zebra" not in text and "a02-hotline-scenario" not in text
