"""Routes page: AppTest views from the URL, and unit tests of the map builder (components/maps.py).

The sample dataset (tests/fixtures/sample_dataset.py) has four routes: Russia -> Georgia (land),
Ivan Petrov Moscow -> Georgia (mode not stated), Russia -> Finland (land, at Vaalimaa) in article
"one"; Moscow -> Kazakhstan (air) in article "two", whose title and outlet are hostile HTML/markdown.
Chart selections cannot be simulated by AppTest: the selection -> destination logic is tested
through ``maps.destination_from_selection``.
"""
from __future__ import annotations

import html as _html
import json
import re
import sqlite3

import pandas as pd
import pytest

from components import data, maps
from tests.app.conftest import no_exceptions

PAGE = "app_pages/routes.py"
GE_SENTENCE = "Thousands of men fled Russia for Georgia"
PETROV_SENTENCE = "said Ivan Petrov, a teacher from Moscow"
KZ_SENTENCE = "Men flew to Kazakhstan from Moscow"
FI_SENTENCE = "At Vaalimaa the number of people crossing"


def _figure(at) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def _layers(spec: dict) -> list[str]:
    return [(t.get("meta") or {}).get("layer") for t in spec["data"]]


def _evidence(at) -> list[str]:
    """The evidence cards' HTML (our own wrapper class marks them)."""
    return [m.value for m in at.markdown if 'class="routes-evidence"' in m.value]


def _text(html_block: str) -> str:
    """Evidence HTML back to plain text, to search for sentences."""
    return _html.unescape(re.sub(r"<[^>]+>", " ", html_block))


# ---------------------------------------------------------------- AppTest views

def test_default_view_has_map_table_and_evidence(app):
    at = app(PAGE)
    no_exceptions(at)
    spec = _figure(at)
    layers = _layers(spec)
    assert layers.count("flows") == 3  # RU->GE land, RU->FI land, Moscow->KZ air (person routes excluded)
    assert "people" in layers and "crossings" in layers and "destinations" in layers
    # The figure is told to fetch country outlines from our static folder.
    assert json.loads(at.get("plotly_chart")[0].proto.config)["topojsonURL"] == "app/static/"
    table = at.dataframe[0].value
    assert sorted(table["code"]) == ["FI", "GE", "KZ"]  # the sample's destinations, one row each
    assert table.iloc[0]["code"] == "GE" and table.iloc[0]["reports"] == 2
    assert "Georgia is the most reported destination" in at.subheader[0].value
    assert any("not a count of people" in c.value for c in at.caption)
    texts = " ".join(_text(e) for e in _evidence(at))
    for sentence in (GE_SENTENCE, PETROV_SENTENCE, KZ_SENTENCE, FI_SENTENCE):
        assert sentence in texts
    assert not at.warning


def test_dest_param_shows_only_that_destinations_evidence(app):
    at = app(PAGE, dest="GE")
    no_exceptions(at)
    assert at.selectbox(key="dest").value == "GE"
    cards = [_text(e) for e in _evidence(at)]
    assert len(cards) == 2
    joined = " ".join(cards)
    assert GE_SENTENCE in joined and PETROV_SENTENCE in joined
    assert KZ_SENTENCE not in joined and FI_SENTENCE not in joined
    assert any("What the sources say about Georgia" in s.value for s in at.subheader)
    # Each card links to the Sources reader at the evidence sentence.
    links = [pl.proto for pl in at.get("page_link")]
    assert len(links) == 2 and all(pl.page == "sources" for pl in links)
    assert all(pl.query_string.startswith("article=one&span=") for pl in links)
    # The map outlines the chosen destination.
    dest_trace = next(t for t in _figure(at)["data"] if (t.get("meta") or {}).get("layer") == "destinations")
    codes = [cd[1] for cd in dest_trace["customdata"]]
    widths = dict(zip(codes, dest_trace["marker"]["line"]["width"]))
    assert widths["GE"] > widths["FI"] and widths["GE"] > widths["KZ"]


