"""``python -m bench.load``: many browser sessions using the dashboard at once.

One Streamlit server on a free loopback port (started exactly as the browser
tests start it), one Chromium, one browser context per session. Every session
loops for a bounded time over actions a visitor makes, drawn from a seeded
``random.Random`` (so a run can be repeated): open a page by deep link, type a
search on Quotes (common words, phrases and hostile FTS text), change the
country or outlet filter in the sidebar, page through the results, open a
quote permalink, move to another page through the navigation.

Interaction time: from the action until the app is idle again (the script-run
indicator back to ``notRunning`` and steady, no skeletons, and the element the
action should show present). The instant the app went idle is recorded in the
page by a MutationObserver, so the settle wait is not counted.

Sessions arrive spread over ``--ramp`` seconds and pause ``--think`` seconds (on
average) between actions, as people read what they asked for; the first page
of each session (a cold browser) is reported apart from the interactions.

Errors: a Streamlit exception element, a page error or a console error, an HTTP
5xx, a lost websocket ("Connection error"), a request leaving loopback, or an
action that timed out. One kind of timeout is counted apart, as a "client
stall": the server had finished and been silent for 10 s but the browser was
still drawing. It measures the CPU left to the simulated browsers (20 Chromiums
and the server share the same cores), not the app.

Memory: the server's process tree RSS (from /proc) every second; "plateau"
compares the mean of the last third of the load period with the middle third.

A baseline phase with one session runs first, on its own fresh server, so the
p95 under load can be reported as a ratio to the p95 of one session alone
measured in the same run (machines are noisy; ratios travel better).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import math
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.__main__ import _tree_rss_kb, machine
from tests.browser.conftest import CHROMIUM, LOOPBACK, _free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
MAIN = "[data-testid='stMain']"
SIDEBAR = "[data-testid='stSidebar']"
OUTLET_BOX = f"{SIDEBAR} input[role='combobox'][aria-label='Outlet']"
COUNTRY_BOX = f"{SIDEBAR} input[role='combobox'][aria-label='Destination country (ISO code)']"
SEARCH_BOX = f"{MAIN} input[aria-label='Search the quotes']"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-dev-shm-usage"]


def offline_args() -> list[str]:
    """Send every request that does not go to loopback (which Chromium never proxies) to a
    proxy port nobody listens on, so it fails: the app must need no network. Cheaper than
    Playwright request routing, which sends each request through the driver and turns the
    HTTP cache off (a page open is ~120 requests; routing doubled its time here)."""
    return [f"--proxy-server=http://127.0.0.1:{_free_port()}"]
# Navigation titles and their paths (the public URL interface, see README "Link parameters").
PAGES = {"Overview": "/", "Routes": "/routes", "Numbers": "/numbers", "Quotes": "/quotes",
         "Sources": "/sources", "About": "/about"}
# Search text a visitor might type: everyday words, phrases, and text that is FTS5 or SQL syntax
# (all of it must be answered without an error). Generic words, nothing taken from the articles.
SEARCHES = (
    "border", "war", "leave", "army", "queue", "summons", "family", "left", "police", "car",
    "mobilisation", "friends", "work", "afraid", "home",
    '"the border"', '"I do not"', '"we left"', "border queue", "left home",
    "NEAR(", 'NEAR(border war, 3)', '"unbalanced', 'a "b', "border OR war", "NOT war", "text:border",
    "bord*", "*", "^war", "'; DROP TABLE quotes; --", "<script>alert(1)</script>", "))((", '""',
    "мобилизация", "zzzqqqxxy", "x" * 600,
)
# Mostly work within the app; a fresh link now and then (each is a full page load in the browser).
ACTION_WEIGHTS = {"search": 30, "filter": 20, "page": 12, "permalink": 10, "nav": 22, "deep_link": 6}
SETTLE_MS = 300  # the app must stay idle this long before an action counts as done
POLL_S = 0.25  # how often a waiting session looks at its page
STALL_IDLE_MS = 10_000  # server silent this long while the page is still drawing: a client stall

# Installed in every document: remembers when the script-run state last changed.
OBSERVER_JS = """
(() => {
  const s = {changes: 0, msgs: 0, state: null, since: performance.now()};
  window.__xrLoad = s;
  let app = null;  // found once: querying the whole document on every mutation costs CPU
  const look = () => {
    if (!app || !app.isConnected) app = document.querySelector("[data-testid='stApp']");
    const st = app ? app.getAttribute('data-test-script-state') : null;
    if (st !== s.state) { s.state = st; s.changes += 1; s.since = performance.now(); }
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true,
                                                attributeFilter: ['data-test-script-state']});
  // A fast rerun can go running -> notRunning within one React render, leaving no trace in the
  // DOM: the messages the server sends on the app's websocket show that it answered.
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { s.msgs += 1; s.since = performance.now(); });
    }
  };
})();
"""
# True-ish (the idle age in ms) once the app has run since ``before`` and is idle and settled.
IDLE_JS = """
({before, sel, value, text, path, settle}) => {
  const s = window.__xrLoad;
  if (!s) return false;
  if (document.querySelector("[data-testid='stException']")) return Math.max(1, performance.now() - s.since);
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if ((s.changes <= before.changes && s.msgs <= before.msgs) || s.state !== 'notRunning') return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  if (path !== null && location.pathname !== path) return false;
  if (sel !== null) {
    const el = document.querySelector(sel);
    if (!el || (value !== null && el.value !== value)) return false;
  }
  if (text !== null) {
    const main = document.querySelector("[data-testid='stMain']");
    if (!main || !main.textContent.includes(text)) return false;
  }
  const age = performance.now() - s.since;
  return age >= settle ? age : false;
}
"""
# Problems visible in the page after an action.
HEALTH_JS = """
() => {
  const out = [];
  const ex = document.querySelector("[data-testid='stException']");
  if (ex) out.push('exception: ' + ex.textContent.slice(0, 300));
  const app = document.querySelector("[data-testid='stApp']");
  const conn = app ? app.getAttribute('data-test-connection-state') : 'no app';
  if (conn !== 'CONNECTED') out.push('connection state ' + conn);
  if (document.body && document.body.textContent.includes('Connection error')) out.push('Connection error notice');
  return out;
}
"""


# ---------------------------------------------------------------- what the sessions can pick from

@dataclass(frozen=True)
class Catalog:
    """Values that exist in the dataset the server reads (for filters and deep links)."""

    outlets: tuple[str, ...]
    countries: tuple[str, ...]
    quote_ids: tuple[str, ...]
    article_ids: tuple[str, ...]


def read_catalog(db: Path) -> Catalog:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        col = lambda sql: tuple(r[0] for r in con.execute(sql))  # noqa: E731
        return Catalog(
            outlets=col("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1"),
            countries=col("SELECT DISTINCT destination_country FROM routes WHERE destination_country "
                          "IS NOT NULL ORDER BY 1"),
            quote_ids=col("SELECT quote_id FROM quotes ORDER BY 1"),
            article_ids=col("SELECT article_id FROM articles ORDER BY 1"),
        )
    finally:
        con.close()


def deep_link(rng: random.Random, cat: Catalog) -> str:
    """A path + query a visitor might paste: any page, often with a page value or shared filter."""
    page = rng.choice(list(PAGES.values()))
    params: dict[str, str] = {}
    if page == "/quotes":
        pick = rng.random()
        if pick < 0.4:
            params["q"] = rng.choice(SEARCHES)
        elif pick < 0.7 and cat.quote_ids:
            params["quote"] = rng.choice(cat.quote_ids)
    elif page == "/sources" and cat.article_ids and rng.random() < 0.6:
        params["article"] = rng.choice(cat.article_ids)
    elif page == "/routes" and rng.random() < 0.4:
        params["layer"] = rng.choice(["Flows", "Crossings", "People"])
    if rng.random() < 0.3 and cat.outlets:
        params["outlet"] = rng.choice(cat.outlets)
    elif rng.random() < 0.2 and cat.countries:
        params["country"] = rng.choice(cat.countries)
    return page + ("?" + urlencode(params) if params else "")


# ---------------------------------------------------------------- statistics

def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (no interpolation: a reported p95 is a time that happened)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timing_stats(values: list[float]) -> dict:
    r = lambda v: None if v is None else round(v, 3)  # noqa: E731
    return {"n": len(values), "p50_s": r(percentile(values, 50)), "p95_s": r(percentile(values, 95)),
            "max_s": r(max(values) if values else None)}


def plateau(samples: list[tuple[float, int]], start: float, end: float, tolerance: float = 0.05) -> dict:
    """Compare mean RSS over the last third of [start, end] with the middle third.

    ``growth`` is the relative change; memory is called flat when it grew by at most
    ``tolerance`` (5 %: allocator noise and a few late cache entries)."""
    third = (end - start) / 3
    mid = [kb for t, kb in samples if start + third <= t < start + 2 * third]
    last = [kb for t, kb in samples if start + 2 * third <= t <= end]
    if not mid or not last:
        return {"middle_mb": None, "last_mb": None, "growth": None, "plateau": None}
    m, l_ = sum(mid) / len(mid), sum(last) / len(last)
    growth = (l_ - m) / m if m else 0.0
    return {"middle_mb": round(m / 1024, 1), "last_mb": round(l_ / 1024, 1), "growth": round(growth, 3),
            "plateau": growth <= tolerance}


# ---------------------------------------------------------------- one session

@dataclass
class Session:
    index: int
    base: str
    cat: Catalog
    rng: random.Random
    timeout_ms: float
    think_s: float = 1.0
    times: list[tuple[str, float]] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    stalls: list[dict] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    finished: bool = False
    ctx: object = None  # the Playwright browser context and page, while the phase runs
    page: object = None

    def error(self, kind: str, message: str, url: str = "") -> None:
        self.errors.append({"session": self.index, "kind": kind, "message": message[:400], "url": url[:200]})


def describe_exception(exc: BaseException) -> str:
    """The exception's first line and the end of Playwright's call log (what it was waiting for)."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    tail = [ln for ln in lines[1:] if not ln.startswith("=")][-3:]
    return f"{type(exc).__name__}: " + " | ".join(lines[:1] + tail)


