"""Bank loading and validation: one clear error per broken bank, never a traceback or a hang."""
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, ROOT
from coursekit.bank import BankError, load_bank, load_banks
from coursekit.model import Matching, MultipleChoice, Numeric, Ordering, ShortText, SingleChoice, TrueFalse

# fixture -> (line, item, field, words the message must contain)
BROKEN = {
    "bad-yaml-syntax": (12, "", "", "invalid YAML"),
    "bad-empty": (None, "", "", "file is empty"),
    "bad-top-level-list": (1, "", "", "top level must be a mapping"),
    "bad-not-utf8": (9, "", "", "not UTF-8"),
    "bad-unknown-type": (6, "question 'q1'", "type", "unknown type 'essay'"),
    "bad-missing-prompt": (5, "question 'q1'", "prompt", "is missing"),
    "bad-answer-not-in-options": (10, "question 'q1'", "answer", "'1949' is not one of the options"),
    "bad-duplicate-ids": (11, "question 'q1'", "id", "duplicate id (first used at line 5)"),
    "bad-matching-one-pair": (9, "question 'q1'", "pairs", "needs at least 2 pairs"),
    "bad-ordering-one-item": (9, "question 'q1'", "items", "needs at least 2 entries"),
    "bad-negative-tolerance": (10, "question 'q1'", "tolerance", "must be zero or positive"),
    "bad-billion-laughs": (3, "", "", "aliases"),
    "bad-unknown-objective": (7, "question 'q1'", "objective", "'LO9' is not one of the bank's objectives"),
    "bad-misspelt-field": (10, "question 'q1'", "answers", "unknown field"),
    "bad-unknown-level": (8, "question 'q1'", "level", "'memorise' is not a level"),
    "bad-perspective-source": (18, "discussion 'd1'", "sources", "'not a key' is not a bibliography key"),
    # hostile or mistaken values: each one short line
    "bad-huge-integer": (9, "question 'q1'", "answer", "must be a number"),
    "bad-impossible-date": (9, "question 'q1'", "answer", "must be a number, not '2008-02-30'"),
    "bad-sexagesimal": (9, "question 'q1'", "answer", "must be a number, not '1:30'"),  # YAML 1.1: 90
    "bad-control-character": (8, "", "", "control character (U+0007)"),
    "bad-nul-escape": (8, "question 'q1'", "prompt", "control character"),
    "bad-empty-course": (2, "bank", "course", "is empty"),
    "bad-chapter-not-slug": (1, "bank", "chapter", "must be lower-case letters, digits and hyphens"),
    "bad-option-too-long": (10, "question 'q1'", "options", "is 10,001 characters; the most is 10,000"),
    "bad-key-newline": (10, "question 'q1'", "accept\\x0aextra", "unknown field"),
    "bad-huge-key": (10, "question 'q1'", "k" * 59 + "…", "unknown field"),
}


@pytest.mark.parametrize("stem", sorted(BROKEN))
def test_broken_bank_gives_one_clear_error(stem):
    line, item, field, words = BROKEN[stem]
    path = FIXTURES / f"{stem}.yml"
    with pytest.raises(BankError) as caught:
        load_bank(path)
    error = caught.value
    assert (str(path), line, item, field) == (error.file, error.line, error.item, error.field)
    assert words in str(error)


def test_every_broken_fixture_is_covered():
    assert {p.stem for p in FIXTURES.glob("bad-*.yml")} == set(BROKEN)


@pytest.mark.parametrize("stem", sorted(BROKEN))
def test_cli_validate_reports_without_traceback(stem):
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "coursekit", "validate", str(FIXTURES / f"{stem}.yml")],
                         capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert 1 == run.returncode
    assert "Traceback" not in run.stderr + run.stdout
    assert 1 == len(run.stderr.strip().splitlines()) and len(run.stderr.strip()) <= 400
    assert run.stderr.startswith(f"error: {FIXTURES / stem}.yml")
    assert time.monotonic() - started < 5


def test_cli_validate_accepts_good_bank_and_folder(tmp_path):
    run = subprocess.run([sys.executable, "-m", "coursekit", "validate", str(FIXTURES / "answer-cases.yml")],
                         capture_output=True, text=True, timeout=30)
    assert (0, "ok: 1 bank(s), 8 questions") == (run.returncode, run.stdout.strip())
    empty = subprocess.run([sys.executable, "-m", "coursekit", "validate", str(tmp_path)],
                           capture_output=True, text=True, timeout=30)
    assert 1 == empty.returncode and "no bank files" in empty.stderr


def test_good_bank_loads_every_type(cases_bank):
    kinds = [type(q) for q in cases_bank.questions]
    assert [SingleChoice, MultipleChoice, TrueFalse, ShortText, Numeric, Numeric, Matching, Ordering] == kinds
    assert frozenset({"Argentina", "Brazil", "Chile", "United States"}) == cases_bank.question("multiple-guarantors").answer
    assert ("1948" == cases_bank.question("matching-treaties").pairs[1].right)


