"""Sphinx extension: ships the static quiz script and styles with the book (no CDN), and
keeps pages free of what an offline course must not carry."""
from __future__ import annotations

import hashlib
import shutil
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import __version__

STATIC_FILES = ("coursekit.js", "coursekit.css")


@lru_cache(maxsize=1)
def served_static() -> dict[str, bytes]:
    """The script and styles exactly as the book serves them: minified (local names shortened,
    comments and spaces dropped), which halves what a reader downloads. The sources in
    coursekit/static/ stay readable; the browser tests run the minified copies."""
    from calmjs.parse import es5
    from calmjs.parse.unparsers.es5 import minify_print
    from rcssmin import cssmin

    static = resources.files("coursekit").joinpath("static")
    script = static.joinpath("coursekit.js").read_text("utf-8")
    styles = static.joinpath("coursekit.css").read_text("utf-8")
    return {"coursekit.js": (minify_print(es5(script), obfuscate=True, obfuscate_globals=False) + "\n").encode("utf-8"),
            "coursekit.css": (cssmin(styles) + "\n").encode("utf-8")}


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


def inputs_fingerprint(srcdir: Path) -> str:
    """A hash of everything a notebook reads besides its own code: the engine, the course's
    own modules (figures), the banks and the data. Jupyter Book's execution cache keys on the code cells only, so without
    this a changed bank or quiz rendering would be served from stale cached outputs."""
    package = Path(str(resources.files("coursekit")))
    files = [*package.rglob("*.py"), *package.glob("static/*"), *package.glob("schemas/*"), *srcdir.glob("*.py"),
             *srcdir.glob("chapters/*.yml"), *srcdir.glob("exercises/*.yml"), *srcdir.glob("data/*.csv")]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


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


def setup(app):
    app.connect("builder-inited", _add_static_path)
    app.connect("builder-inited", _invalidate_stale_outputs, priority=600)  # after myst-nb sets the cache path
    app.connect("env-get-outdated", _reread_notebooks)
    app.connect("html-page-context", _drop_widget_state, priority=400)  # before myst-nb adds it (500)
    app.connect("html-page-context", _drop_thebe, priority=900)  # after every script is registered
    app.add_css_file("coursekit.css")
    app.add_js_file("coursekit.js", loading_method="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
