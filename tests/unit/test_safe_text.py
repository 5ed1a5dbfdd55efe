import re

from components.safe_text import esc, hover_text, inert_html, md_escape, plural

HOSTILE = '<script>alert(1)</script> [x](javascript:alert(2)) **b** $x$ :red[y] & "q"'


def test_html_escape_leaves_no_tag_or_attribute_break():
    out = esc(HOSTILE)
    assert "<" not in out and ">" not in out and '"' not in out
    assert esc(None) == "" and esc(float("nan")) == ""


def test_markdown_escape_shows_every_character_literally():
    out = md_escape(HOSTILE)
    assert re.sub(r"\\(.)", r"\1", out) == " ".join(HOSTILE.split())
    assert not re.search(r"(?<!\\)[<>\[\]()*$:]", out)


def test_inert_html_has_no_markdown_or_html_specials_left():
    out = inert_html(HOSTILE)
    assert not re.search(r"[<>\[\]()*$`]", out)
    assert "&lt;script&gt;" in out


def test_hover_text_wraps_caps_and_escapes():
    out = hover_text("<b>" + "word " * 100, width=20, max_lines=3)
    assert out.count("<br>") == 2 and out.endswith("…") and "&lt;b&gt;" in out


def test_plural():
    assert plural(1, "quote") == "1 quote" and plural(1200, "quote") == "1,200 quotes"
    assert plural(2, "copy", "copies") == "2 copies"
