"""Routes: where did people go, and how.

Layout only: the tables and the figure come from components/maps.py. URL params:
``dest`` (ISO code of a destination, bound selectbox) and ``layer`` (Flows / Crossings /
People, bound multi-select; repeated params), plus the shared filters.
"""
from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from components import charts, data, filters, maps, urlstate

MAP_KEY = "routes_map"
CARDS_PER_GROUP = 5  # evidence cards per destination when no destination is picked
MAX_CARDS = 200


def _validate(codes: list[str]) -> list[str]:
    """Notices for URL values the bound widgets would drop silently."""
    messages = []
    dest = urlstate.raw_param("dest")
    if dest and dest not in codes:
        messages.append(f"no reported destination with country code {urlstate.describe(dest)}")
    try:
        layers = st.query_params.get_all("layer")
    except Exception:  # pragma: no cover - defensive
        layers = []
    bad = [v[: urlstate.MAX_PARAM_CHARS] for v in layers if v and v not in maps.LAYERS]
    if bad:
        messages.append(
            "unknown map layer " + ", ".join(urlstate.describe(v) for v in bad[:3])
            + " (layers are " + ", ".join(maps.LAYERS) + ")"
        )
    return messages


def _on_map_select(known: tuple[str, ...]) -> None:
    """Chart selection -> the dest widget (runs before the script, so the widget shows it)."""
    state = st.session_state.get(MAP_KEY)
    try:
        points = state["selection"]["points"] if state else []
    except (KeyError, TypeError):
        points = []
    code = maps.destination_from_selection(points, known)
    if code:
        st.session_state["dest"] = code


def _pick(code: str) -> None:
    st.session_state["dest"] = code


def _evidence_card(r: pd.Series) -> None:
    meta = [maps.inert_html(maps.clean(r["outlet"]) or "Unknown outlet"),
            maps.inert_html(maps.clean(r["published"]) or "undated")]
    modes = [m.strip() for m in (maps.clean(r["mode"]) or "").split(",") if m.strip()] or [None]
    meta.append(", ".join(maps.MODE_STYLE[maps.mode_key(m)][2].lower() for m in modes))
    if maps.clean(r["places"]):
        meta.append("to " + maps.inert_html(r["places"]))
    if pd.notna(r["person"]):
        meta.append("named: <b>" + maps.inert_html(r["person"]) + "</b>")
    if pd.notna(r["origin_name"]):
        meta.append("from " + maps.inert_html(r["origin_name"]))
    if pd.notna(r["distance_km"]):
        meta.append(f"{r['distance_km']:,.0f} km (geodesic)")
    with st.container(border=True):
        st.markdown(
            '<div class="routes-evidence">'
            f'<div style="font-size:1.02rem;line-height:1.5">{maps.inert_html(r["evidence"])}</div>'
            f'<div style="color:#5B6270;font-size:0.85rem;margin-top:0.35rem">{" · ".join(meta)}</div>'
            f'<div style="color:#5B6270;font-size:0.85rem">{maps.inert_html(maps.clean(r["title"]) or "(untitled)")}</div>'
            "</div>",
            unsafe_allow_html=True,
        )
        st.page_link(
            "app_pages/sources.py", label="Read it in the article", icon=":material/article:",
            query_params={"article": str(r["article_id"]), "span": f"{int(r['start'])}-{int(r['end'])}"},
        )


st.title("Routes: where people went, and how")
st.caption(
    "Reported movements out of Russia in the news articles: who went where, over land or by air, "
    "through which border crossings. Every line links back to the sentence that reports it."
)

choices = data.choices()
codes = [c for c, _, _ in choices["countries"]]
names = data.country_names()
urlstate.notice(_validate(codes))

f = filters.current()
# Aggregates made in SQL, and route rows only for the evidence shown: a row per route of the view
# is ~600k rows at 100k articles (docs/PERFORMANCE.md).
sources = data.route_sources(f)
counts = data.route_destinations(f).set_index("code", drop=False)
dests = maps.destination_table(counts)

