"""The words of the interface in the reader's language: one catalog for Python and the script.

Every string a student or reader sees from the engine (buttons, hints, feedback, errors, the
export panel, the widgets) is written in English in the code, wrapped as `_("...")` in Python
and `T("...")` in static/coursekit.js, with named `{placeholders}` for what varies. The
translations live in locales/<code>/coursekit.po, made and merged by `coursekit translate
update` from those calls (extract_messages) and checked by `coursekit translate check` like
every other catalog, so a new or changed string fails the build of an edition until it is
translated. A page of a translated edition carries the script's part of the catalog as JSON
(script_table), so the browser needs no second copy of the strings.

The language is the course's: the English source, or the one a translated edition's staged
_config.yml names (`coursekit: language:`). Whoever loads the course for a reader (a chapter,
an exercise, the Sphinx extension) calls use_course(); until then it is English.
"""
from __future__ import annotations

import contextlib
import re
from functools import cache
from pathlib import Path

SOURCE = "en"
CATALOG = "coursekit.po"  # locales/<code>/coursekit.po
SCRIPT = "coursekit/static/coursekit.js"
_PACKAGE = Path(__file__).resolve().parent
_LOCALES = _PACKAGE.parent / "locales"
_state = {"code": SOURCE, "locales": _LOCALES, "html": SOURCE}

# _("..."), T("...") with a literal first argument, and the engine's modules they are read from
_PY_CALL = re.compile(r"""(?<![\w.])_\(\s*("(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*)""")
_JS_CALL = re.compile(r"""(?<![\w.])T\(\s*("(?:[^"\\\n]|\\.)*")""")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def use_course(course) -> None:
    """Speak the language of `course` (its settings' `language`, English when none)."""
    settings = getattr(course, "settings", None) or {}
    root = getattr(course, "root", None)
    code = settings.get("language", SOURCE)
    sphinx = ((settings.get("languages") or {}).get(code) or {}).get("sphinx", code)
    set_language(code, Path(root) / "locales" if root else None, html=sphinx.replace("_", "-"))


def set_language(code: str, locales: Path | None = None, *, html: str | None = None) -> None:
    """Speak `code` (its catalog from `locales`, when that folder has one); `html` is the page's
    <html lang> for it (pt: pt-BR), by default the code itself."""
    _state["code"] = code or SOURCE
    _state["html"] = html or _state["code"]
    if locales is not None and (locales / code / CATALOG).exists():
        _state["locales"] = locales


@contextlib.contextmanager
def speaking(code: str, locales: Path | None = None, *, html: str | None = None):
    """`with speaking("es", ...):` the engine speaks `code` inside, and what it spoke before after."""
    saved = dict(_state)
    set_language(code, locales, html=html)
    try:
        yield
    finally:
        _state.update(saved)


def html_lang() -> str:
    return _state["html"]


def language() -> str:
    return _state["code"]


@cache
def _table(locales: Path, code: str) -> dict[str, str]:
    from .i18n import read_catalog

    path = locales / code / CATALOG
    if code == SOURCE or not path.exists():
        return {}
    return {m.id: m.string for m in read_catalog(path) if m.id and m.string and not m.fuzzy}


def _(text: str, **values) -> str:
    """`text` in the current language, its {placeholders} filled from `values`."""
    translated = _table(_state["locales"], _state["code"]).get(text, text)
    if values:
        translated = _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0),
                                      translated)
    return translated


def _literal(source: str) -> str:
    import ast

    return ast.literal_eval("(" + source + ")")


@cache
def extract_messages(root: Path | None = None) -> list[tuple[str, list[str]]]:
    """Every interface string of the engine, in first-seen order, with where it is used:
    each `_("...")` in coursekit/*.py, each `T("...")` in the script, and the grader's
    messages and the import messages (grading.MESSAGES, importing.IMPORT_MESSAGES), which the
    script copies and translates where it uses them. With the course's `root`, also the
    course's own modules (root/*.py, such as its figures) and the data texts its figures show
    (`coursekit: translate_data:` in _config.yml, file -> columns)."""
    found: dict[str, list[str]] = {}

    def add(text: str, where: str) -> None:
        if text.strip():
            found.setdefault(text, [])
            if where not in found[text]:
                found[text].append(where)

    from .grading import MESSAGES
    from .importing import IMPORT_MESSAGES

    for table, module in ((MESSAGES, "coursekit/grading.py"), (IMPORT_MESSAGES, "coursekit/importing.py")):
        for text in table.values():
            add(text, module)
            add(text, SCRIPT)  # the script's copy (tests/test_js_constants.py keeps them equal)
    for path in sorted(p for p in _PACKAGE.rglob("*.py") if p.name != "ui.py"):
        relative = str(path.relative_to(_PACKAGE.parent))
        for m in _PY_CALL.finditer(path.read_text("utf-8")):
            add(_literal(m.group(1)), relative)
    for m in _JS_CALL.finditer((_PACKAGE.parent / SCRIPT).read_text("utf-8")):
        add(_literal(m.group(1)), SCRIPT)
    if root is not None:
        for path in sorted(Path(root).glob("*.py")):
            for m in _PY_CALL.finditer(path.read_text("utf-8")):
                add(_literal(m.group(1)), path.name)
        for relative, text in _data_texts(Path(root)):
            add(text, relative)
    return list(found.items())


def _data_texts(root: Path) -> list[tuple[str, str]]:
    import csv

    from .course import load_course

    out = []
    for relative, columns in ((load_course(root).settings or {}).get("translate_data") or {}).items():
        with (root / relative).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                out += [(relative, row[c]) for c in columns if row.get(c, "").strip()]
    return out


def script_table(root: Path | None = None, code: str | None = None) -> dict[str, str]:
    """The translations the script needs, for one page of a translated edition ({} in English)."""
    code = code or _state["code"]
    if code == SOURCE:
        return {}
    table = _table((root / "locales") if root else _state["locales"], code)
    return {text: table[text] for text, where in extract_messages() if SCRIPT in where and text in table}


__all__ = ["_", "use_course", "set_language", "speaking", "language", "html_lang", "extract_messages", "script_table", "CATALOG", "SOURCE"]
