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
"""
from __future__ import annotations

from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.template import field, optional, sentence

STYLE_NAME = "coursekit"


class Style(PlainStyle):
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