c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
with c1:
    dest = st.selectbox(
        "Destination (ISO code)", codes, index=None, key="dest", bind="query-params",
        placeholder="All destinations",
        help="Show the evidence for one destination. You can also select its circle on the map "
        "(click, or drag a box). " + ", ".join(f"{c} = {names.get(c, c)}" for c in codes),
    )
with c2:
    layers = st.segmented_control(
        "Map layers", list(maps.LAYERS), selection_mode="multi", default=list(maps.LAYERS),
        key="layer", bind="query-params",
        help="Flows: general reports of people leaving. Crossings: border checkpoints named in the "
        "articles. People: journeys of named individuals.",
    ) or []
if dest:
    st.caption(f"{dest} = **{maps.md_escape(names.get(dest, dest))}**")

if not sources["routes"]:
    st.info(
        "No routes match these filters. Try clearing the outlet or date filters in the sidebar "
        f"({maps.md_escape(filters.describe_filters(f))}).",
        icon="🧭",
    )
    st.stop()

st.subheader(maps.finding_title(dests), anchor=False)
if not layers:
    st.info("All map layers are hidden. Pick Flows, Crossings or People above to draw them.")
if f.country and not dest:
    st.caption(
        f"The shared destination filter keeps articles that report people going to "
        f"{maps.md_escape(names.get(f.country, f.country))}; other destinations those articles report "
        "are shown too (faded on the map). Pick a destination above to read one country's evidence."
    )


@st.cache_data(max_entries=16, show_spinner=False)
def _map_view(version: str, f: data.Filters, layers: tuple[str, ...], selected: str | None) -> dict:
    """The map (as a dict: charts.from_cache) and what its notes count, once per dataset version,
    view, layers and selection: building it from the cached tables was ~1/4 of every rerun at 100k
    articles (py-spy, AppTest)."""
    dests = maps.destination_table(data.route_destinations(f).set_index("code", drop=False))
    flows = maps.flows_from_counts(data.flow_counts(f) if "Flows" in layers else pd.DataFrame())
    people, n_people = data.person_routes(f) if "People" in layers else (pd.DataFrame(), 0)
    md = maps.MapData(dests, flows, maps.journeys(people), maps.crossing_table(data.crossing_counts(f)))
    return {"figure": maps.draw_map(md, layers=list(layers), selected=selected).to_dict(),
            "flows": len(flows), "n_people": n_people, "people": len(people)}


view = _map_view(data.version(), f, tuple(layers), dest or f.country)
cp = maps.crossing_table(data.crossing_counts(f))
st.plotly_chart(
    charts.from_cache(view["figure"]), key=MAP_KEY, on_select=functools.partial(_on_map_select, tuple(codes)),
    selection_mode=("points", "box", "lasso"), config=maps.PLOTLY_CONFIG,
    alt=f"Map of reported routes from Russia to {len(dests)} destination countries. "
    + maps.finding_title(dests) + ". The destinations table below lists the same data.",
)
st.caption(maps.md_escape(maps.source_line_from(sources)) + " " + maps.md_escape(filters.describe_filters(f)) + ".")
summarised = maps.summary_note(view["flows"], view["n_people"], view["people"])
if summarised:
    st.caption(summarised)
st.caption(
    "A route is one reported movement (people in general, or a named person, leaving for a "
    "destination) in one sentence: **not a count of people**. Line width = reports per origin and "
    "destination country; circle size = all reports naming that destination. Where an article states "
    "no origin, the line starts at Moscow, Russia's point on this map. Diamonds are border crossings "
    "named in the articles, with any figure reported in the same sentence. Select a destination's "
    "circle (click it, or drag a box around it) to read its evidence below."
)

