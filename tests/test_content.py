"""Content checks: structure, originality, assessment, citations, glossary and sources.

Fast and static: notebooks are read as JSON (cell sources only, never outputs) and no
kernel is started. Every check goes through a small helper, and the helpers are also
tested on synthetic text, so that each check is shown to be able to fail.

The source article lives outside the repository, in the course's shared folder beside the
clone (../shared/source-article.txt); COURSE_ARTICLE overrides the path. Without it the
checks that need it fail with a message that says where to put it.
"""
from __future__ import annotations

import functools
import json
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from coursekit.bank import load_bank, load_banks
from coursekit.model import LEVELS

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = Path(os.environ.get("COURSE_ARTICLE",
                              Path(__file__).resolve().parents[2] / "shared" / "source-article.txt"))
N_COPY = 12  # no run of this many article words may appear in the course
QUESTION_TYPES = {"single", "multiple", "truefalse", "text", "numeric", "matching", "ordering"}
MEASURABLE_VERBS = {
    "analyse", "analyze", "apply", "assess", "calculate", "categorise", "categorize", "classify",
    "compare", "construct", "contrast", "critique", "define", "describe", "design", "differentiate",
    "distinguish", "evaluate", "examine", "explain", "formulate", "identify", "illustrate",
    "interpret", "justify", "list", "locate", "name", "outline", "place", "predict", "propose",
    "recall", "recognise", "recognize", "recommend", "summarise", "summarize", "trace", "use",
    "verify",
}


# --------------------------------------------------------------------------- reading

def read_notebook(path: Path) -> dict:
    """Notebooks may be rewritten while the tests run: retry a half-written file."""
    for attempt in range(5):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            if attempt == 4:
                raise
            time.sleep(0.5)