def test_evidence_link_span_is_the_evidence_sentence(app, sample_db):
    at = app(PAGE, dest="KZ")
    no_exceptions(at)
    (link,) = [pl.proto for pl in at.get("page_link")]
    params = dict(p.split("=") for p in link.query_string.split("&"))
    start, end = map(int, params["span"].split("-"))
    con = sqlite3.connect(sample_db)
    body = con.execute("SELECT text FROM articles WHERE article_id = ?", (params["article"],)).fetchone()[0]
    assert body[start:end].startswith(KZ_SENTENCE)


@pytest.mark.parametrize("bad", ["ZZ", "<script>alert(1)</script>", "x" * 5000])
def test_unknown_dest_shows_notice_and_the_full_view(app, bad):
    at = app(PAGE, dest=bad)
    no_exceptions(at)
    assert at.selectbox(key="dest").value is None
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "no reported destination with country code" in warnings[0]
    assert "`" + bad[:40].replace("`", "'") in warnings[0]  # shown as inline code, capped
    assert len(warnings[0]) < 300
    # Nothing narrowed: all four evidence sentences are still there.
    assert len(_evidence(at)) == 4
    assert len(at.dataframe[0].value) == 3


def test_layer_param_picks_map_layers(app):
    at = app(PAGE, layer="People")
    no_exceptions(at)
    assert at.segmented_control(key="layer").value == ["People"]
    layers = set(_layers(_figure(at)))
    assert "people" in layers and "destinations" in layers
    assert "flows" not in layers and "crossings" not in layers
    assert not at.warning


def test_unknown_layer_is_reported(app):
    at = app(PAGE, layer="<b>Bogus</b>")
    no_exceptions(at)
    assert any("unknown map layer" in w.value for w in at.warning)
    assert {"flows", "people", "crossings"} <= set(_layers(_figure(at)))  # default: all layers


def test_shared_country_filter_narrows_the_view(app):
    at = app(PAGE, country="KZ")
    no_exceptions(at)
    table = at.dataframe[0].value
    assert table["code"].tolist() == ["KZ"]
    cards = [_text(e) for e in _evidence(at)]
    assert len(cards) == 1 and KZ_SENTENCE in cards[0]
    flows = [t for t in _figure(at)["data"] if (t.get("meta") or {}).get("layer") == "flows"]
    assert [t["meta"]["code"] for t in flows] == ["KZ"]
    assert "Kazakhstan is the only reported destination" in at.subheader[0].value


def test_dest_outside_the_filtered_view_says_what_to_do(app):
    at = app(PAGE, country="KZ", dest="GE")
    no_exceptions(at)
    assert at.selectbox(key="dest").value == "GE"
    assert not _evidence(at)
    assert any("No reports of people going to Georgia" in i.value for i in at.info)


def test_hostile_article_text_is_inert(app):
    at = app(PAGE, dest="KZ")
    no_exceptions(at)
    (card,) = _evidence(at)
    assert "<script" not in card and "<i>" not in card
    assert "&lt;script&gt;" in card and "&lt;i&gt;Outlet&lt;/i&gt;" in card
    assert "](javascript:" not in card and "[click]" not in card  # no markdown link can form
    sources = [c.value for c in at.caption if c.value.startswith("Source")]
    assert sources and all("<i>" not in s for s in sources)
    assert all("\\<i\\>Outlet" in s for s in sources)


# ---------------------------------------------------------------- unit: the map builder

@pytest.fixture
def frames(sample_db, monkeypatch):
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    return data.routes(), data.crossings()


def _trace_layers(fig) -> list[str | None]:
    return [(t.meta or {}).get("layer") for t in fig.data]


