"""components/reader.py: safe HTML from untrusted article text."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from components import reader
from components.reader import Span

HOSTILE = 'Men flee <script>window.__pwned=1</script> [click](javascript:alert(1)) & "more"'


class _Tags(HTMLParser):
    """Collects start tags and checks that every tag is closed in order."""

    VOID = {"br"}

    def __init__(self):
        super().__init__()
        self.stack, self.starts, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> in {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    assert p.stack == [], f"unclosed tags {p.stack}"
    return p


# ---------------------------------------------------------------- search markers


def test_mark_hits_escapes_text_and_turns_markers_into_mark():
    out = reader.mark_hits("afraid of the \x02summons\x03 <b>now</b>")
    assert out == "afraid of the <mark>summons</mark> &lt;b&gt;now&lt;/b&gt;"


def test_mark_hits_escapes_inside_a_hit():
    assert reader.mark_hits("\x02<i>\x03") == "<mark>&lt;i&gt;</mark>"


@pytest.mark.parametrize("marked", ["\x02open never closed", "stray close\x03 here", "\x02a\x02b\x03\x03", "\x03\x02"])
def test_mark_hits_never_unbalanced(marked):
    out = reader.mark_hits(marked)
    parse(out)
    assert "\x02" not in out and "\x03" not in out


def test_mark_hits_empty():
    assert reader.mark_hits(None) == ""
    assert reader.mark_hits("") == ""


def test_hit_terms_and_mark_terms_in_context():
    terms = reader.hit_terms("the \x02summons\x03 and \x02Summons\x03")
    assert terms == ["summons"]
    out = reader.mark_terms('he said "Summons <now>", summonses aside', terms)
    assert out.count("<mark>") == 1  # whole words only: "summonses" is not marked
    assert "<mark>Summons</mark>" in out and "&lt;now&gt;" in out


# ---------------------------------------------------------------- spans and paragraphs


def test_segments_split_overlaps_at_every_boundary():
    q, p = Span(0, 10, "quote"), Span(5, 15, "place")
    segs = [(a, b, sorted(s.kind for s in cov)) for a, b, cov in reader.segments(0, 20, [q, p])]
    assert segs == [(0, 5, ["quote"]), (5, 10, ["place", "quote"]), (10, 15, ["place"]), (15, 20, [])]


def test_highlight_nested_place_inside_quote_is_well_formed():
    text = "He said: We fled to Tbilisi at night. The end."
    qs, qe = text.index("We fled"), text.index(" The end")
    ps = text.index("Tbilisi")
    html = reader.highlight(text, [Span(qs, qe, "quote", "Quote: Ivan"), Span(ps, ps + 7, "place", "Place: Tbilisi")])
    tags = parse(html)
    classes = [a.get("class") for t, a in tags.starts if t == "span"]
    assert classes == ["xr-q", "xr-q xr-p", "xr-q"]
    assert "".join(tags.text) == text  # nothing lost, nothing added
    assert 'title="Quote: Ivan | Place: Tbilisi"' in html


def test_highlight_partial_overlap_figure_and_quote():
    text = "0123456789ABCDEFGHIJ"
    html = reader.highlight(text, [Span(2, 8, "quote"), Span(6, 12, "figure")])
    tags = parse(html)
    assert [a.get("class") for t, a in tags.starts if t == "span"] == ["xr-q", "xr-q xr-f", "xr-f"]
    assert "".join(tags.text) == text


def test_highlight_escapes_hostile_text_and_titles():
    html = reader.highlight(HOSTILE, [Span(0, 8, "quote", '<img src=x onerror="alert(1)">')])
    assert "<script" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<img" not in html and 'onerror="' not in html
    tags = parse(html)
    assert "".join(tags.text) == HOSTILE  # the page shows the text literally
    assert {t for t, _ in tags.starts} <= {"div", "p", "span", "br"}


def test_highlight_keeps_paragraphs_and_line_breaks():
    text = "Title line\n\nFirst para\nsecond line.\n\n\n  Third para."
    tags = parse(reader.highlight(text, []))
    assert [t for t, _ in tags.starts].count("p") == 3
    assert [t for t, _ in tags.starts].count("br") == 1


def test_highlight_span_across_paragraphs_stays_well_formed():
    text = "One two.\n\nThree four."
    html = reader.highlight(text, [Span(4, 15, "quote")])
    tags = parse(html)
    assert [a.get("class") for t, a in tags.starts if t == "span"] == ["xr-q", "xr-q"]


def test_highlight_focus_gets_one_anchor_and_outline():
    text = "Alpha beta gamma delta."
    html = reader.highlight(text, [Span(6, 16, "quote")], focus=(0, 10))
    tags = parse(html)
    ids = [a["id"] for _, a in tags.starts if "id" in a]
    assert ids == [reader.FOCUS_ID]
    assert f'id="{reader.FOCUS_ID}">Alpha ' in html  # the anchor sits on the first piece of the focus
    assert html.count("xr-focus") == 2  # "Alpha " and "beta" (which is also inside the quote)
    assert 'class="xr-q xr-focus"' in html


def test_highlight_ignores_bad_spans_and_bad_focus():
    text = "short text"
    html = reader.highlight(text, [Span(5, 2, "quote"), Span(50, 60, "place"), Span(-5, 3, "figure"),
                                   Span(0, 2, "<script>")], focus=(3, 999))
    tags = parse(html)
    assert reader.FOCUS_ID not in html
    assert [a.get("class") for t, a in tags.starts if t == "span"] == ["xr-f"]  # clipped to 0-3
    assert "".join(tags.text) == text


def test_highlight_strips_marker_characters():
    assert "\x02" not in reader.highlight("a\x02b\x03c", [])


# ---------------------------------------------------------------- params, urls, markdown


@pytest.mark.parametrize(
    "value,length,expected_span,has_problem",
    [
        ("10-20", 100, (10, 20), False),
        (" 10 - 20 ", 100, (10, 20), False),
        ("abc", 100, None, True),
        ("20-10", 100, None, True),
        ("5-5", 100, None, True),
        ("10-200", 100, None, True),
        ("-1-5", 100, None, True),
        ("1" * 400, 100, None, True),
        ("", 100, None, False),
        (None, 100, None, False),
    ],
)
def test_parse_span(value, length, expected_span, has_problem):
    span, problem = reader.parse_span(value, length)
    assert span == expected_span
    assert (problem is not None) == has_problem


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://example.org/one", True),
        ("http://example.org/a?b=c", True),
        ("javascript:alert(3)", False),
        ("JaVaScRiPt:alert(3)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https://", False),
        ("//example.org/x", False),
        ('https://example.org/"onmouseover="alert(1)', False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url_only_http(url, ok):
    assert (reader.safe_url(url) is not None) == ok


def test_link_html_escapes_and_refuses_javascript():
    assert "<a" not in reader.link_html("javascript:alert(3)")
    assert reader.link_html("javascript:alert(3)") == "javascript:alert(3)"
    a = reader.link_html("https://example.org/?a=1&b=2", "x<y")
    assert a.startswith('<a href="https://example.org/?a=1&amp;b=2"')
    assert "x&lt;y" in a and 'rel="noopener noreferrer nofollow"' in a
    assert "<a" not in reader.link_html("https://example.org/<script>")  # markup in a URL: not a link


def test_md_escape_neutralises_markdown():
    out = reader.md_escape("[click](javascript:alert(1)) **b** <i>x</i> :red[y] $x$\nnext")
    import re

    # every ASCII punctuation character is backslash-escaped (CommonMark: then it is literal)
    assert not re.search(r"(?<!\\)[\[\]()*<>:$_`]", out.replace("\\\\", ""))
    assert "\n" not in out
    assert out.replace("\\", "") == "[click](javascript:alert(1)) **b** <i>x</i> :red[y] $x$ next"


def test_article_spans_and_legend_counts():
    import pandas as pd

    art = {
        "quotes": pd.DataFrame([{"start": 0, "end": 5, "speaker": None, "speaker_desc": "a student"}]),
        "figures": pd.DataFrame([{"start": 6, "end": 8, "raw": "80%", "unit": "percent", "counts": "rise"}]),
        "places": pd.DataFrame([{"start": 9, "end": 12, "name": "Klin", "kind": "city", "country_code": "RU"}]),
    }
    spans = reader.article_spans(art)
    assert [(s.kind, s.title) for s in spans] == [
        ("quote", "Quote: unnamed: a student"),
        ("figure", "Figure: 80% (percent) of rise"),
        ("place", "Place: Klin (city, RU)"),
    ]
    legend = reader.legend_html({"quote": 1, "figure": 1, "place": 1})
    assert legend.count("xr-key") == 3 and "(1)" in legend and "Linked passage" not in legend
    assert "Linked passage" in reader.legend_html(focus=True)