def cell_text(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def notebook_sources(path: Path, kind: str | None = None) -> str:
    """All cell sources (optionally only one cell type), never outputs."""
    cells = read_notebook(path)["cells"]
    return "\n\n".join(cell_text(c) for c in cells if kind is None or c["cell_type"] == kind)


def h1(path: Path) -> str:
    for line in notebook_sources(path, "markdown").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def toc() -> dict:
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def toc_entries():
    """(file, parent file or None) for every entry of _toc.yml, in order."""
    out = []
    for part in toc().get("parts", []):
        for entry in part.get("chapters", []):
            out.append((entry["file"], None))
            for sec in entry.get("sections", []):
                out.append((sec["file"], entry["file"]))
    return out


def authoring_titles() -> dict[str, str]:
    """stem -> article section title, from the table in docs/authoring.md."""
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\|\s*`(\d\d[a-z]?-[a-z0-9-]+)`\s*\|\s*([^|]+?)\s*\|", text, re.M))


TITLES = authoring_titles()
CHAPTER_STEMS = [Path(f).name for f, _ in toc_entries() if f.startswith("chapters/")]
SECTION_STEMS = [s for s in CHAPTER_STEMS if re.match(r"^\d\d[a-z]-", s)]
EXERCISE_STEMS = [Path(f).name for f, _ in toc_entries() if f.startswith("exercises/")]
ARTICLE_SECTION_TITLES = [t for s, t in TITLES.items() if not s.startswith("01-")]


def chapter_path(stem: str) -> Path:
    return ROOT / "chapters" / f"{stem}.ipynb"


def bank_path(stem: str) -> Path:
    return ROOT / "chapters" / f"{stem}.yml"


def raw_bank(stem: str) -> dict:
    return yaml.safe_load(bank_path(stem).read_text(encoding="utf-8"))


def bank_strings(data, skip=("id", "objective", "type", "chapter", "shuffle", "tolerance", "suggested_words")):
    """Every text a reader can see in a bank (values, not keys or ids)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k in skip:
                continue
            yield from bank_strings(v, skip)
    elif isinstance(data, list):
        for v in data:
            yield from bank_strings(v, skip)
    elif data is not None and not isinstance(data, bool):
        yield str(data)


def require_article():
    if not ARTICLE.exists():
        pytest.fail(f"source article not found at {ARTICLE}: put the shared folder beside the clone "
                    "or set COURSE_ARTICLE to the article's path")
    return ARTICLE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- helpers

def article_headings(article: str, titles) -> list[str]:
    """The article's section headings: lines equal (case-insensitively) to a known title."""
    wanted = {t.strip().lower(): t for t in titles}
    return [wanted[line.strip().lower()] for line in article.splitlines() if line.strip().lower() in wanted]


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


@functools.lru_cache(maxsize=4)
def article_ngrams(article: str, n: int = N_COPY) -> frozenset:
    a = tokens(article)
    return frozenset(tuple(a[i:i + n]) for i in range(len(a) - n + 1))


def copied_runs(text: str, article: str, titles=(), n: int = N_COPY) -> list[str]:
    """Runs of n+ words shared with the article. Section titles may be kept: the text is cut
    at every occurrence of a title, so that no run can pass through one."""
    grams = article_ngrams(article, n)
    words = tokens(text)
    cut = [False] * len(words)
    for title in titles:
        t = tokens(title)
        for i in range(len(words) - len(t) + 1):
            if words[i:i + len(t)] == t:
                for j in range(i, i + len(t)):
                    cut[j] = True
    runs, i = [], 0
    while i <= len(words) - n:
        window = words[i:i + n]
        if not any(cut[i:i + n]) and tuple(window) in grams:
            runs.append(" ".join(window))
            i += n
        else:
            i += 1
    return runs


ROLE_RE = re.compile(r"\{(?P<name>[a-z:+-]+)\}`(?P<body>[^`]*)`")
CITE_RE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
TERM_RE = re.compile(r"\{term\}`([^`]+)`")
YEAR_RE = re.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d)(?!\d|s\b|'s\b|\u2019s\b)")


def cite_keys(text: str) -> list[str]:
    return [k.strip() for body in CITE_RE.findall(text) for k in body.split(",") if k.strip()]


def term_targets(text: str) -> list[str]:
    out = []
    for body in TERM_RE.findall(text):
        m = re.match(r"^(.*?)\s*<([^<>]+)>\s*$", body)
        out.append((m.group(2) if m else body).strip())
    return out


def glossary_entries(text: str) -> list[list[str]]:
    """Entries of the {glossary} directive: each the list of its term lines (synonyms)."""
    m = re.search(r"^```\{glossary\}[^\n]*\n(.*?)^```", text, re.S | re.M)
    if not m:
        return []
    entries: list[list[str]] = []
    in_terms = False
    for line in m.group(1).splitlines():
        if not line.strip():
            in_terms = False
        elif line[0].isspace():
            in_terms = False  # the definition
        elif line.startswith(":") and not entries:
            continue  # a directive option such as :sorted:
        else:
            if not in_terms:
                entries.append([])
                in_terms = True
            entries[-1].append(line.strip())
    return entries


def strip_citations(text: str) -> str:
    return CITE_RE.sub(" ", text)


def years(text: str) -> set[str]:
    """Four-digit years 1800-2099 stated in text (not inside citation keys, not decades)."""
    return set(YEAR_RE.findall(strip_citations(text)))


def missing_years(text: str, sources_page: str) -> set[str]:
    page = re.sub(r"\]\(<?[^)>]*>?\)", "]", strip_citations(sources_page))  # link targets are not text
    return {y for y in years(text) if not re.search(rf"(?<!\d){y}(?!\d)", page)}


def plain_words(markdown: str) -> int:
    """Words of prose: roles reduced to their text (citations dropped), no markup."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = CITE_RE.sub(" ", text)
    text = ROLE_RE.sub(lambda m: re.sub(r"\s*<[^>]*>\s*$", "", m.group("body")), text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return len(re.findall(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'’\-]*", text))


def sections(nb: dict):
    """[(heading or None, [cells])]: cells grouped under the last '## ' heading seen."""
    groups = [(None, [])]
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            heads = [line[3:].strip() for line in cell_text(cell).splitlines() if line.startswith("## ")]
            if heads:
                groups.append((heads[0], [cell]))
                continue
        groups[-1][1].append(cell)
    return groups


def anatomy_problems(nb: dict, discussion_ids: set[str]) -> list[str]:
    """Everything missing from a chapter notebook's required anatomy."""
    problems = []
    groups = sections(nb)

    def group(prefix):
        return next((cells for h, cells in groups if h and h.lower().startswith(prefix.lower())), None)

    for required in ("Learning objectives", "Case study", "Key terms", "Summary",
                     "Check your understanding", "Discussion", "Further reading"):
        if group(required) is None:
            problems.append(f"no '## {required}' heading")
    keys = group("Key terms")
    if keys is not None:
        n = sum(len(TERM_RE.findall(cell_text(c))) for c in keys if c["cell_type"] == "markdown")
        if n < 3:
            problems.append(f"Key terms has {n} {{term}} links (needs 3)")
    quiz = group("Check your understanding")
    if quiz is not None:
        code = [c for c in quiz if c["cell_type"] == "code"]
        if not code or "chapter.quiz()" not in cell_text(code[0]):
            problems.append("'Check your understanding' is not followed by a chapter.quiz() cell")
    disc = group("Discussion")
    if disc is not None:
        ids = [i for c in disc if c["cell_type"] == "code"
               for i in re.findall(r"chapter\.discussion\(\s*['\"]([^'\"]+)['\"]", cell_text(c))]
        if len(ids) < 2:
            problems.append(f"Discussion has {len(ids)} chapter.discussion() calls (needs 2)")
        for i in ids:
            if i not in discussion_ids:
                problems.append(f"discussion id {i!r} is not in the bank")
    reading = group("Further reading")
    if reading is not None:
        n = sum(len(re.findall(r"\{cite:t\}`", cell_text(c))) for c in reading if c["cell_type"] == "markdown")
        if n < 2:
            problems.append(f"Further reading has {n} {{cite:t}} entries (needs 2)")
    # exposition: markdown before the case study, without headings and the objectives section
    words = 0
    for h, cells in groups:
        if h and h.lower().startswith("case study"):
            break
        if h and h.lower().startswith(("learning objectives", "key terms")):
            continue
        for c in cells:
            if c["cell_type"] == "markdown":
                body = "\n".join(line for line in cell_text(c).splitlines() if not line.lstrip().startswith("#"))
                words += plain_words(body)
    if words < 900:
        problems.append(f"exposition has {words} words (needs 900)")
    # tags
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        src, tags = cell_text(c), c.get("metadata", {}).get("tags", [])
        if "Chapter(" in src and "remove-cell" not in tags:
            problems.append("the setup cell is not tagged remove-cell")
        if re.search(r"chapter\.(quiz|discussion|objectives|export_panel)\(", src) and "remove-input" not in tags:
            problems.append(f"cell {src.strip()[:40]!r} is not tagged remove-input")
    return problems


def objective_verb_ok(objective: str) -> bool:
    first = re.findall(r"[A-Za-z]+", objective)
    return bool(first) and first[0].lower() in MEASURABLE_VERBS


def bank_problems(stem: str, data: dict, regional: set[str] | None = None) -> list[str]:
    """The course's assessment rules for one bank; `regional` is the set of bib keys of
    Latin American and Caribbean scholarship (default: read from references.bib)."""
    regional = regional_bib_keys() if regional is None else regional
    problems = []
    questions = data.get("questions") or []
    minimum = 6 if re.match(r"^\d\d[a-z]-", stem) else 8
    if len(questions) < minimum:
        problems.append(f"{len(questions)} questions (needs {minimum})")
    types = {q.get("type") for q in questions}
    if len(types) < 4:
        problems.append(f"{len(types)} question types (needs 4)")
    if stem.startswith("01-") and not QUESTION_TYPES <= types:
        problems.append(f"the 01 bank lacks types {sorted(QUESTION_TYPES - types)}")
    objectives = data.get("objectives") or {}
    if len(objectives) < 3:
        problems.append(f"{len(objectives)} objectives (needs 3)")
    for key, text in objectives.items():
        if not objective_verb_ok(str(text)):
            problems.append(f"objective {key} does not start with a measurable verb: {str(text)[:40]!r}")
    per = Counter(q.get("objective") for q in questions)
    for key in objectives:
        if per[key] < 2:
            problems.append(f"objective {key} is assessed by {per[key]} question(s) (needs 2)")
    for q in questions:
        n = len(str(q.get("explanation", "")).split())
        if n < 12:
            problems.append(f"question {q.get('id')} has a {n}-word explanation (needs 12)")
    discussions = data.get("discussions") or []
    if len(discussions) < 2:
        problems.append(f"{len(discussions)} discussions (needs 2)")
    for d in discussions:
        if len(d.get("perspectives") or []) < 2:
            problems.append(f"discussion {d.get('id')} has fewer than 2 perspectives")
    problems += level_problems(questions, objectives)
    problems += perspective_problems(discussions, regional)
    return problems


HIGHER_SHARE = 0.4  # at least this share of a chapter's questions at apply or above
# An objective with one of these verbs is assessed by two questions at this level or above.
VERB_LEVEL = {"analyse": "analyse", "analyze": "analyse", "compare": "analyse",
              "evaluate": "evaluate", "assess": "evaluate", "judge": "evaluate"}
PERSPECTIVE_WORDS = 80


def level_problems(questions: list[dict], objectives: dict) -> list[str]:
    problems = []
    rank = {name: i for i, name in enumerate(LEVELS)}
    for q in questions:
        if q.get("level") not in rank:
            problems.append(f"question {q.get('id')} has no level (one of {', '.join(LEVELS)})")
    higher = sum(1 for q in questions if rank.get(q.get("level"), 0) >= rank["apply"])
    if questions and higher / len(questions) < HIGHER_SHARE:
        problems.append(f"{higher} of {len(questions)} questions at apply or above (needs {HIGHER_SHARE:.0%})")
    for key, text in objectives.items():
        verb = (re.findall(r"[A-Za-z]+", str(text)) or [""])[0].lower()
        if verb in VERB_LEVEL:
            needed = VERB_LEVEL[verb]
            n = sum(1 for q in questions if q.get("objective") == key
                    and rank.get(q.get("level"), -1) >= rank[needed])
            if n < 2:
                problems.append(f"objective {key} ({verb}) is assessed by {n} question(s) at {needed} or above (needs 2)")
    years_asked = [q.get("id") for q in questions if re.match(r"\s*in (which|what) year", str(q.get("prompt", "")), re.I)]
    if len(years_asked) > 1:
        problems.append(f"{len(years_asked)} 'In which year' questions (at most 1): {', '.join(years_asked)}")
    return problems


def perspective_problems(discussions: list[dict], regional: set[str]) -> list[str]:
    """Each perspective is a cited voice of some length; one per chapter draws on the region's
    own scholarship (bib entries with an `authorship` field)."""
    problems, chapter_keys = [], set()
    for d in discussions:
        for p in d.get("perspectives") or []:
            where = f"discussion {d.get('id')}, perspective {str(p.get('title'))[:40]!r}"
            n = len(str(p.get("text", "")).split())
            if n < PERSPECTIVE_WORDS:
                problems.append(f"{where} has {n} words (needs {PERSPECTIVE_WORDS})")
            keys = p.get("sources") or []
            if not keys:
                problems.append(f"{where} cites no sources")
            chapter_keys.update(keys)
    if discussions and not chapter_keys & regional:
        problems.append("no perspective cites Latin American or Caribbean scholarship (a bib entry with `authorship`)")
    return problems



# --------------------------------------------------------------------------- no question twice, no case twice

PROMPT_STOPWORDS = frozenset([
    "the", "a", "an", "of", "in", "and", "to", "which", "what", "did", "was", "were", "is", "are",
    "for", "on", "by", "with", "from", "that", "this", "its", "it", "as", "at", "be", "or", "who",
    "whose", "how", "most", "best", "these", "those", "put", "order",
])


def content_words(text) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+|\d+", str(text).lower()) if w not in PROMPT_STOPWORDS and len(w) > 2}


def overlap(a: set, b: set) -> float:
    return len(a & b) / max(1, len(a | b))


def answer_words(q: dict) -> set[str]:
    kind = q.get("type")
    if kind == "ordering":
        return content_words(" ".join(map(str, q.get("items") or [])))
    if kind == "matching":
        return content_words(" ".join(f"{p.get('left')} {p.get('right')}" for p in q.get("pairs") or []))
    if kind == "multiple":
        return content_words(" ".join(map(str, q.get("answer") or [])))
    if kind == "text":
        return content_words(" ".join(map(str, q.get("accept") or [])))
    if kind == "single":
        return content_words(q.get("answer"))
    return set()


def same_question(a: dict, b: dict) -> bool:
    """Two questions ask the same thing: the same number for a like prompt, or the same answer
    (options chosen, items ordered, pairs matched) for a like prompt. Generic prompts such as
    "Put these in order" alone do not make two questions the same."""
    if a.get("type") != b.get("type"):
        return False
    prompts = overlap(content_words(a.get("prompt")), content_words(b.get("prompt")))
    if a.get("type") == "numeric":
        return a.get("answer") == b.get("answer") and prompts >= 0.3
    if a.get("type") == "truefalse":
        return prompts >= 0.6
    return overlap(answer_words(a), answer_words(b)) >= 0.6 and prompts >= 0.25


def repeated_questions(banks: dict[str, dict]) -> list[str]:
    found = []
    items = [(stem, q) for stem, data in banks.items() for q in data.get("questions") or []]
    for i, (s1, a) in enumerate(items):
        for s2, b in items[i + 1:]:
            if s1 != s2 and same_question(a, b):
                found.append(f"{a.get('id')} ({s1}) and {b.get('id')} ({s2})")
    return found


def test_no_question_is_asked_in_two_chapters():
    repeated = repeated_questions({stem: raw_bank(stem) for stem in CHAPTER_STEMS})
    assert not repeated, "the same question in two chapters: " + "; ".join(repeated)


def test_repeat_check_can_fail():
    year = {"type": "numeric", "prompt": "In which year was the Inter-American Defense Board founded?", "answer": 1942}
    year2 = dict(year, prompt="In what year was the Inter-American Defense Board created?")
    other_year = dict(year, prompt="In which year did Brazil and Argentina sign the Guadalajara agreement?")
    order1 = {"type": "ordering", "prompt": "Put these events in order.", "items": ["Rio Treaty", "OAS Charter", "Tlatelolco"]}
    order2 = {"type": "ordering", "prompt": "Put these events in order.", "items": ["UNASUR", "PROSUR", "CELAC"]}
    found = repeated_questions({"03": {"questions": [dict(year, id="a"), dict(order1, id="c")]},
                                "07": {"questions": [dict(year2, id="b"), dict(other_year, id="x"),
                                                     dict(order2, id="d")]}})
    assert found == ["a (03) and b (07)"]


# The cases the first edition told in several chapters; each may be one chapter's main case only.
RECURRING_CASES = ["cenepa", "cruz del sur", "rio treaty", "abacc", "unasur", "minustah", "haiti"]


def case_study_titles() -> dict[str, str]:
    titles = {}
    for stem in CHAPTER_STEMS:
        for line in notebook_sources(chapter_path(stem), "markdown").splitlines():
            if re.match(r"^## Case study:", line):
                titles[stem] = line.split(":", 1)[1].strip()
    return titles


def case_problems(titles: dict[str, str]) -> list[str]:
    problems = []
    seen = Counter(" ".join(sorted(content_words(t))) for t in titles.values())
    problems += [f"two chapters have the case study {t!r}" for t in titles.values()
                 if seen[" ".join(sorted(content_words(t)))] > 1]
    for name in RECURRING_CASES:
        holders = [stem for stem, t in titles.items() if name in t.lower()]
        if len(holders) > 1 and not (name == "haiti" and len(holders) == 2 and _distinct_haiti(titles, holders)):
            problems.append(f"{name!r} is the main case of {len(holders)} chapters: {', '.join(holders)}")
    return problems


def _distinct_haiti(titles: dict[str, str], holders: list[str]) -> bool:
    """Haiti may carry two cases that are different events: the 2010 relief and the 2023 mission."""
    years_of = [set(re.findall(r"\b(?:19|20)\d\d\b", titles[s])) for s in holders]
    return all(years_of) and not (years_of[0] & years_of[1])


def test_every_chapter_has_its_own_case_study():
    titles = case_study_titles()
    assert set(titles) == set(CHAPTER_STEMS), sorted(set(CHAPTER_STEMS) - set(titles))
    problems = case_problems(titles)
    assert not problems, "; ".join(problems)


def test_case_check_can_fail():
    problems = " | ".join(case_problems({"01": "The Cenepa war", "05": "The Cenepa war and the guarantors",
                                         "07": "Espacio Lejano", "08": "Espacio lejano",
                                         "09": "Haiti's 2010 earthquake relief", "11": "The mission in Haiti (2023)"}))
    assert "'cenepa' is the main case of 2 chapters: 01, 05" in problems
    assert "two chapters have the case study 'Espacio Lejano'" in problems
    assert "haiti" not in problems

# --------------------------------------------------------------------------- the article and the order

def test_article_sections_have_notebooks_in_article_order():
    article = require_article()
    found = article_headings(article, ARTICLE_SECTION_TITLES)
    assert sorted(found) == sorted(ARTICLE_SECTION_TITLES), "every title of docs/authoring.md is a line of the article, once"
    title_to_stem = {t.lower(): s for s, t in TITLES.items()}
    article_order = [title_to_stem[t.lower()] for t in found]
    toc_order = [s for s in CHAPTER_STEMS if not s.startswith("01-")]
    assert toc_order == article_order
    assert CHAPTER_STEMS[0].startswith("01-"), "the introduction comes first"
    for stem in article_order:
        assert chapter_path(stem).exists(), stem
        assert h1(chapter_path(stem)).lower() == TITLES[stem].lower(), stem
    first_line = next(line for line in article.splitlines() if line.strip())
    assert first_line.strip().lower() in h1(chapter_path(CHAPTER_STEMS[0])).lower()


def test_subsections_are_sections_of_their_chapter():
    parents = {Path(f).name: (Path(p).name if p else None) for f, p in toc_entries()}
    lettered = [s for s in TITLES if re.match(r"^\d\d[a-z]-", s)]
    assert len(lettered) == 4
    for stem in lettered:
        parent = parents.get(stem)
        assert parent is not None and parent.startswith(stem[:2] + "-"), f"{stem} is not nested under chapter {stem[:2]}"
    nested = [s for s, p in parents.items() if p]
    assert sorted(nested) == sorted(lettered), "only the four article subsections are sections"


def test_exercise_for_every_chapter_in_toc():
    chapters = [s for s in CHAPTER_STEMS if re.match(r"^\d\d-", s)]
    assert [s[:2] for s in chapters] == [f"{i:02d}" for i in range(1, 12)]
    for stem in chapters:
        assert (ROOT / "exercises" / f"{stem}.ipynb").exists(), stem
        assert stem in EXERCISE_STEMS, f"exercises/{stem} is not in _toc.yml"
    # One exercise per chapter, in chapter order, then the capstone that spans the course, last.
    assert EXERCISE_STEMS == chapters + ["capstone"], EXERCISE_STEMS


# --------------------------------------------------------------------------- originality

def copy_check_files() -> list[Path]:
    files = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "chapters").glob("*.yml"))
    files += sorted((ROOT / "exercises").glob("*.ipynb"))
    files += [ROOT / "intro.md", ROOT / "glossary.md", ROOT / "syllabus.md"]
    files += sorted((ROOT / "instructor").rglob("*.md"))
    return files


