"""The app's only door to the dataset: one cached read-only connection and query functions.

Every function returns plain pandas frames or dicts; pages never write SQL.
Query results are cached with ``st.cache_data`` (bounded, so memory stays flat
on a small host). User search text never reaches ``MATCH`` raw: see
:func:`fts_query`.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path

import pandas as pd
import streamlit as st

from exodus import store

ROOT = Path(__file__).resolve().parent.parent
MIN_QUERY_CHARS = 1
MAX_QUERY_CHARS = 500
_CACHE = dict(max_entries=256, ttl=3600, show_spinner=False)
# Frames with a row per article / route / figure are tens to hundreds of MB at 100k articles
# (docs/PERFORMANCE.md): keep only a few filter combinations of those.
_BIG = dict(max_entries=8, ttl=3600, show_spinner=False)


def db_path() -> Path:
    return Path(os.environ.get("EXODUS_DB") or ROOT / "data" / "exodus.sqlite")


def raw_dir() -> Path:
    return Path(os.environ.get("EXODUS_RAW") or ROOT / "data" / "raw")


@dataclass(frozen=True)
class Filters:
    """The shared filters (URL: country, outlet, from, to). Hashable, so it can key caches."""

    country: str | None = None  # ISO 3166-1 alpha-2 of a destination
    outlet: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def sql(self, alias: str = "a", summary: bool = False) -> tuple[str, list]:
        """WHERE fragment on the articles table aliased ``alias``, or with ``summary`` on a summary
        table (exodus.store.write_summaries), whose rows carry their article's set of countries."""
        parts, params = ["1=1"], []
        if self.outlet:
            parts.append(f"{alias}.outlet = ?")
            params.append(self.outlet)
        if self.date_from:
            parts.append(f"{alias}.published >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            parts.append(f"{alias}.published <= ?")
            params.append(self.date_to.isoformat())
        if self.country and summary:
            parts.append(f"{alias}.country_set IN (SELECT set_id FROM country_sets WHERE country = ?)")
            params.append(self.country)
        elif self.country:
            parts.append(
                f"{alias}.article_id IN (SELECT article_id FROM routes WHERE destination_country = ?)"
            )
            params.append(self.country)
        return " AND ".join(parts), params

    @property
    def active(self) -> bool:
        return any((self.country, self.outlet, self.date_from, self.date_to))


# ---------------------------------------------------------------- connection

@st.cache_resource(show_spinner=False)
def _connect(path: str, mtime_ns: int) -> sqlite3.Connection:
    """One read-only connection per dataset file version (mtime is part of the key so a
    rebuild is picked up)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    con.execute("PRAGMA query_only = ON")
    return con


def connection() -> sqlite3.Connection:
    path = db_path()
    return _connect(str(path), path.stat().st_mtime_ns)


def version() -> str:
    """The dataset version (path and modification time): a cache key for derived results."""
    return _version()


def _version() -> str:
    """Part of every cache key, so cached results die with the file they came from."""
    path = db_path()
    try:
        return f"{path}:{path.stat().st_mtime_ns}"
    except OSError:
        return f"{path}:missing"


def _frame(sql: str, params: list | tuple = ()) -> pd.DataFrame:
    return pd.read_sql_query(sql, connection(), params=list(params))


# ---------------------------------------------------------------- dataset health

class DatasetError(Exception):
    """The dataset file is missing or not a usable Exit Routes dataset."""


def check_dataset(path: Path | None = None) -> None:
    """Raise DatasetError with a human message when the file cannot be used."""
    path = path or db_path()
    if not path.is_file():
        raise DatasetError(f"The dataset file {path} does not exist.")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = {"articles", "quotes", "figures", "places", "routes", "meta"} - tables
            if missing:
                raise DatasetError(f"{path} is not an Exit Routes dataset (missing tables: {', '.join(sorted(missing))}).")
            # built by an older version: the app's queries need what it lacks, so it is rebuilt on start
            if set(store.SUMMARY_TABLES) - tables:
                raise DatasetError(f"{path} was built by an older version of Exit Routes (no summary tables).")
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            built = int(row[0]) if row and str(row[0]).isdigit() else 0
            if built < store.SCHEMA_VERSION:
                raise DatasetError(f"{path} was built by an older version of Exit Routes (dataset schema "
                                   f"{built or 'unknown'}; this version reads {store.SCHEMA_VERSION}).")
            # a quote search by phrase reads quote_pairs_fts: written with the quotes, or not at all
            if (con.execute("SELECT 1 FROM quotes LIMIT 1").fetchone()
                    and not con.execute("SELECT 1 FROM quote_pairs_fts_docsize LIMIT 1").fetchone()):
                raise DatasetError(f"{path} has quotes but an empty phrase index (quote_pairs_fts): it was not "
                                   "written by `python -m exodus build`.")
            con.execute("SELECT count(*) FROM articles").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatasetError(f"{path} cannot be read as a dataset ({exc}).") from exc


def stored_fingerprint(path: Path | None = None) -> str | None:
    path = path or db_path()
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='input_fingerprint'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def rebuild_command() -> str:
    return f"python -m exodus build --input {raw_dir()} --output {db_path()}"


# ---------------------------------------------------------------- search text

_FTS_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def fts_query(text: str) -> str | None:
    """Turn anything a user typed into a safe FTS5 query, or None when nothing is searchable.

    Each word becomes a quoted string token (so AND/OR/NOT/NEAR, column filters,
    stars and stray quotes are plain words); the words are ANDed, the last one
    also matches as a prefix so results appear while typing. A phrase typed in
    double quotes stays a phrase.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    parts: list[str] = []
    # Balanced "..." phrases first.
    for m in re.finditer(r'"([^"]+)"', text):
        words = _FTS_TOKEN.findall(m.group(1))
        if words:
            parts.append('"' + " ".join(w.replace("’", "'").replace('"', "") for w in words) + '"')
    rest = re.sub(r'"[^"]+"', " ", text)
    words = [w.replace("’", "'") for w in _FTS_TOKEN.findall(rest)]
    for i, w in enumerate(words[:32]):
        token = '"' + w.replace('"', "") + '"'
        parts.append(token + ("*" if i == len(words) - 1 and len(w) >= 2 else ""))
    return " ".join(parts) if parts else None


# ---------------------------------------------------------------- queries

@st.cache_data(**_CACHE)
def _summary(version: str) -> dict:
    con = connection()
    counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("articles", "quotes", "figures", "routes", "skipped")
    }
    counts["countries"] = con.execute("SELECT count(DISTINCT destination_country) FROM routes").fetchone()[0]
    counts["outlets"] = con.execute("SELECT count(DISTINCT outlet) FROM articles").fetchone()[0]
    lo, hi = con.execute(
        "SELECT min(published), max(published) FROM articles WHERE published IS NOT NULL"
    ).fetchone()
    counts["first_date"], counts["last_date"] = lo, hi
    meta = dict(con.execute("SELECT key, value FROM meta"))
    counts["meta"] = meta
    return counts


def summary() -> dict:
    return _summary(_version())


@st.cache_data(**_CACHE)
def _choices(version: str) -> dict:
    con = connection()
    outlets = [r[0] for r in con.execute(
        "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY count(*) DESC, outlet")]
    countries = [
        (r[0], r[1], r[2])
        for r in con.execute(
            # counted first, then named: joining every route to its country's place row was
            # 177 ms (now 40) at 100k articles (600k routes)
            """SELECT g.code, coalesce(c.name, g.code), g.n
               FROM (SELECT destination_country AS code, count(*) AS n FROM routes GROUP BY destination_country) g
               LEFT JOIN places c ON c.place_id = 'country:' || g.code ORDER BY g.n DESC, 2"""
        )
    ]
    speakers = [r[0] for r in con.execute(
        "SELECT speaker FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY count(*) DESC, speaker")]
    return {"outlets": outlets, "countries": countries, "speakers": speakers}


def choices() -> dict:
    """Values the filters can take: outlets, destination countries (code, name, reports), speakers."""
    return _choices(_version())


def country_names() -> dict[str, str]:
    return {code: name for code, name, _ in choices()["countries"]}


@st.cache_data(**_BIG)
def _articles(version: str, f: Filters) -> pd.DataFrame:
    # Every column here is in the covering index articles_date (exodus.store): reading the rows
    # themselves means reading every article's text (tests/app/test_article_list_plan.py). Filtered
    # views scan it too (INDEXED BY), in list order: looking up an outlet's or a country's articles
    # by another index reads their rows (at 100k: outlet 84 -> 34 ms, country FI 337 -> 217 ms).
    where, params = f.sql("a")
    return _frame(_ARTICLE_LIST.format(where=where), params)


_ARTICLE_LIST = """SELECT a.article_id, a.file, a.title, a.outlet, a.url, a.published, a.published_basis,
                          a.story_id, a.rewrite_of, a.similarity,
                          a.n_quotes, a.n_figures, a.n_places, a.n_routes
                   FROM articles a INDEXED BY articles_date WHERE {where}
                   ORDER BY coalesce(a.published, '9999'), a.article_id"""


