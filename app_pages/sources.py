"""Sources: what the articles say. The article list and a reader with every
quote, figure and place highlighted.

URL: article (article id), span (START-END character offsets to highlight),
plus the shared country/outlet/from/to filters (they filter the list).
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from components import data, filters, reader, urlstate
from components.urlstate import describe

LIST_KEY = "sources_list"
PAGE_KEY = "sources_page"
# Rows of the article list sent to the browser at a time: the list is re-sent on every rerun
# (100k rows are ~24 MB; 2,000 were ~0.5 MB and most of the page's time in the browser).
# Longer lists are paged.
PAGE_ROWS = 500


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _listing(version: str, f: data.Filters, page: int) -> tuple[pd.DataFrame, dict]:
    """(one page of the article list as shown, what the caption says of every article matching
    ``f`` and which page this is), built once per filter set and page. Neither reads the whole
    list: the counts come from the articles per outlet and month, the page from the covering
    index (a 100k-row frame was ~0.6 s to read and a third of each rerun to unpickle)."""
    months = data.article_months(f)
    n = int(months["n"].sum())
    pages = max(1, math.ceil(n / PAGE_ROWS))
    page = min(max(1, page), pages)
    shown = data.article_rows(f, (page - 1) * PAGE_ROWS, PAGE_ROWS)  # date order, undated last
    # Only the rows shown need the stories they belong to and the titles they are rewrites of:
    # asked of SQLite, not of the whole article list (half of a filter change's time at 100k).
    titles = {a: t or "(untitled)" for a, t in data.titles(shown["rewrite_of"].dropna()).items()}
    sizes = data.story_sizes(shown["story_id"].dropna())
    dated = months[months["month"].notna()]
    stats = {
        "n": n,
        "outlets": int(months["outlet"].dropna().nunique()),
        "rewrites": int(months["rewrites"].sum()),
        "first": dated["first"].min() if len(dated) else None,
        "last": dated["last"].max() if len(dated) else None,
        "page": page,
        "pages": pages,
        "offset": (page - 1) * PAGE_ROWS,
    }
    return reader.article_table(shown, titles, sizes), stats


def _title_of(article_id: str) -> str:
    other = data.article(article_id)
    return (other or {}).get("title") or article_id


def _drop_span() -> None:
    """A span belongs to one article: choosing another article drops it."""
    if "span" in st.query_params:
        del st.query_params["span"]


def _open(article_id: str) -> None:
    st.session_state["article"] = article_id
    _drop_span()


def _open_selected(table: pd.DataFrame) -> None:
    rows = st.session_state.get(LIST_KEY, {}).get("selection", {}).get("rows", [])
    if rows and 0 <= rows[0] < len(table):
        _open(str(table.iloc[rows[0]]["article_id"]))


st.html(reader.CSS)
st.title("Sources: what the articles say")

f = filters.current()
if st.session_state.get("sources_list_filters") != f:  # another filter set starts at its first page
    st.session_state["sources_list_filters"] = f
    st.session_state[PAGE_KEY] = 1
table, listed = _listing(data.version(), f, int(st.session_state.get(PAGE_KEY, 1)))

# ---------------------------------------------------------------- URL checks
messages: list[str] = []
raw_article = urlstate.raw_param("article")
art = data.article(raw_article) if raw_article else None
if raw_article and art is None:
    messages.append(f"no article with id {describe(raw_article)}")
raw_span = urlstate.raw_param("span")
focus = None
if raw_span:
    if art is None:
        messages.append(f"`span` {describe(raw_span)} needs an article to highlight in")
    else:
        focus, problem = reader.parse_span(raw_span, len(art["text"]))
        if problem:
            messages.append(f"`span` {describe(raw_span)} {problem}, so nothing is highlighted")
urlstate.notice(messages)

# The listed articles, plus the one open (a deep link or a "copy" button can open any article).
ids = table["article_id"].tolist()
for extra in (art and art["article_id"], st.session_state.get("article")):
    if extra and extra not in ids and data.article(extra) is not None:
        ids.append(extra)
chosen = st.selectbox(
    "Read an article",
    ids,
    index=None,
    key="article",
    bind="query-params",
    placeholder="Choose an article by id, or pick a row in the list below",
    on_change=_drop_span,
    help="The article id is the file name without its extension; the link keeps it.",
)
if chosen and (art is None or art["article_id"] != chosen):
    art, focus = data.article(chosen), None

def _page_controls(listed: dict, shown: int) -> None:
    page, pages, first = listed["page"], listed["pages"], listed["offset"] + 1

    def go(to: int) -> None:
        st.session_state[PAGE_KEY] = min(max(1, to), pages)

    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.button("First", on_click=go, args=(1,), disabled=page <= 1, icon=":material/first_page:",
                  key="sources_first")
        st.button("Previous", on_click=go, args=(page - 1,), disabled=page <= 1,
                  icon=":material/chevron_left:", key="sources_prev")
        st.markdown(f"Articles {first:,}–{first + shown - 1:,} of {listed['n']:,} · page {page:,} of {pages:,}")
        st.button("Next", on_click=go, args=(page + 1,), disabled=page >= pages,
                  icon=":material/chevron_right:", icon_position="right", key="sources_next")
        st.button("Last", on_click=go, args=(pages,), disabled=page >= pages,
                  icon=":material/last_page:", icon_position="right", key="sources_last")


def article_list(expanded_view: bool) -> None:
    n, n_out, rewrites = listed["n"], listed["outlets"], listed["rewrites"]
    span_txt = f", published {listed['first']} to {listed['last']}" if listed["first"] else ""
    paged = (f" Oldest first, undated last, {PAGE_ROWS:,} to a page: the dates and outlet in the sidebar "
             "narrow the list." if listed["pages"] > 1 else "")
    st.caption(
        f"{reader.plural(n, 'article')} from {reader.plural(n_out, 'outlet')}{span_txt}; "
        f"{rewrites:,} {'is a rewrite' if rewrites == 1 else 'are rewrites'} of an earlier article. "
        f"{filters.describe_filters(f)}. Select a row to read it.{paged}"
    )
    if not n:
        st.info("No articles match the filters. Clear the outlet, destination or date filters in the sidebar.",
                icon=":material/filter_alt_off:")
        return
    st.dataframe(
        table,
        key=LIST_KEY,
        on_select=lambda: _open_selected(table),
        selection_mode="single-row",
        hide_index=True,
        height=min(38 + 35 * len(table), 520 if expanded_view else 380),
        column_order=["title", "outlet", "published", "copy", "quotes", "figures", "places", "routes",
                      "basis", "file", "link"],
        column_config={
            "title": st.column_config.TextColumn("Title", width=320),
            "outlet": st.column_config.TextColumn("Outlet"),
            "published": st.column_config.TextColumn("Published", help="YYYY-MM-DD"),
            "basis": st.column_config.TextColumn("Date from", help="Where the publication date comes from: the manifest, or inferred from the text or page metadata"),
            "quotes": st.column_config.NumberColumn("Quotes", format="localized", width="small"),
            "figures": st.column_config.NumberColumn("Figures", format="localized", width="small"),
            "places": st.column_config.NumberColumn("Places", format="localized", width="small"),
            "routes": st.column_config.NumberColumn("Routes", format="localized", width="small"),
            "copy": st.column_config.TextColumn("Copy of another story", width=220),
            "file": st.column_config.TextColumn("File"),
            "link": st.column_config.LinkColumn("Link", display_text="Open", help="Link to this article"),
        },
    )
    if listed["pages"] > 1:
        _page_controls(listed, len(table))
    skipped = data.skipped()
    if len(skipped):
        with st.expander(f"{reader.plural(len(skipped), 'file')} could not be read and {'was' if len(skipped) == 1 else 'were'} skipped"):
            st.dataframe(skipped, hide_index=True,
                         column_config={"file": "File", "reason": st.column_config.TextColumn("Reason", width="large")})


if art is None:
    article_list(expanded_view=True)
else:
    # ---------------------------------------------------------------- reader
    title = art["title"] or "(untitled)"
    st.html(f'<h2 class="xr-title" style="margin:.2rem 0 .1rem 0;font-size:1.6rem;line-height:1.3;overflow-wrap:anywhere">'
            f'{reader.esc(title)}</h2>')
    url = reader.safe_url(art["url"])
    meta = [
        f"<b>{reader.esc(art['outlet'] or 'unknown outlet')}</b>",
        f"published {reader.esc(art['published'] or 'date unknown')} ({reader.esc(reader.basis_text(art['published_basis']))})",
        f"file <code>{reader.esc(art['file'])}</code>",
    ]
    if url:
        meta.append(f"original: {reader.link_html(url, reader.shorten(url, 60))}")
    elif art["url"]:
        meta.append(f"url (not a web link, shown as text): <code>{reader.esc(reader.shorten(art['url'], 80))}</code>")
    st.html('<div class="xr-meta">' + " &middot; ".join(meta) + "</div>")

    spans = reader.article_spans(art)
    counts = {"quote": len(art["quotes"]), "figure": len(art["figures"]), "place": len(art["places"])}
    st.html(reader.legend_html(counts, focus=bool(focus)))
    if focus:
        st.info(f"Showing the highlighted sentence (characters {focus[0]:,}–{focus[1]:,}), outlined in the text.",
                icon=":material/my_location:")

    c_text, c_side = st.columns([5, 2], gap="large")
    with c_text:
        st.html(reader.highlight(art["text"], spans, focus))
    with c_side:
        if art["rewrite_of"]:
            sim = art["similarity"]
            st.markdown("**Rewrite of an earlier article**")
            st.caption(f"{sim:.0%} of its wording is shared with" if sim is not None and pd.notna(sim)
                       else "Shares its wording with")
            st.button(reader.md_escape(reader.shorten(_title_of(art["rewrite_of"]), 80)),
                      key="open-original", on_click=_open, args=(art["rewrite_of"],),
                      icon=":material/article:", type="tertiary", wrap=True)
        copies = art["copies"]
        st.markdown(f"**Other copies of this story** ({len(copies)})")
        if copies.empty:
            st.caption("No other article carries this story.")
        for r in copies.itertuples(index=False):
            sim = f" · {r.similarity:.0%} shared" if r.similarity is not None and pd.notna(r.similarity) else ""
            label = f"{r.outlet or 'unknown outlet'}, {r.published or 'date unknown'}: {reader.shorten(r.title, 70)}"
            st.button(reader.md_escape(label) + sim, key=f"copy-{r.article_id}", on_click=_open,
                      args=(r.article_id,), icon=":material/article:", type="tertiary", wrap=True)
        st.markdown("**In this article**")
        st.caption(
            f"{reader.plural(counts['quote'], 'quote')}, {reader.plural(counts['figure'], 'figure')}, "
            f"{reader.plural(counts['place'], 'place mention')}. "
            "Hover a highlight to see what was extracted."
        )
        st.page_link("app_pages/quotes.py", label="Search all quotes", icon=":material/format_quote:")

    if focus:
        st.html(reader.SCROLL_SCRIPT, unsafe_allow_javascript=True)
    with st.expander(f"All {listed['n']:,} articles"):
        article_list(expanded_view=False)
