"""Stored injection: a hostile corpus rendered in a real browser runs nothing and links nowhere bad.

Article text, titles, outlets and manifest URLs carry script tags, event-handler
attributes, markdown ``javascript:`` links and ``javascript:`` URLs. The dataset
is built by the real pipeline and served by ``streamlit run``; every page (and a
deep link to the hostile article and a search that hits the hostile quotes) must
leave ``window.__pwned`` undefined, hold no injected script, no element with an
inline handler from the data, no ``javascript:`` link, and fire no dialog.
"""
from __future__ import annotations

import csv
import sqlite3
import urllib.parse
from pathlib import Path

import pytest

from tests.browser.conftest import assert_no_exception, open_page, start_server, stop_server

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1;alert(1)">'
MDLINK = "[click here](javascript:window.__pwned=1)"
JSURL = "javascript:window.__pwned=1"

ARTICLES = {
    "hostile_one.txt": (
        f"Men flee the call-up {SCRIPT}\n\n"
        f"Thousands of men fled Russia for Georgia this week {IMG}, and queues stretched 12 kilometres "
        "on the road to the border.\n\n"
        f"“We left at night {SCRIPT} because we were afraid of the summons pwned,” said Ivan Petrov, "
        "a teacher from Moscow who is now in Tbilisi.\n\n"
        f"Petrov said: “Nobody at home {MDLINK} believes the call-up will stop soon pwned.”\n\n"
        f"At Vaalimaa the number of people crossing rose 80% in a week {IMG}, Finnish guards said.\n"
    ),
    "hostile_two.md": (
        f"# Flights to Kazakhstan sold out {MDLINK}\n\n"
        "Men flew to Kazakhstan from Moscow after the announcement, and 2,000 people crossed in a day.\n\n"
        f"An unnamed student said: “<b>I will not go</b> {MDLINK} {IMG} under any pretext pwned.”\n\n"
        f"Source: {JSURL}\n"
    ),
    "hostile_three.html": (
        f"<html><head><title>Border queues {SCRIPT}</title><script>window.__pwned=1</script></head>"
        f"<body><h1>Border queues</h1><p onclick=\"window.__pwned=1\">Russian men crossed into Finland "
        f"at Vaalimaa, and 3,000 people crossed in a week.</p>"
        f"<p>“We are not going to fight {SCRIPT} pwned,” said Oleg Ivanov, who left for Finland.</p>"
        f"<a href=\"{JSURL}\">more</a></body></html>"
    ),
}
MANIFEST = [
    {"file": "hostile_one.txt", "url": JSURL, "outlet": f"Evil {IMG} Wire",
     "published": "2022-09-24", "title": f"Men flee {SCRIPT} {MDLINK}", "note": SCRIPT},
    {"file": "hostile_two.md", "url": "JaVaScRiPt:window.__pwned=1", "outlet": f"{SCRIPT}Daily",
     "published": "2022-09-25", "title": "", "note": ""},
    {"file": "hostile_three.html", "url": 'https://example.org/x" onmouseover="window.__pwned=1',
     "outlet": f"[Outlet]({JSURL})", "published": "2022-10-01", "title": f"{IMG} Border queues", "note": ""},
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from exodus.pipeline import build

    base = tmp_path_factory.mktemp("hostile")
    raw = base / "raw"
    raw.mkdir()
    for name, text in ARTICLES.items():
        (raw / name).write_text(text, encoding="utf-8")
    with open(raw / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "url", "outlet", "published", "title", "note"])
        w.writeheader()
        w.writerows(MANIFEST)
    db = base / "exodus.sqlite"
    build(raw, db)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ids = [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY file")]
        n_quotes = con.execute("SELECT count(*) FROM quotes WHERE text LIKE '%pwned%'").fetchone()[0]
    finally:
        con.close()
    assert len(ids) == len(ARTICLES), "every hostile article must be in the dataset"
    assert n_quotes >= 1, "the hostile quotes must be extracted, or the search below proves nothing"
    proc, url = start_server(db, raw)
    yield url, ids
    stop_server(proc)


PROBE = """() => {
  const scripts = [...document.querySelectorAll('script')]
      .filter(s => (s.textContent || '').includes('__pwned') || (s.src || '').includes('__pwned')).length;
  const jsLinks = [...document.querySelectorAll('[href], [src], [action], [formaction]')]
      .map(e => (e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
                 || e.getAttribute('formaction') || '').replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase())
      .filter(h => h.startsWith('javascript:')).length;
  const handlers = [...document.querySelectorAll('*')]
      .filter(e => [...e.attributes].some(a => a.name.startsWith('on') && a.value.includes('__pwned'))).length;
  return {pwned: typeof window.__pwned, scripts, jsLinks, handlers};
}"""
CLEAN = {"pwned": "undefined", "scripts": 0, "jsLinks": 0, "handlers": 0}


def _paths(ids: list[str]) -> list[str]:
    return ["/", "/routes", "/numbers", "/quotes", "/sources", "/about", "/quotes?q=pwned",
            *[f"/sources?article={urllib.parse.quote(i)}" for i in ids]]


def test_hostile_corpus_is_inert_on_every_page(hostile, page):
    url, ids = hostile
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    seen_payload_as_text = False
    for path in _paths(ids):
        open_page(page, url + path)
        page.wait_for_timeout(500)  # give any injected handler (img onerror) time to fire
        assert_no_exception(page)
        for frame in page.frames:  # st.html / components may render in iframes
            assert frame.evaluate(PROBE) == CLEAN, f"{path} (frame {frame.url})"
        assert dialogs == [], f"a dialog fired on {path}: {dialogs}"
        body = page.locator("[data-testid='stMain']").inner_text()
        seen_payload_as_text |= "__pwned" in body
    # Not vacuous: the payloads reached the pages, shown as inert text.
    assert seen_payload_as_text


def test_search_hits_show_the_payload_as_text(hostile, page):
    url, _ = hostile
    open_page(page, url + "/quotes?q=pwned")
    cards = page.locator("[data-testid='stMain'] .xr-card")
    assert cards.count() >= 1
    text = " ".join(cards.all_inner_texts())
    assert "pwned" in text
    assert page.evaluate(PROBE) == CLEAN
    # The probe itself can see an injection (so CLEAN above is not a blind spot).
    page.evaluate("""() => {
      const a = document.createElement('a'); a.setAttribute('href', ' JavaScript:window.__pwned=1');
      const s = document.createElement('script'); s.textContent = 'window.__pwned=1';
      const i = document.createElement('div'); i.setAttribute('onclick', 'window.__pwned=1');
      document.body.append(a, s, i);
    }""")
    assert page.evaluate(PROBE) == {"pwned": "number", "scripts": 1, "jsLinks": 1, "handlers": 1}
