"""The units of ``figures.unit``: one table for how each reads in labels and values.

Extend it when the figures extractor learns a unit; docs/DATA_CONTRACT.md lists them.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    unit_id: str
    label: str  # axis titles: "Border queue length (km)"
    prefix: str = ""  # value forms: "$5,000", "12 km"
    suffix: str = ""
    money: bool = False


UNITS: dict[str, Unit] = {
    u.unit_id: u
    for u in (
        Unit("people", "people", suffix=" people"),
        Unit("cases", "cases", suffix=" cases"),
        Unit("requests", "requests", suffix=" requests"),
        Unit("soldiers", "soldiers", suffix=" soldiers"),
        Unit("flights", "flights", suffix=" flights"),
        Unit("vehicles", "vehicles", suffix=" vehicles"),
        Unit("visas", "visas", suffix=" visas"),
        Unit("years", "years", suffix=" years"),
        Unit("months", "months", suffix=" months"),
        Unit("weeks", "weeks", suffix=" weeks"),
        Unit("days", "days", suffix=" days"),
        Unit("hours", "hours", suffix=" hours"),
        Unit("minutes", "minutes", suffix=" minutes"),
        Unit("count", "count"),
        Unit("percent", "%", suffix="%"),
        Unit("percentage_points", "percentage points", suffix=" pp"),
        Unit("fold", "x-fold", suffix="-fold"),
        Unit("km", "km", suffix=" km"),
        Unit("roubles", "roubles", suffix=" roubles", money=True),
        Unit("usd", "US dollars", prefix="$", money=True),
        Unit("gbp", "pounds", prefix="£", money=True),
        Unit("eur", "euros", prefix="€", money=True),
        Unit("kzt", "tenge", suffix=" tenge", money=True),
        Unit("gel", "lari", suffix=" lari", money=True),
        Unit("amd", "drams", suffix=" drams", money=True),
        Unit("try", "Turkish lira", suffix=" lira", money=True),
        Unit("aed", "dirhams", suffix=" dirhams", money=True),
        Unit("kgs", "Kyrgyz som", suffix=" som", money=True),
        Unit("uzs", "Uzbek som", suffix=" som", money=True),
        Unit("mnt", "tögrög", suffix=" tögrög", money=True),
        Unit("rsd", "Serbian dinars", suffix=" dinars", money=True),
        Unit("ils", "shekels", suffix=" shekels", money=True),
    )
}
MONEY_UNITS = frozenset(u.unit_id for u in UNITS.values() if u.money)


def unit_label(unit: str | None) -> str:
    u = UNITS.get(unit or "")
    return u.label if u else (unit or "")


def unit_forms(unit: str | None) -> tuple[str, str]:
    """(prefix, suffix) for a value; unknown units read as a trailing word."""
    u = UNITS.get(unit or "")
    return (u.prefix, u.suffix) if u else ("", f" {unit}" if unit else "")
