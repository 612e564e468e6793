"""A class on JupyterHub: nbgitpuller links to every chapter, the book's launch link, and the
collection of exported submissions from a hand-in folder.

The course's configuration names the hub (`_config.yml`):

    coursekit:
      hub:
        url: https://hub.example.edu                 # the hub's address (with its base URL, if any)
        repository: https://github.com/example/course  # what nbgitpuller clones into each home
        branch: main                                 # optional; default main
        folder: course                               # optional: the folder in each home; default: the repository's name

With no `hub` section (or an empty `url`) there are no links and the book shows no launch
link: it stays an offline book. Everything here is pure Python with no JupyterHub import, so
the book build and the instructor's commands need nothing of the hub's.

The hand-in folder holds one folder per user (deploy/README.md): collect_submissions copies
every `submission-*.json` found in a user's folder into one instructor folder, as
`<user>--submission-<chapter>-<name>.json`, refusing bad files by name and never replacing a
copy that is newer than the file handed in. The reads are safe for an instructor who runs
the collection with more rights than the students (sudo on a single server): links are never
followed, only regular files are read, and no more than a submission's largest size.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from .errors import SubmissionError, UsageError, echo, printable
from .ui import _

HUB_SETTING = "hub"  # the key of the `coursekit:` section
LAUNCH_TEXT = "Launch on the class hub"  # in English; launch_text() gives it in the reader's language
LAUNCH_CLASS = "ck-hub-launch"
SUBMISSION_GLOB = re.compile(r"^submission-[^/\\]{1,200}\.json$")
USER_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")  # JupyterHub's (and TLJH's, KubeSpawner's) user names
FOLDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
SEPARATOR = "--"  # <user>--submission-....json in the instructor's folder
MAX_DEPTH = 6  # how deep inside a user's folder submissions are looked for
MAX_FILES_PER_USER = 500
SKIPPED_FOLDERS = {"node_modules", "__pycache__"}  # and every hidden folder (.git, .ipynb_checkpoints, .local)


# --- settings and links ------------------------------------------------------------------

@dataclass(frozen=True)
class HubSettings:
    url: str  # https://hub.example.edu, no trailing slash
    repository: str
    branch: str = "main"
    folder: str = ""  # the folder nbgitpuller clones into, relative to each user's home

    @property
    def target(self) -> str:
        return self.folder or default_folder(self.repository)


def default_folder(repository: str) -> str:
    """The folder nbgitpuller's own page uses when none is given: the repository's last path
    part (without .git, which we drop as well so that the link and the folder agree)."""
    name = repository.rstrip("/").split("/")[-1].split(":")[-1]
    return name[:-4] if name.endswith(".git") else name


def _check_url(value: str, what: str, schemes: tuple[str, ...]) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"coursekit.hub.{what} must be a non-empty address")
    value = value.strip()
    if any(ch.isspace() or ord(ch) < 32 or ch in "<>\"'" for ch in value):
        raise UsageError(f"coursekit.hub.{what} {echo(value)} holds a space, a quote or a control character")
    parts = urlsplit(value)
    if parts.scheme.lower() not in schemes:
        raise UsageError(f"coursekit.hub.{what} {echo(value)} must start with " + " or ".join(f"{s}://" for s in schemes))
    if parts.scheme != "file" and not parts.netloc:
        raise UsageError(f"coursekit.hub.{what} {echo(value)} names no host")
    return value


def hub_settings(course) -> HubSettings | None:
    """The `hub:` settings of a course (coursekit.course.Course), or None when it names no hub."""
    section = (getattr(course, "settings", None) or {}).get(HUB_SETTING)
    if section in (None, "", {}):
        return None
    if not isinstance(section, dict):
        raise UsageError("coursekit.hub must be a mapping with url and repository")
    unknown = sorted(set(section) - {"url", "repository", "branch", "folder"})
    if unknown:
        raise UsageError(f"coursekit.hub: unknown setting {echo(unknown[0])} (known: url, repository, branch, folder)")
    if not section.get("url"):
        return None  # `url: ""`: no hub, the book stays offline
    url = _check_url(section.get("url"), "url", ("https", "http")).rstrip("/")
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise UsageError(f"coursekit.hub.url {echo(url)} must be the hub's address alone (no ? or #)")
    if url.endswith("/hub"):
        url = url[:-4]  # the hub's own path is added by the link
    repository = _check_url(section.get("repository"), "repository", ("https", "http", "file", "ssh", "git"))
    branch = str(section.get("branch") or "main")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,199}", branch) or ".." in branch:
        raise UsageError(f"coursekit.hub.branch {echo(branch)} is not a branch name")
    folder = str(section.get("folder") or "")
    if folder and (not FOLDER_NAME.fullmatch(folder) or folder in (".", "..")):
        raise UsageError(f"coursekit.hub.folder {echo(folder)} must be one folder name (letters, digits, . _ -)")
    settings = HubSettings(url=url, repository=repository, branch=branch, folder=folder)
    if not FOLDER_NAME.fullmatch(settings.target):
        raise UsageError(f"coursekit.hub: the repository's name {echo(settings.target)} cannot be a folder name; "
                         "set coursekit.hub.folder")
    return settings


def pull_link(settings: HubSettings, path: str) -> str:
    """The nbgitpuller link that clones (or updates) the repository into the user's home and
    opens `path` (relative to the repository, e.g. chapters/01-introduction.ipynb) in JupyterLab:
    {hub}/hub/user-redirect/git-pull?repo=…&branch=…&targetpath=…&urlpath=lab/tree/…"""
    query = {"repo": settings.repository, "branch": settings.branch, "targetpath": settings.target,
             "urlpath": f"lab/tree/{settings.target}/{path.lstrip('/')}"}
    return f"{settings.url}/hub/user-redirect/git-pull?" + urlencode(query, quote_via=quote, safe="/")


@dataclass(frozen=True)
class ChapterLink:
    stem: str  # 04a-joint-exercises
    number: str  # 4.1
    path: str  # chapters/04a-joint-exercises.ipynb, relative to the course folder
    url: str


def _toc_pages(root: Path) -> list[str]:
    import yaml

    try:
        toc = yaml.safe_load((root / "_toc.yml").read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    pages: list[str] = []

    def walk(entries):
        for entry in entries or []:
            if isinstance(entry, dict):
                if isinstance(entry.get("file"), str):
                    pages.append(entry["file"])
                walk(entry.get("sections"))

    for part in toc.get("parts") or []:
        if isinstance(part, dict):
            walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages


def chapter_notebooks(course) -> list[tuple[str, str]]:
    """(stem, path) of every chapter notebook, in _toc.yml's order (else by name): the notebooks
    in the course's banks folder whose name is a chapter's."""
    root = Path(course.root) if course.root else Path.cwd()
    banks = Path(course.banks)
    found: list[tuple[str, str]] = []
    pages = _toc_pages(root) or sorted(str((banks / p.stem).as_posix()) for p in (root / banks).glob("*.ipynb"))
    for page in pages:
        page = page[:-6] if page.endswith(".ipynb") else page
        relative = Path(page)
        if relative.parent != banks or not course.is_chapter(relative.name):
            continue
        if (root / f"{page}.ipynb").is_file():
            found.append((relative.name, f"{relative.as_posix()}.ipynb"))
    return found


def chapter_links(course) -> list[ChapterLink]:
    """An nbgitpuller link to every chapter of the course; [] when the course names no hub."""
    settings = hub_settings(course)
    if settings is None:
        return []
    return [ChapterLink(stem, course.number(stem), path, pull_link(settings, path))
            for stem, path in chapter_notebooks(course)]


def links_markdown(links: list[ChapterLink]) -> str:
    """The links as a Markdown list an instructor pastes into an LMS page or an e-mail."""
    return "".join(f"- Chapter {link.number} ({link.stem}): <{link.url}>\n" for link in links)


# --- the book's launch link (a Sphinx html-page-context hook) ---------------------------------

def launch_text() -> str:
    """LAUNCH_TEXT in the reader's language (coursekit/ui.py)."""
    return _("Launch on the class hub")


