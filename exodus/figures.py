"""Reported quantities ("figures") in a cleaned article text.

``extract_figures(text)`` finds counts, shares, changes, distances and sums of
money, each with exact character offsets (``text[f.start:f.end] == f.raw``),
the rule that fired and a confidence. Dates, years, days of the month, times
and ordinals are never returned. Ages and durations are returned flagged
(``kind='age'``/``'duration'``, confidence < 0.5) so that consumers keep only
``kind in ('quantity', 'range')`` with ``confidence >= 0.5`` for charts.

Units (``Figure.unit``), the data contract's list plus the extensions marked *:
  people, soldiers, cases, requests, flights, count   counted things
  vehicles*, visas*                                    counted things
  percent, percentage_points*                          shares and changes
  fold                                                 multiplicative changes
  km                                                   distances (miles converted)
  roubles, usd, gbp*, eur*                             money
  kzt*, gel*, amd*, try*, aed*, kgs*, uzs*, mnt*,      money in the currencies of the
  rsd*, ils*                                           countries people fled to: ISO 4217
                                                       code in lower case (tenge, lari,
                                                       dram, lira, dirham, som, tugrik,
                                                       dinar, shekel)
  years, months*, weeks*, days*, hours*                ages and durations (minutes are
                                                       stored in hours: 20 minutes = 0.333)

Kinds: quantity | range | age | duration | conversion*. A ``conversion`` is a
parenthetical restatement of the previous figure in other units ("10 kilometers
(6 miles)"); its value is the value of the figure it restates (in that
figure's unit) and its confidence is low, so it is never counted twice.

Ranges are "18 to 27", "18-60", "between 18 and 27" and "2 or 3 per cent"; a distance named with
"a" after a preposition ("to less than a kilometre", "for a mile") is 1 km / 1.609 km, approximate.
A bare "som" is Uzbek or Kyrgyz by the nearest country or city named.

Shares written as fractions in words ("a third of requests", "two-thirds of", "another
third said") are ``percent`` figures whose ``raw`` is the fraction words. A bare number that
is the subject of a clause ("Of the men it helped, 74 have travelled on") counts the group it
refers to (rule ``count-subject``).

``raw`` is the number plus its measure unit where there is one ("18 percent",
"10 kilometers", "$5,000", "two-fold"); for counts it is the number alone
("600") and what is counted goes in ``counts``. Approximators ("about",
"over") are not part of ``raw``; they set ``approximate``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from types import MappingProxyType

from exodus.model import Figure
from exodus.text import sentence_at, sentences

# ---------------------------------------------------------------------------
# Word lists (generic English news vocabulary)

# Money units. Beyond roubles and the big three, the currencies of the countries people
# moved to (prices of rent, hostel beds, taxis), named by lower-case ISO 4217 code.
_MONEY_UNITS = frozenset(
    "roubles usd gbp eur kzt gel amd try aed kgs uzs mnt rsd ils".split()
)
# Currency names written after a number ("15,000 tenge", "500 Georgian lari"); an optional
# country adjective may stand between. Case-insensitive names.
_CURRENCY_NAMES: tuple[tuple[str, str], ...] = (
    (r"(?:Kazakh(?:stani)?\s+)?tenge|₸", "kzt"),
    (r"(?:Georgian\s+)?laris?|₾", "gel"),
    (r"(?:Armenian\s+)?drams?(?!\s+of\b)|֏", "amd"),  # not "a dram of whisky"
    (r"(?:Turkish\s+)?(?:liras?|lire)|₺", "try"),
    (r"(?:(?:UAE|Emirati)\s+)?dirhams?", "aed"),
    (r"Uzbek(?:istani)?\s+(?:som|soms|sum|so['’]m)|so['’]m", "uzs"),
    (r"(?:Kyrgyz(?:stani)?\s+)?(?:soms?|som)", "kgs"),
    (r"(?:Mongolian\s+)?(?:t[öo]gr[öo]gs?|tugriks?)|₮", "mnt"),
    (r"(?:Serbian\s+)?dinars?", "rsd"),
    (r"(?:(?:Israeli|new)\s+)?shekels?|₪", "ils"),
)
# ISO codes: upper case only ("TRY", "GEL" and "AMD" are also ordinary words or names).
_CURRENCY_CODES = {"KZT": "kzt", "GEL": "gel", "AMD": "amd", "TRY": "try", "AED": "aed",
                   "KGS": "kgs", "UZS": "uzs", "MNT": "mnt", "RSD": "rsd", "ILS": "ils", "NIS": "ils"}

_UNIT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000,
                "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
                  "b": 1_000_000_000, "tn": 1_000_000_000_000}

_MONTHS = (r"(?<![A-Za-z])(?:January|February|March|April|May|June|July|August|September|October|"
           r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Counted nouns -> unit. Plurals only: a count names several things.
_NOUN_LISTS = {
    "people": "people men women persons individuals citizens residents members refugees "
              "migrants emigrants immigrants expatriates exiles draftees evaders dodgers "
              "volunteers families children students workers nationals civilians protesters "
              "demonstrators detainees prisoners inmates tourists travellers travelers visitors "
              "passengers arrivals applicants asylum-seekers seekers subscribers followers users "
              "employees staff specialists professionals adults youths boys girls males "
              "females guys relocants emigres émigrés officers casualties lawyers activists "
              "journalists experts analysts officials sources witnesses respondents "
              "diplomats deaths dead wounded injured "
              # occupations and relations: "60 of its developers", "200 doctors"
              "developers engineers programmers coders designers testers doctors nurses "
              "teachers scientists researchers academics artists musicians actors writers "
              "entrepreneurs founders managers executives colleagues friends relatives "
              "neighbours neighbors clients customers drivers farmers miners builders "
              "owners freelancers graduates pensioners",
    "soldiers": "soldiers troops servicemen conscripts reservists recruits fighters "
                "personnel mercenaries combatants deserters forces sailors marines "
                "paratroopers draftees",
    "cases": "cases prosecutions convictions lawsuits charges verdicts sentences "
             "investigations arrests detentions",
    "requests": "requests applications appeals inquiries enquiries queries petitions "
                "complaints calls",
    "flights": "flights planes",
    "vehicles": "vehicles cars trucks lorries buses",
    "visas": "visas permits",
}


def _build_noun_units() -> dict[str, str]:
    units: dict[str, str] = {}
    for unit, words in _NOUN_LISTS.items():
        for w in words.split():
            units.setdefault(w, unit)  # first list wins ('draftees' -> people)
    return units


_NOUN_UNITS = MappingProxyType(_build_noun_units())  # read-only

# Nouns for who said something, and structural counts (member states, countries):
# a count of them is attribution or background, not a reported quantity.
_SOURCE_NOUNS = frozenset(
    "lawyers activists journalists experts analysts officials sources witnesses respondents "
    "diplomats groups organisations organizations advocates people interviewees "
    "representatives spokespeople spokesmen researchers".split()
)
_STRUCTURAL_NOUNS = frozenset("countries states nations republics".split())

# Words that end a noun phrase search right after a number.
_STOP_WORDS = frozenset(
    "a an the of in on at to from for with by and or but than as who which that this these "
    "those it its their his her our your my is was are were be been being has have had do did "
    "does will would could should may might can said says say told last next each per every "
    "more less fewer other others over under about around since until before after during "
    "into onto out up down off when while where if so not no only also just then there here "
    "year years month months week weeks day days ago later earlier before".split()
)
_TRAILING_TRIM = frozenset(
    "a an the of in on at to from for with by and or but than as that which who whom "
    "about around over some nearly almost approximately roughly".split()
)
_PERSON_WORDS = frozenset(
    "men women boys girls males females people citizens those anyone everyone conscripts "
    "recruits students youths adults children age aged ages".split()
)
_CHANGE_VERBS = (r"(?:rose|risen|rising|rises|increased?|increasing|grew|grown|growing|"
                 r"jumped|climbed|soared|surged|fell|fallen|falling|dropped|declined?|"
                 r"decreased?|went\s+up|went\s+down|up|down|doubled|tripled)")
_APPROX_BEFORE = re.compile(
    r"(?:about|around|approximately|approx\.|roughly|nearly|almost|some|over|more\s+than|"
    r"less\s+than|fewer\s+than|under|up\s+to|at\s+least|at\s+most|upwards\s+of|close\s+to|"
    r"an\s+estimated|estimated|as\s+many\s+as|as\s+much\s+as|as\s+few\s+as|just\s+over|"
    r"just\s+under|in\s+excess\s+of|circa|well\s+over|~)\s*$",
    re.IGNORECASE,
)


def _approx_before(before: str) -> bool:
    """An approximator ends ``before``: "about", "more than", "in excess of" (three words at most)."""
    return _APPROX_BEFORE.search(before, _tail_start(before, 3)) is not None


_BASELINE_BEFORE = re.compile(
    r"\b(?:up\s+from|down\s+from|from|compar(?:ed|es|ing)\s+(?:to|with)|than|versus|vs\.?|against)\s+"
    r"(?:(?:about|around|approximately|roughly|nearly|almost|some|just|only)\s+)?$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------
# Fast scanning
#
# The number and number-word patterns are long case-insensitive alternations behind a "\b":
# Python's re tries them at every position of the article, which was most of the extraction
# time. A _Scanner tries its pattern only where a match can begin (near a keyword that every
# match contains, found with str.find in a lower-cased copy of the text) and returns exactly
# what ``pattern.finditer(text)`` returns: the same leftmost, non-overlapping matches.


@functools.lru_cache(maxsize=8)
def _folded(text: str) -> str | None:
    """``text`` lower-cased character for character (same offsets), so that a keyword found in
    it is where a case-insensitive literal can match. Under re.IGNORECASE "İ" and "ı" match "i"
    and "ſ" matches "s", but lower() makes "İ" two characters and keeps the other two. None
    if lower-casing still changes the length: the caller then scans the whole text."""
    if "İ" in text:
        text = text.replace("İ", "i")
    low = text.lower()
    if len(low) != len(text):
        return None
    if "ı" in low or "ſ" in low:
        low = low.replace("ı", "i").replace("ſ", "s")
    return low


def _is_ascii_letter(ch: str) -> bool:
    return "a" <= ch <= "z"


def _word_starts_before(low: str, pos: int, n: int) -> list[int]:
    """Starts of the up to ``n`` (lower-case ASCII) words right before ``pos``, each followed by
    whitespace or hyphens: where a phrase that ends in the word at ``pos`` can begin."""
    out: list[int] = []
    for _ in range(n):
        j = pos
        while j > 0 and (low[j - 1].isspace() or low[j - 1] == "-"):
            j -= 1
        k = j
        while k > 0 and _is_ascii_letter(low[k - 1]):
            k -= 1
        if j == pos or k == j:
            break
        out.append(k)
        pos = k
    return out


@dataclass(frozen=True)
class _Scanner:
    """``pattern.finditer`` tried only near keywords. Every match of ``pattern`` must contain
    one of ``keywords`` (lower case), and begin at the keyword, at the start of the word that
    contains it, or at the start of one of the ``n`` words before it, for (keyword, n) in
    ``keywords``; ``digits``: every match begins with a digit not preceded by one."""

    pattern: re.Pattern[str]
    keywords: tuple[tuple[str, int], ...] = ()
    digits: bool = False

    def starts(self, text: str) -> list[int] | None:
        """Sorted positions where a match may begin, or None to scan everywhere."""
        if self.digits:
            return [m.start() for m in _DIGIT_START.finditer(text)]
        low = _folded(text)
        if low is None:
            return None
        hits = _keyword_hits(text)
        found: set[int] = set()
        for kw, n in self.keywords:
            for i in hits[kw]:
                found.add(i)
                k = i
                while k > 0 and _is_ascii_letter(low[k - 1]):
                    k -= 1
                found.add(k)
                if n:
                    found.update(_word_starts_before(low, k, n))
        return sorted(found)

    def finditer(self, text: str) -> list[re.Match[str]]:
        """The matches ``self.pattern.finditer(text)`` yields (none of the patterns matches
        the empty string)."""
        starts = self.starts(text)
        if starts is None:
            return list(self.pattern.finditer(text))
        out: list[re.Match[str]] = []
        pos = 0
        match = self.pattern.match
        for p in starts:
            if p < pos:
                continue
            m = match(text, p)
            if m is not None:
                out.append(m)
                pos = max(m.end(), p + 1)
        return out


@functools.lru_cache(maxsize=8)
def _keyword_hits(text: str) -> dict[str, tuple[int, ...]]:
    """Offsets of every scanner keyword in the folded text, found once per article for all
    scanners; a keyword that starts with a shorter one ("tens", "ten") is read off its hits."""
    low = _folded(text) or ""
    hits: dict[str, tuple[int, ...]] = {}
    for base, longer in _KEYWORD_BASES:
        found = []
        i = low.find(base)
        while i >= 0:
            found.append(i)
            i = low.find(base, i + 1)
        hits[base] = tuple(found)
        for kw in longer:
            hits[kw] = tuple(i for i in found if low.startswith(kw, i))
    return hits


# A decimal digit that does not follow another one (a number starts there).
_DIGIT_START = re.compile(r"\d(?<!\d\d)")

# ---------------------------------------------------------------------------
# Number tokens


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    value: float
    spelled: bool  # written in words ("two", "a dozen")
    plain: bool  # bare digits: no separator, decimal point or scale (a possible year)


_SPACE_GROUP = "[ \u00a0\u2009\u202f]"
_DIGITS = re.compile(
    r"(?<![\w.,/:#+])(?<![A-Za-z]-)"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    # "1 351" with a thin, no-break or plain space; not a run of digit groups (phone numbers)
    rf"|(?<!\d{_SPACE_GROUP})[1-9]\d{{0,2}}(?:{_SPACE_GROUP}\d{{3}})+(?![\d,]|\.\d|{_SPACE_GROUP}\d)"
    r"|\d+(?:\.\d+)?)"
    r"(?P<scale>\s*(?:bn|mn|tn|k)\b|\s+(?:hundred|thousand|million|billion|trillion)\b)?",
)
_NUMWORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
            r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
            r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
            r"|one|two|three|four|five|six|seven|eight|nine|ten"
            r"|hundred|thousand|million|billion|trillion|dozen)")
_SPELLED = re.compile(
    rf"\b(?:an?\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?{_NUMWORD}"
    rf"(?:(?:(?<=hundred)\s+and\s+|\s+|-){_NUMWORD})*\b",
    re.IGNORECASE,
)
_DIGITS_SCAN = _Scanner(_DIGITS, digits=True)
# Every number word starts with one of these ("six" in "sixty", "sixteen"); "a"/"an" comes
# one word before a scale word ("a hundred").
_SPELLED_SCAN = _Scanner(_SPELLED, tuple(
    (w, 0) for w in "one two three four five six seven eight nine ten eleven twelve thirteen fifteen "
                    "twenty thirty forty fifty trillion".split()
) + tuple((w, 1) for w in ("hundred", "thousand", "million", "billion", "dozen")))


# Patterns named _<FUNCTION>_RX<n> are the ones that function uses, compiled once here rather
# than looked up in re's cache on every call (hundreds of thousands of calls per 1k articles).
_PARSE_SPELLED_RX1 = re.compile(r"[\s-]+")


def _parse_spelled(s: str) -> float:
    """Value of a run of number words: 'two hundred and fifty thousand' -> 250000."""
    total, current = 0.0, 0.0
    for w in _PARSE_SPELLED_RX1.split(s.lower()):
        if w in ("a", "an", "and"):
            continue
        if w in _UNIT_WORDS:
            current += _UNIT_WORDS[w]
        elif w in _TENS_WORDS:
            current += _TENS_WORDS[w]
        elif w == "dozen":
            current = max(current, 1) * 12
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _SCALE_WORDS:
            total += max(current, 1) * _SCALE_WORDS[w]
            current = 0
    return total + current


_MILLION_SUFFIX_RX1 = re.compile(r"m\s*(?:to|and|-|–)\s*(?:\$|£|€)?\d[\d.,]*m\s+[^\W\d_]")
_MILLION_SUFFIX_RX2 = re.compile(r"m\s+([^\W\d_]+)")
_MILLION_SUFFIX_RX3 = re.compile(r"(?:roubles?|rubles?|dollars?|euros?|pounds)", re.I)
_CURRENCY_NAME_RXS = tuple(re.compile(rx, re.I) for rx, _ in _CURRENCY_NAMES)


def _million_suffix(text: str, pos: int) -> bool:
    """'1.2m people': an 'm' glued to a number is 'million' only before a counted noun or a
    currency word (a '4m fence' is in metres; '$5m' is handled with the currency symbol)."""
    if _MILLION_SUFFIX_RX1.match(text[pos:pos + 40]):
        return _million_suffix(text, pos + text[pos + 1:pos + 40].index("m") + 1)  # "5m to 10m people"
    m = _MILLION_SUFFIX_RX2.match(text[pos:pos + 30])
    if m is None:
        return False
    word = m.group(1)
    return (_noun_unit(word) is not None
            or _MILLION_SUFFIX_RX3.fullmatch(word) is not None
            or any(rx.fullmatch(word) for rx in _CURRENCY_NAME_RXS))


_TOKENS_RX1 = re.compile(r"[,\s\u00a0\u2009\u202f]")
_TOKENS_RX2 = re.compile(r"\d+")


def _tokens(text: str) -> list[_Tok]:
    """Every number written in digits or words, left to right, non-overlapping."""
    toks: list[_Tok] = []
    for m in _DIGITS_SCAN.finditer(text):
        num = m.group("num")
        value = float(_TOKENS_RX1.sub("", num))
        scale = (m.group("scale") or "").strip().lower()
        if scale:
            value *= _SUFFIX_SCALES.get(scale) or _SCALE_WORDS[scale]
        end = m.end()
        if not scale and _million_suffix(text, end):
            value, end, scale = value * 1_000_000, end + 1, "m"  # "1.2m people", "3m roubles"
        plain = not scale and _TOKENS_RX2.fullmatch(num) is not None
        toks.append(_Tok(m.start(), end, value, False, plain))
    taken = [(t.start, t.end) for t in toks]
    for m in _SPELLED_SCAN.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        toks.append(_Tok(m.start(), m.end(), _parse_spelled(m.group(0)), True, False))
    return sorted(toks, key=lambda t: t.start)


# ---------------------------------------------------------------------------
# Context helpers


def _before(text: str, pos: int, n: int = 60) -> str:
    return text[max(0, pos - n):pos]


def _tail_start(s: str, n: int) -> int:
    """A position at or before the start of the last ``n`` whitespace-separated tokens of ``s``.
    A pattern anchored at the end of ``s`` whose match spans at most ``n`` tokens (literal words,
    spaces) cannot start earlier, so ``pattern.search(s, _tail_start(s, n))`` finds the same match
    as searching all of ``s``, without trying every position (lookbehinds and \\b still see the
    whole string)."""
    parts = s.rsplit(None, n)  # C speed; when n splits were made, parts[0] is a prefix of s
    return len(parts[0]) if len(parts) > n else 0


def _sentence_span(spans: list[tuple[int, int]], pos: int, text: str) -> tuple[int, int]:
    span = sentence_at(spans, pos)
    if span is None:  # between sentences (cannot happen for a word inside a paragraph)
        end = text.find("\n", pos)
        return pos, len(text) if end < 0 else end
    return span


_IS_SENTENCE_START_RX1 = re.compile(r"[\s\"'“‘(\[•*-]*")


def _is_sentence_start(text: str, sent_start: int, pos: int) -> bool:
    """True when only quote marks/brackets/spaces stand between the sentence start and pos."""
    return _IS_SENTENCE_START_RX1.fullmatch(text[sent_start:pos]) is not None


def _trim_words(words: list[str]) -> list[str]:
    while words and words[-1].lower().strip(".,") in _TRAILING_TRIM:
        words.pop()
    while words and words[0].lower() in ("of", "the", "a", "an", "and"):
        words.pop(0)
    return words


_PHRASE_AFTER_RX1 = re.compile(r"\s*\([^)]{0,40}\)")
_PHRASE_AFTER_RX2 = re.compile(r",(?!\d)|\.(?!\d)|[;:!?()\"“”—–\n]")


def _phrase_after(text: str, pos: int, sent_end: int, max_words: int = 8) -> str:
    """A few words after pos, up to the first punctuation (a parenthesis right at pos is skipped)."""
    m = _PHRASE_AFTER_RX1.match(text[pos:sent_end])
    if m:
        pos += m.end()
    seg = _PHRASE_AFTER_RX2.split(text[pos:sent_end], maxsplit=1)[0]
    words = seg.split()[:max_words]
    # a long phrase stops at a coordinated clause ("... were killed and thousands more")
    for i, w in enumerate(words):
        if (w == "and" and i >= 3) or w == "but":
            words = words[:i]
            break
    return " ".join(_trim_words(words))


_PHRASE_BEFORE_RX1 = re.compile(r",(?!\d)|[;:!?()\"“”—–\n]|\bthat\b|\bsaid\b")


def _phrase_before(text: str, pos: int, sent_start: int, max_words: int = 6) -> str:
    """The last few words of the clause that ends at pos."""
    seg = text[sent_start:pos]
    seg = _PHRASE_BEFORE_RX1.split(seg)[-1]
    words = seg.split()[-max_words:]
    return " ".join(_trim_words(words))


_WORD_ITER_RX1 = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[^\w\s]")


def _word_iter(text: str, pos: int, end: int, limit: int) -> list[tuple[str, int, int]]:
    """(word, start, end) of the next `limit` words, stopping at punctuation."""
    out = []
    for m in _WORD_ITER_RX1.finditer(text[pos:end]):
        if not m.group(0)[0].isalnum():
            break
        out.append((m.group(0), pos + m.start(), pos + m.end()))
        if len(out) >= limit:
            break
    return out


_NOUN_UNIT_RX1 = re.compile(r"[A-Z][a-z]+(?:ks|hs|ts|ns|rs|ds|es)")


def _noun_unit(word: str) -> str | None:
    """Unit for a counted noun; capitalised plural demonyms ('Russians') count people."""
    w = word.lower().replace("’", "'")
    if w in _NOUN_UNITS:
        return _NOUN_UNITS[w]
    # Russians, Soviets, Kazakhs, Finns, Uzbeks, Poles: a capitalised plural after a number
    if _NOUN_UNIT_RX1.fullmatch(word) and w not in _STOP_WORDS:
        return "people"
    return None


@dataclass(frozen=True)
class _Noun:
    unit: str
    word: str  # the head noun, lower case
    start: int  # start of the noun phrase (first word after the number)
    end: int  # end of the head noun
    known: bool  # found in the lexicon


def _noun_after(text: str, pos: int, sent_end: int) -> _Noun | None:
    """The counted noun right after a number: up to two modifiers then a plural noun."""
    words = _word_iter(text, pos, sent_end, 4)
    if words and words[0][0].lower() == "more":  # "thousands more"
        words = words[1:]
    if not words:
        return None
    for i, (w, ws, we) in enumerate(words[:3]):
        lw = w.lower()
        unit = _noun_unit(w)
        if unit is None and w.isupper() and len(w) > 1:
            continue  # acronym modifier: "IT specialists", "EU citizens"
        if unit:
            return _Noun(unit, lw, words[0][1], we, True)
        if lw in _STOP_WORDS or lw in _STRUCTURAL_NOUNS:
            if lw in _STRUCTURAL_NOUNS:
                return _Noun("count", lw, words[0][1], we, False)
            return None
        if i == 0 and lw.endswith("s") and not lw.endswith("ss") and len(lw) > 3:
            nxt = words[1][0].lower() if len(words) > 1 else ""
            if not nxt or nxt in _STOP_WORDS:
                return _Noun("count", lw, ws, we, False)
    return None


_NUMBER_OF_BEFORE_RX1 = re.compile(r"\b(?:number|total|tally|count|ranks)\s+of\s+", re.IGNORECASE)


def _number_of_before(text: str, sent_start: int, pos: int) -> tuple[str, str] | None:
    """'the number of reservists involved could reach N' -> ('reservists involved', unit)."""
    seg = text[sent_start:pos]
    m = None
    for m in _NUMBER_OF_BEFORE_RX1.finditer(seg):
        pass
    if m is None:
        return None
    rest = seg[m.end():]
    words = rest.split()
    out: list[str] = []
    for i, w in enumerate(words[:9]):
        lw = w.lower().strip(",.")
        prev = words[i - 1].lower() if i else ""
        if lw in ("has", "have", "had", "is", "was", "were", "are", "could", "would", "will",
                  "may", "might", "rose", "fell", "reached", "stands", "stood", "grew") \
                and prev not in ("who", "that", "which"):
            break
        out.append(w.strip(","))
    out = _trim_words(out)
    if not out:
        return None
    unit = next((_noun_unit(w.strip(",.")) for w in out if _noun_unit(w.strip(",."))), None)
    return " ".join(out), unit or "count"


_NOUN_BEFORE_RX1 = re.compile(r"['’]s$")


def _noun_before(text: str, sent_start: int, pos: int) -> tuple[str, str] | None:
    """A counted noun in the clause before the number: 'armed forces number around N'."""
    phrase = _phrase_before(text, pos, sent_start, 7)
    words = phrase.split()
    for i in range(len(words) - 1, -1, -1):
        unit = _noun_unit(_NOUN_BEFORE_RX1.sub("", words[i].strip(",.")))
        if unit is None and words[i].lower().endswith(("'s", "’s")):
            continue
        if unit:
            return " ".join(words[: i + 1]), unit
    return None


# ---------------------------------------------------------------------------
# Exclusions: dates, years, times, ordinals, identifiers


_YEAR_PREPS = re.compile(
    r"\b(?:in|since|from|by|until|till|before|after|during|between|year|early|late|mid|"
    r"spring|summer|autumn|fall|winter|end\s+of|start\s+of|beginning\s+of|half\s+of|"
    r"quarter\s+of|of|and|to|through)\s*$",
    re.IGNORECASE,
)
_IDENT_BEFORE = re.compile(
    r"(?:\bNo\.|\bno\.|#|\bnumber|\bNumber|\b(?:Article|article|Section|section|Part|Chapter|"
    r"chapter|page|Page|Paragraph|paragraph|Flight|flight|Route|route|Highway|highway|Room|"
    r"room|Platform|Gate|gate|Terminal|Channel|channel|Level|Stage|Phase|Season|Episode|Vol\.|"
    r"Volume|version|Version|Category|Grade|Class|Unit|Brigade|Regiment|Division|Battalion|"
    r"Corps|Squadron|Code|Law|Resolution|Decree|Order|Item|Line|line|Bus|bus|Train|train|"
    r"World\s+War|War|Apollo|Boeing|Airbus|Soyuz|Zone|zone|Block|block))\s*$"
)


def _is_year(tok: _Tok) -> bool:
    return tok.plain and 1900 <= tok.value <= 2100 and tok.value == int(tok.value)


_DIGIT_RUN = re.compile(r"\+?\d+(?:[ \u00a0\u2009\u202f-]\d+){2,}")


def _in_digit_run(text: str, tok: _Tok) -> bool:
    """Part of a run of 3+ digit groups that is longer than the number itself."""
    lo = max(0, tok.start - 30)
    for m in _DIGIT_RUN.finditer(text, lo, tok.end + 30):
        if m.start() <= tok.start and tok.end <= m.end() and (m.start(), m.end()) != (tok.start, tok.end):
            return True
    return False


def _year_before_name(text: str, pos: int, sent_end: int) -> bool:
    """A year-shaped number directly followed by a capitalised name ('2022 World Cup').

    A capitalised plural right after the number still counts people ('2000 Russians'), and
    so does a capitalised modifier of a lower-case counted noun ('2000 Russian men'); any
    other capitalised word starts a name.
    """
    words = _word_iter(text, pos, sent_end, 1)
    if not words or words[0][1] != pos + 1 or not words[0][0][:1].isupper():
        return False
    if _noun_unit(words[0][0]) is not None:
        return False
    noun = _noun_after(text, pos, sent_end)
    return noun is None or not text[noun.end - len(noun.word):noun.end].islower()


_EXCLUDED_RX1 = re.compile(_MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s*$")
_EXCLUDED_RX2 = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_EXCLUDED_RX3 = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|BST|CET|UTC|MSK|o'clock|hrs\b|h\b)", re.IGNORECASE)
_EXCLUDED_RX4 = re.compile(r"\.\d")
_EXCLUDED_RX5 = re.compile(_MONTHS + r"\s*$")
_EXCLUDED_RX6 = re.compile(_WEEKDAYS + r",?\s*$")
_EXCLUDED_RX7 = re.compile(r"\s*(?:-|–)?\s*(?:of\s+)?" + _MONTHS + r"(?!\w)")
_EXCLUDED_RX8 = re.compile(r"\s*(?:-|–)\s*\d{1,2}\s+" + _MONTHS + r"(?!\w)")
_EXCLUDED_RX9 = re.compile(r"(?:\bcopyright|©|\(c\))\s*(?:©\s*)?(?:(?:19|20)\d{2}\s*[-–,]\s*)?$", re.I)
_EXCLUDED_RX10 = re.compile(r"\b[A-Z][a-z]+\s+$")
_EXCLUDED_RX11 = re.compile(r"[:/]\d")
_EXCLUDED_RX12 = re.compile(r"\d[/:]$")
_EXCLUDED_RX13 = re.compile(r"s\b|'s\b")
_EXCLUDED_RX14 = re.compile(r"[^\W\d_]")
_EXCLUDED_RX15 = re.compile(r"[A-Za-z]-$")
_EXCLUDED_RX17 = re.compile(r"\s*[-–/]\s*\d{2,4}\b")
_EXCLUDED_RX18 = re.compile(r"\d{4}\s*[-–/]\s*$")
_EXCLUDED_RX19 = re.compile(r"\b(?:his|her|their|my|your|our|early|mid|late)[\s-]*$", re.IGNORECASE)
_EXCLUDED_RX20 = re.compile(r"(?:km|kms|x|k|bn|mn|tn|m|s|mi|fold|%)\b", re.IGNORECASE)
_EXCLUDED_RX21 = re.compile(r"\b([A-Z][a-z]+)\s+$")
_EXCLUDED_RX22 = re.compile(_MONTHS)


def _excluded(text: str, tok: _Tok, sent_start: int, sent_end: int) -> bool:
    """Dates, years, days of the month, times, ordinals and identifiers."""
    s, e = tok.start, tok.end
    after = text[e:e + 24]
    before = _before(text, s, 40)
    if not tok.spelled:
        if _EXCLUDED_RX2.match(after):
            return True  # ordinal
        if _EXCLUDED_RX11.match(after) or _EXCLUDED_RX12.search(before):
            return True  # time, 9/11, 24/7, fraction
        if _EXCLUDED_RX3.match(after):
            return True
        if _EXCLUDED_RX13.match(after) and not _EXCLUDED_RX19.search(before):
            return True  # decade: 1990s, the 80s
        if _EXCLUDED_RX14.match(after) and not _EXCLUDED_RX20.match(after):
            return True  # alphanumeric code: 4G, MH17-like
        if _EXCLUDED_RX15.search(before) and not tok.spelled:
            return True  # Su-25, Covid-19
        if _EXCLUDED_RX4.match(after):
            return True
    if not tok.spelled and _in_digit_run(text, tok):
        return True  # phone numbers, codes: "+7 495 123 45 67"
    if _EXCLUDED_RX5.search(before) and tok.value <= 31 and not tok.spelled:
        return True  # February 24
    if _EXCLUDED_RX6.search(before) and tok.value <= 31:
        return True
    if _EXCLUDED_RX1.search(before):
        return True  # February 24, 2022
    if not tok.spelled and tok.value <= 31 and _EXCLUDED_RX7.match(after):
        return True  # 24 February, 24-25 February
    if not tok.spelled and _EXCLUDED_RX8.match(after):
        return True  # 24-25 February
    if _is_year(tok):
        if _EXCLUDED_RX9.search(before):
            return True  # "Copyright 2022 ...", "© 2019-2023"
        if _year_before_name(text, e, sent_end):
            return True  # "2022 World Affairs Bureau": a year next to a name, not a count
        if _EXCLUDED_RX5.search(before) or _EXCLUDED_RX17.match(after) \
                or _EXCLUDED_RX18.search(before):
            return True  # February 2022, 1979-1989, 2022/23
        noun = _noun_after(text, e, sent_end)
        if noun is None or not noun.known or _YEAR_PREPS.search(before):
            return True  # a year standing alone or after in/since/from/...
    if tok.spelled and text[s].isupper() and not _is_sentence_start(text, sent_start, s):
        return True  # part of a name: World War Two, Formula One
    if _IDENT_BEFORE.search(before, _tail_start(before, 2)):  # "World War", "No."
        return True
    if not tok.spelled and _EXCLUDED_RX10.search(before) and not _is_sentence_start(
            text, sent_start, s - len(_EXCLUDED_RX10.search(before).group(0))):
        # "Moscow 24", "Article 5": a capitalised word right before a bare number.
        word = _EXCLUDED_RX21.search(before).group(1)
        if not _EXCLUDED_RX22.fullmatch(word) and _unit_after(text, e, sent_end) is None \
                and _noun_after(text, e, sent_end) is None:
            return True
    return False


# ---------------------------------------------------------------------------
# Units written right after a number


@dataclass(frozen=True)
class _Unit:
    unit: str
    end: int  # end of the unit's surface form
    factor: float = 1.0  # multiply the number by this to get the unit's value
    kind: str = "quantity"


_UNIT_AFTER: list[tuple[re.Pattern[str], str, float, str]] = [
    (re.compile(r"[\s-]+years?[\s-]+olds?\b|[\s-]*yo\b", re.I), "years", 1.0, "age"),
    (re.compile(r"\s?%"), "percent", 1.0, "quantity"),
    (re.compile(r"\s+(?:per\s?cent|percent)\b", re.I), "percent", 1.0, "quantity"),
    (re.compile(r"\s+percentage\s+points?\b", re.I), "percentage_points", 1.0, "quantity"),
    (re.compile(r"(?:-|\s)?fold\b", re.I), "fold", 1.0, "quantity"),
    (re.compile(r"x\b"), "fold", 1.0, "quantity"),
    (re.compile(r"[\s-]*(?:km|kms|kilomet(?:er|re)s?)\b", re.I), "km", 1.0, "quantity"),
    (re.compile(r"[\s-]*(?:miles?)\b", re.I), "km", 1.609344, "quantity"),
    (re.compile(r"[\s-]*(?:metres|meters|metre|meter)\b", re.I), "km", 0.001, "quantity"),
    (re.compile(r"\s*(?:roubles?|rubles?|RUB|rbl|₽)(?!\w)", re.I), "roubles", 1.0, "quantity"),
    (re.compile(r"\s*(?:US\s+)?(?:dollars?|USD)\b", re.I), "usd", 1.0, "quantity"),
    (re.compile(r"\s*(?:pounds?\s+sterling|GBP)\b|\s+pounds\b", re.I), "gbp", 1.0, "quantity"),
    (re.compile(r"\s*(?:euros?|EUR)\b", re.I), "eur", 1.0, "quantity"),
    *((re.compile(r"\s*(?:" + rx + r")(?!\w)", re.I), code, 1.0, "quantity") for rx, code in _CURRENCY_NAMES),
    (re.compile(r"\s*(?:" + "|".join(_CURRENCY_CODES) + r")\b"), "iso-code", 1.0, "quantity"),
    # minutes in hours (the unit catalogue has no minutes): "twenty minutes" = 0.333 hours
    (re.compile(r"[\s-]+(?:minutes?|mins?)\b", re.I), "hours", 1 / 60, "duration"),
    (re.compile(r"[\s-]+hours?\b", re.I), "hours", 1.0, "duration"),
    (re.compile(r"[\s-]+days?\b", re.I), "days", 1.0, "duration"),
    (re.compile(r"[\s-]+weeks?\b", re.I), "weeks", 1.0, "duration"),
    (re.compile(r"[\s-]+months?\b", re.I), "months", 1.0, "duration"),
    (re.compile(r"[\s-]+(?:years?|decades?)\b", re.I), "years", 1.0, "duration"),
]


def _unit_after(text: str, pos: int, sent_end: int) -> _Unit | None:
    """The measure unit written right after a number, if any."""
    seg = text[pos:sent_end]
    for rx, unit, factor, kind in _UNIT_AFTER:
        m = rx.match(seg)
        if m:
            if unit == "years" and kind == "duration" and m.group(0).lower().strip(" -").startswith("decade"):
                factor = 10.0
            if unit == "iso-code":
                unit = _CURRENCY_CODES[m.group(0).strip()]
            return _Unit(unit, pos + m.end(), factor, kind)
    return None


_CURRENCY_BEFORE = re.compile(r"(?:US\s?\$|\$|£|€|₽|[₸₾֏₺₪₮]\s?|USD\s?|GBP\s?|EUR\s?|RUB\s?|"
                              r"(?<![A-Za-z])(?:" + "|".join(_CURRENCY_CODES) + r")\s?)$")
_CURRENCY_UNITS = {"$": "usd", "£": "gbp", "€": "eur", "₽": "roubles", "usd": "usd",
                   "gbp": "gbp", "eur": "eur", "rub": "roubles", "₸": "kzt", "₾": "gel", "֏": "amd",
                   "₺": "try", "₪": "ils", "₮": "mnt",
                   **{code.lower(): unit for code, unit in _CURRENCY_CODES.items()}}


def _currency_before(text: str, pos: int) -> tuple[str, int] | None:
    m = _CURRENCY_BEFORE.search(_before(text, pos, 6))
    if not m:
        return None
    sym = m.group(0).strip().lower().replace("us", "").strip() or "$"
    return _CURRENCY_UNITS.get(sym, "usd"), pos - len(m.group(0))


# A bare "som" is the currency of both Uzbekistan and Kyrgyzstan: the country named nearest to
# the amount decides (the sentence first, then the whole article); Kyrgyz som when neither is named.
_SOM_CUES = (
    (re.compile(r"\b(?:Uzbek(?:istan|istani|s)?|Tashkent|Samarkand|Bukhara|Andijan|Namangan|Ferghana|Fergana|"
                r"Nukus|Khiva)\b"), "uzs"),
    (re.compile(r"\b(?:Kyrgyz(?:stan|stani|s)?|Kirghiz(?:ia)?|Bishkek|Osh|Jalal-Abad|Karakol|Issyk-Kul)\b"), "kgs"),
)


def _som_currency(text: str, pos: int, sent_start: int, sent_end: int) -> str:
    """'uzs' or 'kgs' for a bare 'som' at pos, from the nearest country or city name."""
    for lo, hi in ((sent_start, sent_end), (0, len(text))):
        best: tuple[int, str] | None = None
        for rx, code in _SOM_CUES:
            for m in rx.finditer(text, lo, hi):
                d = abs(m.start() - pos)
                if best is None or d < best[0]:
                    best = (d, code)
        if best is not None:
            return best[1]
    return "kgs"


# ---------------------------------------------------------------------------
# Figures that are not number tokens: vague plurals, fractions, multiplier verbs

_VAGUE = re.compile(
    r"\b(?:(?P<tens>tens|hundreds)\s+of\s+(?P<big>thousands|millions)"
    r"|(?P<plural>dozens|hundreds|thousands|millions|billions)"
    r"|(?P<few>several|a\s+few|few|some|many)\s+(?P<fscale>hundred|thousand|million)(?!s)"
    r"(?:\s+(?P<fscale2>thousand|million|billion)(?!s))?)\b",
    re.IGNORECASE,
)
# "tens/hundreds of ...", plurals, and up to two words before a scale ("a few hundred").
_VAGUE_SCAN = _Scanner(_VAGUE, (("tens", 0), ("dozens", 0), ("hundred", 2), ("thousand", 2),
                                ("million", 2), ("billion", 0)))
_VAGUE_VALUES = {"dozens": 12, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
                 "billions": 1_000_000_000, "tens": 10}
_FRACTIONS = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25,
              "one quarter": 0.25, "two-thirds": 2 / 3, "two thirds": 2 / 3,
              "three-quarters": 0.75, "three quarters": 0.75}
_FRACTION = re.compile(
    r"\b(?P<frac>half|a\s+third|one\s+third|a\s+quarter|one\s+quarter|two[- ]thirds|"
    r"three[- ]quarters)\s+(?:of\s+)?an?\s+"
    r"(?P<unit>kilomet(?:er|re)|km|miles?|million|billion|thousand)\b",
    re.IGNORECASE,
)
# What a multiplier adjective compares with: "double the normal level", "twice that of 2021",
# "three times last year's figure". Not "three times last month" (a count of occasions).
# "half ...", and one word before "third"/"quarter" ("a third", "two-thirds").
_FRACTION_SCAN = _Scanner(_FRACTION, (("half", 0), ("third", 1), ("quarter", 1)))
_COMPARAND = (r"(?:the|that\s+of|those\s+of|what|normal|usual|its|their|pre-?war|"
              r"last\s+(?:year|month|week|summer|winter)['’]s)")
_MULT_WORD = re.compile(
    r"\b(?:(?P<verb>doubled|tripled|trebled|quadrupled|halved)"
    r"|(?P<fold>two|three|four|five|six|seven|eight|nine|ten|twenty|hundred)fold"
    r"|(?P<adj>double|triple|treble|quadruple)(?=\s+" + _COMPARAND + r"\b)"
    r"|(?P<twice>twice)(?=\s+(?:as|more|" + _COMPARAND + r")\b))\b",
    re.IGNORECASE,
)
# A distance written with an article instead of a number, as the object of a preposition:
# "shortened to less than a kilometre", "walked for a mile", "a queue of a few kilometres".
# Not "roubles a kilometre" (a rate), "a kilometre-long queue" (a modifier) or "a fraction of a mile".
_WORD_DISTANCE = re.compile(
    r"\b(?:to|for|than|of)\s+(?:(?:about|around|roughly|nearly|almost|just|only|barely|more\s+than|"
    r"less\s+than|under|over)\s+)?(?P<raw>a\s+(?P<few>few\s+)?(?P<unit>kilomet(?:er|re)s?|km|miles?))\b(?![-\w])",
    re.IGNORECASE,
)
_NOT_WHOLE_BEFORE = re.compile(r"\b(?:fractions?|tenths?|hundredths?|thirds?|quarters?|halves|half|parts?|"
                               r"per\s?cent|percent|bit|couple)\s+$", re.IGNORECASE)
_MULT_WORD_SCAN = _Scanner(_MULT_WORD, tuple(
    (w, 0) for w in ("doubl", "tripl", "trebl", "quadrupl", "halved", "fold", "twice")))
# The unit, up to five words after the start: "to less than a few kilometres".
_WORD_DISTANCE_SCAN = _Scanner(_WORD_DISTANCE, (("kilomet", 5), ("km", 5), ("mile", 5)))
_MULT_VALUES = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4, "halved": 0.5,
                "double": 2, "triple": 3, "treble": 3, "quadruple": 4}

# Shares written as fractions in words: "a third of requests", "two-thirds of Russians",
# "half of them", "another third said ...". Ordinals ("a third country", "the third day"),
# compounds ("third-party", "half-brother") and amounts ("half an hour") are not shares:
# a share is followed by "of" + a group, by "the/all + counted noun", or by a verb.
_SHARE = re.compile(
    r"\b(?P<num>a|one|another|the\s+other|the\s+remaining|a\s+further|two|three|four|nine)[\s-]+"
    r"(?P<den>thirds?|quarters?|fifths?|tenths?)\b(?!-)"
    r"|\b(?P<half>(?:(?:the\s+other|another|one|a\s+further)\s+)?half)\b(?!-)",
    re.IGNORECASE,
)
# The fraction word, up to two words after the start ("the other half", "a further third").
_SHARE_SCAN = _Scanner(_SHARE, tuple((w, 2) for w in ("third", "quarter", "fifth", "tenth", "half")))


def _keyword_bases(scanners: tuple[_Scanner, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(keyword, the longer keywords that start with it) over all scanners, so that each text
    is searched once per shortest keyword."""
    words = sorted({kw for sc in scanners for kw, _ in sc.keywords})
    bases = [w for w in words if not any(b != w and w.startswith(b) for b in words)]
    return tuple((b, tuple(w for w in words if w != b and w.startswith(b))) for b in bases)


