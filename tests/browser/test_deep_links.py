"""Shared links: each page opened as a fresh visitor's FIRST request, with query params.

A link someone pastes must open on exactly the view it names: the page's own
widgets hold the values from the URL, and what is shown is what the dataset holds
for those values (expected values are read from the same SQLite file the server
reads, so the tests follow the bundled articles when the extractors change).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ROOT,
    assert_no_exception,
    loopback_guard,
    open_page,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.browser

MAIN = "[data-testid='stMain']"
SIDEBAR = "[data-testid='stSidebar']"
DEEP_LINK_PORT = 8621  # this suite's own second server (see test_first_request_after_start_is_a_deep_link)


def combobox(pg, scope: str, label: str):
    """The input of a selectbox (Streamlit 1.67 draws it as an ARIA combobox holding the value)."""
    return pg.locator(f"{scope} input[role='combobox'][aria-label='{label}']")


def main_text(pg) -> str:
    return pg.locator(MAIN).inner_text()


def quote_card_texts(pg) -> list[str]:
    return pg.locator(f"{MAIN} .xr-card").all_inner_texts()


def quotes_matching(db, word: str, country: str | None = None) -> list[str]:
    """Quote texts that contain ``word`` (as a word prefix), optionally in articles routed to ``country``."""
    sql = "SELECT q.text FROM quotes q"
    params: list = []
    if country:
        sql += " WHERE q.article_id IN (SELECT article_id FROM routes WHERE destination_country = ?)"
        params.append(country)
    rows = [r["text"] for r in db.execute(sql, params)]
    pat = re.compile(rf"\b{re.escape(word)}", re.I)
    return [t for t in rows if pat.search(t)]


def assert_cards_show(pg, word: str, expected: list[str]) -> None:
    """Every card highlights ``word``; every expected quote is on a card; no other quote is."""
    cards = pg.locator(f"{MAIN} .xr-card")
    expect(cards.first).to_be_visible()
    texts = quote_card_texts(pg)
    assert texts, "no quote cards"
    for i in range(cards.count()):
        marks = [m.lower() for m in cards.nth(i).locator("mark").all_inner_texts()]
        assert any(word in m for m in marks), f"card {i} does not highlight {word!r}: marks={marks}"
    joined = "\n".join(texts)
    for q in expected:
        assert q[:40] in joined, f"quote missing from the cards: {q[:60]!r}"
    # no more cards than quotes that match (variants of one quote share a card)
    assert len(texts) <= len(expected)


# ------------------------------------------------------------------ one test per page


def test_overview_country_link_sets_sidebar_filter(server, page, db):
    open_page(page, f"{server}/?country=KZ")
    assert_no_exception(page)
    expect(combobox(page, SIDEBAR, "Destination country (ISO code)")).to_have_value("KZ")
    expect(page.locator(SIDEBAR)).to_contain_text("Kazakhstan")
    expect(page.locator(MAIN)).to_contain_text("Filtered to destination Kazakhstan")
    n_articles = db.execute(
        "SELECT COUNT(DISTINCT article_id) FROM routes WHERE destination_country = 'KZ'").fetchone()[0]
    assert n_articles > 0
    metric = page.locator(f"{MAIN} [data-testid='stMetric']").filter(has_text=re.compile(r"^\s*Articles"))
    expect(metric.locator("[data-testid='stMetricValue']")).to_have_text(str(n_articles))
    assert page.url.endswith("?country=KZ"), page.url


def test_date_range_link_sets_the_date_filters(server, page, db):
    n = db.execute("SELECT COUNT(*) FROM articles WHERE published BETWEEN '2022-09-01' AND '2022-09-30'").fetchone()[0]
    total = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert 0 < n < total
    open_page(page, f"{server}/?from=2022-09-01&to=2022-09-30")
    assert_no_exception(page)
    dates = page.locator(f"{SIDEBAR} [data-testid='stDateInput']")
    expect(dates.filter(has_text="From").locator("input")).to_have_value("2022-09-01")
    expect(dates.filter(has_text="To").locator("input")).to_have_value("2022-09-30")
    metric = page.locator(f"{MAIN} [data-testid='stMetric']").filter(has_text=re.compile(r"^\s*Articles"))
    expect(metric.locator("[data-testid='stMetricValue']")).to_have_text(str(n))
    assert page.locator(f"{MAIN} [data-testid='stAlert']").count() == 0


def test_overview_links_into_other_pages_with_filters(server, page, db):
    """Overview: headline figure cards cite a sentence; destinations link to Routes with dest filled in."""
    open_page(page, f"{server}/")
    assert_no_exception(page)
    dests = {r[0] for r in db.execute("SELECT DISTINCT destination_country FROM routes WHERE destination_country IS NOT NULL")}
    hrefs = [page.locator(f"{MAIN} [data-testid='stPageLink'] a").nth(i).get_attribute("href")
             for i in range(page.locator(f"{MAIN} [data-testid='stPageLink'] a").count())]
    linked = {m.group(1) for h in hrefs if (m := re.search(r"routes\?dest=([A-Z]{2})", h or ""))}
    assert linked and linked <= dests, (linked, dests)
    assert any(re.search(r"sources\?article=[^&]+&span=\d+-\d+", h or "") for h in hrefs), \
        "no headline figure links to its sentence in Sources"
    assert page.locator(f"{MAIN} [data-testid='stPlotlyChart']").count() >= 1


def test_routes_dest_link_shows_that_countrys_evidence(server, page, db):
    rows = db.execute(
        "SELECT r.article_id, r.start, r.\"end\", substr(a.text, r.start + 1, r.\"end\" - r.start) AS sentence "
        "FROM routes r JOIN articles a USING (article_id) WHERE r.destination_country = 'GE'"
    ).fetchall()
    assert rows, "the bundled articles report no route to Georgia"
    open_page(page, f"{server}/routes?dest=GE")
    assert_no_exception(page)
    expect(combobox(page, MAIN, "Destination (ISO code)")).to_have_value("GE")
    expect(page.locator(f"{MAIN} h2, {MAIN} h3").filter(has_text="Georgia").first).to_contain_text(
        f"{len(rows)} report")
    cards = page.locator(f"{MAIN} .routes-evidence")
    expect(cards).to_have_count(len(rows))
    shown = "\n".join(cards.all_inner_texts())
    for r in rows:
        assert " ".join(r["sentence"].split())[:60] in " ".join(shown.split()), r["sentence"]
    hrefs = [a.get_attribute("href") for a in page.locator(f"{MAIN} [data-testid='stPageLink'] a").all()]
    for r in rows:
        want = f"sources?article={r['article_id']}&span={r['start']}-{r['end']}"
        assert any(h and h.endswith(want) for h in hrefs), (want, hrefs)


def test_sources_article_link_opens_that_article(server, page, db):
    art = db.execute("SELECT article_id, title FROM articles WHERE file LIKE '004%'").fetchone()
    assert art is not None
    open_page(page, f"{server}/sources?article={art['article_id']}")
    assert_no_exception(page)
    expect(combobox(page, MAIN, "Read an article")).to_have_value(art["article_id"])
    expect(page.locator(MAIN).get_by_text(art["title"], exact=True).first).to_be_visible()


def test_sources_span_link_highlights_the_sentence(server, page, db):
    r = db.execute(
        "SELECT r.article_id, r.start, r.\"end\", substr(a.text, r.start + 1, r.\"end\" - r.start) AS sentence "
        "FROM routes r JOIN articles a USING (article_id) ORDER BY r.article_id, r.start LIMIT 1"
    ).fetchone()
    open_page(page, f"{server}/sources?article={r['article_id']}&span={r['start']}-{r['end']}")
    assert_no_exception(page)
    expect(page.locator(f"{MAIN} #exodus-focus")).to_have_count(1)
    # the outlined passage is cut into pieces where other highlights (places, figures) start
    pieces = page.locator(f"{MAIN} .xr-focus:not(.xr-key)").all_text_contents()
    assert " ".join("".join(pieces).split()) == " ".join(r["sentence"].split())


def test_numbers_metric_link_shows_only_that_metric(server, page, db):
    metric, n = db.execute(
        "SELECT metric, COUNT(*) FROM figures WHERE metric IS NOT NULL GROUP BY metric "
        "ORDER BY COUNT(*) DESC, metric LIMIT 1").fetchone()
    total = db.execute("SELECT COUNT(*) FROM figures").fetchone()[0]
    assert n < total
    from exodus.metrics import CATALOGUE

    label = next(m.label for m in CATALOGUE if m.metric_id == metric)
    open_page(page, f"{server}/numbers?metric={metric}")
    assert_no_exception(page)
    expect(combobox(page, MAIN, "Metric")).to_have_value(metric)
    expect(page.locator(MAIN)).to_contain_text(f"{n} figures from")
    charts = page.locator(f"{MAIN} [data-testid='stPlotlyChart']")
    expect(charts.first).to_be_visible()
    # every chart on the page is about this metric (its axis or title names it; plotly wraps
    # long labels into separate tspans, so compare without whitespace)
    squash = lambda t: re.sub(r"\s+", "", t).lower()  # noqa: E731
    for i in range(charts.count()):
        assert squash(label) in squash(charts.nth(i).inner_text()), f"chart {i} is not about {label}"
    # the table of all figures holds exactly this metric's figures (+1 header row)
    rowcounts = [g.get_attribute("aria-rowcount") for g in page.locator(f"{MAIN} [role='grid']").all()]
    assert str(n + 1) in rowcounts, rowcounts


def test_quotes_search_link_highlights_hits(server, page, db):
    expected = quotes_matching(db, "prison")
    assert expected, "no quote in the bundled articles mentions prison"
    open_page(page, f"{server}/quotes?q=prison")
    assert_no_exception(page)
    expect(page.locator(f"{MAIN} input[aria-label='Search the quotes']")).to_have_value("prison")
    assert_cards_show(page, "prison", expected)


def test_quotes_speaker_link_filters_by_speaker(server, page, db):
    speaker, n = db.execute(
        "SELECT speaker, COUNT(*) FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker "
        "ORDER BY COUNT(*) DESC, speaker LIMIT 1").fetchone()
    open_page(page, f"{server}/quotes?speaker={speaker}")
    assert_no_exception(page)
    expect(combobox(page, MAIN, "Speaker")).to_have_value(speaker)
    cards = page.locator(f"{MAIN} .xr-card")
    expect(cards.first).to_be_visible()
    assert 1 <= cards.count() <= n
    for i in range(cards.count()):
        expect(cards.nth(i).locator(".xr-who").first).to_contain_text(speaker)


def test_quotes_permalink_shows_one_quote(server, page, db):
    q = db.execute("SELECT quote_id, text FROM quotes ORDER BY length(text) DESC LIMIT 1").fetchone()
    open_page(page, f"{server}/quotes?quote={q['quote_id']}")
    assert_no_exception(page)
    cards = page.locator(f"{MAIN} .xr-card")
    expect(cards).to_have_count(1)
    assert " ".join(q["text"].split())[:40] in " ".join(cards.inner_text().split())


def test_about_page_states_method_quality_and_licence(server, page):
    """About: method, extraction quality against the gold annotations (a precision/recall table),
    how to add articles and rebuild, citation and licence (DESIGN.md)."""
    open_page(page, f"{server}/about")
    assert_no_exception(page)
    text = main_text(page).lower()
    for word in ("precision", "recall", "licen", "cite", "data/raw"):
        assert word in text, f"About does not mention {word!r}"
    tables = page.locator(f"{MAIN} [data-testid='stDataFrame'], {MAIN} [data-testid='stTable'], {MAIN} table")
    assert tables.count() >= 1, "About shows no extraction-quality table"


# ------------------------------------------------------------------ first request after start


def test_first_request_after_start_is_a_deep_link(real_db, browser, db):
    """A freshly started server whose very first request is a filtered Quotes link.

    With a ``pages/`` folder beside the entry point Streamlit switches to legacy
    multipage mode and this first request runs the page without dashboard.py's frame:
    no sidebar filters, no navigation, an unfiltered view.
    """
    import socket

    with socket.socket() as s:
        port = DEEP_LINK_PORT if s.connect_ex(("127.0.0.1", DEEP_LINK_PORT)) != 0 else None
    proc, url = start_server(real_db, ROOT / "data" / "raw", port=port)
    try:
        expected = quotes_matching(db, "prison", country="UZ")
        everywhere = quotes_matching(db, "prison")
        assert expected and len(expected) < len(everywhere), "the test data no longer separates the filter"
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        ctx.route("**/*", loopback_guard())
        pg = ctx.new_page()
        pg.set_default_timeout(60_000)
        try:
            open_page(pg, f"{url}/quotes?q=prison&country=UZ", timeout=60_000)
            assert_no_exception(pg)
            nav = pg.locator(f"{SIDEBAR} [data-testid='stSidebarNav'] a")
            expect(nav).to_have_count(6)
            expect(combobox(pg, SIDEBAR, "Destination country (ISO code)")).to_have_value("UZ")
            expect(pg.locator(f"{MAIN} input[aria-label='Search the quotes']")).to_have_value("prison")
            assert_cards_show(pg, "prison", expected)
            shown = " ".join(" ".join(quote_card_texts(pg)).split())
            for other in set(everywhere) - set(expected):
                assert " ".join(other.split())[:40] not in shown, f"unfiltered quote shown: {other[:60]!r}"
            assert "q=prison" in pg.url and "country=UZ" in pg.url, pg.url
        finally:
            ctx.close()
    finally:
        stop_server(proc)
