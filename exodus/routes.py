"""Routes: who left for / crossed into / flew to / arrived in / plans to go to which place.

Rule-based: for every place mention the words just before it (inside its sentence) are
matched against trigger patterns ("fled to", "left for", "landed in", "now in", "border with"
+ queues, "flights ... to"); a listed place ("Turkey, Armenia and Serbia") inherits the trigger
of the place before it. Each route carries the rule that fired and a confidence.
Precision first: a place with no trigger is not a destination.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from exodus.model import Person, Place, PlaceMention, Route
from exodus.text import sentences

# Words allowed between a trigger and the place: determiners and list introducers
# ("fled to neighbouring Belarus", "destinations such as Turkey").
_FILLER = (
    r"(?:(?:the|a|an|neighbou?ring|nearby|other|countries|country|destinations?|places|cities|"
    r"states|international|foreign|such\s+as|like|including|mainly|mostly|especially|either|"
    r"both|friendly|visa-free|former\s+Soviet|ex-Soviet|Central\s+Asian|southern|northern|"
    r"eastern|western|distant|then|later|eventually|finally|first|safe|relatively|nearby)\s+)*"
)
_ADV = r"(?:(?:back|abroad|away|out|over|across|overseas|south|north|east|west|straight|directly|illegally|quickly|first)\s+){0,2}"
_MOTION = (
    r"fled|flee|flees|fleeing|escaped|escape|escapes|escaping|emigrated|emigrate|emigrates|"
    r"emigrating|relocated|relocate|relocates|relocating|moved|move|moves|moving|went|go|goes|"
    r"going|gone|travell?ed|travell?ing|travels?|ran|run|runs|running|bolted|decamped|poured|"
    r"pouring|flocked|flocking|flock|streamed|streaming|flooded|flooding|rushed|rushing|"
    r"departed|departing|drove|drive|drives|driving|walked|walking|sailed|evacuated|defected|"
    r"headed|heading|head|heads|made\s+it|made\s+(?:their|his|her|my|our)\s+way|got|get|"
    r"gets|getting|exodus|influx|migration|journey|trip|way|arrivals|departures|flew|fly|"
    r"flies|flying|flown|hitchhiked|cycled|swam"
)
_LEAVE_FOR = (
    r"left|leave|leaves|leaving|headed|heading|head|heads|bound|destined|set\s+off|set\s+out|"
    r"departed|departing|depart|fled|flee|fleeing|escaped|bolted|took\s+off|made\s+off|"
    r"emigrated|relocated|moved|flew|flights?"
)
_SETTLE_VERBS = (
    r"go|move|travel|fly|head|emigrate|relocate|settle|start|build|begin|make|live|stay|reach|"
    r"get|leave|cross|enter|join|seek|apply|find|work|study|wait|return|flee|escape"
)


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern
    confidence: float
    mode: str | None  # mode implied by the rule itself
    use_mode_words: bool  # infer the mode from the sentence's words


def _r(name: str, body: str, conf: float, mode: str | None = None, words: bool = True) -> _Rule:
    return _Rule(name, re.compile(r"(?P<trig>" + body + r")\s+" + _FILLER + r"$", re.I), conf, mode, words)


# Ordered: the first rule whose pattern matches the left context wins.
_RULES: tuple[_Rule, ...] = (
    _r("flights-to", r"\b(?:flights?|tickets?|planes?|airfares?|fares?|seats?)\b(?:\s+from\s+[^,;:.()]{1,40}?)?"
       r"\s+(?:(?:to|for|bound\s+for)|(?:to\s+)?(?:destinations|countries)\s+(?:such\s+as|like|including))", 0.8, "air"),
    _r("carried-to", r"\b(?:carried|carrying|carry|carries|ferried|ferrying|brought|bringing|took|taking|taken|"
       r"flew|flown)\s+(?:[\w’'-]+\s+){0,3}?(?:to|into)", 0.75),
    _r("return", r"\b(?:returned|return|returns|returning|came\s+back|come\s+back|coming\s+back|went\s+back|"
       r"go\s+back|going\s+back|back\s+home)\s+(?:home\s+)?(?:to|into)", 0.4, None, False),
    _r("left-for", r"\b(?:" + _LEAVE_FOR + r")\s+(?:[\w.’'-]+\s+){0,3}?for", 0.85),
    _r("fled-to", r"\b(?:" + _MOTION + r")\s+" + _ADV + r"(?:to|into|towards?)", 0.85),
    _r("fled-x-to", r"\b(?:fled|left|escaped|leaving|fleeing|escaping|leave|flee)\s+(?:[\w.’'-]+\s+){1,3}?(?:to|into)", 0.8),
    _r("en-route", r"\b(?:en\s+route|on\s+(?:his|her|their|my|our|the)\s+way|in\s+transit)\s+(?:to|for)", 0.75),
    _r("reached", r"\b(?:reached|reach|reaches|reaching|entered|enter|enters|entering|(?:crossed|crossing|cross|crosses|"
       r"slipped|sneaked|snuck|smuggled|walked|drove)\s+(?:(?:over|the|a|land)\s+)*(?:border\s+)?(?:in)?to|made\s+it\s+(?:across\s+)?(?:in)?to|"
       r"got\s+(?:in)?to|gotten\s+(?:in)?to|entr(?:y|ies)\s+(?:in)?to|crossings\s+(?:in)?to)", 0.8),
    _r("arrived", r"\b(?:arrived|arrive|arrives|arriving|arrival|arrivals|landed|lands|landing|land|touched\s+down|"
       r"settled|settles|settling|resettled|ended\s+up|wound\s+up|turned\s+up|showed\s+up|holed\s+up|"
       r"(?:sought|seek|seeking|seeks|found|find|finding|took|take|taking|taken)\s+(?:refuge|shelter|safety|sanctuary))"
       r"\s+(?:safely\s+)?(?:in|at)", 0.8),
    _r("spoke-from", r"\b(?:spoke|speaking|speaks|spoken|talking|talked|interviewed|wrote|writing|texted|told)\b"
       r"[^.;:“”\"]{0,50}?\bfrom", 0.75, None, False),
    _r("now-in", r"\b(?:now|currently|temporarily|still)\s+(?:(?:lives?|living|works?|working|based|staying|stays|"
       r"residing|settled|hiding|sheltering|waiting|studying|stuck)\s+)?in", 0.75, None, False),
    _r("plans", r"\b(?:plans?|planning|planned|hopes?|hoping|hoped|wants?|wanted|intends?|intending|intended|"
       r"aims?|aiming|dreams?\s+of|dreaming\s+of|decided|deciding|expects?|expecting|preparing|prepares|trying|tried|"
       r"tries|seeks?|seeking|sought|ready)\s+(?:to\s+)?(?:" + _SETTLE_VERBS + r")\w*(?:\s+[\w’'-]+){0,4}?\s+(?:to|in|into|for)",
       0.7, None, False),
    _r("new-life", r"\bnew\s+(?:life|lives|home|homes|start|beginning)\s+in", 0.7, None, False),
    _r("staying-in", r"\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been|’s|'s)\s+(?:now\s+|currently\s+|still\s+|"
       r"temporarily\s+)?(?:living|working|staying|hiding|sheltering|settled|residing|waiting|stuck|studying)\s+in",
       0.6, None, False),
    _r("asylum", r"\b(?:asylum|refugee\s+status|residence\s+permits?|humanitarian\s+visas?)\s+in", 0.3, None, False),
    _r("resident", r"\b(?:living|lives|lived|resident|residing)\s+in", 0.4, None, False),
)

_LIST_GAP = re.compile(r"^(?:['’]s)?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)$")
# A border phrase naming the destination country: "border with Georgia", "the Kazakh border".
_BORDER_BEFORE = re.compile(
    r"\b(?:borders?|frontier)\s+(?:crossings?\s+|checkpoints?\s+)?(?:with|into|to)\s+" + _FILLER + r"$"
    r"|\b(?:crossings?|checkpoints?|crossing\s+points?)\s+(?:into|to|with|on\s+the\s+border\s+with)\s+" + _FILLER + r"$",
    re.I,
)
_BORDER_AFTER = re.compile(r"(?:['’]s)?(?:\s*[-–]\s*Russian?)?\s+(?:land\s+)?(?:border|frontier)\b", re.I)
# Words that show people actually moving at a border (not just "a 1,340 km border with Russia").
_FLOW = re.compile(
    r"\b(?:queues?|queued|queuing|queueing|lines?\s+of|traffic|jams?|tailbacks?|cars|vehicles|trucks|crowds?|"
    r"crowded|waiting|waited|gridlock|congestion|on\s+foot|exodus|surge|rush|influx|fleeing|fled|flee|"
    r"abandoned|backed\s+up|bottleneck|stream\s+of|crossed|entered|poured|streamed)\b", re.I
)
_LAND = re.compile(
    r"\b(?:borders?|crossings?|checkpoints?|cars?|vehicles?|on\s+foot|roads?|bus|buses|coach|trains?|railway|"
    r"drove|driving|drive|by\s+land|overland|walked|bicycles?|bikes?|ferry|queues?|lines\s+of\s+cars|traffic)\b", re.I
)
_AIR = re.compile(r"\b(?:flights?|flew|fly|flying|flown|planes?|landed|airports?|airlines?|air\s+tickets?|"
                  r"airfares?|by\s+air|plane\s+tickets?)\b", re.I)
# Negation/prohibition or military action right before the trigger: not a journey.
_NEGATED = re.compile(
    r"\b(?:not|never|no\s+longer|cannot|unable\s+to|refused\s+to|refuse\s+to|banned|bans?|barred|suspended|"
    r"halted|cancell?ed|stopped|closed|n[’']t)\b[^,;]{0,25}$", re.I
)
_MILITARY = re.compile(r"\b(?:troops|forces|army|tanks|missiles?|invaded|invasion|annex\w*|attack\w*|shell\w*)\b"
                       r"[^,;]{0,40}$", re.I)
_PEOPLE = re.compile(r"\b(?:men|Russians|people|passengers|those|thousands|hundreds|dozens|families|many|"
                     r"fleeing|fled|exodus|draftees|reservists|conscripts|he|she|they|we|I)\b")
_PREWAR = re.compile(r"\b(?:in|since|back\s+in)\s+(?:19\d\d|200\d|201\d|2020|2021)\b")
_MODAL = re.compile(r"\b(?:would|could|might|may|should|must|have\s+to|has\s+to|had\s+to|would\s+have\s+to)\s+"
                    r"(?:\w+\s+)?$", re.I)
_WISH = re.compile(r"\b(?:wants?|wanted|hopes?|hoped|hoping|would\s+like|wish\w*|dreams?|able|someday|plans?|"
                   r"intends?|longs?|miss\w*)\b[^.;]{0,20}$", re.I)
_ORIGIN_BEFORE = re.compile(r"\b(?:from|left|leaving|leave|leaves|fled|fleeing|flee|escaped|escaping|quit|"
                            r"native\s+of|out\s+of|living\s+in|lived\s+in|home\s+in)\s+$", re.I)
_ORIGIN_AFTER = re.compile(r"\s+(?:native|resident)\b|-born\b", re.I)
_RUSSIAN_FLOW = re.compile(r"\bRussians\b|\bRussian\s+(?:men|citizens|nationals|draftees|conscripts|reservists|"
                           r"soldiers|deserters|families|emigrants|exiles|youths?|people)\b|\bfrom\s+Russia\b|"
                           r"\b(?:fled|left|leaving|leave|fleeing|flee|escaped|escaping)\s+Russia\b")
_PRONOUN_START = re.compile(r"(?:[“\"‘']?\s*)(?:(?:But|And|So|Then|Later|Eventually|Finally|In\s+\w+(?:\s+\w+){0,3},|"
                            r"After\s+[^,]{1,40},|Last\s+\w+,?|This\s+\w+,?)\s+)?(?:He|She|(?<=,\s)(?:he|she))\b")
_CLAUSE_START = re.compile(r"^(?:[“\"‘']?\s*)(?:(?:But|And|So|Then|Later|Eventually|Finally|In\s+\w+(?:\s+\w+){0,3},|"
                           r"After\s+[^,]{1,40},|Last\s+\w+,?|This\s+\w+,?)\s+)?$")


_FILLER_WORDS = frozenset(
    "the a an neighbouring neighboring nearby other countries country destination destinations places "
    "cities states international foreign such as like including mainly mostly especially either both "
    "friendly visa-free former soviet ex-soviet central asian southern northern eastern western distant "
    "then later eventually finally first safe relatively".split()
)
_PREPOSITIONS = frozenset({"to", "into", "for", "in", "at", "from", "towards", "toward", "as", "like", "including",
                           "reached", "reach", "reaches", "reaching", "entered", "enter", "enters", "entering"})


def _ends_with_preposition(left: str) -> bool:
    """Cheap pre-check: every trigger ends with a preposition or a direct-object verb
    (before optional filler)."""
    for word in reversed(left[-120:].split()):
        w = word.lower()
        if w in _PREPOSITIONS:
            return True
        if w not in _FILLER_WORDS:
            return False
    return False


def _rule_for(left: str, place: Place) -> tuple[_Rule, re.Match] | None:
    """The first trigger rule whose pattern ends exactly where the place mention starts."""
    if not _ends_with_preposition(left):
        return None
    for rule in _RULES:
        m = rule.pattern.search(left)
        if m:
            return rule, m
    return None


def _mode(rule: _Rule, text: str, trig_pos: int, start: int, end: int, sent_start: int, sent_end: int) -> str | None:
    """Mode from the rule, else from the nearest land/air word around the trigger and the
    place (a window, so that a later clause about 'border closures' does not count)."""
    if rule.mode or not rule.use_mode_words:
        return rule.mode
    lo, hi = max(0, trig_pos - 40), min(end + 35, sent_end)
    best: tuple[int, str] | None = None
    for rx, mode in ((_LAND, "land"), (_AIR, "air")):
        for m in rx.finditer(text, lo, hi):
            d = abs(m.start() - start)
            if best is None or d < best[0]:
                best = (d, mode)
    if best is None and sent_start < lo:
        # the subject may carry it: "flights from Russia ... have carried men to X"
        best = _nearest_mode(text, sent_start, trig_pos, trig_pos)
    return best[1] if best else None


def _nearest_mode(text: str, lo: int, hi: int, anchor: int) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for rx, mode in ((_LAND, "land"), (_AIR, "air")):
        for m in rx.finditer(text, lo, hi):
            d = abs(m.start() - anchor)
            if best is None or d < best[0]:
                best = (d, mode)
    return best


def _is_russian(place: Place) -> bool:
    return place.country_code == "RU"


def _origin(text: str, s: int, e: int, mentions: list[PlaceMention], dest_start: int,
            person_origin: Place | None) -> Place | None:
    """Stated origin in the sentence ('from Moscow', 'St Petersburg native'), else the named
    person's origin stated elsewhere, else Russia for a general flow of Russians."""
    for pm in mentions:
        if s <= pm.start < e and _is_russian(pm.place) and pm.start != dest_start:
            if _ORIGIN_BEFORE.search(text, max(s, pm.start - 20), pm.start) or _ORIGIN_AFTER.match(text, pm.end):
                return pm.place
    if person_origin is not None:
        return person_origin
    if _RUSSIAN_FLOW.search(text, s, e):
        return next((pm.place for pm in mentions if pm.place.place_id == "country:RU"), None) or _RU_FALLBACK
    return None