_KEYWORD_BASES = _keyword_bases((_SPELLED_SCAN, _VAGUE_SCAN, _FRACTION_SCAN, _MULT_WORD_SCAN,
                                 _WORD_DISTANCE_SCAN, _SHARE_SCAN))
_SHARE_NUM = {"a": 1, "one": 1, "another": 1, "the other": 1, "the remaining": 1, "a further": 1,
              "two": 2, "three": 3, "four": 4, "nine": 9}
_SHARE_DEN = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
# Verbs a share of people is the subject of ("another third said", "half were men").
_SHARE_VERB = re.compile(
    r"\s+(?:(?:now|also|still|already|then|later|have|had)\s+)?(?:said|say|says|told|were|are|have|had|did|"
    r"do|would|will|could|plan|plans|planned|want|wanted|expect|expected|intend|intended|hope|hoped|"
    r"left|went|moved|fled|chose|returned|answered|responded|reported|admitted|named|cited|came|come|"
    r"stayed|work|worked|live|lived|own|owned|described|gone|said)\b",
    re.IGNORECASE,
)
# "of" + something that is not a group of people or things: a period, a single item.
_SHARE_NOT_GROUP = re.compile(
    r"\s+of\s+(?:an?\b|it\b|(?:the\s+|this\s+|that\s+|next\s+|last\s+)?(?:year|month|week|day|century|"
    r"decade|hour|season|term|game|match|period|time|night|morning|evening|afternoon|summer|winter|"
    r"spring|autumn|fall|quarter|journey|way|distance|route)s?\b|(?:19|20)\d\d\b|" + _MONTHS + r")",
    re.IGNORECASE,
)
# Before the fraction: a period ("the first half of", "in the second quarter").
_SHARE_PERIOD_BEFORE = re.compile(r"\b(?:first|second|third|fourth|latter|former|last|final|early|late|"
                                  r"mid|back|front|top|bottom|upper|lower)[\s-]*$", re.IGNORECASE)
