"""Charts and tables of reported figures (the Numbers page's logic).

Everything here works on the frame returned by :func:`components.data.figures`
and is free of Streamlit calls, so it can be unit-tested from a hand-made frame.

Safety: article text (outlets, raw strings, sentences, titles) is untrusted.
Plotly renders a subset of HTML in hover text, legends, tick labels and titles,
so every article-derived string goes through :func:`html_text` (``html.escape``)
before it reaches a figure; strings bound for Streamlit markdown go through
:func:`md_text`.
"""
from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from exodus.metrics import CATALOGUE, metric_labels
from exodus.units import unit_label as _unit_label
from components.safe_text import md_escape

# Okabe & Ito (2008), colour-blind safe. Black last: it reads as "axis" otherwise.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# After eight outlets colours repeat, so the symbol changes too.
SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "star")


OTHER_LABEL = "Other reported figures"
FLAG = "reports differ"
HOVER_WIDTH = 60


# ---------------------------------------------------------------- safe text

def html_text(value) -> str:
    """Untrusted text made inert for plotly's pseudo-HTML (hover, legend, ticks, titles)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=False)


def wrap_html(value, width: int = HOVER_WIDTH) -> str:
    """Escape, then wrap to about ``width`` characters joined with <br> (our only tag)."""
    text = " ".join(str(value or "").split())
    if not text:
        return ""
    lines = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False)
    return "<br>".join(html_text(line) for line in lines)


md_text = md_escape  # the name the Numbers page uses


# ---------------------------------------------------------------- labels and numbers

def unit_label(unit: str | None) -> str:
    return _unit_label(unit)


def metric_ids(present: Iterable[str] = ()) -> list[str]:
    """Catalogue metric ids in catalogue order, then any ids found in the data but not in
    the catalogue (a dataset built with an older or newer catalogue)."""
    ids = [m.metric_id for m in CATALOGUE]
    extra = sorted({p for p in present if isinstance(p, str) and p and p not in ids})
    return ids + extra


def labels() -> dict[str, str]:
    return metric_labels()


def label_for(metric_id: str | None) -> str:
    if not metric_id or (isinstance(metric_id, float) and math.isnan(metric_id)):
        return OTHER_LABEL
    return metric_labels().get(metric_id, metric_id.replace("_", " ").capitalize())


def _num(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str | None, value_high: float | None = None,
                 approximate: bool = False) -> str:
    """A reported value for people: '12 km', '80%', '2,000 people', '2-fold', '10–12 km'."""
    number = _num(value)
    if value_high is not None and not (isinstance(value_high, float) and math.isnan(value_high)) \
            and value_high != value:
        number = f"{number}–{_num(value_high)}"
    prefix = "≈" if approximate else ""
    if unit == "percent":
        return f"{prefix}{number}%"
    if unit == "fold":
        return f"{prefix}{number}-fold"
    if unit == "usd":
        return f"{prefix}US${number}"
    return f"{prefix}{number} {unit_label(unit)}".strip()


def _is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v == ""


# ---------------------------------------------------------------- frames

def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """The figures frame with the columns the page needs added: metric label, date,
    month, a deep link to the sentence in Sources, and the (escaped) hover text."""
    out = df.copy()
    if out.empty:
        for col in ("metric_label", "date", "period", "link", "hover", "value_label", "span"):
            out[col] = pd.Series(dtype="object")
        return out
    out["metric"] = out["metric"].where(out["metric"].notna(), None)
    out["metric_label"] = [label_for(m) for m in out["metric"]]
    out["date"] = pd.to_datetime(out["published"], errors="coerce", format="%Y-%m-%d")
    out["period"] = [d.strftime("%Y-%m") if not pd.isna(d) else None for d in out["date"]]
    out["span"] = [f"{int(s)}-{int(e)}" for s, e in zip(out["start"], out["end"])]
    out["link"] = [sources_link(a, s, e) for a, s, e in zip(out["article_id"], out["start"], out["end"])]
    approx = out["approximate"] if "approximate" in out else pd.Series(0, index=out.index)
    high = out["value_high"] if "value_high" in out else pd.Series(None, index=out.index, dtype="float")
    out["value_label"] = [
        format_value(v, u, None if pd.isna(h) else h, bool(a) and not pd.isna(a))
        for v, u, h, a in zip(out["value"], out["unit"], high, approx)
    ]
    return out


def sources_link(article_id: str, start: int, end: int) -> str:
    """Relative link to the Sources reader with the sentence's span highlighted. Relative
    (no leading slash) so it also works under a base path (Community Cloud, proxies)."""
    from urllib.parse import urlencode

    return "sources?" + urlencode({"article": article_id, "span": f"{int(start)}-{int(end)}"})


def hover_text(row: pd.Series, differs: bool = False) -> str:
    """Hover for one figure: raw string, value, outlet and date, the sentence (all escaped)."""
    date = row.get("published")
    date = date if not _is_missing(date) else "no publication date"
    parts = [
        f"<b>{html_text(row.get('raw'))}</b>  ({html_text(row.get('value_label'))})",
        f"{html_text(row.get('outlet') or 'Unknown outlet')} · {html_text(date)}",
    ]
    counts = row.get("counts")
    if not _is_missing(counts):
        parts.append("Counts: " + wrap_html(counts))
    sentence = row.get("sentence")
    if not _is_missing(sentence):
        parts.append("“" + wrap_html(sentence) + "”")
    if differs:
        parts.append("<i>Reports differ: see the table below</i>")
    return "<br>".join(parts)


def outlet_colours(outlets: Iterable) -> dict[str, tuple[str, str]]:
    """A stable (colour, symbol) per outlet, in the order given (pass every outlet of the
    dataset, so an outlet keeps its colour whatever the filters)."""
    result: dict[str, tuple[str, str]] = {}
    for i, outlet in enumerate(dict.fromkeys(o if not _is_missing(o) else "Unknown outlet" for o in outlets)):
        result[outlet] = (OKABE_ITO[i % len(OKABE_ITO)], SYMBOLS[(i // len(OKABE_ITO)) % len(SYMBOLS)])
    return result


def _outlet(o) -> str:
    return "Unknown outlet" if _is_missing(o) else str(o)


# ---------------------------------------------------------------- conflicts

_BASIS = {"story": "same story (rewrites of one report)", "period": "published the same month"}


def group_label(kind: str, metric: str, unit: str, key: str) -> str:
    """A conflict group's stable key: 'metric · unit · story <id>' or '... · published the same month <YYYY-MM>'."""
    if kind == "story":
        return f"{metric} · {unit} · story {key}"
    return f"{metric} · {unit} · {_BASIS['period']} {key}"