@pytest.mark.parametrize("path", copy_check_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_copied_run_from_the_article(path):
    article = require_article()
    text = notebook_sources(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    titles = [*TITLES.values(), next(line for line in article.splitlines() if line.strip())]
    runs = copied_runs(text, article, titles)
    assert not runs, f"{len(runs)} run(s) of {N_COPY}+ article words, first: {runs[0]!r}"


def test_copy_check_can_fail():
    article = ("Military diplomacy helps neighbours talk. It builds trust across borders through regular "
               "staff talks and shared exercises every single year.\n\nA Section Title Here\n")
    copied = "As the source says, it builds trust across borders through regular staff talks and shared exercises."
    assert copied_runs(copied, article) == ["it builds trust across borders through regular staff talks and shared exercises"]
    assert copied_runs("it builds trust across borders through regular staff talks and shared", article) == []  # 11 words
    # a title may be kept, and a run cannot pass through it
    long_title = "it builds trust across borders through regular staff talks and shared exercises"
    assert copied_runs("Heading: " + long_title + ". New text.", article, titles=[long_title]) == []


# --------------------------------------------------------------------------- chapter anatomy

@pytest.mark.parametrize("stem", CHAPTER_STEMS)
def test_chapter_anatomy(stem):
    nb = read_notebook(chapter_path(stem))
    ids = {d.get("id") for d in (raw_bank(stem).get("discussions") or [])}
    problems = anatomy_problems(nb, ids)
    assert not problems, f"{stem}: " + "; ".join(problems)


def test_anatomy_check_can_fail():
    def md(s):
        return {"cell_type": "markdown", "metadata": {}, "source": s}

    def code(s, tags):
        return {"cell_type": "code", "metadata": {"tags": tags}, "source": s, "outputs": []}

    nb = {"cells": [md("# T"), code("chapter = Chapter('x')", []), md("## Learning objectives"),
                    md("## Part\n\n" + "word " * 50), md("## Case study: x"), md("## Key terms\n\n- {term}`a`"),
                    md("## Summary"), md("## Check your understanding"), code("chapter.quiz()", []),
                    md("## Discussion"), code('chapter.discussion("d-1")', ["remove-input"]),
                    md("## Further reading\n\n- {cite:t}`k`")]}
    problems = " | ".join(anatomy_problems(nb, {"d-1"}))
    for words in ("1 {term} links", "1 chapter.discussion", "1 {cite:t}", "exposition has 50 words",
                  "not tagged remove-cell", "'chapter.quiz()' is not tagged remove-input"):
        assert words in problems, words


# --------------------------------------------------------------------------- banks

@pytest.mark.parametrize("stem", CHAPTER_STEMS)
def test_bank_meets_the_assessment_rules(stem):
    load_bank(bank_path(stem))  # valid on its own
    problems = bank_problems(stem, raw_bank(stem))
    assert not problems, f"{stem}: " + "; ".join(problems)


def test_all_banks_validate_together():
    banks = load_banks(sorted((ROOT / "chapters").glob("*.yml")))  # raises BankError on any problem
    assert len(banks) == len(CHAPTER_STEMS)


def test_bank_check_can_fail():
    data = {"objectives": {"LO1": "Understand the region.", "LO2": "Explain a thing."},
            "questions": [{"id": "q1", "type": "single", "objective": "LO2", "explanation": "Too short."}],
            "discussions": [{"id": "d1", "perspectives": [{"title": "a", "text": "b"}]}]}
    problems = " | ".join(bank_problems("01-x", data, regional=set()))
    for words in ("1 questions (needs 8)", "1 question types", "lacks types", "2 objectives",
                  "LO1 does not start with a measurable verb", "LO1 is assessed by 0", "2-word explanation",
                  "1 discussions", "fewer than 2 perspectives", "question q1 has no level",
                  "0 of 1 questions at apply or above", "has 1 words (needs 80)", "cites no sources",
                  "no perspective cites Latin American"):
        assert words in problems, words
    good_text = "word " * 80
    data = {"objectives": {"LO1": "Evaluate the claim.", "LO2": "Analyse the case."},
            "questions": [{"id": "y1", "objective": "LO1", "level": "evaluate", "prompt": "In which year was it?"},
                          {"id": "y2", "objective": "LO2", "level": "analyse", "prompt": "In what year did it end?"},
                          {"id": "r1", "objective": "LO1", "level": "remember", "prompt": "Who?"}],
            "discussions": [{"id": "d1", "perspectives": [{"title": "a", "text": good_text, "sources": ["k1"]}]}]}
    problems = " | ".join(level_problems(data["questions"], data["objectives"])
                          + perspective_problems(data["discussions"], {"k1"}))
    assert "objective LO1 (evaluate) is assessed by 1 question(s) at evaluate" in problems
    assert "objective LO2 (analyse) is assessed by 1 question(s) at analyse" in problems
    assert "2 'In which year' questions (at most 1): y1, y2" in problems
    assert "at apply or above" not in problems and "perspective" not in problems  # 2 of 3 is enough; cited
    assert objective_verb_ok("Analyse the crisis.") and not objective_verb_ok("Know the dates.")


# --------------------------------------------------------------------------- citations

def cited_files() -> list[Path]:
    files = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
    files += sorted(ROOT.glob("*.md")) + sorted((ROOT / "instructor").rglob("*.md"))
    return [f for f in files if f.name != "README.md"]


def bib_entries() -> dict[str, str]:
    """key -> the entry's text, for every entry of references.bib."""
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"^@\w+\s*\{\s*([^,\s]+)\s*,", text, re.M)]
    return {key: text[a:b] for (a, key), (b, _) in zip(starts, starts[1:] + [(len(text), "")])}


