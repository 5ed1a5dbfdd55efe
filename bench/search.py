"""Quote search at scale: FTS5 through the dashboard's query path vs a pandas scan.

The database uses the project's own schema (exodus.store.SCHEMA). Each query runs
what the Quotes page runs for its first page, through the same functions of
components.data (so the benchmark cannot drift from the page): fts_query,
search_hits (ids in display order), cards grouped by quote_card.group_cards, then
fetch_quote_rows and mark_texts for the cards of page 1. The previous page SQL
(bm25 order and highlight over every match, LIMIT 500) is timed in the same run
as a reference.
"""
from __future__ import annotations

import random
import sqlite3
import statistics
import time
from pathlib import Path

from exodus.store import SCHEMA, write_search_index

N_ARTICLES = 2000
LEGACY_LIMIT = 500  # the previous page SQL, as benchmarked before search_hits
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
    write_search_index(con)
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


KINDS = ("common word", "mid word", "two words", "prefix", "phrase")  # make_queries order


def _legacy_sql() -> str:
    """The Quotes page's search SQL before search_hits (kept only as a same-run reference)."""
    return f"""SELECT qt.quote_id, qt.article_id, qt.text, qt.speaker, a.outlet, a.published, a.title,
                      substr(a.text, qt.sentence_start + 1, qt.sentence_end - qt.sentence_start) AS context,
                      highlight(quotes_fts, 0, char(2), char(3)) AS marked, bm25(quotes_fts) AS rank
               FROM quotes_fts JOIN quotes qt ON qt.rowid = quotes_fts.rowid
               JOIN articles a ON a.article_id = qt.article_id
               WHERE quotes_fts MATCH ? AND 1=1
               ORDER BY rank LIMIT {LEGACY_LIMIT}"""


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


def page_search(con: sqlite3.Connection, q: str, tokenize: str) -> int:
    """What the Quotes page does for a search, up to drawing page 1; returns the number of hits."""
    from components import quote_card
    from components.data import fetch_quote_rows, fts_query, mark_texts, search_hits

    match = fts_query(q)
    hits = search_hits(con, match)
    shown = quote_card.group_cards(hits.frame)[:quote_card.PAGE_SIZE]
    rows = fetch_quote_rows(con, [i for c in shown for i in c.quote_ids])
    if match and len(rows):
        mark_texts(match, list(zip(rows["text"], rows["speaker"])), tokenize)
    return len(hits.frame)


def _by_kind(ms: list[float]) -> dict:
    """p50/p95 per query kind (queries cycle through KINDS)."""
    return {k: {"p50_ms": round(_pct(ms[i::len(KINDS)], 50), 2), "p95_ms": round(_pct(ms[i::len(KINDS)], 95), 2)}
            for i, k in enumerate(KINDS) if ms[i::len(KINDS)]}


def _scan(df, q: str, limit: int) -> int:
    """The pandas baseline: substring AND of the query's words, case-insensitive (what a naive
    page would do), over the same rows."""
    mask = None
    for w in (w.lower() for w in q.replace('"', " ").split()):
        m = df["text"].str.contains(w, case=False, regex=False)
        mask = m if mask is None else (mask & m)
    return len(df[mask].head(limit))


def _ms(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t) * 1000


def bench_search(db: Path, n_quotes: int, n_queries: int, n_scan: int, seed: int, log) -> dict:
    import streamlit.logger  # components.data imports streamlit: keep its no-runtime warnings quiet

    streamlit.logger.set_log_level("error")
    from components.data import HITS_LIMIT, fts_query, fts_tokenizer
    import pandas as pd

    t0 = time.perf_counter()
    vocab = make_quotes_db(db, n_quotes, seed)
    setup = time.perf_counter() - t0
    log(f"search: {n_quotes:,} quotes written in {setup:.1f}s ({db.stat().st_size / 1e6:.0f} MB)")
    queries = make_queries(vocab, n_queries, seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    t = time.perf_counter()
    df = pd.read_sql_query("SELECT quote_id, article_id, text, speaker FROM quotes", con)
    load_s = time.perf_counter() - t
    tokenize = fts_tokenizer(con)
    legacy = _legacy_sql()
    page_search(con, queries[0], tokenize)  # warm the page cache like a running app
    # Interleaved per query, so a load spike on a shared machine hits all methods alike.
    fts_ms, legacy_ms, scan_ms, hits = [], [], [], []
    for i, q in enumerate(queries):
        t = time.perf_counter()
        hits.append(page_search(con, q, tokenize))
        fts_ms.append((time.perf_counter() - t) * 1000)
        legacy_ms.append(_ms(lambda: con.execute(legacy, [fts_query(q)]).fetchall()))
        if i < n_scan:
            scan_ms.append(_ms(_scan, df, q, HITS_LIMIT))
    con.close()
    ratios = [s / f for s, f in zip(scan_ms, fts_ms) if f > 0]
    by_kind = {"fts": _by_kind(fts_ms), "legacy_sql": _by_kind(legacy_ms), "scan": _by_kind(scan_ms)}
    log(f"search: FTS p95 {_pct(fts_ms, 95):.1f} ms, previous SQL p95 {_pct(legacy_ms, 95):.1f} ms, "
        f"scan p95 {_pct(scan_ms, 95):.1f} ms")
    for k in KINDS:
        log(f"  {k:12s} p50/p95 ms: page search {by_kind['fts'][k]['p50_ms']}/{by_kind['fts'][k]['p95_ms']}, "
            f"previous SQL {by_kind['legacy_sql'][k]['p50_ms']}/{by_kind['legacy_sql'][k]['p95_ms']}, "
            f"scan {by_kind['scan'].get(k, {}).get('p50_ms')}/{by_kind['scan'].get(k, {}).get('p95_ms')}")
    return {
        "quotes": n_quotes, "fts_queries": len(queries), "scan_queries": len(scan_ms),
        "setup_s": round(setup, 1), "db_mb": round(db.stat().st_size / 1e6, 1),
        "pandas_load_s": round(load_s, 2),
        "fts_p50_ms": round(_pct(fts_ms, 50), 2), "fts_p95_ms": round(_pct(fts_ms, 95), 2),
        "fts_max_ms": round(max(fts_ms), 2), "fts_mean_hits": round(statistics.mean(hits), 1),
        "legacy_p50_ms": round(_pct(legacy_ms, 50), 2), "legacy_p95_ms": round(_pct(legacy_ms, 95), 2),
        "scan_p50_ms": round(_pct(scan_ms, 50), 1), "scan_p95_ms": round(_pct(scan_ms, 95), 1),
        "speedup_p95": round(_pct(scan_ms, 95) / max(_pct(fts_ms, 95), 1e-6), 1),
        "speedup_median": round(statistics.median(ratios), 1) if ratios else None,
        "speedup_p95_vs_legacy": round(_pct(legacy_ms, 95) / max(_pct(fts_ms, 95), 1e-6), 1),
        # like for like: FTS p95 over the same queries the scan ran
        "speedup_p95_same_queries": round(_pct(scan_ms, 95) / max(_pct(fts_ms[:len(scan_ms)], 95), 1e-6), 1),
        "by_kind": by_kind,
    }
