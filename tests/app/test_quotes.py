"""Quotes page: search, filters, cards with variants, permalinks, hostile input and text."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from components import quote_card
from tests.app.conftest import no_exceptions

PAGE = "app_pages/quotes.py"
SUMMONS_ONE = "q22a2e1ccf80"  # Ivan Petrov in "one" (Example Wire)
SUMMONS_TWO = "qec95e0c26ec"  # the same words in "two" (Other <i>Outlet</i>)
NOBODY = "qd8f15cddc27"
STUDENT = "qfc9d4d27377"


def cards(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if h.proto.body.startswith('<div class="xr-card">')]


def all_html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def head(at) -> str:
    return next(m.value for m in at.markdown if "quote" in m.value and "**" in m.value)


def test_default_view_shows_every_quote_with_variants_grouped(app):
    at = app(PAGE)
    no_exceptions(at)
    assert at.title[0].value.startswith("Quotes")
    body = cards(at)
    assert len(body) == 3  # 4 quotes, two of them the same words in two outlets
    assert head(at).startswith("**4 quotes** in **3 cards**")
    joined = "\n".join(body)
    for words in ("We left at night because we were afraid of the summons",
                  "Nobody at home believes the call-up will stop soon.",
                  "&lt;b&gt;I will not go&lt;/b&gt;"):
        assert words in joined
    first = body[0]
    assert "Also reported by" in first and "Other &lt;i&gt;Outlet&lt;/i&gt;, 2023-11-02" in first
    assert "<mark>" not in joined  # nothing searched, nothing highlighted
    assert "unnamed: an unnamed student" in joined


def test_search_summons_finds_petrov_grouped_with_other_outlet(app):
    at = app(PAGE, q="summons")
    no_exceptions(at)
    assert at.text_input(key="q").value == "summons"
    body = cards(at)
    assert len(body) == 1
    card = body[0]
    assert "<mark>summons</mark>" in card
    assert '<span class="xr-who">Ivan Petrov</span>' in card
    assert "Example Wire" in card and "Other &lt;i&gt;Outlet&lt;/i&gt;" in card
    assert "Also reported by" in card and "identical wording" in card
    assert head(at).startswith("**2 quotes** in **1 card**")


def test_search_ranks_and_highlights_a_phrase(app):
    at = app(PAGE, q='"call-up"')
    no_exceptions(at)
    body = cards(at)
    assert len(body) == 1 and "Nobody at home" in body[0]
    assert body[0].count("<mark>call-up</mark>") == 2  # in the quote and in its context sentence


@pytest.mark.parametrize(
    "q",
    ['"unbalanced', "NEAR(", "a" * 10000, "speaker:Petrov", "AND OR NOT", "*", '"" ""', "summons)(*",
     "<script>alert(1)</script>", "[x](javascript:alert(1))", "\x00\x02\x03", "ё" * 600],
)
def test_any_search_text_is_safe(app, q):
    at = app(PAGE, q=q)
    no_exceptions(at)
    # either results or a helpful empty state, never an error
    assert cards(at) or any("No quotes" in i.value for i in at.info)
    assert "<script>alert" not in all_html(at)


def test_search_with_no_hits_says_what_to_do(app):
    at = app(PAGE, q="zzzqqq")
    no_exceptions(at)
    assert not cards(at)
    msg = at.info[0].value
    assert "No quotes match `zzzqqq`" in msg and "fewer or shorter words" in msg
    assert any(b.label == "Clear the search" for b in at.button)


def test_search_without_words_shows_all_with_a_note(app):
    at = app(PAGE, q="*")
    no_exceptions(at)
    assert len(cards(at)) == 3
    assert any("no words to search for" in c.value for c in at.caption)


def test_huge_search_text_is_cut_with_a_note(app):
    at = app(PAGE, q="a" * 10000)
    no_exceptions(at)
    assert any("first 500 characters" in c.value for c in at.caption)


def test_unknown_speaker_gives_notice_and_all_quotes(app):
    at = app(PAGE, speaker="Nobody")
    no_exceptions(at)
    assert any("Nobody" in w.value for w in at.warning)
    assert at.selectbox(key="speaker").value is None
    assert len(cards(at)) == 3


def test_speaker_filter(app):
    at = app(PAGE, speaker="Ivan Petrov")
    no_exceptions(at)
    assert not at.warning
    body = cards(at)
    assert len(body) == 2
    assert all("Ivan Petrov" in c for c in body)
    assert not any("I will not go" in c for c in body)


def test_shared_outlet_filter_applies_but_variants_still_listed(app):
    at = app(PAGE, outlet="Example Wire")
    no_exceptions(at)
    body = cards(at)
    assert len(body) == 2
    assert not any("I will not go" in c for c in body)  # the student quote is in the other outlet
    assert "Also reported by" in body[0]  # the same words elsewhere are still shown as a variant
    assert any("outlet Example Wire" in c.value for c in at.caption)


def test_permalink_shows_one_quote_with_its_variant(app):
    at = app(PAGE, quote=SUMMONS_TWO)
    no_exceptions(at)
    body = cards(at)
    assert len(body) == 1
    assert "Other &lt;i&gt;Outlet&lt;/i&gt;, 2023-11-02" in body[0].split("Also reported by")[0]
    assert "Example Wire, 2022-09-24" in body[0].split("Also reported by")[1]
    assert any(b.label == "Show all quotes" for b in at.button)
    code = [c.value for c in at.code]
    assert f"/quotes?quote={SUMMONS_TWO}" in code


def test_permalink_button_and_show_all(app):
    at = app(PAGE)
    at.button(key="perma-1").click().run()  # the second card: "Nobody at home ..."
    no_exceptions(at)
    assert at.query_params["quote"] in (NOBODY, [NOBODY])
    body = cards(at)
    assert len(body) == 1 and "Nobody at home" in body[0]
    next(b for b in at.button if b.label == "Show all quotes").click().run()
    no_exceptions(at)
    assert "quote" not in at.query_params
    assert len(cards(at)) == 3


def test_unknown_permalink_gives_notice(app):
    at = app(PAGE, quote="nope<script>")
    no_exceptions(at)
    assert any("no quote with id" in w.value for w in at.warning)
    assert len(cards(at)) == 3


def test_hostile_quote_and_outlet_are_inert(app):
    at = app(PAGE, q="pretext")
    no_exceptions(at)
    body = cards(at)
    assert len(body) == 1
    card = body[0]
    assert "&lt;b&gt;I will not go&lt;/b&gt; [anywhere](javascript:alert(2))" in card
    assert "<b>I will not go" not in card and "<i>Outlet" not in card
    assert 'href="javascript' not in all_html(at).lower()
    assert "<em class=\"xr-who\">unnamed: an unnamed student</em>" in card


def test_cards_link_to_the_reader_at_the_quote_span(app, sample_db):
    import sqlite3
    from urllib.parse import parse_qs

    at = app(PAGE, q="summons")
    links = [pl.proto for pl in at.get("page_link")]
    reader_link = next(p for p in links if p.label == "Read in source")
    assert reader_link.page == "sources"
    params = {k: v[0] for k, v in parse_qs(reader_link.query_string).items()}
    start, end = map(int, params["span"].split("-"))
    con = sqlite3.connect(sample_db)
    text = con.execute("SELECT text FROM articles WHERE article_id = ?", (params["article"],)).fetchone()[0]
    assert text[start:end] == "We left at night because we were afraid of the summons"
    # the variant line links to the reader at the variant's own span (ids and offsets only)
    card = cards(at)[0]
    other = "two" if params["article"] == "one" else "one"
    assert f'href="sources?article={other}&amp;span=' in card


def test_paging_keeps_cards_per_view_bounded(app, monkeypatch):
    monkeypatch.setattr(quote_card, "PAGE_SIZE", 2)
    at = app(PAGE)
    no_exceptions(at)
    assert len(cards(at)) == 2
    assert any("page 1 of 2" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Next").click().run()
    no_exceptions(at)
    assert len(cards(at)) == 1
    assert any("page 2 of 2" in m.value for m in at.markdown)


def test_search_with_outlet_filter_ranks_within_the_filter(app):
    at = app(PAGE, q="summons", outlet="Other <i>Outlet</i>")
    no_exceptions(at)
    body = cards(at)
    assert len(body) == 1
    lead = body[0].split("Also reported by")[0]
    assert "Other &lt;i&gt;Outlet&lt;/i&gt;, 2023-11-02" in lead and "<mark>summons</mark>" in lead
    assert "Example Wire, 2022-09-24" in body[0].split("Also reported by")[1]  # variant still listed
    assert head(at).startswith("**1 quote** in **1 card** match")


def test_too_many_matches_to_rank_are_labelled_not_best_first(app, monkeypatch):
    from components import data

    monkeypatch.setattr(data, "RANK_LIMIT", 1)  # "left" matches 2 quotes: more than we may rank
    at = app(PAGE, q="left")
    no_exceptions(at)
    assert "source-file order" in head(at) and "best match first" not in head(at)
    assert any("too many to rank by relevance" in c.value for c in at.caption)
    body = cards(at)
    assert len(body) == 1 and "<mark>left</mark>" in body[0]  # still highlighted


def test_ranked_search_is_labelled_best_first(app):
    at = app(PAGE, q="left")
    no_exceptions(at)
    assert "best match first" in head(at)
    assert not any("too many to rank by relevance" in c.value for c in at.caption)


def test_search_results_page_and_highlight_on_every_page(app, monkeypatch):
    monkeypatch.setattr(quote_card, "PAGE_SIZE", 1)
    at = app(PAGE, q="the")  # in two different quotes (two cards)
    no_exceptions(at)
    assert len(cards(at)) == 1 and "<mark>" in cards(at)[0]
    first = cards(at)[0]
    next(b for b in at.button if b.label == "Next").click().run()
    no_exceptions(at)
    assert len(cards(at)) == 1 and "<mark>" in cards(at)[0] and cards(at)[0] != first
    assert any("page 2 of 2" in m.value for m in at.markdown)


def test_csv_download_is_built_on_click_from_the_search_results(app, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = []
    real = MediaFileManager.add_deferred

    def spy(self, fn, *args, **kwargs):
        made.append(fn)
        return real(self, fn, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at = app(PAGE, q="summons")
    no_exceptions(at)
    assert any(b.proto.label == "Download 2 quotes (CSV)" for b in at.get("download_button"))
    rows = list(csv.DictReader(io.StringIO(made[-1]().decode("utf-8-sig"))))
    assert sorted(r["quote_id"] for r in rows) == sorted([SUMMONS_ONE, SUMMONS_TWO])
    assert rows[0]["context"] and rows[0]["outlet"] and "\x02" not in rows[0]["text"]


def test_fill_rows_swaps_ids_for_rows_and_drops_vanished_quotes():
    ids = pd.DataFrame({"quote_id": ["a", "b", "c"], "variant_group": ["g", "g", None]})
    cards_ = quote_card.group_cards(ids)
    rows = _frame()[lambda d: d["quote_id"] != "c"]
    quote_card.fill_rows(cards_, rows)
    assert [c.primary["quote_id"] for c in cards_] == ["a"]
    assert cards_[0].primary["outlet"] == "O" and cards_[0].others[0]["outlet"] == "R"


# ---------------------------------------------------------------- pure helpers


def _frame():
    return pd.DataFrame([
        {"quote_id": "a", "article_id": "x", "text": "=HYPERLINK(\"http://evil\")", "speaker": None,
         "speaker_desc": "a student in Klin", "start": 1, "end": 5, "variant_group": "g", "outlet": "O",
         "published": "2022-01-02", "title": "T", "url": None, "context": "c", "marked": "m"},
        {"quote_id": "b", "article_id": "y", "text": "same", "speaker": "P", "speaker_desc": None, "start": 3,
         "end": 9, "variant_group": "g", "outlet": "R", "published": "2022-01-01", "title": "T2", "url": None,
         "context": "c", "marked": "m"},
        {"quote_id": "c", "article_id": "y", "text": "alone", "speaker": "P", "speaker_desc": None, "start": 10,
         "end": 12, "variant_group": None, "outlet": "R", "published": "2022-01-01", "title": "T2", "url": None,
         "context": "c", "marked": "m"},
    ])


def test_group_cards_keeps_rank_order_and_groups_variants():
    cards_ = quote_card.group_cards(_frame())
    assert [c.primary["quote_id"] for c in cards_] == ["a", "c"]
    assert [o["quote_id"] for o in cards_[0].others] == ["b"]


def test_csv_has_all_rows_and_defuses_formulas():
    raw = quote_card.to_csv(_frame()).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert [r["quote_id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["text"].startswith("'=HYPERLINK")
    assert rows[0]["permalink"] == "/quotes?quote=a"
    assert "marked" not in rows[0]


def test_who_html_escapes_and_marks_unnamed():
    assert quote_card.who_html({"speaker": None, "speaker_desc": "a <b>student</b> in Klin"}) == (
        '<em class="xr-who">unnamed: a &lt;b&gt;student&lt;/b&gt; in Klin</em>')
