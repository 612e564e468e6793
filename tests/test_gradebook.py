"""`coursekit grade` and `coursekit digest`: scores, CSV cells, the report on bad files, escaping.

The submission files are in tests/fixtures/submissions/, each named by the case it shows.
Good ones use real question ids from chapters 01 and 02:

    good-ana-01.json        Ana Pérez, chapter 01: right, wrong, partial and missing answers
    good-ana-02.json        "  ana   PÉREZ ", chapter 02: the same student (case and spacing)
    good-chloe-02.json      Chloé Martin, chapter 02: partial credit, an invalid answer, hostile response
    duplicate-older.json    Ben Okafor, chapter 01, created 1 March (superseded)
    duplicate-newer.json    "ben okafor", chapter 01, created 5 March (counts)
    unknown-ids.json        Dan Ruiz: two known ids graded, two unknown ids reported
    formula-name.json       a student named =cmd|' /C calc'!A0
"""
from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path

import pytest

from coursekit import bank, cli, submission
from coursekit.cli import main
from coursekit.gradebook import neutralise
from coursekit.markup import md_escape

ROOT = Path(__file__).resolve().parent.parent
SUBS = Path(__file__).resolve().parent / "fixtures" / "submissions"
BANKS = str(Path(__file__).resolve().parent / "fixtures" / "course" / "chapters")  # frozen fixture banks

CH01 = ["ch01-definition", "ch01-instruments", "ch01-same-instrument", "ch01-no-wars", "ch01-scholars",
        "ch01-momep-guarantors", "ch01-charter-city", "ch01-rio-treaty-year", "ch01-order-institutions",
        "ch01-hand-in", "ch01-privacy", "ch01-course-features", "ch01-hand-in-order"]
CH02 = ["ch02-security-dilemma", "ch02-notification", "ch02-andean-crisis", "ch02-instruments-match",
        "ch02-joint-combined", "ch02-unitas-year", "ch02-securitization", "ch02-coordination-risks",
        "ch02-merida-name", "ch02-trust-accounts", "ch02-beagle-order", "ch02-spending-proof"]

GOOD = ["good-ana-01.json", "good-ana-02.json", "good-chloe-02.json", "duplicate-older.json",
        "duplicate-newer.json", "unknown-ids.json", "formula-name.json"]

BAD = {  # file -> the reason the report gives
    "malformed-json.json": "invalid JSON at line 1, column 49: Expecting property name enclosed in double quotes",
    "truncated.json": "truncated: the JSON ends early (line 6)",
    "not-an-object.json": "not a submission: the file holds a list, not an object",
    "wrong-schema.json": "does not match the submission schema: source: 'email' is not one of ['jupyter', 'book']",
    "foreign-course.json": "course 'intro-to-economics' is not this course (fixture-course)",
    "unsupported-version.json": "submission version 4 is not supported: this coursekit reads versions 1, 2 and 3 "
                                "(the file is from a newer coursekit",
    "not-utf8.json": "file is not UTF-8 (byte 0xfa on line 6)",
    "empty.json": "file is empty",
    "duplicate-key.json": "invalid JSON: key 'student' appears twice in one object",
    "bad-date.json": "created '2025-02-30T12:00:00Z' is not a real date and time",
    "unknown-chapter.json": "chapter '99-not-a-chapter' is not in the banks",
    # forged to replace Ana's real work as her "latest" submission
    "future-created.json": "created '9999-01-01T00:00:00Z' is in the future",
    "arabic-digits.json": "does not match the submission schema: created:",  # int() reads them as 2025
    "surrogate-name.json": "holds broken text (an unpaired surrogate, U+D800)",
    "too-many-answers.json": "answers has 501 entries; a submission may have at most 500",
}


_BANK_CACHE: dict = {}


