"""The shared filters: destination country, outlet and date range, bound to the URL.

Rendered once per run by ``dashboard.py`` in the sidebar, before the page runs,
so every page reads the same values with :func:`current`. The widget keys are
the URL parameter names (``country``, ``outlet``, ``from``, ``to``).
"""
from __future__ import annotations

from datetime import date

import streamlit as st

from components import data
from components.urlstate import describe, parse_date, raw_param

KEYS = ("country", "outlet", "from", "to")


def validate_shared(countries: list[str], outlets: list[str]) -> list[str]:
    """Messages for shared URL values that the widgets will ignore."""
    messages = []
    c = raw_param("country")
    if c and c not in countries:
        messages.append(f"no reported destination with country code {describe(c)}")
    o = raw_param("outlet")
    if o and o not in outlets:
        messages.append(f"unknown outlet {describe(o)}")
    for key in ("from", "to"):
        v = raw_param(key)
        if v and parse_date(v) is None:
            messages.append(f"`{key}` is not a date in YYYY-MM-DD form ({describe(v)})")
    return messages


def render() -> list[str]:
    """Draw the shared filters in the sidebar; returns notices about ignored URL values."""
    opts = data.choices()
    codes = [c for c, _, _ in opts["countries"]]
    names = {c: n for c, n, _ in opts["countries"]}
    messages = validate_shared(codes, opts["outlets"])
    summary = data.summary()
    lo = parse_date(summary.get("first_date")) or date(2022, 1, 1)
    hi = parse_date(summary.get("last_date")) or date.today()
    lo, hi = min(lo, date(2022, 1, 1)), max(hi, date.today())

    with st.sidebar:
        st.markdown("#### Filters")
        st.caption("Shared by every page and kept in the link.")
        country = st.selectbox(
            "Destination country (ISO code)",
            codes,
            index=None,
            key="country",
            bind="query-params",
            placeholder="All destinations",
            help="Articles that report people going to this country. "
            + ", ".join(f"{c} = {names[c]}" for c in codes),
        )
        if country:
            st.caption(f"{country} = **{names.get(country, country)}**")
        st.selectbox(
            "Outlet", opts["outlets"], index=None, key="outlet", bind="query-params",
            placeholder="All outlets",
        )
        c1, c2 = st.columns(2)
        c1.date_input("From", value=None, min_value=lo, max_value=hi, key="from",
                      bind="query-params", format="YYYY-MM-DD")
        c2.date_input("To", value=None, min_value=lo, max_value=hi, key="to",
                      bind="query-params", format="YYYY-MM-DD")
        if any(st.session_state.get(k) for k in KEYS):
            st.button("Clear filters", on_click=clear, use_container_width=True)
    return messages


def clear() -> None:
    for k in KEYS:
        st.session_state[k] = None


def current() -> data.Filters:
    """The shared filters as the widgets hold them this run."""
    ss = st.session_state
    d_from, d_to = ss.get("from"), ss.get("to")
    if d_from and d_to and d_from > d_to:
        d_from, d_to = d_to, d_from
    return data.Filters(
        country=ss.get("country") or None,
        outlet=ss.get("outlet") or None,
        date_from=d_from if isinstance(d_from, date) else None,
        date_to=d_to if isinstance(d_to, date) else None,
    )


def describe_filters(f: data.Filters) -> str:
    """One line saying what the view is filtered to (for captions and source lines)."""
    parts = []
    if f.country:
        parts.append(f"destination {data.country_names().get(f.country, f.country)}")
    if f.outlet:
        parts.append(f"outlet {f.outlet}")
    if f.date_from or f.date_to:
        parts.append(f"published {f.date_from or '…'} to {f.date_to or '…'}")
    return "Filtered to " + ", ".join(parts) if parts else "All articles"
