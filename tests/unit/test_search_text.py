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
