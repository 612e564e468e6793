"""`coursekit analyse`: Moodle's quiz statistics, checked against Moodle's own fixture, and the
files and page the command writes.

tests/fixtures/moodle-statistics/ holds the data of Moodle's test
(mod/quiz/report/statistics/tests/stats_from_steps_walkthrough_test.php, quiz 00): 25 attempts
at 7 questions and the statistics Moodle expects, compared here with Moodle's tolerances.
"""
from __future__ import annotations

import csv
import io
import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coursekit import analyse
from coursekit.analyse import (
    Choice,
    QuestionStats,
    analyse_group,
    analyse_marks,
    choice_counts,
    question_flags,
    questions_csv,
    quiz_statistics,
)
from coursekit.analysis_report import render_report
from coursekit.bank import load_bank
from coursekit.cli import main
from coursekit.submission import build_submission, submission_filename

HERE = Path(__file__).resolve().parent
MOODLE = HERE / "fixtures" / "moodle-statistics"
SUBS = HERE / "fixtures" / "submissions"
BANKS = HERE / "fixtures" / "course" / "chapters"
CH01 = BANKS / "01-introduction.yml"

# qstats00.csv column -> QuestionStats attribute; Moodle's relative tolerance for each
QUESTION_FIELDS = {
    "facility": ("facility", 1e-6),
    "sd": ("sd", 1e-6),
    "effectiveweight": ("effective_weight", 1e-5),
    "covariance": ("covariance", 1e-5),
    "markvariance": ("mark_variance", 1e-6),
    "othermarkvariance": ("other_mark_variance", 1e-6),
    "discriminationindex": ("discrimination_index", 1e-5),
    "covariancemax": ("covariance_max", 1e-6),
    "discriminativeefficiency": ("discriminative_efficiency", 1e-5),
}
QUIZ_FIELDS = {  # quiz00.json key -> QuizStats attribute (Moodle's tolerance: 1.5e-5 relative)
    "median": "median", "allattemptsavg": "mean", "allattemptscount": "n", "standarddeviation": "sd",
    "skewness": "skewness", "kurtosis": "kurtosis", "cic": "cic", "errorratio": "error_ratio",
    "standarderror": "standard_error",
}


