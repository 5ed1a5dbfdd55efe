"""Tests for exodus.places: gazetteer data, mention finding, distances, cached geocoding."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exodus.model import Place
from exodus.places import (
    GAZETTEER_DIR,
    USER_AGENT,
    distance_km,
    find_places,
    geocode_online,
    load_gazetteer,
)


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def ids(text, gaz):
    return [(m.surface, m.place.place_id) for m in find_places(text, gaz)]


# ---- gazetteer data -------------------------------------------------------------------------

def test_every_country_has_iso_code_and_sane_coordinates(gaz):
    assert len(gaz.countries) >= 193  # UN members + observers + a few others
    for code, p in gaz.countries.items():
        assert len(code) == 2 and code.isupper()
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180
    # representative point is the capital: Tbilisi for Georgia
    ge = gaz.country("GE")
    assert abs(ge.lat - 41.69) < 0.1 and abs(ge.lon - 44.83) < 0.1


def test_aliases_resolve_to_the_right_country(gaz):
    for alias, code in [("the UK", "GB"), ("Britain", "GB"), ("United States", "US"),
                        ("the US", "US"), ("Kyrgyz Republic", "KG"), ("Kyrgyzstan", "KG"),
                        ("Türkiye", "TR"), ("Turkey", "TR"), ("Czech Republic", "CZ"),
                        ("UAE", "AE"), ("Russia’s", "RU")]:
        p = gaz.lookup(alias)
        assert p is not None and p.country_code == code, alias


def test_city_aliases_and_origins(gaz):
    for name in ("St Petersburg", "St. Petersburg", "Saint Petersburg"):
        assert gaz.lookup(name).place_id == "city:saint-petersburg"
    for name, cc in [("Samara", "RU"), ("Klin", "RU"), ("Novosibirsk", "RU"), ("Vladikavkaz", "RU"),
                     ("Yekaterinburg", "RU"), ("Batumi", "GE"), ("Yerevan", "AM"), ("Almaty", "KZ"),
                     ("Astana", "KZ"), ("Nur-Sultan", "KZ"), ("Samarkand", "UZ"), ("Bishkek", "KG"),
                     ("Istanbul", "TR"), ("Antalya", "TR"), ("Belgrade", "RS"), ("Baku", "AZ"),
                     ("Dubai", "AE"), ("Helsinki", "FI"), ("Ulaanbaatar", "MN"), ("Tel Aviv", "IL"),
                     ("Limassol", "CY")]:
        p = gaz.lookup(name)
        assert p is not None and p.kind == "city" and p.country_code == cc, name


def test_crossings_table_has_sources_and_known_points(gaz):
    rows = list(csv.DictReader((GAZETTEER_DIR / "crossings.csv").open(encoding="utf-8")))
    assert all(r["source"].strip() for r in rows)
    vaalimaa = gaz.lookup("Vaalimaa")
    assert vaalimaa.kind == "border_crossing" and vaalimaa.country_code == "FI"
    assert gaz.lookup("Virolahti") == vaalimaa and gaz.lookup("Torfyanovka") == vaalimaa
    lars = gaz.lookup("Verkhny Lars")
    assert lars == gaz.lookup("Upper Lars") and lars.country_code == "GE"
    # Upper Lars lies between Vladikavkaz and Tbilisi, close to Vladikavkaz
    assert 20 < distance_km(lars, gaz.lookup("Vladikavkaz")) < 50
    assert gaz.lookup("Nuijamaa").country_code == "FI"
    assert gaz.lookup("Altanbulag").country_code == "MN"


def test_geocode_cache_is_a_header_only_csv():
    header = (GAZETTEER_DIR / "geocode_cache.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("query,name,country_code")


# ---- find_places ----------------------------------------------------------------------------

def test_longest_match_and_possessive(gaz):
    text = "Traffic out of St. Petersburg grew, and Russia’s neighbours braced for arrivals."
    assert ids(text, gaz) == [("St. Petersburg", "city:saint-petersburg"), ("Russia", "country:RU")]


def test_offsets_point_at_the_surface(gaz):
    text = "He flew from Moscow to Yerevan and then drove to Tbilisi."
    for m in find_places(text, gaz):
        assert text[m.start:m.end] == m.surface
    assert [m.place.country_code for m in find_places(text, gaz)] == ["RU", "AM", "GE"]


def test_word_boundaries_and_case(gaz):
    # no match inside words, no lower-case 'turkey' (the bird), 'Georgian' is not 'Georgia'
    text = "A Georgian chef roasted a turkey; Omskaya Street is not Omsk."
    assert ids(text, gaz) == [("Omsk", "city:omsk")]


def test_demonyms_only_in_border_phrases(gaz):
    text = ("Queues formed at the Finnish border, the Finnish border guard said. "
            "A Finnish company closed. Cars lined up on the Russian-Georgian border.")
    got = ids(text, gaz)
    assert got == [("Finnish", "country:FI"), ("Russian", "country:RU"), ("Georgian", "country:GE")]
    assert all(gaz.is_demonym(s) for s, _ in got)
    assert not gaz.is_demonym("Finland")


def test_names_of_people_and_outlets_are_not_places(gaz):
    text = ("Vladimir Putin spoke to The Moscow Times and Jordan Henderson. "
            "She studied in Atlanta, Georgia, and in Latin America.")
    got = ids(text, gaz)
    assert ("Vladimir", "city:vladimir") not in got
    assert ("Jordan", "country:JO") not in got
    assert ("Georgia", "country:GE") not in got
    assert ("America", "country:US") not in got
    assert ("Atlanta", "city:atlanta") in got


def test_long_text_finds_every_mention(gaz):
    # Speed is measured in bench/, not here (timed tests are flaky on shared machines).
    para = ("Thousands of Russian men crossed into Kazakhstan and Georgia on Friday, while flights "
            "from Moscow to Istanbul, Yerevan and Dubai sold out. In Tbilisi and Almaty, the "
            "newcomers looked for flats; a man from Samara said he was heading for Spain.\n")
    mentions = find_places(para * 400, gaz)
    assert len(mentions) == 10 * 400  # Kazakhstan Georgia Moscow Istanbul Yerevan Dubai Tbilisi Almaty Samara Spain


# ---- distances and geocoding ----------------------------------------------------------------

def test_distance_km_is_geodesic(gaz):
    d = distance_km(gaz.lookup("Moscow"), gaz.lookup("Saint Petersburg"))
    assert 625 < d < 640  # about 634 km between the city centres
    assert distance_km(gaz.lookup("Tbilisi"), gaz.lookup("Tbilisi")) == 0


class FakeLocation:
    def __init__(self, lat, lon, raw, address):
        self.latitude, self.longitude, self.raw, self.address = lat, lon, raw, address


class FakeGeocoder:
    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def geocode(self, query, **kwargs):
        self.calls.append((query, kwargs))
        return self.answer


def test_geocode_online_caches_hits(tmp_path: Path):
    cache = tmp_path / "geocode_cache.csv"
    fake = FakeGeocoder(FakeLocation(42.66, 44.64, {"addresstype": "town", "address": {
        "town": "Stepantsminda", "country_code": "ge"}}, "Stepantsminda, Mtskheta-Mtianeti, Georgia"))
    p = geocode_online("Stepantsminda", cache, geocoder=fake, min_delay_seconds=0)
    assert p is not None and p.country_code == "GE" and p.kind == "city"
    assert abs(p.lat - 42.66) < 1e-6
    # second call is answered from the cache file, not the geocoder
    assert geocode_online("stepantsminda", cache, geocoder=fake, min_delay_seconds=0) == p
    assert len(fake.calls) == 1
    rows = list(csv.DictReader(cache.open(encoding="utf-8")))
    assert rows[0]["query"] == "Stepantsminda" and rows[0]["country_code"] == "GE"
    # the cached place is part of a gazetteer loaded from that folder
    assert load_gazetteer(tmp_path).lookup("Stepantsminda") == p


def test_geocode_online_caches_misses(tmp_path: Path):
    cache = tmp_path / "c.csv"
    fake = FakeGeocoder(None)
    assert geocode_online("Nowhereville", cache, geocoder=fake, min_delay_seconds=0) is None
    assert geocode_online("Nowhereville", cache, geocoder=fake, min_delay_seconds=0) is None
    assert len(fake.calls) == 1


def test_user_agent_is_the_projects():
    assert USER_AGENT == "exit-routes/0.1 (research dashboard)"


def test_cached_distance_is_the_geodesic_of_the_coordinates(gaz):
    from geopy.distance import geodesic

    a, b = gaz.lookup("Moscow"), gaz.lookup("Tbilisi")
    want = geodesic((a.lat, a.lon), (b.lat, b.lon)).km
    assert distance_km(a, b) == want
    assert distance_km(a, b) == want  # second call: from the cache, same value
    assert distance_km(b, a) == pytest.approx(want)
    moved = Place(a.place_id, a.name, a.country_code, a.kind, a.lat + 1.0, a.lon)  # same id, other point
    assert distance_km(moved, b) != pytest.approx(want)
