"""The dataset file: schema, deterministic ids and the atomic write.

Nothing else in the data layer knows SQL on the write side. The schema is the
contract in docs/DATA_CONTRACT.md (columns beyond it are extensions).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from exodus.model import Extraction, Place, Skipped

# 2: summary tables (write_summaries); 3: columns in figure_articles and route_countries; 4: routes'
# summaries order by an integer rank (first_rank) instead of a 70-byte key, indexes for Routes' groups;
# 5: quote_pairs_fts (quoted phrases searched as adjacent term pairs); 6: country_sets and the
# summaries' country_set (a country filter tests a small integer set, not a list of article ids)
SCHEMA_VERSION = 6

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE articles (
    article_id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    url TEXT,
    published TEXT,
    published_basis TEXT,
    text TEXT NOT NULL,
    source_format TEXT,
    encoding TEXT,
    story_id TEXT,          -- articles that are copies/rewrites of one story share it
    rewrite_of TEXT,        -- article_id of the earliest article of the story, NULL for that one
    similarity REAL,        -- shingle containment with rewrite_of
    n_quotes INTEGER, n_figures INTEGER, n_places INTEGER, n_routes INTEGER
);
CREATE TABLE people (
    article_id TEXT NOT NULL,
    canonical TEXT NOT NULL,
    kind TEXT,
    aliases TEXT,           -- JSON list
    n_mentions INTEGER,
    PRIMARY KEY (article_id, canonical)
);
CREATE TABLE quotes (
    quote_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_desc TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence_start INTEGER,
    sentence_end INTEGER,
    rule TEXT,
    confidence REAL,
    variant_group TEXT      -- quotes of the same words across articles share it
);
CREATE TABLE figures (
    figure_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    value REAL NOT NULL,
    value_high REAL,
    unit TEXT NOT NULL,
    counts TEXT,
    raw TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence_start INTEGER,
    sentence_end INTEGER,
    approximate INTEGER,
    kind TEXT,
    metric TEXT,            -- catalogue metric id (exodus/metrics.py), NULL when none applies
    rule TEXT,
    confidence REAL
);
CREATE TABLE places (
    place_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country_code TEXT,
    kind TEXT,
    lat REAL,
    lon REAL
);
CREATE TABLE place_mentions (
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    place_id TEXT NOT NULL REFERENCES places(place_id),
    surface TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE TABLE routes (
    route_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    origin_place_id TEXT REFERENCES places(place_id),
    destination_place_id TEXT NOT NULL REFERENCES places(place_id),
    destination_country TEXT,
    mode TEXT,
    person TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    destination_start INTEGER,
    destination_end INTEGER,
    distance_km REAL,       -- geodesic origin -> destination, NULL without an origin
    rule TEXT,
    confidence REAL
);
CREATE TABLE skipped (file TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX quotes_article ON quotes(article_id, start);
CREATE INDEX quotes_speaker ON quotes(speaker);
-- a card's other reports of the same words: few quotes have a group, so the index is small
CREATE INDEX quotes_variant ON quotes(variant_group) WHERE variant_group IS NOT NULL;
CREATE INDEX figures_article ON figures(article_id);
CREATE INDEX figures_metric ON figures(metric);
CREATE INDEX routes_article ON routes(article_id);
CREATE INDEX routes_country ON routes(destination_country);
CREATE INDEX mentions_article ON place_mentions(article_id);
CREATE INDEX articles_outlet ON articles(outlet, published);
CREATE INDEX articles_story ON articles(story_id);
-- the quote list's default order (undated last): read in index order, stop at the page. Also
-- covers the app's article list (components.data.articles), so that list never reads the rows:
-- their text spills to overflow pages, and the columns after it cost a read of all of them
-- (~520 MB at 100k articles, x2.8 warm and far more from a cold disk)
CREATE INDEX articles_date ON articles(coalesce(published, '9999'), article_id, file, title, outlet, url,
                                       published, published_basis, story_id, rewrite_of, similarity,
                                       n_quotes, n_figures, n_places, n_routes);
-- Per-article summaries of the routes (derived: see write_summaries)
CREATE TABLE route_countries (
    article_id TEXT NOT NULL,
    destination_country TEXT,
    outlet TEXT,
    published TEXT,
    reports INTEGER,        -- evidence sentences (distinct starts) of this article and country
    sentences INTEGER,      -- distinct (start, end) spans
    routes INTEGER,
    land INTEGER, air INTEGER, unknown INTEGER,  -- 1 when a route of that mode exists
    first_rank INTEGER,     -- ROUTE_KEY rank of the article's first route to the country
    first_destination TEXT, -- that route's destination place
    first_of_article INTEGER, -- 1 on the article's first row: a view's articles are summed, not counted DISTINCT
    country_set INTEGER     -- the article's destination countries (country_sets), NULL when none
);
CREATE TABLE route_flows (
    article_id TEXT NOT NULL,
    origin_key TEXT NOT NULL,  -- the origin place when it has a point, else '__unstated__'
    destination_country TEXT,
    mode_key TEXT NOT NULL,    -- land, air or unknown
    outlet TEXT,
    published TEXT,
    reports INTEGER,
    routes INTEGER,
    first_rank INTEGER,        -- ROUTE_KEY rank of the article's first route of this flow
    first_origin TEXT,
    first_destination TEXT,
    country_set INTEGER
);
CREATE TABLE route_journeys (
    article_id TEXT NOT NULL,
    person TEXT NOT NULL,
    origin_place_id TEXT,
    destination_place_id TEXT NOT NULL,
    destination_country TEXT,
    outlet TEXT,
    published TEXT,
    routes INTEGER,
    first_rank INTEGER,        -- ROUTE_KEY rank of the article's first route on this path
    first_route TEXT,          -- that route's route_id
    country_set INTEGER
);
-- every figure with its article's outlet, date and story (derived: see write_summaries)
CREATE TABLE figure_facts (
    figure_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    metric TEXT,
    unit TEXT,
    value REAL,
    value_high REAL,
    confidence REAL,
    start INTEGER,
    outlet TEXT,
    published TEXT,
    story_id TEXT,
    shared_story INTEGER,      -- 1 when the story has 2+ articles (only those can disagree)
    country_set INTEGER
);
-- figures per article, metric and unit (derived: see write_summaries)
CREATE TABLE figure_articles (
    article_id TEXT NOT NULL,
    metric TEXT,
    unit TEXT,
    n INTEGER,                 -- figures
    lo REAL,                   -- lowest value
    hi REAL,                   -- highest value or upper bound
    outlet TEXT,
    published TEXT,
    -- what tells reports of one story or month apart (Numbers' "reports that differ", summed over
    -- articles instead of read per figure)
    vmax REAL,                 -- highest value
    hmin REAL,                 -- lowest upper bound (NULL: none has one)
    hmax REAL,                 -- highest upper bound
    nhigh INTEGER,             -- figures with an upper bound
    story_id TEXT,
    shared_story INTEGER,      -- 1 when the story has 2+ articles
    period TEXT,               -- 'YYYY-MM' of a valid 'YYYY-MM-DD' date, else NULL (charts.prepare's month)
    -- 1 on the first row of the article / of the article and metric: a view's articles are summed,
    -- not counted DISTINCT (a sort of every row)
    first_of_article INTEGER,
    first_of_metric INTEGER,
    country_set INTEGER
);
-- every mention of a border crossing, with its article's outlet and date and the figures reported
-- in its sentence (derived: see write_summaries)
CREATE TABLE crossing_mentions (
    article_id TEXT NOT NULL,
    place_id TEXT NOT NULL,
    start INTEGER,
    "end" INTEGER,
    outlet TEXT,
    published TEXT,
    figures_here TEXT,         -- the figures in the same sentence ('raw (unit)', semicolon-separated), or NULL
    country_set INTEGER
);
-- The distinct sets of destination countries that articles report, numbered; each summary row
-- carries its article's set (country_set). A country filter tests that small integer against the
-- sets holding the country instead of the article id against every article reporting it (the
-- summaries' rows are read at ~3x the speed at 100k articles).
CREATE TABLE country_sets (
    set_id INTEGER NOT NULL,
    country TEXT NOT NULL,
    PRIMARY KEY (country, set_id)
) WITHOUT ROWID;
-- the Overview's best-supported figure per metric: the first of an index walk
CREATE INDEX figure_facts_best ON figure_facts(metric, coalesce(confidence, 0) DESC, coalesce(published, '') DESC,
                                               article_id, start) WHERE metric IS NOT NULL;
-- Numbers' tables: a view's first rows in table order (metric, date, undated last, outlet, position)
-- are the first entries of a walk per metric, not a sort of every figure (x100 at 100k articles)
CREATE INDEX figure_facts_table ON figure_facts(metric, published IS NULL, published, outlet IS NULL, outlet, start);
-- Numbers' counts per metric, unit and outlet: a covering index read in group order, no sort of
-- every row (x3 at 100k articles)
CREATE INDEX figure_articles_groups ON figure_articles(metric, unit, outlet, published, n, lo, hi, article_id,
                                                       country_set);
-- Numbers' reports that differ: the month groups read in group order, no sort (x4 at 100k articles)
-- (article_id last: a country filter's list of articles would otherwise be searched once per article)
CREATE INDEX figure_articles_periods ON figure_articles(metric, unit, period, n, lo, vmax, hmin, hmax, nhigh,
                                                       story_id, outlet, published, article_id, country_set)
    WHERE metric IS NOT NULL AND period IS NOT NULL;
CREATE INDEX route_countries_first ON route_countries(destination_country, first_rank);
-- Routes' destinations: per-country sums and the people per country read in group order from
-- covering indexes (filter columns included), no sort of every row (x2.7 at 100k articles)
CREATE INDEX route_countries_destinations ON route_countries(destination_country, reports, land, air, unknown,
                                                             published, routes, sentences, outlet, article_id,
                                                             country_set);
-- Routes' named journeys: paths (person, origin, destination, with the country, which follows from the destination)
-- and people per country read in group order, no sort of every row (x6 at 100k articles)
CREATE INDEX route_journeys_paths ON route_journeys(person, destination_country, origin_place_id,
                                                    destination_place_id, first_rank, routes, outlet, published,
                                                    article_id, country_set);
-- a flow's newest articles (its hover's sources): an index walk per flow. With the columns after
-- article_id, also the flows' counts in group order, no sort of every row (x6 at 100k articles)
CREATE INDEX route_flows_newest ON route_flows(origin_key, destination_country, mode_key,
                                               published IS NULL, published DESC, article_id,
                                               first_rank, reports, outlet, country_set);
-- a border crossing's newest articles (its sources): an index walk per crossing
CREATE INDEX crossing_mentions_newest ON crossing_mentions(place_id, published IS NULL, published DESC,
                                                           article_id, outlet, country_set);
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, speaker, content='quotes', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2'
);
-- A quoted phrase of common words is slow in quotes_fts (FTS5 merges the position lists of words
-- found in most quotes). Here each position of a quote's text and speaker holds the quotes_fts term
-- there joined to the next one ("left_the", "the_war", "war_" for the last), so a phrase of n terms
-- is n-1 adjacent tokens, each in few quotes. Every column has as many tokens as in quotes_fts, so
-- bm25 scores are the same. Contentless: filled from quotes_fts by write_search_index.
CREATE VIRTUAL TABLE quote_pairs_fts USING fts5(
    text, speaker, content='', tokenize="unicode61 remove_diacritics 0 tokenchars '_'"
);
"""
# Joins a quotes_fts term to the next in quote_pairs_fts: a token character there, never in a term
# of quotes_fts (its unicode61 tokenizer splits words at "_").
PAIR_JOIN = "_"


