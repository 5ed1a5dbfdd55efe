"""The benchmark corpus: deterministic, the right size, and it exercises the extractors."""
import csv
import hashlib
import sqlite3
from pathlib import Path

import pytest

from bench.corpus import load_places, make_article, write_corpus
from exodus.pipeline import build


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes(tmp_path):
    write_corpus(tmp_path / "a", 30, seed=7)
    write_corpus(tmp_path / "b", 30, seed=7)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_other_seed_other_text_and_prefix_stable(tmp_path):
    assert make_article(3, seed=1)[0] != make_article(3, seed=2)[0]
    # Article i does not depend on n: a 10-article corpus is a prefix of a 20-article one.
    write_corpus(tmp_path / "small", 10)
    write_corpus(tmp_path / "big", 20)
    for p in (tmp_path / "small").glob("*.txt"):
        assert p.read_bytes() == (tmp_path / "big" / p.name).read_bytes()


def test_sizes_and_manifest(tmp_path):
    paths = write_corpus(tmp_path, 40)
    assert len(paths) == 40 and len(set(paths)) == 40
    sizes = [p.stat().st_size for p in paths]
    # Realistic news length: a few KB each (the 100k corpus must stay well under 1 GB).
    assert all(1500 < s < 9000 for s in sizes), sizes
    assert 3000 < sum(sizes) / len(sizes) < 6000
    with open(tmp_path / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["file"] for r in rows] == [p.name for p in paths]
    assert all(len(r["published"]) == 10 and r["outlet"] for r in rows)


def test_article_structure():
    text, row = make_article(0)
    paras = text.split("\n\n")
    assert paras[0] == row["title"]
    assert any(p.strip() in ("Share this article", "Read more:", "Read More: Russia latest") for p in paras)
    places = load_places()
    assert places.countries and places.cities and places.crossings


def test_corpus_varies_attribution_and_routes():
    texts = [make_article(i)[0] for i in range(60)]
    joined = "\n".join(texts)
    for marker in (" said ", " told ", "He said:", "She said:", "fled to ", "crossed into ", "%", "$", " km "):
        assert marker in joined, marker


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bench50")
    write_corpus(d / "in", 50, seed=0)
    db = d / "out.sqlite"
    summary = build(d / "in", db)
    assert summary.articles == 50 and not [s for s in summary.skipped if s.file != "manifest.csv"]
    return db


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_real_build_extracts_quotes(built):
    # Every generated article gets at least one quote on average; most should be found.
    assert _count(built, "SELECT count(*) FROM quotes") >= 100
    assert _count(built, "SELECT count(DISTINCT speaker) FROM quotes WHERE speaker IS NOT NULL") >= 10


def test_real_build_extracts_figures(built):
    assert _count(built, "SELECT count(*) FROM figures") >= 100
    assert _count(built, "SELECT count(DISTINCT unit) FROM figures") >= 3


def test_real_build_extracts_routes_to_gazetteer_places(built):
    assert _count(built, "SELECT count(*) FROM routes") >= 50
    assert _count(built, "SELECT count(DISTINCT destination_country) FROM routes") >= 5
    assert _count(built, "SELECT count(*) FROM places WHERE place_id LIKE 'crossing:%'") >= 1
