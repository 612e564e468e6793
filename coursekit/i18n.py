"""Editions in other languages from one source: gettext catalogs over the English files.

The English files are the only source of structure. Each source file the book is built
from has, for every other language, one catalog `locales/<lang>/<file>.po` (for example
`locales/es/chapters/05-conflict-prevention-and-resolution.ipynb.po`) whose messages are:

- for a notebook or Markdown page, its text split at blank lines (a paragraph, a heading,
  a list, a directive's opening line); split and joined the same way, so a page comes back
  whole, with its markup, in the other language;
- for a question bank, every text a student reads, each with a context that names where it
  goes (`ch05-guarantors.options.2.text`): ids, types, objectives, levels, answers' structure
  and sources stay the English bank's, so a translated bank has the same questions by
  construction, and the answer of a choice question is its option by position;
- for `_config.yml` and `_toc.yml`, the book's title, footer and part captions.

`coursekit translate update` writes and merges the catalogs (an English text that changed
leaves its old translation marked fuzzy, for review); `coursekit translate check` names every
message that is missing, empty, fuzzy or whose markup (citations, cross-references, labels)
differs from the English, and fails; staging an edition refuses the same. So a change in the
English cannot ship a stale translation silently. The .po format is gettext's: Poedit, Weblate
and every translation tool read it.
"""
from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .errors import BuildError, UsageError, echo

LOCALES = "locales"
SOURCE_LANGUAGE = "en"
# A block is cut at a blank line; the separators are kept, so joining gives the text back.
_BLANK = re.compile(r"(\n[ \t]*\n\s*)")
_HAS_WORDS = re.compile(r"[^\W\d_]{2,}")  # a block with no word (a fence ``` or :::) is copied
# Markup a translation must carry unchanged: citations, document and section references,
# labels, figures and links. {term} targets are translated (the glossary is), so only counted.
_KEPT_MARKUP = re.compile(r"\{(?:cite|cite:p|cite:t|doc|ref|numref|download)\}`[^`]*`|^\([\w-]+\)=\s*$|\]\([^)\s]+\)"
                          r"|^:label:\s*\S+|^:::?\{?[\w-]*\}?|^```\{?[\w-]*\}?", re.M)
_TERM = re.compile(r"\{term\}`")


@dataclass(frozen=True)
class Language:
    code: str  # the edition's folder and the --language value: es
    name: str  # in its own language: Español
    sphinx: str  # Sphinx's language (its own strings, <html lang>): es, pt_BR
    draft: bool = False  # `status: draft`: catalogs still being filled; not built, not linked

    @property
    def html_lang(self) -> str:
        return self.sphinx.replace("_", "-")


def languages(course) -> list[Language]:
    """The course's editions from `coursekit: languages:` in _config.yml, English first."""
    configured = (course.settings or {}).get("languages") or {SOURCE_LANGUAGE: {"name": "English", "sphinx": "en"}}
    out = [Language(code, spec.get("name", code), spec.get("sphinx", code), spec.get("status") == "draft")
           for code, spec in configured.items()]
    if out[0].code != SOURCE_LANGUAGE:
        raise BuildError(f"_config.yml: coursekit: languages: must start with {SOURCE_LANGUAGE}, the source language")
    return out


def translations(course) -> list[Language]:
    return languages(course)[1:]


def published(course) -> list[Language]:
    """The editions `make book` builds and every page links to: English and each finished translation."""
    return [lang for lang in languages(course) if not lang.draft]


def current_language(course) -> Language:
    """The language of the book being built: the source's, or the one translate_tree wrote in."""
    return language(course, (course.settings or {}).get("language", SOURCE_LANGUAGE))


def language(course, code: str) -> Language:
    for lang in languages(course):
        if lang.code == code:
            return lang
    known = ", ".join(lang.code for lang in languages(course))
    raise UsageError(f"--language: {echo(code)} is not an edition of this course (it has {known})")


