"""Sphinx extension: ships the static quiz script and styles with the book (no CDN), and
keeps pages free of what an offline course must not carry."""
from __future__ import annotations

import hashlib
import re
import shutil
from functools import cache
from importlib import resources
from pathlib import Path

from . import __version__, bibstyle, hub, switcher, ui
from .markup import json_for_script
from .ui import _

MY_WORK_SCRIPT = "coursekit-my-work.js"  # the whole script, for the one page that gathers every chapter
SERVED_FILES = ("coursekit.js", MY_WORK_SCRIPT, "coursekit.css")  # what the book serves from coursekit/static
_MY_WORK_ONLY = re.compile(r"^[ \t]*// @my-work-only begin.*?^[ \t]*// @my-work-only end[^\n]*\n", re.M | re.S)


def core_script(source: str) -> str:
    """The script every page but My work loads: the source without its `@my-work-only` parts
    (the My work table, Export everything and Import), a third of the code that no other page runs."""
    core = _MY_WORK_ONLY.sub("", source)
    if "@my-work-only" in core:
        raise ValueError("coursekit.js: an unclosed or misspelt // @my-work-only marker")
    return core


@cache
def served_file(name: str) -> bytes:
    """One of SERVED_FILES exactly as the book serves it: minified (local names shortened,
    comments and spaces dropped), which halves what a reader downloads. The sources in
    coursekit/static/ stay readable; the browser tests run the minified copies. Each file is
    made when first asked for: an assignment page needs the core script, not the whole one."""
    static = resources.files("coursekit").joinpath("static")
    if name == "coursekit.css":
        from rcssmin import cssmin

        return (cssmin(static.joinpath(name).read_text("utf-8")) + "\n").encode("utf-8")
    if name not in SERVED_FILES:
        raise KeyError(name)
    from calmjs.parse import es5
    from calmjs.parse.unparsers.es5 import minify_print

    script = static.joinpath("coursekit.js").read_text("utf-8")
    source = script if name == MY_WORK_SCRIPT else core_script(script)
    return (minify_print(es5(source), obfuscate=True, obfuscate_globals=False) + "\n").encode("utf-8")


def served_static() -> dict[str, bytes]:
    """Every served file, by name (the build writes them all into _static/)."""
    return {name: served_file(name) for name in SERVED_FILES}


def _whole_script_on_my_work(app, pagename, templatename, context, doctree) -> None:
    """The My work page (the one page with the .ck-mywork markup) loads the whole script
    instead of the core; every other page loads the core."""
    from .my_work import MARKER

    body = context.get("body")
    if not isinstance(body, str) or MARKER not in body:
        return
    scripts = context.get("script_files") or []
    for index, script in enumerate(scripts):
        name = str(getattr(script, "filename", script))
        if name.endswith("/coursekit.js") or name == "coursekit.js":
            scripts[index] = type(script)(name[: -len("coursekit.js")] + MY_WORK_SCRIPT, priority=script.priority,
                                          **script.attributes)


def _add_static_path(app) -> None:
    """The minified assets go into a folder of this build, which Sphinx copies to _static/."""
    folder = Path(app.doctreedir).parent / "coursekit-static"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in served_static().items():
        target = folder / name
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    if str(folder) not in app.config.html_static_path:
        app.config.html_static_path.append(str(folder))


def _drop_widget_state(app, pagename, *args) -> None:
    """Executed notebooks carry the live widgets' state (hundreds of KB a page). The book
    shows the static view and loads no widget manager, so the state is dead weight."""
    metadata = getattr(app.env, "nb_metadata", {}).get(pagename, {})
    metadata.get("js_files", {}).pop("ipywidgets_state", None)


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """Jupyter Book 1 always loads sphinx-thebe, whose config script names a CDN and is
    added twice (a SyntaxError in every page's console). The course uses no live kernels."""
    scripts = context.get("script_files")
    if not scripts:
        return
    context["script_files"] = [
        s for s in scripts
        if not str(s).endswith("sphinx-thebe.js") and "THEBE_JS_URL" not in getattr(s, "attributes", {}).get("body", "")
    ]


