"""Every page, as people open it: at a laptop and at a phone width, with good and broken links.

- each page renders with no exception and asks for nothing beyond the local server;
- broken values in a link (unknown country, malformed date, unknown page values, a
  huge value, markup) give a visible notice naming what was ignored, never an exception,
  and nothing in them runs;
- at 390x844 nothing sticks out of the page sideways (except inside containers that
  scroll sideways on purpose, e.g. tables) and chart text is not cut off.

Screenshots of every page at 1400x900 and 390x844 go to tests/browser/screenshots/.
"""
from __future__ import annotations

from urllib.parse import quote as urlquote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _only_loopback, assert_no_exception, open_page, screenshot

pytestmark = pytest.mark.browser

MAIN = "[data-testid='stMain']"
PAGES = {
    "overview": "/",
    "routes": "/routes",
    "numbers": "/numbers",
    "quotes": "/quotes",
    "sources": "/sources",
    "about": "/about",
    # the article reader (a file of the bundled articles: its id is the file name without extension)
    "sources-reader": "/sources?article=004_aa80568b4da406dd",
}
N_PAGES = 6  # entries in the sidebar navigation
PHONE = {"width": 390, "height": 844}
TOLERANCE = 6  # px: sub-pixel rounding, focus outlines

# Shared broken values, sent to every page, and the page's own broken values.
SHARED_BAD = {"country": "ZZ", "from": "notadate", "to": "2022-13-45" + "9" * 3000}
PAGE_BAD = {
    "overview": {},
    "routes": {"dest": "XX", "layer": "bogus"},
    "numbers": {"metric": "no_such_metric"},
    "quotes": {"speaker": "Nobody Atall", "quote": "no-such-quote"},
    "sources": {"article": "no_such_article", "span": "abc"},
    "about": {},
}
# What the notice must name (the values as the notice shows them).
NOTICE_NAMES = {
    "overview": ["ZZ", "notadate", "2022-13-45"],
    "routes": ["XX", "bogus"],
    "numbers": ["no_such_metric"],
    "quotes": ["Nobody Atall", "no-such-quote"],
    "sources": ["no_such_article"],
    "about": ["ZZ"],
}

OVERFLOW_JS = """
(limit) => {
  const main = document.querySelector("[data-testid='stMain']");
  const out = [], clipped = [];
  for (const e of main.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= limit) continue;
    // inside a container that scrolls sideways on purpose (tables, code blocks)? fine.
    let a = e.parentElement, scrolls = false, inChart = false;
    while (a && a !== main) {
      const ox = getComputedStyle(a).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && a.getBoundingClientRect().right <= limit
          && a.scrollWidth > a.clientWidth) { scrolls = true; break; }
      if (a.classList && a.classList.contains('js-plotly-plot')) { inChart = true; }
      a = a.parentElement;
    }
    if (scrolls) continue;
    const what = (e.getAttribute('data-testid') || e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || ''))
        + ' right=' + Math.round(r.right) + ' "' + (e.textContent || '').trim().slice(0, 60) + '"';
    if (inChart) { if (e.tagName.toLowerCase() === 'text') clipped.push(what); }
    else out.push(what);
  }
  return {body: document.body.scrollWidth, doc: document.documentElement.scrollWidth,
          main: main.scrollWidth, overflow: out.slice(0, 10), clippedChartText: clipped.slice(0, 10)};
}
"""


@pytest.fixture(scope="module")
def phone_views(server, browser):
    """Each page loaded once at 390x844 (measured and screenshotted), shared by the phone tests."""
    cache: dict[str, dict] = {}

    def load(name: str) -> dict:
        if name not in cache:
            ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
            ctx.route("**/*", _only_loopback)
            pg = ctx.new_page()
            pg.set_default_timeout(30_000)
            try:
                open_page(pg, server + PAGES[name])
                pg.wait_for_timeout(300)  # plotly lays out after the script finishes
                exceptions = pg.locator("[data-testid='stException']").count()
                cache[name] = {**pg.evaluate(OVERFLOW_JS, PHONE["width"] + TOLERANCE), "exceptions": exceptions}
                screenshot(pg, f"{name}-390x844")
            finally:
                ctx.close()
        return cache[name]

    return load


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_offline_without_exception(server, page, name):
    open_page(page, server + PAGES[name])
    page.wait_for_timeout(300)
    assert_no_exception(page)
    expect(page.locator(f"{MAIN} h1").first).to_be_visible()
    # navigation and the shared filters are there on every page
    expect(page.locator("[data-testid='stSidebarNav'] a")).to_have_count(N_PAGES)
    assert page.blocked == [], f"the page asked for something beyond the local server: {page.blocked}"
    screenshot(page, f"{name}-1400x900")


@pytest.mark.parametrize("name", list(PAGE_BAD))
def test_malformed_params_show_a_notice_not_an_exception(server, page, name):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    params = {**SHARED_BAD, **PAGE_BAD[name]}
    query = "&".join(f"{k}={urlquote(v, safe='')}" for k, v in params.items())
    open_page(page, f"{server}{PAGES[name]}?{query}")
    assert_no_exception(page)
    expect(page.locator(f"{MAIN} h1").first).to_be_visible()
    alerts = page.locator(f"{MAIN} [data-testid='stAlert']")
    expect(alerts.first).to_be_visible()
    text = " ".join(alerts.all_inner_texts())
    assert "ignored" in text.lower(), text
    for value in NOTICE_NAMES[name]:
        assert value in text, f"the notice does not name {value!r}: {text}"
    assert "9" * 100 not in text, "the notice repeats a huge value in full"
    assert not dialogs


def test_markup_in_a_link_is_shown_as_text(server, page):
    """Search text is any text: markup in it is searched for and shown, never run or rendered."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>[link](javascript:alert(3))'
    open_page(page, f"{server}/quotes?q={urlquote(hostile, safe='')}&speaker={urlquote('<b>x</b>', safe='')}")
    assert_no_exception(page)
    page.wait_for_timeout(300)
    assert not dialogs
    assert page.locator(f"{MAIN} img[src='x']").count() == 0
    assert page.locator(f"{MAIN} a[href^='javascript:']").count() == 0
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('script')).filter(s => s.textContent.includes('alert(2)')).length"
    ) == 0
    expect(page.locator(f"{MAIN} input[aria-label='Search the quotes']")).to_have_value(hostile)


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_width_has_no_horizontal_overflow(phone_views, name):
    view = phone_views(name)
    assert view["exceptions"] == 0
    limit = PHONE["width"] + TOLERANCE
    assert view["body"] <= limit and view["doc"] <= limit and view["main"] <= limit, view
    assert not view["overflow"], f"{name} at 390 px: elements stick out of the page: {view['overflow']}"


@pytest.mark.parametrize("name", ["overview", "routes", "numbers"])
def test_phone_width_chart_text_is_not_cut_off(phone_views, name):
    """Chart titles and axis titles must fit a phone: a title that states the finding is useless cut off."""
    view = phone_views(name)
    assert not view["clippedChartText"], (
        f"{name} at 390 px: chart text runs past the chart's edge: {view['clippedChartText']}")
