"""Routes: who left for / crossed into / flew to / arrived in / plans to go to which place.

Rule-based: for every place mention the words just before it (inside its sentence) are
matched against trigger patterns ("fled to", "left for", "landed in", "now in", "border with"
+ queues, "flights ... to"); a listed place ("Turkey, Armenia and Serbia") inherits the trigger
of the place before it. A few rules read further: a movement to "countries ..." whose members are
listed after a colon or "such as"; and the words AFTER a place (list): "X reported 3,000 arrivals",
"X, Y and Z among the most popular destinations", "Serbia and Armenia each absorbed tens of thousands";
a fronted "In X," with an arrival verb ("he had flown in"); an entry point of a flow into "the country"
("by air through X"); an elliptical conjunct ("two went to X and one to Y"). Each route carries the rule that fired and a
confidence. Precision first: a place with no trigger is not a destination.
"""
from __future__ import annotations

import functools
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
_FROM_TO_VERBS = (
    r"fled|flee|flees|fleeing|escaped|escaping|emigrated|emigrating|relocated|relocating|relocate|moved|"
    r"moving|move|went|drove|flew|walked|hitchhiked|cycled|travell?ed|headed|defected|"
    r"made\s+(?:their|his|her|my|our)\s+way"
)
_SETTLE_VERBS = (
    r"go|move|travel|fly|head|emigrate|relocate|settle|start|build|begin|make|live|stay|reach|"
    r"get|leave|cross|enter|join|seek|apply|find|work|study|wait|return|flee|escape"
)


# Subjects that stand for a group of people (an emigrant's "the other half", "most of my
# friends"), never for things: used by the "people-in" rule.
_GROUP_NOUN = (
    r"(?:old\s+|former\s+|school\s+|university\s+)?(?:friends|colleagues|classmates|department|team|group|class|"
    r"course|unit|co-?workers|acquaintances|neighbou?rs|office|company|cohort|generation)"
)
_GROUP_SUBJECT = (
    r"(?:the\s+other\s+half|the\s+rest|(?:the\s+)?others|everyone\s+(?:I|we)\s+know|(?:my|our)\s+" + _GROUP_NOUN + r"|"
    r"(?:(?:the\s+other\s+)?half|the\s+rest|most|many|some|all|several|a\s+(?:third|quarter|few|lot))\s+of\s+"
    r"(?:us|them|(?:my|our|his|her|their)\s+" + _GROUP_NOUN + r"))"
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
    # "moved from Moscow to Riga", "relocated from St Petersburg to Belgrade": an origin between
    # the movement verb and "to" (people's verbs only: a road also "runs from X to Y")
    # "drive straight through Kirkenes on the E105 towards Finland": a direction of travel after a
    # few words of route (no punctuation between); driving, walking and cycling are by land
    _r("towards", r"\b(?:drive|drives|drove|driving|driven|walk|walks|walked|walking|cycle|cycles|cycled|cycling|"
       r"ride|rides|rode|riding|hitchhiked|hitchhiking)\b(?:\s+[\w’'.-]+){1,7}?\s+towards?", 0.75, "land"),
    _r("towards", r"\b(?:head|heads|headed|heading|travel|travels|travell?ed|travell?ing|continue[sd]?|continuing|"
       r"flee|flees|fled|fleeing)\b(?:\s+[\w’'.-]+){1,7}?\s+towards?", 0.7),
    _r("from-to", r"\b(?:" + _FROM_TO_VERBS + r")\s+" + _ADV + r"from\s+(?:[\w.’'-]+\s+){1,4}?(?:in)?to", 0.8),
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
    # "waiting for visas to Germany", "got residence permits in Serbia": a plan or a stay (class 3)
    _r("visa", r"\b(?:waiting|waited|waits|wait|awaiting|awaited|applying|applied|applies|apply|got|get|gets|getting|"
       r"gotten|obtained|obtain|obtaining|received|receive|receiving|granted|secured|securing|won|sought|seeking|seeks?|"
       r"queu(?:e|ed|ing|eing)|hoping|hopes?|hoped)\s+(?:for\s+)?(?:(?:a|an|the|their|his|her|my|our|new|work|student|"
       r"humanitarian|tourist|long-term|temporary|permanent|residence|national|Schengen|digital\s+nomad)\s+){0,3}"
       r"(?:visas?|residence\s+permits?|residency|asylum|refugee\s+status|work\s+permits?|permits?)\s+(?:to|for|in)",
       0.6, None, False),
    # "popular destinations such as Georgia", "the top destinations were: Turkey, ..." (class 4)
    _r("destinations", r"(?<!holiday\s)(?<!tourist\s)(?<!beach\s)(?<!travel\s)\bdestinations?\b"
       r"(?:\s+for\s+[^,.;:]{1,40}?)?\s*,?\s*(?:such\s+as|like|including|include[sd]?|were|are|was|is|have\s+been|"
       r"has\s+been)(?:\s*:)?", 0.7, None, False),
    # "the other half is in Istanbul", "most of my friends are now in Georgia": where a group of
    # people is, as an emigrant tells it (class 5). Only group subjects, never places or things.
    _r("people-in", r"(?i:\b(?:" + _GROUP_SUBJECT + r"))\s+(?:is|are|was|were|has\s+been|have\s+been)\s+"
       r"(?:now\s+|already\s+|currently\s+|all\s+|still\s+|mostly\s+)?in", 0.6, None, False),
    _r("asylum", r"\b(?:asylum|refugee\s+status|residence\s+permits?|humanitarian\s+visas?)\s+in", 0.3, None, False),
    _r("resident", r"\b(?:living|lives|lived|resident|residing)\s+in", 0.4, None, False),
)