# Opened at /quotes, Streamlit's frontend first looks for its server under the page path
# (/quotes/_stcore/health and /host-config), gets a 404, then uses the root: a probe the
# browser logs as a console error on every deep link, not an error of the app.
_BASE_PATH_PROBE = re.compile(r"^https?://[^/]+/[^/?#]+/_stcore/(health|host-config)$")


def is_app_console_error(msg_type: str, text: str, url: str) -> bool:
    """A console message that is an error of the app (not Streamlit's base-path probe)."""
    if msg_type != "error":
        return False
    return not (text.startswith("Failed to load resource") and "404" in text and _BASE_PATH_PROBE.match(url or ""))


def _console(msg, s: Session, page) -> None:
    url = (msg.location or {}).get("url", "")
    if is_app_console_error(msg.type, msg.text, url):
        s.error("console", f"{msg.text} ({url})", page.url)


def _watch(page, s: Session) -> None:
    """Page errors, console errors, HTTP 5xx and requests that tried to leave loopback."""
    page.on("requestfailed", lambda r: None if r.url.startswith(LOOPBACK) else s.blocked.append(r.url))
    page.on("pageerror", lambda exc: s.error("pageerror", str(exc), page.url))
    page.on("console", lambda msg: _console(msg, s, page))
    page.on("response", lambda r: s.error("http", f"{r.status} {r.url}", page.url) if r.status >= 500 else None)