# The tables write_summaries derives from routes, figures, articles and places.
SUMMARY_TABLES = ("route_countries", "route_flows", "route_journeys", "figure_facts", "figure_articles",
                  "crossing_mentions", "country_sets")
# A route's position in route order (date, undated last; article; start; end; id) as one string:
# char(1) sorts below any text, so comparing these strings compares the tuples. The summaries keep
# its rank among the routes (an integer: 70 bytes less per row and index entry).
ROUTE_KEY = ("coalesce(a.published, '9999') || char(1) || r.article_id || char(1) || printf('%012d', r.start)"
             " || char(1) || printf('%012d', r.\"end\") || char(1) || r.route_id")
MODE_KEY = "CASE WHEN trim(r.mode) IN ('land', 'air') THEN trim(r.mode) ELSE 'unknown' END"
ORIGIN_STATED = "(o.place_id IS NOT NULL AND o.lat IS NOT NULL AND o.lon IS NOT NULL)"
# Routes whose destination place is in the places table, with their article and origin.
_ROUTES_PLACED = """FROM routes r JOIN articles a ON a.article_id = r.article_id
                    JOIN places d ON d.place_id = r.destination_place_id
                    LEFT JOIN places o ON o.place_id = r.origin_place_id"""
_ROUTES_RANKED = _ROUTES_PLACED + " JOIN temp.route_order k ON k.route_rowid = r.rowid"


