"""``python -m bench``: build throughput, peak memory, quote search and dataset size.

Every figure is also reported as a ratio against a baseline measured in the same
run (machines are noisy; ratios travel better than absolute numbers):

* build: articles/s of ``python -m exodus build`` with --jobs 1 and 2, against a
  trivial pass that only reads the same files (so the ratio is the cost of ingest
  + extraction + linking + store relative to I/O); the jobs-N speed-up is set beside
  the machine's own ceiling, N processes of a pure-Python loop against one (shared
  virtual CPUs can give far less than N);
* search: FTS5 (the dashboard's own query text and SQL shape) against a pandas
  ``str.contains`` scan of the same quotes;
* size: dataset bytes per 1k articles, against the input bytes per 1k articles.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.corpus import write_corpus
from bench.search import bench_search

ROOT = Path(__file__).resolve().parent.parent


def _tree_rss_kb(pid: int) -> int:
    """Sum of VmRSS over a process and its descendants (Linux /proc), 0 if unreadable."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_build(corpus: Path, output: Path, jobs: int) -> dict:
    """Run the real CLI build in a child process; wall time and peak memory."""
    cmd = [sys.executable, "-m", "exodus", "build", "--input", str(corpus), "--output", str(output),
           "--jobs", str(jobs)]
    t0 = time.perf_counter()
    # Output goes to files, not pipes: nothing can block on a full pipe while we wait.
    out_f, err_f = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out_f, stderr=err_f)
    peak_tree = [0]
    stop = threading.Event()

    def sample() -> None:  # the workers' memory adds up; getrusage only gives the largest process
        while not stop.is_set():
            peak_tree[0] = max(peak_tree[0], _tree_rss_kb(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - t0
    stop.set()
    sampler.join()
    out_f.seek(0), err_f.seek(0)
    out, err = out_f.read(), err_f.read()
    out_f.close(), err_f.close()
    if proc.returncode != 0:
        raise RuntimeError(f"build failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    # ru_maxrss (KB on Linux) covers the child and its reaped workers: the largest single process.
    return {"seconds": elapsed, "peak_rss_mb": usage.ru_maxrss / 1024, "peak_tree_rss_mb": peak_tree[0] / 1024,
            "summary": out.decode(errors="replace").strip().splitlines()[-1:]}


def read_baseline(corpus: Path) -> float:
    """Seconds for the trivial pass: read and decode every input file (in this process)."""
    t0 = time.perf_counter()
    n = 0
    for path in sorted(corpus.iterdir()):
        if path.suffix == ".txt":
            n += len(path.read_bytes().decode("utf-8"))
    return time.perf_counter() - t0


def _spin(_: int) -> float:
    """A fixed pure-Python CPU task (no memory traffic, no I/O); its own wall time."""
    t0 = time.perf_counter()
    acc = 0
    for i in range(5_000_000):
        acc += i * i
    return time.perf_counter() - t0


def cpu_ceiling(jobs: int, repeats: int = 3) -> float:
    """How many times one process's work ``jobs`` processes get done in the same time on this
    machine (best of ``repeats``): the most a ``--jobs`` build could gain over ``--jobs 1``."""
    from multiprocessing import Pool

    if jobs <= 1:
        return 1.0
    one = min(_spin(0) for _ in range(repeats))
    with Pool(processes=jobs) as pool:
        many = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            pool.map(_spin, range(jobs), chunksize=1)
            many.append(time.perf_counter() - t0)
    return round(jobs * one / min(many), 2)


def bench_builds(sizes: list[int], jobs_list: list[int], workdir: Path, seed: int, log) -> list[dict]:
    rows = []
    for n in sizes:
        corpus = workdir / f"corpus-{n}"
        t0 = time.perf_counter()
        paths = write_corpus(corpus, n, seed=seed)
        gen_s = time.perf_counter() - t0
        in_bytes = sum(p.stat().st_size for p in paths)
        base_s = min(read_baseline(corpus) for _ in range(3))
        log(f"size {n}: corpus {in_bytes / 1e6:.1f} MB written in {gen_s:.1f}s; read baseline {n / base_s:,.0f} articles/s")
        for jobs in jobs_list:
            out = workdir / f"out-{n}-j{jobs}.sqlite"
            r = run_build(corpus, out, jobs)
            rate = n / r["seconds"]
            db_bytes = out.stat().st_size
            rows.append({
                "articles": n, "jobs": jobs, "seconds": round(r["seconds"], 2),
                "articles_per_s": round(rate, 1),
                "baseline_articles_per_s": round(n / base_s, 1),
                "slowdown_vs_read": round((n / base_s) / rate, 1),
                "peak_rss_mb": round(r["peak_rss_mb"], 1),
                "peak_tree_rss_mb": round(r["peak_tree_rss_mb"], 1),
                "input_kb_per_1k": round(in_bytes / n, 1),          # bytes/article == KB per 1k articles
                "dataset_kb_per_1k": round(db_bytes / n, 1),
                "dataset_to_input": round(db_bytes / in_bytes, 2),
                "summary": r["summary"],
            })
            log(f"  jobs {jobs}: {r['seconds']:.1f}s, {rate:.1f} articles/s, peak RSS {r['peak_rss_mb']:.0f} MB "
                f"(tree {r['peak_tree_rss_mb']:.0f} MB), dataset {db_bytes / 1e6:.1f} MB")
            out.unlink(missing_ok=True)
        shutil.rmtree(corpus, ignore_errors=True)
    # speed-up of jobs>1 against jobs 1 at the same size (same run), and the machine's own ceiling
    one = {r["articles"]: r["articles_per_s"] for r in rows if r["jobs"] == 1}
    ceiling = {j: cpu_ceiling(j) for j in jobs_list}
    log(f"machine ceiling (N processes of a CPU loop vs one): {ceiling}")
    for r in rows:
        r["speedup_vs_jobs1"] = round(r["articles_per_s"] / one[r["articles"]], 2) if r["articles"] in one else None
        r["cpu_ceiling"] = ceiling[r["jobs"]]
    return rows


def machine() -> dict:
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform(),
            "sqlite": __import__("sqlite3").sqlite_version}


def format_table(result: dict) -> str:
    lines = [f"machine: {result['machine']['cpus']} CPUs, Python {result['machine']['python']}, "
             f"SQLite {result['machine']['sqlite']}, {result['machine']['date']}", ""]
    if result.get("build"):
        lines.append("| articles | jobs | s | articles/s | read baseline/s | x slower than read | x vs jobs 1 "
                     "| machine ceiling | peak RSS MB (largest / tree) | input KB per 1k | dataset KB per 1k "
                     "| dataset/input |")
        lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in result["build"]:
            lines.append(f"| {r['articles']:,} | {r['jobs']} | {r['seconds']} | {r['articles_per_s']} "
                         f"| {r['baseline_articles_per_s']:,.0f} | {r['slowdown_vs_read']:,} | {r['speedup_vs_jobs1']} "
                         f"| x{r['cpu_ceiling']} "
                         f"| {r['peak_rss_mb']:.0f} / {r['peak_tree_rss_mb']:.0f} | {r['input_kb_per_1k']:,.0f} "
                         f"| {r['dataset_kb_per_1k']:,.0f} | {r['dataset_to_input']} |")
        lines.append("")
    s = result.get("search")
    if s:
        lines.append(f"quote search over {s['quotes']:,} quotes ({s['fts_queries']} FTS queries, "
                     f"{s['scan_queries']} pandas scans; setup {s['setup_s']} s, db {s['db_mb']} MB):")
        lines.append("| method | p50 ms | p95 ms |")
        lines.append("|---|---:|---:|")
        lines.append(f"| Quotes page search (FTS5, hits + 20 shown cards) | {s['fts_p50_ms']} | {s['fts_p95_ms']} |")
        lines.append(f"| previous dashboard SQL (FTS5 join, LIMIT 500) | {s['legacy_p50_ms']} | {s['legacy_p95_ms']} |")
        lines.append(f"| pandas str.contains scan | {s['scan_p50_ms']} | {s['scan_p95_ms']} |")
        lines.append(f"speed-up page search vs scan: p95 x{s['speedup_p95']} (same queries x{s['speedup_p95_same_queries']}), "
                     f"median per-query x{s['speedup_median']}; vs previous SQL p95 x{s['speedup_p95_vs_legacy']}")
        by_kind = s.get("by_kind") or {}
        if by_kind.get("fts"):
            lines.append("")
            lines.append("| query kind | page p50/p95 ms | previous SQL p50/p95 ms | scan p50/p95 ms |")
            lines.append("|---|---:|---:|---:|")
            for kind, page in by_kind["fts"].items():
                legacy = by_kind.get("legacy_sql", {}).get(kind, {})
                scan = by_kind.get("scan", {}).get(kind, {})
                lines.append(f"| {kind} | {page.get('p50_ms')}/{page.get('p95_ms')} "
                             f"| {legacy.get('p50_ms')}/{legacy.get('p95_ms')} "
                             f"| {scan.get('p50_ms', '-')}/{scan.get('p95_ms', '-')} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes; finishes in under a minute")
    ap.add_argument("--sizes", help="comma-separated corpus sizes, e.g. 1000,10000,100000")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values for the build (default 1,2)")
    ap.add_argument("--quotes", type=int, help="rows in the synthetic quotes table (default 1,000,000; quick 100,000)")
    ap.add_argument("--queries", type=int, default=200, help="FTS queries (default 200)")
    ap.add_argument("--scan-queries", type=int, help="pandas scan queries, a prefix of the FTS ones (default 30; quick 10)")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", help="scratch folder (default: a temporary folder, removed afterwards)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--pages", type=int, metavar="N",
                    help="only the dashboard benchmark (bench/pages.py) on N articles (a 1k real build replicated)")
    ap.add_argument("--page-repeats", type=int, default=5, help="rounds over the pages (default 5)")
    ap.add_argument("--cold-repeats", type=int, default=5, help="cold starts of each app (default 5)")
    ap.add_argument("--page-list", default="Overview,Routes,Numbers,Quotes,Sources,About",
                    help="comma-separated pages to measure (sidebar titles)")
    ap.add_argument("--page-timeout", type=float, default=600, help="seconds before a page interaction counts as a timeout")
    args = ap.parse_args(argv)

    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else ([200] if args.quick else [1000, 10000])
    jobs_list = [int(x) for x in args.jobs.split(",")]
    n_quotes = args.quotes or (100_000 if args.quick else 1_000_000)
    scan_q = args.scan_queries or (10 if args.quick else 30)
    log = (lambda m: print(m, file=sys.stderr, flush=True))

    tmp = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="exodus-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    result: dict = {"machine": machine(), "args": {"sizes": sizes, "jobs": jobs_list, "quotes": n_quotes,
                                                   "queries": args.queries, "scan_queries": scan_q, "seed": args.seed}}
    t0 = time.perf_counter()
    if args.pages:
        return _main_pages(args, tmp, log, t0)
    try:
        if not args.skip_build:
            result["build"] = bench_builds(sizes, jobs_list, tmp, args.seed, log)
        if not args.skip_search:
            result["search"] = bench_search(tmp / "quotes.sqlite", n_quotes, args.queries, scan_q, args.seed, log)
    finally:
        if not args.workdir:
            shutil.rmtree(tmp, ignore_errors=True)
    result["total_s"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(format_table(result))
        print(f"\ntotal {result['total_s']} s")
    return 0


def _main_pages(args, tmp: Path, log, t0: float) -> int:
    from bench.app_dataset import build_app_dataset
    from bench.pages import bench_pages, format_pages

    try:
        db, corpus = build_app_dataset(tmp, args.pages, seed=args.seed, log=log)
        result = {"machine": machine(), "pages": bench_pages(db, corpus, args.page_repeats, args.cold_repeats,
                                                             args.page_timeout, log=log,
                                                             pages=tuple(args.page_list.split(",")))}
    finally:
        if not args.workdir:
            shutil.rmtree(tmp, ignore_errors=True)
    result["total_s"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(format_pages(result["pages"]))
        print(f"\ntotal {result['total_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