def launch_html(url: str) -> str:
    note = _("(opens this chapter in JupyterHub, where your answers are saved in your own folder on the hub)")
    return (f'<p class="{LAUNCH_CLASS}"><a class="reference external" href="{escape(url, quote=True)}" '
            f'rel="noopener">{escape(launch_text(), quote=False)}</a> <span class="{LAUNCH_CLASS}-note">'
            f'{escape(note, quote=False)}</span></p>\n')


def add_launch_link(app, pagename, templatename, context, doctree) -> None:
    """Sphinx `html-page-context` hook: when the course's configuration names a hub, put a
    "Launch on the class hub" link at the top of each chapter page; with no hub named, add
    nothing at all (the book stays offline). Wire it in coursekit/sphinx_ext.py's setup():
    `app.connect("html-page-context", hub.add_launch_link)`."""
    if doctree is None or "body" not in context:
        return
    links = _links_for_build(app)
    link = links.get(pagename)
    if link:
        context["body"] = launch_html(link) + context["body"]


def _links_for_build(app) -> dict[str, str]:
    cached = getattr(app, "_coursekit_hub_links", None)
    if cached is None:
        from .course import load_course

        course = load_course(app.srcdir)
        cached = {link.path[:-6]: link.url for link in chapter_links(course)}
        app._coursekit_hub_links = cached
    return cached