# --- what a source file says, as messages -------------------------------------------------

@dataclass(frozen=True)
class Message:
    context: str | None
    text: str
    where: str  # for the translator: "cell 4", "ch05-guarantors"


def split_blocks(text: str) -> list[str]:
    """Text and separators alternately: "a\\n\\nb" -> ["a", "\\n\\n", "b"]."""
    return _BLANK.split(text)


def translatable(block: str) -> bool:
    return bool(_HAS_WORDS.search(block))


def _prose_messages(text: str, where: str) -> Iterator[Message]:
    for block in split_blocks(text)[::2]:
        if translatable(block):
            yield Message(None, block, where)


def _is_prose_code(source: str) -> bool:
    """A code cell a reader reads words in (a comment, a label): translated; engine calls are not."""
    return "#" in source or bool(re.search(r"[\"'][^\"'\n]*\s[^\"'\n]*[\"']", source))


def notebook_messages(path: Path) -> Iterator[Message]:
    nb = json.loads(path.read_text("utf-8"))
    for number, cell in enumerate(nb["cells"], 1):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            yield from _prose_messages(source, f"cell {number}")
        elif cell["cell_type"] == "code" and _is_prose_code(source):
            yield Message("code", source, f"cell {number} (code: translate comments and labels only)")
        for context, holder, key in _figure_texts(cell):
            yield Message(context, holder[key], f"cell {number} (the figure's {context})")


# A figure's caption and alt text live in its cell's metadata (MyST-NB): readers read both.
FIGURE_TEXTS = (("caption", ("mystnb", "figure", "caption")), ("alt", ("mystnb", "image", "alt")))


def _figure_texts(cell: dict) -> Iterator[tuple[str, dict, str]]:
    for context, path in FIGURE_TEXTS:
        holder = cell.get("metadata", {})
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and isinstance(holder.get(path[-1]), str) and holder[path[-1]].strip():
            yield context, holder, path[-1]


def markdown_messages(path: Path) -> Iterator[Message]:
    yield from _prose_messages(path.read_text("utf-8"), path.name)


def _bank_fields(data: dict) -> Iterator[tuple[str, object, object]]:
    """(context, container, key) of every text a student reads in a bank."""
    yield "title", data, "title"
    for lo in data.get("objectives") or {}:
        yield f"objectives.{lo}", data["objectives"], lo
    for q in data.get("questions") or []:
        base = q["id"]
        for name in ("prompt", "feedback_correct", "feedback_incorrect", "explanation", "unit"):
            if isinstance(q.get(name), str):
                yield f"{base}.{name}", q, name
        if q.get("type") == "text" and isinstance(q.get("answer"), str):
            yield f"{base}.answer", q, "answer"
        if isinstance(q.get("feedback"), dict):
            for verdict in (True, False):
                if verdict in q["feedback"]:
                    yield f"{base}.feedback.{str(verdict).lower()}", q["feedback"], verdict
        for i, option in enumerate(q.get("options") or []):
            if isinstance(option, str):  # an option may be its text alone
                yield f"{base}.options.{i}.text", q["options"], i
                continue
            for name in ("text", "feedback"):
                if isinstance(option.get(name), str):
                    yield f"{base}.options.{i}.{name}", option, name
        for i in range(len(q.get("items") or [])):
            yield f"{base}.items.{i}", q["items"], i
        for i, pair in enumerate(q.get("pairs") or []):
            yield f"{base}.pairs.{i}.left", pair, "left"
            yield f"{base}.pairs.{i}.right", pair, "right"
    for d in data.get("discussions") or []:
        base = d["id"]
        yield f"{base}.prompt", d, "prompt"
        for i in range(len(d.get("guiding_questions") or [])):
            yield f"{base}.guiding_questions.{i}", d["guiding_questions"], i
        for i, p in enumerate(d.get("perspectives") or []):
            yield f"{base}.perspectives.{i}.title", p, "title"
            yield f"{base}.perspectives.{i}.text", p, "text"


