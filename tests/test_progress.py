"""Live-mode persistence: atomic, locked, survives restarts, keeps corrupt files."""
import contextlib
import json
import multiprocessing
import os

import pytest

from coursekit.progress import ProgressStore


def test_round_trip_and_restart(tmp_path):
    ProgressStore(tmp_path).save_answer("course", "ch", "q1", "Bogotá")
    ProgressStore(tmp_path).save_response("course", "ch", "d1", "My view")
    record = ProgressStore(tmp_path).record("course", "ch")  # a new store, as after a kernel restart
    assert "Bogotá" == record["answers"]["q1"]["value"]
    assert "My view" == record["responses"]["d1"]["text"]


def test_default_location_follows_environment(isolated_progress):
    assert isolated_progress / "progress.json" == ProgressStore().path


def _hammer(directory, chapter, n):
    store = ProgressStore(directory)
    for i in range(n):
        store.save_answer("course", chapter, f"q{i}", i)


def test_two_writers_at_once_lose_nothing(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_hammer, args=(str(tmp_path), ch, 40)) for ch in ("a", "b")]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
    store = ProgressStore(tmp_path)
    assert 40 == len(store.record("course", "a")["answers"]) == len(store.record("course", "b")["answers"])
    assert [] == list(tmp_path.glob(".progress-*.tmp"))  # no temp file left behind


def test_corrupt_file_is_moved_aside_with_warning(tmp_path):
    (tmp_path / "progress.json").write_text("{not json", "utf-8")
    store = ProgressStore(tmp_path)
    assert {"answers": {}, "responses": {}} == store.record("course", "ch")
    kept = list(tmp_path.glob("progress.corrupt-*.json"))
    assert 1 == len(kept) and "{not json" == kept[0].read_text("utf-8")
    assert "moved aside" in store.warnings[0]
    store.save_answer("course", "ch", "q1", True)
    assert json.loads((tmp_path / "progress.json").read_text("utf-8"))["courses"]["course"]["ch"]["answers"]["q1"]["value"]


def test_wrong_shape_counts_as_corrupt(tmp_path):
    (tmp_path / "progress.json").write_text('{"format": "coursekit-progress", "courses": []}', "utf-8")
    store = ProgressStore(tmp_path)
    store.load()
    assert store.warnings and list(tmp_path.glob("progress.corrupt-*.json"))


def test_clear_chapter(tmp_path):
    store = ProgressStore(tmp_path)
    store.save_answer("course", "ch", "q1", "x")
    store.save_answer("course", "other", "q1", "y")
    store.clear_chapter("course", "ch")
    assert {} == store.record("course", "ch")["answers"]
    assert "y" == store.record("course", "other")["answers"]["q1"]["value"]


def test_entries_of_the_wrong_shape_count_as_corrupt(tmp_path):
    (tmp_path / "progress.json").write_text(json.dumps({"format": "coursekit-progress", "version": 1, "courses": {
        "course": {"ch": {"answers": {"q1": "oops"}, "responses": {}}}}}), "utf-8")
    store = ProgressStore(tmp_path)
    assert {"answers": {}, "responses": {}} == store.record("course", "ch")
    assert store.warnings and list(tmp_path.glob("progress.corrupt-*.json"))


def test_write_atomically_is_all_or_nothing(tmp_path, monkeypatch):
    from coursekit import files

    target = tmp_path / "out.json"
    old_umask = os.umask(0o022)
    try:
        files.write_atomically(target, b"old")
    finally:
        os.umask(old_umask)
    assert 0o644 == target.stat().st_mode & 0o777  # as any new file, not the temp file's 0600
    files.write_atomically(tmp_path / "private.json", b"x", private=True)
    assert 0o600 == (tmp_path / "private.json").stat().st_mode & 0o777

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with contextlib.suppress(OSError):
        files.write_atomically(target, b"new")
    assert b"old" == target.read_bytes()  # the old file is whole
    assert [] == [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


def test_a_folder_that_cannot_be_written_warns_and_refuses_saves(tmp_path, monkeypatch):
    # Root ignores file modes, so the read-only folder is simulated where the OS would refuse.
    store = ProgressStore(tmp_path / "ro")
    store.save_answer("c", "ch", "q1", "kept")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(store.lock), "acquire", refuse)
    fresh = ProgressStore(tmp_path / "ro")
    assert fresh.record("c", "ch")["answers"]["q1"]["value"] == "kept"  # what was saved still shows
    assert len(fresh.warnings) == 1 and "cannot be written" in fresh.warnings[0]
    with pytest.raises(OSError, match="could not save: the folder .* cannot be written"):
        fresh.save_answer("c", "ch", "q2", "lost?")