NOTHING_YET = {"changes": 0, "msgs": 0}


async def _changes(page) -> dict:
    """How many run-state changes and server messages this document has seen so far."""
    return await page.evaluate("() => window.__xrLoad ? {changes: window.__xrLoad.changes, "
                               "msgs: window.__xrLoad.msgs} : {changes: 0, msgs: 0}")


class NotIdle(TimeoutError):
    """The app did not become idle in time after an action."""


async def _until_idle(page, t0: float, timeout: float, before: dict, sel: str | None = None,
                      value: str | None = None, text: str | None = None, path: str | None = None) -> float:
    """Wait until the app is idle after an action begun at ``t0``; the seconds it took.

    Polled from here, not with ``wait_for_function``: that polls with timers inside the page,
    and a renderer busy drawing charts on a starved CPU ran no timer for 90 s (seen with 20
    sessions on 2 cores), while an evaluate sent from here still answers at once."""
    arg = {"before": before, "sel": sel, "value": value, "text": text, "path": path, "settle": SETTLE_MS}
    end = time.monotonic() + timeout / 1000
    while True:
        try:
            age_ms = await page.evaluate(IDLE_JS, arg)
        except Exception:  # the document is being replaced (navigation): look again
            age_ms = False
        if age_ms:
            return max(0.0, time.monotonic() - age_ms / 1000 - t0)
        if time.monotonic() > end:
            raise NotIdle(f"the app was not idle {timeout / 1000:.0f} s after the action")
        await asyncio.sleep(POLL_S)


