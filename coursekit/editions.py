"""Two editions from one source: `coursekit book --edition student|instructor --out DIR`.

The student edition is the repository as it is (`jupyter-book build .`). The instructor
edition is built from a staged copy in which each exercise notebook gets its model
answers and scoring notes (instructor/solutions/<stem>.md, sphinx-exercise `solution`
blocks) after the matching exercise, and a part with an answer key per chapter is added
to the table of contents. Nothing is ever written back into the repository's notebooks,
so what a student opens in Jupyter or downloads from the student book has no answers.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

from .bank import load_banks, select_banks
from .course import load_course
from .errors import BuildError
from .keys import chapter_key_markdown
from .pdf import TOC_COPY
from .ui import _

SKIP = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ipynb_checkpoints",
        "private"}  # the instructor's own outputs (gradebooks, keys): never part of a book
SOLUTION_START = re.compile(r"^```\{solution\}\s+(\S+)\s*$", re.M)
EXERCISE_LABEL = re.compile(r"^:label:\s*(\S+)\s*$", re.M)


def solution_blocks(path: Path) -> dict[str, str]:
    """label of the exercise -> its complete ```{solution} ...``` block."""
    text = path.read_text("utf-8")
    blocks: dict[str, str] = {}
    for match in SOLUTION_START.finditer(text):
        end = text.find("\n```", match.end())
        if end < 0:
            raise BuildError(f"{path}: the solution for {match.group(1)} has no closing ```")
        blocks[match.group(1)] = text[match.start(): end + 4].strip() + "\n"
    return blocks


def add_solutions(notebook: Path, solutions: Path) -> int:
    """Insert each solution block after the exercise it answers; returns how many."""
    nb = nbformat.read(notebook, as_version=4)
    blocks = solution_blocks(solutions)
    inserted, cells = 0, []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "markdown" or "{exercise}" not in cell.source:
            continue
        label = EXERCISE_LABEL.search(cell.source)
        if label and label.group(1) in blocks:
            new = nbformat.v4.new_markdown_cell(blocks.pop(label.group(1)))
            new.id = f"solution-{label.group(1)}"[:64]
            cells.append(new)
            inserted += 1
    if blocks:
        raise BuildError(f"{solutions}: no exercise in {notebook.name} for {', '.join(sorted(blocks))}")
    nb.cells = cells
    nbformat.write(nb, notebook)
    return inserted


def _chapter_titles(root: Path) -> dict[str, str]:
    titles = {}
    for path in sorted((root / "chapters").glob("[0-9]*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
        match = re.search(r"^#\s+(.+)$", first, re.M)
        titles[path.stem] = match.group(1).strip() if match else path.stem
    return titles


SOURCES_PAGE = "sources-and-verification.md"


def add_instructor_sources(stage: Path) -> int:
    """The sources page of the instructor edition also lists the facts that appear only in
    model answers (instructor/sources/<stem>.md), each after its chapter's own section."""
    page = stage / SOURCES_PAGE
    if not page.exists():
        return 0
    text, added = page.read_text("utf-8"), 0
    for extra in sorted((stage / "instructor" / "sources").glob("*.md")):
        include = f"```{{include}} sources/{extra.stem}.md\n```\n"
        if include not in text:
            raise BuildError(f"{extra}: {SOURCES_PAGE} has no section sources/{extra.stem}.md to add it to")
        text = text.replace(include, include + f"\n```{{include}} instructor/sources/{extra.stem}.md\n```\n")
        added += 1
    page.write_text(text, "utf-8")
    return added


def stage_instructor_edition(root: Path, stage: Path) -> None:
    """Copy the project into `stage` and add the instructor-only material."""
    shutil.copytree(root, stage, ignore=lambda d, names: [n for n in names if n in SKIP], dirs_exist_ok=True)
    cache = root / "_build" / ".jupyter_cache"
    if cache.exists():  # executed notebooks are keyed by content: reuse them
        shutil.copytree(cache, stage / "_build" / ".jupyter_cache")
    add_instructor_material(stage)


