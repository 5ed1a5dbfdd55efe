"""Interactions that AppTest cannot see: the browser's address bar follows the widgets.

Typing a search updates ``q`` in the URL; picking a shared filter in the sidebar puts
it in the URL, and it stays there (and stays applied) when moving to another page
through the sidebar navigation.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_exception, open_page, wait_ready

pytestmark = pytest.mark.browser

MAIN = "[data-testid='stMain']"
SIDEBAR = "[data-testid='stSidebar']"


def test_typing_a_search_updates_results_and_url(server, page, db):
    rows = [r["text"] for r in db.execute("SELECT text FROM quotes")]
    hits = [t for t in rows if re.search(r"\bborder", t, re.I)]
    word = "border" if hits else "war"
    open_page(page, f"{server}/quotes")
    assert_no_exception(page)
    total_cards = page.locator(f"{MAIN} .xr-card").count()
    box = page.locator(f"{MAIN} input[aria-label='Search the quotes']")
    box.fill(word)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"[?&]q={word}(&|$)"))
    # the rerun has replaced the unfiltered list once the result line names the search
    expect(page.locator(MAIN)).to_contain_text(re.compile(rf"cards?\s+match\s+{word}"))
    wait_ready(page)
    assert_no_exception(page)
    cards = page.locator(f"{MAIN} .xr-card")
    expect(cards.first).to_be_visible()
    assert cards.count() <= total_cards
    for i in range(cards.count()):
        marks = [m.lower() for m in cards.nth(i).locator("mark").all_inner_texts()]
        assert any(word in m for m in marks), f"card {i} does not highlight {word!r}: {marks}"
    expect(page.locator(MAIN)).to_contain_text(re.compile(rf"{cards.count()} cards?\s+match\s+{word}"))
    # a search that matches nothing says so and says what to do
    box.fill("zzzqqqxxy")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=zzzqqqxxy(&|$)"))
    wait_ready(page)
    expect(page.locator(f"{MAIN} [data-testid='stAlert']").first).to_contain_text("No quotes")
    expect(page.locator(f"{MAIN} .xr-card")).to_have_count(0)


def test_shared_filter_goes_to_url_and_persists_across_pages(server, page, db):
    outlet, n = db.execute(
        "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet "
        "ORDER BY COUNT(*), outlet LIMIT 1").fetchone()
    total = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert n < total
    open_page(page, f"{server}/")
    assert_no_exception(page)
    box = page.locator(f"{SIDEBAR} input[role='combobox'][aria-label='Outlet']")
    box.click()
    page.get_by_role("option", name=outlet, exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]outlet=" + re.escape(outlet).replace(r"\ ", r"(\+|%20)")))
    wait_ready(page)
    expect(box).to_have_value(outlet)
    articles = page.locator(f"{MAIN} [data-testid='stMetric']").filter(has_text=re.compile(r"^\s*Articles"))
    expect(articles.locator("[data-testid='stMetricValue']")).to_have_text(str(n))

    # navigate with the sidebar: the filter is kept in the URL, in the widget and in the view
    page.locator(f"{SIDEBAR} [data-testid='stSidebarNav'] a").filter(has_text="Sources").click()
    expect(page).to_have_url(re.compile(r"/sources\?.*outlet="))
    wait_ready(page)
    assert_no_exception(page)
    expect(page.locator(f"{SIDEBAR} input[role='combobox'][aria-label='Outlet']")).to_have_value(outlet)
    expect(page.locator(MAIN)).to_contain_text(f"Filtered to outlet {outlet}")
    expect(page.locator(MAIN)).to_contain_text(f"{n} article" + ("s" if n != 1 else "") + " from 1 outlet")

    page.locator(f"{SIDEBAR} [data-testid='stSidebarNav'] a").filter(has_text="Quotes").click()
    expect(page).to_have_url(re.compile(r"/quotes\?.*outlet="))
    wait_ready(page)
    assert_no_exception(page)
    expect(page.locator(f"{SIDEBAR} input[role='combobox'][aria-label='Outlet']")).to_have_value(outlet)
    expect(page.locator(MAIN)).to_contain_text(f"Filtered to outlet {outlet}")
    expect(page.locator(f"{MAIN} .xr-card").first).to_be_visible()
    metas = page.locator(f"{MAIN} .xr-card .xr-meta").all_inner_texts()
    assert metas, "no quote cards for the outlet"
    for m in metas:
        assert outlet in m, f"a quote from another outlet is shown: {m!r}"


def test_routes_layer_link_and_toggle(server, page):
    """/routes?layer=Flows draws only the flows; switching People on draws more and updates the URL."""
    open_page(page, f"{server}/routes?layer=Flows")
    assert_no_exception(page)
    button = lambda name: page.locator(f"{MAIN} button").filter(has_text=re.compile(rf"^\s*{name}\s*$"))  # noqa: E731
    expect(button("Flows")).to_have_attribute("aria-pressed", "true")
    expect(button("Crossings")).to_have_attribute("aria-pressed", "false")
    expect(button("People")).to_have_attribute("aria-pressed", "false")
    traces = page.locator(f"{MAIN} .geo .scatterlayer .trace")
    expect(traces.first).to_be_attached()
    flows_only = traces.count()
    button("People").click()
    expect(page).to_have_url(re.compile(r"layer=People"))
    expect(page).to_have_url(re.compile(r"layer=Flows"))
    wait_ready(page)
    assert_no_exception(page)
    expect(button("People")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        f"() => document.querySelectorAll(\"[data-testid='stMain'] .geo .scatterlayer .trace\").length > {flows_only}",
        timeout=15_000)