def group_basis(kind: str, key: str) -> str:
    """Why a group's figures were compared (shown to readers)."""
    return _BASIS["story"] if kind == "story" else f"{_BASIS['period']} ({key})"


def conflict_members(df: pd.DataFrame, groups: pd.DataFrame) -> set[str]:
    """Figure ids of ``df`` (a prepared figures frame) in one of ``groups`` (``data.figure_conflicts``):
    the figures :func:`conflicts` would list, without reading the rest of the view."""
    if df.empty or groups.empty:
        return set()
    keys = {(k, m, u, key) for k, m, u, key in groups[["kind", "metric", "unit", "key"]].itertuples(index=False)}
    period = df["period"] if "period" in df else pd.Series(None, index=df.index, dtype=object)
    return {fid for fid, m, u, s, p in zip(df["figure_id"], df["metric"], df["unit"], df["story_id"], period)
            if ("story", m, u, s) in keys or ("period", m, u, p) in keys}


def conflict_frame(rows: pd.DataFrame, groups: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """:func:`conflicts`' frame from ``data.conflict_figures`` rows (prepared; ``gi`` = index into
    ``groups``, a list of (kind, metric, unit, key)): each row labelled with its group and basis."""
    if rows.empty:
        return rows.assign(group=pd.Series(dtype=object), basis=pd.Series(dtype=object)).drop(columns="gi")
    out = rows.copy()
    out["group"] = [group_label(*groups[int(i)]) for i in out["gi"]]
    out["basis"] = [group_basis(groups[int(i)][0], groups[int(i)][3]) for i in out["gi"]]
    return out.drop(columns="gi").reset_index(drop=True)


def conflicts(df: pd.DataFrame) -> pd.DataFrame:
    """Figures that report the same quantity differently, one row per figure and group.

    Two figures report "the same quantity" when they share metric and unit and
    either come from articles of the same story (``story_id``: rewrites of one
    report) or were published in the same month. A group is flagged when it holds
    figures from at least two articles and at least two different values. Nothing is
    merged: every figure keeps its own row, outlet, date and sentence.
    Columns: the figure's own plus ``group`` (a stable key), ``basis`` (why they were
    compared) and ``period``.
    """
    cols = ["group", "basis"]
    if df.empty or "metric" not in df:
        return pd.DataFrame(columns=[*df.columns, *cols])
    d = df[df["metric"].notna()].copy()
    if "period" not in d:
        d["period"] = [
            p[:7] if isinstance(p, str) and len(p) >= 7 else None for p in d.get("published", [None] * len(d))
        ]
    if "value_high" not in d:
        d["value_high"] = None
    d["_v"] = [(float(v), None if pd.isna(h) else float(h)) for v, h in zip(d["value"], d["value_high"])]
    groups: list[tuple[str, str, pd.DataFrame]] = []
    seen: set[frozenset] = set()
    for key_col in ("story_id", "period"):
        if key_col not in d:
            continue
        sub = d[d[key_col].notna()]
        for (metric, unit, key), g in sub.groupby(["metric", "unit", key_col], sort=True):
            if g["article_id"].nunique() < 2 or len(set(g["_v"])) < 2:
                continue
            ids = frozenset(g["figure_id"])
            if ids in seen:
                continue
            seen.add(ids)
            kind = "story" if key_col == "story_id" else "period"
            groups.append((group_label(kind, metric, unit, key), group_basis(kind, key), g))
    if not groups:
        return pd.DataFrame(columns=[*df.columns, *cols])
    frames = []
    for label, basis, g in groups:
        g = g.drop(columns=["_v"]).copy()
        g["group"] = label
        g["basis"] = basis
        frames.append(g.sort_values(["value", "published", "outlet"], na_position="last"))
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- charts

def stats(df: pd.DataFrame) -> dict:
    """What a chart's title and source line say about figure rows: reports, articles, outlets (sorted
    names, 'Unknown outlet' for none), lo / hi (lowest value, highest value or upper bound), first /
    last publication date, undated (articles). :func:`group_stats` gives the same from SQL counts."""
    n = len(df)
    dates = sorted(p for p in df["published"] if not _is_missing(p)) if n else []
    hi = df[["value", "value_high"]].max(axis=1).max() if "value_high" in df else df["value"].max()
    return {
        "reports": n, "articles": df["article_id"].nunique() if n else 0,
        "outlets": sorted({_outlet(o) for o in df["outlet"]}),
        "lo": df["value"].min() if n else None, "hi": hi if n else None,
        "first": dates[0] if dates else None, "last": dates[-1] if dates else None,
        "undated": df.loc[df["published"].map(_is_missing), "article_id"].nunique() if n else 0,
    }


def group_stats(groups: pd.DataFrame) -> list[tuple[str, str, dict]]:
    """(metric, unit, :func:`stats`) per chart from ``data.figure_groups`` (a row per metric, unit
    and outlet), in :func:`chart_groups` order; figures without a metric are left out."""
    d = groups[groups["metric"].notna()]
    out = []
    for (metric, unit), g in d.groupby(["metric", "unit"], sort=False):
        dated = g.dropna(subset=["first"])
        out.append((metric, unit, {
            "reports": int(g["reports"].sum()), "articles": int(g["articles"].sum()),  # an article has one outlet
            "outlets": sorted({_outlet(o) for o in g["outlet"]}),
            "lo": g["lo"].min(), "hi": g["hi"].max(),
            "first": min(dated["first"]) if len(dated) else None, "last": max(dated["last"]) if len(dated) else None,
            "undated": int(g["undated"].sum()),
        }))
    order = {m: i for i, m in enumerate(metric_ids(d["metric"]))}
    return sorted(out, key=lambda t: (order.get(t[0], 999), t[1]))


def finding(df: pd.DataFrame, metric_id: str | None, unit: str | None, differs: bool = False) -> str:
    """A chart title that states what the marks show (plain text, no article text)."""
    return finding_from(stats(df), metric_id, unit, differs, df["value_label"].iloc[0] if len(df) == 1 else None)


def finding_from(st: dict, metric_id: str | None, unit: str | None, differs: bool = False,
                 single: str | None = None) -> str:
    """:func:`finding` from :func:`stats` (``single``: the value label when there is one report)."""
    label = label_for(metric_id)
    n = st["reports"]
    outlets = len(st["outlets"]) if n else 0
    lo, hi = st["lo"], st["hi"]
    who = f"{n:,} report{'s' if n != 1 else ''} from {outlets} outlet{'s' if outlets != 1 else ''}"
    if n == 0:
        return f"{label}: nothing reported"
    if n == 1:
        return f"{label}: {single}, {who}"
    if lo == hi:
        return f"{label}: {who} agree on {format_value(lo, unit)}"
    text = f"{label}: {who}, from {format_value(lo, unit)} to {format_value(hi, unit)}"
    return text + (" (reports differ)" if differs else "")


def y_title(metric_id: str | None, unit: str | None) -> str:
    """Axis title with the unit, wrapped for a narrow chart: 'Border queue length (km)'."""
    text = f"{label_for(metric_id)} ({unit_label(unit)})"
    return "<br>".join(textwrap.wrap(html_text(text), width=34)) or html_text(text)


def _x(df: pd.DataFrame) -> tuple[list, str, str]:
    """x values, axis type and title: publication dates when every figure has one,
    otherwise one category per outlet and date."""
    if df["date"].notna().all():
        return list(df["date"]), "date", "Publication date"
    cats = [
        f"{html_text(_outlet(o))}<br>{html_text(p) if not _is_missing(p) else 'no date'}"
        for o, p in zip(df["outlet"], df["published"])
    ]
    title = "Outlet (no publication date)" if df["date"].isna().all() else "Outlet and publication date"
    return cats, "category", title


def _compact(v: float) -> str:
    if abs(v) >= 1_000_000:
        return f"{v / 1_000_000:.3g}M"
    if abs(v) >= 100_000:
        return f"{v / 1000:.0f}k"
    return _num(v)


def short_value(value: float, unit: str | None, value_high: float | None = None,
                approximate: bool = False) -> str:
    """A mark's label: the number only (the unit is on the axis), compact when large:
    '12', '300k', '≈98,000', '200k–260k', '80%', '2×'."""
    text = _compact(float(value))
    if not _is_missing(value_high) and value_high != value:
        text += "–" + _compact(float(value_high))
    return ("≈" if approximate else "") + text + ("%" if unit == "percent" else "×" if unit == "fold" else "")


def figure_of(traces: list[dict]) -> go.Figure:
    """A figure of trace dicts, without plotly's per-property validation: with a trace per outlet,
    report or flow, that validation was a third of the Numbers and Routes pages' reruns at 100k
    articles. The chart and map tests validate what is drawn instead (go.Figure(fig.to_dict()))."""
    return go.Figure(data=traces, _validate=False)


def from_cache(fig: dict) -> go.Figure:
    """A figure from its ``to_dict()`` (what the pages cache: unpickling a go.Figure re-validates
    every property, ~10 ms a chart; this is ~2.5 ms)."""
    return go.Figure(fig, _validate=False)


def _crowded(xs: list, ys: list, xtype: str, x_span: float, y_span: float) -> list[bool]:
    """Marks whose label would collide with a neighbour's (close in x and in y). All pairs at
    once (numpy): a chart has up to a few hundred marks, a Python double loop cost ~0.1 s."""
    if len(xs) < 2:
        return [False] * len(xs)
    y = np.asarray(ys, dtype=float)
    if xtype == "date":
        x = pd.to_datetime(pd.Series(xs)).to_numpy("datetime64[ns]").astype("int64") / 1e9
        near_x = np.abs(x[:, None] - x[None, :]) <= 0.07 * x_span
    else:
        codes = pd.factorize(pd.Series(xs))[0]
        near_x = codes[:, None] == codes[None, :]
    near = near_x & (np.abs(y[:, None] - y[None, :]) <= 0.12 * y_span)
    np.fill_diagonal(near, False)
    return near.any(axis=1).tolist()


def metric_figure(df: pd.DataFrame, metric_id: str | None, unit: str | None,
                  colours: dict[str, tuple[str, str]], differing: Iterable[str] = (),
                  height: int = 340) -> go.Figure:
    """One metric in one unit: a dot per reported figure, coloured by outlet (one trace
    per outlet, so the legend names them). Figures of different outlets at the same x
    sit side by side (scattermode 'group'), never on top of each other; ranges get an
    error bar up to the upper bound. Nothing is aggregated."""
    differing = set(differing)
    df = df.sort_values(["date", "outlet", "value"], na_position="last").reset_index(drop=True)
    xs, xtype, xtitle = _x(df)
    high_all = df["value_high"] if "value_high" in df else pd.Series(float("nan"), index=df.index)
    top = float(max(df["value"].max(), high_all.max() if high_all.notna().any() else 0))
    bottom = float(min(0, df["value"].min()))
    if xtype == "date":
        lo, hi = df["date"].min(), df["date"].max()
        pad = max(pd.Timedelta(days=4), (hi - lo) * 0.12)
        x_range = [lo - pad, hi + pad]
        x_span = (x_range[1] - x_range[0]).total_seconds()
    else:
        x_span = 1.0
    crowded = _crowded(xs, list(df["value"]), xtype, x_span, (top - bottom) or 1.0)
    approx = df["approximate"] if "approximate" in df else pd.Series(0, index=df.index)
    df = df.assign(_x=xs, _label=[
        "" if c else short_value(v, unit, h, bool(a) and not pd.isna(a))
        for c, v, h, a in zip(crowded, df["value"], high_all, approx)])
    # Side by side only where two outlets share an x; otherwise dots stay on their date.
    shared_x = df.assign(_o=df["outlet"].map(_outlet)).groupby("_x")["_o"].nunique().max() > 1
    traces: list[dict] = []
    for outlet, g in df.groupby(df["outlet"].map(_outlet), sort=False):
        colour, symbol = colours.get(outlet, (OKABE_ITO[len(traces) % 8], "circle"))
        high = g["value_high"] if "value_high" in g else pd.Series(float("nan"), index=g.index)
        plus = [(h - v) if not pd.isna(h) and h > v else 0 for v, h in zip(g["value"], high)]
        traces.append(dict(type="scatter",
            x=list(g["_x"]), y=list(g["value"]),
            mode="markers+text",
            name=html_text(outlet),
            legendgroup=html_text(outlet),
            offsetgroup=html_text(outlet) if shared_x else None,
            marker=dict(color=colour, symbol=symbol, size=13, line=dict(color="white", width=1.5)),
            text=list(g["_label"]),
            textposition="middle right",
            textfont=dict(size=12, color="#31333F"),
            cliponaxis=False,
            error_y=dict(type="data", symmetric=False, array=plus, arrayminus=[0] * len(plus),
                         visible=any(plus), color=colour, thickness=2, width=6),
            hovertext=[hover_text(r, r["figure_id"] in differing) for _, r in g.iterrows()],
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=list(g["figure_id"]),
        ))
    fig = figure_of(traces)
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=20, t=30, b=10),
        scattermode="group" if shared_x else "overlay",
        scattergap=0.6,
        showlegend=True,
        # Below the plot, anchored to the container so it never overlaps the x-axis title
        # (nor the modebar, which sits top right).
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", xanchor="left", x=0,
                    title=dict(text="Outlet", side="left")),
        hoverlabel=dict(align="left", bgcolor="white", font=dict(size=13, color="#31333F")),
        font=dict(family="sans-serif"),
    )
    fig.update_yaxes(title_text=y_title(metric_id, unit), rangemode="tozero",
                     range=[bottom * 1.2, top * 1.2 if top > 0 else 1],
                     tickformat="~s" if top >= 10000 else ",", zeroline=True, zerolinecolor="#bbb",
                     gridcolor="#eee")
    if xtype == "date":
        fig.update_xaxes(type="date", title_text=xtitle, range=x_range, tickformat="%d %b<br>%Y",
                         gridcolor="#eee", nticks=4)
    else:
        fig.update_xaxes(type="category", title_text=xtitle, categoryorder="array",
                         categoryarray=list(dict.fromkeys(xs)))
    return fig