ACCEPT_SEPARATOR = "\n"  # a text question's accepted answers are one message, one per line


def bank_messages(path: Path) -> Iterator[Message]:
    data = yaml.safe_load(path.read_text("utf-8"))
    for context, container, key in _bank_fields(data):
        value = container[key]
        if isinstance(value, str) and value.strip():
            yield Message(context, value, context.split(".")[0])
    for q in data.get("questions") or []:
        if q.get("type") == "text" and q.get("accept"):
            yield Message(f"{q['id']}.accept", ACCEPT_SEPARATOR.join(map(str, q["accept"])), q["id"])


CONFIG_FIELDS = (("title",), ("author",), ("html", "extra_footer"))


def config_messages(path: Path) -> Iterator[Message]:
    data = yaml.safe_load(path.read_text("utf-8"))
    for keys in CONFIG_FIELDS:
        value = data
        for k in keys:
            value = (value or {}).get(k)
        if isinstance(value, str) and value.strip():
            yield Message(".".join(keys), value, path.name)


def toc_messages(path: Path) -> Iterator[Message]:
    for i, part in enumerate(yaml.safe_load(path.read_text("utf-8")).get("parts") or []):
        if part.get("caption"):
            yield Message(f"parts.{i}.caption", part["caption"], path.name)


def toc_documents(root: Path) -> list[str]:
    """Every page of the book, as files relative to the root (the toc decides)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text("utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))
    for part in toc.get("parts") or []:
        walk(part.get("chapters"))
    files = []
    for name in names:
        for suffix in (".ipynb", ".md"):
            if (root / (name + suffix)).exists():
                files.append(name + suffix)
                break
        else:
            raise BuildError(f"_toc.yml: {name} has no .ipynb or .md file")
    return files


_INCLUDE = re.compile(r"^```\{include\}\s+(\S+)\s*$", re.M)


def included_files(root: Path, pages: list[str]) -> list[str]:
    """The Markdown files a page pulls in with an {include} directive (the sources appendix's
    per-chapter tables): their text is the page's, so it is translated too."""
    found = []
    for page in pages:
        if not page.endswith(".md"):
            continue
        for target in _INCLUDE.findall((root / page).read_text("utf-8")):
            relative = str((root / page).parent.joinpath(target).resolve().relative_to(root.resolve()))
            if relative.endswith(".md") and (root / relative).exists() and relative not in found + pages:
                found.append(relative)
    return found


def source_files(root: Path, course) -> list[str]:
    """Every English file an edition translates, relative to the root, in book order."""
    pages = toc_documents(root)
    files = ["_config.yml", "_toc.yml", *pages, *included_files(root, pages)]
    banks = course.path(course.banks)
    files += [str(p.relative_to(root)) for p in sorted(banks.glob("*.yml"))]
    files += [str(p.relative_to(root)) for p in sorted((root / INSTRUCTOR).glob("*/*.md"))]
    return files + [INTERFACE]


INSTRUCTOR = "instructor"  # the instructor edition's solutions, outlines and sources (editions.add_instructor_material)


INTERFACE = "coursekit"  # not a file: the engine's own strings (coursekit/ui.py), catalog locales/<code>/coursekit.po
UI_CONTEXT = "ui"


def messages_of(root: Path, relative: str) -> list[Message]:
    path = root / relative
    if relative == INTERFACE:
        from .ui import extract_messages

        found = [Message(UI_CONTEXT, text, "; ".join(where)) for text, where in extract_messages(root)]
    elif relative == "_config.yml":
        found = config_messages(path)
    elif relative == "_toc.yml":
        found = toc_messages(path)
    elif relative.endswith(".ipynb"):
        found = notebook_messages(path)
    elif relative.endswith(".md"):
        found = markdown_messages(path)
    else:
        found = bank_messages(path)
    unique, seen = [], set()
    for m in found:
        if (m.context, m.text) not in seen:
            seen.add((m.context, m.text))
            unique.append(m)
    return unique