def test_chapter_field_must_match_file_name(tmp_path):
    text = (FIXTURES / "answer-cases.yml").read_text("utf-8")
    renamed = tmp_path / "other-name.yml"
    renamed.write_text(text, "utf-8")
    with pytest.raises(BankError, match="must match"):
        load_bank(renamed)


def test_ids_unique_across_banks(tmp_path):
    text = (FIXTURES / "answer-cases.yml").read_text("utf-8")
    copy = tmp_path / "copy.yml"
    copy.write_text(text.replace("chapter: answer-cases", "chapter: copy\ncourse: fixture-course"), "utf-8")
    with pytest.raises(BankError, match="unique across the course"):
        load_banks([FIXTURES / "answer-cases.yml", copy])


def test_a_bank_outside_a_course_must_name_its_course(tmp_path):
    """The engine knows no course: the id comes from the folder's _config.yml or the bank itself."""
    lonely = tmp_path / "lonely.yml"
    lonely.write_text((FIXTURES / "answer-cases.yml").read_text("utf-8").replace("chapter: answer-cases",
                                                                                 "chapter: lonely"), "utf-8")
    with pytest.raises(BankError, match="field 'course': is missing: this bank is outside a course folder"):
        load_bank(lonely)
    assert "fixture-course" == load_bank(FIXTURES / "answer-cases.yml").course  # from tests/fixtures/_config.yml
    (tmp_path / "_config.yml").write_text("coursekit:\n  course: another-course\n", "utf-8")
    from coursekit.course import _load

    _load.cache_clear()
    assert "another-course" == load_bank(lonely).course


def test_oversized_bank_refused(tmp_path):
    big = tmp_path / "big.yml"
    big.write_text("chapter: big\n#" + "x" * 1_100_000, "utf-8")
    with pytest.raises(BankError, match="at most"):
        load_bank(big)


@pytest.mark.parametrize("snippet,field", [
    ("options: [true, false]", "options"),  # booleans are never options: quote them
    ("options: [A, A]", "options"),
])
def test_option_pitfalls(tmp_path, snippet, field):
    bank = tmp_path / "pit.yml"
    bank.write_text(f"""chapter: pit
objectives: {{LO1: Identify.}}
questions:
  - id: q1
    type: single
    objective: LO1
    prompt: Pick.
    {snippet}
    answer: A
    explanation: Because.
""", "utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    assert field == caught.value.field


def test_odd_paths_and_numbers_give_clean_errors(tmp_path):
    (tmp_path / "folder.yml").mkdir()
    from coursekit.bank import find_banks

    assert [] == find_banks([tmp_path])
    with pytest.raises(BankError, match="is a folder"):
        load_bank(tmp_path / "folder.yml")
    huge = tmp_path / "huge.yml"
    huge.write_text(f"""chapter: huge
objectives: {{LO1: Identify.}}
questions:
  - id: q1
    type: numeric
    objective: LO1
    prompt: How many?
    answer: {"9" * 400}
    explanation: Too many.
""", "utf-8")
    with pytest.raises(BankError, match="must be a number"):
        load_bank(huge)


def test_level_and_perspective_sources_are_read(tmp_path):
    from coursekit.bank import check_sources

    bank_file = tmp_path / "levels.yml"
    bank_file.write_text((FIXTURES / "bad-perspective-source.yml").read_text("utf-8")
                         .replace("bad-perspective-source", "levels\ncourse: fixture-course")
                         .replace(', "not a key"', ""), "utf-8")
    bank = load_bank(bank_file)
    assert "remember" == bank.questions[0].level
    assert ("mares2001violent",) == bank.discussions[0].perspectives[0].sources
    check_sources([bank], {"mares2001violent"})
    with pytest.raises(BankError, match="'mares2001violent' is not in the bibliography"):
        check_sources([bank], {"other2000"})


def _bank_with(tmp_path, question_lines: str, top: str = "chapter: pit\ncourse: pit-course\n"):
    bank = tmp_path / "pit.yml"
    bank.write_text(f"""{top}objectives: {{LO1: Identify.}}
questions:
  - id: q1
    objective: LO1
    explanation: Because.
{question_lines}""", "utf-8")
    return bank


def test_yaml_1_1_words_stay_the_authors_text(tmp_path):
    # YAML 1.1 would make these a boolean, a boolean, 80 (sexagesimal), 8 (octal) and a date.
    words = ["Yes", "No", "on", "1:20", "010", "2025-02-30"]
    bank = _bank_with(tmp_path, "    type: single\n    prompt: Pick.\n    options: [" + ", ".join(words) + "]\n"
                      "    answer: 1:20\n")
    question = load_bank(bank).questions[0]
    assert [o.text for o in question.options] == words and question.answer == "1:20"


def test_a_huge_repeated_key_is_echoed_short(tmp_path):
    key = "k" * 5000
    bank = tmp_path / "pit.yml"
    bank.write_text(f"chapter: pit\n{key}: 1\n{key}: 2\n", "utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    assert "repeated" in str(caught.value) and len(str(caught.value)) <= 400
