"""Course figures: a timeline, a military-spending chart and a membership tile map.

Every function returns a :class:`matplotlib.figure.Figure` built only from the CSV
files in the book's ``data/`` folder, so the figures are offline and deterministic.
Colours follow the Okabe-Ito colour-blind-safe palette, and colour is never the
only cue: categories also differ by marker, hatching or text label.

The functions do not call ``plt.show()`` or save anything; a notebook can display
the returned figure, and ``fig.savefig(...)`` writes it to disk.

Every text a reader sees is drawn through ``_()`` (coursekit/ui.py), so a translated
edition's figures speak its language: literals are wrapped in ``_()`` here, and texts
that come from the data (events, categories, country names) or from the tables below
are translated where they are drawn. ``coursekit translate update`` finds the literals,
and the data columns through ``coursekit: translate_data:`` in _config.yml. In English
``_()`` returns its argument, so the English figures are unchanged.
"""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt  # the kernel's backend decides how figures are shown
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from coursekit.ui import _

# The data ship with the course, beside this module (installed editable with the engine, `-e .`).
DATA_DIR = Path(__file__).resolve().parent / "data"

TIMELINE_CSV = DATA_DIR / "security-architecture-timeline.csv"
MILEX_CSV = DATA_DIR / "sipri-milex-share-of-gdp.csv"
LAYOUT_CSV = DATA_DIR / "tile-grid-layout.csv"
MEMBERSHIP_CSV = DATA_DIR / "regional-membership.csv"

FIGSIZE = (8, 4.5)

_YEAR_RE = re.compile(r"\b(19|20)\d\d\b")
LABEL_LEFT_FROM = 1990  # timeline events from this year on are labelled to the left

# Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design").
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Timeline categories: colour AND marker differ.
TIMELINE_STYLE = {
    "Treaties and declarations": (OKABE_ITO["blue"], "s"),
    "Institutions and forums": (OKABE_ITO["bluish_green"], "o"),
    "Arms control and confidence-building": (OKABE_ITO["orange"], "^"),
    "Crises, missions and invocations": (OKABE_ITO["vermillion"], "D"),
}

DEFAULT_MILEX_COUNTRIES = (
    "Argentina",
    "Brazil",
    "Chile",
    "Colombia",
    "Ecuador",
    "Mexico",
    "Peru",
    "Venezuela",
)

MILEX_SOURCE = "Source: SIPRI Military Expenditure Database (via Our World in Data, 2021)"

ORGANISATIONS = ("OAS", "Rio Treaty", "UNASUR", "CELAC")
ORG_TITLES = {
    "OAS": "OAS",
    "Rio Treaty": "Rio Treaty (TIAR)",
    "UNASUR": "UNASUR",
    "CELAC": "CELAC",
}

# Membership statuses: fill colour AND pattern differ (solid / dotted / hatched / empty).
STATUS_STYLE = {
    # status: (face colour, hatch, text colour, legend label)
    "member": (OKABE_ITO["blue"], None, "white", "Member"),
    "not participating": (OKABE_ITO["orange"], "...", "black", "Member, suspended or not taking part"),
    "uncertain": ("white", "////", "black", "Uncertain (could not be verified)"),
    "not a member": ("#F2F2F2", None, "#6E6E6E", "Not a member"),
}

_BASE_RC = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "svg.hashsalt": "coursekit",  # deterministic SVG ids
    # 1200 x 675 pixels: sharp on a phone's dense screen, and the book links each figure to
    # this full-size image so that a reader can open it and zoom in.
    "figure.dpi": 150,
    "savefig.dpi": 150,
}


def _speak_course() -> None:
    """Speak the course's language when nobody chose one yet (a figure made outside a
    chapter). A chapter's Chapter(...) has already set its edition's language, which this
    must not reset: the module may be imported from the English project (`-e .`) while the
    notebook runs in a translated edition's stage."""
    from coursekit import ui
    from coursekit.course import load_course

    if ui.language() == ui.SOURCE:
        ui.use_course(load_course(DATA_DIR.parent))


def _table_messages() -> list[str]:
    """The texts of the tables above, each written once more below as a literal in ``_()``
    so that `coursekit translate update` extracts it (the figures translate them where
    they draw them)."""
    return [
        # TIMELINE_STYLE (also in the timeline's category column)
        _("Treaties and declarations"),
        _("Institutions and forums"),
        _("Arms control and confidence-building"),
        _("Crises, missions and invocations"),
        # MILEX_SOURCE
        _("Source: SIPRI Military Expenditure Database (via Our World in Data, 2021)"),
        # ORG_TITLES
        _("OAS"),
        _("Rio Treaty (TIAR)"),
        _("UNASUR"),
        _("CELAC"),
        # STATUS_STYLE legend labels
        _("Member"),
        _("Member, suspended or not taking part"),
        _("Uncertain (could not be verified)"),
        _("Not a member"),
        # PANEL_NOTES
        _("Nicaragua's exit took effect in Nov 2023. Cuba is listed as a member "
          "but does not take part. Venezuela's exit (2017-2019) is contested."),
        _("Mexico left in 2004; Bolivia, Ecuador and Nicaragua announced their exit "
          "in 2012. Status of Venezuela and Cuba unclear in the sources."),
        _("Open to South American states only. Peru suspended since 2018; Colombia "
          "announced a return in 2023, not confirmed here."),
        _("All 33 states are members (Brazil returned in January 2023)."),
    ]