# --- catalogs ------------------------------------------------------------------------------

def catalog_path(root: Path, code: str, relative: str) -> Path:
    return root / LOCALES / code / (relative + ".po")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, include_previous=True)
    path.write_bytes(buffer.getvalue())


def template(root: Path, relative: str, lang: Language) -> Catalog:
    catalog = Catalog(locale=lang.sphinx, project=relative, charset="utf-8", fuzzy=False,
                      header_comment=f"# {lang.name} translation of {relative}; the English file is the source.\n"
                                     "# Update with `coursekit translate update`, check with `coursekit translate check`.")
    for m in messages_of(root, relative):
        catalog.add(m.text, "", context=m.context, auto_comments=[m.where], locations=[(relative, None)])
    return catalog


def update_catalogs(root: Path, course, codes: list[str] | None = None, files: list[str] | None = None) -> list[str]:
    """Create or merge every catalog (of `files` under `root`; default: every file the editions
    translate) with the English as it is now; returns one line per file."""
    report = []
    for lang in translations(course):
        if codes and lang.code not in codes:
            continue
        for relative in files if files is not None else source_files(root, course):
            path = catalog_path(root, lang.code, relative)
            fresh = template(root, relative, lang)
            if path.exists():
                catalog = read_catalog(path)
                created = catalog.creation_date  # kept: a merge that changes nothing leaves the file as it was
                catalog.update(fresh, no_fuzzy_matching=False, update_header_comment=False)
                catalog.creation_date = created
            else:
                catalog = fresh
            catalog.fuzzy = False
            write_catalog(path, catalog)
            state = catalog_problems(root, lang.code, relative)
            report.append(f"{path.relative_to(root)}: {len(state)} to translate or review" if state
                          else f"{path.relative_to(root)}: complete")
    return report


def _markup(text: str) -> tuple[list[str], int]:
    return sorted(m.strip() for m in _KEPT_MARKUP.findall(text)), len(_TERM.findall(text))


def markup_problem(english: str, translated: str) -> str | None:
    """Why a translation breaks the page: markup that is not the English's. None when fine."""
    (kept_en, terms_en), (kept_tr, terms_tr) = _markup(english), _markup(translated)
    if kept_en != kept_tr:
        missing = [m for m in kept_en if m not in kept_tr] or [m for m in kept_tr if m not in kept_en]
        return f"markup differs from the English ({echo(missing[0] if missing else kept_en)})"
    if terms_en != terms_tr:
        return f"{terms_tr} glossary references, the English has {terms_en}"
    return None


def lookup(catalog: Catalog | None, message: Message) -> tuple[str | None, str | None]:
    """(translation, None) or (None, why it cannot be used)."""
    entry = catalog.get(message.text, context=message.context) if catalog is not None else None
    if entry is None or not entry.string:
        return None, "not translated"
    if entry.fuzzy:
        return None, "fuzzy: the English changed since it was translated; review it"
    problem = markup_problem(message.text, entry.string) if message.context in (None, "code") else None
    if message.context == UI_CONTEXT and sorted(_UI_SLOT.findall(message.text)) != sorted(_UI_SLOT.findall(entry.string)):
        problem = f"the {{placeholders}} differ from the English ({', '.join(sorted(_UI_SLOT.findall(message.text))) or 'none'})"
    if problem:
        return None, problem
    return entry.string, None


_UI_SLOT = re.compile(r"\{\w+\}")


def catalog_problems(root: Path, code: str, relative: str) -> list[str]:
    """One line per message of `relative` that an edition in `code` cannot use."""
    path = catalog_path(root, code, relative)
    catalog = read_catalog(path) if path.exists() else None
    problems = []
    for m in messages_of(root, relative):
        _, why = lookup(catalog, m)
        if why:
            shown = m.context or m.where
            problems.append(f"{path.relative_to(root)}: {shown}: {why}: {echo(m.text.splitlines()[0], 70)}")
    return problems


