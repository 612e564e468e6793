"""Sealed assessment banks: question banks that are public as files but readable only with
an instructor's key.

The threat they answer: a student who has the public repository and the built book must
not be able to read an assessment key. So an assessment bank is kept in the repository
only as `assessment/<stem>.sealed`, the bank's YAML encrypted and authenticated with Fernet
(AES-128-CBC and HMAC-SHA256, from the `cryptography` package), and it is never rendered
into the book, the student kit or any download. The key is not in the repository: the
course's maintainers give it to instructors on request, who keep it in
`private/assessment.key` (git ignores `private/`) or in the COURSEKIT_ASSESSMENT_KEY
environment variable. Opening a sealed bank happens in memory; the plain text is never
written to disk unless a maintainer asks for it (`coursekit unseal`).

Fernet rather than a home-made scheme: it is a well-reviewed recipe with one way to use it,
and it detects a wrong key or a damaged file instead of returning garbage.
"""
from __future__ import annotations

import os
from pathlib import Path

from .bank import check_unique_ids, load_bank_text
from .course import Course, load_course
from .errors import AssessmentKeyError, BankError
from .model import Bank

SUFFIX = ".sealed"
KEY_ENV = "COURSEKIT_ASSESSMENT_KEY"
KEY_FILE = Path("private") / "assessment.key"  # relative to the course folder
MAX_SEALED_BYTES = 4 * 1024 * 1024
MIN_QUESTIONS = 8  # per assessment bank, unless the course's configuration says otherwise


def _fernet(key: bytes):
    from cryptography.fernet import Fernet  # imported only by those who hold a key

    try:
        return Fernet(key.strip())
    except (ValueError, TypeError):
        raise AssessmentKeyError("the assessment key is not a key: it should be the 44-character line "
                                 "the maintainers sent (made by coursekit keygen)") from None


def new_key() -> bytes:
    from cryptography.fernet import Fernet

    return Fernet.generate_key()


def find_key(course: Course, key_file: str | Path | None = None) -> bytes:
    """The instructor's key: --key FILE, else COURSEKIT_ASSESSMENT_KEY, else private/assessment.key."""
    if key_file is not None:
        path = Path(key_file)
    elif os.environ.get(KEY_ENV, "").strip():
        return os.environ[KEY_ENV].strip().encode("ascii", "replace")
    else:
        path = course.path(str(KEY_FILE))
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        raise AssessmentKeyError(
            f"no assessment key at {path}: ask the course's maintainers for the instructor key and save it there "
            f"(or set {KEY_ENV}); to draw practice questions instead, whose keys students have seen, "
            "add --practice") from None
    except OSError as exc:
        raise AssessmentKeyError(f"cannot read the assessment key {path}: {exc.strerror}") from None


def seal(text: str, key: bytes) -> bytes:
    return _fernet(key).encrypt(text.encode("utf-8")) + b"\n"


def unseal(path: Path, key: bytes) -> str:
    """The bank text inside a sealed file, or a one-line error naming the file."""
    from cryptography.fernet import InvalidToken

    try:
        size = path.stat().st_size
        if size > MAX_SEALED_BYTES:
            raise BankError(str(path), f"file is {size} bytes; a sealed bank may be at most {MAX_SEALED_BYTES}")
        token = path.read_bytes().strip()
    except OSError as exc:
        raise BankError(str(path), f"cannot read the file: {exc.strerror}") from None
    try:
        data = _fernet(key).decrypt(token)
    except InvalidToken:
        raise AssessmentKeyError(f"{path}: this key does not open it (a different key, or a damaged file)") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BankError(str(path), "the sealed text is not UTF-8") from None


def sealed_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob(f"*{SUFFIX}") if p.is_file())


def load_sealed_banks(directory: str | Path, key: bytes, chapters: str | None = None, *,
                      course: Course | None = None) -> list[Bank]:
    """The sealed banks of the chosen chapters ("2,5", "4.1", None for all), opened and validated."""
    directory = Path(directory)
    course = course or load_course(directory)
    files = {p.name[: -len(SUFFIX)]: p for p in sealed_files(directory)}
    if not files:
        raise BankError(str(directory), f"no sealed assessment banks (*{SUFFIX}) in this folder")
    banks = [load_bank_text(unseal(files[stem], key), str(files[stem]), stem=stem, course=course)
             for stem in course.select(list(files), chapters)]
    return check_unique_ids(banks)


def seal_folder(source: str | Path, out: str | Path, key: bytes, *, course: Course | None = None) -> list[Path]:
    """Validate every bank in `source` (plain YAML, kept private) and write `out/<stem>.sealed`.
    Nothing is written unless every bank is valid."""
    from .bank import find_banks, load_banks

    source, out = Path(source), Path(out)
    course = course or load_course(out)
    paths = find_banks([source])
    if not paths:
        raise BankError(str(source), "no banks (*.yml) to seal in this folder")
    banks = load_banks(paths, course=course)  # all valid, ids unique, or nothing is sealed
    minimum = int(course.settings.get("assessment_min_questions", MIN_QUESTIONS))
    for bank in banks:  # the only moment the plain text exists: check the course's rule here
        if len(bank.questions) < minimum:
            raise BankError(bank.source, f"has {len(bank.questions)} questions; an assessment bank needs at least "
                                         f"{minimum} (coursekit.assessment_min_questions)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        target = out / f"{path.stem}{SUFFIX}"
        target.write_bytes(seal(path.read_text("utf-8"), key))
        written.append(target)
    return written


__all__ = ["SUFFIX", "KEY_ENV", "KEY_FILE", "new_key", "find_key", "seal", "unseal", "sealed_files",
           "load_sealed_banks", "seal_folder"]