# Month names for the membership map's "as of" date, in the reader's language.
def _month_name(month: int) -> str:
    return (_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
            _("August"), _("September"), _("October"), _("November"), _("December"))[month - 1]


# --------------------------------------------------------------------------- #
# Loaders
# --------------------------------------------------------------------------- #
def load_timeline() -> pd.DataFrame:
    """Return the security-architecture timeline (end_year is a nullable integer)."""
    df = pd.read_csv(TIMELINE_CSV, dtype={"event": str, "category": str, "source": str})
    df["year"] = df["year"].astype(int)
    df["end_year"] = pd.to_numeric(df["end_year"], errors="coerce").astype("Int64")
    return df


def load_milex() -> pd.DataFrame:
    """Return SIPRI military expenditure as a share of GDP (long format).

    Columns: ``country``, ``year``, ``milex_share_of_gdp_pct``; a missing value
    (NaN) means SIPRI gives no figure for that year.
    """
    df = pd.read_csv(MILEX_CSV)
    df["year"] = df["year"].astype(int)
    df["milex_share_of_gdp_pct"] = pd.to_numeric(df["milex_share_of_gdp_pct"], errors="coerce")
    return df


def load_tile_layout() -> pd.DataFrame:
    """Return the tile-grid layout (country, iso3, row, col)."""
    return pd.read_csv(LAYOUT_CSV)


def load_membership() -> pd.DataFrame:
    """Return the regional membership table (one row per state and organisation)."""
    return pd.read_csv(MEMBERSHIP_CSV, keep_default_na=False)


