"""Named people and organisations in one article, with alias merging.

Rule-based, gazetteer-light: a person name is a run of capitalised tokens that
is not a place, title, month or common word. Multi-token names ("Danila
Davydov") are accepted on their own; single tokens ("Kirill", "Anya") need
evidence that they name a person: an appositive ("Kirill, a 26-year-old..."),
a speech verb ("says Anya"), a naming phrase ("identified himself only as
Yevgeny") or a verb right after them. Surnames and spelling variants are merged
into the fullest form; a full-named person's bare surname anywhere is theirs. A
lone first name with its own description ("Sergei, a 40-year-old mechanic") is a
new person, not a namesake's alias; a full name's bare first name is theirs when no one
else shares it. A word after at/in/near/outside/via/through ("stayed in X") or a
place the gazetteer knows (cities, crossings, countries) is never a person or
organisation. Organisations are ministries/agencies (with their own country,
"France’s"/"French"; "the country’s" = the last country named; else the article's
most frequent country adjective outside quotes), directorates,
well-known institutions, capitalised names ending in an organisation word
("Federal Security Service", with a bracketed acronym as alias), and names given
an organisation appositive ("X, an antiwar organisation") or someone speaking or
working for them ("a spokesperson for X", "developers at X"). organisation_kinds()
says what kind an organisation is, for "the company said".
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from exodus.model import Person

_L = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ"  # upper-case letters
_l = "a-zß-öø-ÿā-ſа-яё"  # lower-case letters
# One capitalised name token: "Davydov", "Jean-Pierre", "McCain", "O’Brien".
_TOKEN = rf"(?:(?:Mc|Mac|O[’'])?[{_L}][{_l}]+(?:-[{_L}]?[{_l}]+)*)"
_PARTICLE = r"(?:de|da|di|del|der|den|van|von|la|le|bin|ibn|al)"
_RUN_TAIL = rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:[{_L}]\.[ \t]+)?{_TOKEN})*(?![^\W\d_])"
# A run of name tokens on one line, allowing particles and middle initials ("Jan M. Olsen"):
# (?<![^\W\d_]){_TOKEN}{_RUN_TAIL}, written to start with the first capital letter so that the
# regex engine skips to capitals at C speed instead of trying every position. The letter
# before that capital is checked by a two-character look-behind, and the rest of the first
# token follows its alternatives in the same order (Mc, Mac, O’, plain).
_RUN = re.compile(
    rf"[{_L}](?<![^\W\d_].)(?:(?<=M)(?:c|ac)[{_L}][{_l}]+|(?<=O)[’'][{_L}][{_l}]+|[{_l}]+)(?:-[{_L}]?[{_l}]+)*"
    + _RUN_TAIL
)

SPEECH_VERBS = frozenset(
    """say says said saying state states stated stating tell tells told telling add adds added
    adding write writes wrote writing ask asks asked asking explain explains explained explaining
    note notes noted noting recall recalls recalled recalling insist insists insisted insisting
    warn warns warned warning claim claims claimed claiming declare declares declared declaring
    announce announces announced announcing reply replies replied replying answer answered
    continue continues continued argue argues argued arguing admit admits admitted admitting
    acknowledge acknowledged confirm confirms confirmed shout shouts shouted shouting cry cried
    yell yelled whisper whispered post posted tweet tweeted report reports reported describe
    describes described describing call calls called calling label labelled labeled brand branded
    dub dubbed agree agrees agreed remark remarked reveal revealed disclose disclosed stress
    stressed emphasise emphasised emphasize emphasized conclude concluded complain complained
    complaining lament lamented suggest suggested predict predicted promise promised urge urged
    joke joked text texted message messaged recount recounted wonder wondered""".split()
)

TITLE_WORDS = frozenset(
    """president vice prime minister ministers secretary spokesman spokeswoman spokesperson
    spokespeople press deputy foreign interior defense defence justice health finance general
    chancellor chairman chairwoman chair head chief director governor mayor senator ambassador
    commander colonel major lieutenant captain sergeant private admiral marshal officer
    lawyer attorney judge prosecutor professor dr doctor mr mrs ms miss sir lord lady king queen
    prince princess patriarch father bishop pope rev reverend speaker leader founder
    co-founder coordinator activist analyst economist journalist correspondent editor
    reporter writer writers photographer researcher expert official officials adviser advisor
    aide envoy representative rep sen gov gen col lt sgt capt premier mp mep deputy-head
    executive ceo cfo coo manager member members""".split()
)

# Heads of organisation names; a run containing one is an organisation, not a person.
ORG_HEADS = frozenset(
    """ministry department office agency committee service services council court group
    organisation organization institute foundation fund union party bank parliament duma
    assembly commission government administration army navy forces force guard guards police
    university school college company corporation news network newspaper channel television
    radio times post press express herald journal tribune gazette review magazine agency
    association federation centre center society movement project initiative bureau board
    house kremlin pentagon church club team league airlines airways railways media directorate
    inspectorate""".split()
)

COMMON_CAPITALISED = frozenset(
    """the a an this that these those there then when while after before but and or so some
    many most much more other others another every each all any both either neither no not
    according although though despite amid among as at in on of for from to by with without
    within into onto upon over under since until because if unless whether what which who whom
    whose why how where it its he she they we i you his her their our my your him them us me
    one two three four five six seven eight nine ten first second third last next new old
    mr mrs ms dr image images photo photos video videos source sources read more share please
    click subscribe advertisement comments comment leave reply about author related latest
    news live updates update breaking exclusive analysis insight interview opinion current time
    daily full article link support get connect hi sign up yes nope ok okay well even just only
    now here back also still yet however meanwhile moreover indeed instead perhaps maybe today
    yesterday tomorrow morning evening night week weekend year years month months day days
    world war wars peace state states republic federation union north south east west northern
    southern eastern western central upper lower great little big small good bad best worst
    mobilization mobilisation draft army military service conscription internet telegram
    facebook twitter instagram youtube whatsapp google apple schengen covid coronavirus god
    christmas easter nazism fascism communism soviet nato eu un uk us usa ussr wwii
    border borders crossing checkpoint airport station city town village region province
    street road square avenue bridge river sea lake mountain mountains island islands
    thank thanks dear sir madam welcome hello goodbye oh ah wow hey please sorry
    maps map said says told asked added stated wrote called reported according
    follow followed watch listen see look find visit learn discover explore enjoy
    strategic studies international national federal regional local public private
    free freedom human rights civil civic liberal liberals conservative independent
    united associated reuters tass ria interfax ap afp bbc cnn dpa""".split()
)

MONTHS_DAYS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)

# Country adjectives/demonyms beyond the gazetteer's, and region adjectives.
_EXTRA_ADJECTIVES = frozenset(
    """european western eastern soviet asian african american arab latin slavic caucasian
    baltic nordic scandinavian chechen dagestani tatar buryat siberian crimean""".split()
)

_NATIONALITY_RE = re.compile(r"(?:ian|ean|ese|ish|ic|i|an)$")

_SPEECH_ALT = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
# Evidence that a single capitalised token names a person.
_NAMING_BEFORE = re.compile(
    r"(?:\b(?:named|called|pseudonym|nicknamed|alias)\s+|"
    r"\b(?:identified|introduced|described)\s+(?:himself|herself|themselves)\s+(?:only\s+)?as\s+|"
    r"\b(?:known|identified|referred\s+to)\s+only\s+as\s+|"
    r"\bgave\s+(?:only\s+)?(?:his|her|their)\s+(?:first\s+)?name\s+(?:only\s+)?as\s+|"
    r"\b(?:first\s+name|given\s+name)\s*,?\s+)$"
)
_NAMING_BEFORE_TAILS = ("named", "called", "pseudonym", "alias", "as", "name", ",")
_SPEECH_BEFORE_VERBS = (
    "says said stated added asked wrote explained recalled insisted warned replied continued argued admitted "
    "noted shouted complained lamented agreed explains recalls adds asks"
).split()
_SPEECH_BEFORE = re.compile(rf"\b(?:{'|'.join(_SPEECH_BEFORE_VERBS)})\s+$")
_SPEECH_BEFORE_TAILS = tuple(_SPEECH_BEFORE_VERBS)
_VERB_AFTER = re.compile(
    rf"^(?:’s?\s+\w+\s+)?\s*(?:(?:has|had|have|is|was|will|would|can|could|may|might|also|then|later|"
    rf"now|still|never|once|had\s+been|has\s+been)\s+)*(?:{_SPEECH_ALT}|"
    rf"left|went|fled|came|took|got|made|packed|decided|moved|returned|arrived|crossed|flew|drove|"
    rf"spent|managed|tried|wanted|hoped|feared|refused|joined|signed|received|lives|lived|works|worked|"
    rf"is|was|has|had|will|would|can|could)\b"
)
_SPEECH_AFTER = re.compile(rf"^,?\s+(?:(?:has|had|have|also|then|later)\s+)*(?:{_SPEECH_ALT})\b")
# Plural/base verb forms: "Lawyers say", "Officials tell" are not people's names.
_BASE_FORMS = frozenset(v for v in SPEECH_VERBS if not v.endswith(("s", "ed", "ing")) and v not in
                        {"said", "told", "wrote", "cried"})


def _singular_speech_after(after: str) -> bool:
    sm = _SPEECH_AFTER.match(after)
    return bool(sm) and sm.group(0).split()[-1].lower() not in _BASE_FORMS


_APPOSITIVE_AFTER = re.compile(
    # \b: ", about 80 km" is not the article "a"
    r"^\s*(?:,\s*(?:(?:a|an|who|whose|now|aged)\b|the\s+\d|\d{1,2}\s*,|\d{1,2}(?:-|\s)?year)|\(\s*(?:a|an|\d{1,2})\b)",
    re.I,
)
# A description that introduces someone new: "Sergei, a 40-year-old mechanic", "Sergei, 40,",
# "Sergei (40)". ("Sergei, who ..." may just refer back, so it does not count.)
_INTRO_AFTER = re.compile(
    r"^\s*(?:,\s*(?:(?:a|an|aged)\b|\d{1,2}\s*,|\d{1,2}(?:-|\s)?year)|\(\s*\d{1,2}\s*\))",
    re.I,
)
# A capitalised word after a locative preposition and before a comma is a place
# ("At Vaalimaa, a 25-year-old...", "while at Nuijamaa, about 80 km away"); a clause-initial
# "From X," too. A possessive ("in Pavel’s words") is not a place.
_LOCATIVE_PLACE = re.compile(
    rf"(?:\b(?:[Aa]t|[Ii]n|[Nn]ear|[Oo]utside)|(?:^|(?<=[.!?]\s)|(?<=\n))From)[ \t]+(?P<name>{_TOKEN})(?=\s*,)",
    re.M,
)
# Nouns that say what kind of organisation a name is ("X, a software firm", "the airline X").
_ORG_KIND_NOUNS = (
    r"organi[sz]ation|group|outlet|network|newspaper|company|agency|charity|movement|project|channel|"
    r"service|website|site|platform|union|party|ngo|foundation|initiative|firm|broadcaster|publication|"
    r"portal|bank|ministry|start-?up|airline|carrier|association|coalition|corporation|retailer|operator"
)
# "X, a Moscow-founded software firm"; not "X, the group’s coordinator" (a person's role).
_ORG_APPOSITIVE = re.compile(
    rf"^\s*,\s*(?:an?|the)\s+(?:(?!(?:with|at|for|of|from|in|on|by|to)\b)[\w’'-]+\s+){{0,4}}?(?:{_ORG_KIND_NOUNS})\b(?![’']s\b)",
    re.I,
)
_ORG_NOUN_AFTER = re.compile(
    r"^\s+(?:news\s+)?(?:newspaper|agency|group|organi[sz]ation|channel|network|outlet|website|"
    r"movement|project|foundation|initiative|company|party|union|service|portal|broadcaster|"
    r"television|tv|radio)\b",
    re.I,
)
# Weaker evidence that a capitalised name is an organisation: someone speaks or works for it
# ("a spokesperson for X", "the engineering team at X"). Not before a possessive ("staff at
# Orlov’s café"), and never when the name is also part of a person's name in the article.
_ORG_ROLE_BEFORE = re.compile(
    r"\b(?:spokes(?:man|woman|person|people)|representatives?|press\s+(?:officer|secretary|service|office))"
    r"\s+(?:for|of|at|from)\s+(?:the\s+)?$",
    re.I,
)
# Last words of the "...\s+$" patterns above, for _end_search.
_ORG_ROLE_TAILS = ("for", "of", "at", "from", "the")
_EMPLOYER_TAILS = ("at", "of")
_EMPLOYER_BEFORE = re.compile(
    r"\b(?:team|staff|employees|engineers|developers|programmers|workers|executives|managers)\s+(?:at|of)\s+$",
    re.I,
)

_MINISTRY_TOPICS = (
    r"defen[cs]e|interior|internal\s+affairs|foreign(?:\s+affairs)?|justice|health|finance|emergenc(?:y|ies)|"
    r"economy|economic\s+development|education|labou?r|digital\s+development|culture|transport|"
    r"energy|agriculture|industry|trade|communications|home|war"
)
# A country before a ministry: an adjective ("French") or a possessive ("France’s", "the UK's").
_COUNTRY_BEFORE = (
    rf"(?:(?P<poss>(?-i:[{_L}][{_l}]+(?:[ \t]+[{_L}][{_l}]+){{0,2}}|[{_L}]{{2,3}}))[’']s\s+|(?P<adj>[{_L}][{_l}]+)\s+)?"
)
_ORG_PATTERNS = (
    # "the (Russian) Ministry of Defense", "the Ministry of Foreign Affairs", "Armenia’s Ministry of Economy"
    re.compile(
        rf"\b{_COUNTRY_BEFORE}(?P<head>Ministry|Department|Office|Agency|Committee|Service|Council)"
        rf"\s+(?:of|for)\s+(?:the\s+)?(?P<topic>(?:[{_L}][{_l}]+)(?:\s+(?:and\s+)?[{_L}][{_l}]+)?)"
    ),
    # "the (Russian) defense ministry", "the Foreign Ministry", "France’s foreign ministry"
    re.compile(
        rf"\b{_COUNTRY_BEFORE}(?P<topic>{_MINISTRY_TOPICS})\s+(?P<head>ministry|department)\b",
        re.I,
    ),
)
# Anchors for finditer_near: a head word every match contains, found by a fast literal scan.
_ORG_ANCHORS = (
    (re.compile(r"(?:Ministry|Department|Office|Agency|Committee|Service|Council)\s+(?:of|for)\s"), 3, None),
    (re.compile(r"ministry|department", re.I), 6, 1),
)
_BARE_MINISTRY = re.compile(r"\b[Tt]he\s+(?P<head>[Mm]inistry)\b")
_BARE_MINISTRY_ANCHOR = re.compile(r"[Mm]inistry")
_INSTITUTIONS = re.compile(r"\b(?:the\s+)?(?P<name>Kremlin|Pentagon|White\s+House|State\s+Department)\b")
_INSTITUTIONS_ANCHOR = re.compile(r"Kremlin|Pentagon|White|State")
_WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")
# Precompiled once: module-level re.search(pattern_string, ...) pays a cache lookup per call.
_NONSPACE = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")
_FILLER = re.compile(rf"{_PARTICLE}|[{_L}]\.")
_SENTENCE_END_BEFORE = re.compile(r"[.!?:\"“”‘]\s*$")
_POSSESSIVE_S = re.compile(r"[’']s\b")
_OF_FOR_BEFORE = re.compile(r"\b(?:of|for)\s+(?:the\s+)?$")
_ORG_OF_BEFORE = re.compile(
    r"(?:Institute|Ministry|Department|Committee|Council|Office|Agency|University)\s+(?:of|for)\s+(?:the\s+)?$"
)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|our)\s+$")
_DETERMINER_TAILS = ("the", "a", "an", "its", "their", "our")
_CAPITALISED_PHRASE = re.compile(rf"[{_L}][{_l}]+(?:[ \t]+[{_L}][{_l}]+){{0,2}}")
_CAPITALISED_WORD = re.compile(rf"\b[{_L}][{_l}]+\b")
_THE_COUNTRYS_BEFORE = re.compile(r"\bthe[ \t]+country[’']s[ \t]+$", re.I)
_OF_FOR_TAIL = re.compile(rf"[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?{_TOKEN}(?:[ \t]+(?:and[ \t]+)?{_TOKEN}){{0,3}}")
_NAME_WORD_BEFORE = re.compile(rf"([{_L}][{_l}]*)[ \t]+$")
_CAPITAL_NEXT = re.compile(rf"[ \t]+[{_L}]")
_KIND_TOKEN = re.compile(r"[\w-]+")


@lru_cache(maxsize=4)
def _reversed(text: str) -> str:
    return text[::-1]


@lru_cache(maxsize=16)
def _runs_back(runs: int) -> re.Pattern[str]:
    """White space then non-space, ``runs`` times: read on the reversed text, it walks back."""
    return re.compile(r"\s*\S*" * runs)


def _start_bound(text: str, anchor: int, runs: int) -> int:
    """Leftmost start of a stretch ending at ``anchor`` with at most ``runs`` runs of non-space
    characters (each run with the white space after it); a run cut by the stretch counts too.
    Matched on the reversed text (one regex call instead of a loop over characters)."""
    return len(text) - _runs_back(runs).match(_reversed(text), len(text) - anchor).end()


def finditer_near(pat: re.Pattern[str], anchor: re.Pattern[str], text: str, runs: int,
                  slack: int | None = None) -> Iterator[re.Match[str]]:
    """Exactly ``pat.finditer(text)``, but scanning only near ``anchor`` matches: for patterns
    that try a long alternation at every word, most of the text cannot start a match.

    Contract: every match of ``pat`` is non-empty and has an anchor position a (``anchor``
    matches at a) with a >= the match start and at most ``runs`` runs of non-space characters
    between the match start and a (see _start_bound). Then no match starts before
    _start_bound(a) for the first anchor a at or after the scan position, so ``pat.search``
    from there finds the same leftmost match. With ``slack``, an anchor is first checked by a
    search that ends ``slack`` characters after it; that is only exact when the regex never
    looks further than that past the anchor of its match, so that without a match in the
    window no match has this anchor.
    """
    pos = apos = 0
    while True:
        am = anchor.search(text, apos)
        if am is None:
            return
        lo = max(pos, _start_bound(text, am.start(), runs))
        if slack is not None and pat.search(text, lo, am.end() + slack) is None:
            apos = am.start() + 1
            continue
        m = pat.search(text, lo)
        if m is None:
            return
        yield m
        pos = apos = m.end()


# Characters that re.IGNORECASE matches to an ASCII letter although they do not lower-case
# to it ("ſ" ~ "s", "ı" ~ "i", the Kelvin sign ~ "k").
_CASE_SPECIALS = re.compile("[İıſ\u212a]")
_IGNORECASE = int(re.IGNORECASE)  # a plain int: testing an enum flag costs more than the search


def _end_search(pat: re.Pattern[str], tails: tuple[str, ...], window: str) -> re.Match[str] | None:
    """``pat.search(window)`` for a pattern anchored at the end ("...\\s+$") whose matches
    end with one of ``tails`` (lower case if ``pat`` ignores case) before trailing white space.
    Such a search tries every start in the window; the test on its last word is far cheaper
    and rules out most windows."""
    end = window.rstrip()
    if pat.flags & _IGNORECASE:
        if not window.isascii() and _CASE_SPECIALS.search(window):
            return pat.search(window)
        end = end.lower()
    return pat.search(window) if end.endswith(tails) else None


@dataclass
class _Entity:
    forms: list[str] = field(default_factory=list)  # surface forms in order of appearance
    mentions: list[tuple[int, int]] = field(default_factory=list)
    kind: str = "person"
    canonical: str = ""


@lru_cache(maxsize=1)
def _gazetteer_words() -> tuple[frozenset[str], frozenset[str]]:
    """(place names, country adjectives) from the project's gazetteer CSVs, lower-cased.

    Read once and cached; missing files just give empty sets so the module stays usable.
    """
    places: set[str] = set()
    adjectives: set[str] = set(_EXTRA_ADJECTIVES)
    folder = Path(__file__).with_name("gazetteer")
    for name in ("countries.csv", "cities.csv"):
        path = folder / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                places.add((row.get("name") or "").lower())
                places.update(a.lower() for a in (row.get("aliases") or "").split("|") if a)
                adjectives.update(d.lower() for d in (row.get("demonyms") or "").split("|") if d)
    places.discard("")
    return frozenset(places), frozenset(adjectives)


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Lower-cased country names and aliases (cities are not excluded from names)."""
    path = Path(__file__).with_name("gazetteer") / "countries.csv"
    names: set[str] = {"europe", "asia", "africa", "america", "ukraine", "russia", "crimea", "donbas", "siberia"}
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                names.add((row.get("name") or "").lower())
                names.update(a.lower() for a in (row.get("aliases") or "").split("|") if a)
    return frozenset(names)