# --- collecting submissions from a hand-in folder -----------------------------------------------

@dataclass
class CollectReport:
    copied: list[tuple[str, str]] = field(default_factory=list)  # (handed-in file, collected copy)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # a newer hand-in replaced an older copy
    unchanged: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (file, why the collected copy was kept)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file or folder, reason)

    def lines(self) -> list[str]:
        out = [f"refused {printable(name, 160)}: {reason}" for name, reason in self.refused]
        out += [f"kept {printable(name, 160)}: {reason}" for name, reason in self.kept]
        out.append(f"summary: {len(self.copied)} copied, {len(self.replaced)} replaced by a newer hand-in, "
                   f"{len(self.unchanged)} unchanged, {len(self.kept)} kept (the collected copy is newer), "
                   f"{len(self.refused)} refused")
        return out


def _read_no_follow(name: str, dir_fd: int, limit: int) -> bytes:
    """A file's bytes, opened relative to its folder without following a link (a student cannot
    point the instructor's copy at another file), and only when it is a regular file of at most
    `limit` bytes. Raises SubmissionError."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SubmissionError("a link, not a file: hand in the file itself") from None
        raise SubmissionError(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionError("not a regular file")
        if info.st_size > limit:
            raise SubmissionError(f"file is {info.st_size:,} bytes; a submission may be at most {limit:,}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise SubmissionError(f"file is larger than {limit:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _created(data: dict) -> tuple:
    from .submission import parse_created

    return parse_created(data["created"])


def _user_files(user_dir: Path, report: CollectReport, limit: int):
    """(shown name, bytes) of every submission-*.json in a user's folder, depth-limited, links
    and hidden folders never entered."""
    count = 0
    base_depth = len(user_dir.parts)
    for folder, dirs, files, dir_fd in os.fwalk(user_dir, follow_symlinks=False):
        depth = len(Path(folder).parts) - base_depth
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS and depth < MAX_DEPTH)
        for name in sorted(files):
            if not SUBMISSION_GLOB.match(name):
                continue
            shown = str(Path(folder) / name)
            count += 1
            if count > MAX_FILES_PER_USER:
                report.refused.append((str(user_dir), f"more than {MAX_FILES_PER_USER} submission files; "
                                                      "the rest were not read"))
                return
            try:
                yield shown, name, _read_no_follow(name, dir_fd, limit)
            except SubmissionError as exc:
                report.refused.append((shown, str(exc)))


def collect_submissions(handin: str | Path, out: str | Path, *, course: str | None = None) -> CollectReport:
    """Copy every `submission-*.json` from each user's folder in `handin` (one folder per user,
    named as the hub names the user) into `out`, as `<user>--<file name>`, for `coursekit grade out`.

    A file that is no valid submission (or of another course, when `course` is given) is refused
    and named with the reason, and never copied. A copy already in `out` is replaced only by a
    hand-in exported later (its `created`); a copy that is newer, or that cannot be read, is kept."""
    from .files import write_atomically
    from .submission import MAX_SUBMISSION_BYTES, parse_submission

    handin, out = Path(handin), Path(out)
    if not handin.is_dir():
        raise UsageError(f"{printable(handin, 120)}: no such hand-in folder")
    try:
        if out.resolve() == handin.resolve() or handin.resolve() in out.resolve().parents:
            raise UsageError("--out must be outside the hand-in folder (students can write there)")
    except OSError:
        pass
    out.mkdir(parents=True, exist_ok=True)
    report = CollectReport()
    try:
        users = sorted(handin.iterdir())
    except OSError as exc:
        raise UsageError(f"cannot list {printable(handin, 120)}: {exc.strerror or exc}") from None
    for user_dir in users:
        if user_dir.name.startswith("."):
            continue
        if user_dir.is_symlink() or not user_dir.is_dir():
            report.refused.append((str(user_dir), "not a user's folder (a file or a link); the hand-in folder holds "
                                                  "one folder per user"))
            continue
        if not USER_FOLDER.fullmatch(user_dir.name):
            report.refused.append((str(user_dir), "a folder name that is no hub user name"))
            continue
        for shown, name, raw in _user_files(user_dir, report, MAX_SUBMISSION_BYTES):
            try:
                data = parse_submission(raw)
                if course and data["course"] != course:
                    raise SubmissionError(f"course {echo(data['course'])} is not this course ({course})")
                created = _created(data)
            except SubmissionError as exc:
                report.refused.append((shown, str(exc)))
                continue
            target = out / f"{user_dir.name}{SEPARATOR}{name}"
            if target.is_symlink() or (target.exists() and not target.is_file()):
                report.kept.append((str(target), "not a regular file in the instructor's folder; left alone"))
                continue
            if target.exists():
                try:
                    old_raw = target.read_bytes()
                    old_created = _created(parse_submission(old_raw))
                except (OSError, SubmissionError) as exc:
                    report.kept.append((str(target), f"the collected copy cannot be read ({exc}); left alone"))
                    continue
                if old_raw == raw:
                    report.unchanged.append(str(target))
                    continue
                if old_created >= created:
                    report.kept.append((str(target), f"the collected copy (created {printable(old_created[0].isoformat())}) "
                                                     f"is not older than {printable(shown, 120)}"))
                    continue
                write_atomically(target, raw)
                report.replaced.append((shown, str(target)))
                continue
            write_atomically(target, raw)
            report.copied.append((shown, str(target)))
    return report


# --- command-line functions (the lead wires them into coursekit/cli.py) --------------------------

def cmd_collect(args) -> int:
    """`coursekit collect HANDIN [--out DIR]`: the hand-in folder's submissions into one folder."""
    import sys

    from .course import find_root, load_course

    root = find_root() or Path.cwd()
    out = Path(args.out) if args.out else root / "private" / "handin"
    course = load_course().id or None
    report = collect_submissions(args.handin, out, course=course)
    for line in report.lines():
        print(line, file=sys.stderr)
    print(f"collected into {out}: grade with  coursekit grade {out}")
    return 0