# A change by a share: "expected the sector to grow by a quarter", "cut by half".
_SHARE_CHANGE_BEFORE = re.compile(
    r"\b(?:" + _CHANGE_VERBS + r"|grow|grows|rise|rises|fall|falls|cut|cuts|reduced?|shrank|shrunk|"
    r"shrink|shrinks|expanded|expand|expands)\s+by\s+(?:(?:about|around|roughly|nearly|almost|more\s+than|"
    r"less\s+than|over|some|at\s+least|up\s+to)\s+)?$",
    re.IGNORECASE,
)
# A hypothetical or the speaker's own circle: an anecdote or a scenario, not a reported share.
_SHARE_HYPOTHETICAL = re.compile(r"\b(?:if|unless|whether|suppose|supposing|imagine)\b[^,;:.!?]{0,40}$",
                                 re.IGNORECASE)
_SHARE_FIRST_PERSON = re.compile(r"\s+of\s+(?:(?:my|our)\b|us\b)", re.IGNORECASE)


_SHARE_VALUE_RX1 = re.compile(r"\s+")


def _share_value(m: re.Match[str]) -> float:
    """Percent for a fraction in words: 'a third' -> 33.33, 'two-thirds' -> 66.67."""
    if m.group("half"):
        return 50.0
    num = _SHARE_NUM[_SHARE_VALUE_RX1.sub(" ", m.group("num").lower())]
    den = _SHARE_DEN[m.group("den").lower().rstrip("s")]
    return 100.0 * num / den