def test_half_written_files_from_a_crash_are_removed(tmp_path):
    store = ProgressStore(tmp_path)
    store.save_answer("c", "ch", "q1", "a")
    orphan = tmp_path / ".progress.json.abc123.tmp"
    orphan.write_text("{half")
    assert store.record("c", "ch")["answers"]["q1"]["value"] == "a"
    assert not orphan.exists()


# --- who is working here, and Import my work (coursekit/importing.py) ----------------------------

from conftest import FIXTURES  # noqa: E402

CH1, CH2 = "01-introduction", "02-role-of-military-diplomacy"
PROMPT = "ch01-d-soldiers-as-diplomats"


@pytest.fixture(scope="module")
def fixture_banks():
    from coursekit.bank import load_banks
    from coursekit.course import load_course

    course = load_course(FIXTURES)
    return load_banks([course.banks_dir / f"{c}.yml" for c in (CH1, CH2)], course=course), course


def _export(**fields) -> bytes:
    data = {"format": "coursekit-submission", "version": 2, "course": "fixture-course", "student": "Ana Pérez",
            "created": "2025-03-03T09:00:00Z", "source": "book", "chapter": CH1, "mode": "practice",
            "answers": {}, "responses": {}}
    data.update(fields)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _import(store, raw, fixture_banks, name="work.json"):
    from coursekit.importing import import_work

    banks, course = fixture_banks
    return import_work(store, raw, file_name=name, banks=banks, course=course)


def test_settings_are_remembered_and_forgotten(tmp_path):
    store = ProgressStore(tmp_path)
    store.save_answer("c", "ch", "q1", "x")
    store.save_answer("other", "ch", "q1", "y")
    store.remember(student="Ana Pérez", student_id="S-1")
    assert (ProgressStore(tmp_path).setting("student"), ProgressStore(tmp_path).setting("student_id")) == ("Ana Pérez", "S-1")
    store.remember(student_id="")
    assert store.setting("student_id") == "" and store.setting("student") == "Ana Pérez"
    store.forget("c")
    assert store.setting("student") == "" and store.record("c", "ch")["answers"] == {}
    assert store.record("other", "ch")["answers"]["q1"]["value"] == "y"  # another course's work stays
    with pytest.raises(ValueError):
        store.remember(password="x")


def test_import_restores_a_file_of_every_chapter(tmp_path, fixture_banks):
    store = ProgressStore(tmp_path)
    raw = _export(chapter=None, mode=None, answers=None, responses=None, student_id="S-1", chapters={
        CH1: {"mode": "practice", "answers": {"ch01-no-wars": False}, "responses": {PROMPT: "My view."}},
        CH2: {"mode": "practice", "answers": {"ch02-notification": True}, "responses": {}}})
    data = json.loads(raw)
    for key in ("chapter", "mode", "answers", "responses"):
        del data[key]
    result = _import(store, json.dumps(data).encode(), fixture_banks, "submission-all-ana.json")
    assert result.lines()[0] == ("Imported submission-all-ana.json: restored 2 answer(s) and 1 response(s) in "
                                 "2 chapter(s).")
    record = store.record("fixture-course", CH1)
    assert record["answers"]["ch01-no-wars"] == {"value": False, "saved_at": "2025-03-03T09:00:00Z"}
    assert record["responses"][PROMPT]["text"] == "My view."
    assert (store.setting("student"), store.setting("student_id")) == ("Ana Pérez", "S-1")  # empty here: filled in
    again = _import(store, json.dumps(data).encode(), fixture_banks, "submission-all-ana.json")
    assert again.lines()[:2] == ["Imported submission-all-ana.json: nothing new; everything in it is already here.",
                                 "Already here and the same: 3 answer(s) or response(s)."]


def test_import_never_overwrites_text_here(tmp_path, fixture_banks):
    store = ProgressStore(tmp_path)
    store.remember(student="Ana")
    store.save_response("fixture-course", CH1, PROMPT, "Written here, after the export.")  # saved now
    store.save_response("fixture-course", CH1, "ch01-d-zone-of-peace", "A long answer written here earlier.")
    store.save_answer("fixture-course", CH1, "ch01-no-wars", True)
    with_old_stamp = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    with_old_stamp["courses"]["fixture-course"][CH1]["responses"]["ch01-d-zone-of-peace"]["saved_at"] = "2020-01-01T00:00:00Z"
    (tmp_path / "progress.json").write_text(json.dumps(with_old_stamp), "utf-8")
    result = _import(store, _export(answers={"ch01-no-wars": False, "ch99-nope": "x"}, responses={
        PROMPT: "An older draft.", "ch01-d-zone-of-peace": "Short."}), fixture_banks)
    lines = result.lines()
    assert lines[0] == "Imported work.json: nothing new; everything in it is already here."
    assert "Kept your answers here to 1 question(s) in chapter 1, which differ from the file's: ch01-no-wars." in lines
    assert any(line.startswith("Kept your newer text for “Should armed forces act as diplomats?") and
               "after the file was exported (2025-03-03T09:00:00Z)" in line for line in lines)
    assert any(line.startswith("Kept your text for") and "it is longer than the file's" in line for line in lines)
    assert "clear yours here" in " ".join(lines)
    assert "Not imported: 1 answer(s) or response(s) in chapter 1 to questions this course does not have: ch99-nope." in lines
    record = store.record("fixture-course", CH1)
    assert record["responses"][PROMPT]["text"] == "Written here, after the export."
    assert record["responses"]["ch01-d-zone-of-peace"]["text"] == "A long answer written here earlier."
    assert record["answers"]["ch01-no-wars"]["value"] is True and "ch99-nope" not in record["answers"]
    # a file whose text continues the text here loses nothing: it is taken
    longer = _import(store, _export(responses={PROMPT: "Written here, after the export. And more."}), fixture_banks)
    assert longer.responses == 1
    assert store.record("fixture-course", CH1)["responses"][PROMPT]["text"].endswith("And more.")


