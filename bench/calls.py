"""A page's data calls for one view, uncached, timed on a dataset.

The page benchmark (``python -m bench --pages``) times whole interactions in a
browser; this says which query a view spends its time in. Each cached function's
body is called directly (``__wrapped__``), in the order the page calls them, so
nothing is served from Streamlit's cache; the OS file cache is warm after the
first call.

    python -m bench.calls numbers --db /tmp/appbench/app-100000-from-1000-s0.sqlite [--outlet AFP] [--country FI]
    python -m bench.calls routes --db FILE [--country FI] [--dest TR]
"""
from __future__ import annotations

import argparse
import ast
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

PAGES = Path(__file__).resolve().parents[1] / "app_pages"


def page_caps(page: str) -> dict[str, int]:
    """The page's upper-case integer constants (MAX_* caps, cards per group), read from its source
    (importing it would run the page)."""
    caps = {}
    for node in ast.parse((PAGES / f"{page}.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and type(node.value.value) is int:
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    caps[target.id] = node.value.value
    return caps


class _Timer:
    """Calls cached functions' bodies and keeps (call, ms) in order."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float]] = []

    def __call__(self, name: str, fn: Callable, *args):
        t = time.perf_counter()
        result = fn.__wrapped__(*args)
        self.rows.append((name, (time.perf_counter() - t) * 1000))
        return result


def _quiet_streamlit() -> None:
    import streamlit.logger

    streamlit.logger.set_log_level("error")  # no "no runtime" warnings outside `streamlit run`


def time_numbers_view(outlet: str | None = None, country: str | None = None, date_from: date | None = None,
                      date_to: date | None = None) -> list[tuple[str, float]]:
    """(call, ms) for each data call of the Numbers page's default view of these filters, on the
    dataset ``EXODUS_DB`` names."""
    _quiet_streamlit()
    from components import charts, data

    caps = page_caps("numbers")
    f = data.Filters(outlet=outlet, country=country, date_from=date_from, date_to=date_to)
    version = data.version()
    timed = _Timer()

    facets = timed("figure_facets", data._figure_facets, version)
    timed("figure_groups", data._figure_counts, version, f, None)
    groups = charts.group_stats(data._figure_counts(version, f, None))  # cached from here on, as in the page
    timed("figure_totals", data._figure_totals, version, f, None)
    conflicts, _ = timed("figure_conflicts", data._figure_conflicts, version, f, None)
    for metric, unit, _ in groups[:3]:
        timed(f"group_figures {metric} / {unit}", data._group_figures, version, f, metric, unit, caps["MAX_MARKS"])
    shown = tuple(tuple(str(x) for x in g) for g in
                  conflicts[["kind", "metric", "unit", "key"]].head(caps["MAX_CONFLICT_GROUPS"]).itertuples(index=False))
    timed("conflict_figures", data._conflict_figures, version, f, shown, caps["MAX_CONFLICT_ROWS"])
    order = tuple(charts.metric_ids(facets["metrics"]))
    timed("table_figures (no metric)", data._table_figures, version, f, None, True, order, caps["MAX_TABLE_ROWS"])
    timed("table_figures", data._table_figures, version, f, None, False, order, caps["MAX_TABLE_ROWS"])
    return timed.rows


def time_routes_view(outlet: str | None = None, country: str | None = None, date_from: date | None = None,
                     date_to: date | None = None, dest: str | None = None) -> list[tuple[str, float]]:
    """(call, ms) for each data call of the Routes page with every map layer on (``dest``: the
    destination picked on the page, whose evidence it lists), on the dataset ``EXODUS_DB`` names."""
    _quiet_streamlit()
    from components import data

    caps = page_caps("routes")
    f = data.Filters(outlet=outlet, country=country, date_from=date_from, date_to=date_to)
    version = data.version()
    timed = _Timer()

    timed("choices", data._choices, version)
    timed("route_sources", data._route_sources, version, f)
    timed("route_destinations", data._route_destinations, version, f)
    timed("flow_counts", data._flow_counts, version, f)
    timed("person_routes", data._person_routes, version, f, data.MAX_JOURNEYS)
    timed("crossing_counts", data._crossing_counts, version, f, data.MAX_CROSSING_FIGURES)
    if dest:
        timed("evidence_routes (one destination)", data._evidence_routes, version, f, dest, caps["MAX_CARDS"])
    else:
        timed("evidence_routes", data._evidence_routes, version, f, None, caps["CARDS_PER_GROUP"])
    return timed.rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.splitlines()[0])
    ap.add_argument("page", choices=["numbers", "routes"])
    ap.add_argument("--db", required=True, help="dataset file (e.g. from python -m bench.app_dataset)")
    ap.add_argument("--outlet")
    ap.add_argument("--country", help="ISO code of a destination country (the shared filter)")
    ap.add_argument("--date-from", type=date.fromisoformat)
    ap.add_argument("--date-to", type=date.fromisoformat)
    ap.add_argument("--dest", help="routes: the destination picked on the page (ISO code)")
    args = ap.parse_args(argv)
    if not Path(args.db).is_file():
        ap.error(f"no dataset at {args.db} (make one with: python -m bench.app_dataset --articles N --workdir DIR)")
    if args.dest and args.page != "routes":
        ap.error("--dest is a Routes page choice")
    os.environ["EXODUS_DB"] = str(args.db)
    view = dict(outlet=args.outlet, country=args.country, date_from=args.date_from, date_to=args.date_to)
    rows = time_routes_view(**view, dest=args.dest) if args.page == "routes" else time_numbers_view(**view)
    print("| call | ms |\n|---|---:|")
    for name, ms in rows:
        print(f"| {name} | {ms:.0f} |")
    print(f"| sum | {sum(ms for _, ms in rows):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