def conflict_figure(group: pd.DataFrame, unit: str | None, colours: dict[str, tuple[str, str]]) -> go.Figure:
    """One row per source, side by side on one value axis: a dot plot of the reports that differ."""
    g = group.sort_values(["published", "outlet"], na_position="last").reset_index(drop=True)
    rows: list[str] = []
    for o, p in zip(g["outlet"], g["published"]):
        row = f"{html_text(_outlet(o))}<br>{html_text(p) if not _is_missing(p) else 'no date'}"
        while row in rows:  # two reports by one outlet on one day keep two rows
            row += "\u200b"
        rows.append(row)
    traces: list[dict] = []
    for i, (_, r) in enumerate(g.iterrows()):
        outlet = _outlet(r["outlet"])
        colour, symbol = colours.get(outlet, (OKABE_ITO[i % 8], "circle"))
        high = r.get("value_high")
        traces.append(dict(type="scatter",
            x=[r["value"]], y=[rows[i]], mode="markers+text", name=html_text(outlet),
            showlegend=False,
            marker=dict(color=colour, symbol=symbol, size=14, line=dict(color="white", width=1.5)),
            text=[html_text(r["value_label"])], textposition="middle right",
            cliponaxis=False,
            error_x=dict(type="data", symmetric=False,
                         array=[(high - r["value"]) if not _is_missing(high) and high > r["value"] else 0],
                         arrayminus=[0], visible=not _is_missing(high), color=colour),
            hovertext=[hover_text(r, True)], hovertemplate="%{hovertext}<extra></extra>",
        ))
    hi = max(g["value"].max(), g["value_high"].max() if "value_high" in g and g["value_high"].notna().any() else 0)
    fig = figure_of(traces)
    fig.update_layout(height=90 + 44 * len(g), margin=dict(l=10, r=50, t=10, b=10),
                      hoverlabel=dict(align="left", bgcolor="white", font=dict(size=13, color="#31333F")))
    fig.update_xaxes(title_text=f"Reported value ({unit_label(unit)})", rangemode="tozero",
                     range=[0, hi * 1.3 if hi > 0 else 1], gridcolor="#eee")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=rows[::-1], automargin=True)
    return fig


