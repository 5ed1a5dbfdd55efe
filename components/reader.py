"""Safe HTML for article text: highlighted spans, search hits, links.

Everything that comes from an article (text, titles, quotes, outlets, urls) is
untrusted. The functions here are the only place that turns it into HTML, and
they do it the one safe way: cut the text into pieces at every span boundary,
``html.escape`` each piece, and only then wrap pieces in tags this module
writes itself. Spans may nest or overlap (a place inside a quote, a figure
inside a quote): splitting at all boundaries gives flat segments, each carrying
the set of kinds that cover it, so the HTML is always well formed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode
from components.safe_text import esc, md_escape, plural, safe_url  # noqa: F401 (re-exported for the pages)

# Okabe-Ito colours, one per kind, plus a second cue that is not colour
# (background tint, bold, underline) so the kinds stay apart without colour vision.
KINDS: dict[str, dict[str, str]] = {
    "quote": {"label": "Quote", "colour": "#0072B2", "cue": "blue tint"},
    "figure": {"label": "Figure", "colour": "#E69F00", "cue": "orange tint, bold"},
    "place": {"label": "Place", "colour": "#009E73", "cue": "green underline"},
}
FOCUS_ID = "exodus-focus"
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"
# Our own constant script (no article text): scroll the linked passage into view once it exists.
# No "<" inside: the frontend's sanitiser empties scripts whose text looks like markup.
SCROLL_SCRIPT = (
    "<script>(function(){var n=0;function go(){var e=document.getElementById('" + FOCUS_ID + "');"
    "if(e){e.scrollIntoView({behavior:'smooth',block:'center'});}else if(40>n++){setTimeout(go,100);}}"
    "setTimeout(go,200);})();</script>"
)

CSS = """
<style>
.xr-reader{font-size:1.02rem;line-height:1.7;max-width:46rem;overflow-wrap:anywhere}
.xr-reader p{margin:0 0 .9em 0}
.xr-q{background:rgba(0,114,178,.16);box-shadow:inset 0 -2px 0 rgba(0,114,178,.55)}
.xr-f{background:rgba(230,159,0,.32);font-weight:650}
.xr-p{text-decoration:underline;text-decoration-color:#009E73;text-decoration-thickness:.16em;
      text-underline-offset:.2em;text-decoration-style:solid}
