"""Quotes: who said what, where. Full-text search over every direct quotation.

URL: q (search text), speaker (canonical name), quote (permalink to one quote
and its variants), plus the shared country/outlet/from/to filters.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from components import data, filters, quote_card, reader, urlstate
from components.urlstate import describe

PAGE_SIZE = quote_card.PAGE_SIZE


def _leave_permalink() -> None:
    """A new search or speaker leaves the single-quote view."""
    if "quote" in st.query_params:
        del st.query_params["quote"]


def _clear_search() -> None:
    st.session_state["q"] = ""
    st.session_state["speaker"] = None


st.html(reader.CSS)
st.title("Quotes: who said what, where")
st.caption(
    "Direct quotations in the articles, each linked to the sentence it came from. "
    "Search ranks quotes by relevance (words found in a large share of the quotes match too many to "
    "rank; those come in source-file order); the same words carried by several outlets share one card."
)

speakers = data.choices()["speakers"]
messages: list[str] = []
raw_speaker = urlstate.raw_param("speaker")
if raw_speaker and raw_speaker not in speakers:
    messages.append(f"no quotes from a speaker named {describe(raw_speaker)} (speaker filter cleared)")
quote_id = urlstate.raw_param("quote")
perm = data.quote(quote_id) if quote_id else None
if quote_id and perm is None:
    messages.append(f"no quote with id {describe(quote_id)} (showing all quotes)")
urlstate.notice(messages)

c_q, c_s = st.columns([3, 1], vertical_alignment="bottom")
q = c_q.text_input(
    "Search the quotes",
    key="q",
    bind="query-params",
    type="search",
    live="600ms",
    placeholder='Words or a "phrase", e.g. summons, border, "call-up"',
    help="Every word must appear (in any form: leave, left, leaving); the last word also matches as "
    'a prefix. Put words in "double quotes" for an exact phrase. Operators are treated as words.',
    on_change=_leave_permalink,
) or ""
speaker = c_s.selectbox(
    "Speaker",
    speakers,
    index=None,
    key="speaker",
    bind="query-params",
    placeholder="Anyone",
    on_change=_leave_permalink,
)
if len(q) > data.MAX_QUERY_CHARS:
    st.caption(f"Only the first {data.MAX_QUERY_CHARS} characters of the search text are used.")

if perm is not None:
    # ---------------------------------------------------------- permalink view
    st.subheader("One quote and its reports across outlets")
    cards = quote_card.group_cards(pd.DataFrame([perm]), data.variants([perm.get("variant_group")]))
    quote_card.render_card(cards[0], key="permalink", permalink_button=False)
    st.button("Show all quotes", on_click=quote_card.show_all, icon=":material/format_quote:")
else:
    # ---------------------------------------------------------- search results
    f = filters.current()

    @st.fragment
    def results(f: data.Filters, q: str, speaker: str | None) -> None:
        hits = data.quote_hits(f, q, speaker)
        searching = data.fts_query(q) is not None
        if q.strip() and not searching:
            st.caption(f"{describe(q)} holds no words to search for, so all quotes are shown.")
        if hits.frame.empty:
            what = f"match {describe(q)}" if searching else "are in the selected articles"
            tips = []
            if searching:
                tips.append("use fewer or shorter words")
            if speaker:
                tips.append("set the speaker to “Anyone”")
            if f.active:
                tips.append("clear the outlet, destination or date filters in the sidebar")
            tip = ("Try to " + ", or ".join(tips) + ".") if tips else ""
            st.info(f"No quotes {what}. {tip}", icon=":material/search_off:")
            if searching or speaker:
                if st.button("Clear the search", on_click=_clear_search):
                    st.rerun(scope="app")
            return

        # Cards are grouped from ids only; full rows are fetched for the page shown.
        cards = quote_card.group_cards(hits.frame)
        n_quotes, n_cards = len(hits.frame), len(cards)
        more = "+" if hits.total is None or hits.total > n_quotes else ""
        scope = filters.describe_filters(f)
        head = (f"**{n_quotes:,}{more} {'quote' if n_quotes == 1 else 'quotes'}** in "
                f"**{n_cards:,} {'card' if n_cards == 1 else 'cards'}**")
        if searching and hits.ranked:
            head += f" match {describe(q)}, best match first"
        elif searching:
            head += f" match {describe(q)}, in source-file order"
        else:
            head += ", oldest first"
        if speaker:
            head += " · speaker filter on"
        if searching and not hits.ranked:
            note = (f" More than {data.RANK_LIMIT:,} quotes match: too many to rank by relevance (the words are "
                    f"in a large share of the quotes), so the first {n_quotes:,} are shown in the order of the "
                    "source files, not best first. Add words, a \"phrase\" or a filter to rank them.")
        elif more and searching:
            note = f" {hits.total:,} quotes match; showing the {n_quotes:,} best: add words to narrow."
        elif more:
            note = f" Showing the {n_quotes:,} oldest: search or filter to narrow."
        else:
            note = ""
        c_count, c_dl = st.columns([3, 1], vertical_alignment="center")
        c_count.markdown(head)
        c_count.caption(f"{scope}.{note}")
        all_ids = tuple(hits.frame["quote_id"])
        c_dl.download_button(
            f"Download {n_quotes:,} quotes (CSV)",
            lambda: quote_card.to_csv(data.quote_rows(all_ids)),  # built only when clicked
            file_name="exit-routes-quotes.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )

        pages = max(1, math.ceil(n_cards / PAGE_SIZE))
        signature = (f, q, speaker)
        if st.session_state.get("quotes_sig") != signature:
            st.session_state["quotes_sig"] = signature
            st.session_state["quotes_page"] = 1
        page = min(max(1, int(st.session_state.get("quotes_page", 1))), pages)
        first = (page - 1) * PAGE_SIZE
        shown = cards[first:first + PAGE_SIZE]
        quote_card.fill_rows(shown, data.quote_rows([i for c in shown for i in c.quote_ids], q))
        quote_card.attach_variants(shown, data.variants(quote_card.variant_groups(shown)))
        for i, card in enumerate(shown):
            quote_card.render_card(card, key=f"{first + i}")

        if pages > 1:
            def go(delta: int) -> None:
                st.session_state["quotes_page"] = min(max(1, page + delta), pages)

            with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
                st.button("Previous", on_click=go, args=(-1,), disabled=page <= 1,
                          icon=":material/chevron_left:")
                st.markdown(f"Cards {first + 1}–{first + len(shown)} of {n_cards:,} · page {page} of {pages}")
                st.button("Next", on_click=go, args=(1,), disabled=page >= pages,
                          icon=":material/chevron_right:", icon_position="right")

    results(f, q, speaker)