# A summary row's country set: its article's row of temp.article_sets (none: NULL).
_ARTICLE_SET = "LEFT JOIN temp.article_sets cs ON cs.article_id = {0}.article_id"


def _write_country_sets(con: sqlite3.Connection) -> None:
    """Number the distinct sets of destination countries that articles report (every route counts,
    as in the filter's definition: an article reporting people going to the country), fill
    country_sets, and keep each article's set in temp.article_sets for the summaries."""
    con.execute("DROP TABLE IF EXISTS temp.article_sets")
    con.execute("CREATE TEMP TABLE article_sets (article_id TEXT PRIMARY KEY, countries TEXT, set_id INTEGER)")
    con.execute(
        """INSERT INTO temp.article_sets (article_id, countries)
           SELECT article_id, json_group_array(destination_country) FROM (
               SELECT DISTINCT article_id, destination_country FROM routes
               WHERE destination_country IS NOT NULL ORDER BY article_id, destination_country)
           GROUP BY article_id""")
    con.execute(
        """WITH numbered AS (SELECT countries, row_number() OVER (ORDER BY countries) AS set_id
                             FROM (SELECT DISTINCT countries FROM temp.article_sets))
           UPDATE temp.article_sets SET set_id = numbered.set_id FROM numbered
           WHERE numbered.countries = article_sets.countries""")
    con.execute(
        """INSERT INTO country_sets (set_id, country)
           SELECT DISTINCT s.set_id, j.value FROM temp.article_sets s, json_each(s.countries) j""")