_SHARE_FIGURES_RX1 = re.compile(r"\s*(?:of|-)")
_SHARE_FIGURES_RX2 = re.compile(r"\s+of\s+")
_SHARE_FIGURES_RX3 = re.compile(r"\bthe\s+$", re.I)
_SHARE_FIGURES_RX4 = re.compile(r"\s+(?:the|all|all\s+the|its|their|those|these)\s+")


def _share_figures(text: str, spans: list[tuple[int, int]]) -> list[Figure]:
    """Fractions in words used as shares of a group, or as the size of a change."""
    figs: list[Figure] = []
    for m in _SHARE_SCAN.finditer(text):
        s_start, s_end = _sentence_span(spans, m.start(), text)
        after, before = text[m.end():s_end], text[s_start:m.start()]
        if m.group("den") and m.group("num").lower() in ("a", "one") and m.group("den").lower().endswith("s"):
            continue  # "a thirds" is not English
        if _SHARE_PERIOD_BEFORE.search(before):
            continue  # "the first half of 2023", "the second quarter"
        change = _SHARE_CHANGE_BEFORE.search(before) is not None and not _SHARE_FIGURES_RX1.match(after)
        of_group = _SHARE_FIGURES_RX2.match(after) is not None and not _SHARE_NOT_GROUP.match(after)
        half_the = m.group("half") is not None and (
            (n := _SHARE_FIGURES_RX4.match(after)) is not None
            and (noun := _noun_after(text, m.end() + n.end(), s_end)) is not None and noun.known)
        verb = _SHARE_VERB.match(after) is not None and not _SHARE_FIGURES_RX3.search(before)
        if not (change or of_group or half_the or verb):
            continue
        conf, rule = 0.75, "fraction-share"
        if change:
            rule = "fraction-change"
        elif _SHARE_HYPOTHETICAL.search(before) or _SHARE_FIRST_PERSON.match(after):
            conf = 0.35  # "even if half of them come back", "half of my friends"
        after_words, before_words = _phrase_after(text, m.end(), s_end), _phrase_before(text, m.start(), s_start)
        # a share is of what follows ("a third of requests"); a change is of what precedes
        counts = (before_words or after_words) if change else (after_words or before_words)
        approx = _approx_before(_before(text, m.start(), 30))
        figs.append(Figure(m.start(), m.end(), m.group(0), round(_share_value(m), 6), "percent",
                           counts or None, rule, conf, approximate=approx))
    return figs


