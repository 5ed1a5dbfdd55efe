"""A large dataset for the dashboard benchmarks, fast: a small real build, replicated.

Building 100k articles with the real pipeline takes ~30 minutes, so the page
benchmark uses a **1k real build replicated**: ``bench.corpus.write_corpus``
writes ``base`` synthetic articles, ``exodus.pipeline.build`` turns them into a
real dataset, and every row of every per-article table is then copied inside
SQLite with suffixed ids (``-c<k>``) until there are ``n`` articles. Copies get
their ``published`` date shifted by up to +-3 months so date filters and the
timeline see a spread; places (the gazetteer rows) stay shared. ``quotes_fts`` is
rebuilt and the summary tables derived again; the schema and ``meta`` are those
of the real build, and the stored input fingerprint is that of the corpus folder, so an
app started with
``EXODUS_RAW=<corpus folder>`` accepts the file and does not rebuild it.

What this does not model: text variety (every 1k-th article has the same words),
rewrites across copies (story ids are per copy), a 100k-article build's memory.

    python -m bench.app_dataset --articles 100000 --workdir /tmp/appbench
"""
from __future__ import annotations

import argparse
import math
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from bench.corpus import write_corpus
from exodus import store

# Columns that hold an id of a per-article row (or of a group of them): suffixed per copy.
ID_COLUMNS = frozenset({"article_id", "quote_id", "figure_id", "route_id", "story_id", "rewrite_of",
                        "variant_group", "file"})
# Tables that are not per-article: kept as built (places are shared by every copy).
SHARED_TABLES = frozenset({"meta", "places", "skipped"})
MAX_SHIFT_DAYS = 90


def shift_days(copy: int) -> int:
    """A deterministic date shift in [-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS] for copy ``copy`` (0 = none)."""
    if copy == 0:
        return 0
    return (copy * 37) % (2 * MAX_SHIFT_DAYS + 1) - MAX_SHIFT_DAYS


def _per_article_tables(con: sqlite3.Connection, schema: str = "main") -> dict[str, list[str]]:
    """Plain tables with an article_id column -> their columns (FTS shadow tables excluded)."""
    out: dict[str, list[str]] = {}
    for (name,) in con.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type='table' "
                               "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"):
        if name in SHARED_TABLES or name in store.SUMMARY_TABLES or name.startswith(("quotes_fts", "quote_pairs_fts", "sqlite_")):
            continue
        cols = [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{name}")')]
        if "article_id" in cols:
            out[name] = cols
    return out


def _select_list(cols: list[str], copy: int) -> tuple[str, list]:
    """The SELECT expressions that turn a base row into copy ``copy`` of it."""
    exprs, params = [], []
    for c in cols:
        q = f'"{c}"'
        if c in ID_COLUMNS:
            exprs.append(f"{q} || ?")  # NULL stays NULL
            params.append(f"-c{copy}")
        elif c == "published":
            exprs.append(f"date({q}, ?)")
            params.append(f"{shift_days(copy):+d} days")
        else:
            exprs.append(q)
    return ", ".join(exprs), params


def replicate(base_db: Path, out: Path, n: int) -> dict:
    """Copy ``base_db`` to ``out`` and grow it to ``n`` articles by replicating every per-article
    table with suffixed ids. Returns row counts."""
    out = Path(out)
    out.unlink(missing_ok=True)
    shutil.copyfile(base_db, out)
    con = sqlite3.connect(out)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("ATTACH DATABASE ? AS base", (f"file:{base_db}?mode=ro",))
        base_ids = [r[0] for r in con.execute("SELECT article_id FROM base.articles ORDER BY article_id")]
        per_copy = len(base_ids)
        if n < per_copy:
            raise ValueError(f"n={n} is smaller than the base build ({per_copy} articles)")
        tables = _per_article_tables(con, "base")
        # Secondary indexes are dropped during the bulk insert and recreated once at the end.
        indexes = [(name, sql) for name, sql in con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")]
        for name, _ in indexes:
            con.execute(f'DROP INDEX "{name}"')
        con.execute("CREATE TEMP TABLE part (article_id TEXT PRIMARY KEY)")
        for copy in range(1, math.ceil(n / per_copy)):
            take = min(per_copy, n - copy * per_copy)
            where = ""
            if take < per_copy:  # last, partial copy: the first `take` base articles
                con.execute("DELETE FROM temp.part")
                con.executemany("INSERT INTO temp.part VALUES (?)", [(a,) for a in base_ids[:take]])
                where = " WHERE article_id IN (SELECT article_id FROM temp.part)"
            for table, cols in tables.items():
                exprs, params = _select_list(cols, copy)
                names = ", ".join(f'"{c}"' for c in cols)
                con.execute(f'INSERT INTO main."{table}" ({names}) SELECT {exprs} FROM base."{table}"{where}',
                            params)
        con.commit()
        for _, sql in indexes:
            con.execute(sql)
        store.write_summaries(con)  # derived from the copies, not copied (their keys hold dates)
        store.write_search_index(con)
        con.commit()
        con.execute("DETACH DATABASE base")
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in ("articles", "quotes", "figures", "routes", "place_mentions")}
    finally:
        con.close()
    return counts


def set_fingerprint(db: Path, fingerprint: str) -> None:
    """Store the input fingerprint the app compares with its raw folder (components/dataset.py)."""
    con = sqlite3.connect(db)
    try:
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('input_fingerprint', ?)", (fingerprint,))
        con.commit()
    finally:
        con.close()


def _stored_fingerprint(db: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='input_fingerprint'").fetchone()
            n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    return f"{row[0]}:{n}" if row else None


def build_app_dataset(workdir: Path, n: int, base: int = 1000, seed: int = 0, log=print) -> tuple[Path, Path]:
    """(dataset, corpus folder) for ``n`` articles in ``workdir``; reuses a matching earlier result.

    Start the app with ``EXODUS_DB=<dataset> EXODUS_RAW=<corpus folder>``."""
    from exodus.pipeline import build, input_fingerprint

    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / f"corpus-{base}-s{seed}"
    base_db = workdir / f"base-{base}-s{seed}.sqlite"
    out = workdir / f"app-{n}-from-{base}-s{seed}.sqlite"
    if not corpus.is_dir() or len(list(corpus.glob("*.txt"))) != base:
        shutil.rmtree(corpus, ignore_errors=True)
        write_corpus(corpus, base, seed=seed)
    fingerprint = input_fingerprint(corpus)
    if _stored_fingerprint(out) == f"{fingerprint}:{n}":
        log(f"reusing {out}")
        return out, corpus
    if _stored_fingerprint(base_db) != f"{fingerprint}:{base}":
        t0 = time.perf_counter()
        build(corpus, base_db, jobs=2)
        log(f"real build of {base} articles: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    counts = replicate(base_db, out, n)
    set_fingerprint(out, fingerprint)
    log(f"replicated to {counts} in {time.perf_counter() - t0:.1f} s; {out.stat().st_size / 1e6:.0f} MB")
    return out, corpus


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.app_dataset", description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--base", type=int, default=1000, help="articles in the real build (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args(argv)
    db, corpus = build_app_dataset(Path(args.workdir), args.articles, args.base, args.seed,
                                   log=lambda m: print(m, file=sys.stderr, flush=True))
    print(f"EXODUS_DB={db} EXODUS_RAW={corpus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