.xr-focus{outline:2px solid #D55E00;outline-offset:1px;border-radius:2px;scroll-margin-top:6rem}
.xr-legend{display:flex;flex-wrap:wrap;gap:.4rem 1.1rem;font-size:.88rem;margin:.1rem 0 .6rem 0}
.xr-legend span.xr-key{padding:0 .35em;border-radius:2px}
.xr-card-quote{font-size:1.08rem;line-height:1.55;margin:0 0 .35rem 0;overflow-wrap:anywhere}
.xr-card-quote::before{content:"\\201C";color:#0072B2;font-weight:700;margin-right:.1em}
.xr-card-quote::after{content:"\\201D";color:#0072B2;font-weight:700;margin-left:.1em}
.xr-variants a{color:#0072B2}
.xr-card-quote mark,.xr-ctx mark,.xr-variant mark{background:rgba(240,228,66,.75);color:inherit;
      padding:0 .1em;border-radius:2px}
.xr-who{font-weight:600}
.xr-meta{font-size:.9rem;opacity:.85;overflow-wrap:anywhere}
.xr-ctx{font-size:.9rem;opacity:.85;border-left:3px solid rgba(0,114,178,.45);padding-left:.6rem;
      margin:.45rem 0 .2rem 0;overflow-wrap:anywhere}
.xr-ctx b{font-weight:600}
.xr-variants{font-size:.9rem;margin-top:.5rem;overflow-wrap:anywhere}
.xr-variants ul{margin:.15rem 0 0 0;padding-left:1.1rem}
.xr-variant{opacity:.9}
.xr-diff{font-style:italic}
</style>
"""


def clean_markers(text: str) -> str:
    return text.replace(HIT_OPEN, "").replace(HIT_CLOSE, "")


def mark_hits(marked: str | None) -> str:
    """HTML for a string whose search hits are wrapped in \\x02 ... \\x03.

    The text between markers is escaped; the markers become <mark> tags. Stray or
    unbalanced markers never produce unbalanced HTML.
    """
    if not marked:
        return ""
    out: list[str] = []
    open_ = False
    for piece in re.split(f"([{HIT_OPEN}{HIT_CLOSE}])", str(marked)):
        if piece == HIT_OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == HIT_CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        elif piece:
            out.append(esc(piece))
    if open_:
        out.append("</mark>")
    return "".join(out)


def hit_terms(marked: str | None) -> list[str]:
    """The words a search matched (the marked pieces), lower-cased, without duplicates."""
    seen: list[str] = []
    for m in re.finditer(f"{HIT_OPEN}([^{HIT_OPEN}{HIT_CLOSE}]+){HIT_CLOSE}", str(marked or "")):
        t = m.group(1).strip().lower()
        if t and t not in seen:
            seen.append(t)
    return seen


def mark_terms(text: str | None, terms: list[str]) -> str:
    """Escape ``text`` and wrap whole-word occurrences of ``terms`` in <mark> (for context lines)."""
    text = clean_markers(str(text or ""))
    if not terms:
        return esc(text)
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?!\w)",
        re.IGNORECASE,
    )
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(esc(text[pos:m.start()]))
        out.append("<mark>" + esc(m.group(0)) + "</mark>")
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def link_html(url: str | None, label: str | None = None) -> str:
    """An <a> for a safe URL, or the escaped text (not clickable) for anything else."""
    ok = safe_url(url)
    if ok is None:
        return esc(url or "")
    return f'<a href="{esc(ok)}" target="_blank" rel="noopener noreferrer nofollow">{esc(label or ok)}</a>'


# ---------------------------------------------------------------- spans


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "quote" | "figure" | "place" | "focus"
    title: str = ""  # tooltip (escaped on output)


def parse_span(value: str | None, text_length: int) -> tuple[tuple[int, int] | None, str | None]:
    """Parse ``START-END`` into offsets; returns (span, problem). Both None when absent."""
    if value is None or value == "":
        return None, None
    m = re.fullmatch(r"\s*(\d{1,9})\s*-\s*(\d{1,9})\s*", value)
    if not m:
        return None, "is not START-END character offsets"
    start, end = int(m.group(1)), int(m.group(2))
    if start >= end:
        return None, "is empty (START must be smaller than END)"
    if end > text_length:
        return None, f"ends after the article's last character ({text_length})"
    return (start, end), None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (text between blank lines, outer whitespace trimmed),
    as offsets into ``text``."""
    out = []
    pos = 0
    for sep in [*re.finditer(r"\n[ \t\r]*\n\s*", text), None]:
        end = sep.start() if sep else len(text)
        chunk = text[pos:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if chunk.strip():
            out.append((pos + lead, end - trail))
        if sep:
            pos = sep.end()
    return out


def segments(start: int, end: int, spans: list[Span]) -> list[tuple[int, int, list[Span]]]:
    """Cut [start, end) at every span boundary inside it; each piece lists the spans covering it."""
    cuts = {start, end}
    for s in spans:
        if s.end > start and s.start < end:
            cuts.add(max(s.start, start))
            cuts.add(min(s.end, end))
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        if a >= b:
            continue
        covering = [s for s in spans if s.start <= a and s.end >= b]
        out.append((a, b, covering))
    return out


_CLASS = {"quote": "xr-q", "figure": "xr-f", "place": "xr-p", "focus": "xr-focus"}


def _piece(text: str) -> str:
    return esc(text).replace("\n", "<br>")


def highlight(text: str, spans: list[Span], focus: tuple[int, int] | None = None) -> str:
    """The article as HTML paragraphs with every span highlighted.

    ``focus`` (start, end) is outlined and its first piece carries
    ``id=FOCUS_ID`` so the page can scroll to it. Spans outside the text are
    clipped; empty or inverted spans are ignored.
    """
    text = clean_markers(text or "")
    n = len(text)
    valid = [
        Span(max(0, s.start), min(n, s.end), s.kind, s.title)
        for s in spans
        if s.kind in _CLASS and s.end > s.start and s.start < n and s.end > 0
    ]
    if focus and 0 <= focus[0] < focus[1] <= n:
        valid.append(Span(focus[0], focus[1], "focus", "The linked passage"))
    else:
        focus = None
    anchored = False
    html_paras = []
    paras = paragraphs(text) or ([(0, n)] if n else [])
    for p_start, p_end in paras:
        parts = []
        for a, b, covering in segments(p_start, p_end, valid):
            piece = _piece(text[a:b])
            if not covering:
                parts.append(piece)
                continue
            kinds = sorted({s.kind for s in covering}, key=list(_CLASS).index)
            classes = " ".join(_CLASS[k] for k in kinds)
            titles = " | ".join(dict.fromkeys(s.title for s in covering if s.title))
            attrs = f' class="{classes}"'
            if titles:
                attrs += f' title="{esc(titles)}"'
            if "focus" in kinds and not anchored:
                attrs += f' id="{FOCUS_ID}"'
                anchored = True
            parts.append(f"<span{attrs}>{piece}</span>")
        html_paras.append("<p>" + "".join(parts) + "</p>")
    # A focus that falls only in whitespace between paragraphs still gets an anchor.
    if focus and not anchored:
        html_paras.insert(0, f'<span id="{FOCUS_ID}"></span>')
    return '<div class="xr-reader">' + "".join(html_paras) + "</div>"


def article_spans(art: dict) -> list[Span]:
    """Spans for an article dict from ``data.article``: quotes, figures, places with tooltips."""
    spans: list[Span] = []
    q = art.get("quotes")
    if q is not None and len(q):
        for r in q.itertuples(index=False):
            who = r.speaker if isinstance(r.speaker, str) and r.speaker else (
                f"unnamed: {r.speaker_desc}" if isinstance(r.speaker_desc, str) and r.speaker_desc else "speaker unknown")
            spans.append(Span(int(r.start), int(r.end), "quote", f"Quote: {who}"))
    f = art.get("figures")
    if f is not None and len(f):
        for r in f.itertuples(index=False):
            counts = f" of {r.counts}" if isinstance(r.counts, str) and r.counts else ""
            spans.append(Span(int(r.start), int(r.end), "figure", f"Figure: {r.raw} ({r.unit}){counts}"))
    p = art.get("places")
    if p is not None and len(p):
        for r in p.itertuples(index=False):
            kind = str(r.kind).replace("_", " ") if isinstance(r.kind, str) else "place"
            spans.append(Span(int(r.start), int(r.end), "place", f"Place: {r.name} ({kind}, {r.country_code})"))
    return spans


def legend_html(counts: dict[str, int] | None = None, focus: bool = False) -> str:
    """A legend for the three highlight kinds, with counts when given."""
    items = []
    for kind, cls in (("quote", "xr-q"), ("figure", "xr-f"), ("place", "xr-p")):
        n = f" ({counts[kind]})" if counts and kind in counts else ""
        items.append(f'<span><span class="xr-key {cls}">{KINDS[kind]["label"]}</span>{n}</span>')
    if focus:
        items.append('<span><span class="xr-key xr-focus">Linked passage</span></span>')
    return '<div class="xr-legend" role="note" aria-label="Highlight legend">' + "".join(items) + "</div>"


def shorten(value: object, limit: int = 90) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- article list and metadata

BASIS = {"manifest": "from the manifest", "inferred": "inferred from the text", "text": "inferred from the text",
         "html-metadata": "from the page's metadata"}


BASIS_SHORT = {"manifest": "manifest", "inferred": "inferred", "text": "inferred (text)",
               "html-metadata": "page metadata"}


def basis_text(basis: object) -> str:
    b = str(basis) if isinstance(basis, str) and basis else ""
    return BASIS.get(b, f"basis: {b}" if b else "no date found")


def article_table(arts, titles: dict[str, str], story_sizes: dict[str, int]):
    """The article list as shown on the Sources page (a plain frame for st.dataframe).

    ``titles`` maps the articles these rows rewrite to their titles, and ``story_sizes`` their
    stories to how many articles tell them, over the whole dataset: a filter can leave either out.
    """
    import pandas as pd

    def copy_of(row) -> str:
        if isinstance(row.rewrite_of, str) and row.rewrite_of:
            sim = f" ({row.similarity:.0%} shared wording)" if pd.notna(row.similarity) else ""
            return f"rewrite of “{shorten(titles.get(row.rewrite_of, row.rewrite_of), 70)}”{sim}"
        n = story_sizes.get(row.story_id, 1)
        return f"first report; {n - 1} {'copy' if n == 2 else 'copies'} elsewhere" if n > 1 else ""

    out = pd.DataFrame({
        "article_id": arts["article_id"],
        "title": arts["title"].fillna("(untitled)"),
        "outlet": arts["outlet"].fillna("unknown"),
        "published": arts["published"].fillna("unknown"),
        "basis": [BASIS_SHORT.get(b, b) if isinstance(b, str) and b else "no date found"
                  for b in arts["published_basis"]],
        "quotes": arts["n_quotes"], "figures": arts["n_figures"],
        "places": arts["n_places"], "routes": arts["n_routes"],
        "copy": [copy_of(r) for r in arts.itertuples(index=False)],
        "file": arts["file"],
        "link": ["sources?" + urlencode({"article": str(a)}) for a in arts["article_id"]],
    })
    return out