_WORD_FIGURES_RX1 = re.compile(r"\s+of\s+")
_WORD_FIGURES_RX2 = re.compile(r"\s+")
_WORD_FIGURES_RX3 = re.compile(r"\b(?:to|will|would|could|can|may|might|should|must|"
                                        r"plans?|aims?|wants?)\s+$", re.I)


def _word_figures(text: str, spans: list[tuple[int, int]]) -> list[Figure]:
    figs: list[Figure] = []
    for m in _VAGUE_SCAN.finditer(text):
        if m.group("tens"):
            value = _VAGUE_VALUES[m.group("tens").lower()] * _VAGUE_VALUES[m.group("big").lower()]
        elif m.group("plural"):
            value = _VAGUE_VALUES[m.group("plural").lower()]
        else:  # "several hundred thousand": each scale word applies to the one before it
            value = _SCALE_WORDS[m.group("fscale").lower()]
            if m.group("fscale2"):
                value *= _SCALE_WORDS[m.group("fscale2").lower()]
        s_start, s_end = _sentence_span(spans, m.start(), text)
        noun = _noun_after(text, m.end(), s_end)
        unit, counts = "people", None
        of = _WORD_FIGURES_RX1.match(text[m.end():s_end])
        if of:
            noun = _noun_after(text, m.end() + of.end(), s_end)
            counts = _phrase_after(text, m.end() + of.end(), s_end)
            unit = noun.unit if noun else "count"
        elif noun:
            unit, counts = noun.unit, _phrase_after(text, m.end(), s_end)
        else:
            counts = _phrase_before(text, m.start(), s_start) or None
        figs.append(Figure(m.start(), m.end(), m.group(0), float(value), unit, counts or None,
                           "vague-plural", 0.3, approximate=True))
    for m in _FRACTION_SCAN.finditer(text):
        frac = _FRACTIONS[_WORD_FIGURES_RX2.sub(" ", m.group("frac").lower())]
        u = m.group("unit").lower()
        if u in _SCALE_WORDS:
            value, unit = frac * _SCALE_WORDS[u], "count"
            s_start, s_end = _sentence_span(spans, m.start(), text)
            noun = _noun_after(text, m.end(), s_end)
            unit = noun.unit if noun else "count"
        else:
            value, unit = frac * (1.609344 if u.startswith("mile") else 1.0), "km"
        s_start, s_end = _sentence_span(spans, m.start(), text)
        counts = _phrase_before(text, m.start(), s_start) or _phrase_after(text, m.end(), s_end)
        figs.append(Figure(m.start(), m.end(), m.group(0), value, unit, counts or None,
                           "fraction-of-unit", 0.8))
    for m in _MULT_WORD_SCAN.finditer(text):
        if m.group("verb") or m.group("adj"):
            value = float(_MULT_VALUES[(m.group("verb") or m.group("adj")).lower()])
        elif m.group("fold"):
            value = float(_parse_spelled(m.group("fold")))
        else:
            value = 2.0
        if m.group("adj") and _WORD_FIGURES_RX3.search(_before(text, m.start(), 20)):
            continue  # "plans to double the number": an intention, not a reported change
        s_start, s_end = _sentence_span(spans, m.start(), text)
        before, after = _phrase_before(text, m.start(), s_start), _phrase_after(text, m.end(), s_end)
        if m.group("adj"):  # "traffic had been almost double the normal level": thing vs comparand
            counts = f"{before} vs {after}" if before and after else (before or after)
        else:
            counts = (before or after) if m.group("verb") else (after or before)
        approx = _approx_before(_before(text, m.start(), 30))  # "almost double"
        figs.append(Figure(m.start(), m.end(), m.group(0), value, "fold", counts or None,
                           "multiplier-word", 0.75, approximate=approx))
    return figs + _distance_word_figures(text, spans) + _share_figures(text, spans)


