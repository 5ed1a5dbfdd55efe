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
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

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

    def sql(self, alias: str = "a") -> tuple[str, list]:
        """WHERE fragment on the articles table aliased ``alias``."""
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
        if self.country:
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
            """SELECT r.destination_country, coalesce(c.name, r.destination_country), count(*)
               FROM routes r LEFT JOIN places c ON c.place_id = 'country:' || r.destination_country
               GROUP BY r.destination_country ORDER BY count(*) DESC, 2"""
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
    where, params = f.sql("a")
    return _frame(
        f"""SELECT a.article_id, a.file, a.title, a.outlet, a.url, a.published, a.published_basis,
                   a.story_id, a.rewrite_of, a.similarity,
                   a.n_quotes, a.n_figures, a.n_places, a.n_routes
            FROM articles a WHERE {where}
            ORDER BY coalesce(a.published, '9999'), a.article_id""",
        params,
    )


def articles(f: Filters = Filters()) -> pd.DataFrame:
    return _articles(_version(), f)


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
    return _frame(
        f"""SELECT r.route_id, r.article_id, r.article_id || ':' || r.start AS report_key, r.mode, r.person, r.start, r."end", r.rule, r.confidence,
                   r.distance_km, r.destination_country,
                   d.place_id AS dest_id, d.name AS dest_name, d.kind AS dest_kind,
                   d.lat AS dest_lat, d.lon AS dest_lon,
                   o.place_id AS origin_id, o.name AS origin_name, o.country_code AS origin_country,
                   o.lat AS origin_lat, o.lon AS origin_lon,
                   coalesce(c.name, r.destination_country) AS country_name,
                   c.lat AS country_lat, c.lon AS country_lon,
                   a.outlet, a.published, a.title,
                   substr(a.text, r.start + 1, r."end" - r.start) AS evidence
            FROM routes r
            JOIN articles a ON a.article_id = r.article_id
            JOIN places d ON d.place_id = r.destination_place_id
            LEFT JOIN places o ON o.place_id = r.origin_place_id
            LEFT JOIN places c ON c.place_id = 'country:' || r.destination_country
            WHERE {where}
            ORDER BY coalesce(a.published, '9999'), r.article_id, r.start""",
        params,
    )


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
            ORDER BY p.name, a.published""",
        params,
    )


def crossings(f: Filters = Filters()) -> pd.DataFrame:
    return _crossings(_version(), f)


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


@st.cache_data(**_CACHE)
def _destinations(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("a")
    # Same joins as _routes (a route whose destination place is unknown is not counted).
    return _frame(
        f"""SELECT r.destination_country AS code, coalesce(c.name, r.destination_country) AS country,
                   count(DISTINCT r.article_id || ':' || r.start) AS reports,
                   count(DISTINCT r.article_id) AS articles, count(*) AS routes
            FROM routes r
            JOIN articles a ON a.article_id = r.article_id
            JOIN places d ON d.place_id = r.destination_place_id
            LEFT JOIN places c ON c.place_id = 'country:' || r.destination_country
            WHERE {where}
            GROUP BY r.destination_country
            ORDER BY reports DESC, articles DESC, country""",
        params,
    )


def destinations(f: Filters = Filters()) -> pd.DataFrame:
    """Per destination country: code, country (name), reports (evidence sentences), articles and
    routes, most reported first. Aggregated in SQL: the routes frame is ~600k rows at 100k articles."""
    return _destinations(_version(), f)


@st.cache_data(**_CACHE)
def _headline_figures(version: str, f: Filters) -> pd.DataFrame:
    where, params = f.sql("a")
    # Rank inside SQL and cut the article text only for the winners: a row per figure would be
    # ~900k rows (and a substr of every article's text) at 100k articles.
    return _frame(
        f"""WITH m AS (
                SELECT fg.figure_id, fg.metric,
                       count(*) OVER (PARTITION BY fg.metric) AS reports,
                       row_number() OVER (PARTITION BY fg.metric
                           ORDER BY coalesce(fg.confidence, 0) DESC, coalesce(a.published, '') DESC,
                                    fg.article_id, fg.start) AS rank
                FROM figures fg JOIN articles a ON a.article_id = fg.article_id
                WHERE fg.metric IS NOT NULL AND {where}),
            o AS (
                SELECT fg.metric, count(DISTINCT a.outlet) AS outlets
                FROM figures fg JOIN articles a ON a.article_id = fg.article_id
                WHERE fg.metric IS NOT NULL AND {where} GROUP BY fg.metric)
            SELECT fg.figure_id, fg.article_id, fg.value, fg.value_high, fg.unit, fg.counts, fg.raw,
                   fg.metric, fg.approximate, fg.start, fg."end", fg.rule, fg.confidence,
                   a.outlet, a.published, a.title, a.story_id,
                   substr(a.text, fg.sentence_start + 1, fg.sentence_end - fg.sentence_start) AS sentence,
                   m.reports, o.outlets
            FROM m JOIN o ON o.metric = m.metric
            JOIN figures fg ON fg.figure_id = m.figure_id
            JOIN articles a ON a.article_id = fg.article_id
            WHERE m.rank = 1
            ORDER BY fg.metric""",
        [*params, *params],
    )


@st.cache_data(**_CACHE)
def _figure_facets(version: str) -> dict:
    con = connection()
    metrics = [r[0] for r in con.execute("SELECT DISTINCT metric FROM figures WHERE metric IS NOT NULL")]
    unknown = con.execute("SELECT EXISTS (SELECT 1 FROM figures fg JOIN articles a ON a.article_id = fg.article_id "
                          "WHERE a.outlet IS NULL)").fetchone()[0]
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


def _hit_source(where: str, quotes: bool) -> str:
    """FROM clause of a search: the FTS table driving the joins that ``where`` (and, with
    ``quotes``, the select list) need. CROSS JOIN fixes that order: with the quotes table
    outside, SQLite could look each quote up in the FTS index by rowid, which is slow."""
    if where == "1=1" and not quotes:
        return "quotes_fts"
    source = "quotes_fts CROSS JOIN quotes qt ON qt.rowid = quotes_fts.rowid"
    return source if where == "1=1" else source + " CROSS JOIN articles a ON a.article_id = qt.article_id"


def search_hits(con: sqlite3.Connection, match: str | None, where: str = "1=1", params: list | tuple = (),
                rank_limit: int = RANK_LIMIT, limit: int = HITS_LIMIT) -> QuoteHits:
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
    Without ``match`` the quotes come oldest first.
    """
    params = list(params)
    if not match:
        ids = con.execute(
            f"""SELECT qt.rowid FROM quotes qt JOIN articles a ON a.article_id = qt.article_id WHERE {where}
                ORDER BY coalesce(a.published, '9999'), qt.article_id, qt.start LIMIT ?""",
            [*params, limit + 1]).fetchall()
        total, ranked = (len(ids) if len(ids) <= limit else None), False
        ids = [r[0] for r in ids[:limit]]
    else:
        cond = f"quotes_fts MATCH ? AND {where}"
        ids = con.execute(
            f"SELECT quotes_fts.rowid FROM {_hit_source(where, quotes=False)} WHERE {cond} LIMIT ?",
            [match, *params, rank_limit + 1]).fetchall()
        if len(ids) <= rank_limit:
            scored = con.execute(
                f"""SELECT qt.quote_id, qt.variant_group, bm25(quotes_fts)
                    FROM {_hit_source(where, quotes=True)} WHERE {cond}""",
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
        return search_hits(connection(), fts_query(q), where, params, rank_limit=rank_limit)
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
    return _variants(_version(), clean or ("",))