# "went to countries that do not require a visa ...: Kazakhstan, Georgia and Armenia",
# "fled to places where ... , such as Serbia": a movement to a class of places whose members
# are listed after a colon or "such as" further on in the sentence (class 1).
_LIST_INTRO = re.compile(
    r"\b(?P<trig>(?:" + _MOTION + r"|" + _LEAVE_FOR + r")\s+" + _ADV + r"(?:to|for|into|towards?)\s+"
    r"(?:[\w’'-]+\s+){0,3}?(?:countries|destinations|places|states|nations|cities|capitals|republics|"
    r"neighbou?rs|parts\s+of\s+the\s+world))\b[^.;:!?“”\"]{0,160}?"
    r"(?::|[,\s](?:such\s+as|including|like|notably|chiefly|mainly|mostly|especially|among\s+them|in\s+particular)\b,?)"
    r"\s*$", re.I)
# The words _LIST_INTRO must end with (before an optional comma): a cheap test first, since
# the full pattern is searched over up to 300 characters for every place without a trigger.
_LIST_INTRO_TAIL = re.compile(
    r"(?:as|including|like|notably|chiefly|mainly|mostly|especially|them|particular)\Z", re.I)


def _may_end_list_intro(left: str) -> bool:
    """False when ``left`` cannot end like a _LIST_INTRO match (a colon, or "such as",
    "including", ... and an optional comma, then only spaces)."""
    tail = left.rstrip()
    if tail.endswith(":"):
        return True
    if tail.endswith(","):
        tail = tail[:-1]
    return _LIST_INTRO_TAIL.search(tail[-10:]) is not None


_LIST_INTRO_RULE = _Rule("to-countries-list", re.compile("$"), 0.8, None, False)
# Subjects of an elliptical conjunct ("..., and one to Y", "the rest to Z", "three more to W").
_ELLIPTIC_SUBJECT = (
    r"(?:one|another|others|some|many|most|several|a\s+few|a\s+handful|the\s+rest|the\s+others|"
    r"(?:a|one|another)\s+(?:third|quarter|half)|half|\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|"
    r"dozens|hundreds|thousands)"
)
# "drove to Georgia through Upper Lars, to Mongolia in the east, or to Finland": one movement
# verb governs a coordinated series of "to X" phrases, with a few modifier words between them.
_COORD_TO = re.compile(
    r"(?:\s+[\w’'-]+){0,6}?\s*(?:,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)"
    r"(?:(?:then|later|eventually|finally|also|on|even|mostly|mainly|either)\s+){0,2}"
    # an elliptical second conjunct keeps the verb: "two had gone to X and one to Y"
    r"(?:" + _ELLIPTIC_SUBJECT + r"\s+(?:(?:more|others?|of\s+them)\s+)?)?(?:in)?to\s+" + _FILLER,
    re.I,
)
# The words right before a destination end in "to"/"into": it is the head of a "to X" phrase.
_ENDS_TO = re.compile(r"\b(?:in)?to(?:wards?)?\s+" + _FILLER + r"$", re.I)

