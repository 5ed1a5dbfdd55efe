"""Overview (default page, "/"): what happened, in numbers and dates.

Layout only; the logic is in components/overview.py. Reads no page parameters:
only the shared filters (country, outlet, from, to), validated by dashboard.py.
"""
import streamlit as st

from components import charts, data, filters
from components import overview as ov


@st.cache_data(max_entries=8, show_spinner=False)
def _article_view(version: str, f: data.Filters) -> dict:
    """What the page draws from the view's articles, once per dataset version and filter set:
    rebuilding the timeline and tables from 100k articles was ~1/3 of every rerun. Counts, source
    lines and a large view's timeline come from the articles per outlet and month, and its table
    from the latest articles: reading every article into a frame was ~1 s of the first visit at
    100k. Only a view small enough for a marker per article reads its articles."""
    months = data.article_months(f)
    counts = ov.counts_from_months(months, data.destinations(f))
    groups = ov.dated_groups(months)
    monthly = int(groups["n"].sum()) > ov.MAX_TIMELINE_MARKERS
    arts = None if monthly else data.articles(f)
    if monthly:
        tl, title = ov.timeline_from_months(groups), ov.timeline_title_from(ov.month_totals(groups))
    else:
        tl, title = ov.timeline_figure(arts), ov.timeline_title(arts)
    large = counts.articles > ov.MAX_TABLE_ROWS
    return {
        "counts": counts,
        "n": counts.articles,
        "timeline": tl.to_dict() if tl is not None else None,  # charts.from_cache
        "timeline_title": title if tl is not None else None,
        "timeline_source": ov.source_line_from(counts.articles, ov.outlet_totals(months),
                                               "one marker per outlet and month, sized by its articles"
                                               if monthly else "hover a marker for the article's title"),
        "table": ov.timeline_table(data.recent_articles(f, ov.MAX_TABLE_ROWS) if large or arts is None else arts),
        "routes_source": ov.source_line_from(int(months["with_routes"].sum()), ov.outlet_totals(months, "with_routes"),
                                             "a report is one sentence saying people went, or plan to go, to the country"),
    }


f = filters.current()
names = data.country_names()
view = _article_view(data.version(), f)
# Aggregated in SQL: a row per route or figure is ~600k / 900k rows at 100k articles.
dest = data.destinations(f)
figs = data.headline_figures(f)
c = view["counts"]

st.title("Leaving Russia to avoid mobilisation")
where = filters.describe_filters(f)
ov.caption_text(
    f"{where}: {ov.counts_sentence(c)}, published {ov.date_span(c)}. "
    "Every number, quote and route below links to the sentence it came from."
)

if not view["n"]:
    st.info(
        "No articles match these filters. Widen the date range or clear the outlet or country "
        "filter in the sidebar.",
        icon=":material/search_off:",
    )
    st.stop()

ov.render_counts(c)

# ------------------------------------------------------------- headline figures
st.subheader("Headline figures")
cards = ov.headline_cards(figs)
if cards:
    st.caption(
        "One reported figure per measure: the most confident extraction, the most recent among equals. "
        "Each cites the outlet, the date and the sentence it came from (figure highlighted)."
    )
    ov.render_cards(cards)
else:
    st.info(
        "No reported figures in these articles fall into a known measure. "
        "Clear a filter, or see every extracted number on the Numbers page.",
        icon=":material/bar_chart:",
    )
    st.page_link("app_pages/numbers.py", label="All extracted numbers", icon=":material/bar_chart:")

# ------------------------------------------------------------- timeline
st.subheader("When it was reported")
tl = view["timeline"]
if tl is None:
    st.info("None of these articles has a known publication date, so there is no timeline.", icon=":material/event_busy:")
else:
    ov.chart_title(view["timeline_title"])
    st.plotly_chart(charts.from_cache(tl), config={"displayModeBar": False},
                    alt="Timeline of articles by publication date and outlet")
    st.caption(ov.context_caption())
    ov.caption_text(view["timeline_source"])
    if c.undated:
        st.caption(f"{c.undated} article(s) have no known publication date and are not on the timeline.")
with st.expander("Articles as a table"):
    if view["n"] > ov.MAX_TABLE_ROWS:
        st.caption(f"The {ov.MAX_TABLE_ROWS:,} most recent of {view['n']:,} articles; "
                   "the Sources page lists and searches them all.")
    st.dataframe(
        view["table"], hide_index=True, width="stretch",
        column_config={"Original": st.column_config.LinkColumn("Original", display_text="open ↗")},
    )

# ------------------------------------------------------------- destinations
st.subheader("Where people went")
if dest.empty:
    st.info("These articles report no destinations. Clear the filters to see all routes.", icon=":material/map:")
else:
    left, right = st.columns([3, 2], gap="large")
    with left:
        title = ov.destinations_title(dest, f.country)
        ov.chart_title(title)
        st.plotly_chart(ov.destinations_figure(dest, f.country), config={"displayModeBar": False}, alt=title)
        ov.caption_text(view["routes_source"])
    with right:
        st.markdown("**See the routes and their evidence**")
        with st.container(horizontal=True, gap="small"):
            for code, country in zip(dest["code"].head(12), dest["country"].head(12)):
                st.page_link("app_pages/routes.py", label=f"{ov.md_escape(country)} ({ov.md_escape(code)})", icon=":material/map:",
                             query_params={"dest": str(code)})
        with st.expander("Destinations as a table"):
            st.dataframe(
                dest.drop(columns="routes").rename(columns={"code": "Code", "country": "Country", "reports": "Reports",
                                     "articles": "Articles"}),
                hide_index=True, width="stretch",
            )

# ------------------------------------------------------------- explore
st.subheader("Explore")
about = f" in articles about {ov.md_escape(names.get(f.country, f.country))}" if f.country else ""
with st.container(horizontal=True, gap="small"):
    st.page_link("app_pages/quotes.py", label=f"Read what people said{about}", icon=":material/format_quote:")
    st.page_link("app_pages/numbers.py", label=f"Compare the reported numbers{about}", icon=":material/bar_chart:")
    st.page_link("app_pages/routes.py", label=f"Map the routes{about}", icon=":material/map:")
    st.page_link("app_pages/sources.py", label="Read the articles", icon=":material/article:")
    st.page_link("app_pages/about.py", label="How it was made, and how good it is", icon=":material/info:")
if not f.active:
    st.caption("Tip: pick a destination country in the sidebar: every page, and the link, keeps it.")
