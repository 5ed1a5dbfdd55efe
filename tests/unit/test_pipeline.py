"""The build as a whole: the data contract, determinism, bad input and the CLI."""
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from exodus.ingest import read_corpus
from exodus.linking import group_quote_variants, link_rewrites
from exodus.metrics import metric_for
from exodus.pipeline import NothingToBuild, build, extract_article, input_fingerprint
from exodus.places import distance_km
from exodus.store import (
    ArticleLinks,
    article_id_for,
    figure_id_for,
    quote_id_for,
    route_id_for,
    write_dataset,
)
from exodus.text import sentence_at, sentences

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "exodus.sqlite"
    build(RAW, db)
    return db


def _rows(db: Path, table: str) -> list:
    con = sqlite3.connect(db)
    try:
        return sorted(map(repr, con.execute(f"SELECT * FROM {table}")))
    finally:
        con.close()


def test_contract_columns_exist(seeds_db):
    con = sqlite3.connect(seeds_db)
    expected = {
        "articles": {"article_id", "file", "title", "outlet", "url", "published", "text"},
        "quotes": {"quote_id", "article_id", "text", "speaker", "start", "end"},
        "figures": {"figure_id", "article_id", "value", "unit", "counts", "raw", "start", "end"},
        "places": {"place_id", "name", "country_code", "kind", "lat", "lon"},
        "routes": {"route_id", "article_id", "origin_place_id", "destination_place_id", "mode", "person",
                   "start", "end"},
    }
    for table, cols in expected.items():
        have = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
        assert cols <= have, (table, cols - have)
    assert con.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'prison'").fetchone()[0] >= 1


def test_every_span_is_the_stored_text(seeds_db):
    con = sqlite3.connect(seeds_db)
    texts = dict(con.execute("SELECT article_id, text FROM articles"))
    n = 0
    for aid, s, e, stored in con.execute('SELECT article_id, start, "end", text FROM quotes'):
        assert texts[aid][s:e] == stored
        n += 1
    for aid, s, e, stored in con.execute('SELECT article_id, start, "end", raw FROM figures'):
        assert texts[aid][s:e] == stored
        n += 1
    for aid, s, e in con.execute('SELECT article_id, start, "end" FROM routes'):
        assert 0 <= s < e <= len(texts[aid]) and texts[aid][s:e].strip() == texts[aid][s:e]
        n += 1
    assert n > 50


def test_published_dates_and_country_codes_are_well_formed(seeds_db):
    con = sqlite3.connect(seeds_db)
    for (p,) in con.execute("SELECT published FROM articles WHERE published IS NOT NULL"):
        assert len(p) == 10 and p[4] == "-" and p[7] == "-"
    for (cc,) in con.execute("SELECT country_code FROM places"):
        assert len(cc) == 2 and cc.isupper()
    assert con.execute("SELECT count(*) FROM routes WHERE destination_country = 'UA'").fetchone()[0] == 0


def test_rewritten_copies_are_linked(seeds_db):
    con = sqlite3.connect(seeds_db)
    stories = [r[0] for r in con.execute("SELECT story_id FROM articles")]
    # The bundled corpus holds one story told twice (an outlet's rewrite of a wire story).
    assert len(stories) - len(set(stories)) == 1
    assert con.execute("SELECT count(DISTINCT variant_group) FROM quotes WHERE variant_group IS NOT NULL").fetchone()[0] >= 1


def test_build_is_deterministic_and_jobs_do_not_change_it(seeds_db, tmp_path):
    again = tmp_path / "again.sqlite"
    build(RAW, again, jobs=2)
    for table in ("articles", "quotes", "figures", "places", "routes", "place_mentions", "people"):
        assert _rows(seeds_db, table) == _rows(again, table), table


def test_fingerprint_changes_with_the_input(tmp_path):
    (tmp_path / "a.txt").write_text("Headline\n\nMen fled to Georgia, officials said.\n")
    before = input_fingerprint(tmp_path)
    (tmp_path / "a.txt").write_text("Headline\n\nMen fled to Armenia, officials said.\n")
    assert input_fingerprint(tmp_path) != before


