"""Tests for course_figures (the course's figures) and the CSV files behind the three course figures.

Fast (Agg backend, no files written) and offline.
"""
from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import course_figures as figures  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"

EXPECTED_COLUMNS = {
    "security-architecture-timeline.csv": ["year", "end_year", "event", "category", "source"],
    "sipri-milex-share-of-gdp.csv": ["country", "year", "milex_share_of_gdp_pct"],
    "tile-grid-layout.csv": ["country", "iso3", "row", "col"],
    "regional-membership.csv": ["country", "iso3", "organisation", "status", "as_of", "note", "source"],
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- #
# Data files
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_csv_columns_and_no_duplicates(name):
    df = pd.read_csv(DATA / name)
    assert list(df.columns) == EXPECTED_COLUMNS[name]
    assert not df.duplicated().any(), f"duplicated rows in {name}"
    assert len(df) > 0


def test_figures_read_data_relative_to_package():
    assert figures.DATA_DIR == Path(figures.__file__).resolve().parent / "data"
    assert figures.DATA_DIR.resolve() == DATA.resolve()


def test_timeline_years_in_range_and_sourced():
    df = figures.load_timeline()
    assert df["year"].between(1942, 2026).all()
    ends = df["end_year"].dropna()
    assert ends.between(1942, 2026).all()
    assert (ends >= df.loc[ends.index, "year"]).all()
    assert set(df["category"]) <= set(figures.TIMELINE_STYLE)
    assert df["source"].str.strip().ne("").all()
    assert not df.duplicated(["year", "event"]).any()


def test_timeline_has_core_dates():
    df = figures.load_timeline()
    years = dict(zip(df["event"], df["year"]))
    assert any(y == 1942 and "Defense Board" in e for e, y in years.items())
    assert any(y == 1947 and "Rio Treaty" in e for e, y in years.items())
    assert any(y == 1948 and "OAS Charter" in e for e, y in years.items())
    assert any(y == 1967 and "Tlatelolco" in e for e, y in years.items())


def test_milex_loader():
    df = figures.load_milex()
    assert df["country"].nunique() == 24
    assert sorted(df["year"].unique()) == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    assert not df.duplicated(["country", "year"]).any()
    values = df["milex_share_of_gdp_pct"].dropna()
    assert values.between(0, 10).all()
    # Blanks in the CSV are missing values, not zeros.
    assert df.loc[(df.country == "Venezuela") & (df.year == 2020), "milex_share_of_gdp_pct"].isna().all()
    assert (df.loc[df.country == "Costa Rica", "milex_share_of_gdp_pct"] == 0).all()


def test_layout_grid_is_consistent():
    layout = figures.load_tile_layout()
    assert len(layout) == 33
    assert layout["iso3"].is_unique and layout["country"].is_unique
    assert not layout.duplicated(["row", "col"]).any(), "two states share a tile"
    assert layout["iso3"].str.fullmatch(r"[A-Z]{3}").all()


def test_every_layout_country_in_membership_table():
    layout = figures.load_tile_layout()
    members = figures.load_membership()
    for org in figures.ORGANISATIONS:
        sub = members[members["organisation"] == org]
        assert set(layout["iso3"]) == set(sub["iso3"]), org
        assert not sub["iso3"].duplicated().any(), org
    pairs = set(zip(members["country"], members["iso3"]))
    assert set(zip(layout["country"], layout["iso3"])) <= pairs


def test_membership_values():
    members = figures.load_membership()
    assert set(members["organisation"]) == set(figures.ORGANISATIONS)
    assert set(members["status"]) <= set(figures.STATUS_STYLE)
    assert members["source"].str.strip().ne("").all()
    assert members["as_of"].nunique() == 1
    pd.to_datetime(members["as_of"], format="%Y-%m-%d")  # raises if malformed
    status = members.set_index(["organisation", "iso3"])["status"]
    # Facts from course-sources/facts.md
    assert status[("Rio Treaty", "MEX")] == "not a member"
    for iso in ("BOL", "ECU", "NIC"):
        assert status[("Rio Treaty", iso)] == "not a member"
    assert status[("UNASUR", "BRA")] == "member"
    assert (members.loc[members["organisation"] == "CELAC", "status"] == "member").sum() == 33
    # UNASUR is South American only.
    non_sa = members[(members["organisation"] == "UNASUR") & members["iso3"].isin(["MEX", "CUB", "JAM"])]
    assert (non_sa["status"] == "not a member").all()


# --------------------------------------------------------------------------- #
# Figures
# --------------------------------------------------------------------------- #
def _check_size(fig):
    assert isinstance(fig, Figure)
    w, h = fig.get_size_inches()
    assert (round(w, 2), round(h, 2)) == (8.0, 4.5)


def test_timeline_figure():
    fig = figures.timeline_figure()
    _check_size(fig)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    n_events = len(figures.load_timeline())
    labels = [t for t in ax.texts if t.get_text()]
    assert len(labels) == n_events
    assert ax.get_legend() is not None
    assert len(ax.get_legend().get_texts()) == len(figures.TIMELINE_STYLE)
    assert fig.get_suptitle()
    assert ax.get_xlabel()


def test_timeline_labels_do_not_overlap():
    fig = figures.timeline_figure()
    canvas = FigureCanvasAgg(fig)  # the figure comes back closed, detached from pyplot
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    # and every label stays inside the figure
    fig_box = fig.bbox
    for b in boxes:
        assert b.x0 >= fig_box.x0 - 1 and b.x1 <= fig_box.x1 + 1


def test_milex_figure_default():
    fig = figures.milex_figure()
    _check_size(fig)
    assert len(fig.axes) == len(figures.DEFAULT_MILEX_COUNTRIES) == 8
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == list(figures.DEFAULT_MILEX_COUNTRIES)
    for ax in fig.axes:
        assert len(ax.get_lines()) == 2  # country + median reference
    texts = " ".join(t.get_text() for t in fig.texts)
    assert figures.MILEX_SOURCE in texts
    assert "Costa Rica" in texts and "Panama" in texts


def test_milex_figure_custom_selection_and_errors():
    fig = figures.milex_figure(["Costa Rica", "Panama", "Uruguay"])
    assert len(fig.axes) == 3
    with pytest.raises(ValueError):
        figures.milex_figure(["Atlantis"])


def test_membership_map_figure():
    fig = figures.membership_map_figure()
    _check_size(fig)
    assert len(fig.axes) == len(figures.ORGANISATIONS) == 4
    n_states = len(figures.load_tile_layout())
    for ax in fig.axes:
        tiles = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert len(tiles) == n_states
    members = figures.load_membership()
    n_uncertain = (members["status"] == "uncertain").sum()
    n_hatched_tiles = sum(
        1 for ax in fig.axes for p in ax.patches
        if p.get_hatch() == figures.STATUS_STYLE["uncertain"][1]
    )
    assert n_uncertain > 0 and n_hatched_tiles == n_uncertain
    assert len(fig.legends) == 1
    assert "December 2023" in fig.get_suptitle()


@pytest.mark.parametrize("name", ["timeline_figure", "milex_figure", "membership_map_figure"])
def test_figures_are_deterministic(name):
    def render():
        buf = io.BytesIO()
        fig = getattr(figures, name)()
        fig.savefig(buf, format="png", dpi=40, metadata={"Software": None})
        plt.close(fig)
        return buf.getvalue()

    assert render() == render()
