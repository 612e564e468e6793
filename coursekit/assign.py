"""Assignments: `coursekit assign --chapters 2,5 [--count N] [--seed S] --out DIR`.

DIR/student/     assignment.html (one self-contained page: any browser, any static host or
                 an LMS; no network), assignment.ipynb (the same in Jupyter) and
                 assignment.json, the questions WITHOUT any key. Both are in assessment
                 mode: answers are recorded, nothing is graded or revealed.
DIR/instructor/  key.md and key.html (the answer key), assignment.gift (Moodle) and
                 assignment-qti.zip (Canvas) with the same questions.

The same banks, chapters, count and seed always give the same assignment. Students'
exported files are graded with `coursekit grade --assignment DIR/student/assignment.json`.

With a roster (`--roster roster.csv`, columns name and identifier) every student gets a variant
of their own, drawn per (chapter, objective) and with shuffled options, from the seed and the
student's identifier: DIR/student/<identifier-slug>/ holds that student's three files (the
manifest's id is `<assignment id>-v<slug>`), DIR/instructor/variants.json lists every variant
(grade with `coursekit grade --assignment DIR/instructor/variants.json`), and key.md and
key.html give every variant's key, one section each.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import math
import random
import re
from pathlib import Path

from .bank import load_banks, select_banks
from .chapter import Chapter
from .course import load_course
from .errors import AssignmentError, UnknownQuestionType, echo
from .gradebook import ColumnGroup
from .grading import strip_accents
from .keys import key_html, key_markdown, variants_key_html, variants_key_markdown
from .markup import e, json_for_script
from .model import LEVELS, Bank, Question
from .serialize import from_public_json, public_json
from .ui import _, html_lang, script_table

MANIFEST_FORMAT = "coursekit-assignment"
MANIFEST_VERSION = 1
VARIANTS_FORMAT = "coursekit-variants"
VARIANTS_VERSION = 1
VARIANT_SLUG_LENGTH = 40


def _months() -> tuple[str, ...]:
    return (_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"), _("August"),
            _("September"), _("October"), _("November"), _("December"))


def _weekdays() -> tuple[str, ...]:
    return (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"))


def parse_due(due: str | None) -> datetime.date | None:
    """`--due 2027-03-15`: a real calendar date, written YYYY-MM-DD, or an AssignmentError."""
    if due is None:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", due, flags=re.ASCII):
            raise ValueError
        return datetime.date.fromisoformat(due)
    except (TypeError, ValueError):
        raise AssignmentError(f"--due {echo(due)} is not a date: give it as YYYY-MM-DD, such as 2027-03-15") from None


def due_text(day: datetime.date) -> str:
    """"Monday 15 March 2027", whatever the machine's locale, in the reader's language."""
    return _("{weekday} {day} {month} {year}", weekday=_weekdays()[day.weekday()], day=day.day,
             month=_months()[day.month - 1], year=day.year)


def parse_levels(levels: str | None) -> tuple[str, ...]:
    """`--levels apply,analyse,evaluate`: levels of LEVELS, or an AssignmentError."""
    if levels is None:
        return ()
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in levels.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in LEVELS]
    if unknown or not chosen:
        raise AssignmentError(f"--levels {echo(levels)}: give levels from {', '.join(LEVELS)}, separated by commas")
    return chosen


def choose_questions(banks: list[Bank], count: int | None, seed: int, levels: tuple[str, ...] = ()) -> list[Question]:
    pool = [q for bank in banks for q in bank.questions if not levels or q.level in levels]
    if not pool:
        raise AssignmentError(f"no question in chapters {', '.join(b.chapter for b in banks)} "
                              f"is at level {', '.join(levels)}")
    if count is None or count >= len(pool):
        return pool
    if count < 1:
        raise AssignmentError("--count must be at least 1")
    picked = set(random.Random(seed).sample(range(len(pool)), count))
    return [q for i, q in enumerate(pool) if i in picked]  # keep course order


class Assignment(Chapter):
    """The notebook API for an assignment: `Assignment("assignment.json").quiz()`."""

    def __init__(self, manifest: str | Path = "assignment.json", *, store=None):
        path = Path(manifest)
        data = read_manifest(path)
        self.bank = Bank(chapter=data["id"], title=data["title"], objectives={},
                         questions=tuple(from_public_json(q) for q in data["questions"]),
                         source=str(path), course=data["course"])
        self.mode = "assessment"
        self.directory = path.parent
        self.course = load_course(path.parent)
        self._store = store
        from . import ui  # the assignment's own language (assign --language), when this machine has its catalog

        ui.set_language(data.get("language") or ui.SOURCE)


def read_manifest(manifest: str | Path) -> dict:
    """An assignment file, checked; AssignmentError names what is wrong."""
    try:
        data = json.loads(Path(manifest).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AssignmentError(f"{manifest}: cannot read the assignment file: {exc}") from None
    if isinstance(data, dict) and data.get("format") == VARIANTS_FORMAT:
        raise AssignmentError(f"{manifest}: a variants file (coursekit assign --roster): coursekit grade reads it; "
                              "here give one student's student/<identifier>/assignment.json")
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise AssignmentError(f"{manifest}: not a coursekit assignment file (made by coursekit assign)")
    if data.get("version") != MANIFEST_VERSION:
        raise AssignmentError(f"{manifest}: assignment version {data.get('version')!r}; "
                              f"this coursekit reads {MANIFEST_VERSION}")
    questions = data.get("questions")
    if (not isinstance(questions, list) or not all(isinstance(q, dict) and isinstance(q.get("id"), str)
                                                    and isinstance(q.get("type"), str) for q in questions)
            or not all(isinstance(data.get(k), str) for k in ("id", "title", "course"))):
        raise AssignmentError(f"{manifest}: the assignment file is incomplete (id, title, course, questions)")
    if "due" in data:
        try:
            parse_due(data["due"])
        except AssignmentError as exc:
            raise AssignmentError(f"{manifest}: {exc}") from None
    for entry in questions:
        try:
            from_public_json(entry)
        except UnknownQuestionType as exc:
            raise AssignmentError(f"{manifest}: question {entry['id']}: {exc}") from None
        except (KeyError, TypeError):
            raise AssignmentError(f"{manifest}: question {entry['id']} is incomplete") from None
    return data


def assignment_bank(manifest: str | Path, banks: list[Bank]) -> Bank:
    """The instructor's view of an assignment, with the real questions, for grading."""
    data = read_manifest(manifest)
    return _real_bank(manifest, data["id"], data["title"], data["course"], [q["id"] for q in data["questions"]], banks)