# ---------------------------------------------------------------- source lines, tables, files

def source_line(df: pd.DataFrame) -> str:
    """'Source: 2 articles from A, B (2022-09-23 to 2022-09-28) ...' (markdown-escaped)."""
    return source_line_from(stats(df))


def source_line_from(st: dict) -> str:
    """:func:`source_line` from :func:`stats`."""
    n_art, outlets, undated = st["articles"], st["outlets"], st["undated"]
    span = ""
    if st["first"] is not None:
        span = f" ({st['first']})" if st["first"] == st["last"] else f" ({st['first']} to {st['last']})"
    shown = outlets[:6]
    more = f" and {len(outlets) - 6} more" if len(outlets) > 6 else ""
    text = (
        f"Source: {n_art:,} article{'s' if n_art != 1 else ''} from "
        + ", ".join(md_text(o) for o in shown) + more + span
    )
    if undated:
        text += f"; {undated:,} without a publication date"
    return text + ". Figures extracted by rule from each article's text; hover a mark for its sentence."


TABLE_COLUMNS = {
    "metric_label": "Metric",
    "value": "Value",
    "value_high": "Up to",
    "unit": "Unit",
    "counts": "What is counted",
    "raw": "As written",
    "outlet": "Outlet",
    "published": "Published",
    "sentence": "Sentence",
    "flag": "Flag",
    "link": "Read in Sources",
    "title": "Article",
    "article_id": "Article id",
    "metric": "Metric id",
    "figure_id": "Figure id",
    "span": "Span",
    "basis": "Compared because",
    "group": "Group",
}


