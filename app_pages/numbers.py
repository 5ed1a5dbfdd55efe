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

# Counts made in SQL, and figure rows only for what is drawn or listed: a row per figure of the
# view is ~900k rows at 100k articles (docs/PERFORMANCE.md). Small views show every figure.
MAX_MARKS = 200  # marks per chart; above, that many evenly spread over the publication dates
MAX_TABLE_ROWS = 500  # rows per table (and in the CSV)
MAX_CONFLICT_GROUPS = 6
MAX_CONFLICT_ROWS = 12  # reports per group of reports that differ

totals = data.figure_totals(f, metric)
if not totals["figures"]:
    st.info(
        charts.empty_message(metric, f.country, data.country_names().get(f.country), f.outlet,
                             f.date_from, f.date_to),
        icon="🔎",
    )
    st.stop()


def _colours() -> dict:
    # Every outlet of the dataset (choices); figures can only add the "unknown outlet".
    return charts.outlet_colours([*data.choices()["outlets"],
                                  *([None] if data.figure_facets()["unknown_outlet"] else [])])


# Figures are built once per dataset version, view and chart (kept as dicts: charts.from_cache):
# building them from the cached rows was ~40% of every rerun at 100k articles (py-spy, AppTest).
@st.cache_data(max_entries=64, show_spinner=False)
def _metric_chart(version: str, f: data.Filters, metric: str | None, metric_id: str, unit: str) -> dict:
    rows, total = data.group_figures(f, metric_id, unit, MAX_MARKS)
    rows = charts.prepare(rows)
    conflict_groups, _ = data.figure_conflicts(f, metric)
    return {"figure": charts.metric_figure(rows, metric_id, unit, _colours(),
                                           charts.conflict_members(rows, conflict_groups)).to_dict(),
            "shown": len(rows), "total": total,
            "single": rows["value_label"].iloc[0] if len(rows) == 1 else None}


@st.cache_data(max_entries=16, show_spinner=False)
def _conflict_view(version: str, f: data.Filters, metric: str | None) -> dict:
    conflict_groups, _ = data.figure_conflicts(f, metric)
    shown = list(conflict_groups[["kind", "metric", "unit", "key"]].head(MAX_CONFLICT_GROUPS)
                 .itertuples(index=False, name=None))
    rows = charts.conflict_frame(charts.prepare(data.conflict_figures(f, shown, MAX_CONFLICT_ROWS)), shown)
    colours = _colours()
    groups = [(g, charts.conflict_figure(g, g.iloc[0]["unit"], colours).to_dict(), charts.source_line(g))
              for _, g in rows.groupby("group", sort=False)]
    return {"shown": shown, "rows": rows, "groups": groups,
            "table": charts.table_frame(rows, charts.conflict_members(rows, conflict_groups))}


groups = charts.group_stats(data.figure_groups(f, metric))
conflict_groups, n_differing = data.figure_conflicts(f, metric)
flagged = set(zip(conflict_groups["metric"], conflict_groups["unit"]))
n_other = totals["other"] if not metric else 0


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' if count != 1 else ''}"


st.caption(
    f"{filters.describe_filters(f)}: {_n(totals['figures'], 'figure')} from {_n(totals['articles'], 'article')}"
    f" and {_n(totals['outlets'], 'outlet')}"
    + (f", {_n(len(groups), 'metric')}" if groups else "")
    + (f", {n_other:,} without a metric" if n_other else "")
    + (f", **{n_differing:,} in reports that differ**" if n_differing else "")
    + "."
)

# ---------------------------------------------------------------- charts

