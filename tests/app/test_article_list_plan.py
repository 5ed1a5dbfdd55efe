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
