"""Overview page ("/"): headline figure cards, counts, timeline, destinations, links.

Runs the app against the hand-made sample dataset (tests/fixtures/sample_dataset.py):
article "one" (Example Wire, 2022-09-24; figures 12 km queue and 80% rise; routes to
GE, GE, FI) and article "two" (hostile title and outlet "Other <i>Outlet</i>",
2023-11-02; figure 2,000 people; route to KZ).
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs

import pandas as pd
import pytest

from components import overview as ov
from tests.app.conftest import no_exceptions


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def html_bodies(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def card_bodies(at) -> list[str]:
    return [b for b in html_bodies(at) if 'class="er-card"' in b]


def page_links(at) -> list[tuple[str, str, dict]]:
    return [(p.proto.page, p.proto.label, parse_qs(p.proto.query_string)) for p in at.get("page_link")]


def plotly_specs(at) -> list[dict]:
    return [json.loads(p.proto.spec) for p in at.get("plotly_chart")]


def test_default_cards_cite_outlet_date_and_sentence(app):
    at = app()
    no_exceptions(at)
    m = metrics(at)
    # One card per metric in the sample, value with unit, label from the metric catalogue.
    assert m["Border queue length"] == "12 km"
    assert m["Change in border entries"] == "80%"
    assert m["People crossing the border"] == "2,000 people"
    cards = card_bodies(at)
    assert len(cards) == 3
    queue = next(c for c in cards if "12 kilometres" in c)
    assert "<mark>12 kilometres</mark>" in queue  # the figure highlighted in its own sentence
    assert "queues stretched" in queue
    assert "Example Wire" in queue and "24 Sep 2022" in queue
    # Each card links to its span in the Sources reader.
    src = [q for page, label, q in page_links(at) if page == "sources" and label.startswith("Read the sentence")]
    assert len(src) == 3
    assert {q["article"][0] for q in src} == {"one", "two"}
    for q in src:
        start, end = (int(x) for x in q["span"][0].split("-"))
        assert 0 <= start < end


def test_card_span_is_exactly_the_figure(app, sample_db):
    import sqlite3

    at = app()
    con = sqlite3.connect(sample_db)
    text = dict(con.execute("SELECT article_id, text FROM articles"))
    spans = {
        text[q["article"][0]][int(q["span"][0].split("-")[0]):int(q["span"][0].split("-")[1])]
        for page, label, q in page_links(at) if page == "sources" and "span" in q
    }
    assert spans == {"12 kilometres", "80%", "2,000"}


def test_counts_strip_default(app):
    m = metrics(app())
    assert (m["Articles"], m["Outlets"], m["Quotes"], m["Figures"], m["Routes"], m["Destination countries"]) == (
        "2", "2", "4", "3", "4", "3")
    assert m["First article"] == "24 Sep 2022" and m["Latest article"] == "2 Nov 2023"


def test_country_kz_narrows_cards_and_counts(app):
    at = app(country="KZ")
    no_exceptions(at)
    assert not at.warning  # KZ is a valid destination: no notice
    m = metrics(at)
    assert m["People crossing the border"] == "2,000 people"
    assert "Border queue length" not in m and "Change in border entries" not in m
    cards = card_bodies(at)
    assert len(cards) == 1 and "2 Nov 2023" in cards[0] and "<mark>2,000</mark>" in cards[0]
    assert m["Articles"] == "1" and m["Destination countries"] == "1"
    # The filter is said in words, and the Explore links name the country.
    assert any("Filtered to destination Kazakhstan" in b for b in html_bodies(at))
    labels = [label for _, label, _ in page_links(at)]
    assert "Read what people said in articles about Kazakhstan" in labels


def test_outlet_filter_narrows_timeline(app):
    at = app(outlet="Example Wire")
    no_exceptions(at)
    timeline = next(s for s in plotly_specs(at) if s["data"][0].get("mode") == "markers")
    assert [t["customdata"] for t in timeline["data"]] == [["one"]]


def test_destinations_chart_and_links(app):
    at = app()
    bars = next(s for s in plotly_specs(at) if s["data"][0].get("type") == "bar")
    got = dict(zip(bars["data"][0]["y"], bars["data"][0]["x"]))
    assert got == {"Georgia (GE)": 2, "Finland (FI)": 1, "Kazakhstan (KZ)": 1}
    assert any("Georgia is the most reported destination (2 reports)" in b for b in html_bodies(at))
    dests = [q["dest"][0] for page, _, q in page_links(at) if page == "routes" and "dest" in q]
    assert dests == ["GE", "FI", "KZ"]


def test_destinations_under_country_filter_name_the_country(app):
    at = app(country="GE")
    bars = next(s for s in plotly_specs(at) if s["data"][0].get("type") == "bar")
    colours = dict(zip(bars["data"][0]["y"], bars["data"][0]["marker"]["color"]))
    # Article "one" names Georgia (2 reports) and Finland (1): Georgia is highlighted.
    assert colours == {"Georgia (GE)": "#D55E00", "Finland (FI)": "#0072B2"}
    assert any("Georgia: 2 reports; the same articles name 1 other country" in b for b in html_bodies(at))


def test_timeline_marks_context_events_as_context(app):
    at = app()
    timeline = next(s for s in plotly_specs(at) if s["data"][0].get("mode") == "markers")
    ids = sorted(i for t in timeline["data"] for i in t["customdata"])
    assert ids == ["one", "two"]
    notes = [a["text"] for a in timeline["layout"]["annotations"]]
    assert notes == ["Invasion*", "Mobilisation*"]
    assert any("context, not from the dataset" in c.value for c in at.caption)


@pytest.mark.parametrize("params", [
    {"country": "<script>alert(1)</script>"},
    {"country": "XX", "from": "2022-13-45", "to": "yesterday"},
    {"outlet": "x" * 5000},
])
def test_malformed_shared_params_show_notice(app, params):
    at = app(**params)
    no_exceptions(at)
    assert at.warning and "ignored" in at.warning[0].value
    # The bad values were dropped: the full view is shown.
    assert metrics(at)["Articles"] == "2"
    assert len(card_bodies(at)) == 3


def test_hostile_text_is_inert(app):
    at = app()
    bodies = "\n".join(html_bodies(at))
    assert "Other &lt;i&gt;Outlet&lt;/i&gt;" in bodies
    assert "<i>Outlet" not in bodies and "<script" not in bodies.lower()
    for spec in plotly_specs(at):
        dumped = json.dumps(spec)
        assert "<script" not in dumped.lower() and "<i>" not in dumped
    timeline = next(s for s in plotly_specs(at) if s["data"][0].get("mode") == "markers")
    hovers = " ".join(h for t in timeline["data"] for h in t["hovertext"])
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in hovers
    # No markdown element carries article text that could become a link.
    for md in at.markdown:
        assert "javascript:" not in md.value
    # The articles table offers no javascript: link.
    table = next(d.value for d in at.dataframe if "Original" in d.value.columns)
    assert [None if pd.isna(u) else u for u in table["Original"]] == ["https://example.org/one", None]


def test_empty_filter_says_what_to_do(app):
    at = app(**{"from": "2023-01-01", "to": "2023-01-31"})
    no_exceptions(at)
    assert any("No articles match these filters" in i.value for i in at.info)
    assert not card_bodies(at)


# ---------------------------------------------------------------- pure helpers

def test_format_value_units_and_ranges():
    assert ov.format_value(300000.0, "people") == "300,000 people"
    assert ov.format_value(10.0, "km") == "10 km"
    assert ov.format_value(107.0, "percent") == "107%"
    assert ov.format_value(10.0, "fold") == "10-fold"
    assert ov.format_value(10.0, "km", 12.0) == "10–12 km"
    assert ov.format_value(5000.0, "usd", 7000.0) == "$5,000–$7,000"
    assert ov.format_value(2000.0, "people", approximate=True) == "~2,000 people"
    assert ov.format_value(2.5, "fold") == "2.5-fold"


def test_headline_cards_one_per_metric_best_confidence_then_recent():
    df = pd.DataFrame([
        dict(figure_id="a", article_id="x", value=1.0, value_high=None, unit="km", counts="queue", raw="1 km",
             metric="border_queue_km", approximate=0, start=0, end=4, confidence=0.6, outlet="A",
             published="2022-09-30", sentence="A 1 km queue."),
        dict(figure_id="b", article_id="y", value=5.0, value_high=None, unit="km", counts="queue", raw="5 km",
             metric="border_queue_km", approximate=0, start=0, end=4, confidence=0.9, outlet="B",
             published="2022-09-25", sentence="A 5 km queue."),
        dict(figure_id="c", article_id="z", value=7.0, value_high=None, unit="km", counts="queue", raw="7 km",
             metric="border_queue_km", approximate=0, start=0, end=4, confidence=0.9, outlet="C",
             published="2022-09-27", sentence="A 7 km queue."),
        dict(figure_id="d", article_id="z", value=3.0, value_high=None, unit="count", counts="things", raw="3",
             metric=None, approximate=0, start=9, end=10, confidence=1.0, outlet="C",
             published="2022-09-27", sentence="3 things."),
    ])
    cards = ov.headline_cards(df)
    assert len(cards) == 1  # one per metric; figures without a metric are not headline cards
    c = cards[0]
    assert (c.value, c.outlet, c.published, c.reports, c.outlets) == ("7 km", "C", "2022-09-27", 3, 3)


def test_marked_sentence_escapes_and_marks():
    out = ov.marked_sentence('He said <script>x</script> "12 km" [a](javascript:1)', "12 km")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<mark>12 km</mark>" in out
    long = "word " * 100 + "the 12 km queue " + "tail " * 100
    short = ov.marked_sentence(long, "12 km", limit=120)
    assert "<mark>12 km</mark>" in short and len(short) < 200


def test_md_escape_neutralises_links():
    assert ov.md_escape("[x](javascript:a)") == "\\[x\\]\\(javascript\\:a\\)"
