"""Sealed assessment banks: readable with the instructor's key and with nothing else.

The fixture course has two TEST assessment banks: their plain source in
course/assessment-source/ and their sealed copies in course/assessment/, sealed with
tests/fixtures/assessment-test.key (a key for tests only; the course's real key is never in
the repository)."""
import csv
import json
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT
from coursekit.bank import load_banks
from coursekit.course import load_course
from coursekit.errors import AssessmentKeyError, BankError
from coursekit.sealed import KEY_ENV, find_key, load_sealed_banks, seal_folder, sealed_files

TEST_KEY = FIXTURES / "assessment-test.key"
SEALED = FIXTURES / "course" / "assessment"
SOURCE = FIXTURES / "course" / "assessment-source"


def coursekit(*args, cwd=FIXTURES, env=None):
    return subprocess.run([sys.executable, "-m", "coursekit", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=env)


def test_the_sealed_fixture_opens_with_the_test_key_and_matches_its_source():
    opened = load_sealed_banks(SEALED, TEST_KEY.read_bytes())
    plain = load_banks(sorted(SOURCE.glob("*.yml")), course=load_course(FIXTURES))
    assert [b.chapter for b in opened] == [b.chapter for b in plain]
    assert [b.questions for b in opened] == [b.questions for b in plain]  # re-seal after editing the source


def test_a_sealed_file_shows_nothing_of_its_questions():
    for path in sealed_files(SEALED):
        data = path.read_bytes()
        for secret in (b"zebra", b"radio link", b"a02-", b"Verification", b"answer"):
            assert secret not in data, (path.name, secret)


def test_without_the_right_key_nothing_opens(tmp_path):
    from coursekit.sealed import new_key

    with pytest.raises(AssessmentKeyError, match="this key does not open it"):
        load_sealed_banks(SEALED, new_key())
    with pytest.raises(AssessmentKeyError, match="is not a key"):
        load_sealed_banks(SEALED, b"password123")
    damaged = tmp_path / "assessment"
    shutil.copytree(SEALED, damaged)
    first = sealed_files(damaged)[0]
    token = bytearray(first.read_bytes().strip())
    token[40] = ord("A") if token[40] != ord("A") else ord("B")
    first.write_bytes(bytes(token))
    with pytest.raises(AssessmentKeyError, match=f"{first.name}: this key does not open it"):
        load_sealed_banks(damaged, TEST_KEY.read_bytes(), course=load_course(FIXTURES))


def test_the_key_is_found_in_the_option_the_environment_or_private(tmp_path, monkeypatch):
    course = load_course(FIXTURES)
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(AssessmentKeyError, match="ask the course's maintainers.*--practice"):
        find_key(course)
    assert find_key(course, TEST_KEY) == TEST_KEY.read_bytes().strip()
    monkeypatch.setenv(KEY_ENV, TEST_KEY.read_text().strip())
    assert find_key(course) == TEST_KEY.read_bytes().strip()


def test_assign_draws_from_the_sealed_banks_and_grade_reopens_them(tmp_path):
    out = tmp_path / "a"
    run = coursekit("assign", "--chapters", "2,5", "--key", TEST_KEY, "--out", out)
    assert 0 == run.returncode, run.stderr
    manifest = json.loads((out / "student" / "assignment.json").read_text("utf-8"))
    assert manifest["source"] == "assessment"
    assert [q["id"] for q in manifest["questions"]] == [
        "a02-hotline-scenario", "a02-trust-claim", "a02-channel-name", "a05-observer-value", "a05-observer-count"]
    student = "".join(p.read_text("utf-8") for p in (out / "student").iterdir())
    assert "zebra" not in student and "radio link between" in student  # options shown, no accepted answer
    submission = {"format": "coursekit-submission", "version": 1, "course": "fixture-course",
                  "chapter": manifest["id"], "student": "Ana", "created": "2026-12-01T10:00:00Z",
                  "source": "book", "mode": "assessment",
                  "answers": {"a02-hotline-scenario": "A standing radio link between the two border commands",
                              "a02-channel-name": "Fixture attaché zebra", "a05-observer-count": "4"},
                  "responses": {}}
    sub = tmp_path / "submission.json"
    sub.write_text(json.dumps(submission), "utf-8")
    gradebook = tmp_path / "gradebook.csv"
    run = coursekit("grade", sub, "--assignment", out / "student" / "assignment.json", "--key", TEST_KEY,
                    "--out", gradebook)
    assert 0 == run.returncode, run.stderr + run.stdout
    rows = list(csv.DictReader(gradebook.read_text("utf-8-sig").splitlines()))
    assert (float(rows[0]["total"]), rows[0]["max"]) == (3.0, "5")
    run = coursekit("grade", sub, "--assignment", out / "student" / "assignment.json", "--out", gradebook,
                    env={k: v for k, v in __import__("os").environ.items() if k != KEY_ENV})
    assert 1 == run.returncode and run.stderr.startswith("error: no assessment key") and "Traceback" not in run.stderr


def test_assign_without_a_key_says_how_to_get_one_and_practice_warns(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if k != KEY_ENV}
    run = coursekit("assign", "--chapters", "2", "--out", tmp_path / "none", env=env)
    assert 1 == run.returncode and "ask the course's maintainers" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "none").exists()
    run = coursekit("assign", "--chapters", "2", "--practice", "--out", tmp_path / "p", env=env)
    assert 0 == run.returncode, run.stderr
    assert "warning: drawing from the practice banks, whose keys students have seen" in run.stderr
    manifest = json.loads((tmp_path / "p" / "student" / "assignment.json").read_text("utf-8"))
    assert manifest["source"] == "practice" and not any(q["id"].startswith("a02-") for q in manifest["questions"])