def _real_bank(manifest, assignment_id: str, title: str, course: str, ids: list[str], banks: list[Bank]) -> Bank:
    by_id = {q.id: q for bank in banks for q in bank.questions}
    missing = [qid for qid in ids if qid not in by_id]
    if missing:
        raise AssignmentError(f"{manifest}: questions not in the banks: {', '.join(missing)}")
    return Bank(chapter=assignment_id, title=title, objectives={}, questions=tuple(by_id[qid] for qid in ids),
                source=str(manifest), course=course)


# --- variants: one assignment per student of a roster ----------------------------------------

def variant_slug(identifier: str) -> str:
    """A student's folder and the tail of their variant's id: the identifier folded to [a-z0-9-]
    (an identifier with no such character gets a short hash of itself)."""
    from .submission import id_key

    key = id_key(identifier)
    slug = re.sub(r"[^a-z0-9]+", "-", strip_accents(key).lower()).strip("-")[:VARIANT_SLUG_LENGTH].rstrip("-")
    return slug or "x" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def variant_random(seed: int, identifier: str) -> random.Random:
    """The variant's generator: the seed and the identifier as the grader matches it (" S-1 " == "s-1")."""
    from .submission import id_key

    return random.Random(f"{seed}:{id_key(identifier)}")


def stratified_questions(banks: list[Bank], count: int | None, rng: random.Random,
                         levels: tuple[str, ...] = ()) -> list[Question]:
    """A variant's draw: `count` spread over the (chapter, objective) groups in proportion to
    their sizes (largest remainders), at least one from each group while count allows (with
    fewer than one per group, `count` groups chosen at random give one each); course order kept."""
    order = {q.id: i for i, q in enumerate(q for bank in banks for q in bank.questions)}
    groups: dict[tuple[str, str], list[Question]] = {}
    for bank in banks:
        for q in bank.questions:
            if not levels or q.level in levels:
                groups.setdefault((bank.chapter, q.objective), []).append(q)
    pool = [q for members in groups.values() for q in members]
    if not pool:
        raise AssignmentError(f"no question in chapters {', '.join(b.chapter for b in banks)} "
                              f"is at level {', '.join(levels)}")
    if count is None or count >= len(pool):
        return sorted(pool, key=lambda q: order[q.id])
    if count < 1:
        raise AssignmentError("--count must be at least 1")
    keys = list(groups)
    if count < len(keys):
        chosen = set(rng.sample(range(len(keys)), count))
        take = {k: int(i in chosen) for i, k in enumerate(keys)}
    else:
        quota = {k: count * len(groups[k]) / len(pool) for k in keys}
        take = {k: min(len(groups[k]), max(1, math.floor(quota[k]))) for k in keys}
        while sum(take.values()) > count:  # the floor of 1 gave too many: take back from the most over quota
            take[max((k for k in keys if take[k] > 1), key=lambda k: take[k] - quota[k])] -= 1
        while sum(take.values()) < count:  # then the largest remainders
            take[max((k for k in keys if take[k] < len(groups[k])), key=lambda k: quota[k] - take[k])] += 1
    picked = [q for k in keys for q in rng.sample(groups[k], take[k])]
    return sorted(picked, key=lambda q: order[q.id])


