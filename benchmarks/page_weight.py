"""What 20 real course questions cost a reader, gzipped, beside jupyterquiz in the same run.

The 20 questions are the first twenty of the fixture course's chapters 1 and 2
(tests/fixtures/course: frozen copies of first-edition banks, so the figure does not move
when the course is edited); all seven types are among them.

text         every text a reader gets: prompts, options, feedback, explanations, accepted
             answers, items, pairs, units, joined and gzipped: the floor any quiz must carry
repeat view  our quiz markup as the book serves it (the static HTML of the notebook output),
             gzipped: what every further page view costs, with the scripts cached
first view   repeat view + coursekit.js + coursekit.css as the book serves them (each file
             gzipped on its own, as three responses)
jupyterquiz  display_quiz's output for the same questions (benchmarks/jupyterquiz_mapping.py):
             its HTML, styles and JavaScript, which it inlines into every output, gzipped

Aims (the engine issue): repeat view at most 1.25 x text; first view at most 0.9 x
jupyterquiz. Prints a table; exit 0 whatever the result.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
FIXTURE_CHAPTERS = ROOT / "tests" / "fixtures" / "course" / "chapters"
AIM_REPEAT, AIM_FIRST = 1.25, 0.9


def gz(data: bytes | str) -> int:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def questions():
    from coursekit.bank import load_bank

    banks = [load_bank(FIXTURE_CHAPTERS / f"{stem}.yml") for stem in
             ("01-introduction", "02-role-of-military-diplomacy")]
    chosen = [q for b in banks for q in b.questions][:20]
    return banks[0], chosen


def reader_text(qs) -> str:
    """Every text of the questions once (the answer fields repeat an option, a pair or an item)."""
    from coursekit.serialize import to_json

    skip = {"id", "type", "objective", "level", "shuffle", "tolerance", "answer"}
    texts = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in skip:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value:
            texts.append(value)
    for q in qs:
        data = to_json(q)
        walk(data)
        if q.type == "numeric":
            texts.append(str(data["answer"]))
    return "\n".join(texts)


def served_assets() -> tuple[int, int]:
    """gzip bytes of coursekit.js and coursekit.css as the book serves them."""
    from coursekit.sphinx_ext import served_static

    files = served_static()
    return gz(files["coursekit.js"]), gz(files["coursekit.css"])


def jupyterquiz_bytes(qs) -> int:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz
    from jupyterquiz_mapping import to_jq

    InteractiveShell.instance()
    with capture_output() as captured:
        display_quiz([to_jq(q) for q in qs])
    payload = "".join(o.data.get("text/html", "") + o.data.get("application/javascript", "")
                      for o in captured.outputs)
    return gz(payload)


def main() -> None:
    from coursekit.static_view import render_quiz

    bank, qs = questions()
    html = render_quiz(bank, "practice", qs)
    text_gz = gz(reader_text(qs))
    repeat = gz(html)
    js, css = served_assets()
    first = repeat + js + css
    jq = jupyterquiz_bytes(qs)
    types = sorted({q.type for q in qs})
    print(f"page_weight: {len(qs)} questions ({', '.join(types)}), gzip -9 bytes")
    print(f"{'':<34}{'bytes':>9}{'ratio':>9}")
    print(f"{'text the reader gets':<34}{text_gz:>9,}")
    print(f"{'repeat view (quiz markup)':<34}{repeat:>9,}{repeat / text_gz:>9.2f}  x text (aim <= {AIM_REPEAT})")
    print(f"{'  coursekit.js as served':<34}{js:>9,}")
    print(f"{'  coursekit.css as served':<34}{css:>9,}")
    print(f"{'first view (markup + js + css)':<34}{first:>9,}{first / jq:>9.2f}  x jupyterquiz (aim <= {AIM_FIRST})")
    print(f"{'jupyterquiz output':<34}{jq:>9,}{jq / text_gz:>9.2f}  x text")
    met = repeat <= AIM_REPEAT * text_gz and first <= AIM_FIRST * jq
    print(f"aims: {'MET' if met else 'MISSED'} (repeat {repeat / text_gz:.2f} x text, first {first / jq:.2f} x jupyterquiz)")
    print(json.dumps({"text": text_gz, "repeat": repeat, "js": js, "css": css, "first": first, "jupyterquiz": jq}))


if __name__ == "__main__":
    main()
