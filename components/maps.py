"""The Routes map: plotly geo figure of reported flows, border crossings and named journeys.

Pure functions from the frames ``data.routes(f)`` and ``data.crossings(f)`` return (or from
the SQL aggregates the page uses at scale: ``data.route_destinations``, ``data.flow_counts``,
``data.crossing_counts``, ``data.route_sources``, ``data.person_routes``, which equal them)
to tables and a ``plotly.graph_objects.Figure``; no Streamlit here: the page does the
layout. Every piece of article text that reaches hover labels
goes through :func:`hover_text` (plotly renders a subset of HTML in hover text,
so ``<``, ``>`` and ``&`` are escaped first).

The map draws offline: country outlines come from ``static/world_110m.json``
(served by Streamlit at ``app/static/``), see :data:`PLOTLY_CONFIG`.
"""
from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from components.charts import figure_of
from components.safe_text import hover_text, inert_html, md_escape, plural  # noqa: F401 (re-exported for the pages)

LAYERS = ("Flows", "Crossings", "People")

# Plotly fetches country outlines from a CDN by default: point it at our static folder.
# The path is relative to the page URL (http://host/routes -> http://host/app/static/...).
PLOTLY_CONFIG = {
    "topojsonURL": "app/static/",
    "displaylogo": False,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["toImage"],
}

# Okabe-Ito (colour-blind safe). Modes differ by colour AND dash so they survive greyscale.
MODE_STYLE: dict[str, tuple[str, str, str]] = {
    "land": ("#0072B2", "solid", "Over land"),
    "air": ("#D55E00", "dash", "By air"),
    "unknown": ("#7A7A7A", "dot", "Mode not stated"),
}
PEOPLE_COLOUR = "#CC79A7"
CROSSING_COLOUR = "#E69F00"
DEST_COLOUR = "#009E73"
SELECTED_OUTLINE = "#000000"

# Where a route names no origin we draw it from Russia's point in the project gazetteer
# (exodus/gazetteer/countries.csv puts country points at the capital: Moscow). The
# legend and caption say so; it is a drawing convention, not a reported origin.
RUSSIA_POINT = (55.75204, 37.61781)
UNSTATED_ORIGIN = "Russia (origin not stated)"

MAX_SOURCES_IN_HOVER = 4
MAX_FLOWS = 120  # flow lines drawn (the most reported); each is two traces


# ---------------------------------------------------------------- text helpers

def clean(v: object) -> str | None:
    """A stripped string, or None for NULL/NaN/blank values."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    s = str(v).strip()
    return s or None


def mode_key(v: object) -> str:
    """land, air, or unknown (NULL or anything else)."""
    s = clean(v)
    return s if s in ("land", "air") else "unknown"


# ---------------------------------------------------------------- tables

def _with_points(routes: pd.DataFrame) -> pd.DataFrame:
    """Routes with resolved origin/destination points for drawing."""
    df = routes.copy()
    if df.empty:
        for c in ("o_key", "o_label", "o_lat", "o_lon", "o_stated", "d_lat", "d_lon", "mode_key"):
            df[c] = pd.Series(dtype=object)
        return df
    stated = df["origin_id"].notna() & df["origin_lat"].notna() & df["origin_lon"].notna()
    df["o_stated"] = stated
    df["o_key"] = df["origin_id"].where(stated, "__unstated__")
    df["o_label"] = df["origin_name"].where(stated, UNSTATED_ORIGIN)
    df["o_lat"] = df["origin_lat"].where(stated, RUSSIA_POINT[0]).astype(float)
    df["o_lon"] = df["origin_lon"].where(stated, RUSSIA_POINT[1]).astype(float)
    # Flows end at the destination country's point; fall back to the place itself.
    df["d_lat"] = df["country_lat"].fillna(df["dest_lat"]).astype(float)
    df["d_lon"] = df["country_lon"].fillna(df["dest_lon"]).astype(float)
    df["mode_key"] = df["mode"].map(mode_key)
    return df


def _top_sources(group: pd.DataFrame, limit: int = MAX_SOURCES_IN_HOVER) -> list[tuple]:
    """(outlet, published, title) of the group's distinct articles, newest first (undated last;
    ties in the group's order), at most ``limit``."""
    rows = group.drop_duplicates("article_id").sort_values("published", ascending=False, na_position="last",
                                                          kind="stable")
    return [(r["outlet"], r["published"], r["title"]) for _, r in rows.head(limit).iterrows()]


def _format_sources(sources: Sequence[tuple], n_articles: int, limit: int = MAX_SOURCES_IN_HOVER) -> str:
    """'Outlet, date: title' lines (escaped) for a hover label, then '… and N more'."""
    lines = []
    for outlet, published, title in list(sources)[:limit]:
        head = f"{clean(outlet) or 'Unknown outlet'}, {clean(published) or 'undated'}"
        lines.append("• " + hover_text(head, 60, 1) + ": " + hover_text(clean(title) or "(untitled)", 60, 1))
    if n_articles > limit:
        lines.append(f"… and {n_articles - limit} more")
    return "<br>".join(lines)