# ---------------------------------------------------------------- evidence
st.divider()
if dest:
    ev = maps.evidence(data.evidence_routes(f, dest, MAX_CARDS))
    country = names.get(dest, dest)
    if ev.empty or dest not in counts.index:
        st.info(
            f"No reports of people going to {maps.md_escape(country)} match the current filters. "
            "Clear the outlet or date filters in the sidebar, or pick another destination.",
            icon="🧭",
        )
    else:
        here = counts.loc[dest]
        st.subheader(
            f"What the sources say about {maps.md_escape(country)}: "
            f"{maps.plural(int(here['routes']), 'report')} in "
            f"{maps.plural(int(here['sentences']), 'sentence')} from {maps.plural(int(here['articles']), 'article')}",
            anchor=False,
        )
        for _, r in ev.head(MAX_CARDS).iterrows():
            _evidence_card(r)
        if int(here["sentences"]) > MAX_CARDS:
            st.caption(f"Showing the first {MAX_CARDS} of {int(here['sentences']):,} sentences, oldest first.")
else:
    st.subheader("The evidence, by destination", anchor=False)
    st.caption("The sentences that report each destination, oldest first (a sentence naming a city and "
               "its country counts as two reports but is shown once). Pick a destination to see all.")
    shown = maps.evidence(data.evidence_routes(f, None, CARDS_PER_GROUP), by_country=True)
    for i, d in dests.iterrows():
        ev = shown[shown["destination_country"] == d["code"]]
        n_sentences = int(counts.loc[d["code"], "sentences"])
        label = (f"{maps.md_escape(d['country'])} ({d['code']}): {maps.plural(int(d['reports']), 'report')} "
                 f"in {maps.plural(int(d['articles']), 'article')}")
        with st.expander(label, expanded=i < 2):
            for _, r in ev.head(CARDS_PER_GROUP).iterrows():
                _evidence_card(r)
            if n_sentences > CARDS_PER_GROUP:
                more = (f"Show all {n_sentences:,} sentences" if n_sentences <= MAX_CARDS
                        else f"Show {MAX_CARDS} of {n_sentences:,} sentences")
                st.button(f"{more} for {d['country']}", key=f"all-{d['code']}",
                          on_click=_pick, args=(d["code"],))

# ---------------------------------------------------------------- tables
st.divider()
st.subheader("Destinations table", anchor=False)
st.caption("The map's data as a table: one row per destination country, most reported first.")
st.dataframe(
    dests[["country", "code", "reports", "articles", "people", "modes", "first", "last"]],
    hide_index=True,
    width="stretch",
    height=min(36 + 35 * len(dests), 560),  # every destination visible without an inner scroll
    column_config={
        "country": st.column_config.TextColumn("Destination"),
        "code": st.column_config.TextColumn("Code", help="ISO 3166-1 alpha-2", width="small"),
        "reports": st.column_config.ProgressColumn(
            "Reports", help="Routes reported in the articles (movements, not people)", format="localized",
            min_value=0, max_value=int(dests["reports"].max()) if len(dests) else 1, width="small"),
        "articles": st.column_config.NumberColumn("Articles", format="localized", width="small"),
        "people": st.column_config.NumberColumn("People", format="localized", width="small",
                                                help="Named people whose journeys are reported"),
        "modes": st.column_config.ListColumn("Modes reported", width="medium"),
        "first": st.column_config.DateColumn("First report", format="YYYY-MM-DD"),
        "last": st.column_config.DateColumn("Last report", format="YYYY-MM-DD"),
    },
)
st.caption(maps.md_escape(maps.source_line_from(sources)))

st.subheader("Border crossings named in the articles", anchor=False)
if cp.empty:
    st.caption("No border crossing is named in the articles of this view.")
else:
    st.dataframe(
        cp[["name", "country_code", "mentions", "articles", "figures"]],
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Crossing"),
            "country_code": st.column_config.TextColumn("Country", help="The non-Russian side"),
            "mentions": st.column_config.NumberColumn("Mentions", format="localized"),
            "articles": st.column_config.NumberColumn("Articles", format="localized"),
            "figures": st.column_config.TextColumn(
                "Figures in the same sentence", width="large",
                help="Queue lengths, counts or changes reported in the sentence naming the crossing"),
        },
    )