# Used only when an article never names Russia but talks of "Russians" leaving.
_RU_FALLBACK = Place("country:RU", "Russia", "RU", "country", 55.75204, 37.61781)


def _person_spans(people: list[Person] | None) -> list[tuple[int, int, str]]:
    spans = []
    for p in people or []:
        if p.kind != "person":
            continue
        spans.extend((a, b, p.canonical) for a, b in p.mentions)
    return sorted(spans)


def _subject(text: str, s: int, trig: int, spans: list[tuple[int, int, str]]) -> str | None:
    """The named person who is the subject of the clause ending at the trigger.

    A person mention that opens the sentence ("Strelin, now in Tbilisi"), or a sentence
    opening with He/She resolved to the last person named in the three sentences before.
    Anything else (an unnamed man, "Russians") is a general flow: None.
    """
    if not spans:
        return None
    inside = [sp for sp in spans if s <= sp[0] < trig]
    if inside:
        first = inside[0]
        if _CLAUSE_START.match(text[s:first[0]]) and not any(sp[2] != first[2] for sp in inside):
            return first[2]
        return None
    if _PRONOUN_START.match(text, s):
        before = [sp for sp in spans if sp[1] <= s and s - sp[1] < 600]
        if before:
            return before[-1][2]
    return None


def _person_origins(text: str, mentions: list[PlaceMention], spans: list[tuple[int, int, str]],
                    sents: list[tuple[int, int]]) -> dict[str, Place]:
    """'the 22-year-old digital artist from St Petersburg': a Russian place with an origin cue
    in a sentence that names the person."""
    out: dict[str, Place] = {}
    for a, _b, name in spans:
        if name in out:
            continue
        sent = next(((s, e) for s, e in sents if s <= a < e), None)
        if sent is None:
            continue
        s, e = sent
        for pm in mentions:
            if s <= pm.start < e and _is_russian(pm.place) and pm.place.kind == "city":
                if _ORIGIN_BEFORE.search(text, max(s, pm.start - 20), pm.start) or _ORIGIN_AFTER.match(text, pm.end):
                    out[name] = pm.place
                    break
    return out