def engine_fingerprint() -> str:
    """A hash of the engine itself (its code, script, styles and schemas)."""
    package = Path(str(resources.files("coursekit")))
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.glob("static/*"), *package.glob("schemas/*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def inputs_fingerprint(srcdir: Path) -> str:
    """A hash of everything a notebook reads besides its own code: the engine, the course's
    own modules (figures), the banks and the data. Jupyter Book's execution cache keys on the code cells only, so without
    this a changed bank or quiz rendering would be served from stale cached outputs."""
    package = Path(str(resources.files("coursekit")))
    files = [*package.rglob("*.py"), *package.glob("static/*"), *package.glob("schemas/*"), *srcdir.glob("*.py"),
             *srcdir.glob("chapters/*.yml"), *srcdir.glob("exercises/*.yml"), *srcdir.glob("data/*.csv"),
             *_interface_catalog(srcdir)]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _interface_catalog(srcdir: Path) -> list[Path]:
    """A translated edition's interface strings (its quizzes are rendered with them)."""
    from .course import load_course

    code = (load_course(srcdir).settings or {}).get("language", ui.SOURCE)
    path = Path(srcdir) / "locales" / code / ui.CATALOG
    return [path] if code != ui.SOURCE and path.exists() else []


def _speak_the_course_language(app, config) -> None:
    """The engine's strings in the edition's language (coursekit/ui.py), the theme's search
    box too (Jupyter Book writes its placeholder in English, outside the theme's catalogs)."""
    from .course import load_course

    ui.use_course(load_course(app.srcdir))
    table = ui.script_table(Path(app.srcdir)) if ui.language() != ui.SOURCE else {}
    # made once for the build, carried by every page (none in English)
    app._coursekit_ui_json = f'<script type="application/json" id="ck-ui">{json_for_script(table)}</script>' if table else ""
    if ui.language() != ui.SOURCE:
        config.html_theme_options["search_bar_text"] = _("Search this book...")


def _interface_strings_for_the_script(app, pagename, templatename, context, doctree) -> None:
    """A translated page carries the script's strings in its language."""
    if app._coursekit_ui_json and isinstance(context.get("body"), str):
        context["body"] += app._coursekit_ui_json


def _theme_strings() -> dict[str, str]:
    """Words the theme and Sphinx write into attributes without a translation in our languages
    (sphinx-book-theme's sidebar toggles are not translatable at all), in the edition's language."""
    return {"Toggle primary sidebar": _("Toggle primary sidebar"), "Toggle secondary sidebar": _("Toggle secondary sidebar"),
            "Link to this heading": _("Link to this heading"), "Main": _("Main"), "Page": _("Page"),
            "Search this book...": _("Search this book...")}


def _translate_theme_attributes(app, exception) -> None:
    """build-finished, in a translated edition: the theme's untranslated attributes (title,
    aria-label, placeholder) on every page say their words in the edition's language."""
    if exception or app.builder.format != "html" or ui.language() == ui.SOURCE:
        return
    from html import escape

    words = {english: escape(text, quote=True) for english, text in _theme_strings().items()}
    pattern = re.compile(r'((?:title|aria-label|placeholder)=")(' + "|".join(map(re.escape, words)) + r')"')
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text("utf-8")
        translated = pattern.sub(lambda m: f'{m.group(1)}{words[m.group(2)]}"', html)
        if translated != html:
            page.write_text(translated, "utf-8")


def _invalidate_stale_outputs(app) -> None:
    cache = getattr(getattr(app.env, "mystnb_config", None), "execution_cache_path", None)
    if not cache:
        return
    cache = Path(cache)
    stamp = cache.parent / ".coursekit-inputs"
    now = inputs_fingerprint(Path(app.srcdir))
    app.env.coursekit_inputs_changed = not stamp.exists() or stamp.read_text() != now
    if app.env.coursekit_inputs_changed:
        shutil.rmtree(cache, ignore_errors=True)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(now)


def _reread_notebooks(app, env, added, changed, removed) -> list[str]:
    """When the inputs changed, every notebook is read (and so executed) again."""
    if not getattr(env, "coursekit_inputs_changed", False):
        return []
    return [doc for doc in env.found_docs if str(env.doc2path(doc)).endswith(".ipynb")]


# --- search that ignores accents ---------------------------------------------------------
# Sphinx indexes "Bogotá" as "bogotá", so a reader who types "bogota" (most phone keyboards,
# most lab computers) finds nothing. Words are folded the same way on both sides: in the index
# (Python, below) and in the query (the stemmer's JavaScript, which Sphinx writes into
# language_data.js): marks removed after NFKD, as grading.strip_accents and coursekit.js do.
FOLD_STEMMER_JS = """;  // (the stemmer above ends without a semicolon)
(function () {
  var Unfolded = Stemmer;
  Stemmer = function () {
    var stemmer = new Unfolded(), stem = stemmer.stemWord;
    stemmer.stemWord = function (w) { return stem(w.normalize("NFKD").replace(/\\p{M}/gu, "").normalize("NFC")); };
    return stemmer;
  };
})();
"""


def _accent_folding_search() -> None:
    from sphinx.search import languages
    from sphinx.search.en import SearchEnglish

    from .grading import strip_accents

    class FoldingEnglish(SearchEnglish):
        js_stemmer_code = SearchEnglish.js_stemmer_code + FOLD_STEMMER_JS

        def stem(self, word: str) -> str:
            return super().stem(strip_accents(word))

    languages["en"] = FoldingEnglish


def _single_title_on_the_landing_page(app, exception) -> None:
    """The landing page's heading is the book's title, so its tab read "Title — Title". The
    theme builds that suffix inside its template, so the written page is corrected instead."""
    if exception or app.builder.format != "html":
        return
    page = Path(app.outdir) / f"{app.config.root_doc}.html"
    if not page.exists():
        return
    html = page.read_text("utf-8")
    fixed = re.sub(r"<title>(.+?) &#8212; \1</title>", r"<title>\1</title>", html, count=1)
    if fixed != html:
        page.write_text(fixed, "utf-8")


# --- chapter numbers: documents, not headings -----------------------------------------------
def _number_documents_not_headings(app, env) -> list[str]:
    """Sphinx numbers a numbered toctree's headings and documents in one sequence, so the
    thirteen `##` headings of chapter 4 take 4.1-4.13 and its sections become 4.14 and 4.15.
    The course numbers documents only: 4, 4.1, 4.2, the numbers the landing page, the
    exercises and `coursekit assign --chapters 4.1` use. Runs after the numbers are assigned
    (priority > 500; Jupyter Book's sphinx-multitoc-numbering replaces Sphinx's numbering and
    ignores Sphinx's own `skip_section_number`, so the numbers are corrected afterwards):
    each numbered document gets its parent's number plus its place among its siblings, and
    headings inside a page get none."""
    from sphinx import addnodes

    old = {doc: nums[""] for doc, nums in env.toc_secnumbers.items() if nums.get("")}
    by_number = {number: doc for doc, number in old.items()}
    new: dict[str, tuple[int, ...]] = {}
    siblings: dict[tuple[int, ...], int] = {}
    for doc, number in sorted(old.items(), key=lambda item: item[1]):
        parent = next((by_number[number[:k]] for k in range(len(number) - 1, 0, -1) if number[:k] in by_number), None)
        prefix = new[parent] if parent else ()
        siblings[prefix] = siblings.get(prefix, 0) + 1
        new[doc] = (*prefix, siblings[prefix])
    for doc, number in new.items():
        # a heading must stay in the map with no number: a heading missing from it gets the page's
        env.toc_secnumbers[doc] = {anchor: (number if not anchor else ()) for anchor in env.toc_secnumbers[doc]}
        if doc in env.titles:
            env.titles[doc]["secnumber"] = list(number)
        for entry in env.tocs[doc].findall(addnodes.compact_paragraph):
            reference = entry.children[0] if entry.children else None
            if reference is not None and "secnumber" in reference.attributes:
                reference["secnumber"] = list(number) if not reference.get("anchorname") else None
    return [doc for doc, number in new.items() if number != old[doc]]


def _link_figures_to_full_size(app, doctree) -> None:
    """Every figure's image becomes a link to the image itself, so that a reader on a phone can
    open it full size and zoom. Sphinx's HTML builder adds that link to images that carry a
    size; a figure drawn by a notebook carries none, so give it the width it has anyway."""
    from docutils import nodes

    for figure in doctree.findall(nodes.figure):
        for image in figure.findall(nodes.image):
            if not any(key in image for key in ("scale", "width", "height")):
                image["width"] = "100%"


_DATA_FILE = re.compile(r"^(?:\.\./)*data/([\w.-]+\.csv)$")


def _link_data_files(app, doctree) -> None:
    """A data file a page names (`../data/x.csv`, as a task's code reads it) becomes a download
    of that file: the book copies it into _downloads/, so a reader with only a browser gets the
    data too. Runs before Sphinx's download collector, which copies what the links name."""
    from docutils import nodes
    from sphinx import addnodes

    for literal in list(doctree.findall(nodes.literal)):
        if isinstance(literal.parent, (nodes.reference, addnodes.download_reference)):
            continue
        match = _DATA_FILE.match(literal.astext().strip())
        if not match or not (Path(app.srcdir) / "data" / match.group(1)).is_file():
            continue
        link = addnodes.download_reference("", "", refdoc=app.env.docname, refdomain="", reftype="download",
                                           refexplicit=True, reftarget=f"/data/{match.group(1)}")
        link += nodes.literal(literal.astext(), literal.astext())
        literal.replace_self(link)


def setup(app):
    app.setup_extension("coursekit.my_work")  # the My work page's map of every chapter
    app.setup_extension("coursekit.exercise_map")  # the My work page's list of exercise tasks
    _accent_folding_search()
    bibstyle.register()  # before sphinxcontrib-bibtex looks up bibtex_default_style
    app.connect("env-get-updated", _number_documents_not_headings, priority=600)
    app.connect("build-finished", _single_title_on_the_landing_page)
    app.connect("doctree-read", _link_figures_to_full_size)
    app.connect("doctree-read", _link_data_files, priority=400)  # before the download collector (500)
    app.connect("html-page-context", hub.add_launch_link)  # only when the course names a class hub
    app.connect("html-page-context", switcher.add_switcher)  # only when translations are published
    app.connect("config-inited", _speak_the_course_language)
    app.connect("html-page-context", _interface_strings_for_the_script)
    app.connect("build-finished", _translate_theme_attributes)
    app.connect("build-finished", switcher.write_landing_page)
    app.connect("html-page-context", _whole_script_on_my_work, priority=900)
    app.connect("builder-inited", _add_static_path)
    app.connect("builder-inited", _invalidate_stale_outputs, priority=600)  # after myst-nb sets the cache path
    app.connect("env-get-outdated", _reread_notebooks)
    app.connect("html-page-context", _drop_widget_state, priority=400)  # before myst-nb adds it (500)
    app.connect("html-page-context", _drop_thebe, priority=900)  # after every script is registered
    app.add_css_file("coursekit.css")
    app.add_js_file("coursekit.js", loading_method="defer")
    # The theme reads its light/dark mode from localStorage and, on a reader's first visit,
    # logs "Got invalid theme mode" when there is none: start it at "auto" (follow the system).
    app.add_js_file(None, body='document.documentElement.dataset.mode = document.documentElement.dataset.mode || "auto";')
    # A changed engine changes every page it touches: Sphinx rebuilds the whole book when this
    # number changes (and otherwise rewrites only the pages whose sources changed).
    engine = engine_fingerprint() + "".join(hashlib.sha256(p.read_bytes()).hexdigest()
                                            for p in _interface_catalog(Path(app.srcdir)))
    env_version = int(hashlib.sha256(engine.encode()).hexdigest()[:8], 16)
    return {"version": __version__, "env_version": env_version, "parallel_read_safe": True,
            "parallel_write_safe": True}
