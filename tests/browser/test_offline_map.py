"""The routes map draws its country outlines with no network.

Plotly geo maps fetch their topojson from a CDN by default and draw an empty
frame offline. The app serves it from static/ instead; every request that does
not go to the local server is aborted here (the ``page`` fixture).

Plotly draws each base layer of a geo subplot (land, countries, coastlines) as ONE
<path> whose ``d`` holds a sub-path per outline, so the check counts sub-paths
(``M`` commands) of the countries layer: 0 without the topojson, dozens with it.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_exception, open_page

pytestmark = pytest.mark.browser

MAIN = "[data-testid='stMain']"

OUTLINES_JS = """
() => {
  const layer = (name) => Array.from(document.querySelectorAll(`.geo .layer.${name} path`))
      .map(p => p.getAttribute('d') || '').join('');
  const subpaths = (d) => (d.match(/M/g) || []).length;
  return {countries: subpaths(layer('countries')), land: subpaths(layer('land')),
          countriesChars: layer('countries').length};
}
"""


def test_routes_map_draws_country_outlines_offline(server, page):
    topojson = []
    page.on("response", lambda r: topojson.append((r.url, r.status))
            if "/app/static/" in r.url and r.url.endswith(".json") else None)
    open_page(page, f"{server}/routes")
    assert_no_exception(page)
    geo = page.locator(f"{MAIN} [data-testid='stPlotlyChart'] .geo").first
    expect(geo).to_be_attached()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.geo .layer.countries path'))"
        ".some(p => (p.getAttribute('d') || '').length > 1000)", timeout=20_000)
    outlines = page.evaluate(OUTLINES_JS)
    assert outlines["countries"] > 50, outlines
    assert outlines["land"] > 0, outlines
    # the outlines came from the app's own static folder, and nothing was fetched from elsewhere
    assert any(status == 200 for _, status in topojson), topojson
    assert not [u for u in page.blocked if "topojson" in u or u.endswith(".json")], page.blocked
    # the routes themselves are drawn: lines and destination markers
    assert page.locator(f"{MAIN} .geo .scatterlayer path.js-line").count() > 0
    assert page.locator(f"{MAIN} .geo .scatterlayer path.point").count() > 0


def test_routes_map_is_blank_without_the_static_outlines(server, page):
    """Control for the test above: the count really depends on the served topojson."""
    page.route("**/app/static/**", lambda r: r.abort())
    open_page(page, f"{server}/routes")
    expect(page.locator(f"{MAIN} [data-testid='stPlotlyChart'] .geo").first).to_be_attached()
    page.wait_for_timeout(1500)
    outlines = page.evaluate(OUTLINES_JS)
    assert outlines["countries"] == 0, outlines
