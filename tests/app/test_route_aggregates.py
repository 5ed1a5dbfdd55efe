"""The Routes page's SQL aggregates say exactly what the route rows say.

``data.route_destinations``, ``data.flow_counts``, ``data.crossing_counts``, ``data.route_sources``,
``data.evidence_routes`` and ``data.person_routes`` exist so the Routes page need not load a row per
route (~600k at 100k articles). On the sample and the held-out build, under every kind of filter,
the tables and hover labels made from them must equal those made from ``data.routes`` /
``data.crossings``; the caps that only bite on large views are tested on their own.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from components import data, maps
from exodus import store


def _filters() -> list[data.Filters]:
    """No filter, and each filter kind set to values the dataset holds."""
    out = [data.Filters()]
    outlets = data.choices()["outlets"]
    out += [data.Filters(outlet=o) for o in outlets[:2]]
    codes = data.routes()["destination_country"].dropna().unique()
    out += [data.Filters(country=c) for c in codes[:3]]
    out += [data.Filters(date_from=date(2022, 9, 25)), data.Filters(date_to=date(2022, 9, 30)),
            data.Filters(date_from=date(2030, 1, 1))]  # the last one leaves nothing
    return out


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Values only: a column read with no value in it is None/object, with some it is NaN/str."""
    df = df.reset_index(drop=True).astype(object)
    return df.where(df.notna(), None)


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(_plain(got), _plain(expected), check_dtype=False, check_index_type=False)


def test_destination_table_equals_the_one_from_route_rows(dataset):
    rows = 0
    for f in _filters():
        routes = data.routes(f)
        counts = data.route_destinations(f)
        _same(maps.destination_table(counts), maps.destinations(routes))
        assert int(counts["routes"].sum()) == len(routes[routes["destination_country"].notna()]), f
        for _, c in counts.iterrows():
            ev = maps.evidence(routes[routes["destination_country"] == c["code"]])
            assert int(c["sentences"]) == len(ev), (f, c["code"])
        rows += len(counts)
    assert rows > 0  # not only empty views compared


def test_flows_and_their_hover_equal_those_from_route_rows(dataset):
    drawn = 0
    for f in _filters():
        routes = data.routes(f)
        # Origin label and point differ only where no origin is stated (flows_from_counts draws those
        # from Moscow either way, compared below).
        same_cols = ["o_key", "code", "mode_key", "o_stated", "country", "d_lat", "d_lon", "reports", "articles",
                     "sources"]
        _same(data.flow_counts(f)[same_cols], maps.flow_counts(routes)[same_cols])
        flows = maps.flows_from_counts(data.flow_counts(f))
        _same(flows, maps.flows(routes))
        drawn += len(flows)
    assert drawn > 0


def test_crossing_table_equals_the_one_from_crossing_rows(dataset):
    for f in _filters():
        _same(maps.crossing_table(data.crossing_counts(f)), maps.crossing_points(data.crossings(f)))
    assert len(data.crossing_counts()) > 0 or dataset.name == "heldout.sqlite"


def test_sample_crossing_lists_its_figures(sample_db, monkeypatch):
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    table = maps.crossing_table(data.crossing_counts())
    assert len(table) > 0 and table["figures"].str.len().max() > 0


def test_source_line_equals_the_one_from_route_rows(dataset):
    for f in _filters():
        assert maps.source_line_from(data.route_sources(f)) == maps.source_line(data.routes(f)), f


def test_evidence_rows_are_the_first_sentences_of_each_destination(dataset):
    cards = 0
    for f in _filters():
        routes = data.routes(f)
        for per_country in (1, 5, 10_000):
            shown = data.evidence_routes(f, None, per_country)
            for code in routes["destination_country"].dropna().unique():
                expected = maps.evidence(routes[routes["destination_country"] == code]).head(per_country)
                got = maps.evidence(shown[shown["destination_country"] == code])
                _same(got, expected)
                in_one_pass = maps.evidence(shown, by_country=True)  # what the page calls
                _same(in_one_pass[in_one_pass["destination_country"] == code], expected)
                one = maps.evidence(data.evidence_routes(f, code, per_country))
                _same(one, expected)
                cards += len(got)
    assert cards > 0


def test_person_routes_are_every_named_journey_when_few(dataset):
    for f in _filters():
        routes = data.routes(f)
        people, total = data.person_routes(f, limit=10_000)
        expected = routes[routes["person"].notna()]
        assert total == len(expected)
        _same(people.drop(columns="reports"), expected)
        _same(maps.journeys(people), maps.journeys(expected))


def test_many_named_journeys_are_drawn_as_the_most_reported_paths(dataset):
    routes = data.routes()
    named = routes[routes["person"].notna()]
    if named.empty:
        pytest.skip("no named journeys in this dataset")
    paths = named.groupby(["person", "origin_id", "dest_id"], dropna=False).size()
    people, total = data.person_routes(data.Filters(), limit=0)  # 0: always summarise
    assert total == len(named) and people.empty
    people, total = data.person_routes(data.Filters(), limit=len(named) - 1) if len(named) > 1 else (None, 0)
    if people is None:
        return
    assert len(people) == min(len(paths), len(named) - 1)
    assert sorted(people["reports"], reverse=True) == list(people["reports"])  # most reported first
    for _, r in people.iterrows():
        assert r["reports"] == paths[(r["person"], r["origin_id"], r["dest_id"])]
    assert int(people["reports"].sum()) <= total