@lru_cache(maxsize=1)
def _country_demonyms() -> dict[str, str]:
    """Lower-cased country name or alias -> its first demonym ('france' -> 'French'), '' when none."""
    path = Path(__file__).with_name("gazetteer") / "countries.csv"
    out: dict[str, str] = {}
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                dem = (row.get("demonyms") or "").split("|")[0]
                for n in [row.get("name") or "", *(row.get("aliases") or "").split("|")]:
                    if n:
                        out.setdefault(n.lower(), dem)
    return out


def _possessive_country(poss: str) -> tuple[str | None, int]:
    """(adjective, offset of the country name) for a possessive run: "France" -> ("French", 0),
    "The UK" -> ("British", 4), "In Andorra" -> ("Andorra’s", 3) without a demonym; (None, 0)
    when no trailing part of the run is a country."""
    toks = list(_NONSPACE.finditer(poss))
    for i, t in enumerate(toks):
        name = " ".join(x.group(0) for x in toks[i:])
        dem = _country_demonyms().get(name.lower())
        if dem is not None:
            return (dem or f"{name}’s"), t.start()
    return None, 0


def _country_of(poss: str | None, adj: str | None) -> str | None:
    """The country qualifier of an organisation as an adjective: "French" for "French" or
    "France’s"; "Andorra’s" when the gazetteer has no demonym; None when neither names a country."""
    if adj and adj.lower() in country_adjectives():
        return adj[0].upper() + adj[1:]
    if poss:
        return _possessive_country(_SPACES.sub(" ", poss))[0]
    return None


