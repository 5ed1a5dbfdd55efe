"""Search text never reaches FTS5 as syntax: fts_query on any text gives None or a query SQLite accepts.

The query runs against a real FTS5 index (the sample dataset, written through the
real store), parameterised, in the same shape as components.data's quote search.
"""
from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.data import MAX_QUERY_CHARS, fts_query
from tests.fixtures.sample_dataset import make_sample_dataset

HOSTILE = [
    "'; DROP TABLE quotes;--",
    "NEAR(",
    "NEAR(summons border, 2)",
    "NEAR(summons",
    '"unbalanced',
    '"',
    '""',
    '"" ""',
    '"a" "',
    "text:summons",
    "speaker:Petrov",
    "{text speaker}:summons",
    "-summons",
    "^summons",
    "*",
    "summons*",
    "* *",
    "AND",
    "OR",
    "NOT",
    "summons AND OR NOT border",
    "summons + border",
    "(summons OR",
    ")",
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[x](javascript:alert(1))",
    "it's",
    "it’s",
    "'quoted'",
    "don''t",
    "\x00",
    "\x02marked\x03",
    "\u202e",
    "ﬁle ＡＢＣ ǅ",
    "Мобилизация повестка",
    "中文 搜索",
    "🙂" * 100,
    "a" * 10_000,
    "summons " * 2_000,
    '"' * 10_000,
    "NEAR(" * 2_000,
    "x:" * 5_000,
]

QUERY = """SELECT qt.quote_id, highlight(quotes_fts, 0, char(2), char(3)), bm25(quotes_fts)
           FROM quotes_fts JOIN quotes qt ON qt.rowid = quotes_fts.rowid
           WHERE quotes_fts MATCH ? ORDER BY bm25(quotes_fts) LIMIT 50"""


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    db = make_sample_dataset(tmp_path_factory.mktemp("fts") / "sample.sqlite")
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert c.execute("SELECT count(*) FROM quotes_fts").fetchone()[0] > 0
    yield c
    c.close()


def _accepted(con: sqlite3.Connection, text: str) -> list:
    match = fts_query(text)
    if match is None:
        return []
    assert isinstance(match, str) and match.strip()
    try:
        return con.execute(QUERY, (match,)).fetchall()
    except sqlite3.OperationalError as exc:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"FTS5 rejected fts_query({text[:60]!r}) = {match[:120]!r}: {exc}")


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(h[:20]) for h in HOSTILE])
def test_hostile_search_text_is_accepted(con, text):
    _accepted(con, text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_any_text_is_accepted(con, text):
    _accepted(con, text)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE[:37]), st.text(max_size=20)), max_size=8))