def _sources_lines(group: pd.DataFrame, limit: int = MAX_SOURCES_IN_HOVER) -> str:
    """'Outlet, date: title' lines (escaped) for a hover label, newest first."""
    return _format_sources(_top_sources(group, limit), group["article_id"].nunique(), limit)


FLOW_COUNT_COLS = ["o_key", "code", "mode_key", "o_label", "o_lat", "o_lon", "o_stated", "country", "d_lat",
                   "d_lon", "reports", "articles", "sources"]


def flow_counts(routes: pd.DataFrame) -> pd.DataFrame:
    """General flows (routes without a named person) per origin point, destination country and mode,
    in order of first appearance: the first route's points and labels, reports (sentences), articles,
    and ``sources`` (see :func:`_top_sources`). ``data.flow_counts`` computes the same in SQL."""
    df = _with_points(routes)
    df = df[df["person"].isna()] if not df.empty else df
    if df.empty:
        return pd.DataFrame(columns=FLOW_COUNT_COLS)
    out = []
    for (o_key, code, mode), g in df.groupby(["o_key", "destination_country", "mode_key"], sort=False, dropna=False):
        first = g.iloc[0]
        out.append({
            "o_key": o_key, "code": code, "mode_key": mode, "o_label": first["o_label"], "o_lat": first["o_lat"],
            "o_lon": first["o_lon"], "o_stated": bool(first["o_stated"]), "country": first["country_name"],
            "d_lat": first["d_lat"], "d_lon": first["d_lon"], "reports": g["report_key"].nunique(),
            "articles": g["article_id"].nunique(), "sources": _top_sources(g),
        })
    return pd.DataFrame(out, columns=FLOW_COUNT_COLS)


def flows_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """The flows table (see :func:`flows`) from :func:`flow_counts` or ``data.flow_counts``."""
    cols = ["o_key", "o_label", "o_lat", "o_lon", "o_stated", "code", "country", "d_lat", "d_lon",
            "mode_key", "reports", "articles", "hover"]
    if counts.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for _, c in counts.iterrows():
        stated = bool(c["o_stated"])
        label = c["o_label"] if stated else UNSTATED_ORIGIN
        reports, n_articles = int(c["reports"]), int(c["articles"])
        hover = (
            f"<b>{hover_text(label, 40, 1)} → {hover_text(c['country'], 40, 1)}</b>"
            f"<br>{plural(reports, 'report')} in {plural(n_articles, 'article')}, {MODE_STYLE[c['mode_key']][2].lower()}"
            + ("" if stated else "<br><i>No origin stated: drawn from Moscow</i>")
            + "<br>" + _format_sources(c["sources"], n_articles)
        )
        out.append({
            "o_key": c["o_key"], "o_label": label,
            "o_lat": float(c["o_lat"]) if stated else RUSSIA_POINT[0],
            "o_lon": float(c["o_lon"]) if stated else RUSSIA_POINT[1],
            "o_stated": stated, "code": c["code"], "country": c["country"],
            "d_lat": float(c["d_lat"]), "d_lon": float(c["d_lon"]), "mode_key": c["mode_key"],
            "reports": reports, "articles": n_articles, "hover": hover,
        })
    res = pd.DataFrame(out, columns=cols)
    return res.sort_values(["reports", "code"], ascending=[False, True], kind="stable").reset_index(drop=True)


def flows(routes: pd.DataFrame) -> pd.DataFrame:
    """General flows (routes without a named person) per origin point, destination country and
    mode: reports = routes rows, articles = distinct articles, hover = escaped label."""
    return flows_from_counts(flow_counts(routes))


def destinations(routes: pd.DataFrame) -> pd.DataFrame:
    """One row per destination country: reports (evidence sentences), articles, modes, people, dates."""
    cols = ["code", "country", "reports", "articles", "people", "modes", "first", "last", "lat", "lon"]
    if routes.empty:
        return pd.DataFrame(columns=cols)
    df = _with_points(routes)
    out = []
    for code, g in df.groupby("destination_country", sort=False):
        dates = g["published"].dropna()
        modes = [MODE_STYLE[m][2].lower() for m in ("land", "air", "unknown") if (g["mode_key"] == m).any()]
        out.append({
            "code": code,
            "country": g["country_name"].iloc[0],
            "reports": g["report_key"].nunique(),
            "articles": g["article_id"].nunique(),
            "people": g["person"].dropna().nunique(),
            "modes": modes,
            "first": pd.to_datetime(dates.min()) if len(dates) else pd.NaT,
            "last": pd.to_datetime(dates.max()) if len(dates) else pd.NaT,
            "lat": g["d_lat"].iloc[0],
            "lon": g["d_lon"].iloc[0],
        })
    res = pd.DataFrame(out, columns=cols)
    return res.sort_values(["reports", "articles", "country"], ascending=[False, False, True],
                           kind="stable").reset_index(drop=True)


