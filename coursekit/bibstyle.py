"""The bibliography style of the course's reference list (`bibtex_default_style: coursekit`).

Pybtex's `plain` with two changes, both for a bibliography of names and institutions in
three languages:
- titles are printed as written. `plain` lowercases every title that is not in braces,
  which turns "Treaty of Tlatelolco" into "treaty of tlatelolco" and would force braces
  around every proper noun in Spanish and Portuguese titles too;
- a `misc` entry (treaties, resolutions, declarations) whose `howpublished` already gives
  the year does not repeat it ("Williamsburg, 24-26 July 1995" and not "..., 1995. 1995.").
Fields the course adds for itself (`checked`, `authorship`) are never printed: templates
only read the fields they name.

In a Spanish or Portuguese edition the words the style itself writes ("editors", "In",
"pages", "and" between names ...) are in that language: they are interface strings
(coursekit/ui.py, locales/<code>/coursekit.po), put into each entry's template before it is
formatted. The entries' own fields (titles, publishers) stay as published.
"""
from __future__ import annotations

from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.template import field, optional, sentence

STYLE_NAME = "coursekit"


def style_words() -> dict[str, str]:
    """The template's own words (pybtex's unsrt/plain, and their separators) in the edition's language."""
    from .ui import _

    return {"editors": _("editors"), "editor": _("editor"), "In": _("In"), "pages": _("pages"),
            "chapter": _("chapter"), "Volume": _("Volume"), "volume": _("volume"), "of": _("of"),
            "Number": _("Number"), "number": _("number"), "in": _("in"), "edition": _("edition"),
            "Technical Report": _("Technical Report"), "PhD thesis": _("PhD thesis"),
            "Master's thesis": _("Master's thesis"),
            " and ": _(" and "), ", and ": _(", and ")}  # between two names; before the last of several


def _translate_template(node, words: dict[str, str]):
    """A copy of the template with its literal words (children, and keyword arguments such as
    the names' separators) replaced by `words`. Positional arguments are never touched: they are
    field and tag names (`field("pages")`). A copy, because pybtex shares some nodes between
    templates (its module-level `pages`, `date`), and one edition's words must not stay in them."""
    if isinstance(node, str):
        return words.get(node, node)
    if not hasattr(node, "children"):
        return node
    copy = node._clone()
    copy.children = [_translate_template(child, words) for child in node.children]
    copy.kwargs = {k: _translate_template(v, words) for k, v in node.kwargs.items()}
    return copy


class Style(PlainStyle):
    def format_entry(self, label, entry, bib_data=None):
        from pybtex.style import FormattedEntry

        template = _translate_template(getattr(self, f"get_{entry.type}_template")(entry), style_words())
        text = template.format_data({"entry": entry, "style": self, "bib_data": bib_data})
        return FormattedEntry(entry.key, text, label)

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def get_misc_template(self, e):
        howpublished = e.fields.get("howpublished", "")
        year_given = bool(e.fields.get("year")) and e.fields["year"] in howpublished
        return toplevel[
            optional[sentence[self.format_names("author")]],
            optional[self.format_title(e, "title")],
            sentence[optional[field("howpublished")]] if year_given
            else sentence[optional[field("howpublished")], optional[date]],
            sentence[optional[field("note")]],
            self.format_web_refs(e),
        ]


def register() -> None:
    """Make the style known to pybtex (and so to sphinxcontrib-bibtex) under STYLE_NAME."""
    from pybtex.plugin import register_plugin
    register_plugin("pybtex.style.formatting", STYLE_NAME, Style, force=True)