def variant_entry(question: Question, rng: random.Random) -> dict:
    """The public entry with this variant's order of the choices (single, multiple) or of the
    right-hand column (matching), for a question that allows shuffling. Grading compares
    option texts, never positions, so the order changes nothing there."""
    entry = public_json(question)
    if question.shuffle:
        for name in ("choices", "rights"):
            if name in entry:
                shown = list(entry[name])
                rng.shuffle(shown)
                entry[name] = shown
    return entry


def read_variants(path: str | Path) -> dict:
    """instructor/variants.json, checked; AssignmentError names what is wrong."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AssignmentError(f"{path}: cannot read the variants file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != VARIANTS_FORMAT:
        raise AssignmentError(f"{path}: not a coursekit variants file (made by coursekit assign --roster)")
    if data.get("version") != VARIANTS_VERSION:
        raise AssignmentError(f"{path}: variants version {data.get('version')!r}; this coursekit reads {VARIANTS_VERSION}")
    variants = data.get("variants")
    if (not all(isinstance(data.get(k), str) for k in ("id", "title", "course"))
            or not isinstance(data.get("questions"), list) or not isinstance(variants, list) or not variants
            or not all(isinstance(v, dict) and all(isinstance(v.get(k), str) for k in ("id", "student", "identifier"))
                       and isinstance(v.get("questions"), list) and all(isinstance(q, str) for q in v["questions"])
                       for v in variants)):
        raise AssignmentError(f"{path}: the variants file is incomplete (id, title, course, questions, variants)")
    return data


def is_variants_file(path: str | Path) -> bool:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False  # read_manifest says what is wrong
    return isinstance(data, dict) and data.get("format") == VARIANTS_FORMAT


def assignment_language(path: str | Path) -> str | None:
    """The edition an assignment was drawn in (es, pt), None for English: its banks' translation."""
    return (read_variants(path) if is_variants_file(path) else read_manifest(path)).get("language")


def assignment_source(path: str | Path) -> str | None:
    """Where an assignment (or a variants file) drew its questions: "assessment", "practice", "private"."""
    return (read_variants(path) if is_variants_file(path) else read_manifest(path)).get("source")


