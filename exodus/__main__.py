"""Command line: ``python -m exodus build|evaluate|geocode``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    from exodus.ingest import CorpusError
    from exodus.pipeline import NothingToBuild, build

    try:
        summary = build(Path(args.input), Path(args.output), jobs=args.jobs)
    except (NothingToBuild, CorpusError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({
            "output": str(summary.output), "articles": summary.articles, "quotes": summary.quotes,
            "figures": summary.figures, "places": summary.places, "routes": summary.routes,
            "skipped": [{"file": s.file, "reason": s.reason} for s in summary.skipped],
            "rewrites": summary.rewrites, "variant_groups": summary.variant_groups,
        }, indent=2))
    else:
        print("\n".join(summary.lines()))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from exodus.evaluate import evaluate, format_report

    for path, what in ((args.gold, "gold file"), (args.db, "dataset")):
        if not Path(path).is_file():
            print(f"error: {what} not found: {path}", file=sys.stderr)
            return 1
    try:
        report = evaluate(Path(args.gold), Path(args.db))
    except (ValueError, KeyError) as exc:
        print(f"error: cannot read the gold file {args.gold}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # sqlite3.DatabaseError and friends: not a dataset
        print(f"error: cannot read the dataset {args.db}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, show_misses=not args.quiet))
    return 0


def _geocode(args: argparse.Namespace) -> int:
    from exodus.places import geocode_online

    cache = Path(args.cache)
    for name in args.names:
        place = geocode_online(name, cache)
        print(f"{name}: {place if place else 'not found'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the SQLite dataset from a folder of articles")
    b.add_argument("--input", required=True, help="folder with *.txt, *.md, *.html and optional manifest.csv")
    b.add_argument("--output", required=True, help="dataset file to write (atomically)")
    b.add_argument("--jobs", type=int, default=1, help="worker processes for extraction (default 1)")
    b.add_argument("--json", action="store_true", help="print the summary as JSON")
    b.set_defaults(func=_build)

    e = sub.add_parser("evaluate", help="score a dataset against a gold annotation file")
    e.add_argument("--gold", required=True, help="gold JSON (see docs/GOLD_SCHEMA.md)")
    e.add_argument("--db", required=True, help="dataset built by 'build'")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument("--quiet", action="store_true", help="scores only, without the list of misses")
    e.set_defaults(func=_evaluate)

    g = sub.add_parser("geocode", help="look places up online (Nominatim) and add them to the cache")
    g.add_argument("names", nargs="+")
    g.add_argument("--cache", default=str(Path(__file__).parent / "gazetteer" / "geocode_cache.csv"))
    g.set_defaults(func=_geocode)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