if groups:
    if not metric and len(groups) > 1:
        overview = charts.metric_overview_from(groups, flagged)
        st.dataframe(
            overview,
            hide_index=True,
            width="stretch",
            column_order=["metric_label", "range", "reports", "outlets", "flag", "unit", "metric"],
            column_config={
                "metric_label": st.column_config.TextColumn("Metric", width="medium"),
                "metric": st.column_config.TextColumn("Metric id (for the link)"),
                "unit": st.column_config.TextColumn("Unit"),
                "reports": st.column_config.NumberColumn("Reports", format="localized"),
                "outlets": st.column_config.NumberColumn("Outlets", format="localized"),
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
        for col, (metric_id, unit, stat) in zip(cols, charted[row_start:row_start + ncols]):
            chart = _metric_chart(data.version(), f, metric, metric_id, unit)
            with col.container(border=True):
                hit = (metric_id, unit) in flagged
                st.markdown(f"**{charts.md_text(charts.finding_from(stat, metric_id, unit, hit, chart['single']))}**")
                st.plotly_chart(
                    charts.from_cache(chart["figure"]),
                    key=f"chart-{metric_id}-{unit}",
                    config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]},
                    width="stretch",
                )
                st.caption(charts.source_line_from(stat)
                           + (f" This view is large: the chart draws {chart['shown']:,} of its {chart['total']:,} "
                              "figures, evenly spread over the publication dates; the title counts them all."
                              if chart["total"] > chart["shown"] else ""))

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
    if conflict_groups.empty:
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
        view = _conflict_view(data.version(), f, metric)
        shown, conflict_rows = view["shown"], view["rows"]
        if len(conflict_groups) > len(shown) or (conflict_groups["figures"].head(len(shown)) > MAX_CONFLICT_ROWS).any():
            st.caption(
                f"This view is large: showing {len(shown)} of {len(conflict_groups):,} groups "
                f"({len(conflict_rows):,} of {n_differing:,} figures in reports that differ), at most "
                f"{MAX_CONFLICT_ROWS} reports each, spread from the lowest to the highest value. Pick a metric, "
                "an outlet or dates to narrow it."
            )
        for gi, (g, figure, source) in enumerate(view["groups"]):
            first = g.iloc[0]
            n_group = int(conflict_groups["figures"].iloc[gi])  # every shown group has rows, in this order
            with st.container(border=True):
                st.markdown(
                    f"**{charts.md_text(charts.label_for(first['metric']))}**: "
                    f"{n_group:,} reports, {charts.md_text(first['basis'])}"
                    + (f" ({len(g)} shown, lowest to highest value)" if n_group > len(g) else "")
                )
                st.plotly_chart(charts.from_cache(figure), key=f"conflict-{gi}", config={"displaylogo": False}, width="stretch")
                st.caption(source)
        st.dataframe(
            view["table"][
                ["flag", "metric_label", "basis", "value", "unit", "raw", "outlet", "published",
                 "sentence", "link"]],
            hide_index=True,
            width="stretch",
            column_config={**FIGURE_COLUMNS, "basis": "Compared because"},
            key="conflict-table",
        )

# ---------------------------------------------------------------- other figures

ORDER = charts.metric_ids(facets["metrics"])
if not metric:
    st.subheader(charts.OTHER_LABEL)
    if not n_other:
        st.caption("Every figure in this view belongs to a metric above.")
    else:
        other, _ = data.table_figures(f, None, ORDER, MAX_TABLE_ROWS, other=True)
        other = charts.prepare(other)
        st.caption("Figures that match no metric in the catalogue (see docs/METRICS.md): listed, not charted."
                   + (f" Showing the first {len(other):,} of {n_other:,} (by date, then outlet)."
                      if n_other > len(other) else ""))
        st.dataframe(
            charts.table_frame(other)[["value", "unit", "counts", "raw", "outlet", "published", "sentence", "link"]],
            hide_index=True,
            width="stretch",
            column_config=FIGURE_COLUMNS,
            key="other-table",
        )

# ---------------------------------------------------------------- all figures


@st.fragment
def all_figures(table, filename: str, total: int) -> None:
    head, button = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader("All figures in this view")
    if total > len(table):
        st.caption(f"This view holds {total:,} figures: the table and the CSV hold the first {len(table):,} "
                   "(catalogue order of the metric, then date and outlet). Pick a metric, an outlet or dates "
                   "to narrow it.")
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


listed, n_listed = data.table_figures(f, metric, ORDER, MAX_TABLE_ROWS)
listed = charts.prepare(listed)
all_figures(
    charts.table_frame(listed, charts.conflict_members(listed, conflict_groups)),
    charts.csv_filename(metric, f.country, f.outlet, f.date_from, f.date_to),
    n_listed,
)
