"""Translate a catalog without copying its English: for translators who work in a text editor.

    python tools/po_work.py show locales/es/chapters/05-....ipynb.po > todo.json
        every message still to translate or review, numbered: {"n": 3, "context": ..., "en": ...}
    python tools/po_work.py fill locales/es/chapters/05-....ipynb.po answers.json
        answers.json is {"3": "the translation", ...}: each fills message n (and clears its
        fuzzy mark); a translation whose markup differs from the English is refused by number.

Poedit or Weblate do the same on the .po file directly; `coursekit translate check` checks either.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from coursekit.i18n import markup_problem, read_catalog, write_catalog  # noqa: E402


def entries(catalog):
    return [m for m in catalog if m.id]


def show(path: Path) -> int:
    catalog = read_catalog(path)
    todo = [{"n": n, "context": m.context, "en": m.id, **({"previous": m.string} if m.fuzzy and m.string else {})}
            for n, m in enumerate(entries(catalog)) if not m.string or m.fuzzy]
    print(json.dumps(todo, ensure_ascii=False, indent=1))
    print(f"{len(todo)} of {len(entries(catalog))} messages to translate or review", file=sys.stderr)
    return 0


def fill(path: Path, answers_file: Path) -> int:
    catalog = read_catalog(path)
    answers = json.loads(answers_file.read_text("utf-8"))
    all_entries, refused, filled = entries(catalog), [], 0
    for key, text in answers.items():
        n = int(key)
        if not 0 <= n < len(all_entries):
            refused.append(f"{n}: there is no message {n}")
            continue
        m = all_entries[n]
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
