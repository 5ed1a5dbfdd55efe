"""Overview page logic: headline figure cards, the timeline, destinations at a glance, counts.

Pure functions over the frames that ``components/data.py`` returns, plus the
small renderers the page calls. Article text (titles, outlets, sentences) is
untrusted: it reaches the screen only through :func:`esc` (HTML) or plotly
hover text escaped the same way, never through markdown.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from exodus.metrics import CATALOGUE, metric_labels
from exodus.units import unit_forms
from components.safe_text import esc, md_escape, plural, safe_url  # noqa: F401 (re-exported for the pages)

# Okabe-Ito, colour-blind safe; black is kept for the context lines.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
OTHER_COLOUR = "#999999"
MAX_CARDS = 6
# Above this many dated articles the timeline draws one marker per outlet and month (sized by
# count) instead of one per article: 100k markers with hover text are ~15 MB of chart JSON.
MAX_TIMELINE_MARKERS = 2000
MAX_TABLE_ROWS = 1000  # the timeline's text table lists the most recent articles beyond this
SENTENCE_CHARS = 220

# Background events, NOT from the dataset: shown as labelled context with a source.
# (date, short chart label, full label, source)
CONTEXT_EVENTS: tuple[tuple[str, str, str, str], ...] = (
    ("2022-02-24", "Invasion", "Russia invades Ukraine",
     "https://en.wikipedia.org/wiki/Russian_invasion_of_Ukraine"),
    ("2022-09-21", "Mobilisation", "Russia announces a partial mobilisation",
     "https://en.wikipedia.org/wiki/2022_Russian_mobilization"),
)



# ---------------------------------------------------------------- text safety

def shorten(text: str, limit: int = SENTENCE_CHARS) -> str:
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def nice_date(iso: object) -> str:
    """'2022-09-24' -> '24 Sep 2022'; anything else -> 'date unknown'."""
    try:
        d = date.fromisoformat(str(iso))
    except (TypeError, ValueError):
        return "date unknown"
    return f"{d.day} {d:%b %Y}"


# ---------------------------------------------------------------- values

def _number(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}"
    return f"{x:,.1f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str, value_high: float | None = None, approximate: bool = False) -> str:
    """'12 km', '300,000 people', '80%', '10–12 km', '~2,000 people' (approximate: 'about', 'over')."""
    prefix, suffix = unit_forms(str(unit))
    number = _number(value)
    if value_high is not None and not (isinstance(value_high, float) and math.isnan(value_high)) \
            and value_high != value:
        number = f"{number}–{prefix}{_number(value_high)}"
    out = f"{prefix}{number}{suffix}"
    return f"~{out}" if approximate else out


# ---------------------------------------------------------------- cards

@dataclass(frozen=True)
class Card:
    metric: str
    approximate: bool
    label: str
    value: str
    counts: str
    sentence: str
    raw: str
    outlet: str
    published: str | None
    article_id: str
    start: int
    end: int
    reports: int  # figures of this metric in the view
    outlets: int  # outlets reporting this metric in the view


def headline_cards(figures: pd.DataFrame, limit: int = MAX_CARDS) -> list[Card]:
    """One card per metric: the most confident report, the most recent among equals.

    Metrics reported most often come first (they are what the coverage is about),
    then catalogue order. Figures without a metric are left to the Numbers page.
    """
    if figures.empty:
        return []
    df = figures[figures["metric"].notna()].copy()
    if df.empty:
        return []
    labels = metric_labels()
    order = {m.metric_id: i for i, m in enumerate(CATALOGUE)}
    df["_conf"] = pd.to_numeric(df["confidence"], errors="coerce").fillna(0.0)
    df["_date"] = df["published"].fillna("")
    if {"reports", "outlets"} <= set(df.columns):  # data.headline_figures: counted in SQL
        stats = df.groupby("metric")[["reports", "outlets"]].first()
    else:
        stats = df.groupby("metric").agg(reports=("figure_id", "size"), outlets=("outlet", "nunique"))
    ranked = sorted(stats.index, key=lambda m: (-int(stats.loc[m, "reports"]), order.get(m, 999), m))
    cards = []
    for metric in ranked[:limit]:
        rows = df[df["metric"] == metric].sort_values(
            ["_conf", "_date", "article_id", "start"], ascending=[False, False, True, True])
        r = rows.iloc[0]
        approx = bool(r.get("approximate")) if pd.notna(r.get("approximate")) else False
        high = r.get("value_high")
        cards.append(Card(
            metric=metric,
            approximate=approx,
            label=labels.get(metric, metric),
            value=format_value(float(r["value"]), r["unit"], None if pd.isna(high) else float(high), approx),
            counts=str(r["counts"]) if pd.notna(r.get("counts")) else "",
            sentence=str(r["sentence"]) if pd.notna(r.get("sentence")) else str(r["raw"]),
            raw=str(r["raw"]),
            outlet=str(r["outlet"]) if pd.notna(r.get("outlet")) else "unknown outlet",
            published=r["published"] if pd.notna(r.get("published")) else None,
            article_id=str(r["article_id"]),
            start=int(r["start"]),
            end=int(r["end"]),
            reports=int(stats.loc[metric, "reports"]),
            outlets=int(stats.loc[metric, "outlets"]),
        ))
    return cards


def marked_sentence(sentence: str, raw: str, limit: int = SENTENCE_CHARS) -> str:
    """The sentence, escaped and shortened around the figure, with the figure in <mark>.

    Every article-derived piece goes through html.escape; only our own <mark> is added.
    """
    text = " ".join(sentence.split())
    i = text.find(raw) if raw else -1
    if i < 0:
        return esc(shorten(text, limit))
    before, after = text[:i], text[i + len(raw):]
    room = max(limit - len(raw), 40)
    if len(before) > room // 2 and len(before) + len(after) > room:
        keep = max(room // 2, room - len(after))
        before = "… " + before[len(before) - keep:].split(" ", 1)[-1]
    if len(before) + len(after) > room:
        after = shorten(after, max(room - len(before), 20))
    return f"{esc(before)}<mark>{esc(raw)}</mark>{esc(after)}"


def card_html(c: Card) -> str:
    """The body under the metric: what is counted, the quoted sentence, outlet and date."""
    counts = f'<div class="er-counts">{esc(c.counts)}</div>' if c.counts else ""
    return (
        '<div class="er-card">'
        f"{counts}"
        f'<blockquote class="er-sentence">“{marked_sentence(c.sentence, c.raw)}”</blockquote>'
        f'<div class="er-cite"><b>{esc(c.outlet)}</b> · {esc(nice_date(c.published))}</div>'
        "</div>"
    )


CARD_CSS = """
<style>
.er-card {font-size: 0.92rem; line-height: 1.45;}
.er-card .er-counts {opacity: 0.75; margin: -0.4rem 0 0.5rem 0;}
.er-card .er-sentence {margin: 0 0 0.5rem 0; padding: 0 0 0 0.7rem;
  border-left: 3px solid #0072B2; font-style: normal;}
.er-card mark {background: #F0E442; color: #000; padding: 0 0.15rem; border-radius: 2px;}
.er-card .er-cite {font-size: 0.85rem; opacity: 0.85;}
</style>
"""


def render_cards(cards: list[Card], columns: int = 3) -> None:
    st.html(CARD_CSS)
    for i in range(0, len(cards), columns):
        cols = st.columns(columns)
        for col, c in zip(cols, cards[i:i + columns]):
            with col.container(border=True):
                st.metric(c.label, c.value, help=(
                    "Approximate: the article says 'about', 'over', 'nearly' or similar." if c.approximate else None))
                st.html(card_html(c))
                st.page_link(
                    "app_pages/sources.py", label="Read the sentence in its article", icon=":material/article:",
                    query_params={"article": c.article_id, "span": f"{c.start}-{c.end}"},
                )
                if c.reports > 1:
                    st.page_link(
                        "app_pages/numbers.py", icon=":material/bar_chart:",
                        label=f"Compare all {plural(c.reports, 'report')} ({plural(c.outlets, 'outlet')})",
                        query_params={"metric": c.metric},
                    )


# ---------------------------------------------------------------- counts

@dataclass(frozen=True)
class Counts:
    articles: int
    outlets: int
    quotes: int
    figures: int
    routes: int
    countries: int
    first: str | None
    last: str | None
    undated: int


def counts(articles: pd.DataFrame, routes: pd.DataFrame) -> Counts:
    dates = articles["published"].dropna() if not articles.empty else pd.Series(dtype=str)
    return Counts(
        articles=len(articles),
        outlets=int(articles["outlet"].nunique()) if not articles.empty else 0,
        quotes=int(articles["n_quotes"].fillna(0).sum()) if not articles.empty else 0,
        figures=int(articles["n_figures"].fillna(0).sum()) if not articles.empty else 0,
        routes=len(routes),
        countries=int(routes["destination_country"].nunique()) if not routes.empty else 0,
        first=str(dates.min()) if len(dates) else None,  # vectorised: min() of the Series iterated it
        last=str(dates.max()) if len(dates) else None,
        undated=int(articles["published"].isna().sum()) if not articles.empty else 0,
    )


def counts_from_months(months: pd.DataFrame, dest: pd.DataFrame) -> Counts:
    """:func:`counts` from ``data.article_months`` (articles per outlet and month) and
    ``data.destinations`` (routes counted in SQL): no frame with a row per article or route."""
    undated = months["month"].isna()
    firsts, lasts = months.loc[~undated, "first"].dropna(), months.loc[~undated, "last"].dropna()
    base = Counts(
        articles=int(months["n"].sum()),
        outlets=int(months["outlet"].dropna().nunique()),
        quotes=int(months["quotes"].sum()),
        figures=int(months["figures"].sum()),
        routes=0, countries=0,
        first=str(firsts.min()) if len(firsts) else None,
        last=str(lasts.max()) if len(lasts) else None,
        undated=int(months.loc[undated, "n"].sum()),
    )
    if dest.empty:
        return base
    return dataclasses.replace(base, routes=int(dest["routes"].sum()), countries=int(dest["code"].notna().sum()))


def counts_sentence(c: Counts) -> str:
    """'5 articles from 3 outlets, 20 quotes, 14 figures, 9 routes to 4 countries.' (trusted: numbers only)"""
    return (
        f"{plural(c.articles, 'article')} from {plural(c.outlets, 'outlet')}, "
        f"{plural(c.quotes, 'quote')}, {plural(c.figures, 'figure')}, "
        f"{plural(c.routes, 'route')} to {plural(c.countries, 'country', 'countries')}"
    )


def date_span(c: Counts) -> str:
    if not c.first:
        return "no dates"
    if c.first == c.last:
        return nice_date(c.first)
    return f"{nice_date(c.first)} – {nice_date(c.last)}"


def render_counts(c: Counts) -> None:
    with st.container(horizontal=True, gap="medium"):
        for label, value in (
            ("Articles", f"{c.articles:,}"), ("Outlets", f"{c.outlets:,}"), ("Quotes", f"{c.quotes:,}"),
            ("Figures", f"{c.figures:,}"), ("Routes", f"{c.routes:,}"),
            ("Destination countries", f"{c.countries:,}"),
        ):
            st.metric(label, value, width="content")
        undated = f"{plural(c.undated, 'article')} without a known date." if c.undated else None
        st.metric("First article", nice_date(c.first) if c.first else "–", width="content", help=undated)
        st.metric("Latest article", nice_date(c.last) if c.last else "–", width="content", help=undated)


# ---------------------------------------------------------------- outlets and sources

def most_first(per_outlet: pd.Series) -> list[str]:
    """Outlets by their articles, most first, then by name."""
    return sorted(per_outlet.index, key=lambda o: (-int(per_outlet[o]), o))


def colours_by_count(per_outlet: pd.Series) -> dict[str, str]:
    """Up to seven outlets (most articles first) get their own colour; the rest share grey."""
    return {o: (PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR) for i, o in enumerate(most_first(per_outlet))}


def source_line(articles: pd.DataFrame, what: str = "", max_outlets: int = 4) -> str:
    """'Source: 5 articles from Reuters, Sky News and 1 more; …' as plain text (escape before markdown)."""
    return source_line_from(len(articles), articles["outlet"].fillna("unknown outlet").value_counts(), what,
                            max_outlets)


def outlet_totals(months: pd.DataFrame, column: str = "n") -> pd.Series:
    """Articles per outlet ("unknown outlet" for none) from ``data.article_months``; with
    ``column="with_routes"``, those that report a route. Outlets with none are left out."""
    per = months.assign(outlet=months["outlet"].fillna("unknown outlet")).groupby("outlet")[column].sum()
    return per[per > 0].astype(int)


def source_line_from(n: int, per_outlet: pd.Series, what: str = "", max_outlets: int = 4) -> str:
    """:func:`source_line` from the article count and the articles per outlet (most first, then
    by name)."""
    order = most_first(per_outlet)
    names = order[:max_outlets]
    rest = len(order) - len(names)
    if not names:
        listed = "no outlets"
    elif rest > 0:
        listed = ", ".join(names) + f" and {rest} more"
    elif len(names) > 1:
        listed = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        listed = names[0]
    line = f"Source: {plural(n, 'article')} from {listed}"
    return line + (f"; {what}" if what else "") + "."


def chart_title(text: str) -> None:
    """A chart's title (stating the finding) above it, wrapping on a phone; escaped."""
    st.html(f'<div style="font-weight:600;font-size:1rem;margin-bottom:-0.5rem">{esc(text)}</div>')


def caption_text(text: str) -> None:
    """A muted line of possibly article-derived text, escaped (no markdown, no HTML)."""
    st.html(f'<div style="font-size:0.85rem;opacity:0.7">{esc(text)}</div>')


# ---------------------------------------------------------------- timeline

def timeline_figure(articles: pd.DataFrame, context: bool = True) -> go.Figure | None:
    """Articles as markers by publication date, one row per outlet, coloured by outlet;
    context events (not from the dataset) as labelled dashed lines."""
    dated = articles.loc[articles["published"].notna(), ["published", "outlet", "title", "article_id",
                                                          "n_quotes", "n_figures", "n_routes"]]
    if dated.empty:
        return None
    dated["outlet"] = dated["outlet"].fillna("unknown outlet")
    dated["date"] = pd.to_datetime(dated["published"], errors="coerce")
    dated = dated[dated["date"].notna()]
    if dated.empty:
        return None
    if len(dated) > MAX_TIMELINE_MARKERS:
        dated["month"] = dated["date"].dt.to_period("M").dt.to_timestamp()
        groups = dated.groupby(["outlet", "month"]).agg(n=("date", "size"), first=("date", "min"),
                                                         last=("date", "max")).reset_index()
        return timeline_from_months(groups, context)
    # counted once: a count per article was O(n^2)
    colours, row_of, rows = _timeline_rows(dated["outlet"].value_counts())
    dated["row"] = dated["outlet"].map(row_of)
    fig = go.Figure()
    for row in rows:
        sub = dated[dated["row"] == row]
        items = sub[["n_quotes", "n_figures", "n_routes"]].fillna(0).astype(int)
        hover = [
            f"<b>{esc(shorten(t or 'untitled', 90))}</b><br>{esc(o)} · {esc(nice_date(p))}<br>"
            f"{q} quotes · {fg} figures · {r} routes"
            for t, o, p, q, fg, r in zip(sub["title"], sub["outlet"], sub["published"],
                                         items["n_quotes"], items["n_figures"], items["n_routes"])
        ]
        fig.add_trace(go.Scatter(
            x=sub["date"], y=[esc(row)] * len(sub), mode="markers", name=esc(shorten(row, 40)),
            marker=dict(size=13, color=colours.get(row, OTHER_COLOUR), line=dict(width=1, color="white"),
                        symbol="circle"),
            hovertext=hover, hoverinfo="text", customdata=sub["article_id"],
        ))
    return _timeline_layout(fig, rows, dated["date"].min(), dated["date"].max(), context)


def dated_groups(months: pd.DataFrame) -> pd.DataFrame:
    """The dated rows of ``data.article_months`` as the timeline's month groups: outlet ("unknown
    outlet" for none), month (its first day), n, first and last publication date."""
    d = months[months["month"].notna()]
    out = pd.DataFrame({
        "outlet": d["outlet"].fillna("unknown outlet"),
        "month": pd.to_datetime(d["month"] + "-01", errors="coerce"),
        "n": d["n"].astype(int),
        "first": pd.to_datetime(d["first"], errors="coerce"),
        "last": pd.to_datetime(d["last"], errors="coerce"),
    })
    return out[out["month"].notna()].reset_index(drop=True)


def timeline_from_months(groups: pd.DataFrame, context: bool = True) -> go.Figure | None:
    """The timeline with one marker per outlet and month, sized by its articles, from month groups
    (columns outlet, month, n, first, last: :func:`dated_groups`, or grouped from the articles)."""
    if groups.empty:
        return None
    colours, row_of, rows = _timeline_rows(groups.groupby("outlet")["n"].sum())
    groups = groups.assign(row=groups["outlet"].map(row_of))
    by_month = groups.groupby(["row", "month"])["n"].sum()
    peak = int(by_month.max())
    fig = go.Figure()
    for row in rows:
        fig.add_trace(_month_trace(by_month.loc[row], row, colours.get(row, OTHER_COLOUR), peak))
    return _timeline_layout(fig, rows, groups["first"].min(), groups["last"].max(), context)


def _timeline_rows(per_outlet: pd.Series) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(colour of each outlet, its row, the rows top to bottom) from the articles per outlet.
    Outlets beyond the palette share one row, so the chart stays readable at any size."""
    colours = colours_by_count(per_outlet)
    row_of = {o: o if c != OTHER_COLOUR else "Other outlets" for o, c in colours.items()}
    per_row = per_outlet.groupby(row_of).sum()
    rows = sorted(per_row.index, key=lambda r: (r == "Other outlets", -int(per_row[r]), r))
    return colours, row_of, rows


def _timeline_layout(fig: go.Figure, rows: list[str], lo, hi, context: bool) -> go.Figure:
    """Context lines, labels, axes and height of a timeline whose dates run from ``lo`` to ``hi``."""
    events = [(pd.Timestamp(day), short) for day, short, _label, _url in CONTEXT_EVENTS] if context else []
    for d, _ in events:
        lo, hi = min(lo, d), max(hi, d)
    # Lines and labels as layout dicts: fig.add_vline cost ~30 ms a line.
    shapes = [dict(type="line", xref="x", x0=d, x1=d, yref="paper", y0=0, y1=1, opacity=0.6,
                   line=dict(color="#000000", width=1, dash="dot")) for d, _ in events]
    # Staggered so neighbouring labels never overlap on a phone; labels in the right half
    # hang to the left of their line so they are not cut at the edge.
    notes = [dict(x=d, y=1.0, yref="paper", text=f"{short}*", showarrow=False,
                  xanchor="right" if (d - lo) > (hi - lo) / 2 else "left", yanchor="bottom",
                  yshift=2 + 15 * (i % 2), font=dict(size=11, color="#555555")) for i, (d, short) in enumerate(events)]
    pad = max(pd.Timedelta(days=20), (hi - lo) * 0.04)
    fig.update_layout(
        shapes=shapes, annotations=notes,
        height=max(200, 90 + 42 * len(rows)),
        margin=dict(l=10, r=10, t=45, b=40),
        showlegend=False,
        xaxis=dict(title="Publication date", range=[lo - pad, hi + pad], showgrid=True),
        yaxis=dict(title=None, categoryorder="array", categoryarray=list(reversed([esc(r) for r in rows])),
                   automargin=True),
        hoverlabel=dict(align="left"),
    )
    return fig


def _month_trace(per: pd.Series, row: str, colour: str, peak: int) -> go.Scatter:
    """One marker per month for an outlet row (``per``: articles by month, in month order), its
    area proportional to the articles that month."""
    sizes = [6 + 22 * math.sqrt(n / peak) for n in per.values]
    hover = [f"<b>{esc(row)}</b><br>{d:%B %Y}: {plural(int(n), 'article')}" for d, n in per.items()]
    return go.Scatter(
        x=list(per.index), y=[esc(row)] * len(per), mode="markers", name=esc(shorten(row, 40)),
        marker=dict(size=sizes, color=colour, line=dict(width=1, color="white"), symbol="circle"),
        hovertext=hover, hoverinfo="text",
    )


def timeline_title(articles: pd.DataFrame) -> str:
    """The finding: how many dated articles, over what span, and the busiest month."""
    dates = pd.to_datetime(articles["published"], errors="coerce").dropna()
    return timeline_title_from(dates.dt.to_period("M").value_counts())


def month_totals(groups: pd.DataFrame) -> pd.Series:
    """Dated articles per month (a ``Period`` index) from :func:`dated_groups`."""
    return groups.groupby(groups["month"].dt.to_period("M"))["n"].sum()


def timeline_title_from(months: pd.Series) -> str:
    """:func:`timeline_title` from the dated articles per month (``Period`` index)."""
    months = months[months > 0]
    if months.empty:
        return "No dated articles"
    n = int(months.sum())
    first, last = min(months.index), max(months.index)
    if first == last:
        return f"All {plural(n, 'dated article')} appeared in {first:%B %Y}"
    out = f"{plural(n, 'dated article')}, {first:%b %Y} to {last:%b %Y}"
    top = months[months == months.max()]
    if int(top.iloc[0]) > 1:
        out += f"; most in {min(top.index):%B %Y} ({int(top.iloc[0]):,})"
    return out


def context_caption() -> str:
    """Markdown (trusted: our own text and URLs) citing the context events."""
    parts = [f"{short}: {label}, {nice_date(d)} ([source]({url}))" for d, short, label, url in CONTEXT_EVENTS]
    return "\\* Dotted lines are **context, not from the dataset**: " + "; ".join(parts) + "."


def timeline_table(articles: pd.DataFrame, limit: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """The text alternative: one row per article (the ``limit`` most recent), with a link only for
    http(s) URLs."""
    df = articles[["published", "outlet", "title", "n_quotes", "n_figures", "n_routes", "url"]]
    if len(df) > limit:  # a table of 100k rows is sent whole to the browser, even when folded
        df = df.sort_values("published", ascending=False, na_position="last", kind="stable").head(limit)
    df = df.copy()
    df["url"] = [safe_url(u) for u in df["url"]]
    return df.rename(columns={"published": "Published", "outlet": "Outlet", "title": "Title",
                              "n_quotes": "Quotes", "n_figures": "Figures", "n_routes": "Routes",
                              "url": "Original"})


# ---------------------------------------------------------------- destinations

def destination_counts(routes: pd.DataFrame) -> pd.DataFrame:
    """Reports (route sentences) and articles per destination country, most reported first."""
    if routes.empty:
        return pd.DataFrame(columns=["code", "country", "reports", "articles"])
    df = (routes.assign(country_name=routes["country_name"].fillna(routes["destination_country"]))
          .groupby(["destination_country", "country_name"], dropna=False)
          .agg(reports=("report_key", "nunique"), articles=("article_id", "nunique"))
          .reset_index()
          .rename(columns={"destination_country": "code", "country_name": "country"}))
    return df.sort_values(["reports", "articles", "country"], ascending=[False, False, True]).reset_index(drop=True)


def destinations_title(dest: pd.DataFrame, selected: str | None = None) -> str:
    """A title stating the finding (country names come from our gazetteer, escaped anyway by callers).

    With a country filter, the articles are those naming that country, so the finding is
    about it and the other destinations the same articles name."""
    if dest.empty:
        return "No destinations reported"
    if selected and selected in set(dest["code"]):
        row = dest[dest["code"] == selected].iloc[0]
        others = len(dest) - 1
        out = f"{row['country']}: {plural(int(row['reports']), 'report')}"
        if others:
            out += f"; the same articles name {plural(others, 'other country', 'other countries')}"
        return out
    top = dest[dest["reports"] == dest["reports"].max()]
    names = list(top["country"].astype(str))
    n = int(top["reports"].iloc[0])
    if len(names) == 1:
        lead = f"{names[0]} is the most reported destination"
    else:
        lead = ", ".join(names[:-1]) + f" and {names[-1]} are the most reported destinations"
    return f"{lead} ({plural(n, 'report')}{' each' if len(names) > 1 else ''})"


def destinations_figure(dest: pd.DataFrame, selected: str | None = None) -> go.Figure:
    """Horizontal bars of reports per country; the filtered country, if any, in vermillion."""
    d = dest.iloc[::-1]  # plotly draws the first category at the bottom
    labels = [esc(f"{c} ({k})") for c, k in zip(d["country"], d["code"])]
    fig = go.Figure(go.Bar(
        x=[int(v) for v in d["reports"]], y=labels, orientation="h",
        marker_color=["#D55E00" if k == selected else "#0072B2" for k in d["code"]],
        text=[int(v) for v in d["reports"]], textposition="outside", cliponaxis=False,
        hovertext=[f"<b>{esc(c)}</b><br>{r} reports in {a} article{'s' if a != 1 else ''}"
                   for c, r, a in zip(d["country"], d["reports"], d["articles"])],
        hoverinfo="text",
    ))
    fig.update_layout(
        height=max(160, 70 + 30 * len(d)),
        margin=dict(l=10, r=30, t=10, b=40),
        xaxis=dict(title="Reports (sentences)", rangemode="tozero",
                   dtick=1 if int(d["reports"].max() or 0) <= 10 else None),
        yaxis=dict(title=None, automargin=True),
    )
    return fig
