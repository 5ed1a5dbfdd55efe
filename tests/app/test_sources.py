"""Sources page: article list, reader with highlights, deep links to spans, hostile text."""
from __future__ import annotations

import re

from tests.app.conftest import no_exceptions

PAGE = "app_pages/sources.py"


def html_bodies(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def reader_html(at) -> str:
    return next(b for b in html_bodies(at) if b.startswith('<div class="xr-reader">'))


def everything(at) -> str:
    """Every string the page sends that a browser would interpret (HTML and markdown)."""
    parts = html_bodies(at)
    parts += [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [b.label for b in at.button]
    return "\n".join(parts)


def test_default_view_lists_articles_and_skipped_files(app):
    at = app(PAGE)
    no_exceptions(at)
    assert at.title[0].value.startswith("Sources")
    assert at.selectbox(key="article").value is None
    table = at.dataframe[0].value
    assert list(table["article_id"]) == ["one", "two"]
    assert list(table["quotes"]) == [2, 2] and list(table["places"]) == [4, 2]
    assert table.loc[table.article_id == "two", "copy"].iloc[0].startswith(
        "rewrite of “Russian men queue for days at the Georgian border” (17% shared wording)")
    assert table.loc[table.article_id == "one", "copy"].iloc[0] == "first report; 1 copy elsewhere"
    assert table.loc[table.article_id == "one", "basis"].iloc[0] == "manifest"
    assert any(e.label == "1 file could not be read and was skipped" for e in at.expander)
    skipped = at.dataframe[1].value
    assert list(skipped["file"]) == ["broken.bin"] and "binary" in skipped["reason"][0]
    assert any("2 articles from 2 outlets" in c.value for c in at.caption)


def test_shared_outlet_filter_narrows_the_list(app):
    at = app(PAGE, outlet="Example Wire")
    no_exceptions(at)
    assert list(at.dataframe[0].value["article_id"]) == ["one"]
    # Its copy is from another outlet, outside the filter: it still counts.
    assert at.dataframe[0].value["copy"].iloc[0] == "first report; 1 copy elsewhere"


def test_a_rewrite_names_the_article_it_copies_from_outside_the_filter(app):
    at = app(PAGE, outlet="Other <i>Outlet</i>")
    no_exceptions(at)
    table = at.dataframe[0].value
    assert list(table["article_id"]) == ["two"]
    assert table["copy"].iloc[0].startswith("rewrite of “Russian men queue for days at the Georgian border”")


def test_reader_highlights_quotes_figures_places(app):
    at = app(PAGE, article="one")
    no_exceptions(at)
    assert at.selectbox(key="article").value == "one"
    body = reader_html(at)
    assert body.count('class="xr-q"') == 2
    assert '<span class="xr-f" title="Figure: 12 kilometres (km) of queue on the road to the border">12 kilometres</span>' in body
    assert '<span class="xr-p" title="Place: Tbilisi (city, GE)">Tbilisi</span>' in body
    assert body.count("<p>") == 5  # paragraphs preserved
    assert "exodus-focus" not in body  # no span asked for
    legend = next(b for b in html_bodies(at) if "xr-legend" in b)
    assert "Quote</span> (2)" in legend and "Figure</span> (2)" in legend and "Place</span> (4)" in legend
    meta = next(b for b in html_bodies(at) if b.startswith('<div class="xr-meta">'))
    assert '<a href="https://example.org/one"' in meta and "one.txt" in meta and "from the manifest" in meta
    # the other copy of the story is offered
    assert any("Other \\<i\\>Outlet\\<\\/i\\>" in b.label for b in at.button)


def test_hostile_article_is_rendered_inert(app):
    at = app(PAGE, article="two")
    no_exceptions(at)
    page = everything(at)
    assert not re.search(r"<script[\s>]", page.replace("<script>(function", ""))  # only our own scroll script
    heading = next(b for b in html_bodies(at) if "xr-title" in b)
    assert "Men flee &lt;script&gt;window.__pwned=1&lt;/script&gt; [click](javascript:alert(1))" in heading
    assert "&lt;b&gt;I will not go&lt;/b&gt; [anywhere](javascript:alert(2))" in reader_html(at)
    assert 'href="javascript' not in page.lower()
    meta = next(b for b in html_bodies(at) if b.startswith('<div class="xr-meta">'))
    assert "<a " not in meta and "javascript:alert(3)" in meta  # the url is shown as text, not a link
    assert "Other &lt;i&gt;Outlet&lt;/i&gt;" in meta
    # the rewrite-of link back to the original and its similarity
    assert any("17% of its wording" in c.value for c in at.caption)


def test_hostile_title_in_button_labels_is_markdown_escaped(app):
    at = app(PAGE, article="one")
    label = next(b.label for b in at.button if "pwned" in b.label)
    assert "<script>" not in label and "[click](" not in label
    assert "\\<script\\>" in label


def test_span_highlights_and_anchors_the_passage(app):
    at = app(PAGE, article="one", span="167-221")
    no_exceptions(at)
    assert any("Showing the highlighted sentence" in i.value for i in at.info)
    body = reader_html(at)
    assert body.count('id="exodus-focus"') == 1
    m = re.search(r'<span class="xr-q xr-focus"[^>]*id="exodus-focus">([^<]*)</span>', body)
    assert m and m.group(1) == "We left at night because we were afraid of the summons"
    scripts = [h.proto for h in at.get("html") if h.proto.unsafe_allow_javascript]
    assert len(scripts) == 1 and "exodus-focus" in scripts[0].body and "pwned" not in scripts[0].body


def test_bad_span_gives_notice_and_no_highlight(app):
    for span in ("abc", "300-100", "0-99999", "<script>"):
        at = app(PAGE, article="one", span=span)
        no_exceptions(at)
        assert any("span" in w.value for w in at.warning), span
        assert "exodus-focus" not in reader_html(at)


def test_span_without_article_gives_notice(app):
    at = app(PAGE, span="1-2")
    no_exceptions(at)
    assert any("needs an article" in w.value for w in at.warning)


def test_unknown_article_gives_notice_and_the_list(app):
    at = app(PAGE, article="nope")
    no_exceptions(at)
    assert any("no article with id `nope`" in w.value for w in at.warning)
    assert at.selectbox(key="article").value is None
    assert len(at.dataframe[0].value) == 2


def test_huge_and_hostile_article_param(app):
    at = app(PAGE, article="<script>alert(1)</script>" + "x" * 5000)
    no_exceptions(at)
    assert at.warning and "<script>alert" not in "".join(html_bodies(at))


def test_opening_another_copy_drops_the_span(app):
    at = app(PAGE, article="one", span="167-221")
    next(b for b in at.button if "pwned" in b.label).click().run()
    no_exceptions(at)
    assert at.selectbox(key="article").value == "two"
    assert "span" not in at.query_params
    assert "exodus-focus" not in reader_html(at)
    heading = next(b for b in html_bodies(at) if "xr-title" in b)
    assert "Men flee &lt;script&gt;" in heading


def test_a_large_list_is_paged_and_any_article_still_opens(sample_db, tmp_path, monkeypatch):
    """Above PAGE_ROWS the list is sent a page at a time, in list order, and says so; every page
    is reachable; a filter change starts at the first page; an article on another page still
    opens from a link, and a date filter narrows the list to one page."""
    import sqlite3

    from streamlit.testing.v1 import AppTest

    from bench.app_dataset import replicate
    from tests.app.conftest import ROOT

    big = tmp_path / "big.sqlite"
    replicate(sample_db, big, 1100)
    monkeypatch.setenv("EXODUS_DB", str(big))
    monkeypatch.setenv("EXODUS_RAW", str(tmp_path / "no-raw-folder"))
    with sqlite3.connect(big) as con:
        in_order = [r[0] for r in con.execute(
            "SELECT article_id FROM articles ORDER BY coalesce(published, '9999'), article_id")]
        oldest_date = con.execute("SELECT min(published) FROM articles").fetchone()[0]
    assert len(in_order) == 1100

    def run(**params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page(PAGE)
        at.run()
        no_exceptions(at)
        return at

    def listed(at: AppTest) -> list[str]:
        return list(at.dataframe[0].value["article_id"])

    def click(at: AppTest, key: str) -> AppTest:
        at.button(key=key).click().run()
        no_exceptions(at)
        return at

    at = run()
    assert listed(at) == in_order[:500]
    assert any("1,100 articles" in c.value and "500 to a page" in c.value for c in at.caption)
    assert any("Articles 1–500 of 1,100 · page 1 of 3" in m.value for m in at.markdown)
    assert len(at.selectbox(key="article").options) == 500
    assert at.button(key="sources_prev").disabled and at.button(key="sources_first").disabled

    click(at, "sources_next")
    assert listed(at) == in_order[500:1000]
    assert any("Articles 501–1,000 of 1,100 · page 2 of 3" in m.value for m in at.markdown)
    click(at, "sources_last")
    assert listed(at) == in_order[1000:]
    assert at.button(key="sources_next").disabled and at.button(key="sources_last").disabled
    assert any("Articles 1,001–1,100 of 1,100 · page 3 of 3" in m.value for m in at.markdown)
    click(at, "sources_prev")
    assert listed(at) == in_order[500:1000]
    click(at, "sources_first")
    assert listed(at) == in_order[:500]

    click(at, "sources_last")
    outlets = at.selectbox(key="outlet").options
    at.selectbox(key="outlet").select(outlets[0]).run()  # another filter set: its first page
    no_exceptions(at)
    assert at.dataframe[0].value["outlet"].eq(outlets[0]).all()
    assert any("Articles 1–500 of 550 · page 1 of 2" in m.value for m in at.markdown)

    at = run(to=oldest_date)  # a date filter narrows the list to one page: no page controls
    narrowed = listed(at)
    assert in_order[0] in narrowed and len(narrowed) < 500
    assert not any("to a page" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key in ("sources_next", "sources_prev")]

    newest = in_order[-1]
    at = run(article=newest)  # not on the first page, opened from a link
    assert at.selectbox(key="article").value == newest
    assert not at.warning, [w.value for w in at.warning]
    assert 'class="xr-reader"' in "".join(html_bodies(at))