def moodle_marks() -> list[list[float]]:
    with open(MOODLE / "results00.csv", newline="", encoding="utf-8") as handle:
        return [[float(row[f"slots.{slot}.mark"]) for slot in range(1, 8)] for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def moodle_stats():
    return analyse_marks([f"slot{n}" for n in range(1, 8)], moodle_marks())


# --- the statistics against Moodle's fixture ------------------------------------------------

def test_the_fixture_is_the_one_moodle_tests():
    marks = moodle_marks()
    assert len(marks) == 25 and all(len(row) == 7 for row in marks)
    with open(MOODLE / "results00.csv", newline="", encoding="utf-8") as handle:
        totals = [float(row["summarks"]) for row in csv.DictReader(handle)]
    assert [round(sum(row), 5) for row in marks] == pytest.approx(totals, abs=1e-5)


def test_question_statistics_match_moodle(moodle_stats):
    _, questions = moodle_stats
    with open(MOODLE / "qstats00.csv", newline="", encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(questions) == 7
    for row, stats in zip(expected, questions):
        assert stats.n == 25
        for column, (name, tolerance) in QUESTION_FIELDS.items():
            want = float(row[column])
            assert getattr(stats, name) == pytest.approx(want, rel=tolerance), f"{name} for slot {row['slot']}"
            assert getattr(stats, name) == pytest.approx(want, rel=1e-8)  # closer than Moodle asks (README)


def test_quiz_statistics_match_moodle(moodle_stats):
    quiz, _ = moodle_stats
    expected = json.loads((MOODLE / "quiz00.json").read_text("utf-8"))
    for key, name in QUIZ_FIELDS.items():
        assert getattr(quiz, name) == pytest.approx(expected[key], rel=1.5e-5), name
        assert getattr(quiz, name) == pytest.approx(expected[key], rel=1e-8), name
    assert quiz.max_mark == 7
    assert quiz.percent(quiz.mean) == pytest.approx(100 * 4.617333332 / 7)


def test_moodle_flags_every_fixture_question_as_moodle_would(moodle_stats):
    # every slot of the fixture discriminates negatively (its marks were made up); slot 3 is very easy
    _, questions = moodle_stats
    for stats in questions:
        flags = " | ".join(question_flags(stats))
        assert "negative discrimination index" in flags
        assert "below 15%" in flags  # Moodle's statistics table highlights discriminative efficiency < 15%
    assert any(f.startswith("extremely easy") for f in question_flags(questions[2]))  # facility 97.3%


def test_values_moodle_leaves_empty_are_none():
    one = analyse_marks(["a", "b"], [[1.0, 0.0]])
    assert one[0].sd is None and one[0].skewness is None and one[0].cic is None
    assert one[1][0].sd is None and one[1][0].discrimination_index is None
    same = analyse_marks(["a", "b"], [[1.0, 0.5]] * 5)
    assert same[0].sd == 0 and same[0].skewness is None and same[0].cic is None
    assert all(q.discrimination_index is None and q.discriminative_efficiency is None for q in same[1])
    assert all(q.effective_weight is None for q in same[1])
    assert quiz_statistics([], 3, 0.0).mean is None
    with pytest.raises(ValueError):
        analyse_marks(["a", "b"], [[1.0]])


def test_effective_weights_add_to_100_and_a_negative_covariance_gets_none():
    rng = random.Random(4)
    marks = [[float(rng.random() < 0.6) for _ in range(5)] for _ in range(40)]
    for row in marks:
        row[4] = 1.0 - row[0]  # against the first question: a negative covariance with the total, probably
    _, questions = analyse_marks(list("abcde"), marks)
    weights = [q.effective_weight for q in questions if q.effective_weight is not None]
    assert sum(weights) == pytest.approx(100)
    for q in questions:
        assert (q.effective_weight is None) == q.negative_covariance


def test_median_and_facility_flags_follow_moodles_bands():
    assert analyse.median([3, 1, 2]) == 2 and analyse.median([4, 1, 3, 2]) == 2.5

    def stats(facility):
        return QuestionStats("q", 30, facility, 0.3, 40.0, 60.0, 10.0)
    assert question_flags(stats(0.04))[0].startswith("extremely difficult, or something is wrong")
    assert question_flags(stats(0.08))[0].startswith("very difficult")
    assert question_flags(stats(0.5)) == []
    assert question_flags(stats(0.92))[0].startswith("very easy")
    assert question_flags(stats(0.99))[0].startswith("extremely easy")
    nobody = [Choice("", "A distractor", False, 0, True), Choice("", "Chosen", True, 30, True)]
    assert question_flags(stats(0.5), nobody) == ["nobody chose “A distractor” (a distractor that does not work)"]


# --- choices --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ch01():
    return load_bank(CH01)


def test_choice_counts_per_type(ch01):
    single = ch01.question("ch01-definition")
    rows = choice_counts(single, [single.answer, single.answer, single.options[1].text, None, "not an option"])
    by_choice = {r.choice: r.count for r in rows}
    assert by_choice[single.answer] == 2 + (single.options[1].text == single.answer)
    assert by_choice["(no answer)"] == 1 and by_choice["(not a usable answer)"] == 1
    assert sum(r.count for r in rows if r.nobody_flag) == 3
    truefalse = ch01.question("ch01-no-wars")
    counts = {r.choice: r.count for r in choice_counts(truefalse, [True, True, False])}
    assert counts == {"True": 2, "False": 1}
    ordering = ch01.question("ch01-order-institutions")
    rows = choice_counts(ordering, [list(ordering.items)] * 3)
    assert all(r.count == (3 if r.correct else 0) for r in rows)
    text = ch01.question("ch01-charter-city")
    accepted = text.accept[0]
    rows = choice_counts(text, [accepted, f"  {accepted.upper()} ", "no idea"])
    assert (rows[0].choice, rows[0].count, rows[0].correct) == (accepted, 2, True)
    assert (rows[1].choice, rows[1].count, rows[1].correct) == ("no idea", 1, False)


# --- the command, end to end ------------------------------------------------------------------

def _answer(question, rng: random.Random, skill: float):
    """A random response: right with probability `skill`, else a random (maybe wrong) one."""
    right = rng.random() < skill
    kind = question.type
    if kind == "single":
        return question.answer if right else rng.choice(question.options).text
    if kind == "multiple":
        if right:
            return sorted(question.answer)
        return sorted({o.text for o in question.options if rng.random() < 0.5} or {question.options[0].text})
    if kind == "truefalse":
        return question.answer if right else rng.random() < 0.5
    if kind == "numeric":
        return str(int(question.answer)) if right else str(rng.randint(1900, 2000))
    if kind == "text":
        return question.accept[0] if right else rng.choice(["no idea", "Lima"])
    if kind == "matching":
        rights = [p.right for p in question.pairs]
        if not right:
            rng.shuffle(rights)
        return {p.left: r for p, r in zip(question.pairs, rights)}
    items = list(question.items)
    if not right:
        rng.shuffle(items)
    return items


def write_class(folder: Path, bank, count: int, seed: int = 1, extra: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for n in range(count):
        skill = rng.random()
        answers = {q.id: _answer(q, rng, skill) for q in bank.questions}
        if extra and n == 0:
            answers.update(extra)
        data = build_submission(course=bank.course or "fixture-course", chapter=bank.chapter,
                                student=f"Student {n:02d}", answers=answers, responses={}, source="book",
                                created="2025-03-01T10:00:00Z")
        name = submission_filename(bank.chapter, f"Student {n:02d}")
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return folder


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))


class Structure(HTMLParser):
    """What the structure checks need: tags, images' alt text, every URL-bearing attribute."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.images: list[dict] = []
        self.urls: list[str] = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "img":
            self.images.append(attrs)
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if name in attrs:
                self.urls.append(attrs[name])


def check_page(text: str) -> Structure:
    page = Structure()
    page.feed(text)
    assert text.startswith("<!DOCTYPE html>") and page.html_lang == "en"
    for tag in ("title", "main", "h1"):
        assert tag in page.tags
    assert page.tags.count("h1") == 1
    assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
    assert all(url.startswith("data:image/png;base64,") for url in page.urls), page.urls
    assert not re.search(r"(https?:)?//[a-z0-9]", re.sub(r'src="data:[^"]*"', "", text), re.I), "external URL"
    assert "@import" not in text and "url(" not in text
    for image in page.images:
        assert len(image.get("alt", "")) > 40
    return page


def test_cli_end_to_end_on_a_class(tmp_path, ch01, capsys):
    subs = write_class(tmp_path / "subs", ch01, 14, seed=3)
    out = tmp_path / "analysis"
    assert main(["analyse", str(subs), str(SUBS), "--banks", str(BANKS), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "skipped" in printed.err and "truncated.json" in printed.err  # bad fixture files refused by name
    folder = out / "01-introduction"
    # 14 + 4 fixture students (Ana, Ben, Dan, the formula name) for chapter 01; chapter 02 has only 2
    rows = read_csv(folder / "questions.csv")
    assert list(rows[0]) == ["question", *analyse.QUESTION_COLUMNS, "flags"]
    assert [r["question"] for r in rows] == [q.id for q in ch01.questions]
    assert {r["n"] for r in rows} == {"18"}
    quiz = json.loads((folder / "quiz.json").read_text("utf-8"))
    assert quiz["n"] == 18 and quiz["max_mark"] == 13 and "withheld" not in quiz
    for name in analyse.QUIZ_FIELDS[1:]:
        assert name in quiz
    assert all(0 <= float(r["facility"]) <= 1 for r in rows)
    choices = read_csv(folder / "choices.csv")
    assert {c["question"] for c in choices} == {q.id for q in ch01.questions}
    check_page((folder / "report.html").read_text("utf-8"))
    withheld = out / "02-role-of-military-diplomacy"
    assert "withheld" in json.loads((withheld / "quiz.json").read_text("utf-8"))
    assert "02-role-of-military-diplomacy: withheld: 2 submission(s)" in printed.out


def test_groups_under_the_threshold_are_refused(tmp_path, capsys):
    out = tmp_path / "analysis"
    assert main(["analyse", str(SUBS), "--banks", str(BANKS), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("withheld") == 2 and "fewer than the minimum group of 10" in printed
    for chapter in ("01-introduction", "02-role-of-military-diplomacy"):
        folder = out / chapter
        quiz = json.loads((folder / "quiz.json").read_text("utf-8"))
        assert quiz["withheld"].startswith("withheld: ") and "mean" not in quiz and "cic" not in quiz
        for row in read_csv(folder / "questions.csv"):
            assert row["facility"] == row["discrimination_index"] == "" and row["flags"].startswith("withheld")
        assert all(row["choice"].startswith("withheld") and row["count"] == ""
                   for row in read_csv(folder / "choices.csv"))
        page = (folder / "report.html").read_text("utf-8")
        assert "Statistics withheld" in page and "<img" not in page and "<table" not in page
        check_page(page)
    # --min-group lowers the threshold; below 1 is refused
    assert main(["analyse", str(SUBS), "--banks", str(BANKS), "--out", str(out), "--min-group", "2"]) == 0
    assert "withheld" not in json.loads((out / "01-introduction" / "quiz.json").read_text("utf-8"))
    assert main(["analyse", str(SUBS), "--banks", str(BANKS), "--min-group", "0"]) == 1
    assert "--min-group must be at least 1" in capsys.readouterr().err


def test_default_output_is_private(tmp_path, monkeypatch):
    course = tmp_path / "course"
    (course / "chapters").mkdir(parents=True)
    (course / "_config.yml").write_text((HERE / "fixtures" / "_config.yml").read_text("utf-8")
                                        .replace("course/chapters", "chapters"), "utf-8")
    (course / "chapters" / CH01.name).write_bytes(CH01.read_bytes())
    subs = write_class(tmp_path / "subs", load_bank(CH01), 3)
    monkeypatch.chdir(course)
    assert main(["analyse", str(subs), "--banks", str(course / "chapters"), "--min-group", "3"]) == 0
    assert (course / "private" / "analysis" / "01-introduction" / "report.html").is_file()


def test_nothing_readable_is_an_error(tmp_path, capsys):
    assert main(["analyse", str(SUBS / "empty.json"), "--banks", str(BANKS), "--out", str(tmp_path / "a")]) == 1
    assert "no submission could be read" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_hostile_student_text_is_escaped(tmp_path, ch01):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    formula = "=HYPERLINK(\"http://evil.example\",\"x\")"
    text_q = ch01.question("ch01-charter-city")
    answers = [{text_q.id: hostile}, {text_q.id: formula}] + [{text_q.id: "Lima"}] * 10
    group = analyse_group(ch01, answers, min_group=10)
    page = render_report(group)
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    rows = list(csv.reader(io.StringIO(analyse.choices_csv(group).decode("utf-8-sig"))))
    typed = [r[2] for r in rows if r[0] == text_q.id]
    assert "'" + formula in typed and hostile in typed
    # a negative statistic stays a number in the CSV (no quote added)
    cells = [r for r in csv.reader(io.StringIO(questions_csv(group).decode("utf-8-sig")))][1:]
    assert not any(c.startswith("'-") for row in cells for c in row[1:7])


def test_report_page_structure(tmp_path, ch01):
    rng = random.Random(9)
    answers = []
    for _ in range(20):
        skill = rng.random()
        answers.append({q.id: _answer(q, rng, skill) for q in ch01.questions})
    group = analyse_group(ch01, answers)
    page = render_report(group)
    structure = check_page(page)
    assert len(structure.images) >= 3  # score distribution, facility against discrimination, choices
    assert structure.tags.count("table") >= 2 + len(ch01.questions)
    assert "<caption>" in page and 'scope="col"' in page
    assert "Content-Security-Policy" in page
    assert render_report(group, figures=False).count("<img") == 0


def test_an_assignment_is_analysed_as_one_group(tmp_path, ch01, capsys):
    from coursekit.model import Bank as ModelBank  # an assignment is analysed as a bank of what it drew

    assert main(["assign", "--chapters", "1", "--count", "5", "--banks", str(BANKS), "--out", str(tmp_path / "a")]) == 0
    manifest = tmp_path / "a" / "student" / "assignment.json"
    data = json.loads(manifest.read_text("utf-8"))
    drawn = [ch01.question(q["id"]) for q in data["questions"]]
    bank = ModelBank(chapter=data["id"], title=data["title"], objectives={}, questions=tuple(drawn),
                     course="fixture-course")
    subs = write_class(tmp_path / "subs", bank, 10, seed=7)
    out = tmp_path / "analysis"
    capsys.readouterr()
    assert main(["analyse", str(subs), "--banks", str(BANKS), "--assignment", str(manifest), "--out", str(out)]) == 0
    assert f"{data['id']}: 10 submission(s), 5 question(s)" in capsys.readouterr().out
    rows = read_csv(out / data["id"] / "questions.csv")
    assert [r["question"] for r in rows] == [q.id for q in drawn]
