#!/usr/bin/env python3
"""Screenshots of every page for the docs: docs/screenshots/<page>.png (README shows overview.png).

Builds the dataset from the bundled articles (data/raw) into a temporary folder,
starts the app on loopback the way the browser tests do, opens every page in
Debian's Chromium at 1400x900 with every non-loopback request aborted, saves a
full-page PNG of each, stops the server and exits.

    python3 scripts/screenshots.py [--out docs/screenshots] [--width 1400] [--height 900] [--no-compress]

When Pillow is installed the PNGs are reduced to a 256-colour palette (about a third
of the size; UI screenshots look the same), so the repository stays small.

Sources is shown with an article open and a reported route's sentence highlighted
(the article list alone says little). Needs Chromium (EXODUS_CHROMIUM, default
/usr/bin/chromium) and playwright; `bash scripts/test.sh` installs both.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402  (after the sys.path fix)
    CHROMIUM,
    _only_loopback,
    assert_no_exception,
    open_page,
    screenshot,
    start_server,
    stop_server,
)

PAGES = ["overview", "routes", "numbers", "quotes", "sources", "about"]
READER_FILE = "004"  # the article opened on the Sources screenshot (file name prefix)


def paths(db: Path) -> dict[str, str]:
    """The URL path of each page's screenshot."""
    out = {name: "/" if name == "overview" else f"/{name}" for name in PAGES}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        art = con.execute("SELECT article_id FROM articles WHERE file LIKE ? ORDER BY file LIMIT 1",
                          (READER_FILE + "%",)).fetchone() or con.execute(
            "SELECT article_id FROM articles ORDER BY n_quotes + n_figures + n_places DESC LIMIT 1").fetchone()
        if art:
            span = con.execute('SELECT start, "end" FROM routes WHERE article_id = ? ORDER BY start LIMIT 1',
                               art).fetchone()
            out["sources"] = f"/sources?article={art[0]}" + (f"&span={span[0]}-{span[1]}" if span else "")
    finally:
        con.close()
    return out


def compress(path: Path) -> bool:
    """Re-save ``path`` as a 256-colour PNG (no dithering) when Pillow is available."""
    try:
        from PIL import Image
    except ImportError:
        return False
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                           dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    ap.add_argument("--no-compress", action="store_true", help="keep full-colour PNGs")
    args = ap.parse_args(argv)

    from exodus.pipeline import build
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: install it (bash scripts/test.sh does)", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="exodus-shots-") as tmp:
        db = Path(tmp) / "exodus.sqlite"
        build(ROOT / "data" / "raw", db)
        targets = paths(db)
        proc, url = start_server(db, ROOT / "data" / "raw", port=args.port)
        failed = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-dev-shm-usage"],
                )
                try:
                    for name in PAGES:
                        ctx = browser.new_context(viewport={"width": args.width, "height": args.height})
                        ctx.route("**/*", _only_loopback)
                        pg = ctx.new_page()
                        pg.set_default_timeout(60_000)
                        try:
                            open_page(pg, url + targets[name], timeout=60_000)
                            pg.wait_for_timeout(500)  # plotly finishes its layout after the script run
                            try:
                                assert_no_exception(pg)
                            except AssertionError as e:
                                failed.append(f"{name}: exception on the page: {e}")
                            path = screenshot(pg, name, folder=args.out)
                            if not args.no_compress:
                                compress(path)
                            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                            print(f"{shown}  ({targets[name]})")
                        finally:
                            ctx.close()
                finally:
                    browser.close()
        finally:
            stop_server(proc)
    for f in failed:
        print("WARNING:", f, file=sys.stderr)
    print(f"{len(PAGES)} screenshots in {time.monotonic() - t0:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