@functools.lru_cache(maxsize=1)
def regional_bib_keys() -> frozenset:
    return frozenset(k for k, entry in bib_entries().items()
                     if re.search(r"^\s*authorship\s*=\s*\{(latin-american|caribbean)\}", entry, re.M))


def bib_keys() -> set[str]:
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", (ROOT / "references.bib").read_text(encoding="utf-8")))


def file_text(path: Path) -> str:
    return notebook_sources(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")


def test_every_citation_resolves():
    keys = bib_keys()
    bad = {f"{p.relative_to(ROOT)}: {k}" for p in cited_files() for k in cite_keys(file_text(p)) if k not in keys}
    assert not bad, sorted(bad)


@pytest.mark.parametrize("stem", CHAPTER_STEMS)
def test_chapter_cites_two_sources(stem):
    keys = set(cite_keys(notebook_sources(chapter_path(stem), "markdown")))
    assert len(keys) >= 2, f"{stem} cites {sorted(keys)}"


def test_every_bib_entry_is_cited_in_the_course():
    """The bibliography page lists every entry (`:all:`), so an entry no chapter or exercise
    cites would appear without ever being used. The sources page does not count here:
    it cites what the chapters rely on, so it cannot justify an entry on its own."""
    used = {k for p in cited_files() if p.name != "sources-and-verification.md" for k in cite_keys(file_text(p))}
    assert not bib_keys() - used, sorted(bib_keys() - used)


def test_citation_helper_can_fail():
    text = "See {cite}`a1,b2` and {cite:t}`c3`, {cite:p}`d4`; not `e5` nor {term}`f6`."
    assert cite_keys(text) == ["a1", "b2", "c3", "d4"]


# --------------------------------------------------------------------------- glossary

def glossary_text() -> str:
    return (ROOT / "glossary.md").read_text(encoding="utf-8")


def book_files() -> list[Path]:
    files = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
    return files + [p for p in sorted(ROOT.glob("*.md")) if p.name != "README.md"]


def test_glossary_is_large_enough():
    terms = [t for e in glossary_entries(glossary_text()) for t in e]
    assert len(terms) >= 40, len(terms)
    assert len({t.lower() for t in terms}) == len(terms), "duplicate glossary terms"


def test_every_term_role_resolves():
    terms = {t.lower() for e in glossary_entries(glossary_text()) for t in e}
    bad = {f"{p.relative_to(ROOT)}: {t}" for p in book_files() for t in term_targets(file_text(p))
           if t.lower() not in terms}
    assert not bad, sorted(bad)


def test_every_glossary_term_is_used_by_a_chapter():
    used = {t.lower() for p in sorted((ROOT / "chapters").glob("*.ipynb"))
            for t in term_targets(notebook_sources(p, "markdown"))}
    unused = [e[0] for e in glossary_entries(glossary_text()) if not any(t.lower() in used for t in e)]
    assert not unused, unused


def test_glossary_helpers_can_fail():
    text = "```{glossary}\n:sorted:\nAlpha\n  First.\n\nBeta\nB\n  Second.\n```\n"
    assert glossary_entries(text) == [["Alpha"], ["Beta", "B"]]
    assert term_targets("{term}`alphas <Alpha>` and {term}`Gamma`") == ["Alpha", "Gamma"]


# --------------------------------------------------------------------------- dates and their sources

def sources_page() -> str:
    """The student edition's sources page: the page and the chapter sections it includes."""
    page = (ROOT / "sources-and-verification.md").read_text(encoding="utf-8")
    included = re.findall(r"^```\{include\}\s+(\S+)\s*$", page, re.M)
    return page + "\n" + "\n".join((ROOT / name).read_text(encoding="utf-8") for name in included)


def test_sources_page_includes_a_section_per_chapter_and_no_model_answer_facts():
    page = (ROOT / "sources-and-verification.md").read_text(encoding="utf-8")
    included = re.findall(r"^```\{include\}\s+(\S+)\s*$", page, re.M)
    assert [f"sources/{stem}.md" for stem in CHAPTER_STEMS] == included
    assert "(solution)" not in sources_page() and "instructor/" not in sources_page()


@pytest.mark.parametrize("stem", CHAPTER_STEMS)
def test_every_year_is_in_the_sources_page(stem):
    text = notebook_sources(chapter_path(stem), "markdown") + "\n" + "\n".join(bank_strings(raw_bank(stem)))
    missing = missing_years(text, sources_page())
    assert not missing, f"{stem}: years not in sources-and-verification.md: {sorted(missing)}"


def test_year_check_can_fail():
    page = "| Rio Treaty signed 1947 | 03 | {cite}`oas1948charter` [x](<https://e.org/1999/>) |"
    text = "Signed in 1947, in force 1948; see {cite}`oas1995santiago`; in the 1980s; 1999; res. 1542."
    assert years(text) == {"1947", "1948", "1999"}  # not the key's 1995, the decade or 1542
    assert missing_years(text, page) == {"1948", "1999"}  # a key or a link target is not a source


# --------------------------------------------------------------------------- sources of record, syllabus, outlines

# An encyclopedia or its mirror is never a source of record (issue 8): none may appear as a check.
ENCYCLOPEDIA = re.compile(r"wikipedia|wikisource|wikiwand|wikimedia|britannica|encyclop|osmarks|infogalactic|"
                          r"dbpedia|everybodywiki|academic-accelerator|alchetron|kiddle|newworldencyclopedia", re.I)


def source_record_files() -> list[Path]:
    return ([ROOT / "sources-and-verification.md"] + sorted((ROOT / "sources").glob("*.md"))
            + sorted((ROOT / "instructor" / "sources").glob("*.md")) + [ROOT / "data" / "README.md"])


def encyclopedia_lines(text: str) -> list[str]:
    return [line.strip()[:100] for line in text.splitlines() if ENCYCLOPEDIA.search(line)]


def test_no_encyclopedia_or_mirror_is_a_source():
    bad = [f"{p.relative_to(ROOT)}: {line}" for p in source_record_files() for line in encyclopedia_lines(p.read_text("utf-8"))]
    assert not bad, "\n".join(bad)


def test_encyclopedia_check_can_fail():
    assert encyclopedia_lines("| a | b | checked: en.wikipedia.org/wiki/X |\n| c | d | OAS record |") == [
        "| a | b | checked: en.wikipedia.org/wiki/X |"]
    assert encyclopedia_lines("infogalactic.com and Britannica\nosmarks.net") == ["infogalactic.com and Britannica", "osmarks.net"]


def weight_column_total(markdown: str) -> float | None:
    """The sum of the "Weight (%)" column of the first table that has one, or None."""
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and "Weight (%)" in cells:
            col, total = cells.index("Weight (%)"), 0.0
            for row in lines[i + 2:]:
                if not row.lstrip().startswith("|"):
                    break
                value = [c.strip() for c in row.strip().strip("|").split("|")][col]
                number = re.search(r"\d+(?:\.\d+)?", value.replace("*", ""))
                if number and not re.search(r"total", row, re.I):
                    total += float(number.group())
            return total
    return None


def test_syllabus_comes_before_the_chapters_and_its_weights_sum_to_100():
    files = [f for f, _ in toc_entries()]
    assert "syllabus" in files, "syllabus.md is not in _toc.yml"
    first_chapter = next(i for i, f in enumerate(files) if f.startswith("chapters/"))
    assert files.index("syllabus") < first_chapter, "the syllabus must come before the chapters"
    text = (ROOT / "syllabus.md").read_text("utf-8")
    for part in ("learning outcomes", "week", "assessment"):
        assert part in text.lower(), part
    assert weight_column_total(text) == 100, weight_column_total(text)


def test_weight_check_can_fail():
    table = "| Part | Weight (%) |\n|---|---|\n| Quizzes | 30 |\n| Essay | 60 |\n| **Total** | **90** |\n"
    assert weight_column_total(table) == 90
    assert weight_column_total("no table") is None


OUTLINE_HEADINGS = ("## Lecture outline", "### Key points", "### A 90-minute session",
                    "### Questions that start the best discussion")


def outline_problems(text: str) -> list[str]:
    problems = [f"no {h!r}" for h in OUTLINE_HEADINGS if h not in text]
    session = text.split("### A 90-minute session", 1)[-1].split("\n### ", 1)[0]
    minutes = [int(m) for m in re.findall(r"^\|\s*(\d+)\s*(?:min(?:utes)?)?\s*\|", session, re.M)]
    if sum(minutes) != 90:
        problems.append(f"the session's minutes sum to {sum(minutes)} (needs 90)")
    return problems


@pytest.mark.parametrize("stem", CHAPTER_STEMS)
def test_every_chapter_has_a_lecture_outline(stem):
    path = ROOT / "instructor" / "outlines" / f"{stem}.md"
    assert path.exists(), f"no {path.relative_to(ROOT)}"
    problems = outline_problems(path.read_text("utf-8"))
    assert not problems, f"{stem}: " + "; ".join(problems)


def test_outline_check_can_fail():
    text = "## Lecture outline\n### A 90-minute session\n| Minutes | Activity |\n|---|---|\n| 30 | Talk |\n| 20 min | Quiz |\n"
    problems = " | ".join(outline_problems(text))
    assert "no '### Key points'" in problems and "sum to 50 (needs 90)" in problems
