"""`coursekit assign --roster`: a variant per student, reproducible, graded against its own variant."""
import csv
import json

import pytest

from conftest import FIXTURES
from coursekit.assign import make_assignment, stratified_questions, variant_random
from coursekit.bank import load_banks, select_banks
from coursekit.cli import main
from coursekit.grading import grade
from coursekit.lms_grades import read_roster
from coursekit.submission import build_submission

CHAPTERS = FIXTURES / "course" / "chapters"  # the fixture course
ROSTER = "name,identifier\nAna Pérez,S-1001\nBruno Lima,bruno@uni.edu\nChloé Roy,S-2002\nDan Wu,S-3003\n"


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants")
    roster = folder / "roster.csv"
    roster.write_text(ROSTER, "utf-8")
    made = make_assignment(CHAPTERS, "2,5", 10, 42, folder / "out", roster=read_roster(roster))
    return folder / "out", made, roster


def manifest(out, slug):
    return json.loads((out / "student" / slug / "assignment.json").read_text("utf-8"))


def listing(out):
    return json.loads((out / "instructor" / "variants.json").read_text("utf-8"))


def test_every_student_gets_files_and_the_instructor_a_listing(variants):
    out, made, _ = variants
    assert made["id"] == "assignment-2-5-n10-s42" and made["variants"] == 4
    for slug in ("s-1001", "bruno-uni-edu", "s-2002", "s-3003"):
        assert {"assignment.json", "assignment.html", "assignment.ipynb"} <= {
            p.name for p in (out / "student" / slug).iterdir()}
    ana = manifest(out, "s-1001")
    assert (ana["id"], ana["variant"], ana["student"]) == ("assignment-2-5-n10-s42-vs-1001", "S-1001", "Ana Pérez")
    listed = {v["identifier"]: v for v in listing(out)["variants"]}
    assert listed["S-1001"]["questions"] == [q["id"] for q in ana["questions"]]
    assert listed["S-1001"]["id"] == ana["id"] and listed["S-1001"]["student"] == "Ana Pérez"
    assert not (out / "student" / "assignment.json").exists()  # no shared manifest beside the variants
    key_md, key_html = ((out / "instructor" / name).read_text("utf-8") for name in ("key.md", "key.html"))
    for variant in listed.values():
        assert variant["id"].replace("-", "\\-") in key_md and variant["id"] in key_html
    assert key_md.count("## Variant:") == 4 and key_html.count("<h2>Variant:") == 4


def test_the_same_identifier_gives_the_same_variant(variants, tmp_path):
    out, _, roster = variants
    # a roster with the students in another order and the identifier typed otherwise
    other = tmp_path / "roster.csv"
    other.write_text("name,identifier\nDan Wu,S-3003\nAna Pérez, s-1001 \n", "utf-8")
    make_assignment(CHAPTERS, "2,5", 10, 42, tmp_path / "again", roster=read_roster(other))
    assert manifest(tmp_path / "again", "s-1001") == {**manifest(out, "s-1001"), "variant": "s-1001"}
    assert manifest(tmp_path / "again", "s-3003") == manifest(out, "s-3003")


def test_two_students_get_different_variants(variants):
    out, _, _ = variants
    ids = [tuple(v["questions"]) for v in listing(out)["variants"]]
    assert len(set(ids)) == len(ids)
    assert all(len(q) == 10 and len(set(q)) == 10 for q in ids)


def test_each_variant_covers_every_objective_group():
    banks = load_banks(select_banks(CHAPTERS, "2,5"))
    groups = {(b.chapter, q.objective) for b in banks for q in b.questions}
    group_of = {q.id: (b.chapter, q.objective) for b in banks for q in b.questions}
    assert 10 >= len(groups)
    for identifier in ("S-1001", "bruno@uni.edu", "S-2002", "x", "y"):
        drawn = stratified_questions(banks, 10, variant_random(42, identifier))
        assert len(drawn) == 10 and {group_of[q.id] for q in drawn} == groups
        sizes = {g: sum(1 for q in drawn if group_of[q.id] == g) for g in groups}
        assert max(sizes.values()) - min(sizes.values()) <= 2  # spread, not piled on one objective
    fewer = stratified_questions(banks, 3, variant_random(42, "S-1001"))
    assert len({group_of[q.id] for q in fewer}) == 3  # fewer than the groups: one from each of three


def test_option_order_differs_between_variants_for_a_shuffled_question(variants):
    out, _, _ = variants
    banks = load_banks(select_banks(CHAPTERS, "2,5"))
    shuffled = {q.id for b in banks for q in b.questions if q.shuffle and q.type in ("single", "multiple")}
    orders: dict[str, set] = {}
    for variant in listing(out)["variants"]:
        slug = variant["manifest"].split("/")[2]
        for entry in manifest(out, slug)["questions"]:
            if entry["id"] in shuffled:
                orders.setdefault(entry["id"], set()).add(tuple(entry["choices"]))
    assert any(len(seen) > 1 for seen in orders.values())
    for qid, seen in orders.items():  # the same options, only their order changes
        assert len({tuple(sorted(s)) for s in seen}) == 1, qid