def test_seal_refuses_an_invalid_bank_and_writes_nothing(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(SOURCE, source)
    (source / "05-conflict-prevention-and-resolution.yml").write_text("chapter: 05-conflict-prevention-and-resolution\n"
                                                                       "objectives: {}\nquestions: [{id: x}]\n", "utf-8")
    with pytest.raises(BankError):
        seal_folder(source, tmp_path / "out", TEST_KEY.read_bytes(), course=load_course(FIXTURES))
    assert not (tmp_path / "out").exists()


def test_keygen_never_overwrites_a_key(tmp_path):
    key = tmp_path / "k.key"
    assert 0 == coursekit("keygen", "--out", key).returncode
    first = key.read_bytes()
    run = coursekit("keygen", "--out", key)
    assert 1 == run.returncode and "a key is never overwritten" in run.stderr and key.read_bytes() == first


def test_unseal_round_trips_for_maintainers(tmp_path):
    run = coursekit("unseal", "--key", TEST_KEY, "--out", tmp_path / "plain")
    assert 0 == run.returncode, run.stderr
    assert sorted(p.name for p in (tmp_path / "plain").iterdir()) == sorted(p.name for p in SOURCE.glob("*.yml"))
    resealed = seal_folder(tmp_path / "plain", tmp_path / "sealed", TEST_KEY.read_bytes(), course=load_course(FIXTURES))
    assert [p.name for p in resealed] == [p.name for p in sealed_files(SEALED)]


def test_seal_refuses_a_bank_below_the_courses_minimum(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(SOURCE, source)
    bank = source / "05-conflict-prevention-and-resolution.yml"
    text = bank.read_text("utf-8")
    bank.write_text(text[: text.index("  - id: a05-observer-count")], "utf-8")  # one question left
    with pytest.raises(BankError, match="has 1 questions; an assessment bank needs at least 2"):
        seal_folder(source, tmp_path / "out", TEST_KEY.read_bytes(), course=load_course(FIXTURES))
    assert not (tmp_path / "out").exists()


def test_the_course_has_a_sealed_assessment_bank_for_every_chapter():
    """The real banks can be opened only with the instructor key, which tests never have; what
    can be checked without it is that every chapter has one and that it is sealed."""
    from coursekit.bank import select_banks

    course = load_course(ROOT)
    chapters = [p.stem for p in select_banks(course.banks_dir, course=course)]
    sealed = sealed_files(course.assessment_dir)
    assert [p.name[: -len(".sealed")] for p in sealed] == chapters
    for path in sealed:
        token = path.read_bytes().strip()
        assert token.startswith(b"gAAAAA") and b" " not in token, path.name  # a Fernet token, nothing plain
        assert not (course.assessment_dir / f"{path.name[: -len('.sealed')]}.yml").exists()


def _fixture_course_in_spanish(tmp_path):
    """The fixture course with a Spanish edition (its assessment banks have no translation yet)."""
    import yaml

    root = tmp_path / "course-es"
    root.mkdir()
    shutil.copytree(FIXTURES / "course", root / "course")
    config = yaml.safe_load((FIXTURES / "_config.yml").read_text("utf-8"))
    config["coursekit"]["languages"] = {"en": {"name": "English", "sphinx": "en"},
                                        "es": {"name": "Español", "sphinx": "es"}}
    (root / "_config.yml").write_text(yaml.safe_dump(config), "utf-8")
    return root


def test_an_assessment_assignment_in_another_language_opens_the_sealed_translations(tmp_path):
    """The translations of a sealed bank are sealed beside it: unseal writes their catalogs, seal
    says what is left to translate, assign --language refuses until every message is translated,
    then gives the questions in that language, and grade reopens the same translation."""
    from coursekit import i18n

    root = _fixture_course_in_spanish(tmp_path)
    plain = tmp_path / "plain"
    run = coursekit("unseal", "--key", TEST_KEY, "--out", plain, cwd=root)
    assert 0 == run.returncode, run.stderr
    catalogs = sorted((plain / "locales" / "es").glob("*.yml.po"))
    assert [p.name for p in catalogs] == [p.name + ".po" for p in sorted(SOURCE.glob("*.yml"))]
    run = coursekit("seal", plain, "--key", TEST_KEY, cwd=root)
    assert 0 == run.returncode, run.stderr
    assert "es: " in run.stdout and "message(s) to translate in 2 bank(s)" in run.stdout, run.stdout
    out = tmp_path / "assignment"
    run = coursekit("assign", "--chapters", "2,5", "--language", "es", "--key", TEST_KEY, "--out", out, cwd=root)
    assert 1 == run.returncode and "cannot be given in es" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()

    for po in catalogs:  # a translator's work: every message, marked so the test can find it
        catalog = i18n.read_catalog(po)
        for message in catalog:
            if message.id:
                message.string = "\n".join("ES " + line for line in message.id.split("\n"))
        i18n.write_catalog(po, catalog)
    run = coursekit("seal", plain, "--key", TEST_KEY, cwd=root)
    assert 0 == run.returncode and "es: every bank translated" in run.stdout, run.stdout + run.stderr
    sealed = sorted((root / "course" / "assessment" / "locales" / "es").iterdir())
    assert [p.name for p in sealed] == [p.name for p in sealed_files(SEALED)]
    for path in sealed:  # a translation is as secret as its bank
        assert b"zebra" not in path.read_bytes() and b"ES " not in path.read_bytes()

    run = coursekit("assign", "--chapters", "2,5", "--language", "es", "--key", TEST_KEY, "--out", out, cwd=root)
    assert 0 == run.returncode, run.stderr
    manifest = json.loads((out / "student" / "assignment.json").read_text("utf-8"))
    assert (manifest["language"], manifest["source"]) == ("es", "assessment")
    page = (out / "student" / "assignment.html").read_text("utf-8")
    assert '<html lang="es">' in page and "ES Two neighbours" in page and "patrols meet at night on a disputed river" in page
    assert "ES A standing radio link between the two border commands" in page and "zebra" not in page
    key = (out / "instructor" / "key.md").read_text("utf-8")
    assert "ES fixture attache zebra" in key
    submission = {"format": "coursekit-submission", "version": 1, "course": "fixture-course",
                  "chapter": manifest["id"], "student": "Ana", "created": "2026-12-01T10:00:00Z",
                  "source": "book", "mode": "assessment",
                  "answers": {"a02-hotline-scenario": "ES A standing radio link between the two border commands",
                              "a02-channel-name": "ES fixture attache zebra", "a05-observer-count": "4"},
                  "responses": {}}
    sub = tmp_path / "submission.json"
    sub.write_text(json.dumps(submission), "utf-8")
    gradebook = tmp_path / "gradebook.csv"
    run = coursekit("grade", sub, "--assignment", out / "student" / "assignment.json", "--key", TEST_KEY,
                    "--out", gradebook, cwd=root)
    assert 0 == run.returncode, run.stderr + run.stdout
    rows = list(csv.DictReader(gradebook.read_text("utf-8-sig").splitlines()))
    assert (float(rows[0]["total"]), rows[0]["max"]) == (3.0, "5")

    run = coursekit("unseal", "--key", TEST_KEY, "--out", tmp_path / "again", cwd=root)  # the translations round-trip
    assert 0 == run.returncode, run.stderr
    assert (tmp_path / "again" / "locales" / "es" / catalogs[0].name).read_text("utf-8") == catalogs[0].read_text("utf-8")