# --------------------------------------------------------------------------- #
# 1. Timeline
# --------------------------------------------------------------------------- #
def timeline_figure() -> Figure:
    """Timeline of the inter-American security architecture, 1942 to today.

    One row per event (earliest at the top) so that labels never overlap; a bar
    shows events with a duration. Categories differ by colour and marker.
    """
    _speak_course()
    df = load_timeline().sort_values(["year"], kind="stable").reset_index(drop=True)
    x_min, x_max = 1940, 2026

    with plt.rc_context(_BASE_RC):
        fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
        n = len(df)
        for i, row in df.iterrows():
            colour, marker = TIMELINE_STYLE[row["category"]]
            start = row["year"]
            end = row["end_year"]
            if pd.notna(end) and end > start:
                ax.plot([start, end], [i, i], color=colour, lw=4, alpha=0.55,
                        solid_capstyle="butt", zorder=2)
                ax.plot([end], [i], marker="|", color=colour, ms=8, mew=2, zorder=3)
                span = f" ({start}\u2013{end})"
                right_edge = int(end)
            else:
                span = f" ({start})"
                right_edge = start
            ax.plot([start], [i], marker=marker, color=colour, ms=6.5,
                    markeredgecolor="black", markeredgewidth=0.6, zorder=4)
            # Add the date unless the event text already gives it.
            event = _(row["event"])
            label = event if _YEAR_RE.search(event) else event + span
            # Events from 1990 on are labelled on the left so the text stays inside
            # the axes; each event has its own row, so labels cannot collide.
            if start >= LABEL_LEFT_FROM:
                ax.annotate(label, (start, i), xytext=(-6, 0), textcoords="offset points",
                            ha="right", va="center", fontsize=7.6)
            else:
                ax.annotate(label, (right_edge, i), xytext=(6, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=7.6)

        ax.set_xlim(x_min, x_max)
        ax.set_ylim(n - 0.4, -0.8)
        ax.set_yticks([])
        ax.set_xticks(range(1940, 2030, 10))
        ax.grid(axis="x", color="#BBBBBB", lw=0.6, ls=":")
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(_("Year (bars show events that lasted several years)"))
        fig.suptitle(_("Building a regional security system: key treaties, forums and missions, 1942\u20132023"),
                     x=0.01, ha="left", fontsize=10)

        handles = [
            Line2D([], [], color=c, marker=m, ls="none", markeredgecolor="black",
                   markeredgewidth=0.6, ms=6.5, label=_(cat))
            for cat, (c, m) in TIMELINE_STYLE.items()
        ]
        # The lower-left corner (early years, late rows) is empty because late
        # events are labelled to the left of their markers only as far as ~1975.
        ax.legend(handles=handles, loc="lower left", frameon=True, framealpha=1,
                  edgecolor="#CCCCCC", title=_("Type of event"), title_fontsize=8,
                  alignment="left", borderaxespad=0.2)
    plt.close(fig)  # shown once, by the notebook displaying the returned figure
    return fig


# --------------------------------------------------------------------------- #
# 2. Military expenditure
# --------------------------------------------------------------------------- #
def milex_figure(countries=None) -> Figure:
    """Small multiples of military expenditure as a share of GDP, 1990-2020.

    ``countries`` is a sequence of country names in the SIPRI table; by default
    eight larger Latin American states. Each panel also shows, dashed, the median
    of all 24 states in the table for comparison.
    """
    _speak_course()
    df = load_milex()
    if countries is None:
        countries = list(DEFAULT_MILEX_COUNTRIES)
    else:
        countries = list(countries)
    unknown = sorted(set(countries) - set(df["country"]))
    if unknown:
        raise ValueError(f"No SIPRI data for: {', '.join(unknown)}")
    if not countries:
        raise ValueError("countries must not be empty")

    df = df[(df["year"] >= 1990) & (df["year"] <= 2020)]
    median = df.groupby("year")["milex_share_of_gdp_pct"].median()
    ymax = max(4.0, math.ceil(df[df["country"].isin(countries)]["milex_share_of_gdp_pct"].max()))

    n = len(countries)
    ncols = min(4, n)
    nrows = math.ceil(n / ncols)
    line_colour = OKABE_ITO["blue"]
    ref_colour = "#555555"

    with plt.rc_context(_BASE_RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=FIGSIZE, sharex=True, sharey=True,
                                 squeeze=False, layout="constrained")
        flat = list(axes.flat)
        for ax, country in zip(flat, countries):
            s = df[df["country"] == country].set_index("year")["milex_share_of_gdp_pct"].sort_index()
            ax.plot(median.index, median.values, ls="--", color=ref_colour, lw=1, marker="x",
                    ms=3.5, zorder=2)
            ax.plot(s.index, s.values, color=line_colour, lw=2, marker="o", ms=4, zorder=3)
            ax.set_title(_(country), fontsize=9.5, loc="left", pad=2)
            ax.set_ylim(0, ymax)
            ax.set_xlim(1987, 2023)
            ax.set_xticks([1990, 2005, 2020])
            ax.grid(axis="y", color="#DDDDDD", lw=0.6)
            for side in ("right", "top"):
                ax.spines[side].set_visible(False)
            missing = s[s.isna()].index.tolist()
            if missing:
                ax.text(0.98, 0.95, _("no figure for {years}", years=", ".join(str(y) for y in missing)),
                        transform=ax.transAxes, ha="right", va="top", fontsize=7, style="italic")
        for ax in flat[n:]:
            fig.delaxes(ax)
        for r in range(nrows):
            axes[r][0].set_ylabel(_("% of GDP"))

        handles = [
            Line2D([], [], color=line_colour, lw=2, marker="o", ms=4, label=_("Country")),
            Line2D([], [], color=ref_colour, lw=1, ls="--", marker="x", ms=3.5,
                   label=_("Median of the 24 states in the table")),
        ]
        fig.suptitle(_("How much of their economy do governments spend on the military? "
                       "Military spending as % of GDP, 1990\u20132020"),
                     x=0.01, ha="left", fontsize=10)
        # Bottom strip (outside the layout): legend, then the note and source.
        fig.get_layout_engine().set(h_pad=0.04, rect=(0, 0.135, 1, 0.865))
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.005, 0.062),
                   ncols=2, frameon=False, borderaxespad=0, handlelength=2.5)
        fig.text(0.99, 0.085, _("Horizontal axis: year (one point every five years)"), ha="right", va="center", fontsize=8)
        fig.text(0.01, 0.008,
                 _("Costa Rica (no army since 1948) and Panama (no armed forces since 1990) are recorded "
                   "as 0% of GDP: Costa Rica in every year shown,\nPanama from 2000. {source}.",
                   source=_(MILEX_SOURCE)),
                 ha="left", va="bottom", fontsize=7.3, linespacing=1.3)
    plt.close(fig)  # shown once, by the notebook displaying the returned figure
    return fig


