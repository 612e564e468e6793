"""How the language editions lead to each other: a switcher on every page, `<link rel=alternate>`
in each page's head, and a landing page that opens the reader's language.

The layout is the one `make book` writes: the English book at the root of _build/html and each
finished translation in a folder named by its code (_build/html/es, _build/html/pt), built from
the same _toc.yml, so a page has the same name in every edition. A reader's choice, made on the
landing page or in a switcher, is remembered in the browser (STORED_CHOICE) and wins over the
browser's language next time.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from .i18n import SOURCE_LANGUAGE, current_language, published
from .ui import _

STORED_CHOICE = "coursekit-language"  # localStorage key; the landing page reads it


def _editions(app):
    cached = getattr(app, "_coursekit_editions", None)
    if cached is None:
        from .course import load_course

        course = load_course(app.srcdir)
        current = current_language(course)
        # an instructor edition is a book of its own, kept in private/, with no siblings to link to
        alone = (course.settings or {}).get("edition") == "instructor"
        cached = ([current] if alone else published(course), current)
        app._coursekit_editions = cached
    return cached


def page_href(pagename: str, current: str, target: str) -> str:
    """The relative address, from `pagename` in edition `current`, of the same page in `target`."""
    english_root = "../" * pagename.count("/") + ("" if current == SOURCE_LANGUAGE else "../")
    folder = "" if target == SOURCE_LANGUAGE else f"{target}/"
    return f"{english_root}{folder}{pagename}.html"


def remember(code: str) -> str:
    return html.escape(f"try{{localStorage.setItem('{STORED_CHOICE}','{code}')}}catch(e){{}}")


def switcher_html(pagename: str, editions, current) -> str:
    items = []
    for lang in editions:
        name = html.escape(lang.name)
        if lang.code == current.code:
            items.append(f'<li><span aria-current="page" lang="{lang.html_lang}">{name}</span></li>')
        else:
            items.append(f'<li><a href="{page_href(pagename, current.code, lang.code)}" lang="{lang.html_lang}" '
                         f'hreflang="{lang.html_lang}" onclick="{remember(lang.code)}">{name}</a></li>')
    label = html.escape(_("Language"))  # the switcher's name, in the page's language (coursekit/ui.py)
    return f'<nav class="ck-languages" aria-label="{label}"><ul>{"".join(items)}</ul></nav>\n'


def add_switcher(app, pagename, templatename, context, doctree) -> None:
    """Sphinx `html-page-context`: with more than one edition published, every page links to
    itself in the others (a visible switcher and, for search engines and tools, alternates)."""
    editions, current = _editions(app)
    if len(editions) < 2 or doctree is None or "body" not in context:
        return
    context["body"] = switcher_html(pagename, editions, current) + context["body"]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{lang.html_lang}" href="{page_href(pagename, current.code, lang.code)}">'
        for lang in editions if lang.code != current.code)


def landing_html(editions, root_page: str, title: str) -> str:
    """The English book's index.html: opens the stored choice, else the first of the browser's
    languages that has an edition, else English. Without a script it is a plain list of links."""
    targets = {lang.code: (f"{root_page}.html" if lang.code == SOURCE_LANGUAGE else f"{lang.code}/index.html")
               for lang in editions}
    links = "".join(f'<li><a href="{html.escape(targets[lang.code])}" lang="{lang.html_lang}" hreflang="{lang.html_lang}" '
                    f'onclick="{remember(lang.code)}">{html.escape(lang.name)}</a></li>' for lang in editions)
    choose = (
        f"(function(){{var t={json.dumps(targets)},c=null;"
        f"try{{c=localStorage.getItem('{STORED_CHOICE}')}}catch(e){{}}"
        "if(!t[c]){var l=navigator.languages||[navigator.language||''];c='" + SOURCE_LANGUAGE + "';"
        "for(var i=0;i<l.length;i++){var k=String(l[i]).toLowerCase().split('-')[0];if(t[k]){c=k;break}}}"
        "location.replace(t[c])})();")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
            f"<script>{choose}</script>\n</head>\n<body>\n<main>\n<h1>{html.escape(title)}</h1>\n"
            f'<nav aria-label="Language / Idioma"><ul>{links}</ul></nav>\n</main>\n</body>\n</html>\n')


def write_landing_page(app, exception) -> None:
    """Sphinx `build-finished`: in the English book, when translations are published, index.html
    (Jupyter Book's redirect to the first page) becomes the language-choosing landing page."""
    if exception or app.builder.format != "html":
        return
    editions, current = _editions(app)
    if current.code != SOURCE_LANGUAGE:
        return
    index = Path(app.outdir, "index.html")
    if len(editions) > 1:
        index.write_text(landing_html(editions, app.config.root_doc, app.config.html_title), "utf-8")
    elif index.exists() and STORED_CHOICE in index.read_text("utf-8"):  # translations withdrawn since
        index.write_text(f'<meta http-equiv="Refresh" content="0; url={app.config.root_doc}.html" />\n', "utf-8")


__all__ = ["add_switcher", "write_landing_page", "switcher_html", "landing_html", "page_href", "STORED_CHOICE"]
