"""The SQL aggregates the pages use at scale agree with the row-level frames they replaced.

``data.destinations``, ``data.headline_figures`` and ``data.figure_facets`` exist so the Overview
and Numbers pages need not load a row per route or figure (~600k / 900k rows at 100k articles);
they must say exactly what the frames say, on a small fixture and on real built articles,
under every kind of filter.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from components import data
from components import charts
from components import overview as ov
from exodus.pipeline import build

ROOT = Path(__file__).resolve().parents[2]


def _filters() -> list[data.Filters]:
    """No filter, and each filter kind set to values the dataset holds."""
    out = [data.Filters()]
    outlets = data.choices()["outlets"]
    if outlets:
        out.append(data.Filters(outlet=outlets[0]))
    codes = data.routes()["destination_country"].dropna().unique()
    out += [data.Filters(country=c) for c in codes[:3]]
    out += [data.Filters(date_from=date(2022, 9, 25)), data.Filters(date_to=date(2022, 9, 30))]
    return out


def test_destinations_match_counts_from_route_rows(dataset):
    checked = 0
    for f in _filters():
        expected = ov.destination_counts(data.routes(f))
        got = data.destinations(f)
        assert got[["code", "country", "reports", "articles"]].astype({"reports": int, "articles": int}).equals(
            expected.astype({"reports": int, "articles": int})), f
        assert int(got["routes"].sum()) == len(data.routes(f)), f
        checked += len(got)
    assert checked > 0  # some filter found destinations: the comparison was not empty vs empty


@pytest.fixture(params=["sample", "heldout", "replicated"])
def article_dataset(request, sample_db, heldout_db, tmp_path_factory, monkeypatch) -> Path:
    """The sample and held-out datasets, and the sample replicated to 240 articles (dates shifted
    by up to 90 days): several articles per outlet and month, and articles sharing a date."""
    if request.param == "replicated":
        from bench.app_dataset import replicate

        db = tmp_path_factory.mktemp("replicated") / "replicated.sqlite"
        replicate(sample_db, db, 240)
        import sqlite3
        with sqlite3.connect(db) as con:  # the case the comparisons must see
            assert con.execute("SELECT max(c) FROM (SELECT count(*) c FROM articles GROUP BY published)").fetchone()[0] > 1
    else:
        db = {"sample": sample_db, "heldout": heldout_db}[request.param]
    monkeypatch.setenv("EXODUS_DB", str(db))
    return db


def test_counts_from_article_months_equal_counts_from_the_rows(article_dataset):
    for f in _filters():
        expected = ov.counts(data.articles(f), data.routes(f))
        assert ov.counts_from_months(data.article_months(f), data.destinations(f)) == expected, f
    assert expected.articles > 0 or data.articles().empty  # not only empty views


def test_large_timeline_from_article_months_is_the_one_from_the_articles(article_dataset, monkeypatch):
    """Above MAX_TIMELINE_MARKERS the Overview draws its timeline, title and source lines from
    ``data.article_months`` instead of the articles: the same chart and words."""
    monkeypatch.setattr(ov, "MAX_TIMELINE_MARKERS", 0)  # every view is "large" on these small datasets
    drawn = 0
    for f in _filters():
        arts, months = data.articles(f), data.article_months(f)
        expected = ov.timeline_figure(arts, context=True)
        got = ov.timeline_from_months(ov.dated_groups(months), context=True)
        assert (got is None) == (expected is None), f
        if expected is not None:
            assert got.to_dict() == expected.to_dict(), f
            assert ov.timeline_title_from(ov.month_totals(ov.dated_groups(months))) == ov.timeline_title(arts), f
            drawn += 1
        assert ov.source_line_from(len(arts), ov.outlet_totals(months), "x") == ov.source_line(arts, "x"), f
        routed = arts[arts["n_routes"].fillna(0) > 0]
        assert ov.source_line_from(int(months["with_routes"].sum()), ov.outlet_totals(months, "with_routes"),
                                   max_outlets=1) == ov.source_line(routed, max_outlets=1), f
    assert drawn > 0


def test_recent_articles_are_the_tables_most_recent_rows(article_dataset):
    for f in _filters():
        arts = data.articles(f)
        for limit in (1, 2, 7, 100, 1000):
            newest = pd.concat([
                arts[arts["published"].notna()].sort_values(["published", "article_id"], ascending=False),
                arts[arts["published"].isna()].sort_values("article_id"),
            ]).head(limit)
            _same(ov.timeline_table(data.recent_articles(f, limit), limit=limit),
                  ov.timeline_table(newest, limit=limit))


def test_article_files_count_the_dataset_files(dataset):
    files = data.articles()["file"].dropna().astype(str)
    names = (files.iloc[0], "not-a-file.txt", files.iloc[-1])
    assert data.article_files(names) == (files.nunique(), (files.iloc[0], files.iloc[-1]))


def test_headline_figures_give_the_same_cards_as_all_figures(dataset):
    shown = 0
    for f in _filters():
        expected = ov.headline_cards(data.figures(f))
        got = ov.headline_cards(data.headline_figures(f))
        assert got == expected, f
        shown += len(got)
    assert shown > 0


def test_headline_figures_count_reports_and_outlets_per_metric(dataset):
    figs = data.figures()
    head = data.headline_figures().set_index("metric")
    with_metric = figs.dropna(subset=["metric"])
    assert set(head.index) == set(with_metric["metric"])
    for metric, rows in with_metric.groupby("metric"):
        assert int(head.loc[metric, "reports"]) == len(rows)
        assert int(head.loc[metric, "outlets"]) == rows["outlet"].nunique()


def test_figure_facets_describe_all_figures(dataset):
    figs = data.figures()
    facets = data.figure_facets()
    assert facets["metrics"] == sorted(figs["metric"].dropna().unique())
    assert facets["unknown_outlet"] == bool(figs["outlet"].isna().any())


def _articles(n: int, outlets: int = 3) -> pd.DataFrame:
    days = pd.date_range("2022-09-01", periods=400, freq="D")
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)],
        "title": [f"Title {i}" for i in range(n)],
        "outlet": [f"Outlet {i % outlets}" for i in range(n)],
        "published": [days[(i * 7) % len(days)].date().isoformat() for i in range(n)],
        "url": ["https://example.org/a"] * n,
        "n_quotes": [1] * n, "n_figures": [0] * n, "n_routes": [2] * n,
    })


def test_timeline_draws_a_marker_per_article_up_to_the_limit():
    arts = _articles(ov.MAX_TIMELINE_MARKERS)
    fig = ov.timeline_figure(arts, context=False)
    assert sum(len(t.x) for t in fig.data) == len(arts)


def test_large_timeline_draws_one_marker_per_outlet_and_month_counting_every_article():
    arts = _articles(ov.MAX_TIMELINE_MARKERS + 500)
    fig = ov.timeline_figure(arts, context=False)
    months = pd.to_datetime(arts["published"]).dt.to_period("M")
    expected = arts.assign(month=months).groupby(["outlet", "month"]).size()
    assert sum(len(t.x) for t in fig.data) == len(expected)  # one marker per (outlet, month)
    counted = 0
    for t in fig.data:
        for text in t.hovertext:
            counted += int(text.rsplit(": ", 1)[1].split()[0].replace(",", ""))
    assert counted == len(arts)
    sizes = [s for t in fig.data for s in t.marker.size]
    assert min(sizes) < max(sizes)  # sized by count


def test_timeline_table_keeps_the_most_recent_articles():
    arts = _articles(ov.MAX_TABLE_ROWS + 300)
    table = ov.timeline_table(arts)
    assert len(table) == ov.MAX_TABLE_ROWS
    newest = sorted(arts["published"], reverse=True)[: ov.MAX_TABLE_ROWS]
    assert sorted(table["Published"], reverse=True) == newest
    assert len(ov.timeline_table(arts.head(10))) == 10


# ---------------------------------------------------------------- Numbers page aggregates

@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory) -> Path:
    """Built here from data/raw: a clean checkout has no data/exodus.sqlite until the app first runs."""
    db = tmp_path_factory.mktemp("bundled") / "bundled.sqlite"
    build(ROOT / "data" / "raw", db)
    return db


@pytest.fixture(params=["sample", "heldout", "bundled"])
def figure_dataset(request, sample_db, heldout_db, bundled_db, monkeypatch) -> Path:
    """The bundled articles too: its seed articles hold reports that differ."""
    db = {"sample": sample_db, "heldout": heldout_db, "bundled": bundled_db}[request.param]
    monkeypatch.setenv("EXODUS_DB", str(db))
    return db


def _figure_views() -> list[tuple[data.Filters, str | None]]:
    metrics = [None, *data.figure_facets()["metrics"][:2]]
    return [(f, m) for f in _filters() for m in metrics]


def _view(f: data.Filters, metric: str | None) -> pd.DataFrame:
    figs = charts.prepare(data.figures(f))
    return figs[figs["metric"] == metric] if metric else figs


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True).astype(object)
    return df.where(df.notna(), None)


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(_plain(got), _plain(expected), check_dtype=False, check_index_type=False)


def test_figure_totals_count_the_view(figure_dataset):
    for f, metric in _figure_views():
        view = _view(f, metric)
        assert data.figure_totals(f, metric) == {
            "figures": len(view), "other": int(view["metric"].isna().sum()),
            "articles": view["article_id"].nunique(), "outlets": view["outlet"].nunique()}, (f, metric)


def test_group_stats_give_the_chart_titles_source_lines_and_overview_of_the_rows(figure_dataset):
    charted = 0
    for f, metric in _figure_views():
        view = _view(f, metric)
        expected = charts.chart_groups(view)
        got = charts.group_stats(data.figure_groups(f, metric))
        assert [(m, u) for m, u, _ in got] == [(m, u) for m, u, _ in expected], (f, metric)
        differing = set(charts.conflicts(view)["figure_id"])
        flagged = set(zip(*data.figure_conflicts(f, metric)[0][["metric", "unit"]].to_dict("list").values()))
        for (m, u, st), (_, _, rows) in zip(got, expected):
            hit = bool(set(rows["figure_id"]) & differing)
            assert hit == ((m, u) in flagged)
            single = rows["value_label"].iloc[0] if len(rows) == 1 else None
            assert charts.finding_from(st, m, u, hit, single) == charts.finding(rows, m, u, hit)
            assert charts.source_line_from(st) == charts.source_line(rows)
            charted += 1
        _same(charts.metric_overview_from(got, flagged), charts.metric_overview(view, differing))
    assert charted > 0


def _conflict_groups_match(f: data.Filters, metric: str | None, expected: pd.DataFrame):
    """The SQL conflict groups for one view hold the same groups, in order, and the same figures as
    the row-level conflicts `expected`, and the rows fetched for those groups are `expected`'s;
    returns the groups and their keys."""
    groups, n = data.figure_conflicts(f, metric)
    keys = list(groups[["kind", "metric", "unit", "key"]].itertuples(index=False, name=None))
    assert [charts.group_label(*k) for k in keys] == list(dict.fromkeys(expected["group"])), (f, metric)
    assert n == expected["figure_id"].nunique()
    rows = charts.conflict_frame(charts.prepare(data.conflict_figures(f, keys, 10_000)), keys)
    assert len(rows) == len(expected), (f, metric)  # no rows where some were expected fails here
    if len(expected):
        _same(rows[list(expected.columns)], expected)
    return groups, keys


def test_conflict_groups_and_rows_equal_those_found_in_the_rows(figure_dataset):
    found = 0
    for f, metric in _figure_views():
        view = _view(f, metric)
        expected = charts.conflicts(view)
        groups, keys = _conflict_groups_match(f, metric, expected)
        assert list(groups["figures"]) == list(expected.groupby("group", sort=False).size())
        assert charts.conflict_members(view, groups) == set(expected["figure_id"])
        found += len(groups)
    if figure_dataset.name == "heldout.sqlite":
        assert found > 0  # the held-out articles hold reports that differ: the comparison was not empty


def test_conflict_rows_beyond_the_cap_span_lowest_to_highest_value(figure_dataset):
    groups, _ = data.figure_conflicts()
    if groups.empty:
        pytest.skip("no reports that differ here")
    keys = list(groups[["kind", "metric", "unit", "key"]].itertuples(index=False, name=None))
    full = data.conflict_figures(data.Filters(), keys, 10_000)
    capped = data.conflict_figures(data.Filters(), keys, 2)
    assert list(capped["gi"]) == [gi for gi, g in full.groupby("gi") for _ in range(min(2, len(g)))]
    for gi, g in full.groupby("gi"):
        got = capped.loc[capped["gi"] == gi, "figure_id"].tolist()
        assert got == [g["figure_id"].iloc[0], g["figure_id"].iloc[-1]]  # lowest and highest value
        three = data.conflict_figures(data.Filters(), keys, 3)
        assert len(three[three["gi"] == gi]) == min(3, len(g))


def test_spread_positions_are_the_first_row_of_each_equal_slice():
    """Row r of n is picked when it starts one of ``limit`` equal slices (its slice, r * limit // n,
    differs from the previous row's): every row when n <= limit."""
    for n in range(0, 130):
        for limit in (1, 2, 3, 7, 50, 200):
            starts = [r for r in range(n) if r == 0 or (r * limit) // n != ((r - 1) * limit) // n]
            assert data.spread_positions(n, limit) == starts, (n, limit)
    assert data.spread_positions(120_000, 200)[:3] == [0, 600, 1200]
    assert len(data.spread_positions(120_001, 200)) == 200


def test_group_figures_are_the_groups_rows_or_an_even_spread_of_them(figure_dataset):
    checked = 0
    for f, metric in _figure_views():
        view = _view(f, metric)
        for m, u, rows in charts.chart_groups(view):
            n = len(rows)
            got, total = data.group_figures(f, m, u, 10_000)
            assert total == n
            _same(charts.prepare(got), rows)
            for limit in {1, 2, max(n - 1, 1)}:
                picked, total = data.group_figures(f, m, u, limit)
                keep = [r for r in range(n) if r == 0 or (r * limit) // n != ((r - 1) * limit) // n]
                assert total == n and len(picked) == min(limit, n)
                _same(charts.prepare(picked), rows.iloc[keep])
            checked += 1
    assert checked > 0


def test_table_figures_are_the_tables_first_rows(figure_dataset):
    order = charts.metric_ids(data.figure_facets()["metrics"])
    for f, metric in _figure_views():
        view = _view(f, metric)
        differing = set(charts.conflicts(view)["figure_id"])
        got, total = data.table_figures(f, metric, order, 10_000)
        assert total == len(view)
        _same(charts.table_frame(charts.prepare(got), differing), charts.table_frame(view, differing))
        head, _ = data.table_figures(f, metric, order, 2)
        _same(charts.table_frame(charts.prepare(head)), charts.table_frame(view).head(2))
        other, n_other = data.table_figures(f, metric, order, 10_000, other=True)
        assert n_other == int(view["metric"].isna().sum())
        _same(charts.table_frame(charts.prepare(other)), charts.table_frame(view[view["metric"].isna()]))


def test_table_figures_list_metrics_missing_from_the_order_after_the_others(figure_dataset):
    """A metric the given order lacks (a catalogue older than the dataset) comes after the ordered
    metrics and before the figures without one, by date, outlet and position like the rest."""
    order = charts.metric_ids(data.figure_facets()["metrics"])
    view = charts.prepare(data.figures(data.Filters()))
    missing = next(m for m in order if m in set(view["metric"]))
    short = [m for m in order if m != missing]
    got, total = data.table_figures(data.Filters(), None, short, 10_000)
    rank = {m: i for i, m in enumerate(short)}
    view = view.assign(_r=[rank.get(m, len(short)) if isinstance(m, str) else len(short) + 1 for m in view["metric"]])
    expected = view.sort_values(["_r", "published", "outlet", "start", "metric"], na_position="last", kind="stable")
    assert total == len(view)
    assert (got["metric"] == missing).any()
    assert list(got["figure_id"]) == list(expected["figure_id"])


def test_conflicts_within_a_story_of_several_articles(heldout_db, tmp_path, monkeypatch):
    """Reports of one story that differ (a rewrite changing a number): the SQL groups equal those
    charts.conflicts finds in the rows. The held-out articles have no multi-article story with such
    numbers, so two articles reporting different values of one metric are made one story here."""
    import shutil
    import sqlite3

    from exodus import store

    db = tmp_path / "one-story.sqlite"
    shutil.copyfile(heldout_db, db)
    con = sqlite3.connect(db)
    metric, unit, first, second = con.execute(
        """SELECT a.metric, a.unit, a.article_id, b.article_id FROM figures a JOIN figures b
           ON b.metric = a.metric AND b.unit = a.unit AND b.article_id > a.article_id AND b.value != a.value
           WHERE a.metric IS NOT NULL ORDER BY a.metric, a.unit, a.article_id, b.article_id LIMIT 1""").fetchone()
    con.execute("UPDATE articles SET story_id = ?, rewrite_of = CASE WHEN article_id = ? THEN ? END "
                "WHERE article_id IN (?, ?)", (first, second, first, first, second))
    store.write_summaries(con)  # derived from the articles' stories, as a build does
    con.commit()
    con.close()
    monkeypatch.setenv("EXODUS_DB", str(db))
    stories = 0
    for f, m in [(data.Filters(), None), (data.Filters(), metric), *[(f, None) for f in _filters()[1:]]]:
        groups, _ = _conflict_groups_match(f, m, charts.conflicts(_view(f, m)))
        stories += int((groups["kind"] == "story").sum())
    assert stories > 0, f"no story group for {metric} / {unit} in {first} and {second}"


def test_a_month_differs_by_an_upper_bound_alone(heldout_db, tmp_path, monkeypatch):
    """Two articles of one month reporting 5 and "5 to 10" of one metric differ, and so do "5 to 10"
    and "5 to 12"; 5 and 5 do not, nor do "5 to 10" and "5 to 10". The SQL groups (which compare
    lowest and highest values and bounds, not distinct pairs) agree with charts.conflicts in each
    case."""
    import shutil
    import sqlite3

    from exodus import store

    db = tmp_path / "bounds.sqlite"
    shutil.copyfile(heldout_db, db)
    con = sqlite3.connect(db)
    # Two figures of one metric and unit from two articles published the same (valid) month.
    metric, unit, month, first, second = con.execute(
        """SELECT f1.metric, f1.unit, substr(a1.published, 1, 7), f1.figure_id, f2.figure_id
           FROM figures f1 JOIN articles a1 ON a1.article_id = f1.article_id
           JOIN figures f2 ON f2.metric = f1.metric AND f2.unit = f1.unit AND f2.article_id > f1.article_id
           JOIN articles a2 ON a2.article_id = f2.article_id
           WHERE f1.metric IS NOT NULL AND date(a1.published) = a1.published AND date(a2.published) = a2.published
             AND substr(a1.published, 1, 7) = substr(a2.published, 1, 7)
           ORDER BY f1.figure_id, f2.figure_id LIMIT 1""").fetchone()
    in_month = """figure_id IN (SELECT fg.figure_id FROM figures fg JOIN articles a ON a.article_id = fg.article_id
                  WHERE fg.metric = ? AND fg.unit = ? AND substr(a.published, 1, 7) = ?)"""
    monkeypatch.setenv("EXODUS_DB", str(db))
    flagged_month = {}
    cases = (("same", None, None), ("bound", None, 10.0), ("same bound", 10.0, 10.0), ("other bound", 10.0, 12.0))
    for name, first_high, second_high in cases:
        # every figure of the month 5, or "5 to 10" when both have a bound, then the two given bounds
        every_high = 10.0 if first_high and second_high else None
        con.execute(f"UPDATE figures SET value = 5, value_high = ? WHERE {in_month}", (every_high, metric, unit, month))
        con.execute("UPDATE figures SET value_high = ? WHERE figure_id = ?", (first_high, first))
        con.execute("UPDATE figures SET value_high = ? WHERE figure_id = ?", (second_high, second))
        store.write_summaries(con)
        con.commit()
        os.utime(db)  # a new dataset version: nothing cached is reused
        st.cache_data.clear()
        groups, _ = _conflict_groups_match(data.Filters(), metric, charts.conflicts(_view(data.Filters(), metric)))
        flagged_month[name] = bool(((groups["kind"] == "period") & (groups["key"] == month)).any())
    con.close()
    assert flagged_month == {"same": False, "bound": True, "same bound": False, "other bound": True}


def test_numbers_benchmark_times_every_call_of_the_page_on_its_caps(figure_dataset, monkeypatch):
    """bench.calls times the Numbers page's own data calls with the page's caps (read from its source)."""
    from bench import calls

    caps = calls.page_caps("numbers")
    assert {"MAX_MARKS", "MAX_TABLE_ROWS", "MAX_CONFLICT_GROUPS", "MAX_CONFLICT_ROWS"} <= set(caps)
    assert all(isinstance(v, int) and v > 0 for v in caps.values())
    timed = calls.time_numbers_view()
    assert all(ms >= 0 for _, ms in timed)
    calls_made = [name for name, _ in timed]
    charts_drawn = len(charts.group_stats(data.figure_groups()))
    assert calls_made[:4] == ["figure_facets", "figure_groups", "figure_totals", "figure_conflicts"]
    assert sum(c.startswith("group_figures") for c in calls_made) == min(3, charts_drawn)
    assert calls_made[-3:] == ["conflict_figures", "table_figures (no metric)", "table_figures"]


def test_large_timeline_with_many_outlets_keeps_seven_colours_and_one_other_row():
    arts = _articles(ov.MAX_TIMELINE_MARKERS + 500, outlets=10)
    fig = ov.timeline_figure(arts, context=False)
    rows = [t.name for t in fig.data]
    assert len(rows) == len(ov.PALETTE) + 1 and rows[-1] == "Other outlets"
    other = fig.data[-1]
    in_other = sum(int(h.rsplit(": ", 1)[1].split()[0].replace(",", "")) for h in other.hovertext)
    big = arts["outlet"].value_counts()
    named = sorted(big.index, key=lambda o: (-big[o], o))[: len(ov.PALETTE)]
    assert in_other == int(big.drop(named).sum())
    assert {c for t in fig.data[:-1] for c in [t.marker.color]} == set(ov.PALETTE)


def test_recent_articles_order_dates_then_ids_then_the_undated(tmp_path, monkeypatch):
    """Newest first; the same date: the later article id first; then the undated by article id.
    The limit cuts inside a date and inside the undated."""
    import sqlite3

    from exodus.store import SCHEMA

    db = tmp_path / "recent.sqlite"
    rows = [("b", "2023-05-01"), ("a", "2023-05-01"), ("c", "2023-05-01"), ("d", "2022-01-02"),
            ("z", None), ("x", None), ("y", None), ("e", "2024-12-31")]
    with sqlite3.connect(db) as con:
        con.executescript(SCHEMA)
        con.executemany(
            "INSERT INTO articles (article_id, file, title, outlet, published, text, n_quotes, n_figures, n_routes) "
            "VALUES (?, ?, ?, 'Wire', ?, 'text', 1, 2, 3)",
            [(a, f"{a}.txt", f"Title {a}", p) for a, p in rows])
    monkeypatch.setenv("EXODUS_DB", str(db))
    order = ["e", "c", "b", "a", "d", "x", "y", "z"]
    for limit in range(1, len(order) + 2):
        assert list(data.recent_articles(data.Filters(), limit)["title"]) == [f"Title {a}" for a in order[:limit]]
    assert list(data.recent_articles(data.Filters(date_to=date(2023, 5, 1)), 3)["title"]) == ["Title c", "Title b", "Title a"]


def test_country_choices_count_every_route_and_name_the_country(dataset):
    import sqlite3

    routes = data.routes()
    counts = routes["destination_country"].value_counts(dropna=False)
    choices = data.choices()["countries"]
    assert {code: n for code, _name, n in choices} == {(None if pd.isna(k) else k): int(v) for k, v in counts.items()}
    assert [n for _c, _name, n in choices] == sorted((n for _c, _name, n in choices), reverse=True)
    with sqlite3.connect(dataset) as con:
        places = dict(con.execute("SELECT place_id, name FROM places"))
    assert all(name == places.get(f"country:{code}", code) for code, name, _n in choices)
    assert any(name != code for code, name, _n in choices)  # some country is named, not only coded


def test_pages_of_the_article_list_make_up_the_list(article_dataset):
    for f in _filters():
        arts = data.articles(f)
        for size in (1, 7, 50):
            pages = [data.article_rows(f, offset, size) for offset in range(0, len(arts) + size, size)]
            assert all(len(p) <= size for p in pages)
            _same(pd.concat(pages, ignore_index=True), arts)
        months = data.article_months(f)
        assert int(months["rewrites"].sum()) == int(arts["rewrite_of"].notna().sum()), f


def test_timeline_title_names_the_busiest_month_with_thousands_separated():
    months = pd.Series({pd.Period("2022-03", "M"): 1200, pd.Period("2022-04", "M"): 3111,
                        pd.Period("2023-01", "M"): 5})
    assert ov.timeline_title_from(months) == "4,316 dated articles, Mar 2022 to Jan 2023; most in April 2022 (3,111)"
