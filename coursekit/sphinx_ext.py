"""Sphinx extension: ships the static quiz script and styles with the book (no CDN), and
keeps pages free of what an offline course must not carry."""
from __future__ import annotations

from importlib import resources

from . import __version__


def _add_static_path(app) -> None:
    static = str(resources.files("coursekit").joinpath("static"))
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


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


def setup(app):
    app.connect("builder-inited", _add_static_path)
    app.connect("html-page-context", _drop_widget_state, priority=400)  # before myst-nb adds it (500)
    app.connect("html-page-context", _drop_thebe, priority=900)  # after every script is registered
    app.add_css_file("coursekit.css")
    app.add_js_file("coursekit.js", loading_method="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