_LIST_GAP = re.compile(r"^(?:['’]s)?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)(?:the\s+)?$")
# A place in subject position: sentence start (after a connective or a short time phrase) or
# the start of a coordinated clause. Used by rules that read the words AFTER the place.
_SUBJECT_LEFT = re.compile(
    r"(?:^[“\"‘']?\s*(?:(?:But|And|Meanwhile|Separately|Elsewhere|Similarly|Likewise|Neighbou?ring|Nearby|"
    r"(?:In|On|By|Since|Over|During|Within|Between)\s+[^,]{1,40},|Officials\s+in|Authorities\s+in)\s*,?\s*)*"
    r"|(?:[,;]\s*(?:and|while|but|whereas)?|\s(?:while|whereas))\s+(?:neighbou?ring\s+|nearby\s+)?)$"
)
# "Mongolia, which shares a border with Russia, reported 3,000 arrivals", "Georgia's interior
# ministry said 10,000 Russians a day were entering the country": a country counting people who
# come in is a destination (class 2).
# Verbs of a country taking people in: "Serbia and Armenia each absorbed tens of thousands".
_RECEIVING_VERBS = (r"absorbed|absorbs|absorbing|hosted|hosts|hosting|accepted|accepts|admitted|admits|"
                    r"welcomes|welcoming|received|receives|took\s+in|takes\s+in|taken\s+in")
# The same verbs with a bare count whose people were named earlier in the sentence ("Georgia recorded
# 112,000 arrivals, and Serbia absorbed tens of thousands"): the count must end its phrase, so that
# "hosted 3 summits" or "received $5bn in loans" do not count.
_RECEIVED_COUNT = re.compile(
    r"^\s+(?:(?:has|have|had|also|already|alone|itself|each|all|both|together|between\s+them)\s+){0,3}"
    r"(?:" + _RECEIVING_VERBS + r"|(?:saw|sees|has\s+seen|have\s+seen)\s+(?:an?\s+)?(?:\w+\s+)?(?:influx|inflow)\s+of)\s+"
    r"(?:(?:about|around|roughly|nearly|almost|some|over|more\s+than|at\s+least|an\s+estimated|perhaps|another|"
    r"a\s+further)\s+)?"
    r"(?:(?:tens|hundreds)\s+of\s+thousands|thousands|hundreds|(?:several|a\s+few|many)\s+thousand|"
    r"\d[\d,.]*(?:\s*(?:thousand|million|k|m)\b)?|(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
    r"forty|fifty|a|one)\s+(?:hundred\s+)?(?:thousand|million))"
    r"(?:\s+(?:more|each|apiece|between\s+them|of\s+them))?\s*(?:[,.;)]|$|\s+(?:in|over|during|since|by|last|this|"
    r"that|after|before|within|and|while|according)\b)"
)
# People on the move named earlier in the sentence, for _RECEIVED_COUNT.
_MOVERS = re.compile(r"\b(?:arrivals|entrants|newcomers|emigrants|émigrés|emigres|relocants|exiles|draftees|"
                     r"reservists|Russians|Russian\s+(?:citizens|nationals|men))\b")
