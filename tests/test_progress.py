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
