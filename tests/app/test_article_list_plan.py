"""The app's article list is read from the covering index articles_date, never from the article
rows: their text spills to overflow pages, so reading any column after it reads every article's
text (~520 MB at 100k articles)."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from components import data


@pytest.mark.parametrize("f", [data.Filters(), data.Filters(outlet="Wire"), data.Filters(country="GE"),
                               data.Filters(date_from=date(2022, 1, 1), date_to=date(2023, 12, 31))],
                         ids=["no filter", "outlet", "country", "dates"])
def test_the_article_list_reads_only_the_covering_index(f, sample_db, monkeypatch):
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    statements: list[str] = []
    con = data.connection()
    con.set_trace_callback(statements.append)
    try:
        frame = data._articles.__wrapped__(data.version(), f)
    finally:
        con.set_trace_callback(None)
    assert "n_routes" in frame.columns
    query = [s for s in statements if "FROM articles a" in s]
    assert len(query) == 1
    check = sqlite3.connect(f"file:{sample_db}?mode=ro", uri=True)
    plan = [row[3] for row in check.execute("EXPLAIN QUERY PLAN " + query[0])]
    check.close()
    assert plan[0] == "SCAN a USING COVERING INDEX articles_date", plan
    assert not any("TEMP B-TREE" in step for step in plan), plan  # in list order: no sort


def _plan(db, sql: str, params: list) -> list[str]:
    check = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[3] for row in check.execute("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        check.close()


def _listing_sql(db, monkeypatch, f: data.Filters, speaker: str | None) -> tuple[str, list]:
    """The statement the Quotes page runs to list quotes without a search text."""
    monkeypatch.setenv("EXODUS_DB", str(db))
    statements: list[str] = []
    con = data.connection()
    con.set_trace_callback(statements.append)
    try:
        data._quote_hits.__wrapped__(data.version(), f, "", speaker, data.RANK_LIMIT)
    finally:
        con.set_trace_callback(None)
    query = [s for s in statements if "FROM articles a" in s and "JOIN quotes qt" in s]
    assert len(query) == 1, statements
    return query[0], []


@pytest.mark.parametrize("f", [data.Filters(outlet="Wire"), data.Filters(country="GE"),
                               data.Filters(date_from=date(2022, 1, 1))], ids=["outlet", "country", "dates"])
def test_the_quote_list_walks_articles_in_list_order_and_stops(f, sample_db, monkeypatch):
    """Filtered by article only, the quotes come from the articles in list order, with no sort of
    every matching quote (an outlet's quotes were looked up and sorted: ~70 ms at 100k)."""
    sql, params = _listing_sql(sample_db, monkeypatch, f, None)
    plan = _plan(sample_db, sql, params)
    assert plan[0] == "SCAN a USING COVERING INDEX articles_date", plan
    # Each article's few quotes may be put in order ("RIGHT PART"); never every matching quote.
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_a_speaker_list_uses_the_speaker_index(sample_db, monkeypatch):
    """A speaker is a condition on the quotes: walking every article for a rare one took 0.5 s."""
    sql, params = _listing_sql(sample_db, monkeypatch, data.Filters(outlet="Wire"), "Anyone at all")
    plan = _plan(sample_db, sql, params)
    assert not any("articles_date" in step for step in plan), plan
    assert any("quotes_speaker" in step for step in plan), plan


def test_a_cards_other_reports_are_found_by_the_variant_index(sample_db, monkeypatch):
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    groups = [g for g in data.quote_rows(tuple(data.quote_hits().frame["quote_id"]), "")["variant_group"].dropna()]
    assert groups  # the sample has quotes reported by two outlets
    statements: list[str] = []
    con = data.connection()
    con.set_trace_callback(statements.append)
    try:
        found = data._variants.__wrapped__(data.version(), tuple(sorted(set(groups))))
        none = data._variants.__wrapped__(data.version(), ())
    finally:
        con.set_trace_callback(None)
    assert set(found["variant_group"]) == set(groups) and len(found) >= 2
    assert none.empty and list(none.columns) == list(found.columns)
    plan = _plan(sample_db, statements[0], [])
    assert any("USING INDEX quotes_variant" in step for step in plan), plan
    assert not any(step.startswith("SCAN qt") for step in plan), plan