def check(root: Path, course, codes: list[str] | None = None, only: list[str] | None = None) -> list[str]:
    """Every message an edition cannot use, one line each ([] when all are translated)."""
    files = source_files(root, course)
    if only:
        unknown = [f for f in only if f not in files]
        if unknown:
            raise UsageError(f"{echo(unknown[0])} is not a file the editions translate (see coursekit translate check)")
        files = only
    problems = []
    for lang in translations(course):
        if not codes or lang.code in codes:
            for relative in files:
                problems += catalog_problems(root, lang.code, relative)
    return problems


# --- an edition in another language ------------------------------------------------------

class _Translator:
    def __init__(self, root: Path | None, code: str, relative: str, catalog: Catalog | None = None):
        """The catalog of `relative` in `code` under `root`, or the `catalog` given (a sealed one, opened in memory)."""
        if catalog is None and root is not None:
            path = catalog_path(root, code, relative)
            catalog = read_catalog(path) if path.exists() else None
        self.catalog, self.relative, self.problems = catalog, relative, []

    def __call__(self, text: str, context: str | None = None, where: str = "") -> str:
        translated, why = lookup(self.catalog, Message(context, text, where))
        if why:
            self.problems.append(f"{self.relative}: {context or where}: {why}")
            return text
        return translated

    def prose(self, text: str, where: str) -> str:
        parts = split_blocks(text)
        for i in range(0, len(parts), 2):
            if translatable(parts[i]):
                parts[i] = self(parts[i], None, where)
        return "".join(parts)


def _translate_notebook(path: Path, t: _Translator, language_code: str) -> None:
    nb = json.loads(path.read_text("utf-8"))
    for number, cell in enumerate(nb["cells"], 1):
        source = "".join(cell["source"])
        for context, holder, key in _figure_texts(cell):
            holder[key] = t(holder[key], context, f"cell {number}")
        if cell["cell_type"] == "markdown":
            new = t.prose(source, f"cell {number}")
        elif cell["cell_type"] == "code" and _is_prose_code(source):
            new = t(source, "code", f"cell {number}")
        else:
            continue
        cell["source"] = new.splitlines(keepends=True)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    for cell in nb["cells"]:  # outputs are the English run's: the build runs the edition again
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nb.setdefault("metadata", {})["language_info"] = nb.get("metadata", {}).get("language_info", {"name": "python"})
    nb["metadata"]["coursekit_language"] = language_code
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", "utf-8")


def _option_text(option) -> str:
    return option if isinstance(option, str) else option.get("text")


def _translate_bank(path: Path, t: _Translator) -> None:
    path.write_text(translate_bank_text(path.read_text("utf-8"), t), "utf-8")