def write_summaries(con: sqlite3.Connection) -> None:
    """(Re)fill the summary tables from routes, figures, articles and places (after linking: they
    copy story ids).

    The app's aggregates read these (a row per article and destination, general flow, named
    person's path, or figure metric and unit; every figure, and every border crossing mention with
    the figures of its sentence, with its article's outlet and date) instead of joining every route
    or figure to its article: at 100k articles those joins and their distinct counts cost seconds
    per view (docs/PERFORMANCE.md). Counts here are per article, so they add up over any filter on
    outlet, date or article. Each group's bare ``first_*`` columns come from its first route:
    SQLite takes bare columns from the row of the single min() of the query."""
    # Their indexes are dropped while they fill and built once at the end, like the base
    # tables' after the bulk insert: faster, and compact (no half-full pages from inserts).
    indexes = _summary_indexes()
    for _, name in indexes:
        con.execute(f'DROP INDEX IF EXISTS "{name}"')
    for table in SUMMARY_TABLES:
        con.execute(f"DELETE FROM {table}")
    con.execute("DROP TABLE IF EXISTS temp.route_order")
    con.execute("CREATE TEMP TABLE route_order (route_rowid INTEGER PRIMARY KEY, route_rank INTEGER)")
    con.execute(f"INSERT INTO temp.route_order SELECT r.rowid, row_number() OVER (ORDER BY {ROUTE_KEY}) {_ROUTES_PLACED}")
    _write_country_sets(con)
    con.execute(
        f"""INSERT INTO route_countries
            SELECT r.article_id, r.destination_country, a.outlet, a.published,
                   count(DISTINCT r.start), count(DISTINCT r.start || ',' || r."end"), count(*),
                   total({MODE_KEY} = 'land') > 0, total({MODE_KEY} = 'air') > 0,
                   total({MODE_KEY} = 'unknown') > 0,
                   min(k.route_rank), r.destination_place_id,
                   row_number() OVER (PARTITION BY r.article_id ORDER BY r.destination_country) = 1, cs.set_id
            {_ROUTES_RANKED} {_ARTICLE_SET.format("r")}
            GROUP BY r.article_id, r.destination_country""")
    con.execute(
        f"""INSERT INTO route_flows
            SELECT r.article_id, CASE WHEN {ORIGIN_STATED} THEN o.place_id ELSE '__unstated__' END,
                   r.destination_country, {MODE_KEY}, a.outlet, a.published,
                   count(DISTINCT r.start), count(*),
                   min(k.route_rank), r.origin_place_id, r.destination_place_id, cs.set_id
            {_ROUTES_RANKED} {_ARTICLE_SET.format("r")}
            WHERE r.person IS NULL
            GROUP BY r.article_id, 2, r.destination_country, 4""")
    con.execute(
        f"""INSERT INTO route_journeys
            SELECT r.article_id, r.person, r.origin_place_id, r.destination_place_id, r.destination_country,
                   a.outlet, a.published, count(*), min(k.route_rank), r.route_id, cs.set_id
            {_ROUTES_RANKED} {_ARTICLE_SET.format("r")}
            WHERE r.person IS NOT NULL
            GROUP BY r.article_id, r.person, r.origin_place_id, r.destination_place_id""")
    con.execute(
        f"""WITH shared AS (SELECT story_id FROM articles WHERE story_id IS NOT NULL
                            GROUP BY story_id HAVING count(*) > 1)
            INSERT INTO figure_facts
            SELECT fg.figure_id, fg.article_id, fg.metric, fg.unit, fg.value, fg.value_high, fg.confidence,
                   fg.start, a.outlet, a.published, a.story_id, a.story_id IN shared, cs.set_id
            FROM figures fg JOIN articles a ON a.article_id = fg.article_id {_ARTICLE_SET.format("fg")}
            ORDER BY fg.rowid""")
    con.execute(
        """INSERT INTO figure_articles
           SELECT article_id, metric, unit, count(*), min(value), max(max(value, coalesce(value_high, value))),
                  outlet, published, max(value), min(value_high), max(value_high), count(value_high),
                  story_id, shared_story,
                  CASE WHEN date(published) = published THEN substr(published, 1, 7) END,
                  row_number() OVER (PARTITION BY article_id ORDER BY metric, unit) = 1,
                  row_number() OVER (PARTITION BY article_id, metric ORDER BY unit) = 1,
                  country_set  -- the same on every row of an article
           FROM figure_facts GROUP BY article_id, metric, unit ORDER BY article_id, metric, unit""")
    con.execute(
        f"""INSERT INTO crossing_mentions
            SELECT m.article_id, m.place_id, m.start, m."end", a.outlet, a.published,
                   (SELECT trim(group_concat(fg.raw || ' (' || fg.unit || ')', '; ')) FROM figures fg
                     WHERE fg.article_id = m.article_id AND fg.sentence_start <= m.start
                       AND fg.sentence_end >= m."end"),
                   cs.set_id
            FROM place_mentions m
            JOIN places p ON p.place_id = m.place_id AND p.kind = 'border_crossing'
            JOIN articles a ON a.article_id = m.article_id {_ARTICLE_SET.format("m")}
            ORDER BY m.rowid""")
    con.execute("DROP TABLE temp.route_order")
    con.execute("DROP TABLE temp.article_sets")
    for statement, _ in indexes:
        con.execute(statement)


