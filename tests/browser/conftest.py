"""Real-browser fixtures: a Streamlit server on loopback and Debian's Chromium via Playwright.

The server is started the way users start it (``streamlit run dashboard.py``)
against a dataset built into a temporary folder, and every request that does
not go to the server is aborted, so the tests also prove the app needs no
network.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("EXODUS_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "tests" / "browser" / "screenshots"
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, raw: Path, port: int | None = None,
                 log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run dashboard.py`` on loopback; returns the process and its URL once healthy.

    ``log``: a file for the server's stdout and stderr (tracebacks of errors the page only
    shows redacted); by default both are discarded."""
    port = port or _free_port()
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - the server owns it
    env = {**os.environ, "EXODUS_DB": str(db), "EXODUS_RAW": str(raw), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    if log:
        out.close()  # the child holds its own copy of the descriptor
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in 90 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def real_db(tmp_path_factory) -> Path:
    from exodus.pipeline import build

    db = tmp_path_factory.mktemp("browser") / "exodus.sqlite"
    build(ROOT / "data" / "raw", db)
    return db


@pytest.fixture(scope="session")
def server(real_db) -> str:
    """A server on the bundled articles (dataset pre-built, so no page waits for a build)."""
    proc, url = start_server(real_db, ROOT / "data" / "raw")
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `bash scripts/test.sh`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (like a new person opening a shared link), offline but for loopback.

    Every request that left loopback (and was aborted) is listed in ``page.blocked``.
    """
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked: list[str] = []
    ctx.route("**/*", loopback_guard(blocked))
    pg = ctx.new_page()
    pg.blocked = blocked
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()


LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "ws://localhost", "data:", "blob:")


def loopback_guard(blocked: list[str] | None = None):
    """A route handler that lets loopback requests through and aborts (and lists) the rest."""
    def handle(route) -> None:
        url = route.request.url
        if url.startswith(LOOPBACK):
            route.continue_()
        else:
            if blocked is not None:
                blocked.append(url)
            route.abort()
    return handle


_only_loopback = loopback_guard()


def wait_ready(pg, timeout: float = 30_000) -> None:
    """Wait like Streamlit's own e2e tests: script finished, no skeletons, then settle briefly."""
    pg.wait_for_selector(READY, timeout=timeout)
    pg.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0", timeout=timeout
    )
    pg.wait_for_timeout(400)
    pg.wait_for_selector(READY, timeout=timeout)


def open_page(pg, url: str, timeout: float = 30_000) -> None:
    """Open ``url`` as a fresh visitor would and wait until the app (frame and page) has run.

    Waits for the websocket, for the shared sidebar filters that ``dashboard.py`` draws on
    every page (attached, not necessarily visible: the sidebar is collapsed on a phone),
    then for the script to finish (:func:`wait_ready`).
    """
    pg.goto(url)
    pg.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    pg.wait_for_selector("[data-testid='stSidebar'] input[aria-label='Outlet']", state="attached",
                         timeout=timeout)
    wait_ready(pg, timeout)


def assert_no_exception(pg) -> None:
    errors = pg.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def screenshot(pg, name: str, folder: Path = SHOTS, max_height: int = 12_000) -> Path:
    """A whole-page PNG. Streamlit scrolls inside ``stMain``, not the document, so Playwright's
    ``full_page`` only captures one viewport: grow the viewport to the content's height
    (twice: charts re-lay out), take the shot, then restore the viewport."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    size = pg.viewport_size or {"width": 1400, "height": 900}
    height = size["height"]
    for _ in range(2):
        content = pg.evaluate(
            "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
            " return m ? m.scrollHeight : document.documentElement.scrollHeight; }")
        if content <= height:
            break
        height = min(int(content), max_height)
        pg.set_viewport_size({"width": size["width"], "height": height})
        pg.wait_for_timeout(300)
    pg.screenshot(path=str(path), full_page=True)
    if height != size["height"]:
        pg.set_viewport_size(size)
    return path


@pytest.fixture(scope="session")
def db(real_db):
    """A read-only connection to the dataset the server reads, to state what a view must show."""
    import sqlite3

    con = sqlite3.connect(f"file:{real_db}?mode=ro", uri=True, check_same_thread=False)
    con.row_factory = sqlite3.Row
    yield con
    con.close()
