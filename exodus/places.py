"""Place names: the committed gazetteer, fast mention finding, distances, optional geocoding.

The gazetteer is read from the CSV files in ``exodus/gazetteer/`` (GeoNames-derived countries
and cities, a hand-checked table of border crossings, and the cache of online geocoding
results). Nothing here touches the network unless ``geocode_online`` is called explicitly.
"""
from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from exodus.model import Place, PlaceMention

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer"
USER_AGENT = "exit-routes/0.1 (research dashboard)"
CACHE_FIELDS = ["query", "name", "country_code", "kind", "lat", "lon", "display_name", "geocoded_at"]

# Surface forms that contain a place name but are not a place (outlets, regions, US states,
# airlines). They are part of the matcher so that longest-match swallows them, then dropped.
_NOT_PLACES = (
    "Latin America", "South America", "North America", "Central America", "Americas",
    "New Jersey", "New Mexico", "New England", "New South Wales", "South Georgia",
    "Georgia Tech", "Georgia State", "New York Times", "Washington Post", "Washington Times",
    "Moscow Times", "Kyiv Independent", "Kyiv Post", "Jerusalem Post", "Times of Israel",
    "Tehran Times", "Air Astana", "Turkish Airlines", "Radio Free Europe", "Hong Kong Free Press",
    "Moscow Mule", "Istanbul Convention", "Minsk agreements", "Minsk Agreements",
    "Ukraine war", "Georgian Dream", "Britain's Got Talent",
)
# Names that are also given names: dropped when followed by a capitalised word (a surname:
# "Jordan Peterson", "Chad Smith") or preceded by a title.
_GIVEN_NAMES = frozenset({"Jordan", "Chad", "Georgia", "Israel", "Kenya", "India", "Paris",
                          "Lima", "Sofia", "Florence", "Victoria", "Sydney", "Santiago", "Niger",
                          "Vladimir", "Milan", "Lida", "Kobe"})
_TITLE_BEFORE = re.compile(r"(?:Mr|Mrs|Ms|Dr|Miss|Sir|Lady|Saint|St)\.?\s+$")
_CAPITALISED_NEXT = re.compile(r"\s+([A-Z][a-z]+)")
# A demonym is a place mention only when it qualifies a border/frontier/checkpoint, and not
# when the phrase names an authority ("the Finnish border guard said").
_DEMONYM_TAIL = (
    r"(?=(?:[-–][A-Z]\w+)?\s+(?:border|frontier|checkpoint|border crossing|crossing point)s?\b"
    r"(?!\s+(?:guard|guards|guard's|service|agency|police|officials?|authorities|troops|forces?|"
    r"patrols?|control|security|committee|department|chief)\b))"
)


def ascii_fold(s: str) -> str:
    """Accents off, typographic apostrophes normalised: for case-insensitive lookups."""
    s = s.replace("’", "'").replace("ø", "o").replace("ı", "i").replace("İ", "I")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def _norm_key(name: str) -> str:
    """Lookup key: folded, lower-case, no leading 'the', no possessive."""
    k = ascii_fold(name).strip().lower()
    k = re.sub(r"'s$", "", k)
    k = re.sub(r"^the\s+", "", k)
    return re.sub(r"\s+", " ", k)