def term_pairs(terms: list[str]) -> list[str]:
    """Each term joined to the next (the last to nothing): the tokens of quote_pairs_fts."""
    return [a + PAIR_JOIN + b for a, b in zip(terms, [*terms[1:], ""])]


def write_search_index(con: sqlite3.Connection) -> None:
    """(Re)build quotes_fts from the quotes, then quote_pairs_fts from it (they must agree: call
    this, not FTS5's rebuild alone, after changing quotes)."""
    con.execute("INSERT INTO quotes_fts(quotes_fts) VALUES('rebuild')")
    _write_quote_pairs(con)


def _write_quote_pairs(con: sqlite3.Connection, batch: int = 10_000) -> None:
    """Fill quote_pairs_fts from the terms quotes_fts holds, so both have exactly the same tokens:
    read from FTS5's own instance vocabulary, in quote and position order. Every quote gets a row,
    one without a single term too: bm25 counts the rows (IDF, average length)."""
    con.execute("INSERT INTO quote_pairs_fts(quote_pairs_fts) VALUES('delete-all')")
    con.execute("DROP TABLE IF EXISTS temp.quote_terms")
    con.execute("CREATE VIRTUAL TABLE temp.quote_terms USING fts5vocab(main, 'quotes_fts', 'instance')")
    terms = groupby(con.execute("SELECT doc, col, term FROM temp.quote_terms ORDER BY doc, col, \"offset\""),
                    key=itemgetter(0))
    insert = "INSERT INTO quote_pairs_fts (rowid, text, speaker) VALUES (?, ?, ?)"
    rows: list[tuple] = []
    doc, instances = next(terms, (None, ()))
    for (rowid,) in con.execute("SELECT rowid FROM quotes ORDER BY rowid"):
        cols: dict[str, list[str]] = {}
        if rowid == doc:
            for _, col, term in instances:
                cols.setdefault(col, []).append(term)
            doc, instances = next(terms, (None, ()))
        rows.append((rowid, *(" ".join(term_pairs(cols[c])) if c in cols else None for c in ("text", "speaker"))))
        if len(rows) >= batch:
            con.executemany(insert, rows)
            rows = []
    con.executemany(insert, rows)
    con.execute("DROP TABLE temp.quote_terms")