def _path(page) -> str:
    return urlsplit(page.url).path or "/"


async def act_deep_link(page, s: Session, kind: str = "deep_link") -> str:
    link = deep_link(s.rng, s.cat)
    t0 = time.monotonic()
    await page.goto(s.base + link, timeout=s.timeout_ms)
    dt = await _until_idle(page, t0, s.timeout_ms, NOTHING_YET, sel=OUTLET_BOX, path=urlsplit(link).path)
    s.times.append((kind, dt))
    return link


async def act_first_open(page, s: Session) -> str:
    """The session's first page: a cold browser (nothing cached) opening a shared link."""
    return await act_deep_link(page, s, "first_open")


async def act_nav(page, s: Session, title: str | None = None) -> str:
    here = _path(page)
    title = title or s.rng.choice([t for t, p in PAGES.items() if p != here])
    link = page.locator(f"{SIDEBAR} [data-testid='stSidebarNav'] a").filter(has_text=title)
    before = await _changes(page)
    t0 = time.monotonic()
    await link.click(timeout=s.timeout_ms)
    dt = await _until_idle(page, t0, s.timeout_ms, before, sel=OUTLET_BOX, path=PAGES[title])
    s.times.append(("nav", dt))
    return title


async def _to_quotes(page, s: Session) -> None:
    """Search, paging and permalinks happen on Quotes, in its list view: get there by the nav."""
    if _path(page) != "/quotes" or await page.locator(SEARCH_BOX).count() == 0:
        await act_nav(page, s, "Quotes")
    if "quote=" in page.url:  # the single-quote view: back to the list with its own button
        before = await _changes(page)
        t0 = time.monotonic()
        await page.locator(f"{MAIN} button").filter(has_text="Show all quotes").click(timeout=s.timeout_ms)
        s.times.append(("permalink", await _until_idle(page, t0, s.timeout_ms, before, sel=SEARCH_BOX)))


async def act_search(page, s: Session) -> str:
    await _to_quotes(page, s)
    box = page.locator(SEARCH_BOX)
    text = s.rng.choice(SEARCHES)
    if text == await box.input_value(timeout=s.timeout_ms):
        text = text + " border"  # the same text again would not rerun
    before = await _changes(page)
    t0 = time.monotonic()
    await box.fill(text, timeout=s.timeout_ms)
    await box.press("Enter", timeout=s.timeout_ms)
    s.times.append(("search", await _until_idle(page, t0, s.timeout_ms, before, sel=SEARCH_BOX, value=text)))
    return text


async def act_filter(page, s: Session) -> str:
    outlet = s.rng.random() < 0.55 or not s.cat.countries
    sel, values = (OUTLET_BOX, s.cat.outlets) if outlet else (COUNTRY_BOX, s.cat.countries)
    box = page.locator(sel)
    current = await box.input_value(timeout=s.timeout_ms)
    clear = page.locator(f"{SIDEBAR} button").filter(has_text="Clear filters")
    before = await _changes(page)
    if current and s.rng.random() < 0.25 and await clear.count():
        t0 = time.monotonic()
        await clear.click(timeout=s.timeout_ms)
        s.times.append(("filter", await _until_idle(page, t0, s.timeout_ms, before, sel=sel, value="")))
        return "clear"
    choice = s.rng.choice([v for v in values if v != current] or list(values))
    t0 = time.monotonic()
    await box.click(timeout=s.timeout_ms)
    await page.get_by_role("option", name=choice, exact=True).click(timeout=s.timeout_ms)
    s.times.append(("filter", await _until_idle(page, t0, s.timeout_ms, before, sel=sel, value=choice)))
    return choice


