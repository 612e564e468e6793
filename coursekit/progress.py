"""Live-mode progress: one JSON file per user, written atomically under a file lock.

Two notebooks saving at once both keep their work: every save re-reads the file under
the lock, changes one entry and writes a temp file that replaces the old one. A corrupt
file is moved aside (never deleted) and work goes on with an empty record.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from platformdirs import user_data_dir

from .files import write_atomically
from .ui import _

APP_NAME = "coursekit"
DATA_DIR_ENV = "COURSEKIT_DATA_DIR"  # set by tests, the book build and anyone who wants another place
PROGRESS_FORMAT = "coursekit-progress"
PROGRESS_VERSION = 1


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or user_data_dir(APP_NAME, appauthor=False))


def _empty() -> dict:
    return {"format": PROGRESS_FORMAT, "version": PROGRESS_VERSION, "courses": {}}


def _well_formed(data) -> bool:
    if not isinstance(data, dict) or data.get("format") != PROGRESS_FORMAT or not isinstance(data.get("courses"), dict):
        return False
    for chapters in data["courses"].values():
        if not isinstance(chapters, dict):
            return False
        for record in chapters.values():
            if not (isinstance(record, dict) and isinstance(record.get("answers", {}), dict)
                    and isinstance(record.get("responses", {}), dict)):
                return False
            entries = [*record.get("answers", {}).values(), *record.get("responses", {}).values()]
            if not all(isinstance(entry, dict) for entry in entries):
                return False
            if not all(isinstance(e.get("text", ""), str) for e in record.get("responses", {}).values()):
                return False
    return True


class ChangedElsewhere(OSError):
    """The response was saved by another notebook (or kernel) since this one last saw it."""

    def __init__(self, saved_at: str, what: str = "response"):
        # what: "response" (a discussion's) or "answer" (an exercise's); the student reads it
        if what == "answer":
            message = (_("this answer was changed in another notebook at {time}", time=saved_at) if saved_at
                       else _("this answer was changed in another notebook at an unknown time"))
        else:
            message = (_("this response was changed in another notebook at {time}", time=saved_at) if saved_at
                       else _("this response was changed in another notebook at an unknown time"))
        super().__init__(message)
        self.saved_at = saved_at


class ProgressStore:
    def __init__(self, directory: str | Path | None = None, *, lock_timeout: float = 10.0):
        self.directory = Path(directory) if directory else default_data_dir()
        self.path = self.directory / "progress.json"
        self.lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout)
        self.warnings: list[str] = []  # shown by the views, so the student sees them

    # -- reading ------------------------------------------------------------------------
    def _read_unlocked(self) -> dict:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _empty()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if _well_formed(data):
            return data
        kept = self._move_aside()
        self.warnings.append(
            _("Your saved progress file could not be read, so it was moved aside to {path} "
              "(nothing was deleted). New answers are saved in a fresh file.", path=kept))
        return _empty()

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"progress.corrupt-{stamp}.json")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"progress.corrupt-{stamp}-{n}.json")
        os.replace(self.path, target)
        return target

    def load(self) -> dict:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self.lock:
                self._remove_orphans()
                return self._read_unlocked()
        except Timeout:
            raise OSError(_("could not read: another program holds {lock} for more than {seconds} s",
                            lock=self.lock.lock_file, seconds=f"{self.lock.timeout:g}")) from None
        except PermissionError:
            # A read-only folder (a shared lab machine, a mounted course folder): show what
            # was saved, say plainly that nothing new can be, and carry on without a traceback.
            warning = _("Your progress folder {folder} cannot be written, so nothing you do here can be "
                        "saved. Set {variable} to a folder you can write, then restart the kernel.",
                        folder=self.directory, variable=DATA_DIR_ENV)
            if warning not in self.warnings:
                self.warnings.append(warning)
            try:
                return self._read_unlocked()
            except OSError:
                return _empty()

    def _remove_orphans(self) -> None:
        """Half-written files left by a crash mid-save (called under the lock, so no save is running)."""
        for orphan in self.directory.glob(f".{self.path.name}.*.tmp"):
            orphan.unlink(missing_ok=True)

    def record(self, course: str, chapter: str) -> dict:
        """{"answers": {qid: {"value", "saved_at"}}, "responses": {pid: {"text", "saved_at"}}}."""
        found = self.load()["courses"].get(course, {}).get(chapter, {})
        return {"answers": dict(found.get("answers", {})), "responses": dict(found.get("responses", {}))}

    # -- writing ------------------------------------------------------------------------
    def update(self, change: Callable[[dict], None]) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self.lock:
                data = self._read_unlocked()
                change(data)
                self._write_unlocked(data)
        except Timeout:
            raise OSError(_("could not save: another program holds {lock} for more than {seconds} s",
                            lock=self.lock.lock_file, seconds=f"{self.lock.timeout:g}")) from None
        except PermissionError:
            raise OSError(_("could not save: the folder {folder} cannot be written "
                            "(set {variable} to a folder you can write)",
                            folder=self.directory, variable=DATA_DIR_ENV)) from None

    def _write_unlocked(self, data: dict) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        write_atomically(self.path, text.encode("utf-8"), private=True)

    def _chapter(self, data: dict, course: str, chapter: str) -> dict:
        record = data["courses"].setdefault(course, {}).setdefault(chapter, {})
        record.setdefault("answers", {})
        record.setdefault("responses", {})
        return record

    def save_answer(self, course: str, chapter: str, qid: str, value) -> None:
        self.update(lambda d: self._chapter(d, course, chapter)["answers"].__setitem__(
            qid, {"value": value, "saved_at": now_iso()}))

    def save_response(self, course: str, chapter: str, pid: str, text: str, *, expected: str | None = None) -> None:
        """Save a response. With `expected` (the text this view last loaded or saved), refuse with
        ChangedElsewhere when another notebook saved something else in between: its text is kept."""
        def change(data):
            responses = self._chapter(data, course, chapter)["responses"]
            stored = responses.get(pid, {})
            if expected is not None and stored.get("text", "") not in (expected, text):
                raise ChangedElsewhere(stored.get("saved_at", ""))
            responses[pid] = {"text": text, "saved_at": now_iso()}
        self.update(change)

    def clear_chapter(self, course: str, chapter: str) -> None:
        self.update(lambda d: d["courses"].get(course, {}).pop(chapter, None))

    # -- who is working here: remembered on this computer until "Forget me" ------------------
    # {"settings": {"student": name, "student_id": identifier}} beside "courses" (version 1
    # readers keep the key: every save rewrites the whole file it read).
    SETTINGS = ("student", "student_id")

    def setting(self, name: str) -> str:
        settings = self.load().get("settings")
        value = settings.get(name, "") if isinstance(settings, dict) else ""
        return value if isinstance(value, str) else ""

    def remember(self, **values: str) -> None:
        """Remember the student's name and identifier (an empty value forgets that one)."""
        unknown = set(values) - set(self.SETTINGS)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")

        def change(data):
            settings = data.get("settings") if isinstance(data.get("settings"), dict) else {}
            for name, value in values.items():
                if value:
                    settings[name] = value
                else:
                    settings.pop(name, None)
            data["settings"] = settings
        self.update(change)

    def forget(self, course: str) -> None:
        """Forget me on this computer: the name, the identifier and every chapter of `course`."""
        def change(data):
            data.pop("settings", None)
            data["courses"].pop(course, None)
        self.update(change)


__all__ = ["ProgressStore", "ChangedElsewhere", "default_data_dir", "DATA_DIR_ENV", "now_iso"]