@pytest.fixture(autouse=True)
def banks_loaded_once(monkeypatch):
    """Speed only: the chapter banks are parsed once per session (Bank objects are immutable)."""
    real = bank.load_banks

    def cached(paths, **kwargs):
        paths = list(paths)
        key = tuple(map(str, paths))
        if key not in _BANK_CACHE:
            _BANK_CACHE[key] = real(paths, **kwargs)
        return _BANK_CACHE[key]

    monkeypatch.setattr(bank, "load_banks", cached)


def run(capsys, *argv):
    code = main([*map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def read_csv(path: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    return header, {row[0]: dict(zip(header, row)) for row in rows[1:]}


@pytest.fixture
def graded(tmp_path, capsys):
    """The whole fixture folder graded once: (exit code, header, rows by student, stderr lines)."""
    out = tmp_path / "gradebook.csv"
    code, stdout, err = run(capsys, "grade", SUBS, "--out", out, "--banks", BANKS)
    header, rows = read_csv(out)
    return code, header, rows, err.splitlines(), stdout


# --- grade: scores and cells -------------------------------------------------------------

def test_fixture_folder_holds_exactly_the_documented_cases():
    assert sorted(p.name for p in SUBS.glob("*.json")) == sorted([*GOOD, *BAD])


def test_grade_header_is_course_order_then_totals(graded, tmp_path):
    code, header, rows, err, stdout = graded
    assert code == 0
    assert header == ["student", *CH01, *CH02, "total", "max", "percent", "chapters", "files"]
    assert stdout == f"wrote {tmp_path / 'gradebook.csv'}: 5 student(s), 6 chapter submission(s), 25 question column(s)\n"


def test_grade_exact_scores_with_partial_credit(graded):
    _, header, rows, _, _ = graded
    ana = rows["ana PÉREZ"]  # two files, one student: the name as written in the latest file
    assert [ana[q] for q in CH01] == ["1", "0.3333", "1", "0", "0.5", "1", "1", "0", "0.6667", "0", "1", "0", "1"]
    assert [ana[q] for q in CH02] == ["1", "1", "0", "0", "0", "1", "0", "0", "1", "0", "0", "0"]
    assert (ana["total"], ana["max"], ana["percent"]) == ("11.5", "25", "46")
    assert ana["chapters"] == "01-introduction; 02-role-of-military-diplomacy"
    assert ana["files"] == f"{SUBS / 'good-ana-01.json'}; {SUBS / 'good-ana-02.json'}"

    chloe = rows["Chloé Martin"]
    assert [chloe[q] for q in CH01] == [""] * 13  # chapter not submitted: empty, and not in max
    assert [chloe[q] for q in CH02] == ["0", "0", "1", "0.5", "0", "0", "0", "0.6667", "0", "0", "0.6", "1"]
    assert (chloe["total"], chloe["max"], chloe["percent"]) == ("3.7667", "12", "31.4")


def test_grade_duplicate_latest_created_counts(graded):
    _, _, rows, err, _ = graded
    assert set(rows) == {"'=cmd|' /C calc'!A0", "ana PÉREZ", "ben okafor", "Chloé Martin", "Dan Ruiz"}
    ben = rows["ben okafor"]  # only the newer file: 3 right; the older one had 8 right
    assert (ben["total"], ben["max"], ben["percent"]) == ("3", "13", "23.1")
    assert ben["files"] == str(SUBS / "duplicate-newer.json")
    assert (f"superseded {SUBS / 'duplicate-older.json'}: ben okafor sent 01-introduction again; "
            f"{SUBS / 'duplicate-newer.json'} (created 2025-03-05T08:00:00.5Z) replaces this one "
            f"(created 2025-03-01T08:00:00Z)") in err


def test_grade_unknown_ids_reported_known_ones_graded(graded):
    _, _, rows, err, _ = graded
    dan = rows["Dan Ruiz"]
    assert (dan["ch01-definition"], dan["ch01-charter-city"], dan["total"], dan["max"]) == ("1", "1", "2", "13")
    assert dan["ch02-unitas-year"] == ""  # answered in a chapter-01 file: not graded
    assert (f"warning {SUBS / 'unknown-ids.json'}: 2 answer(s) not graded, unknown question id(s) for "
            "01-introduction: ch01-made-up, ch02-unitas-year (a question of 02-role-of-military-diplomacy)") in err


def test_grade_formula_name_is_neutralised(graded, tmp_path):
    _, _, rows, _, _ = graded
    row = rows["'=cmd|' /C calc'!A0"]
    assert (row["ch01-privacy"], row["total"], row["percent"]) == ("1", "1", "7.7")
    raw = (tmp_path / "gradebook.csv").read_text("utf-8-sig")
    assert "\n'=cmd|' /C calc'!A0," in raw and "\n=cmd" not in raw


@pytest.mark.parametrize("cell,expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Ana", "Ana"), ("0.5", "0.5"), ("", ""), (None, ""),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_grade_csv_quotes_and_neutralises_names_with_commas_quotes_and_tabs(tmp_path, capsys):
    data = json.loads((SUBS / "formula-name.json").read_text("utf-8"))
    data["student"] = '\t@Smith, "Jo"\nX'
    (tmp_path / "s.json").write_text(json.dumps(data), "utf-8")
    code, _, _ = run(capsys, "grade", tmp_path / "s.json", "--out", tmp_path / "g.csv", "--banks", BANKS)
    assert code == 0
    _, rows = read_csv(tmp_path / "g.csv")
    assert list(rows) == ['\'@Smith, "Jo" X']  # spacing collapsed, then neutralised, then quoted by csv


# --- grade: the report on bad files ------------------------------------------------------

def test_grade_reports_every_bad_file_by_name_and_summarises(graded):
    _, _, _, err, _ = graded
    for name, reason in BAD.items():
        assert any(line.startswith(f"skipped {SUBS / name}: {reason}") for line in err), name
    assert ("summary: 6 submission file(s) graded for 5 student(s); 15 skipped, 1 superseded, "
            "1 with warnings") in err
    skipped_line = next(line for line in err if line.startswith("  skipped: "))
    # one line: the names that fit, then a count of the rest (each has its own line above)
    named = [name for name in BAD if str(SUBS / name) in skipped_line]
    assert len(skipped_line) <= 400 and named
    assert skipped_line.endswith(f"… and {len(BAD) - len(named)} more (each reason is above)")
    assert f"  superseded: {SUBS / 'duplicate-older.json'}" in err
    assert f"  warnings: {SUBS / 'unknown-ids.json'}" in err


@pytest.mark.parametrize("name", sorted(BAD))
def test_grade_one_bad_file_alone_exits_1(name, tmp_path, capsys):
    out = tmp_path / "g.csv"
    code, stdout, err = run(capsys, "grade", SUBS / name, "--out", out, "--banks", BANKS)
    assert code == 1 and stdout == "" and not out.exists()
    assert f"skipped {SUBS / name}: {BAD[name]}" in err
    assert err.rstrip().endswith(f"error: no submission could be graded; {out} was not written")


def test_grade_bad_file_never_loses_the_others(tmp_path, capsys):
    for name in ("malformed-json.json", "good-chloe-02.json", "truncated.json"):
        shutil.copy(SUBS / name, tmp_path / name)
    code, _, err = run(capsys, "grade", tmp_path, "--out", tmp_path / "g.csv", "--banks", BANKS)
    assert code == 0
    _, rows = read_csv(tmp_path / "g.csv")
    assert rows["Chloé Martin"]["total"] == "3.7667"
    assert "2 skipped" in err


def test_grade_huge_file_skipped_without_reading(tmp_path, capsys, monkeypatch):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # 50 MB of real bytes, made at test time
        handle.write(b'{"student": "' + b"x" * (50 * 1024 * 1024) + b'"}')
    shutil.copy(SUBS / "good-chloe-02.json", tmp_path / "ok.json")
    opened = []
    real_open = open
    monkeypatch.setattr(submission, "open", lambda path, *a, **k: opened.append(Path(path).name) or real_open(path, *a, **k),
                        raising=False)
    start = time.perf_counter()
    code, _, err = run(capsys, "grade", tmp_path, "--out", tmp_path / "g.csv", "--banks", BANKS)
    assert time.perf_counter() - start < 5
    assert code == 0 and opened == ["ok.json"]
    assert (f"skipped {huge}: file is 52,428,815 bytes; a submission may be at most 5,242,880 (5 MB), "
            "so it was not read") in err.splitlines()


def test_grade_unreadable_and_missing_files(tmp_path, capsys, monkeypatch):
    shutil.copy(SUBS / "good-chloe-02.json", tmp_path / "ok.json")
    shutil.copy(SUBS / "good-ana-01.json", tmp_path / "locked.json")
    (tmp_path / "broken-link.json").symlink_to(tmp_path / "gone.json")
    real_open = open

    def fake_open(path, *a, **k):
        if Path(path).name == "locked.json":  # the tests may run as root, where chmod 000 still reads
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)

    monkeypatch.setattr(submission, "open", fake_open, raising=False)
    code, _, err = run(capsys, "grade", tmp_path, tmp_path / "nowhere.json", "--out", tmp_path / "g.csv", "--banks", BANKS)
    assert code == 0
    lines = err.splitlines()
    assert f"skipped {tmp_path / 'locked.json'}: cannot read the file: Permission denied" in lines
    assert f"skipped {tmp_path / 'broken-link.json'}: a link that leads nowhere or to itself" in lines
    assert f"skipped {tmp_path / 'nowhere.json'}: file not found (or a broken link)" in lines


def test_grade_same_created_time_later_file_counts(tmp_path, capsys):
    data = json.loads((SUBS / "good-chloe-02.json").read_text("utf-8"))
    (tmp_path / "a.json").write_text(json.dumps(data), "utf-8")
    data["answers"] = {}
    (tmp_path / "b.json").write_text(json.dumps(data), "utf-8")
    code, _, err = run(capsys, "grade", tmp_path, "--out", tmp_path / "g.csv", "--banks", BANKS)
    assert code == 0 and read_csv(tmp_path / "g.csv")[1]["Chloé Martin"]["total"] == "0"
    assert f"superseded {tmp_path / 'a.json'}:" in err and "(same time; the later file in the batch counts)" in err


def test_created_fractions_sort_by_time():
    parse = submission.parse_created
    assert parse("2025-03-05T08:00:00Z") < parse("2025-03-05T08:00:00.05Z") < parse("2025-03-05T08:00:00.5Z")
    assert parse("2025-03-05T08:00:00.50Z") == parse("2025-03-05T08:00:00.5Z")
    assert parse("2025-03-05T08:00:00.9Z") < parse("2025-03-05T08:00:01Z")


def test_grade_fatal_errors_are_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "grade", SUBS / "good-ana-01.json", "--out", tmp_path / "no" / "g.csv", "--banks", BANKS)
    assert code == 1 and err.startswith("error: cannot write") and "does not exist" in err
    code, _, err = run(capsys, "grade", SUBS / "good-ana-01.json", "--out", tmp_path / "g.csv", "--banks", tmp_path)
    assert code == 1 and err == f"error: {tmp_path}: no question banks (*.yml) found\n"
    code, _, err = run(capsys, "grade", SUBS / "good-ana-01.json", "--out", tmp_path / "g.txt", "--banks", BANKS)
    assert code == 1 and err.startswith("error: --out must end in .csv")


# --- digest ------------------------------------------------------------------------------

HOSTILE = ("<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "<script>")


def digest(capsys, tmp_path, name, *extra, prompt="ch02-d-shared-threats"):
    out = tmp_path / name
    code, stdout, err = run(capsys, "digest", SUBS, "--prompt", prompt, "--out", out, "--banks", BANKS, *extra)
    return code, (out.read_text("utf-8") if out.exists() else ""), stdout, err


def test_digest_html_is_a_standalone_escaped_anonymised_page(tmp_path, capsys):
    code, page, stdout, err = digest(capsys, tmp_path, "digest.html")
    assert code == 0 and stdout.strip() == f"wrote {tmp_path / 'digest.html'}: 2 response(s) to ch02-d-shared-threats, anonymised"
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>Discussion digest: ch02-d-shared-threats</title>" in page and "<style>" in page
    assert "<h1>Discussion digest</h1>" in page and "<h2 id=\"h-prompt\">The prompt</h2>" in page
    assert "Should Latin American armed forces coordinate across borders" in page
    assert "<li>What are the risks of securitization for human rights and civilian control?</li>" in page
    assert "2 responses, 35 words in all (shortest 17, longest 18, average 18)" in page
    # anonymised, oldest export first: Chloé (4 March) is Student 1, Ana (10 March) Student 2
    assert page.index("Student 1 <span class=\"words\">(17 words)") < page.index("Student 2 <span class=\"words\">(18 words)")
    assert page.index("&lt;img src=x") < page.index("Armed forces can watch remote borders")
    for leak in ("Chloé", "Martin", "Ana", "PÉREZ", "Pérez", ".json"):
        assert leak not in page
    # hostile text stays text; nothing external is loaded
    for raw in ("<img", "<script", "onerror=alert(1)>"):
        assert raw not in page
    assert "[x](javascript:alert(1))" in page  # plain text in HTML: no link is made
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page and " src=" not in page.replace("&lt;img src=", "")
    assert "Content-Security-Policy" in page


def test_digest_named_shows_escaped_names(tmp_path, capsys):
    code, page, stdout, _ = digest(capsys, tmp_path, "digest.html", "--named")
    assert code == 0 and stdout.rstrip().endswith("named")
    assert "<h3>Chloé Martin <span" in page and "<h3>ana PÉREZ <span" in page and "Student 1" not in page


def test_digest_markdown_escapes_markup(tmp_path, capsys):
    code, page, _, _ = digest(capsys, tmp_path, "digest.md")
    assert code == 0
    for raw in HOSTILE:
        assert raw not in page
    assert "&lt;img src\\=x onerror\\=alert\\(1\\)&gt;" in page
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in page
    assert "### Student 1 (17 words)" in page and "Chloé" not in page
    import markdown_it
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(page)
    assert "<img" not in rendered and "<a " not in rendered and "<script" not in rendered and "<em>" not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered and "[x](javascript:alert(1))" in rendered
    assert "# Not a heading" in rendered and "<h1>Not a heading" not in rendered


@pytest.mark.parametrize("text", ["[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "![a](http://e/x.png)",
                                  "<http://e>", "`code`", "**b** _i_ ~~s~~", "# h", "| a | b |", "&amp; &lt;",
                                  "1. not a list", "- not a list", "> not a quote", "{role}`x`", "$x$"])
def test_md_escape_keeps_text_as_typed(text):
    import html

    import markdown_it
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md_escape(text))
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n")  # one plain paragraph, nothing else
    assert "<" not in rendered[3:-5]
    assert html.unescape(rendered[3:-5]) == text


def test_digest_duplicates_latest_counts(tmp_path, capsys):
    code, page, _, err = digest(capsys, tmp_path, "d.md", "--named", prompt="ch01-d-soldiers-as-diplomats")
    assert code == 0
    assert "The final version\\." in page and "older draft" not in page
    assert page.index("### Ana Pérez (8 words)") < page.index("### ben okafor (3 words)")  # by created
    assert f"superseded {SUBS / 'duplicate-older.json'}:" in err
    assert f"skipped {SUBS / 'truncated.json'}: truncated" in err  # same robustness as grade


def test_digest_unknown_prompt_lists_nearby_ids(tmp_path, capsys):
    code, page, _, err = digest(capsys, tmp_path, "d.html", prompt="ch02-d-shared")
    assert code == 1 and page == ""
    assert err.startswith("error: --prompt: no discussion prompt 'ch02-d-shared' in the banks; nearby ids: "
                          "ch02-d-channels-or-politics, ch02-d-shared-threats")
    code, _, _, err = digest(capsys, tmp_path, "d.html", prompt="ch02-unitas-year")
    assert code == 1 and "'ch02-unitas-year' is a quiz question, not a discussion prompt" in err


def test_digest_without_responses_or_readable_files_exits_1(tmp_path, capsys):
    # a real prompt nobody answered
    code, page, _, err = digest(capsys, tmp_path, "d.html", prompt="ch01-d-zone-of-peace")
    assert code == 1 and page == ""
    assert "error: none of the 7 readable submission(s) has a response to ch01-d-zone-of-peace" in err
    code, _, err = run(capsys, "digest", SUBS / "truncated.json", "--prompt", "ch01-d-zone-of-peace",
                       "--out", tmp_path / "d.md", "--banks", BANKS)
    assert code == 1 and err.rstrip().endswith("error: no submission could be read; " f"{tmp_path / 'd.md'} was not written")


def test_register_adds_both_subcommands():
    from coursekit.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["grade", "x.json", "--out", "g.csv"]).banks is None  # the course's banks
    args = parser.parse_args(["digest", "d", "--prompt", "p", "--out", "d.md"])
    assert (args.named, args.run) == (False, cli.cmd_digest)


def test_documented_example_is_valid_and_grades(tmp_path, capsys):
    import re

    from coursekit.submission import schema_errors

    doc = (ROOT / "docs" / "submission-format.md").read_text("utf-8")
    example = re.search(r"## Example\n\n```json\n(.*?)```", doc, re.S).group(1)
    assert schema_errors(json.loads(example)) == []
    # graded against the fixture course, whose frozen banks hold the example's questions
    (tmp_path / "example.json").write_text(example.replace('"military-diplomacy-latam"', '"fixture-course"'), "utf-8")
    code, _, _ = run(capsys, "grade", tmp_path, "--out", tmp_path / "g.csv", "--banks", BANKS)
    assert code == 0 and read_csv(tmp_path / "g.csv")[1]["Ana Pérez"]["total"] == "5.9167"


def test_links_and_undecodable_names_are_refused_by_name_and_the_rest_go_on(tmp_path, capsys):
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copy(SUBS / "good-chloe-02.json", folder / "ok.json")
    good = json.loads((SUBS / "good-ana-01.json").read_text("utf-8"))
    (folder / "loop-a.json").symlink_to(folder / "loop-b.json")
    (folder / "loop-b.json").symlink_to(folder / "loop-a.json")
    (folder / "outside.json").symlink_to(SUBS / "good-ana-02.json")
    bad_name = folder.as_posix().encode() + b"/\xff-ana.json"
    with open(bad_name, "w", encoding="utf-8") as handle:
        json.dump(good, handle)
    started = time.perf_counter()
    code, _, err = run(capsys, "grade", folder, "--out", tmp_path / "g.csv", "--banks", BANKS)
    assert time.perf_counter() - started < 5
    assert code == 0
    reasons = {line.split(": ", 1)[0].rsplit("/", 1)[-1]: line.split(": ", 1)[1]
               for line in err.splitlines() if line.startswith("skipped ")}
    assert "leads nowhere or to itself" in reasons["loop-a.json"] == reasons["loop-b.json"]
    assert "outside the folder" in reasons["outside.json"]
    assert "not valid UTF-8; rename" in reasons["\\udcff-ana.json"]
    assert all(len(line) <= 400 for line in err.splitlines()), [line for line in err.splitlines() if len(line) > 400]
    _, rows = read_csv(tmp_path / "g.csv")
    assert len(rows) == 1  # the one good file was graded


def _course_repo(tmp_path) -> Path:
    """A course folder that is a git repository with the usual .gitignore (private/ ignored)."""
    import subprocess

    repo = tmp_path / "course"
    shutil.copytree(Path(BANKS).parent.parent, repo, ignore=shutil.ignore_patterns("submissions", "private"))
    shutil.copy(ROOT / ".gitignore", repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def test_instructor_outputs_default_to_the_ignored_private_folder(tmp_path, capsys, monkeypatch):
    repo = _course_repo(tmp_path)
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, "grade", SUBS / "good-ana-01.json")
    assert code == 0 and (repo / "private" / "gradebook.csv").is_file()
    assert "warning:" not in err  # private/ is in .gitignore
    code, out, err = run(capsys, "export", "--format", "gift")
    assert code == 0 and list((repo / "private" / "exports").glob("*.gift"))
    code, out, err = run(capsys, "grade", SUBS / "good-ana-01.json", "--out", repo / "grades.csv")
    assert code == 0
    assert any(line.startswith(f"warning: {repo / 'grades.csv'} is inside the git repository") and
               "`git add -A` would publish it" in line for line in err.splitlines())


# --- version 2: every chapter in one file, and the student identifier ---------------------------

def _v2(tmp_path, name, *, student="Ana Pérez", student_id=None, created="2025-03-03T09:00:00Z", **body):
    data = {"format": "coursekit-submission", "version": 2, "course": "fixture-course", "student": student,
            "created": created, "source": "book"}
    if student_id is not None:
        data["student_id"] = student_id
    data.update(body)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def _answers():
    banks = {b.chapter: b for b in bank.load_banks(sorted(Path(BANKS).glob("*.yml")))}
    return (banks["01-introduction"].question("ch01-no-wars").answer,
            banks["02-role-of-military-diplomacy"].question("ch02-notification").answer)


def test_a_file_of_every_chapter_is_graded_as_its_chapters(tmp_path, capsys):
    no_wars, notification = _answers()
    combined = _v2(tmp_path, "submission-all-ana-perez.json", student_id="S-1234", chapters={
        "01-introduction": {"mode": "practice", "answers": {"ch01-no-wars": no_wars}, "responses": {}},
        "02-role-of-military-diplomacy": {"mode": "practice", "answers": {"ch02-notification": notification},
                                          "responses": {"ch02-d-shared-threats": "text"}},
        "99-not-a-chapter": {"mode": "practice", "answers": {}, "responses": {}}})
    out = tmp_path / "g.csv"
    code, stdout, err = run(capsys, "grade", combined, "--out", out, "--banks", BANKS)
    header, rows = read_csv(out)
    assert code == 0 and header[:2] == ["student", "student_id"]
    row = rows["Ana Pérez"]
    assert (row["student_id"], row["total"], row["max"]) == ("S-1234", "2", str(len(CH01) + len(CH02)))
    assert row["chapters"] == "01-introduction; 02-role-of-military-diplomacy"
    assert row["files"] == str(combined)  # listed once
    assert "1 chapter(s) not graded, not in the banks: 99-not-a-chapter" in err


def test_version_1_files_are_still_graded_beside_version_2(tmp_path, capsys):
    out = tmp_path / "g.csv"
    code, _, err = run(capsys, "grade", SUBS / "good-ana-01.json", "--out", out, "--banks", BANKS)
    header, rows = read_csv(out)
    assert code == 0 and "student_id" not in header and "Ana Pérez" in rows  # no identifier: no column


def test_students_are_matched_by_identifier_when_given(tmp_path, capsys):
    no_wars, notification = _answers()
    one = {"mode": "practice", "answers": {"ch01-no-wars": no_wars}, "responses": {}}
    files = [
        # two students of one name, told apart by their identifiers
        _v2(tmp_path, "a.json", student="Ana Pérez", student_id="S-1", chapter="01-introduction", **one),
        _v2(tmp_path, "b.json", student="Ana Pérez", student_id="S-2", chapter="01-introduction", **one),
        # one student who spelt her name two ways: one row, by the identifier (case and spacing ignored)
        _v2(tmp_path, "c1.json", student="Chloé Martin", student_id="chloe@uni.edu", chapter="01-introduction", **one),
        _v2(tmp_path, "c2.json", student="Chloe Martin-Ruiz", student_id=" CHLOE@uni.edu ",
            chapter="02-role-of-military-diplomacy", mode="practice",
            answers={"ch02-notification": notification}, responses={}),
        # a file without an identifier joins the one identifier its name was given with
        _v2(tmp_path, "d1.json", student="Dan Ruiz", student_id="S-9", chapter="01-introduction", **one),
        _v2(tmp_path, "d2.json", student="dan  ruiz", chapter="02-role-of-military-diplomacy", mode="practice",
            answers={"ch02-notification": notification}, responses={}),
        # ... but not when two students of that name gave identifiers: matched by name, and reported
        _v2(tmp_path, "e.json", student="Ana Pérez", chapter="02-role-of-military-diplomacy", mode="practice",
            answers={}, responses={}),
    ]
    out = tmp_path / "g.csv"
    code, _, err = run(capsys, "grade", *files, "--out", out, "--banks", BANKS)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    got = sorted((r["student"], r["student_id"], r["chapters"], r["total"]) for r in table)
    assert got == [
        ("Ana Pérez", "", "02-role-of-military-diplomacy", "0"),
        ("Ana Pérez", "S-1", "01-introduction", "1"),
        ("Ana Pérez", "S-2", "01-introduction", "1"),
        ("Chloe Martin-Ruiz", "CHLOE@uni.edu", "01-introduction; 02-role-of-military-diplomacy", "2"),
        ("dan ruiz", "S-9", "01-introduction; 02-role-of-military-diplomacy", "2"),  # the latest file's spelling
    ]
    assert f"warning {files[-1]}: no student identifier, and 2 students named Ana Pérez gave one" in err
    assert "student identifier chloe@uni.edu: sent with different names (Chloe Martin-Ruiz, Chloé Martin)" in err


def test_a_later_file_of_every_chapter_supersedes_an_earlier_chapter_file(tmp_path, capsys):
    no_wars, _ = _answers()
    old = _v2(tmp_path, "old.json", student_id="S-1", created="2025-03-01T09:00:00Z", chapter="01-introduction",
              mode="practice", answers={}, responses={})
    new = _v2(tmp_path, "all.json", student_id="s-1", created="2025-03-05T09:00:00Z", chapters={
        "01-introduction": {"mode": "practice", "answers": {"ch01-no-wars": no_wars}, "responses": {}}})
    out = tmp_path / "g.csv"
    code, _, err = run(capsys, "grade", old, new, "--out", out, "--banks", BANKS)
    _, rows = read_csv(out)
    assert rows["Ana Pérez"]["total"] == "1" and f"superseded {old}" in err


@pytest.mark.parametrize("student_id,reason", [
    ("S-1\n2", "the student identifier holds a control character (U+000A)"),
    ("x" * 101, "the student identifier is 101 characters; it may be at most 100"),
    ("   ", "the student identifier is blank"),
])
def test_a_bad_identifier_is_refused_by_name(tmp_path, capsys, student_id, reason):
    bad = _v2(tmp_path, "bad.json", student_id=student_id, chapter="01-introduction", mode="practice",
              answers={}, responses={})
    good = SUBS / "good-ana-01.json"
    code, _, err = run(capsys, "grade", bad, good, "--out", tmp_path / "g.csv", "--banks", BANKS)
    assert code == 0 and f"skipped {bad}: {reason}" in err


def test_question_columns_counts_only_questions():
    from coursekit.gradebook import question_columns

    assert question_columns(["student", "student_id", "q1", "q2", "total", "max", "percent", "chapters", "files"]) == 2
    assert question_columns(["student", "q1", "total", "max", "percent", "chapters", "files"]) == 1