@pytest.mark.parametrize("raw,line", [
    (_export(course="intro-to-economics"),
     "Not imported: work.json is for another course (intro-to-economics), not this one (fixture-course)."),
    (_export(version=4), "Not imported: work.json was made by a newer coursekit (format version 4); this one reads "
                         "versions 1, 2 and 3. Export your work again from the same course, or update coursekit."),
    (b"{not json", "Not imported: work.json is not a coursekit file of exported work (invalid JSON at line 1, "
                   "column 2: Expecting property name enclosed in double quotes)."),
    (_export(chapter="99-not-here"), None),
])
def test_import_refusals(tmp_path, fixture_banks, raw, line):
    store = ProgressStore(tmp_path)
    result = _import(store, raw, fixture_banks)
    if line:
        assert result.refused == line and result.lines() == [line]
    else:
        assert "Not imported: 99-not-here is not a chapter of this course." in result.lines()
    assert store.record("fixture-course", CH1) == {"answers": {}, "responses": {}}


def test_import_of_a_file_too_large_reads_nothing(tmp_path, fixture_banks):
    from coursekit.submission import MAX_SUBMISSION_BYTES

    result = _import(ProgressStore(tmp_path), b" " * (MAX_SUBMISSION_BYTES + 1), fixture_banks)
    assert result.refused.startswith("Not imported: work.json is 5,242,881 bytes")


def test_export_widget_identifier_import_and_forget(tmp_path, fixture_banks):
    from coursekit.widgets import ExportWidget

    banks, course = fixture_banks
    store = ProgressStore(tmp_path / "data")
    panel = ExportWidget(banks[0], store, directory=str(tmp_path), banks=banks)
    panel.name.value, panel.student_id.value = "Ana Pérez", "S\t1"
    assert panel.export() is None and "control character" in panel.status.value
    panel.student_id.value = "ana@uni.edu"
    data = json.loads(panel.export().read_text("utf-8"))
    assert (data["version"], data["student_id"]) == (3, "ana@uni.edu")
    fresh = ExportWidget(banks[0], store, directory=str(tmp_path), banks=banks)  # remembered on this computer
    assert (fresh.name.value, fresh.student_id.value) == ("Ana Pérez", "ana@uni.edu")
    fresh.import_file(_export(chapter=CH2, answers={"ch02-notification": True}, responses={}), "ch2.json")
    assert "restored 1 answer(s) and 0 response(s) in 1 chapter(s)" in fresh.status.value
    assert store.record("fixture-course", CH2)["answers"]["ch02-notification"]["value"] is True
    fresh.import_file(_export(course="other"), "other.json")
    assert "ck-warning" in fresh.status.value and "another course (other)" in fresh.status.value
    fresh.forget_button.click()
    assert store.setting("student") == "Ana Pérez" and "again" in fresh.status.value  # one click only asks
    fresh.forget_button.click()
    assert store.setting("student_id") == "" and fresh.student_id.value == "" and fresh.name.value == ""
    assert store.record("fixture-course", CH2)["answers"] == {}
    assert "Forgotten" in fresh.status.value


def test_export_widget_upload_goes_through_import(tmp_path, fixture_banks):
    from coursekit.widgets import ExportWidget

    banks, _ = fixture_banks
    store = ProgressStore(tmp_path / "data")
    panel = ExportWidget(banks[0], store, directory=str(tmp_path), banks=banks)
    raw = _export(answers={"ch01-no-wars": False})
    panel._uploaded(({"name": "up.json", "content": memoryview(raw)},))
    assert "Imported up.json" in panel.status.value
    assert store.record("fixture-course", CH1)["answers"]["ch01-no-wars"]["value"] is False