_REPORTED_ARRIVALS = re.compile(
    r"^(?:['’]s(?:\s+[\w-]+){1,4}?)?(?:\s*,\s+(?:which|where|whose|a|an|the|home\s+to)\b[^;:“”\"]{1,100}?,)?\s+"
    r"(?:(?:has|have|had|also|already|alone|itself|each|all|both|together|between\s+them)\s+){0,3}"
    r"(?:(?:reported|reports|registered|registers|recorded|records|counted|counts|logged|logs|saw|sees|has\s+seen|"
    r"received|receives|welcomed|took\s+in|takes\s+in|taken\s+in|" + _RECEIVING_VERBS + r")\s+(?!no\b|zero\b|none\b|fewer\b)"
    r"[^.;:“”\"]{0,45}?\b(?:arrivals|entries|border\s+crossings|crossings|entrants|newcomers|influx|inflow|"
    r"Russians|Russian\s+(?:[\w-]+\s+){0,2}?(?:citizens|nationals|men|arrivals|emigrants|workers|specialists|"
    r"professionals|families|programmers|developers|students|relocants|exiles)|people\s+(?:arriving|entering|crossing))\b"
    # not "crossings into Russia" (the destination is named after) nor "Russians leaving"
    r"(?!\s+(?:in)?to\s+[A-Z])(?!\s+(?:who\s+)?(?:had\s+|have\s+|were\s+)?(?:leav|left|depart|return|exit|went\s+home))"
    r"|(?:said|says|say|reported|reports|announced|announces|estimated|estimates|calculated)\s+(?:that\s+)?"
    r"[^.;:“”\"]{0,70}?\b(?:had\s+|have\s+|has\s+|were\s+|was\s+)?(?:entered|entering|arrived\s+in|arriving\s+in|"
    r"crossed\s+into|crossing\s+into|come\s+to|came\s+to)\s+(?:the|its|this)\s+(?:country|territory))"
)
# "Turkey, Germany and Spain (were) among the most frequently mentioned destinations", "X became
# a popular destination for Russians": a list named as destinations (class 4).
_NAMED_DESTINATIONS = re.compile(
    r"^\s*,?\s*(?:(?:were|are|was|is|remain(?:s|ed)?|became|become|becomes|have\s+become|has\s+become|had\s+become|"
    r"being|emerged\s+as|rank(?:s|ed)?\s+as|figured\s+as)\s+)?(?:among\s+|as\s+)?"
    r"(?:(?:the|their|a|an|two|three|four|five|of|most|more|very|especially|particularly|frequently|commonly|often|"
    r"increasingly|popular|frequent|common|favou?red|favou?rite|preferred|mentioned|cited|named|top|main|leading|chosen|"
    r"key|major|new|primary|principal|obvious|natural|cheapest|closest|nearest|safe|sought-after|likely|first|second|"
    r"third|biggest|largest)\s+){1,6}destinations?\b"
    r"(?!\s+for\s+(?:[\w-]+\s+)?(?:tourists|holidaymakers|sun-seekers|investors|investment|exports?|goods|oil|gas|trade))"
)
_REPORTED_RULE = _Rule("reported-arrivals", re.compile("$"), 0.75, None, False)
_NAMED_DEST_RULE = _Rule("named-destinations", re.compile("$"), 0.7, None, False)
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
_NO_FLOW = re.compile(r"\b(?:no|without|not\s+a|not\s+any|never\s+a|zero|hardly\s+any|barely\s+any)\s+"
                      r"(?:[\w-]+\s+){0,2}$", re.I)


@functools.lru_cache(maxsize=256)
def _has_flow(text: str, s: int, e: int) -> bool:
    """A word of people moving at a border in the sentence, not negated ("there was no queue").
    Cached: every place named in a sentence asks about the same sentence."""
    return any(not _NO_FLOW.search(text, max(s, m.start() - 25), m.start()) for m in _FLOW.finditer(text, s, e))


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
_POSSESSIVE = re.compile(r"['’]s?\b|['’](?=\s)")
# A new clause with its own subject between the person and the movement verb: the person is not
# the traveller ("..., and several of his friends now live in X", "he said his brother fled to X").
_NEW_SUBJECT = re.compile(
    r"(?:,\s*(?:and|but|while|whereas|although|though|so)\s+|;\s*|\s(?:while|whereas|but)\s+|"
    r"\b(?:said|says|say|added|explained|recalled|believes|thinks|knows|told\s+[\w ]{1,25}?)\s+(?:that\s+)?)"
    r"(?:(?i:the|a|an|his|her|their|its|our|my|your|several|many|some|most|few|others?|two|three|four|five|dozens|"
    r"hundreds|thousands|they|we|you|it|both|all|each|one|everyone|everybody|nobody)\b|I\b|[A-Z][a-z]+\b(?!,))"
)
_SUBORDINATE_START = re.compile(r"^(?:[A-Z][A-Z/ ,.-]{2,40}\s*[–—-]\s*)?[“\"‘']?\s*(?:When|After|Once|Before|Since|As\s+soon\s+as)\s+$")
_CLAUSE_START = re.compile(r"^(?:[“\"‘']?\s*)(?:(?:But|And|So|Then|Later|Eventually|Finally|In\s+\w+(?:\s+\w+){0,3},|"
                           r"After\s+[^,]{1,40},|Last\s+\w+,?|This\s+\w+,?)\s+)?$")