async def act_page(page, s: Session) -> str | None:
    await _to_quotes(page, s)
    buttons = [page.locator(f"{MAIN} button:not([disabled])").filter(has_text=name).filter(visible=True)
               for name in ("Next", "Previous")]
    usable = [b for b in buttons if await b.count()]
    if not usable:
        return None
    before = await _changes(page)
    t0 = time.monotonic()
    await s.rng.choice(usable).first.click(timeout=s.timeout_ms)
    s.times.append(("page", await _until_idle(page, t0, s.timeout_ms, before, sel=SEARCH_BOX)))
    return "page"


async def act_permalink(page, s: Session) -> str | None:
    await _to_quotes(page, s)
    # Streamlit keeps a hidden twin of every button that has a tooltip: only visible ones count
    buttons = page.locator(f"{MAIN} button").filter(has_text="Permalink").filter(visible=True)
    n = await buttons.count()
    if not n:
        return None
    before = await _changes(page)
    t0 = time.monotonic()
    await buttons.nth(s.rng.randrange(n)).click(timeout=s.timeout_ms)
    s.times.append(("permalink", await _until_idle(page, t0, s.timeout_ms, before,
                                                   text="One quote and its reports across outlets")))
    return "permalink"


ACTIONS = {"first_open": act_first_open, "search": act_search, "filter": act_filter, "page": act_page, "permalink": act_permalink,
           "nav": act_nav, "deep_link": act_deep_link}


async def run_session(browser, s: Session, deadline: float, delay: float, min_actions: int) -> None:
    """Open a first page, then act until ``deadline`` (and at least ``min_actions`` attempts in
    all, so a slow start still exercises the app). Every problem is recorded; none ends the run.
    The browser context stays open afterwards: the caller checks it is still connected."""
    await asyncio.sleep(delay)
    s.ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
    await s.ctx.add_init_script(OBSERVER_JS)
    s.page = page = await s.ctx.new_page()
    _watch(page, s)
    kinds, weights = list(ACTION_WEIGHTS), list(ACTION_WEIGHTS.values())
    kind, attempts = "first_open", 0
    while time.monotonic() < deadline or attempts < min_actions:
        attempts += 1
        try:
            if s.times:  # a person reads before acting again
                await asyncio.sleep(s.rng.uniform(0.5, 1.5) * s.think_s)
            done = await ACTIONS[kind](page, s)
            if done is None:  # nothing to page through or no card on screen: search instead
                await act_search(page, s)
            for problem in await page.evaluate(HEALTH_JS):
                s.error(kind, problem, page.url)
                kind = "deep_link"  # start over from a fresh link
                break
            else:
                kind = s.rng.choices(kinds, weights)[0]
        except Exception as exc:  # a timeout or a vanished element: an error, then start over
            state = await snapshot(page)
            if isinstance(exc, NotIdle) and client_stall(state):
                s.stalls.append({"session": s.index, "kind": kind, "page": state, "url": page.url[:200]})
            else:
                s.error(kind, f"{describe_exception(exc)} | page: {json.dumps(state)}", page.url)
            kind = "deep_link"
    s.finished = True


SNAPSHOT_JS = """
() => {
  const s = window.__xrLoad || {};
  const app = document.querySelector("[data-testid='stApp']");
  return {changes: s.changes, msgs: s.msgs, state: s.state, idle_ms: Math.round(performance.now() - s.since),
          conn: app && app.getAttribute('data-test-connection-state'),
          skeletons: document.querySelectorAll("[data-testid='stSkeleton']").length,
          outlet_box: !!document.querySelector("[data-testid='stSidebar'] input[aria-label='Outlet']"),
          exception: !!document.querySelector("[data-testid='stException']"), path: location.pathname};
}
"""


async def snapshot(page) -> dict:
    """What the page looked like when an action failed (to tell a hang from a slow machine)."""
    try:
        return await page.evaluate(SNAPSHOT_JS)
    except Exception as exc:  # the page itself is unusable
        return {"unreadable": type(exc).__name__}