def _hostile_corpus(folder: Path) -> None:
    story = ("Men flee the draft\n\n“We will not fight,” said Pavel Orlov, who fled to Georgia last week. "
             "Queues stretched 8 kilometres at the border.\n")
    (folder / "good.txt").write_text(story, encoding="utf-8")
    (folder / "zz-copy.txt").write_text(story, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "cyrillic.txt").write_bytes(
        "Мужчины уезжают\n\n«Я не пойду воевать», — сказал Иван. Он уехал в Казахстан.\n".encode("cp1251"))
    (folder / "huge.txt").write_text("word " * 4_200_000)  # ~21 MB
    (folder / "page.html").write_text(
        "<html><head><title>Russians cross into Finland</title><script>alert('x')</script></head><body>"
        "<nav>Home | World</nav><article><h1>Russians cross into Finland</h1><p>Hundreds of Russian men "
        "crossed into Finland at the Vaalimaa crossing on Friday, border guards said, as queues of cars "
        "stretched for three kilometres and the number of arrivals rose 40% from a week earlier.</p>"
        "<p>“I left because I did not want to be sent to the front,” said Oleg Smirnov, a 29-year-old "
        "engineer from St Petersburg, who said he would travel on to Germany.</p></article>"
        "<footer>© Example</footer><script>document.write('pwned')</script></body></html>",
        encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,url,outlet,published,title\ngood.txt,https://example.org/a,Example,2022-09-25,\n"
        "missing.txt,,Nowhere,2022-09-26,\n", encoding="utf-8")