def country_adjectives() -> frozenset[str]:
    """Lower-cased country adjectives ('russian', 'latvian', ...)."""
    return _gazetteer_words()[1]


def _is_place(phrase: str) -> bool:
    places, _ = _gazetteer_words()
    p = phrase.lower().replace("’", "'")
    return p in places or p.replace("st ", "saint ") in places or p.replace("st. ", "saint ") in places


@lru_cache(maxsize=16384)
def _is_stop_token(tok: str) -> bool:
    """A capitalised token that is never part of a person's name."""
    low = tok.lower().replace("’", "'")
    if low in COMMON_CAPITALISED or low in MONTHS_DAYS or low in TITLE_WORDS or low in ORG_HEADS:
        return True
    adjs = country_adjectives()
    places, _ = _gazetteer_words()
    parts = low.split("-")
    # "Russian", "Russians", "Russian-language", "Soviet-Afghan"; countries (not cities:
    # "Vladimir" is a city too) are never name tokens.
    first = parts[0]
    if first in adjs or first.rstrip("s") in adjs or (len(parts) > 1 and first in places):
        return True
    return low in _country_names()


def _split_run(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a capitalised run at stop tokens (titles, adjectives, common words)."""
    pieces: list[list[tuple[int, int, bool]]] = [[]]
    for m in _NONSPACE.finditer(text, start, end):
        tok = m.group(0)
        filler = _is_filler(tok)
        if not filler and _is_stop_token(tok):
            pieces.append([])
        else:
            pieces[-1].append((m.start(), m.end(), filler))
    out = []
    for toks in pieces:
        # a name starts and ends with a real name token, not a particle or an initial
        while toks and toks[0][2]:
            toks = toks[1:]
        while toks and toks[-1][2]:
            toks = toks[:-1]
        if toks:
            out.append((toks[0][0], toks[-1][1]))
    return out


def _is_filler(tok: str) -> bool:
    """Particles ('von') and initials ('M.') inside a name."""
    return _FILLER.fullmatch(tok) is not None


@lru_cache(maxsize=4)
def _lowercase_words(text: str) -> frozenset[str]:
    """Words the article also uses in lower case: such capitalised tokens are common words.

    Cached: find_people asks three times per article."""
    return frozenset(w for w in set(_WORD.findall(text)) if w.islower())


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos]
    return pos == 0 or before.endswith("\n") or bool(_SENTENCE_END_BEFORE.search(before)) or before.strip() == ""


def _single_token_evidence(text: str, s: int, e: int) -> bool:
    """Does the context show that this single capitalised token names a person?"""
    before = text[max(0, s - 60):s]
    after = text[e:e + 80]
    if (_end_search(_NAMING_BEFORE, _NAMING_BEFORE_TAILS, before)
            or _end_search(_SPEECH_BEFORE, _SPEECH_BEFORE_TAILS, before)):
        return True
    sm = _SPEECH_AFTER.match(after)
    if sm and sm.group(0).split()[-1].lower() not in _BASE_FORMS:
        return True  # "Kirill said", not "Lawyers say"
    if _APPOSITIVE_AFTER.match(after) and not _ORG_APPOSITIVE.match(after):
        return True
    if _VERB_AFTER.match(after):
        # "Moscow has...", "Russia sent..." are places; those are stop tokens already.
        return True
    return False


_ORG_NOUN_BEFORE = re.compile(
    r"\b(?:outlet|newspaper|agency|channel|website|group|organi[sz]ation|network|broadcaster|"
    r"company|firm|portal|site|publication|movement|project|platform|tabloid|daily|weekly|magazine|"
    r"start-?up|airline|carrier|bank|charity|foundation|ngo|retailer|operator|search\s+engine|app)\s+$",
    re.I,
)
_ORG_NOUN_TAILS = tuple(
    """outlet newspaper agency channel website group organisation organization network broadcaster company firm
    portal site publication movement project platform tabloid daily weekly magazine startup start-up airline
    carrier bank charity foundation ngo retailer operator engine app""".split()
)


def _is_org_context(text: str, s: int, e: int) -> bool:
    after = text[e:e + 120]
    before = text[max(0, s - 40):s]
    return bool(_ORG_APPOSITIVE.match(after) or _ORG_NOUN_AFTER.match(after)
                or _end_search(_ORG_NOUN_BEFORE, _ORG_NOUN_TAILS, before))


def _is_weak_org_context(text: str, s: int, e: int) -> bool:
    """Someone speaks or works for the name: "a spokesperson for X", "developers at X"."""
    before = text[max(0, s - 40):s]
    if _POSSESSIVE_S.match(text[e:e + 3]):
        return False
    return bool(_end_search(_ORG_ROLE_BEFORE, _ORG_ROLE_TAILS, before)
                or _end_search(_EMPLOYER_BEFORE, _EMPLOYER_TAILS, before))


# A capitalised name right after a locative preposition is a place wherever it stands ("stayed in
# Tromsdal was", "queues near Ostrava"); a possessive ("in Pavel’s words") or a name looked,
# pointed or shouted at ("she looks at Pavel") is not. "of"/"from"/"with" are left out:
# "a letter from Anna", "the wife of Ivan Petrov" name people.
_LOCATIVE_ANY = re.compile(
    rf"(?<![\w’'])(?P<prep>at|in|near|outside|via|through|[Ii]nside)[ \t]+"
    rf"(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN})?)(?![\w’'-])(?![ \t]*[’']s?\b)"
)
_LOOK_AT = re.compile(
    r"\b(?:looks?|looked|looking|stares?|stared|glances?|glanced|points?|pointed|smiles?|smiled|laughs?|"
    r"laughed|shouts?|shouted|yells?|yelled|waves?|waved|nods?|nodded|angry|furious)[ \t]+$",
    re.I,
)


def _locative_places(text: str, strict: bool = False) -> frozenset[str]:
    """Capitalised words the article uses as places ("At Vaalimaa, ...", "stayed in Tromsdal"):
    never person names. ``strict`` leaves out "at", which also introduces employers ("works at X")."""
    return _locative_place_sets(text)[1 if strict else 0]


# Every _LOCATIVE_PLACE match ends in a name token right before a comma; the anchor is the
# token's last capital or hyphen part (fast to scan for), at most two runs after the match start.
_COMMA_AFTER_NAME = re.compile(rf"[{_L}-][{_l}]+\s*,")


@lru_cache(maxsize=4)
def _locative_place_sets(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(places, strict places) of _locative_places in one pass over the text, cached per text."""
    out = {m.group("name") for m in finditer_near(_LOCATIVE_PLACE, _COMMA_AFTER_NAME, text, 2, 1)}
    strict = set()
    for m in _LOCATIVE_ANY.finditer(text):
        if m.group("prep") != "at":
            strict.add(m.group("name"))
        elif _LOOK_AT.search(text[max(0, m.start() - 20):m.start()]):
            continue
        out.add(m.group("name"))
    return frozenset(out), frozenset(strict)


@lru_cache(maxsize=4096)
def _gazetteer_place(surface: str) -> bool:
    """Is the whole surface a city, border crossing or country the gazetteer knows ("Vaalimaa")?"""
    from exodus.places import load_gazetteer  # local: places is a sibling extractor

    try:
        place = load_gazetteer().lookup(surface)
    except (OSError, ValueError):
        return False
    return place is not None and place.kind in {"city", "border_crossing", "country"}


@lru_cache(maxsize=4)
def _runs(text: str) -> tuple[tuple[int, int, str, bool], ...]:
    """(start, end, surface, has an organisation head word) of every capitalised run (_RUN),
    cached: people and organisations both scan them."""
    return tuple((m.start(), m.end(), m.group(0), any(t.lower() in ORG_HEADS for t in m.group(0).split()))
                 for m in _RUN.finditer(text))


def _name_candidates(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(person candidates, organisation candidates) as (start, end, surface)."""
    lower_words = _lowercase_words(text)
    place_words = _locative_places(text)
    strict_places = _locative_places(text, strict=True)
    persons: list[tuple[int, int, str]] = []
    orgs: list[tuple[int, int, str]] = []
    weak: list[tuple[int, int, str]] = []  # organisations only by weak evidence
    for run_start, run_end, run, has_head in _runs(text):
        if has_head:
            continue  # part of an organisation name ("International Institute ...")
        before = text[max(0, run_start - 30):run_start]
        # (cheap test first: the regex needs "of", "for" or "the" as the last word)
        if (before.rstrip().endswith(("of", "for", "the")) and _OF_FOR_BEFORE.search(before)
                and _ORG_OF_BEFORE.search(before)):
            continue
        for s, e in _split_run(text, run_start, run_end):
            surface = text[s:e]
            toks = surface.split()
            if _is_place(surface) or _gazetteer_place(surface):
                continue  # a place is never a person or an organisation
            if _is_org_context(text, s, e):
                orgs.append((s, e, surface))
                continue
            if _is_weak_org_context(text, s, e):
                if surface not in strict_places:
                    weak.append((s, e, surface))
                continue
            if surface in place_words:
                continue  # used as a place elsewhere in the article ("stayed in Tromsdal")
            # "the Soft Power", "the Nasha Niva newspaper": a determiner right before is not a person
            if s == run_start and _end_search(_DETERMINER_BEFORE, _DETERMINER_TAILS, text[max(0, s - 8):s]):
                continue
            if len(toks) == 1:
                tok = toks[0]
                if tok.lower() in lower_words or len(tok) < 3 or tok in place_words:
                    continue
                if not _single_token_evidence(text, s, e):
                    continue
                # sentence-initial capitals are weak evidence: need an appositive or a speech verb
                if _sentence_initial(text, s) and not (
                    _APPOSITIVE_AFTER.match(text[e:e + 80]) or _singular_speech_after(text[e:e + 80])
                    or _end_search(_NAMING_BEFORE, _NAMING_BEFORE_TAILS, text[max(0, s - 60):s])
                ):
                    continue
            persons.append((s, e, surface))
    # "a spokesman for Navalny" when the article also names Alexei Navalny: a person, not an org
    name_toks = {t.lower() for _, _, p in persons for t in p.split()}
    for s, e, surface in weak:
        if surface.lower() in name_toks or any(t.lower() in name_toks for t in surface.split()):
            persons.append((s, e, surface))
        else:
            orgs.append((s, e, surface))
    return persons, orgs


def _same_surname(a: str, b: str) -> bool:
    """Surname spelling variants: rapidfuzz ratio >= 85, or edit distance 1 for names of 6+ letters."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if min(len(a), len(b)) >= 6 and Levenshtein.distance(a, b) <= 1:
        return True
    return min(len(a), len(b)) >= 5 and ratio(a, b) >= 85


def _introduces_new_person(text: str, s: int, e: int) -> bool:
    """A lone first name given its own description or naming phrase is someone new
    ("Sergei, a 40-year-old mechanic", "a driver who gave his name only as Sergei"): news
    refers back to a full-named person by surname, rarely by a bare first name."""
    return bool(_INTRO_AFTER.match(text[e:e + 40])
                or _end_search(_NAMING_BEFORE, _NAMING_BEFORE_TAILS, text[max(0, s - 60):s]))


def _merge_people(cands: list[tuple[int, int, str]], text: str = "") -> list[_Entity]:
    """Group name forms: full names with surname variants, then single tokens onto full names."""
    multi = [c for c in cands if len(c[2].split()) > 1]
    single = [c for c in cands if len(c[2].split()) == 1]
    entities: list[_Entity] = []

    def find_full(first: str, last: str) -> _Entity | None:
        for ent in entities:
            for f in ent.forms:
                ft = f.split()
                if len(ft) > 1 and ft[0].lower() == first.lower() and _same_surname(ft[-1], last):
                    return ent
        return None

    for s, e, surface in sorted(multi):
        toks = surface.split()
        ent = find_full(toks[0], toks[-1])
        if ent is None:
            ent = _Entity()
            entities.append(ent)
        ent.forms.append(surface)
        ent.mentions.append((s, e))
    standalone: set[str] = set()  # first names introduced as someone new
    for s, e, surface in sorted(single):
        target = None
        first_name_ok = True
        if surface.lower() in standalone:
            first_name_ok = False  # later bare mentions stay with the newly introduced person
        elif text and _introduces_new_person(text, s, e):
            first_name_ok = False
            standalone.add(surface.lower())
        # exact surname, then exact first name, then spelling variant of a surname
        for test in (
            lambda f: f.split()[-1].lower() == surface.lower(),
            lambda f: first_name_ok and f.split()[0].lower() == surface.lower(),
            lambda f: _same_surname(f.split()[-1], surface),
        ):
            hits = [ent for ent in entities if any(len(f.split()) > 1 and test(f) for f in ent.forms)]
            if len(hits) == 1:
                target = hits[0]
                break
            if hits:
                break  # ambiguous: two people share it; keep it apart rather than guess
        if target is None:
            target = next((ent for ent in entities if all(len(f.split()) == 1 for f in ent.forms)
                           and any(_same_surname(f, surface) or f == surface for f in ent.forms)), None)
        if target is None:
            target = _Entity()
            entities.append(target)
        target.forms.append(surface)
        target.mentions.append((s, e))
    for ent in entities:
        ent.canonical = _canonical_person(ent.forms)
    return entities


def _canonical_person(forms: list[str]) -> str:
    """Fullest form; its surname spelled as most mentions spell it (typo variants lose)."""
    full = [f for f in forms if len(f.split()) > 1]
    if not full:
        return Counter(forms).most_common(1)[0][0]
    longest = max(len(f.split()) for f in full)
    best = next(f for f in full if len(f.split()) == longest)
    surnames = Counter(f.split()[-1] for f in forms if _same_surname(f.split()[-1], best.split()[-1]))
    top, n = surnames.most_common(1)[0]
    if n > surnames[best.split()[-1]]:
        best = " ".join(best.split()[:-1] + [top])
    return best


_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»|„[^“”\n]*[“”]")


def _outside_quotes(text: str) -> str:
    """The text with quoted words blanked (same length): what speakers say does not tell which
    country the article's organisations belong to ("the flow of citizens of the Russian Federation")."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def _last_country_before(text: str, pos: int) -> str | None:
    """Adjective of the last country named before ``pos`` outside quotes, for "the country’s
    ministry" ("... entered Kazakhstan, the country’s interior ministry said" -> "Kazakh")."""
    found = None
    for m in _CAPITALISED_PHRASE.finditer(_outside_quotes(text[:pos])):
        adj, _ = _possessive_country(m.group(0))
        if adj is not None:
            found = adj
    return found


def _dominant_adjective(text: str) -> str | None:
    """The article's most frequent country adjective (e.g. 'Russian') outside quotes:
    unqualified ministries get it."""
    adjs = country_adjectives()
    counts = Counter(w for w in _CAPITALISED_WORD.findall(_outside_quotes(text)) if w.lower() in adjs)
    return counts.most_common(1)[0][0] if counts else None


_COUNTRY_BEFORE_RE = re.compile(rf"(?:{_COUNTRY_BEFORE})", re.I)


def _strip_country(form: str) -> str:
    """'France’s foreign ministry' / 'French foreign ministry' -> 'foreign ministry'."""
    m = _COUNTRY_BEFORE_RE.match(form)
    if m and _country_of(m.group("poss"), m.group("adj")) is not None:
        return form[m.end():]
    return form


def _topic_key(topic: str) -> str:
    t = _SPACES.sub(" ", topic.lower()).replace("defence", "defense")
    return {"foreign affairs": "foreign", "internal affairs": "interior", "emergencies": "emergency"}.get(t, t)


def _find_orgs(text: str, extra: list[tuple[int, int, str]]) -> list[_Entity]:
    dominant = _dominant_adjective(text)
    # (start, end, head, topic, country) of every ministry-like mention, in text order
    found: list[tuple[int, int, str, str, str | None]] = []
    for pat, (anchor, runs, slack) in zip(_ORG_PATTERNS, _ORG_ANCHORS):
        for m in finditer_near(pat, anchor, text, runs, slack):
            country = _country_of(m.group("poss"), m.group("adj"))
            if country is not None:
                s = m.start("adj") if m.group("adj") else m.start("poss") + _possessive_country(m.group("poss"))[1]
            else:
                s = m.start("topic") if m.re is _ORG_PATTERNS[1] else m.start("head")
            if any(a <= s < b for a, b, *_ in found):
                continue
            if country is None and _THE_COUNTRYS_BEFORE.search(text[max(0, s - 20):s]):
                country = _last_country_before(text, s)  # "the country’s interior ministry"
            found.append((s, m.end(), m.group("head").lower(), _topic_key(m.group("topic")), country))
    found.sort()
    # The country attached to a mention ("France’s", "French") wins over the article's usual
    # adjective. An unqualified mention ("the foreign ministry") is the last qualified one of
    # the same kind before it, or the only country that kind is given later; else the article's.
    by_key: dict[tuple[str, str, str | None], _Entity] = {}
    spans: list[tuple[int, int, tuple[str, str, str | None]]] = []
    for s, e, head, topic, country in found:
        if country is None:
            prior = [k for _, _, k in spans if k[:2] == (head, topic) and k[2] is not None]
            later = {c for _, _, h, t, c in found if (h, t) == (head, topic) and c is not None}
            if prior:
                country = prior[-1][2]
            elif len(later) == 1:
                country = next(iter(later))
        key = (head, topic, country)
        ent = by_key.setdefault(key, _Entity(kind="organisation"))
        ent.forms.append(text[s:e])
        ent.mentions.append((s, e))
        spans.append((s, e, key))
    # "the ministry" refers back to the last named ministry (or forward to the first one)
    for m in finditer_near(_BARE_MINISTRY, _BARE_MINISTRY_ANCHOR, text, 1, 1):
        s, e = m.start("head"), m.end("head")
        if any(a <= s < b for a, b, _ in spans):
            continue
        prior = [k for a, _, k in spans if a < s and k[0] == "ministry"]
        later = [k for a, _, k in spans if k[0] == "ministry"]
        key = prior[-1] if prior else (later[0] if later else None)
        if key is None:
            continue
        by_key[key].forms.append("the " + m.group("head").lower())
        by_key[key].mentions.append((m.start(), e))
    out = list(by_key.values())
    for key, ent in by_key.items():
        country = key[2] or dominant
        # the first form written with its country ("Serbian Ministry of Interior") gives the wording
        qualified = [_strip_country(f) for f in ent.forms if _strip_country(f) != f]
        bare = [f for f in ent.forms if not f.lower().startswith("the ")]
        base = qualified[0] if qualified else (bare[0] if bare else ent.forms[0])
        ent.canonical = f"{country} {base}" if country else base
    # institutions and appositive organisations
    named: dict[str, _Entity] = {}
    for m in finditer_near(_INSTITUTIONS, _INSTITUTIONS_ANCHOR, text, 1):
        name = _SPACES.sub(" ", m.group("name"))
        ent = named.setdefault(name.lower(), _Entity(kind="organisation", canonical=name))
        ent.forms.append(name)
        ent.mentions.append((m.start("name"), m.end("name")))
    for s, e, surface in extra:
        ent = named.setdefault(surface.lower(), _Entity(kind="organisation", canonical=surface))
        ent.forms.append(surface)
    taken = [sp for ent in out + list(named.values()) for sp in ent.mentions]
    for s, e, name, acronym in _proper_orgs(text):
        if any(a < e and s < b for a, b in taken):
            continue  # already a ministry or an institution
        ent = named.setdefault(name.lower(), _Entity(kind="organisation", canonical=name))
        ent.forms.append(name)
        ent.mentions.append((s, e))
        if acronym and acronym not in ent.forms:
            ent.forms.append(acronym)
            ent.mentions.extend(_whole_word_spans(text, acronym))
    for ent in named.values():
        if ent.kind == "organisation" and ent.canonical.lower() in {f.lower() for f in ent.forms}:
            for sp in _whole_word_spans(text, ent.canonical):
                if sp not in ent.mentions:
                    ent.mentions.append(sp)
    return out + list(named.values())


# Words that may open a capitalised run without being part of an organisation's name.
_RUN_OPENERS = frozenset(
    """the a an this that these those its his her their our my your according but and or so when
    while after before since as at in on of for from to by with meanwhile however""".split()
)
_ACRONYM_AFTER = re.compile(rf"^[ \t]*\((?P<acr>[{_L}][{_L}0-9]{{1,7}})\)")


def _is_people_or_place(word: str) -> bool:
    """'Russians', 'Finnish', 'Moscow': such a word after "of/for" is not the rest of a name."""
    low = word.lower().replace("’", "'")
    adjs = country_adjectives()
    return low in adjs or low.rstrip("s") in adjs or low in _country_names() or _is_place(word)


def _proper_orgs(text: str) -> list[tuple[int, int, str, str | None]]:
    """Proper-named organisations: a capitalised run ending in an organisation head word
    ("Federal Security Service", "Finnish Border Guard"), with an acronym in brackets right
    after it as an alias ("... Service (FSB)"). The canonical form is the name as written:
    a possessive country before it ("Russia’s") is not part of the name.
    """
    out = []
    for run_start, _, run, has_head in _runs(text):
        if not has_head:
            continue  # cheap check first: no head word, no organisation
        toks = list(_NONSPACE.finditer(run))
        # "The", "London-based" open the run but are not part of the name
        while toks and (toks[0].group(0).lower() in _RUN_OPENERS or toks[0].group(0).lower().endswith("-based")):
            toks = toks[1:]
        heads = [i for i, t in enumerate(toks) if t.group(0).lower() in ORG_HEADS]
        if not heads:
            continue
        last = heads[-1]
        s, e = run_start + toks[0].start(), run_start + toks[last].end()
        tail = _OF_FOR_TAIL.match(text[e:e + 80])
        if last == len(toks) - 1 and tail and not any(_is_people_or_place(w) for w in tail.group(0).split()):
            e += tail.end()  # "International Institute for Strategic Studies"
        elif last == 0:
            continue  # a lone head word ("Service", "the Guard") is not a name
        name = _SPACES.sub(" ", text[s:e])
        am = _ACRONYM_AFTER.match(text[e:e + 12]) if last == len(toks) - 1 else None
        out.append((s, e, name, am.group("acr") if am else None))
    return out


def _is_letter(ch: str) -> bool:
    """What the regex class [^\\W\\d_] matches: a word character that is not a digit or "_"."""
    return ch.isalnum() and not ch.isdecimal()


def _whole_word_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Spans of ``phrase`` with no letter right before or after it: the matches of
    (?<![^\\W\\d_])phrase(?![^\\W\\d_]), found with str.find, since compiling a regex per
    name costs more than the whole scan."""
    out = []
    n = len(phrase)
    i = text.find(phrase)
    while i >= 0:
        if (i == 0 or not _is_letter(text[i - 1])) and (i + n == len(text) or not _is_letter(text[i + n])):
            out.append((i, i + n))
            i = text.find(phrase, i + n)
        else:
            i = text.find(phrase, i + 1)
    return out


def _all_mentions(text: str, ent: _Entity) -> None:
    """Add every occurrence of every form of a person (the headline and possessives included)."""
    spans = set(ent.mentions)
    for form in set(ent.forms):
        spans.update(_whole_word_spans(text, form))
    # drop spans nested inside a longer span of the same entity
    nested = _nested_spans(spans)
    ent.mentions = sorted(sp for sp in spans if sp not in nested)


def _nested_spans(spans: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans lying inside another (different) span of the set, in one sorted sweep rather
    than comparing every pair: sorted by start, then longest first, a span is nested exactly
    when an earlier one reaches at least as far."""
    nested = set()
    reach = -1
    for sp in sorted(spans, key=lambda sp: (sp[0], -sp[1])):
        if reach >= sp[1]:
            nested.add(sp)
        else:
            reach = sp[1]
    return nested


def _name_word_before(text: str, pos: int) -> bool:
    """Is there a capitalised word right before ``pos`` that could be part of a name?"""
    m = _NAME_WORD_BEFORE.search(text[max(0, pos - 30):pos])
    return bool(m) and m.group(1).lower() not in COMMON_CAPITALISED and m.group(1).lower() not in _RUN_OPENERS


def _add_surname_forms(text: str, entities: list[_Entity]) -> None:
    """A full-named person's bare surname anywhere in the article refers back to them
    ("Kuznetsov paid for his bicycle"), even where the sentence gives no other evidence.

    Skipped when two people share the surname, or the surname is a common word or a place.
    """
    lower_words = _lowercase_words(text)
    owners: dict[str, list[_Entity]] = {}
    for ent in entities:
        for sur in {f.split()[-1] for f in ent.forms if len(f.split()) > 1}:
            owners.setdefault(sur, []).append(ent)
    for sur, ents in owners.items():
        if len(ents) != 1 or sur in ents[0].forms or len(sur) < 3:
            continue
        if sur.lower() in lower_words or _is_stop_token(sur) or _is_place(sur):
            continue
        # only a standalone occurrence: not part of a longer capitalised run ("Anna Kuznetsov")
        # ("For Orlov, the question ...": a capitalised function word before it does not count)
        standalone = any(
            not _name_word_before(text, s) and not _CAPITAL_NEXT.match(text[e:e + 2])
            for s, e in _whole_word_spans(text, sur)
        )
        if standalone:
            ents[0].forms.append(sur)


def _add_first_name_forms(text: str, entities: list[_Entity]) -> None:
    """A full-named person's bare first name refers back to them ("Pavel registered a company"
    after "Pavel Ivanov"), as features on families do, even at the start of a sentence.

    Skipped when another person has the same first name (or it was kept apart as someone new),
    or the word is a common word, a title or a place ("Vladimir" is also a city)."""
    lower_words = _lowercase_words(text)
    owners: dict[str, list[_Entity]] = {}
    for ent in entities:
        if ent.kind != "person":
            continue
        for first in {f.split()[0] for f in ent.forms}:
            owners.setdefault(first, []).append(ent)
    for first, ents in owners.items():
        ent = ents[0]
        if len(ents) != 1 or first in ent.forms or len(first) < 3 or not any(len(f.split()) > 1 for f in ent.forms):
            continue
        if first.lower() in lower_words or _is_stop_token(first) or _is_place(first) or _gazetteer_place(first):
            continue
        standalone = any(
            not _name_word_before(text, s) and not _CAPITAL_NEXT.match(text[e:e + 2])
            for s, e in _whole_word_spans(text, first)
        )
        if standalone:
            ent.forms.append(first)


def _drop_nested_mentions(entities: list[_Entity]) -> None:
    """A mention inside another person's longer mention ("Sergei" in "Sergei Menyailo") is not theirs."""
    nested = _nested_spans({sp for ent in entities if ent.kind == "person" for sp in ent.mentions})
    for ent in entities:
        ent.mentions = [m for m in ent.mentions if m not in nested]


# What a definite description of an organisation ("the company said") can refer back to: the
# kinds of organisation each head noun covers. A kind comes from organisation_kinds().
ORG_REFERENCE_KINDS: dict[str, frozenset[str]] = {
    "company": frozenset("company firm start-up startup business corporation airline carrier bank operator "
                         "retailer platform app employer search engine".split()) | {"search engine"},
    "firm": frozenset("company firm start-up startup business corporation employer".split()),
    "airline": frozenset({"airline", "carrier"}),
    "carrier": frozenset({"airline", "carrier"}),
    "bank": frozenset({"bank"}),
    "group": frozenset("group organisation organization charity ngo foundation movement network initiative "
                       "project association coalition".split()),
    "organisation": frozenset("group organisation organization charity ngo foundation movement network "
                              "initiative project association coalition".split()),
    "charity": frozenset("charity foundation ngo organisation organization group".split()),
    "agency": frozenset("agency service bureau".split()),
    "directorate": frozenset({"directorate"}),
    "inspectorate": frozenset({"inspectorate"}),
}
ORG_REFERENCE_KINDS["organization"] = ORG_REFERENCE_KINDS["organisation"]
ORG_REFERENCE_KINDS["start-up"] = ORG_REFERENCE_KINDS["startup"] = ORG_REFERENCE_KINDS["firm"]

# Name words that give an organisation's kind ("Aeroflot Airlines", "Tinkoff Bank", "Yandex LLC").
_NAME_KINDS = {
    "airlines": "airline", "airways": "airline", "bank": "bank", "group": "group", "company": "company",
    "corporation": "corporation", "corp": "company", "inc": "company", "ltd": "company", "llc": "company",
    "plc": "company", "gmbh": "company", "agency": "agency", "service": "service", "bureau": "bureau",
    "foundation": "foundation", "fund": "foundation", "association": "association",
    "movement": "movement", "network": "network", "initiative": "initiative", "project": "project",
    "directorate": "directorate", "inspectorate": "inspectorate",
}
_KIND_WORD = re.compile(rf"\b(?P<kind>{_ORG_KIND_NOUNS}|search\s+engine|app|ngo)\b", re.I)


def organisation_kinds(text: str, org: Person) -> frozenset[str]:
    """Kinds of an organisation ('company', 'airline', 'group', 'employer', ...) from its name
    ("... Airlines") and from how the article introduces it: "X, a software firm", "the
    start-up X", "developers at X" (an employer). Used to resolve "the company said"."""
    kinds: set[str] = set()
    for form in (org.canonical, *org.aliases):
        for tok in _KIND_TOKEN.findall(form.lower()):
            if tok in _NAME_KINDS:
                kinds.add(_NAME_KINDS[tok])
    for s, e in org.mentions:
        before = text[max(0, s - 40):s]
        after = text[e:e + 120]
        m = _ORG_APPOSITIVE.match(after)
        if m:
            kinds.add(_KIND_WORD.findall(m.group(0))[-1].lower())
        m = _end_search(_ORG_NOUN_BEFORE, _ORG_NOUN_TAILS, before)
        if m:
            kinds.add(_SPACES.sub(" ", m.group(0).strip().lower()))
        m = _ORG_NOUN_AFTER.match(after)
        if m:
            kinds.add(m.group(0).split()[-1].lower())
        if _end_search(_EMPLOYER_BEFORE, _EMPLOYER_TAILS, before):
            kinds.add("employer")
    return frozenset(k.replace("startup", "start-up").replace("organization", "organisation") for k in kinds)


def find_people(text: str) -> list[Person]:
    """Named people and organisations of one article, aliases merged, in order of first mention."""
    persons, org_cands = _name_candidates(text)
    org_names = {s.lower() for _, _, s in org_cands}
    persons = [p for p in persons if p[2].lower() not in org_names]
    entities = _merge_people(persons, text)
    _add_surname_forms(text, entities)
    _add_first_name_forms(text, entities)
    for ent in entities:
        _all_mentions(text, ent)
    _drop_nested_mentions(entities)
    entities += _find_orgs(text, org_cands)
    # a span claimed by an organisation is not a person mention
    org_spans = [sp for ent in entities if ent.kind == "organisation" for sp in ent.mentions]
    result = []
    for ent in entities:
        mentions = ent.mentions
        if ent.kind == "person":
            mentions = [m for m in mentions if not any(a <= m[0] < b for a, b in org_spans)]
        if not mentions:
            continue
        aliases = tuple(dict.fromkeys(f for f in ent.forms if f != ent.canonical))
        result.append(Person(canonical=ent.canonical, aliases=aliases, mentions=tuple(sorted(set(mentions))),
                             kind=ent.kind))
    result.sort(key=lambda p: p.mentions[0][0])
    return result
