"""The app's article list is read from the covering index articles_date, never from the article
rows: their text spills to overflow pages, so reading any column after it reads every article's
text (~520 MB at 100k articles)."""
from __future__ import annotations

import sqlite3

from components import data


def test_the_article_list_reads_only_the_covering_index(sample_db, monkeypatch):
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    statements: list[str] = []
    con = data.connection()
    con.set_trace_callback(statements.append)
    try:
        frame = data._articles.__wrapped__(data.version(), data.Filters())
    finally:
        con.set_trace_callback(None)
    assert len(frame) >= 2 and "n_routes" in frame.columns
    query = [s for s in statements if "FROM articles a" in s]
    assert len(query) == 1
    check = sqlite3.connect(f"file:{sample_db}?mode=ro", uri=True)
    plan = [row[3] for row in check.execute("EXPLAIN QUERY PLAN " + query[0])]
    check.close()
    assert plan == ["SCAN a USING COVERING INDEX articles_date"], plan