def test_summarised_journey_hover_says_how_often_it_was_reported(sample_db, monkeypatch):
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    named = data.routes().loc[lambda d: d["person"].notna()].assign(reports=3)
    hover = maps.journeys(named)["hover"].iloc[0]
    assert "Reported in 3 sentences" in hover
    assert "Reported in" not in maps.journeys(named.assign(reports=1))["hover"].iloc[0]


def test_crossing_figures_beyond_the_cap_are_counted_not_listed(sample_db, monkeypatch):
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    full = data.crossing_counts()
    capped = full.assign(n_figures=full["n_figures"] + 3)  # as if three more mentions had figures
    row = maps.crossing_table(capped).iloc[0]
    assert row["figures"].endswith("; … and 3 more")
    assert data.crossing_counts(max_figures=0)["figures"].map(len).max() == 0
    assert list(data.crossing_counts(max_figures=0)["n_figures"]) == list(full["n_figures"])


def test_map_draws_only_the_most_reported_flows(sample_db, monkeypatch):
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    md = maps.map_data(data.routes(), data.crossings())
    fig = maps.draw_map(md, max_flows=1)
    flows = [t for t in fig.data if (t.meta or {}).get("layer") == "flows"]
    assert len(flows) == 1 and flows[0].meta["reports"] == md.flows["reports"].max()
    assert len([t for t in maps.draw_map(md).data if (t.meta or {}).get("layer") == "flows"]) == len(md.flows)


def test_summary_note_names_what_the_map_leaves_out():
    assert maps.summary_note(3, 4, 4) == ""
    note = maps.summary_note(maps.MAX_FLOWS + 1, 1000, 150)
    assert f"the {maps.MAX_FLOWS} most reported of {maps.MAX_FLOWS + 1:,} flows" in note
    assert "150 most reported paths" in note and "1,000 named people's journeys" in note


def test_destination_without_a_country_point_ends_at_its_first_place(sample_db, tmp_path, monkeypatch):
    """A country missing from the gazetteer's places: its flows end at the first route's place."""
    import shutil
    import sqlite3

    db = tmp_path / "no-country-point.sqlite"
    shutil.copyfile(sample_db, db)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO places (place_id, name, country_code, kind, lat, lon) "
                "VALUES ('city:almaty', 'Almaty', 'KZ', 'city', 43.24, 76.95)")
    con.execute("UPDATE routes SET destination_place_id = 'city:almaty' WHERE destination_country = 'KZ'")
    con.execute("DELETE FROM places WHERE place_id = 'country:KZ'")
    store.write_summaries(con)  # derived from routes and places, as a build does
    con.commit()
    con.close()
    monkeypatch.setenv("EXODUS_DB", str(db))
    routes = data.routes()
    counts = data.route_destinations()
    kz = counts.set_index("code").loc["KZ"]
    assert kz["country"] == "KZ" and (kz["lat"], kz["lon"]) == (43.24, 76.95)  # the code and Almaty stand in
    _same(maps.destination_table(counts), maps.destinations(routes))
    _same(maps.flows_from_counts(data.flow_counts()), maps.flows(routes))


def test_drawn_map_is_a_valid_plotly_figure(dataset):
    """draw_map skips plotly's validation for speed: every property it sets must still be valid.
    Plotly raises ValueError on an unknown property or a bad value when validating."""
    import plotly.graph_objects as go

    traces = 0
    for f in _filters():
        md = maps.map_data(data.routes(f), data.crossings(f))
        codes = list(md.dests["code"][:1]) or [None]
        for layers, selected in ((maps.LAYERS, None), (maps.LAYERS, codes[0]), (("Flows",), None), ((), None)):
            drawn = maps.draw_map(md, layers=layers, selected=selected).to_dict()
            validated = go.Figure(drawn).to_dict()  # validating, and coercing types
            assert len(validated["data"]) == len(drawn["data"])
            traces += len(drawn["data"])
    assert traces > 0


def test_routes_benchmark_times_every_call_of_the_page(dataset):
    """bench.calls times the Routes page's data calls, with its evidence caps read from its source."""
    from bench import calls

    caps = calls.page_caps("routes")
    assert caps["MAX_CARDS"] > caps["CARDS_PER_GROUP"] > 0
    every_layer = ["choices", "route_sources", "route_destinations", "flow_counts", "person_routes",
                   "crossing_counts"]
    timed = calls.time_routes_view()
    assert all(ms >= 0 for _, ms in timed)
    assert [name for name, _ in timed] == [*every_layer, "evidence_routes"]
    dest = data.route_destinations()["code"].iloc[0]
    assert [name for name, _ in calls.time_routes_view(dest=dest)] == [*every_layer, "evidence_routes (one destination)"]
