"""Score a built dataset against a gold annotation file (format: docs/GOLD_SCHEMA.md).

Matching rules (the same for every corpus):
- quote: a gold quote matches a stored quote of the same article when the word
  tokens of one are a contiguous run of the other's (either way round, so a
  multi-sentence quote may be stored whole or per paragraph);
- speaker: a matched named quote is attributed right when the stored speaker is
  the gold name or one of its aliases (case-insensitive);
- figure: same article, equal value (relative tolerance 1e-6) and surface
  strings that overlap (one contains the other);
- destination: same article and country code.

Precision counts a stored item as right when it matches any gold item, required
or not; recall counts required gold items only.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


@dataclass
class Score:
    kind: str
    found: int = 0  # required gold items matched (recall numerator)
    required: int = 0  # required gold items
    right: int = 0  # stored items matching any gold item (precision numerator)
    stored: int = 0  # stored items considered

    @property
    def recall(self) -> float | None:
        return self.found / self.required if self.required else None

    @property
    def precision(self) -> float | None:
        return self.right / self.stored if self.stored else None


@dataclass
class Report:
    gold_file: str
    db_file: str
    articles_in_gold: int = 0
    articles_missing: list[str] = field(default_factory=list)
    quotes: Score = field(default_factory=lambda: Score("quotes"))
    speakers_right: int = 0  # matched named required quotes attributed to the right person
    speakers_total: int = 0  # matched named required quotes
    unnamed_given_name: int = 0  # gold-unnamed quotes stored with a name
    figures: Score = field(default_factory=lambda: Score("figures"))
    dates_as_figures: int = 0
    destinations: Score = field(default_factory=lambda: Score("destinations"))
    misses: list[dict] = field(default_factory=list)  # what went wrong, for the reader

    @property
    def speaker_accuracy(self) -> float | None:
        return self.speakers_right / self.speakers_total if self.speakers_total else None

    def as_dict(self) -> dict:
        d = {
            "gold_file": self.gold_file,
            "db_file": self.db_file,
            "articles_in_gold": self.articles_in_gold,
            "articles_missing": self.articles_missing,
        }
        for s in (self.quotes, self.figures, self.destinations):
            d[s.kind] = {**asdict(s), "recall": _r(s.recall), "precision": _r(s.precision)}
            d[s.kind].pop("kind")
        d["speakers"] = {
            "right": self.speakers_right,
            "total": self.speakers_total,
            "accuracy": _r(self.speaker_accuracy),
            "unnamed_given_name": self.unnamed_given_name,
        }
        d["figures"]["dates_as_figures"] = self.dates_as_figures
        d["misses"] = self.misses
        return d


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text.replace("’", "'"))]


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    n = len(needle)
    first = needle[0]
    return any(haystack[i] == first and haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def quote_matches(gold_text: str, stored_text: str) -> bool:
    g, s = tokens(gold_text), tokens(stored_text)
    return _contains_run(s, g) or _contains_run(g, s)


def figure_matches(gold: dict, value: float, raw: str, unit: str | None = None) -> bool:
    """Same value, and the same surface (one contains the other) or the same written number
    in the same unit ('300,000 rubles' for a gold '300,000 roubles')."""
    gv = float(gold["value"])
    if abs(gv - value) > 1e-6 * max(1.0, abs(gv)):
        return False
    a, b = gold["raw"].lower(), raw.lower()
    if a in b or b in a:
        return True
    digits_a, digits_b = re.sub(r"\D", "", a), re.sub(r"\D", "", b)
    return bool(digits_a) and digits_a == digits_b and unit is not None and unit == gold.get("unit")


def _name_ok(stored: str | None, gold: dict) -> bool:
    if not stored:
        return False
    names = {gold["speaker"].lower(), *(a.lower() for a in gold.get("speaker_aliases") or [])}
    return stored.lower() in names


def _is_date_like(raw: str, not_figures: list[str], is_gold_figure: bool) -> bool:
    """Listed as not a figure, or shaped like a year or a piece of a listed date, and not a
    figure the gold lists (the gold has no offsets: a '3' may be both '3 October' and a count
    of 3 in another sentence)."""
    r = raw.strip().lower()
    if any(r == nf.strip().lower() for nf in not_figures):
        return True
    if is_gold_figure:
        return False
    if _YEAR.match(r):
        return True
    rt = tokens(r)
    return any(rt and any(c.isdigit() for c in r) and _contains_run(tokens(nf), rt) for nf in not_figures)


def evaluate(gold_path: Path, db_path: Path) -> Report:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    con = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
    try:
        return _score(gold, con, str(gold_path), str(db_path))
    finally:
        con.close()


def _score(gold: dict, con: sqlite3.Connection, gold_name: str, db_name: str) -> Report:
    rep = Report(gold_file=gold_name, db_file=db_name)
    by_file = {f: aid for aid, f in con.execute("SELECT article_id, file FROM articles")}
    quotes = defaultdict(list)
    for aid, text, speaker in con.execute("SELECT article_id, text, speaker FROM quotes"):
        quotes[aid].append((text, speaker))
    figures = defaultdict(list)
    for aid, value, raw, unit in con.execute("SELECT article_id, value, raw, unit FROM figures"):
        figures[aid].append((value, raw, unit))
    dests = defaultdict(set)
    for aid, cc in con.execute(
        "SELECT r.article_id, p.country_code FROM routes r JOIN places p ON p.place_id = r.destination_place_id"
    ):
        dests[aid].add(cc)

    for art in gold.get("articles", []):
        rep.articles_in_gold += 1
        aid = by_file.get(art["file"])
        if aid is None:
            rep.articles_missing.append(art["file"])
        _score_quotes(rep, art, quotes.get(aid, []))
        _score_figures(rep, art, figures.get(aid, []))
        _score_destinations(rep, art, dests.get(aid, set()))
    return rep


def _score_quotes(rep: Report, art: dict, stored: list[tuple[str, str | None]]) -> None:
    golds = art.get("quotes", [])
    for g in golds:
        hits = [s for s in stored if quote_matches(g["text"], s[0])]
        if g.get("required"):
            rep.quotes.required += 1
            if hits:
                rep.quotes.found += 1
            else:
                rep.misses.append({"file": art["file"], "kind": "quote not found", "text": g["text"]})
        if not hits:
            continue
        if g.get("speaker") and g.get("required"):
            rep.speakers_total += 1
            if any(_name_ok(s[1], g) for s in hits):
                rep.speakers_right += 1
            else:
                rep.misses.append({"file": art["file"], "kind": "wrong speaker", "text": g["text"],
                                   "expected": g["speaker"], "got": hits[0][1]})
        if not g.get("speaker") and not _nested_in_named(g, golds):
            for s in hits:
                if s[1]:
                    rep.unnamed_given_name += 1
                    rep.misses.append({"file": art["file"], "kind": "unnamed quote given a name",
                                       "text": g["text"], "got": s[1]})
    for text, speaker in stored:
        rep.quotes.stored += 1
        if any(quote_matches(g["text"], text) for g in golds):
            rep.quotes.right += 1
        else:
            rep.misses.append({"file": art["file"], "kind": "quote not in gold", "text": text,
                               "got": speaker})


def _nested_in_named(g: dict, golds: list[dict]) -> bool:
    """A quote inside another, named quote (‘…’ within “…”) is spoken by the outer speaker,
    so a stored name for it is not a wrong name."""
    inner = tokens(g["text"])
    return any(o is not g and o.get("speaker") and _contains_run(tokens(o["text"]), inner)
               for o in golds)


def _score_figures(rep: Report, art: dict, stored: list[tuple[float, str, str]]) -> None:
    golds = art.get("figures", [])
    not_figures = art.get("not_figures", [])
    for g in golds:
        if not g.get("required"):
            continue
        rep.figures.required += 1
        if any(figure_matches(g, v, raw, unit) for v, raw, unit in stored):
            rep.figures.found += 1
        else:
            rep.misses.append({"file": art["file"], "kind": "figure not found", "raw": g["raw"],
                               "value": g["value"]})
    for value, raw, unit in stored:
        rep.figures.stored += 1
        matched = any(figure_matches(g, value, raw, unit) for g in golds)
        if _is_date_like(raw, not_figures, matched):
            rep.dates_as_figures += 1
            rep.misses.append({"file": art["file"], "kind": "date or year as figure", "raw": raw})
        if matched:
            rep.figures.right += 1
        else:
            rep.misses.append({"file": art["file"], "kind": "figure not in gold", "raw": raw,
                               "value": value})


def _score_destinations(rep: Report, art: dict, stored: set[str]) -> None:
    golds = art.get("destinations", [])
    required = {d["country"] for d in golds if d.get("required")}
    listed = {d["country"] for d in golds}
    rep.destinations.required += len(required)
    rep.destinations.found += len(required & stored)
    rep.destinations.stored += len(stored)
    rep.destinations.right += len(stored & listed)
    for cc in sorted(required - stored):
        rep.misses.append({"file": art["file"], "kind": "destination not found", "country": cc})
    for cc in sorted(stored - listed):
        rep.misses.append({"file": art["file"], "kind": "destination not in gold", "country": cc})


def format_report(rep: Report, show_misses: bool = True) -> str:
    def pct(x: float | None) -> str:
        return "   n/a" if x is None else f"{x:6.1%}"

    lines = [
        f"gold: {rep.gold_file} ({rep.articles_in_gold} articles)   dataset: {rep.db_file}",
    ]
    if rep.articles_missing:
        lines.append(f"articles in gold but not in the dataset: {', '.join(rep.articles_missing)}")
    lines += [
        "",
        f"{'kind':<22}{'precision':>10}{'recall':>10}   {'counts'}",
        f"{'quotes':<22}{pct(rep.quotes.precision):>10}{pct(rep.quotes.recall):>10}   "
        f"{rep.quotes.right}/{rep.quotes.stored} stored right, {rep.quotes.found}/{rep.quotes.required} required found",
        f"{'speaker attribution':<22}{pct(rep.speaker_accuracy):>10}{'':>10}   "
        f"{rep.speakers_right}/{rep.speakers_total} named quotes attributed right; "
        f"{rep.unnamed_given_name} unnamed quote(s) given a name",
        f"{'figures':<22}{pct(rep.figures.precision):>10}{pct(rep.figures.recall):>10}   "
        f"{rep.figures.right}/{rep.figures.stored} stored right, {rep.figures.found}/{rep.figures.required} required found; "
        f"{rep.dates_as_figures} date(s)/year(s) as figures",
        f"{'destinations':<22}{pct(rep.destinations.precision):>10}{pct(rep.destinations.recall):>10}   "
        f"{rep.destinations.right}/{rep.destinations.stored} stored right, "
        f"{rep.destinations.found}/{rep.destinations.required} required found",
    ]
    if show_misses and rep.misses:
        lines += ["", "misses:"]
        for m in rep.misses:
            detail = ", ".join(f"{k}={v!r}" for k, v in m.items() if k not in ("file", "kind"))
            lines.append(f"  {m['file']}: {m['kind']}: {detail}")
    return "\n".join(lines)