def table_frame(df: pd.DataFrame, differing: Iterable[str] = ()) -> pd.DataFrame:
    """Exactly the rows and columns the page shows (and the CSV holds)."""
    differing = set(differing)
    out = df.copy()
    out["flag"] = [FLAG if fid in differing else "" for fid in out["figure_id"]]
    # Catalogue order, figures without a metric last; then by date (undated last) and outlet.
    order = {m: i for i, m in enumerate(metric_ids(out["metric"].dropna() if "metric" in out else ()))}
    out["_order"] = [order.get(m, len(order)) if isinstance(m, str) else len(order) + 1
                     for m in out.get("metric", [None] * len(out))]
    sort = [c for c in ("_order", "published", "outlet", "start") if c in out.columns]
    out = out.sort_values(sort, na_position="last", kind="stable")
    cols = [c for c in TABLE_COLUMNS if c in out.columns]
    out = out[cols].reset_index(drop=True)
    out["sentence"] = out["sentence"].map(lambda s: " ".join(str(s).split()) if not _is_missing(s) else s) \
        if "sentence" in out else None
    return out


def to_csv(table: pd.DataFrame) -> bytes:
    """CSV of the shown table, with the display headers; UTF-8 with BOM so spreadsheet
    programs read non-ASCII outlets right. Cells starting with = + - @ are prefixed with
    an apostrophe so a spreadsheet does not run them as formulas (CSV injection)."""
    safe = table.rename(columns=TABLE_COLUMNS).copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(
                lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v)
    return safe.to_csv(index=False).encode("utf-8-sig")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:40]