def assignment_banks(path: str | Path, banks: list[Bank]) -> tuple[list[Bank], ColumnGroup | None]:
    """What `coursekit grade --assignment FILE` grades against: an assignment file is one bank
    (assignment_bank); a variants file is one bank per variant, graded as one assignment in the
    gradebook (the ColumnGroup: a column per question id, whichever variants drew it). The
    variants file carries every variant's question ids, so grading needs only instructor/."""
    if not is_variants_file(path):
        return [assignment_bank(path, banks)], None
    data = read_variants(path)
    made = [_real_bank(path, v["id"], data["title"], data["course"], v["questions"], banks) for v in data["variants"]]
    return made, ColumnGroup(data["id"], tuple(b.chapter for b in made), tuple(data["questions"]))


def variant_owners(path: str | Path) -> dict[str, str]:
    """variant id -> the identifier of the student it was made for ({} for an assignment file)."""
    return {v["id"]: v["identifier"] for v in read_variants(path)["variants"]} if is_variants_file(path) else {}


def write_student_notebook(folder: Path, title: str, assignment_id: str, due: datetime.date | None) -> None:
    """folder/assignment.ipynb, beside the folder's assignment.json."""
    import nbformat  # slow to import (jsonschema): only once there is a notebook to write

    nbformat.write(student_notebook("assignment.json", title, assignment_id, due), folder / "assignment.ipynb")


def student_notebook(manifest_name: str, title: str, assignment_id: str, due: datetime.date | None = None):
    import nbformat  # slow to import (jsonschema); only assignment makers need it

    nb = nbformat.v4.new_notebook()
    due_line = _("**Due: {date}.**", date=due_text(due)) + "\n\n" if due else ""
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\n{due_line}" + _(
                "This is an assessed assignment: your answers are recorded, but no feedback or score is shown. Run "
                "every cell (*Run → Run All Cells*), answer each question and press **{save}**. You can change an "
                "answer and save it again until you hand in.", save=_("Save answer")) + "\n\n" + _(
                "When you have finished, type your name in the last box and press **{export}**. Hand in the file "
                "{file} that appears beside this notebook.", export=_("Export my work"),
                file=f"`submission-{assignment_id}-<your-name>.json`")),
        nbformat.v4.new_code_cell(f'from coursekit import Assignment\n\nassignment = Assignment("{manifest_name}")'),
        nbformat.v4.new_code_cell("assignment.quiz()"),
        nbformat.v4.new_code_cell("assignment.export_panel()"),
    ]
    for index, cell in enumerate(cells):
        cell.id = f"cell-{index + 1:02d}"
    nb.cells = cells
    return nb


# The page's own layout: the course's styles are made for the book's theme, which is not here.
def paper_instructions() -> str:  # printed instead of the browser steps (`coursekit assign --pdf`, or the browser's Print)
    return ('<section class="ck-paper-only" aria-hidden="true"><p class="ck-name-line">'
            + e(_("Name:")) + " ______________________________&#8195;" + e(_("Student number or e-mail:"))
            + " ____________________</p><p><strong>" + e(_("On paper.")) + "</strong> " + e(_(
                "Answer every question in the space under it: tick a box, write a word or a number, or write letters or "
                "numbers beside items as the question asks. Write your name on every sheet and hand all the sheets to "
                "your instructor.")) + "</p></section>\n")

