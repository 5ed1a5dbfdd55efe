"""Numbers: what was counted, by whom.

Reported figures grouped into metrics (exodus/metrics.py), one chart per metric and
unit, every mark one figure as one outlet reported it; reports of the same quantity
that differ shown side by side; the rest of the figures in a table; CSV of the view.
URL: shared country/outlet/from/to, and `metric` (a catalogue metric id).
"""
from __future__ import annotations

import streamlit as st

from components import charts, data, filters, urlstate

f = filters.current()
facets = data.figure_facets()  # not data.figures(): ~900k rows at 100k articles
options = charts.metric_ids(facets["metrics"])

raw_metric = urlstate.raw_param("metric")
if raw_metric and raw_metric not in options:
    urlstate.notice([f"no metric called {urlstate.describe(raw_metric)} (showing all metrics)"])

st.title("Numbers: what was counted, and by whom")
st.caption(
    "Every dot is one figure as one outlet reported it, linked to the sentence it came from. "
    "Reports of the same quantity that disagree are shown side by side, never averaged."
)

pick, about = st.columns([2, 3], vertical_alignment="bottom")
metric = pick.selectbox(
    "Metric",
    options,
    index=None,
    key="metric",
    bind="query-params",
    placeholder="All metrics",
    help="What the figures count. The link keeps the metric id. "
    + "; ".join(f"{m} = {charts.label_for(m)}" for m in options),
)
if metric:
    about.markdown(f"`{metric}` = **{charts.md_text(charts.label_for(metric))}**")

figs = charts.prepare(data.figures(f))
view = figs[figs["metric"] == metric] if metric else figs

if view.empty:
    st.info(
        charts.empty_message(metric, f.country, data.country_names().get(f.country), f.outlet,
                             f.date_from, f.date_to),
        icon="🔎",
    )
    st.stop()

# Every outlet of the dataset (choices); figures can only add the "unknown outlet".
colours = charts.outlet_colours([*data.choices()["outlets"], *([None] if facets["unknown_outlet"] else [])])
conflict_rows = charts.conflicts(view)
differing = set(conflict_rows["figure_id"]) if not conflict_rows.empty else set()
groups = charts.chart_groups(view)
other = view[view["metric"].isna()]

st.caption(
    f"{filters.describe_filters(f)}: {len(view)} figure{'s' if len(view) != 1 else ''} from "
    f"{view['article_id'].nunique()} article{'s' if view['article_id'].nunique() != 1 else ''}"
    f" and {view['outlet'].nunique()} outlet{'s' if view['outlet'].nunique() != 1 else ''}"
    + (f", {len(groups)} metric{'s' if len(groups) != 1 else ''}" if groups else "")
    + (f", {len(other)} without a metric" if len(other) else "")
    + (f", **{len(differing)} in reports that differ**" if differing else "")
    + "."
)

# ---------------------------------------------------------------- charts

if groups:
    if not metric and len(groups) > 1:
        overview = charts.metric_overview(view, differing)
        st.dataframe(
            overview,
            hide_index=True,
            width="stretch",
            column_order=["metric_label", "range", "reports", "outlets", "flag", "unit", "metric"],
            column_config={
                "metric_label": st.column_config.TextColumn("Metric", width="medium"),
                "metric": st.column_config.TextColumn("Metric id (for the link)"),
                "unit": st.column_config.TextColumn("Unit"),
                "reports": st.column_config.NumberColumn("Reports", format="%d"),
                "outlets": st.column_config.NumberColumn("Outlets", format="%d"),
                "range": st.column_config.TextColumn("Reported values"),
                "flag": st.column_config.TextColumn("Flag", width="medium"),
            },
            key="metric-overview",
        )
    # A chart of one dot says less than a table row: with no metric picked, chart the
    # metrics reported more than once (all of them when none is).
    charted = charts.charted_groups(groups, metric)
    if len(charted) < len(groups):
        n_single = len(groups) - len(charted)
        st.caption(
            f"{n_single} metric{'s' if n_single != 1 else ''} with a single report "
            f"{'is' if n_single == 1 else 'are'} listed in the table above, not charted: "
            "pick one in the metric box to see its chart."
        )
    ncols = 1 if len(charted) == 1 else 2
    for row_start in range(0, len(charted), ncols):
        # One st.columns row per pair, so the phone layout (columns stack) keeps catalogue order.
        cols = st.columns(ncols, gap="medium")
        for col, (metric_id, unit, rows) in zip(cols, charted[row_start:row_start + ncols]):
            with col.container(border=True):
                hit = bool(set(rows["figure_id"]) & differing)
                st.markdown(f"**{charts.md_text(charts.finding(rows, metric_id, unit, hit))}**")
                st.plotly_chart(
                    charts.metric_figure(rows, metric_id, unit, colours, differing),
                    key=f"chart-{metric_id}-{unit}",
                    config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]},
                    width="stretch",
                )
                st.caption(charts.source_line(rows))