def _month(a: str, b: str) -> str | None:
    """'2022-09' when a..b is exactly one calendar month, else None."""
    import calendar

    if len(a) == 10 and len(b) == 10 and a[:7] == b[:7] and a.endswith("-01"):
        y, m = int(a[:4]), int(a[5:7])
        if int(b[8:]) == calendar.monthrange(y, m)[1]:
            return a[:7]
    return None


def csv_filename(metric: str | None, country: str | None = None, outlet: str | None = None,
                 date_from=None, date_to=None) -> str:
    """Says what the file holds: 'exit-routes-figures-border_queue_km-GE-2022-09.csv',
    'exit-routes-figures-KZ-reuters-2022-09-21-to-now.csv', 'exit-routes-figures-all.csv'."""
    parts = ["exit-routes-figures"]
    if metric:
        parts.append(re.sub(r"[^a-z0-9_]+", "", metric.lower())[:40] or "metric")
    if country:
        parts.append(re.sub(r"[^A-Z]", "", country.upper())[:2])
    if outlet:
        parts.append(_slug(outlet) or "outlet")
    if date_from or date_to:
        a, b = str(date_from or ""), str(date_to or "")
        parts.append(_month(a, b) or f"{a or 'start'}-to-{b or 'now'}")
    if len(parts) == 1:
        parts.append("all")
    return "-".join(p for p in parts if p) + ".csv"


