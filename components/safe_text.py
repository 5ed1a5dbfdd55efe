"""Untrusted text (anything from an article, a manifest or a URL) made inert for each place
Streamlit renders it. One module so every page escapes the same way.

- :func:`esc`: HTML element content and quoted attributes (st.html, our own HTML blocks).
- :func:`md_escape`: markdown labels (captions, buttons, expanders, notices): every ASCII
  punctuation character is backslash-escaped (CommonMark), so no link, emphasis, HTML,
  ``:colour[...]`` directive or ``$`` maths can form.
- :func:`inert_html`: text inside an HTML block that st.markdown renders: HTML-escaped, and
  markdown/LaTeX specials as character references.
- :func:`safe_url`: a URL that may become a link: absolute http(s) with a host, else None.
- :func:`hover_text`: plotly hover labels (plotly renders a subset of HTML): wrapped, capped, escaped.
"""
from __future__ import annotations

import html
import math
import re
import textwrap
from urllib.parse import urlsplit


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def esc(value: object) -> str:
    return "" if _missing(value) else html.escape(str(value), quote=True)


_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(value: object) -> str:
    if _missing(value):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


_MD_ENTITIES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~$:<>"}


def inert_html(value: object) -> str:
    if _missing(value):
        return ""
    s = html.escape(str(value), quote=True)
    # html.escape produced &lt; &gt; &amp; &quot; &#x27;: keep those entities intact.
    out, i = [], 0
    while i < len(s):
        j = s.find(";", i) if s[i] == "&" else -1
        if j > i:
            out.append(s[i : j + 1])
            i = j + 1
            continue
        out.append(_MD_ENTITIES.get(s[i], s[i]))
        i += 1
    return "".join(out)


def hover_text(value: object, width: int = 64, max_lines: int = 4) -> str:
    """Lines joined with ``<br>`` (our own tag) after each piece is escaped."""
    if _missing(value):
        return ""
    s = " ".join(str(value).split())
    lines = textwrap.wrap(s, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, width - 1)] + "…"
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 quote``, ``2 quotes`` (with thousands separators)."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None (never javascript:, data:, ...)."""
    if _missing(url) or not str(url).strip():
        return None
    url = str(url).strip()
    if any(c in url for c in "\x00\r\n\t \"'<>`"):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
