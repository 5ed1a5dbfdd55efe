"""A dataset built by an older version (no summary tables, an older schema) is rebuilt on start, or explained."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from components.data import DatasetError, check_dataset
from exodus import store
from tests.dashboard_start import errors_shown, start_dashboard

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "data" / "raw"


def _drop_summaries(con: sqlite3.Connection) -> None:
    for table in store.SUMMARY_TABLES:  # schema 1: before the summary tables existed
        con.execute(f"DROP TABLE {table}")


def _schema_2(con: sqlite3.Connection) -> None:
    # schema 2: figure_articles without the columns that tell differing reports apart
    con.execute("ALTER TABLE figure_articles DROP COLUMN first_of_metric")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def _schema_3(con: sqlite3.Connection) -> None:
    # schema 3: route summaries ordered by a text key, not an integer rank
    for table in ("route_countries", "route_flows", "route_journeys"):
        con.execute(f"ALTER TABLE {table} RENAME COLUMN first_rank TO first_key")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")


def _schema_4(con: sqlite3.Connection) -> None:
    # schema 4: no pairs table for quoted phrases
    con.execute("DROP TABLE quote_pairs_fts")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")


def _schema_5(con: sqlite3.Connection) -> None:
    # schema 5: summary rows without their article's set of countries
    con.execute("DROP TABLE country_sets")
    con.execute("DROP INDEX route_flows_newest")
    con.execute("ALTER TABLE route_flows DROP COLUMN country_set")
    con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")


@pytest.mark.parametrize("make_old", [_drop_summaries, _schema_2, _schema_3, _schema_4, _schema_5],
                         ids=["no summary tables", "schema 2", "schema 3", "schema 4", "schema 5"])
def test_a_dataset_from_an_older_version_is_rebuilt_on_start(make_old, sample_db, tmp_path, monkeypatch):
    """A dataset built by an older version (without the summary tables, or with an older schema
    version) is not read with queries that need what it lacks: the app rebuilds it from the
    articles, and says why when it cannot."""
    db = tmp_path / "exodus.sqlite"
    shutil.copyfile(sample_db, db)
    con = sqlite3.connect(db)
    make_old(con)
    con.commit()
    con.close()
    with pytest.raises(DatasetError, match="older version"):
        check_dataset(db)
    at = start_dashboard(db, tmp_path / "no-such-folder", monkeypatch)
    assert "older version" in errors_shown(at)

    at = start_dashboard(db, SEED_DIR, monkeypatch, timeout=180)  # the articles are there: rebuilt, then shown
    assert not at.error, errors_shown(at)
    check_dataset(db)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert all(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] > 0
                   for t in (*store.SUMMARY_TABLES, "quote_pairs_fts"))
    finally:
        con.close()


def test_a_dataset_with_an_empty_phrase_index_is_rebuilt_on_start(sample_db, tmp_path, monkeypatch):
    """Quoted-phrase searches read quote_pairs_fts; a file whose FTS index was rebuilt without it
    (FTS5's own 'rebuild' alone) would find no phrase at all, so it is treated as unusable."""
    db = tmp_path / "exodus.sqlite"
    shutil.copyfile(sample_db, db)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO quote_pairs_fts(quote_pairs_fts) VALUES('delete-all')")
    con.commit()
    con.close()
    with pytest.raises(DatasetError, match="empty phrase index"):
        check_dataset(db)
    at = start_dashboard(db, SEED_DIR, monkeypatch, timeout=180)
    assert not at.error, errors_shown(at)
    check_dataset(db)