def client_stall(state: dict) -> bool:
    """A timeout the server is not part of: it finished the run and has sent nothing for
    STALL_IDLE_MS, the websocket is up and no exception is shown, but the browser has not
    finished drawing (charts still skeletons). Seen only when the simulated browsers get less
    CPU than they need; counted and reported on their own, not as app errors."""
    return (state.get("conn") == "CONNECTED" and state.get("state") == "notRunning"
            and (state.get("idle_ms") or 0) >= STALL_IDLE_MS and not state.get("exception"))


async def still_connected(s: Session) -> bool:
    """The session's page is still connected to its server session, with nothing wrong on screen."""
    try:
        return s.page is not None and not await s.page.evaluate(HEALTH_JS)
    except Exception:  # the page or its context is gone
        return False


# ---------------------------------------------------------------- one phase (a server, N sessions)

def _tree_pids(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc)."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return pids


def _cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes and their reaped children
    (Chromium starts and ends a renderer process per page load: their time lands in the
    parent's cutime/cstime)."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime (fields 14-17)
        except (OSError, ValueError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


class RssSampler:
    """Samples a process tree's RSS every ``interval`` seconds on a thread (monotonic time, kB)."""

    def __init__(self, pid: int, interval: float = 1.0):
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic(), _tree_rss_kb(self.pid)))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def cpu_split(server_pid: int) -> tuple[float, float]:
    """CPU seconds so far of the server's tree and of everything else this driver started
    (Playwright's driver and Chromium): where the time of an interaction went."""
    server = _cpu_s(_tree_pids(server_pid))
    everything = _cpu_s([p for p in _tree_pids(os.getpid()) if p != os.getpid()])
    return server, everything - server


def tracebacks(log_text: str, limit: int = 3) -> list[str]:
    """The first few Python tracebacks in a server log (each up to its exception line)."""
    found, lines = [], log_text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last)"):
            block = [line]
            for nxt in lines[i + 1:]:
                block.append(nxt)
                if nxt and not nxt.startswith((" ", "\t", "Traceback")):
                    break
            found.append("\n".join(block[-12:]))
            if len(found) >= limit:
                break
    return found


async def _warm_up(browser, base: str, timeout_ms: float) -> float:
    """One throwaway visit to every page (imports and first queries), so the phase measures a
    running app, not a cold start; its time is reported on its own."""
    ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        await ctx.add_init_script(OBSERVER_JS)
        page = await ctx.new_page()
        t0 = time.monotonic()
        for path in PAGES.values():
            await page.goto(base + path, timeout=timeout_ms)
            await _until_idle(page, time.monotonic(), timeout_ms, NOTHING_YET, sel=OUTLET_BOX, path=path)
        return time.monotonic() - t0
    finally:
        await ctx.close()


@dataclass(frozen=True)
class Plan:
    """How a phase is run (the same for the baseline and the load, but for the session count)."""

    seconds: float
    seed: int = 0
    timeout_s: float = 90
    ramp_s: float = 30
    think_s: float = 5.0
    min_actions: int = 3


async def run_phase(browser, db: Path, raw: Path, sessions: int, plan: Plan, workdir: Path, log) -> dict:
    """Start a fresh server, warm it, run ``sessions`` sessions for ``plan.seconds``, stop it."""
    cat = read_catalog(db)
    server_log = workdir / f"server-{sessions}-{time.monotonic_ns()}.log"
    proc, base = start_server(db, raw, log=server_log)
    try:
        with RssSampler(proc.pid) as rss:
            warm = await _warm_up(browser, base, plan.timeout_s * 1000)
            log(f"  {sessions} session(s) on {base}: warm-up {warm:.1f} s, load {plan.seconds:.0f} s")
            cpu0 = cpu_split(proc.pid)
            start = time.monotonic()
            deadline = start + plan.seconds
            all_s = [Session(i, base, cat, random.Random(f"{plan.seed}:{i}"), plan.timeout_s * 1000, plan.think_s)
                     for i in range(sessions)]
            try:
                await asyncio.gather(*(run_session(browser, s, deadline, plan.ramp_s * i / max(1, sessions),
                                                   plan.min_actions) for i, s in enumerate(all_s)))
                end = time.monotonic()
                cpu1 = cpu_split(proc.pid)
                held = sum([await still_connected(s) for s in all_s])
            finally:
                for s in all_s:
                    if s.ctx is not None:
                        await s.ctx.close()
            time.sleep(1.1)  # one more sample after the last action
        alive = proc.poll() is None
    finally:
        stop_server(proc)
    result = summarise(all_s, rss.samples, start, deadline, end, warm, alive, sessions, plan.seconds)
    result["sessions_held"] = held
    result["cpu_s"] = {"server": round(cpu1[0] - cpu0[0], 1), "browser": round(cpu1[1] - cpu0[1], 1),
                       "cores": os.cpu_count()}
    result["server_tracebacks"] = tracebacks(server_log.read_text(errors="replace"))
    return result