PAGE_STYLE = """
html { color-scheme: light; -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: #1f2937; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.ck-page { max-width: 46rem; margin: 0 auto; padding: 0.75rem 1rem 2rem; overflow-wrap: break-word; }
.ck-page h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.75rem 0; }
.ck-page h2 { font-size: 1.3rem; line-height: 1.3; margin: 1.75rem 0 0.5rem; }
.ck-page code { font-size: 0.95em; overflow-wrap: anywhere; }
.ck-due { font-size: 1.1rem; margin: 0 0 1rem; padding: 0.4rem 0.8rem; border-left: 4px solid #1d4ed8; background: #eff6ff; }
.ck-instructions ol { padding-left: 1.4rem; margin: 0.3rem 0; }
.ck-instructions li { margin: 0.45rem 0; }
.ck-page input[type="text"], .ck-page select, .ck-page button { font-size: 1rem; }
.ck-page .ck-choices > label { padding: 0.15rem 0; }
.ck-paper-only { display: none; }
@media print {  /* on paper: no browser steps, a place for the name, and how to hand the sheets in */
  .ck-instructions, #ck-hand-in { display: none; }
  .ck-paper-only { display: block; }
  .ck-paper-only .ck-name-line { margin: 0.8rem 0; }
}
.ck-page .ck-order button { min-width: 2.25rem; min-height: 2rem; }
"""
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'none'; "
       "base-uri 'none'; form-action 'none'")


def assignment_page(manifest: dict, due: datetime.date | None = None) -> str:
    """student/assignment.html: the assignment as one page, in assessment mode, with the course's
    script and styles inlined (no request at all: it works from file://, any host or an LMS).

    It is made from the keyless manifest alone, as the notebook is, so it cannot carry what
    the manifest does not: each shown order is a function of the public entry (an ordering's
    items as the notebook shows them), never of the answer."""
    from .sphinx_ext import served_file
    from .static_view import render_export_panel, render_quiz

    files = {name: served_file(name).decode("utf-8") for name in ("coursekit.js", "coursekit.css")}
    for name, text in files.items():
        if re.search(r"</(script|style)|<!--", text, flags=re.I):  # would end the inlined block early
            raise AssignmentError(f"{name} cannot be inlined: it contains an HTML end tag or comment")
    bank = Bank(chapter=manifest["id"], title=manifest["title"], objectives={},
                questions=tuple(from_public_json(q) for q in manifest["questions"]), source="assignment.json",
                course=manifest["course"])
    title, file_name = e(manifest["title"]), e(f"submission-{manifest['id']}-your-name.json")
    due_html = (f'<p class="ck-due"><strong>{e(_("Due:"))} <time datetime="{due.isoformat()}">{e(due_text(due))}'
                "</time></strong></p>" if due else "")
    save, export = f"<em>{e(_('Save answer'))}</em>", f"<em>{e(_('Export my work'))}</em>"
    hand_in = (_("<strong>To hand in</strong>, type your name at the end of the page and press {export}. Your browser "
                 "saves a file named {file} (usually in Downloads): send that file to your instructor as they ask, "
                 "by the due date.") if due else
               _("<strong>To hand in</strong>, type your name at the end of the page and press {export}. Your browser "
                 "saves a file named {file} (usually in Downloads): send that file to your instructor as they ask."))
    steps = [  # the messages hold their own <strong>: translators keep it (the check compares the markup)
        _("<strong>Answer each question</strong>, then press {save} under it. You can change an answer and save it "
          "again as often as you like until you hand in; only saved answers are handed in. In an ordering question, "
          "move the items with the ▲ and ▼ buttons.", save=save),
        _("<strong>Nothing is graded on this page.</strong> It shows no score and no correct answers, and it does not "
          "contain them: your instructor grades the file you hand in."),
        _("<strong>Your answers stay in this browser</strong> on this computer: nothing is sent anywhere. To come back "
          "to them, open this page the same way (the same file or the same link) in the same browser. A private window "
          "forgets them when it closes."),
        hand_in.replace("{export}", export).replace("{file}", f"<code>{file_name}</code>"),
    ]
    no_script = _("This page needs JavaScript to save and export your answers: allow it for this page, or open the "
                  "file in another browser.")
    interface = script_table()  # the script's words, when the assignment is in another language
    ui_json = f'<script type="application/json" id="ck-ui">{json_for_script(interface)}</script>\n' if interface else ""
    return (
        f'<!doctype html>\n<html lang="{e(html_lang())}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{title}</title>\n<style>\n{files['coursekit.css']}{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f'<main class="ck-page">\n<h1>{title}</h1>\n{due_html}\n'
        f'<section class="ck-instructions" aria-labelledby="ck-how">\n<h2 id="ck-how">{e(_("How to do this assignment"))}'
        "</h2>\n<ol>" + "".join(f"<li>{step}</li>" for step in steps) + "</ol>\n</section>\n"
        f"{paper_instructions()}"
        f'<noscript><p class="ck-warning">{e(no_script)}</p></noscript>\n'
        f'<h2 id="ck-questions">{e(_("Questions"))}</h2>\n{render_quiz(bank, "assessment")}\n'
        f'<h2 id="ck-hand-in">{e(_("Hand in your work"))}</h2>\n{render_export_panel(bank)}\n</main>\n'
        f"{ui_json}<script>\n{files['coursekit.js']}</script>\n</body>\n</html>\n"
    )