def test_mixtures_of_hostile_pieces_are_accepted(con, pieces):
    _accepted(con, " ".join(pieces))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.text(min_size=1, max_size=60).map(lambda s: (s * (10_000 // len(s) + 1))[:10_000]))
def test_huge_text_is_accepted_and_bounded(con, text):
    assert len(text) == 10_000
    _accepted(con, text)
    match = fts_query(text)
    # Input is cut to MAX_QUERY_CHARS: the query cannot grow without bound.
    assert match is None or len(match) <= 3 * MAX_QUERY_CHARS + 2


def test_nothing_searchable_is_none():
    for text in ("", "   ", "*", '"', "()", ":", "^-+", "\x00", None):
        assert fts_query(text) is None, text


def test_search_still_finds_what_it_should(con):
    """Neutralising syntax must not neutralise search: words, prefixes, phrases still match."""
    assert _accepted(con, "summons")
    assert _accepted(con, "summ")  # last word is a prefix
    assert _accepted(con, '"afraid of the summons"')
    assert _accepted(con, "(summons*")  # syntax characters are dropped, the word still matches
    assert _accepted(con, "SUMMONS")
    assert not _accepted(con, "NEAR(summons")  # the operator is a word that must also appear
    assert not _accepted(con, '"summons afraid"')  # a phrase stays a phrase (wrong order)
    # SQL in the search is only words; the table is intact afterwards.
    _accepted(con, "'; DROP TABLE quotes;--")
    assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] > 0


# ---------------------------------------------------------------- search_hits, rows and marks

from components.data import fetch_quote_rows, fts_tokenizer, mark_texts, search_hits  # noqa: E402
from exodus.store import SCHEMA, write_search_index  # noqa: E402

_WORDS = ["border", "queue", "summons", "army", "night", "family", "car", "leave", "left", "leaving"]


@pytest.fixture(scope="module")
def ranked_con(tmp_path_factory):
    """A dataset-shaped file (the store's schema) whose quotes score differently under bm25."""
    path = tmp_path_factory.mktemp("rank") / "rank.sqlite"
    c = sqlite3.connect(path)
    c.executescript(SCHEMA)
    c.executemany("INSERT INTO articles (article_id, file, outlet, published, text) VALUES (?,?,?,?,?)",
                  [("a1", "a1.txt", "Wire", "2023-01-02", "x" * 50), ("a2", "a2.txt", "Post", "2022-05-06", "y" * 50)])
    rows = []
    for i in range(40):
        words = [_WORDS[(i * 7 + k) % len(_WORDS)] for k in range(3 + i % 9)]
        words += ["border"] * (i % 4)  # a varying number of hits of one word
        text = " ".join(words).capitalize() + ("; it's the call-up" if i % 5 == 0 else "")
        rows.append((f"q{i:03d}", "a1" if i % 3 else "a2", text, f"Speaker {i % 4}", None, 0, len(text), 0, 10,
                     "test", 0.9, f"g{i % 6}" if i % 2 else None))
    c.executemany("INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    write_search_index(c)
    c.commit()
    yield c
    c.close()


def _reference(con, match: str) -> list[tuple]:
    """What the page ran before search_hits: bm25 and highlight over every match."""
    return con.execute(
        """SELECT qt.quote_id, bm25(quotes_fts), highlight(quotes_fts, 0, char(2), char(3)), qt.variant_group
           FROM quotes_fts JOIN quotes qt ON qt.rowid = quotes_fts.rowid
           WHERE quotes_fts MATCH ? ORDER BY bm25(quotes_fts), qt.rowid""", (match,)).fetchall()


SEARCHES = ["border", "bord", "leave", "border queue", '"call-up"', '"it\'s the"', "Speaker", "army famil"]


@pytest.mark.parametrize("text", SEARCHES)
def test_search_hits_rank_like_bm25_over_every_match(ranked_con, text):
    match = fts_query(text)
    ref = _reference(ranked_con, match)
    assert ref, text
    hits = search_hits(ranked_con, match)
    assert hits.ranked and hits.total == len(ref)
    assert list(hits.frame["quote_id"]) == [r[0] for r in ref]  # ties broken by rowid in both
    assert list(hits.frame["variant_group"]) == [r[3] for r in ref]


def test_ranking_is_not_trivial(ranked_con):
    """The fixture really spreads bm25 scores, so the order test above could fail."""
    ref = _reference(ranked_con, fts_query("border"))
    assert len({round(r[1], 9) for r in ref}) > 3
    by_rowid = [r[0] for r in ranked_con.execute(
        "SELECT qt.quote_id FROM quotes_fts JOIN quotes qt ON qt.rowid = quotes_fts.rowid "
        "WHERE quotes_fts MATCH ? ORDER BY qt.rowid", (fts_query("border"),))]
    assert [r[0] for r in ref] != by_rowid


@pytest.mark.parametrize("text", ["border", '"call-up"'])  # the scan path and the phrase path
def test_too_many_matches_come_unranked_in_rowid_order(ranked_con, text):
    match = fts_query(text)
    n = len(_reference(ranked_con, match))
    assert n > 3
    hits = search_hits(ranked_con, match, rank_limit=n - 1, limit=3)
    assert not hits.ranked and hits.total is None
    first = [r[0] for r in ranked_con.execute(
        "SELECT qt.quote_id FROM quotes_fts JOIN quotes qt ON qt.rowid = quotes_fts.rowid "
        "WHERE quotes_fts MATCH ? ORDER BY qt.rowid LIMIT 3", (match,))]
    assert list(hits.frame["quote_id"]) == first
    exact = search_hits(ranked_con, match, rank_limit=n, limit=3)  # exactly at the limit: still ranked
    assert exact.ranked and exact.total == n and len(exact.frame) == 3


def test_search_hits_apply_filters_before_ranking(ranked_con):
    match = fts_query("border")
    hits = search_hits(ranked_con, match, "a.outlet = ? AND qt.speaker = ?", ["Post", "Speaker 0"])
    ref = [r[0] for r in ranked_con.execute(
        """SELECT qt.quote_id FROM quotes_fts JOIN quotes qt ON qt.rowid = quotes_fts.rowid
           JOIN articles a ON a.article_id = qt.article_id
           WHERE quotes_fts MATCH ? AND a.outlet = 'Post' AND qt.speaker = 'Speaker 0'
           ORDER BY bm25(quotes_fts), qt.rowid""", (match,))]
    assert ref and hits.ranked and list(hits.frame["quote_id"]) == ref


def test_listing_without_search_is_oldest_first(ranked_con):
    hits = search_hits(ranked_con, None, limit=5)
    assert not hits.ranked and hits.total is None and len(hits.frame) == 5
    rows = fetch_quote_rows(ranked_con, list(hits.frame["quote_id"]))
    assert set(rows["published"]) == {"2022-05-06"}  # article a2 is the older one
    everything = search_hits(ranked_con, None, limit=1000)
    assert everything.total == 40 == len(everything.frame)


def test_fetch_quote_rows_keeps_the_order_asked(ranked_con):
    ids = ["q017", "q003", "q030"]
    rows = fetch_quote_rows(ranked_con, ids)
    assert list(rows["quote_id"]) == ids
    assert {"outlet", "published", "context", "text", "start", "end"} <= set(rows.columns)
    assert fetch_quote_rows(ranked_con, []).empty


@pytest.mark.parametrize("text", SEARCHES + ["summons", "PETROV", "it’s", "ё"])
def test_marks_are_exactly_highlight_on_the_index(ranked_con, con, text):
    """mark_texts (a throw-away FTS table over the shown rows) marks what highlight() marks."""
    match = fts_query(text)
    for c in (ranked_con, con):
        ref = _reference(c, match)
        rows = fetch_quote_rows(c, [r[0] for r in ref])
        assert mark_texts(match, list(zip(rows["text"], rows["speaker"])), fts_tokenizer(c)) == [r[2] for r in ref]


def test_marks_leave_rows_without_hits_alone(ranked_con):
    assert mark_texts('"border"', [("No match here", None), ("border", None)], fts_tokenizer(ranked_con)) == [
        "No match here", "\x02border\x03"]
    assert f"tokenize='{fts_tokenizer(ranked_con)}'" in SCHEMA


@pytest.mark.parametrize("where, params", [("1=1", []), ("a.outlet = ?", ["Post"]), ("a.outlet = ?", ["Wire"]),
                                           ("a.published >= ?", ["2023-01-01"]), ("a.outlet = ?", ["nobody"])])
def test_listing_in_article_order_lists_the_same_quotes(ranked_con, where, params):
    """Walking the articles in list order (articles_only) changes the plan, not the answer."""
    for limit in (3, 14, 1000):
        walked = search_hits(ranked_con, None, where, params, limit=limit, articles_only=True)
        chosen = search_hits(ranked_con, None, where, params, limit=limit)
        assert walked.frame.values.tolist() == chosen.frame.values.tolist()
        assert walked.total == chosen.total
    assert len(search_hits(ranked_con, None, where, params, articles_only=True).frame) == ranked_con.execute(
        f"SELECT count(*) FROM quotes qt JOIN articles a ON a.article_id = qt.article_id WHERE {where}",
        params).fetchone()[0]
