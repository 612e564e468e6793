"""The `coursekit` command: every subcommand's arguments, its run and what it prints.

The work itself is elsewhere (bank.py, editions.py, assign.py, exports/, gradebook.py,
digest.py); this module turns arguments into calls, and is the one place that prints an
error: every CourseKitError becomes one line `error: ...` and exit status 1.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import BankError, BuildError, CourseKitError, ExportError, UsageError, printable

# --- shared ---------------------------------------------------------------------------------

# Where instructor outputs go unless --out says otherwise: a folder the course's .gitignore
# covers, so that `git add -A` in the course repository never publishes grades or keys.
PRIVATE = "private"


def _private_folder(args, *parts: str) -> Path:
    """A folder under the course's private/ folder (created on demand): default outputs go there."""
    from .course import find_root

    root = find_root(Path(args.banks) if getattr(args, "banks", None) else None) or Path.cwd()
    folder = Path(root, PRIVATE, *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _private(args, *parts: str) -> Path:
    """A default output file under private/ (its folder created on demand)."""
    return _private_folder(args, *parts[:-1]) / parts[-1]


def warn_if_published(out: Path) -> None:
    """A warning (stderr) when `out` is inside a git work tree and not ignored by it."""
    folder = out if out.is_dir() else out.parent
    try:
        inside = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                                capture_output=True, text=True, timeout=10)
        if inside.returncode != 0:
            return  # not in a repository (or no git): nothing would be published
        ignored = subprocess.run(["git", "-C", str(folder), "check-ignore", "-q", str(out.resolve())],
                                 capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return
    if ignored.returncode == 1:
        print(f"warning: {printable(out, 120)} is inside the git repository {printable(inside.stdout.strip(), 120)} "
              f"and not ignored: `git add -A` would publish it (write it under {PRIVATE}/, or add it to .gitignore)",
              file=sys.stderr)


def _course(args):
    from .course import load_course

    return load_course(Path(args.banks) if getattr(args, "banks", None) else None)


def _banks_dir(args) -> Path:
    """--banks, or the course's practice banks (the `banks` setting of _config.yml)."""
    if args.banks:
        directory = Path(args.banks)
    else:
        directory = _course(args).banks_dir
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such folder of banks (use --banks DIR)")
    return directory


def _grading_banks(args):
    """The banks a grading command resolves questions against: the practice banks (or --banks)
    and, when an --assignment was drawn from the sealed assessment banks, those too."""
    from .assign import assignment_source

    banks = _all_banks(args)
    if any(assignment_source(manifest) == "assessment" for manifest in args.assignment):
        from .bank import check_unique_ids
        from .sealed import find_key, load_sealed_banks

        course = _course(args)
        banks = check_unique_ids(banks + load_sealed_banks(course.assessment_dir, find_key(course, args.key),
                                                            course=course))
    return banks


def _all_banks(args):
    from .bank import find_banks, load_banks

    directory = _banks_dir(args)
    paths = find_banks([directory])
    if not paths:
        raise UsageError(f"{directory}: no question banks (*.yml) found")
    return load_banks(paths)


def _out_file(out: Path, suffixes: tuple[str, ...] | None = None) -> Path:
    if suffixes and out.suffix.lower() not in suffixes:
        raise UsageError(f"--out must end in {' or '.join(suffixes)}: {printable(out, 120)}")
    if out.is_dir():
        raise UsageError(f"--out {printable(out, 120)} is a folder; give a file name")
    if not out.parent.is_dir():
        raise UsageError(f"cannot write {printable(out, 120)}: folder {printable(out.parent, 120)} does not exist")
    return out


def _report():
    from .submission import Report

    return Report()


# --- validate ---------------------------------------------------------------------------


def cmd_validate(args) -> int:
    from .bank import bibliography_keys, check_sources, find_banks, load_banks

    paths = find_banks(args.paths)
    if not paths:
        raise UsageError("no bank files found in " + " ".join(args.paths))
    banks = load_banks(paths)
    bibliography = Path(args.bibliography)
    if bibliography.is_file():
        check_sources(banks, bibliography_keys(bibliography))
    count = sum(len(b.questions) for b in banks)
    print(f"ok: {len(banks)} bank(s), {count} questions")
    return _validate_translations(paths, banks)


def _validate_translations(paths, banks) -> int:
    """The course's own banks in each other language: every message translated, and each
    translated bank valid with the English bank's questions (the same ids, types and structure)."""
    from .bank import load_banks
    from .course import load_course
    from .i18n import catalog_problems, translated_banks, translations

    course = load_course(Path(paths[0]).parent)
    home = course.banks_dir.resolve() if course.root else None
    if home is None or any(Path(p).resolve().parent != home for p in paths):
        return 0  # an instructor's own bank, or a fixture: no translations to check
    failed = 0
    for lang in translations(course):
        problems = [line for p in paths for line in catalog_problems(course.root, lang.code,
                                                                     str(Path(p).resolve().relative_to(course.root.resolve())))]
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        if problems:
            failed = 1
            continue
        with tempfile.TemporaryDirectory(prefix=f"coursekit-{lang.code}-") as tmp:
            folder = translated_banks(course.root, course, lang.code, Path(tmp) / course.banks)
            translated = load_banks([folder / Path(p).name for p in paths], course=course)  # validated as banks are
        for en, tr in zip(banks, translated):
            shape = lambda b: [(q.id, q.type, q.objective, q.level) for q in b.questions]  # noqa: E731
            if shape(en) != shape(tr) or [d.id for d in en.discussions] != [d.id for d in tr.discussions]:
                print(f"error: {tr.source}: the {lang.name} bank's questions differ from the English bank's", file=sys.stderr)
                failed = 1
        if not failed:
            print(f"ok: {lang.name} ({lang.code}): {len(translated)} bank(s) translated, the same questions")
    return failed


# --- book -----------------------------------------------------------------------------------


def cmd_book(args) -> int:
    from .editions import build, out_problem

    root = Path(args.root).resolve()
    if args.language or args.translations:
        return _book_translations(root, args)
    if args.out:
        out = Path(args.out).resolve()
    elif args.edition == "instructor":
        out = root / PRIVATE / "instructor-book"
    else:
        out = root / "_build" / "student-book"
    problem = out_problem(root, out)
    if problem:
        raise UsageError(problem)
    build(root, args.edition, out)
    if args.edition == "instructor":
        warn_if_published(out)
    print(f"built the {args.edition} edition into {out} (open {out / 'index.html'})")
    if args.pdf:
        _print_pdf(out, root, out.with_suffix(".pdf"), args.edition)
    return 0


def _book_translations(root: Path, args) -> int:
    """--language CODE / --translations: the edition in other languages, each into DIR/<code>
    (default: the student edition into _build/html/<code>, beside the English book that make
    book builds; the instructor edition into private/instructor-book-<code>)."""
    from .course import load_course
    from .editions import build_translation, out_problem
    from .i18n import SOURCE_LANGUAGE, language, published

    if args.pdf:
        raise UsageError("--pdf: print a translated edition with coursekit pdf --html DIR")
    course = load_course(root)
    codes = [lang.code for lang in published(course)[1:]] if args.translations else [
        language(course, code).code for code in args.language]
    if SOURCE_LANGUAGE in codes:
        raise UsageError(f"--language {SOURCE_LANGUAGE}: the English edition is the book itself (make book)")
    for code in codes:
        if args.out:
            out = Path(args.out).resolve() / code
        elif args.edition == "instructor":  # beside the English instructor-book, never inside it (it is replaced)
            out = root / PRIVATE / f"instructor-book-{code}"
        else:
            out = root / "_build" / "html" / code
        problem = out_problem(root, out)
        if problem:
            raise UsageError(problem)
        build_translation(root, code, out, edition=args.edition)
        if args.edition == "instructor":
            warn_if_published(out)
        print(f"built the {args.edition} edition in {language(course, code).name} into {out} (open {out / 'index.html'})")
    if not codes:
        print("no finished translation to build (every language in _config.yml is marked status: draft)")
    return 0


def _print_pdf(html_dir: Path, root: Path, out: Path, edition: str) -> None:
    import yaml

    from .pdf import print_book

    title = yaml.safe_load((root / "_config.yml").read_text("utf-8")).get("title") or "The course"
    suffix = " (instructor edition)" if edition == "instructor" else ""
    pages = print_book(html_dir, root, out, title + suffix)
    print(f"printed {pages} pages to {out}")


def cmd_pdf(args) -> int:
    root = Path(args.root).resolve()
    html_dir = Path(args.html).resolve()
    if not (html_dir / "index.html").exists():
        raise UsageError(f"{printable(html_dir, 120)} holds no built book: run make book (or coursekit book) first")
    _print_pdf(html_dir, root, Path(args.out), args.edition)
    return 0


# --- assign ---------------------------------------------------------------------------------


def cmd_assign(args) -> int:
    from .assign import make_assignment

    if args.count is not None and args.count < 1:
        raise UsageError("--count must be at least 1")
    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        raise UsageError(f"--out {args.out} is a file; give a folder")
    out = Path(args.out) if args.out else None  # None: private/assignments/<the assignment's id>
    roster = None
    if args.roster:
        from .lms_grades import read_roster

        roster = read_roster(args.roster)  # a bad roster stops the run before any drawing
    if args.banks and args.practice:
        raise UsageError("--practice and --banks both say where to draw from: give one")
    language = _assignment_language(args)
    if language:
        return _assign_in_language(args, language, roster)
    if args.banks or args.practice:
        source, directory, banks = ("private" if args.banks else "practice"), _banks_dir(args), None
        if args.practice:
            print("warning: drawing from the practice banks, whose keys students have seen in the book; "
                  "without --practice, coursekit assign draws from the sealed assessment banks", file=sys.stderr)
    else:
        from .sealed import find_key, load_sealed_banks

        course = _course(args)
        source, directory = "assessment", course.assessment_dir
        banks = load_sealed_banks(directory, find_key(course, args.key), args.chapters, course=course)
    made = make_assignment(directory, args.chapters, args.count, args.seed, out, args.title,
                           default_parent=_private_folder(args, "assignments"), due=args.due,
                           levels=args.levels, banks=banks, source=source, roster=roster)
    warn_if_published(made["instructor"])
    if roster is not None:
        return _report_variants(args, made)
    if args.pdf:
        from .pdf import print_page

        pages = print_page(made["student"] / "assignment.html", made["student"] / "assignment.pdf", made["title"])
        print(f"printed the assignment for paper: {made['student'] / 'assignment.pdf'} ({pages} pages, no key)")
    for fmt, left in (("GIFT", made["gift_left_out"]), ("QTI", made["qti_left_out"])):
        for qid, reason in left:
            print(f"left out of {fmt}: {qid}: {reason}")
    print(f"{made['id']}: {made['questions']} questions\n"
          f"  give students: {made['student']}/ (assignment.html for any browser or the LMS; "
          f"assignment.ipynb with assignment.json for Jupyter)\n"
          f"  keep:          {made['instructor']}/ (key.md, key.html, assignment.gift, assignment-qti.zip)\n"
          f"  grade with:    coursekit grade SUBMISSIONS --assignment {made['student']}/assignment.json --out gradebook.csv")
    return 0


def _practice_banks_in(course, code: str, tmp: Path, why: str = "") -> Path:
    """The course's practice banks translated into `code`, written under `tmp` (i18n.translated_banks,
    which refuses a missing or outdated message: a UsageError here, prefixed by `why`)."""
    from .i18n import translated_banks

    try:
        return translated_banks(course.root, course, code, tmp / course.banks)
    except BuildError as exc:
        raise UsageError(f"{why}{exc}") from None


def _assignment_language(args):
    """--language CODE for assign: the Language, or None for English."""
    if not args.language:
        return None
    from .i18n import SOURCE_LANGUAGE, language

    lang = language(_course(args), args.language)
    if lang.code == SOURCE_LANGUAGE:
        return None
    if args.banks:  # an instructor's own bank has no catalogs
        raise UsageError(f"--language {lang.code} with --banks: your own banks are not translated by the course; "
                         "write your bank in that language and give it with --banks alone")
    return lang


def _sealed_banks_in(course, key_file, code: str, chapters: str | None = None, why: str = ""):
    """The sealed assessment banks translated into `code` by their sealed catalogs (every message, or a UsageError)."""
    from .sealed import find_key, load_sealed_banks

    try:
        return load_sealed_banks(course.assessment_dir, find_key(course, key_file), chapters, course=course,
                                 language=code)
    except BankError as exc:
        raise UsageError(f"{why}{exc}") from None


def _assign_in_language(args, lang, roster) -> int:
    """assign --language CODE: the sealed assessment banks (or, with --practice, the practice banks)
    in that language, the page, notebook and keys too; the manifest records the language, so that
    grading reopens the same translation."""
    from . import ui
    from .assign import make_assignment

    course = _course(args)
    out = Path(args.out) if args.out else None
    with tempfile.TemporaryDirectory(prefix="coursekit-assign-") as tmp:
        if args.practice:
            print("warning: drawing from the practice banks, whose keys students have seen in the book; "
                  "without --practice, coursekit assign draws from the sealed assessment banks", file=sys.stderr)
            source, banks = "practice", None
            directory = _practice_banks_in(course, lang.code, Path(tmp))
            shutil.copy(course.root / "_config.yml", Path(tmp) / "_config.yml")  # the same course, in that language
        else:
            source, directory = "assessment", course.assessment_dir
            banks = _sealed_banks_in(course, args.key, lang.code, args.chapters)
        with ui.speaking(lang.code, course.root / "locales", html=lang.html_lang):
            made = make_assignment(directory, args.chapters, args.count, args.seed, out, args.title,
                                   default_parent=_private_folder(args, "assignments"), due=args.due,
                                   levels=args.levels, banks=banks, source=source, roster=roster,
                                   language=lang.code)
    warn_if_published(made["instructor"])
    if roster is not None:
        return _report_variants(args, made)
    print(f"{made['id']} ({lang.name}): {made['questions']} questions\n"
          f"  give students: {made['student']}/\n  keep:          {made['instructor']}/\n"
          f"  grade with:    coursekit grade SUBMISSIONS --assignment {made['student']}/assignment.json --out gradebook.csv")
    return 0


def _banks_for_assignment(args, manifest, banks, translated: dict):
    """The banks an assignment is graded against: those given, or, for one drawn in another
    language (assign --language), the same banks in that language (made once per run)."""
    from .assign import assignment_language, assignment_source

    code = assignment_language(manifest)
    if not code:
        return banks
    source = assignment_source(manifest)
    if (code, source) not in translated:
        from .bank import load_banks

        course = _course(args)
        why = f"{printable(manifest, 120)} was drawn in {code}: "
        if source == "assessment":
            translated[code, source] = _sealed_banks_in(course, args.key, code, why=why)
        else:
            with tempfile.TemporaryDirectory(prefix=f"coursekit-{code}-") as tmp:
                directory = _practice_banks_in(course, code, Path(tmp), why)
                translated[code, source] = load_banks(sorted(directory.glob("*.yml")), course=course)
    return translated[code, source]


def _report_variants(args, made) -> int:
    if args.pdf:
        from .pdf import print_page

        for folder in made["folders"]:
            print_page(folder / "assignment.html", folder / "assignment.pdf", made["title"])
        print(f"printed {len(made['folders'])} variant(s) for paper: student/<identifier>/assignment.pdf (no key)")
    print(f"{made['id']}: {made['variants']} variant(s) of {made['questions']} questions, one per student of the roster\n"
          f"  give each student: {made['student']}/<their identifier>/ (assignment.html, or assignment.ipynb with "
          f"assignment.json)\n"
          f"  keep:              {made['instructor']}/ (variants.json, key.md and key.html with every variant)\n"
          f"  grade with:        coursekit grade SUBMISSIONS --assignment {made['instructor']}/variants.json "
          f"--out gradebook.csv")
    return 0


# --- sealed assessment banks ----------------------------------------------------------------


def cmd_keygen(args) -> int:
    from .sealed import new_key

    out = Path(args.out) if args.out else _private(args, "assessment.key")
    if out.exists():
        raise UsageError(f"{printable(out, 120)} exists: a key is never overwritten (banks sealed with it "
                         "could not be opened again); give another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(new_key() + b"\n")
    out.chmod(0o600)
    warn_if_published(out)
    print(f"wrote a new instructor key to {out}: keep it out of the repository, and give it only to instructors")
    return 0


def cmd_seal(args) -> int:
    from .sealed import find_key, seal_folder, translation_status

    course = _course(args)
    out = Path(args.out) if args.out else course.assessment_dir
    written = seal_folder(args.source, out, find_key(course, args.key), course=course)
    print(f"sealed {len(written)} bank(s) and their translations into {out}/ (commit these; never the plain banks)")
    for line in translation_status(Path(args.source), course):
        print(f"  {line}")
    return 0


def cmd_unseal(args) -> int:
    from .sealed import SUFFIX, find_key, plain_catalogs, sealed_files, unseal, unseal_catalogs

    course = _course(args)
    key = find_key(course, args.key)
    out = Path(args.out) if args.out else _private_folder(args, "assessment-banks")
    files = sealed_files(course.assessment_dir)
    if not files:
        raise UsageError(f"{course.assessment_dir}: no sealed banks to open")
    texts = {p.name[: -len(SUFFIX)]: unseal(p, key) for p in files}  # every one opens, or nothing is written
    out.mkdir(parents=True, exist_ok=True)
    warn_if_published(out)
    for stem, text in texts.items():
        (out / f"{stem}.yml").write_text(text, "utf-8")
    catalogs = unseal_catalogs(course.assessment_dir, key, out)
    plain_catalogs(out, course)  # and merged with the banks as they are
    print(f"wrote {len(texts)} plain bank(s) and {catalogs} translation catalog(s) to {out}/: edit them there "
          f"(the catalogs in {out / 'locales'}/<language>/), then coursekit seal {out}")
    return 0


# --- student kit ----------------------------------------------------------------------------


def cmd_student_kit(args) -> int:
    from .kit import write_kit

    out, count = write_kit(args.root, Path(args.out))
    print(f"wrote {out}: {count} files (chapters, exercises, data and the engine; no assessment bank, "
          "model answer or instructor material)")
    return 0


# --- export ---------------------------------------------------------------------------------


def _qti_title(banks) -> str:
    if len(banks) == 1:
        return f"{banks[0].title} ({banks[0].chapter})"
    return f"{banks[0].course}: {len(banks)} chapters"


def _translated_banks_dir(args, directory: Path, tmp: Path) -> Path:
    from .i18n import SOURCE_LANGUAGE, language

    course = _course(args)
    lang = language(course, args.language)
    if lang.code == SOURCE_LANGUAGE:
        return directory
    if course.root is None or directory.resolve() != course.banks_dir.resolve():
        raise UsageError(f"--language {lang.code}: only the course's own banks ({course.banks}/) have translations; "
                         "export your own bank without --language")
    return _practice_banks_in(course, lang.code, tmp)


def cmd_export(args) -> int:
    from .bank import load_banks, select_banks
    from .exports import to_bank_json, to_gift, to_qti
    from .files import write_atomically

    directory = _banks_dir(args)
    with tempfile.TemporaryDirectory(prefix="coursekit-export-") as tmp:
        if args.language:  # the same questions, in that edition's words (the translations of locales/)
            directory = _translated_banks_dir(args, directory, Path(tmp))
        paths = select_banks(directory, args.chapters)
        if not paths:
            raise UsageError(f"{directory}: no chapter banks found")
        banks = load_banks(paths, course=_course(args) if args.language else None)
    suffix = {"gift": ".gift", "qti": ".zip", "json": ".json"}[args.format]
    language_part = f"-{args.language}" if args.language else ""
    name = f"{banks[0].course}-{(args.chapters or 'all').replace(',', '-')}{language_part}{suffix}"
    out = _out_file(Path(args.out) if args.out else _private(args, "exports", name))
    warn_if_published(out)
    questions = [q for bank in banks for q in bank.questions]
    types = {q.id: q.type for q in questions}
    left_out: list[tuple[str, str]] = []
    try:
        if args.format == "gift":
            parts = []
            for bank in banks:
                text, skipped = to_gift(bank.questions, category=f"{bank.course}/{bank.chapter}")
                parts.append(text)
                left_out += skipped
            if len(left_out) == len(questions):
                raise ExportError(f"no question can be exported to GIFT ({len(left_out)} left out)", left_out)
            write_atomically(out, "\n".join(parts).encode("utf-8"))
        elif args.format == "qti":
            left_out = to_qti(questions, title=_qti_title(banks), out_path=out)
        else:
            data = json.dumps(to_bank_json(banks), ensure_ascii=False, indent=2) + "\n"
            write_atomically(out, data.encode("utf-8"))
    except ExportError as exc:
        for qid, reason in exc.left_out or left_out:
            print(f"left out {qid} ({types.get(qid, '?')}): {reason}")
        raise
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    for qid, reason in left_out:
        print(f"left out {qid} ({types.get(qid, '?')}): {reason}")
    written = len(questions) - len(left_out)
    print(f"wrote {written} questions to {out}; {len(left_out)} left out")
    return 0


# --- grade ----------------------------------------------------------------------------------


def cmd_grade(args) -> int:
    from .files import write_atomically
    from .gradebook import build_gradebook, csv_text, question_columns
    from .submission import latest_only, load_submissions

    report = _report()
    if args.format != "csv" and not args.roster:
        raise UsageError(f"--format {args.format} needs --roster roster.csv (columns name, identifier): "
                         "the LMS matches students by their identifiers")
    roster = None
    if args.roster:
        from .lms_grades import read_roster

        roster = read_roster(args.roster)  # a bad roster stops the run before any grading
    default = "gradebook.csv" if args.format == "csv" else f"gradebook-{args.format}.csv"
    out = _out_file(Path(args.out) if args.out else _private(args, default), (".csv",))
    warn_if_published(out)
    banks = _grading_banks(args)
    groups, owners = [], {}
    if args.assignment:
        # An assignment is graded as a "chapter" made of the real questions it drew. Only
        # assignment submissions are graded then: mixing them with practice chapters would
        # put the same question in two columns. A variants file (assign --roster) is a
        # "chapter" per variant, one group of columns in the gradebook.
        from .assign import assignment_banks, variant_owners

        graded, translated = [], {}
        for manifest in args.assignment:
            made, group = assignment_banks(manifest, _banks_for_assignment(args, manifest, banks, translated))
            graded += made
            groups += [group] if group else []
            owners.update(variant_owners(manifest))
        banks = graded
    subs = latest_only(load_submissions(args.submissions, banks, report), report)
    if not subs:
        report.summary(0, "graded")
        raise UsageError(f"no submission could be graded; {printable(out, 120)} was not written")
    if owners:
        from .submission import id_key

        for sub in subs:  # graded against the variant it names; said when it was made for someone else
            if sub.chapter in owners and sub.student_id and id_key(sub.student_id) != id_key(owners[sub.chapter]):
                report.warn(sub.name, f"identifier {printable(sub.student_id, 60)} handed in the variant made for "
                                      f"{printable(owners[sub.chapter], 60)}")
    if args.format != "csv":
        return _write_lms_grades(args, subs, banks, report, roster, out, tuple(groups))
    header, rows = build_gradebook(subs, banks, report, tuple(groups))
    from .marking import add_marks_to_gradebook

    header, rows = add_marks_to_gradebook(args, header, rows, report)
    try:
        write_atomically(out, csv_text(header, rows).encode("utf-8-sig"))  # a BOM: spreadsheets show accents
    except OSError as exc:
        raise UsageError(f"cannot write {printable(out, 120)}: {exc.strerror or exc}") from None
    report.summary(len(subs), f"graded for {len(rows)} student(s)")
    print(f"wrote {out}: {len(rows)} student(s), {len(subs)} chapter submission(s), "
          f"{question_columns(header)} question column(s)")
    return 0


def _write_lms_grades(args, subs, banks, report, roster, out, groups) -> int:
    from .files import write_atomically
    from .gradebook import student_rows
    from .lms_grades import lms_csv

    rows = student_rows(subs, banks, report)
    text, unmatched = lms_csv(args.format, banks, rows, roster, _course(args).number, groups)
    try:
        write_atomically(out, text.encode("utf-8"))  # both importers read UTF-8; no BOM in Canvas's header
    except OSError as exc:
        raise UsageError(f"cannot write {printable(out, 120)}: {exc.strerror or exc}") from None
    report.summary(len(subs), f"graded for {len(rows)} student(s)")
    for row in unmatched:
        print(f"not in the roster (kept at the end with no identifier): {printable(row.student, 80)}"
              + (f" ({printable(row.student_id, 60)})" if row.student_id else ""), file=sys.stderr)
    print(f"wrote {out} for {args.format.capitalize()}: {len(roster)} student(s) of the roster, "
          f"{len(unmatched)} not in it")
    return 0


# --- mark -----------------------------------------------------------------------------------


def cmd_mark(args) -> int:
    from .marking import cmd_mark as run

    if args.out is None:
        args.out = str(_private_folder(args, "marking"))
    warn_if_published(Path(args.out))
    return run(args)


# --- analyse --------------------------------------------------------------------------------


def cmd_analyse(args) -> int:
    from .analyse import analyse_group, analyse_variants, choices_csv, folder_name, questions_csv, quiz_json, slots_csv
    from .analysis_report import render_report
    from .assign import assignment_banks
    from .files import write_atomically
    from .submission import latest_only, load_submissions

    if args.min_group < 1:
        raise UsageError("--min-group must be at least 1")
    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        raise UsageError(f"--out {printable(args.out, 120)} is a file; give a folder")
    report = _report()
    banks = _grading_banks(args)
    variant_groups = []  # (ColumnGroup, its variants' banks): analysed together, as one assignment
    if args.assignment:  # as in `grade`: an assignment is a "chapter" of the questions it drew
        translated, drawn = {}, []
        for manifest in args.assignment:
            made, group = assignment_banks(manifest, _banks_for_assignment(args, manifest, banks, translated))
            drawn += made
            if group:
                variant_groups.append((group, made))
        banks = drawn
    subs = latest_only(load_submissions(args.submissions, banks, report), report)
    if not subs:
        report.summary(0, "analysed")
        raise UsageError("no submission could be read; nothing was written")
    out = Path(args.out) if args.out else _private_folder(args, "analysis")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write {printable(out, 120)}: {exc.strerror or exc}") from None
    warn_if_published(out)
    def answers_to(bank):
        return [s.data["answers"] for s in subs if s.chapter == bank.chapter]

    in_variants = {b.chapter for _, made in variant_groups for b in made}
    analyses = [analyse_group(bank, answers_to(bank), args.min_group) for bank in banks
                if bank.chapter not in in_variants and answers_to(bank)]
    analyses += [analyse_variants(group.name, made[0].title, [(b, answers_to(b)) for b in made], group.questions,
                                  args.min_group)
                 for group, made in variant_groups if any(answers_to(b) for b in made)]
    lines = []
    for group in analyses:
        name = folder_name(group.id)
        if name is None:
            raise UsageError(f"{printable(group.id, 80)} cannot be a folder name; nothing more was written")
        folder = out / name
        files = [("questions.csv", questions_csv(group)), ("choices.csv", choices_csv(group)),
                 ("quiz.json", quiz_json(group)), ("report.html", render_report(group).encode("utf-8"))]
        if group.slots:
            files.append(("slots.csv", slots_csv(group)))
        try:
            folder.mkdir(exist_ok=True)
            for file, data in files:
                write_atomically(folder / file, data)
        except OSError as exc:
            raise UsageError(f"cannot write {printable(folder, 120)}: {exc.strerror or exc}") from None
        if group.withheld:
            lines.append(f"{group.id}: {group.withheld_line}; wrote {folder}/ saying so")
        else:
            flagged = sum(1 for flags in group.flags.values() if flags)
            of_variants = f" ({group.variants} variants)" if group.variants else ""
            lines.append(f"{group.id}: {group.n} submission(s){of_variants}, {len(group.questions)} question(s), "
                         f"{flagged} flagged; wrote {folder}/ (open report.html)")
    report.summary(len(subs), "analysed")
    print("\n".join(lines))
    return 0


# --- digest ---------------------------------------------------------------------------------


def cmd_digest(args) -> int:
    from .digest import collect_responses, find_prompt, render_html, render_markdown
    from .files import write_atomically
    from .submission import load_submissions

    report = _report()
    out = _out_file(Path(args.out) if args.out else _private(args, "digests", f"{args.prompt}.html"),
                    (".html", ".htm", ".md", ".markdown"))
    warn_if_published(out)
    banks = _all_banks(args)
    bank, prompt = find_prompt(banks, args.prompt)
    subs = load_submissions(args.submissions, banks, report)
    if not subs:
        report.summary(0, "read")
        raise UsageError(f"no submission could be read; {printable(out, 120)} was not written")
    entries, blank = collect_responses(subs, bank, prompt, args.named, report)
    if not entries:
        report.summary(0, "with a response")
        raise UsageError(f"none of the {len(subs)} readable submission(s) has a response to {prompt.id} "
                         f"(chapter {bank.chapter}); {printable(out, 120)} was not written")
    render = render_html if out.suffix.lower() in (".html", ".htm") else render_markdown
    try:
        write_atomically(out, render(bank, prompt, entries, args.named).encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {printable(out, 120)}: {exc.strerror or exc}") from None
    extra = f" ({blank} submission(s) without a response)" if blank else ""
    report.summary(len(entries), f"in the digest{extra}")
    print(f"wrote {out}: {len(entries)} response(s) to {prompt.id}"
          f"{', named' if args.named else ', anonymised'}")
    return 0


# --- translations ---------------------------------------------------------------------------

def cmd_translate(args) -> int:
    from . import i18n
    from .course import find_root, load_course

    root = find_root() or Path.cwd()
    course = load_course(root)
    codes = [i18n.language(course, code).code for code in args.language or []]
    if args.action == "update":
        for line in i18n.update_catalogs(root, course, codes):
            print(line)
        return 0
    problems = i18n.check(root, course, codes, only=args.files)
    for line in problems:
        print(line)
    editions = ", ".join(lang.code for lang in i18n.translations(course) if not codes or lang.code in codes)
    if problems:
        print(f"error: {len(problems)} message(s) untranslated, fuzzy or with broken markup ({editions})", file=sys.stderr)
        return 1
    print(f"ok: every message translated ({editions})")
    return 0


# --- the parser -----------------------------------------------------------------------------

BANKS_HELP = "question banks (default: the course's, as _config.yml says: chapters/)"
KEY_HELP = ("the instructor key that opens the sealed assessment banks "
            "(default: $COURSEKIT_ASSESSMENT_KEY, else private/assessment.key)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coursekit",
                                     description="Course tools: banks, editions, assignments, grading.")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check question banks (files or folders)")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--bibliography", default="references.bib", metavar="FILE.bib",
                          help="perspectives' sources must be keys of this file (default: references.bib, if present)")
    validate.set_defaults(run=cmd_validate)

    book = sub.add_parser("book", help="build the student or the instructor edition of the book")
    book.add_argument("--edition", choices=("student", "instructor"), default="student")
    book.add_argument("--out", default=None, metavar="DIR",
                      help="where the HTML goes (replaced if it exists); default: private/instructor-book for the "
                           "instructor edition, _build/student-book for the student edition")
    book.add_argument("--root", default=".", help="the course folder (default: here)")
    book.add_argument("--pdf", action="store_true", help="also print the edition to DIR.pdf (Chromium)")
    book.add_argument("--language", action="append", metavar="CODE", default=[],
                      help="build the edition in this language (es, pt) into DIR/CODE; default _build/html/CODE "
                           "(student) or private/instructor-book-CODE (instructor); repeatable")
    book.add_argument("--translations", action="store_true",
                      help="build every finished translation (each language not marked status: draft)")
    book.set_defaults(run=cmd_book)

    pdf = sub.add_parser("pdf", help="print a built book to one PDF (contents, page numbers, bookmarks)")
    pdf.add_argument("--html", default="_build/html", metavar="DIR", help="the built book (default: _build/html)")
    pdf.add_argument("--out", default="_build/pdf/course-student.pdf", metavar="FILE.pdf")
    pdf.add_argument("--edition", choices=("student", "instructor"), default="student")
    pdf.add_argument("--root", default=".", help="the course folder, whose _toc.yml orders the pages")
    pdf.set_defaults(run=cmd_pdf)

    assign = sub.add_parser("assign", help="make an assessment-mode assignment from the banks, with its key")
    assign.add_argument("--chapters", required=True,
                        help="chapter numbers, e.g. 2,5 (a chapter includes its sections) or 4.1 (a section)")
    assign.add_argument("--count", type=int, default=None, help="how many questions to draw (default: all)")
    assign.add_argument("--seed", type=int, default=0, help="the draw's seed: the same seed gives the same assignment")
    assign.add_argument("--title", default=None, help="the assignment's title")
    assign.add_argument("--due", default=None, metavar="YYYY-MM-DD", help="the due date students see, such as 2027-03-15")
    assign.add_argument("--pdf", action="store_true",
                        help="also print student/assignment.pdf, the assignment on paper (Chromium)")
    assign.add_argument("--levels", default=None, metavar="LEVEL,...",
                        help="draw only questions at these levels: remember, understand, apply, analyse, evaluate")
    assign.add_argument("--banks", default=None, metavar="DIR",
                        help="draw from your own private banks in DIR instead of the sealed assessment banks")
    assign.add_argument("--practice", action="store_true",
                        help="draw from the practice banks in chapters/ (students have seen their keys)")
    assign.add_argument("--key", default=None, metavar="FILE", help=KEY_HELP)
    assign.add_argument("--roster", default=None, metavar="roster.csv",
                        help="a variant per student of the class list (columns name, identifier): questions drawn per "
                             "objective and options shuffled, from the seed and the student's identifier")
    assign.add_argument("--out", default=None, metavar="DIR", help="default: private/assignments/ASSIGNMENT-ID")
    assign.add_argument("--language", default=None, metavar="CODE",
                        help="the assignment in this edition's language (es, pt): page, notebook, keys and questions "
                             "(the sealed assessment banks by their sealed translations; with --practice, the practice banks)")
    assign.set_defaults(run=cmd_assign)

    export = sub.add_parser(
        "export", help="export question banks to Moodle GIFT, Canvas QTI 1.2 or JSON",
        description="Export the chapters' question banks. Questions a format cannot hold are "
                    "left out, one line each, with the reason.")
    export.add_argument("--format", required=True, choices=("gift", "qti", "json"))
    export.add_argument("--chapters", default=None, metavar="N,N",
                        help="chapter numbers, e.g. 2,5 (a chapter includes its sections) or 4.1; default: all")
    export.add_argument("--banks", default=None, metavar="DIR", help=BANKS_HELP)
    export.add_argument("--out", default=None, metavar="FILE", help="file to write; default: private/exports/")
    export.add_argument("--language", default=None, metavar="CODE",
                        help="export the questions in this edition's language (es, pt): the course's banks only")
    export.set_defaults(run=cmd_export)

    grade = sub.add_parser(
        "grade", help="score submission files against the banks and write a CSV gradebook",
        description="Score every submission (files, or folders of *.json) with the course grader and "
                    "write one CSV row per student. Bad files are skipped and named on stderr.")
    grade.add_argument("submissions", nargs="+", metavar="SUBMISSIONS", help="submission files or folders")
    grade.add_argument("--out", default=None, metavar="FILE.csv",
                       help="the gradebook to write; default: private/gradebook.csv")
    grade.add_argument("--banks", default=None, metavar="DIR", help=BANKS_HELP)
    grade.add_argument("--format", choices=("csv", "canvas", "moodle"), default="csv",
                       help="csv: a column per question; canvas or moodle: a file their gradebook import "
                            "accepts, a column per chapter or assignment (needs --roster)")
    grade.add_argument("--roster", default=None, metavar="roster.csv",
                       help="the class list: columns name and identifier (optional: canvas_id, sis_login_id, section)")
    grade.add_argument("--marks", default=None, metavar="marks.csv",
                       help="exercise marks (coursekit mark's marks.csv, filled in): one column per task, of 100")
    grade.add_argument("--key", default=None, metavar="FILE", help=KEY_HELP)
    grade.add_argument("--assignment", action="append", default=[], metavar="assignment.json",
                       help="grade submissions to this assignment (made by coursekit assign), or to every variant of "
                            "an instructor/variants.json (assign --roster); repeatable")
    grade.set_defaults(run=cmd_grade)

    mark = sub.add_parser(
        "mark", help="a marking pack for exercise answers: a page per task (each answer beside the rubric) and marks.csv",
        description="Gather every exercise answer in the submissions into one HTML page per task, each student's "
                    "answer beside the task's rubric with a score column per weighted criterion, and marks.csv to "
                    "fill in (the level reached on each criterion) for coursekit grade --marks.")
    mark.add_argument("submissions", nargs="+", metavar="SUBMISSIONS", help="submission files or folders")
    mark.add_argument("--out", default=None, metavar="DIR", help="the pack's folder; default: private/marking")
    mark.add_argument("--banks", default=None, metavar="DIR", help=BANKS_HELP)
    mark.set_defaults(run=cmd_mark)

    analyse = sub.add_parser(
        "analyse", help="item analysis: Moodle's quiz statistics per chapter or assignment, with a report page",
        description="Score every submission with the course grader and write, for each chapter (or assignment), "
                    "questions.csv, choices.csv, quiz.json and report.html with the statistics of Moodle's quiz "
                    "statistics report. A group smaller than --min-group gets no statistics.")
    analyse.add_argument("submissions", nargs="+", metavar="SUBMISSIONS", help="submission files or folders")
    analyse.add_argument("--out", default=None, metavar="DIR",
                         help="where each chapter's folder goes; default: private/analysis")
    analyse.add_argument("--banks", default=None, metavar="DIR", help=BANKS_HELP)
    analyse.add_argument("--key", default=None, metavar="FILE", help=KEY_HELP)
    analyse.add_argument("--assignment", action="append", default=[], metavar="assignment.json",
                         help="analyse submissions to this assignment (made by coursekit assign); repeatable")
    analyse.add_argument("--min-group", type=int, default=10, metavar="N",
                         help="no statistics for a chapter with fewer than N submissions (default: 10)")
    analyse.set_defaults(run=cmd_analyse)

    digest = sub.add_parser(
        "digest", help="gather the responses to one discussion prompt into a page for the class",
        description="Collect the responses to one discussion prompt into a standalone HTML page or a "
                    "Markdown file, anonymised unless --named.")
    digest.add_argument("submissions", nargs="+", metavar="SUBMISSIONS", help="submission files or folders")
    digest.add_argument("--prompt", required=True, metavar="ID", help="the discussion prompt id, e.g. ch02-d-shared-threats")
    digest.add_argument("--out", default=None, metavar="FILE",
                        help="digest.html or digest.md; default: private/digests/PROMPT.html")
    digest.add_argument("--named", action="store_true", help="show the students' names instead of Student 1, 2, ...")
    digest.add_argument("--banks", default=None, metavar="DIR", help=BANKS_HELP)
    digest.set_defaults(run=cmd_digest)

    kit = sub.add_parser("student-kit", help="write the course folder for students' Jupyter, without instructor material")
    kit.add_argument("--out", default="_build/student-kit.zip", metavar="FILE.zip")
    kit.add_argument("--root", default=".", help="the course folder (default: here)")
    kit.set_defaults(run=cmd_student_kit)

    keygen = sub.add_parser("keygen", help="maintainers: make a new instructor key for the sealed assessment banks")
    keygen.add_argument("--out", default=None, metavar="FILE",
                        help="where to write the key (never overwritten); default: private/assessment.key")
    keygen.set_defaults(run=cmd_keygen)

    seal = sub.add_parser("seal", help="maintainers: validate plain assessment banks and seal them with the key",
                          description="Check every bank in SOURCE (kept private, never committed) and write "
                                      "OUT/<stem>.sealed for each; nothing is written if any bank is invalid.")
    seal.add_argument("source", metavar="SOURCE", help="a folder of plain assessment banks (*.yml)")
    seal.add_argument("--out", default=None, metavar="DIR", help="default: the course's assessment/ folder")
    seal.add_argument("--key", default=None, metavar="FILE", help=KEY_HELP)
    seal.set_defaults(run=cmd_seal)

    unseal = sub.add_parser("unseal", help="maintainers: write the sealed assessment banks out as plain YAML to edit")
    unseal.add_argument("--out", default=None, metavar="DIR", help="default: private/assessment-banks")
    unseal.add_argument("--key", default=None, metavar="FILE", help=KEY_HELP)
    unseal.set_defaults(run=cmd_unseal)

    translate = sub.add_parser("translate", help="the Spanish and Portuguese editions' catalogs (locales/): update or check")
    translate.add_argument("action", choices=("update", "check"),
                           help="update: write and merge the catalogs from the English; check: name every message to do")
    translate.add_argument("--language", action="append", metavar="CODE", help="only this edition (es, pt); repeatable")
    translate.add_argument("files", nargs="*", metavar="SOURCE",
                           help="check: only these English files (chapters/05-....ipynb), default every one")
    translate.set_defaults(run=cmd_translate)

    from .hub import add_parsers as add_hub_parsers
    add_hub_parsers(sub)  # coursekit collect HANDIN [--out DIR], coursekit hub-links [--format markdown|tsv]
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CourseKitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


__all__ = ["main", "build_parser"]