# --------------------------------------------------------------------------- #
# 3. Membership tile map
# --------------------------------------------------------------------------- #
# Short notes printed under each panel; they restate rows of regional-membership.csv.
PANEL_NOTES = {
    "OAS": "Nicaragua's exit took effect in Nov 2023. Cuba is listed as a member "
           "but does not take part. Venezuela's exit (2017-2019) is contested.",
    "Rio Treaty": "Mexico left in 2004; Bolivia, Ecuador and Nicaragua announced their exit "
                  "in 2012. Status of Venezuela and Cuba unclear in the sources.",
    "UNASUR": "Open to South American states only. Peru suspended since 2018; Colombia "
              "announced a return in 2023, not confirmed here.",
    "CELAC": "All 33 states are members (Brazil returned in January 2023).",
}


def _format_as_of(values) -> str:
    # in the order of their English spelling ("31 December 2023"), each in the reader's language
    dates = sorted(pd.to_datetime(pd.Series(sorted(set(values)))), key=lambda d: d.strftime("%-d %B %Y"))
    return " / ".join(_("{day} {month} {year}", day=d.day, month=_month_name(d.month), year=d.year) for d in dates)


def membership_map_figure() -> Figure:
    """Tile-grid 'map' of membership in the OAS, Rio Treaty, UNASUR and CELAC.

    One panel per organisation; one square per Latin American and Caribbean state,
    placed roughly geographically. Status is shown by fill and pattern: solid =
    member, dotted = member but suspended or not taking part, hatched =
    uncertain, pale = not a member. The "as of" date comes from the data file.
    """
    _speak_course()
    layout = load_tile_layout()
    members = load_membership()
    as_of = _format_as_of(members["as_of"])
    nrows = int(layout["row"].max()) + 1
    ncols = int(layout["col"].max()) + 1
    note_rows = 2.4  # extra grid rows below the tiles for the panel note

    with plt.rc_context({**_BASE_RC, "hatch.linewidth": 0.8}):
        fig, axes = plt.subplots(1, len(ORGANISATIONS), figsize=FIGSIZE, layout="constrained")
        for ax, org in zip(axes, ORGANISATIONS):
            status = members[members["organisation"] == org].set_index("iso3")["status"]
            for _row, tile in layout.iterrows():
                st = status.get(tile["iso3"], "uncertain")
                face, hatch, text_colour, _label = STATUS_STYLE[st]
                x, y = tile["col"], tile["row"]
                ax.add_patch(Rectangle((x + 0.04, y + 0.04), 0.92, 0.92, facecolor=face,
                                       hatch=hatch,
                                       edgecolor="#333333" if st != "not a member" else "#AAAAAA",
                                       lw=0.7))
                txt = ax.text(x + 0.5, y + 0.52, tile["iso3"], ha="center", va="center",
                              fontsize=6.2, color=text_colour,
                              fontweight="bold" if st != "not a member" else "normal")
                if hatch:
                    txt.set_bbox(dict(boxstyle="square,pad=0.08", facecolor="white",
                                      edgecolor="none", alpha=0.9))
            n_member = int((status == "member").sum())
            ax.set_title(_(ORG_TITLES[org]) + "\n" + _("{n} of {total} are members", n=n_member, total=len(layout)),
                         fontsize=9, pad=3)
            note = ax.text(0, nrows + 0.25, "\n".join(textwrap.wrap(_(PANEL_NOTES[org]), 37)),
                           ha="left", va="top", fontsize=6.8, linespacing=1.25)
            note.set_in_layout(False)  # it sits inside the axes limits already
            ax.set_xlim(-0.1, ncols + 0.1)
            ax.set_ylim(nrows + note_rows, -0.1)
            ax.set_aspect("equal")
            ax.axis("off")

        handles = [
            Patch(facecolor=face, hatch=hatch, edgecolor="#333333", label=_(label))
            for face, hatch, _text_colour, label in STATUS_STYLE.values()
        ]
        fig.suptitle(_("Who belongs to which regional body? "
                       "33 Latin American and Caribbean states, as of {date}", date=as_of),
                     x=0.01, ha="left", fontsize=10)
        fig.get_layout_engine().set(rect=(0, 0.12, 1, 0.88))
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.005, 0.055),
                   ncols=4, frameon=False, borderaxespad=0, handleheight=1.4,
                   handlelength=2.0, columnspacing=1.2)
        fig.text(0.01, 0.008,
                 _("Squares are placed roughly by geography, not to scale; labels are ISO country codes. "
                   "Not shown: Canada and the United States\n(both OAS members; the US is also a "
                   "Rio Treaty party). Sources for every square: data/regional-membership.csv."),
                 ha="left", va="bottom", fontsize=7, linespacing=1.3)
    plt.close(fig)  # shown once, by the notebook displaying the returned figure
    return fig


__all__ = [
    "DATA_DIR",
    "load_timeline",
    "load_milex",
    "load_tile_layout",
    "load_membership",
    "timeline_figure",
    "milex_figure",
    "membership_map_figure",
]