def _distance_word_figures(text: str, spans: list[tuple[int, int]]) -> list[Figure]:
    """'less than a kilometre' (1 km), 'for a mile' (1.609 km), 'of a few kilometres' (vague, kept
    low). A distance named with 'a' is a round, approximate figure."""
    figs: list[Figure] = []
    for m in _WORD_DISTANCE_SCAN.finditer(text):
        if _NOT_WHOLE_BEFORE.search(_before(text, m.start(), 30)):
            continue  # "a fraction of a mile", "a tenth of a kilometre"
        few, unit = m.group("few") is not None, m.group("unit").lower()
        if few != unit.endswith("s"):
            continue  # "a kilometres", "a few mile": not a distance phrase
        value = (3.0 if few else 1.0) * (1.609344 if unit.startswith("mile") else 1.0)
        s_start, s_end = _sentence_span(spans, m.start(), text)
        counts = _phrase_before(text, m.start(), s_start) or _phrase_after(text, m.end(), s_end)
        figs.append(Figure(m.start("raw"), m.end("raw"), m.group("raw"), round(value, 6), "km", counts or None,
                           "distance-words" if not few else "vague-distance", 0.3 if few else 0.75,
                           approximate=True))
    return figs


# ---------------------------------------------------------------------------
# One number token -> figure


_AGE_BEFORE_RX1 = re.compile(r"\b(?:aged?|ages|age\s+of|aged\s+between|ages\s+of|at\s+the\s+age\s+of|"
                     r"turned|turns|turning)\s+(?:between\s+|from\s+)?$", re.IGNORECASE)


def _age_before(text: str, pos: int) -> bool:
    before = _before(text, pos)
    return _AGE_BEFORE_RX1.search(before, _tail_start(before, 5)) is not None  # "at the age of between"


_APPOSITIVE_AGE_RX1 = re.compile(r"[A-Za-z]+,\s*$")
_APPOSITIVE_AGE_RX2 = re.compile(r"\s*,")


def _appositive_age(text: str, tok: _Tok) -> bool:
    """'The lawyer, 34, said' / 'Anna Petrova, 29, left': a bare number set off by commas."""
    return (tok.plain and 1 <= tok.value <= 110
            and _APPOSITIVE_AGE_RX1.search(_before(text, tok.start, 30)) is not None
            and _APPOSITIVE_AGE_RX2.match(text[tok.end:tok.end + 3]) is not None)


_SCALE_END = re.compile(r"(?:\s+|(?<=\d)\s*)(?P<scale>million|billion|trillion|thousand|bn|mn|tn|k)$", re.I)


_SHARED_SCALE_RX1 = re.compile(r"\d+(?:\.\d+)?")
_SHARED_SCALE_RX2 = re.compile(r"(?:hundred|dozen)$", re.I)
_SHARED_SCALE_RX3 = re.compile(_NUMWORD + r"(?:[\s-]+" + _NUMWORD + r")*", re.I)


def _shared_scale(low_raw: str, low: float, high_raw: str, high: float, ordered: bool = True) -> float:
    """Factor the lower bound of a range borrows from the upper bound's scale word.

    "2 to 3 million" means 2 million to 3 million, but a multiplier word applies only to
    the number directly before it: "500,000 to one million" is 500,000 to 1,000,000. The
    lower bound borrows the scale only when it has none of its own and the borrowed value
    still lies below the upper bound. For an old and a new value ('fell from 3 to 2 million',
    ordered=False) the borrowed value must be within a factor of 100 of the new one.
    """
    m = _SCALE_END.search(high_raw)
    if m is None or _SCALE_END.search(low_raw) or _SHARED_SCALE_RX2.search(low_raw):
        return 1.0
    head = high_raw[:m.start()].strip()
    if _SHARED_SCALE_RX1.fullmatch(head):
        base = float(head)
    elif head.lower() in ("", "a", "an"):
        base = 1.0
    else:
        base = _parse_spelled(head) if _SHARED_SCALE_RX3.fullmatch(head) else 0.0
    if base <= 0:
        return 1.0
    factor = high / base
    if factor <= 1:
        return 1.0
    if ordered:
        return factor if low * factor <= high else 1.0
    return factor if high / 100 <= low * factor <= high * 100 else 1.0


# Verbs and nouns of change: after one of them "from X to Y" is an old and a new value (two
# figures), not a range. Bare "up from"/"down from" is not here: it introduces a baseline,
# which may itself be a range ("up from 300 to 400 a year earlier").
_CHANGE_FROM = re.compile(
    r"\b(?:rose|risen|rise|rises|rising|increased?|increases|increasing|grew|grown|grows|growing|"
    r"jumped|jumps|jump|climbed|climbs|soared|surged|spiked|leapt|leaped|fell|fallen|falls|falling|"
    r"dropped|drops|drop|declined?|declines|declining|decreased?|decreases|decreasing|plunged|"
    r"plummeted|slumped|tumbled|swelled|swollen|shrank|shrunk|doubled|tripled|trebled|quadrupled|"
    r"halved|raised|cut|reduced|lowered|extended|expanded|went|gone|going|goes|shot|moved|"
    r"changed|growth|fall|surge|hike|increase|decrease|reduction)\b"
    r"[^.;:!?]{0,50}?\bfrom\s+" + r"(?:(?:about|around|approximately|roughly|nearly|almost|some|"
    r"just|only|over|under|more\s+than|less\s+than|fewer\s+than)\s+)?(?:US\s?\$|\$|£|€|₽)?$",
    re.IGNORECASE,
)
_BASELINE_FROM = re.compile(r"(?:\b(?P<verb>\w+)\s+)?\b(?:up|down)\s+from\s+\S*$", re.IGNORECASE)


def _is_change_from(before: str) -> bool:
    """'rents have risen from about €400 to': the number ahead is an old value, not a range start."""
    base = _BASELINE_FROM.search(before)
    if base is not None and (base.group("verb") or "").lower() not in (
            "went", "gone", "go", "goes", "going", "shot", "moved", "come", "came"):
        return False  # "..., up from 5,000 to 6,000 before it": a baseline range
    return _CHANGE_FROM.search(before) is not None


_RANGE_PARTNER_RX1 = re.compile(r"\bbetween\s+(?:\$|£|€)?$", re.IGNORECASE)
_RANGE_PARTNER_RX2 = re.compile(r"\s*%?\s+or\s+(?P<sym>\$|£|€)?")
_RANGE_PARTNER_RX3 = re.compile(r"\s*%?\s+and\s+(?:\$|£|€)?")
_RANGE_PARTNER_RX4 = re.compile(r"\s*%?\s*(?:-|–|—)\s*(?:\$|£|€)?")
_RANGE_PARTNER_RX5 = re.compile(r"\s*%?\s+to\s+(?:\$|£|€)?")


def _range_partner(text: str, toks: list[_Tok], i: int, sent_end: int) -> tuple[int, str] | None:
    """Index of the upper bound of a range starting at toks[i], and the connector kind."""
    if i + 1 >= len(toks):
        return None
    a, b = toks[i], toks[i + 1]
    if b.start >= sent_end:
        return None
    gap = text[a.end:b.start]
    between = _RANGE_PARTNER_RX1.search(_before(text, a.start, 20))
    if between and _RANGE_PARTNER_RX3.fullmatch(gap):
        return i + 1, "between"
    if _RANGE_PARTNER_RX4.fullmatch(gap) or _RANGE_PARTNER_RX5.fullmatch(gap):
        if b.value > a.value:
            return i + 1, "to"
    # "2 or 3 per cent", "two or three thousand": an uncertain amount, one range figure. Only
    # an ascending pair with nothing but "or" between ("2021 or 2022" is excluded as years).
    # "€5,000 or 6,000 dollars" names two prices in two currencies: a symbol must be on both or neither.
    alt = _RANGE_PARTNER_RX2.fullmatch(gap)
    if alt and b.value > a.value and (alt.group("sym") is None) == (_currency_before(text, a.start) is None):
        return i + 1, "or"
    return None


_SPEECH = re.compile(
    r"\b(?:said|say|says|told|tell|spoke|speak|interviewed|quoted|confirmed|noticed|reported|"
    r"offer|offers|offered|advise|advises|described|believe|believes|estimated?|asked|wrote|"
    r"argued?|warned|claimed?|noted)\b", re.IGNORECASE)


_IS_ATTRIBUTION_RX1 = re.compile(r"[,;:]\s")
_IS_ATTRIBUTION_RX2 = re.compile(r"\baccording\s+to\s+$", re.IGNORECASE)


def _is_attribution(text: str, start: int, after_pos: int, sent_start: int, sent_end: int) -> bool:
    """'Four lawyers ... have noticed', 'According to six young lawyers': sources, not a count."""
    clause = _IS_ATTRIBUTION_RX1.split(text[after_pos:sent_end], maxsplit=1)[0]  # not "..., officials said"
    after = " ".join(clause.split()[:12])
    return bool(_SPEECH.search(after)) or _IS_ATTRIBUTION_RX2.search(_before(text, start, 20)) is not None