def _border_context(text: str, s: int, e: int, pm: PlaceMention) -> bool:
    """The mention names the country on the other side of a border people are crossing."""
    left = text[max(s, pm.start - 80):pm.start]
    after = _BORDER_AFTER.match(text, pm.end, e)
    named = bool(_BORDER_BEFORE.search(left)) or bool(after)
    return named and bool(_FLOW.search(text, s, e))


def extract_routes(text: str, mentions: list[PlaceMention], people: list[Person] | None = None) -> list[Route]:
    """Routes stated in ``text`` (one per destination mention with a trigger), sorted by start.

    ``mentions`` come from ``exodus.places.find_places``; ``people`` (optional) from the people
    extractor, used to attribute personal journeys and their origins.
    """
    sents = sentences(text)
    spans = _person_spans(people)
    person_origin = _person_origins(text, mentions, spans, sents)
    routes: dict[tuple[int, str], Route] = {}
    by_sentence: dict[tuple[int, int], list[PlaceMention]] = {}
    for pm in mentions:
        sent = _sentence_of(sents, pm.start)
        if sent is not None:
            by_sentence.setdefault(sent, []).append(pm)

    for (s, e), pms in sorted(by_sentence.items()):
        prev: tuple[PlaceMention, _Rule, int] | None = None
        for pm in pms:
            found = _classify(text, s, e, pm, prev)
            prev = (pm, found[0], found[1]) if found else None
            if found is None:
                continue
            rule, trig_pos, conf, mode = found
            dest = pm.place
            if dest.country_code == "UA":
                continue  # Ukraine is never where people flee to from mobilisation
            if _is_russian(dest) and rule.name != "return":
                continue
            person = None if rule.name in {"resident", "asylum"} else _subject(text, s, trig_pos, spans)
            origin = None
            if rule.name != "return":
                origin = _origin(text, s, e, pms, pm.start, person_origin.get(person) if person else None)
            route = Route(
                start=s, end=e, destination=dest, origin=origin, mode=mode, person=person,
                rule=rule.name, confidence=round(conf, 2), destination_start=pm.start, destination_end=pm.end,
            )
            key = (s, dest.place_id)
            if key not in routes or routes[key].confidence < route.confidence:
                routes[key] = route
    return sorted(routes.values(), key=lambda r: (r.start, r.destination_start or 0))


