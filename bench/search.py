"""Quote search at scale: FTS5 through the dashboard's query path vs a pandas scan.

The database uses the project's own schema (exodus.store.SCHEMA) and the query
text comes from components.data.fts_query, with the SQL shape of the Quotes page
(MATCH bound as a parameter, bm25 order, highlight, LIMIT 500).
"""
from __future__ import annotations

import random
import sqlite3
import statistics
import time
from pathlib import Path

from exodus.store import SCHEMA

N_ARTICLES = 2000
LIMIT = 500
_SYLLABLES = ("ka", "ro", "vi", "len", "mar", "to", "sha", "dim", "ol", "gu", "ne", "bra", "sk", "zo", "pi", "tan")
_COMMON = ("the", "and", "to", "of", "we", "i", "a", "in", "is", "that", "it", "for", "was", "on", "they",
           "war", "border", "army", "leave", "left", "summons", "mobilisation", "family", "country", "queue",
           "afraid", "fight", "car", "night", "friends", "money", "work", "home", "police", "passport",
           "draft", "office", "train", "flight", "mother", "children", "future", "law", "prison", "refuse")


def _vocab(r: random.Random, size: int = 20_000) -> list[str]:
    """Common news words first, then invented words (a Zipf-like tail the stemmer can handle)."""
    words = list(_COMMON)
    seen = set(words)
    while len(words) < size:
        w = "".join(r.choice(_SYLLABLES) for _ in range(r.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def make_quotes_db(path: Path, n_quotes: int, seed: int = 0) -> list[str]:
    """Write a dataset-shaped SQLite with ``n_quotes`` quotes; returns the vocabulary."""
    r = random.Random(f"bench-search:{seed}")
    vocab = _vocab(r)
    cum, total = [], 0.0
    for rank in range(1, len(vocab) + 1):  # Zipf weights
        total += 1.0 / rank
        cum.append(total)
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.executescript(SCHEMA)
    con.executemany(
        "INSERT INTO articles (article_id, file, outlet, published, title, text) VALUES (?,?,?,?,?,?)",
        [(f"a{i:05d}", f"a{i:05d}.txt", "Bench", f"2023-{i % 12 + 1:02d}-01", f"Article {i}", "x" * 400)
         for i in range(N_ARTICLES)],
    )
    speakers = [f"{r.choice(('Ivan', 'Olga', 'Pavel', 'Anna'))} {w.title()}" for w in vocab[100:1100]]
    batch = 50_000
    for lo in range(0, n_quotes, batch):
        hi = min(n_quotes, lo + batch)
        lengths = [r.randint(6, 30) for _ in range(hi - lo)]
        picks = r.choices(vocab, cum_weights=cum, k=sum(lengths))
        rows, pos = [], 0
        for i, k in zip(range(lo, hi), lengths):
            text = " ".join(picks[pos:pos + k]).capitalize()
            pos += k
            rows.append((f"q{i:08d}", f"a{i % N_ARTICLES:05d}", text, speakers[i % len(speakers)], None,
                         0, len(text), 0, 100, "bench", 0.9, None))
        con.executemany("INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    con.execute("INSERT INTO quotes_fts(quotes_fts) VALUES('rebuild')")
    con.commit()
    con.close()
    return vocab


def make_queries(vocab: list[str], n: int, seed: int = 0) -> list[str]:
    """What users type: common and rare single words, two words, a prefix being typed, a phrase."""
    r = random.Random(f"bench-queries:{seed}")
    out = []
    for i in range(n):
        kind = i % 5
        common, mid, rare = r.choice(vocab[15:45]), r.choice(vocab[45:2000]), r.choice(vocab[2000:])
        out.append((common, mid, f"{common} {mid}", rare[: max(3, len(rare) - 2)], f'"{r.choice(vocab[:15])} {common}"')[kind])
    return out


def _fts_sql() -> str:
    return f"""SELECT qt.quote_id, qt.article_id, qt.text, qt.speaker, a.outlet, a.published, a.title,
                      substr(a.text, qt.sentence_start + 1, qt.sentence_end - qt.sentence_start) AS context,
                      highlight(quotes_fts, 0, char(2), char(3)) AS marked, bm25(quotes_fts) AS rank
               FROM quotes_fts JOIN quotes qt ON qt.rowid = quotes_fts.rowid
               JOIN articles a ON a.article_id = qt.article_id
               WHERE quotes_fts MATCH ? AND 1=1
               ORDER BY rank LIMIT {LIMIT}"""


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


def bench_search(db: Path, n_quotes: int, n_queries: int, n_scan: int, seed: int, log) -> dict:
    import streamlit.logger  # components.data imports streamlit: keep its no-runtime warnings quiet

    streamlit.logger.set_log_level("error")
    from components.data import fts_query  # only the pure helper is used
    import pandas as pd

    t0 = time.perf_counter()
    vocab = make_quotes_db(db, n_quotes, seed)
    setup = time.perf_counter() - t0
    log(f"search: {n_quotes:,} quotes written in {setup:.1f}s ({db.stat().st_size / 1e6:.0f} MB)")
    queries = make_queries(vocab, n_queries, seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    sql = _fts_sql()
    con.execute(sql, [fts_query(queries[0])]).fetchall()  # warm the page cache like a running app
    fts_ms, hits = [], []
    for q in queries:
        match = fts_query(q)
        t = time.perf_counter()
        rows = con.execute(sql, [match]).fetchall()
        fts_ms.append((time.perf_counter() - t) * 1000)
        hits.append(len(rows))
    t = time.perf_counter()
    df = pd.read_sql_query("SELECT quote_id, article_id, text, speaker FROM quotes", con)
    load_s = time.perf_counter() - t
    con.close()
    scan_ms = []
    for q in queries[:n_scan]:
        words = [w.lower() for w in q.replace('"', " ").split()]
        t = time.perf_counter()
        mask = None
        for w in words:  # substring AND of the words, case-insensitive: the naive page would do this
            m = df["text"].str.contains(w, case=False, regex=False)
            mask = m if mask is None else (mask & m)
        _ = df[mask].head(LIMIT)
        scan_ms.append((time.perf_counter() - t) * 1000)
    ratios = [s / f for s, f in zip(scan_ms, fts_ms) if f > 0]
    log(f"search: FTS p95 {_pct(fts_ms, 95):.1f} ms, scan p95 {_pct(scan_ms, 95):.1f} ms")
    return {
        "quotes": n_quotes, "fts_queries": len(queries), "scan_queries": len(scan_ms),
        "setup_s": round(setup, 1), "db_mb": round(db.stat().st_size / 1e6, 1),
        "pandas_load_s": round(load_s, 2),
        "fts_p50_ms": round(_pct(fts_ms, 50), 2), "fts_p95_ms": round(_pct(fts_ms, 95), 2),
        "fts_max_ms": round(max(fts_ms), 2), "fts_mean_hits": round(statistics.mean(hits), 1),
        "scan_p50_ms": round(_pct(scan_ms, 50), 1), "scan_p95_ms": round(_pct(scan_ms, 95), 1),
        "speedup_p95": round(_pct(scan_ms, 95) / max(_pct(fts_ms, 95), 1e-6), 1),
        "speedup_median": round(statistics.median(ratios), 1) if ratios else None,
    }
