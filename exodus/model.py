"""Records passed between the pipeline stages.

Every extractor is a pure function from an article's cleaned text to a list of
these records. Offsets are character offsets into that text, so that
``text[start:end]`` is exactly the span the record stands for.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One cleaned input article, before extraction."""

    file: str  # input file name (relative to the input folder)
    text: str  # cleaned body, the offsets of every extracted span point into it
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD or None
    published_basis: str | None = None  # 'manifest', 'text', or None
    source_format: str = "txt"  # txt | md | html
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Skipped:
    """An input file (or manifest row) that was not used, with a one-line reason."""

    file: str
    reason: str


@dataclass(frozen=True)
class Person:
    """A person or organisation named in one article.

    ``canonical`` is the fullest form the article uses ("Danila Davydov");
    ``aliases`` are the other forms that refer to the same entity in that
    article (surname alone, spelling variants). ``mentions`` are (start, end)
    spans of every mention, aliases included.
    """

    canonical: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[tuple[int, int], ...] = ()
    kind: str = "person"  # person | organisation


@dataclass(frozen=True)
class Quote:
    """A direct quotation: ``text`` is the words inside the quotation marks."""

    start: int
    end: int
    text: str
    speaker: str | None  # canonical name, None when the speaker is unnamed/unknown
    rule: str  # which attribution rule fired, e.g. 'said-X-after', 'X-told-that', 'pronoun'
    confidence: float  # 0..1
    speaker_desc: str | None = None  # e.g. 'a Russian man in his 30s' for unnamed speakers
    speaker_start: int | None = None  # span of the mention the speaker came from
    speaker_end: int | None = None


@dataclass(frozen=True)
class Figure:
    """A reported quantity. Dates, years, days of the month and ordinals are never figures."""

    start: int
    end: int
    raw: str  # exact surface string == text[start:end]
    value: float
    unit: str  # people|cases|requests|soldiers|percent|fold|km|roubles|usd|gbp|flights|years|count|...
    counts: str | None  # what is counted, a few words taken from the sentence
    rule: str
    confidence: float
    value_high: float | None = None  # upper bound of a range
    approximate: bool = False  # 'about', 'over', 'a dozen', 'nearly'
    kind: str = "quantity"  # quantity | age | duration | range  (ages/durations are kept but flagged)


@dataclass(frozen=True)
class Place:
    """A gazetteer entry."""

    place_id: str  # stable id, e.g. 'country:GE', 'city:tbilisi', 'crossing:upper-lars'
    name: str
    country_code: str  # ISO 3166-1 alpha-2
    kind: str  # country | city | border_crossing | region
    lat: float
    lon: float


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str  # text[start:end]
    place: Place


@dataclass(frozen=True)
class Route:
    """People (in general or a named person) left for / crossed into / flew to / arrived in / plan to go to a place."""

    start: int  # evidence sentence span
    end: int
    destination: Place
    origin: Place | None
    mode: str | None  # land | air | None
    person: str | None  # canonical name for a personal journey, None for general flows
    rule: str
    confidence: float
    destination_start: int | None = None  # the mention of the destination inside the sentence
    destination_end: int | None = None


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: Article
    people: list[Person] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