def test_grading_gives_each_student_their_own_variant_score_and_max(variants, tmp_path):
    out, _, _ = variants
    banks = load_banks(select_banks(CHAPTERS, "2,5"))
    real = {q.id: q for b in banks for q in b.questions}
    subs = tmp_path / "subs"
    subs.mkdir()
    expected = {}
    for n, (slug, name, identifier) in enumerate((("s-1001", "Ana Pérez", "S-1001"),
                                                  ("bruno-uni-edu", "Bruno Lima", "bruno@uni.edu"))):
        data = manifest(out, slug)
        answers = {}
        for entry in data["questions"][: 6 if n == 0 else 3]:  # Ana answers six questions, Bruno three
            q = real[entry["id"]]
            if q.type in ("single", "truefalse"):
                answers[q.id] = q.answer
            elif q.type == "text":
                answers[q.id] = q.accept[0]
            elif q.type == "numeric":
                answers[q.id] = str(q.answer)
            elif q.type == "multiple":
                answers[q.id] = [entry["choices"][0]]  # the first option as this variant shows it
            elif q.type == "matching":
                answers[q.id] = {entry["lefts"][0]: entry["rights"][0]}
            else:
                answers[q.id] = list(q.items)
        expected[name] = round(sum(grade(real[qid], a).score for qid, a in answers.items()), 4)
        sub = build_submission(course=data["course"], chapter=data["id"], student=name, student_id=identifier,
                               answers=answers, responses={}, mode="assessment")
        (subs / f"{slug}.json").write_text(json.dumps(sub), "utf-8")
    gradebook = tmp_path / "g.csv"
    assert 0 == main(["grade", str(subs), "--banks", str(CHAPTERS), "--assignment",
                      str(out / "instructor" / "variants.json"), "--out", str(gradebook)])
    rows = list(csv.DictReader(gradebook.read_text("utf-8-sig").splitlines()))
    by_name = {r["student"]: r for r in rows}
    assert {n: float(by_name[n]["total"]) for n in expected} == expected
    assert by_name["Ana Pérez"]["max"] == by_name["Bruno Lima"]["max"] == "10"
    header = next(csv.reader(gradebook.read_text("utf-8-sig").splitlines()))
    questions = [h for h in header if h not in ("student", "student_id", "total", "max", "percent", "chapters", "files")]
    drawn = {qid for v in listing(out)["variants"][:2] for qid in v["questions"]}
    assert sorted(questions) == sorted(drawn)  # a column per question id, not per variant's question
    assert len(header) == len(set(header)) and "/" not in "".join(questions)
    for row in rows:  # a question the student's variant did not draw is blank
        mine = next(v for v in listing(out)["variants"] if v["student"] == row["student"])["questions"]
        assert all(row[q] == "" for q in questions if q not in mine)
        assert all(row[q] != "" for q in mine)

    # the same files for the LMS: every variant in the assignment's one grade column
    _, _, roster = variants
    title = listing(out)["title"]
    for fmt in ("canvas", "moodle"):
        lms = tmp_path / f"{fmt}.csv"
        assert 0 == main(["grade", str(subs), "--banks", str(CHAPTERS), "--assignment",
                          str(out / "instructor" / "variants.json"), "--format", fmt, "--roster", str(roster),
                          "--out", str(lms)])
        table = list(csv.reader(lms.read_text("utf-8").splitlines()))
        first = 5 if fmt == "canvas" else 2
        assert table[0][first:] == [title]  # one column, not one per variant
        if fmt == "canvas":
            assert table[1] == ["Points Possible", "", "", "", "", "10"]
        cells = {line[0] if fmt == "canvas" else line[1]: line[first] for line in table[1:]}
        assert {name: float(cells[name]) for name in expected} == expected
        assert cells["Chloé Roy"] == cells["Dan Wu"] == ""  # on the roster, nothing handed in


def test_a_submission_to_another_students_variant_is_said(variants, tmp_path, capsys):
    out, _, _ = variants
    data = manifest(out, "s-1001")
    sub = build_submission(course=data["course"], chapter=data["id"], student="Dan Wu", student_id="S-3003",
                           answers={}, responses={}, mode="assessment")
    (tmp_path / "dan.json").write_text(json.dumps(sub), "utf-8")
    assert 0 == main(["grade", str(tmp_path / "dan.json"), "--banks", str(CHAPTERS), "--assignment",
                      str(out / "instructor" / "variants.json"), "--out", str(tmp_path / "g.csv")])
    assert "handed in the variant made for S-1001" in capsys.readouterr().err