@dataclass(frozen=True)
class ArticleLinks:
    """What linking found for one article."""

    story_id: str
    rewrite_of: str | None
    similarity: float | None


def article_id_candidates(file: str) -> tuple[str, str]:
    """The two ids ``article_id_for`` can give a file: its readable base, and the base with a
    hash of the file name for when another file already took the base."""
    stem = Path(file).stem
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:60] or "article"
    return base, f"{base}-{hashlib.sha1(file.encode()).hexdigest()[:6]}"


def article_id_for(file: str, taken: set[str]) -> str:
    """A readable, stable id from the file name (deep links survive rebuilds)."""
    base, hashed = article_id_candidates(file)
    return hashed if base in taken else base


def item_id(prefix: str, article_id: str, start: int, end: int, extra: str = "") -> str:
    digest = hashlib.sha1(f"{article_id}:{start}:{end}:{extra}".encode()).hexdigest()
    return f"{prefix}{digest[:11]}"


@dataclass(frozen=True)
class ArticleRows:
    """One article as rows ready for ``executemany`` (plain tuples: cheap to pickle from a worker).

    ``places`` are the places table rows the article refers to (mentions and routes);
    ``mention_places`` the ids of the places it mentions (the summary counts those).
    Links and quote variant groups are cross-article, so they are left at their
    defaults here (own story, no variant group) and set by ``DatasetWriter.finish``.
    """

    article: tuple
    people: list[tuple]
    quotes: list[tuple]
    figures: list[tuple]
    mentions: list[tuple]
    routes: list[tuple]
    places: list[tuple]
    mention_places: frozenset[str]


def article_rows(
    aid: str,
    ex: Extraction,
    metrics: dict[str, str | None],
    distances: dict[str, float | None],
    link: ArticleLinks | None = None,
    variant_groups: dict[str, str] | None = None,
    spans: list[tuple[int, int]] | None = None,
) -> ArticleRows:
    """The rows of one extraction (``metrics``/``distances`` keyed by figure/route id;
    ``spans`` are the text's sentences when the caller has them already)."""
    a = ex.article
    variant_groups = variant_groups or {}
    mention_places = frozenset(m.place.place_id for m in ex.places)
    article = (
        aid, a.file, a.title, a.outlet, a.url, a.published, a.published_basis, a.text,
        a.source_format, a.encoding,
        link.story_id if link else aid, link.rewrite_of if link else None,
        link.similarity if link else None,
        len(ex.quotes), len(ex.figures), len(mention_places), len(ex.routes),
    )
    people = [(aid, p.canonical, p.kind, json.dumps(list(p.aliases), ensure_ascii=False), len(p.mentions))
              for p in ex.people]
    quotes = [
        (qid, aid, q.text, q.speaker, q.speaker_desc, q.start, q.end, ss, se, q.rule,
         round(q.confidence, 3), variant_groups.get(qid))
        for qid, q, (ss, se) in _with_ids("q", aid, ex.quotes, a.text, spans)
    ]
    figures = [
        (fid, aid, f.value, f.value_high, f.unit, f.counts, f.raw, f.start, f.end, ss, se,
         int(f.approximate), f.kind, metrics.get(fid), f.rule, round(f.confidence, 3))
        for fid, f, (ss, se) in _with_ids("f", aid, ex.figures, a.text, spans)
    ]
    places: dict[str, Place] = {m.place.place_id: m.place for m in ex.places}
    mentions = [(aid, m.place.place_id, m.surface, m.start, m.end) for m in ex.places]
    routes = []
    for r in ex.routes:
        rid = route_id_for(aid, r)
        places[r.destination.place_id] = r.destination
        if r.origin:
            places[r.origin.place_id] = r.origin
        routes.append(
            (rid, aid, r.origin.place_id if r.origin else None, r.destination.place_id,
             r.destination.country_code, r.mode, r.person, r.start, r.end,
             r.destination_start, r.destination_end, distances.get(rid), r.rule, round(r.confidence, 3))
        )
    place_rows = [(p.place_id, p.name, p.country_code, p.kind, p.lat, p.lon) for p in places.values()]
    return ArticleRows(article, people, quotes, figures, mentions, routes, place_rows, mention_places)


