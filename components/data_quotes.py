"""Extra read queries for the Quotes page (same patterns as components/data.py).

Only what data.py does not already offer: every quote of a set of variant
groups, so a card can show all outlets that carried the same words even when
only one of them matched the search or the filters.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import _CACHE, _frame, _version

MAX_GROUPS = 200


@st.cache_data(**_CACHE)
def _variants(version: str, groups: tuple[str, ...]) -> pd.DataFrame:
    if not groups:
        groups = ("",)
    marks = ",".join("?" * len(groups))
    return _frame(
        f"""SELECT qt.quote_id, qt.article_id, qt.text, qt.speaker, qt.speaker_desc, qt.start, qt."end",
                   qt.variant_group, a.outlet, a.published, a.title, a.url,
                   substr(a.text, qt.sentence_start + 1, qt.sentence_end - qt.sentence_start) AS context
            FROM quotes qt JOIN articles a ON a.article_id = qt.article_id
            WHERE qt.variant_group IN ({marks})
            ORDER BY qt.variant_group, coalesce(a.published, '9999'), qt.article_id, qt.start""",
        list(groups),
    )


def variants(groups: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """All quotes (any outlet, no filters) belonging to the given variant groups."""
    clean = tuple(sorted({g for g in groups if isinstance(g, str) and g}))[:MAX_GROUPS]
    return _variants(_version(), clean)
