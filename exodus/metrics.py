"""The metric catalogue: which chartable quantity an extracted figure reports.

A metric is a small rule: a unit (or set of units) plus keywords that must
appear in what is counted or in the sentence. Rules are tried in order and the
first match wins, so new articles fall into place without hand work. Figures
that match no rule keep ``metric = NULL`` and still appear in the figures table.

The catalogue is documented in docs/METRICS.md; keep the two in step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    metric_id: str
    label: str  # chart title noun phrase
    units: frozenset[str]
    all_of: tuple[str, ...]  # regexes that must all match (counts + sentence, lower case)
    none_of: tuple[str, ...] = ()
    description: str = ""


def _m(metric_id, label, units, all_of, none_of=(), description=""):
    return Metric(metric_id, label, frozenset(units), tuple(all_of), tuple(none_of), description)


CATALOGUE: tuple[Metric, ...] = (
    _m("desertion_cases", "Criminal cases for desertion", {"cases", "count", "people"},
       [r"desert|awol|absence without leave|abandon"], [r"percent"],
       "Criminal cases opened against soldiers for desertion or going absent without leave."),
    _m("desertion_change", "Change in desertion cases", {"fold", "percent"},
       [r"desert|awol|absence without leave"], [],
       "Multiplicative or percentage change in desertion cases."),
    _m("desertion_requests_share", "Share of help requests from would-be deserters", {"percent"},
       [r"request|appeal|asked for help|assistance"], [],
       "Share of requests for help (e.g. to an NGO) in a period."),
    _m("mobilisation_callup", "Reservists called up", {"people", "soldiers", "count"},
       [r"reservist|mobili[sz]|call(ed)?[- ]up|conscript(ion)? (?:order|notice)"],
       [r"desert"], "People called up or to be called up in a mobilisation."),
    _m("conscripts_per_year", "Men drafted per year", {"people", "soldiers", "count"},
       [r"draft|conscript", r"year|annual|twice-yearly|spring|autumn|fall"], [r"reservist|mobili"],
       "Regular conscription intake."),
    _m("conscripts_in_combat", "Conscripts sent to fight", {"people", "soldiers", "count"},
       [r"conscript", r"conflict|war|fight|front|combat|drawn"], [],
       "Conscripts reported to have been sent into combat."),
    _m("border_queue_km", "Border queue length", {"km"},
       [r"queue|line|traffic|jam|stretch|tailback|cars"], [],
       "Length of queues of vehicles at or near a border crossing."),
    _m("border_length_km", "Border length", {"km"},
       [r"border"], [r"queue|line|traffic|jam|stretch"], "Length of a land border."),
    _m("border_entries_change", "Change in border entries", {"percent", "fold"},
       [r"enter|entr(y|ies)|cross|arriv|border"], [r"desert"],
       "Change in the number of people crossing a border."),
    _m("border_entries", "People crossing the border", {"people", "count"},
       [r"enter|entr(y|ies)|crossed|arriv|border"], [r"desert|conscript|reservist"],
       "People reported crossing or arriving through a border."),
    _m("people_left", "People who left the country", {"people"},
       [r"\b(left|fled|flee|leave|leaving|exodus|emigra)"], [r"desert|conscript|reservist"],
       "People reported to have left Russia."),
    _m("legal_aid_requests", "Requests for legal advice on avoiding service", {"people", "requests", "count"},
       [r"advice|legal|help|group|alternative service|telegram|request|asking"], [r"desert"],
       "People asking lawyers or rights groups for advice, or joining advice groups."),
    _m("legal_aid_change", "Change in requests for legal advice", {"percent", "fold"},
       [r"advice|legal|alternative service|asking|seeking"], [r"desert"],
       "Change in requests for advice on avoiding service."),
    _m("casualties", "Soldiers killed", {"soldiers", "people"},
       [r"killed|died|dead|death|casualt|lost"], [], "Soldiers reported killed."),
    _m("armed_forces_size", "Size of the armed forces", {"soldiers", "people"},
       [r"armed forces|army|military", r"number|size|strong|total|combined"], [],
       "Reported size of armed forces."),
    _m("pay_offered", "Pay offered to sign up", {"roubles", "usd", "gbp", "eur"},
       [r"offer|pay|salary|sign(ed)? up|contract|bonus|month"], [],
       "Money offered to recruits (monthly pay, bonuses)."),
)


def metric_for(unit: str, counts: str | None, sentence: str) -> str | None:
    """The first catalogue metric whose rule matches, or None."""
    haystack = f"{counts or ''} || {sentence}".lower()
    for metric in CATALOGUE:
        if unit not in metric.units:
            continue
        if all(re.search(p, haystack) for p in metric.all_of) and not any(
            re.search(p, haystack) for p in metric.none_of
        ):
            return metric.metric_id
    return None


def metric_labels() -> dict[str, str]:
    return {m.metric_id: m.label for m in CATALOGUE}
