"""nbval is a real test: it fails when a bank breaks or when the quiz rendering changes.

The notebooks themselves are collected by nbval through `testpaths` (chapters/, exercises/);
these tests run nbval on copies that are broken on purpose."""
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, copy_course_settings

pytestmark = pytest.mark.notebook

STEM = "01-introduction"


def _nbval(directory):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         f"{STEM}.ipynb"], cwd=directory, capture_output=True, text=True, timeout=600)


@pytest.fixture
def chapter_copy(tmp_path):
    for suffix in (".ipynb", ".yml"):
        shutil.copy(ROOT / "chapters" / f"{STEM}{suffix}", tmp_path)
    copy_course_settings(tmp_path)
    return tmp_path


def test_unbroken_copy_passes(chapter_copy):
    run = _nbval(chapter_copy)
    assert 0 == run.returncode, run.stdout[-2000:]


def test_broken_bank_fails_nbval(chapter_copy):
    bank = chapter_copy / f"{STEM}.yml"
    text = bank.read_text("utf-8")
    broken = text.replace("type: single", "type: essay", 1)
    assert broken != text
    bank.write_text(broken, "utf-8")
    run = _nbval(chapter_copy)
    assert 0 != run.returncode
    assert "unknown type 'essay'" in run.stdout


def test_changed_rendering_fails_nbval(chapter_copy):
    """A valid bank whose quiz renders differently from the stored output must fail."""
    import yaml

    bank = chapter_copy / f"{STEM}.yml"
    data = yaml.safe_load(bank.read_text("utf-8"))
    data["questions"][0]["prompt"] += " (reworded)"
    bank.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    run = _nbval(chapter_copy)
    assert 0 != run.returncode
    assert "(reworded)" in run.stdout  # nbval shows the differing quiz HTML


def test_every_notebook_has_stored_outputs_to_compare():
    """A notebook saved without outputs would pass nbval whatever it showed."""
    import nbformat

    displays = ("chapter.quiz()", "chapter.discussion(", "chapter.objectives()", "chapter.export_panel()", "_figure(")
    for path in sorted((ROOT / "chapters").glob("[0-9]*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        shown = [c for c in nb.cells if c.cell_type == "code" and any(d in c.source for d in displays)]
        assert len(shown) >= 5, path.name
        for cell in shown:
            assert any("text/html" in o.get("data", {}) or "image/png" in o.get("data", {}) for o in cell.outputs), \
                (path.name, cell.source)
    for path in sorted((ROOT / "exercises").glob("[0-9]*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert not code or any(c.outputs for c in code), path.name