def metric_overview(df: pd.DataFrame, differing: Iterable[str] = ()) -> pd.DataFrame:
    """One row per metric and unit: reports, outlets, range, whether reports differ."""
    differing = set(differing)
    rows = []
    d = df[df["metric"].notna()]
    order = {m: i for i, m in enumerate(metric_ids(d["metric"]))}
    for (metric, unit), g in d.groupby(["metric", "unit"], sort=False):
        hi = g[["value", "value_high"]].max(axis=1).max() if "value_high" in g else g["value"].max()
        lo = g["value"].min()
        rows.append({
            "_order": order.get(metric, 999),
            "metric_label": label_for(metric),
            "metric": metric,
            "unit": unit_label(unit),
            "reports": len(g),
            "outlets": g["outlet"].map(_outlet).nunique(),
            "range": format_value(lo, unit) if lo == hi else f"{format_value(lo, unit)} to {format_value(hi, unit)}",
            "flag": FLAG if set(g["figure_id"]) & differing else "",
        })
    if not rows:
        return pd.DataFrame(columns=["metric_label", "metric", "unit", "reports", "outlets", "range", "flag"])
    return pd.DataFrame(rows).sort_values(["_order", "unit"]).drop(columns="_order").reset_index(drop=True)


def metric_overview_from(groups: list[tuple[str, str, dict]], flagged: Iterable[tuple[str, str]] = ()) -> pd.DataFrame:
    """:func:`metric_overview` from :func:`group_stats` and the (metric, unit) pairs with reports
    that differ."""
    flagged = set(flagged)
    present = [m for m, _, _ in groups]
    order = {m: i for i, m in enumerate(metric_ids(present))}
    rows = [{
        "_order": order.get(metric, 999), "metric_label": label_for(metric), "metric": metric,
        "unit": unit_label(unit), "reports": st["reports"], "outlets": len(st["outlets"]),
        "range": format_value(st["lo"], unit) if st["lo"] == st["hi"]
        else f"{format_value(st['lo'], unit)} to {format_value(st['hi'], unit)}",
        "flag": FLAG if (metric, unit) in flagged else "",
    } for metric, unit, st in groups]
    if not rows:
        return pd.DataFrame(columns=["metric_label", "metric", "unit", "reports", "outlets", "range", "flag"])
    return pd.DataFrame(rows).sort_values(["_order", "unit"]).drop(columns="_order").reset_index(drop=True)


