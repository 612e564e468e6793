"""Translate a catalog without copying its English: for translators who work in a text editor.

    python tools/po_work.py show locales/es/chapters/05-....ipynb.po > todo.txt
        every message still to translate or review, numbered, as blocks:
            @@ 3 <context>
            the English text, as many lines as it has
    python tools/po_work.py fill locales/es/chapters/05-....ipynb.po answers.txt
        answers.txt holds blocks in the same layout, each with the translation under its
        "@@ n" line (the context after the number is ignored); each fills message n and
        clears its fuzzy mark; a translation whose markup differs from the English is refused
        by number. A file ending in .json ({"3": "the translation", ...}) is read as JSON.

The text layout needs no escaping, so multi-line blocks (lists, tables, code) are typed as they
are. Poedit or Weblate do the same on the .po file directly; `coursekit translate check`
checks either.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from coursekit.i18n import markup_problem, read_catalog, write_catalog  # noqa: E402

BLOCK_HEAD = re.compile(r"^@@ (\d+)(?: .*)?$", re.M)


def entries(catalog):
    return [m for m in catalog if m.id]


def show(path: Path) -> int:
    catalog = read_catalog(path)
    todo = [(n, m) for n, m in enumerate(entries(catalog)) if not m.string or m.fuzzy]
    for n, m in todo:
        print(f"@@ {n} {m.context or ''}".rstrip())
        print(m.id)
        if m.fuzzy and m.string:
            print(f"@@ previous translation of {n}, to review:")
            print(m.string)
    print(f"{len(todo)} of {len(entries(catalog))} messages to translate or review", file=sys.stderr)
    return 0


def read_answers(answers_file: Path) -> dict[int, str]:
    text = answers_file.read_text("utf-8")
    if answers_file.suffix == ".json":
        return {int(k): v for k, v in json.loads(text).items()}
    heads = list(BLOCK_HEAD.finditer(text))
    answers = {}
    for head, after in zip(heads, heads[1:] + [None]):
        body = text[head.end() + 1: after.start() if after else len(text)]
        answers[int(head.group(1))] = body.rstrip("\n")
    return answers


def fill(path: Path, answers_file: Path) -> int:
    catalog = read_catalog(path)
    all_entries, refused, filled = entries(catalog), [], 0
    for n, text in read_answers(answers_file).items():
        if not 0 <= n < len(all_entries):
            refused.append(f"{n}: there is no message {n}")
            continue
        m = all_entries[n]
        if not text.strip():
            refused.append(f"{n}: the translation is empty")
            continue
        text = text.rstrip("\n") + m.id[len(m.id.rstrip("\n")):]  # the English's final newlines
        problem = markup_problem(m.id, text) if m.context in (None, "code") else None
        if problem:
            refused.append(f"{n}: {problem}")
            continue
        m.string, filled = text, filled + 1
        m.flags.discard("fuzzy")
        m.previous_id = []
    write_catalog(path, catalog)
    left = sum(1 for m in all_entries if not m.string or m.fuzzy)
    print(f"{path}: filled {filled}; {left} still to translate or review")
    for line in refused:
        print(f"refused {line}")
    return 1 if refused else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "show":
        sys.exit(show(Path(sys.argv[2])))
    if len(sys.argv) == 4 and sys.argv[1] == "fill":
        sys.exit(fill(Path(sys.argv[2]), Path(sys.argv[3])))
    print(__doc__)
    sys.exit(2)
