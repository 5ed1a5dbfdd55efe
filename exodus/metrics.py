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

from exodus.units import MONEY_UNITS


@dataclass(frozen=True)
class Metric:
    """A figure is this metric when its unit fits, what it counts matches ``counts`` (when
    set), every ``context`` pattern matches what it counts or its sentence, and no
    ``none_of`` pattern does (all lower case regexes)."""

    metric_id: str
    label: str  # chart title noun phrase
    units: frozenset[str]
    counts: str | None
    context: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    description: str = ""


def _m(metric_id, label, units, counts, context=(), none_of=(), description=""):
    return Metric(metric_id, label, frozenset(units), counts, tuple(context), tuple(none_of), description)


_MONEY = MONEY_UNITS
_HEADS = {"people", "soldiers", "count"}

CATALOGUE: tuple[Metric, ...] = (
    _m("desertion_requests_share", "Share of help requests about desertion", {"percent"},
       r"request|appeal|assistance|asked for help", [r"desert|awol"],
       description="Share of requests for help (e.g. to an NGO) about deserting, in a period."),
    _m("desertion_cases", "Criminal cases for desertion", {"cases"} | _HEADS,
       r"desert|awol|absence without leave|case", [r"desert|awol|absence without leave"],
       description="Criminal cases opened against soldiers for desertion or going absent without leave."),
    _m("desertion_change", "Change in desertion cases", {"fold", "percent"},
       None, [r"desert|awol|absence without leave"],
       description="Multiplicative or percentage change in desertion cases."),
    _m("mobilisation_callup", "Reservists called up", _HEADS,
       r"reservist|mobili[sz]|call(ed)?[- ]up", [],
       description="People called up, or to be called up, in a mobilisation."),
    _m("conscripts_per_year", "Men drafted per year", _HEADS,
       r"conscript|draft|recruit|\bmen\b", [r"draft|conscript", r"year|annual|spring|autumn|fall"],
       [r"reservist|mobili"], description="Regular conscription intake."),
    _m("conscripts_in_combat", "Conscripts sent to fight", _HEADS,
       r"conscript", [r"conflict|war|fight|front|combat|drawn"],
       description="Conscripts reported to have been sent into combat."),
    _m("border_queue_km", "Border queue length", {"km"},
       r"queue|\blines?\b|traffic|jam|tailback|\bcars?\b|vehicles|waiting|stretch",
       [r"queue|\blines?\b|traffic|jam|tailback|\bcars?\b|vehicles|waiting"],
       description="Length of queues of vehicles at or near a border crossing."),
    _m("border_length_km", "Border length", {"km"},
       r"border|frontier", [r"border|frontier"],
       description="Length of a land border."),
    _m("legal_aid_change", "Change in requests for legal advice", {"percent", "fold"},
       None, [r"advice|legal|alternative service|asking|seeking|request"], [r"desert"],
       description="Change in requests for advice on avoiding service."),
    _m("border_entries_change", "Change in border entries", {"percent", "fold"},
       None, [r"enter|entr(y|ies)|cross|arriv|border"], [r"desert"],
       description="Change in the number of people crossing a border."),
    _m("legal_aid_requests", "Requests for legal advice on avoiding service", {"people", "requests", "count"},
       r"advice|legal|help|group|alternative service|telegram|request|asking|seeking", [],
       [r"desert"], description="People asking lawyers or rights groups for advice, or joining advice groups."),
    _m("casualties", "Soldiers killed", {"soldiers", "people"},
       r"killed|died|dead|death|casualt|lost their lives", [],
       description="Soldiers reported killed."),
    _m("armed_forces_size", "Size of the armed forces", {"soldiers", "people"},
       r"armed forces|army|military|troops", [r"number|size|strong|total|combined"],
       description="Reported size of armed forces."),
    _m("border_entries", "People crossing the border", {"people", "count", "vehicles"},
       r"enter|entr(y|ies)|cross|arriv|border|\bcars?\b|vehicle|russians|people",
       [r"border|crossing|checkpoint|\bentered\b|arrived in|arrivals"],
       [r"desert|conscript|reservist"], description="People (or vehicles) reported crossing a border."),
    _m("people_left", "People who left the country", {"people"},
       r"people|men|russians|citizens", [r"\b(left|fled|flee|leave|leaving|exodus|emigra)"],
       [r"desert|conscript|reservist"], description="People reported to have left Russia."),
    _m("pay_offered", "Pay offered to sign up", _MONEY,
       None, [r"offer|\bpay|salary|sign(ed)? up|contract|bonus"], [r"ticket|flight|fare|\bcost|rent"],
       description="Money offered to recruits (monthly pay, bonuses)."),
)


def metric_for(unit: str, counts: str | None, sentence: str) -> str | None:
    """The first catalogue metric whose rule matches, or None."""
    what = (counts or "").lower()
    context = f"{what} || {sentence.lower()}"
    for metric in CATALOGUE:
        if unit not in metric.units:
            continue
        if metric.counts is not None and not re.search(metric.counts, what):
            continue
        if all(re.search(p, context) for p in metric.context) and not any(
            re.search(p, context) for p in metric.none_of
        ):
            return metric.metric_id
    return None


def metric_labels() -> dict[str, str]:
    return {m.metric_id: m.label for m in CATALOGUE}
