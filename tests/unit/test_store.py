import hashlib
import re
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


# ------------------------------------------------------------------ the streaming writer the build uses

from tests.fixtures.sample_dataset import _article_one, _article_two  # noqa: E402


def _rows_of(aid, ex):
    return store.article_rows(aid, ex, {}, {})


def test_streaming_writer_applies_links_and_variant_groups_at_the_end(tmp_path):
    out = tmp_path / "d.sqlite"
    one, two = _rows_of("one", _article_one()), _rows_of("two", _article_two())
    assert one.article[10:13] == ("one", None, None)  # own story until linking says otherwise
    with store.DatasetWriter(out) as w:
        w.add(one)
        w.add(two)
        first_quote = w.quote_texts([1])
        qid = one.quotes[0][0]
        assert first_quote == {1: (qid, one.quotes[0][2])}  # rowids follow insert order
        w.finish(dict((p[0], p) for p in one.places + two.places).values(), [], {"input_fingerprint": "x"},
                 links={"two": store.ArticleLinks("one", "one", 0.5)}, variant_groups={qid: qid})
    con = sqlite3.connect(out)
    assert con.execute("SELECT story_id, rewrite_of, similarity FROM articles WHERE article_id='two'").fetchone() \
        == ("one", "one", 0.5)
    assert con.execute("SELECT count(*) FROM quotes WHERE variant_group IS NOT NULL").fetchone() == (1,)
    assert {r[1] for r in con.execute("PRAGMA index_list(quotes)")} >= {"quotes_article", "quotes_speaker"}
    assert con.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'believe'").fetchone() == (1,)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [p.name for p in tmp_path.iterdir()] == ["d.sqlite"]


def _secondary_indexes(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_every_index_of_the_schema_is_built_at_finish_not_kept_up_during_inserts(tmp_path):
    """Indexes preceded by a comment in the schema were once created with the tables (their text
    did not start with CREATE INDEX), so every insert maintained them and they ended half full."""
    declared = set(re.findall(r"CREATE INDEX (\w+)", store.SCHEMA))
    assert len(declared) >= 15
    out = tmp_path / "d.sqlite"
    with store.DatasetWriter(out) as w:
        assert _secondary_indexes(w.con) == set()
        w.add(_rows_of("one", _article_one()))
        w.finish(dict((p[0], p) for p in _rows_of("one", _article_one()).places).values(), [], {})
    con = sqlite3.connect(out)
    assert _secondary_indexes(con) == declared
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_schema_statements_split_where_sqlite_ends_them():
    script = ("CREATE TABLE t (a TEXT DEFAULT 'x;y'); -- a note; with a semicolon\n"
              "-- and another line\nCREATE INDEX t_a ON t(a);\n-- trailing comment\n")
    statements = store._statements(script)
    assert statements == ["CREATE TABLE t (a TEXT DEFAULT 'x;y');",
                          "-- a note; with a semicolon\n-- and another line\nCREATE INDEX t_a ON t(a);"]
    tables, indexes = store._split_schema(script)
    assert indexes == statements[1:]
    con = sqlite3.connect(":memory:")
    con.executescript(tables)
    assert _secondary_indexes(con) == set()
    with pytest.raises(ValueError, match="unterminated"):
        store._statements("CREATE TABLE t (a); CREATE TABLE u (b)")


@pytest.mark.parametrize("folder", ["data/raw", "tests/fixtures/heldout"])
def test_country_sets_give_each_summary_row_the_countries_its_article_reports(folder, tmp_path):
    """The country filter on summary tables (Filters.sql with summary=True: their article's
    country_set among the sets holding the country) keeps exactly the rows the filter on article
    ids keeps (the articles with a route to that country), in every table,
    for articles with one country, several, or none (the bundled articles have figures in articles
    without a route; the held-out ones, articles with routes to several countries)."""
    from pathlib import Path

    from components.data import Filters
    from exodus.pipeline import build

    db = tmp_path / "d.sqlite"
    build(Path(__file__).resolve().parents[2] / folder, db)
    con = sqlite3.connect(db)
    countries = [c for (c,) in con.execute(
        "SELECT DISTINCT destination_country FROM routes WHERE destination_country IS NOT NULL")]
    several = con.execute("SELECT count(*) FROM (SELECT article_id FROM routes GROUP BY article_id "
                          "HAVING count(DISTINCT destination_country) > 1)").fetchone()[0]
    without = con.execute("SELECT count(*) FROM figure_facts WHERE country_set IS NULL").fetchone()[0]
    assert len(countries) >= 3 and several >= 1 and without >= (1 if folder == "data/raw" else 0)
    checked = 0
    for table in ("route_countries", "route_flows", "route_journeys", "figure_facts", "figure_articles",
                  "crossing_mentions"):
        for country in countries:
            f = Filters(country=country)
            by_set = con.execute(f"SELECT rowid FROM {table} t WHERE {f.sql('t', summary=True)[0]} ORDER BY rowid",
                                 f.sql("t", summary=True)[1]).fetchall()
            by_article = con.execute(f"SELECT rowid FROM {table} t WHERE {f.sql('t')[0]} ORDER BY rowid",
                                     f.sql("t")[1]).fetchall()
            assert by_set == by_article, (table, country)
            checked += len(by_set)
    assert checked > 30


def test_summary_indexes_exist_after_write_summaries_on_a_built_file(tmp_path):
    db = make_sample_dataset(tmp_path / "d.sqlite")
    con = sqlite3.connect(db)
    before = _secondary_indexes(con)
    store.write_summaries(con)
    con.commit()
    assert _secondary_indexes(con) == before
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_streaming_writer_left_without_finish_keeps_the_previous_file(tmp_path):
    db = make_sample_dataset(tmp_path / "d.sqlite")
    before = db.read_bytes()
    with pytest.raises(KeyError):
        with store.DatasetWriter(db) as w:
            w.add(_rows_of("one", _article_one()))
            raise KeyError("a worker failed")
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["d.sqlite"]


def test_writer_rows_equal_the_whole_dataset_write(tmp_path):
    """Rows streamed then linked at the end == rows written with their links in one go."""
    ref = make_sample_dataset(tmp_path / "ref.sqlite")
    con = sqlite3.connect(ref)
    links = {aid: store.ArticleLinks(s, r, sim) for aid, s, r, sim in
             con.execute("SELECT article_id, story_id, rewrite_of, similarity FROM articles")}
    variants = dict(con.execute("SELECT quote_id, variant_group FROM quotes WHERE variant_group IS NOT NULL"))
    metrics = dict(con.execute("SELECT figure_id, metric FROM figures"))
    con.close()
    out = tmp_path / "out.sqlite"
    with store.DatasetWriter(out) as w:
        places = {}
        for aid, ex in (("one", _article_one()), ("two", _article_two())):
            rows = store.article_rows(aid, ex, metrics, {})
            w.add(rows)
            places.update((p[0], p) for p in rows.places)
        w.finish(places.values(), [store.Skipped("broken.bin", "binary file (NUL bytes)")],
                 {"input_fingerprint": "sample", "exodus_version": "test", "input_dir": "sample"},
                 links=links, variant_groups=variants)
    assert _digest(out) == _digest(ref)