def make_assignment(banks_dir: Path, chapters: str, count: int | None, seed: int, out: Path | None,
                    title: str | None = None, *, default_parent: Path | None = None, due: str | None = None,
                    levels: str | None = None, banks: list[Bank] | None = None, source: str = "practice",
                    roster=None, language: str | None = None) -> dict:
    """Write the assignment into `out` (student/ and instructor/), or, when `out` is None, into
    `default_parent`/<the assignment's id> (the CLI passes private/assignments). `due` is an
    ISO date (2027-03-15), shown to students and kept in the manifest; `levels` ("apply,evaluate")
    draws only questions at those levels. `banks`, when given, are the banks already opened
    (sealed assessment banks) and `source` says where they came from: "assessment",
    "practice" or "private"; grading reopens the same source. `roster` (lms_grades.read_roster's
    entries) makes one variant per student instead (see the module's docstring). `language`
    (es, pt) records that the banks given are that edition's translation: grading reopens it."""
    due_date = parse_due(due)  # before any work, even an import: a bad date is the whole answer
    chosen_levels = parse_levels(levels)

    from .exports import to_gift, to_qti
    course = load_course(banks_dir)
    if banks is None:
        banks = load_banks(select_banks(banks_dir, chapters, course=course), course=course)
    if not banks:
        raise AssignmentError(f"{banks_dir}: no chapter banks found")
    if roster is not None:
        return _make_variants(banks, course, chapters, count, seed, out, title, default_parent=default_parent,
                              due_date=due_date, chosen_levels=chosen_levels, source=source, roster=roster,
                              language=language)
    questions = choose_questions(banks, count, seed, chosen_levels)
    numbers = "-".join(dict.fromkeys((course.number(b.chapter) or "x").split(".")[0] for b in banks))
    level_part = "".join(f"-{name}" for name in chosen_levels)  # another draw, another id
    assignment_id = f"assignment-{numbers or 'mixed'}-n{len(questions)}-s{seed}{level_part}"
    title = title or _("Assignment: chapters {chapters} ({count} questions)", chapters=chapters, count=len(questions))
    manifest = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "id": assignment_id,
                "course": banks[0].course, "title": title, "chapters": [b.chapter for b in banks], "seed": seed, "source": source,
                **({"language": language} if language else {}),
                **({"levels": list(chosen_levels)} if chosen_levels else {}),
                **({"due": due_date.isoformat()} if due_date else {}), "questions": [public_json(q) for q in questions]}
    if out is None:
        out = (default_parent or Path("private", "assignments")) / assignment_id
    student, instructor = out / "student", out / "instructor"
    student.mkdir(parents=True, exist_ok=True)
    instructor.mkdir(parents=True, exist_ok=True)
    (student / "assignment.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (student / "assignment.html").write_text(assignment_page(manifest, due_date), "utf-8")
    write_student_notebook(student, title, assignment_id, due_date)
    (instructor / "key.md").write_text(key_markdown(title, questions, banks), "utf-8")
    (instructor / "key.html").write_text(key_html(title, questions, banks), "utf-8")
    gift, gift_left_out = to_gift(questions, category=title)
    (instructor / "assignment.gift").write_text(gift, "utf-8")
    qti_left_out = to_qti(questions, title=title, out_path=instructor / "assignment-qti.zip")
    return {"id": assignment_id, "title": title, "questions": len(questions), "gift_left_out": gift_left_out,
            "qti_left_out": qti_left_out, "student": student, "instructor": instructor}


def _make_variants(banks, course, chapters, count, seed, out, title, *, default_parent, due_date, chosen_levels,
                   source, roster, language=None) -> dict:
    slugs: dict[str, str] = {}
    for entry in roster:  # two identifiers that fold to one folder would overwrite each other
        slug = variant_slug(entry.identifier)
        if slug in slugs:
            raise AssignmentError(f"identifiers {echo(slugs[slug])} and {echo(entry.identifier)} both give the folder "
                                  f"name {slug}: make them differ in letters or digits")
        slugs[slug] = entry.identifier
    drawn = []
    for entry in roster:
        rng = variant_random(seed, entry.identifier)
        questions = stratified_questions(banks, count, rng, chosen_levels)
        drawn.append((entry, variant_slug(entry.identifier), questions, [variant_entry(q, rng) for q in questions]))
    size = len(drawn[0][2])  # every variant has the same number of questions
    numbers = "-".join(dict.fromkeys((course.number(b.chapter) or "x").split(".")[0] for b in banks))
    level_part = "".join(f"-{name}" for name in chosen_levels)
    base_id = f"assignment-{numbers or 'mixed'}-n{size}-s{seed}{level_part}"
    title = title or _("Assignment: chapters {chapters} ({count} questions)", chapters=chapters, count=size)
    if out is None:
        out = (default_parent or Path("private", "assignments")) / base_id
    student, instructor = out / "student", out / "instructor"
    instructor.mkdir(parents=True, exist_ok=True)
    common = {"course": banks[0].course, "title": title, "chapters": [b.chapter for b in banks], "seed": seed,
              "source": source, **({"language": language} if language else {}),
              **({"levels": list(chosen_levels)} if chosen_levels else {}),
              **({"due": due_date.isoformat()} if due_date else {})}
    order = {q.id: i for i, q in enumerate(q for b in banks for q in b.questions)}
    listed, sections, folders = [], [], []
    for entry, slug, questions, entries in drawn:
        variant_id = f"{base_id}-v{slug}"
        manifest = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "id": variant_id, **common,
                    "variant": entry.identifier, "student": entry.name, "questions": entries}
        folder = student / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "assignment.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
        (folder / "assignment.html").write_text(assignment_page(manifest, due_date), "utf-8")
        write_student_notebook(folder, title, variant_id, due_date)
        listed.append({"id": variant_id, "student": entry.name, "identifier": entry.identifier,
                       "manifest": f"../student/{slug}/assignment.json", "questions": [q.id for q in questions]})
        sections.append((f"{entry.name} ({entry.identifier}), {variant_id}", questions))
        folders.append(folder)
    union = sorted({q.id for _, _, questions, _ in drawn for q in questions}, key=order.__getitem__)
    variants = {"format": VARIANTS_FORMAT, "version": VARIANTS_VERSION, "id": base_id, **common,
                "questions": union, "variants": listed}
    (instructor / "variants.json").write_text(json.dumps(variants, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (instructor / "key.md").write_text(variants_key_markdown(title, sections, banks), "utf-8")
    (instructor / "key.html").write_text(variants_key_html(title, sections, banks), "utf-8")
    return {"id": base_id, "title": title, "questions": size, "variants": len(listed), "gift_left_out": [],
            "qti_left_out": [], "student": student, "instructor": instructor, "folders": folders}


__all__ = ["Assignment", "make_assignment", "assignment_bank", "read_manifest", "choose_questions", "assignment_page",
           "parse_due", "parse_levels", "stratified_questions", "variant_entry", "variant_slug", "variant_random",
           "read_variants", "is_variants_file", "assignment_source", "assignment_language", "assignment_banks", "variant_owners",
           "VARIANTS_FORMAT"]