_FILLER_WORDS = frozenset(
    "the a an neighbouring neighboring nearby other countries country destination destinations places "
    "cities states international foreign such as like including mainly mostly especially either both "
    "friendly visa-free former soviet ex-soviet central asian southern northern eastern western distant "
    "then later eventually finally first safe relatively".split()
)
_PREPOSITIONS = frozenset({"to", "into", "for", "in", "at", "from", "towards", "toward", "as", "like", "including",
                           "reached", "reach", "reaches", "reaching", "entered", "enter", "enters", "entering",
                           "is", "are", "was", "were", "been", "include", "includes", "included"})


def _ends_with_preposition(left: str) -> bool:
    """Cheap pre-check: every trigger ends with a preposition or a direct-object verb
    (before optional filler)."""
    for word in reversed(left[-120:].split()):
        w = word.lower().rstrip(":")
        if w in _PREPOSITIONS:
            return True
        if w not in _FILLER_WORDS:
            return False
    return False


# The last word of each rule's trigger (its pattern ends "<trigger> <filler words> "). A rule is
# searched for only when one of these is among the last words of the left context, which spares
# the searches (each over up to 140 characters) of rules that cannot match.
_RULE_LAST_WORDS: dict[str, frozenset[str]] = {
    name: frozenset(words.split()) for name, words in {
        "flights-to": "to for as like including",
        "carried-to": "to into",
        "return": "to into",
        "left-for": "for",
        "fled-to": "to into toward towards",
        "towards": "toward towards",
        "from-to": "to into",
        "fled-x-to": "to into",
        "en-route": "to for",
        "reached": "reached reach reaches reaching entered enter enters entering to into",
        "arrived": "in at",
        "spoke-from": "from",
        "now-in": "in",
        "plans": "to in into for",
        "new-life": "in",
        "staying-in": "in",
        "visa": "to for in",
        "destinations": "as like including include included includes were are was is been",
        "people-in": "in",
        "asylum": "in",
        "resident": "in",
    }.items()
}
_LAST_WORD = re.compile(r"\w+\Z")


def _trigger_end_words(left: str) -> set[str]:
    """Words a rule's trigger can end with, given the left context: walking back from its end
    over filler words to the first other word, each token's final run of word characters
    (a trigger word follows a space or, for "(from", "“entered", punctuation), lower-cased
    as re.IGNORECASE compares. Empty when ``left`` does not end in a space (no rule matches)."""
    out: set[str] = set()
    if not left[-1:].isspace():
        return out
    for token in reversed(left.split()):
        if not token.isascii():  # re.IGNORECASE also matches these to ASCII letters
            token = token.replace("İ", "i").replace("ı", "i").replace("ſ", "s").replace("\u212a", "k")
        token = token.lower().rstrip(":")  # "destinations were:"
        if not token:
            continue  # a colon on its own
        m = _LAST_WORD.search(token)
        if m is not None:
            out.add(m.group(0))
        if token not in _FILLER_WORDS:
            break
    return out


def _rule_for(left: str, place: Place) -> tuple[_Rule, re.Match] | None:
    """The first trigger rule whose pattern ends exactly where the place mention starts."""
    if not _ends_with_preposition(left):
        return None
    ends = _trigger_end_words(left)
    candidates = {i for w in ends for i in _RULES_ENDING_WITH.get(w, ())}
    for i in sorted(candidates):  # in rule order: the first match wins
        m = _RULES[i].pattern.search(left)
        if m:
            return _RULES[i], m
    return None


def _rules_ending_with() -> dict[str, tuple[int, ...]]:
    """Last trigger word -> indexes (in ``_RULES``) of the rules whose trigger can end with it."""
    out: dict[str, list[int]] = {}
    for i, rule in enumerate(_RULES):
        for w in _RULE_LAST_WORDS[rule.name]:
            out.setdefault(w, []).append(i)
    return {w: tuple(ix) for w, ix in out.items()}


