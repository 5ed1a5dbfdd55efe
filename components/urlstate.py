"""URL parameters: the public names, and validation with visible notices.

Bound widgets drop invalid values silently; people who paste a broken link
deserve to be told, so every page checks the raw query string first with
:func:`notice_invalid` and shows what was ignored.
"""
from __future__ import annotations

import re
from datetime import date

import streamlit as st

# Every parameter the app understands, by where it is read. Part of the public
# interface (people bookmark links): list new ones in the README.
SHARED_PARAMS = ("country", "outlet", "from", "to")
PAGE_PARAMS = {
    "overview": (),
    "routes": ("dest", "layer"),
    "numbers": ("metric",),
    "quotes": ("q", "speaker", "quote"),
    "sources": ("article", "span"),
    "about": (),
}
ALL_PARAMS = frozenset(SHARED_PARAMS) | {p for ps in PAGE_PARAMS.values() for p in ps}
MAX_PARAM_CHARS = 500

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str | None) -> date | None:
    """An ISO date, or None when absent or invalid."""
    if not value or not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def raw_param(name: str) -> str | None:
    """The last value of a query parameter (repeated keys: the last wins), capped in length."""
    try:
        values = st.query_params.get_all(name)
    except Exception:  # pragma: no cover - defensive: malformed state must not break a page
        return None
    if not values:
        return None
    return str(values[-1])[:MAX_PARAM_CHARS]


def notice(messages: list[str]) -> None:
    """Show what in the link was ignored, once per run, without breaking the page."""
    if messages:
        st.warning("Some parts of this link were ignored: " + "; ".join(messages), icon="⚠️")


def describe(value: str, limit: int = 40) -> str:
    """A value from the URL made safe and short for a notice (rendered as code)."""
    v = value if len(value) <= limit else value[:limit] + "…"
    return "`" + v.replace("`", "'") + "`"
