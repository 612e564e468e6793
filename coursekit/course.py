"""The course's own settings, read in one place: the `coursekit:` section of the book's
`_config.yml`. The engine knows nothing of any particular course; everything it needs to
know (the course id every bank and submission carries, where the banks are, how a file
name gives a chapter number) comes from here.

    coursekit:
      course: military-diplomacy-latam   # the course id
      banks: chapters                    # practice banks, one per chapter (stem.yml beside stem.ipynb)
      assessment: assessment             # sealed assessment banks (stem.sealed), see sealed.py
      bibliography: references.bib       # perspectives' sources must be keys of this file
      chapter_stem: '^(?P<chapter>\\d{2})(?P<section>[a-z]?)-'   # 04a-... is chapter 4, section 1

A folder without such a file is still usable (an instructor's private bank elsewhere): its
banks must then say `course:` themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import UsageError, echo

CONFIG_FILE = "_config.yml"
SECTION = "coursekit"
DEFAULT_STEM = r"^(?P<chapter>\d{2})(?P<section>[a-z]?)-"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Course:
    root: Path | None = None  # the folder of _config.yml, or None when there is none
    id: str = ""  # empty: every bank must name its course
    banks: str = "chapters"
    assessment: str = "assessment"
    bibliography: str = ""
    chapter_stem: re.Pattern = field(default=re.compile(DEFAULT_STEM))
    settings: dict = field(default_factory=dict)  # the whole section, for later settings

    def path(self, relative: str) -> Path:
        return (self.root / relative) if self.root else Path(relative)

    @property
    def banks_dir(self) -> Path:
        return self.path(self.banks)

    @property
    def assessment_dir(self) -> Path:
        return self.path(self.assessment)

    @property
    def bibliography_file(self) -> Path | None:
        return self.path(self.bibliography) if self.bibliography else None

    def citations(self) -> dict[str, str]:
        """The bibliography's entries as author-year citations (see citation_labels)."""
        return citation_labels(self.bibliography_file)

    def number(self, stem: str) -> str | None:
        """"04a-joint-exercises" -> "4.1", "02-role" -> "2"; None for a stem that is no chapter."""
        match = self.chapter_stem.match(stem)
        if not match:
            return None
        chapter = str(int(match.group("chapter")))
        section = match.groupdict().get("section") or ""
        return f"{chapter}.{ord(section) - ord('a') + 1}" if section else chapter

    def is_chapter(self, stem: str) -> bool:
        return self.number(stem) is not None

    def select(self, stems: list[str], chapters: str | None) -> list[str]:
        """The chosen stems, in the order given (course order). `chapters` is a comma list of
        numbers: "2,5" (a chapter with its sections), "4.1" (one section); None or "all": every one."""
        known = [s for s in stems if self.is_chapter(s)]
        if chapters in (None, "", "all"):
            return known
        wanted: list[str] = []
        for part in str(chapters).split(","):
            part = part.strip()
            if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", part, re.ASCII):
                raise UsageError(f"--chapters: {echo(part)} is not a chapter number (use e.g. --chapters 2,5 or 4.1)")
            whole = str(int(part.split(".")[0])) + ("." + str(int(part.split(".")[1])) if "." in part else "")
            found = [s for s in known if self.number(s) == whole or ("." not in whole and
                                                                    self.number(s).split(".")[0] == whole)]
            if not found:
                raise UsageError(f"--chapters: there is no chapter {whole}")
            wanted.extend(s for s in found if s not in wanted)
        return wanted


@lru_cache(maxsize=8)
def citation_labels(bibliography: Path | None) -> dict[str, str]:
    """bibliography key -> an author-year citation: "Diamint 2015", "Adler and Barnett 1998",
    "Fuccille et al. 2014"; an organisation as author keeps its name. {} without a file."""
    if bibliography is None or not Path(bibliography).is_file():
        return {}
    from pybtex.database import parse_file  # read only when a view shows a perspective's sources
    from pybtex.richtext import Text

    def plain(latex: str) -> str:
        return Text.from_latex(latex).render_as("text")

    labels = {}
    for key, entry in parse_file(str(bibliography)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [plain(" ".join(p.last_names) or " ".join(p.first_names)) for p in people]
        if not names:
            names = [plain(str(entry.fields.get("institution") or entry.fields.get("organization")
                               or entry.fields.get("publisher") or key))]
        who = names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else f"{names[0]} et al."
        labels[key] = f"{who} {entry.fields.get('year', 'n.d.')}"
    return labels


def find_root(start: str | Path | None = None) -> Path | None:
    """The nearest folder, from `start` up, whose _config.yml has a coursekit section."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        config = folder / CONFIG_FILE
        if config.is_file() and _read_section(config) is not None:
            return folder
    return None


def _read_section(config: Path) -> dict | None:
    try:
        data = yaml.safe_load(config.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    section = data.get(SECTION) if isinstance(data, dict) else None
    return section if isinstance(section, dict) else None


@lru_cache(maxsize=16)
def _load(root: Path | None) -> Course:
    if root is None:
        return Course()
    section = _read_section(root / CONFIG_FILE) or {}
    course_id = str(section.get("course", ""))
    if course_id and not SLUG.match(course_id):
        raise UsageError(f"{root / CONFIG_FILE}: coursekit.course {echo(course_id)} must be lower-case "
                         "letters, digits and hyphens")
    try:
        stem = re.compile(str(section.get("chapter_stem", DEFAULT_STEM)))
    except re.error as exc:
        raise UsageError(f"{root / CONFIG_FILE}: coursekit.chapter_stem is not a regular expression: {exc}") from None
    return Course(root=root, id=course_id, banks=str(section.get("banks", "chapters")),
                  assessment=str(section.get("assessment", "assessment")),
                  bibliography=str(section.get("bibliography", "")), chapter_stem=stem, settings=dict(section))


def load_course(start: str | Path | None = None) -> Course:
    """The course that `start` (default: the working folder) belongs to; an empty Course if none."""
    return _load(find_root(start))


__all__ = ["Course", "load_course", "find_root", "citation_labels", "CONFIG_FILE"]