def translate_bank_text(text: str, t: _Translator) -> str:
    """A bank's YAML in the translator's language; what cannot be translated is in t.problems."""
    data = yaml.safe_load(text)
    answers = {}
    for q in data.get("questions") or []:  # a choice's answer is its option, found by position
        texts = [_option_text(o) for o in q.get("options") or []]
        if q.get("type") == "single":
            answers[q["id"]] = texts.index(q["answer"])
        elif q.get("type") == "multiple":
            answers[q["id"]] = [texts.index(a) for a in q["answer"]]
    for context, container, key in _bank_fields(data):
        value = container[key]
        if isinstance(value, str) and value.strip():
            container[key] = t(value, context)
    for q in data.get("questions") or []:
        if q["id"] in answers:
            chosen = answers[q["id"]]
            texts = [_option_text(o) for o in q["options"]]
            if len(set(texts)) != len(texts):
                t.problems.append(f"{t.relative}: {q['id']}: two options have the same translation")
            q["answer"] = texts[chosen] if isinstance(chosen, int) else [texts[i] for i in chosen]
        if q.get("type") == "text" and q.get("accept"):
            english = [str(a) for a in q["accept"]]
            translated = t(ACCEPT_SEPARATOR.join(english), f"{q['id']}.accept").split(ACCEPT_SEPARATOR)
            # The English answers stay accepted: an answer grades the same in every edition.
            q["accept"] = list(dict.fromkeys([a.strip() for a in translated if a.strip()] + english))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _translate_config(path: Path, t: _Translator, lang: Language) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    for keys in CONFIG_FIELDS:
        holder = data
        for k in keys[:-1]:
            holder = holder.setdefault(k, {})
        if isinstance(holder.get(keys[-1]), str) and holder[keys[-1]].strip():
            holder[keys[-1]] = t(holder[keys[-1]], ".".join(keys))
    data.setdefault("coursekit", {})["language"] = lang.code
    data.setdefault("sphinx", {}).setdefault("config", {})["language"] = lang.sphinx
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), "utf-8")


def _translate_toc(path: Path, t: _Translator) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    for i, part in enumerate(data.get("parts") or []):
        if part.get("caption"):
            part["caption"] = t(part["caption"], f"parts.{i}.caption")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), "utf-8")


def translated_banks(root: Path, course, code: str, folder: Path) -> Path:
    """The course's practice banks in language `code`, written into `folder` (one file per bank,
    the English file names): what `coursekit export --language` exports. BuildError names every
    message that is missing or outdated."""
    lang = language(course, code)
    banks_dir = course.path(course.banks)
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for path in sorted(banks_dir.glob("*.yml")):
        relative = str(path.relative_to(root))
        t, target = _Translator(root, lang.code, relative), folder / path.name
        shutil.copy(path, target)
        _translate_bank(target, t)
        problems += t.problems
    if problems:
        raise BuildError(f"the {lang.name} banks have {len(problems)} untranslated or outdated messages "
                         f"(coursekit translate check --language {lang.code} lists them): {problems[0]}")
    return folder


def translate_tree(root: Path, stage: Path, course, code: str) -> None:
    """Rewrite the English files copied into `stage` in language `code`; refuses (BuildError,
    every problem named) when any message is missing, fuzzy or breaks its markup."""
    lang = language(course, code)
    problems = []
    for relative in source_files(root, course):
        t, target = _Translator(root, code, relative), stage / relative
        if relative == INTERFACE:  # nothing to rewrite: read at run time (ui.py), but it must be complete
            problems += [line.split(": ", 1)[1] for line in catalog_problems(root, code, relative)]
            continue
        if relative == "_config.yml":
            _translate_config(target, t, lang)
        elif relative == "_toc.yml":
            _translate_toc(target, t)
        elif relative.endswith(".ipynb"):
            _translate_notebook(target, t, code)
        elif relative.endswith(".md"):
            target.write_text(t.prose(target.read_text("utf-8"), target.name), "utf-8")
        else:
            _translate_bank(target, t)
        problems += t.problems
    if problems:
        shown = "\n".join(problems[:20]) + (f"\n... and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise BuildError(f"the {lang.name} edition has {len(problems)} untranslated or outdated messages "
                         f"(coursekit translate check --language {code} lists them):\n{shown}")
    shutil.rmtree(stage / LOCALES, ignore_errors=True)  # the edition carries only its interface strings
    interface = catalog_path(root, code, INTERFACE)
    (stage / LOCALES / code).mkdir(parents=True)
    shutil.copy(interface, catalog_path(stage, code, INTERFACE))


__all__ = ["Language", "languages", "translations", "published", "current_language", "language", "translated_banks",
           "update_catalogs", "check", "translate_tree",
           "catalog_problems", "source_files", "messages_of", "markup_problem", "LOCALES", "INTERFACE", "UI_CONTEXT"]
