"""A deterministic synthetic news corpus for the benchmarks.

Articles look like the real input: a headline, web furniture lines, paragraphs
with quotes under varied attribution, figures (counts, %, money, km) and route
sentences naming places from the project gazetteer. Everything comes from a
seeded ``random.Random`` (one per article, so any prefix of a corpus is the same
whatever ``n`` is, and articles can be generated in any order); no network.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parent.parent / "exodus" / "gazetteer"

# Destinations people actually reported reaching (generic list of country codes).
DESTINATION_CODES = ("GE", "KZ", "AM", "FI", "TR", "RS", "MN", "UZ", "KG", "IL", "AE", "AZ", "DE", "ME", "AR")
ORIGIN_CITY_CODES = ("RU",)

FIRST = ("Ivan", "Dmitry", "Alexei", "Sergei", "Nikita", "Pavel", "Artem", "Maxim", "Yegor", "Kirill",
         "Anna", "Olga", "Maria", "Elena", "Yulia", "Grigory", "Roman", "Andrei", "Mikhail", "Timur")
LAST = ("Petrov", "Smirnov", "Volkov", "Kuznetsov", "Sokolov", "Lebedev", "Morozov", "Novikov", "Orlov",
        "Zaitsev", "Belov", "Karpov", "Frolov", "Gusev", "Titov", "Sorokin", "Makarov", "Yakovlev")
ROLES = ("a 27-year-old programmer", "a lawyer who advises conscripts", "a father of two",
         "a human rights activist", "a spokesman for the border service", "a university lecturer",
         "a former reservist", "a taxi driver from Kazan", "an IT manager", "a volunteer")
OUTLETS = ("Reuters", "the BBC", "the Guardian", "AFP", "Sky News", "the Associated Press", "Meduza")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MODES = ("by car", "on foot", "by bus", "by train", "on a bicycle", "by plane")

QUOTE_TEXTS = (
    "I did not want to go to war, so I decided to leave",
    "We packed everything we could carry and drove through the night",
    "Nobody knows what will happen next, and that is the scariest part",
    "The queue at the border stretched for kilometres and people slept in their cars",
    "My employer told me the summons was only a matter of time",
    "I love my country but I cannot fight in this war",
    "The officers checked every phone and asked where we were going",
    "We have received thousands of requests for advice since the announcement",
    "Prices for flights went up five times in two days",
    "I left my mother behind, and I call her every evening",
    "There is no legal way to refuse, so people simply run",
    "The authorities are trying to close every loophole",
)
FILLER = (
    "The Kremlin has denied that a second wave of mobilisation is planned.",
    "Officials in Moscow did not respond to a request for comment.",
    "Rights groups say the number of men seeking exemptions has grown sharply since the autumn.",
    "The defence ministry says the call-up applies only to reservists with combat experience.",
    "Many of those leaving are young professionals from large cities.",
    "Lawyers report a surge in questions about alternative civilian service.",
    "Some regions have begun handing out summonses at metro stations and apartment blocks.",
    "Neighbouring governments have said they will not turn back Russian citizens at the border.",
    "The exodus has hit the technology sector particularly hard, according to industry groups.",
    "Landlords in the capital reported a sudden rise in demand for short-term rentals.",
)
SUBJECTS = ("Officials in {city}", "Local media", "A regional governor", "Border guards", "Independent pollsters",
            "Employers in {city}", "Volunteers near the border", "Diplomats in {country}", "Airline staff",
            "Residents of {origin}", "Human rights lawyers", "The local administration in {origin}",
            "Hotel owners in {city}", "Analysts at a think tank in {country}", "Recruitment officers")
VERBS = ("reported", "described", "warned about", "complained about", "played down", "confirmed",
         "denied reports of", "published figures on", "raised concerns about", "documented")
OBJECTS = ("long delays at checkpoints", "a shortage of rental flats", "new rules for reservists",
           "rising prices for bus tickets", "a wave of resignations", "pressure on draft offices",
           "unusual demand for foreign currency", "queues outside passport offices",
           "checks on men of fighting age", "a fall in university enrolment", "new exit restrictions",
           "crowded shelters for new arrivals", "cancelled flights", "a boom in remote-work visas")
TIMES = ("on {day}", "last week", "in early {month}", "over the weekend", "this month", "since {month}",
         "on Tuesday", "late on Friday", "in recent days", "before the weekend")
FURNITURE = ("Read more:", "Share this article", "Sign up to our newsletter", "Advertisement",
             "Follow us on Twitter", "Read More: Russia latest", "Comments")


@dataclass(frozen=True)
class Places:
    """Names drawn from the project gazetteer, grouped by the role they play in a sentence."""

    countries: tuple[str, ...]
    cities: tuple[str, ...]
    origins: tuple[str, ...]
    crossings: tuple[tuple[str, str], ...]  # (crossing name, its country name)


def _rows(name: str) -> list[dict[str, str]]:
    with open(GAZETTEER / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def load_places() -> Places:
    """Destination countries, their cities, Russian origin cities and border crossings."""
    countries = {r["code"]: r["name"] for r in _rows("countries.csv")}
    dest = tuple(countries[c] for c in DESTINATION_CODES if c in countries) or tuple(sorted(countries.values()))[:10]
    cities = _rows("cities.csv")
    # Large cities only: the generated text should use names a reporter would use.
    big = sorted((c for c in cities if c["country_code"] in DESTINATION_CODES),
                 key=lambda c: -int(c["population"] or 0))
    origins = sorted((c for c in cities if c["country_code"] in ORIGIN_CITY_CODES),
                     key=lambda c: -int(c["population"] or 0))
    crossings = tuple((r["name"], countries.get(r["country_code"], r["country_code"])) for r in _rows("crossings.csv"))
    return Places(
        countries=dest,
        cities=tuple(c["name"] for c in big[:40]) or dest,
        origins=tuple(c["name"] for c in origins[:15]) or ("Moscow",),
        crossings=crossings or (("the border", dest[0]),),
    )


def _filler(r: random.Random, p: Places) -> str:
    """A varied background sentence (fixed sentences would make every article a 'rewrite')."""
    if r.random() < 0.25:
        return r.choice(FILLER)
    slots = {"city": r.choice(p.cities), "country": r.choice(p.countries), "origin": r.choice(p.origins),
             "month": r.choice(MONTHS), "day": f"{r.choice(MONTHS)} {r.randint(1, 28)}"}
    sent = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(TIMES)}".format(**slots)
    if r.random() < 0.4:
        sent += f", {r.choice(('according to', 'as reported by', 'citing'))} {r.choice(OUTLETS)}"
    return sent + "."


def _name(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def _figure(r: random.Random) -> str:
    """A sentence with one figure of a kind the figures extractor knows."""
    n = r.randint(2, 900)
    kind = r.randrange(6)
    if kind == 0:
        return f"About {n * 1000:,} men have left the country since {r.choice(MONTHS)}, officials estimate."
    if kind == 1:
        return f"Up to {r.randint(5, 60)}% of the staff at some firms have gone, a survey found."
    if kind == 2:
        return f"A one-way ticket now costs ${r.randint(5, 90) * 100:,}, up from ${r.randint(1, 4) * 100} a week ago."
    if kind == 3:
        return f"The line of cars at the crossing stretched for {r.randint(5, 30)} km on {r.choice(MONTHS)} {r.randint(1, 28)}."
    if kind == 4:
        return f"More than {n:,} people crossed the border in a single day, the border service said."
    return f"Authorities have issued {r.randint(10, 400) * 1000:,} summonses, according to {r.choice(OUTLETS)}."


def _route(r: random.Random, p: Places, who: str) -> str:
    kind = r.randrange(5)
    if kind == 0:
        return f"{who} fled to {r.choice(p.countries)} {r.choice(MODES)} in {r.choice(MONTHS)}."
    if kind == 1:
        crossing, country = r.choice(p.crossings)
        return f"{who} crossed into {country} at {crossing} after waiting for {r.randint(2, 48)} hours."
    if kind == 2:
        return f"{who} left {r.choice(p.origins)} for {r.choice(p.cities)} days after the announcement."
    if kind == 3:
        return f"Thousands of Russians have fled to {r.choice(p.countries)} and {r.choice(p.countries)} since the call-up."
    return f"{who} flew from {r.choice(p.origins)} to {r.choice(p.cities)} with a single suitcase."


def _quote(r: random.Random, name: str, role: str) -> str:
    q = r.choice(QUOTE_TEXTS)
    kind = r.randrange(5)
    if kind == 0:
        return f"\u201c{q},\u201d said {name}, {role}."
    if kind == 1:
        return f"{name} told {r.choice(OUTLETS)}: \u201c{q}.\u201d"
    if kind == 2:
        return f"\u201c{q},\u201d {name.split()[-1]} said."
    if kind == 3:
        return f"{r.choice(('He', 'She'))} said: \u201c{q}.\u201d"
    return f"\u201c{q},\u201d {r.choice(('he', 'she'))} added."


def make_article(index: int, seed: int = 0) -> tuple[str, dict[str, str]]:
    """One article's text and its manifest row (deterministic in ``(index, seed)``)."""
    r = random.Random(f"exodus-bench:{seed}:{index}")
    p = load_places()
    dest = r.choice(p.countries)
    headline = r.choice((
        f"Russian men flee to {dest} to avoid mobilisation",
        f"Queues grow at the border as Russians head for {dest}",
        f"'I could not fight': the Russians who left for {dest}",
        f"Thousands cross into {dest} after call-up",
    ))
    paras: list[str] = [headline, r.choice(FURNITURE)]
    people = [(_name(r), r.choice(ROLES)) for _ in range(r.randint(2, 3))]
    for i in range(r.randint(12, 17)):
        name, role = people[i % len(people)]
        sents = [_filler(r, p), _filler(r, p)]
        pick = r.randrange(4)
        if pick == 0:
            sents.append(_quote(r, name, role))
        elif pick == 1:
            sents.append(_figure(r))
        elif pick == 2:
            sents.append(_route(r, p, name if r.random() < 0.7 else r.choice(("He", "She"))))
        else:
            sents += [_figure(r), _quote(r, name, role)]
        if r.random() < 0.5:
            sents.append(_filler(r, p))
        r.shuffle(sents)
        paras.append(" ".join(sents))
        if r.random() < 0.12:
            paras.append(r.choice(FURNITURE))
    paras.append("Share this article")
    day = f"202{r.randint(2, 4)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    fname = f"{index:06d}_bench.txt"
    row = {"file": fname, "url": f"https://news.example/{seed}/{index}", "outlet": r.choice(OUTLETS).removeprefix("the "),
           "published": day, "title": headline, "note": "synthetic (bench.corpus)"}
    return "\n\n".join(paras) + "\n", row


def write_corpus(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` articles plus manifest.csv into ``folder``; returns the article paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    rows: list[dict[str, str]] = []
    for i in range(n):
        text, row = make_article(i, seed)
        path = folder / row["file"]
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
        rows.append(row)
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "url", "outlet", "published", "title", "note"])
        w.writeheader()
        w.writerows(rows)
    return paths
