"""A dataset built by an older version (no summary tables) is rebuilt on start, or explained."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.data import DatasetError, check_dataset
from exodus import store

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "data" / "raw"


def test_a_dataset_from_an_older_version_is_rebuilt_on_start(sample_db, tmp_path, monkeypatch):
    """A dataset without the summary tables (built before they existed) is not read with queries
    that need them: the app rebuilds it from the articles, and says why when it cannot."""
    db = tmp_path / "exodus.sqlite"
    shutil.copyfile(sample_db, db)
    con = sqlite3.connect(db)
    for table in store.SUMMARY_TABLES:
        con.execute(f"DROP TABLE {table}")
    con.commit()
    con.close()
    with pytest.raises(DatasetError, match="older version"):
        check_dataset(db)
    monkeypatch.setenv("EXODUS_DB", str(db))
    monkeypatch.setenv("EXODUS_RAW", str(tmp_path / "no-such-folder"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "older version" in " ".join(e.value for e in at.error)

    monkeypatch.setenv("EXODUS_RAW", str(SEED_DIR))  # the articles are there: rebuilt, then shown
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    check_dataset(db)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert all(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] > 0 for t in store.SUMMARY_TABLES)
    finally:
        con.close()