def _trie_regex(words: list[str]) -> str:
    """One regex for many literal strings, factored as a character trie.

    Python's ``re`` tries alternatives one by one; with thousands of names a flat
    alternation is slow, the trie form fails fast on the first character.
    Greedy optional groups make the longest alternative win.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        if len(alts) == 1 and not end:
            return alts[0]
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if end else body

    return build(trie)


@dataclass(frozen=True, repr=False)
class Gazetteer:
    """Immutable gazetteer: places, their surface forms and the compiled matchers."""

    places: tuple[Place, ...]
    surfaces: Mapping[str, Place | None]  # exact surface form -> place (None: not a place)
    demonyms: Mapping[str, Place]  # "Finnish" -> Finland
    folded: Mapping[str, Place]  # normalised key -> place, for lookup()
    ids: Mapping[str, Place]
    countries: Mapping[str, Place]  # ISO alpha-2 -> country place
    population: Mapping[str, int]  # place_id -> population (cities)
    pattern: re.Pattern
    demonym_pattern: re.Pattern

    def __repr__(self) -> str:
        return f"Gazetteer({len(self.places)} places, {len(self.surfaces)} surface forms)"

    def lookup(self, name: str) -> Place | None:
        """The place a name (any known surface form, any case) stands for, else None."""
        if name in self.surfaces and self.surfaces[name] is not None:
            return self.surfaces[name]
        return self.folded.get(_norm_key(name))

    def by_id(self, place_id: str) -> Place | None:
        return self.ids.get(place_id)

    def country(self, code: str) -> Place:
        """The country record for an ISO alpha-2 code (KeyError when unknown)."""
        return self.countries[code.upper()]

    def country_of(self, place: Place) -> Place | None:
        return self.countries.get(place.country_code)

    def is_demonym(self, surface: str) -> bool:
        """True for adjective mentions ('Finnish' in 'the Finnish border')."""
        return surface in self.demonyms


def _split(cell: str) -> list[str]:
    return [a.strip() for a in (cell or "").split("|") if a.strip()]


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _add_surface(surfaces: dict, name: str, place: Place, rank: dict, r: tuple) -> None:
    """Keep, for each surface, the place with the best rank (countries over crossings over
    cities, then bigger population)."""
    if name not in surfaces or r < rank[name]:
        surfaces[name] = place
        rank[name] = r


@functools.lru_cache(maxsize=4)
def load_gazetteer(directory: Path | None = None) -> Gazetteer:
    """Read the committed CSVs once per process (immutable, so caching is safe)."""
    d = Path(directory) if directory else GAZETTEER_DIR
    surfaces: dict[str, Place | None] = {}
    rank: dict[str, tuple] = {}
    places: list[Place] = []
    demonyms: dict[str, Place] = {}
    population: dict[str, int] = {}
    countries: dict[str, Place] = {}

    for row in _read(d / "countries.csv"):
        p = Place(row["place_id"], row["name"], row["code"], "country", float(row["lat"]), float(row["lon"]))
        places.append(p)
        countries[p.country_code] = p
        for s in [row["name"], *_split(row["aliases"])]:
            _add_surface(surfaces, s, p, rank, (0, 0))
        for s in _split(row["demonyms"]):
            demonyms[s] = p
    for row in _read(d / "crossings.csv"):
        p = Place(row["place_id"], row["name"], row["country_code"], "border_crossing",
                  float(row["lat"]), float(row["lon"]))
        places.append(p)
        for s in [row["name"], *_split(row["aliases"])]:
            _add_surface(surfaces, s, p, rank, (1, 0))
    for row in _read(d / "cities.csv"):
        p = Place(row["place_id"], row["name"], row["country_code"], "city", float(row["lat"]), float(row["lon"]))
        places.append(p)
        pop = int(row.get("population") or 0)
        population[p.place_id] = pop
        for s in [row["name"], *_split(row["aliases"])]:
            _add_surface(surfaces, s, p, rank, (2, -pop))
    for row in _read(d / "geocode_cache.csv"):
        if not row.get("lat"):
            continue  # a cached miss
        p = Place(f"geo:{_slug(row['query'])}", row["name"], row["country_code"], row["kind"] or "city",
                  float(row["lat"]), float(row["lon"]))
        places.append(p)
        _add_surface(surfaces, row["query"], p, rank, (3, 0))
    for s in _NOT_PLACES:
        surfaces[s] = None

    folded: dict[str, Place] = {}
    for s, p in surfaces.items():
        if p is not None:
            folded.setdefault(_norm_key(s), p)
    names = sorted(surfaces, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(?:" + _trie_regex(names) + r")(?![\w])")
    dem = re.compile(r"(?<![\w])(?:" + _trie_regex(sorted(demonyms)) + r")" + _DEMONYM_TAIL)
    return Gazetteer(
        places=tuple(places),
        surfaces=MappingProxyType(surfaces),
        demonyms=MappingProxyType(demonyms),
        folded=MappingProxyType(folded),
        ids=MappingProxyType({p.place_id: p for p in places}),
        countries=MappingProxyType(countries),
        population=MappingProxyType(population),
        pattern=pattern,
        demonym_pattern=dem,
    )


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(s).lower()).strip("-")


def _is_given_name_use(text: str, start: int, end: int, surface: str, gaz: Gazetteer) -> bool:
    """'Jordan Peterson', 'Ms Georgia ...': a name shared with a person."""
    if surface not in _GIVEN_NAMES:
        return False
    if _TITLE_BEFORE.search(text, max(0, start - 8), start):
        return True
    m = _CAPITALISED_NEXT.match(text, end)
    return bool(m and m.group(1) not in gaz.surfaces)


def _is_us_state_use(text: str, start: int, surface: str, gaz: Gazetteer) -> bool:
    """'Atlanta, Georgia': a US city followed by the state name."""
    if surface != "Georgia":
        return False
    m = re.search(r"([A-Z][\w.]*(?: [A-Z][\w.]*)?),\s*$", text[max(0, start - 40):start])
    if not m:
        return False
    before = gaz.surfaces.get(m.group(1))
    return before is not None and before.country_code == "US"


def find_places(text: str, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Every gazetteer place named in ``text``: longest match, whole words, case-sensitive.

    Demonyms become mentions only in border phrases ("at the Kazakh border"); use
    ``gazetteer.is_demonym(m.surface)`` to tell them apart.
    """
    gaz = gazetteer or load_gazetteer()
    found: list[PlaceMention] = []
    for m in gaz.pattern.finditer(text):
        surface = m.group(0)
        place = gaz.surfaces.get(surface)
        if place is None:
            continue
        if _is_given_name_use(text, m.start(), m.end(), surface, gaz):
            continue
        if _is_us_state_use(text, m.start(), surface, gaz):
            continue
        found.append(PlaceMention(m.start(), m.end(), surface, place))
    for m in gaz.demonym_pattern.finditer(text):
        found.append(PlaceMention(m.start(), m.end(), m.group(0), gaz.demonyms[m.group(0)]))
    found.sort(key=lambda pm: (pm.start, -pm.end))
    out: list[PlaceMention] = []
    for pm in found:
        if out and pm.start < out[-1].end:
            continue  # overlapping: keep the earlier/longer one
        out.append(pm)
    return out


