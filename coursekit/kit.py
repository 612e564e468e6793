"""The student kit: the course folder students open in Jupyter, with nothing of the instructor's.

`coursekit student-kit` (or `make student-kit`) writes one zip with the chapters, their
practice banks, the exercises, the data, the engine and what installs it, and leaves out
everything else. It is built from an allow-list, not by deleting what is known to be
secret: a new private folder added to the course later stays out of the kit until someone
decides it belongs there. The test (tests/test_kit.py) searches the kit for every model
answer and every assessment key.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import yaml

from .course import CONFIG_FILE, load_course
from .errors import UsageError

# Never in a kit, whatever the allow-list below would let in.
NEVER = ("instructor", "private", "assessment", "tests", ".git", "_build", ".venv")
ENGINE_FILES = ("requirements.txt", "pyproject.toml", "README.md", "LICENSE", CONFIG_FILE, "_toc.yml")
PAGE_SUFFIXES = (".ipynb", ".md", ".yml")  # a toc entry's notebook or page, and a chapter's practice bank
START_HERE = """# Start here

This is the course folder for Jupyter. Install it once, then open the chapters:

    python3 -m venv .venv
    .venv/bin/pip install -r requirements.txt
    .venv/bin/jupyter lab

Open a notebook in chapters/ and choose Run > Run All Cells. Your answers are saved on this
computer as you go; Export my work (at the end of each chapter) writes the file your
instructor asks for. Nothing you write is sent anywhere.
"""


def _toc_files(root: Path) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text("utf-8"))
    files = [toc.get("root")] if toc.get("root") else []

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def _includes(page: Path) -> list[str]:
    """Files a Markdown page pulls in with an {include} directive."""
    if page.suffix != ".md":
        return []
    return re.findall(r"^```\{include\}\s+(\S+)\s*$", page.read_text("utf-8"), re.M)


def kit_files(root: Path) -> list[Path]:
    """Every file the kit holds, relative to `root`, in a stable order."""
    root = Path(root)
    course = load_course(root)
    chosen: set[Path] = set()
    for name in ENGINE_FILES:
        if (root / name).is_file():
            chosen.add(Path(name))
    if course.bibliography_file and course.bibliography_file.is_file():
        chosen.add(course.bibliography_file.relative_to(root))
    for entry in _toc_files(root):
        for suffix in PAGE_SUFFIXES:
            path = root / f"{entry}{suffix}"
            if path.is_file():
                chosen.add(path.relative_to(root))
                chosen.update(Path(inc) for inc in _includes(path) if (root / inc).is_file())
    for folder in ("coursekit", "data"):
        chosen.update(p.relative_to(root) for p in (root / folder).rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc"))
    chosen.update(p.relative_to(root) for p in root.glob("*.py") if p.name not in ("conftest.py", "setup.py"))
    return sorted(p for p in chosen if not set(p.parts) & set(NEVER))


def write_kit(root: str | Path, out: str | Path) -> tuple[Path, int]:
    root, out = Path(root).resolve(), Path(out)
    if not (root / "_toc.yml").is_file():
        raise UsageError(f"{root}: not a course folder (no _toc.yml)")
    files = kit_files(root)
    top = load_course(root).id or root.name
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as kit:
        for rel in files:
            kit.write(root / rel, f"{top}/{rel.as_posix()}")
        kit.writestr(f"{top}/START-HERE.md", START_HERE)
    partial.replace(out)  # a half-written kit never has the final name
    return out, len(files)


__all__ = ["kit_files", "write_kit", "NEVER"]
