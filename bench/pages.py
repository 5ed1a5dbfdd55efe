"""Page cost, app memory and cold start of the dashboard in a real browser, against a trivial app.

Two Streamlit servers run in the same measurement: ``dashboard.py`` on a large dataset
(``bench/app_dataset.py``: a 1k real build replicated to N articles) and a trivial app
(``st.write`` plus a button). Chromium (Playwright) drives both. Every time is
"interaction to idle": from the click to the moment Streamlit's script state is back to
``notRunning`` after having been ``running`` (a MutationObserver in the page records both
ends with ``performance.now()``, so Playwright's polling adds nothing).

* cold start: process start to the first page drawn (server health, then the page open and idle);
* per page (overview, routes, numbers, quotes, sources, about): the default view (click on the
  page in the sidebar navigation) and a filter change (pick an outlet in the sidebar); the
  first visit runs with the data caches cold, the repeats with the default view warm (each
  repeat picks another outlet, so filter changes stay mostly cold);
* baseline: the same interaction-to-idle time of a rerun of the trivial app (a button click);
* memory: summed VmRSS of the dashboard's process tree after every page was visited;
* size: the dataset file on disk.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("EXODUS_CHROMIUM", "/usr/bin/chromium")
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
SIDEBAR = "[data-testid='stSidebar']"
PAGES = ("Overview", "Routes", "Numbers", "Quotes", "Sources", "About")
PATHS = {"Overview": "", "Routes": "routes", "Numbers": "numbers", "Quotes": "quotes", "Sources": "sources",
         "About": "about"}
TRIVIAL_APP = 'import streamlit as st\nst.write("hello")\nst.button("rerun")\n'

# Arms an observer on the app root: t0 now, done when the script ran and went idle again.
ARM = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__bench = {t0: performance.now(), ran: false, done: null};
  if (window.__benchObs) window.__benchObs.disconnect();
  window.__benchObs = new MutationObserver(() => {
    const s = app.getAttribute('data-test-script-state');
    if (s === 'running') window.__bench.ran = true;
    else if (s === 'notRunning' && window.__bench.ran && window.__bench.done === null)
      window.__bench.done = performance.now();
  });
  window.__benchObs.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: Path, env: dict, timeout: float = 600) -> tuple[subprocess.Popen, str, float]:
    """``streamlit run script`` headless on a free loopback port; (process, url, start time)."""
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url, t0
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def tree_rss_mb(pid: int) -> float:
    from bench.__main__ import _tree_rss_kb  # one implementation of the /proc walk

    return _tree_rss_kb(pid) / 1024


def wait_idle(pg, timeout: float) -> None:
    pg.wait_for_selector(READY, timeout=timeout)
    pg.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0", timeout=timeout,
        polling=50)


def timed(pg, action, timeout: float, tries: int = 3) -> float:
    """Seconds from ``action()`` to the script having run and gone idle (measured in the page).

    A click can be lost while the frontend is still settling; an action that starts no run
    within 15 s is repeated (the lost attempt is not timed)."""
    for attempt in range(tries):
        pg.evaluate(ARM)
        action()
        try:
            # rAF polling stalls in headless Chromium; the times come from the observer, not the poll
            pg.wait_for_function("() => window.__bench.ran || window.__bench.done !== null",
                                 timeout=15_000, polling=50)
            break
        except Exception:
            if attempt == tries - 1:
                raise
    pg.wait_for_function("() => window.__bench && window.__bench.done !== null", timeout=timeout, polling=50)
    ms = pg.evaluate("() => window.__bench.done - window.__bench.t0")
    wait_idle(pg, timeout)
    return ms / 1000


def open_first(pg, url: str, ready_selector: str, timeout: float) -> None:
    pg.goto(url)
    pg.wait_for_selector(ready_selector, state="attached", timeout=timeout)
    wait_idle(pg, timeout)
    pg.wait_for_timeout(1000)  # settle: a click right after the first draw can be lost
    wait_idle(pg, timeout)


def stats(xs: list[float]) -> dict:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]
    return {"median": round(statistics.median(xs), 3), "p95": round(p95, 3), "n": len(xs)}


def _context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else route.abort())
    pg = ctx.new_page()
    pg.set_default_timeout(600_000)
    return ctx, pg


def cold_starts(browser, script: Path, env: dict, ready: str, repeats: int, timeout: float,
                keep_last: bool = False):
    """Process start -> first page drawn, ``repeats`` times; the last server is kept if asked."""
    times, kept = [], None
    for i in range(repeats):
        proc, url, t0 = start(script, env)
        ctx, pg = _context(browser)
        try:
            open_first(pg, url, ready, timeout)
            times.append(time.perf_counter() - t0)
        finally:
            ctx.close()
        if keep_last and i == repeats - 1:
            kept = (proc, url)
        else:
            stop(proc)
    return times, kept


def pick_outlet(pg, outlet: str) -> None:
    box = pg.locator(f"{SIDEBAR} input[role='combobox'][aria-label='Outlet']")
    box.click()
    pg.get_by_role("option", name=outlet, exact=True).click()


def nav(pg, page: str) -> None:
    pg.locator(f"{SIDEBAR} [data-testid='stSidebarNav'] a").filter(has_text=page).first.click()


def bench_pages(db: Path, raw: Path, repeats: int = 5, cold_repeats: int = 5, timeout: float = 600,
                log=print, pages: tuple[str, ...] = PAGES) -> dict:
    import sqlite3

    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    timeout = timeout * 1000  # Playwright counts milliseconds
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    outlets = [r[0] for r in con.execute(
        "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY count(*) DESC, outlet")]
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    env = {"EXODUS_DB": str(db), "EXODUS_RAW": str(raw)}
    tmp = Path(tempfile.mkdtemp(prefix="exodus-pages-"))
    trivial = tmp / "trivial.py"
    trivial.write_text(TRIVIAL_APP)
    result: dict = {"articles": n_articles, "dataset_mb": round(db.stat().st_size / 1e6, 1),
                    "repeats": repeats, "cold_repeats": cold_repeats}
    dash_ready = f"{SIDEBAR} input[aria-label='Outlet']"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-dev-shm-usage"])
        try:
            t_cold, trivial_srv = cold_starts(browser, trivial, {}, "[data-testid='stButton']", cold_repeats,
                                              timeout, keep_last=True)
            log(f"trivial cold start {stats(t_cold)}")
            d_cold, dash_srv = cold_starts(browser, ROOT / "dashboard.py", env, dash_ready, cold_repeats,
                                           timeout, keep_last=True)
            log(f"dashboard cold start {stats(d_cold)}")
            result["cold_start"] = {"trivial": stats(t_cold), "dashboard": stats(d_cold),
                                    "trivial_s": t_cold, "dashboard_s": d_cold}
            result["rss_after_start_mb"] = round(tree_rss_mb(dash_srv[0].pid), 1)
            try:
                # the baseline: a rerun of the trivial app
                ctx, tpg = _context(browser)
                open_first(tpg, trivial_srv[1], "[data-testid='stButton']", timeout)
                base = [timed(tpg, lambda: tpg.get_by_role("button", name="rerun").click(), timeout)
                        for _ in range(max(repeats, 5) * 2)]
                ctx.close()
                result["trivial_rerun"] = stats(base)
                log(f"trivial rerun {result['trivial_rerun']}")

                ctx, pg = _context(browser)
                open_first(pg, dash_srv[1], dash_ready, timeout)
                rows = []
                # Overview was drawn by the cold start, so it is measured last in each round; every
                # other page is reached from the one measured before it (whose view is warm).
                order = [p for p in [*PAGES[1:], PAGES[0]] if p in pages]
                for rep in range(repeats):
                    for i, name in enumerate(order):
                        outlet = outlets[(rep * len(order) + i) % len(outlets)]
                        d = fch = None
                        try:
                            d = timed(pg, lambda: nav(pg, name), timeout)
                            fch = timed(pg, lambda: pick_outlet(pg, outlet), timeout)
                            # back to no filter (not reported; timed() waits for that rerun to start and
                            # end, else the next page's click is measured against this rerun and the next
                            # page's own run is cut short by the outlet pick that follows)
                            timed(pg, lambda: pg.get_by_role("button", name="Clear filters").click(), timeout)
                        except PlaywrightTimeout:  # recorded as "> timeout"; go on from a fresh page
                            log(f"rep {rep} {name}: timed out after {timeout / 1000:.0f} s")
                            pg.goto(f"{dash_srv[1]}/{PATHS[name]}")
                            wait_idle(pg, 10 * timeout)
                        rows.append({"page": name, "rep": rep, "default_s": d, "filter_s": fch})
                        log(f"rep {rep} {name}: default {d} s, filter ({outlet}) {fch} s")
                    if rep == 0:
                        result["rss_after_every_page_mb"] = round(tree_rss_mb(dash_srv[0].pid), 1)
                ctx.close()
                result["rss_after_all_mb"] = round(tree_rss_mb(dash_srv[0].pid), 1)
                result["raw"] = rows
                result["pages"] = summarise(rows, result["trivial_rerun"]["median"], order)
            finally:
                stop(dash_srv[0])
                stop(trivial_srv[0])
        finally:
            browser.close()
    return result


def _stats_or_none(xs: list) -> dict | None:
    done = [x for x in xs if x is not None]
    out = stats(done) if done else {"median": None, "p95": None, "n": 0}
    out["timeouts"] = len(xs) - len(done)
    return out


def _ratio(x: float | None, base: float) -> float | None:
    return None if x is None else round(x / base, 1)


def summarise(rows: list[dict], base_median: float, pages=PAGES) -> list[dict]:
    out = []
    for name in pages:
        mine = [r for r in rows if r["page"] == name]
        first = next(r for r in mine if r["rep"] == 0)
        warm = [r["default_s"] for r in mine if r["rep"] > 0] or [first["default_s"]]
        w, f = _stats_or_none(warm), _stats_or_none([r["filter_s"] for r in mine])
        out.append({"page": name, "default_cold_s": first["default_s"], "default_warm": w, "filter": f,
                    "default_ratio": _ratio(w["median"], base_median),
                    "default_cold_ratio": _ratio(first["default_s"], base_median),
                    "filter_ratio": _ratio(f["median"], base_median)})
    return out


def _s(x: float | None) -> str:
    return "timeout" if x is None else f"{x:.2f}"


def format_pages(r: dict) -> str:
    base = r["trivial_rerun"]
    cs = r["cold_start"]
    lines = [
        f"dashboard at {r['articles']:,} articles (dataset {r['dataset_mb']:,} MB on disk); "
        f"trivial app rerun (button click to idle): median {base['median'] * 1000:.0f} ms, "
        f"p95 {base['p95'] * 1000:.0f} ms (n={base['n']})",
        "",
        "| page | default view, cold cache s | default view warm: median / p95 s | x trivial rerun (warm / cold) "
        "| outlet filter change: median / p95 s | x trivial rerun |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for p in r["pages"]:
        w, f = p["default_warm"], p["filter"]
        lines.append(
            f"| {p['page']} | {_s(p['default_cold_s'])} | {_s(w['median'])} / {_s(w['p95'])} "
            f"| {p['default_ratio']} / {p['default_cold_ratio']} | {_s(f['median'])} / {_s(f['p95'])}"
            f"{' (' + str(f['timeouts']) + ' timeouts)' if f['timeouts'] else ''} | {p['filter_ratio']} |")
    lines += [
        "",
        f"cold start (process start to first page drawn, n={cs['dashboard']['n']}): dashboard median "
        f"{cs['dashboard']['median']:.1f} s / p95 {cs['dashboard']['p95']:.1f} s; trivial app median "
        f"{cs['trivial']['median']:.1f} s / p95 {cs['trivial']['p95']:.1f} s "
        f"(x{cs['dashboard']['median'] / cs['trivial']['median']:.1f})",
        f"server RSS (process tree): after start {r['rss_after_start_mb']:.0f} MB, after every page once "
        f"{r.get('rss_after_every_page_mb', 0):.0f} MB, after all {r['repeats']} rounds "
        f"{r['rss_after_all_mb']:.0f} MB",
    ]
    return "\n".join(lines)