def destination_table(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`destinations` from ``data.route_destinations`` (per-country counts made in SQL)."""
    cols = ["code", "country", "reports", "articles", "people", "modes", "first", "last", "lat", "lon"]
    if counts.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({
        "code": counts["code"], "country": counts["country"],
        "reports": counts["reports"].astype(int), "articles": counts["articles"].astype(int),
        "people": counts["people"].astype(int),
        "modes": [[MODE_STYLE[m][2].lower() for m in ("land", "air", "unknown") if r[m]]
                  for _, r in counts.iterrows()],
        "first": [pd.to_datetime(d) if isinstance(d, str) else pd.NaT for d in counts["first"]],
        "last": [pd.to_datetime(d) if isinstance(d, str) else pd.NaT for d in counts["last"]],
        "lat": counts["lat"].astype(float), "lon": counts["lon"].astype(float),
    }, columns=cols)
    return out.reset_index(drop=True)


CROSSING_COUNT_COLS = ["place_id", "name", "country_code", "lat", "lon", "mentions", "articles", "n_figures",
                       "figures", "sources"]


def crossing_counts(crossings: pd.DataFrame, max_figures: int | None = None) -> pd.DataFrame:
    """Per border crossing (sorted by place id): mentions, articles, n_figures (mentions with a figure
    in their sentence), ``figures`` ((figures, outlet, published) of those, oldest first, at most
    ``max_figures``) and ``sources`` (see :func:`_top_sources`). ``data.crossing_counts`` in SQL."""
    if crossings.empty:
        return pd.DataFrame(columns=CROSSING_COUNT_COLS)
    out = []
    for pid, g in crossings.groupby("place_id", sort=True):
        first = g.iloc[0]
        figs = [(clean(r.get("figures_here")), r["outlet"], r["published"])
                for _, r in g.sort_values("published", na_position="last", kind="stable").iterrows()
                if clean(r.get("figures_here"))]
        out.append({
            "place_id": pid, "name": first["name"], "country_code": first["country_code"],
            "lat": first["lat"], "lon": first["lon"], "mentions": len(g), "articles": g["article_id"].nunique(),
            "n_figures": len(figs), "figures": figs[:max_figures] if max_figures is not None else figs,
            "sources": _top_sources(g),
        })
    return pd.DataFrame(out, columns=CROSSING_COUNT_COLS)


def crossing_table(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per border crossing: mentions, articles, the figures reported beside it, hover
    (from :func:`crossing_counts` or ``data.crossing_counts``). When ``figures`` holds fewer than
    ``n_figures`` entries the figures column ends with '… and N more'."""
    cols = ["place_id", "name", "country_code", "lat", "lon", "mentions", "articles", "figures", "hover"]
    if counts.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for _, c in counts.iterrows():
        figs = [(f, clean(o) or "Unknown outlet", clean(p) or "undated") for f, o, p in c["figures"]]
        n_figs, mentions, n_articles = int(c["n_figures"]), int(c["mentions"]), int(c["articles"])
        lines = [f"<b>{hover_text(c['name'], 40, 1)}</b> border crossing",
                 f"Mentioned {plural(mentions, 'time')} in {plural(n_articles, 'article')}"]
        if n_figs:
            lines.append("Figures reported in the same sentence:")
            for f, outlet, date in figs[:MAX_SOURCES_IN_HOVER]:
                lines.append("• " + hover_text(f, 60, 2) + " — " + hover_text(f"{outlet}, {date}", 60, 1))
            if n_figs > MAX_SOURCES_IN_HOVER:
                lines.append(f"… and {n_figs - MAX_SOURCES_IN_HOVER} more")
        else:
            lines.append("No figure reported in the same sentence")
            lines.append(_format_sources(c["sources"], n_articles))
        listed = "; ".join(f for f, _, _ in figs)
        if n_figs > len(figs):
            listed += f"; … and {n_figs - len(figs)} more"
        out.append({
            "place_id": c["place_id"], "name": c["name"], "country_code": c["country_code"],
            "lat": float(c["lat"]), "lon": float(c["lon"]), "mentions": mentions, "articles": n_articles,
            "figures": listed, "hover": "<br>".join(lines),
        })
    return pd.DataFrame(out, columns=cols)


def crossing_points(crossings: pd.DataFrame) -> pd.DataFrame:
    """One row per border crossing: mentions, articles, the figures reported beside it, hover."""
    return crossing_table(crossing_counts(crossings))


def journeys(routes: pd.DataFrame) -> pd.DataFrame:
    """Named people's journeys (routes with a person), one row per route, with hover."""
    cols = ["person", "o_label", "o_lat", "o_lon", "o_stated", "dest_name", "lat", "lon", "code", "hover"]
    df = _with_points(routes)
    df = df[df["person"].notna()] if not df.empty else df
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for _, r in df.iterrows():
        lat = r["dest_lat"] if pd.notna(r["dest_lat"]) else r["d_lat"]
        lon = r["dest_lon"] if pd.notna(r["dest_lon"]) else r["d_lon"]
        dist = f", {r['distance_km']:,.0f} km" if pd.notna(r.get("distance_km")) else ""
        hover = (
            f"<b>{hover_text(r['person'], 40, 1)}</b>: {hover_text(r['o_label'], 40, 1)} → "
            f"{hover_text(r['dest_name'], 40, 1)}{dist}"
            + ("" if r["o_stated"] else "<br><i>No origin stated: drawn from Moscow</i>")
            + f"<br>{hover_text(clean(r['outlet']) or 'Unknown outlet', 60, 1)}, {clean(r['published']) or 'undated'}"
            + f"<br><i>{hover_text(r['evidence'], 64, 3)}</i>"
            + (f"<br>Reported in {plural(int(r['reports']), 'sentence')} (the first is shown)"
               if pd.notna(r.get("reports")) and int(r["reports"]) > 1 else "")
        )
        out.append({
            "person": r["person"], "o_label": r["o_label"], "o_lat": r["o_lat"], "o_lon": r["o_lon"],
            "o_stated": bool(r["o_stated"]), "dest_name": r["dest_name"], "lat": float(lat),
            "lon": float(lon), "code": r["destination_country"], "hover": hover,
        })
    return pd.DataFrame(out, columns=cols)


def evidence(routes: pd.DataFrame, by_country: bool = False) -> pd.DataFrame:
    """One row per evidence sentence (article, start, end), in the routes' order. A sentence that
    yields several routes (e.g. to a city and to its country) is shown once, with the places
    (``places``), people and modes joined and ``n_routes`` counting them. ``by_country``: one row
    per sentence and destination country, as if called on each country's routes (in one pass)."""
    if routes.empty:
        return routes.assign(places=pd.Series(dtype=object), n_routes=pd.Series(dtype=int))
    keys = (["destination_country"] if by_country else []) + ["article_id", "start", "end"]

    def _join(values: pd.Series) -> str | None:
        seen = list(dict.fromkeys(v for v in values if clean(v)))
        return ", ".join(seen) if seen else None

    agg = routes.groupby(keys, sort=False).agg(
        places=("dest_name", _join), people=("person", _join), modes=("mode", _join),
        origins=("origin_name", _join), n_routes=("route_id", "size"),
        distance_km=("distance_km", "max"),
    ).reset_index()
    first = routes.drop_duplicates(keys).drop(columns=["distance_km"])
    out = first.merge(agg, on=keys, how="left")
    out["person"], out["mode"], out["origin_name"] = out["people"], out["modes"], out["origins"]
    return out.drop(columns=["people", "modes", "origins"])


# ---------------------------------------------------------------- findings and text

def finding_title(dests: pd.DataFrame) -> str:
    """A chart title that states the finding, e.g. 'Georgia and Kazakhstan are the most reported
    destinations'. Plain text (country names come from the gazetteer): escape before markdown."""
    if dests.empty:
        return "No reported destinations in this view"
    total = int(dests["reports"].sum())
    top = dests.iloc[0]
    tied = dests[dests["reports"] == top["reports"]]
    if len(dests) == 1:
        return f"{top['country']} is the only reported destination in this view ({plural(total, 'report')})"
    if len(tied) == 2:
        return (f"{tied.iloc[0]['country']} and {tied.iloc[1]['country']} are the most reported destinations "
                f"({int(top['reports']):,} reports each, of {total:,})")
    if len(tied) > 2:
        return f"{len(tied)} destinations are reported equally often ({plural(int(top['reports']), 'report')} each)"
    second = dests.iloc[1]
    return (f"{top['country']} is the most reported destination: {int(top['reports']):,} of {total:,} reports, "
            f"ahead of {second['country']} ({int(second['reports']):,})")


def source_summary(routes: pd.DataFrame) -> dict:
    """What :func:`source_line` says about route rows: articles, routes, outlets (most articles first,
    ties by first appearance) and first / last publication date. ``data.route_sources`` in SQL."""
    arts = routes.drop_duplicates("article_id")
    dates = arts["published"].dropna()
    return {
        "articles": len(arts), "routes": len(routes),
        "outlets": arts["outlet"].dropna().value_counts(sort=False).sort_values(ascending=False, kind="stable")
        .index.tolist(),
        "first": dates.min() if len(dates) else None, "last": dates.max() if len(dates) else None,
    }


def source_line_from(summary: dict, max_outlets: int = 4) -> str:
    """'Source: N articles from A, B and 2 more outlets; ...' (plain text, untrusted outlets inside)."""
    if not summary["routes"]:
        return "Source: no articles in this view."
    outlets = summary["outlets"]
    named = ", ".join(outlets[:max_outlets])
    more = len(outlets) - max_outlets
    outlet_txt = named + (f" and {more} more outlets" if more > 0 else "") if outlets else "unknown outlets"
    first, last = summary["first"], summary["last"]
    if first is None:
        span = ""
    elif first == last:
        span = f", published {first}"
    else:
        span = f", published {first} to {last}"
    return (f"Source: {plural(summary['articles'], 'article')} from {outlet_txt}{span}; "
            f"{plural(summary['routes'], 'route')} extracted from their sentences.")


def source_line(routes: pd.DataFrame, max_outlets: int = 4) -> str:
    """'Source: N articles from A, B and 2 more outlets; ...' (plain text, untrusted outlets inside)."""
    if routes.empty:
        return "Source: no articles in this view."
    return source_line_from(source_summary(routes), max_outlets)


def summary_note(n_flows: int, n_journeys: int, n_drawn_journeys: int, max_flows: int = MAX_FLOWS) -> str:
    """A caption saying what a large view's map leaves out ('' when it draws everything)."""
    parts = []
    if n_flows > max_flows:
        parts.append(f"the {max_flows} most reported of {n_flows:,} flows")
    if n_journeys > n_drawn_journeys:
        parts.append(f"the {n_drawn_journeys} most reported paths (person, origin and destination) of "
                     f"{n_journeys:,} named people's journeys")
    if not parts:
        return ""
    return ("This view is large, so the map draws " + " and ".join(parts)
            + ". The counts, the tables and the evidence below cover every report.")


# ---------------------------------------------------------------- figure

def _geodesic_mid(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """Midpoint on the great circle (plotly draws geo lines as great circles)."""
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    bx = math.cos(p2) * math.cos(l2 - l1)
    by = math.cos(p2) * math.sin(l2 - l1)
    lat = math.atan2(math.sin(p1) + math.sin(p2), math.sqrt((math.cos(p1) + bx) ** 2 + by ** 2))
    lon = l1 + math.atan2(by, math.cos(p1) + bx)
    return math.degrees(lat), (math.degrees(lon) + 540) % 360 - 180


def line_width(reports: int, max_reports: int) -> float:
    """Line width in px: 1.5 to 9, by the square root so one big flow does not drown the rest."""
    if max_reports <= 0:
        return 1.5
    return round(1.5 + 7.5 * math.sqrt(reports / max_reports), 2)


def marker_size(reports: int, max_reports: int) -> float:
    if max_reports <= 0:
        return 10.0
    return round(10 + 26 * math.sqrt(reports / max_reports), 2)


def great_circle(lat1: float, lon1: float, lat2: float, lon2: float, n: int = 24) -> tuple[list[float], list[float]]:
    """Points along the great circle (what plotly draws between two geo points), so the map
    bounds include the bulge of long lines."""
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = (math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(l2 - l1))
    d = math.acos(max(-1.0, min(1.0, a)))
    if d < 1e-9:
        return [lat1, lat2], [lon1, lon2]
    lats, lons = [], []
    for i in range(n + 1):
        f = i / n
        A, B = math.sin((1 - f) * d) / math.sin(d), math.sin(f * d) / math.sin(d)
        x = A * math.cos(p1) * math.cos(l1) + B * math.cos(p2) * math.cos(l2)
        y = A * math.cos(p1) * math.sin(l1) + B * math.cos(p2) * math.sin(l2)
        z = A * math.sin(p1) + B * math.sin(p2)
        lats.append(math.degrees(math.atan2(z, math.hypot(x, y))))
        lons.append(math.degrees(math.atan2(y, x)))
    return lats, lons


def _bounds(lats: Iterable[float], lons: Iterable[float], aspect: float = 1.7) -> tuple[list[float], list[float]]:
    """Lat/lon ranges around the points, padded, widened to the plot's aspect ratio (plotly
    keeps the projection's aspect, so a range of the wrong shape leaves blank bands)."""
    lats, lons = [x for x in lats if pd.notna(x)], [x for x in lons if pd.notna(x)]
    if not lats:
        return [30.0, 70.0], [10.0, 90.0]
    la0, la1, lo0, lo1 = min(lats), max(lats), min(lons), max(lons)
    pad_la, pad_lo = max(3.0, (la1 - la0) * 0.12), max(5.0, (lo1 - lo0) * 0.08)
    la0, la1, lo0, lo1 = la0 - pad_la, la1 + pad_la, lo0 - pad_lo, lo1 + pad_lo
    # Natural Earth near 45-60N: a degree of longitude is drawn ~0.75 as wide as one of latitude.
    x_per_lon = 0.75
    width, height = (lo1 - lo0) * x_per_lon, la1 - la0
    if width / height < aspect:
        extra = (aspect * height / x_per_lon - (lo1 - lo0)) / 2
        lo0, lo1 = lo0 - extra, lo1 + extra
    else:
        extra = ((lo1 - lo0) * x_per_lon / aspect - height) / 2
        la0, la1 = la0 - extra, la1 + extra
    return [max(-85.0, la0), min(85.0, la1)], [max(-180.0, lo0), min(180.0, lo1)]


def label_positions(lats: Sequence[float], lons: Sequence[float]) -> list[str]:
    """Text positions that keep close destinations' labels apart (e.g. Georgia and Armenia):
    beside the circle when a neighbour sits just west at the same latitude, above it when a
    neighbour is to the south, below it otherwise."""
    out = []
    for i, (la, lo) in enumerate(zip(lats, lons)):
        near = [(lats[j], lons[j]) for j in range(len(lats))
                if j != i and abs(lats[j] - la) < 3.5 and abs(lons[j] - lo) < 6]
        if any(b < lo - 2 and abs(a - la) < 2 for a, b in near):
            out.append("middle right")
        elif any(a < la for a, _ in near):
            out.append("top center")
        else:
            out.append("bottom center")
    return out


@dataclass(frozen=True)
class MapData:
    """What the Routes map draws, already aggregated: :func:`destinations`, :func:`flows`,
    :func:`journeys` and :func:`crossing_points` tables (from route rows, or from the SQL
    aggregates in components/data.py at scale)."""

    dests: pd.DataFrame
    flows: pd.DataFrame
    journeys: pd.DataFrame
    crossings: pd.DataFrame


def map_data(routes: pd.DataFrame, crossings: pd.DataFrame) -> MapData:
    """The map's tables from route and crossing rows (``data.routes`` / ``data.crossings``)."""
    return MapData(destinations(routes), flows(routes), journeys(routes), crossing_points(crossings))


def route_map(
    routes: pd.DataFrame,
    crossings: pd.DataFrame,
    layers: Sequence[str] = LAYERS,
    selected: str | None = None,
    height: int = 560,
) -> go.Figure:
    """The Routes map from route and crossing rows: :func:`draw_map` of :func:`map_data`."""
    return draw_map(map_data(routes, crossings), layers, selected, height)


def draw_map(
    md: MapData,
    layers: Sequence[str] = LAYERS,
    selected: str | None = None,
    height: int = 560,
    max_flows: int = MAX_FLOWS,
) -> go.Figure:
    """The Routes map. Traces, in drawing order:

    - ``Russia`` (shaded origin country, no hover),
    - one line trace per general flow (legend group by mode), then per mode one trace of invisible
      midpoint markers carrying the flows' hovers (``meta["codes"]``), then the origin points,
    - named people's journeys (a trace each: line + endpoint markers), then one trace of invisible
      midpoint markers carrying their hovers (``meta["people"]``, ``meta["codes"]``),
    - border crossings (diamonds),
    - destinations (circles sized by reports; ``customdata`` = ["dest", ISO code], for selection).

    Each trace's ``meta["layer"]`` says what it is (flows, flow-hover, legend, origins, people,
    people-hover, crossings, destinations, base); flows also carry origin, code, mode and reports.

    ``selected`` (an ISO code) outlines that destination and fades flows elsewhere. Only the
    ``max_flows`` most reported flows are drawn (the page says so when that drops some).
    """
    layers = set(layers)
    traces: list[dict] = []  # plain dicts: see charts.figure_of
    lats: list[float] = []
    lons: list[float] = []
    dests = md.dests

    traces.append(dict(type="choropleth",
        locations=["RUS"], z=[1], locationmode="ISO-3", colorscale=[[0, "#E4E7EC"], [1, "#E4E7EC"]],
        showscale=False, marker_line_color="#B8BEC8", marker_line_width=0.6, hoverinfo="skip",
        name="Russia", showlegend=False, meta={"layer": "base"},
    ))

    if "Flows" in layers:
        fl = md.flows.sort_values("reports", ascending=False, kind="stable").head(max_flows)
        max_r = int(fl["reports"].max()) if len(fl) else 0
        shown_modes: set[str] = set()
        # Per mode, one trace of invisible midpoint markers carrying the flows' hovers: a trace per
        # flow doubled the traces the browser lays out on every rerun.
        hovers: dict[str, dict] = {}
        # Draw thin lines last so big flows do not hide them.
        for _, r in fl.sort_values("reports", ascending=False, kind="stable").iterrows():
            colour, dash, label = MODE_STYLE[r["mode_key"]]
            faded = selected is not None and r["code"] != selected
            meta = {"layer": "flows", "origin": str(r["o_key"]), "code": r["code"], "mode": r["mode_key"],
                    "reports": int(r["reports"])}
            glat, glon = great_circle(r["o_lat"], r["o_lon"], r["d_lat"], r["d_lon"])
            traces.append(dict(type="scattergeo",
                lat=glat, lon=glon, mode="lines",
                line=dict(width=line_width(int(r["reports"]), max_r), color=colour, dash=dash),
                opacity=0.25 if faded else 0.85, hoverinfo="skip", name=f"Flow, {label.lower()}",
                legendgroup=f"mode:{r['mode_key']}", showlegend=False, meta=meta,
            ))
            shown_modes.add(r["mode_key"])
            mlat, mlon = _geodesic_mid(r["o_lat"], r["o_lon"], r["d_lat"], r["d_lon"])
            h = hovers.setdefault(r["mode_key"], dict(
                type="scattergeo", lat=[], lon=[], mode="markers", marker=dict(size=[], color=colour, opacity=0.01),
                hovertext=[], hoverinfo="text", name=f"Flow, {label.lower()}", showlegend=False,
                legendgroup=f"mode:{r['mode_key']}", customdata=[],
                meta={"layer": "flow-hover", "mode": r["mode_key"], "codes": []}))
            h["lat"].append(mlat)
            h["lon"].append(mlon)
            h["marker"]["size"].append(max(10.0, line_width(int(r["reports"]), max_r) * 2))
            h["hovertext"].append(r["hover"])
            h["customdata"].append(["flow", r["code"]])
            h["meta"]["codes"].append(r["code"])
            lats += glat
            lons += glon
        traces += hovers.values()
        # Legend entries drawn at full strength even when the flows are faded by a selection.
        for mode in [m for m in MODE_STYLE if m in shown_modes]:
            colour, dash, label = MODE_STYLE[mode]
            traces.append(dict(type="scattergeo",
                lat=[None], lon=[None], mode="lines", line=dict(width=4, color=colour, dash=dash),
                name=f"Flow, {label.lower()}", legendgroup=f"mode:{mode}", showlegend=True,
                legendrank=10 + list(MODE_STYLE).index(mode), hoverinfo="skip",
                meta={"layer": "legend", "mode": mode},
            ))
        # Origin points (Moscow etc.), one small dark marker each.
        if len(fl):
            origins = fl.drop_duplicates("o_key")
            traces.append(dict(type="scattergeo",
                lat=origins["o_lat"].tolist(), lon=origins["o_lon"].tolist(), mode="markers",
                marker=dict(size=7, color="#1F2430", symbol="circle"),
                hovertext=[
                    f"<b>{hover_text(o['o_label'], 40, 1)}</b><br>"
                    + ("Origin stated in the articles" if o["o_stated"]
                       else "Routes with no stated origin are drawn from here (Moscow)")
                    for _, o in origins.iterrows()
                ],
                hoverinfo="text", name="Origin", showlegend=False, meta={"layer": "origins"}, customdata=[["origin", ""]] * len(origins),
            ))

    if "People" in layers:
        jn = md.journeys
        hover = dict(type="scattergeo", lat=[], lon=[], mode="markers",
                     marker=dict(size=12, color=PEOPLE_COLOUR, opacity=0.01), hovertext=[], hoverinfo="text",
                     name="Named person's journey", showlegend=False, legendgroup="people", customdata=[],
                     meta={"layer": "people-hover", "people": [], "codes": []})
        for i, (person, g) in enumerate(jn.groupby("person", sort=True)):
            faded = selected is not None and not (g["code"] == selected).any()
            for j, (_, r) in enumerate(g.iterrows()):
                traces.append(dict(type="scattergeo",
                    lat=[r["o_lat"], r["lat"]], lon=[r["o_lon"], r["lon"]], mode="lines+markers",
                    line=dict(width=2.5, color=PEOPLE_COLOUR, dash="solid"),
                    marker=dict(size=[5, 11], color=PEOPLE_COLOUR, symbol=["circle", "star"],
                                line=dict(width=0.5, color="#FFFFFF")),
                    opacity=0.3 if faded else 0.95, hoverinfo="skip",
                    name="Named person's journey", meta={"layer": "people", "person": person, "code": r["code"]},
                    legendgroup="people", showlegend=False,
                    customdata=[["person", r["code"]], ["person", r["code"]]],
                ))
                # Hover lives on the line's midpoint: the ends sit under origin/destination markers.
                mlat, mlon = _geodesic_mid(r["o_lat"], r["o_lon"], r["lat"], r["lon"])
                hover["lat"].append(mlat)
                hover["lon"].append(mlon)
                hover["hovertext"].append(r["hover"])
                hover["customdata"].append(["person", r["code"]])
                hover["meta"]["people"].append(person)
                hover["meta"]["codes"].append(r["code"])
                glat, glon = great_circle(r["o_lat"], r["o_lon"], r["lat"], r["lon"])
                lats += glat
                lons += glon

        if len(jn):
            traces.append(hover)
            traces.append(dict(type="scattergeo",
                lat=[None], lon=[None], mode="lines+markers", line=dict(width=2.5, color=PEOPLE_COLOUR),
                marker=dict(size=9, color=PEOPLE_COLOUR, symbol="star"), name="Named person's journey",
                legendgroup="people", showlegend=True, legendrank=20, hoverinfo="skip",
                meta={"layer": "legend", "mode": "people"},
            ))

    if "Crossings" in layers:
        cp = md.crossings
        if len(cp):
            max_m = int(cp["mentions"].max())
            traces.append(dict(type="scattergeo",
                lat=cp["lat"].tolist(), lon=cp["lon"].tolist(), mode="markers",
                marker=dict(size=[max(9.0, marker_size(int(m), max_m) * 0.7) for m in cp["mentions"]],
                            color=CROSSING_COLOUR, symbol="diamond", line=dict(width=1, color="#1F2430")),
                hovertext=cp["hover"].tolist(), hoverinfo="text", name="Border crossing", meta={"layer": "crossings"},
                legendrank=30, customdata=[["crossing", pid] for pid in cp["place_id"]],
            ))
            lats += cp["lat"].tolist()
            lons += cp["lon"].tolist()

    if len(dests):
        max_r = int(dests["reports"].max())
        hover = [
            f"<b>{hover_text(d['country'], 40, 1)}</b> ({html.escape(str(d['code']))})"
            f"<br>{plural(int(d['reports']), 'report')} in {plural(int(d['articles']), 'article')}"
            + (f", {plural(int(d['people']), 'named person', 'named people')}" if d["people"] else "")
            + (f"<br>{', '.join(d['modes'])}" if d["modes"] else "")
            + "<br><i>Select to read the evidence</i>"
            for _, d in dests.iterrows()
        ]
        is_sel = [selected == c for c in dests["code"]]
        positions = label_positions(dests["lat"].tolist(), dests["lon"].tolist())
        traces.append(dict(type="scattergeo",
            lat=dests["lat"].tolist(), lon=dests["lon"].tolist(), mode="markers+text",
            text=[html.escape(str(c)) for c in dests["country"]], textposition=positions,
            textfont=dict(size=12, color="#1F2430"),
            marker=dict(
                size=[marker_size(int(r), max_r) for r in dests["reports"]], color=DEST_COLOUR,
                opacity=[1.0 if (s or selected is None) else 0.55 for s in is_sel],
                line=dict(width=[3.5 if s else 1.0 for s in is_sel],
                          color=[SELECTED_OUTLINE if s else "#FFFFFF" for s in is_sel]),
            ),
            hovertext=hover, hoverinfo="text", name="Destination (size = reports)", legendrank=5,
            meta={"layer": "destinations"},
            customdata=[["dest", c] for c in dests["code"]],
        ))
        lats += dests["lat"].tolist()
        lons += dests["lon"].tolist()

    lat_range, lon_range = _bounds(lats, lons)
    fig = figure_of(traces)
    fig.update_geos(
        projection_type="natural earth", resolution=110, scope="world",
        lataxis_range=lat_range, lonaxis_range=lon_range,
        showland=True, landcolor="#F7F8FA", showocean=True, oceancolor="#EAF2F8",
        showcountries=True, countrycolor="#9AA3AF", countrywidth=0.6,
        showcoastlines=True, coastlinecolor="#9AA3AF", coastlinewidth=0.6,
        showlakes=False, showframe=False, bgcolor="rgba(0,0,0,0)",
    )
    fig.update_layout(
        height=height, margin=dict(l=0, r=0, t=8, b=0),
        legend=dict(orientation="h", yanchor="top", y=-0.01, xanchor="left", x=0,
                    bgcolor="rgba(255,255,255,0.85)", font=dict(size=12), itemclick="toggle"),
        hoverlabel=dict(bgcolor="#FFFFFF", font=dict(size=12, color="#1F2430"), align="left"),
        dragmode="pan", clickmode="event+select",
        uirevision="routes-map",
    )
    return fig


def destination_from_selection(points: Iterable[dict], known: Iterable[str]) -> str | None:
    """The destination code a chart selection points at: a destination marker wins, then the
    most common destination among selected flows/journeys. Unknown codes are ignored."""
    known = set(known)
    dest_hits: list[str] = []
    other_hits: list[str] = []
    for p in points or []:
        cd = p.get("customdata") if isinstance(p, dict) else None
        if not isinstance(cd, (list, tuple)) or len(cd) < 2:
            continue
        kind, code = cd[0], cd[1]
        if code not in known:
            continue
        (dest_hits if kind == "dest" else other_hits).append(code)
    hits = dest_hits or other_hits
    if not hits:
        return None
    return max(sorted(set(hits)), key=hits.count)