def _statements(script: str) -> list[str]:
    """The statements of an SQL script, split where SQLite itself says one is complete, so a ';'
    inside a comment or a string does not end a statement."""
    out, buf = [], ""
    *pieces, tail = script.split(";")
    for piece in pieces:
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if _code(buf + tail).strip():
        raise ValueError(f"unterminated SQL statement: {(buf + tail).strip()[:80]!r}")
    return out


def _code(statement: str) -> str:
    """A statement without its leading comments (the schema comments each index)."""
    return re.sub(r"\A(?:\s*(?:--[^\n]*(?:\n|\Z)|/\*.*?\*/))*\s*", "", statement, flags=re.DOTALL)


def _index_target(statement: str) -> tuple[str, str] | None:
    """(index, table) of a CREATE INDEX statement, or None for any other statement."""
    m = re.match(r'CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\.)?"?(\w+)"?\s+ON\s+"?(\w+)"?',
                 _code(statement), re.IGNORECASE)
    return (m.group(1), m.group(2)) if m else None


@cache
def _summary_indexes() -> tuple[tuple[str, str], ...]:
    """(CREATE INDEX statement, index name) of each index SCHEMA declares on a summary table."""
    return tuple((st, target[0]) for st in _statements(SCHEMA)
                 if (target := _index_target(st)) and target[1] in SUMMARY_TABLES)


def _split_schema(schema: str) -> tuple[str, list[str]]:
    """(tables, indexes): secondary indexes are built once after the bulk insert,
    which is faster than keeping them up to date row by row and leaves them compact."""
    statements = _statements(schema)
    indexes = [st for st in statements if _index_target(st)]
    tables = [st for st in statements if st not in indexes]
    return "\n".join(tables), indexes


