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

A bank's translations are as secret as the bank (a translated key is a key), so each
language's catalog of it (i18n's gettext catalog, the same messages as a practice bank's)
is sealed beside it as `assessment/locales/<code>/<stem>.sealed`. `coursekit unseal` writes
the catalogs out with the banks (`<plain>/locales/<code>/<stem>.yml.po`, merged with the banks
as they are); `coursekit seal` merges and seals them with the banks and says which language
still has messages to translate; an assignment in that language (`assign --language`) opens
both in memory and refuses while any message is missing or outdated.
"""
from __future__ import annotations

import io
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
LOCALES = "locales"  # assessment/locales/<code>/<stem>.sealed: a bank's catalog in that language


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


def sealed_catalog(directory: Path, code: str, stem: str) -> Path:
    return Path(directory) / LOCALES / code / f"{stem}{SUFFIX}"


def _translated(text: str, directory: Path, stem: str, key: bytes, code: str, problems: list[str]) -> str:
    """A sealed bank's text in language `code`, from its sealed catalog; what is missing goes to `problems`."""
    from .i18n import _Translator, translate_bank_text

    path = sealed_catalog(directory, code, stem)
    if not path.is_file():
        problems.append(f"{stem}: no {code} translation sealed ({path.relative_to(directory)})")
        return text
    from babel.messages.pofile import read_po

    t = _Translator(None, code, f"{stem}.yml", read_po(io.BytesIO(unseal(path, key).encode("utf-8"))))
    translated = translate_bank_text(text, t)
    problems += t.problems
    return translated


def load_sealed_banks(directory: str | Path, key: bytes, chapters: str | None = None, *,
                      course: Course | None = None, language: str | None = None) -> list[Bank]:
    """The sealed banks of the chosen chapters ("2,5", "4.1", None for all), opened and validated;
    with `language` (es, pt), translated by their sealed catalogs, every message or nothing."""
    directory = Path(directory)
    course = course or load_course(directory)
    files = {p.name[: -len(SUFFIX)]: p for p in sealed_files(directory)}
    if not files:
        raise BankError(str(directory), f"no sealed assessment banks (*{SUFFIX}) in this folder")
    banks, problems = [], []
    for stem in course.select(list(files), chapters):
        text = unseal(files[stem], key)
        if language:
            text = _translated(text, directory, stem, key, language, problems)
        banks.append(load_bank_text(text, str(files[stem]), stem=stem, course=course))
    if problems:
        raise BankError(str(directory), f"the assessment banks cannot be given in {language}: {len(problems)} "
                                        f"message(s) untranslated or outdated, first {problems[0]} (maintainers: "
                                        "coursekit unseal, translate, coursekit seal)")
    return check_unique_ids(banks)


def plain_catalogs(folder: Path, course: Course) -> list[str]:
    """Create or merge each language's catalog of the plain banks in `folder`
    (`folder/locales/<code>/<stem>.yml.po`) with the banks as they are: one report line per file."""
    from .i18n import update_catalogs

    return update_catalogs(folder, course, files=sorted(p.name for p in folder.glob("*.yml")))


def unseal_catalogs(directory: Path, key: bytes, out: Path) -> int:
    """Write every sealed catalog of `directory` into `out/locales/<code>/<stem>.yml.po`; how many."""
    written = 0
    for path in sorted((Path(directory) / LOCALES).glob(f"*/*{SUFFIX}")):
        target = out / LOCALES / path.parent.name / f"{path.name[: -len(SUFFIX)]}.yml.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(unseal(path, key), "utf-8")
        written += 1
    return written


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
    plain_catalogs(source, course)  # the translations follow the banks: a new or changed message shows as to do
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        target = out / f"{path.stem}{SUFFIX}"
        target.write_bytes(seal(path.read_text("utf-8"), key))
        written.append(target)
        for catalog in sorted((source / LOCALES).glob(f"*/{path.name}.po")):
            sealed = sealed_catalog(out, catalog.parent.name, path.stem)
            sealed.parent.mkdir(parents=True, exist_ok=True)
            sealed.write_bytes(seal(catalog.read_text("utf-8"), key))
    return written


def translation_status(folder: Path, course: Course) -> list[str]:
    """One line per language of the plain banks' catalogs: complete, or how much is left and where."""
    from .i18n import catalog_problems, translations

    lines = []
    for lang in translations(course):
        files = sorted(p.name for p in Path(folder).glob("*.yml"))
        left = {name: len(catalog_problems(Path(folder), lang.code, name)) for name in files}
        todo = {name: n for name, n in left.items() if n}
        if not todo:
            lines.append(f"{lang.code}: every bank translated")
        else:
            first = next(iter(todo))
            lines.append(f"{lang.code}: {sum(todo.values())} message(s) to translate in {len(todo)} bank(s), "
                         f"first {LOCALES}/{lang.code}/{first}.po; assign --language {lang.code} refuses until done")
    return lines


__all__ = ["SUFFIX", "KEY_ENV", "KEY_FILE", "LOCALES", "new_key", "find_key", "seal", "unseal", "sealed_files",
           "load_sealed_banks", "seal_folder", "sealed_catalog", "translation_status", "plain_catalogs", "unseal_catalogs"]