def chart_groups(df: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(metric, unit, rows) per chart, in catalogue order."""
    d = df[df["metric"].notna()]
    order = {m: i for i, m in enumerate(metric_ids(d["metric"]))}
    groups = [(m, u, g) for (m, u), g in d.groupby(["metric", "unit"], sort=False)]
    return sorted(groups, key=lambda t: (order.get(t[0], 999), t[1]))


def empty_message(metric: str | None, country: str | None = None, country_name: str | None = None,
                  outlet: str | None = None, date_from=None, date_to=None) -> str:
    """'No figures for Border queue length with destination Kazakhstan (KZ) from Reuters.
    Clear a filter.' (markdown-escaped; the outlet comes from the URL or the data)."""
    parts = []
    if metric:
        parts.append(f"for {md_text(label_for(metric))}")
    if country:
        name = country_name or country
        parts.append(f"with destination {md_text(name)}" + (f" ({md_text(country)})" if name != country else ""))
    if outlet:
        parts.append(f"from {md_text(outlet)}")
    if date_from or date_to:
        parts.append(f"published {md_text(date_from or '…')} to {md_text(date_to or '…')}")
    if not parts:
        return "The dataset holds no reported figures yet. Add articles and rebuild (see About)."
    what = "filter" if (country or outlet or date_from or date_to) else "metric"
    hint = "Clear a filter in the sidebar" if what == "filter" else "Pick another metric"
    if metric and what == "filter":
        hint += " or pick another metric"
    return "No figures " + " ".join(parts) + f". {hint}."


def charted_groups(groups: list, metric: str | None) -> list:
    """The (metric, unit, rows) groups to draw: all of them for a picked metric; otherwise those
    with more than one report (a one-dot chart says less than a table row), or all when none has."""
    if metric:
        return list(groups)
    return [g for g in groups if _size(g[2]) >= 2] or list(groups)


def _size(rows) -> int:
    """Reports in a group: its rows, or :func:`stats`' count."""
    return rows["reports"] if isinstance(rows, dict) else len(rows)