_RULES_ENDING_WITH = _rules_ending_with()


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
        if any(sp[2] != first[2] for sp in inside) or _POSSESSIVE.match(text, first[1]):
            return None  # "Orlov's flatmate left for X": the owner did not travel
        if _NEW_SUBJECT.search(text, first[1], trig):
            return None  # "Orlov stayed, and several friends left for X"
        lead = text[s:first[0]]
        if _CLAUSE_START.match(lead):
            return first[2]
        if _SUBORDINATE_START.match(lead) and "," not in text[first[1]:trig]:
            return first[2]  # "When Orlov landed in Yerevan, ..."
        return None
    m = _PRONOUN_START.match(text, s)
    if m and not _NEW_SUBJECT.search(text, m.end(), trig):
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
    return named and _has_flow(text, s, e)


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
        prev_to: tuple[PlaceMention, _Rule, int] | None = None  # last destination of a "to X" phrase
        chains = _list_chains(text, pms)
        for pm, chain in zip(pms, chains):
            found = _classify(text, s, e, pm, prev, chain, prev_to)
            was_listed = prev is not None and prev_to is not None and prev[0] is prev_to[0] and bool(
                _LIST_GAP.match(text[prev[0].end:pm.start]))
            prev = (pm, found[0], found[1]) if found else None
            if found is None:
                continue
            rule, trig_pos, conf, mode = found
            dest = pm.place
            if rule.name != "return" and dest.country_code not in ("UA", "RU") and (
                    _ENDS_TO.search(text, max(s, pm.start - 80), pm.start) or was_listed):
                prev_to = (pm, rule, trig_pos)  # "to Georgia and Armenia, or to ...": the list's last member
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


def _list_chains(text: str, pms: list[PlaceMention]) -> list[tuple[int, int]]:
    """For each mention, (start of the first, end of the last) member of the list it belongs to
    ("Turkey, Germany and Spain"); a mention outside any list is its own chain."""
    groups: list[list[PlaceMention]] = []
    for pm in pms:
        if groups and _LIST_GAP.match(text[groups[-1][-1].end:pm.start]):
            groups[-1].append(pm)
        else:
            groups.append([pm])
    return [(g[0].start, g[-1].end) for g in groups for _ in g]


def _right_rule(text: str, s: int, e: int, chain: tuple[int, int]) -> tuple[_Rule, str | None] | None:
    """Rules read from the words after a (list of) place(s): "X reported 3,000 arrivals",
    "X, Y and Z among the most popular destinations". (rule, mode) or None."""
    after = text[chain[1]:e]
    if _NAMED_DESTINATIONS.match(after):
        return _NAMED_DEST_RULE, None
    # the anchored matches first: _SUBJECT_LEFT is searched over the whole left context
    if (_REPORTED_ARRIVALS.match(after) or (_RECEIVED_COUNT.match(after) and _MOVERS.search(text, s, chain[0]))) \
            and _SUBJECT_LEFT.search(text[s:chain[0]]):
        best = _nearest_mode(text, s, e, chain[0])
        return _REPORTED_RULE, ("land" if _LAND.search(text, s, e) else best[1] if best else None)
    return None


# "64,000 Russians had entered the country ..., most of them by air through Tashkent": the place a
# flow into "the country" came through is in the country entered (its airport or crossing).
_ENTRY_VIA = re.compile(r"\b(?P<trig>by\s+(?P<how>air|plane|road|land|rail|train|bus|car|coach)|on\s+foot)\s+"
                        r"(?:through|via)\s+(?:the\s+)?$", re.I)
_ENTERED_COUNTRY = re.compile(r"\b(?:entered|entering|enter|enters|crossed\s+into|came\s+(?:in)?to|arrived\s+in)\s+"
                              r"(?:the|this|its)\s+(?:country|territory|republic)\b", re.I)
_ENTRY_VIA_RULE = _Rule("entry-via", re.compile("$"), 0.7, None, False)


def _entry_via(text: str, s: int, pm: PlaceMention) -> tuple[_Rule, int, float, str | None] | None:
    m = _ENTRY_VIA.search(text, max(s, pm.start - 40), pm.start)
    if m is None or not _ENTERED_COUNTRY.search(text, s, m.start()):
        return None
    if _NEGATED.search(text, max(s, m.start() - 60), m.start()):
        return None
    mode = "air" if (m.group("how") or "").lower() in ("air", "plane") else "land"
    return _ENTRY_VIA_RULE, m.start("trig"), _ENTRY_VIA_RULE.confidence, mode