@pytest.mark.parametrize("text, message", [
    ("name,id\nAna,S-1\n", "the roster needs the columns name and identifier"),
    ("name,identifier\nAna,S-1\nBea,s-1\n", "identifier 's-1' is also on line 2"),
    ("name,identifier\nAna,a.b\nBea,a-b\n", "both give the folder name a-b"),
])
def test_a_roster_error_is_one_line(tmp_path, capsys, text, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(text, "utf-8")
    code = main(["assign", "--chapters", "2,5", "--count", "10", "--seed", "42", "--banks", str(CHAPTERS),
                 "--roster", str(roster), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert 1 == code and message in err and err.startswith("error:") and 1 == len(err.strip().splitlines())
    assert "Traceback" not in err and not (tmp_path / "out" / "student").exists()


def test_without_a_roster_nothing_changes(tmp_path):
    make_assignment(CHAPTERS, "2,5", 10, 42, tmp_path)
    assert (tmp_path / "student" / "assignment.json").exists()
    assert not (tmp_path / "instructor" / "variants.json").exists()


def test_analyse_reads_a_variants_file_as_one_assignment(tmp_path):
    """coursekit analyse --assignment variants.json: the quiz over every submission with the
    positions as its questions (Moodle's way with random questions), each question over the
    submissions whose variant drew it, and a question drawn too rarely withheld on its own."""
    import random

    roster = tmp_path / "roster.csv"
    roster.write_text("name,identifier\n" + "".join(f"Student {i},S-{i:03d}\n" for i in range(30)), "utf-8")
    out = tmp_path / "out"
    make_assignment(CHAPTERS, "2,5", 6, 7, out, roster=read_roster(roster))
    banks = load_banks(select_banks(CHAPTERS, "2,5"))
    real = {q.id: q for b in banks for q in b.questions}
    subs = tmp_path / "subs"
    subs.mkdir()
    rng = random.Random(1)
    marks: dict[str, list[float]] = {}
    for variant in listing(out)["variants"]:
        slug = variant["manifest"].split("/")[2]
        data = manifest(out, slug)
        answers = {}
        for entry in data["questions"]:
            q = real[entry["id"]]
            if q.type in ("single", "truefalse") and rng.random() < 0.6:
                answers[q.id] = q.answer
            elif q.type in ("single", "multiple"):
                answers[q.id] = [entry["choices"][0]] if q.type == "multiple" else entry["choices"][-1]
            elif q.type == "text":
                answers[q.id] = q.accept[0] if rng.random() < 0.5 else "no idea"
            elif q.type == "numeric":
                answers[q.id] = str(q.answer) if rng.random() < 0.5 else "0"
            marks.setdefault(q.id, []).append(grade(q, answers.get(q.id)).score)
        sub = build_submission(course=data["course"], chapter=data["id"], student=variant["student"],
                               student_id=variant["identifier"], answers=answers, responses={}, mode="assessment")
        (subs / f"{slug}.json").write_text(json.dumps(sub), "utf-8")
    analysis = tmp_path / "analysis"
    assert 0 == main(["analyse", str(subs), "--banks", str(CHAPTERS), "--assignment",
                      str(out / "instructor" / "variants.json"), "--min-group", "5", "--out", str(analysis)])
    folder = analysis / listing(out)["id"]
    quiz = json.loads((folder / "quiz.json").read_text("utf-8"))
    assert (quiz["n"], quiz["variants"], quiz["questions_per_submission"]) == (30, 30, 6)
    rows = {r["question"]: r for r in csv.DictReader((folder / "questions.csv").read_text("utf-8-sig").splitlines())}
    assert set(rows) == set(marks)  # every question any variant drew, once
    withheld = 0
    for qid, given in marks.items():
        row = rows[qid]
        assert int(row["n"]) == len(given) and row["effective_weight"] == ""
        if len(given) < 5:
            withheld += 1
            assert row["facility"] == "" and row["flags"].startswith("withheld: drawn for")
        else:
            assert float(row["facility"]) == pytest.approx(sum(given) / len(given), abs=1e-6)
    assert 0 < withheld < len(marks)  # the fixture draws some questions rarely
    positions = list(csv.DictReader((folder / "slots.csv").read_text("utf-8-sig").splitlines()))
    assert [p["position"] for p in positions] == ["1", "2", "3", "4", "5", "6"]
    assert sum(float(p["effective_weight"] or 0) for p in positions) == pytest.approx(100, abs=0.01)
    report = (folder / "report.html").read_text("utf-8")
    assert "<h2>Positions</h2>" in report and "30 variants" in report