def _sentence_of(sents: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    from exodus.text import sentence_at

    return sentence_at(sents, pos)


_WINDOW = 140
_BORDER_RULE = _Rule("border", re.compile("$"), 0.7, "land", False)
_CROSSING_RULE = _Rule("crossing", re.compile("$"), 0.75, "land", False)
_FLED_TO = next(r for r in _RULES if r.name == "fled-to")


def _is_demonym(pm: PlaceMention) -> bool:
    from exodus.places import load_gazetteer

    return load_gazetteer().is_demonym(pm.surface)


def _classify(text: str, s: int, e: int, pm: PlaceMention,
              prev: tuple[PlaceMention, _Rule, int] | None) -> tuple[_Rule, int, float, str | None] | None:
    """Is ``pm`` a destination? (rule, absolute trigger offset, confidence, mode) or None."""
    left = text[s:pm.start]
    flow = bool(_FLOW.search(text, s, e))
    if pm.place.kind == "border_crossing":
        at = re.search(r"\b(?:at|through|via|in)\s+(?:the\s+)?$", left)
        if flow or at:
            return _CROSSING_RULE, pm.start, 0.75 if flow else 0.4, "land"
        return None
    demonym = _is_demonym(pm)
    if _border_context(text, s, e, pm):
        if _NEGATED.search(left[-60:]):
            return None
        return _BORDER_RULE, pm.start, 0.7, "land"
    if demonym:
        return None  # adjectives count only in border phrases
    # triggers are local: only the last words before the place can hold one (also keeps the
    # end-anchored searches cheap on long sentences)
    w0 = max(s, pm.start - _WINDOW)
    found = _rule_for(text[w0:pm.start], pm.place)
    if found is not None:
        rule, m = found
        trig_pos = w0 + m.start("trig")
    elif prev is not None and _LIST_GAP.match(text[prev[0].end:pm.start]):
        rule, trig_pos = prev[1], prev[2]  # "Turkey, Armenia and Serbia" share one trigger
    else:
        return None
    if rule.name in {"border", "crossing"}:
        return rule, trig_pos, rule.confidence, rule.mode
    before = text[max(s, trig_pos - 80):trig_pos]
    if _NEGATED.search(before) or _MILITARY.search(before):
        return None
    conf = rule.confidence
    if rule.name == "return":
        if _WISH.search(before):
            return None
        if not _is_russian(pm.place):
            rule, conf = _FLED_TO, 0.6
    elif _MODAL.search(before) and rule.name != "plans":
        conf -= 0.4
    if rule.name == "flights-to" and not _PEOPLE.search(text, s, e):
        conf = 0.55  # "Aeroflot resumed flights to Cuba": a timetable, not people leaving
    if _PREWAR.search(text, max(s, trig_pos - 40), min(e, pm.end + 40)):
        conf -= 0.4  # "moved to Berlin in 2015": an earlier emigration, not this exodus
    return rule, trig_pos, conf, _mode(rule, text, trig_pos, pm.start, pm.end, s, e)
