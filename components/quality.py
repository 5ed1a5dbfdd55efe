"""Extraction quality for the About page: the dataset in use scored against the gold annotation.

Runs ``exodus.evaluate.evaluate`` (which opens the dataset read-only itself) only when
the gold file exists and the dataset holds the gold's articles; otherwise it says why
there is no score, rather than showing zeros. Results are cached per dataset version.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from components import data

GOLD = data.ROOT / "data" / "gold" / "seeds.gold.json"
BUNDLED_RAW = data.ROOT / "data" / "raw"
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")

MATCHING = (
    "How matching works: a stored **quote** matches a gold quote of the same article when the words of "
    "one are a contiguous run of the other's; a **speaker** is right when the stored name is the gold "
    "name or one of its aliases; a **figure** matches on the same value and overlapping surface text; a "
    "**destination** on the same article and country code. Precision counts stored items that match any "
    "gold item; recall counts the gold items marked required. The same rules score any corpus: "
    "`python -m exodus evaluate --gold FILE --db DATASET`."
)


@dataclass
class Quality:
    """What the About page shows about extraction quality."""

    status: str  # "no_gold" | "unreadable" | "absent" | "partial" | "ok"
    gold_files: list[str] = field(default_factory=list)
    dataset_files: int = 0
    in_dataset: list[str] = field(default_factory=list)
    bundled: bool = False  # the dataset is exactly the bundled corpus in data/raw
    report: dict | None = None
    error: str = ""


def gold_files(gold: Path) -> list[str]:
    doc = json.loads(Path(gold).read_text(encoding="utf-8"))
    return [a["file"] for a in doc.get("articles", []) if a.get("file")]


def bundled_files(raw: Path = BUNDLED_RAW) -> set[str]:
    if not raw.is_dir():
        return set()
    return {p.name for p in raw.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES}


@st.cache_data(max_entries=8, show_spinner=False)
def _dataset_files(version: str, names: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    """(distinct article files in the dataset, those of ``names`` among them), once per dataset
    version: a set of every file name on each rerun cost ~30% of the About page at 100k articles."""
    return data.article_files(names)


@st.cache_data(max_entries=8, show_spinner="Scoring the extraction against the gold annotation…")
def _score(version: str, gold: str, db: str) -> dict:
    """The evaluation report as a dict (cached: keyed on the dataset version and gold file)."""
    from exodus.evaluate import evaluate

    rep = evaluate(Path(gold), Path(db))
    out = rep.as_dict()
    out["speakers"]["accuracy"] = rep.speaker_accuracy
    return out


def assess(gold: Path = GOLD) -> Quality:
    """Decide what can be said about quality for the dataset in use, scoring it when possible."""
    if not Path(gold).is_file():
        return Quality("no_gold")
    try:
        golds = gold_files(gold)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Quality("unreadable", error=f"{type(exc).__name__}: {exc}")
    bundled = bundled_files()
    n_files, found = _dataset_files(data.version(), (*golds, *sorted(bundled)))
    present = [g for g in golds if g in found]
    q = Quality("absent", gold_files=golds, dataset_files=n_files, in_dataset=present,
                bundled=n_files > 0 and n_files == len(bundled) and bundled <= set(found))
    if not present:
        return q
    try:
        q.report = _score(data.version(), str(gold), str(data.db_path()))
    except Exception as exc:  # a damaged gold file or dataset must not break the page
        return Quality("unreadable", gold_files=golds, dataset_files=len(files), in_dataset=present,
                       error=f"{type(exc).__name__}: {exc}")
    q.status = "ok" if len(present) == len(golds) else "partial"
    return q


def _pct(x: float | None) -> float | None:
    return None if x is None else round(float(x) * 100, 1)


def quality_table(report: dict) -> pd.DataFrame:
    """One row per kind of item: precision, recall and the counts behind them."""
    rows = []
    for kind, label in (("quotes", "Quotes"), ("figures", "Figures"), ("destinations", "Destinations")):
        s = report[kind]
        detail = (f"{s['right']} of {s['stored']} stored are in the gold; "
                  f"{s['found']} of {s['required']} required gold items found")
        if kind == "figures":
            detail += f"; {s['dates_as_figures']} date(s) or year(s) stored as figures"
        rows.append({"What": label, "Precision (%)": _pct(s["precision"]), "Recall (%)": _pct(s["recall"]),
                     "Counts": detail})
    sp = report["speakers"]
    rows.insert(1, {
        "What": "Speaker attribution", "Precision (%)": _pct(sp["accuracy"]), "Recall (%)": None,
        "Counts": (f"{sp['right']} of {sp['total']} matched named quotes attributed to the right person; "
                   f"{sp['unnamed_given_name']} unnamed quote(s) wrongly given a name"),
    })
    return pd.DataFrame(rows)


def display_table(report: dict) -> pd.DataFrame:
    """The quality table with percentages as text, for a static st.table (numbers and our words only)."""
    df = quality_table(report)
    for col in ("Precision (%)", "Recall (%)"):
        df[col] = ["–" if v is None or pd.isna(v) else f"{v:.1f}%" for v in df[col]]
    return df.rename(columns={"Precision (%)": "Precision", "Recall (%)": "Recall"}).set_index("What")


def misses_table(report: dict) -> pd.DataFrame:
    """What went wrong, one row per miss (article text: show only through st.dataframe)."""
    rows = []
    for m in report.get("misses", []):
        what = m.get("text") or m.get("raw") or m.get("country") or ""
        extra = ", ".join(f"{k}: {m[k]}" for k in ("value", "expected", "got") if k in m)
        rows.append({"Article": m.get("file", ""), "Problem": m.get("kind", ""), "Item": str(what),
                     "Detail": extra})
    return pd.DataFrame(rows, columns=["Article", "Problem", "Item", "Detail"])


def headline(report: dict) -> dict[str, float | None]:
    """The four numbers for the metric strip (percent)."""
    return {
        "Quotes found (recall)": _pct(report["quotes"]["recall"]),
        "Speakers right": _pct(report["speakers"]["accuracy"]),
        "Figures found (recall)": _pct(report["figures"]["recall"]),
        "Destinations found (recall)": _pct(report["destinations"]["recall"]),
    }