_CONFIDENCE_FOR_COUNT_RX1 = re.compile(r"\s+of\s+(?:the|them|those|these|us|whom|which|its|their|our)\b", re.IGNORECASE)
_CONFIDENCE_FOR_COUNT_RX2 = re.compile(r"\bof\s+(?:the|its|their|these|those)\s+$", re.IGNORECASE)


def _confidence_for_count(tok: _Tok, value: float, noun: _Noun | None, text: str, after_pos: int,
                          sent_start: int, sent_end: int) -> tuple[float, str]:
    """Confidence and rule for a counted quantity, lowered for attribution and structure."""
    partitive = _CONFIDENCE_FOR_COUNT_RX1.match(text[after_pos:after_pos + 20])
    small = value <= 10
    if partitive and (small or tok.spelled):
        return 0.35, "count-partitive"
    partitive_denominator = _CONFIDENCE_FOR_COUNT_RX2.search(_before(text, tok.start, 20))
    if partitive_denominator and small:
        return 0.35, "count-partitive"
    if noun is not None:
        if noun.word in _STRUCTURAL_NOUNS:
            return 0.4, "count-structural"
        if noun.word in _SOURCE_NOUNS and small and _is_attribution(
                text, tok.start, after_pos, sent_start, sent_end):
            return 0.35, "count-sources"
        if tok.spelled and small:
            return 0.6, "count-noun-word"
        if noun.known:
            return 0.85, "count-noun"
        return 0.65, "count-noun"
    return 0.0, ""


def _token_figures(text: str, spans: list[tuple[int, int]], word_figs: list[Figure]) -> list[Figure]:
    taken = [(f.start, f.end) for f in word_figs]
    toks = [t for t in _tokens(text) if not any(s < t.end and t.start < e for s, e in taken)]
    figs: list[Figure] = []
    word_figs = sorted(word_figs, key=lambda f: f.start)
    skip: set[int] = set()
    for i, tok in enumerate(toks):
        if i in skip:
            continue
        sent_start, sent_end = _sentence_span(spans, tok.start, text)
        if _excluded(text, tok, sent_start, sent_end):
            continue
        prior = sorted([f for f in figs + word_figs if f.start < tok.start], key=lambda f: f.start)
        fig = _token_figure(text, toks, i, sent_start, sent_end, prior, skip)
        if fig is not None:
            figs.append(fig)
    return figs


_TOKEN_FIGURE_RX1 = re.compile(r"\s+times\b(?=\s+(?:more|higher|greater|larger|bigger|lower|smaller|fewer|"
                     r"less|as|over|" + _COMPARAND + r")\b)")
_TOKEN_FIGURE_RX2 = re.compile(r"\s+(?:in|out\s+of)\s+(\d+|" + _NUMWORD + r")\b", re.I)
_TOKEN_FIGURE_RX3 = re.compile(r"\s+to\s+(?:\$|£|€)?")
_TOKEN_FIGURE_RX4 = re.compile(r"s\b")
_TOKEN_FIGURE_RX5 = re.compile(r"\b(?:his|her|their|my|your|our)\s+(?:early\s+|mid-?\s*|late\s+)?$", re.I)
_TOKEN_FIGURE_RX6 = re.compile(r"m\b|b\b")
_TOKEN_FIGURE_RX7 = re.compile(r"\b(?:increased|rose|grew|jumped|multiplied)\s+(?:by\s+)?$")
_TOKEN_FIGURE_RX8 = re.compile(r"\s+times\b")
_TOKEN_FIGURE_RX9 = re.compile(r"\s*\+|\s+or\s+(?:more|so)\b|-plus\b")
_TOKEN_FIGURE_RX10 = re.compile(r"\s+(?:a|per|each)\s+(?:day|week|month)\b|\s+(?:ago|later|earlier|before|after)\b")
_TOKEN_FIGURE_RX11 = re.compile(r"x\b")
_TOKEN_FIGURE_RX12 = re.compile(r"\s")
_TOKEN_FIGURE_RX13 = re.compile(r"kyrgyz|kirghiz", re.I)
_TOKEN_FIGURE_RX14 = re.compile(r"-")
_TOKEN_FIGURE_RX15 = re.compile(r"(?:long\s+)?(?:border|frontier|queue|line|tailback|trek|"
                                       r"journey|drive|walk|road|route|stretch|zone|corridor|"
                                       r"jam|stretching)", re.I)


def _token_figure(text: str, toks: list[_Tok], i: int, sent_start: int, sent_end: int,
                  prior: list[Figure], skip: set[int]) -> Figure | None:
    tok = toks[i]
    s, e = tok.start, tok.end
    before = _before(text, s)
    approx = _approx_before(before) or bool(
        _TOKEN_FIGURE_RX9.match(text[e:e + 10])) or text[s:e].lower().endswith("dozen")
    value, value_high, start, end = tok.value, None, s, e
    kind = "quantity"

    # Ranges: "18 to 27", "18-60", "between 18 and 27" (unless 'rose from X to Y').
    partner = _range_partner(text, toks, i, sent_end)
    change_to: _Tok | None = None  # 'rose from X to Y': the new value Y, for X's unit
    if partner is None and i + 1 < len(toks) and toks[i + 1].start < sent_end and _TOKEN_FIGURE_RX3.fullmatch(
            text[e:toks[i + 1].start]) and _is_change_from(before):
        change_to = toks[i + 1]  # "was cut from 15,000 to 9,000 roubles": a fall
    if partner is not None:
        j, how = partner
        b = toks[j]
        change = how == "to" and _is_change_from(before)
        if change:
            change_to = b
            # "fell from 3 to 2 million": the old value borrows the new value's scale word
            value *= _shared_scale(text[s:e], value, text[b.start:b.end], b.value, ordered=False)
        elif not _excluded(text, b, sent_start, sent_end):
            skip.add(j)
            value_high, end = b.value, b.end
            value *= _shared_scale(text[s:e], value, text[b.start:b.end], b.value)
            kind = "range"

    # Ages: "22-year-old", "aged 18 to 27", "in his 30s", "men between 18 and 27".
    unit = _unit_after(text, end, sent_end)
    if unit is None and change_to is not None and _currency_before(text, s) is None:
        # "rose from 20 to 35 percent", "fell from 400 to 250 euros", "extended from 12 to 24
        # months": the old value shares the unit written after the new one
        shared = _unit_after(text, change_to.end, sent_end)
        if shared is not None and _currency_before(text, change_to.start) is None:
            unit = _Unit(shared.unit, end, shared.factor, shared.kind)
    decade_age = _TOKEN_FIGURE_RX4.match(text[end:end + 2]) and _TOKEN_FIGURE_RX5.search(before)
    if decade_age:
        return Figure(s, end + 1, text[s:end + 1], value, "years", _phrase_before(text, s, sent_start) or None,
                      "age-decade", 0.3, value_high=value + 9, kind="age")
    if (unit is not None and unit.kind == "age") or _age_before(text, s) or (
            kind == "quantity" and unit is None and _appositive_age(text, tok)) or (
            kind == "range" and unit is None and _looks_like_age_range(text, sent_start, s, value, value_high)):
        u_end = unit.end if unit is not None and unit.kind == "age" else end
        return Figure(s, u_end, text[s:u_end], value, "years",
                      _phrase_before(text, s, sent_start) or None, "age", 0.3,
                      value_high=value_high, kind="age")

    # Money written with a symbol before the number ("$5,000", "£96bn", "$300,000 roubles").
    cur = _currency_before(text, s)
    if cur is not None:
        cur_unit, cur_start = cur
        m = _TOKEN_FIGURE_RX6.match(text[end:end + 2])
        if m and not _TOKEN_FIGURE_RX12.search(text[s:end]):
            value *= _SUFFIX_SCALES[m.group(0)]
            end += 1
        conf, rule = 0.9, "money-symbol"
        word_unit = _unit_after(text, end, sent_end)
        if word_unit is not None and word_unit.unit in _MONEY_UNITS:
            if word_unit.unit != cur_unit:  # "$300,000 roubles": the written word wins
                conf, rule = 0.8, "money-symbol-word-conflict"
            cur_unit, end = word_unit.unit, word_unit.end
        counts = _phrase_before(text, cur_start, sent_start) or _phrase_after(text, end, sent_end)
        return Figure(cur_start, end, text[cur_start:end], value, cur_unit, counts or None, rule, conf,
                      value_high=value_high if kind == "range" else None, approximate=approx,
                      kind=kind)

    if unit is not None:
        if unit.kind == "duration":
            if _TOKEN_FIGURE_RX10.match(text[unit.end:unit.end + 16]):
                return None  # "24 hours a day", "two days before": schedule or time reference
            if tok.spelled and value == 1 and kind == "quantity" and not _TOKEN_FIGURE_RX14.match(text[end:end + 1]):
                return None  # "one day", "one year" used adverbially
            return Figure(s, unit.end, text[s:unit.end], round(value * unit.factor, 6), unit.unit,
                          _phrase_after(text, unit.end, sent_end) or _phrase_before(text, s, sent_start) or None,
                          "duration", 0.3, value_high=round(value_high * unit.factor, 6) if value_high is not None else None,
                          approximate=approx, kind="duration")
        if unit.unit == "fold" and _TOKEN_FIGURE_RX11.match(text[end:end + 2]) and tok.spelled:
            unit = None
    if unit is not None:
        fig_value = value * unit.factor
        fig_high = value_high * unit.factor if value_high is not None else None
        raw_end = unit.end
        conf = 0.9
        rule = {"percent": "percent", "percentage_points": "percent", "fold": "fold",
                "km": "distance"}.get(unit.unit, "money-word")
        if unit.unit == "kgs" and not _TOKEN_FIGURE_RX13.search(text[end:raw_end]):
            unit = replace(unit, unit=_som_currency(text, s, sent_start, sent_end))
        if unit.unit in _MONEY_UNITS:
            counts = _phrase_before(text, s, sent_start) or _phrase_after(text, raw_end, sent_end)
            if unit.unit == "gbp" and "sterling" not in text[end:raw_end].lower():
                conf = 0.7  # 'pounds' may be a weight
        elif unit.unit in ("percent", "percentage_points", "fold"):
            counts = _change_counts(text, raw_end, s, sent_start, sent_end, prior)
        else:
            after = _phrase_after(text, raw_end, sent_end)
            counts = after if _TOKEN_FIGURE_RX15.match(after) else (
                _phrase_before(text, s, sent_start) or after)
        if tok.spelled and value == 1 and kind == "quantity" and unit.unit not in ("km", "percent"):
            return None
        return Figure(s, raw_end, text[s:raw_end], fig_value, unit.unit, counts or None, rule, conf,
                      value_high=fig_high, approximate=approx, kind=kind)

    # "three times higher", "increased five times": a multiplier.
    times = _TOKEN_FIGURE_RX1.match(text[end:sent_end])
    if times is None and _TOKEN_FIGURE_RX7.search(before):
        times = _TOKEN_FIGURE_RX8.match(text[end:sent_end])
    if times is not None:
        raw_end = end + times.end()
        return Figure(s, raw_end, text[s:raw_end], value, "fold",
                      _change_counts(text, raw_end, s, sent_start, sent_end, prior) or None,
                      "fold-times", 0.85, approximate=approx)

    # "one in five Russians": a share.
    ratio = _TOKEN_FIGURE_RX2.match(text[end:sent_end])
    if ratio is not None and kind == "quantity":
        denom_txt = ratio.group(1)
        denom = float(denom_txt) if denom_txt.isdigit() else _parse_spelled(denom_txt)
        if denom > value > 0:
            for j in range(i + 1, len(toks)):
                if toks[j].start >= end + ratio.end():
                    break
                skip.add(j)
            raw_end = end + ratio.end()
            return Figure(s, raw_end, text[s:raw_end], round(100 * value / denom, 6), "percent",
                          _phrase_after(text, raw_end, sent_end) or None, "ratio", 0.75,
                          approximate=approx)

    if tok.spelled and value == 1 and kind == "quantity":
        return None  # pronoun/determiner "one" ("one or two people" is a range)

    # Counted things.
    noun = _noun_after(text, end, sent_end)
    if noun is None and change_to is not None and not tok.spelled:
        noun = _noun_after(text, change_to.end, sent_end)  # "grew from 200 to 900 members"
    if noun is None and (part := _PARTITIVE_DET.match(text, end, sent_end)) is not None:
        noun = _noun_after(text, part.end(), sent_end)  # "60 of its developers had ..."
    conf, rule = _confidence_for_count(tok, value, noun, text, end, sent_start, sent_end)
    counts: str | None = None
    unit_name = noun.unit if noun is not None else "count"
    if noun is not None:
        counts = _phrase_after(text, noun.start, sent_end) or noun.word
    elif rule == "count-partitive":  # "Two of them said": attribution, kept low
        return Figure(s, end, text[s:end], value, "count", _phrase_after(text, end, sent_end) or None,
                      rule, conf, value_high=value_high, approximate=approx, kind=kind)
    baseline = _BASELINE_BEFORE.search(before, _tail_start(before, 3))  # "compared with about"
    if baseline is not None and noun is None:
        ref = _reference_figure(prior, text, s, sent_start)
        if ref is not None:
            ref_unit, ref_counts = _baseline_unit(ref)
            return Figure(s, e if kind == "quantity" else end, text[s:end], value, ref_unit,
                          f"{ref_counts} (baseline)" if ref_counts else "baseline", "baseline",
                          0.7, value_high=value_high, approximate=approx, kind=kind)
    subject = None if noun is not None or kind != "quantity" else _subject_referent(text, sent_start, s, end, sent_end)
    if subject is not None:  # "Of the men it helped, 74 have travelled on": a count of the men
        counts, unit_name = subject
        conf, rule = 0.75, "count-subject"
    elif noun is None:
        found = _number_of_before(text, sent_start, s) or _noun_before(text, sent_start, s)
        if found is not None:
            counts, unit_name = found
            conf, rule = 0.75, "count-lookback"
        else:
            counts = _phrase_before(text, s, sent_start) or None
            if tok.spelled and value <= 10:
                return None  # "the two", "all four": pronoun-like
            conf, rule = (0.6 if (value >= 100 or not tok.plain) else 0.45), "count-bare"
    if kind == "range" and rule.startswith("count-noun"):
        rule = "range-noun"
    return Figure(s, end, text[s:end], value, unit_name, counts, rule, conf,
                  value_high=value_high, approximate=approx, kind=kind)


