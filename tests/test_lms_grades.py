"""Grades in the files Canvas's and Moodle's gradebook imports accept, matched by the roster."""
import csv
import json
import shutil

import pytest

from conftest import FIXTURES
from coursekit.cli import main

SUBS = FIXTURES / "submissions"
BANKS = FIXTURES / "course" / "chapters"


@pytest.fixture
def handed_in(tmp_path):
    """Ana (two chapters, no identifier), Chloé (one chapter) and Zoe, who typed an identifier
    but is not in the roster."""
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("good-ana-01.json", "good-ana-02.json", "good-chloe-02.json"):
        shutil.copy(SUBS / name, folder / name)
    zoe = json.loads((SUBS / "good-chloe-02.json").read_text("utf-8"))
    zoe.update(student="Zoe Quispe", version=2, student_id="S-9999")
    (folder / "zoe.json").write_text(json.dumps(zoe), "utf-8")
    chloe = json.loads((SUBS / "good-chloe-02.json").read_text("utf-8"))
    chloe.update(version=2, student_id=" s-2002 ")  # typed with other spacing and case than the roster
    (folder / "good-chloe-02.json").write_text(json.dumps(chloe), "utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,identifier,canvas_id,section\nAna Pérez,S-1001,501,Seminar A\n"
                      "Chloé Martin,S-2002,502,Seminar B\nBruno Lima,S-3003,503,Seminar A\n", "utf-8")
    return folder, roster


def rows_of(path):
    return list(csv.reader(path.read_text("utf-8").splitlines()))


def test_canvas_file_has_canvas_header_points_and_every_student(handed_in, tmp_path, capsys):
    folder, roster = handed_in
    out = tmp_path / "canvas.csv"
    assert 0 == main(["grade", str(folder), "--banks", str(BANKS), "--format", "canvas", "--roster", str(roster),
                      "--out", str(out)])
    table = rows_of(out)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                        "Quiz 1 (01-introduction)", "Quiz 2 (02-role-of-military-diplomacy)"]
    assert table[1][0] == "Points Possible" and table[1][5:] == ["13", "12"]
    by_name = {r[0]: r for r in table[2:]}
    assert by_name["Ana Pérez"][:5] == ["Ana Pérez", "501", "S-1001", "", "Seminar A"]
    assert by_name["Ana Pérez"][5] != "" and by_name["Ana Pérez"][6] != ""  # matched by name: no identifier typed
    assert by_name["Chloé Martin"][5] == "" and by_name["Chloé Martin"][6] != ""  # matched by identifier
    assert by_name["Bruno Lima"][5:] == ["", ""]  # in the roster, handed in nothing: blank, not zero
    assert by_name["Zoe Quispe"][1:5] == ["", "", "", ""]  # never dropped: kept with no identifier
    err = capsys.readouterr().err
    assert "not in the roster (kept at the end with no identifier): Zoe Quispe (S-9999)" in err


def test_moodle_file_maps_by_id_number_and_blanks_strangers(handed_in, tmp_path):
    folder, roster = handed_in
    out = tmp_path / "moodle.csv"
    assert 0 == main(["grade", str(folder), "--banks", str(BANKS), "--format", "moodle", "--roster", str(roster),
                      "--out", str(out)])
    table = rows_of(out)
    assert table[0][:2] == ["ID number", "Full name"]
    ids = [r[0] for r in table[1:]]
    assert ids == ["S-1001", "S-2002", "S-3003", ""]  # Moodle skips a blank identifier; an unknown one stops its import
    for r in table[1:]:
        for cell in r[2:]:
            assert cell == "" or float(cell) >= 0


def test_scores_agree_with_the_csv_gradebook(handed_in, tmp_path):
    folder, roster = handed_in
    main(["grade", str(folder), "--banks", str(BANKS), "--out", str(tmp_path / "g.csv")])
    main(["grade", str(folder), "--banks", str(BANKS), "--format", "moodle", "--roster", str(roster),
          "--out", str(tmp_path / "m.csv")])
    from coursekit.submission import student_key

    gradebook = {student_key(r["student"]): float(r["total"]) for r in csv.DictReader(
        (tmp_path / "g.csv").read_text("utf-8-sig").splitlines())}
    moodle = {student_key(r[1]): sum(float(c) for c in r[2:] if c) for r in rows_of(tmp_path / "m.csv")[1:]}
    for name in ("Ana Pérez", "Chloé Martin"):  # points to 2 places, as Canvas shows them
        assert moodle[student_key(name)] > 0
        assert moodle[student_key(name)] == pytest.approx(gradebook[student_key(name)], abs=0.01)


@pytest.mark.parametrize("content, message", [
    ("name,email\nAna,a@x\n", "needs the columns name and identifier (missing: identifier)"),
    ("name,identifier\nAna,S-1\nBea,s-1\n", "roster.csv:3: identifier 's-1' is also on line 2"),
    ("name,identifier\nAna,\n", ":2: every student needs a name and an identifier"),
    ("name,identifier\n", "the roster lists no students"),
])
def test_a_bad_roster_is_one_clear_line_and_nothing_is_written(handed_in, tmp_path, capsys, content, message):
    folder, roster = handed_in
    roster.write_text(content, "utf-8")
    out = tmp_path / "canvas.csv"
    assert 1 == main(["grade", str(folder), "--banks", str(BANKS), "--format", "canvas", "--roster", str(roster),
                      "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not out.exists()


def test_an_lms_format_needs_a_roster(handed_in, tmp_path, capsys):
    folder, _ = handed_in
    assert 1 == main(["grade", str(folder), "--banks", str(BANKS), "--format", "canvas", "--out", str(tmp_path / "c.csv")])
    assert "--format canvas needs --roster" in capsys.readouterr().err


def test_one_matching_rule_for_rosters_and_marks():
    """submission.StudentIndex, used by the LMS files and by `grade --marks`: the identifier when both
    sides give one, else the one entry of that name whose identifier does not contradict."""
    from coursekit.submission import StudentIndex

    index = StudentIndex()
    index.add("ana", "Ana Pérez", "S-1")
    index.add("ana2", "Ana Pérez", "S-2")
    index.add("bruno", "Bruno Lima", "S-3")
    index.add("chloe", "Chloé Roy")
    assert index.find("anyone", " s-1 ") == "ana"  # the identifier wins over the name
    assert index.find("Ana Pérez") is None  # two of that name, no identifier: no guess
    assert index.find("  bruno LIMA") == "bruno"  # no identifier given: the one of that name
    assert index.find("Bruno Lima", "S-9") is None  # an identifier that contradicts his
    assert index.find("Chloé Roy", "S-7") == "chloe"  # the entry has none to contradict