def test_hostile_corpus_builds_and_names_each_bad_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _hostile_corpus(raw)
    out = tmp_path / "out.sqlite"
    proc = subprocess.run([sys.executable, "-m", "exodus", "build", "--input", str(raw), "--output", str(out),
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    skipped = {s["file"]: s["reason"] for s in summary["skipped"]}
    assert set(skipped) >= {"empty.txt", "binary.txt", "huge.txt", "missing.txt", "zz-copy.txt"}
    assert all(reason and "\n" not in reason for reason in skipped.values())
    con = sqlite3.connect(out)
    files = {r[0] for r in con.execute("SELECT file FROM articles")}
    assert files == {"good.txt", "cyrillic.txt", "page.html"}
    cyr = con.execute("SELECT text FROM articles WHERE file='cyrillic.txt'").fetchone()[0]
    assert "Мужчины уезжают" in cyr
    page = con.execute("SELECT text FROM articles WHERE file='page.html'").fetchone()[0]
    assert "alert" not in page and "pwned" not in page and "Vaalimaa" in page
    assert con.execute("SELECT outlet FROM articles WHERE file='good.txt'").fetchone()[0] == "Example"


def test_nothing_usable_exits_non_zero_and_keeps_the_previous_file(tmp_path, seeds_db):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.sqlite"
    out.write_bytes(seeds_db.read_bytes())
    with pytest.raises(NothingToBuild):
        build(raw, out)
    proc = subprocess.run([sys.executable, "-m", "exodus", "build", "--input", str(raw), "--output", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "no usable article" in proc.stderr
    assert out.read_bytes() == seeds_db.read_bytes()


def test_missing_input_folder_and_unwritable_output_fail_cleanly(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "exodus", "build", "--input", str(tmp_path / "nope"),
                           "--output", str(tmp_path / "o.sqlite")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr and proc.stderr.startswith("error:")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = subprocess.run([sys.executable, "-m", "exodus", "build", "--input", str(RAW),
                           "--output", str(blocker / "o.sqlite")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


def test_evaluate_cli_prints_a_table_and_json(seeds_db):
    gold = ROOT / "data" / "gold" / "seeds.gold.json"
    proc = subprocess.run([sys.executable, "-m", "exodus", "evaluate", "--gold", str(gold), "--db", str(seeds_db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "speaker attribution" in proc.stdout and "destinations" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "exodus", "evaluate", "--gold", str(gold), "--db", str(seeds_db),
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)
    assert set(report) >= {"quotes", "figures", "destinations", "speakers"}
    proc = subprocess.run([sys.executable, "-m", "exodus", "evaluate", "--gold", str(gold), "--db",
                           str(gold)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


# ---------------------------------------------------- streaming build == the in-memory reference build

TABLES = ("meta", "articles", "people", "quotes", "figures", "places", "place_mentions", "routes")


def _linked_corpus(folder: Path) -> Path:
    """The seeds plus trimmed copies (rewrites, shared quotes), exact duplicates and file names
    that map to one readable id, so linking, dedup and id collisions all happen."""
    folder.mkdir()
    seeds = sorted(RAW.glob("*.txt"))
    for i, src in enumerate(seeds):
        text = src.read_text(encoding="utf-8")
        (folder / f"s{i}.txt").write_text(text, encoding="utf-8")
        paras = text.split("\n\n")
        (folder / f"s{i}-copy.md").write_text("\n\n".join(paras[:1] + paras[2:]), encoding="utf-8")
    (folder / "s0.html").write_text("<html><body><p>" + seeds[1].read_text(encoding="utf-8") + "</p></body></html>",
                                     encoding="utf-8")
    (folder / "s1-dup.txt").write_text(seeds[1].read_text(encoding="utf-8").upper(), encoding="utf-8")
    (folder / "s1 copy.txt").write_text(seeds[2].read_text(encoding="utf-8") + "\n\nOne more line.\n",
                                        encoding="utf-8")
    return folder


def _reference_build(raw: Path, out: Path) -> None:
    """The build as a plain in-memory sequence of the pipeline's steps (the pre-streaming design)."""
    articles, skipped = read_corpus(raw)
    taken: set[str] = set()
    extractions = []
    for a in articles:
        aid = article_id_for(a.file, taken)
        taken.add(aid)
        extractions.append((aid, extract_article(a)))
    story = link_rewrites({aid: ex.article.text for aid, ex in extractions},
                          {aid: (ex.article.published or "9999", -len(ex.article.text), ex.article.file)
                           for aid, ex in extractions})
    links = {aid: ArticleLinks(s.story_id, s.rewrite_of, s.similarity) for aid, s in story.items()}
    variants = group_quote_variants({quote_id_for(aid, q): (aid, q.text) for aid, ex in extractions for q in ex.quotes})
    metrics, distances = {}, {}
    for aid, ex in extractions:
        spans = sentences(ex.article.text)
        for f in ex.figures:
            sent = sentence_at(spans, f.start)
            metrics[figure_id_for(aid, f)] = metric_for(f.unit, f.counts, ex.article.text[sent[0]:sent[1]] if sent else "")
        for r in ex.routes:
            distances[route_id_for(aid, r)] = (round(distance_km(r.origin, r.destination), 1)
                                               if r.origin and r.origin.place_id != r.destination.place_id else None)
    import os
    write_dataset(out, extractions, links, variants, metrics, distances, skipped,
                  meta={"input_fingerprint": input_fingerprint(raw), "exodus_version": __import__("exodus").__version__,
                        "input_dir": os.path.basename(os.path.abspath(raw))})


def test_streaming_build_equals_the_reference_build(tmp_path):
    raw = _linked_corpus(tmp_path / "raw")
    ref = tmp_path / "ref.sqlite"
    _reference_build(raw, ref)
    con = sqlite3.connect(ref)
    rewrites = con.execute("SELECT count(*) FROM articles WHERE rewrite_of IS NOT NULL").fetchone()[0]
    groups = con.execute("SELECT count(DISTINCT variant_group) FROM quotes").fetchone()[0]
    ids = [r[0] for r in con.execute("SELECT article_id FROM articles")]
    con.close()
    assert rewrites >= 3 and groups >= 3  # the corpus really exercises linking ...
    assert any(len(i) > 3 and i[:2] == "s0" and i != "s0" and "-copy" not in i for i in ids)  # ... and id clashes
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}.sqlite"
        summary = build(raw, out, jobs=jobs)
        for table in TABLES:
            assert _rows(ref, table) == _rows(out, table), (jobs, table)
        # Skipped rows and quote rowids (the FTS index points at them) keep their order too.
        for sql in ("SELECT * FROM skipped ORDER BY rowid", "SELECT rowid, quote_id FROM quotes ORDER BY rowid"):
            assert sqlite3.connect(ref).execute(sql).fetchall() == sqlite3.connect(out).execute(sql).fetchall()
        assert summary.rewrites == rewrites and summary.variant_groups == groups
        assert "s1-dup.txt" in {s.file for s in summary.skipped}


def test_linking_spills_leave_nothing_beside_the_dataset(tmp_path, monkeypatch):
    """The shingle spills are anonymous files: the output folder holds only the dataset, after a
    build and after a failed one, and the spills really were on disk in that folder."""
    import exodus.linking as linking

    opened: list[str] = []
    real = linking.tempfile.TemporaryFile

    def spy(*args, **kwargs):
        opened.append(str(kwargs.get("dir")))
        return real(*args, **kwargs)

    monkeypatch.setattr(linking.tempfile, "TemporaryFile", spy)
    out = tmp_path / "out" / "exodus.sqlite"
    build(RAW, out)
    assert opened == [str(out.parent)] * 2  # rewrites and quotes, beside the dataset
    assert [p.name for p in out.parent.iterdir()] == ["exodus.sqlite"]
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    with pytest.raises(NothingToBuild):
        build(raw, out)
    assert [p.name for p in out.parent.iterdir()] == ["exodus.sqlite"]