class DatasetWriter:
    """Streams a dataset into a temporary file beside ``output``; ``finish`` moves it into place.

    Usage: ``with DatasetWriter(out) as w: w.add(rows) ...; w.finish(...)``. Leaving the
    block without ``finish`` (an exception) deletes the temporary file, and a SIGKILL
    leaves at most a temporary that the next build removes: ``output`` is only ever
    replaced by a complete file (``os.replace``).
    """

    def __init__(self, output: Path) -> None:
        self.output = Path(output)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.output)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.output.name}.", suffix=".tmp", dir=self.output.parent)
        os.close(fd)
        self.tmp = Path(tmp_name)
        self._finished = False
        try:
            self.con = sqlite3.connect(self.tmp, isolation_level=None)
            self.con.execute("PRAGMA journal_mode=OFF")
            self.con.execute("PRAGMA synchronous=OFF")
            tables, self._indexes = _split_schema(SCHEMA)
            self.con.executescript(tables)
            self.con.execute("BEGIN")  # one transaction for the whole build
        except BaseException:
            self.abort()
            raise

    def __enter__(self) -> "DatasetWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._finished:
            self.abort()

    def add(self, rows: ArticleRows) -> None:
        con = self.con
        con.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows.article)
        con.executemany("INSERT OR IGNORE INTO people VALUES (?,?,?,?,?)", rows.people)
        con.executemany("INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows.quotes)
        con.executemany("INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows.figures)
        con.executemany("INSERT INTO place_mentions VALUES (?,?,?,?,?)", rows.mentions)
        con.executemany("INSERT OR IGNORE INTO routes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows.routes)

    def quote_texts(self, rowids: list[int]) -> dict[int, tuple[str, str]]:
        """(quote id, text) of quotes by rowid, for variant checks. A fresh table that is only
        inserted into numbers its rows 1, 2, ... in insert order."""
        out: dict[int, tuple[str, str]] = {}
        for i in range(0, len(rowids), 500):
            chunk = rowids[i:i + 500]
            sql = f"SELECT rowid, quote_id, text FROM quotes WHERE rowid IN ({','.join('?' * len(chunk))})"
            out.update((r, (q, t)) for r, q, t in self.con.execute(sql, chunk))
        return out

    def finish(
        self,
        places: Iterable[tuple],
        skipped: Iterable[Skipped],
        meta: dict[str, str],
        links: dict[str, ArticleLinks] | None = None,
        variant_groups: dict[str, str] | None = None,
        vacuum: bool = False,
    ) -> None:
        """Write the cross-article parts, index, commit and move the file into place."""
        con = self.con
        meta = {"schema_version": str(SCHEMA_VERSION), **meta}
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?)", sorted(places))
        con.executemany("INSERT INTO skipped VALUES (?, ?)", [(s.file, s.reason) for s in skipped])
        con.executemany(
            "UPDATE articles SET story_id = ?, rewrite_of = ?, similarity = ? WHERE article_id = ?",
            [(ln.story_id, ln.rewrite_of, ln.similarity, aid) for aid, ln in sorted((links or {}).items())],
        )
        con.executemany("UPDATE quotes SET variant_group = ? WHERE quote_id = ?",
                        [(g, q) for q, g in sorted((variant_groups or {}).items())])
        built_later = {st for st, _ in _summary_indexes()}  # by write_summaries, once its tables are filled
        for statement in self._indexes:  # not executescript: it would commit first
            if statement not in built_later:
                con.execute(statement)
        write_summaries(con)
        write_search_index(con)
        con.execute("COMMIT")
        if vacuum:
            con.execute("VACUUM")
        con.close()
        with open(self.tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(self.tmp, self.output)
        self._finished = True
        _fsync_dir(self.output.parent)

    def abort(self) -> None:
        try:
            con = getattr(self, "con", None)
            if con is not None:
                con.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def write_dataset(
    output: Path,
    extractions: list[tuple[str, Extraction]],
    links: dict[str, ArticleLinks],
    variant_groups: dict[str, str],
    metrics: dict[str, str | None],
    distances: dict[str, float | None],
    skipped: Iterable[Skipped],
    meta: dict[str, str],
) -> None:
    """Write the whole dataset to ``output`` atomically (everything in memory; the build streams
    through ``DatasetWriter`` instead).

    ``extractions`` pairs each article id with its extraction; ``variant_groups``
    maps quote ids, ``metrics`` figure ids and ``distances`` route ids to their
    derived values. The file is built under a temporary name beside ``output``
    and moved into place only when complete, so an interrupted build leaves the
    previous file untouched.
    """
    with DatasetWriter(output) as writer:
        places = _insert_all(writer, extractions, links, variant_groups, metrics, distances)
        writer.finish(places, skipped, meta)


def remove_stale_temporaries(output: Path) -> None:
    """Temporaries left by a killed build (SIGKILL skips our cleanup)."""
    for stale in output.parent.glob(f".{output.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _insert_all(writer: DatasetWriter, extractions, links, variant_groups, metrics, distances) -> list[tuple]:
    """Insert every article's rows; returns the places table rows."""
    places: dict[str, tuple] = {}
    for aid, ex in extractions:
        rows = article_rows(aid, ex, metrics, distances, links.get(aid), variant_groups)
        writer.add(rows)
        places.update((p[0], p) for p in rows.places)
    return list(places.values())


def _with_ids(prefix: str, aid: str, items, text: str, spans: list[tuple[int, int]] | None = None):
    """Items with deterministic ids and the sentence around each (for context display)."""
    from exodus.text import sentence_at, sentences

    if not items:
        return
    if spans is None:
        spans = sentences(text)
    for it in items:
        sent = sentence_at(spans, it.start) or (it.start, it.end)
        end_sent = sentence_at(spans, max(it.end - 1, it.start)) or sent
        yield item_id(prefix, aid, it.start, it.end), it, (sent[0], max(sent[1], end_sent[1]))


def route_id_for(article_id: str, route) -> str:
    return item_id("r", article_id, route.start, route.end, route.destination.place_id + (route.person or ""))


def quote_id_for(article_id: str, quote) -> str:
    return item_id("q", article_id, quote.start, quote.end)


def figure_id_for(article_id: str, figure) -> str:
    return item_id("f", article_id, figure.start, figure.end)