# "In Tashkent, a developer who asked to be identified only as Timur said he had flown in on
# September 23": a fronted "In X," sets the scene, and an arrival verb with no place of its own
# ("flown in", "arrived", "landed") means arriving there.
_FRONTED_IN = re.compile(r"^[“\"‘']?\s*(?:(?:But|And|Meanwhile|Back|Here|There)\s+)?In\s+$")
_INTRANSITIVE_ARRIVAL = re.compile(
    r"\b(?:he|she|they|I|we|who)\s+(?:had\s+|has\s+|have\s+|[’']d\s+)?(?:just\s+|only\s+|recently\s+|first\s+)?"
    r"(?P<verb>flown\s+in|flew\s+in|arrived|landed|drove\s+in|driven\s+in)\b(?!\s+at\b)"  # not "arrived at a deal"
    # not "arrived in Almaty" (a place of its own); "arrived in September" is a date
    r"(?!\s+(?:in|at|to|into|from\s+[^,.;]{1,30}?\s+(?:in|to))\s+(?!(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z])"
)
_FRONTED_RULE = _Rule("fronted-arrival", re.compile("$"), 0.65, None, False)


def _fronted_arrival(text: str, s: int, e: int, pm: PlaceMention) -> tuple[_Rule, int, float, str | None] | None:
    if not _FRONTED_IN.match(text[s:pm.start]) or not text.startswith(",", pm.end):
        return None
    m = _INTRANSITIVE_ARRIVAL.search(text, pm.end, e)
    if m is None or _NEGATED.search(text, max(pm.end, m.start() - 40), m.start()):
        return None
    verb = m.group("verb").lower()
    mode = "air" if verb.startswith(("flown", "flew", "landed")) else "land" if verb.startswith("dr") else None
    return _FRONTED_RULE, m.start("verb"), _FRONTED_RULE.confidence, mode


_OFFER_MODAL = re.compile(r"\b(?:can|could|would|will|may|might|should|must|eligible|allowed|able|entitled)\b"
                          r"[^,;]{0,25}$", re.I)


def _classify(text: str, s: int, e: int, pm: PlaceMention,
              prev: tuple[PlaceMention, _Rule, int] | None,
              chain: tuple[int, int] | None = None,
              prev_to: tuple[PlaceMention, _Rule, int] | None = None) -> tuple[_Rule, int, float, str | None] | None:
    """Is ``pm`` a destination? (rule, absolute trigger offset, confidence, mode) or None.
    ``chain`` is the span of the place list ``pm`` belongs to (see ``_list_chains``);
    ``prev_to`` the last destination in the sentence reached by a "to X" phrase."""
    left = text[s:pm.start]
    if pm.place.kind == "border_crossing":
        flow = _has_flow(text, s, e)
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
    elif prev_to is not None and _COORD_TO.fullmatch(text, prev_to[0].end, pm.start):
        rule, trig_pos = prev_to[1], prev_to[2]  # "drove to X via Y, to Z in the east, or to W"
    elif _may_end_list_intro(text[max(s, pm.start - 300):pm.start]) and (
            m := _LIST_INTRO.search(text[max(s, pm.start - 300):pm.start])) is not None:
        rule, trig_pos = _LIST_INTRO_RULE, max(s, pm.start - 300) + m.start("trig")
    elif (via := _entry_via(text, s, pm)) is not None:
        return via
    elif (fronted := _fronted_arrival(text, s, e, pm)) is not None:
        return fronted
    elif (right := _right_rule(text, s, e, chain or (pm.start, pm.end))) is not None:
        rule, mode = right
        if _NEGATED.search(text, max(s, pm.start - 60), pm.start):
            return None
        return rule, pm.start, rule.confidence, mode
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
    elif rule.name == "visa" and _OFFER_MODAL.search(before):
        conf = 0.3  # "deserters can apply for asylum in Germany": an offer, not a journey
    elif _MODAL.search(before) and rule.name != "plans":
        conf -= 0.4
    if rule.name == "flights-to" and not _PEOPLE.search(text, s, e):
        conf = 0.55  # "Aeroflot resumed flights to Cuba": a timetable, not people leaving
    if _PREWAR.search(text, max(s, trig_pos - 40), min(e, pm.end + 40)):
        conf -= 0.4  # "moved to Berlin in 2015": an earlier emigration, not this exodus
    return rule, trig_pos, conf, _mode(rule, text, trig_pos, pm.start, pm.end, s, e)
