"""Exit Routes: the Streamlit entry point (`streamlit run dashboard.py`).

Page config, the dataset check (builds it on first start), the shared filters
bound to the URL, and st.navigation over app_pages/. Pages live in app_pages/,
not pages/: a pages/ folder would switch Streamlit into legacy multipage mode
and break the first deep link.
"""
from __future__ import annotations

import gc
from pathlib import Path

import streamlit as st

from components import dataset, filters, urlstate

ROOT = Path(__file__).resolve().parent


@st.cache_resource(show_spinner=False)
def _freeze_startup_objects() -> bool:
    """Streamlit runs a full garbage collection after every script run; walking the objects of
    the imported libraries (plotly, pandas) cost ~80 ms of every rerun at any dataset size. They
    live as long as the process, so they are imported once here and moved out of the collector's
    sight (gc.freeze); what a run creates is still collected."""
    import components.charts  # noqa: F401  (the pages' heavy imports: plotly, numpy)
    import components.maps  # noqa: F401
    import components.overview  # noqa: F401

    gc.freeze()
    return True


_freeze_startup_objects()

st.set_page_config(
    page_title="Exit Routes",
    # A local file: Material or emoji page icons are fetched from a CDN, which a
    # network-less host cannot reach.
    page_icon=str(ROOT / "static" / "favicon.png"),
    layout="wide",
    menu_items={"About": "Exit Routes: a source-grounded dataset of Russian men leaving to avoid mobilisation."},
)

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/explore:", default=True),
    st.Page("app_pages/routes.py", title="Routes", icon=":material/map:", url_path="routes"),
    st.Page("app_pages/numbers.py", title="Numbers", icon=":material/bar_chart:", url_path="numbers"),
    st.Page("app_pages/quotes.py", title="Quotes", icon=":material/format_quote:", url_path="quotes"),
    st.Page("app_pages/sources.py", title="Sources", icon=":material/article:", url_path="sources"),
    st.Page("app_pages/about.py", title="About", icon=":material/info:", url_path="about"),
]

page = st.navigation(PAGES)

if not dataset.ensure():
    st.stop()

urlstate.notice(filters.render())

with st.sidebar:
    st.divider()
    st.caption(
        "Every view is a link: copy the address bar to share exactly what you see. "
        "Data: news articles, each item linked to its sentence."
    )

page.run()
