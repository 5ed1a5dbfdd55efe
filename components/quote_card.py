"""Quote cards: one card per quote, with its variants across outlets grouped in.

Every article-derived string goes through ``reader.esc`` / ``reader.mark_hits``
before it becomes HTML; links are built from article ids and offsets only.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from components import reader

SOURCES_PAGE = "app_pages/sources.py"
QUOTES_PAGE = "app_pages/quotes.py"
PAGE_SIZE = 20
CSV_COLUMNS = ["quote_id", "text", "speaker", "speaker_desc", "outlet", "published", "title", "url",
               "article_id", "start", "end", "variant_group", "context", "permalink"]


def _s(value) -> str | None:
    """A clean string or None (pandas NaN/None -> None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = str(value)
    return value if value.strip() else None


@dataclass
class Card:
    """One quote (the best-ranked of its group) and the other reports of the same words."""

    primary: dict
    others: list[dict] = field(default_factory=list)

    @property
    def quote_ids(self) -> list[str]:
        return [self.primary["quote_id"], *(o["quote_id"] for o in self.others)]


def group_key(row: dict) -> str:
    return _s(row.get("variant_group")) or f"quote:{row['quote_id']}"


def group_cards(matched: pd.DataFrame, variants: pd.DataFrame | None = None) -> list[Card]:
    """Cards in result order: the first matched quote of each variant group leads its card; the
    group's other quotes (matched, or from ``variants``) are listed under it, oldest first."""
    cards: dict[str, Card] = {}
    cols = list(matched.columns)
    # zip over plain lists: several times faster than to_dict("records") on 1,000 search hits
    for row in (dict(zip(cols, values)) for values in zip(*(matched[c].tolist() for c in cols))):
        key = group_key(row)
        if key not in cards:
            cards[key] = Card(primary=row)
        elif row["quote_id"] not in cards[key].quote_ids:
            cards[key].others.append(row)
    result = list(cards.values())
    if variants is not None:
        attach_variants(result, variants)
    return result


def attach_variants(cards: list[Card], variants: pd.DataFrame) -> None:
    """Add every quote of a card's variant group that the card does not list yet."""
    by_key = {group_key(c.primary): c for c in cards}
    if len(variants):
        for row in variants.to_dict("records"):
            card = by_key.get(group_key(row))
            if card and row["quote_id"] not in card.quote_ids:
                card.others.append(row)
    for card in cards:
        card.others.sort(key=lambda r: (_s(r.get("published")) or "9999", str(r["article_id"]), r.get("start") or 0))


def fill_rows(cards: list[Card], rows: pd.DataFrame) -> None:
    """Swap the id-only dicts cards were grouped from for the full rows of the page shown.
    A card whose lead quote has no row (the dataset changed in between) is dropped."""
    by_id = {r["quote_id"]: r for r in rows.to_dict("records")}
    cards[:] = [c for c in cards if c.primary["quote_id"] in by_id]
    for card in cards:
        card.primary = by_id[card.primary["quote_id"]]
        card.others = [by_id[o["quote_id"]] for o in card.others if o["quote_id"] in by_id]


def variant_groups(cards: list[Card]) -> list[str]:
    return [g for g in (_s(c.primary.get("variant_group")) for c in cards) if g]


# ---------------------------------------------------------------- text pieces


def who_html(row: dict) -> str:
    """Speaker name, or the unnamed description in italics."""
    speaker = _s(row.get("speaker"))
    if speaker:
        return f'<span class="xr-who">{reader.esc(speaker)}</span>'
    desc = _s(row.get("speaker_desc"))
    if desc:
        return f'<em class="xr-who">unnamed: {reader.esc(desc)}</em>'
    return '<em class="xr-who">speaker not identified</em>'


def who_text(row: dict) -> str:
    speaker = _s(row.get("speaker"))
    if speaker:
        return speaker
    desc = _s(row.get("speaker_desc"))
    return f"unnamed: {desc}" if desc else "speaker not identified"


def outlet_date(row: dict) -> str:
    outlet = reader.esc(_s(row.get("outlet")) or "unknown outlet")
    date = reader.esc(_s(row.get("published")) or "date unknown")
    return f"{outlet}, {date}"


def reader_href(row: dict) -> str:
    """Relative link to the Sources reader at the quote's span (ids and ints only)."""
    return "sources?" + urlencode({"article": row["article_id"], "span": f"{int(row['start'])}-{int(row['end'])}"})


def reader_params(row: dict) -> dict[str, str]:
    return {"article": str(row["article_id"]), "span": f"{int(row['start'])}-{int(row['end'])}"}


def permalink_path(quote_id: str) -> str:
    return "/quotes?" + urlencode({"quote": quote_id})


def permalink_url(quote_id: str) -> str:
    """Absolute permalink when the server knows its address, else the path."""
    path = permalink_path(quote_id)
    try:
        url = st.context.url
    except Exception:  # pragma: no cover - outside a browser session
        url = None
    if url:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            base = parts.path.rsplit("/", 1)[0] if parts.path else ""
            return f"{parts.scheme}://{parts.netloc}{base}{path}"
    return path


def card_html(card: Card) -> str:
    p = card.primary
    terms = reader.hit_terms(p.get("marked"))
    quote = reader.mark_hits(_s(p.get("marked")) or _s(p.get("text")) or "")
    parts = [
        f'<p class="xr-card-quote">{quote}</p>',
        f'<div class="xr-meta">{who_html(p)} &middot; {outlet_date(p)}</div>',
    ]
    context = _s(p.get("context"))
    if context:
        if len(context) > 600:
            context = context[:600].rstrip() + " …"
        parts.append(f'<div class="xr-ctx"><b>In context:</b> {reader.mark_terms(context, terms)}</div>')
    if card.others:
        items = []
        primary_text = (_s(p.get("text")) or "").strip()
        primary_who = who_text(p)
        for o in card.others:
            text = (_s(o.get("text")) or "").strip()
            wording = ('<span class="xr-diff">identical wording</span>' if text == primary_text
                       else f'<span class="xr-variant">“{reader.mark_terms(text, terms)}”</span>')
            attributed = "" if who_text(o) == primary_who else f" (attributed to {who_html(o)})"
            items.append(
                f"<li><b>{outlet_date(o)}</b>{attributed}: {wording} "
                f'<a href="{reader.esc(reader_href(o))}" target="_self">read in source</a></li>'
            )
        n = len(card.others)
        label = "Also reported by" if n == 1 else f"Also reported by ({n} copies)"
        parts.append(f'<div class="xr-variants"><b>{label}:</b><ul>{"".join(items)}</ul></div>')
    return '<div class="xr-card">' + "".join(parts) + "</div>"


def open_permalink(quote_id: str) -> None:
    """Button callback: show one quote alone. The search and speaker widgets are bound to the URL,
    so they are cleared through session state; ``quote`` is a plain query parameter."""
    st.session_state["q"] = ""
    st.session_state["speaker"] = None
    st.query_params["quote"] = quote_id


def show_all() -> None:
    """Button callback: leave the single-quote view."""
    if "quote" in st.query_params:
        del st.query_params["quote"]


def render_card(card: Card, key: str, permalink_button: bool = True) -> None:
    """Draw one card: the HTML body, then links to the source and the permalink."""
    p = card.primary
    qid = str(p["quote_id"])
    with st.container(border=True, key=f"card-{key}"):
        st.html(card_html(card))
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.page_link(SOURCES_PAGE, label="Read in source", icon=":material/article:",
                         query_params=reader_params(p))
            if permalink_button:
                if st.button("Permalink", key=f"perma-{key}", icon=":material/link:", type="tertiary",
                             on_click=open_permalink, args=(qid,),
                             help="Show this quote alone, with a link to share"):
                    st.rerun(scope="app")  # cards live in a fragment; the whole page changes view
            with st.popover("Copy link", icon=":material/content_copy:", type="tertiary"):
                st.caption("Link to this quote and its reports across outlets:")
                st.code(permalink_url(qid), language=None, wrap_lines=True)


# ---------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value):
    """Cells a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(df: pd.DataFrame) -> bytes:
    """The matched quotes as UTF-8 CSV (with BOM, so spreadsheets read the quotation marks right)."""
    out = df.copy()
    if "marked" in out.columns:
        out = out.drop(columns=["marked"])
    out["permalink"] = [permalink_path(q) for q in out["quote_id"]]
    cols = [c for c in CSV_COLUMNS if c in out.columns]
    out = out[cols]
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(_defuse)
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")
