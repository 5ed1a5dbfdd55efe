import hashlib
import sqlite3

import pytest

import exodus.store as store
from tests.fixtures.sample_dataset import make_sample_dataset


def _digest(path) -> str:
    con = sqlite3.connect(path)
    try:
        rows = []
        for table in ("articles", "quotes", "figures", "places", "place_mentions", "routes", "skipped"):
            rows.append(sorted(map(repr, con.execute(f"SELECT * FROM {table}"))))
        return hashlib.sha256(repr(rows).encode()).hexdigest()
    finally:
        con.close()


def test_every_stored_span_is_exactly_the_stored_text(tmp_path):
    db = make_sample_dataset(tmp_path / "d.sqlite")
    con = sqlite3.connect(db)
    checks = [
        ('SELECT a.text, q.start, q."end", q.text FROM quotes q JOIN articles a USING (article_id)'),
        ('SELECT a.text, f.start, f."end", f.raw FROM figures f JOIN articles a USING (article_id)'),
        ('SELECT a.text, m.start, m."end", m.surface FROM place_mentions m JOIN articles a USING (article_id)'),
    ]
    n = 0
    for sql in checks:
        for text, s, e, stored in con.execute(sql):
            assert text[s:e] == stored
            n += 1
    assert n == 4 + 3 + 6


def test_same_input_gives_same_rows_and_ids(tmp_path):
    a = make_sample_dataset(tmp_path / "a.sqlite")
    b = make_sample_dataset(tmp_path / "b.sqlite")
    assert _digest(a) == _digest(b)


def test_fts_index_finds_quotes_by_stem(tmp_path):
    con = sqlite3.connect(make_sample_dataset(tmp_path / "d.sqlite"))
    hits = con.execute(
        "SELECT q.speaker FROM quotes_fts JOIN quotes q ON q.rowid = quotes_fts.rowid "
        "WHERE quotes_fts MATCH 'believe'"  # porter stemming: 'believes' in the text
    ).fetchall()
    assert hits == [("Ivan Petrov",)]


def test_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    db = make_sample_dataset(tmp_path / "d.sqlite")
    before = _digest(db)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_insert_all", boom)
    with pytest.raises(RuntimeError):
        make_sample_dataset(db)
    assert _digest(db) == before
    assert [p.name for p in tmp_path.iterdir()] == ["d.sqlite"]


def test_stale_temporaries_from_a_killed_build_are_removed(tmp_path):
    stale = tmp_path / ".d.sqlite.abc123.tmp"
    stale.write_bytes(b"half a database")
    make_sample_dataset(tmp_path / "d.sqlite")
    assert not stale.exists()


def test_article_ids_are_readable_and_unique():
    taken: set[str] = set()
    first = store.article_id_for("2022 09 report (final).txt", taken)
    taken.add(first)
    second = store.article_id_for("2022 09 report (final).html", taken)
    assert first == "2022-09-report-final"
    assert second != first and second.startswith("2022-09-report-final-")