def test_route_map_has_a_trace_per_layer(frames):
    routes, crossings = frames
    fig = maps.route_map(routes, crossings)
    layers = _trace_layers(fig)
    assert layers.count("flows") == 3
    flow_hovers = [t for t in fig.data if (t.meta or {}).get("layer") == "flow-hover"]
    assert sorted(c for t in flow_hovers for c in t.meta["codes"]) == sorted(
        t.meta["code"] for t in fig.data if (t.meta or {}).get("layer") == "flows")  # a hover per flow
    assert all(len(t.hovertext) == len(t.lat) == len(t.customdata) == len(t.meta["codes"]) for t in flow_hovers)
    assert layers.count("people") == 1 and layers.count("crossings") == 1 and layers.count("destinations") == 1
    people = next(t for t in fig.data if (t.meta or {}).get("layer") == "people")
    assert people.meta["person"] == "Ivan Petrov"
    crossing = next(t for t in fig.data if (t.meta or {}).get("layer") == "crossings")
    assert "Vaalimaa" in crossing.hovertext[0] and "80% (percent)" in crossing.hovertext[0]
    assert "Example Wire, 2022-09-24" in crossing.hovertext[0]
    # Layers can be switched off.
    only = _trace_layers(maps.route_map(routes, crossings, layers=["Crossings"]))
    assert "flows" not in only and "people" not in only and "crossings" in only


def test_flow_line_widths_follow_report_counts(frames):
    routes, crossings = frames
    ge = routes[(routes["destination_country"] == "GE") & routes["person"].isna()]
    fi = routes[routes["destination_country"] == "FI"]
    # Extra reports are extra sentences (distinct report keys).
    more = pd.concat([routes, ge.assign(route_id="extra1", report_key="x:1"),
                      ge.assign(route_id="extra2", report_key="x:2"),
                      fi.assign(route_id="extra3", report_key="x:3")], ignore_index=True)
    fig = maps.route_map(more, crossings)
    flows = {t.meta["code"]: t for t in fig.data if (t.meta or {}).get("layer") == "flows"}
    assert {c: t.meta["reports"] for c, t in flows.items()} == {"GE": 3, "FI": 2, "KZ": 1}
    assert flows["GE"].line.width > flows["FI"].line.width > flows["KZ"].line.width
    # Modes differ by dash as well as colour.
    assert flows["KZ"].line.dash == "dash" and flows["GE"].line.dash == "solid"
    assert flows["KZ"].line.color != flows["GE"].line.color
    dest = next(t for t in fig.data if (t.meta or {}).get("layer") == "destinations")
    sizes = dict(zip([cd[1] for cd in dest.customdata], dest.marker.size))
    assert sizes["GE"] > sizes["FI"] > sizes["KZ"]


def test_hover_text_is_escaped(frames):
    routes, crossings = frames
    fig = maps.route_map(routes, crossings)
    hovers = []
    for t in fig.data:
        if t.hovertext is not None:
            hovers += list(t.hovertext)
    kz = next(t.hovertext[t.meta["codes"].index("KZ")] for t in fig.data
              if (t.meta or {}).get("layer") == "flow-hover" and "KZ" in t.meta["codes"])
    assert "&lt;script&gt;" in kz and "&lt;i&gt;Outlet&lt;/i&gt;" in kz
    for h in hovers:
        assert "<script" not in h and "<i>Outlet" not in h
    texts = next(t for t in fig.data if (t.meta or {}).get("layer") == "destinations").text
    assert all("<" not in x for x in texts)


def test_unstated_origin_is_drawn_from_russia_and_labelled():
    routes = pd.DataFrame([{
        "route_id": "r1", "article_id": "a1", "report_key": "a1:0", "mode": None, "person": None, "start": 0, "end": 10,
        "rule": "x", "confidence": 0.9, "distance_km": None, "destination_country": "AM",
        "dest_id": "country:AM", "dest_name": "Armenia", "dest_kind": "country", "dest_lat": 40.18,
        "dest_lon": 44.51, "origin_id": None, "origin_name": None, "origin_country": None,
        "origin_lat": None, "origin_lon": None, "country_name": "Armenia", "country_lat": 40.18,
        "country_lon": 44.51, "outlet": "Wire", "published": "2022-09-30", "title": "T",
        "evidence": "Men left for Armenia.",
    }])
    fl = maps.flows(routes)
    assert fl.iloc[0]["o_label"] == maps.UNSTATED_ORIGIN
    assert (fl.iloc[0]["o_lat"], fl.iloc[0]["o_lon"]) == maps.RUSSIA_POINT
    assert "No origin stated" in fl.iloc[0]["hover"]
    assert fl.iloc[0]["mode_key"] == "unknown"