def summarise(all_s: list[Session], samples: list[tuple[float, int]], start: float, deadline: float,
              end: float, warm: float, alive: bool, sessions: int, seconds: float) -> dict:
    """Counts, timings by kind and overall (the first open of a cold browser apart), memory."""
    times = [(k, t) for s in all_s for k, t in s.times]
    by_kind = {k: timing_stats([t for kk, t in times if kk == k]) for k in ["first_open", *ACTION_WEIGHTS]}
    errors = [e for s in all_s for e in s.errors]
    if not alive:
        errors.append({"session": -1, "kind": "server", "message": "the server process died", "url": ""})
    during = [kb for t, kb in samples if start <= t <= end + 1.5] or [0]
    before = [kb for t, kb in samples if t <= start] or during[:1]
    return {
        "sessions": sessions,
        "seconds": seconds,
        "sessions_held": sum(1 for s in all_s if s.finished),  # the caller checks the connections
        "sessions_with_actions": sum(1 for s in all_s if s.times),
        "actions": len(times),
        "actions_per_session_min": min((len(s.times) for s in all_s), default=0),
        "errors": len(errors),
        "error_samples": errors[:15],
        "client_stalls": sum(len(s.stalls) for s in all_s),
        "client_stall_samples": [st for s in all_s for st in s.stalls][:5],
        "blocked_requests": sorted({u for s in all_s for u in s.blocked})[:10],
        "warmup_s": round(warm, 1),
        "wall_s": round(end - start, 1),
        "overall": timing_stats([t for k, t in times if k != "first_open"]),
        "by_kind": by_kind,
        "rss_mb": {"start": round(before[-1] / 1024, 1), "peak": round(max(during) / 1024, 1),
                   "end": round(during[-1] / 1024, 1), **plateau(samples, start, deadline)},
    }


# ---------------------------------------------------------------- the whole run

def prepare_dataset(workdir: Path, articles: int, seed: int) -> tuple[Path, Path]:
    """The bundled articles (default) or a synthetic corpus of ``articles``, built into workdir."""
    from exodus.pipeline import build

    if articles:
        from bench.corpus import write_corpus

        raw = workdir / "raw"
        raw.mkdir(parents=True, exist_ok=True)
        write_corpus(raw, articles, seed)
    else:
        raw = ROOT / "data" / "raw"
    db = workdir / "exodus.sqlite"
    build(raw, db)
    return db, raw


async def run(db: Path, raw: Path, sessions: int, baseline_seconds: float, plan: Plan, workdir: Path,
              log) -> dict:
    """The baseline (one session, own server) then the load phase, in one Chromium."""
    from playwright.async_api import async_playwright

    result: dict = {"machine": machine(), "args": {"sessions": sessions, "baseline_seconds": baseline_seconds,
                                                   **vars(plan), "db": str(db)}}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS + offline_args())
        try:
            if baseline_seconds > 0:
                log("baseline (1 session)")
                one = Plan(baseline_seconds, plan.seed, plan.timeout_s, 0, plan.think_s, plan.min_actions)
                result["baseline"] = await run_phase(browser, db, raw, 1, one, workdir, log)
            log(f"load ({sessions} sessions)")
            result["load"] = await run_phase(browser, db, raw, sessions, plan, workdir, log)
        finally:
            await browser.close()
    base_p95 = result.get("baseline", {}).get("overall", {}).get("p95_s")
    load_p95 = result["load"]["overall"]["p95_s"]
    result["p95_ratio"] = round(load_p95 / base_p95, 2) if base_p95 and load_p95 else None
    return result