def articles(f: Filters = Filters()) -> pd.DataFrame:
    """Every article of the view, oldest first (undated last), without its text."""
    return _articles(_version(), f)


def article_rows(f: Filters, offset: int, limit: int) -> pd.DataFrame:
    """Rows ``offset`` to ``offset + limit`` of :func:`articles`: one page of the list, read from
    the covering index without loading the rest (uncached: callers cache the page they draw)."""
    where, params = f.sql("a")
    return _frame(_ARTICLE_LIST.format(where=where) + " LIMIT ? OFFSET ?", [*params, int(limit), int(offset)])


@st.cache_data(**_CACHE)
def _article_months(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("a")
    # The covering index holds every column read: the rows (and their text) are never touched.
    return _frame(
        f"""SELECT a.outlet, substr(a.published, 1, 7) AS month, count(*) AS n,
                   coalesce(sum(a.n_quotes), 0) AS quotes, coalesce(sum(a.n_figures), 0) AS figures,
                   coalesce(sum(coalesce(a.n_routes, 0) > 0), 0) AS with_routes,
                   coalesce(sum(a.rewrite_of IS NOT NULL), 0) AS rewrites,
                   min(a.published) AS first, max(a.published) AS last
            FROM articles a INDEXED BY articles_date WHERE {where}
            GROUP BY a.outlet, month ORDER BY month IS NULL, month, a.outlet""",
        params,
    )


def article_months(f: Filters = Filters()) -> pd.DataFrame:
    """The view's articles per outlet and month of publication (``month`` "YYYY-MM", None when
    undated; ``outlet`` None when unknown): ``n`` articles, their quotes and figures, how many
    report a route, how many are rewrites of an earlier article, the first and last date. A few hundred rows however many articles: the
    Overview and About pages draw their counts and timeline from it (100k rows were ~1 s)."""
    return _article_months(_version(), f)


@st.cache_data(**_CACHE)
def _recent_articles(version: str, f: Filters, limit: int) -> pd.DataFrame:
    where, params = f.sql("a")
    cols = "a.published, a.outlet, a.title, a.n_quotes, a.n_figures, a.n_routes, a.url"
    # articles_date read backwards stops at the limit (~1 ms at 100k; a sort of every dated
    # article on (published DESC, article_id) was ~190 ms). Undated articles come after.
    dated = _frame(
        f"""SELECT {cols} FROM articles a INDEXED BY articles_date WHERE {where} AND a.published IS NOT NULL
            ORDER BY coalesce(a.published, '9999') DESC, a.article_id DESC LIMIT ?""",
        [*params, limit],
    )
    if len(dated) >= limit:
        return dated
    undated = _frame(
        f"""SELECT {cols} FROM articles a INDEXED BY articles_date WHERE {where} AND a.published IS NULL
            ORDER BY a.article_id LIMIT ?""",
        [*params, limit - len(dated)],
    )
    return pd.concat([dated, undated], ignore_index=True) if len(undated) else dated


def recent_articles(f: Filters = Filters(), limit: int = 1000) -> pd.DataFrame:
    """The ``limit`` most recently published articles of the view, with the columns of the
    Overview's article table: newest first (the same date: the later article id first), then
    the undated by article id."""
    return _recent_articles(_version(), f, limit)


def _id_list(values) -> str:
    """The distinct non-empty strings among ``values`` as a JSON list, for ``json_each(?)``."""
    return json.dumps(sorted({str(v) for v in values if isinstance(v, str) and v}))


def article_files(names) -> tuple[int, tuple[str, ...]]:
    """(distinct article files in the dataset, those of ``names`` among them)."""
    con = connection()
    total = con.execute("SELECT count(DISTINCT file) FROM articles INDEXED BY articles_date").fetchone()[0]
    found = {r[0] for r in con.execute(
        "SELECT DISTINCT file FROM articles INDEXED BY articles_date WHERE file IN (SELECT value FROM json_each(?))",
        (_id_list(names),))}
    return int(total), tuple(n for n in names if n in found)


def story_sizes(story_ids) -> dict[str, int]:
    """Articles per story for these stories, over the whole dataset: copies outside a filter still
    count. For a page of the article list, so uncached (one index lookup per story)."""
    rows = connection().execute(
        "SELECT story_id, count(*) FROM articles INDEXED BY articles_story "
        "WHERE story_id IN (SELECT value FROM json_each(?)) GROUP BY story_id", (_id_list(story_ids),)).fetchall()
    return dict(rows)


def titles(article_ids) -> dict[str, str | None]:
    """Title of each of these articles (those that exist), wherever a filter puts them."""
    rows = connection().execute(
        "SELECT article_id, title FROM articles WHERE article_id IN (SELECT value FROM json_each(?))",
        (_id_list(article_ids),)).fetchall()
    return dict(rows)


@st.cache_data(**_CACHE)
def _article(version: str, article_id: str) -> dict | None:
    con = connection()
    con_row = con.execute(
        "SELECT article_id, file, title, outlet, url, published, published_basis, text, story_id, "
        "rewrite_of, similarity FROM articles WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    if not con_row:
        return None
    keys = ["article_id", "file", "title", "outlet", "url", "published", "published_basis", "text",
            "story_id", "rewrite_of", "similarity"]
    art = dict(zip(keys, con_row))
    art["quotes"] = _frame(
        'SELECT quote_id, text, speaker, speaker_desc, start, "end", rule, confidence, variant_group '
        "FROM quotes WHERE article_id = ? ORDER BY start", (article_id,))
    art["figures"] = _frame(
        'SELECT figure_id, raw, value, value_high, unit, counts, metric, start, "end", rule, confidence '
        "FROM figures WHERE article_id = ? ORDER BY start", (article_id,))
    art["places"] = _frame(
        'SELECT m.surface, m.start, m."end", p.place_id, p.name, p.country_code, p.kind '
        "FROM place_mentions m JOIN places p ON p.place_id = m.place_id WHERE m.article_id = ? "
        "ORDER BY m.start", (article_id,))
    art["copies"] = _frame(
        "SELECT article_id, title, outlet, published, similarity FROM articles "
        "WHERE story_id = ? AND article_id != ? ORDER BY coalesce(published, '9999'), article_id",
        (art["story_id"], article_id))
    return art


def article(article_id: str) -> dict | None:
    """One article with its quotes, figures and place mentions (spans into ``text``)."""
    return _article(_version(), article_id)


@st.cache_data(**_BIG)
def _routes(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("a")
    # the shared pieces are defined with the Routes page aggregates below (module constants)
    return _frame(f"SELECT {_ROUTE_COLS} {_ROUTE_JOINS} WHERE {where} ORDER BY {_ROUTE_ORDER}", params)


def routes(f: Filters = Filters()) -> pd.DataFrame:
    """Every route with its places, coordinates, article and evidence sentence.

    ``report_key`` names the evidence sentence: one sentence can yield routes to a city and
    to its country (Istanbul, Turkey), which is one report, so count reports by it."""
    return _routes(_version(), f)


@st.cache_data(**_BIG)
def _crossings(version: str, f: Filters) -> pd.DataFrame:
    """Border crossings mentioned in the (filtered) articles, with the figures reported in the
    same sentence."""
    where, params = f.sql("a")
    return _frame(
        f"""SELECT p.place_id, p.name, p.country_code, p.lat, p.lon, m.article_id, m.start, m."end",
                   a.outlet, a.published, a.title,
                   (SELECT group_concat(fg.raw || ' (' || fg.unit || ')', '; ') FROM figures fg
                     WHERE fg.article_id = m.article_id AND fg.sentence_start <= m.start
                       AND fg.sentence_end >= m."end") AS figures_here,
                   (SELECT substr(a.text, fg.sentence_start + 1, fg.sentence_end - fg.sentence_start)
                      FROM figures fg WHERE fg.article_id = m.article_id AND fg.sentence_start <= m.start
                       AND fg.sentence_end >= m."end" LIMIT 1) AS sentence
            FROM place_mentions m
            JOIN places p ON p.place_id = m.place_id AND p.kind = 'border_crossing'
            JOIN articles a ON a.article_id = m.article_id
            WHERE {where}
            ORDER BY p.name, a.published, m.article_id, m.start, m."end" """,
        params,
    )


def crossings(f: Filters = Filters()) -> pd.DataFrame:
    return _crossings(_version(), f)


# ---------------------------------------------------------------- Routes page aggregates
# The Routes page draws from these instead of a row per route (~600k at 100k articles). Each
# equals what components/maps.py computes from the row frames above (tests/app/test_route_aggregates.py).

_ROUTE_JOINS = """FROM routes r
            JOIN articles a ON a.article_id = r.article_id
            JOIN places d ON d.place_id = r.destination_place_id
            LEFT JOIN places o ON o.place_id = r.origin_place_id
            LEFT JOIN places c ON c.place_id = 'country:' || r.destination_country"""
# Counts come from the per-article route summaries (exodus.store.write_summaries): adding
# them up over the articles of a view replaces a join of every route to its article and distinct
# counts over hundreds of thousands of rows. A summary's ``first_rank`` is the rank of its first
# route in the order of :func:`routes` (store.ROUTE_KEY); min() of it picks a group's first row.
# "NOT INDEXED": a whole-table aggregate with no covering index reads the table in order; walking
# an index that does not cover it visits its rows at random (x4).
_O_STATED = store.ORIGIN_STATED
# Newest first, undated last, then article id: the order of maps._top_sources.
_NEWEST_FIRST = "published IS NULL, published DESC, article_id"
MAX_SOURCES = 4  # source lines per hover label (maps.MAX_SOURCES_IN_HOVER)


@st.cache_data(**_CACHE)
def _route_destinations(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("rc", summary=True)
    where_j, params_j = f.sql("rj", summary=True)
    # A summary row is one article and country, so articles = rows. c (the country's place) is the
    # same on every row of a group, so its bare columns are safe. Both groupings read covering
    # indexes in group order (route_countries_destinations; route_journeys_paths, whose (person,
    # country) pairs come in order): no sort of every row.
    counts = _frame(
        f"""WITH g AS (
                SELECT rc.destination_country AS code, sum(rc.reports) AS reports, count(*) AS articles,
                       max(rc.land) AS land, max(rc.air) AS air, max(rc.unknown) AS unknown,
                       min(rc.published) AS first, max(rc.published) AS last,
                       sum(rc.routes) AS routes, sum(rc.sentences) AS sentences
                FROM route_countries rc WHERE rc.destination_country IS NOT NULL AND {where}
                GROUP BY rc.destination_country),
            pairs AS (SELECT DISTINCT rj.person, rj.destination_country AS code FROM route_journeys rj
                      WHERE rj.destination_country IS NOT NULL AND {where_j}),
            p AS (SELECT code, count(*) AS people FROM pairs GROUP BY code)
            SELECT g.code, coalesce(c.name, g.code) AS country, g.reports, g.articles,
                   coalesce(p.people, 0) AS people, g.land, g.air, g.unknown, g.first, g.last,
                   c.lat AS lat, c.lon AS lon, g.routes, g.sentences
            FROM g LEFT JOIN p ON p.code = g.code LEFT JOIN places c ON c.place_id = 'country:' || g.code
            ORDER BY g.reports DESC, g.articles DESC, country, g.code""",
        [*params, *params_j],
    )
    # No point for the country in the gazetteer: its flows end at the first route's destination place.
    for i in counts.index[counts["lat"].isna() | counts["lon"].isna()]:
        first = connection().execute(
            f"""SELECT d.lat, d.lon FROM route_countries rc JOIN places d ON d.place_id = rc.first_destination
                WHERE rc.destination_country = ? AND {where} ORDER BY rc.first_rank LIMIT 1""",
            [counts.at[i, "code"], *params]).fetchone()
        counts.loc[i, ["lat", "lon"]] = first
    return counts


def route_destinations(f: Filters = Filters()) -> pd.DataFrame:
    """Per destination country, most reported first: code, country, reports, articles, people,
    land / air / unknown (0/1: a route of that mode exists), first / last (published dates), lat / lon
    (the point its flows end at), routes and sentences (distinct evidence sentences).
    ``maps.destination_table`` turns it into ``maps.destinations(routes(f))``."""
    return _route_destinations(_version(), f)


@st.cache_data(**_CACHE)
def _flow_counts(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("rf", summary=True)
    # A summary row is one article and flow; the group's first route (min rank) gives its labels,
    # read from that row (its rowid: a bare column) after grouping, so the grouping reads only the
    # covering index route_flows_newest, in group order.
    counts = _frame(
        f"""WITH g0 AS MATERIALIZED (
                SELECT rf.origin_key AS o_key, rf.destination_country AS code, rf.mode_key,
                       min(rf.first_rank) AS k, rf.rowid AS first_row,
                       sum(rf.reports) AS reports, count(*) AS articles
                FROM route_flows rf WHERE {where} GROUP BY 1, 2, 3),
            g AS (SELECT g0.*, x.first_origin AS fo, x.first_destination AS fd
                  FROM g0 CROSS JOIN route_flows x ON x.rowid = g0.first_row)
            SELECT g.o_key, g.code, g.mode_key,
                   CASE WHEN {_O_STATED} THEN o.name END AS o_label, o.lat AS o_lat, o.lon AS o_lon,
                   {_O_STATED} AS o_stated, coalesce(c.name, g.code) AS country,
                   coalesce(c.lat, d.lat) AS d_lat, coalesce(c.lon, d.lon) AS d_lon, g.reports, g.articles
            FROM g JOIN places d ON d.place_id = g.fd LEFT JOIN places o ON o.place_id = g.fo
            LEFT JOIN places c ON c.place_id = 'country:' || g.code
            ORDER BY g.k""",
        params,
    )
    # Each flow's newest articles: a walk of index route_flows_newest per flow (flows absent from
    # the view find none), not a sort of every row.
    sources = _frame(
        f"""WITH grp AS (SELECT DISTINCT origin_key, destination_country, mode_key FROM route_flows),
            pick AS MATERIALIZED (
                SELECT x.origin_key AS o_key, x.destination_country AS code, x.mode_key, x.article_id,
                       x.outlet, x.published
                FROM grp CROSS JOIN route_flows x ON x.rowid IN (
                    SELECT rf.rowid FROM route_flows rf
                    WHERE rf.origin_key = grp.origin_key AND rf.destination_country IS grp.destination_country
                      AND rf.mode_key = grp.mode_key AND {where}
                    ORDER BY {_NEWEST_FIRST} LIMIT ?))
            SELECT pick.o_key, pick.code, pick.mode_key, pick.outlet, pick.published, a.title
            FROM pick JOIN articles a ON a.article_id = pick.article_id
            ORDER BY pick.o_key, pick.code, pick.mode_key, pick.published IS NULL, pick.published DESC,
                     pick.article_id""",
        [*params, MAX_SOURCES],
    )
    return counts.assign(sources=_listed(counts, sources, ["o_key", "code", "mode_key"]))


def _listed(groups: pd.DataFrame, rows: pd.DataFrame, keys: list[str],
            cols: tuple[str, ...] = ("outlet", "published", "title")) -> list[list[tuple]]:
    """For each row of ``groups``, the ``cols`` tuples of ``rows`` with the same ``keys``, in order."""
    lists: dict[tuple, list[tuple]] = {}
    for r in rows.itertuples(index=False):
        d = r._asdict()
        lists.setdefault(tuple(_nan_none(d[k]) for k in keys), []).append(tuple(_nan_none(d[c]) for c in cols))
    return [lists.get(tuple(_nan_none(v) for v in key), []) for key in groups[keys].itertuples(index=False)]


def _nan_none(v: object) -> object:
    return None if v is None or (isinstance(v, float) and v != v) else v


def flow_counts(f: Filters = Filters()) -> pd.DataFrame:
    """General flows (routes without a person) per origin key, destination country and mode, in
    order of first appearance: the first route's origin label / point, country and end point,
    reports, articles and ``sources`` (up to MAX_SOURCES (outlet, published, title) of distinct
    articles, newest first). ``maps.flows_from_counts`` draws the hover labels."""
    return _flow_counts(_version(), f)


@st.cache_data(**_CACHE)
def _route_sources(version: str, f: Filters) -> dict:
    where, params = f.sql("rc", summary=True)
    # The articles with a route: those with a summary row, counted by their first one (a filter
    # keeps or drops whole articles; a DISTINCT count sorted every row: x3 at 100k articles).
    outlets = _frame(
        f"""SELECT rc.outlet, count(*) AS n,
                   min(coalesce(rc.published, '9999') || char(1) || rc.article_id) AS k,
                   min(rc.published) AS first, max(rc.published) AS last
            FROM route_countries rc NOT INDEXED WHERE rc.first_of_article AND {where}
            GROUP BY rc.outlet ORDER BY n DESC, k""",
        params,
    )
    n_routes = connection().execute(
        f"SELECT coalesce(sum(rc.routes), 0) FROM route_countries rc NOT INDEXED WHERE {where}", params).fetchone()[0]
    dated = outlets.dropna(subset=["first"])
    return {
        "articles": int(outlets["n"].sum()), "routes": int(n_routes),
        "outlets": [o for o in outlets["outlet"] if o is not None and o == o],
        "first": min(dated["first"]) if len(dated) else None,
        "last": max(dated["last"]) if len(dated) else None,
    }


def route_sources(f: Filters = Filters()) -> dict:
    """What a Routes source line says: articles and routes counted, outlets (most articles first)
    and the first / last publication date (``maps.source_summary`` of the route rows)."""
    return _route_sources(_version(), f)


_ROUTE_COLS = """r.route_id, r.article_id, r.article_id || ':' || r.start AS report_key, r.mode, r.person, r.start, r."end", r.rule, r.confidence,
                   r.distance_km, r.destination_country,
                   d.place_id AS dest_id, d.name AS dest_name, d.kind AS dest_kind,
                   d.lat AS dest_lat, d.lon AS dest_lon,
                   o.place_id AS origin_id, o.name AS origin_name, o.country_code AS origin_country,
                   o.lat AS origin_lat, o.lon AS origin_lon,
                   coalesce(c.name, r.destination_country) AS country_name,
                   c.lat AS country_lat, c.lon AS country_lon,
                   a.outlet, a.published, a.title,
                   substr(a.text, r.start + 1, r."end" - r.start) AS evidence"""
_ROUTE_ORDER = """coalesce(a.published, '9999'), r.article_id, r.start, r."end", r.route_id"""


@st.cache_data(**_CACHE)
def _evidence_routes(version: str, f: Filters, code: str | None, per_country: int) -> pd.DataFrame:
    where, params = f.sql("rc", summary=True)
    one = "= ?" if code else "IS NOT NULL"
    extra = [code] if code else []
    # The first ``per_country`` sentences (article, start, end) of each destination, in route order,
    # then every route of those sentences (maps.evidence merges a sentence's routes into one card).
    # They lie in the destination's first ``per_country`` articles: an index walk per country.
    return _frame(
        f"""WITH codes AS (SELECT DISTINCT destination_country AS code FROM route_countries
                           WHERE destination_country {one}),
            arts AS MATERIALIZED (
                SELECT x.article_id, x.destination_country AS code
                FROM codes CROSS JOIN route_countries x ON x.rowid IN (
                    SELECT rc.rowid FROM route_countries rc WHERE rc.destination_country = codes.code AND {where}
                    ORDER BY rc.first_rank LIMIT ?)),
            s AS (
                SELECT DISTINCT r.destination_country AS code, r.article_id, r.start, r."end",
                       coalesce(a.published, '9999') AS p
                FROM arts CROSS JOIN routes r ON r.article_id = arts.article_id AND r.destination_country = arts.code
                JOIN articles a ON a.article_id = r.article_id
                JOIN places d ON d.place_id = r.destination_place_id),
            w AS (SELECT code, article_id, start, "end",
                         row_number() OVER (PARTITION BY code ORDER BY p, article_id, start, "end") AS rn FROM s),
            t AS MATERIALIZED (SELECT * FROM w WHERE rn <= ?)
            SELECT {_ROUTE_COLS}
            FROM t CROSS JOIN routes r ON r.article_id = t.article_id AND r.start = t.start AND r."end" = t."end"
                                      AND r.destination_country = t.code
            JOIN articles a ON a.article_id = r.article_id
            JOIN places d ON d.place_id = r.destination_place_id
            LEFT JOIN places o ON o.place_id = r.origin_place_id
            LEFT JOIN places c ON c.place_id = 'country:' || r.destination_country
            ORDER BY {_ROUTE_ORDER}""",
        [*extra, *params, per_country, per_country],
    )


def evidence_routes(f: Filters = Filters(), code: str | None = None, per_country: int = 5) -> pd.DataFrame:
    """Route rows (columns of :func:`routes`) of the first ``per_country`` evidence sentences of each
    destination country (of ``code`` only when given), in route order: what the evidence cards show,
    without a row per route of the whole view."""
    return _evidence_routes(_version(), f, code, per_country)


MAX_JOURNEYS = 50  # named journeys drawn one by one; above this, the most reported paths


@st.cache_data(**_CACHE)
def _person_routes(version: str, f: Filters, limit: int) -> tuple[pd.DataFrame, int]:
    where, params = f.sql("rj", summary=True)
    con = connection()
    total = con.execute(f"SELECT coalesce(sum(rj.routes), 0) FROM route_journeys rj WHERE {where}",
                        params).fetchone()[0]
    if total <= limit:
        rows = _frame(f"""SELECT {_ROUTE_COLS} {_ROUTE_JOINS}
                          WHERE r.person IS NOT NULL
                            AND r.article_id IN (SELECT rj.article_id FROM route_journeys rj WHERE {where})
                          ORDER BY {_ROUTE_ORDER}""", params)
        return rows.assign(reports=1), total
    # Too many to draw one by one: one row per person, origin and destination place (its first
    # report's fields), the most reported ``limit`` of them. The country is grouped on too (it
    # follows from the destination place) so the covering index route_journeys_paths is read in
    # group order; the first route is read from the group's first row (rowid) afterwards.
    rows = _frame(
        f"""WITH g0 AS MATERIALIZED (
                SELECT rj.rowid AS first_row, min(rj.first_rank) AS k, sum(rj.routes) AS reports
                FROM route_journeys rj WHERE {where}
                GROUP BY rj.person, rj.destination_country, rj.origin_place_id, rj.destination_place_id
                ORDER BY reports DESC, k LIMIT ?),
            g AS (SELECT x.first_route AS route_id, g0.k, g0.reports
                  FROM g0 CROSS JOIN route_journeys x ON x.rowid = g0.first_row)
            SELECT {_ROUTE_COLS}, g.reports
            FROM g CROSS JOIN routes r ON r.route_id = g.route_id
            JOIN articles a ON a.article_id = r.article_id
            JOIN places d ON d.place_id = r.destination_place_id
            LEFT JOIN places o ON o.place_id = r.origin_place_id
            LEFT JOIN places c ON c.place_id = 'country:' || r.destination_country
            ORDER BY g.reports DESC, g.k""",
        [*params, limit],
    )
    return rows, total


def person_routes(f: Filters = Filters(), limit: int = MAX_JOURNEYS) -> tuple[pd.DataFrame, int]:
    """(rows, total): the routes of named people (columns of :func:`routes` plus ``reports``) and
    how many there are. Up to ``limit`` routes: every one (``reports`` = 1), in route order. Above:
    one row per person, origin and destination place (its first route, ``reports`` = routes on that
    path), the ``limit`` most reported."""
    return _person_routes(_version(), f, limit)


MAX_CROSSING_FIGURES = 20  # figures listed per border crossing in the table


@st.cache_data(**_CACHE)
def _crossing_counts(version: str, f: Filters, max_figures: int) -> pd.DataFrame:
    where, params = f.sql("cm", summary=True)
    # One query over the crossing mentions (exodus.store.write_summaries: outlet, date and the
    # figures of the sentence are there): per crossing a "count" row, its first figures ("fig"
    # rows) and its newest articles ("src" rows, titled from articles), told apart by kind. The
    # newest articles are a walk of index crossing_mentions_newest per crossing that stops at
    # MAX_SOURCES articles, not a grouping and sort of every mention.
    rows = _frame(
        f"""WITH c AS MATERIALIZED (
                SELECT cm.place_id, cm.article_id, cm.start, cm."end", cm.outlet, cm.published,
                       cm.figures_here AS fh
                FROM crossing_mentions cm WHERE {where}),
            figs AS (SELECT place_id, fh, outlet, published,
                            row_number() OVER (PARTITION BY place_id
                                ORDER BY published IS NULL, published, article_id, start, "end") AS rn
                     FROM c WHERE fh IS NOT NULL AND fh != ''),
            crossings AS (SELECT DISTINCT place_id FROM c),
            srcs AS MATERIALIZED (
                SELECT crossings.place_id, a.outlet, a.published, a.title, a.article_id
                FROM crossings CROSS JOIN articles a ON a.article_id IN (
                    SELECT DISTINCT cm.article_id FROM crossing_mentions cm
                    WHERE cm.place_id = crossings.place_id AND {where}
                    ORDER BY cm.published IS NULL, cm.published DESC, cm.article_id LIMIT ?))
            SELECT 'count' AS kind, c.place_id, p.name, p.country_code, p.lat, p.lon, count(*) AS mentions,
                   count(DISTINCT c.article_id) AS articles, sum(c.fh IS NOT NULL AND c.fh != '') AS n_figures,
                   NULL AS fh, NULL AS outlet, NULL AS published, NULL AS title, 0 AS rn
            FROM c JOIN places p ON p.place_id = c.place_id GROUP BY c.place_id
            UNION ALL
            SELECT 'fig', place_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, fh, outlet, published, NULL, rn
            FROM figs WHERE rn <= ?
            UNION ALL
            SELECT 'src', place_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, outlet, published, title,
                   row_number() OVER (PARTITION BY place_id ORDER BY {_NEWEST_FIRST})
            FROM srcs
            ORDER BY kind, place_id, rn""",
        [*params, *params, MAX_SOURCES, max_figures],
    )
    counts = rows[rows["kind"] == "count"].drop(columns=["kind", "fh", "outlet", "published", "title", "rn"])
    counts = counts.reset_index(drop=True).astype({"mentions": int, "articles": int, "n_figures": int})
    return counts.assign(
        figures=_listed(counts, rows[rows["kind"] == "fig"], ["place_id"], ("fh", "outlet", "published")),
        sources=_listed(counts, rows[rows["kind"] == "src"], ["place_id"]))


def crossing_counts(f: Filters = Filters(), max_figures: int = MAX_CROSSING_FIGURES) -> pd.DataFrame:
    """Per border crossing (by place id): name, country_code, lat, lon, mentions, articles, n_figures
    (mentions with a figure in their sentence), ``figures`` (the first ``max_figures`` of those as
    (figures, outlet, published), oldest first) and ``sources`` (as in :func:`flow_counts`).
    ``maps.crossing_table`` turns it into ``maps.crossing_points(crossings(f))``."""
    return _crossing_counts(_version(), f, max_figures)


@st.cache_data(**_BIG)
def _figures(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("a")
    return _frame(
        f"""SELECT fg.figure_id, fg.article_id, fg.value, fg.value_high, fg.unit, fg.counts, fg.raw,
                   fg.metric, fg.approximate, fg.start, fg."end", fg.rule, fg.confidence,
                   a.outlet, a.published, a.title, a.story_id,
                   substr(a.text, fg.sentence_start + 1, fg.sentence_end - fg.sentence_start) AS sentence
            FROM figures fg JOIN articles a ON a.article_id = fg.article_id
            WHERE {where}
            ORDER BY fg.metric, coalesce(a.published, '9999'), fg.article_id, fg.start""",
        params,
    )


def figures(f: Filters = Filters()) -> pd.DataFrame:
    """Every figure with its article's outlet and date and the sentence it came from."""
    return _figures(_version(), f)


# ---------------------------------------------------------------- Numbers page aggregates
# The Numbers page draws from these instead of a row per figure (~900k at 100k articles); they
# equal what components/charts.py computes from :func:`figures` (tests/app/test_aggregates.py).

_FIGURE_COLS = """fg.figure_id, fg.article_id, fg.value, fg.value_high, fg.unit, fg.counts, fg.raw,
                   fg.metric, fg.approximate, fg.start, fg."end", fg.rule, fg.confidence,
                   a.outlet, a.published, a.title, a.story_id,
                   substr(a.text, fg.sentence_start + 1, fg.sentence_end - fg.sentence_start) AS sentence"""


def _fact_where(f: Filters, metric: str | None, alias: str = "ff") -> tuple[str, list]:
    """The view's WHERE on ``figure_facts ff`` or ``figure_articles`` (a figure with its article's outlet, date and story,
    exodus.store.write_summaries): aggregates over every figure read it instead of joining each
    figure to its article, which costs seconds at 100k articles."""
    where, params = f.sql(alias, summary=True)
    if metric:
        return f"{alias}.metric = ? AND {where}", [metric, *params]
    return where, params


@st.cache_data(**_CACHE)
def _figure_counts(version: str, f: Filters, metric: str | None) -> pd.DataFrame:
    where, params = _fact_where(f, metric, "y")
    # From the figures grouped per article, metric and unit at build time (figure_articles); the
    # groups in the order of the covering index figure_articles_groups, so nothing is sorted.
    return _frame(
        f"""SELECT metric, unit, outlet, sum(n) AS reports, count(*) AS articles, min(lo) AS lo, max(hi) AS hi,
                   min(CASE WHEN published != '' THEN published END) AS first,
                   max(CASE WHEN published != '' THEN published END) AS last,
                   sum(coalesce(published, '') = '') AS undated
            FROM figure_articles y WHERE {where} GROUP BY metric, unit, outlet ORDER BY metric, unit, outlet""",
        params,
    )


@st.cache_data(**_CACHE)
def _figure_totals(version: str, f: Filters, metric: str | None) -> dict:
    where, params = _fact_where(f, metric, "y")
    # A filter keeps or drops whole articles, so the view's articles are its first rows (x3.5 a
    # DISTINCT count at 100k articles).
    first = "first_of_metric" if metric else "first_of_article"
    articles, outlets = connection().execute(
        f"SELECT total({first}), count(DISTINCT outlet) FROM figure_articles y NOT INDEXED WHERE {where}", params
    ).fetchone()
    groups = _figure_counts(version, f, metric)
    return {"figures": int(groups["reports"].sum()), "other": int(groups.loc[groups["metric"].isna(), "reports"].sum()),
            "articles": int(articles), "outlets": outlets}


def figure_groups(f: Filters = Filters(), metric: str | None = None) -> pd.DataFrame:
    """Per metric (NULL: no metric), unit and outlet of the view: reports (figures), articles, lo / hi
    (lowest value, highest value or upper bound), first / last publication date and undated
    articles. ``charts.group_stats`` merges the outlets of each metric and unit."""
    return _figure_counts(_version(), f, metric)


def figure_totals(f: Filters = Filters(), metric: str | None = None) -> dict:
    """Counts of the view: figures, other (without a metric), articles, outlets (named)."""
    return dict(_figure_totals(_version(), f, metric))


@st.cache_data(**_CACHE)
def _figure_conflicts(version: str, f: Filters, metric: str | None) -> tuple[pd.DataFrame, int]:
    where, params = _fact_where(f, metric, "y")
    # charts.conflicts in SQL: figures of one metric and unit from one story, or published the same
    # month, from 2+ articles with 2+ different values; a month group equal to a story group is
    # listed once (as the story's).
    # From the figures summed per article, metric and unit at build time (figure_articles: a third
    # of the rows of figure_facts, nothing to materialise per figure; x4 at 100k articles), and by
    # min/max rather than DISTINCT counts: a group holds 2+ articles when its lowest and highest
    # article ids differ, and 2+ (value, value_high) pairs when the values, the upper bounds, or
    # which figures have an upper bound differ.
    several = "min(article_id) != max(article_id)"
    differ = "(min(lo) != max(vmax) OR min(hmin) != max(hmax) OR sum(nhigh) NOT IN (0, sum(n)))"
    sql = f"""WITH
            -- Only stories of 2+ articles can disagree (most are one article): the others are
            -- never grouped. A month group below that is all one story has 2+ articles, so its
            -- story is always in sg.
            sg AS MATERIALIZED (
                   SELECT metric, unit, story_id AS key, sum(n) AS figures, {several} AS several, {differ} AS differ
                   FROM figure_articles y NOT INDEXED WHERE y.metric IS NOT NULL AND y.shared_story AND {where}
                   GROUP BY metric, unit, story_id),
            -- months in the order of the index figure_articles_periods: no sort
            pg AS (SELECT metric, unit, period AS key, sum(n) AS figures, {several} AS several, {differ} AS differ,
                          count(story_id) = count(*) AND min(story_id) = max(story_id) AS one_story,
                          min(story_id) AS story
                   FROM figure_articles y WHERE y.metric IS NOT NULL AND y.period IS NOT NULL AND {where}
                   GROUP BY metric, unit, period),
            flagged AS MATERIALIZED (
                SELECT 'story' AS kind, metric, unit, key, figures FROM sg WHERE several AND differ
                UNION ALL
                SELECT 'period', pg.metric, pg.unit, pg.key, pg.figures FROM pg WHERE several AND differ
                  AND NOT (one_story AND pg.figures =
                           (SELECT sg.figures FROM sg WHERE sg.metric = pg.metric AND sg.unit = pg.unit
                              AND sg.key = pg.story)))
            SELECT kind, metric, unit, key, figures,
                   (SELECT total(n) FROM figure_articles y NOT INDEXED
                    WHERE y.metric IS NOT NULL AND {where}
                      AND ((y.metric, y.unit, y.story_id) IN (SELECT metric, unit, key FROM flagged WHERE kind = 'story')
                        OR (y.metric, y.unit, y.period) IN (SELECT metric, unit, key FROM flagged WHERE kind = 'period'))
                   ) AS differing
            FROM flagged ORDER BY kind = 'period', metric, unit, key"""
    params = [*params, *params, *params]
    groups = _frame(sql, params)
    n_differing = int(groups["differing"].iloc[0]) if len(groups) else 0
    return groups.drop(columns="differing"), n_differing


def figure_conflicts(f: Filters = Filters(), metric: str | None = None) -> tuple[pd.DataFrame, int]:
    """(groups, n): the groups of reports that differ (``charts.conflicts``), in its order: kind
    ('story' or 'period'), metric, unit, key (story id or 'YYYY-MM'), figures; and how many
    figures are in at least one of them."""
    return _figure_conflicts(_version(), f, metric)


def spread_positions(n: int, limit: int) -> list[int]:
    """Positions (0-based) of ``limit`` rows evenly spread over ``n`` in order: the first row of each
    of ``limit`` equal slices (row r starts slice s when r = ceil(s * n / limit)); every row when
    n <= limit."""
    if n <= limit:
        return list(range(n))
    return [-(-s * n // limit) for s in range(limit)] if limit > 0 else []


@st.cache_data(**_CACHE)
def _group_figures(version: str, f: Filters, metric: str, unit: str, limit: int) -> tuple[pd.DataFrame, int]:
    where, params = f.sql("y", summary=True)
    # Which article holds each picked position comes from the figures counted per article at build
    # time (figure_articles: ~1/2 the rows to sort, and narrow ones), then only the picked
    # articles' figures are read: a window over every figure of the view sorted ~120k wide rows per
    # chart at 100k articles (x3).
    counts = connection().execute(
        f"""SELECT article_id, n FROM figure_articles y WHERE y.metric = ? AND y.unit = ? AND {where}
            ORDER BY coalesce(y.published, '9999'), y.article_id""", [metric, unit, *params]).fetchall()
    ends = list(accumulate(k for _, k in counts))  # figures up to and including each article
    n = ends[-1] if ends else 0
    picked = []
    for i, rn in enumerate(spread_positions(n, limit)):
        at = bisect_right(ends, rn)  # the article holding figure rn of the view
        picked.append([i, counts[at][0], rn - (ends[at] - counts[at][1])])
    rows = _frame(
        f"""WITH p AS (SELECT json_extract(j.value, '$[0]') AS i, json_extract(j.value, '$[1]') AS aid,
                              json_extract(j.value, '$[2]') AS k
                       FROM json_each(?) j),
            -- each picked article's figures of the metric and unit in figures order ("+": not a walk
            -- of figures_metric, every figure of the metric)
            f AS (SELECT p.i, p.k, fg.rowid AS id, row_number() OVER (PARTITION BY p.i ORDER BY fg.start, fg.rowid) - 1 AS r
                  FROM p CROSS JOIN figures fg ON fg.article_id = p.aid AND +fg.metric = ? AND +fg.unit = ?)
            SELECT {_FIGURE_COLS}
            FROM f CROSS JOIN figures fg ON fg.rowid = f.id JOIN articles a ON a.article_id = fg.article_id
            WHERE f.r = f.k ORDER BY f.i""",
        [json.dumps(picked), metric, unit],
    )
    return rows, n


def group_figures(f: Filters, metric: str, unit: str, limit: int) -> tuple[pd.DataFrame, int]:
    """(rows, total): the figures of one metric and unit (columns of :func:`figures`, in its order)
    and how many there are; above ``limit``, ``limit`` of them evenly spread over that order
    (publication date), so a chart of a large view still spans its dates."""
    return _group_figures(_version(), f, metric, unit, limit)


@st.cache_data(**_CACHE)
def _table_figures(version: str, f: Filters, metric: str | None, other: bool, order: tuple[str, ...],
                   limit: int) -> tuple[pd.DataFrame, int]:
    where, params = f.sql("ff", summary=True)
    # charts.table_frame's order: catalogue order of the metric (none last), date (undated last),
    # outlet, position; ties in figures order. One branch per metric rank, each the first ``limit``
    # rows of a walk of the index figure_facts_table in that order; the compound stops once
    # ``limit`` rows are out, so a view's first page reads ~``limit`` rows, not every figure (a
    # top-``limit`` sort of the whole view: x100 at 100k articles).
    within = "ff.published IS NULL, ff.published, ff.outlet IS NULL, ff.outlet, ff.start"
    none_rank, unknown_rank = len(order) + 1, len(order)  # no metric last, after those not in the catalogue
    if other:
        ranks = [(none_rank, "ff.metric IS NULL" + (" AND ff.metric = ?" if metric else ""), [metric] if metric else [])]
    elif metric is not None:
        ranks = [(order.index(metric) if metric in order else unknown_rank, "ff.metric = ?", [metric])]
    else:
        unknown = f"ff.metric NOT IN ({', '.join('?' * len(order))})" if order else "ff.metric IS NOT NULL"
        ranks = [*[(i, "ff.metric = ?", [m]) for i, m in enumerate(order)],
                 (unknown_rank, unknown, list(order)), (none_rank, "ff.metric IS NULL", [])]
    branches, args = [], []
    for rank, cond, cond_params in ranks:
        branches.append(
            f"""SELECT * FROM (
                    SELECT {rank} AS rk, ff.figure_id AS id, ff.published AS p, ff.outlet AS o, ff.start AS s,
                           ff.metric AS m, ff.article_id AS aid
                    FROM figure_facts ff WHERE {cond} AND {where}
                    ORDER BY {within}, ff.metric, ff.article_id LIMIT ?)""")
        args += [*cond_params, *params, limit]
    rows = _frame(
        f"""WITH pick AS MATERIALIZED ({" UNION ALL ".join(branches)} LIMIT ?)
            SELECT {_FIGURE_COLS}
            FROM pick CROSS JOIN figures fg ON fg.figure_id = pick.id JOIN articles a ON a.article_id = fg.article_id
            ORDER BY pick.rk, pick.p IS NULL, pick.p, pick.o IS NULL, pick.o, pick.s, pick.m,
                     coalesce(pick.p, '9999'), pick.aid, pick.s""",
        [*args, limit],
    )
    groups = _figure_counts(version, f, metric)  # counted per article at build time: no scan here
    counted = groups[groups["metric"].isna()] if other else groups
    return rows, int(counted["reports"].sum())


def table_figures(f: Filters, metric: str | None, order, limit: int, other: bool = False) -> tuple[pd.DataFrame, int]:
    """(rows, total): the first ``limit`` figures of the view (only those without a metric with
    ``other``) in the order of ``charts.table_frame`` (``order``: metric ids in catalogue order),
    and how many the view holds."""
    return _table_figures(_version(), f, metric, other, tuple(order), limit)


@st.cache_data(**_CACHE)
def _conflict_figures(version: str, f: Filters, groups: tuple[tuple[str, str, str, str], ...],
                      per_group: int) -> pd.DataFrame:
    where, params = f.sql("a")
    where_y, _ = f.sql("y", summary=True)
    # Rows of the given (kind, metric, unit, key) groups, ``per_group`` each, in charts.conflicts'
    # order inside a group (value, date, outlet; ties in figures order). Articles are found by story
    # (index articles_story) or, for a month, in the covering index figure_articles_periods (the
    # articles with figures of that metric and unit in that month, with their outlet and date): a
    # month of articles joined to every figure read ~x4 the rows (860 -> 220 ms at 100k articles).
    # "+": never walk figures_metric here (every figure of the metric, per article). CROSS JOIN: with
    # a country filter SQLite would otherwise start from that country's figures and search the
    # index once per figure (minutes at 100k articles).
    figs = "CROSS JOIN figures fg ON fg.article_id = {0}.article_id AND +fg.metric = g.metric AND +fg.unit = g.unit"
    return _frame(
        f"""WITH g AS (SELECT json_extract(j.value, '$[0]') AS kind, json_extract(j.value, '$[1]') AS metric,
                              json_extract(j.value, '$[2]') AS unit, json_extract(j.value, '$[3]') AS key,
                              CAST(j.key AS INTEGER) AS gi
                       FROM json_each(?) j),
            hits AS (
                SELECT g.gi, fg.rowid AS id, fg.value, a.published, a.outlet, fg.article_id, fg.start
                FROM g CROSS JOIN articles a ON a.story_id = g.key {figs.format("a")}
                WHERE g.kind = 'story' AND {where}
                UNION ALL
                SELECT g.gi, fg.rowid, fg.value, y.published, y.outlet, fg.article_id, fg.start
                FROM g CROSS JOIN figure_articles y ON y.metric = g.metric AND y.unit = g.unit AND y.period = g.key
                     {figs.format("y")}
                WHERE g.kind = 'period' AND {where_y}),
            m AS (SELECT gi, id, count(*) OVER (PARTITION BY gi) AS n,
                         row_number() OVER (PARTITION BY gi ORDER BY value, published IS NULL, published,
                             outlet IS NULL, outlet, coalesce(published, '9999'), article_id, start) - 1 AS rn
                  FROM hits)
            SELECT m.gi, {_FIGURE_COLS}
            FROM m CROSS JOIN figures fg ON fg.rowid = m.id JOIN articles a ON a.article_id = fg.article_id
            WHERE m.rn = 0 OR m.rn = m.n - 1 OR (m.rn * ?) / (m.n - 1) != ((m.rn - 1) * ?) / (m.n - 1)
            ORDER BY m.gi, m.rn""",
        [json.dumps([list(g) for g in groups]), *params, *params, per_group - 1, per_group - 1],
    )


def conflict_figures(f: Filters, groups, per_group: int) -> pd.DataFrame:
    """The figures (columns of :func:`figures` plus ``gi``, the group's index in ``groups``) of the
    given conflict groups ((kind, metric, unit, key) as :func:`figure_conflicts` lists them), lowest
    value first: all of a group of up to ``per_group`` (at least 2), else ``per_group`` of them
    evenly spread from its lowest to its highest value."""
    per_group = max(2, per_group)
    return _conflict_figures(_version(), f, tuple(tuple(str(x) for x in g) for g in groups), per_group)


@st.cache_data(**_CACHE)
def _destinations(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("rc", summary=True)
    # From the route summaries (routes whose destination place is unknown are not counted, as in
    # :func:`routes`); a summary row is one article and country. Summed in country order from the
    # covering index, then named: joining each summary row to its place row first, on the table,
    # was 371 ms unfiltered at 100k articles (now ~65; Finland 247 -> 97 ms).
    return _frame(
        f"""SELECT g.code, coalesce(c.name, g.code) AS country, g.reports, g.articles, g.routes
            FROM (SELECT rc.destination_country AS code, sum(rc.reports) AS reports, count(*) AS articles,
                         sum(rc.routes) AS routes
                  FROM route_countries rc INDEXED BY route_countries_destinations WHERE {where}
                  GROUP BY rc.destination_country) g
            LEFT JOIN places c ON c.place_id = 'country:' || g.code
            ORDER BY g.reports DESC, g.articles DESC, country""",
        params,
    )


def destinations(f: Filters = Filters()) -> pd.DataFrame:
    """Per destination country: code, country (name), reports (evidence sentences), articles and
    routes, most reported first. Aggregated in SQL: the routes frame is ~600k rows at 100k articles."""
    return _destinations(_version(), f)


@st.cache_data(**_CACHE)
def _headline_figures(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("ff", summary=True)
    # The best figure per metric is the first of an index walk (figure_facts_best) per metric, and
    # the article text is cut only for those: ranking every figure cost ~1 s at 100k articles.
    # The counts per metric read figure_facts_table, which covers metric, outlet and date (368 ->
    # 52 ms unfiltered at 100k); not its country sets, so a country view scans the table.
    counted = "NOT INDEXED" if f.country else "INDEXED BY figure_facts_table"
    return _frame(
        f"""WITH o AS (
                SELECT ff.metric, count(*) AS reports, count(DISTINCT ff.outlet) AS outlets
                FROM figure_facts ff {counted} WHERE ff.metric IS NOT NULL AND {where} GROUP BY ff.metric),
            best AS MATERIALIZED (
                SELECT o.metric, o.reports, o.outlets,
                       (SELECT ff.figure_id FROM figure_facts ff WHERE ff.metric = o.metric AND {where}
                        ORDER BY coalesce(ff.confidence, 0) DESC, coalesce(ff.published, '') DESC,
                                 ff.article_id, ff.start LIMIT 1) AS figure_id
                FROM o)
            SELECT fg.figure_id, fg.article_id, fg.value, fg.value_high, fg.unit, fg.counts, fg.raw,
                   fg.metric, fg.approximate, fg.start, fg."end", fg.rule, fg.confidence,
                   a.outlet, a.published, a.title, a.story_id,
                   substr(a.text, fg.sentence_start + 1, fg.sentence_end - fg.sentence_start) AS sentence,
                   best.reports, best.outlets
            FROM best JOIN figures fg ON fg.figure_id = best.figure_id
            JOIN articles a ON a.article_id = fg.article_id
            ORDER BY fg.metric""",
        [*params, *params],
    )


@st.cache_data(**_CACHE)
def _figure_facets(version: str) -> dict:
    con = connection()
    metrics = [r[0] for r in con.execute("SELECT DISTINCT metric FROM figures WHERE metric IS NOT NULL")]
    unknown = con.execute("SELECT EXISTS (SELECT 1 FROM figure_facts WHERE outlet IS NULL)").fetchone()[0]
    return {"metrics": sorted(metrics), "unknown_outlet": bool(unknown)}


def figure_facets() -> dict:
    """What the unfiltered figures contain, without loading them: ``metrics`` (ids present) and
    ``unknown_outlet`` (whether some figure's article has no outlet)."""
    return _figure_facets(_version())


def headline_figures(f: Filters = Filters()) -> pd.DataFrame:
    """The best-supported figure per metric (columns of :func:`figures`) plus ``reports`` (figures of
    that metric) and ``outlets`` (distinct outlets reporting it), for the Overview's cards."""
    return _headline_figures(_version(), f)


RANK_LIMIT = 2000  # searches matching more quotes than this are not ranked (see search_hits)
HITS_LIMIT = 1000  # quotes a search keeps for its cards and the CSV
_QUOTE_COLS = """qt.quote_id, qt.article_id, qt.text, qt.speaker, qt.speaker_desc, qt.start, qt."end",
                 qt.variant_group, qt.confidence, a.outlet, a.published, a.title, a.url,
                 substr(a.text, qt.sentence_start + 1, qt.sentence_end - qt.sentence_start) AS context"""


@dataclass(frozen=True)
class QuoteHits:
    """The quotes a search (or the plain listing) selects, in display order.

    ``frame`` holds only ``quote_id`` and ``variant_group`` (enough to group cards and page
    them); the page fetches full rows for the cards it shows with :func:`quote_rows`.
    ``total`` is the exact number of matching quotes, or None when it is larger than what
    was counted. ``ranked`` says whether the order is bm25 relevance.
    """

    frame: pd.DataFrame
    total: int | None
    ranked: bool


def _hit_source(index: str, where: str, quotes: bool) -> str:
    """FROM clause of a search: the FTS table driving the joins that ``where`` (and, with
    ``quotes``, the select list) need. CROSS JOIN fixes that order: with the quotes table
    outside, SQLite could look each quote up in the FTS index by rowid, which is slow."""
    if where == "1=1" and not quotes:
        return index
    source = f"{index} CROSS JOIN quotes qt ON qt.rowid = {index}.rowid"
    return source if where == "1=1" else source + " CROSS JOIN articles a ON a.article_id = qt.article_id"


_MATCH_PART = re.compile(r'\s*"((?:[^"]|"")*)"(\*?)')


def phrase_terms(phrases: list[str], tokenize: str) -> list[list[str]]:
    """The index terms of each phrase as FTS5 makes them with ``tokenize`` (folded, stemmed)."""
    mem = sqlite3.connect(":memory:")
    try:
        mem.execute(f"CREATE VIRTUAL TABLE m USING fts5(x, tokenize={_sql_str(tokenize)})")
        mem.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'm', 'instance')")
        mem.executemany("INSERT INTO m (rowid, x) VALUES (?, ?)", list(enumerate(phrases)))
        terms: list[list[str]] = [[] for _ in phrases]
        for doc, term in mem.execute('SELECT doc, term FROM temp.v ORDER BY doc, "offset"'):
            terms[doc].append(term)
    finally:
        mem.close()
    return terms


def pair_match(match: str | None, tokenize: str) -> str | None:
    """The quote_pairs_fts query (exodus.store) that finds and scores exactly what ``match`` does
    in quotes_fts, when ``match`` is only quoted phrases of two or more terms; else None (words
    and prefixes are fast in quotes_fts itself)."""
    parts, end = [], 0
    while match and (m := _MATCH_PART.match(match, end)):
        parts.append(m)
        end = m.end()
    if not parts or end != len(match) or any(m.group(2) for m in parts):
        return None
    terms = phrase_terms([m.group(1).replace('""', '"') for m in parts], tokenize)
    if any(len(t) < 2 for t in terms):
        return None
    return " ".join('"' + " ".join(store.term_pairs(t)[:-1]) + '"' for t in terms)


def _search_index(con: sqlite3.Connection, match: str) -> tuple[str, str]:
    """(FTS table, query) to run ``match`` on: phrases on the pairs table when the dataset has it."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'quote_pairs_fts'").fetchone():
        pairs = pair_match(match, fts_tokenizer(con))
        if pairs:
            return "quote_pairs_fts", pairs
    return "quotes_fts", match


def search_hits(con: sqlite3.Connection, match: str | None, where: str = "1=1", params: list | tuple = (),
                rank_limit: int = RANK_LIMIT, limit: int = HITS_LIMIT, articles_only: bool = False) -> QuoteHits:
    """The quotes matching ``match`` (an :func:`fts_query` string) and the WHERE fragment on
    ``qt``/``a``: bm25-ranked when at most ``rank_limit`` quotes match, else in rowid order
    (the order of the source files, then of the quotes in each).

    Why not ``ORDER BY bm25 LIMIT n`` for everything: bm25 must score every match and
    highlight() re-reads every matching row's text before the LIMIT, so a common word matching
    10% of a million quotes took 150 ms. When a search matches that many quotes its
    words are in a large share of them and bm25 says little; the page says the order is not
    relevance and suggests adding words. Deciding costs a rowid scan that stops after
    ``rank_limit + 1`` matches (and gives the unranked ids). bm25 itself has a cost the LIMIT
    does not bound: it scans the whole document list of each query term (or phrase) once to count
    the quotes holding it, for its IDF; that is why a query of very common words is not ranked.
    A query of quoted phrases runs on quote_pairs_fts (:func:`pair_match`: the same quotes and
    scores, without merging the position lists of common words three times).
    Without ``match`` the quotes come oldest first. ``articles_only`` says ``where`` tests only
    the articles (``a``), not the quotes: the listing then walks the articles in list order
    (covering index ``articles_date``) and stops at the LIMIT. SQLite's own choice for an outlet
    looks its articles up by ``articles_outlet`` and sorts all their quotes (at 100k articles:
    52-89 ms vs ~1 ms; a country 234 vs 94 ms; a filter matching nothing costs the whole walk,
    ~11 ms). A quote condition such as the speaker is far faster through its own index (a rare
    speaker 0.3 ms, vs 507 ms walking every article).
    """
    params = list(params)
    if not match:
        ids = con.execute(
            # articles first, in the articles_date index's order, then each one's quotes by
            # (article_id, start): the LIMIT stops the walk, with no sort of every quote
            f"""SELECT qt.rowid FROM articles a {"INDEXED BY articles_date" if articles_only else ""}
                JOIN quotes qt ON qt.article_id = a.article_id WHERE {where}
                ORDER BY coalesce(a.published, '9999'), a.article_id, qt.start LIMIT ?""",
            [*params, limit + 1]).fetchall()
        total, ranked = (len(ids) if len(ids) <= limit else None), False
        ids = [r[0] for r in ids[:limit]]
    else:
        index, match = _search_index(con, match)
        cond = f"{index} MATCH ? AND {where}"
        ids = con.execute(
            f"SELECT {index}.rowid FROM {_hit_source(index, where, quotes=False)} WHERE {cond} LIMIT ?",
            [match, *params, rank_limit + 1]).fetchall()
        if len(ids) <= rank_limit:
            scored = con.execute(
                f"""SELECT qt.quote_id, qt.variant_group, bm25({index})
                    FROM {_hit_source(index, where, quotes=True)} WHERE {cond}""",
                [match, *params]).fetchall()
            scored.sort(key=lambda r: r[2])  # stable: equal scores keep rowid order
            return QuoteHits(_pairs_frame([r[:2] for r in scored[:limit]]), len(scored), True)
        total, ranked = None, False
        ids = [r[0] for r in ids[:limit]]
    pairs = con.execute(
        """SELECT qt.quote_id, qt.variant_group FROM json_each(?) j CROSS JOIN quotes qt ON qt.rowid = j.value
           ORDER BY j.key""", [json.dumps(ids)]).fetchall()
    return QuoteHits(_pairs_frame(pairs), total, ranked)


def _pairs_frame(pairs: list) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["quote_id", "variant_group"], dtype=object)


def fetch_quote_rows(con: sqlite3.Connection, quote_ids: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Full rows (with article fields and the context sentence) of the given quotes, in that order."""
    cur = con.execute(
        f"""SELECT {_QUOTE_COLS} FROM json_each(?) j CROSS JOIN quotes qt ON qt.quote_id = j.value
            JOIN articles a ON a.article_id = qt.article_id ORDER BY j.key""", [json.dumps(list(quote_ids))])
    rows = cur.fetchall()
    return pd.DataFrame(rows, columns=[d[0] for d in cur.description], dtype=object)


def mark_texts(match: str, rows: list[tuple[str, str | None]], tokenize: str) -> list[str]:
    """Each (text, speaker) row's text with the hits of ``match`` wrapped in \\x02 ... \\x03.

    FTS5 highlight() on a throw-away in-memory table with the dataset's tokenizer and the
    same two columns, so the marks are exactly those of highlight() on quotes_fts (a row's
    matches depend only on the row) but cost only the rows shown, not every match.
    """
    mem = sqlite3.connect(":memory:")
    try:
        mem.execute(f"CREATE VIRTUAL TABLE m USING fts5(text, speaker, tokenize={_sql_str(tokenize)})")
        mem.executemany("INSERT INTO m (rowid, text, speaker) VALUES (?, ?, ?)",
                        [(i, text, speaker) for i, (text, speaker) in enumerate(rows)])
        marked = dict(mem.execute("SELECT rowid, highlight(m, 0, char(2), char(3)) FROM m WHERE m MATCH ?", (match,)))
    finally:
        mem.close()
    return [marked.get(i, text) for i, (text, _) in enumerate(rows)]


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def fts_tokenizer(con: sqlite3.Connection) -> str:
    """The tokenize option quotes_fts was created with (FTS5's default when none was given)."""
    row = con.execute("SELECT sql FROM sqlite_master WHERE name = 'quotes_fts'").fetchone()
    m = re.search(r"tokenize\s*=\s*'((?:[^']|'')*)'", row[0] if row else "")
    return m.group(1).replace("''", "'") if m else "unicode61"


def _search_where(f: Filters, speaker: str | None) -> tuple[str, list]:
    where, params = f.sql("a")
    if speaker:
        where, params = where + " AND qt.speaker = ?", [*params, speaker]
    return where, params


@st.cache_data(**_CACHE)
def _quote_hits(version: str, f: Filters, q: str, speaker: str | None, rank_limit: int) -> QuoteHits:
    where, params = _search_where(f, speaker)
    try:
        return search_hits(connection(), fts_query(q), where, params, rank_limit=rank_limit,
                           articles_only=not speaker)
    except (sqlite3.OperationalError, pd.errors.DatabaseError):
        # fts_query already neutralises syntax; this is the last line of defence.
        return QuoteHits(_pairs_frame([]), 0, False)


def quote_hits(f: Filters = Filters(), q: str = "", speaker: str | None = None) -> QuoteHits:
    """Quotes matching the search text (ranked by bm25 when few enough) or all quotes in date order."""
    return _quote_hits(_version(), f, (q or "")[:MAX_QUERY_CHARS], speaker, RANK_LIMIT)


@st.cache_data(**_CACHE)
def _quote_rows(version: str, quote_ids: tuple[str, ...], q: str) -> pd.DataFrame:
    con = connection()
    df = fetch_quote_rows(con, quote_ids)
    match = fts_query(q)
    df["marked"] = df["text"]
    if match and len(df):
        try:
            df["marked"] = mark_texts(match, list(zip(df["text"], df["speaker"])), _tokenizer(version))
        except sqlite3.OperationalError:
            pass  # fts_query already neutralises syntax; unmarked text is the last line of defence
    return df


@st.cache_data(**_CACHE)
def _tokenizer(version: str) -> str:
    return fts_tokenizer(connection())


def quote_rows(quote_ids, q: str = "") -> pd.DataFrame:
    """Full rows of the given quotes in that order; ``marked`` holds the text with the hits of
    search ``q`` wrapped in \\x02 ... \\x03 (control characters that cannot occur in article
    text), for the page to highlight after escaping."""
    return _quote_rows(_version(), tuple(str(i) for i in quote_ids), (q or "")[:MAX_QUERY_CHARS])


@st.cache_data(**_CACHE)
def _quote(version: str, quote_id: str) -> dict | None:
    df = _frame(
        """SELECT qt.quote_id, qt.article_id, qt.text, qt.speaker, qt.speaker_desc, qt.start, qt."end",
                  qt.variant_group, a.outlet, a.published, a.title, a.url,
                  substr(a.text, qt.sentence_start + 1, qt.sentence_end - qt.sentence_start) AS context
           FROM quotes qt JOIN articles a ON a.article_id = qt.article_id WHERE qt.quote_id = ?""",
        (quote_id,),
    )
    return None if df.empty else df.iloc[0].to_dict()


def quote(quote_id: str) -> dict | None:
    return _quote(_version(), quote_id)


@st.cache_data(**_CACHE)
def _skipped(version: str) -> pd.DataFrame:
    return _frame("SELECT file, reason FROM skipped ORDER BY file")


def skipped() -> pd.DataFrame:
    return _skipped(_version())


MAX_VARIANT_GROUPS = 200


@st.cache_data(**_CACHE)
def _variants(version: str, groups: tuple[str, ...]) -> pd.DataFrame:
    marks = ",".join("?" * len(groups))
    return _frame(
        f"""SELECT qt.quote_id, qt.article_id, qt.text, qt.speaker, qt.speaker_desc, qt.start, qt."end",
                   qt.variant_group, a.outlet, a.published, a.title, a.url,
                   substr(a.text, qt.sentence_start + 1, qt.sentence_end - qt.sentence_start) AS context
            FROM quotes qt JOIN articles a ON a.article_id = qt.article_id
            WHERE qt.variant_group IN ({marks})
            ORDER BY qt.variant_group, coalesce(a.published, '9999'), qt.article_id, qt.start""",
        list(groups),
    )


def variants(groups) -> pd.DataFrame:
    """All quotes (any outlet, no filters) of the given variant groups, so a card can show every
    outlet that carried the same words even when only one matched the search or filters."""
    clean = tuple(sorted({g for g in groups if isinstance(g, str) and g}))[:MAX_VARIANT_GROUPS]
    # SQLite allows an empty IN list, and answers it without reading a row (a placeholder group
    # scanned every quote: ~140 ms at 100k articles)
    return _variants(_version(), clean)
