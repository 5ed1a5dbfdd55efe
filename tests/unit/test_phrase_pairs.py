"""Quoted phrases are searched in quote_pairs_fts (adjacent term pairs): the same quotes, the same
bm25 scores and the same order as quotes_fts gives for them, on built datasets of real articles
and on quotes in other scripts, with diacritics, apostrophes and hyphens."""
from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from components.data import _search_index, fts_query, fts_tokenizer, pair_match, search_hits
from exodus.pipeline import build
from exodus.store import SCHEMA, write_search_index

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
TOKENIZE = "porter unicode61 remove_diacritics 2"

OTHER_SCRIPTS = [
    ("Мы уехали в Грузию через Верхний Ларс, очередь стояла три дня", "Алексей Пётр"),
    ("Мы уехали в Казахстан, а потом очередь в Верхний Ларс", "Ёлка Ёжиков"),
    ("We crossed at Upper Lars; the café in Tbilisi was full of Russians", "José Müller-Lüdenscheidt"),
    ("It's the call-up, it's the fear: we're leaving, we're not coming back", "Anna O'Neill"),
    ("Naïve men thought the call-up would pass; the call-up didn't pass", "Søren Ærø"),
    ("In 2022 about 700,000 men left, and in 2023 some 700 more men left", "İlker Şahin"),
    ("The border, the border, the border again: cars at the border for days", None),
    # quotes without a single term: still rows, which bm25 counts (IDF, average length)
    ("…", None),
    ("— ?!", None),
]


def _other_scripts_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.execute("INSERT INTO articles (article_id, file, text) VALUES ('a1', 'a1.txt', 'x')")
    con.executemany("INSERT INTO quotes (quote_id, article_id, text, speaker, start, \"end\", sentence_start, "
                    "sentence_end, rule, confidence) VALUES (?, 'a1', ?, ?, 0, 1, 0, 1, 'test', 1.0)",
                    [(f"q{i}", text, speaker) for i, (text, speaker) in enumerate(OTHER_SCRIPTS)])
    write_search_index(con)
    con.commit()
    con.close()
    return path


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[str, tuple[sqlite3.Connection, sqlite3.Connection]]:
    """name -> (connection to the dataset, connection to a copy without the pairs table)."""
    out = {}
    folder = tmp_path_factory.mktemp("pairs")
    sources = {"seeds": ROOT.parent / "shared" / "seeds", "heldout": ROOT / "tests/fixtures/heldout",
               "heldout2": ROOT / "tests/fixtures/heldout2", "heldout3": ROOT / "tests/fixtures/heldout3"}
    paths = {}
    for name, raw in sources.items():
        if raw.is_dir():
            paths[name] = folder / f"{name}.sqlite"
            build(raw, paths[name])
    paths["other scripts"] = _other_scripts_db(folder / "other.sqlite")
    for name, path in paths.items():
        plain = folder / f"{name}-plain.sqlite"
        shutil.copy(path, plain)
        c = sqlite3.connect(plain)
        c.execute("DROP TABLE quote_pairs_fts")
        c.commit()
        c.close()
        out[name] = (sqlite3.connect(path), sqlite3.connect(plain))
    yield out
    for a, b in out.values():
        a.close()
        b.close()


def _phrases(con: sqlite3.Connection) -> list[str]:
    """Every 2-word window of every quote and speaker, every 3rd 3- and 4-word one, and each
    2-word window reversed (mostly in no quote: a check that pairs do not over-match)."""
    out: list[str] = []
    for text, speaker in con.execute("SELECT text, speaker FROM quotes ORDER BY rowid"):
        for column in (text, speaker or ""):
            words = WORD.findall(column)
            for n, step in ((2, 1), (3, 3), (4, 3)):
                out += [" ".join(words[i:i + n]) for i in range(0, len(words) - n + 1, step)]
            out += [f"{b} {a}" for a, b in zip(words, words[1:])]
    return list(dict.fromkeys(out))


def _scores(con: sqlite3.Connection, table: str, match: str) -> list[tuple]:
    return con.execute(f"SELECT rowid, bm25({table}) FROM {table} WHERE {table} MATCH ? ORDER BY rowid",
                       (match,)).fetchall()


def test_every_phrase_of_the_data_finds_and_ranks_the_same_quotes(datasets):
    checked = found = 0
    for name, (con, plain) in datasets.items():
        tokenize = fts_tokenizer(con)
        phrases = _phrases(con)
        assert len(phrases) > 20, name
        queries = [f'"{p}"' for p in phrases] + [f'"{a}" "{b}"' for a, b in zip(phrases[::7], phrases[3::7])]
        for text in queries:
            match = fts_query(text)
            pairs = pair_match(match, tokenize)
            assert pairs, (name, text)  # every query here is phrases of two or more terms
            assert _search_index(con, match) == ("quote_pairs_fts", pairs)  # search_hits reads the pairs
            assert _scores(con, "quote_pairs_fts", pairs) == _scores(con, "quotes_fts", match), (name, text)
            for rank_limit in (2000, 1):  # ranked, and listed in rowid order
                got, ref = search_hits(con, match, rank_limit=rank_limit), search_hits(plain, match, rank_limit=rank_limit)
                assert (got.total, got.ranked) == (ref.total, ref.ranked), (name, text)
                assert got.frame.values.tolist() == ref.frame.values.tolist(), (name, text)
            checked += 1
            found += bool(got.total or len(got.frame))
    assert checked > 2000 and found > 1000


def test_filters_apply_to_phrases_in_the_pairs_table(datasets):
    con, plain = datasets["seeds"] if "seeds" in datasets else datasets["heldout"]
    speaker, text = con.execute("SELECT speaker, text FROM quotes WHERE speaker IS NOT NULL LIMIT 1").fetchone()
    match = fts_query('"' + " ".join(WORD.findall(text)[:2]) + '"')
    got = search_hits(con, match, "qt.speaker = ?", [speaker])
    assert len(got.frame) >= 1
    assert got.frame.values.tolist() == search_hits(plain, match, "qt.speaker = ?", [speaker]).frame.values.tolist()
    assert search_hits(con, match, "qt.speaker = ?", ["nobody at all"]).frame.empty


@pytest.mark.parametrize("text, expected", [
    ('"the war"', '"the_war"'),
    ('"left for the border"', '"left_for for_the the_border"'),
    ('"it\'s the call-up"', '"it_s s_the the_call call_up"'),
    ('"Верхний Ларс"', '"верхний_ларс"'),
    ('"Mobilised men" "Upper Lars"', '"mobilis_men" "upper_lar"'),
    ('"war"', None),           # one term: a prefix walk in pairs, a plain lookup in quotes_fts
    ("the war", None),         # words, the last a prefix
    ('"the war" border', None),
    ('"the war" "army"', None),
])
def test_pair_match_takes_only_queries_of_multi_term_phrases(text, expected):
    assert pair_match(fts_query(text), TOKENIZE) == expected


def test_pair_match_refuses_anything_but_quoted_strings():
    for match in (None, "", 'the "war"', '"the war"*', '"the war" OR "a b"', 'NEAR("a b")'):
        assert pair_match(match, TOKENIZE) is None