def format_table(result: dict) -> str:
    phases = [(name, result[name]) for name in ("baseline", "load") if name in result]
    lines = []
    for name, r in phases:
        lines.append(f"{name}: {r['sessions']} session(s), {r['seconds']:.0f} s of load (wall {r['wall_s']} s, "
                     f"warm-up {r['warmup_s']} s): held {r['sessions_held']}/{r['sessions']}, "
                     f"{r['actions']} actions, errors {r['errors']}")
        lines.append(f"  {'action':<10} {'n':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
        for kind, st in [*r["by_kind"].items(), ("overall", r["overall"])]:
            fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
            lines.append(f"  {kind:<10} {st['n']:>5} {fmt(st['p50_s']):>7} {fmt(st['p95_s']):>7} {fmt(st['max_s']):>7}")
        m = r["rss_mb"]
        lines.append(f"  server RSS MB: start {m['start']}, peak {m['peak']}, end {m['end']}; middle third "
                     f"{m['middle_mb']}, last third {m['last_mb']} (growth {m['growth']}, plateau {m['plateau']})")
        c = r.get("cpu_s", {})
        if c:
            per = lambda v: f"{v / max(1, r['actions']):.2f}"  # noqa: E731
            lines.append(f"  CPU seconds during the load: server {c['server']} ({per(c['server'])} per action), "
                         f"browser {c['browser']} ({per(c['browser'])} per action); {c['cores']} cores x "
                         f"{r['wall_s']} s wall = {c['cores'] * r['wall_s']:.0f} available")
        for e in r["error_samples"]:
            lines.append(f"  ERROR s{e['session']} {e['kind']}: {e['message']} [{e['url']}]")
        if r.get("client_stalls"):
            lines.append(f"  client stalls (server done and silent >= {STALL_IDLE_MS / 1000:.0f} s, the browser still "
                         f"drawing at the timeout; not app errors): {r['client_stalls']}")
            for st in r["client_stall_samples"]:
                lines.append(f"    s{st['session']} {st['kind']}: {json.dumps(st['page'])} [{st['url']}]")
        for tb in r.get("server_tracebacks", []):
            lines.append("  SERVER " + tb.replace("\n", "\n  "))
        if r["blocked_requests"]:
            lines.append(f"  blocked non-loopback requests: {r['blocked_requests']}")
    if result.get("p95_ratio") is not None:
        lines.append(f"p95 under load / p95 of one session: {result['p95_ratio']}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60, help="load time; actions under way then finish")
    ap.add_argument("--baseline-seconds", type=float, default=30,
                    help="one-session baseline on its own server first (0: none)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=90,
                    help="seconds before an action counts as failed (a hang, not a slow answer)")
    ap.add_argument("--ramp", type=float, default=30, help="seconds over which the sessions arrive")
    ap.add_argument("--think", type=float, default=5.0,
                    help="mean pause between a session's actions (uniform 0.5x-1.5x): people read "
                    "what they asked for before asking again")
    ap.add_argument("--min-actions", type=int, default=3,
                    help="every session makes at least this many attempts, even past --seconds")
    ap.add_argument("--db", help="an existing dataset (default: build one into a temporary folder)")
    ap.add_argument("--raw", help="the article folder of --db (default: data/raw)")
    ap.add_argument("--articles", type=int, default=0,
                    help="build from a synthetic corpus of this many articles (default: the bundled ones)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args(argv)
    log = (lambda m: print(m, file=sys.stderr, flush=True))

    tmp = Path(tempfile.mkdtemp(prefix="exodus-load-"))
    try:
        if args.db:
            db, raw = Path(args.db), Path(args.raw) if args.raw else ROOT / "data" / "raw"
        else:
            db, raw = prepare_dataset(tmp, args.articles, args.seed)
        plan = Plan(args.seconds, args.seed, args.timeout, args.ramp, args.think, args.min_actions)
        result = asyncio.run(run(db, raw, args.sessions, args.baseline_seconds, plan, tmp, log))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result, indent=2) if args.json else format_table(result))
    return 0 if result["load"]["errors"] == 0 and all(
        result[p]["errors"] == 0 for p in ("baseline",) if p in result) else 1


if __name__ == "__main__":
    sys.exit(main())