def test_destination_from_selection():
    known = ["GE", "KZ", "FI"]
    pts = [{"customdata": ["flow", "KZ"]}, {"customdata": ["dest", "GE"]}, {"customdata": ["crossing", "x"]}]
    assert maps.destination_from_selection(pts, known) == "GE"  # a destination marker wins
    assert maps.destination_from_selection([{"customdata": ["flow", "KZ"]}], known) == "KZ"
    assert maps.destination_from_selection([{"customdata": ["dest", "ZZ"]}], known) is None
    assert maps.destination_from_selection([{"lat": 1}, {"customdata": None}], known) is None
    assert maps.destination_from_selection([], known) is None


def test_finding_title_states_the_leader_or_the_tie():
    d = pd.DataFrame({"country": ["Georgia", "Kazakhstan", "Finland"], "reports": [5, 5, 1]})
    assert maps.finding_title(d).startswith("Georgia and Kazakhstan are the most reported destinations")
    d = pd.DataFrame({"country": ["Georgia", "Kazakhstan"], "reports": [5, 2]})
    assert maps.finding_title(d).startswith("Georgia is the most reported destination: 5 of 7 reports")


def test_inert_html_and_md_escape():
    s = '<script>x</script> [a](javascript:1) $x$ **b** & é'
    out = maps.inert_html(s)
    assert "<" not in out and ">" not in out and "[" not in out and "$" not in out and "*" not in out
    assert _html.unescape(out) == s  # the reader sees exactly the original characters
    md = maps.md_escape("[a](javascript:1) <i>x</i>")
    assert "\\[" in md and "\\(" in md and "\\<" in md


def test_evidence_shows_a_sentence_once_with_all_its_destinations(frames):
    routes, _ = frames
    ge = routes[(routes["destination_country"] == "GE") & routes["person"].isna()]
    # The same sentence also yielding a route to Tbilisi (as extractors do for city + country).
    twin = ge.assign(route_id="twin", dest_name="Tbilisi", dest_id="city:tbilisi", mode=None)
    ev = maps.evidence(pd.concat([routes, twin], ignore_index=True))
    assert len(ev) == 4  # four distinct sentences, not five routes
    row = ev[ev["evidence"].str.startswith(GE_SENTENCE)].iloc[0]
    assert row["n_routes"] == 2 and row["places"] == "Georgia, Tbilisi" and row["mode"] == "land"


def test_close_destinations_get_separate_label_positions():
    # Tbilisi, Yerevan, Baku: three capitals within a few degrees.
    pos = maps.label_positions([41.72, 40.18, 40.41], [44.83, 44.51, 49.87])
    assert pos == ["top center", "bottom center", "middle right"]
    assert maps.label_positions([60.0], [25.0]) == ["bottom center"]


def test_one_sentence_naming_a_city_and_its_country_is_one_report(frames):
    routes, crossings = frames
    ge = routes[(routes["destination_country"] == "GE") & routes["person"].isna()]
    city_too = ge.assign(route_id="same-sentence", dest_id="city:tbilisi", dest_name="Tbilisi")
    fig = maps.route_map(pd.concat([routes, city_too], ignore_index=True), crossings)
    flows = {t.meta["code"]: t for t in fig.data if (t.meta or {}).get("layer") == "flows"}
    assert flows["GE"].meta["reports"] == 1
    table = maps.destinations(pd.concat([routes, city_too], ignore_index=True))
    assert int(table.set_index("code").loc["GE", "reports"]) == 2  # the flow and Ivan Petrov's journey