def add_instructor_material(stage: Path) -> None:
    """Turn a staged copy (English, or translated by i18n.translate_tree) into the instructor
    edition: model answers after each exercise, a key page per chapter, the instructor part."""
    for solutions in sorted((stage / "instructor" / "solutions").glob("*.md")):
        notebook = stage / "exercises" / f"{solutions.stem}.ipynb"
        if not notebook.exists():
            raise BuildError(f"{solutions}: there is no exercises/{solutions.stem}.ipynb")
        add_solutions(notebook, solutions)
    add_instructor_sources(stage)
    titles = _chapter_titles(stage)
    keys = stage / "instructor" / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    entries = []
    course = load_course(stage)
    for bank in load_banks(select_banks(course.banks_dir, course=course), course=course):
        key = chapter_key_markdown(bank, titles.get(bank.chapter, bank.chapter), course.citations())
        outline = stage / "instructor" / "outlines" / f"{bank.chapter}.md"
        if outline.exists():  # the lecture outline closes the chapter's key page
            key = key.rstrip() + "\n\n" + outline.read_text("utf-8").strip() + "\n"
        (keys / f"{bank.chapter}.md").write_text(key, "utf-8")
        entries.append({"file": f"instructor/keys/{bank.chapter}"})
    (keys / "index.md").write_text(_("# Instructor edition") + "\n\n" + _(
        "Model answers and scoring notes follow each exercise in the *Exercises* part; "
        "the pages below give the key to every chapter quiz, the authors' perspectives on every "
        "discussion and a lecture outline for a 90-minute session. Do not publish this edition where "
        "students can reach it.") + "\n", "utf-8")
    toc_path = stage / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text("utf-8"))
    toc["parts"].append({"caption": _("Instructor"), "numbered": False,
                         "chapters": [{"file": "instructor/keys/index", "sections": entries}]})
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True), "utf-8")
    config_path = stage / "_config.yml"
    config = yaml.safe_load(config_path.read_text("utf-8"))
    config["title"] = _("{title} (Instructor edition)", title=config["title"])
    config.setdefault("coursekit", {})["edition"] = "instructor"  # its own book: no language switcher (switcher.py)
    config["exclude_patterns"] = [p for p in config.get("exclude_patterns", []) if p != "instructor"] + [
        "instructor/solutions", "instructor/outlines"]  # both are copied into other pages above
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")


def _sync(fresh: Path, stage: Path) -> None:
    """Make `stage` hold exactly `fresh`'s files (its own _build kept), rewriting only files that
    changed: Sphinx then re-reads only the pages whose translation changed."""
    wanted = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    for old in [p for p in stage.rglob("*") if p.is_file() and p.relative_to(stage).parts[0] != "_build"]:
        if old.relative_to(stage) not in wanted:
            old.unlink()
    for relative in sorted(wanted):
        source, target = fresh / relative, stage / relative
        if target.exists() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def build_translation(root: Path, code: str, out: Path, *, edition: str = "student", strict: bool = True) -> Path:
    """Build the student or instructor edition in language `code` into `out`: the project is
    copied, every English file replaced by its translation (i18n.translate_tree, which refuses
    any missing or outdated message), and built in a stage kept under _build/editions/ (in
    private/ for the instructor edition) so that its executed notebooks and Sphinx environment
    are reused by the next build."""
    from . import ui
    from .i18n import SOURCE_LANGUAGE, language, translate_tree

    course = load_course(root)
    lang = language(course, code)
    if lang.code == SOURCE_LANGUAGE:
        raise BuildError(f"{code} is the source language: build it with jupyter-book build . (make book)")
    stage = (root / "_build" / "editions" / lang.code if edition == "student"
             else root / "private" / "editions" / f"instructor-{lang.code}")  # keys never sit in _build
    with tempfile.TemporaryDirectory(prefix=f"coursekit-{lang.code}-") as tmp:
        fresh = Path(tmp) / "book"
        shutil.copytree(root, fresh, ignore=lambda d, names: [n for n in names if n in SKIP])
        translate_tree(root, fresh, course, lang.code)
        if edition == "instructor":
            with ui.speaking(lang.code, fresh / "locales", html=lang.html_lang):
                add_instructor_material(fresh)
        stage.mkdir(parents=True, exist_ok=True)
        _sync(fresh, stage)
    return _build_and_copy(stage, f"{lang.name} ({lang.code}) {edition}", out, edition, strict)


def _build_and_copy(source: Path, name: str, out: Path, edition: str, strict: bool) -> Path:
    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    flags = ["-W", "-n", "--keep-going"] if strict else []
    run = subprocess.run([jupyter_book, "build", str(source), *flags], capture_output=True, text=True)
    if run.returncode != 0:
        tail = "\n".join((run.stdout + run.stderr).splitlines()[-25:])
        raise BuildError(f"the {name} edition did not build:\n{tail}")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source / "_build" / "html", out)
    (out / MARKER).write_text(f"{edition}\n", "utf-8")
    shutil.copy(source / "_toc.yml", out / TOC_COPY)  # the edition's page order, for printing
    return out


def build(root: Path, edition: str, out: Path, *, strict: bool = True) -> Path:
    """Build an edition and copy its HTML to `out`. Returns `out`."""
    with tempfile.TemporaryDirectory(prefix=f"coursekit-{edition}-") as tmp:
        source = root
        if edition == "instructor":
            source = Path(tmp) / "book"
            stage_instructor_edition(root, source)
        return _build_and_copy(source, edition, out, edition, strict)


MARKER = ".coursekit-edition"  # written into every edition folder: only such folders are replaced


def out_problem(root: Path, out: Path) -> str | None:
    """Why `out` must not be (re)written: it would delete course files."""
    if out == root or out in root.parents:
        return "--out would replace the course folder itself"
    if out.exists() and not out.is_dir():
        return f"--out {out} is a file"
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        return f"--out {out} is a folder with other files in it; give a new folder (an earlier edition is fine)"
    return None


__all__ = ["build", "build_translation", "stage_instructor_edition", "add_solutions", "solution_blocks", "out_problem", "MARKER"]
