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


def test_a_large_list_sends_the_latest_rows_and_any_article_still_opens(sample_db, tmp_path, monkeypatch):
    """Above MAX_LIST_ROWS the list holds the latest articles and says so; an article left off
    the list still opens from a link, and the filters still reach it."""
    import sqlite3

    from streamlit.testing.v1 import AppTest

    from bench.app_dataset import replicate
    from tests.app.conftest import ROOT

    big = tmp_path / "big.sqlite"
    replicate(sample_db, big, 2600)
    monkeypatch.setenv("EXODUS_DB", str(big))
    monkeypatch.setenv("EXODUS_RAW", str(tmp_path / "no-raw-folder"))
    with sqlite3.connect(big) as con:
        in_order = [r[0] for r in con.execute(
            "SELECT article_id FROM articles ORDER BY coalesce(published, '9999'), article_id")]
        oldest_date = con.execute("SELECT min(published) FROM articles").fetchone()[0]

    def run(**params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page(PAGE)
        at.run()
        no_exceptions(at)
        return at

    at = run()
    listed = list(at.dataframe[0].value["article_id"])
    assert listed == in_order[-2000:]  # the latest, in date order
    assert any("2,600 articles" in c.value and "Listing the 2,000 latest" in c.value for c in at.caption)
    assert len(at.selectbox(key="article").options) == 2000

    oldest = in_order[0]
    assert oldest not in listed
    at = run(article=oldest)
    assert at.selectbox(key="article").value == oldest
    assert not at.warning, [w.value for w in at.warning]
    assert 'class="xr-reader"' in "".join(html_bodies(at))

    at = run(**{"to": oldest_date})  # a date filter reaches the articles left off
    narrowed = list(at.dataframe[0].value["article_id"])
    assert oldest in narrowed and len(narrowed) < 2000
    assert not any("Listing the" in c.value for c in at.caption)
