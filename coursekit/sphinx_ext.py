"""Sphinx extension: ships the static quiz script and styles with the book (no CDN)."""
from __future__ import annotations

from importlib import resources

from . import __version__


def _add_static_path(app) -> None:
    static = str(resources.files("coursekit").joinpath("static"))
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app):
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("coursekit.css")
    # defer: runs after parsing, before DOMContentLoaded listeners of later scripts
    app.add_js_file("coursekit.js", loading_method="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