def distance_km(a: Place, b: Place) -> float:
    """Geodesic distance (WGS-84 ellipsoid) between two places, in km."""
    return _geodesic_km(a.lat, a.lon, b.lat, b.lon)


@functools.lru_cache(maxsize=4096)
def _geodesic_km(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    """Cached by coordinates: a build asks for the same few origin/destination pairs
    thousands of times, and one geodesic costs ~0.1 ms."""
    from geopy.distance import geodesic

    return float(geodesic((lat_a, lon_a), (lat_b, lon_b)).km)


def _cached(name: str, cache_path: Path) -> dict[str, str] | None:
    key = _norm_key(name)
    for row in _read(cache_path):
        if _norm_key(row.get("query", "")) == key:
            return row
    return None


def _place_from_row(row: dict[str, str]) -> Place | None:
    if not row.get("lat"):
        return None
    return Place(f"geo:{_slug(row['query'])}", row["name"], row["country_code"],
                 row.get("kind") or "city", float(row["lat"]), float(row["lon"]))


def geocode_online(name: str, cache_path: Path, geocoder: Any | None = None,
                   min_delay_seconds: float = 1.0) -> Place | None:
    """Look a name up with Nominatim (only when called explicitly) and cache the answer.

    ``geocoder`` is any object with a geopy-style ``geocode(query, **kwargs)`` method; by
    default a Nominatim client with the project's user agent. Calls are rate limited
    (Nominatim's policy: at most one request per second). Misses are cached too, so a name
    is never asked twice.
    """
    cache_path = Path(cache_path)
    hit = _cached(name, cache_path)
    if hit is not None:
        return _place_from_row(hit)
    from geopy.extra.rate_limiter import RateLimiter

    if geocoder is None:
        from geopy.geocoders import Nominatim

        geocoder = Nominatim(user_agent=USER_AGENT)
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds)
    loc = geocode(name, addressdetails=True, language="en")
    row = {"query": name, "name": "", "country_code": "", "kind": "", "lat": "", "lon": "",
           "display_name": "", "geocoded_at": datetime.now(timezone.utc).strftime("%Y-%m-%d")}
    if loc is not None:
        raw = getattr(loc, "raw", {}) or {}
        address = raw.get("address", {}) or {}
        kind = raw.get("addresstype") or raw.get("type") or "city"
        row.update({
            "name": address.get("city") or address.get("town") or address.get("village")
            or address.get("country") or name,
            "country_code": (address.get("country_code") or "").upper(),
            "kind": "country" if kind == "country" else ("city" if kind in {"city", "town", "village"} else kind),
            "lat": f"{loc.latitude:.5f}", "lon": f"{loc.longitude:.5f}",
            "display_name": getattr(loc, "address", "") or "",
        })
    _append_cache(cache_path, row)
    return _place_from_row(row)


def _append_cache(cache_path: Path, row: dict[str, str]) -> None:
    new = not cache_path.exists() or cache_path.stat().st_size == 0
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    with cache_path.open("a", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CACHE_FIELDS, lineterminator="\n")
        if new:
            w.writeheader()
        w.writerow(row)