def cmd_hub_links(args) -> int:
    """`coursekit hub-links [--format markdown|tsv]`: the nbgitpuller link of every chapter."""
    from .course import load_course

    course = load_course(args.root)
    if hub_settings(course) is None:
        raise UsageError("the course names no hub: set coursekit.hub.url and coursekit.hub.repository in _config.yml")
    links = chapter_links(course)
    if args.format == "tsv":
        print("".join(f"{link.number}\t{link.stem}\t{link.url}\n" for link in links), end="")
    else:
        print(links_markdown(links), end="")
    return 0


def add_parsers(sub) -> None:
    """Register `collect` and `hub-links` on coursekit's subparsers (cli.build_parser)."""
    collect = sub.add_parser(
        "collect", help="copy the submissions students handed in on JupyterHub into one folder to grade",
        description="Copy every submission-*.json from each user's folder in HANDIN into one folder, as "
                    "USER--FILE, for coursekit grade. Bad files are refused and named; a collected copy is "
                    "replaced only by a file exported later.")
    collect.add_argument("handin", metavar="HANDIN", help="the hand-in folder: one folder per user")
    collect.add_argument("--out", default=None, metavar="DIR", help="default: private/handin")
    collect.set_defaults(run=cmd_collect)

    links = sub.add_parser("hub-links", help="print the nbgitpuller link of every chapter (needs coursekit.hub)")
    links.add_argument("--format", choices=("markdown", "tsv"), default="markdown")
    links.add_argument("--root", default=".", help="the course folder (default: here)")
    links.set_defaults(run=cmd_hub_links)


__all__ = ["HubSettings", "ChapterLink", "hub_settings", "pull_link", "chapter_links", "chapter_notebooks",
           "links_markdown", "add_launch_link", "launch_html", "collect_submissions", "CollectReport",
           "cmd_collect", "cmd_hub_links", "add_parsers", "LAUNCH_TEXT", "launch_text"]