# "60 of its developers": a count out of a larger, determined group (not "of them": no noun).
_PARTITIVE_DET = re.compile(r"\s+of\s+(?:its|their|the|his|her|our|these|those|all\s+the|all)\s+", re.I)
# A bare number as the subject of a clause: "74 have travelled on", "300 were detained".
_SUBJECT_VERB = re.compile(
    r"\s+(?:have|has|had|were|are|did)\s+(?:(?:already|since|now|also|all|reportedly|not|never|"
    r"subsequently|so\s+far|been|then|later|still)\s+)*(?!(?:a|an|the|no|to|any|some)\b)[a-z]+\b"
)
# A fronted partitive naming the group: "Of the men it has helped since 2022, 74 have ...".
_FRONTED_OF = re.compile(
    r"^[\s\"“‘'(]*(?:(?:But|And|Yet|So)\s+)?Of\s+(?:the|its|their|those|these|all\s+the|all|his|her|our)\s+"
    r"(?P<group>[^,;:()]{2,120}?)\s*,\s*(?:(?:about|around|roughly|nearly|almost|some|over|more\s+than|"
    r"only|just|at\s+least)\s+)?$"
)


_SUBJECT_REFERENT_RX1 = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SUBJECT_REFERENT_RX2 = re.compile(r"[a-z]+s")


def _subject_referent(text: str, sent_start: int, pos: int, end: int, sent_end: int) -> tuple[str, str] | None:
    """(counts, unit) for a bare number that is the subject of a clause, from the group it
    refers to: a fronted "Of the men ..." phrase, else the nearest counted noun earlier in the
    sentence ("150,000 Russians entered ..., and 30,000 have registered"). None otherwise."""
    verb = _SUBJECT_VERB.match(text, end, sent_end)
    if verb is None:
        return None
    action = _phrase_after(text, end, sent_end)
    fronted = _FRONTED_OF.match(text[sent_start:pos])
    if fronted is not None:
        group = fronted.group("group")
        words = group.split()
        unit = next((u for u in (_noun_unit(w.strip(".,")) for w in words[:4]) if u), None)
        if unit is None and words and _SUBJECT_REFERENT_RX2.fullmatch(words[0]) and not words[0].endswith("ss"):
            unit = "count"  # an unlisted plural noun heads the group
        if unit is not None:
            return f"{group}: {action}" if action else group, unit
    words = _SUBJECT_REFERENT_RX1.findall(text[sent_start:pos])[-25:]
    for w in reversed(words):
        unit = _noun_unit(w)
        if unit is not None:
            return f"{w.lower()}: {action}" if action else w.lower(), unit
    return None


_LOOKS_LIKE_AGE_RANGE_RX1 = re.compile(r"[a-z]+")


def _looks_like_age_range(text: str, sent_start: int, pos: int, low: float, high: float | None) -> bool:
    """'men between 18 and 27', 'Men 18-60': a bare range of plausible ages after a person word."""
    if high is None or not (14 <= low < high <= 80):
        return False
    words = _LOOKS_LIKE_AGE_RANGE_RX1.findall(text[max(sent_start, pos - 50):pos].lower())[-5:]
    return any(w in _PERSON_WORDS for w in words)


_CHANGE_NOUN = re.compile(r"(?:increase|rise|jump|growth|drop|fall|decline|decrease|surge|"
                          r"more|higher|greater|of|up|down|less|fewer|lower|larger|bigger|"
                          r"reduction|hike|spike|as)\b", re.I)


def _change_counts(text: str, pos: int, start: int, sent_start: int, sent_end: int,
                   prior: list[Figure]) -> str | None:
    """What a percentage or multiplier is about: 'rise in people seeking advice ...'."""
    after = _phrase_after(text, pos, sent_end)
    if after and _CHANGE_NOUN.match(after):
        if not any(_noun_unit(w) for w in after.split()):
            ref = next((f for f in reversed(prior) if f.start >= sent_start and f.counts
                        and f.unit not in ("percent", "fold", "percentage_points")), None)
            if ref is not None:
                return f"{ref.counts}: {after}"
        return after
    before = _phrase_before(text, start, sent_start)
    return " ".join(x for x in (before, after) if x) or None


def _reference_figure(prior: list[Figure], text: str, pos: int, sent_start: int) -> Figure | None:
    """The figure a baseline ('from 200', 'compared to 40') is compared with."""
    for f in reversed(prior):
        if f.kind not in ("quantity", "range") or f.confidence < 0.5:
            continue
        if f.start >= sent_start or pos - f.end < 400 and "\n" not in text[f.end:pos]:
            return f
        break
    return None


_BASELINE_UNIT_RX1 = re.compile(r"^(?:[^:]*:\s*)?(?:increase|rise|jump|growth|drop|fall|decline|decrease|"
                        r"surge|more|higher)\s+(?:in|of)?\s*", re.I)


def _baseline_unit(ref: Figure) -> tuple[str, str | None]:
    """A baseline counts what its reference counts; for a % or fold change, the changed thing."""
    counts = ref.counts
    if ref.unit in ("percent", "fold", "percentage_points") and counts:
        counts = _BASELINE_UNIT_RX1.sub("", counts)
        unit = next((u for u in (_noun_unit(w) for w in counts.split()) if u), "count")
        return unit, counts
    return ref.unit, counts


# ---------------------------------------------------------------------------
# Public API


_MARK_CONVERSIONS_RX1 = re.compile(r"\s*\(\s*(?:about|around|some|roughly|nearly|almost|approximately|"
                                 r"more\s+than|over)?\s*")


def _mark_conversions(text: str, figs: list[Figure]) -> list[Figure]:
    """'10 kilometers (6 miles)': the parenthetical restates the figure before it."""
    out: list[Figure] = []
    for f in figs:
        prev = out[-1] if out else None
        if (prev is not None and prev.unit == f.unit == "km" and prev.kind == "quantity"
                and _MARK_CONVERSIONS_RX1.fullmatch(text[prev.end:f.start])):
            f = replace(f, kind="conversion", value=prev.value, rule="unit-conversion",
                        confidence=0.3, counts=prev.counts)
        out.append(f)
    return out


def extract_figures(text: str) -> list[Figure]:
    """All reported quantities in ``text``, sorted by start offset.

    Every figure satisfies ``text[f.start:f.end] == f.raw``. Dates, years, days
    of the month, times and ordinals are never returned; ages, durations and
    unit conversions are returned with ``kind`` set and confidence < 0.5.
    """
    spans = sentences(text)
    word_figs = _word_figures(text, spans)
    figs = word_figs + _token_figures(text, spans, word_figs)
    figs.sort(key=lambda f: (f.start, -f.end))
    kept: list[Figure] = []
    for f in figs:  # drop anything overlapping an earlier, longer figure
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return _mark_conversions(text, kept)