# ---------------------------------------------------------------- conflicts

LINK = st.column_config.LinkColumn("Read in Sources", display_text="Open sentence",
                                   help="Opens the article in Sources with this figure's sentence highlighted")
# One column set for every figures table on the page (columns a table lacks are ignored).
FIGURE_COLUMNS = {
    "metric_label": st.column_config.TextColumn("Metric", width="medium"),
    "value": st.column_config.NumberColumn("Value", format="localized"),
    "value_high": st.column_config.NumberColumn("Up to", format="localized", width=90,
                                                 help="Upper bound when a range was reported"),
    "unit": st.column_config.TextColumn("Unit", width="small"),
    "counts": st.column_config.TextColumn("What is counted"),
    "raw": st.column_config.TextColumn("As written", help="The figure exactly as the article wrote it"),
    "outlet": st.column_config.TextColumn("Outlet"),
    "published": st.column_config.TextColumn("Published"),
    "sentence": st.column_config.TextColumn("Sentence", width="large"),
    "flag": st.column_config.TextColumn("Flag", help="'reports differ': another article reports a different value for the same metric in the same story or month"),
    "link": LINK,
    "title": st.column_config.TextColumn("Article"),
}

if groups:
    st.subheader("Reports differ")
    if conflict_rows.empty:
        st.caption(
            "No two articles report different values for the same metric in the same story or the same "
            "month in this view."
        )
    else:
        st.caption(
            "Figures of the same metric and unit from different articles of one story (rewrites) or "
            "published the same month, with different values. They may measure different places or "
            "moments: read the sentences before choosing one. Nothing here is merged or averaged."
        )
        for gi, (key, g) in enumerate(conflict_rows.groupby("group", sort=False)):
            first = g.iloc[0]
            with st.container(border=True):
                st.markdown(
                    f"**{charts.md_text(charts.label_for(first['metric']))}**: "
                    f"{len(g)} reports, {charts.md_text(first['basis'])}"
                )
                st.plotly_chart(charts.conflict_figure(g, first["unit"], colours), key=f"conflict-{gi}",
                                config={"displaylogo": False}, width="stretch")
                st.caption(charts.source_line(g))
        st.dataframe(
            charts.table_frame(conflict_rows, differing)[
                ["flag", "metric_label", "basis", "value", "unit", "raw", "outlet", "published",
                 "sentence", "link"]],
            hide_index=True,
            width="stretch",
            column_config={**FIGURE_COLUMNS, "basis": "Compared because"},
            key="conflict-table",
        )

# ---------------------------------------------------------------- other figures

if not metric:
    st.subheader(charts.OTHER_LABEL)
    if other.empty:
        st.caption("Every figure in this view belongs to a metric above.")
    else:
        st.caption("Figures that match no metric in the catalogue (see docs/METRICS.md): listed, not charted.")
        st.dataframe(
            charts.table_frame(other)[["value", "unit", "counts", "raw", "outlet", "published", "sentence", "link"]],
            hide_index=True,
            width="stretch",
            column_config=FIGURE_COLUMNS,
            key="other-table",
        )

# ---------------------------------------------------------------- all figures


@st.fragment
def all_figures(table, filename: str) -> None:
    head, button = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader("All figures in this view")
    button.download_button(
        "Download CSV",
        data=charts.to_csv(table),
        file_name=filename,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
        key="download-figures",
        help=f"{len(table)} rows, exactly the table below: {filename}",
    )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        column_order=["metric_label", "value", *(["value_high"] if table["value_high"].notna().any() else []),
                      "unit", "raw", "outlet", "published", "flag", "counts", "sentence", "link", "title"],
        column_config=FIGURE_COLUMNS,
        key="figures-table",
    )
    picked = event.selection.rows if event and event.selection else []
    if picked:
        row = table.iloc[picked[0]]
        st.page_link(
            "app_pages/sources.py",
            label="Read this figure's sentence in Sources ("
            + charts.md_text(", ".join(v if isinstance(v, str) and v else alt for v, alt in (
                (row["outlet"], "unknown outlet"), (row["published"], "no date")))) + ")",
            icon=":material/article:",
            query_params={"article": row["article_id"], "span": row["span"]},
        )
    else:
        st.caption("Select a row to open its sentence in Sources, or use the row's link.")


all_figures(
    charts.table_frame(view, differing),
    charts.csv_filename(metric, f.country, f.outlet, f.date_from, f.date_to),
)
